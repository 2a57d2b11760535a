"""Under `mkdocs serve`, a failed rebuild is shown in the browser, on the page that was open, until the
next good build.

MkDocs' live-reload server (mkdocs/livereload, 1.6) only tells browsers to reload after a good
build: after a failed one the page waits forever and only the terminal says why. Here the server's
builder is wrapped: a failed build records its message and lets the browsers reload, and every HTML
page (and the 404 page, if the failed build left the open page missing) is served with the message
at its top. The next good build clears it and reloads the browsers again.

The message holds text from writers (file names, unit text), so it is HTML-escaped. The box is HTML
and CSS only, no script: under `serve` pages get no Content-Security-Policy (MkDocs injects its own
inline live-reload script), but nothing here would need one.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable

from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.helpcenter")
_BODY = re.compile(rb"<body[^>]*>", re.I)
BOX_ID = "helpcenter-build-error"
_STYLE = (
    f"#{BOX_ID}{{position:fixed;inset:0 0 auto 0;z-index:10000;max-height:80vh;overflow:auto;margin:0;"
    "padding:1rem 1.5rem;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;"
    "font:15px/1.5 system-ui,sans-serif;box-shadow:0 4px 12px rgba(0,0,0,.3)}"
    f"#{BOX_ID} pre{{white-space:pre-wrap;font:14px/1.45 ui-monospace,monospace;margin:.5rem 0}}"
)


def box(message: str) -> bytes:
    """The error as an HTML fragment: a heading, the escaped message, what to do."""
    return (
        f'<style>{_STYLE}</style><section id="{BOX_ID}" role="alert" lang="en">'
        "<strong>The site could not be built</strong>"
        f"<pre>{html.escape(message)}</pre>"
        "Fix it and save: this page reloads by itself when the next build succeeds "
        "(until then it shows the last good build).</section>"
    ).encode()


def with_box(page: bytes, message: str) -> bytes:
    """`page` with the error box first in its body."""
    m = _BODY.search(page)
    at = m.end() if m else 0
    return page[:at] + box(message) + page[at:]


def reload_browsers(server: LiveReloadServer) -> None:
    """What the server does after a good build: browsers waiting on /livereload/ reload the page (a
    new epoch: the live builder of preview.py may already have shown the last one)."""
    with server._epoch_cond:
        epoch = max(round(time.monotonic() * 1000), server._visible_epoch + 1)
        server._wanted_epoch = server._visible_epoch = epoch
        server._epoch_cond.notify_all()


class _Said(logging.Handler):
    """What a build logged as errors (MkDocs logs a plugin's error, then raises a bare "Aborted with a
    BuildError!"), and its warnings, which fail a `--strict` build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self, exc: BaseException) -> str:
        strict = "strict mode" in str(exc)
        said = [r.getMessage() for r in self.records if r.levelno >= logging.ERROR or strict]
        return "\n".join([*said, str(exc).strip() or type(exc).__name__])


class BuildErrors:
    """The last rebuild's error, shown in every page the server sends until a build succeeds."""

    def __init__(self, server: LiveReloadServer) -> None:
        self.message: str | None = None
        self.server = server
        self._build: Callable[[], None] = server.builder
        self._inject: Callable[[bytes, int], bytes] = server._inject_js_into_html
        self._not_found: Callable[[int], bytes | None] = server.error_handler
        server.builder = self.build
        server._inject_js_into_html = self.inject  # type: ignore[method-assign]
        server.error_handler = self.error_page

    def build(self) -> None:
        said = _Said()
        logging.getLogger("mkdocs").addHandler(said)
        try:
            self._build()
        except MkDocsException as exc:  # a mistake in the project, logged with its file and line: no traceback
            self.message = said.text(exc)
            log.info("The browser shows this error until the next build succeeds.")
            return  # the server reloads the browsers, as after a good build: they show the error
        except Exception as exc:  # a bug: the server prints its traceback; the browser says what it was
            self.message = said.text(exc) + f"\n{type(exc).__name__}: {exc}"
            reload_browsers(self.server)
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(said)
        self.clear()

    def clear(self) -> None:
        """A good build: the pages lose the box (the browsers reload if they showed it)."""
        if self.message is not None:
            self.message = None
            reload_browsers(self.server)

    def inject(self, content: bytes, epoch: int) -> bytes:
        content = self._inject(content, epoch)
        return content if self.message is None else with_box(content, self.message)

    def error_page(self, code: int) -> bytes | None:
        """The 404 page, when the failed build removed the open page: with the error and live reload."""
        page = self._not_found(code)
        if self.message is None:
            return page
        return self.inject(page or b"<!doctype html><html><body></body></html>", self.server._visible_epoch)


def show_build_errors(server: LiveReloadServer) -> LiveReloadServer:
    """Install the error display on `server` once (on_serve may run again)."""
    if not isinstance(getattr(server, "helpcenter_errors", None), BuildErrors):
        server.helpcenter_errors = BuildErrors(server)  # type: ignore[attr-defined]
    return server
