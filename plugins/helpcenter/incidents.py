"""Incident types: the troubles an article answers, and everything the site builds from them.

An incident type is one hub page, docs/incidents/<id>.md (its id is the file name, its icon is in the
front matter), so adding a type is adding one file. Articles name the types they answer in their
front matter (`incidents: [phishing, outage]`; meta.py rejects unknown ids). From that one fact this
module derives, per reader's language: the badges and related articles of each article, the article
list of each hub, the index of all types, the active-incident notice, and the JSON exports (faq.json
with the questions faq.py extracts).

Pure: it knows the corpus and the publishing policy's decisions, never MkDocs. URLs come in through a
callable, so the same builders serve relative links in pages and absolute paths in exports.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .corpus import Corpus
from .errors import HelpcenterError
from .faq import FaqItem, faq_anchors, page_faq
from .meta import closest, page_kind
from .placeholders import Expander
from .policy import PageTranslation
from .segment import YAML_LOADER, Document

HUB_FOLDER = "incidents"
ARTICLES_MARKER = "<!-- helpcenter:incident-articles -->"
INDEX_MARKER = "<!-- helpcenter:incident-index -->"
ENV_ID = "HELPCENTER_ACTIVE_INCIDENT"
ENV_START = "HELPCENTER_ACTIVE_INCIDENT_START"
JST = dt.timezone(dt.timedelta(hours=9), "JST")
RELATED_LIMIT = 5
EXPORT_VERSION = 1


Url = Callable[[str], str | None]  # a page's URL as the caller needs it, None when it is not built


class IncidentError(HelpcenterError, ValueError):
    """A wrong active-incident declaration, named with where to fix it."""


# --- the registry: types and the articles that answer them (language independent) -------------------


@dataclass(frozen=True)
class IncidentType:
    id: str
    icon: str  # a Material icon name, like material/server-off
    page: str  # the hub page, incidents/<id>.md


@dataclass(frozen=True)
class Article:
    page: str
    category: str | None
    incidents: tuple[str, ...]
    last_reviewed: dt.date | None
    faq_anchors: tuple[str, ...]  # ids of the FAQ questions, from the Japanese source
    first_aid: tuple[str, ...] = ()  # incident types whose hub lists it first: what to do right away


@dataclass
class Registry:
    """Every incident type and every article, read once from the Japanese sources."""

    types: dict[str, IncidentType]  # by id, sorted by id
    articles: dict[str, Article]  # by page, sorted by page
    by_type: dict[str, list[str]] = field(init=False, repr=False)  # every page is rendered with these

    def __post_init__(self) -> None:
        self.by_type = {t: [] for t in self.types}
        for page, article in self.articles.items():
            for type_id in article.incidents:
                self.by_type.setdefault(type_id, []).append(page)

    def articles_of(self, type_id: str) -> list[str]:
        return self.by_type.get(type_id, [])

    def count(self, type_id: str) -> int:
        return len(self.articles_of(type_id))

    def related(self, page: str, by_title: Callable[[str], Any], limit: int = RELATED_LIMIT) -> list[str]:
        """Articles sharing incident types with `page`: most shared first, then by `by_title` (a sort
        key: the title in the reader's language)."""
        article = self.articles.get(page)
        return [p for p in self.ranking(tuple(article.incidents), by_title) if p != page][:limit] if article else []

    def ranking(self, types: tuple[str, ...], by_title: Callable[[str], Any]) -> list[str]:
        """Every article of `types`, those of the most of them first, then by `by_title`: the
        related articles of each article of exactly these types (but itself)."""
        shared: Counter[str] = Counter(p for t in types for p in self.by_type.get(t, ()))
        ranked = sorted(shared, key=by_title)
        ranked.sort(key=shared.__getitem__, reverse=True)  # stable: equal counts stay in title order
        return ranked


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def registry(corpus: Corpus) -> Registry:
    """Types from docs/incidents/*.md, articles from the other pages' front matter."""
    types: dict[str, IncidentType] = {}
    articles: dict[str, Article] = {}
    for page in sorted(corpus.docs):
        doc = corpus.docs[page]
        fm = doc.front_matter
        kind = page_kind(page)
        if kind == "hub":
            type_id = page.split("/")[1].removesuffix(".md")
            types[type_id] = IncidentType(type_id, str(fm.get("icon") or ""), page)
        elif kind == "article":
            ids = fm.get("incidents") or []
            first_aid = fm.get("first_aid") or []
            category = fm.get("category")
            articles[page] = Article(
                page=page,
                category=category if isinstance(category, str) else None,
                incidents=tuple(dict.fromkeys(str(i) for i in ids)) if isinstance(ids, list) else (),
                last_reviewed=_date(fm.get("last_reviewed")),
                faq_anchors=faq_anchors(doc),
                first_aid=tuple(str(i) for i in first_aid) if isinstance(first_aid, list) else (),
            )
    known = set(types)
    for page, article in articles.items():  # unknown ids are build errors (meta.py); never link them
        articles[page] = replace(
            article,
            incidents=tuple(i for i in article.incidents if i in known),
            first_aid=tuple(i for i in article.first_aid if i in known),
        )
    return Registry(types, articles)


# --- pages as readers of one language see them ----------------------------------------------------


@dataclass(frozen=True)
class LocalPage:
    """One page in the reader's language, or in Japanese where it is served as a fallback."""

    page: str
    lang: str  # the reader's language
    text_lang: str  # the language of its text: `lang`, or the default language on a fallback
    state: str  # reviewed | machine | stale | fallback
    title: str
    description: str

    @property
    def fallback(self) -> bool:
        return self.text_lang != self.lang


@dataclass(frozen=True)
class Link:
    """What a template needs to link to a page (or a type's hub) in the reader's language."""

    page: str
    url: str
    title: str
    description: str = ""
    lang: str | None = None  # the text's language, set only when it differs from the reader's
    id: str = ""  # the incident type, for badges and the index
    icon: str = ""
    count: int = 0
    count_label: str = ""


def _front_matter(text: str) -> dict[str, Any]:
    if not text.startswith("---"):
        return {}
    end = re.search(r"^---\s*$", text[3:], flags=re.M)
    if end is None:
        return {}
    data = yaml.load(text[3 : 3 + end.start()], Loader=YAML_LOADER) or {}
    return data if isinstance(data, dict) else {}


def count_label(n: int, s: dict[str, str]) -> str:
    return (s["incidents_count_one"] if n == 1 else s["incidents_count_other"]).format(count=n)


@dataclass
class Localized:
    """Every page, the incident registry and the words of the site, for readers of one language."""

    lang: str
    default: str
    registry: Registry
    pages: dict[str, LocalPage]
    expander: Expander
    _texts: dict[str, str] = field(default_factory=dict, repr=False)  # translated Markdown by page (not fallbacks)
    _docs: Mapping[str, Document] = field(default_factory=dict, repr=False)
    _faq: dict[str, list[FaqItem]] = field(default_factory=dict, repr=False)  # the page's JSON-LD, then the export
    strings: dict[str, str] = field(default_factory=dict, repr=False)  # the site's words for these readers
    _rankings: dict[tuple[str, ...], list[str]] = field(default_factory=dict, repr=False)  # see related

    def faq(self, page: str) -> list[FaqItem]:
        """The page's FAQ questions in this language: from the page cache (`localize(faq=)`), else
        extracted now, the same way."""
        if page not in self._faq:
            doc = self._docs.get(page)
            texts = {self.lang: self._texts.get(page)}
            self._faq[page] = page_faq(doc, texts, self.expander).get(self.lang, []) if doc else []
        return self._faq[page]

    def _lang_attr(self, page: LocalPage) -> str | None:
        return page.text_lang if page.fallback else None

    def link(self, page: str, url: Url) -> Link | None:
        """A link to `page`, or None when the site has no such page in this language."""
        p, href = self.pages.get(page), url(page)
        if p is None or href is None:
            return None
        return Link(page, href, p.title, p.description, self._lang_attr(p))

    def type_link(self, type_id: str, url: Url) -> Link | None:
        t = self.registry.types[type_id]
        hub, href = self.pages.get(t.page), url(t.page)
        if hub is None or href is None:
            return None
        n = self.registry.count(type_id)
        return Link(
            t.page,
            href,
            hub.title,
            hub.description,
            self._lang_attr(hub),
            t.id,
            t.icon,
            n,
            count_label(n, self.strings),
        )

    @cached_property
    def _title_key(self) -> dict[str, tuple[str, str]]:
        """Each page's sort key by title in this language, computed once: every article's related
        list sorts by it (62,000 keys for 1048 pages)."""
        return {p: (page.title.casefold(), p) for p, page in self.pages.items()}

    def _by_title(self, pages: Iterable[str]) -> list[str]:
        return sorted(pages, key=self._title_key.__getitem__)

    def badges(self, page: str, url: Url) -> list[Link]:
        """The incident types an article answers, each linking to its hub."""
        article = self.registry.articles.get(page)
        return _present(self.type_link(t, url) for t in article.incidents) if article else []

    def related(self, page: str, url: Url, limit: int = RELATED_LIMIT) -> list[Link]:
        """Articles sharing the most incident types with `page` (see Registry.related). The ranking
        is made once for each set of types, not for each article: ranking every article for each
        made the build quadratic (at 1,000 articles, 12 times the time of 250)."""
        article = self.registry.articles.get(page)
        if article is None:
            return []
        types = tuple(article.incidents)
        if types not in self._rankings:
            self._rankings[types] = self.registry.ranking(types, self._title_key.__getitem__)
        links = (link for p in self._rankings[types] if p != page and (link := self.link(p, url)) is not None)
        return list(itertools.islice(links, limit))

    def hub(self, type_id: str, url: Url) -> list[Link]:
        """A hub's articles: its first-aid articles (what to do right away), then the others, each by
        title in the reader's language."""
        ranked = self._by_title(self.registry.articles_of(type_id))
        ranked.sort(key=lambda p: type_id not in self.registry.articles[p].first_aid)  # stable
        return _present(self.link(p, url) for p in ranked)

    def index(self, url: Url) -> list[Link]:
        """Every incident type with its article count."""
        return _present(self.type_link(t, url) for t in self.registry.types)


def _present(links: Iterable[Link | None]) -> list[Link]:
    return [link for link in links if link is not None]


def localize(
    corpus: Corpus,
    shown: Mapping[tuple[str, str], PageTranslation],
    lang: str,
    reg: Registry | None = None,
    faq: Mapping[str, list[FaqItem]] | None = None,
) -> Localized:
    """What readers of `lang` see of every page, from the policy's decisions (`shown`); `faq`: the
    pages' FAQ in `lang` already extracted (page_faq), by page."""
    default = corpus.project.default
    expander = corpus.expander
    pages: dict[str, LocalPage] = {}
    texts: dict[str, str] = {}
    for page, doc in corpus.docs.items():
        fm: Mapping[str, object] = doc.front_matter
        translation = shown.get((page, lang)) if lang != default else None
        if lang == default:
            text_lang, state = default, "reviewed"
        elif translation is None or translation.text is None:
            text_lang, state = default, "fallback"
        else:
            text_lang, state = lang, translation.state
            texts[page] = translation.text
            fm = {**doc.front_matter, **_front_matter(translation.text)}
        title = fm.get("title")
        description = fm.get("description")
        pages[page] = LocalPage(
            page,
            lang,
            text_lang,
            state,
            expander.expand(title, lang) if isinstance(title, str) else page,
            expander.expand(description, lang) if isinstance(description, str) else "",
        )
    return Localized(
        lang, default, reg or registry(corpus), pages, expander, texts, corpus.docs, dict(faq or {}), corpus.words(lang)
    )


# --- exports -----------------------------------------------------------------------------------------


def faq_export(loc: Localized, url: Url) -> dict[str, Any]:
    """Every FAQ question of the site in one language (see contributing/exports.md)."""
    items = []
    for page, article in loc.registry.articles.items():
        href = url(page)
        if not article.faq_anchors or href is None:
            continue
        local = loc.pages[page]
        for item in loc.faq(page):
            items.append(
                {
                    "id": f"{page.removesuffix('.md')}#{item.anchor}",
                    "question": item.question,
                    "answer": item.answer,
                    "url": f"{href}#{item.anchor}",
                    "anchor": item.anchor,
                    "page": page,
                    "title": local.title,
                    "language": local.text_lang,
                    "translation_state": local.state,
                    "category": article.category,
                    "incidents": list(article.incidents),
                    "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
                }
            )
    return {"version": EXPORT_VERSION, "language": loc.lang, "items": items}


def incidents_export(loc: Localized, url: Url) -> dict[str, Any]:
    """Every incident type and its articles in one language (see contributing/exports.md)."""
    types = []
    for type_id, t in loc.registry.types.items():
        hub, href = loc.pages[t.page], url(t.page)
        if href is None:
            continue
        articles = []
        for link in loc.hub(type_id, url):
            local, article = loc.pages[link.page], loc.registry.articles[link.page]
            articles.append(
                {
                    "page": link.page,
                    "title": local.title,
                    "description": local.description,
                    "url": link.url,
                    "language": local.text_lang,
                    "translation_state": local.state,
                    "category": article.category,
                    "incidents": list(article.incidents),
                    "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
                }
            )
        types.append(
            {
                "id": type_id,
                "label": hub.title,
                "description": hub.description,
                "language": hub.text_lang,
                "icon": t.icon,
                "url": href,
                "article_count": len(articles),
                "articles": articles,
            }
        )
    return {"version": EXPORT_VERSION, "language": loc.lang, "types": types}


# --- the active incident ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveIncident:
    """An incident in progress, declared in data/active_incident.yml or by environment variable."""

    id: str
    started_at: dt.datetime  # timezone-aware
    notes: dict[str, str]
    source: str  # where it was declared, for error messages
    line: int = 1

    @property
    def started_jst(self) -> str:
        return self.started_at.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")

    @property
    def started_utc(self) -> str:
        return self.started_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    @property
    def started_iso(self) -> str:
        return self.started_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")

    def note(self, lang: str, default: str) -> tuple[str, str] | None:
        """The note in `lang`, else in the default language; with the language it is written in."""
        for code in (lang, default):
            if self.notes.get(code):
                return self.notes[code], code
        return None


def parse_time(value: object, where: str) -> dt.datetime:
    """An ISO 8601 time with a timezone; a time without one is ambiguous (JST or UTC?) and refused."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise IncidentError(
                f"{where}: {value!r} is not an ISO 8601 time; write it like 2026-11-20T14:30:00+09:00"
            ) from None
    else:
        raise IncidentError(f"{where}: give the start time as ISO 8601, like 2026-11-20T14:30:00+09:00")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise IncidentError(f"{where}: {value!s} has no timezone; add one, like +09:00 (JST) or Z (UTC)")
    return moment


def _line_of(source: str, key: str) -> int:
    for n, line in enumerate(source.splitlines(), 1):
        if re.match(rf"{key}\s*:", line):
            return n
    return 1


def load_declaration(
    path: Path, environ: Mapping[str, str], now: dt.datetime, display: str | None = None
) -> ActiveIncident | None:
    """The declared incident, or None. The environment wins over the file (a deploy can override)."""
    if environ.get(ENV_ID, "").strip():
        start = environ.get(ENV_START, "").strip()
        started = parse_time(start, ENV_START) if start else now
        return ActiveIncident(environ[ENV_ID].strip(), started, {}, ENV_ID)
    if not path.exists():
        return None
    display = display or str(path)
    source = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise IncidentError(f"{display}: not valid YAML: {exc}") from None
    if data is None:
        return None  # an empty file declares nothing
    if not isinstance(data, dict):
        raise IncidentError(f"{display}: write `id:`, `started_at:` and optionally `note:` (a mapping)")
    if not data.get("id"):
        raise IncidentError(f"{display}:1: missing `id:` (an incident type, the name of a file in docs/incidents/)")
    if data.get("started_at") in (None, ""):
        raise IncidentError(
            f"{display}:1: missing `started_at:` (ISO 8601 with timezone, like 2026-11-20T14:30:00+09:00)"
        )
    line = _line_of(source, "started_at")
    started = parse_time(data["started_at"], f"{display}:{line}: started_at")
    note = data.get("note") or {}
    notes = {"": note} if isinstance(note, str) else note
    if not isinstance(notes, dict):
        raise IncidentError(f"{display}:{_line_of(source, 'note')}: `note` must be a mapping of language to text")
    return ActiveIncident(
        str(data["id"]), started, {str(k): str(v) for k, v in notes.items() if v}, display, _line_of(source, "id")
    )


def check_declaration(active: ActiveIncident, known: Collection[str], default: str) -> ActiveIncident:
    """The declaration with a known id (a plain-string note becomes the default language's), or an error."""
    if active.id not in known:
        where = active.source if active.source == ENV_ID else f"{active.source}:{active.line}"
        raise IncidentError(
            f"{where}: unknown incident type {active.id!r}{closest(active.id, known)}; "
            f"the types are the files in docs/incidents/"
        )
    if "" in active.notes:
        notes = {k: v for k, v in active.notes.items() if k}
        notes.setdefault(default, active.notes[""])
        return ActiveIncident(active.id, active.started_at, notes, active.source, active.line)
    return active


def banner(active: ActiveIncident, loc: Localized, url: Url, channels_page: str) -> dict[str, Any]:
    """What the announce-block template shows: the type, when it started, and the official channels."""
    t = loc.registry.types[active.id]
    hub = loc.pages[t.page]
    note = active.note(loc.lang, loc.default)
    channels = loc.pages.get(channels_page)
    return {
        "id": active.id,
        "icon": t.icon,
        "label": hub.title,
        "label_lang": hub.text_lang if hub.fallback else None,
        "url": url(t.page),
        "started_jst": active.started_jst,
        "started_utc": active.started_utc,
        "started_iso": active.started_iso,
        "note": note[0] if note else "",
        "note_lang": note[1] if note and note[1] != loc.lang else None,
        "channels_url": url(channels_page) if channels is not None else None,
        "strings": loc.strings,
    }
