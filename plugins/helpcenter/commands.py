"""What every `helpcenter` command shares: the consoles it prints on, the project's languages and
pages chosen on its command line, the corpus it works on, and the one way it reports a mistake.

cli.py loads the project once and hands it to each command (cli.py's own, report.py's,
incident_cli.py's, verify_cli.py's); a mistake the user can fix is a `HelpcenterError` (errors.py),
printed by `cli.main` as one line after the command's name, with exit status 2.
"""

from __future__ import annotations

import argparse

from rich.console import Console

from . import catalog, site_strings
from .corpus import Corpus, load_corpus
from .errors import HelpcenterError
from .project import Language, Project

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def name(args: argparse.Namespace) -> str:
    """The command as typed, for messages: `helpcenter check`, `helpcenter incident declare`."""
    return " ".join(["helpcenter", args.command, *([args.action] if getattr(args, "action", None) else [])])


def languages(project: Project, codes: list[str] | None) -> list[Language]:
    """The languages of `--lang` (repeatable), or every language."""
    return [project.language(c) for c in codes] if codes else list(project.languages)


def pages(project: Project, paths: list[str]) -> list[str] | None:
    """Pages named on the command line (docs/x.md, x.md or a folder), or None for all."""
    if not paths:
        return None
    every = project.pages()
    chosen: list[str] = []
    for raw in paths:
        rel = raw.split(":")[0].removeprefix("./").removeprefix(project.docs.name + "/").rstrip("/")
        match = [p for p in every if p == rel or p.startswith(rel + "/") or rel in ("", ".")]
        if not match:
            raise HelpcenterError(f"{raw}: no such page under {project.docs.name}/")
        chosen += [p for p in match if p not in chosen]
    return chosen


def corpus(
    args: argparse.Namespace, project: Project, langs: list[Language], chosen: list[str] | None = None
) -> Corpus:
    """The corpus of the `chosen` pages (default: the command line's paths), refused when a source or
    a catalog cannot be read: no command but `check` works on top of a broken file, nor rewrites it."""
    chosen = chosen if chosen is not None else pages(project, getattr(args, "paths", []))
    docs = [p for p in chosen if p != site_strings.SITE] if chosen is not None else None  # the site's: always loaded
    loaded = load_corpus(project, langs, docs)
    fatal = [f for f in loaded.findings if f.level == "error" and f.path.startswith(project.docs.name + "/")]
    fatal += [f for f in loaded.findings if f.message.startswith(catalog.UNREADABLE)]
    if fatal and args.command != "check":
        for f in fatal:
            err.print(str(f), markup=False)
        raise HelpcenterError(
            f"{len(fatal)} error(s) in the sources; fix them first (`helpcenter check` lists everything)"
        )
    return loaded
