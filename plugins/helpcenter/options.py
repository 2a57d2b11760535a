"""The `helpcenter` plugin's options in mkdocs.yml: names, types, defaults and allowed values, once.

The command line reads mkdocs.yml without MkDocs and checks the options here, naming the line of a
wrong value; the MkDocs plugin's typed config (mkdocs_plugins/config.py) takes its defaults and allowed
values from here, so the build and the commands can never read the same file differently.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import ConfigError

PUBLISH = ("machine", "reviewed")  # machine: MT published with a notice; reviewed: only reviewed pages
FORMALITY = ("default", "more", "less", "prefer_more", "prefer_less")  # DeepL's `formality`
DEFAULT_DEEPL = {"en": "EN-US", "zh": "ZH-HANS", "zh-TW": "ZH-HANT", "pt": "PT-BR", "ko": "KO"}
ACTIVE_INCIDENT_FILE = "active_incident.yml"  # the helpcenter-incidents plugin's `active_file`, in data/


class YamlMapping(dict[Any, Any]):
    """A mapping read from YAML that knows the line of each of its keys (for error messages)."""

    lines: dict[Any, int]

    def line(self, key: Any) -> int | None:
        return getattr(self, "lines", {}).get(key)


def _choice(values: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"choices": values}


@dataclass(frozen=True)
class LanguageOptions:
    """`languages: {en: {...}}`: what differs per language."""

    deepl: str | None = None  # DeepL's target code (default: DEFAULT_DEEPL, else the code in capitals)
    formality: str | None = field(default=None, metadata=_choice(FORMALITY))
    publish: str | None = field(default=None, metadata=_choice(PUBLISH))  # default: the plugin's `publish`


@dataclass(frozen=True)
class Options:
    """The `helpcenter` plugin's options, with their defaults."""

    exchange: str = "Exchange"
    translations_dir: str = "translations"
    data_dir: str = "data"
    publish: str = field(default="machine", metadata=_choice(PUBLISH))
    languages: dict[str, LanguageOptions] = field(default_factory=dict)
    strict_categories: tuple[str, ...] = ("security", "phishing", "assets")
    strict_incidents: bool = True  # articles linked to an incident type need reviewed translations
    allowed_hosts: tuple[str, ...] = ()  # external link hosts besides channels.yml's
    staging_dir: str = ".cache/helpcenter/docs"
    cache_file: str = ".cache/helpcenter/pages.pickle"  # "" turns the cache off
    project_id: str = ""  # names this site's DeepL glossaries (default: site_url's host)

    @classmethod
    def read(cls, raw: Mapping[str, Any], shown: str = "mkdocs.yml") -> Options:
        """The options as mkdocs.yml writes them (or as MkDocs has validated them), checked: a wrong
        type or value is an error naming `shown` and the line. Options it does not know are left
        to MkDocs, which warns about them."""
        if not isinstance(raw, Mapping):
            raise ConfigError("the helpcenter plugin's options must be a mapping, like `exchange: Name`", shown)
        values = _read(cls, raw, shown, "")
        languages = raw.get("languages") or {}
        if not isinstance(languages, Mapping):
            raise _wrong(raw, shown, "languages", "a mapping of language code to options, like `en: {deepl: EN-US}`")
        values["languages"] = {}
        for code, opts in languages.items():
            if opts is not None and not isinstance(opts, Mapping):
                raise _wrong(languages, shown, code, "a mapping, like `{deepl: EN-US}`", "languages.")
            found = _read(LanguageOptions, opts or {}, shown, f"languages.{code}.")
            values["languages"][str(code)] = LanguageOptions(**found)
        return cls(**values)


def _read(cls: type, raw: Mapping[str, Any], shown: str, prefix: str) -> dict[str, Any]:
    """The fields of dataclass `cls` that `raw` sets, each checked against its type and choices."""
    types = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in fields(cls):
        value = raw.get(f.name)
        if f.name == "languages" or value is None:
            continue
        kind = types[f.name]
        choices = f.metadata.get("choices")
        if choices and value not in choices:
            raise _wrong(raw, shown, f.name, "one of " + ", ".join(choices), prefix)
        if kind == tuple[str, ...]:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise _wrong(raw, shown, f.name, "a list of text, like [a, b]", prefix)
            value = tuple(value)
        elif kind is bool and not isinstance(value, bool):
            raise _wrong(raw, shown, f.name, "true or false", prefix)
        elif kind in (str, str | None) and not isinstance(value, str):
            raise _wrong(raw, shown, f.name, "text", prefix)
        out[f.name] = value
    return out


def _wrong(raw: Mapping[str, Any], shown: str, key: str, expected: str, prefix: str = "") -> ConfigError:
    line = raw.line(key) if isinstance(raw, YamlMapping) else None
    return ConfigError(
        f"the helpcenter plugin's `{prefix}{key}` must be {expected}, not {raw[key]!r}",
        shown,
        line,
        "fix it in the `helpcenter` entry of `plugins`",
    )
