"""A writer's or translator's mistake stops the strict build and `helpcenter check` with the file,
the line and what to fix, and never with a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from sitekit import copy_site, run

ARTICLE = "docs/security/two-factor-setup.md"
CATALOG = "translations/en/security/two-factor-setup.po"
BOLD = "translations/en/security/what-we-never-ask.po"
CODE = "translations/zh/trading/wrong-asset-or-amount.po"


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def break_msgstr(catalog: str, needle: str, transform: Callable[[str], str]) -> Callable[[Path], None]:
    """Change the English translation of the first paragraph whose msgstr contains `needle`."""

    def apply(root: Path) -> None:
        po = polib.pofile(str(root / catalog))
        entry = next(e for e in po if needle in e.msgstr and e.comment.startswith("paragraph"))
        entry.msgstr = transform(entry.msgstr)
        po.save()

    return apply


def duplicate_entry(catalog: str) -> Callable[[Path], None]:
    """A second entry for the msgid of a reviewed one: polib keeps the last, msgfmt rejects the file."""

    def apply(root: Path) -> None:
        po = polib.pofile(str(root / catalog))
        entry = next(e for e in po if e.msgstr and not e.fuzzy and not e.obsolete)
        with (root / catalog).open("a", encoding="utf-8") as f:
            f.write(f'\nmsgid "{entry.msgid}"\nmsgstr "something else"\n')

    return apply


def prepend(path: str, data: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).write_bytes(data + (root / path).read_bytes())

    return apply


MISTAKES = {
    "malformed YAML": (edit(ARTICLE, "category: security", "category: [security"), ARTICLE + ":", "not valid YAML"),
    "missing title": (edit(ARTICLE, "title: ", "titl: "), ARTICLE + ":1:", "missing `title:`"),
    "unknown key": (
        edit(ARTICLE, "category: security", "category: security\ntags: [x]"),
        ARTICLE + ":5:",
        "unknown front matter key 'tags'",
    ),
    "unknown category": (
        edit(ARTICLE, "category: security", "category: securty"),
        ARTICLE + ":4:",
        "did you mean 'security'",
    ),
    "unknown incident": (
        edit(ARTICLE, "incidents: [", "incidents: [phising, "),
        ARTICLE + ":5:",
        "did you mean 'phishing'",
    ),
    "FAQ question without id": (edit(ARTICLE, "？ { #lost-device }", "？"), ARTICLE + ":", "stable id"),
    "PO syntax error": (
        edit(CATALOG, 'msgid "二段階認証を設定する"', 'msgid "二段階認証を設定する'),
        CATALOG + ":",
        "cannot be read",
    ),
    "duplicate msgid (msgfmt rejects it)": (duplicate_entry(CATALOG), CATALOG + ":", "defined twice"),
    "PO file with a byte-order mark (msgfmt rejects it)": (
        prepend(CATALOG, b"\xef\xbb\xbf"),
        CATALOG + ":1:",
        "byte-order mark",
    ),
    "unclosed bold": (break_msgstr(BOLD, "**", lambda s: s.replace("**", "", 1)), BOLD + ":", "unclosed markup"),
    "dropped link": (break_msgstr(CATALOG, "](", lambda s: s.replace("](", " (", 1)), CATALOG + ":", "link lost"),
    "dropped code span": (break_msgstr(CODE, "`", lambda s: s.replace("`", "", 2)), CODE + ":", "inline code lost"),
    "link to a page that does not exist": (
        edit("docs/phishing/if-you-were-phished.md", "(../security/two-factor-setup.md)", "(../security/2fa.md)"),
        "docs/phishing/if-you-were-phished.md:",
        "broken link ../security/2fa.md: no such page",
    ),
    "link to an anchor that does not exist": (
        edit("docs/outage/scheduled-maintenance.md", "#cancel-during-halt", "#cancel-while-halted"),
        "docs/outage/scheduled-maintenance.md:",
        "has no heading or id #cancel-while-halted",
    ),
}


@pytest.fixture(scope="module")
def site_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(tmp_path_factory.mktemp("clean"), pages=None)


def test_the_clean_site_passes_both(site_copy: Path) -> None:
    assert run(["helpcenter", "check"], site_copy).returncode == 0
    build = run(["mkdocs", "build", "--strict"], site_copy)
    assert build.returncode == 0, build.stderr[-3000:]


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_stops_strict_build_and_check(name: str, tmp_path: Path) -> None:
    plant, where, what = MISTAKES[name]
    root = copy_site(tmp_path, pages=None)
    plant(root)
    check = run(["helpcenter", "check"], root)
    build = run(["mkdocs", "build", "--strict"], root)
    for result in (check, build):
        output = result.stdout + result.stderr
        assert result.returncode != 0, output[-2000:]
        assert "Traceback" not in output
        assert "Task was destroyed" not in output, "a failed build stops its background work"
        line = next((ln for ln in output.splitlines() if where in ln and what in ln), None)
        assert line is not None, f"no line naming {where} and {what!r} in:\n{output[-3000:]}"


def test_a_rebuild_from_the_cache_reports_the_same_mistake_and_a_fix_is_seen(tmp_path: Path) -> None:
    """Unchanged pages come from .cache/helpcenter between builds; their findings must come with them."""
    root = copy_site(tmp_path)  # a few pages
    cache = root / ".cache/helpcenter/pages.pickle"
    english = root / "site/en/security/two-factor-setup/index.html"
    original = (root / CATALOG).read_text(encoding="utf-8")
    MISTAKES["dropped link"][0](root)
    reported, stamps = [], []
    for _ in range(2):
        build = run(["mkdocs", "build"], root)
        assert build.returncode == 0, build.stderr[-3000:]
        reported.append([ln for ln in build.stderr.splitlines() if CATALOG in ln and "link lost" in ln])
        assert 'data-translation-state="partial"' in english.read_text(encoding="utf-8")  # that unit in Japanese
        stamps.append(cache.stat().st_mtime_ns)
    assert reported[0] and reported[0] == reported[1]
    assert stamps[0] == stamps[1], "nothing changed: the second build reads the cache and does not rewrite it"

    (root / CATALOG).write_text(original, encoding="utf-8")
    build = run(["mkdocs", "build"], root)
    assert "link lost" not in build.stderr
    assert 'data-translation-state="reviewed"' in english.read_text(encoding="utf-8"), "the fix is published"

    cache.write_bytes(b"not a pickle")  # a damaged cache is rebuilt, never an error
    build = run(["mkdocs", "build"], root)
    assert build.returncode == 0, build.stderr[-3000:]
    assert cache.read_bytes() != b"not a pickle"
