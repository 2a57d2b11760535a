"""An edit to a reviewed article never takes it away from readers: the changed or new unit is shown in
Japanese (marked `lang="ja"`) inside the page in the reader's language, and nothing outdated or
unreviewed reaches the page, its search index, its FAQ JSON-LD or faq.json."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import polib
import pytest

from helpcenter import catalog, policy
from helpcenter.catalog import Merged, State, merge
from helpcenter.guard import Guard
from helpcenter.project import Language
from helpcenter.safety import Renderer
from helpcenter.segment import Document, parse
from sitekit import SMALL, copy_site, run

PAGE = "security/two-factor-setup"  # a strict (security) article, fully reviewed in the repository
EDITED = "古いスマートフォンが使えるうちに、新しいスマートフォンに認証アプリを入れておきます。"  # under #changing-phone
NEW = "機種変更の予定が決まったら、まず設定キーの控えがあるかを確かめてください。"
AFTER = "認証アプリのデータはスマートフォンの中にあるため"  # the first words of the paragraph NEW follows
HELD = re.compile(r'<span class="hc-untranslated" lang="ja">(.*?)</span>', re.S)


def english(root: Path) -> polib.POFile:
    return polib.pofile(str(root / f"translations/en/{PAGE}.po"))


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, polib.POFile]:
    """The small site with one word of one reviewed paragraph changed and a new paragraph added."""
    root = copy_site(tmp_path_factory.mktemp("partial"), SMALL)
    before = english(root)
    article = root / f"docs/{PAGE}.md"
    text = article.read_text(encoding="utf-8")
    assert EDITED in text
    text = text.replace(EDITED, EDITED.replace("入れておきます", "インストールしておきます"))
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(AFTER))
    lines[at + 1 : at + 1] = ["", NEW]
    article.write_text("\n".join(lines), encoding="utf-8")
    result = run(["mkdocs", "build"], root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root, before


def translation_of(po: polib.POFile, startswith: str) -> str:
    return next(e.msgstr for e in po if e.msgid.startswith(startswith))


def heading(po: polib.POFile, japanese: str) -> str:
    return next(e.msgstr for e in po if e.msgid == japanese)


def test_the_english_page_stays_english_but_the_changed_and_new_paragraphs(
    edited: tuple[Path, polib.POFile],
) -> None:
    root, po = edited
    page = (root / f"site/en/{PAGE}/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page
    assert 'data-translation-state="partial"' in page
    held = [re.sub(r"<[^>]+>", "", h) for h in HELD.findall(page)]
    assert len(held) == 2 and held[0] == NEW
    assert held[1].startswith(EDITED.replace("入れておきます", "インストールしておきます"))
    assert translation_of(po, EDITED[:20]) not in page, "never the outdated translation"
    for entry in po:  # every other reviewed unit is shown as before (plain paragraphs: as written)
        plain = entry.comment.startswith("paragraph") and not re.search(r"[`*\[{<]", entry.msgstr)
        if plain and not entry.msgid.startswith(EDITED[:20]):
            assert entry.msgstr in page
    assert "<title>" + heading(po, "二段階認証を設定する") in page


def test_the_notice_names_the_changed_sections_in_english_and_links_the_original(
    edited: tuple[Path, polib.POFile],
) -> None:
    root, po = edited
    page = (root / f"site/en/{PAGE}/index.html").read_text(encoding="utf-8")
    notice = re.search(r'<aside class="hc-notice hc-notice--partial.*?</aside>', page, re.S)
    assert notice is not None
    assert "These sections have changed in the Japanese original" in notice.group(0)
    named = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', notice.group(0))
    assert [title for _, title in named] == [  # by their English headings, as the page shows them
        heading(po, "機種変更・紛失に備える"),
        heading(po, "機種変更の前に何をすればよいですか？"),
    ]
    for anchor, title in named:  # each links its section on the page
        assert re.search(rf'<h[23] id="{re.escape(anchor)}">{re.escape(title)}<', page), anchor
    original = re.search(r'class="hc-notice__original" href="([^"]+)" hreflang="ja"', notice.group(0))
    assert original is not None
    assert (root / f"site/en/{PAGE}" / original.group(1) / "index.html").resolve() == (
        root / f"site/{PAGE}/index.html"
    ).resolve()


def test_faq_json_ld_and_search_carry_nothing_outdated(edited: tuple[Path, polib.POFile]) -> None:
    root, po = edited
    site = root / "site"
    outdated = translation_of(po, EDITED[:20])
    faq = json.loads((site / "en/faq.json").read_text(encoding="utf-8"))["items"]
    mine = {item["anchor"]: item for item in faq if item["page"] == f"{PAGE}.md"}
    # the question whose answer changed is left out (its answer is not in English yet); the others stay
    assert "changing-phone" not in mine
    assert mine["lost-device"]["question"] == heading(po, "スマートフォンを紛失した場合は？")
    assert mine["lost-device"]["translation_state"] == "partial" and mine["lost-device"]["language"] == "en"
    assert outdated not in json.dumps(faq, ensure_ascii=False)
    page = (site / f"en/{PAGE}/index.html").read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    questions = [q["name"] for q in ld["mainEntity"]]
    assert heading(po, "機種変更の前に何をすればよいですか？") not in questions
    assert heading(po, "スマートフォンを紛失した場合は？") in questions
    assert outdated not in json.dumps(ld, ensure_ascii=False)
    indexed = pagefind_content(site / "pagefind/en", f"/en/{PAGE}/")
    assert heading(po, "機種変更・紛失に備える") in indexed
    assert outdated not in indexed
    assert NEW in indexed  # the Japanese text the page shows is what the English index finds it by


def pagefind_content(bundle: Path, url: str) -> str:
    """The text Pagefind indexed for one page (its fragment files are gzipped JSON)."""
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{") :])
        if fragment["url"] == url:
            return str(fragment["content"])
    raise AssertionError(f"{url} is not in {bundle}")


def strict_page(entries: dict[str, tuple[str, bool]]) -> tuple[Document, Merged]:
    """A page whose catalog holds `entries` (Japanese -> (translation, reviewed))."""
    source = "---\ntitle: 題名\n---\n\n## 見出し\n\n段落一。\n\n段落二。\n\n| 列 |\n| --- |\n| セル |\n"
    doc = parse("security/x.md", source)
    po = polib.POFile()
    for msgid, (msgstr, reviewed) in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=[] if reviewed else ["fuzzy"]))
    return doc, merge(doc.units, po, "docs/security/x.md")


def test_only_reviewed_units_are_shown_and_nothing_reviewed_means_the_whole_page_in_japanese() -> None:
    lang = Language("en", "English", "EN-US")
    reviewed = {"題名": ("Title", True), "見出し": ("Heading", True), "段落一。": ("One.", True)}
    doc, merged = strict_page({**reviewed, "段落二。": ("Two (machine).", False), "セル": ("Cell", True)})
    shown = policy.publish_page(doc, merged, lang, strict=True)
    assert shown.state == "partial" and shown.text is not None
    assert "Two (machine)." not in shown.text
    assert '<span class="hc-untranslated" lang="ja">段落二。</span>' in shown.text
    assert "One." in shown.text and "| Cell |" in shown.text
    assert [s.title for s in shown.stale_sections] == ["Heading"]
    doc, merged = strict_page({"段落一。": ("One.", False)})
    assert policy.publish_page(doc, merged, lang, strict=True).state == "fallback"
    doc, merged = strict_page({"題名": ("Title", True)})  # a translated title alone: still a Japanese page
    assert policy.publish_page(doc, merged, lang, strict=True).state == "fallback"
    doc, merged = strict_page({k: (v, True) for k, (v, _) in {**reviewed, "段落二。": ("Two.", True)}.items()})
    assert merged.entries and State.MISSING in {catalog.state(e) for e in merged.entries}  # the cell is new
    assert policy.publish_page(doc, merged, lang, strict=True).state == "partial"


@pytest.mark.parametrize(
    "markdown",
    [
        "## {} {{ #sec }}",
        "{}\n",
        "- one\n- {}\n",
        "| a |\n| --- |\n| {} |\n",
        '!!! warning "{}"\n    body\n',
        '=== "{}"\n\n    body\n',
        "> {}\n",
    ],
)
def test_a_held_unit_is_marked_japanese_in_every_kind_of_block_and_passes_the_guard(markdown: str) -> None:
    source = markdown.format("日本語の**文**")
    doc = parse("x.md", source)
    (index,) = [i for i, u in enumerate(doc.units) if "日本語" in u.text]
    text = doc.render({index: policy.held(doc.units[index], "ja")})
    renderer = Renderer(
        ["admonition", "attr_list", "md_in_html", "tables", "pymdownx.superfences", "pymdownx.tabbed", "toc"],
        {"pymdownx.tabbed": {"alternate_style": True}},
    )
    html = renderer.convert(text)
    assert re.search(
        r"""<span class=["']hc-untranslated["'] lang=["']ja["']>日本語の<strong>文</strong></span>""", html
    )
    assert Guard(frozenset(), []).scan(f"<html><body>{html}</body></html>").problems == []
