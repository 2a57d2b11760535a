"""Counts of unit states per page and language: what `helpcenter status` and the status page show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .catalog import State
from .corpus import Corpus
from .site_strings import SITE
from .strings import SHOWN_AS

ORDER = (State.REVIEWED, State.MACHINE, State.STALE, State.MISSING)


@dataclass(frozen=True)
class Counts:
    """How many units of a page (or of a whole language) are in each state."""

    reviewed: int = 0
    machine: int = 0
    stale: int = 0
    missing: int = 0

    @classmethod
    def of(cls, states: Counter[State]) -> Counts:
        return cls(*(states[s] for s in ORDER))

    def __getitem__(self, state: State) -> int:
        return int(getattr(self, state.value))

    @property
    def total(self) -> int:
        return sum(self[s] for s in ORDER)

    @property
    def fully_reviewed(self) -> bool:
        """Every unit reviewed: nothing for a reviewer to do here (an empty page too)."""
        return self.reviewed == self.total

    def cells(self) -> list[str]:
        """Each state's count and its share of the total, in ORDER."""
        return [f"{self[s]} ({percent(self[s], self.total)})" for s in ORDER]

    def as_dict(self) -> dict[str, int]:
        return {s.value: self[s] for s in ORDER}


@dataclass(frozen=True)
class LanguageStatus:
    counts: Counts  # the whole language
    pages: dict[str, Counts]  # docs/ path -> its counts, sorted by path

    def open_pages(self) -> list[str]:
        """The pages that are not fully reviewed, in order."""
        return [page for page, c in self.pages.items() if not c.fully_reviewed]


@dataclass(frozen=True)
class Status:
    languages: dict[str, LanguageStatus]  # by code, in the project's order

    def as_json(self) -> dict[str, Any]:
        """`helpcenter status --json`: {"languages": {lang: {reviewed, machine, stale, missing,
        pages: {docs path: {...}}}}}."""
        return {
            "languages": {
                code: {**lang.counts.as_dict(), "pages": {p: c.as_dict() for p, c in lang.pages.items()}}
                for code, lang in self.languages.items()
            }
        }


def counts(corpus: Corpus) -> Status:
    """Each language's counts and its pages'. A unit that occurs twice on a page (the same text)
    counts once, as it is one entry to review. The site's own words count as one more page, named
    after their source (strings.yml)."""
    languages: dict[str, LanguageStatus] = {}
    for lang in corpus.languages:
        total: Counter[State] = Counter()
        pages: dict[str, Counts] = {}
        for page in corpus.unit_pages():
            page_counts = corpus.facts(page, lang.code).states
            pages[SHOWN_AS if page == SITE else f"docs/{page}"] = Counts.of(page_counts)
            total.update(page_counts)
        languages[lang.code] = LanguageStatus(Counts.of(total), pages)
    return Status(languages)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


STATUS_MARKER = "<!-- helpcenter:translation-status -->"


def markdown_table(data: Status, lang: str, names: dict[str, str], words: dict[str, str]) -> str:
    """The site's status page: a row per language, then the pages of the reader's language that
    are not fully reviewed."""
    head = [words["status_language"], *(words[f"status_{s.value}"] for s in ORDER)]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for code, status in data.languages.items():
        rows.append(f"| {names.get(code, code)} | " + " | ".join(status.counts.cells()) + " |")
    if lang not in data.languages:
        return "\n".join(rows)
    pages = data.languages[lang]
    if not pages.open_pages():
        return "\n".join(rows) + "\n\n" + words["status_all_reviewed"]
    detail = ["| " + words["status_page"] + " | " + " | ".join(head[1:]) + " |", "|" + " --- |" * len(head)]
    for page in pages.open_pages():
        link = page.removeprefix("docs/")  # the status page sits at the root of docs/
        cell = f"[{link}]({link})" if page.startswith("docs/") else f"`{page}`"
        detail.append(f"| {cell} | " + " | ".join(str(pages.pages[page][s]) for s in ORDER) + " |")
    return "\n".join(rows) + "\n\n" + "\n".join(detail)
