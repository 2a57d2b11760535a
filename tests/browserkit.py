"""A built site in headless Chromium: a local server, the browser, and Material's own search box.

Shared by the browser tests (tests/test_browser.py) and the search benchmark (scripts/bench_search.py).
Debian's chromium only (Playwright never downloads a browser here); the flags keep it from reaching for
the network, which this machine does not have.
"""

from __future__ import annotations

import functools
import http.server
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGS = ("ja", "en", "zh", "ko")
DEFAULT = "ja"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing file gets the site's root 404.html, as static hosts (GitHub Pages) serve it."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(root))

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def lang_of(url: str) -> str:
    """The site language of a URL by its prefix (the default language is at the root)."""
    first = urlsplit(url).path.lstrip("/").split("/", 1)[0]
    return first if first in LANGS else DEFAULT


RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__list > li.md-search-result__item')]
  .map(li => {
    const a = li.querySelector('a');
    const title = li.querySelector('h1, h2');
    const tag = li.querySelector('.hc-search-lang');
    return {href: a ? a.href : '', title: title ? title.innerText : '', tag: tag ? tag.innerText : '',
            lang: title && title.querySelector('[lang]') ? title.querySelector('[lang]').getAttribute('lang') : ''};
  })"""

WATCH_JS = """() => {
  if (window.__hcMut === undefined) {
    window.__hcMut = 0; window.__hcMutAt = performance.now();
    new MutationObserver(() => { window.__hcMut++; window.__hcMutAt = performance.now(); })
      .observe(document.querySelector('.md-search-result'), {subtree: true, childList: true, characterData: true});
  }
  return window.__hcMut;
}"""


class SearchBox:
    """Material's header search box on one page, driven as a reader does (click, type, read the list).

    Works the same for Material's own Lunr search and for Pagefind behind it, since both render into
    Material's result list: the result is read once the list changed after typing and then stayed
    unchanged for `settle` seconds.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.last: str | None = None

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.last = None
        label = self.page.locator("label.md-header__button[for=__search]")
        if label.is_visible():  # narrow screens: the magnifier opens the search dialog
            label.click()
        self.page.locator(".md-search__input").click()

    def query(self, text: str, timeout: float = 10.0, settle: float = 0.35) -> list[dict[str, str]]:
        """Type `text`; the results as {href, title, tag, lang} in the order shown."""
        before = self.page.evaluate(WATCH_JS)
        box = self.page.locator(".md-search__input")
        box.fill(text)
        box.press("End")  # Material searches on keyup; fill() of CJK text sends none
        if text != self.last:  # Material ignores an unchanged query
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                count, quiet = self.page.evaluate("[window.__hcMut, performance.now() - window.__hcMutAt]")
                if count > before and quiet > settle * 1000:
                    break
                time.sleep(0.05)
        self.last = text
        return list(self.page.evaluate(RESULTS_JS))


ARTICLE_TEXT_JS = """(exclude) => {
  const art = document.querySelector('article.md-content__inner');
  if (!art) return null;
  const copy = art.cloneNode(true);
  copy.querySelectorAll(exclude).forEach(e => e.remove());
  document.body.appendChild(copy);  /* innerText needs layout */
  const clean = s => s.replace(/\\s+/g, ' ').trim();
  const blocks = [...copy.querySelectorAll('p, li')].map(e => clean(e.innerText)).filter(Boolean);
  const all = clean(copy.innerText);
  copy.remove();
  return {blocks, text: all,
          state: art.getAttribute('data-translation-state') || '', lang: document.documentElement.lang};
}"""
