"""Counts of unit states per page and language: what `helpcenter status` and the status page show."""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import catalog
from .catalog import State
from .pages import Corpus
from .site_strings import SITE
from .strings import SHOWN_AS

ORDER = (State.REVIEWED, State.MACHINE, State.STALE, State.MISSING)


def counts(corpus: Corpus) -> dict[str, Any]:
    """{"languages": {lang: {reviewed, machine, stale, missing, pages: {docs path: {...}}}}}

    A unit that occurs twice on a page (the same text) counts once, as it is one entry to review.
    The site's own words count as one more page, named after their source (strings.yml).
    """
    out: dict[str, Any] = {"languages": {}}
    for lang in corpus.languages:
        total: Counter[str] = Counter()
        pages: dict[str, dict[str, int]] = {}
        for page in corpus.unit_pages():
            entries = {id(e): e for e in corpus.merged[page, lang.code].entries}.values()
            page_counts = Counter(catalog.state(e).value for e in entries)
            pages[SHOWN_AS if page == SITE else f"docs/{page}"] = {s.value: page_counts[s.value] for s in ORDER}
            total.update(page_counts)
        out["languages"][lang.code] = {**{s.value: total[s.value] for s in ORDER}, "pages": pages}
    return out


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


STATUS_MARKER = "<!-- helpcenter:translation-status -->"


def markdown_table(data: dict[str, Any], lang: str, names: dict[str, str], words: dict[str, str]) -> str:
    """The site's status page: a row per language, then the pages of the reader's language that
    are not fully reviewed."""
    head = [words["status_language"], *(words[f"status_{s.value}"] for s in ORDER)]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for code, counts in data["languages"].items():
        total = sum(counts[s.value] for s in ORDER)
        cells = [f"{counts[s.value]} ({percent(counts[s.value], total)})" for s in ORDER]
        rows.append(f"| {names.get(code, code)} | " + " | ".join(cells) + " |")
    pages = data["languages"].get(lang, {}).get("pages", {})
    open_pages = {p: c for p, c in pages.items() if c["reviewed"] != sum(c.values())}
    if lang not in data["languages"]:
        return "\n".join(rows)
    if not open_pages:
        return "\n".join(rows) + "\n\n" + words["status_all_reviewed"]
    detail = ["| " + words["status_page"] + " | " + " | ".join(head[1:]) + " |", "|" + " --- |" * len(head)]
    for page, c in open_pages.items():
        link = page.removeprefix("docs/")  # the status page sits at the root of docs/
        cell = f"[{link}]({link})" if page.startswith("docs/") else f"`{page}`"
        detail.append(f"| {cell} | " + " | ".join(str(c[s.value]) for s in ORDER) + " |")
    return "\n".join(rows) + "\n\n" + "\n".join(detail)
