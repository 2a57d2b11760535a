"""A build that fails while Pagefind is indexing (a strict build's warnings, a refused page) ends with
its own error only: the indexing it started is cancelled, not left for asyncio to complain about."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
