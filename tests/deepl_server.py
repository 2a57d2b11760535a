"""A DeepL-compatible HTTP server for tests and benchmarks (standard library only).

It speaks the protocol of the official ``deepl`` Python client (v2 text
translation, usage, languages, v2 and v3 glossaries) on loopback and
"translates" deterministically, so tests can check exactly what came back:

* the translation of a text is the text itself, with glossary terms replaced
  and the language marker ``⟦<TARGET_LANG>⟧`` inserted once, right before the
  first non-space character of the first translatable text;
* with ``tag_handling`` ("xml"/"html") the text is parsed as a markup
  fragment: tags come back verbatim and exactly once, the content of
  ``ignore_tags`` is untouched, and (when ``reorder`` is on) the first of two
  or more top-level elements is moved to the end of the sentence, like a real
  translation reorders phrases;
* ``billed_characters`` counts Unicode code points of the text content
  (markup excluded with tag handling, ``context`` never billed).

Faults can be injected for resilience tests: ``fail_next``, ``hang_next``,
``quota_after`` and ``latency``.

Usage in tests::

    with DeepLServer() as srv:
        client = deepl.DeepLClient(srv.auth_key, server_url=srv.url)

As a script (for benchmarks), serving until killed and printing its URL::

    python tests/deepl_server.py --port 8765 [--latency 0.05]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import html
import http
import io
import json
import re
import signal
import socket
import socketserver
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, Self, TypedDict
from urllib.parse import parse_qs, urlsplit

__all__ = ["DEFAULT_AUTH_KEY", "DeepLServer", "RequestRecord", "translate_text"]

DEFAULT_AUTH_KEY = "helpcenter-test-key"
"""The auth key accepted by default (``DeepLServer(auth_key=...)`` overrides)."""

MAX_TEXTS = 50
"""DeepL accepts at most 50 texts per /v2/translate request."""

MAX_TRANSLATE_BODY = 128 * 1024
"""DeepL limits the /v2/translate request body to 128 KiB."""

MAX_BODY = 16 * 1024 * 1024
"""Upper bound for any request body (glossaries may be up to 10 MiB)."""

DEFAULT_CHARACTER_LIMIT = 1_000_000_000_000
"""The character limit reported by /v2/usage unless ``quota_after`` is set."""

_FAULT_MESSAGES: dict[int, str] = {
    400: "Bad request.",
    403: "Authorization failure, check auth_key.",
    404: "Not found.",
    413: "Request Entity Too Large",
    429: "Too many requests, please wait and resend your request.",
    456: "Quota exceeded. The character limit has been reached.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable, please try again later.",
    504: "Gateway timeout.",
}


def _fault_message(status: int) -> str:
    """A DeepL-like error message for an injected status."""
    if status in _FAULT_MESSAGES:
        return _FAULT_MESSAGES[status]
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error."


# --------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lang:
    code: str
    name: str
    source: bool
    target: bool
    formality: bool = False


_LANGUAGES: tuple[_Lang, ...] = (
    _Lang("AR", "Arabic", True, True),
    _Lang("BG", "Bulgarian", True, True),
    _Lang("CS", "Czech", True, True),
    _Lang("DA", "Danish", True, True),
    _Lang("DE", "German", True, True, formality=True),
    _Lang("EL", "Greek", True, True),
    _Lang("EN", "English", True, False),
    _Lang("EN-GB", "English (British)", False, True),
    _Lang("EN-US", "English (American)", False, True),
    _Lang("ES", "Spanish", True, True, formality=True),
    _Lang("ET", "Estonian", True, True),
    _Lang("FI", "Finnish", True, True),
    _Lang("FR", "French", True, True, formality=True),
    _Lang("HE", "Hebrew", True, True),
    _Lang("HU", "Hungarian", True, True),
    _Lang("ID", "Indonesian", True, True),
    _Lang("IT", "Italian", True, True, formality=True),
    _Lang("JA", "Japanese", True, True, formality=True),
    _Lang("KO", "Korean", True, True),
    _Lang("LT", "Lithuanian", True, True),
    _Lang("LV", "Latvian", True, True),
    _Lang("NB", "Norwegian Bokmål", True, True),
    _Lang("NL", "Dutch", True, True, formality=True),
    _Lang("PL", "Polish", True, True, formality=True),
    _Lang("PT", "Portuguese", True, False),
    _Lang("PT-BR", "Portuguese (Brazilian)", False, True, formality=True),
    _Lang("PT-PT", "Portuguese (European)", False, True, formality=True),
    _Lang("RO", "Romanian", True, True),
    _Lang("RU", "Russian", True, True, formality=True),
    _Lang("SK", "Slovak", True, True),
    _Lang("SL", "Slovenian", True, True),
    _Lang("SV", "Swedish", True, True),
    _Lang("TH", "Thai", True, True),
    _Lang("TR", "Turkish", True, True),
    _Lang("UK", "Ukrainian", True, True),
    _Lang("VI", "Vietnamese", True, True),
    _Lang("ZH", "Chinese", True, False),
    _Lang("ZH", "Chinese (simplified)", False, True),
    _Lang("ZH-HANS", "Chinese (simplified)", False, True),
    _Lang("ZH-HANT", "Chinese (traditional)", False, True),
)
_SOURCE_LANGS = {lang.code: lang for lang in _LANGUAGES if lang.source}
_TARGET_LANGS = {lang.code: lang for lang in _LANGUAGES if lang.target}
_GLOSSARY_LANGS = sorted({code.split("-")[0].lower() for code in _SOURCE_LANGS})

_FORMALITIES = ("default", "more", "less", "prefer_more", "prefer_less")
_MODEL_TYPES = {
    "quality_optimized": "quality_optimized",
    "prefer_quality_optimized": "quality_optimized",
    "latency_optimized": "latency_optimized",
}


def _base_lang(code: str) -> str:
    """Return the lower-case base language of a code ("ZH-HANS" -> "zh")."""
    return code.split("-")[0].lower()


def _detect_language(text: str) -> str:
    """Guess the source language from the script used in ``text``."""
    if re.search(r"[\u3040-\u30ff]", text):
        return "JA"
    if re.search(r"[\uac00-\ud7af]", text):
        return "KO"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "ZH"
    if re.search(r"[\u0400-\u04ff]", text):
        return "RU"
    return "EN"


# --------------------------------------------------------------------------
# Errors and records
# --------------------------------------------------------------------------


class ApiError(Exception):
    """An error answered as ``{"message": ..., ["detail": ...]}``."""

    def __init__(self, status: int, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail

    def body(self) -> dict[str, str]:
        """Return the JSON body DeepL uses for errors."""
        body = {"message": self.message}
        if self.detail is not None:
            body["detail"] = self.detail
        return body


_HOLD = "hold"  # a queued fault: answer normally, once release_held() is called


class _DropConnection(Exception):
    """Close the connection without answering (hung request released)."""


class RequestRecord(TypedDict):
    """One request seen by the server (``DeepLServer.requests``)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int | None
    target_lang: str | None
    texts: int
    billed: int


# --------------------------------------------------------------------------
# Markup parsing and the deterministic "translation"
# --------------------------------------------------------------------------


class MarkupError(ValueError):
    """The text is not a well-formed fragment for the requested tag handling."""


@dataclass
class _Text:
    raw: str


@dataclass
class _Markup:
    raw: str


@dataclass
class _Element:
    name: str
    start: str
    end: str = ""
    children: list[_Node] = field(default_factory=list)


_Node = _Text | _Markup | _Element

_TOKEN_RE = re.compile(
    r"""
    (?P<comment><!--.*?-->)
    |(?P<cdata><!\[CDATA\[.*?\]\]>)
    |(?P<pi><\?.*?\?>)
    |(?P<decl><![A-Za-z][^>]*>)
    |(?P<end></(?P<ename>[^\s/>]+)\s*>)
    |(?P<start><(?P<sname>[A-Za-z_:][-\w:.]*)
        (?P<attrs>(?:\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)
        \s*(?P<selfclose>/?)>)
    """,
    re.DOTALL | re.VERBOSE,
)
_XML_ATTRS_RE = re.compile(r"""(?:\s+[^\s=/>"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*""")
_XML_BAD_AMP_RE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")
_HTML_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_TRAILING_RE = re.compile(r"[\s.!?:;…。．！？：；]*\Z")
_LEADING_PUNCT = tuple(",.;:!?、。，．！？：；)")


def _parse_markup(text: str, mode: str) -> list[_Node]:
    """Parse an XML (strict) or HTML (lenient) fragment into a node list."""
    xml = mode == "xml"

    def norm(name: str) -> str:
        return name if xml else name.lower()

    root = _Element("", "")
    stack = [root]

    def add_text(raw: str) -> None:
        if not raw:
            return
        if xml and _XML_BAD_AMP_RE.search(raw):
            raise MarkupError(f"invalid character data: {raw[:40]!r}")
        children = stack[-1].children
        if children and isinstance(children[-1], _Text):
            children[-1].raw += raw
        else:
            children.append(_Text(raw))

    pos = 0
    while pos < len(text):
        lt = text.find("<", pos)
        if lt < 0:
            add_text(text[pos:])
            break
        add_text(text[pos:lt])
        match = _TOKEN_RE.match(text, lt)
        if match is None:
            if xml:
                raise MarkupError(f"invalid markup at offset {lt}")
            add_text("<")
            pos = lt + 1
            continue
        raw = match.group(0)
        pos = match.end()
        if match.group("start"):
            name = norm(match.group("sname"))
            if xml and not _XML_ATTRS_RE.fullmatch(match.group("attrs")):
                raise MarkupError(f"invalid attributes in {raw!r}")
            element = _Element(name, raw)
            stack[-1].children.append(element)
            if not match.group("selfclose") and (xml or name not in _HTML_VOID):
                stack.append(element)
        elif match.group("end"):
            name = norm(match.group("ename"))
            if stack[-1] is not root and stack[-1].name == name:
                stack.pop().end = raw
            elif xml:
                raise MarkupError(f"unexpected end tag {raw!r}")
            elif any(el.name == name for el in stack[1:]):
                while stack[-1].name != name:  # implicitly closed elements
                    stack.pop()
                stack.pop().end = raw
            else:
                stack[-1].children.append(_Markup(raw))
        else:
            stack[-1].children.append(_Markup(raw))
    if xml and len(stack) > 1:
        raise MarkupError(f"unclosed element <{stack[-1].name}>")
    return root.children


def _serialize(nodes: list[_Node]) -> str:
    """Serialize nodes back to markup."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, _Element):
            parts.extend((node.start, _serialize(node.children), node.end))
        else:
            parts.append(node.raw)
    return "".join(parts)


def _text_length(nodes: list[_Node]) -> int:
    """Count code points of text content (entities decoded, markup excluded)."""
    total = 0
    for node in nodes:
        if isinstance(node, _Text):
            total += len(html.unescape(node.raw))
        elif isinstance(node, _Element):
            total += _text_length(node.children)
        elif node.raw.startswith("<![CDATA["):
            total += len(node.raw) - len("<![CDATA[]]>")
    return total


def _translatable_texts(nodes: list[_Node], ignored: Callable[[str], bool]) -> Iterator[_Text]:
    """Yield text nodes in document order, skipping ignored elements."""
    for node in nodes:
        if isinstance(node, _Text):
            yield node
        elif isinstance(node, _Element) and not ignored(node.name):
            yield from _translatable_texts(node.children, ignored)


def _reorder(nodes: list[_Node]) -> list[_Node]:
    """Move the first top-level element to the end of the sentence.

    The texts around the moved element are joined without doubled spaces, and
    the element is inserted before the trailing punctuation/whitespace of the
    fragment, separated by a space if it was separated by one originally.
    """
    index = next(i for i, node in enumerate(nodes) if isinstance(node, _Element))
    element = nodes[index]
    before = nodes[index - 1] if index > 0 and isinstance(nodes[index - 1], _Text) else None
    after = nodes[index + 1] if index + 1 < len(nodes) else None
    after = after if isinstance(after, _Text) else None
    left = before.raw if isinstance(before, _Text) else ""
    right = after.raw if isinstance(after, _Text) else ""
    spaced = left[-1:].isspace() or right[:1].isspace()
    if right[:1].isspace() and (not left or left[-1:].isspace()):
        right = right.lstrip()
    elif right.startswith(_LEADING_PUNCT):
        left = left.rstrip()
    start = index - 1 if before is not None else index
    stop = index + 2 if after is not None else index + 1
    joined: list[_Node] = [_Text(left + right)] if left + right else []
    rest: list[_Node] = nodes[:start] + joined + nodes[stop:]

    tail: list[_Node] = []
    last = rest[-1] if rest else None
    if isinstance(last, _Text):
        match = _TRAILING_RE.search(last.raw)
        cut = match.start() if match else len(last.raw)
        rest.pop()
        if last.raw[:cut]:
            rest.append(_Text(last.raw[:cut]))
        if last.raw[cut:]:
            tail.append(_Text(last.raw[cut:]))
    previous = rest[-1] if rest else None
    if spaced and previous is not None:
        if isinstance(previous, _Text):
            if not previous.raw[-1:].isspace():
                previous.raw += " "
        else:
            rest.append(_Text(" "))
    return [*rest, element, *tail]


def _glossary_replacer(glossaries: list[dict[str, str]], escape: bool) -> Callable[[str], str]:
    """Build a function applying glossary entries (longest source term first)."""
    steps: list[tuple[re.Pattern[str], dict[str, str]]] = []
    for entries in glossaries:
        if not entries:
            continue
        mapping = {
            (html.escape(src, quote=False) if escape else src): (html.escape(tgt, quote=False) if escape else tgt)
            for src, tgt in entries.items()
        }
        terms = sorted(mapping, key=len, reverse=True)
        steps.append((re.compile("|".join(map(re.escape, terms))), mapping))

    def replace(text: str) -> str:
        for pattern, mapping in steps:
            text = _substitute(pattern, mapping, text)
        return text

    return replace


def _substitute(pattern: re.Pattern[str], mapping: dict[str, str], text: str) -> str:
    """Replace every match of ``pattern`` in ``text`` by its ``mapping`` value."""
    return pattern.sub(lambda match: mapping[match.group(0)], text)


def _insert_marker(text: str, marker: str) -> tuple[str, bool]:
    """Insert ``marker`` before the first non-space character, if any."""
    stripped = text.lstrip()
    if not stripped:
        return text, False
    lead = len(text) - len(stripped)
    return text[:lead] + marker + stripped, True


def translate_text(
    text: str,
    target_lang: str,
    *,
    tag_handling: str | None = None,
    ignore_tags: list[str] | tuple[str, ...] = (),
    glossaries: list[dict[str, str]] | None = None,
    reorder: bool = True,
) -> tuple[str, int]:
    """Return ``(translation, billed_characters)`` for one text.

    Raises :class:`MarkupError` if tag handling is on and the text is not a
    well-formed fragment.
    """
    marker = f"⟦{target_lang.upper()}⟧"
    replace = _glossary_replacer(glossaries or [], escape=tag_handling is not None)
    if tag_handling is None:
        return _insert_marker(replace(text), marker)[0], len(text)

    nodes = _parse_markup(text, tag_handling)
    billed = _text_length(nodes)
    html_mode = tag_handling == "html"
    ignore = {tag.lower() if html_mode else tag for tag in ignore_tags if tag}

    def ignored(name: str) -> bool:
        return name in ignore

    for node in _translatable_texts(nodes, ignored):
        node.raw = replace(node.raw)
    if reorder and sum(isinstance(node, _Element) for node in nodes) >= 2:
        nodes = _reorder(nodes)
    for node in _translatable_texts(nodes, ignored):
        node.raw, inserted = _insert_marker(node.raw, marker)
        if inserted:
            break
    return _serialize(nodes), billed


# --------------------------------------------------------------------------
# Glossaries
# --------------------------------------------------------------------------


@dataclass
class _Glossary:
    glossary_id: str
    name: str
    creation_time: str
    dictionaries: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def v3_info(self) -> dict[str, Any]:
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "creation_time": self.creation_time,
            "dictionaries": [_dictionary_info(src, tgt, entries) for (src, tgt), entries in self.dictionaries.items()],
        }

    def v2_info(self) -> dict[str, Any]:
        if len(self.dictionaries) != 1:
            raise ApiError(
                400,
                "This glossary has several dictionaries; use the v3 glossary endpoints.",
            )
        [((src, tgt), entries)] = self.dictionaries.items()
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "ready": True,
            "source_lang": src,
            "target_lang": tgt,
            "creation_time": self.creation_time,
            "entry_count": len(entries),
        }


def _dictionary_info(src: str, tgt: str, entries: dict[str, str]) -> dict[str, Any]:
    return {"source_lang": src, "target_lang": tgt, "entry_count": len(entries)}


def _entries_to_tsv(entries: dict[str, str]) -> str:
    return "\n".join(f"{src}\t{tgt}" for src, tgt in entries.items())


def _parse_entries(entries: Any, entries_format: Any, src: str, tgt: str) -> dict[str, str]:
    """Parse TSV/CSV glossary entries like DeepL (400 on invalid input)."""
    if not isinstance(entries, str) or not entries.strip():
        raise ApiError(400, "Missing or invalid argument: entries")
    if entries_format == "tsv":
        rows = [line.split("\t", 1) if "\t" in line else [line] for line in entries.splitlines()]
    elif entries_format == "csv":
        rows = list(csv.reader(io.StringIO(entries)))
    else:
        raise ApiError(400, "Value for 'entries_format' not supported.")
    result: dict[str, str] = {}
    for index, row in enumerate(rows):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) == 4 and (cells[2].lower(), cells[3].lower()) != (src, tgt):
            raise ApiError(
                400,
                "Invalid glossary entries provided",
                f"Entry {index} has a different language pair",
            )
        if len(cells) not in (2, 4) or not cells[0] or not cells[1]:
            raise ApiError(
                400,
                "Invalid glossary entries provided",
                f"Key with the index {index} misses a separator or a term",
            )
        if cells[0] in result:
            raise ApiError(
                400,
                "Invalid glossary entries provided",
                f"Key with the index {index} duplicates an earlier key",
            )
        result[cells[0]] = cells[1]
    if not result:
        raise ApiError(400, "Missing or invalid argument: entries")
    return result


def _glossary_pair(source: Any, target: Any) -> tuple[str, str]:
    """Validate a glossary language pair, returning lower-case base codes."""
    if not isinstance(source, str) or not isinstance(target, str):
        raise ApiError(400, "Missing or invalid argument: source_lang/target_lang")
    src, tgt = source.lower(), target.lower()
    if src not in _GLOSSARY_LANGS or tgt not in _GLOSSARY_LANGS or src == tgt:
        raise ApiError(400, "Unsupported glossary source and target language pair")
    return src, tgt


_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


# --------------------------------------------------------------------------
# Request parsing helpers
# --------------------------------------------------------------------------


def _flatten_qs(parsed: dict[str, list[str]]) -> dict[str, Any]:
    """Form/query values: a single value as str, repeated values as a list."""
    return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


def _param_str(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list) and value:
        value = value[0]
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Value for '{name}' not supported.")
    return value


def _param_list(params: dict[str, Any], name: str) -> list[str]:
    """A list parameter: JSON array, repeated form field or comma-separated string."""
    value = params.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ApiError(400, f"Value for '{name}' not supported.")
        result.extend(part.strip() for part in item.split(",") if part.strip())
    return result


def _param_bool(params: dict[str, Any], name: str) -> bool | None:
    value = params.get(name)
    if isinstance(value, list) and value:
        value = value[0]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and str(value).lower() in ("0", "1", "true", "false"):
        return str(value).lower() in ("1", "true")
    raise ApiError(400, f"Value for '{name}' not supported.")


def _now_iso() -> str:
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, Any]
    params: dict[str, Any]
    headers: Any
    groups: dict[str, str]
    record: RequestRecord


@dataclass
class _Response:
    status: int
    body: Any = None
    content_type: str = "application/json; charset=utf-8"


class _HTTPServer(ThreadingHTTPServer):
    """Threading server that tracks connections so it can cut them on stop."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], owner: DeepLServer) -> None:
        self.owner = owner
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # Skip HTTPServer.server_bind: its getfqdn() may do a slow DNS lookup.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Shut down every open client connection (unblocks idle keep-alives)."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """Parses HTTP and delegates to :meth:`DeepLServer._handle`."""

    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "DeepLTestServer/1.0"
    timeout = 300
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls per response

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.owner.verbose:
            super().log_message(format, *args)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            size = 0
            while True:
                length = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if length == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                size += length
                if size > MAX_BODY:
                    raise ApiError(413, "Request Entity Too Large")
                chunks.append(self.rfile.read(length))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            raise ApiError(413, "Request Entity Too Large")
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        record = owner._new_record(self.command, url.path, query)
        try:
            try:
                body = self._read_body()
            except ValueError as exc:
                self.close_connection = True
                raise ApiError(400, "Invalid request body framing.") from exc
            response = owner._handle(self.command, url.path, query, self.headers, body, record)
        except ApiError as exc:
            response = _Response(exc.status, exc.body())
        except _DropConnection:
            self.close_connection = True
            return
        except Exception as exc:  # report bugs of this server as 500
            response = _Response(500, {"message": f"Test server error: {exc!r}"})
        owner._finish_record(record, response.status)
        self._send(response)

    def _send(self, response: _Response) -> None:
        if response.body is None:
            payload = b""
        elif isinstance(response.body, str):
            payload = response.body.encode("utf-8")
        else:
            payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(response.status)
            if payload:
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True


_Endpoint = Callable[["DeepLServer", _Request], _Response]


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class DeepLServer:
    """A DeepL-compatible API server on loopback, running in a background thread.

    Public state (read it from tests; guarded by an internal lock):

    * ``url``, ``auth_key``, ``port``;
    * ``requests``: a :class:`RequestRecord` for every request, in arrival
      order (``status`` is ``None`` while unanswered, e.g. hung);
    * ``billed_total`` and ``billed_by_target`` (billed characters of
      successful translations, per target language as sent);
    * settings ``latency`` (seconds slept before each request), ``reorder``
      (move tags around in tag-handling mode) and ``character_limit``.
    """

    def __init__(
        self,
        auth_key: str = DEFAULT_AUTH_KEY,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        reorder: bool = True,
        character_limit: int = DEFAULT_CHARACTER_LIMIT,
        verbose: bool = False,
    ) -> None:
        self.auth_key = auth_key
        self.host = host
        self.verbose = verbose
        self._defaults = (latency, reorder, character_limit)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._requested_port = port
        self.requests: list[RequestRecord] = []
        self.billed_total = 0
        self.billed_by_target: dict[str, int] = {}
        self.latency = latency
        self.reorder = reorder
        self.character_limit = character_limit
        self._faults: deque[int | str | None] = deque()  # status to answer, None = hang, _HOLD = hold
        self._hang_release = threading.Event()
        self._held_release = threading.Event()
        self._glossaries: dict[str, _Glossary] = {}

    # -- lifecycle --------------------------------------------------------

    def start(self) -> Self:
        """Bind and serve in a daemon thread; returns ``self``."""
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        with self._lock:
            self._hang_release = threading.Event()
            self._held_release = threading.Event()
        self._httpd = _HTTPServer((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"DeepLServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly: release hung requests and cut open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        with self._lock:
            self._hang_release.set()
            self._held_release.set()
        httpd.shutdown()
        httpd.cut_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (only valid while running)."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL to pass as ``server_url`` to the deepl client."""
        return f"http://{self.host}:{self.port}"

    # -- fault injection and counters ---------------------------------------

    def fail_next(self, status: int, count: int = 1) -> None:
        """Answer the next ``count`` translate requests with ``status``.

        The body is DeepL-like JSON (``{"message": ...}``); faults queue up
        in call order together with :meth:`hang_next`.
        """
        if not 400 <= status <= 599:
            raise ValueError(f"not an error status: {status}")
        with self._lock:
            self._faults.extend([status] * count)

    def hang_next(self, count: int = 1) -> None:
        """Never answer the next ``count`` translate requests.

        A hung request holds its connection until :meth:`reset` or
        :meth:`stop`, then the connection is closed without a response.
        """
        with self._lock:
            self._faults.extend([None] * count)

    def hold_next(self, count: int = 1) -> None:
        """Answer the next ``count`` translate requests only once :meth:`release_held`
        is called: requests that are in flight for as long as a test needs."""
        with self._lock:
            self._faults.extend([_HOLD] * count)

    def release_held(self) -> None:
        """Let the requests held by :meth:`hold_next` be answered."""
        with self._lock:
            self._held_release.set()

    def quota_after(self, chars: int) -> None:
        """Answer 456 once the billed total would exceed ``chars``.

        A request that would cross the limit is rejected as a whole and bills
        nothing; /v2/usage reports ``chars`` as ``character_limit``.
        """
        with self._lock:
            self.character_limit = chars

    @property
    def pending_faults(self) -> int:
        """Number of queued ``fail_next``/``hang_next`` faults not yet used."""
        with self._lock:
            return len(self._faults)

    @property
    def translate_requests(self) -> list[RequestRecord]:
        """The records of /v2/translate requests only."""
        with self._lock:
            return [r for r in self.requests if r["path"] == "/v2/translate"]

    @property
    def glossary_ids(self) -> list[str]:
        """Ids of the glossaries currently stored (v2 and v3 share the store)."""
        with self._lock:
            return list(self._glossaries)

    def reset(self) -> None:
        """Return to the just-started state: counters, faults, glossaries and
        settings (latency, reorder, character limit) are reset, and hung
        requests are released."""
        with self._lock:
            self.requests = []
            self.billed_total = 0
            self.billed_by_target = {}
            self._faults.clear()
            self._hang_release.set()
            self._hang_release = threading.Event()
            self._held_release.set()
            self._held_release = threading.Event()
            self._glossaries = {}
            self.latency, self.reorder, self.character_limit = self._defaults

    # -- request handling -------------------------------------------------

    def _new_record(self, method: str, path: str, query: dict[str, list[str]]) -> RequestRecord:
        record = RequestRecord(
            method=method,
            path=path,
            query=query,
            body=None,
            status=None,
            target_lang=None,
            texts=0,
            billed=0,
        )
        with self._lock:
            self.requests.append(record)
        return record

    def _finish_record(self, record: RequestRecord, status: int) -> None:
        with self._lock:
            record["status"] = status

    def _handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: Any,
        body: bytes,
        record: RequestRecord,
    ) -> _Response:
        """Authenticate, parse parameters, apply latency and route."""
        if path == "/v2/translate" and len(body) > MAX_TRANSLATE_BODY:
            raise ApiError(413, "Request Entity Too Large")
        authorization = headers.get("Authorization", "")
        if authorization != f"DeepL-Auth-Key {self.auth_key}":
            raise ApiError(403, "Wrong or missing authentication key.")
        params = self._parse_body(headers, body)
        record["body"] = params
        if self.latency > 0 and self._stopping.wait(self.latency):
            raise _DropConnection
        endpoint, groups = self._route(method, path)
        flat_query = _flatten_qs(query)
        merged = {**flat_query, **params}
        return endpoint(self, _Request(method, path, flat_query, merged, headers, groups, record))

    @staticmethod
    def _parse_body(headers: Any, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiError(400, "Request body is not valid UTF-8.") from exc
        if content_type == "application/json":
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ApiError(400, f"Invalid JSON in request body: {exc}") from exc
            if not isinstance(parsed, dict):
                raise ApiError(400, "Request body must be a JSON object.")
            return parsed
        if content_type in ("application/x-www-form-urlencoded", ""):
            return _flatten_qs(parse_qs(text, keep_blank_values=True))
        raise ApiError(415, f"Unsupported Content-Type: {content_type}")

    def _route(self, method: str, path: str) -> tuple[_Endpoint, dict[str, str]]:
        allowed = False
        for pattern, methods in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            allowed = True
            if method in methods:
                return methods[method], match.groupdict()
        if allowed:
            raise ApiError(405, "Method not allowed.")
        raise ApiError(404, "Not found.")

    # -- endpoints: translation -------------------------------------------

    def _ep_translate(self, req: _Request) -> _Response:
        with self._lock:
            faulted = bool(self._faults)
            fault = self._faults.popleft() if faulted else None
            release, held = self._hang_release, self._held_release
        if faulted and fault is None:
            release.wait()
            raise _DropConnection
        if fault == _HOLD:
            held.wait()
        elif isinstance(fault, int):
            raise ApiError(fault, _fault_message(fault))

        params = req.params
        target = (_param_str(params, "target_lang") or "").upper()
        req.record["target_lang"] = target or None
        if not target:
            raise ApiError(400, "Parameter 'target_lang' not specified.")
        if target not in _TARGET_LANGS:
            raise ApiError(400, "Value for 'target_lang' not supported.")
        source = _param_str(params, "source_lang")
        source = source.upper() if source else None
        if source is not None and source not in _SOURCE_LANGS:
            raise ApiError(400, "Value for 'source_lang' not supported.")

        raw_texts = params.get("text")
        items = raw_texts if isinstance(raw_texts, list) else [raw_texts]
        if raw_texts is None or not items:
            raise ApiError(400, "Parameter 'text' not specified.")
        texts = [text for text in items if isinstance(text, str)]
        if len(texts) != len(items):
            raise ApiError(400, "Value for 'text' not supported.")
        req.record["texts"] = len(texts)
        if len(texts) > MAX_TEXTS:
            raise ApiError(
                413,
                f"Too many texts in request: at most {MAX_TEXTS} texts are allowed.",
            )

        formality = _param_str(params, "formality") or "default"
        if formality not in _FORMALITIES:
            raise ApiError(400, "Value for 'formality' not supported.")
        if formality in ("more", "less") and not _TARGET_LANGS[target].formality:
            raise ApiError(400, "'formality' is not supported for given 'target_lang'.")
        tag_handling = _param_str(params, "tag_handling")
        if tag_handling is not None and tag_handling not in ("xml", "html"):
            raise ApiError(400, "Value for 'tag_handling' not supported.")
        split = params.get("split_sentences")
        if split is not None and str(split) not in ("0", "1", "nonewlines"):
            raise ApiError(400, "Value for 'split_sentences' not supported.")
        model_type = _param_str(params, "model_type")
        if model_type is not None and model_type not in _MODEL_TYPES:
            raise ApiError(400, "Value for 'model_type' not supported.")
        for flag in (
            "preserve_formatting",
            "outline_detection",
            "show_billed_characters",
        ):
            _param_bool(params, flag)
        show_billed = bool(_param_bool(params, "show_billed_characters"))
        ignore_tags = _param_list(params, "ignore_tags")
        for name in ("non_splitting_tags", "splitting_tags"):
            _param_list(params, name)
        context = params.get("context")
        if context is not None and not isinstance(context, str):
            raise ApiError(400, "Value for 'context' not supported.")

        glossary_ids = _param_list(params, "glossary_ids")
        single = _param_str(params, "glossary_id")
        if single:
            glossary_ids.insert(0, single)
        glossaries = self._glossaries_for(glossary_ids, source, target)

        translations: list[dict[str, Any]] = []
        billed = 0
        with self._lock:
            reorder = self.reorder
        for text in texts:
            try:
                translated, chars = translate_text(
                    text,
                    target,
                    tag_handling=tag_handling,
                    ignore_tags=ignore_tags,
                    glossaries=glossaries,
                    reorder=reorder,
                )
            except MarkupError as exc:
                raise ApiError(400, "Tag handling parsing failed, please check input.", str(exc)) from exc
            billed += chars
            item: dict[str, Any] = {
                "detected_source_language": source.split("-")[0] if source else _detect_language(text),
                "text": translated,
            }
            if show_billed:
                item["billed_characters"] = chars
            if model_type is not None:
                item["model_type_used"] = _MODEL_TYPES[model_type]
            translations.append(item)

        with self._lock:
            if self.billed_total + billed > self.character_limit:
                raise ApiError(456, "Quota for this billing period has been exceeded.")
            self.billed_total += billed
            self.billed_by_target[target] = self.billed_by_target.get(target, 0) + billed
            req.record["billed"] = billed
        return _Response(200, {"translations": translations})

    def _glossaries_for(self, glossary_ids: list[str], source: str | None, target: str) -> list[dict[str, str]]:
        if not glossary_ids:
            return []
        if source is None:
            raise ApiError(
                400,
                "Use of a glossary requires the source_lang parameter to be specified.",
            )
        pair = (_base_lang(source), _base_lang(target))
        result: list[dict[str, str]] = []
        with self._lock:
            for glossary_id in glossary_ids:
                glossary = self._glossaries.get(glossary_id)
                if glossary is None:
                    raise ApiError(400, f"Glossary not found: {glossary_id}")
                entries = glossary.dictionaries.get(pair)
                if entries is None:
                    raise ApiError(
                        400,
                        f"The glossary has no dictionary for the requested language pair {pair[0]}->{pair[1]}.",
                    )
                result.append(dict(entries))
        return result

    def _ep_usage(self, req: _Request) -> _Response:
        with self._lock:
            body = {
                "character_count": self.billed_total,
                "character_limit": self.character_limit,
            }
        return _Response(200, body)

    def _ep_languages(self, req: _Request) -> _Response:
        kind = _param_str(req.params, "type") or "source"
        if kind == "source":
            return _Response(
                200,
                [{"language": lang.code, "name": lang.name} for lang in _SOURCE_LANGS.values()],
            )
        if kind == "target":
            return _Response(
                200,
                [
                    {
                        "language": lang.code,
                        "name": lang.name,
                        "supports_formality": lang.formality,
                    }
                    for lang in _TARGET_LANGS.values()
                ],
            )
        raise ApiError(400, "Parameter 'type' is invalid. 'source' and 'target' are valid values.")

    # -- endpoints: glossaries --------------------------------------------

    def _glossary(self, glossary_id: str) -> _Glossary:
        """Look up a glossary (call with the lock held)."""
        if not _UUID_RE.match(glossary_id):
            raise ApiError(400, "Invalid glossary ID.")
        glossary = self._glossaries.get(glossary_id)
        if glossary is None:
            raise ApiError(404, "Glossary not found.")
        return glossary

    def _new_glossary(self, name: Any, dictionaries: dict[tuple[str, str], dict[str, str]]) -> _Glossary:
        if not isinstance(name, str) or not name:
            raise ApiError(400, "Missing or invalid argument: name")
        glossary = _Glossary(str(uuid.uuid4()), name, _now_iso(), dictionaries)
        with self._lock:
            self._glossaries[glossary.glossary_id] = glossary
        return glossary

    def _ep_glossary_pairs(self, req: _Request) -> _Response:
        pairs = [
            {"source_lang": src, "target_lang": tgt} for src in _GLOSSARY_LANGS for tgt in _GLOSSARY_LANGS if src != tgt
        ]
        return _Response(200, {"supported_languages": pairs})

    def _ep_v2_glossary_create(self, req: _Request) -> _Response:
        p = req.params
        pair = _glossary_pair(p.get("source_lang"), p.get("target_lang"))
        entries = _parse_entries(p.get("entries"), p.get("entries_format"), *pair)
        glossary = self._new_glossary(p.get("name"), {pair: entries})
        return _Response(201, glossary.v2_info())

    def _ep_v2_glossary_list(self, req: _Request) -> _Response:
        with self._lock:
            infos = [g.v2_info() for g in self._glossaries.values() if len(g.dictionaries) == 1]
        return _Response(200, {"glossaries": infos})

    def _ep_v2_glossary_get(self, req: _Request) -> _Response:
        with self._lock:
            return _Response(200, self._glossary(req.groups["gid"]).v2_info())

    def _ep_v2_glossary_entries(self, req: _Request) -> _Response:
        accept = req.headers.get("Accept", "*/*")
        if not any(t in accept for t in ("text/tab-separated-values", "*/*", "text/*")):
            raise ApiError(415, "No supported media type specified in Accept header")
        with self._lock:
            glossary = self._glossary(req.groups["gid"])
            glossary.v2_info()  # 400 for multi-dictionary glossaries
            (entries,) = glossary.dictionaries.values()
            tsv = _entries_to_tsv(entries)
        return _Response(200, tsv, "text/tab-separated-values; charset=utf-8")

    def _ep_glossary_delete(self, req: _Request) -> _Response:
        with self._lock:
            del self._glossaries[self._glossary(req.groups["gid"]).glossary_id]
        return _Response(204)

    @staticmethod
    def _v3_dictionaries(raw: Any) -> dict[tuple[str, str], dict[str, str]]:
        if not isinstance(raw, list) or not raw:
            raise ApiError(400, "Missing or invalid argument: dictionaries")
        result: dict[tuple[str, str], dict[str, str]] = {}
        for item in raw:
            if not isinstance(item, dict):
                raise ApiError(400, "Missing or invalid argument: dictionaries")
            pair = _glossary_pair(item.get("source_lang"), item.get("target_lang"))
            if pair in result:
                raise ApiError(400, f"Duplicate dictionary for {pair[0]}->{pair[1]}.")
            result[pair] = _parse_entries(item.get("entries"), item.get("entries_format"), *pair)
        return result

    def _ep_v3_glossary_create(self, req: _Request) -> _Response:
        dictionaries = self._v3_dictionaries(req.params.get("dictionaries"))
        glossary = self._new_glossary(req.params.get("name"), dictionaries)
        return _Response(201, glossary.v3_info())

    def _ep_v3_glossary_list(self, req: _Request) -> _Response:
        with self._lock:
            infos = [g.v3_info() for g in self._glossaries.values()]
        return _Response(200, {"glossaries": infos})

    def _ep_v3_glossary_get(self, req: _Request) -> _Response:
        with self._lock:
            return _Response(200, self._glossary(req.groups["gid"]).v3_info())

    def _ep_v3_glossary_patch(self, req: _Request) -> _Response:
        """Rename and/or merge entries into dictionaries (added if missing)."""
        name = req.params.get("name")
        if name is not None and (not isinstance(name, str) or not name):
            raise ApiError(400, "Missing or invalid argument: name")
        raw = req.params.get("dictionaries")
        updates = self._v3_dictionaries(raw) if raw is not None else {}
        with self._lock:
            glossary = self._glossary(req.groups["gid"])
            if name:
                glossary.name = name
            for pair, entries in updates.items():
                glossary.dictionaries.setdefault(pair, {}).update(entries)
            return _Response(200, glossary.v3_info())

    def _dictionary_pair(self, req: _Request) -> tuple[str, str]:
        return _glossary_pair(_param_str(req.params, "source_lang"), _param_str(req.params, "target_lang"))

    def _ep_v3_dictionary_put(self, req: _Request) -> _Response:
        """Replace (or create) one dictionary."""
        pair = self._dictionary_pair(req)
        entries = _parse_entries(req.params.get("entries"), req.params.get("entries_format"), *pair)
        with self._lock:
            glossary = self._glossary(req.groups["gid"])
            created = pair not in glossary.dictionaries
            glossary.dictionaries[pair] = entries
        return _Response(201 if created else 200, _dictionary_info(*pair, entries))

    def _ep_v3_dictionary_delete(self, req: _Request) -> _Response:
        pair = self._dictionary_pair(req)
        with self._lock:
            glossary = self._glossary(req.groups["gid"])
            if glossary.dictionaries.pop(pair, None) is None:
                raise ApiError(404, "Dictionary not found.")
        return _Response(204)

    def _ep_v3_glossary_entries(self, req: _Request) -> _Response:
        pair = self._dictionary_pair(req)
        with self._lock:
            entries = self._glossary(req.groups["gid"]).dictionaries.get(pair)
            if entries is None:
                raise ApiError(404, "Dictionary not found.")
            tsv = _entries_to_tsv(entries)
        return _Response(
            200,
            {
                "dictionaries": [
                    {
                        "source_lang": pair[0],
                        "target_lang": pair[1],
                        "entries": tsv,
                        "entries_format": "tsv",
                    }
                ]
            },
        )


_GID = r"(?P<gid>[^/]+)"
_ROUTE_TABLE: list[tuple[str, dict[str, _Endpoint]]] = [
    (r"/v2/translate", {"POST": DeepLServer._ep_translate}),
    (r"/v2/usage", {"GET": DeepLServer._ep_usage, "POST": DeepLServer._ep_usage}),
    (
        r"/v2/languages",
        {"GET": DeepLServer._ep_languages, "POST": DeepLServer._ep_languages},
    ),
    (r"/v2/glossary-language-pairs", {"GET": DeepLServer._ep_glossary_pairs}),
    (
        r"/v2/glossaries",
        {
            "GET": DeepLServer._ep_v2_glossary_list,
            "POST": DeepLServer._ep_v2_glossary_create,
        },
    ),
    (
        rf"/v2/glossaries/{_GID}",
        {
            "GET": DeepLServer._ep_v2_glossary_get,
            "DELETE": DeepLServer._ep_glossary_delete,
        },
    ),
    (rf"/v2/glossaries/{_GID}/entries", {"GET": DeepLServer._ep_v2_glossary_entries}),
    (
        r"/v3/glossaries",
        {
            "GET": DeepLServer._ep_v3_glossary_list,
            "POST": DeepLServer._ep_v3_glossary_create,
        },
    ),
    (
        rf"/v3/glossaries/{_GID}",
        {
            "GET": DeepLServer._ep_v3_glossary_get,
            "PATCH": DeepLServer._ep_v3_glossary_patch,
            "DELETE": DeepLServer._ep_glossary_delete,
        },
    ),
    (rf"/v3/glossaries/{_GID}/entries", {"GET": DeepLServer._ep_v3_glossary_entries}),
    (
        rf"/v3/glossaries/{_GID}/dictionaries",
        {
            "PUT": DeepLServer._ep_v3_dictionary_put,
            "DELETE": DeepLServer._ep_v3_dictionary_delete,
        },
    ),
]
_ROUTES = [(re.compile(pattern), methods) for pattern, methods in _ROUTE_TABLE]


# --------------------------------------------------------------------------
# Script entry point
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Serve until killed, printing the base URL as the only stdout line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--auth-key", default=DEFAULT_AUTH_KEY)
    parser.add_argument("--no-reorder", action="store_true", help="keep tag order")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    server = DeepLServer(
        args.auth_key,
        host=args.host,
        port=args.port,
        latency=args.latency,
        reorder=not args.no_reorder,
        verbose=args.verbose,
    )
    with server:
        print(server.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
