"""The `helpcenter` plugin's options in mkdocs.yml are read the same way by the command line (without
MkDocs) and by the build (MkDocs' typed config): the same names, defaults and allowed values, and a
wrong value is an error naming the line."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from conftest import Run, article, make_project
from helpcenter.mkdocs_plugins.config import HelpcenterConfig
from helpcenter.options import FORMALITY, Options
from helpcenter.project import load as load_project

PAGES = {"security/a.md": article("記事", "本文です。")}


def plugin_options(raw: dict[str, object]) -> Options:
    """`raw` as the build reads it: validated by MkDocs, then handed to the core."""
    config = HelpcenterConfig()
    config.load_dict(raw)
    failed, _ = config.validate()
    assert not failed, failed
    return Options.read(config)


def set_option(root: Path, **options: object) -> None:
    config = root / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    next(p for p in data["plugins"] if isinstance(p, dict) and "helpcenter" in p)["helpcenter"].update(options)
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_build_and_the_command_line_have_the_same_options_and_defaults() -> None:
    assert plugin_options({}) == Options()
    assert set(HelpcenterConfig()) == {f.name for f in fields(Options)}


def test_the_build_and_the_command_line_read_mkdocs_yml_alike(tmp_path: Path) -> None:
    root = make_project(tmp_path, PAGES)
    written = {
        "exchange": "Hoshi",
        "publish": "reviewed",
        "languages": {"en": {"deepl": "EN-GB", "formality": "prefer_less"}, "ko": {"publish": "machine"}},
        "strict_categories": ["security"],
        "strict_incidents": False,
        "allowed_hosts": ["apps.apple.com"],
        "project_id": "hoshi-help",
    }
    set_option(root, **written)
    project = load_project(root / "mkdocs.yml")
    assert project.options == plugin_options(written)
    en, zh, ko = project.languages
    assert (en.deepl, en.formality, en.publish) == ("EN-GB", "prefer_less", "reviewed")
    assert (zh.deepl, zh.formality, zh.publish) == ("ZH-HANS", None, "reviewed")
    assert ko.publish == "machine"
    assert project.id == "hoshi-help" and not project.policy.strict_incidents


@pytest.mark.parametrize("formality", FORMALITY)
def test_every_deepl_formality_is_accepted(tmp_path: Path, formality: str) -> None:
    root = make_project(tmp_path, PAGES)
    set_option(root, languages={"en": {"formality": formality}})
    assert load_project(root / "mkdocs.yml").language("en").formality == formality


def refused(root: Path, run: Run, command: str, written: str) -> tuple[int, str]:
    """`helpcenter COMMAND` in `root`: exit 2; the line of mkdocs.yml holding `written`, and stderr."""
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if written in text)
    result = run(*command.split())
    assert result.code == 2, result
    return line, result.err


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path, PAGES)


def test_a_wrong_formality_is_refused_at_its_line(root: Path, run: Run) -> None:
    set_option(root, languages={"en": {"deepl": "EN-US", "formality": "formal"}})
    line, err = refused(root, run, "translate --dry-run", "formality: formal")
    assert err.startswith(
        f"helpcenter translate: mkdocs.yml:{line}: the helpcenter plugin's `languages.en.formality` must be one of "
        "default, more, less, prefer_more, prefer_less, not 'formal'"
    )
    config = HelpcenterConfig()  # and the build refuses it too
    config.load_dict({"languages": {"en": {"formality": "formal"}}})
    assert config.validate()[0]


def test_a_wrong_type_is_refused_at_its_line(root: Path, run: Run) -> None:
    set_option(root, strict_categories="security")
    line, err = refused(root, run, "status", "strict_categories:")
    assert f"mkdocs.yml:{line}: the helpcenter plugin's `strict_categories` must be a list of text" in err


def test_a_language_without_a_mapping_is_refused_at_its_line(root: Path, run: Run) -> None:
    set_option(root, languages={"en": "EN-US"})
    line, err = refused(root, run, "check", "en: EN-US")
    assert f"mkdocs.yml:{line}: the helpcenter plugin's `languages.en` must be a mapping" in err
