"""Site search with Pagefind over a built site: one index per language, Japanese fallbacks kept apart.

Why Pagefind (measured, see README "Search"): it indexes each `<html lang>` apart, so a reader
searches their own language only; Material's built-in search shares one index between languages and
misses Japanese queries that mix kana and kanji. Each language has a bundle of its own,
`<bundle>/<lang>/` (search.js loads the one of the page's `<html lang>`), so it is written as soon as
that language is built.

Why fallbacks are special: a page served in Japanese under /en/ (no published translation) says
`<html lang="en">`. Indexed as it is, its Japanese text would land in the English index, segmented as
English. Its text is the Japanese page's text, which the Japanese bundle already holds: that page is
indexed with a filter `shown:en` (one per language that shows it), and the browser merges the
Japanese bundle into English searches limited to that filter, sending its results to the /en/ URL,
marked as Japanese (templates/helpcenter/search.js). So a page shown in Japanese is indexed once,
whatever the number of languages that show it (indexed again per language, as Japanese, it made 10 %
of untranslated pages cost 10 % more build time, measured). In its own language's bundle it is only
a stub: its title in Japanese (not indexed) and its title and description in the reader's language
where translated (SEARCH_TEXT), so that the reader's words find it too; a language with no bundle
(nothing translated yet) searches the Japanese one. `<bundle>/helpcenter.json` tells the browser
which pages each language shows in Japanese, and their Japanese URLs.

Why Chinese and Japanese are indexed character by character: with words, Pagefind needs the reader's
browser to cut the query into the same words as its dictionary cut the page at build time. They often
disagree (and browsers disagree with each other: Debian's Chromium cuts 間違えた into single
characters), and a query that starts or ends inside a word finds nothing. So the text of ja and zh
pages is indexed with a space between kana/Han characters (a copy, the served pages are unchanged),
and search.js searches a query's characters the same way, then puts first the pages that contain the
query as typed (checked on the page text): any substring the reader types is found, like Ctrl+F, and
pages with all its characters follow.

Nothing here knows MkDocs: it reads HTML files, which is also what the benchmark and the tests need.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from .errors import HelpcenterError

ROOT_SELECTOR = "article.md-content__inner"  # the article only: no navigation, header or footer
# Not search text: the reader notice, heading anchors, incident badges, the lists the incidents
# plugin adds, and the links to other pages on the home and topic pages (the pages they list are found
# on their own).
EXCLUDE_SELECTORS = (
    ".hc-contact",
    ".hc-topic-articles",
    ".hc-notice",
    ".headerlink",
    ".hc-incident-badges",
    ".hc-related",
    ".hc-incident-articles",
    ".hc-incident-index",
    ".hc-lang-tag",
    "[data-search-exclude]",
)
MANIFEST = "helpcenter.json"
# page.meta key of a page shown in the default language: its title and description in the reader's
# language, where translated, indexed with it so that the reader's words find it (Indexer.add)
SEARCH_TEXT = "helpcenter_search_text"
# page.meta key of a default-language page: the languages that show it as it is (see above)
SHOWN_IN = "helpcenter_shown_in"
SHOWN = "shown"  # the Pagefind filter that holds them
FALLBACK = "fallback"  # the manifest's key of the pages shown in the default language
SCRATCH_ROOM = 512 * 2**20  # free bytes /dev/shm needs to stage pages in memory
NICE = 10  # how much lower Pagefind's CPU priority is than the build's (see Indexer._run)
SPACED = ("ja", "zh")  # languages indexed character by character (see above)
CJK = "\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{CJK}]{{2,}}")
_ROOT_START = '<article class="md-content__inner'  # ROOT_SELECTOR in Material's markup
_MARKUP = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>)", re.S | re.I)
# Pagefind's own UI bundles: the site uses Material's search box, so they are never loaded.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
ENTRY = "pagefind-entry.json"  # the bundle's index of languages, which the browser loads first

_LANG = re.compile(r"<html[^>]*\slang=\"([^\"]+)\"")
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_STATE = re.compile(r'data-translation-state="([a-z]+)"')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_HEADERLINK = re.compile(r'<a class="headerlink".*?</a>', re.S)


class SearchIndexError(HelpcenterError):
    """Pagefind failed or found nothing to index."""


@dataclass(frozen=True)
class Page:
    """One built HTML page: its path and URL from the site root, `<html lang>` and translation state."""

    rel: str
    url: str
    lang: str
    state: str


@dataclass
class Summary:
    """What was indexed: pages per language, fallback pages per language, seconds taken."""

    pages: Counter[str] = field(default_factory=Counter)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(self.pages.items()))
        extra = ", ".join(f"{lang} {len(urls)}" for lang, urls in sorted(self.fallbacks.items()))
        return f"{sum(self.pages.values())} pages ({langs})" + (
            f"; shown in the default language: {extra}" if extra else ""
        )


def classify(rel: str, html_text: str) -> Page | None:
    """The page at `rel` (from the site root) as search sees it, or None: 404 and pages without an
    article are not search results, and neither are files other than a folder's index.html."""
    name = rel.rsplit("/", 1)[-1]
    if name != "index.html" or "md-content__inner" not in html_text:
        return None
    lang = _LANG.search(html_text)
    state = _STATE.match(html_text, max(html_text.find("data-translation-state="), 0))
    return Page(
        rel,
        "/" + rel.removesuffix("index.html"),
        lang.group(1).lower() if lang else "",
        state.group(1) if state else "",
    )


def _html_files(site: Path, bundle: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith(bundle + "/"):
            yield rel, path


def scan(site: Path, bundle: str = "pagefind") -> list[Page]:
    """The article pages of a built site."""
    return [p for rel, path in _html_files(site, bundle) if (p := classify(rel, path.read_text(encoding="utf-8")))]


def spaced(html_text: str) -> str:
    """The page with a space between adjacent kana/Han characters of its text (tags, scripts untouched).

    Only the article (ROOT_SELECTOR) is indexed, so only it is spaced when it is found: the rest of a
    page, mostly navigation, is several times its size (measured: 20x faster than the whole page).
    """
    start = html_text.find(_ROOT_START)
    end = html_text.find("</article>", start) if start >= 0 else -1
    if end < 0:
        start, end = 0, len(html_text)
    parts = _MARKUP.split(html_text[start:end])
    text = "".join(part if i % 2 else _RUN.sub(_space_run, part) for i, part in enumerate(parts))
    return html_text[:start] + text + html_text[end:]


def _space_run(run: re.Match[str]) -> str:
    return " ".join(run.group())


def indexable(html_text: str, extra: str = "", shown_in: Iterable[str] = ()) -> str:
    """What Pagefind reads of a page: its `<html lang>` and its article (ROOT_SELECTOR), `extra`
    text weighted as a title (see SEARCH_TEXT), and a filter for each language in `shown_in` (see
    SHOWN_IN), in a copy: readers never see it.

    The rest of a page, mostly navigation, is several times the article's size; Pagefind ignores it
    anyway, but would parse it.
    """
    start = html_text.find(_ROOT_START)
    end = html_text.find("</article>", start) if start >= 0 else -1
    html_tag = _HTML_TAG.search(html_text)
    if end < 0 or html_tag is None:
        return html_text
    article = html_text[start : end + len("</article>")]
    at = article.index(">") + 1
    added = "".join(f'<span data-pagefind-filter="{SHOWN}:{html.escape(lang.lower())}"></span>' for lang in shown_in)
    if extra:
        added += f'<p data-pagefind-weight="7">{html.escape(extra)}</p>'
    return _document(html_tag.group(), article[:at] + added + article[at:])


def stub(html_text: str, extra: str) -> str:
    """What the bundle of a page's own language holds of a page shown in the default language: its
    title, for the result (not indexed: the default language's bundle has it), and `extra`, its title
    and description in the page's language where translated (see SEARCH_TEXT)."""
    html_tag = _HTML_TAG.search(html_text)
    start = html_text.find(_ROOT_START)
    h1 = _H1.search(html_text, max(start, 0))
    title = html.unescape(_MARKUP.sub("", _HEADERLINK.sub("", h1.group(1)))).strip() if h1 else ""
    article = (
        f'<article class="md-content__inner"><h1 data-pagefind-ignore="index">{html.escape(title)}</h1>'
        f'<p data-pagefind-weight="7">{html.escape(extra)}</p></article>'
    )
    return _document(html_tag.group() if html_tag else "<html>", article)


def _document(html_tag: str, article: str) -> str:
    return f'{html_tag}<head><meta charset="utf-8"></head><body>{article}</body></html>\n'


def original_url(url: str) -> str:
    """The URL of the default language's page that `url` (under /<lang>/) shows."""
    return "/" + url.lstrip("/").partition("/")[2]


class Indexer:
    """Pagefind indexing alongside the build: pages are staged as they are rendered; at each flush()
    (the end of each language's build) what was staged is indexed and its bundles are written, in the
    background; finish() waits for that and writes the manifest. Pagefind runs as its own processes, so
    on a machine with two cores its work overlaps the rendering of the next language instead of
    following the whole build, and only the last language is left to wait for.

    Each language has its own bundle, `out/<lang>/` (`<lang>` as in `<html lang>`, lower case), so a
    language's bundle is written as soon as its pages are indexed (one bundle for all languages could
    only be written after the last one: measured, that alone was 1.2 s of waiting at the end of a
    1048-page build). A page shown in the default language under another language's URL (state
    "fallback") is a stub in its language's bundle; the default language's page is indexed with a
    filter naming that language (see the module's docstring).
    """

    def __init__(
        self,
        out: Path,
        *,
        default: str,
        default_name: str = "",
        exclude: tuple[str, ...] = EXCLUDE_SELECTORS,
        spaced_langs: tuple[str, ...] = SPACED,
        vocabulary: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.out, self.default, self.default_name, self.spaced_langs = out, default, default_name, spaced_langs
        self.vocabulary = vocabulary or {}  # per language, for the browser (helpcenter.vocabulary)
        self.config: IndexConfig = {"root_selector": ROOT_SELECTOR, "exclude_selectors": list(exclude)}
        self.start = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="helpcenter-search-", dir=_scratch()))
        self.batch = 0
        self.pending: set[str] = set()  # groups (bundles under `out`: languages) with pages staged since the last flush
        self.pages: dict[str, list[Page]] = {}  # every page staged, by group
        # by group: the URL of each page shown in the default language -> the URL of the page it shows
        self.fallbacks: dict[str, dict[str, str]] = {}
        self.jobs: list[concurrent.futures.Future[tuple[str, int]]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="helpcenter-search", daemon=True)
        self.thread.start()
        # each group's index, opened when its first page is staged (so not waited for at its flush)
        self.indexes: dict[str, concurrent.futures.Future[PagefindIndex]] = {}
        self.complete: set[str] = set()  # groups flushed: no more pages may come (see flush)
        self.services: dict[str, AsyncExitStack] = {}  # each group's Pagefind process, until its bundle is final

    def _run(self) -> None:
        """The loop's thread, at a lower CPU priority, and so the Pagefind processes it starts: the
        build renders on one core while Pagefind indexes on the other; where they meet (Pagefind's
        threads use every core while they index ja and zh), the build goes first.
        Linux gives each thread its own priority, inherited by what it starts; elsewhere it would
        lower the whole build, so it is left alone."""
        if sys.platform == "linux":
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        self.loop.run_forever()

    def add(self, rel: str, html_text: str, extra: str = "", shown_in: Iterable[str] = ()) -> None:
        """Stage one built page, `rel` being its path from the site root, with `extra` search text;
        `shown_in`: the languages that show this page of the default language as it is."""
        page = classify(rel, html_text)
        if page is None:
            return
        group = page.lang or "und"
        if group in self.complete:
            raise SearchIndexError(f"{rel}: a page of {group!r} after that language's bundle was written")
        if page.state == "fallback":
            self.fallbacks.setdefault(group, {})[page.url] = original_url(page.url)
            if not extra:  # nothing of it in the reader's language: the default language's bundle finds it
                return
            text = stub(html_text, extra)
        else:
            text = indexable(html_text, extra, shown_in)
        target = self.tmp / str(self.batch) / group / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spaced(text) if group.split("-")[0] in self.spaced_langs else text, encoding="utf-8")
        if group not in self.indexes:
            self.indexes[group] = asyncio.run_coroutine_threadsafe(self._open(group), self.loop)
        self.pending.add(group)
        self.pages.setdefault(group, []).append(page)

    def flush(self) -> None:
        """Index what was staged since the last flush and write its bundles, in the background.

        The groups staged are then complete (a build builds each language once, and flushes at its
        end): each one's Pagefind process stops as soon as its bundle is written, which frees its
        index. Kept to the end, a build of eight languages held eight: 1.3 GB at 1,000 articles."""
        for group in sorted(self.pending):
            folder = self.tmp / str(self.batch) / group
            self.jobs.append(asyncio.run_coroutine_threadsafe(self._index(group, folder), self.loop))
        self.complete |= self.pending
        self.pending = set()
        self.batch += 1

    async def _open(self, group: str) -> PagefindIndex:
        """Start a group's Pagefind process and index, and drop the bundle an earlier build wrote,
        while the group's pages are still being built (each is a round trip or a folder of files:
        0.1–0.3 s)."""
        self.services[group] = AsyncExitStack()
        service = await self.services[group].enter_async_context(PagefindService())
        index = await service.create_index(self.config)
        await asyncio.to_thread(_remove, self.out / group)
        return index

    async def _index(self, group: str, folder: Path) -> tuple[str, int]:
        """Index a group's staged pages, write its bundle and stop its Pagefind process."""
        index = await asyncio.wrap_future(self.indexes[group])
        done = await index.add_directory(str(folder), glob="**/index.html")
        bundle = self.out / group
        # the staged pages are indexed: they go while Pagefind writes
        await asyncio.gather(asyncio.to_thread(_remove, folder), index.write_files(output_path=str(bundle)))
        await _written(bundle / ENTRY)
        await asyncio.to_thread(_trim, bundle)
        await self.services.pop(group).aclose()
        return group, int(done["page_count"])

    def finish(self) -> Summary:
        """Wait for the indexing and the bundles, remove what an earlier build left, write the manifest."""
        try:
            self.flush()
            if not self.pages:
                raise SearchIndexError("no article pages to index")
            counts: Counter[str] = Counter()
            try:
                for job in self.jobs:
                    group, n = job.result()
                    counts[group] += n
            except Exception as exc:  # the binary is missing, the service died, or it answered with an error
                raise SearchIndexError(f"Pagefind failed: {exc!r}") from exc
            expected = Counter({group: len(pages) for group, pages in self.pages.items()})
            if counts != expected:
                raise SearchIndexError(f"Pagefind indexed {dict(counts)} pages where {dict(expected)} were expected")
            return self._manifest()
        finally:
            self.close()

    def _manifest(self) -> Summary:
        """Drop the bundles an earlier build left (languages no longer built, an older layout), then
        write the manifest."""
        out = self.out
        fallbacks = dict(sorted(self.fallbacks.items()))
        _prune(out, set(self.pages))
        manifest = {
            "default": self.default,
            "name": self.default_name or self.default,
            "spaced": list(self.spaced_langs),
            FALLBACK: {lang: {"pages": pages} for lang, pages in fallbacks.items()},
            "vocabulary": self.vocabulary,
        }
        (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        main = [page for pages in self.pages.values() for page in pages if page.state != "fallback"]
        summary = Summary(Counter(p.lang for p in main), {lang: list(pages) for lang, pages in fallbacks.items()})
        summary.seconds = time.monotonic() - self.start
        return summary

    async def _stop(self) -> None:
        """Cancel what a failed build left running (else asyncio prints "Task was destroyed but it is
        pending!" after the build's error), then stop the Pagefind services."""
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for service in self.services.values():
            await service.aclose()

    def close(self) -> None:
        """Stop Pagefind (after finish(), or when the build failed) and clean up."""
        if self.thread.is_alive():
            stop = asyncio.run_coroutine_threadsafe(self._stop(), self.loop)
            with contextlib.suppress(Exception):
                stop.result(timeout=30)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()
            self.loop.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


async def _written(entry: Path, wait: float = 60.0) -> None:
    """Wait until Pagefind has written the bundle's entry file. It answers WriteFiles before every
    file is on disk: on a loaded machine a build that then stopped the service left
    pagefind-entry.json empty (seen with 1.5.2), and the browser found nothing in that language."""
    deadline = time.monotonic() + wait
    while True:
        with contextlib.suppress(OSError, ValueError):
            json.loads(await asyncio.to_thread(entry.read_bytes))
            return
        if time.monotonic() > deadline:
            raise SearchIndexError(f"Pagefind did not write {entry} within {wait:.0f} s")
        await asyncio.sleep(0.05)


def _scratch() -> str | None:
    """Where pages are staged: in memory (/dev/shm) when it has room, else the temporary directory.

    Staging writes and deletes a file per page; on a disk that was 0.5 s of a 1048-page build, in
    memory 0.1 s. Containers often give /dev/shm only 64 MB, hence the room asked for.
    """
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= SCRATCH_ROOM:
            return str(shm)
    except OSError:
        pass
    return None


def _trim(bundle: Path) -> None:
    """Remove what the site never loads: Pagefind's own UI."""
    for name in UNUSED:
        _remove(bundle / name)


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove everything in `folder` (if it exists) but the entries named in `keep`."""
    for child in list(folder.iterdir()) if folder.is_dir() else []:
        if child.name not in keep:
            _remove(child)


def _remove(path: Path) -> None:
    """Delete a file or a folder, if there is one."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def build(
    site: Path,
    *,
    default: str,
    default_name: str = "",
    bundle: str = "pagefind",
    exclude: tuple[str, ...] = EXCLUDE_SELECTORS,
    spaced_langs: tuple[str, ...] = SPACED,
    vocabulary: dict[str, dict[str, Any]] | None = None,
) -> Summary:
    """(Re)write the search bundle of the built site in `site`, from its HTML files.

    `default` is the language of fallback pages, `default_name` its name as results are tagged (日本語).
    """
    indexer = Indexer(
        site / bundle,
        default=default,
        default_name=default_name,
        exclude=exclude,
        spaced_langs=spaced_langs,
        vocabulary=vocabulary,
    )
    try:
        files = [(rel, path.read_text(encoding="utf-8")) for rel, path in _html_files(site, bundle)]
        shown_in: dict[str, list[str]] = {}  # what the plugin knows before it builds a page, found here
        for rel, text in files:
            page = classify(rel, text)
            if page is not None and page.state == "fallback":
                shown_in.setdefault(original_url(page.url), []).append(page.lang)
        for rel, text in files:
            indexer.add(rel, text, shown_in=shown_in.get("/" + rel.removesuffix("index.html"), ()))
        return indexer.finish()
    finally:
        indexer.close()


def bundle_bytes(site: Path, bundle: str = "pagefind") -> dict[str, int]:
    """Bytes on disk of each language's index (meta, index chunks and fragments) in its own bundle."""
    sizes: dict[str, int] = {}
    for out in (site / bundle).iterdir():
        if out.is_dir():
            files = [*out.glob("pagefind.*.pf_meta"), *out.glob("index/*"), *out.glob("fragment/*")]
            sizes[out.name] = sum(path.stat().st_size for path in files)
    return sizes
