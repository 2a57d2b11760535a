"""FAQ questions and their answers as plain text, per page and language: what the page's JSON-LD
(FAQPage), faq.json and the page cache hold.

A question is a heading of an article that ends in ？ and carries an explicit id (`{ #short-id }`,
required by meta.py); its answer is everything under it up to the next heading of the same or a
higher level. The ids are taken from the Japanese source, so every language exports the same
questions under the same anchors.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it.token import Token

from .markdown import parser
from .meta import page_kind
from .placeholders import Expander
from .policy import HELD_CLASS
from .segment import Document

_ATTRS = re.compile(r"\s*\{\s*([^{}]*)\}\s*$")
_ID = re.compile(r"#([A-Za-z0-9_\-\u0080-\uffff]+)")
_QUESTION_END = ("？", "?")
_CJK = "\u3000-\u9fff\uac00-\ud7af\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\x00|\x00(?=[{_CJK}])")


@dataclass(frozen=True)
class FaqItem:
    anchor: str
    question: str
    answer: str  # plain text, one block per line


def faq_anchors(doc: Document) -> tuple[str, ...]:
    """The ids of a page's FAQ questions: headings ending in ？ that carry an explicit id.

    Taken from the Japanese source so that a translation which drops the question mark still
    exports the same questions under the same anchors.
    """
    return tuple(
        doc.heading_ids[i]
        for i, unit in enumerate(doc.units)
        if unit.kind == "heading" and i in doc.explicit_ids and unit.text.rstrip().endswith(_QUESTION_END)
    )


def _split_heading(content: str) -> tuple[str, str | None]:
    """A heading's text without its `{ #id }`, and the id."""
    m = _ATTRS.search(content)
    if not m:
        return content.strip(), None
    anchor = _ID.search(m.group(1))
    return content[: m.start()].strip(), anchor.group(1) if anchor else None


def _plain_inline(token: Token) -> str:
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append("\x00")
        elif child.type == "hardbreak":
            out.append("\n")
    # A line break inside a paragraph is a space between words, nothing between CJK characters.
    return _CJK_BREAK.sub("", "".join(out)).replace("\x00", " ")


def _plain_blocks(tokens: list[Token]) -> str:
    """Block tokens -> plain text: one line per paragraph, list item, table row or admonition title."""
    lines: list[str] = []
    buffer: list[str] = []
    cells: list[str] = []
    counters: list[int] = []  # per open list: the last item number (bullets count too, unused)
    pending = ""  # the marker of a list item whose first line is not written yet
    in_table = 0

    def flush() -> None:
        nonlocal pending
        text = "".join(buffer).strip()
        buffer.clear()
        if text:
            lines.append(pending + text)
            pending = ""

    heading = False
    for tok in tokens:
        t = tok.type
        if t == "inline":
            text = _plain_inline(tok)
            if heading:
                text = _split_heading(text)[0]  # a sub-heading's `{ #id }` is markup, not text
            (cells if in_table else buffer).append(text.strip() if in_table else text)
        elif t == "heading_open":
            heading = True
        elif t == "heading_close":
            heading = False
            flush()
        elif t in ("paragraph_close", "admonition_title_close"):
            flush()
        elif t in ("bullet_list_open", "ordered_list_open"):
            flush()
            counters.append(int(tok.attrs.get("start", 1) or 1) - 1)
        elif t in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif t == "list_item_open":
            flush()
            counters[-1] += 1
            marker = f"{counters[-1]}. " if tok.markup in (".", ")") else "- "
            pending = "  " * (len(counters) - 1) + marker
        elif t == "table_open":
            in_table += 1
        elif t == "table_close":
            in_table -= 1
        elif t == "tr_close":
            if any(cells):
                lines.append(" | ".join(cells))
            cells.clear()
        elif t in ("fence", "code_block"):
            flush()
            lines.extend(tok.content.rstrip("\n").split("\n"))
        elif t == "tab_open" and tok.info:
            flush()
            lines.append(tok.info)
    flush()
    return "\n".join(line.rstrip() for line in lines if line.strip())


def _from_first_question(markdown: str, anchors: tuple[str, ...] | None) -> str:
    """The text from the first question's heading on: parsing only that part is several times faster.

    Only a top-level ATX heading line carrying one of the ids is a safe place to cut; without one the
    whole text is parsed.
    """
    if not anchors:
        return markdown
    ids = "|".join(re.escape(a) for a in anchors)
    m = re.search(rf"^#{{1,6}}[ \t].*\{{[^{{}}\n]*#(?:{ids})(?![\w-])[^{{}}\n]*\}}[ \t]*$", markdown, flags=re.M)
    return markdown[m.start() :] if m else markdown


@lru_cache(maxsize=2048)
def _extract(markdown: str, anchors: tuple[str, ...] | None) -> tuple[FaqItem, ...]:
    tokens = parser().parse(_from_first_question(markdown, anchors))
    items: list[FaqItem] = []
    current: tuple[str, str, int, int] | None = None  # anchor, question, level, first answer token

    def close(end: int) -> None:
        if current is not None:
            anchor, question, _, start = current
            items.append(FaqItem(anchor, question, _plain_blocks(tokens[start:end])))

    for i, tok in enumerate(tokens):
        if tok.type != "heading_open":
            continue
        level = int(tok.tag[1:])
        if current is not None and level <= current[2]:
            close(i)
            current = None
        if current is not None:
            continue
        text, anchor = _split_heading(tokens[i + 1].content)
        is_question = anchor in anchors if anchors is not None else text.endswith(_QUESTION_END)
        if anchor and is_question:
            inline = parser().parseInline(text)[0]
            current = (anchor, _plain_inline(inline).strip(), level, i + 3)
    close(len(tokens))
    return tuple(items)


def page_faq(doc: Document, texts: Mapping[str, str | None], expander: Expander) -> dict[str, list[FaqItem]]:
    """An article's FAQ in each language, `texts` being its Markdown by language (None: shown in
    Japanese); computed with the page, the page cache keeps it."""
    anchors = faq_anchors(doc) if page_kind(doc.path) == "article" else ()
    if not anchors:
        return {}
    source = doc.render(ids=True)
    return {lang: _translated_faq(expander.expand(text or source, lang), anchors) for lang, text in texts.items()}


_HELD = re.compile(rf"""<span class=(["']){HELD_CLASS}\1[^>]*>""")
_HELD_MARK = "\ue000"  # a private-use character: survives into the plain text where a held unit stood


def _translated_faq(markdown: str, anchors: Collection[str]) -> list[FaqItem]:
    """The FAQ of a page in one language, without the questions of which a part is shown in Japanese
    on a partly translated page (pages.held): FAQPage data says one language for all its text."""
    if not _HELD.search(markdown):
        return extract_faq(markdown, anchors)
    items = extract_faq(_HELD.sub(lambda m: m.group(0) + _HELD_MARK, markdown), anchors)
    return [item for item in items if _HELD_MARK not in item.question + item.answer]


def extract_faq(markdown: str, anchors: Collection[str] | None = None) -> list[FaqItem]:
    """Each FAQ question of a page and its answer as plain text.

    A question is a heading with one of `anchors` as its id (or, without `anchors`, any heading ending
    in ？ with an id); its answer is everything under it up to the next heading of the same or a
    higher level.
    """
    return list(_extract(markdown, tuple(anchors) if anchors is not None else None))


def faq_jsonld(items: list[FaqItem], lang: str) -> dict[str, Any]:
    """schema.org FAQPage for a page's questions, in the language of their text."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "inLanguage": lang,
        "mainEntity": [
            {"@type": "Question", "name": q.question, "acceptedAnswer": {"@type": "Answer", "text": q.answer}}
            for q in items
        ],
    }
