"""Exercise tests/deepl_server.py through the real ``deepl`` client."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import deepl
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from deepl_server import DeepLServer, translate_text  # tests/ is on sys.path (no __init__.py)

SERVER_SCRIPT = Path(__file__).with_name("deepl_server.py")
TAG_RE = re.compile(r"<[^>]+>")


def tags(text: str) -> list[str]:
    """All tags of a fragment, verbatim and sorted (multiset comparison)."""
    return sorted(TAG_RE.findall(text))


def assert_well_formed(fragment: str) -> None:
    ET.fromstring(f"<root>{fragment}</root>")


def one(client: deepl.DeepLClient, text: str, **options: Any) -> deepl.TextResult:
    """Translate a single text (narrows the client's union return type)."""
    result = client.translate_text(text, **options)
    assert isinstance(result, deepl.TextResult)
    return result


def many(client: deepl.DeepLClient, texts: list[str], **options: Any) -> list[deepl.TextResult]:
    """Translate a list of texts."""
    result = client.translate_text(texts, **options)
    assert isinstance(result, list)
    return result


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few retries, short backoff and timeouts; monkeypatch restores them."""
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 2)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 2.0)
    # The first attempt's timeout is max(backoff deadline, min timeout) and
    # each retry sleeps for the backoff: shrink the initial 1 s backoff.
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)


@pytest.fixture(scope="module")
def server() -> Iterator[DeepLServer]:
    with DeepLServer() as srv:
        yield srv


@pytest.fixture
def srv(server: DeepLServer) -> DeepLServer:
    server.reset()
    return server


@pytest.fixture
def client(srv: DeepLServer) -> Iterator[deepl.DeepLClient]:
    client = deepl.DeepLClient(srv.auth_key, server_url=srv.url)
    yield client
    client.close()


def statuses(srv: DeepLServer) -> list[int | None]:
    return [record["status"] for record in srv.translate_requests]


# -- translation -----------------------------------------------------------


def test_xml_keeps_tags_once_ignores_content_and_reorders(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    sources = [
        "Click <b>Save</b>, then <code>npm run build</code>.",
        '<a href="/ja/setup?x=1&amp;y=2" class="k">設定</a>を開き、<code>保存</code>を押します。',
        "<p>一つの<em>要素</em>だけ</p>",
    ]
    results = many(
        client,
        sources,
        source_lang="JA",
        target_lang="EN-US",
        tag_handling="xml",
        ignore_tags=["code"],
    )
    assert isinstance(results, list)
    texts = [result.text for result in results]
    for source, text in zip(sources, texts, strict=True):
        assert tags(text) == tags(source)
        assert_well_formed(text)
        assert text.count("⟦EN-US⟧") == 1
    assert texts[0] == "⟦EN-US⟧Click, then <code>npm run build</code> <b>Save</b>."
    # The first top-level element moved behind the second, before the "。".
    assert texts[1] == (
        '⟦EN-US⟧を開き、<code>保存</code>を押します<a href="/ja/setup?x=1&amp;y=2" class="k">設定</a>。'
    )
    # A single top-level element is not moved.
    assert texts[2] == "<p>⟦EN-US⟧一つの<em>要素</em>だけ</p>"
    assert [r.detected_source_lang for r in results] == ["JA", "JA", "JA"]


def test_reorder_can_be_disabled(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.reorder = False
    source = "Click <b>Save</b>, then <i>OK</i>."
    result = one(client, source, target_lang="DE", tag_handling="xml")
    assert result.text == "⟦DE⟧" + source


def test_plain_text_is_not_parsed(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    source = "  Use <b>bold</b> and <i>x</i> & co"
    result = one(client, source, target_lang="FR")
    assert result.text == "  ⟦FR⟧Use <b>bold</b> and <i>x</i> & co"
    assert result.billed_characters == len(source)
    assert result.detected_source_lang == "EN"


def test_html_mode_is_lenient(client: deepl.DeepLClient) -> None:
    source = "<p>Line<br>break</p><p>second</p>"
    result = one(client, source, target_lang="KO", tag_handling="html")
    assert tags(result.text) == tags(source)
    assert result.text == "<p>⟦KO⟧second</p><p>Line<br>break</p>"


def test_malformed_xml_is_rejected(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    with pytest.raises(deepl.DeepLException, match="Tag handling parsing failed") as exc:
        one(client, "<b>unclosed", target_lang="DE", tag_handling="xml")
    assert exc.value.http_status_code == 400
    assert srv.billed_total == 0
    ok = one(client, "<b>unclosed", target_lang="DE")
    assert ok.text == "⟦DE⟧<b>unclosed"


def test_billed_characters_exclude_markup_and_context(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    sources = ["<b>保存</b>して&amp;<code>ls</code>", "plain <b>text</b>", ""]
    results = many(client, sources[:2], target_lang="EN-GB", tag_handling="xml", context="x" * 500)
    plain = many(client, sources[1:], target_lang="ZH-HANS")
    # Markup is not billed; entities count once; ignored tags' text is billed.
    assert [r.billed_characters for r in results] == [7, 10]
    assert [r.billed_characters for r in plain] == [len(sources[1]), 0]
    assert plain[1].text == ""
    assert srv.billed_total == 7 + 10 + len(sources[1])
    assert srv.billed_by_target == {"EN-GB": 17, "ZH-HANS": len(sources[1])}
    first = srv.translate_requests[0]
    assert first["target_lang"] == "EN-GB"
    assert first["texts"] == 2
    assert first["billed"] == 17
    assert first["body"]["text"] == sources[:2]
    assert first["body"]["show_billed_characters"] is True


def test_usage_grows_with_billed_characters(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    before = client.get_usage().character
    many(client, ["abc", "<i>de</i>"], target_lang="DE", tag_handling="xml")
    after = client.get_usage().character
    assert before.count == 0
    assert after.count == 5
    assert after.limit == before.limit and after.limit is not None
    assert not after.limit_reached


def test_languages_and_formality(client: deepl.DeepLClient) -> None:
    sources = {lang.code for lang in client.get_source_languages()}
    assert {"JA", "EN", "ZH"} <= sources
    assert "EN-US" not in sources
    targets = {lang.code: lang.supports_formality for lang in client.get_target_languages()}
    assert "EN" not in targets
    expected = {
        "EN-US": False,
        "EN-GB": False,
        "ZH-HANS": False,
        "ZH-HANT": False,
        "KO": False,
        "VI": False,
        "DE": True,
        "FR": True,
        "JA": True,
    }
    assert {code: targets[code] for code in expected} == expected


def test_formality_validation(client: deepl.DeepLClient) -> None:
    assert one(client, "x", target_lang="DE", formality="more").text == "⟦DE⟧x"
    assert one(client, "x", target_lang="KO", formality="prefer_more").text
    with pytest.raises(deepl.DeepLException, match="formality") as exc:
        one(client, "x", target_lang="KO", formality="more")
    assert exc.value.http_status_code == 400


def test_plain_en_target_rejected(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    # The client refuses "EN" itself, before sending anything ...
    with pytest.raises(deepl.DeepLException, match="deprecated"):
        one(client, "hello", target_lang="EN")
    assert srv.translate_requests == []
    # ... and the server rejects it like DeepL when it does get through.
    with pytest.raises(deepl.DeepLException, match="Value for 'target_lang' not supported"):
        one(client, "hello", target_lang="EN-US", extra_body_parameters={"target_lang": "EN"})
    with pytest.raises(deepl.DeepLException, match="target_lang") as exc:
        one(client, "hello", target_lang="XX")
    assert exc.value.http_status_code == 400
    assert statuses(srv) == [400, 400]
    assert srv.billed_total == 0


def test_too_many_texts_rejected(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    assert len(many(client, ["t"] * 50, target_lang="DE")) == 50
    with pytest.raises(deepl.DeepLException) as exc:
        many(client, ["t"] * 51, target_lang="DE")
    assert exc.value.http_status_code == 413
    assert "at most 50 texts" in str(exc.value)
    assert statuses(srv) == [200, 413]  # not retried
    assert srv.billed_total == 50


def test_request_body_over_128_kib_rejected(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    one(client, "a" * 120_000, target_lang="DE")
    with pytest.raises(deepl.DeepLException, match="Request Entity Too Large") as exc:
        one(client, "a" * 132_000, target_lang="DE")
    assert exc.value.http_status_code == 413
    assert srv.billed_total == 120_000


def test_concurrent_requests_are_all_billed(srv: DeepLServer) -> None:
    def translate(i: int) -> str:
        client = deepl.DeepLClient(srv.auth_key, server_url=srv.url)
        try:
            result = one(client, f"text {i:03d}", target_lang="VI")
            return result.text
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        texts = list(pool.map(translate, range(40)))
    assert texts == [f"⟦VI⟧text {i:03d}" for i in range(40)]
    assert srv.billed_total == 40 * len("text 000")


# -- errors and fault injection --------------------------------------------


def test_wrong_key_raises_authorization_exception(srv: DeepLServer) -> None:
    client = deepl.DeepLClient("not-the-key", server_url=srv.url)
    with pytest.raises(deepl.AuthorizationException):
        one(client, "hello", target_lang="DE")
    with pytest.raises(deepl.AuthorizationException):
        client.get_usage()
    assert [r["status"] for r in srv.requests] == [403, 403]
    assert srv.billed_total == 0


def test_456_raises_quota_exceeded(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.fail_next(456)
    with pytest.raises(deepl.QuotaExceededException):
        one(client, "hello", target_lang="DE")
    assert one(client, "hello", target_lang="DE").text == "⟦DE⟧hello"
    assert statuses(srv) == [456, 200]  # 456 is not retried


def test_quota_after_hits_deterministically(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.quota_after(10)
    one(client, "abcdef", target_lang="DE")
    with pytest.raises(deepl.QuotaExceededException):
        one(client, "ghijkl", target_lang="DE")
    one(client, "abcd", target_lang="DE")  # exactly reaches the limit
    usage = client.get_usage().character
    assert (usage.count, usage.limit, usage.limit_reached) == (10, 10, True)
    with pytest.raises(deepl.QuotaExceededException):
        one(client, "z", target_lang="DE")
    assert srv.billed_total == 10


def test_429_then_success_is_retried(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.fail_next(429, count=2)
    result = one(client, "hello", target_lang="JA")
    assert result.text == "⟦JA⟧hello"
    assert statuses(srv) == [429, 429, 200]
    assert srv.billed_total == 5  # failed attempts bill nothing


def test_429_beyond_retries_raises(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.fail_next(429, count=3)
    with pytest.raises(deepl.TooManyRequestsException):
        one(client, "hello", target_lang="JA")
    assert statuses(srv) == [429, 429, 429]
    assert srv.pending_faults == 0


def test_5xx_retried(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.fail_next(500)
    srv.fail_next(503)
    assert one(client, "hi", target_lang="DE").text == "⟦DE⟧hi"
    assert statuses(srv) == [500, 503, 200]
    srv.fail_next(503, count=3)
    with pytest.raises(deepl.DeepLException, match="Service unavailable") as exc:
        one(client, "hi", target_lang="DE")
    assert exc.value.http_status_code == 503


def test_hang_with_short_timeout_raises_connection_exception(
    srv: DeepLServer, client: deepl.DeepLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 0.25)
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 1)
    srv.hang_next(count=2)
    start = time.monotonic()
    with pytest.raises(deepl.ConnectionException, match="timed out"):
        one(client, "hello", target_lang="DE")
    assert 0.5 <= time.monotonic() - start < 3
    assert statuses(srv) == [None, None]  # both attempts left unanswered


def test_hang_once_then_retry_succeeds(
    srv: DeepLServer, client: deepl.DeepLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 0.25)
    srv.hang_next()
    assert one(client, "hello", target_lang="DE").text == "⟦DE⟧hello"
    assert statuses(srv) == [None, 200]


def test_faults_only_hit_translate_and_queue_in_order(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.fail_next(500)
    srv.fail_next(429)
    assert client.get_usage().character.count == 0  # not consumed by /v2/usage
    one(client, "a", target_lang="DE")
    assert statuses(srv) == [500, 429, 200]


def test_latency(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    srv.latency = 0.3
    start = time.monotonic()
    one(client, "a", target_lang="DE")
    assert time.monotonic() - start >= 0.3


def test_reset_clears_counters_faults_and_settings(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    one(client, "abc", target_lang="DE")
    client.create_glossary("g", "en", "de", {"a": "b"})
    srv.fail_next(500, count=5)
    srv.quota_after(1)
    srv.latency = 5
    srv.reset()
    assert (srv.requests, srv.billed_total, srv.billed_by_target) == ([], 0, {})
    assert (srv.pending_faults, srv.glossary_ids, srv.latency) == (0, [], 0.0)
    assert one(client, "abc", target_lang="DE").text == "⟦DE⟧abc"


def test_stop_is_prompt_with_hung_requests() -> None:
    srv = DeepLServer().start()
    srv.hang_next(count=3)
    errors: list[BaseException] = []

    def call() -> None:
        request = urllib.request.Request(
            srv.url + "/v2/translate",
            data=json.dumps({"text": ["x"], "target_lang": "DE"}).encode(),
            headers={"Authorization": f"DeepL-Auth-Key {srv.auth_key}", "Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(request, timeout=30)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while len(srv.translate_requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    start = time.monotonic()
    srv.stop()
    assert time.monotonic() - start < 1
    for thread in threads:
        thread.join(timeout=5)
    assert len(errors) == 3  # connections closed without a response


# -- glossaries --------------------------------------------------------------


GLOSSARY_DICTS = [
    MultilingualGlossaryDictionaryEntries("ja", "en", {"保存": "Save", "設定": "Settings"}),
    MultilingualGlossaryDictionaryEntries("ja", "zh", {"保存": "保存(zh)"}),
    MultilingualGlossaryDictionaryEntries("ja", "ko", {"保存": "저장"}),
]


def test_v3_glossary_lifecycle(srv: DeepLServer, client: deepl.DeepLClient) -> None:
    glossary = client.create_multilingual_glossary("helpcenter", GLOSSARY_DICTS)
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", glossary.glossary_id)
    pairs = {(d.source_lang, d.target_lang, d.entry_count) for d in glossary.dictionaries}
    assert pairs == {("JA", "EN", 2), ("JA", "ZH", 1), ("JA", "KO", 1)}

    listed = client.list_multilingual_glossaries()
    assert [g.glossary_id for g in listed] == [glossary.glossary_id]
    fetched = client.get_multilingual_glossary(glossary.glossary_id)
    assert fetched.name == "helpcenter"

    entries = client.get_multilingual_glossary_entries(glossary, "ja", "zh")
    (dictionary,) = entries.dictionaries
    # The client hands back the TSV string from the API as ``entries``.
    assert deepl.convert_tsv_to_dict(dictionary.entries) == {"保存": "保存(zh)"}  # type: ignore[arg-type]

    text = "<b>設定</b>を<code>保存</code>してから保存します"
    # Terms are replaced outside ignored tags only; <b> moves to the end.
    expected = {
        "EN-US": "⟦EN-US⟧を<code>保存</code>してからSaveします<b>Settings</b>",
        "ZH-HANS": "⟦ZH-HANS⟧を<code>保存</code>してから保存(zh)します<b>設定</b>",
        "KO": "⟦KO⟧を<code>保存</code>してから저장します<b>設定</b>",
    }
    for target, want in expected.items():
        result = one(
            client,
            text,
            source_lang="JA",
            target_lang=target,
            glossary=glossary,
            tag_handling="xml",
            ignore_tags="code",
        )
        assert result.text == want
    assert srv.translate_requests[0]["body"]["glossary_id"] == glossary.glossary_id

    client.delete_multilingual_glossary(glossary)
    assert client.list_multilingual_glossaries() == []
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_multilingual_glossary(glossary.glossary_id)
    with pytest.raises(deepl.DeepLException, match="Glossary not found"):
        one(client, "保存", source_lang="JA", target_lang="KO", glossary=glossary.glossary_id)


def test_v3_glossary_dictionary_updates(client: deepl.DeepLClient) -> None:
    glossary = client.create_multilingual_glossary("g", GLOSSARY_DICTS[:1])
    merged = client.update_multilingual_glossary_dictionary(
        glossary, MultilingualGlossaryDictionaryEntries("ja", "en", {"保存": "Store", "閉じる": "Close"})
    )
    assert [(d.target_lang, d.entry_count) for d in merged.dictionaries] == [("EN", 3)]
    replaced = client.replace_multilingual_glossary_dictionary(
        glossary, MultilingualGlossaryDictionaryEntries("ja", "en", {"開く": "Open"})
    )
    assert (replaced.source_lang, replaced.target_lang, replaced.entry_count) == ("JA", "EN", 1)
    client.replace_multilingual_glossary_dictionary(glossary, GLOSSARY_DICTS[2])
    client.delete_multilingual_glossary_dictionary(glossary, source_lang="ja", target_lang="en")
    info = client.get_multilingual_glossary(glossary.glossary_id)
    assert [(d.target_lang, d.entry_count) for d in info.dictionaries] == [("KO", 1)]
    with pytest.raises(deepl.DeepLException, match="no dictionary"):
        one(client, "開く", source_lang="JA", target_lang="EN-US", glossary=glossary.glossary_id)
    renamed = client.update_multilingual_glossary_name(glossary, "renamed")
    assert renamed.name == "renamed"


def test_v2_glossary(client: deepl.DeepLClient) -> None:
    glossary = client.create_glossary("v2", "ja", "en", {"保存": "Save"})
    assert (glossary.source_lang, glossary.target_lang, glossary.entry_count) == ("JA", "EN", 1)
    assert glossary.ready
    assert client.get_glossary_entries(glossary) == {"保存": "Save"}
    assert [g.glossary_id for g in client.list_glossaries()] == [glossary.glossary_id]
    result = client.translate_text_with_glossary("保存する", glossary, target_lang="EN-US")
    assert isinstance(result, deepl.TextResult)
    assert result.text == "⟦EN-US⟧Saveする"
    pairs = {(p.source_lang, p.target_lang) for p in client.get_glossary_languages()}
    assert {("ja", "en"), ("ja", "zh"), ("ja", "ko")} <= pairs
    client.delete_glossary(glossary)
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_glossary(glossary.glossary_id)


# -- the module and script -----------------------------------------------------


def test_translate_text_function_reorders_with_sensible_spacing() -> None:
    text, billed = translate_text("<b>Save</b> and <i>close</i> the dialog.", "DE", tag_handling="xml")
    assert text == "⟦DE⟧and <i>close</i> the dialog <b>Save</b>."
    assert billed == len("Save and close the dialog.")


def test_script_mode_prints_url_and_serves() -> None:
    proc = subprocess.Popen(
        [sys.executable, str(SERVER_SCRIPT), "--port", "0", "--latency", "0.01"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        client = deepl.DeepLClient("helpcenter-test-key", server_url=url)
        assert one(client, "hi", target_lang="DE").text == "⟦DE⟧hi"
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(url + "/v2/usage", timeout=5)
        assert exc.value.code == 403
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
