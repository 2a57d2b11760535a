"""Shared fixtures: a small self-made help center project in tmp_path, a fast DeepL client, and Chromium
with a server for a module's built site."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import deepl
import pytest
import yaml
from playwright.sync_api import Browser, sync_playwright

from browserkit import launch, serve
from deepl_server import DeepLServer
from helpcenter import cli
from sitekit import seed_site_words

CATEGORY_TITLES = {
    "security": "アカウントのセキュリティ",
    "phishing": "フィッシング対策",
    "assets": "資産の保護と不正流出",
    "outage": "システム障害・取引停止",
    "trading": "取引の誤操作",
    "support": "お問い合わせ",
}
INCIDENT_TITLES = {
    "hacking": ("ハッキング・不正流出", "material/shield-alert"),
    "outage": ("システム障害・取引停止", "material/server-off"),
    "mistaken-trade": ("取引の誤操作", "material/undo"),
    "phishing": ("フィッシング", "material/hook"),
}
DEEPL_CODES = {"en": "EN-US", "zh": "ZH-HANS", "ko": "KO"}

GLOSSARY = """\
terms:
  出金: {en: withdrawal, zh: 提币, ko: 출금}
  二段階認証: {en: two-factor authentication, zh: 双重验证, ko: 2단계 인증}
do_not_translate:
  - BTC
"""


def article(
    title: str,
    body: str,
    *,
    category: str = "support",
    description: str | None = None,
    incidents: Iterable[str] = (),
) -> str:
    """The Markdown of a valid article: front matter as writers must write it, then `body`."""
    fm = [
        "---",
        f"title: {title}",
        f"description: {description or title + 'についての説明です。'}",
        f"category: {category}",
    ]
    ids = list(incidents)
    if ids:
        fm.append(f"incidents: [{', '.join(ids)}]")
    fm += ["last_reviewed: 2026-11-20", "---", ""]
    return "\n".join(fm) + "\n" + textwrap.dedent(body).strip("\n") + "\n"


def _front_matter(text: str) -> dict[str, object]:
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text.split("---\n", 2)[1]) or {}


def make_project(
    tmp_path: Path,
    pages: dict[str, str],
    languages: Iterable[str] = ("en", "zh", "ko"),
    publish: str = "machine",
    *,
    glossary: str | None = GLOSSARY,
    strict_categories: Iterable[str] = ("security", "phishing", "assets"),
) -> Path:
    """A minimal help center in `tmp_path` (returned): mkdocs.yml, docs/ and a translations/ with only
    the site's own words (the repository's reviewed `_site.po` of each language).

    `pages` maps paths under docs/ to their Markdown. Each category folder used gets an `index.md`
    (that is what makes it a category), and each incident type named in front matter gets its hub,
    so that front matter validation passes. mkdocs.yml has the helpcenter and i18n plugins like the
    repository's, for the given languages.
    """
    root = tmp_path
    docs = root / "docs"
    languages = list(languages)
    files = dict(pages)
    for page, text in pages.items():
        parts = page.split("/")
        if len(parts) == 2 and parts[0] != "incidents":
            files.setdefault(f"{parts[0]}/index.md", f"---\ntitle: {CATEGORY_TITLES.get(parts[0], parts[0])}\n---\n")
        for incident in _front_matter(text).get("incidents") or []:
            title, icon = INCIDENT_TITLES.get(str(incident), (str(incident), "material/alert"))
            files.setdefault(
                f"incidents/{incident}.md",
                f"---\ntitle: {title}\ndescription: {title}のときに読む記事。\nicon: {icon}\n---\n",
            )
    for page, text in files.items():
        path = docs / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "translations").mkdir(exist_ok=True)
    seed_site_words(root, languages)
    if glossary is not None:
        (root / "translations" / "glossary.yml").write_text(glossary, encoding="utf-8")
    write_mkdocs_yml(root, languages, publish, strict_categories=strict_categories)
    return root


def write_mkdocs_yml(
    root: Path,
    languages: Iterable[str],
    publish: str = "machine",
    *,
    strict_categories: Iterable[str] = ("security", "phishing", "assets"),
) -> None:
    """(Re)write mkdocs.yml for these languages, like the repository's configuration."""
    languages = list(languages)
    config = {
        "site_name": "テスト ヘルプセンター",
        "site_url": "https://help.example/",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "ja", "font": False},
        "extra": {"generator": False},  # the guard allows no link to Google Fonts or Material's site
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "md_in_html",
            "tables",
            "pymdownx.details",
            "pymdownx.superfences",
            {"pymdownx.tabbed": {"alternate_style": True}},
            {"toc": {"permalink": True}},
        ],
        "plugins": [
            "search",
            {
                "helpcenter": {
                    "exchange": "Hoshi Exchange",
                    "publish": publish,
                    "languages": {code: {"deepl": DEEPL_CODES[code]} for code in languages if code in DEEPL_CODES},
                    "strict_categories": list(strict_categories),
                    "strict_incidents": True,
                }
            },
            {
                "i18n": {
                    "docs_structure": "suffix",
                    "fallback_to_default": True,
                    "reconfigure_material": True,
                    "reconfigure_search": True,
                    "languages": [
                        {"locale": "ja", "name": "日本語", "default": True, "build": True},
                        *({"locale": code, "name": code, "build": True} for code in languages),
                    ],
                }
            },
        ],
    }
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


@pytest.fixture
def fast_deepl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short backoff for the deepl client; its module settings are restored after the test.

    `helpcenter translate` sets deepl.http_client's timeout and retries from the environment, on the
    module: monkeypatch records the originals so that one test's settings never leak into another.
    """
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 2)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 2.0)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)


@pytest.fixture
def srv() -> Iterator[DeepLServer]:
    """A fresh DeepL-compatible server for one test (tests/deepl_server.py)."""
    with DeepLServer() as server:
        yield server


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """`helpcenter ARGS...` in-process, in the current directory: exit code, stdout, stderr."""

    def helpcenter(*args: str) -> Result:
        capsys.readouterr()
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return helpcenter


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    """The module's built `site` fixture served on 127.0.0.1: its base URL."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, one per module."""
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()
