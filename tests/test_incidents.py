"""Incident types without MkDocs: the registry, what readers of each language see, the active-incident
declaration and the exports (helpcenter.incidents), and FAQ extraction (helpcenter.faq)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from conftest import article, make_project
from helpcenter import incidents
from helpcenter.corpus import Corpus, load_corpus
from helpcenter.faq import faq_jsonld, page_faq
from helpcenter.incidents import IncidentError
from helpcenter.policy import PageTranslation
from helpcenter.project import load

SCHEMAS = Path(incidents.__file__).parent / "schemas"
FAQ_BODY = """\
    最初の段落です。

    ## よくある質問

    ### 二段階認証のコードが届きません？ { #no-code }

    {{ exchange }} からの SMS は [公式チャネル](../security/official-channels.md) に載っている番号から届きます。

    1. 電波を確認します。
    2. `123456` のようなコードを入力します。

    | 項目 | 内容 |
    | --- | --- |
    | 番号 | 0120 |

    !!! tip "ヒント"
        しばらく待ってください。

    #### 補足

    補足の本文です。

    ### 機種変更したら？ { #new-phone }

    設定をやり直してください。

    ## 関連

    関連の本文は答えに含まれません。
    """


def corpus_of(tmp_path: Path, pages: dict[str, str]) -> Corpus:
    root = make_project(tmp_path, pages)
    corpus = load_corpus(load(root / "mkdocs.yml"))
    assert [str(f) for f in corpus.findings if f.level == "error"] == []
    return corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return corpus_of(
        tmp_path,
        {
            "security/two-factor.md": article(
                "二段階認証", FAQ_BODY, category="security", incidents=["phishing", "hacking"]
            ),
            "security/passwords.md": article(
                "パスワード", "本文。", category="security", incidents=["hacking", "phishing"]
            ),
            "security/alerts.md": article("ログイン通知", "本文。", category="security", incidents=["hacking"]),
            "trading/undo.md": article("取り消せる操作", "本文。", category="trading", incidents=["mistaken-trade"]),
            "support/contact.md": article("お問い合わせ", "本文。", incidents=["phishing", "outage"]),
            "support/languages.md": article("対応言語", "本文。"),
        },
    )


def translated(corpus: Corpus, page: str, lang: str, title: str, state: str = "reviewed") -> PageTranslation:
    """A published translation whose only difference from the Japanese is its title."""
    doc = corpus.docs[page]
    text = doc.render({0: title}, ids=True)
    return PageTranslation(page, lang, state, text, Counter())


def test_each_hub_file_is_an_incident_type_and_adding_one_adds_a_type(tmp_path: Path) -> None:
    pages = {"trading/undo.md": article("取り消せる操作", "本文。", category="trading", incidents=["mistaken-trade"])}
    reg = incidents.registry(corpus_of(tmp_path / "a", pages))
    assert list(reg.types) == ["mistaken-trade"]
    assert reg.types["mistaken-trade"].icon == "material/undo"

    pages["incidents/scam-call.md"] = (
        "---\ntitle: 詐欺電話\ndescription: 電話のとき。\nicon: material/phone-alert\n---\n"
    )
    pages["support/calls.md"] = article("電話", "本文。", incidents=["scam-call"])
    reg = incidents.registry(corpus_of(tmp_path / "b", pages))
    assert list(reg.types) == ["mistaken-trade", "scam-call"]
    assert reg.types["scam-call"] == incidents.IncidentType(
        "scam-call", "material/phone-alert", "incidents/scam-call.md"
    )
    assert reg.articles_of("scam-call") == ["support/calls.md"]


def test_an_unknown_incident_id_is_reported_with_file_line_and_closest_id(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"trading/undo.md": article("取り消せる操作", "本文。", category="trading", incidents=["outage"])}
    )
    page = root / "docs" / "trading" / "undo.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("incidents: [outage]", "incidents: [outge]"), encoding="utf-8"
    )
    findings = [str(f) for f in load_corpus(load(root / "mkdocs.yml")).findings if f.level == "error"]
    assert len(findings) == 1
    assert findings[0].startswith(
        "docs/trading/undo.md:5: error: unknown incident type 'outge' (did you mean 'outage'?)"
    )


def test_related_articles_share_most_types_first_then_title_at_most_five(tmp_path: Path) -> None:
    pages = {"security/a.md": article("A", "本文。", category="security", incidents=["hacking", "phishing", "outage"])}
    for title, ids in {
        "E": ["hacking", "phishing"],
        "B": ["hacking"],
        "D": ["phishing"],
        "C": ["outage"],
        "F": ["hacking", "phishing", "outage"],
        "G": ["mistaken-trade"],
        "H": ["outage"],
    }.items():
        pages[f"support/{title.lower()}.md"] = article(title, "本文。", incidents=ids)
    reg = incidents.registry(corpus_of(tmp_path, pages))
    titles = {p: p.split("/")[1][0].upper() for p in reg.articles}
    ranked = reg.related("security/a.md", titles.__getitem__)
    assert [titles[p] for p in ranked] == ["F", "E", "B", "C", "D"]  # 3 shared, 2, then 1 by title; G shares none
    assert reg.related("support/g.md", titles.__getitem__) == []


def test_readers_see_translated_labels_where_published_and_japanese_marked_elsewhere(corpus: Corpus) -> None:
    shown = {
        ("incidents/phishing.md", "en"): translated(corpus, "incidents/phishing.md", "en", "Phishing"),
        ("security/passwords.md", "en"): translated(corpus, "security/passwords.md", "en", "Passwords"),
    }
    loc = incidents.localize(corpus, shown, "en")
    url = lambda page: "/en/" + page  # noqa: E731

    badges = loc.badges("security/two-factor.md", url)
    assert [(b.id, b.title, b.lang, b.url) for b in badges] == [
        ("phishing", "Phishing", None, "/en/incidents/phishing.md"),
        ("hacking", "ハッキング・不正流出", "ja", "/en/incidents/hacking.md"),
    ]
    hub = loc.hub("hacking", url)  # by title in the reader's language: Latin before kana
    assert [(a.title, a.lang) for a in hub] == [("Passwords", None), ("ログイン通知", "ja"), ("二段階認証", "ja")]
    assert loc.pages["security/alerts.md"].state == "fallback"
    related = loc.related("security/two-factor.md", url)
    assert [r.title for r in related] == ["Passwords", "お問い合わせ", "ログイン通知"]
    assert [(t.id, t.count, t.count_label) for t in loc.index(url)] == [
        ("hacking", 3, "3 articles"),
        ("mistaken-trade", 1, "1 article"),
        ("outage", 1, "1 article"),
        ("phishing", 3, "3 articles"),
    ]
    assert incidents.localize(corpus, shown, "ja").index(url)[0].count_label == "3 件の記事"


def test_links_to_pages_the_site_does_not_build_are_left_out(corpus: Corpus) -> None:
    loc = incidents.localize(corpus, {}, "ja")
    url = lambda page: None if page == "security/alerts.md" else page  # noqa: E731
    assert [a.page for a in loc.hub("hacking", url)] == ["security/passwords.md", "security/two-factor.md"]


def test_declaration_file_gives_id_start_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "active_incident.yml"
    path.write_text(
        "id: outage\nstarted_at: 2026-11-20T14:30:00+09:00\n"
        "note:\n  ja: 復旧作業中です。\n  en: We are restoring service.\n",
        encoding="utf-8",
    )
    active = incidents.load_declaration(path, {}, dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert active is not None
    active = incidents.check_declaration(active, ["outage", "phishing"], "ja")
    assert active.id == "outage"
    assert (active.started_jst, active.started_utc, active.started_iso) == (
        "2026-11-20 14:30 JST",
        "2026-11-20 05:30 UTC",
        "2026-11-20T05:30:00Z",
    )
    assert active.note("en", "ja") == ("We are restoring service.", "en")
    assert active.note("ko", "ja") == ("復旧作業中です。", "ja")  # shown in Japanese, marked so
    path.write_text("", encoding="utf-8")
    assert incidents.load_declaration(path, {}, dt.datetime.now(dt.UTC)) is None
    path.unlink()
    assert incidents.load_declaration(path, {}, dt.datetime.now(dt.UTC)) is None


def test_environment_declaration_wins_and_starts_now_by_default(tmp_path: Path) -> None:
    path = tmp_path / "active_incident.yml"
    path.write_text("id: phishing\nstarted_at: 2026-11-20T00:00:00Z\n", encoding="utf-8")
    now = dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC)
    active = incidents.load_declaration(path, {incidents.ENV_ID: "outage"}, now)
    assert active is not None and (active.id, active.started_at) == ("outage", now)
    env = {incidents.ENV_ID: "outage", incidents.ENV_START: "2026-11-21T09:15:00+09:00"}
    active = incidents.load_declaration(path, env, now)
    assert active is not None and active.started_utc == "2026-11-21 00:15 UTC"


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("id: outage\nstarted_at: 2026-11-20T14:30:00\n", {}, "has no timezone"),
        ("id: outage\nstarted_at: yesterday\n", {}, "not an ISO 8601 time"),
        ("started_at: 2026-11-20T14:30:00Z\n", {}, "missing `id:`"),
        (
            "",
            {incidents.ENV_ID: "outage", incidents.ENV_START: "2026-11-20 14:30"},
            f"{incidents.ENV_START}: 2026-11-20 14:30 has no timezone",
        ),
    ],
)
def test_a_wrong_declaration_says_what_to_fix(tmp_path: Path, text: str, env: dict[str, str], message: str) -> None:
    path = tmp_path / "active_incident.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IncidentError, match=message):
        incidents.load_declaration(path, env, dt.datetime.now(dt.UTC), "data/active_incident.yml")


def test_an_unknown_active_incident_names_the_known_ids(tmp_path: Path) -> None:
    path = tmp_path / "active_incident.yml"
    path.write_text("# declared by ops\nid: outtage\nstarted_at: 2026-11-20T14:30:00+09:00\n", encoding="utf-8")
    active = incidents.load_declaration(path, {}, dt.datetime.now(dt.UTC), "data/active_incident.yml")
    assert active is not None
    with pytest.raises(IncidentError) as err:
        incidents.check_declaration(active, ["hacking", "outage", "phishing"], "ja")
    assert str(err.value).startswith(
        "data/active_incident.yml:2: unknown incident type 'outtage' (did you mean 'outage'?); "
        "known: hacking, outage, phishing"
    )
    env_active = incidents.load_declaration(path, {incidents.ENV_ID: "nope"}, dt.datetime.now(dt.UTC))
    assert env_active is not None
    with pytest.raises(
        IncidentError, match=f"^{incidents.ENV_ID}: unknown incident type 'nope'; known: hacking, outage"
    ):
        incidents.check_declaration(env_active, ["hacking", "outage", "phishing"], "ja")


def test_faq_answers_are_plain_text_up_to_the_next_heading_of_the_same_level(corpus: Corpus) -> None:
    loc = incidents.localize(corpus, {}, "ja")
    items = loc.faq("security/two-factor.md")
    assert [(i.anchor, i.question) for i in items] == [
        ("no-code", "二段階認証のコードが届きません？"),
        ("new-phone", "機種変更したら？"),
    ]
    assert items[0].answer.split("\n") == [
        # the placeholder expanded, a link's text kept
        "Hoshi Exchange からの SMS は 公式チャネル に載っている番号から届きます。",
        "1. 電波を確認します。",
        "2. 123456 のようなコードを入力します。",
        "項目 | 内容",
        "番号 | 0120",
        "ヒント",
        "しばらく待ってください。",
        "補足",  # a lower heading belongs to the answer
        "補足の本文です。",
    ]
    assert items[1].answer == "設定をやり直してください。"  # ends at the next ## heading


def test_translated_faq_keeps_the_japanese_questions_and_anchors(corpus: Corpus) -> None:
    page = "security/two-factor.md"
    doc = corpus.docs[page]
    heading = next(i for i, u in enumerate(doc.units) if u.text == "機種変更したら？")
    text = doc.render({0: "Two-factor", heading: "After changing phones"}, ids=True)  # no question mark
    loc = incidents.localize(corpus, {(page, "en"): PageTranslation(page, "en", "machine", text, Counter())}, "en")
    assert [(i.anchor, i.question) for i in loc.faq(page)][1] == ("new-phone", "After changing phones")
    jsonld = faq_jsonld(loc.faq(page), "en")
    assert jsonld["@type"] == "FAQPage" and jsonld["inLanguage"] == "en"
    assert jsonld["mainEntity"][1] == {
        "@type": "Question",
        "name": "After changing phones",
        "acceptedAnswer": {"@type": "Answer", "text": "設定をやり直してください。"},
    }


def test_the_faq_kept_in_the_page_cache_is_what_each_language_extracts(corpus: Corpus) -> None:
    page = "security/two-factor.md"
    doc = corpus.docs[page]
    heading = next(i for i, u in enumerate(doc.units) if u.text == "機種変更したら？")
    text = doc.render({heading: "After changing phones"}, ids=True)
    kept = page_faq(doc, {"ja": None, "en": text, "ko": None}, corpus.expander)
    japanese = [("no-code", "二段階認証のコードが届きません？"), ("new-phone", "機種変更したら？")]
    assert [(i.anchor, i.question) for i in kept["ja"]] == japanese
    assert [(i.anchor, i.question) for i in kept["ko"]] == japanese  # a page shown in Japanese
    assert [(i.anchor, i.question) for i in kept["en"]] == [japanese[0], ("new-phone", "After changing phones")]
    assert kept["en"][1].answer == kept["ja"][1].answer == "設定をやり直してください。"
    assert kept["ja"][0].answer.startswith("Hoshi Exchange からの SMS は")  # expanded like the page
    hub = next(doc for path, doc in corpus.docs.items() if path.startswith("incidents/"))
    assert page_faq(hub, {"ja": None}, corpus.expander) == {}  # only articles have a FAQ


def test_exports_follow_their_schemas_and_mark_fallbacks(corpus: Corpus) -> None:
    shown = {
        ("security/two-factor.md", "en"): translated(corpus, "security/two-factor.md", "en", "Two-factor", "machine")
    }
    loc = incidents.localize(corpus, shown, "en")
    url = lambda page: "/en/" + page.removesuffix(".md") + "/"  # noqa: E731
    faq, types = incidents.faq_export(loc, url), incidents.incidents_export(loc, url)
    for name, data in (("faq", faq), ("incidents", types)):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    first = faq["items"][0]
    assert first["id"] == "security/two-factor#no-code"
    assert first["url"] == "/en/security/two-factor/#no-code"
    assert (first["language"], first["translation_state"], first["category"]) == ("en", "machine", "security")
    assert (first["incidents"], first["last_reviewed"]) == (["phishing", "hacking"], "2026-11-20")
    hacking = next(t for t in types["types"] if t["id"] == "hacking")
    assert hacking["article_count"] == 3 and hacking["language"] == "ja" and hacking["url"] == "/en/incidents/hacking/"
    assert [(a["title"], a["language"], a["translation_state"]) for a in hacking["articles"]] == [
        ("Two-factor", "en", "machine"),
        ("パスワード", "ja", "fallback"),
        ("ログイン通知", "ja", "fallback"),
    ]
