"""The writing rules of contributing/writing.md that are about the Markdown itself, checked with the
file and line: each is a mistake that publishes something other than what the writer saw.

- file names are URLs: lowercase ASCII words joined by hyphens;
- the front matter's `title` is the page's heading: no `#` heading in the body;
- the exchange's name and its official channels come from `{{ exchange }}` / `{{ channels.x }}`,
  never typed by hand (one place to change them, and `helpcenter verify` knows them);
- lists nest by four spaces: Python-Markdown, which publishes the site, reads a two-space item as
  a new item of the outer list (a bullet became an extra numbered step), where the editor's
  preview (CommonMark) nests it;
- one paragraph per line: a line break inside Japanese text is published as a space;
- `hide:` takes what the theme can hide on a page (anything else is silently ignored by Material).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from markdown_it.token import Token

from .meta import ID, Finding
from .placeholders import PLACEHOLDER, Expander
from .segment import Document

#: What Material hides on a page with `hide:` in its front matter.
HIDE = ("navigation", "toc", "footer", "path")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ATTR_LINE = re.compile(r"^\s*\{:?[^{}]*\}\s*$")


def _by_hand(expander: Expander) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """What may not be typed (one pattern) and, by its lowercase text, the placeholder to write
    instead: the exchange's name, every channel's value and, for a URL, its host name."""
    words: dict[str, str] = {expander.exchange.lower(): "{{ exchange }}"} if expander.exchange else {}
    for key, channel in expander.channels.items():
        host = urlsplit(channel.value).hostname if channel.value.startswith("https://") else None
        for word in (channel.value, host):
            if word:
                words.setdefault(word.lower(), f"{{{{ channels.{key} }}}}")
    if not words:
        return None, words
    # longest first: a channel value that contains the exchange's name is reported as the channel;
    # ASCII edges: Japanese text is written right against a name (Hoshi Exchangeの)
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z0-9_.@-])(?:{alternatives})(?![A-Za-z0-9_-]|\.[A-Za-z0-9])", re.I)
    return pattern, words


def _typed(doc: Document, source: str, expander: Expander) -> Iterable[Finding]:
    pattern, placeholders = _by_hand(expander)
    if pattern is None:
        return
    # comments are notes for writers; placeholders are what we want
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    text = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    for n, line in enumerate(text.splitlines(), 1):
        for m in pattern.finditer(line):
            placeholder = placeholders[m.group(0).lower()]
            yield Finding(f"docs/{doc.path}", n, f"{m.group(0)!r} typed by hand: write {placeholder}")


def _slug(doc: Document) -> Iterable[Finding]:
    for part in doc.path.removesuffix(".md").split("/"):
        if part != "index" and not ID.match(part):
            yield Finding(
                f"docs/{doc.path}",
                1,
                f"file or folder name {part!r} is part of the page's URL: use lowercase ASCII words"
                " joined by hyphens (like two-factor-setup.md)",
            )


def _hide(doc: Document, source: str) -> Iterable[Finding]:
    hide = doc.front_matter.get("hide")
    if hide is None:
        return
    if not isinstance(hide, list) or not set(hide) <= set(HIDE):
        line = next((n for n, text in enumerate(source.splitlines(), 1) if text.startswith("hide:")), 1)
        yield Finding(f"docs/{doc.path}", line, f"`hide` lists what to hide on this page, among {', '.join(HIDE)}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blocks(doc: Document, source: str, tokens: list[Token]) -> Iterable[Finding]:
    display = f"docs/{doc.path}"
    lines = source.splitlines()
    for token in tokens:
        if token.map is None:
            continue
        first = token.map[0]
        if token.type == "heading_open" and token.tag == "h1":
            yield Finding(
                display,
                first + 1,
                "a `#` heading: the front matter's `title` is the page's heading; start sections at `##`",
            )
        elif token.type == "list_item_open" and _indent(lines[first]) % 4:
            yield Finding(
                display,
                first + 1,
                f"list item indented by {_indent(lines[first])} spaces: nest lists by four spaces"
                " (the site reads this as an item of the outer list)",
            )
        elif token.type == "paragraph_open":
            # a line of its own may hold the paragraph's attribute list (`{ #id }`)
            more = [n for n in range(first + 1, token.map[1]) if not _ATTR_LINE.match(lines[n])]
            if more:
                yield Finding(
                    display,
                    more[0] + 1,
                    "a paragraph continues on this line: write one paragraph per line"
                    " (the line break is published as a space); separate paragraphs with a blank line",
                )


def check(doc: Document, source: str, tokens: list[Token], expander: Expander) -> list[Finding]:
    """Every writing rule broken by one source page, with its line."""
    return [*_slug(doc), *_hide(doc, source), *_blocks(doc, source, tokens), *_typed(doc, source, expander)]
