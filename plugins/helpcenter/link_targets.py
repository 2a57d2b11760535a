"""Link targets in Markdown text, and those a catalog's translations carry: what the link check
(links.py) checks, and what the page cache keeps of each catalog for it (corpus.CatalogFacts)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import polib

from . import catalog

#: Link targets: `[text](target "title")`, `![alt](target)`, `[ref]: target`, `href=`/`src=` in HTML.
_TARGETS = re.compile(
    r"\]\(\s*<?([^)\s>]+)"
    r"|^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)"
    r"""|\b(?:href|src)\s*=\s*["']([^"']*)["']""",
    re.M,
)
_MAY_LINK = re.compile(r"\]\(|\]:|=")
_CODE = re.compile(r"`[^`\n]*`")
_FENCE = re.compile(r"^\s*(```|~~~)")


def targets(text: str) -> Iterable[tuple[int, str]]:
    """(line offset from the text's first line, target) of every link and image outside code."""
    fenced = False
    for n, line in enumerate(text.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _MAY_LINK.search(line):
            continue
        for m in _TARGETS.finditer(_CODE.sub("", line)):
            yield n, next(g for g in m.groups() if g is not None)


@dataclass(frozen=True)
class TranslatedLink:
    """A link target a catalog's translation carries, and where to report it."""

    target: str
    line: int  # of the entry in the PO file
    msgid: str
    stale: bool  # not published as current: reported, as QA does, as a warning


def translated_links(entry: polib.POEntry) -> list[TranslatedLink]:
    if not _MAY_LINK.search(entry.msgstr):  # most units: no link at all
        return []
    line = getattr(entry, "linenum", 1) or 1
    stale = catalog.state(entry) is catalog.State.STALE
    return [TranslatedLink(target, line, entry.msgid, stale) for _, target in targets(entry.msgstr)]
