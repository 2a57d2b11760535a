"""Copies of this repository's site in a temporary folder, for tests that build or break it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SMALL = ("index.md", "*/index.md", "incidents/*.md", "security/two-factor-setup.md", "trading/what-can-be-undone.md")


def copy_site(dest: Path, pages: tuple[str, ...] | None = SMALL) -> Path:
    """The repo's mkdocs.yml, overrides, data and translations, with all docs or a small subset."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides", "data", "translations"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".lock"))
        else:
            shutil.copy2(src, dest / name)
    docs = ROOT / "docs"
    chosen = {p for pattern in pages for p in docs.glob(pattern)} if pages else set(docs.rglob("*"))
    for src in chosen:
        if src.is_file():
            target = dest / "docs" / src.relative_to(docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    if pages:  # keep the images the chosen pages use, and a stub of every page they link to
        shutil.copytree(
            docs / "assets", dest / "docs" / "assets", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md")
        )
        for src in sorted(chosen):
            if src.suffix == ".md":
                _stub_linked(src.relative_to(docs).as_posix(), dest / "docs")
    return dest


def seed_site_words(root: Path, languages: Iterable[str]) -> None:
    """The repository's reviewed catalogs of the site's own words (translations/<lang>/_site.po) for
    these languages, as every real project has them: without them `check` reports them missing and a
    first translate run would send them."""
    for lang in languages:
        source = ROOT / "translations" / lang / "_site.po"
        if source.exists():
            (root / "translations" / lang).mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / "translations" / lang / "_site.po")


def site_words(lang: str) -> dict[str, str]:
    """The site's own words in `lang` as the repository holds them: the Japanese source, or the
    reviewed translations of translations/<lang>/_site.po."""
    from helpcenter.strings import source

    if lang == "ja":
        return {unit.section: unit.text for unit in source()}
    return {e.msgctxt: e.msgstr for e in polib.pofile(str(ROOT / "translations" / lang / "_site.po")) if e.msgctxt}


def _stub_linked(page: str, docs: Path) -> None:
    """Links are checked before a build: each page left out that `page` links to is written as a stub,
    its front matter and headings (its anchors) only: no links of its own, in no incident hub."""
    from helpcenter.link_targets import targets

    for _, target in targets((docs / page).read_text(encoding="utf-8")):
        path = target.split("#")[0]
        linked = Path(os.path.normpath(docs / Path(page).parent / path)) if path.endswith(".md") else None
        if linked is None or linked.exists() or "://" in target:
            continue
        lines = (ROOT / "docs" / linked.relative_to(docs)).read_text(encoding="utf-8").splitlines()
        end = lines.index("---", 1) + 1
        linked.parent.mkdir(parents=True, exist_ok=True)
        headings = [line for line in lines[end:] if line.startswith("## ") or line.startswith("### ")]
        front = [line for line in lines[:end] if not line.startswith(("incidents:", "first_aid:"))]
        linked.write_text("\n".join(front + [""] + [h + "\n" for h in headings]), encoding="utf-8")


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A command of the venv (mkdocs, helpcenter) in `cwd`, output captured as text."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], object], what: str, timeout: float = 120) -> None:
    """Poll until `predicate()` is true; fail the test naming what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


@contextmanager
def mkdocs_serve(root: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve --livereload` in `root` on a free loopback port, its output in `log`; yields the URL."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://127.0.0.1:{port}/"
        except BaseException as exc:  # a failure under serve is explained by what serve said
            exc.add_note(f"--- mkdocs serve output, last 6000 characters ({log}) ---")
            exc.add_note(log.read_text(encoding="utf-8", errors="replace")[-6000:])
            raise
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def plant_machine_translation(root: Path, catalog_path: str, text: str) -> None:
    """Publish machine translations for every article in the copy (strict_incidents off) and store
    `text` as DeepL's output for the first plain paragraph of `catalog_path` (no markup or numbers)."""
    from helpcenter import catalog

    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("strict_incidents: true", "strict_incidents: false"),
        encoding="utf-8",
    )
    po = polib.pofile(str(root / catalog_path))
    catalog.set_machine(plain_paragraph(po), text, "deepl EN-US")
    po.save()


def plain_paragraph(po: polib.POFile) -> polib.POEntry:
    """A paragraph with no markup, links, placeholders or numbers, so plain text replaces it cleanly."""
    return next(e for e in po if e.comment.startswith("paragraph") and not re.search(r"[`*\[{0-9０-９]", e.msgid))


class Process(NamedTuple):
    """A running process as /proc shows it."""

    pid: int
    name: str
    parent: int
    session: int
    command: bytes  # its command line, arguments separated by NUL bytes


def processes() -> list[Process]:
    """Every process running now (zombies left out: they have ended)."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            name, _, rest = (folder / "stat").read_text().partition("(")[2].rpartition(")")
            command = (folder / "cmdline").read_bytes()
        except OSError:  # it ended meanwhile
            continue
        state, parent, _, session = rest.split()[:4]
        if state != "Z":
            found.append(Process(int(folder.name), name, int(parent), int(session), command))
    return found
