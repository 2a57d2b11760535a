"""QA of one translated unit against its source: what a reviewer is warned of, and what blocks."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from helpcenter.glossary import Glossary
from helpcenter.qa import check_unit as check
from helpcenter.safety import Renderer

ROOT = Path(__file__).resolve().parents[1]
#: The site's Python-Markdown (mkdocs.yml's markdown_extensions)
SITE = Renderer.of(["admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}])


def check_unit(source: str, translation: str, lang: str, glossary: Glossary) -> tuple[list[str], list[str]]:
    return check(source, translation, lang, glossary, SITE)


GLOSSARY = Glossary(
    {
        "出金": {"en": "withdrawal", "ko": "출금"},
        "出金先アドレス": {"en": "withdrawal address", "ko": "출금 주소"},
        "二段階認証": {"en": "two-factor authentication", "ko": "2단계 인증"},
        "お問い合わせ": {"en": "inquiry"},
    }
)


def test_a_glossary_term_not_used_is_a_warning_naming_the_longest_term() -> None:
    errors, warnings = check_unit("出金先アドレスを確認してください。", "Check the destination wallet.", "en", GLOSSARY)
    assert errors == []
    assert warnings == ["glossary term not used: 出金先アドレス → withdrawal address"]


def test_the_glossary_term_used_or_in_plural_gives_no_warning() -> None:
    assert check_unit("出金先アドレスを確認。", "Check the withdrawal address.", "en", GLOSSARY) == ([], [])
    assert check_unit("お問い合わせが増えています。", "Inquiries are rising.", "en", GLOSSARY) == ([], [])
    assert check_unit("出金を確認。", "Check it.", "zh", GLOSSARY) == ([], [])  # no zh term: nothing to use


def test_a_changed_number_is_a_warning_but_a_digit_inside_a_term_is_not() -> None:
    _, warnings = check_unit("出金は24時間以内に反映されます。", "Withdrawals arrive within 48 hours.", "en", GLOSSARY)
    assert warnings == ["number lost: 24", "number added: 48"]
    assert check_unit("二段階認証を設定。", "2단계 인증을 설정하세요.", "ko", GLOSSARY) == ([], [])


def test_a_lost_link_or_code_span_is_an_error() -> None:
    source = "[公式サイト](https://example.com/)で`123456`を入力。"
    errors, _ = check_unit(source, "Enter 123456 on the official site.", "en", Glossary())
    assert errors == [
        "inline code lost: 123456 (in p)",
        "link lost: https://example.com/ (in p)",
        "URL lost: https://example.com/",
    ]


#: What a translator can type: words, brackets as UI labels use them, and the pieces of block syntax.
_PIECES = [*"ab設定 \n\t[]():^-=?+.1", "  ", "---", "???", "1.", "1)", "[^", "](", "][", "]:", "[Settings]", "\u3000"]


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_text_the_checker_takes_for_plain_renders_as_one_paragraph_of_text(text: str) -> None:
    """A unit read as plain is not rendered when checked (most units are): were it wrong, a
    translation could add a rule, a heading, a list or a line break the check never sees."""
    renderer = Renderer.of(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"])
    if not renderer.plain(text) or not text.strip():
        return
    body = LexborHTMLParser(renderer.convert(text)).body
    tags = [node.tag for node in body.traverse(include_text=False)] if body else []
    assert tags == ["body", "p"], (text, renderer.convert(text))


def test_a_bracket_alone_is_text_but_a_link_is_not() -> None:
    assert SITE.plain("Tap [Settings] and then [Security].")
    assert not SITE.plain("Tap [Settings](https://evil.example).")
    assert not SITE.plain("Tap [Settings] [x]\n\n[x]: https://evil.example")
    assert check_unit("設定を開きます。", "Open [Settings](https://evil.example).", "en", Glossary({}))[0]
