"""`mkdocs serve` for writers: a change to a Markdown source or a PO catalog shows on the next
reload, and the plugin's own staging writes do not set off endless rebuilds."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from sitekit import copy_site, mkdocs_serve, wait_for

PAGE = "security/two-factor-setup"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    root = copy_site(tmp_path / "repo")
    log = tmp_path / "serve.log"
    with mkdocs_serve(root, log) as base:
        wait_for(lambda: "data-translation-state" in fetch(base + f"en/{PAGE}/"), "the first build", timeout=90)
        yield root, base, log


def builds(log: Path) -> int:
    return log.read_text(encoding="utf-8").count("Building documentation...")


def test_edits_to_sources_and_catalogs_are_served_after_reload(server: tuple[Path, str, Path]) -> None:
    root, base, log = server
    po_file = root / f"translations/en/{PAGE}.po"
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if e.comment == "title")
    entry.msgstr = "Two-factor authentication, edited in Poedit"
    po.save()
    wait_for(lambda: "edited in Poedit" in fetch(base + f"en/{PAGE}/"), "the PO edit to show")

    article = root / f"docs/{PAGE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: ", "title: 【更新】", 1), encoding="utf-8")
    wait_for(lambda: "【更新】" in fetch(base + f"{PAGE}/"), "the Markdown edit to show")
    # the title's Japanese changed, and security articles publish only reviewed translations:
    # English readers get the title in current Japanese, never the old translation; the rest stays English
    wait_for(lambda: 'data-translation-state="partial"' in fetch(base + f"en/{PAGE}/"), "the partial notice")
    assert "【更新】" in fetch(base + f"en/{PAGE}/") and "edited in Poedit" not in fetch(base + f"en/{PAGE}/")

    settled = builds(log)
    time.sleep(5)
    assert builds(log) == settled, "the server keeps rebuilding by itself"
    assert not any((root / "docs").rglob("*.en.md")), "nothing is generated into docs/"
