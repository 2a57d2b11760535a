"""The built site as readers get it: every article in every language, honest notices, stable anchors,
and nothing generated inside docs/ or translations/."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import yaml
from jinja2 import BytecodeCache, Environment, FileSystemLoader

from helpcenter import catalog
from helpcenter.mkdocs_plugins.jinja import SharedBytecodeCache
from sitekit import ROOT, copy_site, plain_paragraph, plant_machine_translation, run

LANGS = ("en", "zh", "ko")
MACHINE_PAGE = "trading/market-vs-limit-orders"  # one unit replaced by a machine translation
STALE_PAGE = "trading/what-can-be-undone"  # one Japanese paragraph edited after translation: partial
FALLBACK_PAGE = "support/supported-languages"  # Korean catalog removed


def snapshot(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for folder in ("docs", "translations")
        for p in (root / folder).rglob("*")
    }


def html(site: Path, lang: str, page: str) -> str:
    prefix = "" if lang == "ja" else f"{lang}/"
    return (site / f"{prefix}{page}/index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], dict[str, int]]:
    root = copy_site(tmp_path_factory.mktemp("site"), pages=None)
    # a machine translation (as `helpcenter translate` stores it) on one English page
    plant_machine_translation(root, f"translations/en/{MACHINE_PAGE}.po", "Machine-translated paragraph.")
    # a Japanese edit under the second section of another page, after it was translated
    article = root / f"docs/{STALE_PAGE}.md"
    lines = article.read_text(encoding="utf-8").split("\n")
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    body = next(
        i
        for i in range(headings[1] + 1, len(lines))
        if lines[i] and not lines[i].startswith(("#", "|", "-", "!", " ", "<", "`", "="))
    )
    lines[body] = lines[body].replace("。", "（変更）。", 1)
    article.write_text("\n".join(lines), encoding="utf-8")
    (root / f"translations/ko/{FALLBACK_PAGE}.po").unlink()
    before = snapshot(root)
    result = run(["mkdocs", "build", "--strict"], root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root, before, snapshot(root)


def test_every_page_exists_in_every_language_with_its_translation(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    root, *_ = built
    site = root / "site"
    pages = [p.relative_to(root / "docs").as_posix()[:-3] for p in (root / "docs").rglob("*.md")]
    assert len(pages) >= 30
    for page in pages:
        url = page.removesuffix("index").rstrip("/")
        for lang in LANGS:
            po_file = root / f"translations/{lang}/{page}.po"
            if not po_file.exists():
                continue
            title = next(e.msgstr for e in polib.pofile(str(po_file)) if e.comment == "title")
            text = html(site, lang, url) if url else (site / lang / "index.html").read_text(encoding="utf-8")
            expected = title.replace("{{ exchange }}", "Hoshi Exchange").replace("&", "&amp;")
            assert f"<title>{expected}" in text or f">{expected}</h1>" in text, (lang, page)


def test_nothing_is_generated_into_docs_or_translations(built: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    _, before, after = built
    assert after == before


def test_faq_anchors_are_the_same_in_every_language(built: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    site = built[0] / "site"
    for lang in ("ja", *LANGS):
        page = html(site, lang, "security/two-factor-setup")
        assert 'id="lost-device"' in page, lang
        assert 'id="changing-phone"' in page, lang


def test_the_language_switcher_keeps_the_reader_on_the_same_article(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    page = html(built[0] / "site", "en", "security/two-factor-setup")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)"', page))
    targets = {lang: href for href, lang in links.items()}
    assert targets["ja"].endswith("security/two-factor-setup/")
    assert targets["ko"].endswith("ko/security/two-factor-setup/")
    assert targets["zh"].endswith("zh/security/two-factor-setup/")


def test_reviewed_pages_carry_no_notice(built: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    page = html(built[0] / "site", "zh", "security/two-factor-setup")
    assert 'data-translation-state="reviewed"' in page
    assert "hc-notice" not in page


def test_a_machine_translated_page_says_so_and_links_to_the_original(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    site = built[0] / "site"
    page = html(site, "en", MACHINE_PAGE)
    assert 'data-translation-state="machine"' in page
    assert "Machine-translated paragraph." in page
    assert "has not yet been reviewed" in page
    href = re.search(r'class="hc-notice__original" href="([^"]+)"', page)
    assert href is not None
    target = (site / "en" / MACHINE_PAGE / href.group(1) / "index.html").resolve()
    assert target == (site / MACHINE_PAGE / "index.html").resolve()
    assert 'data-translation-state="reviewed"' in html(site, "zh", MACHINE_PAGE)


def test_a_partly_outdated_page_names_the_changed_section_and_shows_it_in_japanese(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    root = built[0]
    page = html(root / "site", "en", STALE_PAGE)
    assert 'data-translation-state="partial"' in page
    assert "These sections have changed in the Japanese original" in page
    assert "（変更）" in re.search(r'<span class="hc-untranslated" lang="ja">(.*?)</span>', page, re.S).group(1)  # type: ignore[union-attr]
    section = re.search(r'hc-notice--partial.*?<li><a href="#([^"]+)">([^<]+)</a>', page, re.S)
    assert section is not None
    heading = re.search(rf'<h2 id="{re.escape(section.group(1))}">([^<]+)<', page)
    assert heading is not None
    assert section.group(2) == heading.group(1), "the section is named as the page shows it (translated)"


def test_a_page_without_translation_is_shown_in_japanese_and_claims_no_translation(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    page = html(built[0] / "site", "ko", FALLBACK_PAGE)
    assert 'data-translation-state="fallback"' in page
    assert "일본어로 표시됩니다" in page
    assert '<div lang="ja">' in page
    assert f'<link rel="canonical" href="https://help.hoshi-exchange.example/{FALLBACK_PAGE}/">' in page
    sitemap = (built[0] / "site/sitemap.xml").read_text(encoding="utf-8")
    assert f"/ko/{FALLBACK_PAGE}/" not in sitemap  # neither as a page nor as an alternate
    assert f"/en/{FALLBACK_PAGE}/" in sitemap


def test_the_sitemap_has_one_entry_per_url_and_alternates_that_agree(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    sitemap = (built[0] / "site/sitemap.xml").read_text(encoding="utf-8")
    entries = re.findall(r"<url>\s*<loc>([^<]+)</loc>(.*?)</url>", sitemap, re.S)
    locs = [loc for loc, _ in entries]
    assert len(locs) == len(set(locs)), "a URL listed twice"
    alternates = {loc: set(re.findall(r'hreflang="[^"]+" href="([^"]+)"', rest)) for loc, rest in entries}
    for loc, group in alternates.items():
        assert loc in group, loc
        for other in group:  # each alternate is a listed page, and names the same group
            assert alternates.get(other) == group, (loc, other)


def test_hreflang_alternates_are_in_the_sitemap_not_in_the_head(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    """Material fetches sitemap.xml next to every head alternate, which fails under static-i18n."""
    head = html(built[0] / "site", "en", "security/two-factor-setup").split("</head>")[0]
    assert 'rel="alternate" href' not in head
    assert "fonts.googleapis.com" not in head
    sitemap = (built[0] / "site/sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="ko" href="https://help.hoshi-exchange.example/ko/security/two-factor-setup/"' in sitemap


def test_placeholders_and_the_channel_table_are_expanded(built: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    site = built[0] / "site"
    channels = yaml.safe_load((ROOT / "data/channels.yml").read_text(encoding="utf-8"))
    for lang in ("ja", *LANGS):
        page = html(site, lang, "security/what-we-never-ask")
        assert "{{" not in page
        assert "Hoshi Exchange" in page
        assert channels["status_page"]["value"].removeprefix("https://") in page
    assert channels["status_page"]["label"]["ko"] in html(site, "ko", "security/what-we-never-ask")


def test_strict_articles_need_reviewed_translations(tmp_path: Path) -> None:
    """Security articles are not published from machine translation, even under `publish: machine`."""
    root = copy_site(tmp_path)
    po_file = root / "translations/en/security/two-factor-setup.po"
    po = polib.pofile(str(po_file))
    catalog.set_machine(plain_paragraph(po), "Machine text.", "deepl EN-US")
    po.save()
    result = run(["mkdocs", "build"], root)
    assert result.returncode == 0, result.stderr[-2000:]
    page = html(root / "site", "en", "security/two-factor-setup")
    assert 'data-translation-state="partial"' in page
    assert "Machine text." not in page
    assert '<span class="hc-untranslated" lang="ja">' in page  # the paragraph, in Japanese


def test_the_translation_status_page_shows_what_is_not_reviewed(
    built: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    page = html(built[0] / "site", "en", "translation-status")
    text = re.sub(r"<[^>]+>", " ", page)
    assert "Machine-translated" in text and "English" in text
    row = re.search(rf'href="[^"]*{MACHINE_PAGE}/"[^<]*</a>\s*</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>', page)
    assert row is not None, "the page with a machine unit is listed"
    assert row.group(2) == "1"  # its one machine-translated unit


def _render_counting(folder: Path, cache: BytecodeCache, lang: str) -> tuple[str, int]:
    """main.html of `folder` rendered in a new Jinja environment (as each language's build makes
    one), and how many templates it compiled."""
    env = Environment(loader=FileSystemLoader(folder), bytecode_cache=cache)
    compiled = 0
    compile_ = env.compile

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal compiled
        compiled += 1
        return compile_(*args, **kwargs)  # type: ignore[arg-type]

    env.compile = counting  # type: ignore[method-assign]
    return env.get_template("main.html").render(greeting="こんにちは", lang=lang), compiled


def test_templates_compiled_for_one_language_serve_the_next_and_an_edit_is_compiled_anew(tmp_path: Path) -> None:
    """The `helpcenter` plugin shares compiled templates between static-i18n's language builds (each
    has its own Jinja environment) and serve's rebuilds; a writer's edit to a template still shows."""
    cache = SharedBytecodeCache()
    (tmp_path / "main.html").write_text("{{ greeting }}, {{ lang }}", encoding="utf-8")
    assert _render_counting(tmp_path, cache, "ja") == ("こんにちは, ja", 1)
    assert _render_counting(tmp_path, cache, "en") == ("こんにちは, en", 0)  # the next language loads the bytecode
    (tmp_path / "main.html").write_text("{{ greeting }}! ({{ lang }})", encoding="utf-8")
    assert _render_counting(tmp_path, cache, "en") == ("こんにちは! (en)", 1)


def test_templates_compiled_by_one_build_process_serve_the_next_and_a_damaged_file_is_compiled_anew(
    tmp_path: Path,
) -> None:
    """`helpcenter build` runs a process per language: the bytecode one wrote to the build cache
    serves the others and the next build; a file that is not Jinja's bytecode costs a compile, not
    the build."""
    (tmp_path / "main.html").write_text("{{ greeting }}, {{ lang }}", encoding="utf-8")

    def process() -> SharedBytecodeCache:  # what each language's build starts with
        cache = SharedBytecodeCache()
        cache.folder = tmp_path / ".cache" / "templates"
        return cache

    assert _render_counting(tmp_path, process(), "ja") == ("こんにちは, ja", 1)
    assert _render_counting(tmp_path, process(), "en") == ("こんにちは, en", 0)
    for stored in (tmp_path / ".cache" / "templates").iterdir():
        stored.write_bytes(stored.read_bytes()[:20])
    assert _render_counting(tmp_path, process(), "zh") == ("こんにちは, zh", 1)
    assert _render_counting(tmp_path, process(), "ko") == ("こんにちは, ko", 0)  # written again, whole


REBUILDS = """
import gc
from mkdocs.commands.build import build
from mkdocs.config import load_config

frozen = []
for _ in range(3):  # as `mkdocs serve` rebuilds: one process, the config read again each time
    build(load_config("mkdocs.yml"))
    frozen.append(gc.get_freeze_count())
print(*frozen)
"""


def test_rebuilds_in_one_process_do_not_pile_up_what_earlier_builds_loaded(tmp_path: Path) -> None:
    """The `helpcenter` plugin takes the pages it loads out of the garbage collector's walks for the
    length of a build (gc.freeze); under `mkdocs serve` a rebuild must hand the last build's objects
    back, or a long writing session's memory grows with every save."""
    root = copy_site(tmp_path / "site")
    done = run(["python", "-c", REBUILDS], root)
    assert done.returncode == 0, done.stderr[-3000:]
    first, second, third = map(int, done.stdout.split()[-3:])
    assert first > 0
    assert third <= 1.02 * second, (first, second, third)  # steady; without the hand-back: +10 % a rebuild
