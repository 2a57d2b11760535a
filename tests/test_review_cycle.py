"""Review workflow: translate → review → approve → the Japanese changes → stale → retranslate → review
the change → approve; edits made in a PO editor; approving one unit; what each policy publishes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import deepl
import polib
import pytest

from conftest import Run, article, make_project
from deepl_server import DeepLServer
from helpcenter import catalog, cli
from helpcenter.corpus import Corpus, load_corpus
from helpcenter.project import load as load_project
from helpcenter.segment import parse

OLD = "お問い合わせの前に、登録メールアドレスをご確認ください。"
NEW = "お問い合わせの前に、登録した電話番号をご確認ください。"
CONTACT = article(
    "お問い合わせの方法",
    f"""
    {OLD}

    ## 返信までの時間

    通常は二営業日以内に返信します。
    """,
)
PAGE = "support/contact.md"
REVIEWER = "Rei Tanaka"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, srv: DeepLServer, fast_deepl: None) -> Path:
    root = make_project(tmp_path, {PAGE: CONTACT})
    monkeypatch.chdir(root)
    (tmp_path / "gitconfig").write_text(f"[user]\n\tname = {REVIEWER}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # who approves, as on a reviewer's machine
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("DEEPL_AUTH_KEY", srv.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", srv.url)
    return root


def status(run: Run, lang: str = "en", page: str = PAGE) -> dict[str, Any]:
    result = run("status", "--json")
    assert result.code == 0, result.err
    counts: dict[str, Any] = json.loads(result.out)["languages"][lang]["pages"][f"docs/{page}"]
    return counts


def po_path(root: Path, lang: str = "en", page: str = PAGE) -> Path:
    return catalog.catalog_path(root / "translations", lang, page)


def find(root: Path, msgid: str, lang: str = "en") -> polib.POEntry:
    found = polib.pofile(str(po_path(root, lang))).find(msgid)
    assert found is not None
    return found


def line_of(root: Path, text: str, page: str = PAGE) -> int:
    lines = (root / "docs" / page).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def corpus(root: Path) -> Corpus:
    return load_corpus(load_project(root / "mkdocs.yml"))


def shown(root: Path, page: str, lang: str) -> tuple[str, str]:
    """(state, reason) of a page in a language, as the site would publish it."""
    loaded = corpus(root)
    language = next(x for x in loaded.languages if x.code == lang)
    result = loaded.translation(page, language)
    return result.state, result.reason


def test_the_whole_review_cycle(project: Path, run: Run, srv: DeepLServer) -> None:
    assert run("translate").code == 0
    assert status(run) == {"reviewed": 0, "machine": 5, "stale": 0, "missing": 0}

    listing = run("review", "--lang", "en", f"docs/{PAGE}")
    assert listing.code == 0
    assert f"docs/{PAGE}:{line_of(project, OLD)} [en] machine" in listing.out
    assert f"Japanese: {OLD}" in listing.out
    assert f"new translation: ⟦EN-US⟧{OLD}" in listing.out
    assert "5 unit(s) to review" in listing.out

    approved = run("review", "--approve", "--lang", "en")
    assert "approved 6 unit(s)" in approved.out  # the page's 5 and its category page's title
    assert status(run) == {"reviewed": 5, "machine": 0, "stale": 0, "missing": 0}
    assert status(run, "zh") == {"reviewed": 0, "machine": 5, "stale": 0, "missing": 0}
    assert "nothing to review" in run("review", "--lang", "en").out

    # The Japanese changes: stale at once, before any retranslation, the reviewed text kept.
    source = project / "docs" / PAGE
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    on_disk = po_path(project).read_bytes()
    assert status(run) == {"reviewed": 4, "machine": 0, "stale": 1, "missing": 0}
    stale = run("review", "--lang", "en")
    assert f"docs/{PAGE}:{line_of(project, NEW)} [en] stale" in stale.out
    assert "Japanese change: お問い合わせの前に、登録[-メールアドレス-]{+した電話番号+}をご確認ください。" in stale.out
    assert f"old translation: ⟦EN-US⟧{OLD}" in stale.out
    assert po_path(project).read_bytes() == on_disk  # looking changes nothing

    sent = len(srv.translate_requests)
    assert run("translate", "--lang", "en").code == 0
    assert [r["body"]["text"] for r in srv.translate_requests[sent:]] == [[NEW]]
    assert status(run) == {"reviewed": 4, "machine": 1, "stale": 0, "missing": 0}

    changed = run("review", "--lang", "en")
    assert f"docs/{PAGE}:{line_of(project, NEW)} [en] machine" in changed.out
    assert (
        "Japanese change: お問い合わせの前に、登録[-メールアドレス-]{+した電話番号+}をご確認ください。" in changed.out
    )
    assert f"old translation: ⟦EN-US⟧{OLD}" in changed.out
    assert f"new translation: ⟦EN-US⟧{NEW}" in changed.out
    assert "1 unit(s) to review" in changed.out

    assert "approved 1 unit(s)" in run("review", "--approve", "--lang", "en").out
    assert status(run) == {"reviewed": 5, "machine": 0, "stale": 0, "missing": 0}
    entry = find(project, NEW)
    assert not entry.fuzzy and entry.previous_msgid is None and entry.msgstr == f"⟦EN-US⟧{NEW}"
    assert polib.pofile(str(po_path(project))).metadata["Last-Translator"] == REVIEWER


def test_an_edit_in_a_po_editor_counts_as_reviewed(project: Path, run: Run, srv: DeepLServer) -> None:
    assert run("translate").code == 0
    po = polib.pofile(str(po_path(project)))
    entry = po.find(OLD)
    assert entry is not None
    entry.flags.remove("fuzzy")  # what Poedit does when the reviewer accepts the entry
    entry.msgstr = "Please check your registered email address before contacting us."
    po.save()

    assert status(run) == {"reviewed": 1, "machine": 4, "stale": 0, "missing": 0}
    listing = run("review", "--lang", "en").out
    assert OLD not in listing and "5 unit(s) to review" in listing  # the page's other 4 and its category's title
    sent = len(srv.translate_requests)
    assert run("translate").code == 0
    assert len(srv.translate_requests) == sent
    kept = find(project, OLD)
    assert not kept.fuzzy and kept.msgstr == "Please check your registered email address before contacting us."


def test_approving_one_unit_by_line(project: Path, run: Run) -> None:
    assert run("translate").code == 0
    line = line_of(project, OLD)
    result = run("review", "--approve", f"docs/{PAGE}:{line}", "--lang", "en")
    assert result.code == 0 and "approved 1 unit(s)" in result.out
    assert status(run) == {"reviewed": 1, "machine": 4, "stale": 0, "missing": 0}
    for lang in ("zh", "ko"):
        assert status(run, lang) == {"reviewed": 0, "machine": 5, "stale": 0, "missing": 0}
    assert not find(project, OLD).fuzzy
    assert find(project, "通常は二営業日以内に返信します。").fuzzy


def test_approving_a_unit_of_one_page_and_all_of_another(project: Path, run: Run) -> None:
    (project / "docs" / "support" / "hours.md").write_text(
        article("受付時間", "受付時間は平日の九時から十八時です。\n\n土日祝日は休業します。"), encoding="utf-8"
    )
    assert run("translate", "--lang", "en").code == 0
    line = line_of(project, OLD)
    result = run("review", "--approve", "--lang", "en", f"docs/{PAGE}:{line}", "docs/support/hours.md")
    assert "approved 5 unit(s)" in result.out  # one of contact.md, all four of hours.md
    assert status(run) == {"reviewed": 1, "machine": 4, "stale": 0, "missing": 0}
    assert status(run, page="support/hours.md") == {"reviewed": 4, "machine": 0, "stale": 0, "missing": 0}


def test_publish_reviewed_serves_a_page_with_a_machine_unit_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run, srv: DeepLServer, fast_deepl: None
) -> None:
    root = make_project(tmp_path, {PAGE: CONTACT}, publish="reviewed")
    monkeypatch.chdir(root)
    monkeypatch.setenv("DEEPL_AUTH_KEY", srv.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", srv.url)
    assert run("translate").code == 0
    assert shown(root, PAGE, "en") == ("fallback", "unreviewed")

    run("review", "--approve", "--lang", "en", f"docs/{PAGE}")
    assert shown(root, PAGE, "en") == ("reviewed", "")
    assert shown(root, PAGE, "zh") == ("fallback", "unreviewed")

    # One unit changes and is machine-translated again: that unit alone is shown in Japanese.
    source = root / "docs" / PAGE
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert run("translate", "--lang", "en").code == 0
    assert status(run) == {"reviewed": 4, "machine": 1, "stale": 0, "missing": 0}
    assert shown(root, PAGE, "en") == ("partial", "unreviewed")


def test_publish_machine_publishes_machine_translations(project: Path, run: Run) -> None:
    assert run("translate").code == 0
    loaded = corpus(project)
    en = next(x for x in loaded.languages if x.code == "en")
    page = loaded.translation(PAGE, en)
    assert page.state == "machine"
    assert page.text is not None and f"⟦EN-US⟧{OLD}" in page.text


def test_strict_pages_need_review_even_under_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run, srv: DeepLServer, fast_deepl: None
) -> None:
    pages = {
        "security/login-alerts.md": article(
            "ログイン通知", "見覚えのないログイン通知が届いたら、パスワードを変更してください。", category="security"
        ),
        "support/outage-replies.md": article(
            "障害時の返信", "障害の発生中は返信が遅れることがあります。", incidents=["outage"]
        ),
        PAGE: CONTACT,
    }
    root = make_project(tmp_path, pages, publish="machine")
    monkeypatch.chdir(root)
    monkeypatch.setenv("DEEPL_AUTH_KEY", srv.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", srv.url)
    assert run("translate").code == 0

    assert shown(root, PAGE, "en") == ("machine", "")
    assert shown(root, "security/login-alerts.md", "en") == ("fallback", "unreviewed")  # a strict category
    assert shown(root, "support/outage-replies.md", "en") == ("fallback", "unreviewed")  # linked to an incident
    assert shown(root, "incidents/outage.md", "en") == ("machine", "")  # the hub is not an article

    run("review", "--approve", "--lang", "en", "docs/security", "docs/support/outage-replies.md")
    assert shown(root, "security/login-alerts.md", "en") == ("reviewed", "")
    assert shown(root, "support/outage-replies.md", "en") == ("reviewed", "")
    assert shown(root, "security/login-alerts.md", "ko") == ("fallback", "unreviewed")


OTHER = "通常は二営業日以内に返信します。"
IMPORTED = article(
    "How to contact us",
    """
    Before contacting us, check your registered phone number.

    ## Reply time

    We usually reply within two business days.
    """,
    description="How to contact us.",
)


@pytest.mark.parametrize("meanwhile", ["editor", "review", "import"])
def test_what_others_save_while_translate_runs_is_kept(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    """A reviewer's save in a PO editor, a `review --approve` or an `import` that lands while DeepL is
    translating stays: the run applies only its own translations, to entries nobody changed."""
    assert run("translate", "--lang", "en").code == 0
    source = project / "docs" / PAGE
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    imported = project / "en" / PAGE
    imported.parent.mkdir(parents=True)
    imported.write_text(IMPORTED, encoding="utf-8")

    def other_command() -> None:
        if meanwhile == "editor":
            po = polib.pofile(str(po_path(project)))
            entry = po.find(OTHER)
            assert entry is not None
            entry.msgstr, entry.flags = "We usually reply within two business days.", []
            po.save()
        elif meanwhile == "review":
            assert cli.main(["review", "--approve", "--lang", "en", f"docs/{PAGE}:{line_of(project, OTHER)}"]) == 0
        else:
            assert cli.main(["import", "--lang", "en", "--translator", "Ann", "--base", "en", str(imported)]) == 0

    real = deepl.DeepLClient.translate_text

    def translate_text(self: deepl.DeepLClient, *args: Any, **kwargs: Any) -> Any:
        other_command()  # saved while the request is on its way
        return real(self, *args, **kwargs)

    monkeypatch.setattr(deepl.DeepLClient, "translate_text", translate_text)
    result = run("translate", "--lang", "en")
    assert result.code == 0, result.err
    other, new = find(project, OTHER), find(project, NEW)
    assert not other.fuzzy
    if meanwhile == "import":  # import wrote the unit DeepL was translating: the person's text stays
        assert new.msgstr == "Before contacting us, check your registered phone number." and not new.fuzzy
        assert f"translations/en/{PAGE[:-3]}.po:" in result.out and "changed on disk during the run" in result.out
    else:
        assert (
            other.msgstr.endswith("within two business days.")
            if meanwhile == "editor"
            else other.msgstr.startswith("⟦")
        )
        assert new.msgstr == f"⟦EN-US⟧{NEW}" and catalog.state(new) is catalog.State.MACHINE
        assert "changed on disk" not in result.out


def test_approving_on_the_command_line_leaves_the_file_an_editor_leaves(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("translate", "--lang", "en").code == 0
    source = project / "docs" / PAGE
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert run("translate", "--lang", "en").code == 0  # NEW: machine, with `#|` and the previous translation
    before = polib.pofile(str(po_path(project)))

    editor = polib.pofile(str(po_path(project)))  # what Poedit does when "Needs work" is switched off
    entry = editor.find(NEW)
    assert entry is not None and entry.previous_msgid
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    editor.metadata["Last-Translator"] = "Someone Else"

    result = run("review", "--approve", "--reviewer", "Someone Else", f"docs/{PAGE}:{line_of(project, NEW)}")
    assert result.code == 0, result.err
    assert f"approved docs/{PAGE}:{line_of(project, NEW)} [en] machine (translations/en/" in result.out
    assert f"machine (translations/en/{PAGE[:-3]}.po:{entry.linenum}): ⟦EN-US⟧{NEW}" in result.out
    assert "approved 1 unit(s) as Someone Else" in result.out
    cli_file = polib.pofile(str(po_path(project)))
    assert cli_file.metadata["Last-Translator"] == editor.metadata["Last-Translator"]
    fields = ("msgid", "msgstr", "flags", "tcomment", "previous_msgid", "obsolete")
    assert [[getattr(e, f) for f in fields] for e in cli_file] == [[getattr(e, f) for f in fields] for e in editor]
    assert [[getattr(e, f) for f in fields] for e in cli_file] != [[getattr(e, f) for f in fields] for e in before]


def test_approve_needs_a_scope_and_a_wrong_line_is_an_error_listing_the_units(project: Path, run: Run) -> None:
    assert run("translate").code == 0
    on_disk = {p: p.read_bytes() for p in (project / "translations").rglob("*.po")}

    unscoped = run("review", "--approve")
    assert unscoped.code == 2 and "--approve needs a scope" in unscoped.err and "--all" in unscoped.err

    line = line_of(project, OTHER)
    wrong = run("review", "--approve", "--lang", "en", f"docs/{PAGE}:{line + 1}")
    assert wrong.code == 2
    assert f"docs/{PAGE}:{line + 1}: names no unit to review" in wrong.err
    assert f"docs/{PAGE}:{line} [en]" in wrong.err  # the page's units, to pick from
    assert {p: p.read_bytes() for p in on_disk} == on_disk  # nothing approved

    everything = run("review", "--approve", "--all")
    assert everything.code == 0 and "approved 18 unit(s)" in everything.out  # 6 units x 3 languages


def test_a_catalog_line_as_check_prints_it_approves_that_unit(project: Path, run: Run) -> None:
    assert run("translate").code == 0
    entry = find(project, OTHER, "zh")
    where = f"translations/zh/{PAGE[:-3]}.po:{entry.linenum + 2}"  # a line inside the entry
    listing = run("review", where)
    assert listing.code == 0 and "1 unit(s) to review" in listing.out and "[zh]" in listing.out
    result = run("review", "--approve", where)
    assert result.code == 0 and "approved 1 unit(s)" in result.out
    assert not find(project, OTHER, "zh").fuzzy
    assert find(project, OTHER, "en").fuzzy and find(project, OLD, "zh").fuzzy


LONG = (
    "Before you contact us, please read the page about response times (response-times-during-incidents.md),\n"
    'and check "the email address" you registered: during incidents replies take longer than usual.'
)


def test_the_old_translation_is_shown_exactly_as_it_was_reviewed(project: Path, run: Run) -> None:
    """Stored as escaped pieces, not a wrapped comment: hyphens, line breaks and quotes survive."""
    po = catalog.new_catalog("en", PAGE)
    for unit in parse(PAGE, (project / "docs" / PAGE).read_text(encoding="utf-8")).units:
        po.append(polib.POEntry(msgid=unit.text, msgstr=LONG if unit.text == OLD else f"EN {unit.text}"))
    catalog.save(po, po_path(project))
    source = project / "docs" / PAGE
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert run("translate", "--lang", "en").code == 0  # the reviewed text is replaced by DeepL's, and kept
    text = po_path(project).read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 79, "no PO writer wraps these lines"
    assert catalog.previous_translation(find(project, NEW)) == LONG
    shown = run("review", "--lang", "en").out
    assert "old translation: " + LONG in shown
    assert "old translation: " + LONG in run("review", "--lang", "en").out  # reading changes nothing
    saved = polib.pofile(str(po_path(project)))  # a PO editor saving the file keeps it (polib: as Weblate's)
    saved.save()
    assert catalog.previous_translation(find(project, NEW)) == LONG


def test_review_lists_missing_units_with_both_lines_and_the_section_in_the_reviewers_language(
    project: Path, run: Run
) -> None:
    assert run("translate", "--lang", "en").code == 0
    assert "approved 6 unit(s)" in run("review", "--approve", "--lang", "en").out  # the page and its category
    po = polib.pofile(str(po_path(project)))
    po.find("返信までの時間").msgstr = "Response times"
    po.save()
    source = project / "docs" / PAGE
    added = "土日祝日は翌営業日に返信します。"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    assert status(run) == {"reviewed": 5, "machine": 0, "stale": 0, "missing": 1}
    listed = run("review", "--lang", "en").out
    assert "nothing to review" not in listed
    assert (
        f"docs/{PAGE}:{line_of(project, added)} [en] missing (translations/en/{PAGE[:-3]}.po (no entry yet))" in listed
    )
    assert "section: «Response times»" in listed
    assert f"Japanese: {added}" in listed
    assert "1 unit(s) to review (1 without a translation yet)" in listed
    assert run("translate", "--lang", "en").code == 0
    machine = run("review", "--lang", "en").out
    added_entry = find(project, added)
    assert f"[en] machine (translations/en/{PAGE[:-3]}.po:{added_entry.linenum})" in machine
    assert added_entry.comment == "paragraph in «Response times» («返信までの時間»)", "what Poedit shows as context"


def test_status_prints_a_line_for_every_language_also_when_all_is_reviewed(project: Path, run: Run) -> None:
    assert run("translate").code == 0
    assert "approved" in run("review", "--approve", "--lang", "zh").out
    out = run("status", "--lang", "zh", "--lang", "en").out
    # the site's own words count too: their human translations are reviewed
    assert re.search(
        r"^zh: reviewed \d+ \(100%\), machine 0 \(0%\), stale 0 \(0%\), missing 0 \(0%\); every page reviewed$",
        out,
        re.M,
    )
    assert re.search(r"^en: reviewed \d+ \(\d+%\), machine 6 \(", out, re.M) and f"docs/{PAGE}" in out
