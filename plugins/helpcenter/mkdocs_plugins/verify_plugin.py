"""The `helpcenter-verify` MkDocs plugin: the verification page and `/<lang>/channels.json`.

A page (docs/verify.md) holds the marker `<!-- helpcenter:verify -->`; in each language's build the
marker becomes the form of templates/helpcenter/verify.html: an input, the result element, the
matching rules and the reader's words as a JSON block, and verify.js (a file, so the pages' CSP
allows it) which checks what the reader pastes, in the browser, with nothing sent anywhere. The rules
are helpcenter.verify's (`rules()`), the same the CLI applies. Each language's build also writes
channels.json (schemas/channels.schema.json): the official channels with their labels and uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..verify import NEVER_USED, rules
from .incidents_plugin import i18n, source
from .plugin import HelpcenterPlugin, helpcenter_plugin

MARKER = "<!-- helpcenter:verify -->"
SCRIPT = "helpcenter/verify.js"
STYLESHEET = "helpcenter/verify.css"


class VerifyConfig(Config):
    enabled = opt.Type(bool, default=True)
    page = opt.Type(str, default="verify.md")  # the page with the marker (its URL is in channels.json)
    first_aid_page = opt.Type(str, default="phishing/if-you-were-phished.md")  # linked from "not official"
    support_channel = opt.Type(str, default="support_form")  # a key of data/channels.yml, linked too
    channels_file = opt.Type(str, default="channels.json")


class VerifyPlugin(BasePlugin[VerifyConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.env: Environment | None = None
        self.urls: dict[str, str] = {}  # source page -> URL, in the language being built

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance across `mkdocs serve` rebuilds."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.enabled and STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    @event_priority(-150)  # after static-i18n (-100) has chosen this language's files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.urls = {source(f): f.url for f in files.documentation_pages()}
        return files

    @event_priority(-150)
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        self.env = env
        return env

    @event_priority(-50)  # templates exist from on_env on, which MkDocs runs after every page's on_page_content
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        html = page.content or ""
        if not self.config.enabled or MARKER not in html or self.env is None:
            return context
        hc = helpcenter_plugin(config, "helpcenter-verify")
        assert hc.corpus is not None
        lang = i18n(config).current_language
        default = hc.corpus.project.default
        channels = hc.corpus.expander.channels
        words = hc.words(lang)
        support = channels.get(self.config.support_channel)
        first_aid = self.urls.get(self.config.first_aid_page)
        links = [
            {"href": get_relative_url(first_aid, page.url), "text": words["verify_next_phished"]}
            if first_aid
            else None,
            {"href": support.value, "text": words["verify_next_support"]} if support else None,
        ]
        data = {
            "rules": rules(channels),
            "strings": {k: v for k, v in words.items() if k.startswith("verify_")},
            "labels": {
                k: {"label": c.label(lang, default), "value": c.value, "use": c.use(lang, default)}
                for k, c in channels.items()
            },
            "next": [link for link in links if link],
        }
        widget = self.env.get_template("helpcenter/verify.html").render(
            strings=words,
            data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
            script=get_relative_url(SCRIPT, page.url),
        )
        page.content = html.replace(MARKER, widget)
        return context

    @event_priority(-50)  # this language's own files, like the FAQ and incident exports
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        hc = helpcenter_plugin(config, "helpcenter-verify")
        assert hc.corpus is not None
        lang, default = i18n(config).current_language, i18n(config).default_language
        base = urlsplit(config.site_url or "").path or "/"
        base = base if base.endswith("/") else base + "/"
        verify_url = self.urls.get(self.config.page)
        data = channels_export(hc, lang, base + verify_url if verify_url is not None else None)
        folder = Path(config.site_dir) / (lang if lang != default else "")
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (folder / self.config.channels_file).write_text(text, encoding="utf-8")


def channels_export(hc: HelpcenterPlugin, lang: str, verify_url: str | None) -> dict[str, Any]:
    """channels.json: what a chatbot or the support desk needs to answer "is this really you?"."""
    assert hc.corpus is not None
    default = hc.corpus.project.default
    channels = hc.corpus.expander.channels
    kinds = {c["key"]: c["kind"] for c in rules(channels)["channels"]}
    return {
        "version": 1,
        "language": lang,
        "verify_url": verify_url,
        "channels": [
            {
                "key": key,
                "kind": kinds[key],
                "value": c.value,
                "label": c.label(lang, default),
                "use": c.use(lang, default),
            }
            for key, c in channels.items()
        ],
        "never_used": [
            {"kind": kind, "label": hc.words(lang)[f"verify_kind_{kind}"], "hosts": spec["hosts"]}
            for kind, spec in NEVER_USED.items()
        ],
    }
