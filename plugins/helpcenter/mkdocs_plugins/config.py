"""Typed options of the `helpcenter` plugin in mkdocs.yml, as MkDocs checks them: the names, defaults
and allowed values are the core's (options.py), which the command line checks without MkDocs."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from ..options import FORMALITY, PUBLISH, Options

_DEFAULT = Options()


class LanguageOptions(Config):
    deepl = opt.Optional(opt.Type(str))
    formality = opt.Optional(opt.Choice(FORMALITY))
    publish = opt.Optional(opt.Choice(PUBLISH))


class HelpcenterConfig(Config):
    exchange = opt.Type(str, default=_DEFAULT.exchange)
    translations_dir = opt.Type(str, default=_DEFAULT.translations_dir)
    data_dir = opt.Type(str, default=_DEFAULT.data_dir)
    publish = opt.Choice(PUBLISH, default=_DEFAULT.publish)
    languages = opt.DictOfItems(opt.SubConfig(LanguageOptions), default={})
    strict_categories = opt.ListOfItems(opt.Type(str), default=list(_DEFAULT.strict_categories))
    strict_incidents = opt.Type(bool, default=_DEFAULT.strict_incidents)
    allowed_hosts = opt.ListOfItems(opt.Type(str), default=list(_DEFAULT.allowed_hosts))
    staging_dir = opt.Type(str, default=_DEFAULT.staging_dir)
    cache_file = opt.Type(str, default=_DEFAULT.cache_file)
    project_id = opt.Type(str, default=_DEFAULT.project_id)
