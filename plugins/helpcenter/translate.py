"""The engine: DeepL fills what is new or changed, and nothing else.

Only units that are missing or stale are sent, each distinct text once per language. Reviewed work is
never overwritten: a stale reviewed unit gets the new machine translation as fuzzy, with the old
source in `#|` and the reviewed text in a comment. Each answer is written to the ledger and the
catalogs before the next request starts (atomically, and without undoing what others saved meanwhile:
`Saver`), so a run that stops (quota, network, Ctrl-C, SIGTERM, kill -9) loses nothing it was billed
for but the requests in flight, and the next run goes on from there. A signal stops every language
(`stop_on_signals`, README "Reliability").
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import deepl
import polib
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from . import catalog, inline, locks, site_strings
from .catalog import State
from .corpus import Corpus
from .errors import HelpcenterError, display
from .glossary import Glossary
from .project import Language

N = TypeVar("N", int, float)
MAX_TEXTS = 50  # DeepL: texts per request
MAX_BYTES = 120 * 1024  # DeepL: 128 KiB per request; the rest is left for the other fields
ENGINE = "deepl"
DOMAIN = "Help center of a cryptocurrency exchange."
SITE_TITLE = "Labels and notices of the help center's pages"  # context for the site's own words


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


def plan(corpus: Corpus, lang: Language, glossary: Glossary, site: bool = True) -> Plan:
    """What must be sent for one language: missing and stale units, each distinct text once; `site`:
    the site's own words too (not when the command line names pages)."""
    jobs: dict[str, Job] = {}
    for page in corpus.unit_pages() if site else sorted(corpus.docs):
        merged = corpus.merged[page, lang.code]
        doc = corpus.docs.get(page)
        title = str(doc.front_matter.get("title", "")) if doc else SITE_TITLE
        for unit, entry in zip(corpus.units(page), merged.entries, strict=True):
            if catalog.state(entry) not in (State.MISSING, State.STALE):
                continue
            job = jobs.get(unit.text)
            if job is None:
                keep = [*glossary.keep, *site_strings.fields(unit.text)]  # `{count}`: filled by the code
                job = jobs[unit.text] = Job(unit.text, unit.kind, inline.encode(unit.text, keep), title)
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
    notes: list[str] = field(default_factory=list)  # what the save left as it was on disk, and why


def client_from_env() -> deepl.DeepLClient:
    """The real client; `DEEPL_SERVER_URL` points it at any DeepL-compatible server."""
    key = os.environ.get("DEEPL_AUTH_KEY", "").strip()
    if not key:
        raise TranslateError("DEEPL_AUTH_KEY is not set: export DEEPL_AUTH_KEY=<your DeepL API key> and run again")
    if any(c.isspace() or not c.isprintable() for c in key):  # a key pasted with a line break: never echo it
        raise TranslateError(
            f"DEEPL_AUTH_KEY has a space, a line break or a control character inside ({len(key)} characters)",
            hint="copy the key again from your DeepL account, on one line",
        )
    timeout = _number("HELPCENTER_DEEPL_TIMEOUT", float)
    retries = _number("HELPCENTER_DEEPL_RETRIES", int)
    if timeout is not None:
        deepl.http_client.min_connection_timeout = timeout
    if retries is not None:
        deepl.http_client.max_network_retries = retries
    return deepl.DeepLClient(key, server_url=os.environ.get("DEEPL_SERVER_URL") or None, send_platform_info=False)


def _number(name: str, kind: type[N]) -> N | None:
    """An optional numeric setting from the environment, or an error naming it."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = kind(-1)
    if value < 0:
        what = "a whole number" if kind is int else "a number of seconds"
        raise TranslateError(f"{name}={raw!r} is not {what}", hint=f"e.g. {name}=3, or unset it")
    return value


def explain(exc: Exception) -> str:
    """One line a user can act on, for each way DeepL can refuse; never the key, whatever a library
    puts in its message."""
    message = _explain(exc)
    key = os.environ.get("DEEPL_AUTH_KEY", "").strip()
    return message.replace(key, "<DEEPL_AUTH_KEY>") if key else message


def _explain(exc: Exception) -> str:
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


def glossary_prefix(project_id: str) -> str:
    """The start of the names of this site's glossaries; one DeepL account may serve several sites."""
    if not project_id:
        raise TranslateError(
            "mkdocs.yml has no site_url: DeepL glossaries are named after the site",
            hint="set site_url (or the helpcenter plugin's project_id) in mkdocs.yml",
        )
    return f"helpcenter-{project_id}-"


def ensure_glossary(
    client: deepl.DeepLClient,
    glossary: Glossary,
    languages: list[Language],
    needed: list[Language] | None = None,
    project_id: str = "",
) -> str | None:
    """The id of our multilingual glossary (a dictionary per language of `languages`), uploaded only
    when its content changed (named by hash) or it has no dictionary for a language in `needed` (one
    just added to mkdocs.yml). Older glossaries of this site are deleted; other sites' stay."""
    if not glossary.terms and not glossary.keep:
        return None
    prefix = glossary_prefix(project_id)
    name = prefix + glossary.digest()
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
    for info in existing:  # older versions of this site's
        if info.name.startswith(prefix):
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


def _signature(entry: polib.POEntry | None) -> tuple[object, ...] | None:
    """What a person can change in an entry: compared to see whether someone else changed it."""
    if entry is None:
        return None
    return (entry.msgstr, entry.fuzzy, entry.previous_msgid, entry.tcomment)


class Saver:
    """Saves one language's catalogs without losing what others changed on disk during the run.

    Each save re-reads the file under the write lock, merges it with the source as it was loaded and
    applies only this run's translations, and only to entries that nobody changed since the run read
    them (or last wrote them): a reviewer's edit in Poedit, a `review --approve` or an `import` made
    while DeepL was working stays, and the run says so.
    """

    def __init__(self, corpus: Corpus, lang: str) -> None:
        self.corpus, self.lang = corpus, lang
        self.own: dict[str, set[str]] = {}  # page -> msgids this run translated
        self.seen: dict[str, dict[str, tuple[object, ...] | None]] = {
            page: {e.msgid: _signature(e) for e in merged.entries}
            for (page, code), merged in corpus.merged.items()
            if code == lang
        }  # page -> msgid -> the entry as this run last saw it on disk
        self.notes: list[str] = []

    def translated(self, page: str, entry: polib.POEntry) -> None:
        self.own.setdefault(page, set()).add(entry.msgid)

    def save(self, pages: set[str]) -> None:
        with locks.write_lock(self.corpus.project.translations):
            for page in sorted(pages):
                self._save(page)

    def _save(self, page: str) -> None:
        path = catalog.catalog_path(self.corpus.project.translations, self.lang, page)
        where = display(path, self.corpus.project.root)
        try:
            on_disk = catalog.load(path, self.lang, page, where)
        except catalog.CatalogError as exc:
            self.notes.append(f"{exc} (not rewritten: this run's translations of it are lost until it is fixed)")
            self.own.pop(page, None)
            return
        site = self.corpus.site
        if page == site_strings.SITE and site is not None:
            fresh = site_strings.merge(site.units, on_disk)
        else:
            fresh = catalog.merge(self.corpus.docs[page].units, on_disk, f"docs/{page}")
        ours = {e.msgid: e for e in self.corpus.merged[page, self.lang].entries}
        seen = self.seen[page]
        for entry in fresh.entries:
            if entry.msgid not in self.own.get(page, ()):
                continue
            if _signature(entry) == seen.get(entry.msgid):
                catalog.copy_translation(ours[entry.msgid], entry)
            else:
                self.own[page].discard(entry.msgid)
                line = next((e.linenum for e in on_disk if e.msgid == entry.msgid), 0)
                self.notes.append(
                    f"{where}:{line or 1}: changed on disk during the run; kept as it is there "
                    "(DeepL's translation of it was not applied)"
                )
        catalog.save(fresh.po, path)
        self.seen[page] = {e.msgid: _signature(e) for e in catalog.load(path, self.lang, page, where)}


GRACE = 5.0  # seconds the requests in flight are awaited after SIGINT or SIGTERM


@dataclass
class Session:
    """What the threads of one run share: the ledger, why it stops, and a lock that orders each
    request's bookkeeping (ledger line, catalogs) before the run's end, so that nothing is written
    after the command has said what was saved."""

    ledger: Ledger
    stop: threading.Event = field(default_factory=threading.Event)
    signal: int | None = None
    closed: bool = False
    commit: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def stop_on_signals(session: Session) -> Iterator[None]:
    """SIGINT and SIGTERM end the run: no request starts after them (the default handlers would
    leave the other languages' threads sending and billing until they are done)."""

    def handler(signum: int, frame: object) -> None:
        session.signal = signum
        session.stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def run_language(
    client: deepl.DeepLClient,
    corpus: Corpus,
    work: Plan,
    glossary_id: str | None,
    progress: Callable[[int], None],
    session: Session,
    glossary: Glossary,
    outcome: Outcome,
) -> None:
    """Translate one language's plan; each answer is billed in the ledger and saved before the next
    request starts."""
    lang = work.lang
    saver = Saver(corpus, lang.code)
    outcome.notes = saver.notes
    for batch in batches(work.jobs):
        if session.stop.is_set():  # a signal, or another language failed: its error is the one to report
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
            session.stop.set()
            break
        answered = results if isinstance(results, list) else [results]
        billed = sum(int(getattr(r, "billed_characters", 0) or 0) for r in answered)
        with session.commit:
            if session.closed:  # answered after the run ended: billed, not recorded (README "Reliability")
                return
            session.ledger.bill(lang.code, len(batch), billed)
            outcome.requests += 1
            outcome.billed += billed
            outcome.units += len(batch)
            for job, result in zip(batch, answered, strict=True):
                _store(job, result.text, lang, glossary)
                for page, entry in job.entries:
                    saver.translated(page, entry)
            saver.save({page for job in batch for page, _ in job.entries})
        progress(len(batch))
    with session.commit:
        if not session.closed:
            saver.save(set(p for p, lang_code in corpus.merged if lang_code == lang.code))


def run(
    client: deepl.DeepLClient,
    corpus: Corpus,
    plans: list[Plan],
    glossary: Glossary,
    session: Session,
    progress: Callable[[str, int], None] = lambda lang, n: None,
) -> list[Outcome]:
    """Every language concurrently (catalogs are per language, so no two threads share a file).

    The threads are daemons: after a signal the run waits GRACE seconds for the requests in flight,
    then ends, and a thread still waiting for DeepL dies with the process.
    """
    outcomes = [Outcome(p.lang.code) for p in plans]
    glossary_id = None
    needed = [p.lang for p in plans if p.jobs]
    if needed and not session.stop.is_set():
        glossary_prefix(corpus.project.id)  # a configuration error is said before anything is sent
        try:
            glossary_id = ensure_glossary(client, glossary, list(corpus.project.languages), needed, corpus.project.id)
        except Exception as exc:  # the same fault as on a translate request: the same exit
            for o in outcomes:
                o.error = explain(exc)
            return outcomes
    crashed: list[BaseException] = []

    def work(p: Plan, outcome: Outcome) -> None:
        try:
            run_language(client, corpus, p, glossary_id, partial(progress, p.lang.code), session, glossary, outcome)
        except BaseException as exc:  # a bug or an unwritable file: stop the others, report it in the main thread
            crashed.append(exc)
            session.stop.set()

    threads = [
        threading.Thread(target=work, args=(p, o), name=f"translate-{p.lang.code}", daemon=True)
        for p, o in zip(plans, outcomes, strict=True)
    ]
    for t in threads:
        t.start()
    deadline: float | None = None
    while any(t.is_alive() for t in threads):
        if deadline is None and session.signal is not None:
            deadline = time.monotonic() + GRACE
        if deadline is not None and time.monotonic() >= deadline:
            break
        next(t for t in threads if t.is_alive()).join(0.1)
    with session.commit:
        session.closed = True
    if crashed:
        raise crashed[0]
    return outcomes


class Ledger:
    """translations/ledger.tsv, the bill: a line per answered request, appended and flushed to disk
    before the next request starts, so that it holds every bill whatever ends the run (kill -9 loses
    at most the requests in flight); and a line when the run ends, with how it ended. The lines of a
    run share its id (`run=`); `helpcenter report --ledger` adds them up.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.monotonic()
        self.id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]  # unique, sortable
        self.lines = 0
        self._lock = threading.Lock()

    def bill(self, lang: str, units: int, billed: int) -> None:
        self._append(f"{lang}: units={units} requests=1 billed={billed}", "request")

    def end(self, status: str) -> None:
        """The run's last line; a run that sent nothing and did not fail leaves the ledger untouched."""
        if self.lines or status != "ok":
            self._append("", status)

    def _append(self, bills: str, status: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{stamp}\t{time.monotonic() - self.started:.1f}s\t{bills}\trun={self.id}\t{status}\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())
            self.lines += 1
