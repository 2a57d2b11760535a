"""The `helpcenter-search` MkDocs plugin: Pagefind search in Material's own header search box.

Material's `search` plugin stays for its UI (the box, the toggle, keyboard handling, translated
strings, result styling); its engine does not (README "Search": it shares one index between
languages and misses Japanese queries mixing kana and kanji). This plugin:

- puts templates/helpcenter/search.js before Material's bundle on every page: that script answers
  Material's search-worker messages with Pagefind (it must run before the bundle creates the worker);
- keeps Material's shared Lunr index empty: every page still fetches search/search_index.json for its
  config, but nothing reads its entries, and building them (then static-i18n's pairwise deduplication
  of them across languages) cost more than the whole Pagefind index (README "Performance");
- indexes the site with Pagefind (helpcenter.search.Indexer) while it is built: each page is staged
  as it is written (on_post_page), each language is indexed and its bundle written in the background
  when its build ends (on_post_build above static-i18n's -100), and the manifest is written after the
  last language (below -100, when `i18n.building` is false). Under `mkdocs serve` this happens on
  every rebuild, into the served temporary folder, which serve does not watch: indexing never sets
  off another build. A serve preview's quick pass (helpcenter.mkdocs_plugins.preview) indexes nothing: the
  full pass after it does.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from material.plugins.search.plugin import SearchIndex
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from .. import glossary, project, search, vocabulary

log = logging.getLogger("mkdocs.plugins.helpcenter-search")
TEMPLATES = Path(__file__).parent / "templates"
SCRIPT = "helpcenter/search.js"
STYLESHEET = "helpcenter/search.css"
VOCABULARY = "search.yml"  # in the project's data folder: readers' words (helpcenter.vocabulary)
_BUNDLE = re.compile(r'<script src="[^"]*/bundle\.[0-9a-f]+\.min\.js"></script>')
_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_INPUT_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"')
_BASE = re.compile(r'<script id="__config" type="application/json">[^<]*?"base": "([^"]*)"')


class SearchConfig(Config):
    enabled = opt.Type(bool, default=True)
    bundle = opt.Type(str, default="pagefind")  # the folder of the search bundle in site_dir


class EmptyLunrIndex(SearchIndex):
    """Material's Lunr index without entries: its config is still written for the page script."""

    def add_entry_from_context(self, page: Page) -> None:
        return None


class SearchPlugin(BasePlugin[SearchConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.warned = False
        self.indexer: search.Indexer | None = None  # from the first page of a build to its end

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance across `mkdocs serve` rebuilds."""

    @event_priority(-50)  # after Material's search plugin (0) created this build's Lunr index
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if "i18n" not in config.plugins:
            raise PluginError("helpcenter-search: the `i18n` plugin (mkdocs-static-i18n) must be configured")
        lunr = config.plugins.get("material/search") or config.plugins.get("search")
        if lunr is None:
            raise PluginError("helpcenter-search: keep Material's `search` plugin: it renders the search box")
        if not getattr(config.plugins["i18n"], "building", False) and self.indexer is not None:
            self.indexer.close()  # a serve rebuild after one that stopped half-way
            self.indexer = None
        index = getattr(lunr, "search_index", None)
        if isinstance(index, SearchIndex):
            lunr.search_index = EmptyLunrIndex(**index.config)
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    @event_priority(-200)  # the page as it is written: stage it for the search index
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        output = self._script(output, page.file.src_uri)
        if getattr(config.plugins.get("helpcenter"), "quick", None) is None:  # a serve preview's quick pass
            meta = page.meta
            self._indexer(config).add(
                page.file.dest_uri, output, meta.get(search.SEARCH_TEXT, ""), meta.get(search.SHOWN_IN, ())
            )
        return output

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str | None:
        """404.html is a template, not a page; it has the search box too."""
        return self._script(output_content, template_name) if self.config.enabled else output_content

    def _script(self, output: str, name: str) -> str:
        """Load search.js right before Material's bundle, from the site root (Material's `base`), and name
        the search dialog for screen readers."""
        # str.find to the spot, then the pattern: re.search walks 100 KB of navigation first (0.2 ms a page)
        script = output.rfind('<script src="', 0, output.rfind("/bundle."))
        found = _BUNDLE.match(output, script) if script >= 0 else None
        config_at = output.find('<script id="__config"')
        base = _BASE.match(output, config_at) if config_at >= 0 else None
        if found is None or base is None:
            if not self.warned and name.endswith((".md", "404.html")):
                log.warning(f"{name}: Material's bundle script not found; site search is Material's own")
                self.warned = True
            return output
        tag = f'<script src="{base.group(1).rstrip("/")}/{SCRIPT}"></script>'
        at = found.start()
        # axe "aria-dialog-name" (serious): Material's search dialog has no accessible name
        dialog = output.find(_DIALOG, 0, at)
        label = _INPUT_LABEL.search(output, dialog, at) if dialog >= 0 else None
        if label is None:
            return "".join((output[:at], tag, output[at:]))
        named = _DIALOG[:-1] + f' aria-label="{label.group(1)}">'
        # one join: each copy of a 100 KB page is 0.1 ms, and the page is copied once per edit otherwise
        return "".join((output[:dialog], named, output[dialog + len(_DIALOG) : at], tag, output[at:]))

    def _indexer(self, config: MkDocsConfig) -> search.Indexer:
        if self.indexer is None:
            i18n = config.plugins["i18n"]
            default: str = getattr(i18n, "default_language", "") or config.theme.get("language") or "ja"
            names = {item["locale"]: item["name"] for item in i18n.config["languages"]}
            out = Path(config.site_dir) / self.config.bundle
            proj = project.load(Path(config.config_file_path))
            try:
                words = vocabulary.load(proj.data / VOCABULARY, glossary.load(proj.glossary_path), default)
            except (vocabulary.VocabularyError, glossary.GlossaryError) as exc:
                raise PluginError(f"helpcenter-search: {exc}") from None
            self.indexer = search.Indexer(
                out, default=default, default_name=names.get(default, default), vocabulary=words
            )
        return self.indexer

    @event_priority(-50)  # the end of one language's build: before static-i18n (-100) starts the next one
    def _flush(self, *, config: MkDocsConfig) -> None:
        if self.indexer is not None:
            self.indexer.flush()

    @event_priority(-200)  # after static-i18n (-100) has built every language
    def _finish(self, *, config: MkDocsConfig) -> None:
        if self.indexer is None or getattr(config.plugins["i18n"], "building", False):
            return
        indexer, self.indexer = self.indexer, None
        try:
            summary = indexer.finish()
        except search.SearchIndexError as exc:
            raise PluginError(f"helpcenter-search: {exc}") from None
        log.info(f"helpcenter-search: indexed {summary} in {summary.seconds:.1f} s (started with the first page)")

    on_post_build = CombinedEvent(_flush, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build (also under `mkdocs serve`) leaves no Pagefind process or staging folder behind."""
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None
