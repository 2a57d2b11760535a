"""`helpcenter report`: the translation state and the last DeepL bill as Markdown, for people who read it
on GitHub (the machine-translation pull request's description, a pull request's job summary).

Also the Markdown form of QA findings (`helpcenter check --format markdown`). Everything here only
formats what status.py, the ledger (translate.Ledger) and qa.py already know.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import commands
from .catalog import State
from .errors import HelpcenterError, display
from .findings import Finding
from .project import Project
from .site_strings import SITE
from .status import ORDER, Counts, Status, counts
from .strings import SHOWN_AS

LEDGER = "ledger.tsv"
FINDINGS_LIMIT = 300  # a job summary holds 1 MiB; past this many findings, say how many more there are

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # inline markup; the text never starts a line


def escape(text: str) -> str:
    """Text that GitHub's Markdown shows as written (no emphasis, links, HTML or table breaks)."""
    return _escape(" ".join(text.split()))


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def escape_message(text: str) -> str:
    """A message of ours: its `code` spans stay code, the rest is escaped."""
    parts = " ".join(text.split()).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: all of it is text
        return escape(text)
    return "`".join(part if i % 2 else _escape(part) for i, part in enumerate(parts))


# --- the ledger --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageBill:
    lang: str
    units: int
    requests: int
    billed: int


@dataclass(frozen=True)
class LedgerRun:
    """A run of `helpcenter translate` in translations/ledger.tsv (see translate.Ledger): its lines
    added up per language."""

    when: str
    duration: str
    languages: tuple[LanguageBill, ...]
    status: str  # "ok", the one-line error the run stopped with, or why it has no end line
    run: str = ""  # the id its lines share; "" for a line of the older one-line-per-run format

    @property
    def billed(self) -> int:
        return sum(b.billed for b in self.languages)


_PART = re.compile(
    r"^\s*(?P<lang>[^:\s]+):\s*units=(?P<units>\d+)\s+requests=(?P<requests>\d+)\s+billed=(?P<billed>\d+)"
)
NO_END = "stopped before it could record its end (killed?); the bills above are every answer it saved"


def parse_ledger_line(line: str) -> LedgerRun | None:
    """A ledger line, or None when it is not one (a hand edit)."""
    fields = line.rstrip("\n").split("\t")
    if len(fields) < 4:
        return None
    bills = []
    for part in fields[2].split("|") if fields[2].strip() else []:
        m = _PART.match(part)
        if m is None:
            return None
        bills.append(LanguageBill(m["lang"], int(m["units"]), int(m["requests"]), int(m["billed"])))
    run = fields[3].removeprefix("run=") if fields[3].startswith("run=") else ""
    status = "\t".join(fields[4:] if run else fields[3:]).strip() or "ok"
    return LedgerRun(fields[0], fields[1], tuple(bills), status, run)


def last_run(path: Path) -> LedgerRun | None:
    """The last run recorded in the ledger, its lines added up; None without a ledger or a readable last line."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    last = parse_ledger_line(lines[-1]) if lines else None
    if last is None or not last.run:
        return last
    parts = [r for r in map(parse_ledger_line, lines) if r is not None and r.run == last.run]
    totals: dict[str, list[int]] = {}
    for bill in (b for r in parts for b in r.languages):
        total = totals.setdefault(bill.lang, [0, 0, 0])
        total[0] += bill.units
        total[1] += bill.requests
        total[2] += bill.billed
    status = last.status if last.status != "request" else NO_END
    bills = tuple(LanguageBill(lang, *total) for lang, total in totals.items())
    return LedgerRun(parts[0].when, last.duration, bills, status, last.run)


def ledger_markdown(run: LedgerRun | None, shown: str) -> str:
    out = ["### DeepL: characters billed", ""]
    if run is None:
        return "\n".join([*out, f"No DeepL run is recorded in `{shown}`.", ""])
    ended = "completed" if run.status == "ok" else f"**stopped**: {escape(run.status)}"
    out += [
        f"Last run: {escape(run.when)} ({escape(run.duration)}), {ended}. **{run.billed:,} characters billed.**",
        "",
        "| language | units | requests | billed characters |",
        "| --- | ---: | ---: | ---: |",
    ]
    for b in run.languages:
        out.append(f"| {escape(b.lang)} | {b.units} | {b.requests} | {b.billed:,} |")
    units = sum(b.units for b in run.languages)
    requests = sum(b.requests for b in run.languages)
    out += [f"| **total** | {units} | {requests} | **{run.billed:,}** |", ""]
    return "\n".join(out)


# --- the translation state ---------------------------------------------------------------------------


def _names(project: Project) -> dict[str, str]:
    return {lang.code: lang.name for lang in project.languages}


def _page_table(pages: dict[str, Counts], names: Iterable[str]) -> list[str]:
    columns = [s for s in ORDER if s is not State.REVIEWED] + [State.REVIEWED]
    out = ["| page | " + " | ".join(s.value for s in columns) + " |", "| --- |" + " ---: |" * len(columns)]
    for page in names:
        c = pages[page]
        out.append(f"| `{page}` | " + " | ".join(str(c[s]) for s in columns) + " |")
    return out


def status_markdown(project: Project, data: Status, changed: dict[str, list[str]] | None = None) -> str:
    """The state per language, then per language a table of pages.

    Without `changed`: every page that is not fully reviewed. With `changed` (language -> docs/ pages
    whose catalog changed): exactly those pages, which is what a reviewer of that change reads.
    """
    names = _names(project)
    out = [
        "### Translation status",
        "",
        "| language | reviewed | machine | stale | missing |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for code, lang in data.languages.items():
        out.append(f"| {code} ({escape(names.get(code, code))}) | " + " | ".join(lang.counts.cells()) + " |")
    out.append("")
    if changed is not None:
        out += ["### Changed catalogs, per language", ""]
    for code, lang in data.languages.items():
        if changed is not None:
            chosen = [p for p in changed.get(code, []) if p in lang.pages]
            out.append(f"#### {code} ({escape(names.get(code, code))})")
            out.append("")
            if not chosen:
                out += ["No catalog of this language changed.", ""]
                continue
            machine = sum(lang.pages[p].machine for p in chosen)
            stale = sum(lang.pages[p].stale for p in chosen)
            out += [f"{len(chosen)} page(s): {machine} machine-translated and {stale} stale unit(s) to review.", ""]
        else:
            chosen = lang.open_pages()
            if not chosen:
                continue
            out += [f"#### {code} ({escape(names.get(code, code))}): pages not fully reviewed", ""]
        out += [*_page_table(lang.pages, chosen), ""]
    if changed is None and all(lang.counts.fully_reviewed for lang in data.languages.values()):
        out += ["Every unit of every language is reviewed.", ""]
    return "\n".join(out)


def changed_pages(project: Project, targets: list[str]) -> dict[str, list[str]]:
    """Catalog paths (translations/<lang>/<page>.po, as `git diff --name-only` prints them) -> the
    docs/ pages whose catalog changed, per language; a path that is not one is an error naming it."""
    codes = {lang.code for lang in project.languages}
    translations = project.translations.resolve()
    out: dict[str, list[str]] = {}
    for raw in targets:
        path = Path(raw)
        rel: Path | None = None
        for candidate in [path] if path.is_absolute() else [Path.cwd() / path, project.root / path]:
            try:
                rel = candidate.resolve().relative_to(translations)
                break
            except ValueError:
                continue
        if rel is None or len(rel.parts) < 2 or rel.suffix != ".po" or rel.parts[0] not in codes:
            raise HelpcenterError(f"{raw}: not a catalog (translations/<language>/<page>.po)")
        page = f"{project.docs.name}/" + Path(*rel.parts[1:]).with_suffix(".md").as_posix()
        page = SHOWN_AS if rel.parts[1:] == (Path(SITE).with_suffix(".po").name,) else page  # the site's words
        pages = out.setdefault(rel.parts[0], [])
        if page not in pages:
            pages.append(page)
    return {code: sorted(pages) for code, pages in out.items()}


# --- QA findings ------------------------------------------------------------------------------------


def findings_markdown(findings: list[Finding], warnings: bool, pages: int, languages: int) -> str:
    """QA findings as a Markdown list (errors first), then the same count line as `helpcenter check`."""
    errors = [f for f in findings if f.level == "error"]
    warns = [f for f in findings if f.level == "warning"]
    shown = sorted(errors if not warnings else errors + warns, key=lambda f: (f.level != "error", f.path, f.line))
    out = [f"**{len(errors)} error(s), {len(warns)} warning(s)** in {pages} pages x {languages} languages", ""]
    for f in shown[:FINDINGS_LIMIT]:
        unit = f" (unit: {escape(f.unit[:80])})" if f.unit else ""
        out.append(f"- **{f.level}** `{f.path}:{f.line}`: {escape_message(f.message)}{unit}")
    if len(shown) > FINDINGS_LIMIT:
        out.append(f"- … and {len(shown) - FINDINGS_LIMIT} more: run `helpcenter check --warnings`")
    if not shown:
        out.append("Nothing to report." if warnings or not warns else "No errors (`--warnings` lists the warnings).")
    return "\n".join(out) + "\n"


# --- the command -------------------------------------------------------------------------------------


def cmd_report(args: argparse.Namespace, project: Project) -> int:
    from rich.markdown import Markdown  # only to show it in a terminal

    changed = changed_pages(project, args.catalogs) if args.catalogs else None
    corpus = commands.corpus(args, project, commands.languages(project, args.lang))
    parts = [status_markdown(project, counts(corpus), changed)]
    if args.ledger:
        path = project.translations / LEDGER
        parts.append(ledger_markdown(last_run(path), display(path, project.root)))
    text = "\n".join(parts)
    if args.markdown:
        print(text, end="")
    else:
        commands.out.print(Markdown(text))
    return 0


def add_parser(sub: Any) -> None:
    """`helpcenter report` on the command line's subparsers."""
    r = sub.add_parser("report", help="translation status (and the last DeepL bill) as Markdown")
    r.add_argument("--markdown", action="store_true", help="print Markdown source (default: render it in the terminal)")
    r.add_argument("--ledger", action="store_true", help="add the characters billed by the last DeepL run")
    r.add_argument("--lang", action="append", help="a language code (repeatable; default: all)")
    r.add_argument(
        "catalogs",
        nargs="*",
        metavar="CATALOG",
        help="only these changed catalogs (translations/<lang>/<page>.po), as `git diff --name-only` lists them",
    )
    r.set_defaults(func=cmd_report, paths=[])
