"""Whole translated Markdown files -> catalog entries, for translations written by people.

A translator may deliver a complete translated article instead of editing a PO file. Both files are
segmented; when their structure matches (the same units of the same kinds in the same order) and
every unit passes QA, each translated unit is stored as a human translation: reviewed, never
labelled machine-translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import catalog
from .catalog import Merged
from .glossary import Glossary
from .qa import check_unit
from .safety import Renderer
from .segment import Document


@dataclass(frozen=True)
class Mismatch:
    line: int  # in the translated file
    message: str


def align(source: Document, translated: Document) -> dict[int, str] | Mismatch:
    """Unit index -> translated text, or where the structures part."""
    for i, (src, dst) in enumerate(zip(source.units, translated.units, strict=False)):
        if src.kind != dst.kind:
            return Mismatch(
                dst.line, f"expected a {src.kind} (source line {src.line}: {src.text[:40]!r}), found a {dst.kind}"
            )
        if src.kind == "heading" and (i in source.explicit_ids) != (i in translated.explicit_ids):
            return Mismatch(dst.line, f"heading id differs from the source (line {src.line})")
        if src.kind == "heading" and i in source.explicit_ids and source.heading_ids[i] != translated.heading_ids[i]:
            return Mismatch(dst.line, f"heading id {translated.heading_ids[i]!r} should be {source.heading_ids[i]!r}")
    if len(source.units) != len(translated.units):
        extra = translated.units[len(source.units)] if len(translated.units) > len(source.units) else None
        line = extra.line if extra else (translated.units[-1].line if translated.units else 1)
        return Mismatch(line, f"{len(translated.units)} units, the source has {len(source.units)}")
    return {i: dst.text for i, dst in enumerate(translated.units)}


def check(source: Document, translated: Document, lang: str, renderer: Renderer) -> list[Mismatch]:
    """What QA would block in the aligned translation, at its line: an import is no way around it."""
    out = []
    for src, dst in zip(source.units, translated.units, strict=True):
        errors, _ = check_unit(src.text, dst.text, lang, Glossary(), renderer, src.kind)
        out += [Mismatch(dst.line, error) for error in errors]
    return out


def apply(merged: Merged, texts: dict[int, str], translator: str) -> int:
    """Store the aligned texts as human translations; returns how many entries changed."""
    changed = 0
    for i, text in texts.items():
        entry = merged.entries[i]
        if entry.msgstr != text or entry.fuzzy:
            catalog.set_human(entry, text, translator)
            changed += 1
    return changed
