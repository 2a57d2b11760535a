"""`helpcenter verify`: the shared table of cases (the page must give the same answers, see
test_verify_page.py), exit codes, and the two properties readers rely on, generated from every official
value of data/channels.yml: a way of writing an official value is official, and a value changed by a
character or two, or written with a lookalike character, never is."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpcenter.placeholders import load_channels
from helpcenter.verify import OFFICIAL, confusables, phone_digits, verifier

ROOT = Path(__file__).resolve().parents[1]
CASES: list[dict[str, Any]] = yaml.safe_load((ROOT / "tests/verify_cases.yml").read_text(encoding="utf-8"))
CHANNELS = load_channels(ROOT / "data/channels.yml")
CHECK = verifier(CHANNELS)
ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
#: Unicode's lookalikes of each ASCII letter or digit that survive NFKC (full-width letters do not:
#: browsers fold them to ASCII, and so does the check), letters and digits only.
LOOKALIKES: dict[str, list[str]] = {}
for _char, _ascii in confusables()[0].items():
    if unicodedata.normalize("NFKC", _char) == _char and unicodedata.category(_char)[0] in "LN":
        LOOKALIKES.setdefault(_ascii, []).append(_char)


def test_table_is_large_and_covers_every_verdict_and_channel() -> None:
    assert len(CASES) >= 60
    assert {c["verdict"] for c in CASES} == {"official", "not-official", "unknown"}
    assert {c.get("channel") for c in CASES} >= set(CHANNELS) - {"android_app"}  # same value as ios_app


def test_cli_agrees_with_the_shared_table(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("verify", "--json", *(c["input"] for c in CASES))
    assert result.code == 1, result.err
    answers = json.loads(result.out)
    wrong = [
        (case, {k: answer[k] for k in case})
        for case, answer in zip(CASES, answers, strict=True)
        if any(answer[k] != v for k, v in case.items())
    ]
    assert not wrong, "\n".join(f"{c}\n  got {a}" for c, a in wrong)
    assert all(a["message"] for a in answers)


def test_exit_code_says_whether_everything_is_official(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    ok = run("verify", "@HoshiExchange", "0120-000-123")
    assert ok.code == 0 and ok.out.count("\tOfficial\t") == 2
    mixed = run("verify", "--lang", "ja", "@HoshiExchange", "@HoshiExchang")
    assert mixed.code == 1
    assert "公式ではありません" in mixed.out and "公式Xアカウント" in mixed.out


# --- properties -----------------------------------------------------------------------------------


def core(key: str) -> str:
    """The part of an official value a lookalike changes: the host, address, handle, digits or name."""
    value = CHANNELS[key].value
    if value.startswith("https://"):
        return value.removeprefix("https://").split("/")[0]
    return value.removeprefix("@")


def rebuild(key: str, new_core: str) -> str:
    value = CHANNELS[key].value
    if value.startswith("https://"):
        return "https://" + new_core + value.removeprefix("https://" + core(key))
    return "@" + new_core if value.startswith("@") else new_core


@st.composite
def official_variants(draw: st.DrawFn) -> tuple[str, str]:
    """An official value as a reader may receive it: case, notation, www., scheme, path, width."""
    key = draw(st.sampled_from(sorted(CHANNELS)))
    value = CHANNELS[key].value
    flip = draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)))
    if value.startswith("https://"):
        host, _, path = value.removeprefix("https://").partition("/")
        host = "".join(c.upper() if f else c for c, f in zip(host, flip, strict=False))
        if draw(st.booleans()):
            host = host.removeprefix("www.") if host.lower().startswith("www.") else "www." + host
        host += draw(st.sampled_from(["", ".", ":443"]))
        path = "/" + path if path else draw(st.sampled_from(["", "/", "/news/1", "/login?next=%2F"]))
        if path.strip("/") and draw(st.booleans()):
            path += draw(st.sampled_from(["/", "?ref=mail", "#faq"]))
        text = draw(st.sampled_from(["https://", "http://", ""])) + host + path
    elif phone_digits(value):
        digits = phone_digits(value) or ""
        seps = draw(st.lists(st.sampled_from(["", "-", " ", "‐", "・"]), min_size=len(digits), max_size=len(digits)))
        national = "".join(d + s for d, s in zip(digits[:-1], seps, strict=False)) + digits[-1]
        text = draw(st.sampled_from([national, "+81 " + national[1:], "+81 (0)" + national[1:], "tel:" + national]))
    else:
        text = "".join(c.swapcase() if f else c for c, f in zip(value, flip, strict=True))
        text = draw(st.sampled_from(["", "  ", "\t"])) + text + draw(st.sampled_from(["", " ", "\n"]))
    if draw(st.booleans()):  # full-width, as Japanese input methods type it
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    return key, text


@settings(max_examples=400, deadline=None)
@given(official_variants())
def test_official_values_in_any_notation_are_official(case: tuple[str, str]) -> None:
    key, text = case
    result = CHECK.verify(text)
    same_value = {k for k, c in CHANNELS.items() if c.value == CHANNELS[key].value}
    assert result.verdict == OFFICIAL, (text, result)
    assert result.channel in same_value, (text, result)


@st.composite
def lookalikes(draw: st.DrawFn) -> tuple[str, str]:
    """An official value with one or two characters inserted, deleted, replaced (by another character
    or by one of Unicode's lookalikes of it)."""
    key = draw(st.sampled_from(sorted(CHANNELS)))
    text = core(key)
    chars = "0123456789" if phone_digits(text) else ALNUM  # a number stays a number
    for _ in range(draw(st.integers(1, 2))):
        spots = [i for i, c in enumerate(text) if c.isascii() and c.isalnum()]
        i = draw(st.sampled_from(spots))
        old = text[i].lower()
        edit = draw(st.sampled_from(["insert", "delete", "replace", "lookalike"]))
        if edit == "insert":
            text = text[:i] + draw(st.sampled_from(chars)) + text[i:]
        elif edit == "replace":
            text = text[:i] + draw(st.sampled_from([c for c in chars if c != old])) + text[i + 1 :]
        elif edit == "lookalike" and LOOKALIKES.get(old):
            text = text[:i] + draw(st.sampled_from(LOOKALIKES[old])) + text[i + 1 :]
        else:
            text = text[:i] + text[i + 1 :]
    same = phone_digits(text) == phone_digits(core(key)) if chars.isdigit() else text.lower() == core(key).lower()
    assume(not same)  # edits that undo each other
    return key, rebuild(key, text)


@settings(max_examples=600, deadline=None)
@given(lookalikes())
def test_lookalikes_are_never_official_and_name_what_they_imitate(case: tuple[str, str]) -> None:
    key, text = case
    result = CHECK.verify(text)
    assert result.verdict != OFFICIAL, (text, result)
    same_value = {k for k, c in CHANNELS.items() if c.value == CHANNELS[key].value}
    assert result.verdict == "not-official" and result.lookalike_of in same_value, (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "https://{}@evil.test/",
        "https://evil.test/{}",
        "{}.evil.test",
        "{}.evil.test.",
        "https://{}.login-help.net/",
    ],
)
def test_official_names_inside_other_addresses_are_not_official(text: str) -> None:
    for key, channel in CHANNELS.items():
        if channel.value.startswith("https://"):
            result = CHECK.verify(text.format(core(key)))
            assert result.verdict == "not-official", (text, key, result)


def test_a_site_with_fewer_kinds_of_channel_still_answers() -> None:
    """A help center that lists only its website: lookalike addresses and accounts are still not official."""
    only_site = verifier({"website": CHANNELS["website"]})
    for text in ("support@hoshi-exchange-help.example", "@HoshiExchange_Support", "0120-000-123"):
        result = only_site.verify(text)
        assert result.verdict == "not-official" and result.lookalike_of is None, result
    assert only_site.verify("www.hoshi-exchange.example").channel == "website"
