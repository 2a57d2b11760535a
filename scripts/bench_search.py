"""Benchmark: does a reader find the page a phrase comes from, in every language, by typing it into
the site's own search box? Our search (helpcenter-search: Pagefind) against stock Material search,
measured in the same run, plus page and index sizes.

1. Builds the real site twice into temporary copies (sitekit.copy_site): as configured, and with
   `helpcenter-search` disabled (stock Material search). `--site DIR` uses an already built site
   instead of the first build (`make site` leaves one in site/).
2. Samples queries from the built pages, per language, with a seeded RNG (`--seed`, `--queries`):
   page text is the article's paragraphs and list items, as the reader sees them (innerText), without
   the reader notice and the incident lists (not search text, see helpcenter.search).
   - ja, zh: a maximal run of kana/Han characters (no space or punctuation inside), a length of 2–6
     characters (at most the run's), and a start anywhere in the run: what a reader copies or types,
     whole words or not.
   - ko: the same on runs of Hangul, but starting where a word starts (Korean is written with spaces,
     and readers type words from their beginning; particles may be cut off: 인증을 → 인증).
   - en and other space-separated languages: two consecutive words of one paragraph.
   Pages shown in Japanese as a fallback are not sampled. A query's targets are all pages of that
   language whose article text contains it (case-insensitive); recall@5 is the share of queries with
   a target among the first five results.
3. Types each query into the header search box of the language's home page in headless Chromium and
   reads Material's result list, for both sites.
4. Types the readers' queries (tests/search_queries.yml: written by hand as readers type them, each
   with the pages that answer it) the same way: success@3 is the share of queries with an answering
   page among the first three pages listed, and the zero-result rate the share that list nothing.
5. Prints recall@5 and success@3 per language for both, the share of results in the page's language
   (purity), the median bytes of an article page and the bytes of each language's search index, and
   fails if an article page is over 150 KB (search index excluded) or a target of ours is not met.

    .venv/bin/python scripts/bench_search.py [--site site] [--queries 40] [--seed 20261125] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browserkit import ARTICLE_TEXT_JS, LANGS, SearchBox, lang_of, launch, serve
from helpcenter import search
from sitekit import copy_site, run

TARGET = 0.95
PAGE_LIMIT = 150 * 1024
K = 5
TOP = 3  # success@3: an answer among the first three pages listed
READERS = Path(__file__).resolve().parents[1] / "tests" / "search_queries.yml"
NOT_SEARCH_TEXT = ", ".join(search.EXCLUDE_SELECTORS)
RUNS = {
    "ja": re.compile(r"[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+"),  # no ・
    "zh": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+"),
    "ko": re.compile(r"[\uac00-\ud7af]+"),
}
WORD = re.compile(r"[^\W_][\w'’-]*")


def build(root: Path, search_enabled: bool) -> Path:
    """Build the copy in `root`, with or without our search plugin; returns its site folder."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if not search_enabled:
        text, n = re.subn(
            r"^  - helpcenter-search\b.*$", "  - helpcenter-search:\n      enabled: false", text, flags=re.M
        )
        assert n == 1, "mkdocs.yml lists no helpcenter-search plugin"
    config.write_text(text, encoding="utf-8")
    result = run(["mkdocs", "build"], root)
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed in {root}:\n{result.stderr[-3000:]}")
    return root / "site"


def article_urls(site: Path) -> list[str]:
    """Site-relative URLs of the article pages (those search indexes), home pages included."""
    return [p.url.lstrip("/") for p in search.scan(site)]


def extract(page: Any, base: str, urls: list[str]) -> dict[str, dict[str, Any]]:
    """The article text of every page, as the browser renders it."""
    pages = {}
    for url in urls:
        page.goto(base + url)
        data = page.evaluate(ARTICLE_TEXT_JS, NOT_SEARCH_TEXT)
        if data:
            pages[url] = data
    return pages


def contains(page: dict[str, Any], query: str) -> bool:
    """Whether the page's article text has the query (its rendered text, or one of its paragraphs:
    the text of a closed tab or details is in the paragraph's, not in the rendered article's)."""
    q = query.lower()
    return q in page["text"].lower() or any(q in b.lower() for b in page["blocks"])


def sample(pages: dict[str, dict[str, Any]], n: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """`n` distinct queries per language (see the module docstring), each with its target pages."""
    rng = random.Random(seed)
    sets: dict[str, list[dict[str, Any]]] = {}
    for lang in LANGS:
        own = sorted(u for u, d in pages.items() if lang_of(u) == lang and d["state"] != "fallback")
        queries: list[dict[str, Any]] = []
        seen: set[str] = set()
        for _ in range(n * 200):
            if len(queries) == n or not own:
                break
            url = rng.choice(own)
            blocks = pages[url]["blocks"]
            if not blocks:
                continue
            block = rng.choice(blocks)
            if lang in RUNS:
                runs = [m for m in RUNS[lang].finditer(block) if len(m.group()) >= 2]
                if not runs:
                    continue
                m = rng.choice(runs)
                if lang == "ko":  # where the space-separated word starts
                    starts = [m.start()] if m.start() == 0 or not block[m.start() - 1].isalnum() else []
                else:
                    starts = list(range(m.start(), m.end() - 1))
                if not starts:
                    continue
                s = rng.choice(starts)
                query = block[s : s + min(rng.randint(2, 6), m.end() - s)]
            else:
                words = WORD.findall(block)
                if len(words) < 2:
                    continue
                w = rng.randrange(len(words) - 1)
                query = f"{words[w]} {words[w + 1]}"
                if query not in block:  # the two words are not adjacent (punctuation between)
                    continue
            if query.lower() in seen:
                continue
            seen.add(query.lower())
            targets = [u for u in own if contains(pages[u], query)]
            queries.append({"q": query, "source": url, "targets": targets})
        sets[lang] = queries
    return sets


def measure(page: Any, base: str, sets: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Type every query into the search box of its language's home page; hits and purity per language."""
    box = SearchBox(page)
    out: dict[str, dict[str, Any]] = {}
    for lang, queries in sets.items():
        box.open(base + ("" if lang == "ja" else f"{lang}/"))
        hits, slots, own, misses = 0, 0, 0, []
        for item in queries:
            results = box.query(item["q"])
            top = [r["href"].removeprefix(base).split("#")[0].split("?")[0] for r in results[:K]]
            slots += len(top)
            own += sum(lang_of(u) == lang for u in top)
            if any(t in top for t in item["targets"]):
                hits += 1
            else:
                misses.append({"q": item["q"], "source": item["source"], "top": top})
        out[lang] = {
            "recall": hits / len(queries) if queries else 0.0,
            "hits": hits,
            "queries": len(queries),
            "purity": own / slots if slots else 1.0,
            "misses": misses,
        }
    return out


def prefixed(lang: str, path: str) -> str:
    """A page path of the query set (no language prefix) as the site-relative URL in `lang`."""
    return path if lang == "ja" else f"{lang}/{path}"


def measure_readers(page: Any, base: str, sets: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Type every reader query into its language's search box: success@3 and zero results per language."""
    box = SearchBox(page)
    out: dict[str, dict[str, Any]] = {}
    for lang, queries in sets.items():
        box.open(base + prefixed(lang, ""))
        hits, zero, misses = 0, 0, []
        for item in queries:
            results = box.query(item["q"])
            top = [r["href"].removeprefix(base).split("#")[0].split("?")[0] for r in results[:TOP]]
            zero += not results
            if any(prefixed(lang, a) in top for a in item["answers"]):
                hits += 1
            else:
                misses.append({"q": item["q"], "top": top})
        n = len(queries)
        out[lang] = {"success": hits / n, "hits": hits, "queries": n, "zero": zero / n, "misses": misses}
    return out


def page_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """Per language: median and largest bytes of an article page's HTML."""
    sizes: dict[str, list[int]] = {}
    for p in search.scan(site):
        sizes.setdefault(lang_of(p.url), []).append((site / p.rel).stat().st_size)
    return {lang: (int(statistics.median(v)), max(v)) for lang, v in sizes.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (ours) instead of building one")
    parser.add_argument("--queries", type=int, default=40, help="queries per language (default 40)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--json", type=Path, help="write every query, its targets and the misses here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        t0 = time.monotonic()
        ours = args.site.resolve() if args.site else build(copy_site(Path(tmp) / "ours", pages=None), True)
        stock = build(copy_site(Path(tmp) / "stock", pages=None), False)
        print(f"built in {time.monotonic() - t0:.0f} s: ours {ours}, stock {stock}")
        urls = article_urls(ours)
        with sync_playwright() as pw, serve(ours) as ours_base, serve(stock) as stock_base:
            browser = launch(pw)
            page = browser.new_page()
            sets = sample(extract(page, ours_base, urls), args.queries, args.seed)
            t1 = time.monotonic()
            results = {"ours": measure(page, ours_base, sets), "stock": measure(page, stock_base, sets)}
            readers_set = yaml.safe_load(READERS.read_text(encoding="utf-8"))
            readers = {
                name: measure_readers(page, b, readers_set) for name, b in (("ours", ours_base), ("stock", stock_base))
            }
            browser.close()
        typed = sum(len(q) for q in sets.values()) + sum(len(q) for q in readers_set.values())
        print(f"typed {typed * 2} queries in {time.monotonic() - t1:.0f} s")

        print(f"\nrecall@{K} (hits/queries), purity = share of the top {K} in the page's language")
        print(f"{'lang':<5} {'ours (Pagefind)':<24} {'stock Material':<24}")
        short = []
        for lang in LANGS:
            row = []
            for name in ("ours", "stock"):
                r = results[name][lang]
                row.append(f"{r['recall']:.3f} ({r['hits']}/{r['queries']}) p {r['purity']:.2f}")
            print(f"{lang:<5} {row[0]:<24} {row[1]:<24}")
            if results["ours"][lang]["recall"] < TARGET:
                short.append(lang)
        for lang in short:
            misses = results["ours"][lang]["misses"]
            print(f"target {TARGET:.0%} not met for {lang}; missed: " + ", ".join(m["q"] for m in misses))

        print(f"\nreaders' queries ({READERS.name}): success@{TOP} (hits/queries), zero = share with no result")
        print(f"{'lang':<5} {'ours (Pagefind)':<24} {'stock Material':<24}")
        for lang in LANGS:
            row = [
                f"{r['success']:.3f} ({r['hits']}/{r['queries']}) z {r['zero']:.2f}"
                for r in (readers["ours"][lang], readers["stock"][lang])
            ]
            print(f"{lang:<5} {row[0]:<24} {row[1]:<24}")
            ours_r, stock_r = readers["ours"][lang], readers["stock"][lang]
            if ours_r["success"] < TARGET or ours_r["zero"] > 0 or ours_r["success"] <= stock_r["success"]:
                short.append(lang)
                print(
                    f"  {lang} target not met; missed: "
                    + "; ".join(f"{m['q']} -> {m['top']}" for m in ours_r["misses"])
                )

        sizes = page_bytes(ours)
        index = search.bundle_bytes(ours)
        lunr = (stock / "search" / "search_index.json").stat().st_size
        print("\nbytes    article page (median / largest)   search index (ours, on disk)   stock shared index")
        for lang in LANGS:
            med, top = sizes.get(lang, (0, 0))
            print(f"{lang:<8} {med:>8,} / {top:>8,}{'':<16} {index.get(lang, 0):>10,}{'':<20} {lunr:>10,}")
        code = sum(f.stat().st_size for f in (ours / "pagefind/ja").glob("*") if f.suffix in (".js", ".pagefind"))
        print(f"search code of a language (Pagefind JS + worker + wasm): {code:,} bytes, loaded on first search")
        over = {lang: top for lang, (_, top) in sizes.items() if top > PAGE_LIMIT}
        if args.json:
            args.json.write_text(
                json.dumps(
                    {"queries": sets, "results": results, "readers": readers, "sizes": sizes, "index": index},
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        if over:
            print(f"FAIL: article pages over {PAGE_LIMIT // 1024} KB: {over}")
            return 1
        if short:
            print(f"FAIL: targets not met for {', '.join(sorted(set(short)))}")
            return 1
        print(f"every article page is under {PAGE_LIMIT // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
