"""Site search with Pagefind over a built site: one index per language, Japanese fallbacks kept apart.

Why Pagefind (measured, see README "Search"): it builds one index per `<html lang>`, so a reader
searches their own language only; Material's built-in search shares one index between languages and
misses Japanese queries that mix kana and kanji.

Why fallbacks are special: a page served in Japanese under /en/ (no published translation) says
`<html lang="en">`. Indexed as it is, its Japanese text would land in the English index, segmented as
English. Such pages are left out of the main bundle and indexed as Japanese (`force_language`) into a
small bundle per language (`<bundle>/fallback/<lang>/`), which the browser merges into that language's
searches and marks as Japanese (templates/helpcenter/search.js). `<bundle>/helpcenter.json` tells the
browser which bundles exist and which URLs they hold.

Why Chinese and Japanese are indexed character by character: with words, Pagefind needs the reader's
browser to cut the query into the same words as its dictionary cut the page at build time. They often
disagree (and browsers disagree with each other: Debian's Chromium cuts 間違えた into single
characters), and a query that starts or ends inside a word finds nothing. So the text of ja and zh
pages is indexed with a space between kana/Han characters (a copy, the served pages are unchanged),
and search.js searches a query's characters the same way, then puts first the pages that contain the
query as typed (checked on the page text): any substring the reader types is found, like Ctrl+F, and
pages with all its characters follow.

Nothing here knows MkDocs: it reads HTML files, which is also what the benchmark and the tests need.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

ROOT_SELECTOR = "article.md-content__inner"  # the article only: no navigation, header or footer
# Not search text: the reader notice, heading anchors, incident badges and the lists the incidents
# plugin adds (the pages they list are found on their own).
EXCLUDE_SELECTORS = (
    ".hc-notice",
    ".headerlink",
    ".hc-incident-badges",
    ".hc-related",
    ".hc-incident-articles",
    ".hc-incident-index",
    ".hc-lang-tag",
    "[data-search-exclude]",
)
MANIFEST = "helpcenter.json"
SPACED = ("ja", "zh")  # languages indexed character by character (see above)
CJK = "\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{CJK}]{{2,}}")
_ROOT_START = '<article class="md-content__inner'  # ROOT_SELECTOR in Material's markup
_MARKUP = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>)", re.S | re.I)
# Pagefind's own UI bundles: the site uses Material's search box, so they are never loaded.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# A merged bundle is read by the main bundle's code: only its entry, meta, index and fragments are used.
MERGED_KEEP = re.compile(r"^(pagefind-entry\.json|pagefind\..*\.pf_meta|index|fragment)$")

_LANG = re.compile(r"<html[^>]*\slang=\"([^\"]+)\"")
_STATE = re.compile(r'data-translation-state="([a-z]+)"')


class SearchIndexError(RuntimeError):
    """Pagefind failed or found nothing to index."""


@dataclass(frozen=True)
class Page:
    """One built HTML page: its URL from the site root, `<html lang>` and translation state."""

    path: Path
    url: str
    lang: str
    state: str


@dataclass
class Summary:
    """What was indexed: pages per language, fallback pages per language, seconds taken."""

    pages: Counter[str] = field(default_factory=Counter)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(self.pages.items()))
        extra = ", ".join(f"{lang} {len(urls)}" for lang, urls in sorted(self.fallbacks.items()))
        return f"{sum(self.pages.values())} pages ({langs})" + (
            f"; shown in the default language: {extra}" if extra else ""
        )


def scan(site: Path, bundle: str = "pagefind") -> list[Page]:
    """The article pages of a built site (404 and pages without an article are not search results)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(bundle + "/") or path.name == "404.html":
            continue
        text = path.read_text(encoding="utf-8")
        if "md-content__inner" not in text:
            continue
        lang = _LANG.search(text)
        state = _STATE.search(text)
        url = "/" + (rel.removesuffix("index.html") if path.name == "index.html" else rel)
        pages.append(Page(path, url, lang.group(1).lower() if lang else "", state.group(1) if state else ""))
    return pages


def spaced(html_text: str) -> str:
    """The page with a space between adjacent kana/Han characters of its text (tags, scripts untouched).

    Only the article (ROOT_SELECTOR) is indexed, so only it is spaced when it is found: the rest of a
    page, mostly navigation, is several times its size (measured: 20x faster than the whole page).
    """
    start = html_text.find(_ROOT_START)
    end = html_text.find("</article>", start) if start >= 0 else -1
    if end < 0:
        start, end = 0, len(html_text)
    parts = _MARKUP.split(html_text[start:end])
    text = "".join(part if i % 2 else _RUN.sub(_space_run, part) for i, part in enumerate(parts))
    return html_text[:start] + text + html_text[end:]


def _space_run(run: re.Match[str]) -> str:
    return " ".join(run.group())


async def _write(staged: Path, glob: str, out: Path, config: IndexConfig) -> int:
    """Index the files of `staged` matching `glob` into the bundle folder `out` (replaced); returns the page count.

    One `add_directory` request: the Python API reads one answer per 0.1 s, so adding files one by
    one costs 0.1 s a page.
    """
    if out.exists():
        shutil.rmtree(out)
    # written on leaving the context, to output_path (calling write_files() too would write twice,
    # the second time into ./pagefind of the working directory)
    async with PagefindIndex(config={**config, "output_path": str(out)}) as index:
        done = await index.add_directory(str(staged), glob=glob)
    return int(done["page_count"])


def _stage(pages: list[Page], site: Path, staged: Path, spaced_langs: tuple[str, ...], default: str) -> None:
    """Copies of `pages` under `staged` (same relative paths), spaced where their text is Chinese or Japanese."""
    for page in pages:
        target = staged / page.path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = page.path.read_text(encoding="utf-8")
        lang = default if page.state == "fallback" else page.lang.split("-")[0]
        target.write_text(spaced(text) if lang in spaced_langs else text, encoding="utf-8")


def build(
    site: Path,
    *,
    default: str,
    default_name: str = "",
    bundle: str = "pagefind",
    exclude: tuple[str, ...] = EXCLUDE_SELECTORS,
    spaced_langs: tuple[str, ...] = SPACED,
) -> Summary:
    """(Re)write the search bundle of the built site in `site`.

    `default` is the language of fallback pages, `default_name` its name as results are tagged (日本語).
    """
    start = time.monotonic()
    pages = scan(site, bundle)
    main = [p for p in pages if p.state != "fallback" and p.path.name == "index.html"]
    if not main:
        raise SearchIndexError(f"no article pages to index in {site}")
    fallbacks: dict[str, list[Page]] = {}
    for p in pages:
        if p.state == "fallback" and p.path.name == "index.html":
            fallbacks.setdefault(p.lang, []).append(p)
    out = site / bundle
    config: IndexConfig = {"root_selector": ROOT_SELECTOR, "exclude_selectors": list(exclude)}
    counts: dict[str, int] = {}

    async def run(tmp: Path) -> None:
        counts[""] = await _write(tmp / "main", "**/index.html", out, config)
        for lang in sorted(fallbacks):
            fallback_config: IndexConfig = {**config, "force_language": default}
            counts[lang] = await _write(tmp / lang, "**/index.html", out / "fallback" / lang, fallback_config)

    with tempfile.TemporaryDirectory(prefix="helpcenter-search-") as tmp:
        _stage(main, site, Path(tmp) / "main", spaced_langs, default)
        for lang, group in fallbacks.items():
            _stage(group, site, Path(tmp) / lang, spaced_langs, default)
        try:
            asyncio.run(run(Path(tmp)))
        except Exception as exc:  # the binary is missing, the service died, or it answered with an error
            raise SearchIndexError(f"Pagefind failed: {exc!r}") from exc
    expected = {"": len(main), **{lang: len(group) for lang, group in fallbacks.items()}}
    if counts != expected:
        raise SearchIndexError(f"Pagefind indexed {counts} pages where {expected} were expected")
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
    for lang in fallbacks:
        for child in (out / "fallback" / lang).iterdir():
            if not MERGED_KEEP.match(child.name):
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    manifest = {
        "default": default,
        "name": default_name or default,
        "spaced": list(spaced_langs),
        "fallback": {
            lang: {"bundle": f"fallback/{lang}/", "urls": [p.url for p in group]}
            for lang, group in sorted(fallbacks.items())
        },
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = Summary(Counter(p.lang for p in main), {k: [p.url for p in v] for k, v in fallbacks.items()})
    summary.seconds = time.monotonic() - start
    return summary


def bundle_bytes(site: Path, bundle: str = "pagefind") -> dict[str, int]:
    """Bytes on disk of each language's index (meta, index chunks and fragments) in the main bundle."""
    out = site / bundle
    sizes: Counter[str] = Counter()
    for path in [*out.glob("pagefind.*.pf_meta"), *out.glob("index/*"), *out.glob("fragment/*")]:
        name = path.name.removeprefix("pagefind.")
        sizes[name.split("_", 1)[0]] += path.stat().st_size
    return dict(sizes)
