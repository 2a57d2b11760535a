"""The languages built side by side (`helpcenter build`, what `make site` runs) and on separate
machines (scripts/ci/build-language.sh per language, then scripts/ci/merge-site.sh) give the very
site that one `mkdocs build` of every language gives: every file, byte for byte (the sitemap's
gzip copy compared unpacked: its header holds the time it was written)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sitekit import BIN, ROOT, copy_site, run

FALLBACK = "translations/ko/security/two-factor-setup.po"  # removed: the page is shown in Japanese in Korean


def contents(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(set(a) ^ set(b)) + [name for name in sorted(set(a) & set(b)) if a[name] != b[name]]


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The site with one page shown in Japanese to Korean readers, built by one `mkdocs build`."""
    root = copy_site(tmp_path_factory.mktemp("parallel"), pages=None)
    (root / FALLBACK).unlink()
    done = run(["mkdocs", "build", "--strict", "-d", "site-serial"], root)
    assert done.returncode == 0, done.stderr[-3000:]
    return root, contents(root / "site-serial")


def test_languages_built_side_by_side_make_the_same_site(serial: tuple[Path, dict[str, bytes]]) -> None:
    root, expected = serial
    shutil.rmtree(root / ".cache")  # a fresh clone: the first language's build checks every page
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\nsite_dir: public\n", encoding="utf-8")  # where mkdocs.yml says
    try:
        done = run(["helpcenter", "build", "--jobs", "2"], root)
    finally:
        config.write_text(text, encoding="utf-8")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "built 4 languages, 2 at a time" in done.stdout
    site = contents(root / "public")
    assert "ko/security/two-factor-setup/index.html" in site
    shown = json.loads(site["pagefind/helpcenter.json"])["fallback"]  # the Korean page shown in Japanese
    assert shown == {"ko": {"pages": {"/ko/security/two-factor-setup/": "/security/two-factor-setup/"}}}
    assert differences(expected, site) == []
    assert not any((root / ".cache/helpcenter/parts").iterdir())  # the parts were moved, not copied


def test_one_language_per_machine_then_merged_makes_the_same_site(
    serial: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, expected = serial
    env = {**os.environ, "HELPCENTER": str(BIN / "helpcenter"), "NO_MKDOCS_2_WARNING": "1"}
    for lang in ("ko", "ja", "zh", "en"):  # each job alone, in any order, into the folder it uploads
        job = subprocess.run(
            ["bash", str(ROOT / "scripts/ci/build-language.sh"), lang, str(tmp_path / "parts" / lang)],
            cwd=root, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert job.returncode == 0, job.stderr[-3000:]
    merge = subprocess.run(
        ["bash", str(ROOT / "scripts/ci/merge-site.sh"), str(tmp_path / "parts"), str(tmp_path / "site")],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert merge.returncode == 0, merge.stderr[-3000:]
    assert differences(expected, contents(tmp_path / "site")) == []


def test_a_missing_language_is_refused_before_anything_is_replaced(
    serial: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, _ = serial
    for lang in ("ja", "en"):
        assert run(["helpcenter", "build", "--language", lang, "--out", str(tmp_path / lang)], root).returncode == 0
    (tmp_path / "site").mkdir()
    (tmp_path / "site/kept.html").write_text("the last site", encoding="utf-8")
    done = run(
        [
            "helpcenter",
            "build",
            "--merge",
            str(tmp_path / "ja"),
            str(tmp_path / "en"),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        root,
    )
    assert done.returncode == 2
    assert "missing: ko, zh" in done.stderr
    assert (tmp_path / "site/kept.html").exists()


def test_an_unknown_language_is_refused_by_name(serial: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    root, _ = serial
    done = run(["mkdocs", "build", "-d", str(tmp_path / "out")], root, HELPCENTER_BUILD_LANGUAGE="fr")
    assert done.returncode != 0
    assert "HELPCENTER_BUILD_LANGUAGE=fr is not a language of the site (ja, en, zh, ko)" in done.stderr
