"""Guards against configurations that would destroy work: the staging folder the plugin empties must
be its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import article, make_project


def project_with(tmp_path: Path, **options: str) -> Path:
    root = make_project(tmp_path / "site", {"support/contact.md": article("お問い合わせ", "本文です。")}, ("en",))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    next(p for p in config["plugins"] if isinstance(p, dict) and "helpcenter" in p)["helpcenter"].update(options)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("staging", [".", "docs", "translations"])
def test_a_staging_dir_that_is_not_the_plugins_own_is_refused_and_nothing_is_deleted(
    tmp_path: Path, staging: str
) -> None:
    root = project_with(tmp_path, staging_dir=staging)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = files(root)
    result = build(root)
    assert result.returncode != 0
    assert f"staging_dir: {staging} is not a folder of the plugin's own" in result.stderr
    assert "use a folder inside .cache/" in result.stderr and "Traceback" not in result.stderr
    assert files(root) == before


def test_a_new_staging_folder_is_marked_as_the_plugins_and_used_again(tmp_path: Path) -> None:
    root = project_with(tmp_path, staging_dir="build/staging")
    for _ in range(2):  # the second build finds the folder it marked
        result = build(root)
        assert result.returncode == 0, result.stderr[-2000:]
    assert (root / "build/staging/.helpcenter-staging").is_file()
    assert (root / "site/en/support/contact/index.html").is_file()
