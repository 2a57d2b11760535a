"""The catalogs in the repository are standard PO files that gettext tools accept, and the
catalog semantics reviewers rely on (states, merges) hold."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from helpcenter import catalog
from helpcenter.catalog import State
from helpcenter.segment import parse

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted((ROOT / "translations").rglob("*.po"))


def test_every_catalog_passes_msgfmt_check_format() -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed (scripts/system-deps.sh installs it)"
    assert len(CATALOGS) >= 3 * 24
    for path in CATALOGS:  # one by one: given several files, msgfmt merges them into one domain
        result = subprocess.run(
            [msgfmt, "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-2000:]


def test_every_catalog_loads_cleanly() -> None:
    """What the repository holds loads without a CatalogError (no duplicate msgid, no BOM, UTF-8), in
    whatever review state it is: a merged machine-translation pull request is a normal state of main
    (`helpcenter status` shows it), not a failure."""
    for path in CATALOGS:
        page = path.relative_to(ROOT / "translations").as_posix()
        catalog.load(path, page.split("/")[0], page.split("/", 1)[1][:-3] + ".md")


def doc(text: str):  # type: ignore[no-untyped-def]
    return parse("x.md", "---\ntitle: 題\n---\n\n" + text)


def test_a_changed_source_keeps_the_old_translation_as_stale_with_the_previous_source() -> None:
    before = doc("出金は24時間受け付けています。\n")
    po = catalog.merge(before.units, catalog.new_catalog("en", "x.md"), "docs/x.md").po
    for entry in po:
        catalog.set_human(entry, "EN " + entry.msgid, "team")
    after = doc("出金は24時間いつでも受け付けています。\n")
    merged = catalog.merge(after.units, po, "docs/x.md")
    entry = merged.entries[1]
    assert catalog.state(entry) is State.STALE
    assert entry.previous_msgid == "出金は24時間受け付けています。"
    assert entry.msgstr == "EN 出金は24時間受け付けています。"
    assert catalog.previous_translation(entry) == entry.msgstr  # the reviewed text is kept visible


def test_a_removed_unit_becomes_obsolete_not_lost() -> None:
    first = doc("残る段落です。\n\n消える段落です。\n")
    po = catalog.merge(first.units, catalog.new_catalog("en", "x.md"), "docs/x.md").po
    for entry in po:
        catalog.set_human(entry, "EN", "team")
    merged = catalog.merge(doc("残る段落です。\n").units, po, "docs/x.md")
    obsolete = [e.msgid for e in merged.po if e.obsolete]
    assert obsolete == ["消える段落です。"]


def test_an_unrelated_new_unit_is_missing_not_matched_to_something_else() -> None:
    po = catalog.merge(doc("パスワードを変更してください。\n").units, catalog.new_catalog("en", "x.md"), "docs/x.md").po
    for entry in po:
        catalog.set_human(entry, "EN", "team")
    merged = catalog.merge(doc("入金の反映には時間がかかります。\n").units, po, "docs/x.md")
    assert catalog.state(merged.entries[1]) is State.MISSING


@pytest.mark.parametrize(
    ("fuzzy", "mark_matches", "expected"),
    [
        (False, False, State.REVIEWED),
        (True, True, State.MACHINE),
        (True, False, State.STALE),
    ],
)
def test_states_follow_gettext_semantics(fuzzy: bool, mark_matches: bool, expected: State) -> None:
    entry = polib.POEntry(msgid="原文", msgstr="text", flags=["fuzzy"] if fuzzy else [])
    source = "原文" if mark_matches else "古い原文"
    entry.tcomment = f"{catalog.MT_MARK} deepl EN-US {catalog.source_hash(source)}"
    assert catalog.state(entry) is expected
