"""Site search indexing (helpcenter.search) on a small hand-made site: one index per language, pages
shown in Japanese indexed apart, Chinese and Japanese indexed character by character."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpcenter import glossary, search, vocabulary


def page(lang: str, title: str, body: str, state: str = "reviewed") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
        f'<nav>ナビゲーション navigation</nav><div class="md-content">'
        f'<article class="md-content__inner md-typeset" data-translation-state="{state}">'
        f'<aside class="hc-notice"><p>notice text</p></aside><h1>{title}</h1><p>{body}</p></article></div>'
        "</body></html>"
    )


def write(site: Path, rel: str, html: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def entry_counts(bundle: Path) -> dict[str, int]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: v["page_count"] for lang, v in entry["languages"].items()}


def test_spaced_separates_kana_and_han_in_text_only() -> None:
    html = '<p class="認証">認証アプリ（Google Authenticator）を使う。</p><script>var a = "漢字";</script>二段階'
    assert search.spaced(html) == (
        '<p class="認証">認 証 ア プ リ（Google Authenticator）を 使 う。</p><script>var a = "漢字";</script>二 段 階'
    )
    page = '<title>二段階</title><article class="md-content__inner"><h1>二段階</h1></article><nav>二段階</nav>'
    assert search.spaced(page) == (  # only the indexed article is spaced
        '<title>二段階</title><article class="md-content__inner"><h1>二 段 階</h1></article><nav>二段階</nav>'
    )


def test_pagefind_reads_the_language_and_the_article_only() -> None:
    indexed = search.indexable(page("en", "Home", "Welcome."))
    assert indexed.startswith('<html lang="en">')
    assert "<h1>Home</h1><p>Welcome.</p></article>" in indexed
    assert "navigation" not in indexed


def test_each_language_is_indexed_and_a_page_shown_in_japanese_is_indexed_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", page("ja", "ホーム", "ヘルプセンターへようこそ。"))
    write(site, "support/index.html", page("ja", "対応言語", "サポート窓口は四つの言語に対応しています。"))
    write(site, "en/index.html", page("en", "Home", "Welcome to the help center."))
    write(
        site, "en/support/index.html", page("en", "対応言語", "サポート窓口は四つの言語に対応しています。", "fallback")
    )
    write(site, "404.html", page("ja", "404", "見つかりません"))

    summary = search.build(site, default="ja", default_name="日本語")

    assert dict(summary.pages) == {"ja": 2, "en": 1}
    assert summary.fallbacks == {"en": ["/en/support/"]}
    manifest = json.loads((site / "pagefind/helpcenter.json").read_text(encoding="utf-8"))
    assert manifest == {
        "default": "ja",
        "name": "日本語",
        "spaced": ["ja", "zh"],
        "fallback": {"en": {"pages": {"/en/support/": "/support/"}}},
        "vocabulary": {},
    }
    # a bundle per language, loaded by its pages' search.js; the page shown in Japanese is in the
    # Japanese one, once (in the English one only by its English title, which it has not here)
    for lang, count in {"ja": 2, "en": 1}.items():
        assert entry_counts(site / "pagefind" / lang) == {lang: count}
        assert (site / "pagefind" / lang / "pagefind.js").exists()
        assert not (site / "pagefind" / lang / "pagefind-ui.js").exists()  # Material's search box is the UI
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["en", "helpcenter.json", "ja"]
    assert any((site / "pagefind/ja/filter").iterdir())  # shown:en, which English searches are limited to
    assert set(search.bundle_bytes(site)) == {"ja", "en"}


def test_a_page_shown_in_japanese_is_filtered_into_the_languages_that_show_it() -> None:
    indexed = search.indexable(page("ja", "対応言語", "本文"), shown_in=["en", "zh-Hant"])
    assert '<span data-pagefind-filter="shown:en"></span><span data-pagefind-filter="shown:zh-hant"></span>' in indexed
    stub = search.stub(
        page("en", '対応言語<a class="headerlink" href="#x">¶</a>', "本文は日本語です。", "fallback"),
        "Supported languages <script>",
    )
    assert '<h1 data-pagefind-ignore="index">対応言語</h1>' in stub  # the title shown, indexed in Japanese only
    assert '<p data-pagefind-weight="7">Supported languages &lt;script&gt;</p>' in stub
    assert "本文" not in stub


def test_a_rebuild_replaces_the_bundles_and_drops_what_is_no_longer_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", page("ja", "ホーム", "ようこそ。"))
    write(site, "en/index.html", page("en", "Home", "Welcome.", "fallback"))
    write(site, "ko/index.html", page("ko", "홈", "환영합니다."))
    search.build(site, default="ja")
    assert (site / "pagefind/ko").is_dir()
    assert not (site / "pagefind/en").exists()  # nothing in English: English readers search the Japanese bundle
    write(site, "pagefind/pagefind.js", "// a bundle of an older layout")
    write(site, "pagefind/fallback/en/pagefind-entry.json", "{}")

    write(site, "en/index.html", page("en", "Home", "Welcome, now translated."))  # reviewed now
    (site / "ko/index.html").unlink()  # Korean no longer built
    summary = search.build(site, default="ja")

    assert dict(summary.pages) == {"ja": 1, "en": 1} and summary.fallbacks == {}
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["en", "helpcenter.json", "ja"]
    assert entry_counts(site / "pagefind/en") == {"en": 1}


def test_the_vocabulary_joins_readers_words_with_the_glossary(tmp_path: Path) -> None:
    terms = glossary.Glossary({"二段階認証": {"en": "two-factor authentication", "ko": "2단계 인증"}})
    path = tmp_path / "search.yml"
    path.write_text(
        "synonyms:\n  - {term: 二段階認証, ja: [２ＦＡ], en: [2FA, Two Factor], zh: [两步验证]}\n"
        "stopwords: {en: [how, 'on']}\nendings: {ko: [을, 에서]}\n",
        encoding="utf-8",
    )
    words = vocabulary.load(path, terms, "ja")
    assert words["ja"]["groups"] == [["2fa", "二段階認証"]]  # full-width folded, the term itself joined
    assert words["en"]["groups"] == [["2fa", "two factor", "two-factor authentication"]]
    assert words["ko"]["groups"] == [["2단계 인증"]]  # a language the glossary has, the group not
    assert words["zh"]["groups"] == [["两步验证"]]
    assert words["en"]["stop"] == ["how", "on"]
    assert words["ko"]["endings"] == ["에서", "을"]  # longest first


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("stopwords: {en: [on]}\n", "True (en) is not text: put it in quotes"),
        ("synonyms:\n  - {term: 二要素認証, en: [2fa]}\n", "二要素認証 is not a term of the glossary"),
    ],
)
def test_vocabulary_mistakes_name_the_fix(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "search.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError, match=re.escape(error)):
        vocabulary.load(path, glossary.Glossary(), "ja")
