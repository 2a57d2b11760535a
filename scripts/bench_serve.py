"""Benchmark: from saving a file to the reloaded page in the browser, under `mkdocs serve`.

Serves a copy of this repository (every article, 4 languages) twice: with our plugins (`make
serve`), and as plain MkDocs + Material + static-i18n serving the very pages our plugin staged
(scripts/bench_build.py's plain configuration, no plugin of ours). In headless Chromium (Debian's)
one page stays open, as a writer keeps it; each edit appends a new word to one paragraph and the
clock runs from the file's save to the `load` event of the page the live-reload script reloaded
with that word in it. Two kinds of edit, 10 each, on the same page:

- Markdown: a Japanese paragraph (ours: docs/…md; plain: the staged page), the Japanese page open;
- PO: an English paragraph (ours: translations/en/…po as Poedit saves it; plain: the staged
  page.en.md), the English page open.

After each edit the server is left to finish (ours: its full rebuild in the background) before the
next. Prints median and worst per kind, side by side, and the ratio of medians. Run:

    .venv/bin/python scripts/bench_serve.py [--edits 10]

Seconds depend on the machine's load: say under which load they were measured.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import plain_config
from browserkit import launch
from sitekit import copy_site, free_port, plain_paragraph, run

PAGE = "security/two-factor-setup"
OURS = "helpcenter plugins"
PLAIN = "plain MkDocs + Material + static-i18n"
WORDS = {"Markdown": "（改訂{}）", "PO": " (revision {})"}  # in the language of the text edited
Edit = Callable[[str], None]  # writes the file with this word in the paragraph


@contextmanager
def serving(root: Path, config: str, log: Path) -> Iterator[str]:
    """`mkdocs serve --livereload -f config` in `root`; yields its URL once the first build is served."""
    port = free_port()
    with log.open("w") as out:
        command = ["serve", "--livereload", "-f", config, "-a", f"127.0.0.1:{port}"]
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "mkdocs"), *command],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 180
            while "Serving on" not in log.read_text(encoding="utf-8", errors="replace"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"mkdocs serve did not start:\n{log.read_text(encoding='utf-8')[-3000:]}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def builds_done(log: Path) -> int:
    """Rebuilds serve has finished: its loop logs this after each, ours after the full pass."""
    return log.read_text(encoding="utf-8", errors="replace").count("Reloading browsers")


def settle(log: Path, before: int, timeout: float = 120) -> None:
    """Wait until serve has finished the rebuild an edit set off (and any reload after it)."""
    deadline = time.monotonic() + timeout
    while builds_done(log) <= before and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)


def timed_edit(page: Page, edit: Edit, word: str, log: Path) -> float:
    """Seconds from the save to the `load` of the reloaded page that shows `word`."""
    before = builds_done(log)
    start = time.perf_counter()
    edit(word)
    deadline = start + 120
    while True:
        try:
            with page.expect_event("load", timeout=max(1.0, deadline - time.perf_counter()) * 1000):
                pass
        except PlaywrightTimeout:
            tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
            sys.exit(f"{page.url}: no reload showing {word!r} within 120 s; serve said:\n{tail}")
        elapsed = time.perf_counter() - start
        if word in page.inner_text("article"):
            break
    settle(log, before)
    return elapsed


def appender(path: Path, anchor: str) -> Edit:
    """An edit of the line of `path` containing `anchor`: the anchor followed by the word."""
    original = path.read_text(encoding="utf-8")
    assert anchor in original, (path, anchor)

    def edit(word: str) -> None:
        path.write_text(original.replace(anchor, anchor + word, 1), encoding="utf-8")

    return edit


def po_appender(path: Path, anchor: str) -> Edit:
    """The same in the translation of a PO file, saved as Poedit does (the whole file rewritten)."""
    msgid, original = next((e.msgid, e.msgstr) for e in polib.pofile(str(path)) if anchor in e.msgstr)

    def edit(word: str) -> None:
        po = polib.pofile(str(path))
        entry = next(e for e in po if e.msgid == msgid)
        entry.msgstr = original.replace(anchor, anchor + word, 1)
        po.save()

    return edit


def first_sentence(text: str) -> str:
    """A piece of a paragraph that is also a piece of its rendered text (no markup)."""
    return re.split(r"(?<=[。.])", text.strip(), maxsplit=1)[0]


def measure(name: str, root: Path, config: str, edits: dict[str, tuple[str, Edit]], n: int) -> dict[str, list[float]]:
    log = root.parent / f"serve-{root.name}.log"
    times: dict[str, list[float]] = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        with serving(root, config, log) as base:
            for kind, (url, edit) in edits.items():
                page = browser.new_page()
                page.goto(base + url)
                page.wait_for_timeout(500)  # the live-reload script's first poll
                words = [WORDS[kind].format(i) for i in range(n)]
                times[kind] = [timed_edit(page, edit, word, log) for word in words]
                before = builds_done(log)
                edit("")  # the page as it was: a changed Japanese paragraph would hold back its translation
                settle(log, before)
                page.close()
        browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=10, help="edits of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-bench-serve-") as tmp:
        ours = copy_site(Path(tmp) / "ours", pages=None)
        plain = copy_site(Path(tmp) / "plain", pages=None)
        for root in (ours, plain):  # stages the pages (plain serves what ours staged)
            done = run(["mkdocs", "build", "-q"], root)
            if done.returncode:
                sys.exit(done.stderr[-3000:])
        po_file = ours / f"translations/en/{PAGE}.po"
        english = first_sentence(plain_paragraph(polib.pofile(str(po_file))).msgstr)
        japanese = first_sentence(plain_paragraph(polib.pofile(str(po_file))).msgid)
        staged = plain / ".cache/helpcenter/docs"
        ours_edits = {
            "Markdown": (f"{PAGE}/", appender(ours / f"docs/{PAGE}.md", japanese)),
            "PO": (f"en/{PAGE}/", po_appender(po_file, english)),
        }
        plain_edits = {
            "Markdown": (f"{PAGE}/", appender(staged / f"{PAGE}.md", japanese)),
            "PO": (f"en/{PAGE}/", appender(staged / f"{PAGE}.en.md", english)),
        }
        results = {
            OURS: measure(OURS, ours, "mkdocs.yml", ours_edits, args.edits),
            PLAIN: measure(PLAIN, plain, plain_config(plain).name, plain_edits, args.edits),
        }
    load = os.getloadavg()
    print(f"save -> reloaded page in Chromium, {args.edits} edits of each kind, {PAGE} (all pages, 4 languages)")
    print(f"{'serve':<40}{'edit':<10}{'median s':>9}{'worst s':>9}{'ratio':>7}  edits (s)")
    for name, kinds in results.items():
        for kind, times in kinds.items():
            ratio = statistics.median(times) / statistics.median(results[PLAIN][kind])
            print(
                f"{name:<40}{kind:<10}{statistics.median(times):>9.2f}{max(times):>9.2f}{ratio:>7.2f}"
                f"  {[round(t, 2) for t in times]}"
            )
    print(
        f"load average at the end (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    print("target: helpcenter plugins, median <= 1.0 s for each kind of edit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
