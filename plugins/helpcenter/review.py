"""What needs a reviewer, shown so that the change is visible, and approving it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import polib

from . import catalog
from .catalog import State
from .pages import Corpus
from .segment import Unit

_WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff々]+|[\u3040-\u309f]+|[\u30a0-\u30ffー]+|\s+|.", re.S)


@dataclass(frozen=True)
class Item:
    """A unit waiting for review."""

    page: str
    lang: str
    unit: Unit
    entry: polib.POEntry
    state: State

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.unit.line}"

    @property
    def previous_translation(self) -> str | None:
        return catalog.comment(self.entry, catalog.PREV_MARK) or (
            self.entry.msgstr if self.state is State.STALE else None
        )


def words(text: str) -> list[str]:
    """Words for a diff: runs of one script (kanji, hiragana, katakana, Latin), so Japanese diffs read well."""
    return _WORD.findall(text)


def word_diff(old: str, new: str) -> str:
    """`[-removed-]{+added+}` between two texts, word by word."""
    a, b = words(old), words(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return "".join(out)


def pending(corpus: Corpus, langs: list[str], pages: list[str] | None = None) -> Iterator[Item]:
    """Machine and stale units, page by page, each entry once."""
    for lang in langs:
        for page in sorted(pages if pages is not None else corpus.docs):
            seen: set[int] = set()
            doc = corpus.docs[page]
            for unit, entry in zip(doc.units, corpus.merged[page, lang].entries, strict=True):
                st = catalog.state(entry)
                if st in (State.MACHINE, State.STALE) and id(entry) not in seen:
                    seen.add(id(entry))
                    yield Item(page, lang, unit, entry, st)


def approve(corpus: Corpus, items: list[Item]) -> int:
    """Mark the items reviewed; the caller saves the catalogs."""
    return sum(catalog.approve(item.entry) for item in items)
