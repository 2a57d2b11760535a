"""The helpcenter-incidents plugin in a real build of a small copy of the site: hubs, badges and related
articles in each language, the active-incident banner on and off, the exports and the FAQ JSON-LD.

Three builds of a few pages (module fixtures) and two builds that stop in on_config."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

import jsonschema
import polib
import pytest

from helpcenter import catalog
from helpcenter.segment import parse
from sitekit import SMALL, copy_site, run, seed_site_words

PAGES = (*SMALL, "security/official-channels.md", "trading/wrong-asset-or-amount.md")
SCHEMAS = Path(__file__).resolve().parents[1] / "plugins" / "helpcenter" / "schemas"
LANGS = ("ja", "en", "zh", "ko")
OFF = {"HELPCENTER_ACTIVE_INCIDENT": "", "HELPCENTER_ACTIVE_INCIDENT_START": ""}
# English for a few pages; every other unit stays Japanese (so the pages pass QA) but is reviewed.
ENGLISH = {
    "incidents/outage.md": {"システム障害・取引停止": "Outages and trading halts"},
    "incidents/index.md": {"トラブル別の記事": "Articles by incident"},
    "security/official-channels.md": {
        "公式チャネルの一覧と見分け方": "Official channels",
        "新しい公式アカウントやアプリができることはありますか？": "Will there be new official accounts or apps?",
    },
}


def write_reviewed(root: Path, page: str, lang: str, english: dict[str, str]) -> None:
    """A complete, reviewed catalog for `page`: the given translations, the Japanese for the rest."""
    doc = parse(page, (root / "docs" / page).read_text(encoding="utf-8"))
    po = catalog.new_catalog(lang, page)
    seen: set[str] = set()
    for unit in doc.units:
        if unit.text not in seen:
            seen.add(unit.text)
            po.append(polib.POEntry(msgid=unit.text, msgstr=english.get(unit.text, unit.text)))
    catalog.save(po, catalog.catalog_path(root / "translations", lang, page))


def make_site(root: Path) -> Path:
    copy_site(root, PAGES)
    (root / "data" / "active_incident.yml").unlink(missing_ok=True)
    for lang in ("en", "zh", "ko"):
        shutil.rmtree(root / "translations" / lang, ignore_errors=True)
    seed_site_words(root, ("en", "zh", "ko"))
    for page, english in ENGLISH.items():
        write_reviewed(root, page, "en", english)
    return root


def build(root: Path, **env: str) -> Path:
    result = run(["mkdocs", "build"], root, **{**OFF, **env})
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def html(site: Path, lang: str, page: str) -> str:
    prefix = "" if lang == "ja" else f"{lang}/"
    return (site / f"{prefix}{page}/index.html").read_text(encoding="utf-8")


def target(site: Path, page_path: Path, href: str) -> Path:
    """The file a link of the page at `page_path` (under `site`) leads to."""
    base = "/" if href.startswith("/") else "/" + page_path.parent.relative_to(site).as_posix() + "/"
    path = posixpath.normpath(posixpath.join(base, href.split("#")[0])).lstrip("/")
    return site / path / "index.html" if not path.endswith(".html") else site / path


def block(text: str, css_class: str) -> str:
    m = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', text, flags=re.S)
    assert m, f"no {css_class} block"
    return m.group(0)


def links(fragment: str) -> list[tuple[str, str, str | None]]:
    """(href, text, lang) of each link, icons removed."""
    out = []
    for m in re.finditer(r"<a ([^>]*)>(.*?)</a>", fragment, flags=re.S):
        attrs, text = m.group(1), re.sub(r"<[^>]+>", "", re.sub(r"<svg.*?</svg>", "", m.group(2), flags=re.S)).strip()
        lang = re.search(r'\blang="([^"]+)"', attrs)
        href = re.search(r'href="([^"]*)"', attrs)
        assert href
        out.append((href.group(1), text, lang.group(1) if lang else None))
    return out


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("incidents"))


@pytest.fixture(scope="module")
def outage_site(site_root: Path) -> Path:
    """Built with an incident declared in the environment, then copied aside."""
    site = build(
        site_root, HELPCENTER_ACTIVE_INCIDENT="outage", HELPCENTER_ACTIVE_INCIDENT_START="2026-11-20T14:30:00+09:00"
    )
    kept = site_root.parent / "outage-site"
    shutil.copytree(site, kept)
    return kept


def test_hubs_list_their_articles_in_each_language_marking_japanese_fallbacks(outage_site: Path) -> None:
    en = outage_site / "en/incidents/outage/index.html"
    listed = links(block(en.read_text(encoding="utf-8"), "hc-incident-articles"))
    assert ("../../security/official-channels/", "Official channels", None) in listed
    assert all(target(outage_site, en, href).exists() for href, _, _ in listed)

    en_trade = html(outage_site, "en", "incidents/mistaken-trade")
    assert links(block(en_trade, "hc-incident-articles")) == [  # its first-aid article first (front matter)
        ("../../trading/wrong-asset-or-amount/", "銘柄や数量を間違えて注文した場合", "ja"),
        ("../../trading/what-can-be-undone/", "取り消せる操作と取り消せない操作", "ja"),
    ]
    assert en_trade.count('class="hc-lang-tag" lang="ja"') == 2 and ">日本語</span>" in en_trade

    ja_trade = html(outage_site, "ja", "incidents/mistaken-trade")
    assert [t for _, t, lang in links(block(ja_trade, "hc-incident-articles")) if lang is None] == [
        "銘柄や数量を間違えて注文した場合",
        "取り消せる操作と取り消せない操作",
    ]
    assert "hc-lang-tag" not in ja_trade

    index = block(html(outage_site, "en", "incidents"), "hc-incident-index")
    assert ("outage/", "Outages and trading halts", None) in links(index)
    assert re.search(r'data-incident="mistaken-trade" data-count="2">.*?2 articles', index, flags=re.S)
    assert "2 件の記事" in html(outage_site, "ja", "incidents")


def test_articles_show_badges_and_related_articles_in_the_readers_language(outage_site: Path) -> None:
    page = outage_site / "en/security/official-channels/index.html"
    badges = links(block(page.read_text(encoding="utf-8"), "hc-incident-badges"))
    assert badges == [
        ("../../incidents/phishing/", "フィッシング", "ja"),  # hub not translated: Japanese, marked
        ("../../incidents/outage/", "Outages and trading halts", None),
    ]
    assert all(target(outage_site, page, href).exists() for href, _, _ in badges)

    undo = outage_site / "trading/what-can-be-undone/index.html"
    related = links(block(undo.read_text(encoding="utf-8"), "hc-related"))
    assert related == [("../wrong-asset-or-amount/", "銘柄や数量を間違えて注文した場合", None)]
    assert "Related articles" in html(outage_site, "en", "trading/what-can-be-undone")
    assert "hc-incident-badges" not in html(outage_site, "en", "security")  # category pages have none


def test_the_banner_is_on_every_page_of_every_language_with_working_links(outage_site: Path) -> None:
    pages = sorted(outage_site.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        text = path.read_text(encoding="utf-8")
        banner = block(text, "hc-incident-banner")
        assert 'data-active-incident="outage"' in banner, path
        assert "2026-11-20 14:30 JST / 2026-11-20 05:30 UTC" in banner
        lang = re.search(r'<html lang="([^"]+)"', text)
        assert lang, path
        prefix = "" if lang.group(1) == "ja" else f"{lang.group(1)}/"  # 404.html is the last language built
        hub, channels = [href for href, _, _ in links(banner)]
        assert target(outage_site, path, hub) == outage_site / f"{prefix}incidents/outage/index.html", path
        assert target(outage_site, path, channels) == outage_site / f"{prefix}security/official-channels/index.html"
    en = block(html(outage_site, "en", "trading"), "hc-incident-banner")
    assert "Ongoing incident:" in en and "Outages and trading halts" in en and "official channels" in en
    assert "現在発生中の事象" in block(html(outage_site, "ja", "trading"), "hc-incident-banner")
    assert 'lang="ja"' in block(html(outage_site, "ko", "trading"), "hc-incident-banner")  # label in Japanese


def test_exports_per_language_follow_the_schemas(outage_site: Path) -> None:
    for name in ("faq", "incidents"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for lang in LANGS:
            data = json.loads(
                (outage_site / ("" if lang == "ja" else lang) / f"{name}.json").read_text(encoding="utf-8")
            )
            validator.validate(data)
            assert data["language"] == lang
    faq = json.loads((outage_site / "en/faq.json").read_text(encoding="utf-8"))["items"]
    by_id = {item["id"]: item for item in faq}
    new = by_id["security/official-channels#new-channels"]
    assert new["question"] == "Will there be new official accounts or apps?"
    assert (new["url"], new["language"], new["translation_state"]) == (
        "/en/security/official-channels/#new-channels",
        "en",
        "reviewed",
    )
    assert new["answer"].startswith("公式チャネルを追加したり")  # the unit left Japanese in this test
    lost = by_id["security/two-factor-setup#lost-device"]
    assert (lost["language"], lost["translation_state"], lost["incidents"]) == (
        "ja",
        "fallback",
        ["hacking", "phishing"],
    )
    types = {t["id"]: t for t in json.loads((outage_site / "incidents.json").read_text(encoding="utf-8"))["types"]}
    assert list(types) == ["hacking", "mistaken-trade", "outage", "phishing"]
    trade = types["mistaken-trade"]
    assert (trade["url"], trade["article_count"], trade["language"]) == ("/incidents/mistaken-trade/", 2, "ja")
    assert [a["url"] for a in trade["articles"]] == ["/trading/wrong-asset-or-amount/", "/trading/what-can-be-undone/"]


def test_faq_pages_carry_faqpage_json_ld_in_the_language_of_their_text(outage_site: Path) -> None:
    def jsonld(lang: str, page: str) -> dict[str, object]:
        m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html(outage_site, lang, page), flags=re.S)
        assert m, (lang, page)
        return json.loads(m.group(1))

    en = jsonld("en", "security/official-channels")
    assert en["@type"] == "FAQPage" and en["inLanguage"] == "en"
    assert en["mainEntity"][0]["name"] == "Will there be new official accounts or apps?"  # type: ignore[index]
    assert jsonld("zh", "security/official-channels")["inLanguage"] == "ja"  # served in Japanese
    assert "application/ld+json" not in html(outage_site, "en", "incidents/outage")


def test_a_declaration_file_shows_its_note_and_removing_it_removes_the_banner(
    site_root: Path, outage_site: Path
) -> None:
    declaration = site_root / "data" / "active_incident.yml"
    declaration.write_text(
        "id: phishing\nstarted_at: 2026-11-21T09:00:00Z\nnote:\n  ja: 当社を装うSMSが送られています。\n"
        "  en: Fake text messages are being sent in our name.\n",
        encoding="utf-8",
    )
    site = build(site_root)
    en = block(html(site, "en", "security/official-channels"), "hc-incident-banner")
    assert 'data-active-incident="phishing"' in en and "2026-11-21 18:00 JST / 2026-11-21 09:00 UTC" in en
    assert "Fake text messages are being sent in our name." in en
    assert '<p class="hc-incident-banner__note" lang="ja">当社を装うSMSが送られています。</p>' in block(
        html(site, "ko", "trading"), "hc-incident-banner"
    )

    declaration.unlink()
    site = build(site_root)
    for path in site.rglob("*.html"):
        assert "data-active-incident" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("env", "edit", "message"),
    [
        (
            {},
            ("docs/trading/what-can-be-undone.md", "incidents: [mistaken-trade]", "incidents: [mistaken-trad]"),
            "docs/trading/what-can-be-undone.md:5: error: unknown incident type 'mistaken-trad' "
            "(did you mean 'mistaken-trade'?)",
        ),
        (
            {"HELPCENTER_ACTIVE_INCIDENT": "outge"},
            None,
            "HELPCENTER_ACTIVE_INCIDENT: unknown incident type 'outge' (did you mean 'outage'?); "
            "known: hacking, mistaken-trade, outage, phishing",
        ),
    ],
    ids=["unknown id in an article", "unknown active incident"],
)
def test_an_unknown_incident_id_stops_the_build_naming_file_and_closest_id(
    tmp_path: Path, env: dict[str, str], edit: tuple[str, str, str] | None, message: str
) -> None:
    root = make_site(tmp_path)
    if edit:
        file = root / edit[0]
        text = file.read_text(encoding="utf-8")
        assert edit[1] in text
        file.write_text(text.replace(edit[1], edit[2]), encoding="utf-8")
    result = run(["mkdocs", "build"], root, **{**OFF, **env})
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
