"""Loaded, checked and published pages kept between builds, so that a rebuild redoes only the pages
that changed.

Loading (parsing the Markdown, reading and merging every catalog), QA, the publishing policy and the
FAQ of each article are most of what our plugins add to a build (README "Performance"). What they
decide about a page depends only on the page's source, its catalogs, a few project-wide inputs
(glossary, channels, the exchange's name, the languages and the policy, the category and incident
folders) and this package's own code, so the result is stored under a digest of exactly those
bytes. A page whose digest matches is reused as it was; any other page is done again. A cache that
cannot be read is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import catalog, qa
from .incidents import FaqItem, page_faq
from .pages import Corpus, LoadedPage, PageTranslation, add_page, empty_corpus, file_findings, load_page
from .project import Project

FORMAT = 3
Shown = dict[tuple[str, str], PageTranslation]  # (page, language) -> what the language shows
Faq = dict[str, dict[str, list[FaqItem]]]  # language -> page -> its FAQ in that language
_Entry = tuple[bytes, LoadedPage, list[PageTranslation], dict[str, list[FaqItem]]]
_CODE = Path(__file__).parent


def _code_digest() -> bytes:
    """This package's source: a change to how pages are loaded or checked invalidates every entry."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.rglob("*.py")):
        h.update(path.read_bytes())
    return h.digest()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b"\0missing"


def load_checked(project: Project, cache_file: Path | None) -> tuple[Corpus, Shown, Faq]:
    """`load_corpus`, `qa.check_corpus`, the policy's decision and the FAQ of every page and
    language, reusing the stored result of unchanged pages."""
    corpus = empty_corpus(project)
    glossary, findings = qa.load_glossary(project)
    corpus.findings.extend(findings + file_findings(corpus))
    categories, incidents = corpus.categories(), corpus.incident_ids()
    common = hashlib.blake2b(digest_size=16)
    for part in (
        _code_digest(),
        _read_bytes(project.glossary_path),
        _read_bytes(project.data / "channels.yml"),
        repr((FORMAT, str(project.root), project.exchange, project.default, corpus.languages)),
        repr((sorted(project.policy.strict_categories), project.policy.strict_incidents)),  # no set: hash order varies
        repr((categories, incidents)),
        repr((project.renderer.key, sorted(corpus.hosts))),
    ):
        common.update(part if isinstance(part, bytes) else part.encode())
    stored = _read(cache_file)
    fresh: dict[str, _Entry] = {}
    shown: Shown = {}
    faq: Faq = {code: {} for code in (project.default, *(lang.code for lang in corpus.languages))}
    for page in project.pages():
        h = common.copy()
        h.update(page.encode() + b"\0" + _read_bytes(project.docs / page))
        for lang in corpus.languages:
            h.update(b"\0" + _read_bytes(catalog.catalog_path(project.translations, lang.code, page)))
        key = h.digest()
        hit = stored.get(page)
        if hit is not None and hit[0] == key:
            _, loaded, translations, questions = hit
            add_page(corpus, page, loaded)
        else:
            loaded = load_page(corpus, page, categories, incidents)
            if loaded.doc is not None:
                loaded.findings += qa.check_page(project, loaded.doc, loaded.merged, glossary)
            add_page(corpus, page, loaded)
            translations = [corpus.translation(page, lang) for lang in corpus.languages] if loaded.doc else []
            texts = {project.default: None, **{t.lang: t.text for t in translations}}
            questions = page_faq(loaded.doc, texts, corpus.expander) if loaded.doc else {}
        fresh[page] = (key, loaded, translations, questions)
        shown.update(((page, t.lang), t) for t in translations)
        for code, items in questions.items():
            faq[code][page] = items
    if cache_file is not None and {p: e[0] for p, e in fresh.items()} != {p: e[0] for p, e in stored.items()}:
        _write(cache_file, fresh)
    return corpus, shown, faq


def _read(cache_file: Path | None) -> dict[str, _Entry]:
    if cache_file is None:
        return {}
    try:
        with cache_file.open("rb") as f, _collector_paused():
            data = pickle.load(f)
        return data if isinstance(data, dict) and all(len(e) == 4 for e in data.values()) else {}
    except Exception:  # missing, truncated, or from another version of a dependency: rebuild it
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


def _write(cache_file: Path, data: object) -> None:
    """Atomically: an interrupted build leaves the previous cache or the new one, never half of one."""
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=cache_file.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
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
        _write(path, (rules, memo))
