"""Sources + catalogs -> what each language shows: the publishing policy applied page by page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, meta
from .catalog import CatalogError, Merged, State
from .meta import Finding
from .placeholders import Expander, load_channels
from .project import Language, Project
from .segment import Document, FrontMatterError, parse


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str


@dataclass
class PageTranslation:
    """One page in one language: its state, and its Markdown unless it is served in Japanese."""

    page: str
    lang: str
    state: str  # reviewed | machine | stale | fallback
    text: str | None
    counts: Counter[State]
    stale_sections: list[Section] = field(default_factory=list)
    reason: str = ""  # why a page falls back, for notices and `helpcenter status`


def is_strict(project: Project, doc: Document) -> bool:
    """Security and incident articles need reviewed translations (unless configured otherwise)."""
    if meta.page_kind(doc.path) != "article":
        return False
    if doc.front_matter.get("category") in project.policy.strict_categories:
        return True
    return project.policy.strict_incidents and bool(doc.front_matter.get("incidents"))


def translate_page(doc: Document, merged: Merged, lang: Language, strict: bool) -> PageTranslation:
    """Apply the publishing policy to one page.

    A page is published in a language only when every unit has a publishable translation; under
    `reviewed` (or for strict pages) every unit must be reviewed. A stale unit (its Japanese changed
    after translation) is shown only with a notice naming its section, never as if current.
    """
    states = [catalog.state(e) for e in merged.entries]
    counts = Counter(states)
    needs_review = lang.publish == "reviewed" or strict
    stale = [doc.units[i] for i, s in enumerate(states) if s is State.STALE]
    # each section by its heading as the page shows it: translated where the heading is
    shown = {a: merged.entries[i].msgstr for i, a in doc.heading_ids.items() if i < len(merged.entries)}
    sections = list(dict.fromkeys(Section(shown.get(u.anchor) or u.section, u.anchor) for u in stale))
    if not merged.entries:
        return PageTranslation(doc.path, lang.code, "reviewed", doc.render(ids=True), counts)
    if counts[State.MISSING]:
        reason = "missing"
    elif any(not catalog.publishable(e) for e in merged.entries):
        reason = "qa"
    elif needs_review and counts[State.REVIEWED] < len(states):
        reason = "unreviewed"
    else:
        state = "stale" if stale else "machine" if counts[State.MACHINE] else "reviewed"
        text = doc.render({i: e.msgstr for i, e in enumerate(merged.entries)}, ids=True)
        return PageTranslation(doc.path, lang.code, state, text, counts, sections)
    return PageTranslation(doc.path, lang.code, "fallback", None, counts, sections, reason)


@dataclass
class Corpus:
    """Every source page parsed and every catalog merged with it, in memory."""

    project: Project
    docs: dict[str, Document]
    sources: dict[str, str]
    merged: dict[tuple[str, str], Merged]  # (page, lang) -> catalog for the current source
    findings: list[Finding]
    expander: Expander
    languages: list[Language]

    def translation(self, page: str, lang: Language) -> PageTranslation:
        doc = self.docs[page]
        return translate_page(doc, self.merged[page, lang.code], lang, is_strict(self.project, doc))

    def categories(self) -> list[str]:
        """Every category folder of the project, also when only some pages are loaded."""
        return sorted(
            {p.split("/")[0] for p in self.project.pages() if p.endswith("/index.md") and p.count("/") == 1}
            - {"incidents"}
        )

    def incident_ids(self) -> list[str]:
        return sorted(p.split("/")[1][:-3] for p in self.project.pages() if meta.page_kind(p) == "hub")


@dataclass
class LoadedPage:
    """What loading one source page learns: its text, its parse, its catalogs merged, its problems."""

    source: str
    doc: Document | None
    merged: dict[str, Merged]  # by language code
    findings: list[Finding]


def empty_corpus(project: Project, languages: list[Language] | None = None) -> Corpus:
    channels = load_channels(project.data / "channels.yml")
    languages = list(project.languages) if languages is None else languages
    return Corpus(project, {}, {}, {}, [], Expander(project.exchange, channels, project.default), languages)


def load_page(corpus: Corpus, page: str, categories: list[str], incidents: list[str]) -> LoadedPage:
    """Parse one source page, check its front matter and placeholders, merge its catalogs."""
    project = corpus.project
    source = (project.docs / page).read_text(encoding="utf-8")
    try:
        doc = parse(page, source)
    except FrontMatterError as exc:
        return LoadedPage(
            source, None, {}, [Finding(f"docs/{page}", exc.line, f"{exc}; fix the YAML between the `---` lines")]
        )
    findings = meta.check(doc, source, categories, incidents) + corpus.expander.check(f"docs/{page}", source)
    merged = {lang.code: merge_catalog(project, doc, lang.code, findings) for lang in corpus.languages}
    return LoadedPage(source, doc, merged, findings)


def add_page(corpus: Corpus, page: str, loaded: LoadedPage) -> None:
    corpus.sources[page] = loaded.source
    corpus.findings.extend(loaded.findings)
    if loaded.doc is not None:
        corpus.docs[page] = loaded.doc
        corpus.merged.update(((page, lang), merged) for lang, merged in loaded.merged.items())


def load_corpus(project: Project, languages: list[Language] | None = None, pages: list[str] | None = None) -> Corpus:
    """Parse sources and merge catalogs; every problem becomes a Finding instead of an exception."""
    corpus = empty_corpus(project, languages)
    categories, incidents = corpus.categories(), corpus.incident_ids()
    for page in pages if pages is not None else project.pages():
        add_page(corpus, page, load_page(corpus, page, categories, incidents))
    return corpus


def merge_catalog(project: Project, doc: Document, lang: str, findings: list[Finding]) -> Merged:
    path = catalog.catalog_path(project.translations, lang, doc.path)
    display = path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)
    try:
        po = catalog.load(path, lang, doc.path, display)
    except CatalogError as exc:
        findings.append(Finding(exc.path, exc.line, str(exc).split(": ", 1)[1]))
        po = catalog.new_catalog(lang, doc.path)
    return catalog.merge(doc.units, po, f"docs/{doc.path}")


def po_path(project: Project, lang: str, page: str) -> Path:
    return catalog.catalog_path(project.translations, lang, page)
