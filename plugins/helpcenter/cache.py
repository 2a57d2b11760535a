"""Loaded, checked and published pages kept between builds, so that a rebuild redoes only the pages
that changed.

Loading (parsing the Markdown, reading and merging every catalog), QA, the publishing policy and the
FAQ of each article are most of what our plugins add to a build (README "Performance"). What they
decide about a page depends only on the page's source, its catalogs, a few project-wide inputs
(glossary, channels, the exchange's name, the languages and the policy, the category and incident
folders), this package's own code, the Python version and the versions of the libraries that parse
(markdown-it-py, mdit-py-plugins, PyYAML, polib, Python-Markdown), so the result is stored under a
digest of exactly those bytes; the page and its catalogs are parsed from the very bytes that were
hashed. A page whose digest matches is reused as it was; any other page is done again. A cache that
cannot be used (damaged, or written by another version) is rebuilt, with one log line saying why.

Each page's catalogs are kept pickled apart, one per language, and what every language's build
reads of them (CatalogFacts) beside them: a language's build in `helpcenter build` unpickles its own
language's catalogs only.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import gc
import hashlib
import importlib.metadata
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Collection, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import catalog, links, qa
from .catalog import Merged
from .corpus import CatalogFacts, Corpus, LoadedPage, add_page, empty_corpus, file_findings, load_page
from .faq import FaqItem, page_faq
from .glossary import Glossary
from .policy import PageTranslation
from .project import Project

FORMAT = 5
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML", "polib", "Markdown", "pymdown-extensions")
log = logging.getLogger("mkdocs.plugins.helpcenter")
Shown = dict[tuple[str, str], PageTranslation]  # (page, language) -> what the language shows
Faq = dict[str, dict[str, list[FaqItem]]]  # language -> page -> its FAQ in that language
_Key = tuple[str, str]  # (page, language)
_Todo = tuple[str, bytes, dict[Path, bytes]]  # a page not stored: its path, digest and files' bytes
_CODE = Path(__file__).parent
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends
PER_WORKER = 16  # pages not stored, at least, for each worker process that checks them


@dataclass
class _Entry:
    """One page as the cache keeps it."""

    key: bytes  # the digest of what its result depends on
    loaded: LoadedPage  # without its catalogs: they are in `catalogs`
    catalogs: dict[str, bytes]  # language -> its merged catalog, pickled apart (read when asked for: _Catalogs)
    facts: dict[str, CatalogFacts]  # language -> what every language's build reads of that catalog
    translations: list[PageTranslation]
    faq: dict[str, list[FaqItem]]


class _Catalogs(MutableMapping[_Key, Merged]):
    """`Corpus.merged` of a build from the cache: each catalog unpickled when it is first read. One
    language's build in `helpcenter build` reads its own language's only (all of them were 200 of
    its 270 MiB at 1,000 articles in 8 languages)."""

    def __init__(self, live: MutableMapping[_Key, Merged]) -> None:
        self.live = dict(live)
        self.stored: dict[_Key, bytes] = {}

    def __getitem__(self, key: _Key) -> Merged:
        if key not in self.live:
            self.live[key] = pickle.loads(self.stored.pop(key))  # a KeyError when it is in neither
        return self.live[key]

    def __setitem__(self, key: _Key, value: Merged) -> None:
        self.stored.pop(key, None)
        self.live[key] = value

    def __delitem__(self, key: _Key) -> None:
        if self.stored.pop(key, None) is None:
            del self.live[key]

    def __contains__(self, key: object) -> bool:
        return key in self.live or key in self.stored

    def __iter__(self) -> Iterator[_Key]:
        yield from self.live
        yield from self.stored

    def __len__(self) -> int:
        return len(self.live) + len(self.stored)

    def read(self, languages: Collection[str] | None) -> None:
        """Unpickle now every catalog of `languages` (None: all), with the collector paused: read one
        by one while the pages are built, the collector walked those already read again and again
        (at 1,000 articles in 8 languages, 2.2 s instead of 0.6)."""
        with _collector_paused():
            for key in [k for k in self.stored if languages is None or k[1] in languages]:
                self[key]


def _code_digest() -> bytes:
    """This package's source: a change to how pages are loaded or checked invalidates every entry."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.rglob("*.py")):
        h.update(path.read_bytes())
    return h.digest()


def _environment() -> str:
    """The Python and library versions: an upgrade can change a parse without a byte of ours changing
    (and CI restores caches by key prefix, across upgrades)."""
    versions = [sys.version]
    for dist in LIBRARIES:
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} none")
    return repr(versions)


def _read_bytes(path: Path) -> bytes:
    """A file's bytes; a missing catalog reads as empty, which is what an empty catalog means."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def load_checked(
    project: Project, cache_file: Path | None, languages: Collection[str] | None = None
) -> tuple[Corpus, Shown, Faq]:
    """`load_corpus`, `qa.check_corpus`, the policy's decision and the FAQ of every page and
    language, reusing the stored result of unchanged pages. The catalogs of `languages` (None:
    all) are read now, the others when first asked for (_Catalogs)."""
    corpus = empty_corpus(project)
    glossary, findings = qa.load_glossary(project)
    corpus.findings.extend(findings + file_findings(corpus))
    categories, incidents = corpus.categories(), corpus.incident_ids()
    version = hashlib.blake2b(repr((FORMAT, _code_digest(), _environment())).encode(), digest_size=16).digest()
    common = hashlib.blake2b(digest_size=16)
    for part in (
        version,
        _read_bytes(project.glossary_path),
        _read_bytes(project.data / "channels.yml"),
        repr((str(project.root), project.exchange, project.default, corpus.languages)),
        repr((sorted(project.policy.strict_categories), project.policy.strict_incidents)),  # no set: hash order varies
        repr((categories, incidents)),
        repr((project.renderer.key, sorted(corpus.hosts))),
        repr(sorted(corpus.expander.heads.items())),  # the channel table's headings, which FAQ answers may hold
    ):
        common.update(part if isinstance(part, bytes) else part.encode())
    stored = _read(cache_file, version)
    fresh: dict[str, _Entry] = {}
    todo: list[_Todo] = []
    for page in project.pages():
        h = common.copy()
        paths = [project.docs / page] + [
            catalog.catalog_path(project.translations, x.code, page) for x in corpus.languages
        ]
        files = {path: _read_bytes(path) for path in paths}
        h.update(page.encode())
        for data in files.values():
            h.update(b"\0" + len(data).to_bytes(8, "big") + data)
        key = h.digest()
        hit = stored.get(page)
        if hit is not None and hit.key == key:
            fresh[page] = hit
        else:
            todo.append((page, key, files))
    fresh.update(_check_pages(_Work(corpus, glossary, categories, incidents), todo))
    shown: Shown = {}
    faq: Faq = {code: {} for code in (project.default, *(lang.code for lang in corpus.languages))}
    catalogs = corpus.merged = _Catalogs(corpus.merged)
    for page in project.pages():
        entry = fresh[page]
        add_page(corpus, page, entry.loaded)
        catalogs.stored.update(((page, lang), data) for lang, data in entry.catalogs.items())
        corpus.stored_facts.update(((page, lang), facts) for lang, facts in entry.facts.items())
        shown.update(((page, t.lang), t) for t in entry.translations)
        for code, items in entry.faq.items():
            faq[code][page] = items
    corpus.findings += links.check(corpus)  # across pages: done again on every build
    catalogs.read(languages)
    if cache_file is not None and {p: e.key for p, e in fresh.items()} != {p: e.key for p, e in stored.items()}:
        _write(cache_file, version, fresh)
    return corpus, shown, faq


@dataclass
class _Work:
    """What checking a page needs besides its files: the project-wide parts of the corpus."""

    corpus: Corpus
    glossary: Glossary
    categories: list[str]
    incidents: list[str]


_work: _Work | None = None  # in a worker process: inherited from the build (fork), see _check_pages


def _check_pages(work: _Work, todo: list[_Todo]) -> Iterator[tuple[str, _Entry]]:
    """Load, check and publish the pages not stored, in worker processes when there are many and
    more than one core (a fresh clone's first build: checking was most of its extra cost, on one
    core while the second waited).

    The workers are forked, so they start with the loaded code and the corpus' project-wide parts.
    With few pages, or when the build runs another thread (`mkdocs serve`: a fork copies a lock
    another thread may hold), the pages are checked here instead."""
    global _work
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, len(todo) // PER_WORKER)
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_check_page(work, *item) for item in todo)
        return
    _work = work
    try:
        context = multiprocessing.get_context("fork")
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start)
        try:
            yield from pool.map(_check_forked, todo, chunksize=max(1, len(todo) // (workers * 4)))
        finally:  # interrupted: the pages not started are dropped, not checked first
            pool.shutdown(cancel_futures=True)
    finally:
        _work = None


def _worker_start() -> None:
    """A worker of _check_pages leaves Ctrl-C to the build, and ends with it, even a killed one.
    Interrupted with the build, workers died holding their queues' locks, and the others waited on
    them for ever (found by the interrupted-build test: orphans of `helpcenter build`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":  # the kernel kills it when the build's process ends
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the build ended before that was set
            os._exit(1)


def _check_forked(item: _Todo) -> tuple[str, _Entry]:
    assert _work is not None
    return _check_page(_work, *item)


def _check_page(work: _Work, page: str, key: bytes, files: dict[Path, bytes]) -> tuple[str, _Entry]:
    """One page loaded, checked by QA, decided by the policy, and its FAQ in every language.

    Without the cyclic collector, as when the cache is read: what a page's check makes is kept or freed
    as it goes, and a large page made the collector walk it again and again for nothing (a 5 MB
    article: 11 full collections, 1.2 s of its 5.0 s check, none of them collecting anything)."""
    with _collector_paused():
        corpus = work.corpus
        loaded = load_page(corpus, page, work.categories, work.incidents, files)
        if loaded.doc is None:
            return page, _Entry(key, loaded, {}, {}, [], {})
        merged, loaded.merged = loaded.merged, {}
        loaded.findings += qa.check_page(corpus.project, loaded.doc, merged, work.glossary)
        translations = [corpus.shows(loaded.doc, merged[lang.code], lang) for lang in corpus.languages]
        texts = {corpus.project.default: None, **{t.lang: t.text for t in translations}}
        return page, _Entry(
            key,
            loaded,
            {lang: pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL) for lang, m in merged.items()},
            {lang: CatalogFacts.of(m) for lang, m in merged.items()},
            translations,
            page_faq(loaded.doc, texts, corpus.expander),
        )


def _read(cache_file: Path | None, version: bytes) -> dict[str, _Entry]:
    """The stored pages, or nothing (and one log line saying why) when the cache cannot be used."""
    if cache_file is None or not cache_file.exists():
        return {}
    try:
        with cache_file.open("rb") as f, _collector_paused():
            data = pickle.load(f)
        if not (isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], dict)):
            raise ValueError("not a page cache")
    except Exception as exc:  # truncated, or a layout of another version that no longer unpickles
        why = f"it cannot be read ({type(exc).__name__})"
    else:
        if data[0] == version:
            return data[1]
        why = "it was made by another version of helpcenter, of Python or of a library that parses pages"
    log.info(f"helpcenter: rebuilding the page cache {cache_file.name}: {why}")
    return {}


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: unpickling creates 100 000s of objects, none of them
    garbage, and the collector walked them all again and again (measured: half the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write(cache_file: Path, version: object, data: object) -> None:
    with replaced(cache_file) as f:
        pickle.dump((version, data), f, protocol=pickle.HIGHEST_PROTOCOL)


@contextlib.contextmanager
def replaced(path: Path) -> Iterator[BinaryIO]:
    """A file of the build cache, written next to `path` and put in its place once whole: an
    interrupted build, or another build reading it meanwhile, finds the old file or the new one,
    never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_memo(path: Path | None, rules: str) -> dict[bytes, list[str]]:
    """What the guard approved in the last build, if it used the same `rules`; else nothing."""
    if path is None:
        return {}
    try:
        with path.open("rb") as f:
            stored_rules, memo = pickle.load(f)
        return memo if stored_rules == rules and isinstance(memo, dict) else {}
    except Exception:  # missing, truncated, another format: the guard scans every page again
        return {}


def store_memo(path: Path | None, rules: str, memo: dict[bytes, list[str]]) -> None:
    if path is not None:
        _write(path, rules, memo)
