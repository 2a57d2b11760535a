"""`helpcenter translate`: DeepL machine translation of exactly what changed.

Every test runs the real command line on a small project in tmp_path against tests/deepl_server.py,
which "translates" by inserting ⟦TARGET⟧, applies glossaries, reorders top-level tags and records
every request, so what was sent and billed can be checked exactly.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import deepl
import polib
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries

import deepl_server  # tests/ is on sys.path (no __init__.py)
from conftest import GLOSSARY, Run, article, make_project, write_mkdocs_yml
from deepl_server import DEFAULT_CHARACTER_LIMIT, DeepLServer
from helpcenter import catalog, inline, report
from helpcenter.corpus import load_corpus
from helpcenter.glossary import Glossary
from helpcenter.glossary import load as load_glossary
from helpcenter.project import load as load_project
from helpcenter.strings import SHOWN_AS, source

TARGETS = {"en": "EN-US", "zh": "ZH-HANS", "ko": "KO"}

CONTACT_PARAGRAPH = "お問い合わせの前に、登録メールアドレスとご利用の端末をご確認ください。"
MARKUP_PARAGRAPH = (
    "設定画面で**取引ID**を確認し、"
    "[取り消しの手順](../trading/cancel-orders.md#cancel)に従って`HX-CANCEL-01`を入力します。"
)
PAGES = {
    "support/contact.md": article(
        "お問い合わせの方法",
        f"""
        {CONTACT_PARAGRAPH}

        ## 必要な情報

        BTCの出金が遅れている場合は、出金の受付番号もお知らせください。

        - 取引の日時
        - 取引の金額
        """,
    ),
    "trading/cancel-orders.md": article(
        "注文を取り消す",
        f"""
        {MARKUP_PARAGRAPH}

        ## 取り消せない注文 {{ #cancel }}

        約定した注文は取り消せません。
        """,
        category="trading",
    ),
}


# --- helpers -------------------------------------------------------------------------------------


OpenProject = Callable[..., Path]


@pytest.fixture
def open_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, srv: DeepLServer, fast_deepl: None) -> OpenProject:
    """make_project(...) in tmp_path/<name>, made the working directory, with DeepL pointed at `srv`."""
    monkeypatch.setenv("DEEPL_AUTH_KEY", srv.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", srv.url)
    monkeypatch.delenv("HELPCENTER_DEEPL_TIMEOUT", raising=False)
    monkeypatch.delenv("HELPCENTER_DEEPL_RETRIES", raising=False)

    def open_(pages: dict[str, str], languages: tuple[str, ...] = tuple(TARGETS), name: str = "project") -> Path:
        project = make_project(tmp_path / name, pages, languages)
        monkeypatch.chdir(project)
        return project

    return open_


@pytest.fixture
def root(open_project: OpenProject) -> Path:
    """The default project (PAGES in three languages), as the working directory."""
    return open_project(PAGES)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def po_files(root: Path, lang: str = "") -> list[Path]:
    """The pages' catalogs (of one language, or all); not the site's words, which make_project seeds
    reviewed."""
    return sorted(p for p in (root / "translations" / lang).rglob("*.po") if p.name != "_site.po")


def entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def entry(root: Path, lang: str, page: str, msgid: str) -> polib.POEntry:
    found = polib.pofile(str(catalog.catalog_path(root / "translations", lang, page))).find(msgid)
    assert found is not None, f"{msgid!r} not in {lang}/{page}"
    return found


def msgfmt_check(path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing: install gettext (`make system-deps`)")
    proc = subprocess.run([msgfmt, "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, f"{path}: {proc.stderr}"


def edit(root: Path, page: str, old: str, new: str) -> None:
    path = root / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    return lines[0]


def glossary(root: Path) -> Glossary:
    return load_glossary(root / "translations" / "glossary.yml")


def status(run: Run) -> dict[str, Any]:
    result = run("status", "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def all_units(root: Path) -> dict[str, list[str]]:
    """Distinct unit texts per page, in order: what a full run must translate."""
    corpus = load_corpus(load_project(root / "mkdocs.yml"), [])
    return {page: list(dict.fromkeys(u.text for u in doc.units)) for page, doc in corpus.docs.items()}


def ledger_runs(root: Path) -> list[report.LedgerRun]:
    """The ends of the runs in the ledger, oldest first: the status of each run's last line."""
    lines = (root / "translations" / "ledger.tsv").read_text(encoding="utf-8").splitlines()
    parsed = [r for r in map(report.parse_ledger_line, lines) if r is not None]
    return [r for i, r in enumerate(parsed) if i + 1 == len(parsed) or parsed[i + 1].run != r.run]


def billable(texts: list[str]) -> int:
    return sum(inline.encode(t).billable for t in texts)


def saved_characters(root: Path) -> dict[str, int]:
    """Per language, the billable characters of the units that have a translation on disk."""
    out: dict[str, int] = {}
    for lang in TARGETS:
        out[lang] = sum(billable([e.msgid for e in entries(po) if e.msgstr]) for po in po_files(root, lang))
    return out


def many_units_page(n: int, prefix: str = "項目") -> str:
    """An article with n paragraphs, each a distinct short text."""
    body = "\n\n".join(f"{prefix}{i}番目の手順を画面で確認します。" for i in range(n))
    return article(f"{prefix}の一覧", body)


# --- 1. no key ------------------------------------------------------------------------------------


def test_without_key_says_how_to_set_it_and_sends_nothing(
    root: Path, run: Run, srv: DeepLServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    result = run("translate")
    assert result.code != 0
    assert "export DEEPL_AUTH_KEY=" in one_line(result.err)
    assert srv.requests == []
    assert po_files(root) == []


# --- 2. first run ---------------------------------------------------------------------------------


def test_first_run_translates_every_unit_of_every_language(root: Path, run: Run, srv: DeepLServer) -> None:
    result = run("translate")
    assert result.code == 0, result.err

    units = all_units(root)
    assert sorted(r["target_lang"] for r in srv.translate_requests) == sorted(TARGETS.values())
    for lang, target in TARGETS.items():
        for page, texts in units.items():
            path = catalog.catalog_path(root / "translations", lang, page)
            msgfmt_check(path)
            found = entries(path)
            assert [e.msgid for e in found] == texts
            for e in found:
                assert e.fuzzy, e.msgid
                assert f"⟦{target}⟧" in e.msgstr
                assert catalog.comment(e, catalog.MT_MARK) == f"deepl {target} {catalog.source_hash(e.msgid)}"
                assert catalog.state(e) is catalog.State.MACHINE
            assert srv.billed_by_target[target] == sum(billable(t) for t in units.values())

    data = status(run)
    assert list(data) == ["languages"]
    assert list(data["languages"]) == list(TARGETS)
    total = sum(len(t) for t in units.values())
    site = len(source())  # the site's own words: reviewed human translations, not sent
    for lang_data in data["languages"].values():
        assert lang_data == {
            "reviewed": site,
            "machine": total,
            "stale": 0,
            "missing": 0,
            "pages": {
                **{
                    f"docs/{page}": {"reviewed": 0, "machine": len(texts), "stale": 0, "missing": 0}
                    for page, texts in sorted(units.items())
                },
                SHOWN_AS: {"reviewed": site, "machine": 0, "stale": 0, "missing": 0},
            },
        }


# --- 3. rerun -------------------------------------------------------------------------------------


def test_rerun_sends_nothing_and_changes_no_file(root: Path, run: Run, srv: DeepLServer) -> None:
    assert run("translate").code == 0
    before, requests = snapshot(root), len(srv.requests)
    result = run("translate")
    assert result.code == 0, result.err
    assert len(srv.requests) == requests  # not even the glossary is looked up
    assert snapshot(root) == before


# --- 4. one edited paragraph ----------------------------------------------------------------------


def test_editing_one_paragraph_bills_exactly_that_unit(root: Path, run: Run, srv: DeepLServer) -> None:
    assert run("translate").code == 0
    billed = dict(srv.billed_by_target)
    sent = len(srv.translate_requests)
    other_page = snapshot(root / "translations")
    new = CONTACT_PARAGRAPH.replace("登録メールアドレス", "登録した電話番号")
    edit(root, "support/contact.md", CONTACT_PARAGRAPH, new)

    result = run("translate")
    assert result.code == 0, result.err

    expected = inline.encode(new).billable
    assert {t: srv.billed_by_target[t] - billed[t] for t in TARGETS.values()} == dict.fromkeys(
        TARGETS.values(), expected
    )
    requests = srv.translate_requests[sent:]
    assert len(requests) == 3
    assert all(r["body"]["text"] == [inline.encode(new, glossary(root).keep).xml] for r in requests)
    assert len(ledger_runs(root)) == 2
    last = report.last_run(root / "translations" / "ledger.tsv")
    assert last is not None and last.status == "ok"
    for lang in TARGETS:
        assert report.LanguageBill(lang, 1, 1, expected) in last.languages
    for lang in TARGETS:  # the other page's catalogs are untouched
        rel = f"{lang}/trading/cancel-orders.po"
        assert (root / "translations" / rel).read_bytes() == other_page[rel]


def test_a_path_translates_only_that_page(root: Path, run: Run, srv: DeepLServer) -> None:
    result = run("translate", "--lang", "ko", "docs/support/contact.md")
    assert result.code == 0, result.err
    [request] = srv.translate_requests
    assert request["target_lang"] == "KO"
    assert request["body"]["text"] == [
        inline.encode(t, glossary(root).keep).xml for t in all_units(root)["support/contact.md"]
    ]
    assert [p.relative_to(root / "translations").as_posix() for p in po_files(root)] == ["ko/support/contact.po"]


# --- 5. reviewed work ----------------------------------------------------------------------------


def test_reviewed_units_are_never_overwritten(root: Path, run: Run, srv: DeepLServer) -> None:
    assert run("translate").code == 0
    path = catalog.catalog_path(root / "translations", "en", "support/contact.md")
    po = polib.pofile(str(path))
    reviewed = "Before contacting us, please check your registered email address and device."
    target = po.find(CONTACT_PARAGRAPH)
    assert target is not None
    target.msgstr = reviewed
    po.save()
    assert run("review", "--approve", "--lang", "en", "--reviewer", "Rei Tanaka").code == 0

    sent = len(srv.translate_requests)
    assert run("translate").code == 0
    assert len(srv.translate_requests) == sent  # approved work is not sent again
    assert entry(root, "en", "support/contact.md", CONTACT_PARAGRAPH).msgstr == reviewed

    new = CONTACT_PARAGRAPH.replace("登録メールアドレス", "登録した電話番号")
    edit(root, "support/contact.md", CONTACT_PARAGRAPH, new)
    assert run("translate").code == 0

    changed = entry(root, "en", "support/contact.md", new)
    assert changed.fuzzy
    assert changed.previous_msgid == CONTACT_PARAGRAPH
    assert catalog.previous_translation(changed) == reviewed
    assert changed.msgstr == "⟦EN-US⟧" + new
    others = [e for e in entries(path) if e.msgid != new]
    assert others and all(not e.fuzzy for e in others)  # the rest stays reviewed
    msgfmt_check(path)


# --- 6. markup ------------------------------------------------------------------------------------


def test_markup_survives_and_urls_and_code_are_never_sent(root: Path, run: Run, srv: DeepLServer) -> None:
    assert run("translate").code == 0
    for lang, target in TARGETS.items():
        text = entry(root, lang, "trading/cancel-orders.md", MARKUP_PARAGRAPH).msgstr
        assert "**取引ID**" in text
        assert "[取り消しの手順](../trading/cancel-orders.md#cancel)" in text
        assert "`HX-CANCEL-01`" in text
        assert text.index("**取引ID**") > text.index("`HX-CANCEL-01`"), "the server moved the bold phrase"
        assert text.startswith(f"⟦{target}⟧")
    for record in srv.translate_requests:
        body = json.dumps(record["body"], ensure_ascii=False)
        assert "cancel-orders.md" not in body
        assert "#cancel" not in body
        assert "HX-CANCEL-01" not in body
    corpus = load_corpus(load_project(root / "mkdocs.yml"))
    for lang in corpus.languages:
        shown = corpus.translation("trading/cancel-orders.md", lang)
        assert shown.state == "machine"
        assert shown.text is not None and "(../trading/cancel-orders.md#cancel)" in shown.text
    assert run("check").code == 0


# --- 7. a lost tag --------------------------------------------------------------------------------


def test_lost_tag_is_stored_fuzzy_with_qa_error_and_not_published(
    root: Path, run: Run, srv: DeepLServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = deepl_server.translate_text

    def lose_bold(text: str, target_lang: str, **options: Any) -> tuple[str, int]:
        translated, billed = original(text, target_lang, **options)
        if target_lang == "EN-US" and "取引ID" in text:
            translated = re.sub(r'</?b( id="\d+")?>', "", translated)
        return translated, billed

    monkeypatch.setattr(deepl_server, "translate_text", lose_bold)
    result = run("translate")
    assert result.code == 0, result.err

    broken = entry(root, "en", "trading/cancel-orders.md", MARKUP_PARAGRAPH)
    assert broken.fuzzy
    problem = catalog.comment(broken, catalog.QA_MARK)
    assert problem is not None and "tags did not come back exactly once" in problem and "**" in problem
    msgfmt_check(catalog.catalog_path(root / "translations", "en", "trading/cancel-orders.md"))

    corpus = load_corpus(load_project(root / "mkdocs.yml"))
    by_code = {lang.code: lang for lang in corpus.languages}
    shown = corpus.translation("trading/cancel-orders.md", by_code["en"])
    assert (shown.state, shown.reason) == ("partial", "qa")  # that unit alone is shown in Japanese
    assert shown.text is not None and broken.msgstr not in shown.text and broken.msgid in shown.text
    assert corpus.translation("trading/cancel-orders.md", by_code["zh"]).state == "machine"
    assert corpus.translation("support/contact.md", by_code["en"]).state == "machine"


# --- 8. batches -----------------------------------------------------------------------------------


def test_120_short_units_take_three_requests(open_project: OpenProject, run: Run, srv: DeepLServer) -> None:
    # 117 paragraphs + title + description + the category page's title = 120 units.
    project = open_project({"support/steps.md": many_units_page(117)}, ("en",))
    assert sum(len(t) for t in all_units(project).values()) == 120
    assert run("translate").code == 0
    assert len(srv.translate_requests) == math.ceil(120 / 50) == 3
    assert sorted(r["texts"] for r in srv.translate_requests) == [20, 50, 50]


def test_long_units_stay_under_128_kib_per_request(open_project: OpenProject, run: Run, srv: DeepLServer) -> None:
    # Long units and long titles: the texts and the `context` (article titles, 6 bytes a kanji in
    # JSON) together must fit.
    kanji = "資産保護取引停止障害出金入金確認設定認証暗号管理顧客窓口対応手続画面操作履歴"
    rnd = random.Random(7)

    def words(n: int) -> str:
        return "".join(rnd.choice(kanji) for _ in range(n))

    pages = {
        f"support/long-{i:02d}.md": article(words(100), words(1500) + "。", description=words(100)) for i in range(30)
    }
    open_project(pages, ("en",))
    result = run("translate")
    assert result.code == 0, result.err
    requests = srv.translate_requests
    sizes = [len(json.dumps(r["body"]).encode()) for r in requests]  # as the client serializes it
    assert all(r["status"] == 200 for r in requests)
    assert max(sizes) < 128 * 1024
    texts = sum(r["texts"] for r in requests)
    assert texts == 91
    assert len(requests) > math.ceil(texts / 50)  # the size, not the count, cut these batches


# --- 9. glossary ----------------------------------------------------------------------------------


def glossary_calls(srv: DeepLServer, method: str) -> list[Any]:
    return [r for r in srv.requests if r["path"].startswith("/v3/glossaries") and r["method"] == method]


def dictionaries(created: Any) -> list[tuple[str, str]]:
    return sorted((d["source_lang"].lower(), d["target_lang"].lower()) for d in created["body"]["dictionaries"])


def test_glossary_uploaded_once_by_hash_and_replaced_when_changed(root: Path, run: Run, srv: DeepLServer) -> None:
    other_site = deepl.DeepLClient(srv.auth_key, server_url=srv.url).create_multilingual_glossary(
        "helpcenter-help.other.example-0123456789ab",
        [MultilingualGlossaryDictionaryEntries("ja", "en", {"出金": "payout"})],
    )  # another help center on the same DeepL account
    assert run("translate").code == 0
    [_, created] = glossary_calls(srv, "POST")
    terms = glossary(root)
    assert created["body"]["name"] == f"helpcenter-help.example-{terms.digest()}"
    assert dictionaries(created) == [("ja", "en"), ("ja", "ko"), ("ja", "zh")]
    [first_id] = set(srv.glossary_ids) - {other_site.glossary_id}
    titles = {"お問い合わせの方法", "注文を取り消す"}
    for record in srv.translate_requests:
        assert record["body"]["glossary_id"] == first_id
        assert all(title in record["body"]["context"] for title in titles)
    contact = entry(root, "en", "support/contact.md", "BTCの出金が遅れている場合は、出金の受付番号もお知らせください。")
    assert contact.msgstr == "BTC⟦EN-US⟧のwithdrawalが遅れている場合は、withdrawalの受付番号もお知らせください。"

    # The same glossary: looked up, not uploaded again.
    edit(root, "support/contact.md", "取引の日時", "取引の日付と時刻")
    sent = len(srv.translate_requests)
    assert run("translate").code == 0
    assert len(glossary_calls(srv, "POST")) == 2
    assert [r["body"]["glossary_id"] for r in srv.translate_requests[sent:]] == [first_id] * 3

    # A changed glossary: a new one named by the new hash, the old one deleted.
    path = root / "translations" / "glossary.yml"
    path.write_text(
        GLOSSARY.replace("do_not_translate:", "  金額: {en: amount, zh: 金额, ko: 금액}\ndo_not_translate:")
    )
    edit(root, "support/contact.md", "取引の金額", "取引の金額と数量")
    sent = len(srv.translate_requests)
    assert run("translate").code == 0
    assert len(glossary_calls(srv, "POST")) == 3
    assert glossary_calls(srv, "POST")[-1]["body"]["name"] == f"helpcenter-help.example-{glossary(root).digest()}"
    assert [r["path"] for r in glossary_calls(srv, "DELETE")] == [f"/v3/glossaries/{first_id}"]
    assert other_site.glossary_id in srv.glossary_ids  # another site's glossary is not ours to delete
    [second_id] = set(srv.glossary_ids) - {other_site.glossary_id}
    assert second_id != first_id
    assert [r["body"]["glossary_id"] for r in srv.translate_requests[sent:]] == [second_id] * 3
    assert entry(root, "en", "support/contact.md", "取引の金額と数量").msgstr == "⟦EN-US⟧取引のamountと数量"


# --- 10. failures ---------------------------------------------------------------------------------


def test_quota_exceeded_mid_run_keeps_work_and_rerun_bills_only_the_rest(
    open_project: OpenProject, run: Run, srv: DeepLServer
) -> None:
    pages = {"support/steps.md": many_units_page(140)}
    open_project(pages, name="clean")
    assert run("translate").code == 0
    clean_total = srv.billed_total
    assert len(srv.translate_requests) == 9  # 143 units: 3 requests per language

    project = open_project(pages)
    srv.reset()
    srv.quota_after(clean_total // 2)
    result = run("translate")
    assert result.code != 0
    assert "quota" in one_line(result.err) and "456" in result.err
    first = srv.billed_total
    assert 0 < first < clean_total
    assert sum(saved_characters(project).values()) == first  # everything billed is on disk
    counts = status(run)["languages"]
    assert any(c["missing"] for c in counts.values()) and any(c["machine"] for c in counts.values())
    for po in po_files(project):
        msgfmt_check(po)

    srv.quota_after(DEFAULT_CHARACTER_LIMIT)
    result = run("translate")
    assert result.code == 0, result.err
    assert srv.billed_total - first == clean_total - first  # only the rest
    assert srv.billed_total == clean_total  # nothing billed twice
    assert all(c["machine"] == 143 for c in status(run)["languages"].values())
    runs = ledger_runs(project)
    assert [r.status.startswith("DeepL quota exceeded (456)") for r in runs] == [True, False]
    assert runs[-1].status == "ok"


def test_rejected_key_names_deepl_auth_key(root: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", "not-the-key")
    result = run("translate")
    assert result.code == 1  # refused on the glossary request: the same exit as on a translate request
    line = one_line(result.err)
    assert "403" in line and "DEEPL_AUTH_KEY" in line
    assert po_files(root) == []


def test_403_on_translate_names_deepl_auth_key(root: Path, run: Run, srv: DeepLServer) -> None:
    srv.fail_next(403)
    result = run("translate")
    assert result.code == 1
    assert "DEEPL_AUTH_KEY" in one_line(result.err)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("server", ["closed port", "hanging"])
def test_unreachable_or_hanging_server_fails_quickly_with_one_line(
    root: Path, run: Run, srv: DeepLServer, monkeypatch: pytest.MonkeyPatch, server: str
) -> None:
    monkeypatch.setenv("HELPCENTER_DEEPL_TIMEOUT", "1")
    monkeypatch.setenv("HELPCENTER_DEEPL_RETRIES", "0")
    if server == "closed port":
        monkeypatch.setenv("DEEPL_SERVER_URL", f"http://127.0.0.1:{free_port()}")
    else:
        srv.hang_next(10)
    started = time.monotonic()
    result = run("translate")
    assert time.monotonic() - started < 8
    assert result.code != 0
    assert "could not be reached or did not answer in time" in one_line(result.err)
    assert srv.billed_total == 0
    for po in po_files(root):  # whatever was written is valid
        msgfmt_check(po)


def test_429_and_500_once_are_retried_transparently(root: Path, run: Run, srv: DeepLServer) -> None:
    srv.fail_next(429)
    srv.fail_next(500)
    result = run("translate")
    assert result.code == 0, result.err
    statuses = sorted(r["status"] or 0 for r in srv.translate_requests)
    assert statuses == [200, 200, 200, 429, 500]
    total = sum(len(t) for t in all_units(root).values())
    assert all(c["machine"] == total for c in status(run)["languages"].values())
    assert srv.billed_total == 3 * sum(billable(t) for t in all_units(root).values())


# --- 11. kill -9, the lock -----------------------------------------------------------------------


def subprocess_env(srv: DeepLServer, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEEPL_", "HELPCENTER_"))}
    return {**env, "DEEPL_AUTH_KEY": srv.auth_key, "DEEPL_SERVER_URL": srv.url, **extra}


def translate_process(root: Path, srv: DeepLServer, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "helpcenter.cli", "translate"],
        cwd=root,
        env=subprocess_env(srv, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def hang_every_language(project: Path, srv: DeepLServer) -> None:
    """Once a few answers are in the ledger, hold every later request: each language's thread then
    waits on its own hung request, so nothing more can be sent or billed until the run ends."""
    wait_for(lambda: len(ledger_lines(project)) >= 2)
    srv.hang_next(100)
    wait_for(lambda: srv.pending_faults == 100 - len(TARGETS))


def ledger_lines(root: Path) -> list[str]:
    path = root / "translations" / "ledger.tsv"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_kill_9_mid_run_leaves_valid_catalogs_and_rerun_does_not_rebill(
    open_project: OpenProject, run: Run, srv: DeepLServer
) -> None:
    project = open_project({"support/steps.md": many_units_page(190)})
    srv.latency = 0.15
    proc = translate_process(project, srv)
    try:
        wait_for(lambda: len(po_files(project)) >= 2)  # a few requests answered and saved
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert (project / "translations" / ".lock").exists()  # left behind by the killed run

    for po in po_files(project):
        catalog.load(po, "xx", "page")  # parses (raises CatalogError otherwise)
        polib.pofile(str(po))
        msgfmt_check(po)
    saved = saved_characters(project)
    assert 0 < sum(saved.values()) < 3 * billable([t for ts in all_units(project).values() for t in ts])
    done = {lang: {e.msgid for po in po_files(project, lang) for e in entries(po) if e.msgstr} for lang in TARGETS}

    # A request in flight when the process died is still answered (and billed) by the server.
    wait_for(lambda: all(r["status"] is not None for r in srv.translate_requests))
    srv.latency = 0
    billed = dict(srv.billed_by_target)
    sent = len(srv.translate_requests)
    result = run("translate")  # the kernel released the killed run's lock
    assert result.code == 0, result.err
    assert (project / "translations" / ".lock").read_text() == ""  # released again

    keep = glossary(project).keep
    units = [t for ts in all_units(project).values() for t in ts]
    for lang, target in TARGETS.items():
        again = {inline.encode(t, keep).xml for t in done[lang]}
        mine = [t for r in srv.translate_requests[sent:] if r["target_lang"] == target for t in r["body"]["text"]]
        assert not again & set(mine), "a saved unit was sent again"
        rest = [t for t in units if t not in done[lang]]
        assert srv.billed_by_target.get(target, 0) - billed.get(target, 0) == billable(rest)
    assert all(c["machine"] == 193 for c in status(run)["languages"].values())


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_every_language_and_says_what_was_saved(
    open_project: OpenProject, srv: DeepLServer, sig: signal.Signals, code: int
) -> None:
    project = open_project({"support/steps.md": many_units_page(190)})  # 4 requests per language
    proc = translate_process(project, srv, HELPCENTER_DEEPL_TIMEOUT="600")
    try:
        hang_every_language(project, srv)
        sent = len(srv.translate_requests)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)  # the default handler waits for the hung requests
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code
    line = one_line(stderr.decode())
    assert f"interrupted by {sig.name}: stopped sending" in line and "ledger.tsv" in line
    assert len(srv.translate_requests) == sent and srv.pending_faults == 100 - len(TARGETS)  # nothing sent after
    last = report.last_run(project / "translations" / "ledger.tsv")
    assert last is not None and last.status == f"interrupted by {sig.name}"
    assert last.billed == srv.billed_total == sum(saved_characters(project).values())
    for po in po_files(project):
        msgfmt_check(po)


def test_answers_to_requests_in_flight_at_the_signal_are_saved_and_billed(
    open_project: OpenProject, srv: DeepLServer
) -> None:
    project = open_project({"support/steps.md": many_units_page(190)})
    proc = translate_process(project, srv, HELPCENTER_DEEPL_TIMEOUT="600")
    try:
        wait_for(lambda: len(ledger_lines(project)) >= 2)
        srv.hold_next(len(TARGETS))  # one request per language, held in flight
        srv.hang_next(100)  # and nothing after them is ever answered
        wait_for(lambda: srv.pending_faults == 100)
        proc.send_signal(signal.SIGINT)
        srv.release_held()  # the answers come back after (or just as) the signal arrives
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 130, stderr
    held = [r for r in srv.translate_requests if r["status"] == 200][-len(TARGETS) :]
    assert all(r["billed"] for r in held)
    last = report.last_run(project / "translations" / "ledger.tsv")
    assert last is not None and last.billed == srv.billed_total == sum(saved_characters(project).values())


def test_after_kill_9_the_ledger_holds_every_bill_and_report_adds_it_up(
    open_project: OpenProject, run: Run, srv: DeepLServer
) -> None:
    project = open_project({"support/steps.md": many_units_page(190)})
    proc = translate_process(project, srv, HELPCENTER_DEEPL_TIMEOUT="600")
    try:
        hang_every_language(project, srv)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    killed = report.last_run(project / "translations" / "ledger.tsv")
    assert killed is not None and killed.status == report.NO_END
    assert killed.billed == srv.billed_total == sum(saved_characters(project).values())
    assert sum(b.requests for b in killed.languages) == sum(r["status"] == 200 for r in srv.translate_requests)

    srv.reset()
    assert run("translate").code == 0
    md = run("report", "--markdown", "--ledger").out
    assert f"**{srv.billed_total:,} characters billed.**" in md and "completed" in md


def test_second_concurrent_run_refuses(root: Path, run: Run, srv: DeepLServer) -> None:
    srv.hang_next(10)
    proc = translate_process(root, srv, HELPCENTER_DEEPL_TIMEOUT="60")  # hangs until killed
    try:
        wait_for(lambda: [r["status"] for r in srv.translate_requests] == [None] * 3)  # one per language, hung
        result = run("translate")
        assert result.code != 0
        line = one_line(result.err)
        assert f"another `helpcenter translate` is running (pid {proc.pid})" in line
        assert len(srv.translate_requests) == 3  # the second run sent nothing
    finally:
        proc.kill()
        proc.wait()


HOLD_LOCK = """
import fcntl, os, sys, time
f = open(sys.argv[1], "a+")
fcntl.flock(f, fcntl.LOCK_EX)
f.write(f"{os.getpid()}\\n"); f.flush()
print("locked", flush=True)
time.sleep(600)
"""


def test_the_lock_of_a_run_killed_with_9_is_released_by_the_kernel(root: Path, run: Run) -> None:
    """A run that dies without cleaning up (kill -9) must not block the next one, while a live one does."""
    lock = root / "translations" / ".lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        refused = run("translate")
        assert refused.code == 2 and f"(pid {holder.pid})" in refused.err  # the lock is real while it lives
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    finally:
        holder.kill()
        holder.wait()
    assert lock.read_text() == f"{holder.pid}\n"  # the dead run's pid is still in the file
    result = run("translate")
    assert result.code == 0, result.err
    assert lock.read_text() == ""  # held during the run, released after it
    assert po_files(root)


# --- 12. a new language ---------------------------------------------------------------------------


def test_adding_a_language_translates_it_and_builds_it(open_project: OpenProject, run: Run, srv: DeepLServer) -> None:
    project = open_project(PAGES, ("en",))
    assert run("translate").code == 0
    english = snapshot(project / "translations" / "en")

    write_mkdocs_yml(project, ["en", "vi"])
    sent = len(srv.translate_requests)
    result = run("translate", "--lang", "vi")
    assert result.code == 0, result.err
    assert {r["target_lang"] for r in srv.translate_requests[sent:]} == {"VI"}
    # The glossary had no Vietnamese dictionary: uploaded again with one, the old one deleted.
    assert [dictionaries(r) for r in glossary_calls(srv, "POST")] == [[("ja", "en")], [("ja", "en"), ("ja", "vi")]]
    assert len(glossary_calls(srv, "DELETE")) == 1
    assert entry(project, "vi", "support/contact.md", CONTACT_PARAGRAPH).msgstr == "⟦VI⟧" + CONTACT_PARAGRAPH
    assert snapshot(project / "translations" / "en") == english

    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    page = project / "site" / "vi" / "support" / "contact" / "index.html"
    assert page.exists()
    html = page.read_text(encoding="utf-8")
    assert "⟦VI⟧" in html and 'lang="vi"' in html
    assert "⟦EN-US⟧" in (project / "site" / "en" / "support" / "contact" / "index.html").read_text(encoding="utf-8")


# --- 13. dry run ----------------------------------------------------------------------------------


def test_dry_run_prints_units_and_characters_and_sends_nothing(root: Path, run: Run, srv: DeepLServer) -> None:
    before = snapshot(root)
    result = run("translate", "--dry-run")
    assert result.code == 0, result.err
    assert srv.requests == []
    assert snapshot(root) == before
    units = [t for ts in all_units(root).values() for t in ts]
    for lang, target in TARGETS.items():
        row = re.search(rf"\b{lang}\s*│\s*{target}\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)", result.out)
        assert row is not None, result.out
        assert [int(g) for g in row.groups()] == [len(units), billable(units), 1]

    # After a source edit, the dry run shows just that unit.
    assert run("translate").code == 0
    new = CONTACT_PARAGRAPH.replace("登録メールアドレス", "登録した電話番号")
    edit(root, "support/contact.md", CONTACT_PARAGRAPH, new)
    sent = len(srv.requests)
    result = run("translate", "--dry-run", "--lang", "ko")
    assert len(srv.requests) == sent
    row = re.search(r"\bko\s*│\s*KO\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)", result.out)
    assert row is not None and [int(g) for g in row.groups()] == [1, inline.encode(new).billable, 1]
    assert not re.search(r"\ben\s*│", result.out)


def test_the_key_never_reaches_output_files_or_the_site(root: Path, run: Run, srv: DeepLServer) -> None:
    """The DeepL key is a secret: not in what the command prints, writes, or the built site."""
    key = srv.auth_key
    results = [run("translate"), run("translate", "--dry-run"), run("status")]
    srv.fail_next(403)
    (root / "docs/support/contact.md").write_text(
        (root / "docs/support/contact.md").read_text(encoding="utf-8").replace("取引の日時", "取引の日付"),
        encoding="utf-8",
    )
    results.append(run("translate"))
    for result in results:
        assert key not in result.out + result.err
    build = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert key not in build.stdout + build.stderr
    for path in root.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("damage", ["duplicate msgid", "byte-order mark"])
def test_a_catalog_msgfmt_rejects_is_an_error_and_never_rewritten(root: Path, run: Run, damage: str) -> None:
    """Issue 15: a duplicate msgid used to replace the reviewed translation in silence, and the next
    translate made the loss permanent. Both files are rejected by GNU msgfmt; so are they here."""
    assert run("translate", "--lang", "en").code == 0
    path = catalog.catalog_path(root / "translations", "en", "support/contact.md")
    if damage == "duplicate msgid":
        reviewed = f'\n#, fuzzy\nmsgid "{CONTACT_PARAGRAPH}"\nmsgstr "A reviewer\'s translation"\n'
        path.write_bytes(path.read_bytes() + reviewed.encode())
        line = len(path.read_text(encoding="utf-8").splitlines()) - 2
    else:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        line = 1
    damaged = path.read_bytes()
    msgfmt = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert msgfmt.returncode != 0, "GNU msgfmt accepts the file: the test no longer plants what it rejects"
    edit(root, "support/contact.md", "取引の金額", "取引の金額と数量")  # work for translate on this page

    check = run("check")
    assert (
        check.code == 1 and f"translations/en/support/contact.po:{line}: error: the PO file cannot be read" in check.err
    )
    for args in (
        ["translate", "--lang", "en"],
        ["review", "--approve", "--all", "--reviewer", "R"],
        ["import", "--lang", "en", "--translator", "T", "--base", "docs", "docs/support/contact.md"],
    ):
        result = run(*args)
        assert result.code == 2 and "translations/en/support/contact.po" in result.err, result.err
        assert path.read_bytes() == damaged


def test_a_key_with_a_line_break_inside_is_never_printed(
    root: Path, run: Run, srv: DeepLServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, tail = srv.auth_key[:12], srv.auth_key[12:]
    monkeypatch.setenv("DEEPL_AUTH_KEY", f"{head}\n{tail}")  # pasted over two lines
    result = run("translate")
    assert result.code == 2
    assert "DEEPL_AUTH_KEY has a space, a line break" in one_line(result.err)
    assert head not in result.out + result.err and tail not in result.out + result.err
    assert srv.requests == []


def test_rewritten_catalogs_keep_their_mode(root: Path, run: Run) -> None:
    assert run("translate", "--lang", "en").code == 0
    path = catalog.catalog_path(root / "translations", "en", "support/contact.md")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # a new file: as any file the user creates
    path.chmod(0o640)
    edit(root, "support/contact.md", "取引の金額", "取引の金額と数量")
    assert run("translate", "--lang", "en").code == 0
    assert "取引の金額と数量" in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
