"""`mkdocs serve` for writers: an edit shows in about a second, then the whole site catches up.

MkDocs rebuilds the whole site on every change, and static-i18n builds the languages one after
another: 5 s on this repository, then Pagefind. `--dirty` does not help (static-i18n's nested builds
ignore it, and skipped pages lose their navigation titles). `LiveBuilder` replaces serve's build
callback with two passes of the same build:

1. the quick pass: only the pages whose staged Markdown changed, only in the languages browsers are
   showing (the Referer of their live-reload polls; the default language if none), without the search
   index, sitemap or 404 page, written over the served site. The browsers reload.
2. the full pass: a clean build of everything into a shadow folder; each file that differs is then
   moved into the served folder (os.replace: nobody is served half a file), files the build no longer
   makes are removed, and browsers reload again if a page they show changed. The served site is then
   the one a clean build makes.

A save during the full pass stops it at the next page (serve's `_want_rebuild`), and serve's loop
starts over with a quick pass of what is on disk now: a save is never lost, the last one wins. Errors
of either pass propagate to serve as before. The `helpcenter` plugin does the restricting (its
`quick` and `full_into`); this module talks to MkDocs' LiveReloadServer, whose internals it uses
(there is no public API for them; mkdocs is pinned at 1.6.1, its last 1.x release).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import mkdocs.utils
import mkdocs_static_i18n.plugin as i18n_plugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from .serve_errors import reload_browsers

log = logging.getLogger("mkdocs.plugins.helpcenter")
POLL_SECONDS = 0.1  # serve polls the watched files every 0.5 s: up to half the one-second budget
VIEWER_SECONDS = 90  # a browser's live-reload poll is renewed every 60 s while the page is open
_CLEAN_DIRECTORY = mkdocs.utils.clean_directory  # static-i18n replaces it during its nested builds
_PAGE_ERRORS = ("Error reading page", "Error building page")


class Superseded(Exception):
    """A newer save arrived during the full pass: its result would be stale."""


@dataclass
class QuickPass:
    """What the quick pass builds: `languages` from the browsers; `files`, the staged pages that
    changed (`x.md`, `x.en.md`), from the plugin once it has staged the sources; `built` counts the
    pages it built."""

    languages: set[str]
    files: set[str] = field(default_factory=set)
    built: int = 0


class _StopNoise(logging.Filter):
    """MkDocs logs any exception raised while a page is built as an error: not a stopped full pass."""

    def __init__(self) -> None:
        super().__init__()
        self.stopping = False

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.stopping and record.getMessage().startswith(_PAGE_ERRORS))


class LiveBuilder:
    """Serve's build callback (`server.builder`): a quick pass, then a full pass (module docstring)."""

    def __init__(self, server: LiveReloadServer, plugin: Any, languages: list[str], default: str) -> None:
        self.server = server
        self.builder: Callable[[], None] = server.builder
        self.plugin = plugin  # the HelpcenterPlugin (typed Any: that module imports this one)
        self.languages = languages
        self.default = default
        self.viewers: dict[str, float] = {}  # URL path of a page open in a browser -> when it last polled
        served = Path(server.root)
        self.shadow = Path(tempfile.mkdtemp(prefix=served.name + "-full-", dir=served.parent))
        self.noise = _StopNoise()
        polled = server._log_poll_request

        def poll(url: str | None, request_id: str) -> None:
            if url:
                self.viewers[urlsplit(url).path] = time.monotonic()
            polled(url, request_id)

        server._log_poll_request = poll  # type: ignore[assignment]
        server.builder = self
        server.observer._timeout = POLL_SECONDS  # for watches added from now on (BaseObserver.schedule)
        for emitter in server.observer.emitters:  # and those added before (mkdocs.yml)
            emitter._timeout = POLL_SECONDS

    def viewed(self) -> list[str]:
        """URL paths of the pages open in browsers, relative to the site root."""
        now, mount = time.monotonic(), self.server.mount_path
        return [p[len(mount) :] for p, t in self.viewers.items() if now - t < VIEWER_SECONDS and p.startswith(mount)]

    def _language(self, path: str) -> str:
        first = path.split("/", 1)[0]
        return first if first in self.languages else self.default

    def superseded(self) -> bool:
        """A file changed since this build started (serve's loop will build again)."""
        return bool(self.server._want_rebuild)

    def stop_if_superseded(self) -> None:
        """Called by the plugin between pages of the full pass."""
        if self.plugin.full_into is not None and self.superseded():
            self.noise.stopping = True
            raise Superseded

    def __call__(self) -> None:
        quick = QuickPass({self._language(p) for p in self.viewed()} or {self.default})
        self.plugin.quick = quick
        try:
            with _site_kept(), _only_languages(quick.languages):
                self.builder()
        finally:
            self.plugin.quick = None
        errors = getattr(self.server, "helpcenter_errors", None)  # serve_errors.BuildErrors
        if errors is not None and errors.message is not None:
            errors.clear()  # the quick pass built: the last error is gone from the pages it reloads
        elif quick.built:
            log.info(f"helpcenter: reloading browsers after {quick.built} page(s); building the rest")
            reload_browsers(self.server)
        if self.superseded():
            return
        self._full()

    def _full(self) -> None:
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.addFilter(self.noise)
        self.plugin.full_into = self.shadow
        try:
            self.builder()
        except Superseded:
            log.info("helpcenter: a newer change arrived; starting over")
            _undo_i18n_build(build_log)
            return
        finally:
            self.plugin.full_into = None
            self.noise.stopping = False
            build_log.removeFilter(self.noise)
        changed = _move_changed(self.shadow, Path(self.server.root))
        if any(_page_file(p) in changed for p in self.viewed()):
            reload_browsers(self.server)

    def close(self) -> None:
        shutil.rmtree(self.shadow, ignore_errors=True)


@contextmanager
def _site_kept() -> Iterator[None]:
    """The quick pass writes a few pages over the served site: it must not empty it first."""
    mkdocs.utils.clean_directory = lambda directory: None
    try:
        yield
    finally:
        mkdocs.utils.clean_directory = _CLEAN_DIRECTORY


@contextmanager
def _only_languages(languages: set[str]) -> Iterator[None]:
    """static-i18n builds the other languages from its on_post_build, with the `build` it imported:
    the quick pass skips those no browser shows (turning their `build` option off instead would take
    them out of every page's language switcher)."""
    build = i18n_plugin.build

    def viewed_only(config: MkDocsConfig, dirty: bool = False) -> None:
        if config.plugins["i18n"].current_language in languages:  # type: ignore[attr-defined]
            build(config, dirty=dirty)

    i18n_plugin.build = viewed_only
    try:
        yield
    finally:
        i18n_plugin.build = build


def _undo_i18n_build(build_log: logging.Logger) -> None:
    """What static-i18n's on_post_build undoes at its end, which a stopped nested build skipped."""
    mkdocs.utils.clean_directory = _CLEAN_DIRECTORY
    for f in list(build_log.filters):
        if type(f).__name__ == "I18nLoggingFilter":
            build_log.removeFilter(f)


def _page_file(url_path: str) -> str:
    return url_path + "index.html" if url_path.endswith("/") or not url_path else url_path


def _move_changed(new: Path, served: Path) -> set[str]:
    """Make `served` the same as `new`, file by file (atomic renames); the relative paths changed."""
    changed: set[str] = set()
    made: set[str] = set()
    for path in sorted(new.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(new).as_posix()
        made.add(rel)
        target = served / rel
        if (
            target.is_file()
            and target.stat().st_size == path.stat().st_size
            and target.read_bytes() == path.read_bytes()
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        changed.add(rel)
    for path in sorted(served.rglob("*"), reverse=True):
        rel = path.relative_to(served).as_posix()
        if path.is_file() and rel not in made:
            path.unlink()
            changed.add(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed
