"""The publishing policy: what a page shows in one language, decided unit by unit from its catalog.

A unit's translation is shown when it may be published (reviewed, or machine output where review is
not needed, and never outdated or failing QA); every other unit is shown in Japanese, marked as such.
Knows nothing of MkDocs: corpus.py applies it to every page, the plugins show its result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polib

from . import catalog, meta
from .catalog import Merged, State
from .project import Language, Project
from .segment import FRONT_MATTER_UNITS, Document, Unit


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str


#: the class of the element around a unit shown in Japanese on a translated page (`held`)
HELD_CLASS = "hc-untranslated"
_QUOTED_KINDS = ("admonition-title", "tab-title")  # written inside "…" in the source: single-quoted attributes
_INLINE_KINDS = ("heading", "paragraph", "cell", *_QUOTED_KINDS)


@dataclass
class PageTranslation:
    """One page in one language: its state, and its Markdown unless it is served in Japanese."""

    page: str
    lang: str
    state: str  # reviewed | machine | partial | fallback
    text: str | None
    counts: Counter[State]
    stale_sections: list[Section] = field(default_factory=list)  # on a partial page: where Japanese is shown
    reason: str = ""  # why a page falls back, for notices and `helpcenter status`
    machine: bool = False  # a partial page that also shows machine translations
    held: frozenset[int] = frozenset()  # on a partial page: the units shown in Japanese


def is_strict(project: Project, doc: Document) -> bool:
    """Security and incident articles need reviewed translations (unless configured otherwise)."""
    if meta.page_kind(doc.path) != "article":
        return False
    if doc.front_matter.get("category") in project.policy.strict_categories:
        return True
    return project.policy.strict_incidents and bool(doc.front_matter.get("incidents"))


def held(unit: Unit, lang: str) -> str:
    """A unit shown in the default language on a translated page, marked with that language.

    A `<span>` inside the block works for every block unit (paragraph, list item, table cell, heading,
    admonition and tab title): Python-Markdown renders the Markdown inside it, and the page guard
    allows `class` and `lang` on it. Front matter values (title, description) are plain text: as is.
    """
    if unit.kind not in _INLINE_KINDS:
        return unit.text
    q = "'" if unit.kind in _QUOTED_KINDS else '"'
    return f"<span class={q}{HELD_CLASS}{q} lang={q}{lang}{q}>{unit.text}</span>"


def _shows(entry: polib.POEntry, st: State, needs_review: bool) -> bool:
    """Whether a unit's translation may be shown: never an outdated one, never one that failed QA,
    and on strict pages (or under `reviewed`) only a reviewed one."""
    if not catalog.publishable(entry):
        return False
    return st is State.REVIEWED or (st is State.MACHINE and not needs_review)


def _section_names(doc: Document, merged: Merged, shown: set[int]) -> dict[str, str]:
    """Each section's heading in the reader's language where the catalog has it: the translation the
    page shows, else the heading's last reviewed translation (the notice names a section, the page
    does not show that text); else the Japanese heading."""
    names: dict[str, str] = {}
    for i, anchor in doc.heading_ids.items():
        entry = merged.entries[i]
        st = catalog.state(entry)
        if i in shown or (st is State.STALE and catalog.publishable(entry)):
            names[anchor] = entry.msgstr
        elif previous := catalog.previous_translation(entry):
            names[anchor] = previous
    return names


def publish_page(doc: Document, merged: Merged, lang: Language, strict: bool, default: str = "ja") -> PageTranslation:
    """Apply the publishing policy to one page, unit by unit.

    A unit's translation is shown when it is publishable (see `_shows`); any other unit is shown in
    Japanese, marked as such (`held`), and the page is `partial`, its notice naming those sections. A
    page none of whose body translations may be shown (its title and description at most) is served
    in Japanese as a whole (`fallback`).
    """
    states = [catalog.state(e) for e in merged.entries]
    counts = Counter(states)
    if not merged.entries:
        return PageTranslation(doc.path, lang.code, "reviewed", doc.render(ids=True), counts)
    needs_review = lang.publish == "reviewed" or strict
    shown = {i for i, (e, st) in enumerate(zip(merged.entries, states, strict=True)) if _shows(e, st, needs_review)}
    machine = any(states[i] is State.MACHINE for i in shown)
    if len(shown) == len(states):
        text = doc.render({i: e.msgstr for i, e in enumerate(merged.entries)}, ids=True)
        return PageTranslation(doc.path, lang.code, "machine" if machine else "reviewed", text, counts)
    if counts[State.MISSING]:
        reason = "missing"
    elif any(not catalog.publishable(e) for e in merged.entries):
        reason = "qa"
    else:
        reason = "unreviewed"
    if all(doc.units[i].kind in FRONT_MATTER_UNITS for i in shown):  # a title alone does not make a page
        return PageTranslation(doc.path, lang.code, "fallback", None, counts, reason=reason)
    names = _section_names(doc, merged, shown)
    rest = [doc.units[i] for i in range(len(states)) if i not in shown]
    sections = list(dict.fromkeys(Section(names.get(u.anchor) or u.section, u.anchor) for u in rest))
    text = doc.render(
        {i: e.msgstr if i in shown else held(doc.units[i], default) for i, e in enumerate(merged.entries)}, ids=True
    )
    held_units = frozenset(range(len(states))) - shown
    return PageTranslation(doc.path, lang.code, "partial", text, counts, sections, reason, machine, held_units)
