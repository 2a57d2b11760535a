"""`helpcenter`: the commands writers, reviewers, support staff and CI run.

translate  machine-translate what is new or changed (DeepL)
review     list what needs review, with the Japanese change; approve it
status     reviewed / machine / stale / missing units per language and page
check      QA of the sources and every translation; exit 1 on errors
import     store whole translated Markdown files as human translations
report     the status and the last DeepL bill as Markdown (report.py)
incident   declare or clear the incident in progress (incident_cli.py)
verify     is this link, address or number an official channel? (verify_cli.py)
build      build the site, the languages side by side, and merge them (build.py)

Each command gets the project loaded once from mkdocs.yml (project.py) and shares commands.py.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from . import (
    build,
    catalog,
    commands,
    importer,
    incident_cli,
    locks,
    qa,
    report,
    review,
    site_strings,
    status,
    translate,
    verify_cli,
)
from .commands import err, out
from .corpus import Corpus
from .errors import HelpcenterError, read_text
from .glossary import load as load_glossary
from .project import Project
from .project import load as load_project
from .segment import FrontMatterError, parse
from .strings import SHOWN_AS


def cmd_translate(args: argparse.Namespace, project: Project) -> int:
    languages = commands.languages(project, args.lang)
    corpus = commands.corpus(args, project, languages)
    glossary = load_glossary(project.glossary_path)
    plans = [translate.plan(corpus, lang, glossary, site=not args.paths) for lang in languages]
    if args.dry_run:
        table = Table("language", "DeepL", "units", "characters", "requests", title="Would be sent (dry run)")
        for p in plans:
            table.add_row(
                p.lang.code,
                p.lang.deepl,
                str(len(p.jobs)),
                str(p.characters),
                str(len(list(translate.batches(p.jobs)))),
            )
        out.print(table)
        return 0
    client = translate.client_from_env()
    session = translate.Session(translate.Ledger(project.translations / report.LEDGER))
    with locks.run_lock(project.translations), translate.stop_on_signals(session):
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=False,
            disable=not err.is_terminal,
        ) as bar:
            tasks = {p.lang.code: bar.add_task(f"{p.lang.code} ({p.lang.deepl})", total=len(p.jobs)) for p in plans}
            try:
                outcomes = translate.run(
                    client, corpus, plans, glossary, session, lambda code, n: bar.advance(tasks[code], n)
                )
            except BaseException as exc:  # the bills so far are in the ledger: say how their run ended
                if session.ledger.lines:
                    session.ledger.end("stopped by an error: " + " ".join(str(exc).split())[:200])
                raise
        failed = next((o.error for o in outcomes if o.error), None)
        stopped = signal.Signals(session.signal).name if session.signal else None
        session.ledger.end(f"interrupted by {stopped}" if stopped else failed or "ok")
    table = Table("language", "units", "requests", "billed characters", title="DeepL")
    for o in outcomes:
        table.add_row(o.lang, str(o.units), str(o.requests), str(o.billed))
    out.print(table)
    for o in outcomes:
        for note in o.notes:
            out.print(note, markup=False)
    if stopped:
        requests, billed = sum(o.requests for o in outcomes), sum(o.billed for o in outcomes)
        err.print(
            f"helpcenter translate: interrupted by {stopped}: stopped sending; the {requests} answered request(s)"
            f" ({billed} characters billed) are saved in the catalogs and {report.LEDGER}; run it again for the rest",
            markup=False,
        )
        return 128 + int(session.signal or 0)
    if failed:
        err.print(f"helpcenter translate: {failed}", markup=False)
        return 1
    return 0


def cmd_status(args: argparse.Namespace, project: Project) -> int:
    corpus = commands.corpus(args, project, commands.languages(project, args.lang))
    data = status.counts(corpus)
    if args.json:
        print(json.dumps(data.as_json(), ensure_ascii=False, indent=2))
        return 0
    for code, lang in data.languages.items():
        summary = f"{code}: " + ", ".join(
            f"{s.value} {cell}" for s, cell in zip(status.ORDER, lang.counts.cells(), strict=True)
        )
        rows = [(page, c) for page, c in lang.pages.items() if args.all or not c.fully_reviewed]
        if not rows:  # one line per language, also when there is no page to list
            out.print(summary + ("" if args.all else "; every page reviewed"), markup=False)
            continue
        table = Table("page", *(s.value for s in status.ORDER), title=summary)
        for page, c in rows:
            table.add_row(page, *(str(c[s]) for s in status.ORDER))
        out.print(table)
    return 0


def cmd_check(args: argparse.Namespace, project: Project) -> int:
    corpus = commands.corpus(args, project, commands.languages(project, args.lang))
    qa.check_corpus(corpus)
    errors = [f for f in corpus.findings if f.level == "error"]
    warnings = [f for f in corpus.findings if f.level == "warning"]
    if args.format == "markdown":  # for a pull request's job summary
        print(report.findings_markdown(corpus.findings, args.warnings, len(corpus.docs), len(corpus.languages)), end="")
        return 1 if errors else 0
    for f in sorted(corpus.findings, key=lambda f: (f.level != "error", f.path, f.line)):
        if f.level == "error" or args.warnings:
            (err if f.level == "error" else out).print(str(f), markup=False)
    out.print(
        f"{len(errors)} error(s), {len(warnings)} warning(s) in {len(corpus.docs)} pages"
        f" x {len(corpus.languages)} languages"
    )
    return 1 if errors else 0


def _picks(project: Project, paths: list[str]) -> list[review.Pick]:
    """PATH[:LINE] arguments: pages or folders of docs/, or a catalog translations/<lang>/<page>.po."""
    picks = []
    for raw in paths:
        path, _, line = raw.partition(":")
        if line and not line.isdigit():
            raise HelpcenterError(f"{raw}: after `:` comes a line number, e.g. docs/security/x.md:12")
        rel = path.removeprefix("./")
        lang = None
        if rel.endswith(".po"):
            parts = rel.removeprefix(project.translations.name + "/").split("/")
            lang = project.language(parts[0]).code
            page = "/".join(parts[1:])[:-3] + ".md"
            pages = [page] if page == site_strings.SITE else commands.pages(project, [page])
        elif rel == SHOWN_AS:
            pages = [site_strings.SITE]
        else:
            pages = commands.pages(project, [rel])
        assert pages is not None
        if line and len(pages) != 1:
            raise HelpcenterError(f"{raw}: a line number needs one page, not a folder")
        picks.append(review.Pick(raw, pages, lang, int(line) if line else None))
    return picks


def _reviewer(args: argparse.Namespace) -> str:
    """Who approves: --reviewer, else `git config user.name`, as editors record their user."""
    if args.reviewer:
        return str(args.reviewer)
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True).stdout.strip()
    except OSError:
        name = ""
    if not name:
        raise HelpcenterError("who approves? pass --reviewer NAME (or set it with `git config user.name NAME`)")
    return name


def _review_items(args: argparse.Namespace, project: Project) -> tuple[Corpus, list[review.Item]]:
    languages = commands.languages(project, args.lang)
    picks = _picks(project, args.paths)
    pages = sorted({page for pick in picks for page in pick.pages}) if picks else None
    corpus = commands.corpus(args, project, languages, pages)
    items = list(review.pending(corpus, [lang.code for lang in languages], pages))
    return corpus, review.select(corpus, items, picks)


def cmd_review(args: argparse.Namespace, project: Project) -> int:
    if args.approve:
        return _approve(args, project)
    corpus, items = _review_items(args, project)
    if not items:
        out.print("nothing to review")
        return 0
    for item in items:
        out.print(f"[bold]{item.where}[/] \\[{item.lang}] {item.state.value} ({review.po_where(corpus, item)})")
        if item.section:
            out.print(f"  section: «{item.section}»", markup=False)
        if item.state is review.State.STALE or item.entry.previous_msgid:
            out.print(
                "  Japanese change: " + review.word_diff(item.entry.previous_msgid or "", item.entry.msgid),
                markup=False,
            )
            if item.previous_translation:
                out.print("  old translation: " + item.previous_translation, markup=False)
        else:
            out.print("  Japanese: " + item.entry.msgid, markup=False)
        if item.state is review.State.MISSING:
            out.print("  translation: none yet (`helpcenter translate`, or write it in the PO file)", markup=False)
            continue
        label = "new translation" if item.state is review.State.MACHINE else "translation"
        out.print(f"  {label}: " + item.entry.msgstr, markup=False)
        problem = catalog.comment(item.entry, catalog.QA_MARK)
        if problem:
            out.print("  QA: " + problem, markup=False)
    missing = sum(item.state is review.State.MISSING for item in items)
    out.print(
        f"{len(items)} unit(s) to review ({missing} without a translation yet);"
        " approve with: helpcenter review --approve --lang L [PATH[:LINE] ...]"
    )
    return 0


def _approve(args: argparse.Namespace, project: Project) -> int:
    if not (args.paths or args.lang or args.all):
        raise HelpcenterError(
            "--approve needs a scope: pages (PATH[:LINE]), --lang L, or --all for every unit of every language"
        )
    reviewer = _reviewer(args)
    with locks.write_lock(project.translations):
        corpus, items = _review_items(args, project)
        approved = [item for item in items if catalog.approve(item.entry)]
        for lang_code, page in sorted({(i.lang, i.page) for i in approved}):
            po = corpus.merged[page, lang_code].po
            catalog.set_reviewer(po, reviewer)
            catalog.save(po, catalog.catalog_path(project.translations, lang_code, page))
    for item in approved:
        where = f"{item.where} [{item.lang}] {item.state.value} ({review.po_where(corpus, item)})"
        out.print(f"approved {where}: {item.entry.msgstr[:60]}", markup=False)
    out.print(f"approved {len(approved)} unit(s) as {reviewer}", markup=False)
    return 0


def cmd_import(args: argparse.Namespace, project: Project) -> int:
    lang = project.language(args.lang)
    with locks.write_lock(project.translations):
        corpus = commands.corpus(args, project, [lang])
        total = 0
        for raw in args.files:
            path = Path(raw).resolve()
            base = Path(args.base).resolve() if args.base else path.parent
            if not path.is_relative_to(base):
                raise HelpcenterError(
                    f"not under --base {args.base}", raw, hint="pass the folder that mirrors docs/ as --base"
                )
            page = path.relative_to(base).as_posix()
            if page not in corpus.docs:
                raise HelpcenterError(f"no source page docs/{page} (pass --base, the folder that mirrors docs/)", raw)
            try:
                translated = parse(page, read_text(path, raw))
            except FrontMatterError as exc:
                raise HelpcenterError(exc.message, raw, exc.line) from None
            aligned = importer.align(corpus.docs[page], translated)
            if isinstance(aligned, importer.Mismatch):
                raise HelpcenterError(f"{aligned.message}; make the structure match docs/{page}", raw, aligned.line)
            problems = importer.check(corpus.docs[page], translated, lang.code, project.renderer)
            if problems:
                lines = [f"{raw}:{p.line}: error: {p.message}" for p in problems]
                raise HelpcenterError(
                    "\n".join(lines) + f"\nnothing imported from {raw}: a translation changes words only"
                )
            merged = corpus.merged[page, lang.code]
            total += importer.apply(merged, aligned, args.translator)
            catalog.save(merged.po, catalog.catalog_path(project.translations, lang.code, page))
    out.print(f"imported {total} unit(s) as human translations by {args.translator}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="helpcenter",
        description="The help center's commands for writers, reviewers, support staff and CI.",
        epilog="`helpcenter COMMAND --help` lists a command's options.",
    )
    p.add_argument("--config", default="mkdocs.yml", help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    sub = p.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")

    t = sub.add_parser("translate", help="machine-translate what is new or changed (DeepL)")
    t.add_argument("--lang", action="append", help="a language code (repeatable; default: all)")
    t.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    t.add_argument("paths", nargs="*", help="pages or folders under docs/ (default: all)")
    t.set_defaults(func=cmd_translate)

    s = sub.add_parser("status", help="reviewed / machine / stale / missing per language")
    s.add_argument("--lang", action="append")
    s.add_argument("--json", action="store_true", help="machine-readable counts")
    s.add_argument("--all", action="store_true", help="list fully reviewed pages too")
    s.set_defaults(func=cmd_status, paths=[])

    c = sub.add_parser("check", help="check sources and every translation; exit 1 on errors")
    c.add_argument("--lang", action="append")
    c.add_argument("--warnings", action="store_true", help="print warnings too")
    c.add_argument("--format", choices=("text", "markdown"), default="text", help="markdown: a list, on stdout")
    c.add_argument("paths", nargs="*")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("review", help="list what needs review, or approve it")
    r.add_argument("--lang", action="append")
    r.add_argument(
        "--approve", action="store_true", help="mark the listed units reviewed (needs PATHs, --lang or --all)"
    )
    r.add_argument("--all", action="store_true", help="with --approve: every unit of every language")
    r.add_argument("--reviewer", help="who approves (default: `git config user.name`); recorded in the catalog")
    r.add_argument("paths", nargs="*", help="pages, folders, PAGE:LINE for one unit, or a catalog's PO:LINE")
    r.set_defaults(func=cmd_review)

    i = sub.add_parser("import", help="store whole translated Markdown files as human translations")
    i.add_argument("--lang", required=True)
    i.add_argument("--translator", required=True, help="who translated (recorded in the catalog)")
    i.add_argument("--base", help="the folder that mirrors docs/ (default: each file's folder)")
    i.add_argument("files", nargs="+")
    i.set_defaults(func=cmd_import, paths=[])

    build.add_parser(sub)
    report.add_parser(sub)
    incident_cli.add_parser(sub)
    verify_cli.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        project = load_project(Path(args.config))
        return int(args.func(args, project))
    except HelpcenterError as exc:
        err.print(f"{commands.name(args)}: {exc}", markup=False)
        return 2
    except KeyboardInterrupt:
        err.print("interrupted; every catalog on disk is complete (each save is atomic)")
        return 130


if __name__ == "__main__":
    sys.exit(main())
