"""Links between pages, checked before the build: a link to a page or file that is not in `docs/`, or
to an anchor the page does not have, is an error at the Markdown file and line, and at the PO file
and line of every translation that carries it.

Anchors are what the site gives a page: its headings' ids (the writer's `{ #id }`, else the id
derived from the Japanese heading, the same in every language: `Document.heading_ids`), ids in
`{: #id }` attribute lists and `id="…"` in raw HTML.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from . import catalog
from .corpus import Corpus
from .errors import HelpcenterError, display, read_text
from .link_targets import targets
from .meta import Finding
from .segment import Document, parse

_IDS = re.compile(r"""\{:?[^{}]*?#([\w-]+)[^{}]*\}|\bid\s*=\s*["']([^"']+)["']""")


def _nearest(word: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.5)
    return f" (did you mean {match[0]}?)" if match else ""


def anchors(doc: Document, source: str) -> set[str]:
    return set(doc.heading_ids.values()) | {a or b for a, b in _IDS.findall(source)}


class Checker:
    """Resolves the links of one corpus; parses a target page that is not loaded (`check PAGE`) once."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.anchors: dict[str, set[str] | None] = {}

    @functools.cached_property
    def pages(self) -> set[str]:
        """Every page of docs/ (walking docs/ is needed only for a target that is not loaded)."""
        return set(self.corpus.project.pages())

    def exists(self, page: str) -> bool:
        return page in self.corpus.docs or page in self.pages

    def page_anchors(self, page: str) -> set[str] | None:
        if page not in self.anchors:
            doc, source = self.corpus.docs.get(page), self.corpus.sources.get(page)
            if doc is None or source is None:
                try:
                    source = read_text(self.corpus.project.docs / page)
                    doc = parse(page, source)
                except (HelpcenterError, OSError):  # its own errors are reported where it is checked
                    self.anchors[page] = None
                    return None
            self.anchors[page] = anchors(doc, source)
        return self.anchors[page]

    def problem(self, page: str, target: str) -> str | None:
        """Why `target`, linked from `page`, leads nowhere; None when it is fine or not ours."""
        url = urlsplit(target)
        if url.scheme or url.netloc or "{{" in target:
            return None  # external (checked by safety.py), or a placeholder
        if target.startswith("/"):
            return f"{target}: link to the page's .md file with a relative path (like ../verify.md)"
        path = unquote(url.path)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        if resolved.startswith("../") or resolved == "..":
            return f"{target}: points outside docs/"
        if not resolved.endswith(".md"):
            if path.endswith("/") or "." not in posixpath.basename(path):
                return f"{target}: link to the page's .md file (like ../security/two-factor-setup.md), not its URL"
            if not (self.corpus.project.docs / resolved).is_file():
                return f"{target}: no such file docs/{resolved}"
            return None
        if not self.exists(resolved):
            folder = posixpath.dirname(resolved) + "/"
            nearest = _nearest(resolved, {p for p in self.pages if p.startswith(folder)})
            return f"{target}: no such page docs/{resolved}{nearest}"
        found = self.page_anchors(resolved) if url.fragment else None
        if found is not None and url.fragment not in found:
            return f"{target}: docs/{resolved} has no heading or id #{url.fragment}{_nearest(url.fragment, found)}"
        return None


def check(corpus: Corpus) -> list[Finding]:
    """Every broken link of the loaded pages, in the sources and in their translations."""
    checker = Checker(corpus)
    project = corpus.project
    out: list[Finding] = []
    for page in corpus.docs:
        for n, target in targets(corpus.sources[page]):
            if problem := checker.problem(page, target):
                out.append(Finding(f"docs/{page}", n + 1, f"broken link {problem}"))
        for lang in corpus.languages:
            for link in corpus.facts(page, lang.code).links:
                if problem := checker.problem(page, link.target):
                    where = display(catalog.catalog_path(project.translations, lang.code, page), project.root)
                    level = "warning" if link.stale else "error"
                    out.append(Finding(where, link.line, f"broken link {problem}", level, link.msgid))
    return out
