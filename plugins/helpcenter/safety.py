"""What text may put on a page, checked on the HTML of the renderer that publishes it.

The rule for translations: a translation changes words, nothing else. Every element, attribute,
link target, image source, code span, domain name, e-mail address and phone number of a unit must
be the source unit's. The rules for sources: no script-capable URL, no event attribute, elements
and attributes only from an allow-list, external links only to allowed hosts.

Both are checked on what Python-Markdown (MkDocs' renderer), configured with the site's
`markdown_extensions`, makes of the text: markdown-it-py, which segments the pages, reads some
input differently (`\\<img …>`, `{: attr_list }`, reference definitions), and whatever is checked
with one parser and published with another is a hole.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import markdown
from selectolax.lexbor import LexborHTMLParser, LexborNode

#: What MkDocs adds to every site's `markdown_extensions`.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
#: URL schemes a browser runs or that carry their own content.
SCRIPT_SCHEMES = ("javascript", "data", "vbscript")
#: Elements an article may contain: what Markdown and the site's extensions make, and the raw HTML
#: writers may use (contributing/writing.md names them).
_ELEMENTS = """p a li ul ol table thead tbody tr th td h1 h2 h3 h4 h5 h6 hr div span code pre strong em b i s
del ins mark sup sub kbd abbr br img input label details summary blockquote dl dt dd figure figcaption small"""
ELEMENTS = frozenset([*_ELEMENTS.split(), "-comment"])
#: Attributes by element ("*": any element); others, `on*` and `style` included, are errors.
ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "input": frozenset({"type", "name", "checked"}),
    "label": frozenset({"for"}),
    "div": frozenset({"data-tabs"}),
    "details": frozenset({"open"}),
    "th": frozenset({"align", "style"}),
    "td": frozenset({"align", "style"}),
}
_ALIGN_STYLE = re.compile(r"^text-align: (left|right|center);?$")
_ID = re.compile(r"^(?!__)[\w-]+$|^__tabbed_\d+_\d+$")
#: Formatting a translation may move, add or drop (a warning elsewhere): style, not structure.
FORMATTING = frozenset({"strong", "em", "b", "i", "s", "del"})
#: Attributes whose value is words, translated with the text.
TRANSLATABLE = frozenset({"alt", "title"})
#: Attributes a browser follows as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background", "data", "ping"}
)

_LETTERS = "a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"  # Latin, Greek, Cyrillic: homoglyphs included
_LABEL = f"[0-9{_LETTERS}]"
_HOST = rf"(?:{_LABEL}(?:[0-9{_LETTERS}-]*{_LABEL})?\.)+[{_LETTERS}]{{2,}}"
_EDGE_BEFORE = rf"(?<![0-9{_LETTERS}.@_-])"
_EDGE_AFTER = rf"(?![0-9{_LETTERS}_-])"
#: Domains, e-mail addresses and phone numbers in plain text: a phishing address needs no link.
IDENTIFIER = re.compile(
    rf"{_EDGE_BEFORE}(?:[a-z0-9._%+-]+@)?{_HOST}{_EDGE_AFTER}"
    r"|(?<![\d-])(?:\+\d{1,3}[ -]?)?\(?\d{2,5}\)?[ -]\d{2,4}[ -]\d{3,4}(?![\d-])"
    # and text that is markup or script elsewhere: a scheme, an event attribute, an attribute list
    r"|\b(?:javascript|vbscript)\s*:|\bdata:\s*[a-z]+/[a-z]|\bon[a-z]+\s*=|(?<!\{)\{:?\s*[#.:][^{}]*\}|\{[^{}]*=[^{}]*\}",
    re.IGNORECASE,
)


#: Extensions that leave text without Markdown or HTML syntax as it is (no magic links, no smart quotes).
QUIET_EXTENSIONS = frozenset(
    {*MKDOCS_BUILTINS, "admonition", "attr_list", "md_in_html", "def_list", "footnotes", "abbr", "sane_lists"}
    | {"pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight", "pymdownx.inlinehilite"}
)
#: What Python-Markdown or HTML could read as syntax: inline characters, and block markers at a line's start.
_SYNTAX = re.compile(
    r"[\\`*_<>!&{}|#=~^$\t]"  # inline syntax, HTML, entities, attribute lists, tables, headings, tabs
    r"|\]\s*[\[(:]|\[\^"  # a link, a reference or its definition, a footnote (a bracket alone is text: [Settings])
    r"|^\s*(?:-|\?{3}|(?:[+:]|\d+[.)])(?:\s|$))|^ {4}"  # lists, rules, setext headings, details, definitions, code
    r"| {2,}\n|\n\s*\n",  # a line break, a second paragraph
    re.MULTILINE,
)


class Renderer:
    """Python-Markdown configured as the site is: extension names in order, and their options."""

    def __init__(self, extensions: Iterable[str], configs: Mapping[str, Mapping[str, Any]]) -> None:
        self.extensions = list(dict.fromkeys([*MKDOCS_BUILTINS, *extensions]))
        self.configs = {name: dict(configs.get(name) or {}) for name in self.extensions}
        #: what a cache digest and the render cache key on (options may hold objects: their repr)
        self.key = repr([(name, sorted(self.configs[name].items(), key=str)) for name in self.extensions])
        self._md: markdown.Markdown | None = None
        self.quiet = set(self.extensions) <= QUIET_EXTENSIONS

    def plain(self, text: str) -> bool:
        """Whether `text` renders as nothing but itself as text (so rendering it can be skipped)."""
        return self.quiet and not _SYNTAX.search(text)

    @classmethod
    def of(cls, items: Iterable[str | Mapping[str, Any]]) -> Renderer:
        """From mkdocs.yml's `markdown_extensions` list (names, or one-key mappings to options)."""
        names: list[str] = []
        configs: dict[str, Mapping[str, Any]] = {}
        for item in items:
            for name, options in item.items() if isinstance(item, Mapping) else [(item, {})]:
                names.append(name)
                configs[name] = options or {}
        return cls(names, configs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Renderer) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __getstate__(self) -> dict[str, Any]:  # pickled with the page cache: without the live instance
        return {**self.__dict__, "_md": None}

    def html(self, text: str) -> str:
        return _render(self, text)

    def convert(self, text: str) -> str:
        if self._md is None:
            self._md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
        self._md.reset()
        return self._md.convert(text)


@lru_cache(maxsize=16384)
def _render(renderer: Renderer, text: str) -> str:
    return renderer.convert(text)


def url_problem(url: str, hosts: frozenset[str]) -> str | None:
    """Why a link target or image source may not be published, or None.

    Read as a browser reads it: ASCII whitespace and controls inside the URL are dropped and a
    backslash is a slash, so `java&#9;script:` and `/\\evil.example` are caught.
    """
    clean = re.sub(r"[\x00-\x20\x7f]", "", url).replace("\\", "/")
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", clean, re.IGNORECASE)
    kind = scheme.group(1).lower() if scheme else ""
    if kind in SCRIPT_SCHEMES:
        return f"a {kind}: URL ({url[:40]!r}) can run script or carry its own page"
    if kind in ("mailto", "tel"):
        return None
    if kind and kind not in ("http", "https"):
        return f"the URL scheme {kind}: is not allowed ({url[:40]!r})"
    if not kind and not clean.startswith("//"):
        return None  # relative: a page or file of this site
    try:
        host = (urlsplit(clean).hostname or "").rstrip(".")
    except ValueError:
        return f"not a valid URL: {url[:60]!r}"
    if host not in hosts:
        return f"link to {host or url[:40]!r}, which is not an allowed host (helpcenter `allowed_hosts` in mkdocs.yml)"
    return None


def element_problems(node: LexborNode, hosts: frozenset[str]) -> list[str]:
    """What an element of an article may not be or carry (the source rules)."""
    tag = node.tag or ""
    if tag not in ELEMENTS:
        return [f"<{tag}> is not allowed in an article (allowed raw HTML: contributing/writing.md)"]
    out = []
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset())
    for name, value in node.attributes.items():
        value = value or ""
        if name.startswith("on"):
            out.append(f"event attribute {name}= on <{tag}>: script is not allowed")
        elif name not in allowed:
            out.append(f"attribute {name}= on <{tag}> is not allowed (attr_list: only {{ #id }} and {{ .class }})")
        elif name == "style" and not _ALIGN_STYLE.match(value):
            out.append(f"style={value[:40]!r} on <{tag}> is not allowed")
        elif name == "id" and not _ID.match(value):
            out.append(f"id={value[:40]!r}: ids are letters, digits, - and _, not starting with __")
        elif name in URL_ATTRIBUTES and (problem := url_problem(value, hosts)):
            out.append(problem)
    return out


def page_problems(text: str, renderer: Renderer, hosts: frozenset[str]) -> list[tuple[str, list[str]]]:
    """(problem, pieces of the source to find its line by) for a whole source page."""
    out: list[tuple[str, list[str]]] = []
    body = LexborHTMLParser(renderer.html(text)).body
    for node in body.traverse(include_text=False) if body else ():
        problems = element_problems(node, hosts)
        if node.tag == "body":  # raw `<body onload=…>` lends its attributes to the page's body
            problems = [p for p in problems if not p.startswith("<body>")]
        attrs = node.attributes
        clues = [v for v in attrs.values() if v and len(v) > 2] + [f"{k}=" for k in attrs] + [f"<{node.tag}"]
        out += [(problem, clues) for problem in problems]
    return out


def line_of(source: str, clues: Iterable[str], default: int = 1) -> int:
    """The first line holding one of `clues` (an attribute value, `name=`, `<tag`), read as the
    browser reads it (entities decoded): where a writer should look."""
    lines = [html.unescape(line).lower() for line in source.splitlines()]
    for clue in clues:
        clue = clue.lower()
        for n, line in enumerate(lines, 1):
            if clue and n >= default and clue in line:
                return n
    return default


def plain_text_problem(text: str, renderer: Renderer) -> str | None:
    """Why a title, description, FAQ question or label is not plain text, or None.

    Such text is inserted where Markdown is not rendered (`<title>`, navigation, meta tags,
    JSON-LD, faq.json): markup there is at best shown as code, at worst run.
    """
    stripped = text.strip()
    if renderer.plain(stripped) or renderer.html(stripped) == "<p>" + html.escape(stripped, quote=False) + "</p>":
        return None
    return f"HTML or Markdown in plain text ({stripped[:50]!r}): write words only"


@dataclass(frozen=True)
class Structure:
    """A unit's published HTML reduced to what a translation must keep."""

    elements: Counter[str]
    identifiers: Counter[str]
    formatting: int


def _describe(node: LexborNode) -> str:
    """`link: URL`, `image: URL`, `inline code: text`, or `HTML: <tag attributes>`."""
    attrs = {k: v for k, v in node.attributes.items() if k not in TRANSLATABLE}
    if node.tag == "a" and set(attrs) <= {"href"}:
        return f"link: {attrs.get('href', '')}"
    if node.tag == "img" and set(attrs) <= {"src"}:
        return f"image: {attrs.get('src', '')}"
    if node.tag in ("code", "kbd") and not attrs:
        return f"inline code: {node.text()}"
    text = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in sorted(attrs.items()))
    return f"HTML: <{node.tag}{text}>"


@lru_cache(maxsize=16384)
def structure(markup: str) -> Structure:
    """Elements (with their container path and every attribute but alt/title), identifiers in the
    text, and how much formatting (bold, italics) there is."""
    tree = LexborHTMLParser(markup)
    body = tree.body
    elements: Counter[str] = Counter()
    formatting = 0
    for node in body.traverse(include_text=False) if body else ():
        if node.tag in FORMATTING:
            formatting += 1
            continue
        path = []
        parent = node.parent
        while parent is not None and parent is not body and parent.tag != "body":
            if parent.tag not in FORMATTING:
                path.append(parent.tag or "")
            parent = parent.parent
        where = " > ".join(reversed(path))
        elements[_describe(node) + (f" (in {where})" if where else "")] += 1
    text = body.text(separator=" ") if body else ""
    identifiers = Counter(m.group(0).lower() for m in IDENTIFIER.finditer(text))
    return Structure(elements, identifiers, formatting)


def _words(text: str) -> Structure:
    """The structure of a plain unit: its identifiers (its elements are those of any plain text)."""
    return Structure(Counter(), Counter(m.group(0).lower() for m in IDENTIFIER.finditer(text)), 0)


#: How a unit of each kind stands in its page, so it renders as it will be published.
CONTEXT = {
    "heading": "## {} {{ #u }}",
    "cell": "| h |\n| --- |\n| {} |",
    "admonition-title": '!!! note "{}"\n\n    x',
    "tab-title": '=== "{}"\n\n    x',
}


def unit_html(kind: str, text: str, renderer: Renderer) -> str:
    return renderer.html(CONTEXT.get(kind, "{}").format(text))


def compare(kind: str, source: str, translation: str, renderer: Renderer) -> tuple[list[str], list[str]]:
    """(errors, warnings): how the translation's published HTML differs from the source's."""
    if renderer.plain(source) and renderer.plain(translation):  # most units: the same elements, only words
        src, dst = _words(source), _words(translation)
    else:
        src = structure(unit_html(kind, source, renderer))
        dst = structure(unit_html(kind, translation, renderer))
    errors = _differences(src.elements, dst.elements)
    if (
        kind == "cell"
        and "|" in translation
        and _splits_cell(translation, renderer)
        and not _splits_cell(source, renderer)
    ):
        errors.append("a `|` splits the table cell (the row loses a cell): write `\\|`")
    ids = _differences(
        Counter({f"text: {k}": n for k, n in src.identifiers.items()}),
        Counter({f"text: {k}": n for k, n in dst.identifiers.items()}),
    )
    errors += [e.replace("text", "address, number or markup-like text", 1) for e in ids]
    warnings = []
    if src.formatting != dst.formatting:
        warnings.append(f"emphasis: {src.formatting} in the source, {dst.formatting} in the translation")
    return errors, warnings


def _splits_cell(text: str, renderer: Renderer) -> bool:
    end = "hc-end-of-row"
    cells = LexborHTMLParser(renderer.html(f"| h | h |\n| - | - |\n| {text} | {end} |")).css("td")
    return len(cells) != 2 or cells[1].text().strip() != end


def _differences(source: Counter[str], target: Counter[str]) -> list[str]:
    """`link lost: URL (in p)`, `HTML not in the source: <img onerror="…"> (in p)`, …"""
    if source == target:
        return []
    out = []
    for verb, keys in (("not in the source", target - source), ("lost", source - target)):
        for key in sorted(keys):
            kind, detail = key.split(": ", 1)
            out.append(f"{kind} {verb}: {detail}")
    return out
