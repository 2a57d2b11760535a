"""The corpus: every source page parsed, its catalogs merged and checked, and the policy
(policy.py) applied per page and language; what every command and the build work on."""

from __future__ import annotations

from collections import Counter
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import catalog, meta, rules, safety, site_strings
from .catalog import CatalogError, Merged, State
from .errors import HelpcenterError, decode, display
from .findings import Finding
from .link_targets import TranslatedLink, translated_links
from .placeholders import Expander, check_channels, load_channels
from .policy import PageTranslation, is_strict, publish_page
from .project import Language, Project
from .segment import FRONT_MATTER_UNITS, Document, FrontMatterError, Unit, parse_with_tokens
from .site_strings import SiteStrings


@dataclass(frozen=True)
class CatalogFacts:
    """What every language's build reads of a page's catalog in each language: its units' states
    (the status page) and the links its translations carry (the link check). The page cache keeps
    them beside the catalogs, so that one language's build in `helpcenter build` need not load the
    other languages' catalogs (at 1,000 articles in 8 languages: 200 of its 270 MiB)."""

    states: Counter[State]  # each entry once: a unit that occurs twice on a page is one entry to review
    links: tuple[TranslatedLink, ...]

    @classmethod
    def of(cls, merged: Merged) -> CatalogFacts:
        entries = {id(e): e for e in merged.entries}.values()
        return cls(Counter(catalog.state(e) for e in entries), tuple(x for e in entries for x in translated_links(e)))


@dataclass
class Corpus:
    """Every source page parsed and every catalog merged with it, in memory."""

    project: Project
    docs: dict[str, Document]
    sources: dict[str, str]
    merged: MutableMapping[tuple[str, str], Merged]  # (page, lang) -> catalog for the current source
    findings: list[Finding]
    expander: Expander
    languages: list[Language]
    hosts: frozenset[str] = frozenset()  # hosts a page may link to: allowed_hosts, channels, the site
    site: SiteStrings | None = None  # the site's own words; their catalogs are in `merged` as SITE
    stored_facts: dict[tuple[str, str], CatalogFacts] = field(default_factory=dict)  # kept by the page cache

    def units(self, page: str) -> list[Unit]:
        """A page's units; SITE's are the site's own words."""
        return list(self.site.units) if page == site_strings.SITE and self.site else self.docs[page].units

    def words(self, lang: str) -> dict[str, str]:
        """The site's own words as readers of `lang` see them (site_strings.SiteStrings.words)."""
        assert self.site is not None, "the corpus was made by empty_corpus, which loads the site's words"
        return self.site.words(lang)

    def unit_pages(self) -> list[str]:
        """Every page with units to translate: the sources, then the site's own words."""
        return sorted(self.docs) + ([site_strings.SITE] if self.site else [])

    def facts(self, page: str, lang: str) -> CatalogFacts:
        """A page's CatalogFacts in `lang`: as the page cache kept them, else read from its catalog
        (no catalog: no units, no links)."""
        stored = self.stored_facts.get((page, lang))
        if stored is not None:
            return stored
        merged = self.merged.get((page, lang))
        return CatalogFacts.of(merged) if merged is not None else CatalogFacts(Counter(), ())

    def translation(self, page: str, lang: Language) -> PageTranslation:
        return self.shows(self.docs[page], self.merged[page, lang.code], lang)

    def shows(self, doc: Document, merged: Merged, lang: Language) -> PageTranslation:
        """What `lang` shows of a page, from its catalog merged (the page need not be in the corpus)."""
        return publish_page(doc, merged, lang, is_strict(self.project, doc), self.project.default)

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
    channels_file = project.data / "channels.yml"
    channels = load_channels(channels_file) if project.is_inside(channels_file) else {}
    languages = list(project.languages) if languages is None else languages
    site, findings = site_strings.load(project, languages)
    heads = {}
    for code in (project.default, *(lang.code for lang in languages)):
        words = site.words(code)
        heads[code] = (words["channels_table_channel"], words["channels_table_official"])
    expander = Expander(project.exchange, channels, project.default, heads)
    hosts = {str(h).lower().rstrip(".") for h in project.options.allowed_hosts}
    hosts |= {urlsplit(url).hostname or "" for url in (project.site_url, *(c.value for c in channels.values()))}
    merged = {(site_strings.SITE, code): m for code, m in site.merged.items()}
    return Corpus(project, {}, {}, merged, findings, expander, languages, frozenset(hosts - {""}), site)


def load_page(
    corpus: Corpus,
    page: str,
    categories: list[str],
    incidents: list[str],
    files: dict[Path, bytes] | None = None,
) -> LoadedPage:
    """Parse one source page, check its front matter and placeholders, merge its catalogs.

    `files`: the page's and its catalogs' bytes when the caller read them already (the page cache
    hashes them): what is parsed is exactly what was hashed. A catalog missing there is empty.
    """
    project = corpus.project
    path = project.docs / page
    try:
        source = decode(files[path] if files is not None else path.read_bytes(), f"docs/{page}")
    except HelpcenterError as exc:  # not UTF-8: a finding like any other, so that `check` lists them all
        return LoadedPage("", None, {}, [Finding(f"docs/{page}", exc.line or 1, f"{exc.message}; {exc.hint}")])
    try:
        doc, tokens = parse_with_tokens(page, source)
    except FrontMatterError as exc:
        return LoadedPage(
            source, None, {}, [Finding(f"docs/{page}", exc.line or 1, f"{exc}; fix the YAML between the `---` lines")]
        )
    findings = meta.check(doc, source, categories, incidents) + corpus.expander.check(f"docs/{page}", source)
    findings += source_safety(corpus, doc, source) + rules.check(doc, source, tokens, corpus.expander)
    merged = {lang.code: merge_catalog(project, doc, lang.code, findings, files) for lang in corpus.languages}
    return LoadedPage(source, doc, merged, findings)


def is_plain_text(kind: str, text: str) -> bool:
    """Units published where Markdown is not rendered: titles, descriptions, FAQ questions."""
    return kind in ("title", "description") or (kind == "heading" and text.rstrip().endswith(("?", "？")))


def source_safety(corpus: Corpus, doc: Document, source: str) -> list[Finding]:
    """The Japanese source as published: allowed elements, attributes and hosts; plain-text fields."""
    display = f"docs/{doc.path}"
    renderer = corpus.project.renderer
    body = "\n" * doc.front_matter_lines + "\n".join(source.splitlines()[doc.front_matter_lines :])
    start = doc.front_matter_lines + 1
    out = [
        Finding(display, safety.line_of(source, clues, start), problem)
        for problem, clues in safety.page_problems(body, renderer, corpus.hosts)
    ]
    fields: list[tuple[str | int, object]] = [(k, v) for k, v in doc.front_matter.items() if k in FRONT_MATTER_UNITS]
    fields += [
        (unit.line, unit.text) for unit in doc.units if unit.kind == "heading" and is_plain_text(unit.kind, unit.text)
    ]
    for where, text in fields:
        if isinstance(text, str) and (problem := safety.plain_text_problem(text, renderer)):
            line = where if isinstance(where, int) else safety.line_of(source, [f"{where}:"])
            out.append(Finding(display, line, problem, unit=text))
    return out


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
    corpus.findings += file_findings(corpus)
    for page in pages if pages is not None else project.pages():
        add_page(corpus, page, load_page(corpus, page, categories, incidents))
    return corpus


def file_findings(corpus: Corpus) -> list[Finding]:
    """Symbolic links out of the repository, and official channels that would publish markup."""
    project = corpus.project
    out = [Finding(path, 1, message) for path, message in project.link_problems()]
    channels = project.data / "channels.yml"
    if corpus.expander.channels and channels.exists():
        text = channels.read_text(encoding="utf-8")
        out += check_channels(display(channels, project.root), text, corpus.expander.channels, project.renderer)
    return out


def merge_catalog(
    project: Project, doc: Document, lang: str, findings: list[Finding], files: dict[Path, bytes] | None = None
) -> Merged:
    path = catalog.catalog_path(project.translations, lang, doc.path)
    where = display(path, project.root)
    try:  # a link out of the repository is not read (file_findings reports it)
        data = files.get(path, b"") if files is not None else None
        inside = project.is_inside(path)
        po = catalog.load(path, lang, doc.path, where, data) if inside else catalog.new_catalog(lang, doc.path)
    except CatalogError as exc:
        findings.append(Finding(where, exc.line or 1, exc.message))
        po = catalog.new_catalog(lang, doc.path)
    return catalog.merge(doc.units, po, f"docs/{doc.path}")
