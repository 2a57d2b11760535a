"""The `helpcenter` MkDocs plugin: gives static-i18n each language's pages, and tells readers what
they are reading.

static-i18n only accepts real files under `docs_dir` (see the stack notes), so before it runs (priority
50 > its -100) the plugin renders `docs/` + `translations/` into a staging folder outside both, as
`page.md` (Japanese) and `page.<lang>.md` for each language whose translation the policy publishes,
and points `docs_dir` there. static-i18n then handles fallback, the language switcher, alternates,
the sitemap and search. Pages served in Japanese as a fallback are recognised later (priority -150,
after static-i18n has chosen the language) and marked for readers and crawlers.
"""

from __future__ import annotations

import copy
import gc
import html
import logging
import os
import re
import shutil
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .. import project as project_mod
from .. import status
from ..build import BUILD_LANGUAGE, save_sitemap
from ..cache import Faq, load_checked, load_memo, store_memo
from ..catalog import catalog_path
from ..corpus import Corpus
from ..errors import ConfigError, HelpcenterError, display
from ..guard import Guard, protect, theme_scripts
from ..locks import stage_lock
from ..meta import page_kind
from ..options import Options
from ..policy import PageTranslation
from ..safety import line_of
from ..search import SEARCH_TEXT, SHOWN_IN
from .config import HelpcenterConfig
from .jinja import SharedBytecodeCache, share_theme_work
from .navigation import ShortNavigation
from .preview import LiveBuilder, QuickPass
from .serve_errors import show_build_errors
from .wayfinding import NOT_FOUND, SCRIPT, contact_page, home_contact, site_context, topic_articles

log = logging.getLogger("mkdocs.plugins.helpcenter")
_ENTRY = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)  # a sitemap entry and its URL
_ALTERNATE = re.compile(r'\s*<xhtml:link rel="alternate" hreflang="([^"]*)" href="([^"]*)"/>')
TEMPLATES = Path(__file__).parent / "templates"
THEME_CSS = "helpcenter/theme.css"  # accessibility fixes to Material's defaults (a theme dir file, copied to the site)
STAGING_MARK = ".helpcenter-staging"  # in a staging folder the plugin created: its contents are the plugin's
LANGUAGE_SUFFIX = re.compile(r"\.([A-Za-z-]+)\.md$")  # page.en.md: a translation, as static-i18n names it
_HREFLANG = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _claim(staging: Path, root: Path, docs: Path) -> None:
    """Make sure the staging folder is ours before anything in it is deleted: a folder inside .cache/,
    or one that carries the mark the plugin leaves in a folder it created. `staging_dir: .` would
    otherwise delete docs/, translations/ and .git."""
    cache = root / ".cache"
    ours = (
        (staging / STAGING_MARK).is_file()
        or not staging.exists()
        or (staging.is_relative_to(cache) and staging != cache)
    )
    if not ours or staging.is_relative_to(docs) or docs.is_relative_to(staging):
        raise ConfigError(
            f"staging_dir: {display(staging, root)} is not a folder of the plugin's own; "
            "everything in it that the plugin did not write would be deleted",
            "mkdocs.yml",
            hint="use a folder inside .cache/ (the default: .cache/helpcenter/docs) or a new folder",
        )
    staging.mkdir(parents=True, exist_ok=True)
    (staging / STAGING_MARK).touch()


def _url(page: str) -> str:
    """The directory URL of a source page: security/x.md -> security/x/, index.md -> ''."""
    stem = page.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def _site_options(config: MkDocsConfig, docs: Path) -> dict[str, Any]:
    """What the core reads of mkdocs.yml, as MkDocs has loaded it."""
    extensions = [{name: config.mdx_configs.get(name) or {}} for name in config.markdown_extensions]
    return {
        "docs_dir": docs,
        "site_name": config.site_name,
        "site_url": config.site_url,
        "markdown_extensions": extensions,
        "plugins": [{name: dict(plugin.config)} for name, plugin in config.plugins.items()],
    }


class HelpcenterPlugin(BasePlugin[HelpcenterConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.source_docs: Path | None = None
        self.staging: Path | None = None
        self.corpus: Corpus | None = None
        self.shown: dict[tuple[str, str], PageTranslation] = {}
        self.faq: Faq = {}  # language -> page -> its FAQ (for helpcenter-incidents)
        self.compiled = SharedBytecodeCache()  # templates compiled by an earlier language or rebuild
        self.theme_files: dict[Hashable, list[str]] = {}  # the theme's file list, under serve (jinja.py)
        self.guard: Guard | None = None
        self.guard_file: Path | None = None
        self.serving = False  # `mkdocs serve` injects its live-reload script inline: no CSP there
        self.markup_files: list[str] = []  # HTML and SVG files of docs/, copied to the site as they are
        self.contact: str | None = None  # the source page of "contact" links (wayfinding.CONTACT)
        self.not_found = ""  # the default language's 404 page, kept at the site root
        self.short_nav: ShortNavigation | None = None  # the navigation of the language being built
        self.only = ""  # the one language this build writes ($HELPCENTER_BUILD_LANGUAGE), or all
        self.live: LiveBuilder | None = None  # under `mkdocs serve` (preview.py)
        self.quick: QuickPass | None = None  # set by `live` during its quick pass
        self.full_into: Path | None = None  # set by `live` during its full pass: the shadow site folder
        self.previewed: dict[str, str] = {}  # staged text per file, as the last quick pass saw it
        self.static_templates: set[str] = set()  # the theme's, while a quick pass skips them

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance across `mkdocs serve` rebuilds."""
        self.serving = command == "serve"

    @event_priority(50)
    def _load(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            return self._configure(config)
        except HelpcenterError as exc:  # a mistake in a file of the project: one message, no traceback
            raise PluginError(f"helpcenter: {exc}") from None

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        i18n = config.plugins.get("i18n")
        if i18n is None:
            raise PluginError("helpcenter: the `i18n` plugin (mkdocs-static-i18n) must be configured after it")
        config.theme.dirs.append(str(TEMPLATES))
        if not getattr(i18n, "building", False):  # a nested build has the outer build's theme
            share_theme_work(config.theme, self.compiled, self.theme_files if self.serving else None)
        if THEME_CSS not in config.extra_css:
            config.extra_css.append(THEME_CSS)
        if getattr(i18n, "building", False):
            config.docs_dir = str(self.staging)  # a nested language build: pages are staged already
            if self.live is not None:
                self.live.stop_if_superseded()
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        docs = Path(config.docs_dir).resolve()
        staging = (root / self.config.staging_dir).resolve()
        self.source_docs = self.source_docs if docs == staging and self.source_docs else docs
        self.staging = staging
        self.only = self._only_language(i18n)
        _claim(staging, root, self.source_docs)
        site = _site_options(config, self.source_docs)
        project = project_mod.build(root, site, Options.read(self.config), dict(i18n.config))
        cache_file = root / self.config.cache_file if self.config.cache_file else None
        self.compiled.folder = cache_file.with_name("templates") if cache_file else None
        if gc.get_freeze_count() and self.quick is None:  # a `mkdocs serve` rebuild: what the last build
            gc.unfreeze()  # froze (below) can go; a quick pass (preview.py) leaves it to the full pass after it
            gc.collect()
        with stage_lock(staging.parent):  # one language's build next to the others' (helpcenter.build)
            self.corpus, self.shown, self.faq = load_checked(project, cache_file, [self.only] if self.only else None)
            staged = self._check_and_stage(project)
        config.docs_dir = str(staging)
        self._pass(config, staged)
        self.guard = Guard(self.corpus.hosts, theme_scripts(config.theme.dirs))
        # What the guard approved before: each build writes its own file (the languages' builds run side
        # by side: helpcenter.build) and reads them all (a rebuild after either kind of build).
        memo = f"guard.{self.only}.pickle" if self.only else "guard.pickle"
        self.guard_file = cache_file.with_name(memo) if cache_file else None
        for path in sorted(cache_file.parent.glob("guard*.pickle")) if cache_file else []:
            self.guard.approved.update(load_memo(path, self.guard.rules))
        # The pages loaded above live until the build ends: the collector need not walk their 100 000
        # objects again at each full collection (measured on the benchmark corpus: the collector's time
        # in a rebuild 0.9 s -> 0.6 s, where plain MkDocs takes 0.5 s).
        gc.freeze()
        return config

    def _only_language(self, i18n: Any) -> str:
        """The language named by $HELPCENTER_BUILD_LANGUAGE, which this build writes alone, into its
        own folder of the site as the build of every language writes it (`helpcenter build` merges
        the languages). static-i18n's `build_only_locale` would make it the default language: its
        pages at the site root, and the Japanese pages shown under its URLs claimed as its own."""
        only = os.environ.get(BUILD_LANGUAGE, "").strip()
        locales = [item["locale"] for item in i18n.config["languages"] if item["build"]]
        if only and only not in locales:
            raise project_mod.ConfigError(
                f"${BUILD_LANGUAGE}={only} is not a language of the site ({', '.join(locales)})",
                "mkdocs.yml",
                hint=f"unset {BUILD_LANGUAGE} to build every language",
            )
        if only:
            i18n.current_language = only  # static-i18n (on_config, -100) builds this one first
        return only

    def _check_and_stage(self, project: project_mod.Project) -> dict[str, str]:
        """Refuse broken sources, report translations that are not published, stage the pages (their
        staged text by file)."""
        assert self.corpus is not None
        corpus = self.corpus
        errors = sorted((f for f in corpus.findings if f.level == "error"), key=lambda f: (f.path, f.line))
        source_errors = [f for f in errors if not f.path.startswith(project.translations.name + "/")]
        if source_errors:
            raise PluginError(
                "\n".join(map(str, source_errors)) + f"\n{len(source_errors)} error(s); fix them and rebuild"
            )
        for finding in errors:  # a broken translation is not published (its page shows Japanese)
            log.warning(f"{finding}; this unit is shown in Japanese until this is fixed")
        warnings = len(corpus.findings) - len(errors)
        if warnings:
            log.info(f"helpcenter: {warnings} translation warning(s); `helpcenter check --warnings` lists them")
        return self._stage(project)

    def _pass(self, config: MkDocsConfig, staged: dict[str, str]) -> None:
        """Under serve (preview.py): what a quick pass builds, or where a full pass writes."""
        if self.full_into is not None:
            config.site_dir = str(self.full_into)
            return
        quick = self.quick
        if quick is not None:
            quick.files = {rel for rel, text in staged.items() if self.previewed.get(rel) != text}
        self.previewed = staged

    @event_priority(-150)  # the language being built is known (static-i18n, -100)
    def _localize(self, config: MkDocsConfig) -> MkDocsConfig:
        """Heading links' tooltip in the reader's language; the site script (wayfinding.SCRIPT)."""
        lang = config.plugins["i18n"].current_language  # type: ignore[attr-defined]
        toc = config.mdx_configs.setdefault("toc", {})
        toc["permalink_title"] = self.words(lang)["permalink"]
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        return config

    on_config = CombinedEvent(_load, _localize)

    def _stage(self, project: project_mod.Project) -> dict[str, str]:
        """Write the staging folder, touching only files whose content changed (no reload loops);
        the text of each staged page."""
        assert self.corpus is not None and self.staging is not None and self.source_docs is not None
        wanted: dict[str, str] = {page: doc.render(ids=True) for page, doc in self.corpus.docs.items()}
        for (page, lang), shown in self.shown.items():
            if shown.text is not None:
                wanted[page[:-3] + f".{lang}.md"] = shown.text
        keep: set[Path] = {self.staging / STAGING_MARK}
        for rel, text in wanted.items():
            target = self.staging / rel
            keep.add(target)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        self.markup_files = []
        for src in self.source_docs.rglob("*"):
            if src.is_file() and src.suffix != ".md" and project.is_inside(src):
                if src.suffix.lower() in (".html", ".htm", ".svg", ".xhtml"):
                    self.markup_files.append(src.relative_to(self.source_docs).as_posix())
                target = self.staging / src.relative_to(self.source_docs)
                keep.add(target)
                if not target.exists() or target.stat().st_mtime_ns != src.stat().st_mtime_ns:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, target)
        for path in sorted(self.staging.rglob("*"), reverse=True):
            if path.is_file() and path not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return wanted

    def words(self, lang: str) -> dict[str, str]:
        """The site's own words for readers of `lang` (site_strings: translated, or Japanese)."""
        assert self.corpus is not None
        return self.corpus.words(lang)

    def page_info(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        """What the templates need to tell a reader about the page they are reading."""
        i18n = config.plugins["i18n"]
        lang: str = getattr(i18n, "current_language", "")
        default: str = getattr(i18n, "default_language", "")
        m = LANGUAGE_SUFFIX.search(page.file.src_uri)
        source = LANGUAGE_SUFFIX.sub(".md", page.file.src_uri)
        shown = self.shown.get((source, lang))
        if lang == default:
            state = "reviewed"
        elif shown is None or not m:
            state = "fallback"
        else:
            state = shown.state
        # static-i18n puts every language but the default under /<lang>/
        original = page.url.split("/", 1)[1] if lang != default and "/" in page.url else page.url
        return {
            "state": state,
            "lang": lang,
            "default": default,
            "source": source,
            "original": original,
            "original_url": get_relative_url(original, page.url) if lang != default else "",
            "stale_sections": shown.stale_sections if shown and state == "partial" else [],
            "machine": bool(shown and shown.machine),
            "strings": self.words(lang),
        }

    def shown_as_is(self, page: str, lang: str) -> bool:
        """Whether `lang` shows the default language's `page` as it is (nothing of it is published)."""
        shown = self.shown.get((page, lang))
        return shown is None or shown.text is None

    def title(self, page: str, lang: str) -> str | None:
        """A page's title in the language it is shown in (the translation, or Japanese)."""
        assert self.corpus is not None
        doc = self.corpus.docs.get(page)
        shown = self.shown.get((page, lang))
        for i, unit in enumerate(doc.units if doc else []):
            if unit.kind == "title":
                published = shown is not None and shown.text is not None and i not in shown.held
                text = self.corpus.merged[page, lang].entries[i].msgstr if published else unit.text
                return self.corpus.expander.expand(text, lang)
        return None

    def translated_meta(self, page: str, lang: str) -> str:
        """The page's title and description in `lang` where translated (reviewed or not): what the
        reader's words find a page shown in Japanese by (helpcenter.search.SEARCH_TEXT)."""
        assert self.corpus is not None
        doc, merged = self.corpus.docs.get(page), self.corpus.merged.get((page, lang))
        if doc is None or merged is None:
            return ""
        texts = [
            e.msgstr
            for u, e in zip(doc.units, merged.entries, strict=False)
            if u.kind in ("title", "description") and e.msgstr
        ]
        return " ".join(self.corpus.expander.expand(text, lang) for text in texts)

    @event_priority(100)  # before any plugin loads a template into this build's environment
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Compile each template once, not once per language (see jinja.py); the footer's and the 404
        page's links in the language being built (`hc_site`)."""
        env.bytecode_cache = self.compiled
        i18n = config.plugins["i18n"]
        lang, default = i18n.current_language, i18n.default_language  # type: ignore[attr-defined]
        url = _url(self.contact) if self.contact else ""
        assert self.corpus is not None and self.corpus.site is not None
        machine = self.corpus.site.machine(lang)
        env.globals["hc_site"] = site_context(lang, default, i18n.config["languages"], url, self.words(lang), machine)
        return env

    @event_priority(-150)
    def _name_sections(self, nav: Navigation, /, *, config: MkDocsConfig, files: Any) -> Navigation:
        """Name each category section by its index page's title, in the language being built; find
        the contact page (before the pages' Markdown, which links it)."""
        lang = config.plugins["i18n"].current_language  # type: ignore[attr-defined]
        self.contact = contact_page(files)
        self.short_nav = ShortNavigation(nav)
        for section in nav.items:
            if isinstance(section, Section):
                index = next((c for c in section.children if isinstance(c, Page) and c.is_index), None)
                if index is not None and (title := self.title(LANGUAGE_SUFFIX.sub(".md", index.file.src_uri), lang)):
                    section.title = html.escape(title)
        return nav

    @event_priority(-200)  # after every plugin that changes the navigation
    def _quick_pages(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """A quick pass (preview.py) renders and writes only its pages: the other pages' sources are
        read for the navigation's titles, the theme's sitemap and 404 page wait for the full pass."""
        quick = self.quick
        if quick is None:
            return nav
        lang = config.plugins["i18n"].current_language  # type: ignore[attr-defined]
        chosen = lang in quick.languages
        pages = [f for f in files.documentation_pages() if chosen and f.src_uri in quick.files]
        quick.built += len(pages)
        for page in nav.pages:
            if page.file not in pages:
                page.read_source(config)
                self._expand_meta(page, lang)
        files.documentation_pages = lambda **_: pages  # type: ignore[method-assign]
        copy_static = files.copy_static_files
        files.copy_static_files = lambda **kw: copy_static(**{**kw, "dirty": True})  # type: ignore[method-assign]
        self.static_templates = set(config.theme.static_templates)
        config.theme.static_templates.clear()
        return nav

    on_nav = CombinedEvent(_name_sections, _quick_pages)

    @event_priority(-150)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Any) -> str:
        """Placeholders and the channel table, in the language being built."""
        assert self.corpus is not None
        if self.live is not None:
            self.live.stop_if_superseded()
        lang = config.plugins["i18n"].current_language  # type: ignore[attr-defined]
        expander = self.corpus.expander
        self._expand_meta(page, lang)
        if status.STATUS_MARKER in markdown:
            names = {item["locale"]: item["name"] for item in config.plugins["i18n"].config["languages"]}
            table = status.markdown_table(status.counts(self.corpus), lang, names, self.words(lang))
            markdown = markdown.replace(status.STATUS_MARKER, table)
        return expander.expand(markdown, lang) + self._ways_on(page, lang)

    def _expand_meta(self, page: Page, lang: str) -> None:
        """Placeholders in the title and description, which the theme inserts as they are: escaped."""
        assert self.corpus is not None
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(self.corpus.expander.expand(page.meta[key], lang))
        if isinstance(page.meta.get("title"), str):
            page.title = page.meta["title"]

    def _ways_on(self, page: Page, lang: str) -> str:
        """The home page's contact section; a topic page's list of its articles (wayfinding)."""
        source = LANGUAGE_SUFFIX.sub(".md", page.file.src_uri)
        words = self.words(lang)
        if source == "index.md":
            return home_contact(source, self.contact, words)
        if page_kind(source) != "index" or source.startswith("incidents/") or page.parent is None:
            return ""
        assert self.corpus is not None
        default = self.corpus.project.default
        articles = []
        for child in page.parent.children:
            if isinstance(child, Page) and not child.is_index:
                src = LANGUAGE_SUFFIX.sub(".md", child.file.src_uri)
                fallback = lang != default and self.shown_as_is(src, lang)
                articles.append((src, self.title(src, lang) or src, default if fallback else ""))
        return topic_articles(source, articles, words["topic_articles"])

    @event_priority(-150)
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        info = self.page_info(page, config)
        page.meta["translation_state"] = info["state"]
        context["helpcenter"] = info
        if self.short_nav is not None:  # what the theme renders: every category, not every article
            context["nav"] = self.short_nav.for_page(page)
        if info["state"] == "fallback":
            page.meta[SEARCH_TEXT] = self.translated_meta(info["source"], info["lang"])
        if info["lang"] == info["default"] and self.corpus is not None:
            codes = (language.code for language in self.corpus.project.languages)
            page.meta[SHOWN_IN] = [code for code in codes if self.shown_as_is(info["source"], code)]
        if info["state"] == "fallback" and config.site_url:
            page.canonical_url = config.site_url.rstrip("/") + "/" + info["original"]
        return context

    @event_priority(-190)  # after every plugin that adds to the page (JSON-LD: -150), before search (-200)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Guard the page as it is written, then give it its Content-Security-Policy.

        Also drops the page-level `<link rel="alternate" hreflang>` tags from the head: Material
        fetches `sitemap.xml` relative to every such link, which under static-i18n points into a
        page folder and fails (a console error on every page). The sitemap carries the same
        hreflang alternates with absolute URLs, which is where on_post_build corrects fallbacks.
        """
        lang = getattr(config.plugins["i18n"], "current_language", "")
        return self._guarded(output, lambda: self._origin(page.file, lang))

    def _origin(self, file: File, lang: str) -> tuple[str, list[Path]]:
        """Where a refused page comes from: its name, and the Markdown or PO files that made it."""
        assert self.corpus is not None
        project = self.corpus.project
        source = LANGUAGE_SUFFIX.sub(".md", file.src_uri)
        sources = [project.docs / source]
        if lang and lang != project.default:
            sources.append(catalog_path(project.translations, lang, source))
        return f"{file.dest_uri} ({lang}, from " + " or ".join(display(p, project.root) for p in sources) + ")", sources

    @event_priority(-150)  # after static-i18n
    def on_template_context(self, context: Any, /, *, template_name: str, config: MkDocsConfig) -> Any:
        """The 404 page's language switcher leads to each language's home, not to the last page built."""
        homes = getattr(config.plugins["i18n"], "extra_alternate", None)
        if template_name == NOT_FOUND and homes:
            config.extra.alternate = copy.deepcopy(homes)  # type: ignore[attr-defined]  # as static-i18n sets it
        return context

    @event_priority(-190)
    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The same for 404.html (a template, not a page), whose alternates are the last built page's.

        Every language's build writes its 404.html to the site root (the last language's won): the
        default language's stays there, the others go to /<lang>/404.html."""
        if not template_name.endswith(".html"):
            return output_content
        output = self._guarded(output_content, lambda: (template_name, []))
        if template_name != NOT_FOUND:
            return output
        i18n = config.plugins["i18n"]
        lang = i18n.current_language  # type: ignore[attr-defined]
        if lang == i18n.default_language:  # type: ignore[attr-defined]
            self.not_found = output
            return output
        target = Path(config.site_dir) / lang / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return self.not_found or output  # one language alone: the merge keeps the default's at the root

    def _guarded(self, output: str, origin: Callable[[], tuple[str, list[Path]]]) -> str:
        head, sep, body = output.partition("</head>")
        output = _HREFLANG.sub("", head) + sep + body
        if self.guard is None:
            return output
        scan = self.guard.scan(output)
        if scan.problems:
            where, sources = origin()
            root = self.corpus.project.root if self.corpus else Path()
            lines = [(p, line_of(p.read_text(encoding="utf-8"), scan.clues, 0)) for p in sources if p.exists()]
            found = ", ".join(f"{display(p, root)}:{n}" for p, n in lines if n)
            at = f"; look at {found}" if found else ""
            raise PluginError(f"{where}: unsafe HTML, the page is not written{at}:\n  " + "\n  ".join(scan.problems))
        return output if self.serving else protect(output, scan)

    def _guard_static(self, config: MkDocsConfig) -> None:
        """HTML and SVG files copied from docs/ as they are (into the site and each language's
        folder): scanned, removed when unsafe. The theme's own files are not the writers'."""
        if self.guard is None:
            return
        site = Path(config.site_dir)
        folders = [site, *(site / item["locale"] for item in config.plugins["i18n"].config["languages"])]
        problems = []
        for rel in self.markup_files:
            for path in (folder / rel for folder in folders):
                scan = self.guard.scan(path.read_text(encoding="utf-8", errors="replace")) if path.exists() else None
                if scan and scan.problems:
                    path.unlink()
                    problems.append(
                        f"{path.relative_to(site).as_posix()} (copied from docs/): " + "; ".join(scan.problems)
                    )
        if problems:
            raise PluginError("unsafe files, removed from the site:\n  " + "\n  ".join(problems))

    @event_priority(0)  # before static-i18n (-100) builds the next language, which needs them
    def _restore_templates(self, *, config: MkDocsConfig) -> None:
        """The theme's templates a quick pass skipped (_quick_pages)."""
        config.theme.static_templates.update(self.static_templates)
        self.static_templates = set()

    @event_priority(-90)  # after this language's own outputs (-50), before static-i18n builds the next (-100)
    def _alone(self, *, config: MkDocsConfig) -> None:
        """One language alone: static-i18n builds no other (it skips them in a nested build)."""
        if self.only:
            config.plugins["i18n"].building = True  # type: ignore[attr-defined]

    @event_priority(-150)
    def _finish(self, *, config: MkDocsConfig) -> None:
        """Once all languages are built: static files guarded; a page shown in Japanese claims no
        translation in the sitemap (a quick pass writes none)."""
        if self.only:
            config.plugins["i18n"].building = False  # type: ignore[attr-defined]
        if getattr(config.plugins["i18n"], "building", False):
            return
        self._guard_static(config)
        if self.guard is not None:
            store_memo(self.guard_file, self.guard.rules, self.guard.remembered())
        if self.quick is not None:
            return
        sitemap = Path(config.site_dir) / "sitemap.xml"
        if not sitemap.exists() or not config.site_url:
            return
        text = sitemap.read_text(encoding="utf-8")
        root = config.site_url.rstrip("/") + "/"
        # One pass over the sitemap for all pages shown in Japanese (a pass per page cost 0.8 s for
        # 36 such pages of the benchmark's 1,048).
        claims = {root + lang + "/" + _url(page): lang for (page, lang), s in self.shown.items() if s.text is None}
        text = _ENTRY.sub(lambda m: "" if m.group(1) in claims else m.group(0), text)
        text = _ALTERNATE.sub(lambda m: "" if claims.get(m.group(2)) == m.group(1) else m.group(0), text)
        save_sitemap(sitemap.parent, text)  # the .gz too: MkDocs wrote it with the claims removed above

    on_post_build = CombinedEvent(_restore_templates, _alone, _finish)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when a source, a catalog or a data file changes; never on our own staging writes.
        A failed rebuild is shown in the browser (serve_errors)."""
        if self.staging is not None:
            server.unwatch(str(self.staging))
        if self.source_docs is not None:
            server.watch(str(self.source_docs))
        if self.corpus is not None:
            server.watch(str(self.corpus.project.translations))
            if self.corpus.project.data.exists():
                server.watch(str(self.corpus.project.data))
        i18n = config.plugins["i18n"]
        languages = [lang.locale for lang in i18n.config["languages"]]
        self.live = LiveBuilder(server, self, languages, i18n.default_language)  # type: ignore[attr-defined]
        return show_build_errors(server)  # wraps the live builder: an error of either pass is shown

    def on_shutdown(self) -> None:
        if self.live is not None:
            self.live.close()


def helpcenter_plugin(config: MkDocsConfig, who: str) -> HelpcenterPlugin:
    """This build's `helpcenter` plugin with its pages loaded, which our other plugins build on."""
    plugin = config.plugins.get("helpcenter")
    if not isinstance(plugin, HelpcenterPlugin) or plugin.corpus is None:
        raise PluginError(f"{who}: list the `helpcenter` plugin before it in mkdocs.yml")
    return plugin
