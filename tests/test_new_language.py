"""A fifth language, added as README "Adding a language" says: two config entries, one translate run.

A copy of the repository gets Vietnamese, is built before any translation (readers see our words in
Japanese, and the notices name Tiếng Việt, never English), translated by the real `helpcenter translate`
against tests/deepl_server.py (its output is the Japanese with a ⟦VI⟧ marker) and built again: every
page of /vi/ then carries our words as DeepL returned them, marked machine-translated, or in Japanese.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from playwright.sync_api import Browser
from selectolax.lexbor import LexborHTMLParser

from browserkit import SearchBox, serve
from deepl_server import DeepLServer
from helpcenter import site_strings
from sitekit import SMALL, copy_site, run

EXTRA_PAGES = ("verify.md", "translation-status.md", "support/how-to-contact-support.md")
MATERIAL_VI = Path(__import__("material").__file__).parent / "templates/partials/languages/vi.html"


def add_vietnamese(root: Path) -> None:
    """The two entries README "Adding a language" names."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("        ko: {deepl: KO}\n", "        ko: {deepl: KO}\n        vi: {deepl: VI}\n")
    text = text.rstrip("\n") + "\n        - locale: vi\n          name: Tiếng Việt\n          build: true\n"
    config.write_text(text, encoding="utf-8")


def english_sentences(root: Path) -> list[str]:
    """Our words in English, cut at their placeholders: the pieces of two words or more."""
    out = []
    for entry in polib.pofile(str(root / "translations/en/_site.po")):
        for piece in re.split(r"\{\w+\}", entry.msgstr):
            piece = piece.strip(" .:,“”")
            if len(piece.split()) >= 2:
                out.append(piece)
    return out


def reader_text(page: Path) -> str:
    """What a reader (or a screen reader) gets of a page: its text and its labelling attributes."""
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    for node in tree.css("script:not([type='application/json']), style"):
        node.decompose()
    texts = [tree.body.text(separator=" ") if tree.body else ""]
    for attr in ("title", "aria-label", "placeholder", "alt", "content"):
        texts += [str(node.attributes.get(attr) or "") for node in tree.css(f"[{attr}]")]
    return " ".join(" ".join(texts).split())


def vi_pages(site: Path) -> list[Path]:
    return sorted((site / "vi").rglob("*.html"))


@pytest.fixture(scope="module")
def server() -> Iterator[DeepLServer]:
    with DeepLServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("vi"), pages=SMALL + EXTRA_PAGES)
    add_vietnamese(root)
    return root


def assert_no_english(site: Path, english: list[str]) -> None:
    pages = vi_pages(site)
    assert len(pages) > 10
    for page in pages:
        text = reader_text(page)
        found = [s for s in english if s in text]
        assert not found, f"{page.relative_to(site)}: English from our plugins: {found[:3]}"


@pytest.mark.browser
def test_before_translating_our_words_are_japanese_and_never_false(project: Path, browser: Browser) -> None:
    check = run(["helpcenter", "check"], project)
    assert check.returncode == 1
    assert re.search(
        r"translations/vi/_site\.po:1: error: \d+ of the site's \d+ strings have no vi translation", check.stderr
    )

    result = run(["mkdocs", "build"], project)  # not --strict: the copy lacks pages others link to
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    assert_no_english(site, english_sentences(project))
    fallback = LexborHTMLParser((site / "vi/security/two-factor-setup/index.html").read_text(encoding="utf-8"))
    notice = fallback.css_first('[data-notice="fallback"]')
    assert notice is not None
    assert notice.text(strip=True).startswith("このページはまだTiếng Việtに翻訳されていない"), notice.text()

    # no page of vi is translated, so it has no search bundle: its readers search the Japanese one
    assert not (site / "pagefind/vi").exists()
    title = LexborHTMLParser((site / "security/two-factor-setup/index.html").read_text(encoding="utf-8"))
    query = title.css_first("article h1").text(deep=False).strip()
    with serve(site) as base:
        page = browser.new_page()
        box = SearchBox(page)
        box.open(base + "vi/")
        results = box.query(query)
        page.close()
    assert results and results[0]["href"].removeprefix(base).split("?")[0] == "vi/security/two-factor-setup/"
    assert all(r["href"].removeprefix(base).startswith("vi/") and r["tag"] == "日本語" for r in results), results


def test_one_translate_run_gives_every_vi_page_our_words_in_vietnamese(project: Path, server: DeepLServer) -> None:
    deepl = {"DEEPL_AUTH_KEY": server.auth_key, "DEEPL_SERVER_URL": server.url}
    dry = run(["helpcenter", "translate", "--lang", "vi", "--dry-run"], project, **deepl)
    assert dry.returncode == 0, dry.stderr
    assert not server.translate_requests
    row = next(line for line in dry.stdout.splitlines() if " vi " in line)
    units, characters = (int(n) for n in re.findall(r"\d+", row.split("VI", 1)[1])[:2])
    site_units = len(site_strings.source())
    assert units > site_units  # the pages' units and the site's own words

    result = run(["helpcenter", "translate", "--lang", "vi"], project, **deepl)
    assert result.returncode == 0, result.stderr
    assert {r["target_lang"] for r in server.translate_requests} == {"VI"}
    assert server.billed_by_target["VI"] == characters  # the dry run said what would be billed
    catalog_ = polib.pofile(str(project / "translations/vi/_site.po"))
    assert len([e for e in catalog_ if not e.obsolete]) == site_units
    assert all("⟦VI⟧" in e.msgstr and "fuzzy" in e.flags for e in catalog_)
    count = next(e for e in catalog_ if e.msgctxt == "incidents_count_other")
    assert "{count}" in count.msgstr  # the placeholder went to DeepL as an ignored tag and came back
    assert run(["helpcenter", "check"], project).returncode == 0
    review = run(["helpcenter", "review", "--lang", "vi", "translations/vi/_site.po"], project)
    assert f"{site_units} unit(s) to review" in review.stdout

    result = run(["mkdocs", "build"], project)  # not --strict: the copy lacks pages others link to
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    assert_no_english(site, english_sentences(project))
    for page in vi_pages(site):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        assert tree.css_first("html").attributes.get("lang") == "vi", page
        footer = tree.css_first(".hc-footer__machine")  # our words are machine output: marked so
        assert footer is not None and "⟦VI⟧" in footer.text(), page
        for notice in tree.css("[data-notice]"):
            assert "⟦VI⟧" in notice.text(), (page, notice.text())
    fallback = LexborHTMLParser((site / "vi/security/two-factor-setup/index.html").read_text(encoding="utf-8"))
    notice = fallback.css_first('aside[data-notice="fallback"]')
    assert notice is not None and "Tiếng Việt" in notice.text()
    # Material's own interface in Vietnamese, from its installed partial (nothing fetched)
    assert MATERIAL_VI.is_file()
    assert 'placeholder="Tìm kiếm"' in (site / "vi/index.html").read_text(encoding="utf-8")


def test_a_placeholder_lost_in_translation_is_reported(project: Path) -> None:
    path = project / "translations/ko/_site.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == "incidents_count_other")
    entry.msgstr = entry.msgstr.replace("{count}", "")
    po.save()
    line = next(e.linenum for e in polib.pofile(str(path)) if e.msgctxt == "incidents_count_other")
    check = run(["helpcenter", "check", "--lang", "ko"], project)
    assert check.returncode == 1
    assert f"translations/ko/_site.po:{line}: error: placeholder lost: {{count}}" in check.stderr, check.stderr
