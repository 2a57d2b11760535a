"""The last check before a page reaches readers: every built HTML page (and SVG) scanned as a
browser would parse it, independent of the checks on sources and translations (defence in depth).

A page may not carry an event attribute, a script that is not the theme's own, an element that
embeds or re-bases other content, a script-capable URL, or a link to a host that is not allowed.
Pages that pass get a Content-Security-Policy that allows exactly the theme's inline scripts, so
a browser refuses whatever might still slip through.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from .safety import URL_ATTRIBUTES, url_problem

#: Elements that embed, frame, re-base or animate other content into a page.
FORBIDDEN = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "animate", "set", "handler"}
)
#: Script types a browser does not run (data blocks: Material's config, JSON-LD).
DATA_SCRIPTS = frozenset({"application/json", "application/ld+json"})
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_STYLE_DANGER = re.compile(r"url\s*\(|expression\s*\(|@import|\\", re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)


def theme_scripts(template_dirs: Iterable[str | Path]) -> list[re.Pattern[str]]:
    """The inline scripts of the theme's templates, each a pattern in which a template expression
    (a base URL, a scope) may only be a path: what the theme itself can write into a page."""
    patterns = []
    for folder in template_dirs:
        for path in sorted(_templates(Path(folder))):
            for body in _INLINE_SCRIPT.findall(path.read_text(encoding="utf-8")):
                parts = _JINJA.split(body)
                patterns.append(re.compile(r"[\w./:-]*".join(re.escape(p) for p in parts), re.S))
    return patterns


def _templates(folder: Path) -> Iterable[Path]:
    """The HTML templates of a theme folder, not the thousands of icons in `.icons`."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (Path(top, name) for name in files if name.endswith(".html"))


@dataclass
class Scan:
    """What the guard found in one page: problems, and the theme's inline scripts it allows."""

    problems: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    clues: list[str] = field(default_factory=list)  # text of the offending elements, to find their source line


@dataclass
class Guard:
    hosts: frozenset[str]
    scripts: list[re.Pattern[str]]
    #: digests of pages approved by an earlier build with the same rules -> their theme scripts; a
    #: rebuild writes the same bytes for almost every page, and parsing them all again costs more
    #: than the rest of our plugins together (README, Performance)
    approved: dict[bytes, list[str]] = field(default_factory=dict)
    fresh: dict[bytes, list[str]] = field(default_factory=dict)  # approved in this build

    @property
    def rules(self) -> str:
        """What an approval depends on: the hosts, the theme's scripts and this code."""
        code = b"".join(Path(__file__).with_name(name).read_bytes() for name in ("guard.py", "safety.py"))
        parts = [sorted(self.hosts), [p.pattern for p in self.scripts], hashlib.blake2b(code).hexdigest()]
        return hashlib.blake2b(repr(parts).encode()).hexdigest()

    def scan(self, html: str) -> Scan:
        digest = hashlib.blake2b(html.encode(), digest_size=16).digest()
        known = self.fresh.get(digest, self.approved.get(digest))
        if known is not None:
            self.fresh[digest] = known
            return Scan([], list(known))
        scan = self._scan(html)
        if not scan.problems:
            self.fresh[digest] = scan.scripts
        return scan

    def remembered(self) -> dict[bytes, list[str]]:
        """What the next build may reuse: this build's approvals, and the earlier ones while they are
        few (two configurations building into one cache, such as a build with and one without search,
        would otherwise evict each other's every time)."""
        if len(self.approved) > 3 * len(self.fresh) + 1000:
            return dict(self.fresh)
        return {**self.approved, **self.fresh}

    def _scan(self, html: str) -> Scan:
        scan = Scan()
        tree = LexborHTMLParser(html)
        root = tree.root
        for node in root.traverse(include_text=False) if root else ():
            tag = node.tag or ""
            attrs = node.attributes
            before = len(scan.problems)
            self._element(node.text(deep=True) if tag == "script" else "", tag, attrs, scan)
            if len(scan.problems) > before:
                scan.clues += [v for v in attrs.values() if v and len(v) > 2] + [f"{k}=" for k in attrs] + [f"<{tag}"]
        return scan

    def _element(self, body: str, tag: str, attrs: dict[str, str | None], scan: Scan) -> None:
        if tag in FORBIDDEN:
            scan.problems.append(f"<{tag}> embeds or re-bases content")
        elif tag == "script":
            self._script(body, attrs, scan)
        elif tag == "meta" and (attrs.get("http-equiv") or "").lower() not in ("", "content-security-policy"):
            scan.problems.append(f"<meta http-equiv={attrs.get('http-equiv')!r}>: only the page's CSP may be set")
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on"):
                scan.problems.append(f"event attribute {name}={value[:40]!r} on <{tag}>")
            elif name in URL_ATTRIBUTES and (problem := url_problem(value, self.hosts)):
                scan.problems.append(f"<{tag} {name}>: {problem}")
            elif name == "srcset" and any(url_problem(u.split()[0], self.hosts) for u in value.split(",") if u):
                scan.problems.append(f"<{tag} srcset={value[:40]!r}>: a URL that is not allowed")
            elif name == "style" and _STYLE_DANGER.search(value):
                scan.problems.append(f"<{tag} style={value[:40]!r}>: styles may not load or run anything")

    def _script(self, body: str, attrs: dict[str, str | None], scan: Scan) -> None:
        kind = (attrs.get("type") or "").lower()
        src = attrs.get("src")
        if kind in DATA_SCRIPTS and src is None:
            return
        if src is not None:
            if re.match(r"[a-z][a-z0-9+.-]*:|[/\\]{2}", src.strip(), re.I):
                scan.problems.append(f"<script src={src[:60]!r}>: scripts come from this site only")
        elif any(p.fullmatch(body) for p in self.scripts):
            scan.scripts.append(body)
        else:
            scan.problems.append(f"<script> that is not the theme's: {body.strip()[:60]!r}")


@lru_cache(maxsize=64)
def csp(scripts: tuple[str, ...]) -> str:
    """The page's policy: scripts from this site and the theme's inline scripts by hash; WebAssembly
    for search (Pagefind); no plugins, no re-basing, forms only to this site."""
    hashes = sorted(
        {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    )
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *hashes])
    return f"script-src {script_src}; object-src 'none'; base-uri 'self'; form-action 'self'"


def protect(html: str, scan: Scan) -> str:
    """The page with its CSP as the first element of <head> after the charset (a policy applies only
    to what follows it)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp(tuple(scan.scripts))}">'
    found = _CHARSET.search(html)
    if found:
        return html[: found.end()] + meta + html[found.end() :]
    return html.replace("<head>", "<head>" + meta, 1)
