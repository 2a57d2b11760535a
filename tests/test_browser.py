"""The site in a real browser (Debian's Chromium, headless): search in every language, the language
switcher, reader notices, the active-incident banner, incident hubs, accessibility (axe-core), and no
console error or failed request on any page visited.

The site is built once for the module into a temporary copy, with a machine translation planted on
one English page, only the title and description of one page translated into Korean (the page is
served in Japanese there), and an outage declared in the environment, then served on 127.0.0.1 the
way a static host serves it (the root 404.html for a missing path).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import axe_playwright_python
import polib
import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response

from browserkit import LANGS, SearchBox, lang_of
from sitekit import SMALL, copy_site, mkdocs_serve, plant_machine_translation, run, site_words, wait_for

pytestmark = pytest.mark.browser

MACHINE_PAGE = "trading/market-vs-limit-orders/"  # English: one paragraph machine-translated
FALLBACK_PAGE = "support/supported-languages/"  # Korean: title and description only, served in Japanese
FALLBACK_TITLE = "対応言語"
FALLBACK_KO_TITLE = "지원 언어"
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
INCIDENTS = ("hacking", "outage", "mistaken-trade", "phishing")


def prefix(lang: str) -> str:
    return "" if lang == "ja" else f"{lang}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("browser"), pages=None)
    plant_machine_translation(root, f"translations/en/{MACHINE_PAGE.rstrip('/')}.po", "Machine-translated paragraph.")
    catalog = polib.pofile(str(root / f"translations/ko/{FALLBACK_PAGE.rstrip('/')}.po"))
    for entry in catalog:
        if entry.comment not in ("title", "description"):
            entry.msgstr = ""
    catalog.save()
    result = run(
        ["mkdocs", "build", "--strict"],
        root,
        HELPCENTER_ACTIVE_INCIDENT="outage",
        HELPCENTER_ACTIVE_INCIDENT_START="2026-11-20T14:30:00+09:00",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (root / "pagefind").exists(), "the search bundle is written into the site only"
    lunr = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert lunr["docs"] == [] and lunr["config"]["lang"], "Material's index: its config only, Pagefind searches"
    shutil.copy(AXE, root / "site" / AXE.name)  # served by the site: the pages' CSP allows its own scripts only
    return root / "site"


def watched(browser: Browser, problems: list[str], ignore: str = "^$", **options: Any) -> Page:
    """A new page whose console errors, failed requests and HTTP errors are collected in `problems`,
    except for URLs matching `ignore`, and requests cut short by leaving the page (ERR_ABORTED)."""
    page = browser.new_page(**options)
    skip = re.compile(ignore)

    def console(m: ConsoleMessage) -> None:
        if m.type == "error" and not skip.search(m.location.get("url", "")):
            problems.append(f"console error: {m.text} ({m.location.get('url')})")

    def failed(r: Request) -> None:
        if "ERR_ABORTED" not in (r.failure or "") and not skip.search(r.url):
            problems.append(f"failed: {r.url} {r.failure}")

    def response(r: Response) -> None:
        if r.status >= 400 and not skip.search(r.url):
            problems.append(f"HTTP {r.status}: {r.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", failed)
    page.on("response", response)
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page; the test fails if any page it visited logged an error or a request failed."""
    problems: list[str] = []
    tab = watched(browser, problems, viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()
    assert not problems, "\n".join(problems)


# --- search -------------------------------------------------------------------------------------------

SEARCHES = [
    ("ja", "認証アプリ", "security/two-factor-setup/"),
    ("ja", "サポート窓口", "support/how-to-contact-support/"),
    ("ja", "ワンタイムパスワードを入力", "security/password-and-login-alerts/"),
    ("ja", "二段階認証を設定", "security/two-factor-setup/"),
    ("en", "authenticator app", "en/security/two-factor-setup/"),
    ("en", "withdrawal", "en/outage/deposits-withdrawals-during-outage/"),
    ("zh", "双重验证", "zh/security/two-factor-setup/"),
    ("zh", "提币", "zh/outage/deposits-withdrawals-during-outage/"),
    ("ko", "인증을", "ko/security/two-factor-setup/"),
    ("ko", "2단계 인증", "ko/security/two-factor-setup/"),
]


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES, ids=[f"{lang}-{q}" for lang, q, _ in SEARCHES])
def test_search_finds_the_page_in_the_readers_language(
    page: Page, base: str, lang: str, query: str, expected: str
) -> None:
    box = SearchBox(page)
    box.open(base + prefix(lang) + "trading/what-can-be-undone/")
    results = box.query(query)
    hrefs = [r["href"].removeprefix(base).split("?")[0] for r in results]
    assert expected in hrefs[:5], hrefs
    assert {lang_of(h) for h in hrefs} == {lang}, hrefs  # nothing from another language
    assert page.locator(".md-search-result__list mark").count() > 0  # the excerpts highlight the match


def test_pages_shown_in_japanese_are_found_in_japanese_and_marked(page: Page, base: str, site: Path) -> None:
    manifest = json.loads((site / "pagefind/helpcenter.json").read_text(encoding="utf-8"))
    assert manifest["fallback"] == {"ko": {"pages": {f"/ko/{FALLBACK_PAGE}": f"/{FALLBACK_PAGE}"}}}
    box = SearchBox(page)
    box.open(base + "ko/")
    results = box.query(FALLBACK_TITLE)
    assert results, "the Korean reader finds the page shown in Japanese"
    assert results[0]["href"].removeprefix(base).split("?")[0] == f"ko/{FALLBACK_PAGE}"
    assert results[0]["tag"] == "日本語" and results[0]["lang"] == "ja"
    assert all(r["tag"] == "日本語" for r in results), "Japanese text is only in the Japanese bundle"
    assert len({r["href"] for r in results}) == len(results), "a page is listed once"
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url(re.compile(f"/ko/{FALLBACK_PAGE}"))
    assert page.locator(".hc-notice--fallback").is_visible()
    box.open(base + "ko/")
    korean = box.query("문의")
    assert korean and all(not r["tag"] for r in korean if f"ko/{FALLBACK_PAGE}" not in r["href"]), (
        "Korean results are not marked"
    )

    box.open(base + "zh/")  # Chinese has this page translated: no Japanese bundle, no Japanese result
    assert all(lang_of(r["href"]) == "zh" and not r["tag"] for r in box.query(FALLBACK_TITLE))
    box.open(base)
    results = box.query(FALLBACK_TITLE)
    assert results[0]["href"].removeprefix(base).split("?")[0] == FALLBACK_PAGE and not results[0]["tag"]


def test_the_search_box_works_from_the_keyboard_and_highlights_on_the_target(page: Page, base: str) -> None:
    box = SearchBox(page)
    box.open(base + "support/")
    assert box.query("認証アプリ")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/security/two-factor-setup/\?h="))
    marks = page.locator("article mark[data-md-highlight]")
    marks.first.wait_for()
    assert "認証アプリ" in marks.all_inner_texts()


def test_search_on_a_phone_uses_the_native_dialog(browser: Browser, base: str) -> None:
    problems: list[str] = []
    phone = watched(browser, problems, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    box = SearchBox(phone)
    box.open(base + "zh/security/")
    assert phone.locator(".md-search__input").is_visible()
    results = box.query("双重验证")
    assert results[0]["href"].removeprefix(base).startswith("zh/security/two-factor-setup/")
    assert phone.locator(".md-search-result__list").is_visible()
    phone.close()
    assert not problems, problems


# --- navigation, notices, incidents ------------------------------------------------------------------


def test_the_language_switcher_keeps_the_reader_on_the_same_article(page: Page, base: str) -> None:
    article = "security/two-factor-setup/"
    page.goto(base + "en/" + article)
    for lang in ("ko", "zh", "ja", "en"):
        page.locator(".md-header__option .md-select > button").click()
        page.locator(f"a.md-select__link[hreflang='{lang}']").click()
        page.wait_for_url(base + prefix(lang) + article)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("article h1").is_visible()


def test_reader_notices_appear_where_they_should_and_the_original_link_works(page: Page, base: str) -> None:
    page.goto(base + "en/" + MACHINE_PAGE)
    assert page.locator("article").get_attribute("data-translation-state") == "machine"
    assert page.locator(".hc-notice--machine").is_visible()
    assert page.get_by_text("Machine-translated paragraph.").is_visible()
    page.locator(".hc-notice__original").click()
    page.wait_for_url(base + MACHINE_PAGE)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator(".hc-notice").count() == 0

    page.goto(base + "ko/" + FALLBACK_PAGE)
    assert page.locator(".hc-notice--fallback").is_visible()
    assert page.locator("article div[lang='ja'] h1").inner_text() == FALLBACK_TITLE

    page.goto(base + "zh/security/two-factor-setup/")
    assert page.locator("article").get_attribute("data-translation-state") == "reviewed"
    assert page.locator(".hc-notice").count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_active_incident_banner_is_on_every_page_and_reaches_the_hub(page: Page, base: str, lang: str) -> None:
    for path in ("", "security/two-factor-setup/", FALLBACK_PAGE):
        page.goto(base + prefix(lang) + path)
        banner = page.locator(".hc-incident-banner[data-active-incident='outage']")
        assert banner.is_visible(), path
    page.locator(".hc-incident-banner__title a").click()
    page.wait_for_url(base + prefix(lang) + "incidents/outage/")
    assert page.locator(".hc-incident-articles li").count() > 0


@pytest.mark.parametrize("lang", LANGS)
def test_incident_hubs_link_to_articles_that_exist(page: Page, base: str, lang: str) -> None:
    checked = 0
    for hub in ("incidents/", *(f"incidents/{i}/" for i in INCIDENTS)):
        page.goto(base + prefix(lang) + hub)
        links = page.locator(".hc-incident-articles a, .hc-incident-index a")
        hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
        assert hrefs, hub
        for href in hrefs:
            response = page.request.get(href)
            assert response.ok, (hub, href)
            assert "data-translation-state" in response.text(), (hub, href)
            assert lang_of(href) == lang, (hub, href)
            checked += 1
    assert checked > 10


# --- accessibility -------------------------------------------------------------------------------------

A11Y_PAGES = [
    *(prefix(lang) + path for lang in LANGS for path in ("", "security/two-factor-setup/", "incidents/outage/")),
    "en/" + MACHINE_PAGE,
    "ko/" + FALLBACK_PAGE,
    "translation-status/",
    "404.html",
]


def axe(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(url=urljoin(page.url, "/" + AXE.name))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return list(violations)


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_no_serious_accessibility_violation(page: Page, base: str, path: str) -> None:
    page.goto(base + path)
    assert axe(page) == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_accessibility_violation_in_search_results(page: Page, base: str, lang: str) -> None:
    box = SearchBox(page)
    box.open(base + prefix(lang))
    query = {"ja": "認証アプリ", "en": "password", "zh": "双重验证", "ko": "인증"}[lang]
    assert box.query(query)
    assert axe(page) == []


# --- mkdocs serve ------------------------------------------------------------------------------------


def _served(log: Path) -> bool:
    """Every rebuild `mkdocs serve` started has finished and is what it serves."""
    text = log.read_text(encoding="utf-8")
    return text.count("Detected file changes") == text.count("Reloading browsers") >= 1


def test_search_under_mkdocs_serve_is_reindexed_after_each_rebuild(browser: Browser, tmp_path: Path) -> None:
    root = copy_site(tmp_path / "repo", pages=SMALL)
    log = tmp_path / "serve.log"
    with mkdocs_serve(root, log) as base:
        wait_for(lambda: "helpcenter-search: indexed" in log.read_text(encoding="utf-8"), "the first index")
        problems: list[str] = []  # live reload's long poll ends without an answer on a rebuild
        options: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
        page = watched(browser, problems, ignore="/livereload/", **options)
        box = SearchBox(page)
        box.open(base)
        assert box.query("認証アプリ"), "search works on the served site"
        page.close()  # a reader arriving after the rebuild (an open page would reload itself meanwhile)

        article = root / "docs/trading/what-can-be-undone.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("\n\n", "\n\n合言葉はほしぞら検索です。\n\n", 1), encoding="utf-8")
        wait_for(lambda: log.read_text(encoding="utf-8").count("helpcenter-search: indexed") >= 2, "a reindex")
        wait_for(lambda: _served(log), "the rebuild to be served (see serve.log)")  # serve holds pages till then
        page = watched(browser, problems, ignore="/livereload/", **options)
        box = SearchBox(page)
        box.open(base)
        hrefs = [r["href"].removeprefix(base) for r in box.query("ほしぞら検索")]
        assert [h.split("?")[0] for h in hrefs] == ["trading/what-can-be-undone/"]

        settled = log.read_text(encoding="utf-8").count("Building documentation...")
        time.sleep(6)
        assert log.read_text(encoding="utf-8").count("Building documentation...") == settled, "rebuild loop"
        page.close()
        assert not problems, "\n".join(problems)


# --- readers find the answer, and no dead ends ------------------------------------------------------

READERS = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
# queries of tests/search_queries.yml, one per way readers' words differ from the pages' (answers there)
READER_QUERIES = [
    ("en", "2fa"),  # an abbreviation (Pagefind alone: the digit 2 on unrelated pages)
    ("ko", "OTP"),  # an abbreviation in another script (alone: nothing)
    ("zh", "客服"),  # a reader's word for the glossary's 咨询
    ("en", "customer service"),  # a phrase the pages never use
    ("en", "login alert I did not make"),  # words no page has: the best partial match, not nothing
    ("ja", "サポート"),  # pages mentioning the word outranked the page about it
    ("zh", "无法提币"),  # pages mentioning both words outranked the one titled with the topic
    ("ko", "해킹 후 해야 할 일"),  # a question, with particles and endings
]


def word(key: str, lang: str) -> str:
    return site_words(lang)[key]


@pytest.mark.parametrize(("lang", "query"), READER_QUERIES, ids=[f"{lang}-{q}" for lang, q in READER_QUERIES])
def test_readers_own_words_find_the_answer_in_the_first_three(page: Page, base: str, lang: str, query: str) -> None:
    answers = next(item["answers"] for item in READERS[lang] if item["q"] == query)
    box = SearchBox(page)
    box.open(base + prefix(lang))
    top = [r["href"].removeprefix(base).split("#")[0].split("?")[0] for r in box.query(query)[:3]]
    assert {prefix(lang) + a for a in answers} & set(top), top


def test_korean_particles_and_endings_do_not_hide_a_word(page: Page, base: str) -> None:
    box = SearchBox(page)
    box.open(base + "ko/")
    # 사이트에 (site + at), 입력했어요 (entered): the page has 사이트, 입력
    top = [r["href"].removeprefix(base).split("?")[0] for r in box.query("피싱 사이트에 입력했어요")[:3]]
    assert "ko/phishing/if-you-were-phished/" in top, top


def test_a_page_shown_in_japanese_is_found_by_the_readers_words(page: Page, base: str) -> None:
    box = SearchBox(page)
    box.open(base + "ko/")
    results = box.query(FALLBACK_KO_TITLE)
    top = [r for r in results[:3] if r["href"].removeprefix(base).split("?")[0] == f"ko/{FALLBACK_PAGE}"]
    assert top and top[0]["tag"] == "日本語", results
    assert top[0]["title"].endswith(FALLBACK_TITLE) and top[0]["lang"] == "ja", "the title of the page shown"


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_address_shows_the_404_page_of_its_language_with_ways_on(
    browser: Browser, base: str, lang: str
) -> None:
    problems: list[str] = []
    page = watched(browser, problems, ignore="/no-such-page/", viewport={"width": 1280, "height": 900})
    page.goto(base + prefix(lang) + "no-such-page/")
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text() == word("not_found_title", lang)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".md-search__input").count() == 1
    links = page.locator("article a")
    hrefs = {links.nth(i).inner_text(): links.nth(i).evaluate("a => a.href") for i in range(links.count())}
    assert hrefs[word("footer_home", lang)] == base + prefix(lang)
    assert hrefs[word("footer_contact", lang)] == base + prefix(lang) + "support/how-to-contact-support/"
    others = {"English": "en/", "简体中文": "zh/", "한국어": "ko/"} if lang == "ja" else {}
    assert {name: hrefs.get(name) for name in others} == {name: base + home for name, home in others.items()}
    for href in hrefs.values():
        assert page.request.get(href).ok, href
    switcher = page.locator("a.md-select__link").evaluate_all("as => as.map(a => [a.hreflang, a.href])")
    assert dict(switcher) == {other: base + prefix(other) for other in LANGS}, "each language's home"
    page.close()
    assert not problems, problems


@pytest.mark.parametrize("lang", LANGS)
def test_the_footer_and_the_home_page_lead_to_contact_in_the_readers_language(page: Page, base: str, lang: str) -> None:
    page.goto(base + prefix(lang) + "security/two-factor-setup/")
    footer = page.locator("footer .md-copyright")
    assert word("footer_made_with", lang) in footer.inner_text()
    assert all(base in href for href in footer.locator("a").evaluate_all("as => as.map(a => a.href)")), "no other host"
    footer.get_by_text(word("footer_contact", lang), exact=True).click()
    page.wait_for_url(base + prefix(lang) + "support/how-to-contact-support/")
    assert page.locator("html").get_attribute("lang") == lang

    page.goto(base + prefix(lang))
    page.locator(".hc-contact").get_by_text(word("footer_contact", lang), exact=True).click()
    page.wait_for_url(base + prefix(lang) + "support/how-to-contact-support/")


@pytest.mark.parametrize("lang", LANGS)
def test_topic_pages_list_their_articles_on_a_phone(browser: Browser, base: str, lang: str) -> None:
    problems: list[str] = []
    phone = watched(browser, problems, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(base + prefix(lang) + "security/")
    links = phone.locator("article .hc-topic-articles li a")
    assert links.count() == 4
    assert links.first.is_visible()
    links.filter(has_text={"ja": "二段階認証", "en": "two-factor", "zh": "双重验证", "ko": "2단계 인증"}[lang]).click()
    phone.wait_for_url(base + prefix(lang) + "security/two-factor-setup/")
    phone.close()
    assert not problems, problems


FIRST_AID = {
    "phishing": "phishing/if-you-were-phished.md",
    "hacking": "assets/what-customers-should-do-after-outflow.md",
    "mistaken-trade": "trading/wrong-asset-or-amount.md",
    "outage": "outage/where-to-find-notices.md",
}


@pytest.mark.parametrize("lang", LANGS)
def test_incident_hubs_list_the_first_aid_article_first(page: Page, base: str, lang: str) -> None:
    for hub, first in FIRST_AID.items():
        page.goto(base + prefix(lang) + f"incidents/{hub}/")
        assert page.locator(".hc-incident-articles li").first.get_attribute("data-page") == first, hub


@pytest.mark.parametrize("lang", ("en", "ko"))
def test_heading_links_and_the_language_switcher_keep_the_section(page: Page, base: str, lang: str) -> None:
    article = "security/two-factor-setup/"
    page.goto(base + prefix(lang) + article)
    link = page.locator("article h2 a.headerlink").first
    assert link.get_attribute("title") == word("permalink", lang)
    anchor = str(link.get_attribute("href"))
    page.goto(base + prefix(lang) + article + anchor)
    page.locator(".md-header__option .md-select > button").click()
    page.locator("a.md-select__link[hreflang='zh']").click()
    page.wait_for_url(base + "zh/" + article + anchor)


def test_reader_notices_are_boxes_that_fit_a_phone(browser: Browser, base: str) -> None:
    problems: list[str] = []
    phone = watched(browser, problems, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    for path in ("en/" + MACHINE_PAGE, "ko/" + FALLBACK_PAGE):
        phone.goto(base + path)
        notice = phone.locator(".hc-notice")
        style = notice.evaluate(
            "n => { const s = getComputedStyle(n); return [s.borderLeftWidth, s.borderLeftStyle]; }"
        )
        assert float(style[0].removesuffix("px")) > 0 and style[1] != "none", (path, style)
        box = notice.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (path, box)
    phone.close()
    assert not problems, problems


CATEGORIES = ("assets", "incidents", "outage", "phishing", "security", "support", "trading")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_from_an_article_a_reader_reaches_every_category_and_its_articles(
    browser: Browser, base: str, device: str
) -> None:
    """The navigation of an article lists every category, not every article (its size must not grow
    with the number of articles: helpcenter.mkdocs_plugins.navigation); the articles are a click away, on the
    category's topic page."""
    problems: list[str] = []
    options: dict[str, Any] = (
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
        if device == "phone"
        else {"viewport": {"width": 1280, "height": 900}}
    )
    tab = watched(browser, problems, **options)
    tab.goto(base + "en/security/two-factor-setup/")
    nav = tab.locator("nav.md-nav--primary")
    hrefs = [urljoin(tab.url, h) for h in nav.locator("a.md-nav__link").evaluate_all("l => l.map(a => a.href)")]
    assert {base + f"en/{c}/" for c in CATEGORIES} <= set(hrefs)
    assert not any("/trading/" in h and not h.endswith("/trading/") for h in hrefs), "other categories' articles"
    if device == "phone":  # the drawer opens on the article's category: back to the list of categories
        tab.locator("label.md-header__button[for='__drawer']").click()
        nav.locator("li.md-nav__item--active > nav > label.md-nav__title").first.click()
    link = nav.locator("a.md-nav__link[href$='trading/']").first
    link.click()
    tab.wait_for_url(base + "en/trading/")
    tab.locator("article .hc-topic-articles li a").first.click()
    tab.wait_for_url(re.compile(re.escape(base) + r"en/trading/[a-z-]+/$"))
    tab.close()
    assert not problems, problems
