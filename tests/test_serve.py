"""`mkdocs serve` for writers: a change to a Markdown source or a PO catalog shows on the next
reload, and the plugin's own staging writes do not set off endless rebuilds; in a browser, the open
page reloads with the edit, the last of two quick saves wins, and the site after the full rebuild is
the one a clean build makes."""

from __future__ import annotations

import gzip
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from playwright.sync_api import Browser, Page

from sitekit import ROOT, copy_site, mkdocs_serve, run, wait_for

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


# --- the live preview in a browser (helpcenter.mkdocs_plugins.preview): a quick pass, then the full build ---

MD_ANCHOR = "パスワードが漏れてしまっても、"  # a plain Japanese paragraph of PAGE, the same in its English PO entry


def settled(log: Path) -> bool:
    """serve has finished every rebuild it started (the last line about building is its loop's
    'Reloading browsers', which ours logs after the full build)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return text.rfind("Reloading browsers") > max(
        text.rfind("Detected file changes"), text.rfind("Building documentation")
    )


def shows_after_reload(page: Page, word: str, timeout: float = 120) -> None:
    """The open page reloads by itself (live reload) until its article contains `word`."""
    deadline = time.monotonic() + timeout
    while word not in page.inner_text("article"):
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"{page.url} never showed {word!r}")
        with page.expect_event("load", timeout=left * 1000):
            pass


def edit_markdown(root: Path, word: str) -> None:
    path = root / f"docs/{PAGE}.md"
    original = (ROOT / f"docs/{PAGE}.md").read_text(encoding="utf-8")
    path.write_text(original.replace(MD_ANCHOR, MD_ANCHOR + word, 1), encoding="utf-8")


@pytest.fixture
def live(tmp_path: Path, browser: Browser) -> Iterator[tuple[Path, str, Path, Page]]:
    """A served copy of the site with the Japanese page open in Chromium, as a writer keeps it."""
    root = copy_site(tmp_path / "repo")
    log = tmp_path / "serve.log"
    with mkdocs_serve(root, log) as base:
        wait_for(lambda: "data-translation-state" in fetch(base + f"en/{PAGE}/"), "the first build", timeout=120)
        page = browser.new_page()
        page.goto(base + f"{PAGE}/")
        yield root, base, log, page
        page.close()


@pytest.mark.browser
def test_an_edit_shows_in_the_open_page_in_its_language(live: tuple[Path, str, Path, Page]) -> None:
    root, base, log, page = live
    edit_markdown(root, "（改訂一）")
    shows_after_reload(page, "（改訂一）")
    wait_for(lambda: settled(log), "the full build after the edit")

    edit_markdown(root, "")  # the English translation of the paragraph is current again
    wait_for(lambda: settled(log) and MD_ANCHOR + "（改訂一）" not in fetch(base + f"{PAGE}/"), "the undo")
    page.goto(base + f"en/{PAGE}/")
    po_file = root / f"translations/en/{PAGE}.po"
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if e.msgid.startswith(MD_ANCHOR))
    entry.msgstr = entry.msgstr.replace(".", ". Edited in Poedit.", 1)
    po.save()
    shows_after_reload(page, "Edited in Poedit.")


@pytest.mark.browser
def test_a_save_during_the_rebuild_is_what_the_page_shows_at_the_end(live: tuple[Path, str, Path, Page]) -> None:
    root, base, log, page = live
    edit_markdown(root, "（改訂一）")
    shows_after_reload(page, "（改訂一）")  # the quick pass; the full build of this save runs now
    edit_markdown(root, "（改訂二）")
    shows_after_reload(page, "（改訂二）")
    wait_for(lambda: settled(log), "the rebuilds to end")
    page.reload()
    assert "（改訂二）" in page.inner_text("article"), "the first save's full build overwrote the second save"
    assert "（改訂一）" not in page.inner_text("article")
    served = fetch(base + f"{PAGE}/")
    assert "（改訂二）" in served and "（改訂一）" not in served


def _same_site(served: str, clean: str, files: list[str]) -> list[str]:
    """Files that differ between two servers of the site, apart from their address (serve makes it
    the site's URL), serve's live-reload script (its epoch differs) and the build time in the gzipped
    sitemap's header."""
    script = re.compile(rb"<script>\s*var livereload = .*?</script>", re.S)
    differ = []
    for rel in files:
        got = []
        for base in (served, clean):
            data = urllib.request.urlopen(base + rel, timeout=30).read()
            data = gzip.decompress(data) if rel.endswith(".gz") else data
            got.append(script.sub(b"", data.replace(base.encode(), b"http://site/")))
        if got[0] != got[1]:
            differ.append(rel)
    return differ


@pytest.mark.browser
def test_after_the_full_rebuild_the_served_site_is_the_one_a_clean_build_makes(
    live: tuple[Path, str, Path, Page], tmp_path: Path
) -> None:
    root, base, log, page = live
    page.goto(base + f"en/{PAGE}/")  # a quick pass of both Japanese and English
    edit_markdown(root, "（改訂一）")
    wait_for(lambda: "（改訂一）" in fetch(base + f"{PAGE}/"), "the edit to show")
    wait_for(lambda: settled(log), "the full build")
    built = run(["mkdocs", "build", "-q", "-d", str(tmp_path / "built")], root)  # the list of the site's files
    assert built.returncode == 0, built.stderr
    files = sorted(p.relative_to(tmp_path / "built").as_posix() for p in (tmp_path / "built").rglob("*") if p.is_file())
    assert f"{PAGE}/index.html" in files and f"en/{PAGE}/index.html" in files
    with mkdocs_serve(root, tmp_path / "clean.log") as clean:  # a fresh serve: its first build is clean
        wait_for(lambda: "（改訂一）" in fetch(clean + f"{PAGE}/"), "the clean build", timeout=120)
        differ = _same_site(base, clean, files)
        assert differ == [], f"{len(differ)} of {len(files)} files differ: {differ[:40]}"
