"""Inline Markdown <-> the XML that travels to DeepL with `tag_handling="xml"`.

DeepL has no Markdown mode: raw Markdown loses closing `**`, translates URLs and code, and moves
placeholders. So prose goes as text, formatting as tags DeepL keeps (`<b>`, `<i>`, `<s>`, `<a>`), and
everything that must not change (code, URLs, placeholders, HTML, escapes, do-not-translate terms) as
tags whose content never leaves this machine or is ignored. Each tag carries an id, so what comes back
is rebuilt from our own copy of every non-prose span, and a lost or doubled tag is detected.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from markdown_it.token import Token

from .markdown import parser

#: Tags whose content DeepL must leave alone (sent as `ignore_tags`).
IGNORE_TAGS = ("x",)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|:[a-z0-9_+-]+:|\{\s*[#.:][^{}]*\}")
_MD_SPECIAL = re.compile(r"([\\`*\[\]<])")


class TagMismatch(ValueError):
    """What came back does not hold every tag we sent exactly once."""


@dataclass
class Encoded:
    """A unit as XML, and what is needed to turn the translated XML back into Markdown."""

    xml: str
    spans: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (open, close) Markdown
    tags: dict[str, str] = field(default_factory=dict)  # id -> tag name

    @property
    def billable(self) -> int:
        """Characters DeepL bills for this unit: the text outside tags."""
        return len(_text_of(self.xml))


def _text_of(xml: str) -> str:
    return "".join(ET.fromstring(f"<r>{xml}</r>").itertext())


class _Encoder:
    def __init__(self, keep: Sequence[str]) -> None:
        self.keep = [k for k in sorted(set(keep), key=len, reverse=True) if k]
        self.out: list[str] = []
        self.enc = Encoded("")
        self.stack: list[str] = []

    def _id(self) -> str:
        return str(len(self.enc.spans) + 1)

    def empty(self, tag: str, markdown: str) -> None:
        i = self._id()
        self.enc.spans[i] = (markdown, "")
        self.enc.tags[i] = tag
        self.out.append(f'<{tag} id="{i}"/>')

    def open(self, tag: str, md_open: str, md_close: str) -> None:
        i = self._id()
        self.enc.spans[i] = (md_open, md_close)
        self.enc.tags[i] = tag
        self.stack.append(tag)
        self.out.append(f'<{tag} id="{i}">')

    def close(self) -> None:
        self.out.append(f"</{self.stack.pop()}>")

    def text(self, text: str) -> None:
        """Prose, with placeholders and do-not-translate terms wrapped so they stay as written."""
        pattern = _PLACEHOLDER.pattern
        if self.keep:
            pattern += "|" + "|".join(re.escape(k) for k in self.keep)
        pos = 0
        for m in re.finditer(pattern, text):
            self.out.append(escape(text[pos : m.start()]))
            if _PLACEHOLDER.fullmatch(m.group(0)):
                self.empty("x", m.group(0))
            else:
                i = self._id()
                self.enc.spans[i] = (m.group(0), "")
                self.enc.tags[i] = "x"
                self.out.append(f'<x id="{i}">{escape(m.group(0))}</x>')
            pos = m.end()
        self.out.append(escape(text[pos:]))

    def tokens(self, tokens: Iterable[Token]) -> None:
        for t in tokens:
            kind = t.type
            if kind == "text":
                self.text(t.content)
            elif kind in ("strong_open", "em_open", "s_open"):
                tag = {"strong_open": "b", "em_open": "i", "s_open": "s"}[kind]
                self.open(tag, t.markup, t.markup)
            elif kind in ("strong_close", "em_close", "s_close", "link_close"):
                self.close()
            elif kind == "link_open":
                href = str(t.attrs.get("href", ""))
                title = t.attrs.get("title")
                tail = f'({href} "{title}")' if title else f"({href})"
                self.open("a", "[", "]" + tail)
            elif kind == "image":
                src = str(t.attrs.get("src", ""))
                title = t.attrs.get("title")
                tail = f'({src} "{title}")' if title else f"({src})"
                self.open("img", "![", "]" + tail)
                self.text(t.content)
                self.close()
            elif kind == "code_inline":
                fence = t.markup
                pad = " " if t.content.startswith("`") or t.content.endswith("`") else ""
                self.empty("x", f"{fence}{pad}{t.content}{pad}{fence}")
            elif kind == "softbreak":
                self.empty("x", "\n")
            elif kind == "hardbreak":
                self.empty("x", "\\\n" if t.markup == "\\" else "  \n")
            elif kind == "text_special":
                self.empty("x", "\\" + t.content if t.info == "escape" else t.markup)
            else:  # html_inline and anything else: kept as written
                self.empty("x", t.content or t.markup)


def encode(markdown: str, keep: Sequence[str] = ()) -> Encoded:
    """The XML for one unit; `keep` lists do-not-translate terms (sent, but ignored by DeepL)."""
    tokens = parser().parseInline(markdown)[0].children or []
    encoder = _Encoder(keep)
    visible: list[Token] = []
    autolink: list[str] | None = None
    for t in tokens:  # an autolink `<https://...>` becomes one tag that is never sent
        if t.type == "link_open" and t.markup == "autolink":
            autolink = []
        elif autolink is not None and t.type == "link_close":
            visible.append(Token("html_inline", "", 0, content="<" + "".join(autolink) + ">"))
            autolink = None
        elif autolink is not None:
            autolink.append(t.content)
        else:
            visible.append(t)
    encoder.tokens(visible)
    encoder.enc.xml = "".join(encoder.out)
    return encoder.enc


def decode(xml: str, encoded: Encoded) -> str:
    """Markdown from a translated XML string; raises TagMismatch unless every tag came back once."""
    try:
        root = ET.fromstring(f"<r>{xml}</r>")
    except ET.ParseError as exc:
        raise TagMismatch(f"the translation is not well-formed XML ({exc})") from None
    seen: dict[str, int] = {}
    for el in root.iter():
        if el is root:
            continue
        i = el.get("id", "")
        if encoded.tags.get(i) != el.tag:
            raise TagMismatch(f"unexpected tag <{el.tag} id={quoteattr(i)}>")
        seen[i] = seen.get(i, 0) + 1
    missing = sorted(set(encoded.tags) - set(seen), key=int)
    doubled = sorted((i for i, n in seen.items() if n > 1), key=int)
    if missing or doubled:
        parts = [
            f"lost {_describe(encoded, missing)}" if missing else "",
            f"doubled {_describe(encoded, doubled)}" if doubled else "",
        ]
        raise TagMismatch("; ".join(p for p in parts if p))

    def walk(el: ET.Element) -> str:
        out = [_md_escape(el.text or "")] if el is root or encoded.tags[el.get("id", "")] != "x" else []
        for child in el:
            md_open, md_close = encoded.spans[child.get("id", "")]
            out.append(md_open + (walk(child) if child.tag != "x" else "") + md_close)
            out.append(_md_escape(child.tail or ""))
        return "".join(out)

    return walk(root)


def _describe(encoded: Encoded, ids: Sequence[str]) -> str:
    return ", ".join(repr(encoded.spans[i][0] + encoded.spans[i][1]) for i in ids)


def _md_escape(text: str) -> str:
    """Escape what DeepL's prose could turn into markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)
