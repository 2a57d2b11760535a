"""The verification page (/verify/, /en/verify/, ...) in headless Chromium: it gives the CLI's answer on
every case of the shared table (tests/verify_cases.yml) and on official values and lookalikes generated
as in test_verify.py's property tests, speaks the reader's language, links the
first-aid article and the support form, keeps working offline, and runs under the pages' CSP with no
console error. Also channels.json in every language, against its schema and data/channels.yml, and the
home pages as the front door, on a phone and a desktop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page, expect

from browserkit import LANGS
from helpcenter.placeholders import load_channels
from helpcenter.verify import verifier
from sitekit import copy_site, run, site_words
from test_verify import lookalikes, official_variants

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CASES: list[dict[str, Any]] = yaml.safe_load((ROOT / "tests/verify_cases.yml").read_text(encoding="utf-8"))
CHANNELS = load_channels(ROOT / "data/channels.yml")
CHECK = verifier(CHANNELS)
FIELDS = ("verdict", "kind", "reason", "channel", "lookalike_of", "never_used")
READ_JS = """(fields) => {
  const box = document.getElementById('hc-verify-result');
  const out = {hidden: box.hidden, text: box.innerText,
               links: [...box.querySelectorAll('a')].map(a => a.href)};
  for (const name of fields) out[name] = box.getAttribute('data-' + name.replace(/_/g, '-'));
  return out;
}"""


def prefix(lang: str) -> str:
    return "" if lang == "ja" else f"{lang}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("verify"), pages=None)
    result = run(["mkdocs", "build", "--strict"], root, HELPCENTER_ACTIVE_INCIDENT="phishing")
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=[PHONE], ids=["phone"])
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page (phone-sized unless parametrized); the test fails on any console error (a CSP violation is one)."""
    errors: list[str] = []
    tab = browser.new_page(viewport=request.param)
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    tab.close()
    assert not errors, errors


def paste(page: Page, text: str) -> dict[str, Any]:
    page.fill("#hc-verify-input", text)
    return dict(page.evaluate(READ_JS, list(FIELDS)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.one_of(official_variants(), lookalikes()))
def test_page_and_cli_agree_on_generated_variants_and_lookalikes(page: Page, base: str, case: tuple[str, str]) -> None:
    if page.url != base + "verify/":
        page.goto(base + "verify/")
    text = case[1]
    shown = paste(page, text)
    assert {k: shown[k] or None for k in FIELDS} == {
        k: v for k, v in CHECK.verify(text).as_dict().items() if k in FIELDS
    }


def test_page_and_cli_agree_on_the_shared_table(page: Page, base: str) -> None:
    page.goto(base + "verify/")
    wrong = []
    for case in CASES:
        shown = paste(page, case["input"])
        expected = CHECK.verify(case["input"]).as_dict()
        if case["input"].strip() and shown["hidden"]:
            wrong.append((case["input"], "no result shown"))
        got = {k: shown[k] or None for k in FIELDS}
        want = {k: expected[k] for k in FIELDS}
        if case["input"].strip() and (got != want or any(got[k] != v for k, v in case.items() if k != "input")):
            wrong.append((case["input"], f"page {got}\n    cli  {want}"))
    assert not wrong, "\n".join(f"{i!r}: {d}" for i, d in wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_checks_offline_and_answers_in_its_words(page: Page, base: str, site: Path, lang: str) -> None:
    page.goto(base + prefix(lang) + "verify/", wait_until="networkidle")  # what the page loads by itself
    page.context.set_offline(True)  # nothing is sent: the page needs no server once loaded
    try:
        words = site_words(lang)
        official = paste(page, "https://www.hoshi-exchange.example/support/form")
        assert official["verdict"] == "official" and official["channel"] == "support_form"
        assert words["verify_official"] in official["text"]
        assert CHANNELS["support_form"].labels[lang] in official["text"]
        assert CHANNELS["support_form"].uses[lang] in official["text"]

        fake = paste(page, "hoshi-exchange.example.login-help.net")
        assert (fake["verdict"], fake["lookalike_of"], fake["reason"]) == ("not-official", "website", "subdomain")
        assert words["verify_not_official"] in fake["text"]
        assert CHANNELS["website"].value in fake["text"]
        assert fake["links"] == [
            base + prefix(lang) + "phishing/if-you-were-phished/",
            CHANNELS["support_form"].value,
        ]

        sender = paste(page, "０１２０－０００－１２８")
        assert (sender["verdict"], sender["lookalike_of"]) == ("not-official", "sms_sender")
        telegram = paste(page, "https://t.me/hoshi_support")
        assert telegram["never_used"] == "telegram" and words["verify_kind_telegram"] in telegram["text"]
        nothing = paste(page, "パスワードを教えてください")
        assert nothing["verdict"] == "unknown" and nothing["links"] == []
        assert paste(page, "")["hidden"]
    finally:
        page.context.set_offline(False)


def test_the_form_works_with_the_keyboard(page: Page, base: str) -> None:
    page.goto(base + "en/verify/")
    page.get_by_label("Paste the link").type("@HoshiExchang")  # its <label> names the input
    page.keyboard.press("Enter")  # submitting does not leave the page
    assert page.url == base + "en/verify/"
    assert paste(page, "@HoshiExchang")["lookalike_of"] == "x_account"


def test_channels_json_in_every_language(site: Path) -> None:
    schema = json.loads((ROOT / "plugins/helpcenter/schemas/channels.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for lang in LANGS:
        data = json.loads((site / prefix(lang) / "channels.json").read_text(encoding="utf-8"))
        validator.validate(data)
        assert data["language"] == lang and data["verify_url"] == "/" + prefix(lang) + "verify/"
        assert {c["key"]: c["value"] for c in data["channels"]} == {k: c.value for k, c in CHANNELS.items()}
        assert {c["key"]: c["label"] for c in data["channels"]} == {k: c.labels[lang] for k, c in CHANNELS.items()}
        assert "telegram" in {k["kind"] for k in data["never_used"]}


FRONT_DOOR_JS = """() => {
  const top = sel => {
    const e = document.querySelector(sel);
    return e ? e.getBoundingClientRect().top + scrollY : null;
  };
  const article = document.querySelector('article.md-content__inner');
  return {
    first: article.querySelector(':scope > :not(.hc-notice)').className,
    banner: top('[data-active-incident]'), search: top('.hc-front-search'), cards: top('ul.hc-incident-index'),
    verify: top('#hc-verify-input'), firstAid: top('article a[href$="phishing/if-you-were-phished/"]'),
    cardWidths: [...document.querySelectorAll('ul.hc-incident-index > li')].map(li => li.getBoundingClientRect().width),
    incidents: [...document.querySelectorAll('ul.hc-incident-index > li')].map(li => li.dataset.incident).sort(),
    overflow: document.documentElement.scrollWidth > innerWidth,
  };
}"""


@pytest.mark.parametrize("page", [PHONE, DESKTOP], ids=["phone", "desktop"], indirect=True)
@pytest.mark.parametrize("lang", LANGS)
def test_home_page_is_the_front_door(page: Page, base: str, lang: str) -> None:
    page.goto(base + prefix(lang))
    door = page.evaluate(FRONT_DOOR_JS)
    assert door["first"] == "hc-front-search"  # the article opens with the search box
    order = [door[k] for k in ("banner", "search", "cards", "verify", "firstAid")]
    assert None not in order and order == sorted(order), door  # incident, search, cards, tool, first aid
    assert door["incidents"] == sorted(["hacking", "outage", "mistaken-trade", "phishing"])
    assert not door["overflow"], "the page scrolls sideways"
    width = page.viewport_size["width"] if page.viewport_size else 0
    if width < 600:  # one card per row on a phone, side by side on a desktop
        assert min(door["cardWidths"]) > width * 0.8, door["cardWidths"]
    else:
        assert max(door["cardWidths"]) < width * 0.5, door["cardWidths"]
    assert paste(page, "@HoshiExchang")["lookalike_of"] == "x_account"  # the tool works on the home page
    page.locator(".hc-front-search").click()
    expect(page.locator(".md-search__input")).to_be_focused()  # Material's search opened from it
