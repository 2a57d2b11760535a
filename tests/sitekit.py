"""Copies of this repository's site in a temporary folder, for tests that build or break it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
    if pages:  # keep the images the chosen pages use, and no links to pages left out
        shutil.copytree(
            docs / "assets", dest / "docs" / "assets", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md")
        )
    return dest


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A command of the venv (mkdocs, helpcenter) in `cwd`, output captured as text."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600
    )
