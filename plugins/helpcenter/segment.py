"""Japanese Markdown -> translation units, and translations spliced back into the source lines.

A document is cut into literal text and unit slots. Writing every unit back unchanged reproduces the
file byte for byte; writing translations changes only the slots, so everything the parser does not
understand (code, HTML, unknown syntax) stays exactly as the writer wrote it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml
from markdown_it.token import Token

from .errors import HelpcenterError
from .markdown import parser

#: libyaml's safe loader where PyYAML has it: front matter is read for every page on every build
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER_UNITS = ("title", "description")
_ATTR_LIST = re.compile(r"\s*\{\s*[^{}]*\}\s*$")
_HEADING_ID = re.compile(r"#([A-Za-z0-9_\-\u0080-\uffff]+)")
_CLOSING_HASHES = re.compile(r"(\s+#+)?\s*$")
_QUOTED = re.compile(r'"(.*)"')
_LETTER = re.compile(r"[^\W\d_]")
_UNTRANSLATABLE = re.compile(r"\{\{.*?\}\}|`[^`]*`|<[^>]*>|\]\([^)]*\)|https?://\S+")


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a document: its exact source text and where it stands."""

    kind: str  # title, description, heading, paragraph, cell, admonition-title, tab-title
    text: str
    line: int  # 1-based line in the source file
    section: str = ""  # the heading above the unit (its text), for context and notices
    anchor: str = ""  # the section's id: explicit `{ #id }` or derived from the Japanese heading


@dataclass
class _Slot:
    unit: int
    seps: list[str]  # what stands between the unit's lines in the source: line break + prefix
    default_sep: str = " "  # for translations with more lines than the source
    raw: str | None = None  # a front matter value as written (quotes included), else None

    def join(self, text: str) -> str:
        lines = text.split("\n")
        seps = self.seps or [self.default_sep]
        return lines[0] + "".join(seps[min(i, len(seps)) - 1] + line for i, line in enumerate(lines[1:], 1))


@dataclass
class Document:
    """A parsed source: units and the literal pieces between them."""

    path: str
    units: list[Unit]
    pieces: list[str | _Slot] = field(repr=False)
    front_matter: dict[str, object]
    front_matter_lines: int  # lines taken by the front matter block, fences included
    heading_ids: dict[int, str]  # unit index of a heading -> its id (explicit or derived)
    explicit_ids: set[int]  # headings whose id the writer wrote

    def render(self, translations: Mapping[int, str] | None = None, *, ids: bool = False) -> str:
        """The document with the given units replaced (by index); `ids` adds derived heading ids.

        Derived ids make every language share the Japanese page's anchors.
        """
        translations = translations or {}
        out: list[str] = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            unit = self.units[piece.unit]
            text = translations.get(piece.unit, unit.text)
            if piece.raw is not None:
                out.append(piece.raw if text == unit.text else _yaml_scalar(text))
            else:
                out.append(piece.join(text))
            if ids and unit.kind == "heading" and piece.unit not in self.explicit_ids:
                out.append(" { #" + self.heading_ids[piece.unit] + " }")
        return "".join(out)


def _bad_value(line: str) -> bool:
    try:
        yaml.load(line, Loader=YAML_LOADER)
    except (ValueError, yaml.YAMLError):
        return True
    return False


class FrontMatterError(HelpcenterError, ValueError):
    """Front matter that is not a YAML mapping; carries the 1-based line (the caller knows the file)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message, line=line)


def slugify(text: str) -> str:
    """An id from a heading's text that keeps CJK characters (Python-Markdown's default drops them)."""
    text = re.sub(r"<[^>]+>|[`*_\[\]]|\]\([^)]*\)", "", text)
    text = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


def has_text(markdown: str) -> bool:
    """Whether a span holds words worth translating (not only code, links, numbers or placeholders)."""
    return bool(_LETTER.search(_UNTRANSLATABLE.sub("", markdown)))


def _yaml_scalar(text: str) -> str:
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _split_prefix(line: str, first: bool, marker: bool) -> int:
    """Length of the container prefix of a paragraph line (indentation, `>`, a list marker)."""
    i = 0
    while True:
        while i < len(line) and line[i] in " \t":
            i += 1
        if i < len(line) and line[i] == ">":
            i += 1
            continue
        break
    if first and marker:
        m = re.match(r"([-*+]|\d{1,9}[.)])( +|$)", line[i:])
        if m:
            i += m.end()
            while i < len(line) and line[i] in " \t":
                i += 1
    return i


def _table_cells(line: str) -> list[tuple[int, int]]:
    """Spans of the cells of a GFM table row, splitting on unescaped pipes as markdown-it does."""
    bounds = [-1] + [m.start() for m in re.finditer(r"(?<!\\)\|", line)] + [len(line)]
    cells = []
    for a, b in itertools.pairwise(bounds):
        seg = line[a + 1 : b]
        if not seg.strip() and (a == -1 or b == len(line)):
            continue
        start = a + 1 + (len(seg) - len(seg.lstrip()))
        end = b - (len(seg) - len(seg.rstrip()))
        cells.append((start, max(start, end)))
    return cells


class _Builder:
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.offsets = [0]
        for line in self.lines:
            self.offsets.append(self.offsets[-1] + len(line))
        # where each "\n" is: a unit's line is found by bisection (counting them from the start for
        # each unit made a 5 MB article cost more per MB than a 1 MB one)
        self.newlines = [m.start() for m in re.finditer("\n", source)]
        self.spans: list[tuple[int, int, _Slot, Unit]] = []
        self.section = ""
        self.anchor = ""
        self.heading_ids: dict[int, str] = {}
        self.explicit_ids: set[int] = set()
        self.used_ids: set[str] = set()
        self.tokens: list[Token] = []

    def add(self, kind: str, start: int, end: int, slot: _Slot | None = None, text: str | None = None) -> int:
        """Record a unit over source[start:end]; `text` differs from that span for multi-line units."""
        index = len(self.spans)
        slot = slot or _Slot(index, [])
        slot.unit = index
        line = bisect.bisect_left(self.newlines, start) + 1
        unit = Unit(kind, self.source[start:end] if text is None else text, line, self.section, self.anchor)
        self.spans.append((start, end, slot, unit))
        return index

    def line_span(self, n: int) -> tuple[int, int]:
        """Offsets of line n (0-based) without its line break."""
        start, _end = self.offsets[n], self.offsets[n + 1]
        return start, start + len(self.lines[n].rstrip("\r\n"))

    def paragraph(self, begin: int, end: int, marker: bool) -> None:
        contents: list[str] = []
        seps: list[str] = []
        start = stop = 0
        for n in range(begin, end):
            a, b = self.line_span(n)
            p = a + _split_prefix(self.source[a:b], n == begin, marker)
            if n == begin:
                start = p
                first_prefix = self.source[a:p]
            else:
                seps.append(self.source[stop:p])
            stop = b if n < end - 1 else a + len(self.source[a:b].rstrip())
            contents.append(self.source[p:stop])
        text = "\n".join(contents)
        if has_text(text):
            indent = "\n" + re.sub(r"[^>\s]", " ", first_prefix)
            self.add("paragraph", start, stop, _Slot(0, seps, indent), text)

    def heading(self, n: int) -> None:
        a, b = self.line_span(n)
        line = self.source[a:b]
        start = a + len(line) - len(line.lstrip(" ").lstrip("#").lstrip(" "))
        body = line[start - a :]
        explicit = ""
        attr = _ATTR_LIST.search(body)
        if attr:
            found = _HEADING_ID.search(attr.group(0))
            explicit = found.group(1) if found else ""
            body = body[: attr.start()]
        else:
            body = body[: _CLOSING_HASHES.search(body).start()]  # type: ignore[union-attr]
        self.section = body
        anchor = explicit or self.unique(slugify(body))
        self.used_ids.add(anchor)
        self.anchor = anchor
        if has_text(body):
            index = self.add("heading", start, start + len(body))
            self.heading_ids[index] = anchor
            if explicit:
                self.explicit_ids.add(index)

    def unique(self, slug: str) -> str:
        candidate, n = slug, 0
        while candidate in self.used_ids:
            n += 1
            candidate = f"{slug}_{n}"
        return candidate

    def quoted_title(self, kind: str, n: int) -> None:
        a, b = self.line_span(n)
        m = _QUOTED.search(self.source[a:b])
        if m and has_text(m.group(1)):
            self.add(kind, a + m.start(1), a + m.end(1))

    def table_row(self, n: int) -> None:
        a, b = self.line_span(n)
        for start, end in _table_cells(self.source[a:b]):
            if has_text(self.source[a + start : a + end]):
                self.add("cell", a + start, a + end)

    def front_matter(self, token: Token) -> tuple[dict[str, object], int]:
        assert token.map is not None
        try:
            data = yaml.load(token.content, Loader=YAML_LOADER) if token.content.strip() else {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = (mark.line + 2) if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc)
            raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
        except ValueError as exc:  # a date that does not exist (2026-02-30): YAML parses, the calendar refuses
            line = next((n for n, text in enumerate(token.content.splitlines(), 2) if _bad_value(text)), 1)
            raise FrontMatterError(
                f"front matter has a value that cannot be read ({exc}: a date that does not exist?)", line
            ) from None
        if not isinstance(data, dict):
            raise FrontMatterError("front matter must be a mapping of `key: value` lines", 2)
        for n in range(token.map[0] + 1, token.map[1] - 1):
            a, b = self.line_span(n)
            m = re.match(r"(\w+):[ \t]*(.*?)[ \t]*$", self.source[a:b])
            value = data.get(m.group(1)) if m else None
            if m and m.group(1) in FRONT_MATTER_UNITS and isinstance(value, str) and has_text(value):
                raw = self.source[a + m.start(2) : a + m.end(2)]
                self.add(m.group(1), a + m.start(2), a + m.end(2), _Slot(0, [], raw=raw), value)
        return data, token.map[1]

    def build(self) -> Document:
        tokens = self.tokens = parser().parse(self.source)
        data: dict[str, object] = {}
        fm_lines = 0
        pending_marker = False
        title_next = False
        for token in tokens:
            kind = token.type
            if kind == "front_matter":
                data, fm_lines = self.front_matter(token)
            elif kind == "list_item_open":
                pending_marker = True
            elif kind == "heading_open" and token.map:
                self.heading(token.map[0])
            elif kind == "paragraph_open" and token.map:
                self.paragraph(token.map[0], token.map[1], pending_marker)
                pending_marker = False
            elif kind in ("admonition_open", "tab_open"):
                title_next = kind == "admonition_open"
                if kind == "tab_open" and token.map:
                    self.quoted_title("tab-title", token.map[0])
                pending_marker = False
            elif kind == "admonition_title_open" and title_next and token.map:
                self.quoted_title("admonition-title", token.map[0])
            elif kind == "tr_open" and token.map:
                self.table_row(token.map[0])
            elif token.block and token.nesting >= 0 and kind not in ("bullet_list_open", "ordered_list_open"):
                pending_marker = False
        return self.document(data, fm_lines)

    def document(self, data: dict[str, object], fm_lines: int) -> Document:
        pieces: list[str | _Slot] = []
        cursor = 0
        for start, end, slot, _ in sorted(self.spans, key=lambda s: s[0]):
            pieces.append(self.source[cursor:start])
            pieces.append(slot)
            cursor = end
        pieces.append(self.source[cursor:])
        units = [unit for *_, unit in self.spans]
        return Document(self.path, units, pieces, data, fm_lines, self.heading_ids, self.explicit_ids)


def parse(path: str, source: str) -> Document:
    """Segment a Markdown source; `path` (relative to docs/) is only used in messages."""
    return _Builder(path, source).build()


def parse_with_tokens(path: str, source: str) -> tuple[Document, list[Token]]:
    """`parse`, and the block tokens it read (for the writing rules, without parsing twice)."""
    builder = _Builder(path, source)
    return builder.build(), builder.tokens
