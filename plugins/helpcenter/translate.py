"""The engine: DeepL fills what is new or changed, and nothing else.

Only units that are missing or stale are sent, each distinct text once per language. Reviewed work is
never overwritten: a stale reviewed unit gets the new machine translation as fuzzy, with the old
source in `#|` and the reviewed text in a comment. Catalogs are saved after every request, atomically,
so a run that stops (quota, network, kill -9) loses nothing it was billed for and the next run goes on
from there.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import deepl
import polib
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from . import catalog, inline
from .catalog import Merged, State
from .errors import HelpcenterError
from .glossary import Glossary
from .pages import Corpus, po_path
from .project import Language

MAX_TEXTS = 50  # DeepL: texts per request
MAX_BYTES = 120 * 1024  # DeepL: 128 KiB per request; the rest is left for the other fields
ENGINE = "deepl"
DOMAIN = "Help center of a cryptocurrency exchange."


class TranslateError(HelpcenterError):
    """A run that had to stop; the message is one line for the user."""


@dataclass
class Job:
    """One distinct source text to translate into one language, and every entry waiting for it."""

    text: str
    kind: str
    encoded: inline.Encoded
    title: str
    entries: list[tuple[str, polib.POEntry]] = field(default_factory=list)  # (page, entry)

    @property
    def size(self) -> int:
        return len(json.dumps(self.encoded.xml)) + 2


@dataclass
class Plan:
    lang: Language
    jobs: list[Job]

    @property
    def characters(self) -> int:
        return sum(job.encoded.billable for job in self.jobs)


def plan(corpus: Corpus, lang: Language, glossary: Glossary) -> Plan:
    """What must be sent for one language: missing and stale units, each distinct text once."""
    jobs: dict[str, Job] = {}
    for page, doc in corpus.docs.items():
        merged = corpus.merged[page, lang.code]
        title = str(doc.front_matter.get("title", ""))
        for unit, entry in zip(doc.units, merged.entries, strict=True):
            if catalog.state(entry) not in (State.MISSING, State.STALE):
                continue
            job = jobs.get(unit.text)
            if job is None:
                job = jobs[unit.text] = Job(unit.text, unit.kind, inline.encode(unit.text, glossary.keep), title)
            if all(e is not entry for _, e in job.entries):
                job.entries.append((page, entry))
    return Plan(lang, list(jobs.values()))


def batches(jobs: list[Job]) -> Iterator[list[Job]]:
    """Requests within DeepL's limits: 50 texts and 128 KiB (JSON escapes a kanji to 6 bytes)."""
    batch: list[Job] = []
    size = 0
    for job in jobs:
        context = len(json.dumps(context_for([*batch, job])))  # sent with the texts: up to 6 bytes a character
        if batch and (len(batch) >= MAX_TEXTS or size + job.size + context > MAX_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += job.size
    if batch:
        yield batch


def context_for(batch: list[Job]) -> str:
    """Article titles as DeepL's `context`, which guides the translation and is not billed."""
    titles = list(dict.fromkeys(job.title for job in batch if job.title))
    return (DOMAIN + " Articles: " + " / ".join(titles))[:2000]


@dataclass
class Outcome:
    lang: str
    units: int = 0
    requests: int = 0
    billed: int = 0
    error: str = ""


def client_from_env() -> deepl.DeepLClient:
    """The real client; `DEEPL_SERVER_URL` points it at any DeepL-compatible server."""
    key = os.environ.get("DEEPL_AUTH_KEY", "").strip()
    if not key:
        raise TranslateError("DEEPL_AUTH_KEY is not set: export DEEPL_AUTH_KEY=<your DeepL API key> and run again")
    timeout = os.environ.get("HELPCENTER_DEEPL_TIMEOUT")
    retries = os.environ.get("HELPCENTER_DEEPL_RETRIES")
    if timeout:
        deepl.http_client.min_connection_timeout = float(timeout)
    if retries:
        deepl.http_client.max_network_retries = int(retries)
    return deepl.DeepLClient(key, server_url=os.environ.get("DEEPL_SERVER_URL") or None, send_platform_info=False)


def explain(exc: Exception) -> str:
    """One line a user can act on, for each way DeepL can refuse."""
    if isinstance(exc, deepl.QuotaExceededException):
        return "DeepL quota exceeded (456): what was translated so far is saved; rerun when the quota resets"
    if isinstance(exc, deepl.AuthorizationException):
        return "DeepL rejected the key (403): check DEEPL_AUTH_KEY (and DEEPL_SERVER_URL for the free API)"
    if isinstance(exc, deepl.TooManyRequestsException):
        return "DeepL kept answering 429 Too Many Requests after retries: rerun later; saved work is kept"
    if isinstance(exc, deepl.ConnectionException):
        return "DeepL could not be reached or did not answer in time: check the network (or DEEPL_SERVER_URL) and rerun"
    if isinstance(exc, deepl.DeepLException):
        status = getattr(exc, "http_status_code", None)
        return f"DeepL refused the request{f' ({status})' if status else ''}: {str(exc).splitlines()[0][:200]}"
    return f"{type(exc).__name__}: {exc}"


def ensure_glossary(
    client: deepl.DeepLClient, glossary: Glossary, languages: list[Language], needed: list[Language] | None = None
) -> str | None:
    """The id of our multilingual glossary (a dictionary per language of `languages`), uploaded only
    when its content changed (named by hash) or it has no dictionary for a language in `needed` (one
    just added to mkdocs.yml)."""
    if not glossary.terms and not glossary.keep:
        return None
    name = f"helpcenter-{glossary.digest()}"
    wanted = {_glossary_lang(lang) for lang in (needed or languages) if glossary.pairs(lang.code)}
    existing = client.list_multilingual_glossaries()
    for info in existing:
        if info.name == name and wanted <= {d.target_lang.lower() for d in info.dictionaries}:
            return str(info.glossary_id)
    dictionaries = [
        MultilingualGlossaryDictionaryEntries("ja", _glossary_lang(lang), glossary.pairs(lang.code))
        for lang in languages
        if glossary.pairs(lang.code)
    ]
    if not dictionaries:
        return None
    created = client.create_multilingual_glossary(name, dictionaries)
    for info in existing:  # older versions of ours
        if info.name.startswith("helpcenter-"):
            client.delete_multilingual_glossary(info)
    return str(created.glossary_id)


def _glossary_lang(lang: Language) -> str:
    return lang.deepl.split("-")[0].lower()


def _store(job: Job, translated: str, lang: Language, glossary: Glossary) -> None:
    try:
        markdown = inline.decode(translated, job.encoded)
        error = None
    except inline.TagMismatch as exc:
        markdown = (
            "".join(inline.ET.fromstring(f"<r>{translated}</r>").itertext()) if _well_formed(translated) else translated
        )
        error = f"tags did not come back exactly once ({exc}); fix the markup by hand"
    if job.kind != "paragraph":
        markdown = " ".join(markdown.split("\n"))
    for _, entry in job.entries:
        catalog.set_machine(entry, markdown, f"{ENGINE} {lang.deepl}", error)
        missed = glossary.missed(job.text, markdown, lang.code)
        catalog.set_comment(entry, catalog.GLOSSARY_MARK, ("missed " + "; ".join(missed)) if missed else None)


def _well_formed(xml: str) -> bool:
    try:
        inline.ET.fromstring(f"<r>{xml}</r>")
    except inline.ET.ParseError:
        return False
    return True


class Saver:
    """Saves the catalogs of one language: each page's file, atomically, when it changed."""

    def __init__(self, corpus: Corpus, lang: str) -> None:
        self.corpus, self.lang = corpus, lang

    def save(self, pages: set[str]) -> None:
        for page in sorted(pages):
            merged: Merged = self.corpus.merged[page, self.lang]
            catalog.save(merged.po, po_path(self.corpus.project, self.lang, page))


def run_language(
    client: deepl.DeepLClient,
    corpus: Corpus,
    work: Plan,
    glossary_id: str | None,
    progress: Callable[[int], None],
    stop: threading.Event,
    glossary: Glossary,
) -> Outcome:
    """Translate one language's plan, saving after every request."""
    lang = work.lang
    outcome = Outcome(lang.code)
    saver = Saver(corpus, lang.code)
    for batch in batches(work.jobs):
        if stop.is_set():  # another language failed: its error is the one to report
            break
        options: dict[str, object] = {
            "source_lang": "JA",
            "target_lang": lang.deepl,
            "tag_handling": "xml",
            "ignore_tags": list(inline.IGNORE_TAGS),
            "split_sentences": "nonewlines",
            "preserve_formatting": True,
            "context": context_for(batch),
        }
        if lang.formality and lang.formality != "default":
            options["formality"] = lang.formality
        if glossary_id and glossary.pairs(lang.code):  # a language without terms has no dictionary
            options["glossary"] = glossary_id
        try:
            results = client.translate_text([job.encoded.xml for job in batch], **options)  # type: ignore[arg-type]
        except Exception as exc:  # every failure ends the run with one line; saved work stays
            outcome.error = explain(exc)
            stop.set()
            break
        outcome.requests += 1
        for job, result in zip(batch, results if isinstance(results, list) else [results], strict=True):
            _store(job, result.text, lang, glossary)
            outcome.billed += int(getattr(result, "billed_characters", 0) or 0)
            outcome.units += 1
        saver.save({page for job in batch for page, _ in job.entries})
        progress(len(batch))
    saver.save(set(p for p, lang_code in corpus.merged if lang_code == lang.code))
    return outcome


def run(
    client: deepl.DeepLClient,
    corpus: Corpus,
    plans: list[Plan],
    glossary: Glossary,
    progress: Callable[[str, int], None] = lambda lang, n: None,
) -> list[Outcome]:
    """Every language concurrently (catalogs are per language, so no two threads share a file)."""
    glossary_id = None
    needed = [p.lang for p in plans if p.jobs]
    if needed:
        try:
            glossary_id = ensure_glossary(client, glossary, list(corpus.project.languages), needed)
        except Exception as exc:
            raise TranslateError(explain(exc)) from None
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=max(1, len(plans))) as pool:
        futures = [
            pool.submit(run_language, client, corpus, p, glossary_id, partial(progress, p.lang.code), stop, glossary)
            for p in plans
        ]
        return [f.result() for f in futures]


def append_ledger(path: Path, outcomes: list[Outcome], started: float) -> None:
    """One line per run: when, how long, per language units/requests/billed, and how it ended.

    A run that sent nothing and did not fail leaves the ledger (and so the repository) untouched.
    """
    if not any(o.requests or o.error for o in outcomes):
        return
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [f"{o.lang}: units={o.units} requests={o.requests} billed={o.billed}" for o in outcomes]
    status = next((o.error for o in outcomes if o.error), "ok")
    line = f"{stamp}\t{time.monotonic() - started:.1f}s\t{' | '.join(parts)}\t{status}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(line)


@contextmanager
def run_lock(translations: Path) -> Iterator[None]:
    """One run at a time: a second one refuses with a clear message.

    An advisory lock (flock) held on translations/.lock: the kernel releases it when the process
    ends in any way, kill -9 included, so a dead run never blocks the next one.
    """
    translations.mkdir(parents=True, exist_ok=True)
    path = translations / ".lock"
    with path.open("a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "unknown"
            raise TranslateError(
                f"another `helpcenter translate` is running (pid {holder}); wait for it to finish and run again"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)
            fcntl.flock(f, fcntl.LOCK_UN)
