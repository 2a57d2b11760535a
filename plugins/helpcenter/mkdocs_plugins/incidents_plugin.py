"""The `helpcenter-incidents` MkDocs plugin: incident badges, related articles, hub lists, the
active-incident banner, FAQ JSON-LD and the JSON exports.

Everything it shows is computed by the core (helpcenter.incidents, helpcenter.faq) from what the `helpcenter` plugin
has loaded (`config.plugins["helpcenter"]`: the corpus and the page each language shows); this layer
only maps pages to MkDocs URLs and renders the template fragments in templates/helpcenter/.

Under static-i18n every language is a full nested build (see the stack notes): the registry and the
active incident are read once per outer build (on_config while `i18n.building` is false), everything
per language (URLs, the Jinja environment) is reset in each build's on_config and filled after
static-i18n has chosen that language's files (priority below -100). Each language's exports are that
language's own output, written in its own on_post_build.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, TemplateNotFound
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from .. import errors
from .. import incidents as core
from ..faq import faq_jsonld
from ..meta import page_kind
from ..options import ACTIVE_INCIDENT_FILE
from .plugin import LANGUAGE_SUFFIX, HelpcenterPlugin, helpcenter_plugin

log = logging.getLogger("mkdocs.plugins.helpcenter-incidents")
STYLESHEET = "helpcenter/helpcenter.css"  # in templates/, a theme dir: MkDocs copies it to the site


class IncidentsConfig(Config):
    enabled = opt.Type(bool, default=True)
    active_file = opt.Type(str, default=ACTIVE_INCIDENT_FILE)  # in data_dir: Project.active_incident
    channels_page = opt.Type(str, default="security/official-channels.md")
    related_limit = opt.Type(int, default=core.RELATED_LIMIT)
    export = opt.Type(bool, default=True)
    faq_file = opt.Type(str, default="faq.json")
    incidents_file = opt.Type(str, default="incidents.json")
    jsonld = opt.Type(bool, default=True)
    stylesheet = opt.Type(bool, default=True)


class IncidentsPlugin(BasePlugin[IncidentsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.registry: core.Registry | None = None
        self.active: core.ActiveIncident | None = None
        self.localized: dict[str, core.Localized] = {}  # by language, for the current outer build
        self.lang = ""  # the language being built
        self.urls: dict[str, str] = {}  # source page -> site-relative URL in the language being built
        self.env: Environment | None = None  # the Jinja environment of the language being built
        self._now: tuple[str, dt.datetime] | None = None  # keeps an env-declared start stable in serve

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance across `mkdocs serve` rebuilds."""

    # --- configuration: once per outer build, reset per language --------------------------------------

    @event_priority(40)  # after `helpcenter` (50) has loaded the corpus, before static-i18n (-100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self.urls, self.env, self.lang = {}, None, ""
        if self.config.stylesheet and STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if getattr(i18n(config), "building", False):
            return config  # a nested language build: the outer build read the sources
        hc = helpcenter_plugin(config, "helpcenter-incidents")
        assert hc.corpus is not None
        self.registry = core.registry(hc.corpus)
        self.localized = {}
        self.active = self._declaration(hc)
        return config

    def _declaration(self, hc: HelpcenterPlugin) -> core.ActiveIncident | None:
        assert hc.corpus is not None and self.registry is not None
        project = hc.corpus.project
        path = project.active_incident
        display = errors.display(path, project.root)
        env_id = os.environ.get(core.ENV_ID, "").strip()
        now = self._now[1] if self._now and self._now[0] == env_id else dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._now = (env_id, now)
        try:
            active = core.load_declaration(path, os.environ, now, display)
            return core.check_declaration(active, self.registry.types, project.default) if active else None
        except core.IncidentError as exc:
            raise PluginError(f"helpcenter-incidents: {exc}") from None

    def local(self, config: MkDocsConfig, lang: str | None = None) -> core.Localized:
        """Every page as readers of `lang` (default: the language being built) see it."""
        lang = lang or i18n(config).current_language
        if lang not in self.localized:
            hc = helpcenter_plugin(config, "helpcenter-incidents")
            assert hc.corpus is not None
            self.localized[lang] = core.localize(hc.corpus, hc.shown, lang, self.registry, hc.faq.get(lang))
        return self.localized[lang]

    # --- per language: URLs and templates ------------------------------------------------------------

    @event_priority(-150)  # after static-i18n (-100) has chosen this language's files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        self.lang = i18n(config).current_language
        self.urls = {source(f): f.url for f in files.documentation_pages()}
        return files

    @event_priority(-150)
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled or self.registry is None:
            return env
        self.env = env
        if not i18n(config).building:
            for t in self.registry.types.values():
                try:
                    env.get_template(f".icons/{t.icon}.svg")
                except TemplateNotFound:
                    log.warning(
                        f"docs/{t.page}: icon {t.icon!r} is not one of the theme's icons (.icons/{t.icon}.svg); "
                        "see https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/"
                    )
        loc = self.local(config)
        active = self.active
        env.globals["helpcenter_active_incident"] = (
            core.banner(active, loc, self.urls.get, self.config.channels_page) if active else None
        )
        return env

    def _render(self, template: str, **context: Any) -> str:
        assert self.env is not None
        return self.env.get_template(f"helpcenter/{template}").render(**context)

    # --- pages ---------------------------------------------------------------------------------------

    @event_priority(-50)  # after the search plugin (0) indexed the page: lists are not search text
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled or self.registry is None:
            return context
        loc = self.local(config)
        src = source(page.file)

        def rel(target: str) -> str | None:
            url = self.urls.get(target)
            return get_relative_url(url, page.url) if url is not None else None

        names = language_names(config)
        common = {"strings": loc.strings, "lang": loc.lang, "language_names": names, "page": page, "config": config}
        badges = loc.badges(src, rel)
        related = loc.related(src, rel, self.config.related_limit)
        context["helpcenter_incidents"] = {"badges": badges, "related": related}  # type: ignore[typeddict-unknown-key]
        content = page.content or ""
        if page_kind(src) == "hub" and core.ARTICLES_MARKER in content:
            type_id = src.split("/")[-1].removesuffix(".md")
            listing = self._render("incident-articles.html", links=loc.hub(type_id, rel), **common)
            content = content.replace(core.ARTICLES_MARKER, listing)
        if core.INDEX_MARKER in content:
            content = content.replace(
                core.INDEX_MARKER, self._render("incident-index.html", types=loc.index(rel), **common)
            )
        if badges:
            content = self._render("incident-badges.html", badges=badges, **common) + content
        if related:
            content += self._render("incident-related.html", related=related, **common)
        page.content = content
        return context

    @event_priority(-150)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        """FAQ questions as schema.org FAQPage, in the language of the page's text."""
        if not (self.config.enabled and self.config.jsonld and self.registry is not None):
            return output
        loc = self.local(config)
        src = source(page.file)
        items = loc.faq(src) if src in loc.pages else []
        if not items:
            return output
        data = json.dumps(faq_jsonld(items, loc.pages[src].text_lang), ensure_ascii=False)
        script = '<script type="application/ld+json">' + data.replace("</", "<\\/") + "</script>\n"
        return output.replace("</head>", script + "</head>", 1)

    # --- exports -------------------------------------------------------------------------------------

    @event_priority(-50)  # this language's own files; for the default language, before static-i18n's nested builds
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not (self.config.enabled and self.config.export and self.registry is not None):
            return
        default = i18n(config).default_language
        loc = self.local(config)
        base = urlsplit(config.site_url or "").path or "/"
        base = base if base.endswith("/") else base + "/"

        def absolute(page: str) -> str | None:
            url = self.urls.get(page)
            return base + url if url is not None else None

        folder = Path(config.site_dir) / (loc.lang if loc.lang != default else "")
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in (
            (self.config.faq_file, core.faq_export(loc, absolute)),
            (self.config.incidents_file, core.incidents_export(loc, absolute)),
        ):
            (folder / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def i18n(config: MkDocsConfig) -> Any:
    """static-i18n's plugin: current_language, default_language, building (untyped upstream)."""
    return config.plugins["i18n"]


def source(file: File) -> str:
    """The Japanese source page a built file comes from (`page.en.md` -> `page.md`)."""
    norm = getattr(file, "norm_src_uri", None)
    return norm if isinstance(norm, str) else LANGUAGE_SUFFIX.sub(".md", file.src_uri)


def language_names(config: MkDocsConfig) -> dict[str, str]:
    """Each language's own name (日本語, English, ...), from static-i18n's configuration."""
    languages = i18n(config).config.languages
    return {lang.locale: lang.name for lang in languages}
