"""What needs a reviewer, shown so that the change is visible, and approving it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import polib

from . import catalog
from .catalog import State
from .corpus import Corpus
from .errors import HelpcenterError, display
from .segment import Unit
from .site_strings import SITE
from .strings import SHOWN_AS

_WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff々]+|[\u3040-\u309f]+|[\u30a0-\u30ffー]+|\s+|.", re.S)


@dataclass(frozen=True)
class Item:
    """A unit waiting for review."""

    page: str
    lang: str
    unit: Unit
    entry: polib.POEntry
    state: State
    section: str = ""  # the unit's section by its heading in `lang` where translated, else in Japanese

    @property
    def where(self) -> str:
        return f"{SHOWN_AS if self.page == SITE else 'docs/' + self.page}:{self.unit.line}"

    @property
    def previous_translation(self) -> str | None:
        """The reviewed translation from before the Japanese changed, exactly as it was."""
        return catalog.previous_translation(self.entry) or (self.entry.msgstr if self.state is State.STALE else None)


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
    """Machine, stale and missing units, page by page, each entry once."""
    for lang in langs:
        for page in sorted(pages) if pages is not None else corpus.unit_pages():
            seen: set[int] = set()
            units = corpus.units(page)
            entries = corpus.merged[page, lang].entries
            doc = corpus.docs.get(page)  # None for the site's own words: they have no headings
            headings = {units[i].text: entries[i].msgstr for i in doc.heading_ids} if doc else {}
            for unit, entry in zip(units, entries, strict=True):
                st = catalog.state(entry)
                if st is not State.REVIEWED and id(entry) not in seen:
                    seen.add(id(entry))
                    section = headings.get(unit.section) or unit.section
                    yield Item(page, lang, unit, entry, st, section.replace("\n", " "))


@dataclass(frozen=True)
class Pick:
    """One PATH[:LINE] of the command line: pages of docs/, or one page's catalog in one language
    (`translations/<lang>/<page>.po:LINE`, as `helpcenter check` prints it), and maybe a line in it."""

    raw: str
    pages: list[str]
    lang: str | None = None  # a catalog's language
    line: int | None = None  # in the Markdown page, or in the catalog when `lang` is set

    def chooses(self, item: Item, corpus: Corpus) -> bool:
        if item.page not in self.pages or self.lang not in (None, item.lang):
            return False
        if self.line is None:
            return True
        if self.lang is None:
            return item.unit.line == self.line
        return item.entry is entry_at(corpus, item.page, item.lang, self.line)


def entry_at(corpus: Corpus, page: str, lang: str, line: int) -> polib.POEntry | None:
    """The catalog entry whose lines (comments first, as polib numbers them) hold `line`."""
    before = [e for e in corpus.merged[page, lang].entries if 0 < (e.linenum or 0) <= line]
    return max(before, key=lambda e: e.linenum, default=None)


def select(corpus: Corpus, items: list[Item], picks: list[Pick]) -> list[Item]:
    """The items the picks name; a pick with a line that names none is an error listing the page's
    units to review, so that a wrong line never approves nothing in silence."""
    if not picks:
        return items
    for pick in picks:
        if pick.line is not None and not any(pick.chooses(item, corpus) for item in items):
            page = pick.pages[0]
            units = [
                f"{i.where} [{i.lang}] = {po_where(corpus, i)}"
                for i in items
                if i.page == page and pick.lang in (None, i.lang)
            ]
            raise HelpcenterError(
                "names no unit to review",
                pick.raw,
                hint=("the units of this page to review: " + ", ".join(units)) if units else "nothing to review there",
            )
    return [item for item in items if any(pick.chooses(item, corpus) for pick in picks)]


def po_where(corpus: Corpus, item: Item) -> str:
    """The entry's line in its catalog; a unit the catalog does not hold yet has none."""
    path = display(catalog.catalog_path(corpus.project.translations, item.lang, item.page), corpus.project.root)
    linenum = getattr(item.entry, "linenum", 0)
    return f"{path}:{linenum}" if linenum else f"{path} (no entry yet)"
