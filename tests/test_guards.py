"""Guards against configurations and leftovers that would destroy work or publish stale results: the
staging folder the plugin empties must be its own; the page cache is used only when it is exactly
right."""

from __future__ import annotations

import importlib.metadata
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import sitekit
from conftest import article, make_project
from helpcenter import cache
from helpcenter.corpus import load_page
from helpcenter.project import Project
from helpcenter.project import load as load_project


def project_with(tmp_path: Path, **options: str) -> Path:
    root = make_project(tmp_path / "site", {"support/contact.md": article("お問い合わせ", "本文です。")}, ("en",))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    next(p for p in config["plugins"] if isinstance(p, dict) and "helpcenter" in p)["helpcenter"].update(options)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return sitekit.run(["mkdocs", "build"], root)


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


# --- the page cache ----------------------------------------------------------------------------------

PAGE = "support/contact.md"


def cached_project(tmp_path: Path) -> tuple[Project, Path]:
    root = make_project(tmp_path / "site", {PAGE: article("お問い合わせ", "最初の本文です。")}, ("en",))
    return load_project(root / "mkdocs.yml"), root / ".cache" / "pages.pickle"


def body(project: Project, cache_file: Path) -> str:
    corpus, _, _ = cache.load_checked(project, cache_file)
    return corpus.docs[PAGE].units[-1].text


def test_a_library_or_python_upgrade_rebuilds_the_cache_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    project, cache_file = cached_project(tmp_path)
    assert body(project, cache_file) == "最初の本文です。"
    parsed: list[str] = []
    monkeypatch.setattr(cache, "load_page", lambda *a, **k: parsed.append(a[1]) or load_page(*a, **k))
    body(project, cache_file)
    assert parsed == []  # unchanged: from the cache

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda d: "99.0" if d == "markdown-it-py" else real(d))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.helpcenter"):
        body(project, cache_file)
    assert PAGE in parsed  # parsed again with the new parser
    [line] = [r.getMessage() for r in caplog.records if "page cache" in r.getMessage()]
    assert "another version of helpcenter, of Python or of a library" in line

    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    parsed.clear()
    body(project, cache_file)
    assert PAGE in parsed


def test_a_damaged_cache_is_rebuilt_with_one_line_saying_why(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project, cache_file = cached_project(tmp_path)
    body(project, cache_file)
    cache_file.write_bytes(cache_file.read_bytes()[:100])  # a build killed while copying it, say
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.helpcenter"):
        assert body(project, cache_file) == "最初の本文です。"
    [line] = [r.getMessage() for r in caplog.records if "page cache" in r.getMessage()]
    assert "cannot be read" in line


def test_the_cache_stores_the_parse_of_the_bytes_it_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page saved by an editor during a build must not be stored under the digest of the old text."""
    project, cache_file = cached_project(tmp_path)
    source = project.docs / PAGE
    original = source.read_text(encoding="utf-8")
    real = cache._read_bytes

    def saved_meanwhile(path: Path) -> bytes:
        data = real(path)
        if path == source and b"\xe6\x9c\x80\xe5\x88\x9d" in data:  # 最初: the editor saves right after the hash
            source.write_text(original.replace("最初の本文", "次の本文"), encoding="utf-8")
        return data

    monkeypatch.setattr(cache, "_read_bytes", saved_meanwhile)
    assert body(project, cache_file) == "最初の本文です。"  # what was hashed is what was parsed
    monkeypatch.setattr(cache, "_read_bytes", real)
    source.write_text(original, encoding="utf-8")  # back to the hashed text: the cached parse is right
    assert body(project, cache_file) == "最初の本文です。"
