"""Every rule contributing/writing.md says `helpcenter check` enforces, broken once: check fails with
the file, the line and what to write instead. Links to pages and anchors are checked in the source
and in every translation that carries them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest
import yaml

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
    result = run("--config", str(root / "mkdocs.yml"), "check")
    return result.code, result.err


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


#: each rule broken once: {rule, old, new, line, error} (see the file's comment)
RULES = yaml.safe_load((Path(__file__).parent / "writing_rules.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule", RULES, ids=[r["rule"] for r in RULES])
def test_each_rule_is_an_error_at_its_line(rule: dict[str, Any], tmp_path: Path, run: Run) -> None:
    root = project(tmp_path, "本文です。")
    page = root / "docs" / PAGE
    text = page.read_text(encoding="utf-8")
    assert rule["old"] in text
    page.write_text(text.replace(rule["old"], rule["new"], 1), encoding="utf-8")
    code, err = check(root, run)
    assert code == 1
    where = f"docs/{PAGE}:{rule['line']}: error:"
    assert any(ln.startswith(where) and rule["error"] in ln for ln in err.splitlines()), err


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
