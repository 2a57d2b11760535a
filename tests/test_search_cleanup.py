"""A build that fails while Pagefind is indexing (a strict build's warnings, a refused page) ends with
its own error only: the indexing it started is cancelled, not left for asyncio to complain about."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpcenter.search import Indexer, SearchIndexError
from sitekit import processes

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from helpcenter.search import Indexer

    out = Path(sys.argv[1])
    indexer = Indexer(out / "pagefind", default="ja")
    page = '<html lang="ja"><body><div class="md-content__inner"><h1>見出し</h1><p>{}</p></div></body></html>'
    for n in range(40):
        indexer.add(f"a{n}/index.html", page.format("本文 " * 200))
    indexer.flush()  # indexing runs in the background ...
    indexer.close()  # ... when the build fails: what MkDocs' on_build_error does
    print("closed")
    """
)


def test_a_failed_build_leaves_no_pending_indexing_task(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "closed" in result.stdout
    assert "Task was destroyed" not in result.stderr, result.stderr


def _pagefind_children() -> int:
    """Pagefind processes this test's process started that are still running."""
    return sum("pagefind" in p.name and p.parent == os.getpid() for p in processes())


PAGE = '<html lang="{}"><body><article class="md-content__inner"><h1>{}</h1><p>{}</p></article></body></html>'


def test_a_language_s_pagefind_stops_once_its_bundle_is_written(tmp_path: Path) -> None:
    """A serial build of eight languages kept eight Pagefind indexes in memory to the end (1.3 GB at
    1,000 articles): each one stops when its language is written, and the site's search still has
    every language."""
    indexer = Indexer(tmp_path / "pagefind", default="ja")
    try:
        for n in range(5):
            indexer.add(f"a{n}/index.html", PAGE.format("ja", "見出し", "出金の停止"))
        indexer.indexes["ja"].result(timeout=60)  # started
        assert _pagefind_children() == 1
        indexer.flush()
        assert indexer.jobs[-1].result(timeout=60) == ("ja", 5)
        assert _pagefind_children() == 0
        with pytest.raises(SearchIndexError, match=r"a9/index\.html"):
            indexer.add("a9/index.html", PAGE.format("ja", "見出し", "遅れて来たページ"))
        for n in range(3):
            indexer.add(f"en/a{n}/index.html", PAGE.format("en", "Title", "Withdrawals halted"))
        indexer.indexes["en"].result(timeout=60)
        assert _pagefind_children() == 1
        summary = indexer.finish()
    finally:
        indexer.close()
    assert summary.pages == {"ja": 5, "en": 3}
    assert _pagefind_children() == 0
    assert (tmp_path / "pagefind" / "ja" / "pagefind-entry.json").is_file()
    assert (tmp_path / "pagefind" / "en" / "pagefind-entry.json").is_file()
