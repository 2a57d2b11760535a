"""Counts of unit states per page and language: what `helpcenter status` and the status page show."""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import catalog
from .catalog import State
from .pages import Corpus

ORDER = (State.REVIEWED, State.MACHINE, State.STALE, State.MISSING)


def counts(corpus: Corpus) -> dict[str, Any]:
    """{"languages": {lang: {reviewed, machine, stale, missing, pages: {docs path: {...}}}}}

    A unit that occurs twice on a page (the same text) counts once, as it is one entry to review.
    """
    out: dict[str, Any] = {"languages": {}}
    for lang in corpus.languages:
        total: Counter[str] = Counter()
        pages: dict[str, dict[str, int]] = {}
        for page in sorted(corpus.docs):
            entries = {id(e): e for e in corpus.merged[page, lang.code].entries}.values()
            page_counts = Counter(catalog.state(e).value for e in entries)
            pages[f"docs/{page}"] = {s.value: page_counts[s.value] for s in ORDER}
            total.update(page_counts)
        out["languages"][lang.code] = {**{s.value: total[s.value] for s in ORDER}, "pages": pages}
    return out


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"
