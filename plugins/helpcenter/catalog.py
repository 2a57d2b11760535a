"""Translation catalogs: one standard PO file per article and language, with review state.

Plain gettext semantics, so Poedit, Weblate and Lokalize work on the files as they are: an entry
without `fuzzy` is reviewed; `fuzzy` means it needs a reviewer; `#|` holds the previous source when it
changed. What gettext has no word for is kept in translator comments, which editors preserve:

- `machine-translated: <engine> <source hash>`: DeepL's output for the source with that hash. A fuzzy
  entry whose mark matches its msgid is a machine translation; any other fuzzy entry is stale.
- `qa-error: ...`: the translation failed an automatic check; it is never published.
- `previous translation: "..."`: the reviewed text from before the source changed, exactly: as quoted,
  escaped pieces on lines short enough that no PO writer wraps them (see `set_previous`).
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import polib

from .errors import HelpcenterError
from .segment import Unit

MT_MARK = "machine-translated:"
QA_MARK = "qa-error:"
PREV_MARK = "previous translation:"
GLOSSARY_MARK = "glossary:"
_MARKS = (MT_MARK, QA_MARK, PREV_MARK, GLOSSARY_MARK, "translated-by:")
FUZZY_MATCH_RATIO = 0.6
_UMASK = os.umask(0o022)  # read once (it can only be read by setting it), and set back at once
os.umask(_UMASK)
_WRAP = 79
_STRING_LINE = re.compile(r'^(#[~|] )?(msgid|msgid_plural|msgstr(\[\d+\])?|msgctxt)?\s*"')
_TERMINATED = re.compile(r'^(#[~|] )?(msgid|msgid_plural|msgstr(\[\d+\])?|msgctxt)?\s*"(?:[^"\\]|\\.)*"\s*$')


class State(StrEnum):
    """Where a unit's translation stands."""

    MISSING = "missing"
    MACHINE = "machine"
    REVIEWED = "reviewed"
    STALE = "stale"


class CatalogError(HelpcenterError, ValueError):
    """A catalog that cannot be read; names the file and line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message, path, line)


def source_hash(text: str) -> str:
    """A short, stable fingerprint of a source text (recorded with machine translations)."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def catalog_path(translations: Path, lang: str, page: str) -> Path:
    """translations/<lang>/<page without .md>.po"""
    return translations / lang / (page.removesuffix(".md") + ".po")


def _comment_lines(entry: polib.POEntry) -> list[str]:
    """Translator-comment lines, one per mark: polib wraps a long comment over several `# ` lines
    when it saves, so lines after a mark's line that start no mark of their own continue its value."""
    lines: list[str] = []
    continued = False
    for line in entry.tcomment.splitlines() if entry.tcomment else []:
        if continued and not line.startswith(_MARKS):
            lines[-1] += " " + line
            continue
        lines.append(line)
        continued = line.startswith(_MARKS)
    return lines


def set_comment(entry: polib.POEntry, mark: str, value: str | None) -> None:
    lines = [ln for ln in _comment_lines(entry) if not ln.startswith(mark)]
    if value is not None:
        lines.append(f"{mark} {value}")
    entry.tcomment = "\n".join(lines)


def comment(entry: polib.POEntry, mark: str) -> str | None:
    """The value of one of our translator-comment marks, or None."""
    for line in _comment_lines(entry):
        if line.startswith(mark):
            return line[len(mark) :].strip()
    return None


def set_previous(entry: polib.POEntry, text: str | None) -> None:
    """Keep the reviewed translation a changed unit had, so that the reviewer sees it exactly.

    A translator comment is the one place PO editors keep such text, but polib (like msgcat) wraps
    a long comment line at spaces and hyphens, which cannot be undone. So the text is stored as JSON
    strings (escapes for line breaks and quotes), each on its own line and short enough not to wrap.
    """
    lines = [ln for ln in _comment_lines(entry) if not ln.startswith(PREV_MARK)]
    room = _WRAP - len(f"# {PREV_MARK} ") - 1
    piece = ""
    for char in text or "":
        if piece and len(json.dumps(piece + char, ensure_ascii=False)) > room:
            lines.append(f"{PREV_MARK} {json.dumps(piece, ensure_ascii=False)}")
            piece = ""
        piece += char
    if piece:
        lines.append(f"{PREV_MARK} {json.dumps(piece, ensure_ascii=False)}")
    entry.tcomment = "\n".join(lines)


def previous_translation(entry: polib.POEntry) -> str | None:
    """The text `set_previous` stored (a comment of an older version, unquoted, is read as it is)."""
    pieces = [ln[len(PREV_MARK) :].strip() for ln in _comment_lines(entry) if ln.startswith(PREV_MARK)]
    out = []
    for piece in pieces:
        try:
            value = json.loads(piece) if piece.startswith('"') else piece
        except ValueError:
            value = piece
        out.append(value if isinstance(value, str) else piece)
    return "".join(out) or None


def state(entry: polib.POEntry | None) -> State:
    """The review state of an entry, from standard PO semantics plus our machine mark."""
    if entry is None or not entry.msgstr:
        return State.MISSING
    if not entry.fuzzy:
        return State.REVIEWED
    mark = comment(entry, MT_MARK)
    if mark and mark.split()[-1] == source_hash(entry.msgid):
        return State.MACHINE
    return State.STALE


def publishable(entry: polib.POEntry | None) -> bool:
    """A translation that exists and did not fail QA (policy decides the rest)."""
    return entry is not None and bool(entry.msgstr) and comment(entry, QA_MARK) is None


def set_machine(entry: polib.POEntry, text: str, engine: str, qa_error: str | None = None) -> None:
    """Store a machine translation: fuzzy, marked with its engine and the source it translates.

    A reviewed text it replaces stays in a comment, where the reviewer sees it.
    """
    if entry.msgstr and not entry.fuzzy:
        set_previous(entry, entry.msgstr)
    entry.msgstr = text
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    set_comment(entry, MT_MARK, f"{engine} {source_hash(entry.msgid)}")
    set_comment(entry, QA_MARK, qa_error)


def set_qa_error(entry: polib.POEntry, message: str | None) -> None:
    """Record (or clear) an automatic check's failure; such an entry is never published."""
    set_comment(entry, QA_MARK, message.replace("\n", " ") if message else None)


def approve(entry: polib.POEntry) -> bool:
    """Mark a translated entry reviewed exactly as a PO editor does when the reviewer clears fuzzy:
    the flag and the previous source (`#|`) go, the comments stay. A `qa-error:` comment is for the
    reviewer to remove once the markup is fixed: approving does not fix it."""
    if not entry.msgstr or not entry.fuzzy:
        return False
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    return True


def set_reviewer(po: polib.POFile, name: str) -> None:
    """Who approved last, where PO editors write it (Poedit: `Last-Translator`)."""
    po.metadata["Last-Translator"] = name


def copy_translation(source: polib.POEntry, target: polib.POEntry) -> None:
    """Give `target` the translation and review state of `source` (the same msgid, another copy)."""
    target.msgstr = source.msgstr
    target.flags = list(source.flags)
    target.tcomment = source.tcomment
    target.previous_msgid = source.previous_msgid


def set_human(entry: polib.POEntry, text: str, translator: str) -> None:
    """Store a translation written by a person: reviewed, never labelled machine-translated."""
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    for mark in (MT_MARK, QA_MARK, PREV_MARK, GLOSSARY_MARK):
        set_comment(entry, mark, None)
    set_comment(entry, "translated-by:", translator)


def new_catalog(lang: str, page: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=_WRAP)
    po.metadata = {
        "Project-Id-Version": f"helpcenter {page}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


UNREADABLE = "the PO file cannot be read"  # how every catalog error starts: commands refuse to rewrite such a file


def load(path: Path, lang: str, page: str, display: str | None = None, data: bytes | None = None) -> polib.POFile:
    """Read a catalog (a new empty one when the file does not exist); CatalogError where msgfmt would
    reject the file. `data`: the file's bytes when the caller has read them already (and hashed them)."""
    if data is None:
        if not path.exists():
            return new_catalog(lang, page)
        data = path.read_bytes()
    where = display or str(path)
    if data.startswith(codecs.BOM_UTF8):  # msgfmt: "syntax error" at 1:2
        raise CatalogError(
            where,
            1,
            f"{UNREADABLE}: it starts with a byte-order mark (BOM), which msgfmt rejects; save it as UTF-8 without BOM",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(where, line, f"{UNREADABLE}: it is not valid UTF-8; save the file as UTF-8") from None
    for n, line_text in enumerate(text.splitlines(), 1):  # polib silently accepts an unterminated string
        if _STRING_LINE.match(line_text) and not _TERMINATED.match(line_text):
            raise CatalogError(
                where,
                n,
                f'{UNREADABLE} (a string is not closed with `"`); fix the entry there, or restore the file from git',
            )
    if not text.strip():
        return new_catalog(lang, page)
    try:
        po = polib.pofile(text, wrapwidth=_WRAP, encoding="utf-8")
    except (OSError, ValueError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise CatalogError(
            where,
            int(m.group(1)) if m else 1,
            f"{UNREADABLE} ({str(exc).strip(' :()')}); fix the entry there, or restore the file from git",
        ) from None
    _check_duplicates(po, where)
    return po


def _check_duplicates(po: polib.POFile, where: str) -> None:
    """msgfmt's rule: a msgid (with its msgctxt) is defined once, obsolete entries included. polib
    keeps both and the second silently wins, which would replace a reviewed translation."""
    first: dict[tuple[str | None, str], int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in first:
            raise CatalogError(
                where,
                entry.linenum or 1,
                f"{UNREADABLE}: this msgid is defined twice (first at line {first[key]}), which msgfmt rejects; "
                "keep the entry with the right translation and delete the other",
            )
        first[key] = entry.linenum or 1


@dataclass(frozen=True)
class Merged:
    """A catalog brought up to date with a document, and the entry for each of its units."""

    po: polib.POFile
    entries: list[polib.POEntry]  # parallel to the document's units


def merge(units: Iterable[Unit], po: polib.POFile, source_path: str) -> Merged:
    """The catalog for the current source: exact matches kept, changed units matched to old ones.

    Like msgmerge: a unit whose text changed finds its old entry by similarity and keeps the old
    translation as fuzzy with `#|` (stale); entries no longer used become obsolete, so no translation
    is ever thrown away. Pure: nothing is written.
    """
    units = list(units)
    old = {e.msgid: e for e in po if e.msgid}
    result = polib.POFile(wrapwidth=_WRAP)
    result.metadata = dict(po.metadata)
    by_id: dict[str, polib.POEntry] = {}
    entries: list[polib.POEntry] = []
    fresh: list[polib.POEntry] = []
    first: list[tuple[polib.POEntry, Unit]] = []
    for unit in units:
        entry = by_id.get(unit.text)
        if entry is None:
            prev = old.get(unit.text)
            entry = _copy(prev) if prev is not None else polib.POEntry(msgid=unit.text, msgstr="")
            entry.obsolete = False
            entry.occurrences = []
            first.append((entry, unit))
            by_id[unit.text] = entry
            result.append(entry)
            if prev is None:
                fresh.append(entry)
        entry.occurrences.append((source_path, str(unit.line)))
        entries.append(entry)
    unused = [e for msgid, e in old.items() if msgid not in by_id and e.msgstr]
    for entry in fresh:
        match = _closest(entry.msgid, unused)
        if match is not None:
            unused.remove(match)
            entry.msgstr = match.msgstr
            entry.tcomment = match.tcomment
            entry.flags = [f for f in match.flags if f != "fuzzy"] + ["fuzzy"]
            entry.previous_msgid = match.previous_msgid if match.fuzzy and match.previous_msgid else match.msgid
            if not match.fuzzy:  # reviewed work: kept for the reviewer once DeepL replaces msgstr
                set_previous(entry, match.msgstr)
    for entry, unit in first:
        entry.comment = _context(unit, by_id)
    for entry in unused:
        gone = _copy(entry)
        gone.obsolete = True
        gone.occurrences = []
        gone.previous_msgid = None
        result.append(gone)
    return Merged(result, entries)


def _context(unit: Unit, by_id: dict[str, polib.POEntry]) -> str:
    """The `#.` comment an editor shows: the unit's kind and its section, named by the section's
    heading in the catalog's language (where it is translated) and in Japanese."""
    if not unit.section or unit.kind == "heading":
        return unit.kind
    heading = by_id.get(unit.section)
    translated = heading.msgstr.replace("\n", " ") if heading is not None else ""
    return f"{unit.kind} in «{translated}» («{unit.section}»)" if translated else f"{unit.kind} in «{unit.section}»"


def _closest(text: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_MATCH_RATIO
    for cand in candidates:
        matcher = difflib.SequenceMatcher(None, text, cand.msgid, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = cand, ratio
    return best


def _copy(entry: polib.POEntry) -> polib.POEntry:
    copy = polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        flags=list(entry.flags),
        tcomment=entry.tcomment,
        comment=entry.comment,
        previous_msgid=entry.previous_msgid,
        occurrences=list(entry.occurrences),
    )
    copy.linenum = getattr(entry, "linenum", 0)
    return copy


def render(po: polib.POFile) -> str:
    return str(po) + "\n"


def save(po: polib.POFile, path: Path) -> bool:
    """Write atomically (temp file, fsync, rename); returns False when the content is unchanged.

    A run killed at any moment leaves either the old or the new file, both valid.
    """
    text = render(po)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    po.metadata["PO-Revision-Date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    text = render(po)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    return True


def atomic_write(path: Path, text: str) -> None:
    """Replace a file's content so that readers see the old or the new file, never a part.

    The new file keeps the mode of the one it replaces (a new file gets the umask's), not the 0600 of
    a temporary file: a catalog stays readable by the group or the web server that read it before.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
