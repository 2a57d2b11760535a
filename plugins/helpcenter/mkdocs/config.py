"""Typed options of the `helpcenter` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class LanguageOptions(Config):
    deepl = opt.Optional(opt.Type(str))
    formality = opt.Optional(opt.Choice(("default", "prefer_more", "prefer_less", "more", "less")))
    publish = opt.Optional(opt.Choice(("machine", "reviewed")))


class HelpcenterConfig(Config):
    exchange = opt.Type(str, default="Exchange")
    translations_dir = opt.Type(str, default="translations")
    data_dir = opt.Type(str, default="data")
    publish = opt.Choice(("machine", "reviewed"), default="machine")
    languages = opt.DictOfItems(opt.SubConfig(LanguageOptions), default={})
    strict_categories = opt.ListOfItems(opt.Type(str), default=["security", "phishing", "assets"])
    strict_incidents = opt.Type(bool, default=True)
    allowed_hosts = opt.ListOfItems(opt.Type(str), default=[])  # external link hosts besides channels.yml's
    staging_dir = opt.Type(str, default=".cache/helpcenter/docs")
    cache_file = opt.Type(str, default=".cache/helpcenter/pages.pickle")  # "" turns the cache off
    project_id = opt.Type(str, default="")  # names this site's DeepL glossaries (default: site_url's host)
