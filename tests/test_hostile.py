"""Nothing a translator, DeepL, an import or a writer types can run script or send a reader elsewhere.

Every hostile string of tests/hostile.py is planted through every entry point (a PO entry of each kind
of unit, the Japanese source, `helpcenter import`) and must be an error naming the file and line.
"""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest

from conftest import Run, article, make_project
from helpcenter import catalog
from helpcenter.segment import Unit, parse
from hostile import HOSTILE, KINDS, SOURCE_HOSTILE

PAGE = "security/official.md"
BODY = """
公式サイトを確認してください。

## 公式サイトの確認

- 公式サイトのアドレスを確認してください。

| 項目 | 説明 |
| --- | --- |
| 公式サイト一覧 | 確認します |

!!! warning "注意"

    本文です。

## 公式サイトはどこですか？ { #where }

公式サイトはこちらです。
"""
#: The unit each entry point stands for, by its kind and text.
TARGETS = {
    "paragraph": ("paragraph", "公式サイトを確認してください。"),
    "heading": ("heading", "公式サイトの確認"),
    "cell": ("cell", "公式サイト一覧"),
    "list-item": ("paragraph", "公式サイトのアドレスを確認してください。"),
    "admonition-title": ("admonition-title", "注意"),
    "title": ("title", "公式サイトの見分け方"),
    "description": ("description", "公式サイトの見分け方の説明です。"),
    "faq-question": ("heading", "公式サイトはどこですか？"),
}
CATALOG = "translations/en/security/official.po"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = article("公式サイトの見分け方", BODY, category="security", description="公式サイトの見分け方の説明です。")
    root = make_project(tmp_path, {PAGE: text}, languages=["en"])
    monkeypatch.chdir(root)
    return root


def _entry_point(unit: Unit) -> str | None:
    return next((name for name, target in TARGETS.items() if target == (unit.kind, unit.text)), None)


def plant(root: Path, texts: dict[str, str]) -> dict[str, int]:
    """A reviewed English catalog with `texts` (entry point -> msgstr), the rest copied from the source;
    returns the PO line of each entry point."""
    doc = parse(PAGE, (root / "docs" / PAGE).read_text(encoding="utf-8"))
    assert {_entry_point(u) for u in doc.units} >= set(KINDS), "the article has every entry point"
    merged = catalog.merge(doc.units, catalog.new_catalog("en", PAGE), f"docs/{PAGE}")
    for unit, entry in zip(doc.units, merged.entries, strict=True):
        catalog.set_human(entry, texts.get(_entry_point(unit) or "", unit.text), "tester")
    path = root / CATALOG
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(merged.po, path)
    lines = {e.msgid: e.linenum for e in polib.pofile(str(path))}
    return {name: lines[text] for name, (_, text) in TARGETS.items()}


def test_the_untouched_article_passes(project: Path, run: Run) -> None:
    plant(project, {})
    result = run("check")
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize(("hostile", "kinds"), HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_a_hostile_translation_is_an_error_at_its_po_line_in_every_entry_point(
    project: Path, run: Run, hostile: str, kinds: tuple[str, ...]
) -> None:
    lines = plant(project, dict.fromkeys(kinds or KINDS, hostile))
    result = run("check")
    assert result.code == 1
    for kind in kinds or KINDS:
        assert f"{CATALOG}:{lines[kind]}: error:" in result.err, f"{kind}: {hostile!r} not caught\n{result.err}"


@pytest.mark.parametrize("hostile", SOURCE_HOSTILE, ids=[f"{i:02d}" for i in range(len(SOURCE_HOSTILE))])
def test_hostile_markup_in_the_japanese_source_is_an_error_at_its_line(project: Path, run: Run, hostile: str) -> None:
    path = project / "docs" / PAGE
    text = path.read_text(encoding="utf-8")
    first = text.count("\n") + 2
    path.write_text(text + "\n" + hostile + "\n", encoding="utf-8")
    result = run("check")
    assert result.code == 1
    lines = range(first, first + hostile.count("\n") + 1)
    assert any(f"docs/{PAGE}:{n}: error:" in result.err for n in lines), result.err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: 公式サイトの見分け方", 'title: "<script>alert(1)</script>"'),
        ("description: 公式サイトの見分け方の説明です。", 'description: "\\\\<img src=x onerror=alert(1)>"'),
        ("## 公式サイトはどこですか？", "## <img src=x onerror=alert(1)>どこですか？"),
        ("## 公式サイトはどこですか？", "## **公式**サイトはどこですか？"),
    ],
    ids=["title", "description", "faq-question", "faq-question-markdown"],
)
def test_plain_text_fields_of_the_source_hold_no_markup(project: Path, run: Run, old: str, new: str) -> None:
    path = project / "docs" / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = run("check")
    assert result.code == 1
    assert f"docs/{PAGE}:{line}: error: HTML or Markdown in plain text" in result.err, result.err


def test_import_refuses_hostile_units_naming_the_imported_file_and_line(project: Path, run: Run) -> None:
    plant(project, {})
    source = (project / "docs" / PAGE).read_text(encoding="utf-8")
    translated = (
        source.replace("公式サイトを確認してください。", "Check the [site](javascript:alert(1)).")
        .replace("公式サイトはこちらです。", "It is at hoshi-exchange.example.login-help.net.")
        .replace("公式サイトの見分け方の説明です。", "Help<img src=x onerror=alert(1)>")
    )
    incoming = Path("incoming") / PAGE
    incoming.parent.mkdir(parents=True)
    incoming.write_text(translated, encoding="utf-8")
    before = (project / CATALOG).read_bytes()
    result = run("import", "--lang", "en", "--translator", "Mallory", "--base", "incoming", str(incoming))
    assert result.code == 2
    lines = translated.splitlines()
    for needle in ("javascript:", "login-help.net", "onerror"):
        line = next(n for n, text in enumerate(lines, 1) if needle in text)
        assert f"{incoming}:{line}: error:" in result.err, result.err
    assert (project / CATALOG).read_bytes() == before, "nothing of the file is imported"


@pytest.mark.parametrize("where", ["docs/security/leak.md", "translations/en/security/official.po", "data/x.yml"])
@pytest.mark.parametrize("target", ["/etc/hostname", "missing-file"])
def test_a_symlink_out_of_the_repository_or_to_nothing_is_an_error(
    project: Path, run: Run, where: str, target: str
) -> None:
    link = project / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    os.symlink(target, link)
    result = run("check")
    assert result.code == 1
    assert f"{where}:1: error: a symbolic link to {target}" in result.err, result.err


@pytest.mark.parametrize(
    ("entry", "line", "needle"),
    [
        ('evil:\n  label: {ja: "公式<img src=x onerror=alert(1)>"}\n  value: "@Hoshi"\n', 5, "label of evil"),
        ('evil:\n  label: {ja: 公式}\n  value: "@Hoshi` <img src=x onerror=alert(1)> `"\n', 6, "evil: a value may not"),
        ("evil:\n  label: {ja: 公式}\n  value: http://www.hoshi-exchange.example\n", 6, "evil: an official URL"),
    ],
    ids=["label", "value", "http"],
)
def test_official_channels_publish_no_markup(project: Path, run: Run, entry: str, line: int, needle: str) -> None:
    data = project / "data"
    data.mkdir(exist_ok=True)
    (data / "channels.yml").write_text("website:\n  label: {ja: 公式サイト}\n  value: https://help.example\n" + entry)
    result = run("check")
    assert result.code == 1
    assert f"data/channels.yml:{line}: error: {needle}" in result.err, result.err
