"""The project as the pipeline sees it: folders, languages and policy, read from mkdocs.yml.

mkdocs.yml is the one configuration file; the command line reads it without MkDocs, so that
translating and checking work in a plain Python environment, and checks the `helpcenter` plugin's
options as options.py defines them (the MkDocs plugin's typed config takes them from there too).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError, display
from .options import ACTIVE_INCIDENT_FILE, DEFAULT_DEEPL, LanguageOptions, Options, YamlMapping
from .safety import Renderer


@dataclass(frozen=True)
class Language:
    code: str  # the site's locale (static-i18n)
    name: str
    deepl: str  # DeepL target language code
    formality: str | None = None  # DeepL formality, where the language has it
    publish: str = "machine"  # machine: MT published with a notice; reviewed: only reviewed pages


@dataclass(frozen=True)
class Policy:
    """Which translations a page may show (see policy.py)."""

    strict_categories: frozenset[str] = frozenset()
    strict_incidents: bool = True  # articles linked to an incident type need reviewed translations


@dataclass(frozen=True)
class Project:
    root: Path
    docs: Path
    translations: Path
    default: str
    languages: tuple[Language, ...]
    policy: Policy
    exchange: str
    data: Path
    site_name: str = ""
    options: Options = field(default_factory=Options)
    renderer: Renderer = field(default_factory=lambda: Renderer((), {}))  # the site's Python-Markdown
    site_url: str = ""
    id: str = ""  # this site among others on one DeepL account: `project_id`, or site_url's host
    active_incident: Path = Path(ACTIVE_INCIDENT_FILE)  # the helpcenter-incidents plugin's declaration file
    site_dir: Path = Path("site")  # where mkdocs.yml has the site written

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        known = ", ".join(lang.code for lang in self.languages)
        raise ConfigError(
            f"unknown language {code!r}: the languages are {known}; add it to the i18n plugin's "
            "`languages` in mkdocs.yml"
        )

    def pages(self) -> list[str]:
        """Every Markdown source under docs/, as a posix path relative to it, sorted (not the
        symbolic links of `link_problems`)."""
        return sorted(
            p.relative_to(self.docs).as_posix()
            for p in self.docs.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(self.docs).parts) and self.is_inside(p)
        )

    def is_inside(self, path: Path) -> bool:
        """Whether a file is the repository's own: no symbolic link out of it, nor to nothing."""
        inner = [p for p in path.parents if p.is_relative_to(self.root) and p != self.root]
        if not path.is_symlink() and not any(parent.is_symlink() for parent in inner):
            return True
        try:
            return path.resolve(strict=True).is_relative_to(self.root.resolve())
        except (OSError, RuntimeError):
            return False

    def link_problems(self) -> list[tuple[str, str]]:
        """(path, message) for each symbolic link under docs/, translations/ or data/ that leads out
        of the repository or to nothing: its content would be published, or the build would fail."""
        out = []
        for folder in (self.docs, self.translations, self.data):
            for top, dirs, files in os.walk(folder):
                for name in dirs + files:
                    path = Path(top, name)
                    if path.is_symlink() and not self.is_inside(path):
                        target = os.readlink(path)
                        why = "which does not exist" if not path.exists() else "outside the repository"
                        out.append(
                            (display(path, self.root), f"a symbolic link to {target}, {why}: put the file itself here")
                        )
        return out

    @property
    def glossary_path(self) -> Path:
        return self.translations / "glossary.yml"


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without importing what its `!!python/...` and `!ENV` tags name."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    assert isinstance(node, yaml.MappingNode)
    return loader.construct_mapping(node)


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[YamlMapping]:
    """Every mapping of mkdocs.yml with the line of each key: a wrong option is named at its line."""
    data = YamlMapping()
    yield data
    data.update(loader.construct_mapping(node))
    data.lines = {loader.construct_object(key): key.start_mark.line + 1 for key, _ in node.value}


_Loader.add_multi_constructor("", _any_tag)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)


def plugin_options(config: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    for item in config.get("plugins") or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return item[name] or {}
    return None


def build(root: Path, mkdocs: Mapping[str, Any], options: Options, i18n: Mapping[str, Any]) -> Project:
    """A Project from mkdocs.yml's values (shared by the CLI and the MkDocs plugin); `mkdocs["plugins"]`,
    where given, is the list of plugins with their options as mkdocs.yml writes it."""
    langs = i18n.get("languages") or []
    for n, lang in enumerate(langs if isinstance(langs, list) else [langs], 1):
        if not isinstance(lang, Mapping) or not isinstance(lang.get("locale"), str):
            raise ConfigError(
                f"the i18n plugin's languages: entry {n} ({lang!r}) has no `locale:`",
                "mkdocs.yml",
                hint="write each language as `- locale: en` with `name:` and `build: true` under it",
            )
    default = next((lang["locale"] for lang in langs if lang.get("default")), "ja")
    languages = []
    for lang in langs:
        code = lang["locale"]
        if code == default:
            continue
        opts = options.languages.get(code) or LanguageOptions()
        languages.append(
            Language(
                code=code,
                name=lang.get("name", code),
                deepl=opts.deepl or DEFAULT_DEEPL.get(code, code.upper()),
                formality=opts.formality,
                publish=opts.publish or options.publish,
            )
        )
    policy = Policy(strict_categories=frozenset(options.strict_categories), strict_incidents=options.strict_incidents)
    data = root / options.data_dir
    incidents = plugin_options(mkdocs, "helpcenter-incidents") or {}
    return Project(
        root=root,
        docs=root / mkdocs.get("docs_dir", "docs"),
        translations=root / options.translations_dir,
        default=default,
        languages=tuple(languages),
        policy=policy,
        exchange=options.exchange,
        data=data,
        site_name=str(mkdocs.get("site_name", "")),
        options=options,
        renderer=Renderer.of(mkdocs.get("markdown_extensions") or []),
        site_url=str(mkdocs.get("site_url") or ""),
        id=options.project_id or urlsplit(str(mkdocs.get("site_url") or "")).hostname or "",
        active_incident=data / str(incidents.get("active_file") or ACTIVE_INCIDENT_FILE),
        site_dir=root / str(mkdocs.get("site_dir") or "site"),
    )


def load(config_file: Path) -> Project:
    """The project whose mkdocs.yml is `config_file`."""
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except FileNotFoundError:
        raise ConfigError(f"{config_file}: not found; run from the repository root or pass --config") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_file}: not valid YAML: {exc}") from None
    options = plugin_options(raw, "helpcenter")
    i18n = plugin_options(raw, "i18n")
    if options is None or i18n is None:
        raise ConfigError(f"{config_file}: the `helpcenter` and `i18n` plugins must both be configured")
    return build(config_file.resolve().parent, raw, Options.read(options, str(config_file)), i18n)
