"""`mkdocs serve` for writers: a mistake that stops the rebuild is shown on the page that is open in
the browser (file, line, message; writers' text escaped), and the next good build takes it away."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from sitekit import copy_site, mkdocs_serve, wait_for

pytestmark = pytest.mark.browser
PAGE = "security/two-factor-setup"
BOX = "#helpcenter-build-error"


def served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def boxes(page: Page) -> int | None:
    """How many error boxes the page shows; None while it reloads."""
    try:
        return page.locator(BOX).count()
    except PlaywrightError:
        return None


def test_a_failed_rebuild_is_shown_in_the_open_page_until_the_next_good_build(tmp_path: Path, browser: Browser) -> None:
    root = copy_site(tmp_path / "repo")
    article = root / f"docs/{PAGE}.md"
    good = article.read_text(encoding="utf-8")
    with mkdocs_serve(root, tmp_path / "serve.log") as base:
        page = browser.new_page()
        try:
            wait_for(lambda: served(base + f"{PAGE}/"), "the first build", timeout=90)
            page.goto(base + f"{PAGE}/")
            heading = page.locator("h1").inner_text()

            # a link to a page that does not exist, and writer's text that is markup in a message
            broken = good.replace("category: security", "category: <img src=x id=injected>", 1)
            broken += "\n[消えた記事](../security/gone.md)\n"
            article.write_text(broken, encoding="utf-8")
            line = broken.splitlines().index("[消えた記事](../security/gone.md)") + 1
            wait_for(lambda: boxes(page) == 1, "the error in the page (it reloads by itself)")
            text = page.locator(BOX).inner_text()
            assert f"docs/{PAGE}.md:{line}: error: broken link ../security/gone.md: no such page" in text
            assert "unknown category '<img src=x id=injected>'" in text, "shown as written"
            assert page.locator("#injected").count() == 0, "and never as markup"
            assert page.locator("h1").inner_text() == heading, "over the last good build of the same page"

            article.write_text(good.replace("## ", "## 【直した】", 1), encoding="utf-8")
            wait_for(lambda: boxes(page) == 0, "the error to go with the next good build")
            page.wait_for_load_state()
            assert "【直した】" in page.locator("article").inner_text(), "the fixed page"
        finally:
            page.close()
