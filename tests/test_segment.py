"""Segmenting Japanese Markdown into units, and splicing translations back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpcenter.segment import parse

DOCS = Path(__file__).resolve().parents[1] / "docs"

SAMPLE = """---
title: "二段階認証: 設定"
description: 説明です。
category: security
---

導入の段落です。**太字**と`code`と[リンク](../a.md#x)。
二行目です。

## 見出し { #faq-id }

- 項目 **太字**
  続き
    1. 入れ子の項目

!!! warning "注意"

    警告の本文です。

!!! note

    タイトルのない注記です。

=== "iPhone"

    iPhoneでの手順です。

| 項目 | 内容 |
| --- | --- |
| 出金 | 24時間 |
| 5 | `x` |

```
コードは翻訳しない
```

<!-- 書き手へのメモ -->

{{ channels.website }}

> 引用です。
"""


def kinds_and_texts(source: str) -> list[tuple[str, str]]:
    return [(u.kind, u.text) for u in parse("x.md", source).units]


def test_every_construct_yields_its_units_and_nothing_else() -> None:
    assert kinds_and_texts(SAMPLE) == [
        ("title", "二段階認証: 設定"),
        ("description", "説明です。"),
        ("paragraph", "導入の段落です。**太字**と`code`と[リンク](../a.md#x)。\n二行目です。"),
        ("heading", "見出し"),
        ("paragraph", "項目 **太字**\n続き"),
        ("paragraph", "入れ子の項目"),
        ("admonition-title", "注意"),
        ("paragraph", "警告の本文です。"),
        ("paragraph", "タイトルのない注記です。"),
        ("tab-title", "iPhone"),
        ("paragraph", "iPhoneでの手順です。"),
        ("cell", "項目"),
        ("cell", "内容"),
        ("cell", "出金"),
        ("cell", "24時間"),
        ("paragraph", "引用です。"),
    ]


def test_units_carry_their_line_and_section() -> None:
    units = parse("x.md", SAMPLE).units
    body = next(u for u in units if u.text == "警告の本文です。")
    assert body.line == 18
    assert (body.section, body.anchor) == ("見出し", "faq-id")


def test_translations_are_spliced_into_the_source_lines() -> None:
    doc = parse("x.md", SAMPLE)
    english = {
        0: "Two-factor: setup",
        2: "An intro with **bold**, `code` and [a link](../a.md#x).\nSecond line.",
        3: "Heading",
        4: "Item **bold**\ncontinued",
        6: "Caution",
        9: "On iPhone",
        13: "Withdrawal",
    }
    out = doc.render(english)
    assert "title: 'Two-factor: setup'" in out  # YAML stays valid
    assert "## Heading { #faq-id }" in out  # the id is kept
    assert "- Item **bold**\n  continued\n" in out  # continuation keeps the list indentation
    assert '!!! warning "Caution"' in out
    assert '=== "On iPhone"' in out
    assert "| Withdrawal | 24時間 |" in out
    assert "```\nコードは翻訳しない\n```" in out
    assert "<!-- 書き手へのメモ -->" in out
    assert [u.kind for u in parse("x.md", out).units] == [u.kind for u in doc.units]


def test_headings_without_an_id_get_the_japanese_pages_id_in_every_language() -> None:
    doc = parse("x.md", "## 出金について\n\n本文。\n\n## 出金について\n")
    assert (
        doc.render(ids=True) == "## 出金について { #出金について }\n\n本文。\n\n## 出金について { #出金について_1 }\n"
    )
    translated = doc.render({0: "About withdrawals", 2: "About withdrawals"}, ids=True)
    assert translated.startswith("## About withdrawals { #出金について }")


@pytest.mark.parametrize("path", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")))
def test_every_article_round_trips_byte_for_byte(path: str) -> None:
    source = (DOCS / path).read_text(encoding="utf-8")
    doc = parse(path, source)
    assert doc.units, "every page has something to translate"
    assert doc.render() == source
    assert doc.render({i: u.text for i, u in enumerate(doc.units)}) == source


# Documents built from the constructs writers use, with text that includes markup characters.
_text = (
    st.text(alphabet=st.sampled_from(list("あいう漢字カナabc 123*_`[]()#>|-!:\"'{}\\")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
_blocks = st.one_of(
    _text.map(lambda t: t + "\n"),
    _text.map(lambda t: "## " + t + "\n"),
    st.lists(_text, min_size=1, max_size=3).map(lambda items: "".join(f"- {i}\n" for i in items)),
    st.lists(_text, min_size=1, max_size=3).map(lambda items: "".join(f"{n}. {i}\n" for n, i in enumerate(items, 1))),
    st.tuples(_text, _text).map(lambda p: f'!!! note "{p[0]}"\n\n    {p[1]}\n'),
    st.tuples(_text, _text).map(lambda p: f'=== "{p[0]}"\n\n    {p[1]}\n'),
    st.tuples(_text, _text).map(lambda p: f"| a | b |\n| --- | --- |\n| {p[0]} | {p[1]} |\n"),
    _text.map(lambda t: f"```\n{t}\n```\n"),
    _text.map(lambda t: f"> {t}\n> {t}\n"),
    _text.map(lambda t: f"<!-- {t} -->\n"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_blocks, min_size=1, max_size=8), st.sampled_from(["\n", "\n\n"]))
def test_any_document_round_trips_byte_for_byte(blocks: list[str], gap: str) -> None:
    source = "---\ntitle: テスト\n---\n\n" + gap.join(blocks)
    doc = parse("x.md", source)
    assert doc.render({i: u.text for i, u in enumerate(doc.units)}) == source
