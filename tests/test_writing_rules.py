"""Every rule contributing/writing.md says `helpcenter check` enforces, broken once: check fails with
the file, the line and what to write instead. Links to pages and anchors are checked in the source
and in every translation that carries them."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest

from conftest import Run, article, make_project

PAGE = "support/contact.md"
CHANNELS = """\
website:
  label: {ja: 公式ウェブサイト, en: Official website}
  value: https://www.hoshi-exchange.example
email_sender:
  label: {ja: メール送信元アドレス, en: Email sender address}
  value: no-reply@mail.hoshi-exchange.example
sms_sender:
  label: {ja: SMS送信元番号, en: SMS sender number}
  value: "0120-000-123"
x_account:
  label: {ja: 公式Xアカウント, en: Official X account}
  value: "@HoshiExchange"
"""
TARGET = article(
    "二段階認証を設定する",
    """
    ## 手順

    認証アプリで設定します。

    ### スマートフォンを紛失した場合は？ { #lost-device }

    お問い合わせください。

    連絡先の一覧です。
    { #channel-list }
    """,
    category="security",
)


def project(tmp_path: Path, body: str, path: str = PAGE) -> Path:
    """A project whose page `path` has `body` (its front matter takes lines 1-7, the body starts at 9)."""
    root = make_project(
        tmp_path / "site", {path: article("お問い合わせ", body), "security/two-factor-setup.md": TARGET}, ("en",)
    )
    (root / "data").mkdir()
    (root / "data/channels.yml").write_text(CHANNELS, encoding="utf-8")
    return root


def check(root: Path, run: Run) -> tuple[int, str]:
    os.chdir(root)
    result = run("check")
    return result.code, result.err


RULES = {
    "no # heading": ("# 見出し\n\n本文です。", 8, "a `#` heading"),
    "exchange name by hand": ("Hoshi Exchangeのアカウントです。", 8, "write {{ exchange }}"),
    "domain by hand": ("公式サイトは www.hoshi-exchange.example です。", 8, "write {{ channels.website }}"),
    "URL by hand": ("[公式サイト](https://www.hoshi-exchange.example/login)を開きます。", 8, "channels.website"),
    "address by hand": ("送信元は no-reply@mail.hoshi-exchange.example です。", 8, "write {{ channels.email_sender }}"),
    "phone number by hand": ("番号は0120-000-123です。", 8, "write {{ channels.sms_sender }}"),
    "account by hand": ("公式アカウントは@HoshiExchangeです。", 8, "write {{ channels.x_account }}"),
    "two-space nesting": ("1. 手順1です。\n  - 補足です。\n2. 手順2です。", 9, "nest lists by four spaces"),
    "one paragraph per line": ("一行目です。\n二行目も同じ段落です。", 9, "one paragraph per line"),
    "link to a missing page": ("[設定](../security/two-factor.md)をご覧ください。", 8, "no such page"),
    "link to a missing anchor": (
        "[紛失](../security/two-factor-setup.md#lost-phone)をご覧ください。",
        8,
        "has no heading or id #lost-phone (did you mean lost-device?)",
    ),
    "link to a missing anchor on the same page": ("## 手順\n\n[下へ](#step-2)", 10, "has no heading or id #step-2"),
    "link to a missing image": ("![図](../assets/flow.svg)", 8, "no such file docs/assets/flow.svg"),
    "link to a page's URL": ("[設定](../security/two-factor-setup/)をご覧ください。", 8, "link to the page's .md file"),
    "absolute link": ("[確かめる](/verify/)をご覧ください。", 8, "relative path"),
}


@pytest.mark.parametrize("name", RULES)
def test_each_rule_is_an_error_at_its_line(name: str, tmp_path: Path, run: Run) -> None:
    body, line, what = RULES[name]
    code, err = check(project(tmp_path, body), run)
    assert code == 1
    assert any(ln.startswith(f"docs/{PAGE}:{line}: error:") and what in ln for ln in err.splitlines()), err


GOOD = """\
{{ exchange }}のアカウントです。公式サイトは{{ channels.website }}、送信元は{{ channels.email_sender }}です。

1. 手順1です。
    - 補足です。
2. [紛失したとき](../security/two-factor-setup.md#lost-device)をご覧ください。
3. [一覧](../security/two-factor-setup.md#channel-list)をご覧ください。

## 手順

[上へ](#手順)

<!-- Hoshi Exchange の名前はメモの中なら書いてよい -->
"""


def test_what_the_guide_shows_passes(tmp_path: Path, run: Run) -> None:
    code, err = check(project(tmp_path, GOOD), run)
    assert code == 0, err


@pytest.mark.parametrize("name", ["Two_Factor.md", "二段階認証.md", "two factor.md"])
def test_a_file_name_that_is_not_a_lowercase_ascii_slug_is_an_error(name: str, tmp_path: Path, run: Run) -> None:
    code, err = check(project(tmp_path, "本文です。", f"support/{name}"), run)
    assert code == 1
    assert f"docs/support/{name}:1: error: file or folder name" in err, err


#: The front matter and heading rules (meta.py), each broken in the page's text: (old, new, line, message)
PAGE_RULES = {
    "no front matter": ("---\ntitle: お問い合わせ", "title: お問い合わせ", 1, "no front matter"),
    "title required": ("title: お問い合わせ\n", "", 1, "missing `title:`"),
    "description required": ("description: お問い合わせについての説明です。\n", "", 1, "missing `description:`"),
    "last_reviewed required": ("last_reviewed: 2026-11-20\n", "", 1, "missing `last_reviewed:`"),
    "last_reviewed is a date": ("2026-11-20", "先週", 5, "must be a date like 2026-11-20"),
    "unknown key": ("category: support", "category: support\ntags: [a]", 5, "unknown front matter key 'tags'"),
    "category is a folder": ("category: support", "category: suport", 4, "did you mean 'support'?"),
    "category matches the folder": ("category: support", "category: security", 4, "does not match the folder"),
    "incident types exist": (
        "category: support",
        "category: support\nincidents: [phising]",
        5,
        "unknown incident type",
    ),
    "first_aid among incidents": ("category: support", "category: support\nfirst_aid: [outage]", 5, "first_aid"),
    "plain-text title": ("title: お問い合わせ", "title: お問い合わせ **至急**", 2, "HTML or Markdown in plain text"),
    "FAQ question has an id": ("本文です。", "## 届きませんか？\n\n本文です。", 8, "needs a stable id"),
    "heading id format": ("本文です。", "## 届かない { #Not_Arrived }\n\n本文です。", 8, "lowercase ASCII words"),
    "heading id unique": ("本文です。", "## 一 { #same }\n\n## 二 { #same }\n\n本文です。", 10, "used twice"),
    "known placeholders": ("本文です。", "{{ channels.fax }}に送ります。", 8, "unknown placeholder"),
}


@pytest.mark.parametrize("name", PAGE_RULES)
def test_each_front_matter_and_heading_rule_is_an_error_at_its_line(name: str, tmp_path: Path, run: Run) -> None:
    old, new, line, what = PAGE_RULES[name]
    root = project(tmp_path, "本文です。")
    page = root / "docs" / PAGE
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, err = check(root, run)
    assert code == 1
    assert any(ln.startswith(f"docs/{PAGE}:{line}: error:") and what in ln for ln in err.splitlines()), err


@pytest.mark.parametrize("hide", ["[sidebar]", "navigation"])
def test_hide_takes_only_what_the_theme_hides(hide: str, tmp_path: Path, run: Run) -> None:
    root = project(tmp_path, "本文です。")
    page = root / "docs" / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", f"---\nhide: {hide}\n", 1), encoding="utf-8")
    code, err = check(root, run)
    assert code == 1
    assert f"docs/{PAGE}:2: error: `hide` lists what to hide on this page, among navigation, toc" in err, err

    page.write_text(page.read_text(encoding="utf-8").replace(f"hide: {hide}", "hide: [navigation, toc]"), "utf-8")
    assert check(root, run) == (0, "")


def test_a_broken_link_is_reported_in_every_translation_at_the_po_line(tmp_path: Path, run: Run) -> None:
    """The linked page is deleted: the source and the English catalog carrying the link both say so."""
    body = "[設定](../security/two-factor-setup.md#lost-device)をご覧ください。"
    root = project(tmp_path, body)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    po.append(polib.POEntry(msgid=body, msgstr="See [setup](../security/two-factor-setup.md#lost-device)."))
    catalog = root / "translations/en/support/contact.po"
    catalog.parent.mkdir(parents=True)
    po.save(str(catalog))
    line = next(
        n for n, text in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1) if text.startswith('msgid "[')
    )
    assert check(root, run)[0] == 0

    (root / "docs/security/two-factor-setup.md").unlink()
    code, err = check(root, run)
    assert code == 1
    assert f"docs/{PAGE}:8: error: broken link ../security/two-factor-setup.md#lost-device: no such page" in err
    po_lines = [ln for ln in err.splitlines() if ln.startswith("translations/en/support/contact.po:")]
    assert po_lines and "no such page docs/security/two-factor-setup.md" in po_lines[0], err
    assert int(po_lines[0].split(":")[1]) == line, (po_lines, catalog.read_text(encoding="utf-8"))
