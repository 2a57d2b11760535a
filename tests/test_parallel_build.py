"""The languages built side by side (`helpcenter build`, what `make site` runs) and on separate
machines (scripts/ci/build-language.sh per language, then scripts/ci/merge-site.sh) give the very
site that one `mkdocs build` of every language gives: every file, byte for byte (the sitemap's
gzip copy compared unpacked: its header holds the time it was written)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from sitekit import BIN, ROOT, Process, copy_site, processes, run, wait_for

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


def _copy(root: Path, dest: Path) -> Path:
    """The fixture's project, to change without changing it for the other tests."""
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns("site-serial", "public"))
    return dest


def test_a_failed_language_fails_the_build_with_its_messages_and_keeps_the_last_site(
    serial: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root = _copy(serial[0], tmp_path / "project")
    (root / "site").mkdir()
    (root / "site/kept.html").write_text("the last site", encoding="utf-8")
    page = root / "docs/security/two-factor-setup.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[手順](../missing-page.md)\n", encoding="utf-8")
    done = run(["helpcenter", "build", "--jobs", "2"], root)
    assert done.returncode != 0
    # every language's build refuses the source; whichever of the two running is seen ending first
    assert re.search(r"the build of '(ja|en)' failed", done.stderr), done.stderr
    assert "security/two-factor-setup.md" in done.stderr and "missing-page.md" in done.stderr, done.stderr
    assert (root / "site/kept.html").read_text(encoding="utf-8") == "the last site"


def _session(leader: int) -> list[Process]:
    """The processes still running in the session `leader` started (a terminal's Ctrl-C reaches
    them all), but `leader`."""
    return [p for p in processes() if p.session == leader and p.pid != leader]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_build_leaves_no_language_building_and_the_last_site_whole(
    serial: tuple[Path, dict[str, bytes]], tmp_path: Path, signum: int
) -> None:
    """Ctrl-C (the whole terminal's process group) or a CI runner's SIGTERM (the build's own process)."""
    root = _copy(serial[0], tmp_path / "project")
    shutil.rmtree(root / ".cache")  # long enough to be interrupted: every page is checked
    (root / "site").mkdir()
    (root / "site/kept.html").write_text("the last site", encoding="utf-8")
    build = subprocess.Popen(
        [str(BIN / "helpcenter"), "build", "--jobs", "2"], cwd=root, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    wait_for(lambda: len(_session(build.pid)) >= 2, "the languages' builds to start", timeout=60)
    time.sleep(1)
    commands = [p.command for p in _session(build.pid)]
    # forked from `helpcenter build` with MkDocs loaded, not new interpreters (`python -m mkdocs`)
    assert not [c for c in commands if b"\0-m\0mkdocs\0" in c], commands
    if signum == signal.SIGINT:
        os.killpg(build.pid, signum)
    else:
        build.send_signal(signum)
    build.communicate(timeout=60)
    assert build.returncode == 130  # interrupted (a build that had finished would say 0)
    # the languages' builds were stopped, not left to run on their own; what they started ends with them
    wait_for(lambda: not _session(build.pid), "every process of the build to end", timeout=3)
    assert (root / "site/kept.html").read_text(encoding="utf-8") == "the last site"
