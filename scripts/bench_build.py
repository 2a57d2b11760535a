"""Benchmark: what our MkDocs plugins cost over a plain MkDocs + Material + static-i18n build.

Generates a synthetic help center (default 250 articles, translated into en, zh and ko), builds it
with our plugins, then builds the very pages our plugin staged with plain MkDocs + Material +
static-i18n and no plugin of ours, and prints both times (the best and the median of interleaved
runs), their ratios, the median of each round's ratio to its own plain build, and peak memory. Run:

    .venv/bin/python scripts/bench_build.py [--articles 250] [--runs 7]

Seconds on a shared machine vary by 20 % from one build to the next. `--instructions` counts instead
the instructions each build's process executes, with Valgrind (cachegrind, no cache simulation): the
same build counts the same to a millionth, so one build of each kind is enough (each takes about 17
times as long as without Valgrind; `--articles 50` keeps it to minutes):

    .venv/bin/python scripts/bench_build.py --instructions [--articles 50]

`--untranslated 10` adds a build of a copy of the corpus in which 10 % of the articles are not
translated (no catalogs: shown in Japanese) or stale (a Japanese paragraph edited after review: that
unit shown in Japanese), half each, measured in the same rounds as the fully translated corpus:

    .venv/bin/python scripts/bench_build.py --untranslated 10 [--runs 7]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from helpcenter import catalog
from helpcenter.segment import parse

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
PLAIN = "plain MkDocs + Material + static-i18n"  # the baseline build
TRANSLATED = "helpcenter plugins, with search"  # every page translated: the baseline of --untranslated
INCIDENTS = ("hacking", "outage", "phishing", "mistaken-trade")
CATEGORIES = ("security", "phishing", "assets", "outage", "trading", "support")
WORDS = [
    "二段階認証",
    "出金",
    "入金",
    "暗号資産",
    "取引",
    "注文",
    "確認",
    "設定",
    "画面",
    "アカウント",
    "手続き",
    "通知",
    "お客様",
    "当社",
    "場合",
    "時間",
    "必要",
    "安全",
]


def sentence(rng: random.Random) -> str:
    return "、".join("".join(rng.choices(WORDS, k=rng.randint(2, 4))) for _ in range(rng.randint(2, 4))) + "。"


def article(rng: random.Random, n: int, category: str) -> str:
    """A Japanese article of about 16 units with the constructs writers use."""
    parts = [
        f"---\ntitle: 記事{n}の{rng.choice(WORDS)}\ndescription: {sentence(rng)}\ncategory: {category}\n"
        f"incidents: [{rng.choice(INCIDENTS)}]\nlast_reviewed: 2026-11-20\n---\n",
        sentence(rng) + "**" + rng.choice(WORDS) + "**" + sentence(rng),
        "## " + rng.choice(WORDS) + "について",
        "\n".join(f"{i}. {sentence(rng)}" for i in range(1, 4)),
        '!!! warning "注意"\n\n    ' + sentence(rng) + "[関連記事](../support/index.md)を参照。",
        "| 項目 | 内容 |\n| --- | --- |\n" + "\n".join(f"| {rng.choice(WORDS)} | {sentence(rng)} |" for _ in range(2)),
        "## よくある質問",
        f"### {rng.choice(WORDS)}はどうすればよいですか？ {{ #q{n} }}",
        sentence(rng) + "`123456`" + sentence(rng),
    ]
    return "\n\n".join(parts) + "\n"


def make_corpus(dest: Path, articles: int, languages: tuple[str, ...]) -> None:
    rng = random.Random(42)
    for name in ("mkdocs.yml", "overrides", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    docs = dest / "docs"
    for rel in [
        "index.md",
        *(f"{c}/index.md" for c in CATEGORIES),
        *(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs/incidents").glob("*.md")),
    ]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        # links to the repository's articles, which the corpus does not have, become their text
        text = (ROOT / "docs" / rel).read_text(encoding="utf-8")
        (docs / rel).write_text(re.sub(r"\[([^\]]*)\]\((?!https?:)[^)]*\)", r"\1", text), encoding="utf-8")
    (dest / "translations").mkdir()
    shutil.copy2(ROOT / "translations/glossary.yml", dest / "translations/glossary.yml")
    for n in range(articles):
        category = CATEGORIES[n % len(CATEGORIES)]
        page = f"{category}/article-{n:03d}.md"
        (docs / page).write_text(article(rng, n, category), encoding="utf-8")
    for path in docs.rglob("*.md"):  # every page translated (reviewed), so every language is built
        page = path.relative_to(docs).as_posix()
        doc = parse(page, path.read_text(encoding="utf-8"))
        for lang in languages:
            merged = catalog.merge(doc.units, catalog.new_catalog(lang, page), f"docs/{page}")
            for unit, entry in zip(doc.units, merged.entries, strict=True):
                catalog.set_human(entry, f"[{lang}] {unit.text}", "benchmark")
            catalog.save(merged.po, catalog.catalog_path(dest / "translations", lang, page))


def untranslate(dest: Path, percent: float) -> int:
    """Leave `percent` % of the articles untranslated (their catalogs removed) or stale (a paragraph
    of the Japanese edited), alternately; returns how many articles were changed."""
    articles = sorted((dest / "docs").glob("*/article-*.md"))
    chosen = articles[:: max(1, round(100 / percent))] if percent > 0 else []
    for n, path in enumerate(chosen):
        page = path.relative_to(dest / "docs").as_posix()
        if n % 2 == 0:
            for po in (dest / "translations").glob(f"*/{page[:-3]}.po"):
                po.unlink()
        else:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("。", "（改訂）。", 1), encoding="utf-8")
    return len(chosen)


def plain_config(dest: Path) -> Path:
    """The same site without our plugins, built from the pages our plugin staged."""
    config = yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#"))
    config["plugins"] = [
        p
        for p in config["plugins"]
        if not (str(p).startswith("helpcenter-") or (isinstance(p, dict) and "helpcenter" in p))
    ]
    config["docs_dir"] = ".cache/helpcenter/docs"
    config["site_dir"] = "site-plain"
    config["theme"].pop("custom_dir", None)  # our templates need our plugin's context
    path = dest / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def no_search_config(dest: Path) -> Path:
    """Our plugins without `helpcenter-search`: what the foundation costs, apart from indexing."""
    text = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    path = dest / "mkdocs-nosearch.yml"
    kept = [ln for ln in text.split("\n") if not ln.strip().startswith(("- helpcenter-search", "site_dir:"))]
    path.write_text("\n".join([*kept, "site_dir: site-nosearch"]), encoding="utf-8")  # builds side by side
    return path


def _prepare(dest: Path, cold: bool) -> dict[str, str]:
    """The environment of one build; `cold` removes .cache/ first (as in a fresh clone), so every page
    is loaded and checked. A fixed hash seed: the same build runs the same code (counts repeat)."""
    if cold:
        shutil.rmtree(dest / ".cache", ignore_errors=True)
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


def timed_build(dest: Path, config: str, cold: bool = False) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one `mkdocs build` in a fresh process (its own
    rusage, which includes Pagefind's process)."""
    env = _prepare(dest, cold)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [MKDOCS, "build", "-q", "-f", config], cwd=dest, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"build failed ({config}):\n{stderr.decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def counted_build(dest: Path, config: str, cold: bool = False) -> int:
    """Instructions the process of one `mkdocs build` executes (all its threads), counted by Valgrind.

    Pagefind's processes are not counted: they run beside the build, on the other core (their CPU
    time is in the timing table); what the build waits for at its end is not an instruction either.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("--instructions needs Valgrind (Debian: apt install valgrind)")
    tool = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command = [*tool, sys.executable, MKDOCS, "build", "-q", "-f", config]
    done = subprocess.run(command, cwd=dest, env=_prepare(dest, cold), capture_output=True, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or found is None:
        sys.exit(f"build failed ({config}):\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def count(dest: Path, variants: dict[str, tuple[str, bool]]) -> None:
    """Print the instructions of one build of each kind and their ratios to the plain build."""
    warm = [name for name, (_, cold) in variants.items() if not cold]
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:  # counts do not depend on the load
        counts = dict(zip(warm, pool.map(lambda name: counted_build(dest, variants[name][0]), warm), strict=True))
    for name, (config, cold) in variants.items():
        if cold:  # alone: it removes the cache the others read
            counts[name] = counted_build(dest, config, cold)
    print(f"{'build':<42}{'instructions':>16}{'ratio':>8}")
    for name, n in counts.items():
        print(f"{name:<42}{n:>16,}{n / counts[PLAIN]:>8.3f}")
    print(
        "instructions: executed by the build's process, counted by Valgrind (the same build counts the same\n"
        "to a millionth); Pagefind's processes run beside it and are not counted."
    )


def measure(dest: Path, variants: dict[str, tuple[str, bool]], runs: int) -> dict[str, list[float]]:
    """Print the seconds, CPU seconds and peak memory of `runs` rounds of builds of each kind."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    rss: dict[str, int] = dict.fromkeys(variants, 0)
    names = list(variants)
    for run in range(runs):  # interleaved and rotated: drift, and wear from the builds before,
        for name in names[run % len(names) :] + names[: run % len(names)]:  # hit every variant alike
            config, cold = variants[name]
            t, c, peak = timed_build(dest, config, cold)
            times[name].append(t)
            cpu[name].append(c)
            rss[name] = max(rss[name], peak)
    header = (
        f"{'best s':>7}{'ratio':>7}{'median s':>9}{'ratio':>7}{'paired':>7}{'CPU s':>7}{'ratio':>7}{'peak RSS':>10}"
    )
    print(f"{'build':<42}{header}  runs (s)")
    for name, runs_s in times.items():
        best, median, median_cpu = min(runs_s), statistics.median(runs_s), statistics.median(cpu[name])
        paired = statistics.median(t / plain for t, plain in zip(runs_s, times[PLAIN], strict=True))
        print(
            f"{name:<42}{best:>7.2f}{best / min(times[PLAIN]):>7.3f}{median:>9.2f}"
            f"{median / statistics.median(times[PLAIN]):>7.3f}{paired:>7.3f}{median_cpu:>7.1f}"
            f"{median_cpu / statistics.median(cpu[PLAIN]):>7.3f}{rss[name] / 1024:>6.0f} MiB"
            f"  {[round(t, 2) for t in runs_s]}"
        )
    print(
        "target: helpcenter plugins <= 1.10 x plain (a rebuild; the cold row is a fresh clone's first build).\n"
        "best: the least disturbed run (as timeit reports); slower runs of the same build are the machine's noise.\n"
        "paired: the median of each round's ratio to the plain build of the same round (builds minutes apart\n"
        "meet the same machine speed)"
    )
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--runs", type=int, default=7, help="builds of each kind (rounds)")
    parser.add_argument("--instructions", action="store_true", help="count instructions (Valgrind) instead of time")
    parser.add_argument(
        "--untranslated",
        type=float,
        default=0,
        metavar="PERCENT",
        help="also build a copy with this %% of articles untranslated or stale",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
        dest = Path(tmp)
        make_corpus(dest, args.articles, ("en", "zh", "ko"))
        timed_build(dest, "mkdocs.yml")  # stages the pages and warms the disk cache
        variants = {
            PLAIN: (plain_config(dest).name, False),
            "helpcenter plugins, without search": (no_search_config(dest).name, False),
            TRANSLATED: ("mkdocs.yml", False),
            "the same, cold (no .cache/, fresh clone)": ("mkdocs.yml", True),
        }
        if args.untranslated:
            other = dest / "untranslated"  # beside the corpus: a build's paths are relative to its mkdocs.yml
            shutil.copytree(dest, other, ignore=shutil.ignore_patterns("site*", ".cache", "untranslated"))
            changed = untranslate(other, args.untranslated)
            timed_build(other, "mkdocs.yml")
            name = f"with search, {changed} of {args.articles} articles untranslated or stale"
            variants[name] = (str(other / "mkdocs.yml"), False)
        pages = sum(1 for _ in (dest / "site").rglob("index.html"))
        print(f"corpus: {args.articles} articles + index/hub pages, 4 languages, {pages} HTML pages", flush=True)
        if args.instructions:
            count(dest, variants)
        else:
            times = measure(dest, variants, args.runs)
            if args.untranslated:
                mixed, full = times[name], times[TRANSLATED]
                paired = statistics.median(m / f for m, f in zip(mixed, full, strict=True))
                print(
                    f"{name}: median {statistics.median(mixed):.2f} s against {statistics.median(full):.2f} s fully"
                    f" translated (paired ratio {paired:.3f})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
