"""The built site itself is guarded: every hostile string planted in the catalogs leaves no trace in
site/ in any build mode, a page or file that gets past QA fails the build, and the Content-Security-Policy
of every page lets the site work while a browser refuses an injected handler."""

from __future__ import annotations

import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from playwright.sync_api import Browser

from browserkit import serve
from helpcenter import catalog
from helpcenter.guard import Guard, theme_scripts
from hostile import HOSTILE
from sitekit import SMALL, copy_site, run

KIND_OF = {"paragraph": "paragraph", "heading": "heading", "cell": "cell", "admonition-title": "admonition-title"}
MARKERS = ("evil.example", "alert(", "login-help.net", "hoshi-exchаnge", "h0shi-exchange", "0120-000-128")
VIOLATIONS_JS = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));"""


class _Scanner(HTMLParser):
    """An independent look at a built page (the standard library's parser, not the guard's)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value!r}>")


def plant_everywhere(root: Path) -> int:
    """Every hostile string as a reviewed translation of units of its kinds, round-robin over the
    catalogs of the copy; returns how many entries were planted."""
    strings = itertools.cycle(HOSTILE)
    planted = 0
    for path in sorted((root / "translations").rglob("*.po")):
        po = polib.pofile(str(path))
        for entry in po:
            kind = (entry.comment or "").split(" ", 1)[0]
            hostile, kinds = next(strings)
            if kind in KIND_OF or kind in ("title", "description"):
                if kinds and kind not in kinds:
                    continue
                catalog.set_human(entry, hostile, "Mallory")
                planted += 1
        po.save()
    return planted


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("planted"), pages=(*SMALL, "trading/order-confirmation-settings.md"))
    assert plant_everywhere(root) >= 100
    return root


def test_a_strict_build_with_everything_planted_fails_and_publishes_nothing_of_it(planted: Path) -> None:
    result = run(["mkdocs", "build", "--strict", "-d", "site-strict"], planted)
    assert result.returncode != 0
    assert "shown in Japanese until this is fixed" in result.stderr
    assert_clean(planted / "site-strict")


@pytest.fixture(scope="module")
def planted_site(planted: Path) -> Path:
    result = run(["mkdocs", "build"], planted)
    assert result.returncode == 0, result.stderr[-3000:]
    return planted / "site"


def assert_clean(site: Path, minimum: int = 1) -> None:
    pages = 0
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".json", ".xml", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        leaks = [m for m in MARKERS if m in text]
        assert not leaks, f"{path.relative_to(site)}: {leaks}"
        scanner = _Scanner()
        scanner.feed(text)
        assert not scanner.found, f"{path.relative_to(site)}: {scanner.found}"
        pages += path.suffix == ".html"
    assert pages >= minimum


def test_a_build_with_everything_planted_has_nothing_dangerous_in_any_file(planted_site: Path) -> None:
    assert_clean(planted_site, minimum=50)


@pytest.mark.browser
def test_every_planted_page_loads_with_no_dialog_and_no_csp_violation(planted_site: Path, browser: Browser) -> None:
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(VIOLATIONS_JS)
    with serve(planted_site) as base:
        for path in sorted(planted_site.rglob("*.html")):
            url = base + path.relative_to(planted_site).as_posix()
            page.goto(url)
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, url
            assert page.evaluate("window.__csp") == [], url
    assert dialogs == []


@pytest.mark.browser
def test_the_csp_refuses_a_handler_and_a_script_injected_into_a_built_page(
    planted_site: Path, browser: Browser, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(planted_site, site)
    target = site / "en/index.html"
    html = target.read_text(encoding="utf-8")
    injected = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned too'</script>"
    target.write_text(html.replace("</body>", injected + "</body>"), encoding="utf-8")
    page = browser.new_page()
    page.add_init_script(VIOLATIONS_JS)
    with serve(site) as base:
        page.goto(base + "en/")
        page.wait_for_function("window.__csp.length >= 2")
        assert "pwned" not in page.title()
        assert set(page.evaluate("window.__csp")) <= {"script-src-attr", "script-src-elem"}


@pytest.mark.browser
def test_content_tabs_work_under_the_csp(planted_site: Path, browser: Browser) -> None:
    page = browser.new_page()
    page.add_init_script(VIOLATIONS_JS)
    with serve(planted_site) as base:
        page.goto(base + "trading/order-confirmation-settings/")
        labels = page.locator(".tabbed-labels label")
        assert labels.count() >= 2
        labels.nth(1).click()
        second = page.locator(".tabbed-content .tabbed-block").nth(1)
        assert second.is_visible()
        assert page.evaluate("window.__csp") == []


def test_the_guard_finds_what_an_attacker_would_put_in_a_page(planted_site: Path) -> None:
    from helpcenter.guard import theme_scripts as scripts_of

    material = Path(__import__("material").__file__).parent / "templates"
    guard = Guard(frozenset({"help.hoshi-exchange.example", "www.hoshi-exchange.example"}), scripts_of([material]))
    page = (planted_site / "en/index.html").read_text(encoding="utf-8")
    assert guard.scan(page).problems == [] and len(guard.scan(page).scripts) == 3
    attacks = [
        '<img src=x onerror="alert(1)">',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="https://evil.example/">x</a>',
        '<a href="//evil.example/">x</a>',
        '<a href="/\\evil.example/">x</a>',
        '<a href="https://www.hoshi-exchange.example@evil.example/">x</a>',
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        "<svg><script>alert(1)</script></svg>",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
        '<math><mtext><a href="data:text/html,x">x</a></mtext></math>',
        '<iframe src="/"></iframe>',
        '<object data="/x"></object>',
        '<embed src="/x">',
        '<base href="https://evil.example/">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<form action="https://evil.example/"><button>x</button></form>',
        '<details open ontoggle="alert(1)">x</details>',
        '<div style="background:url(https://evil.example/x)">x</div>',
        '<img srcset="https://evil.example/x.png 1x">',
        '<script>__md_scope=new URL("",alert(1),"",location)</script>',
    ]
    for attack in attacks:
        assert guard.scan(page.replace("</body>", attack + "</body>")).problems, attack
    assert theme_scripts([material])  # Material's inline scripts are known by their templates


def test_a_handler_from_a_template_fails_the_build_and_the_page_is_not_written(tmp_path: Path) -> None:
    root = copy_site(tmp_path)
    main = root / "overrides/main.html"
    main.write_text(
        main.read_text(encoding="utf-8") + '\n{% block footer %}<img src=x onerror="alert(1)">{% endblock %}\n',
        encoding="utf-8",
    )
    result = run(["mkdocs", "build"], root)
    assert result.returncode != 0
    assert "unsafe HTML, the page is not written" in result.stderr and "onerror" in result.stderr
    assert not any("onerror" in p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))


def test_an_svg_with_script_copied_from_docs_fails_the_build_and_is_removed(tmp_path: Path) -> None:
    root = copy_site(tmp_path)
    (root / "docs/assets/evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
        encoding="utf-8",
    )
    result = run(["mkdocs", "build"], root)
    assert result.returncode != 0
    assert "assets/evil.svg (copied from docs/)" in result.stderr
    assert not list((root / "site").rglob("evil.svg"))


def test_plain_text_with_ampersands_quotes_and_angle_brackets_is_shown_as_written(tmp_path: Path) -> None:
    """Titles and descriptions are escaped once where the theme inserts them: shown as written,
    never as markup, never as `&amp;`."""
    root = copy_site(tmp_path)
    po_path = root / "translations/en/security/two-factor-setup.po"
    po = polib.pofile(str(po_path))
    title = 'Q&A: "2FA" < 2 apps'
    description = 'Fees & "limits" for 1 < 2 > 0'
    for entry in po:
        kind = (entry.comment or "").split(" ", 1)[0]
        if kind in ("title", "description"):
            catalog.set_human(entry, title if kind == "title" else description, "tester")
    po.save()
    result = run(["mkdocs", "build"], root)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (root / "site/en/security/two-factor-setup/index.html").read_text(encoding="utf-8")
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    assert tree.css_first("title").text() == f"{title} - Hoshi Exchange Help Center"
    assert tree.css_first('meta[name="description"]').attributes["content"] == description
    assert title in [a.text(strip=True) for a in tree.css("nav a")]
    assert tree.css_first("article h1").text(strip=True).startswith(title)
