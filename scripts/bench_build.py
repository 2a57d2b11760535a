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

Side by side (the default run): the plain stack, our plugins in one `mkdocs build` (serial: static-i18n
builds the languages one after another) and `helpcenter build` (parallel: one process per language, as
many at once as cores, then the merge), each warm (a rebuild) and cold (no .cache/, a fresh clone's first
build). `--quick` does the same with 3 rounds and without the no-search row (about 10 minutes);
`--scaling` builds 50, 250 and 1,000 articles in 4 languages and 250 and 1,000 in 8 (one round each for
the large corpora) and prints the time, the ratio to the 250-article build, an article page's weight
and the per-language times of the parallel build (from which a 4-core runner's time is worked out).
Peak memory is the most the build's whole process tree held at once: the sum of the proportional set
sizes (PSS) of the build and every process it started (Pagefind, the language builds), sampled every
50 ms (a peak shorter than that can be missed). The sampling costs CPU (the kernel walks each process's
memory), so the table's timed rounds are not sampled: one more build of each kind is, untimed, and the
script prints what the sampling took; `--scaling` and `--large` sample their timed builds.

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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

import yaml

from helpcenter import catalog
from helpcenter.segment import parse

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
HELPCENTER = str(Path(sys.executable).parent / "helpcenter")
PLAIN = "plain MkDocs + Material + static-i18n"  # the baseline build
TRANSLATED = "ours serial (mkdocs build), warm"  # every page translated: the baseline of --untranslated
PARALLEL = "helpcenter build"  # a variant's config: the languages side by side (helpcenter.build)
EXTRA_LANGUAGES = {"de": "DE", "fr": "FR", "es": "ES", "it": "IT"}  # --scaling's 8 languages (Material has them)
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


def add_languages(dest: Path, codes: dict[str, str]) -> None:
    """More languages in the corpus' mkdocs.yml (static-i18n's list and the plugin's DeepL codes)."""
    path = dest / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    plugin, i18n = "        ko: {deepl: KO}\n", "          site_name: Hoshi Exchange 고객센터\n"
    assert plugin in text and i18n in text, "mkdocs.yml changed: update add_languages"
    text = text.replace(plugin, plugin + "".join(f"        {c}: {{deepl: {d}}}\n" for c, d in codes.items()))
    entries = "".join(f"        - locale: {c}\n          name: {c}\n          build: true\n" for c in codes)
    path.write_text(text.replace(i18n, i18n + entries), encoding="utf-8")


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


def command(config: str) -> list[str]:
    """The command of one build: `mkdocs build -f config`, or `helpcenter build` for PARALLEL."""
    return [HELPCENTER, "build", "--no-strict"] if config == PARALLEL else [MKDOCS, "build", "-q", "-f", config]


def tree_memory(pid: int) -> int:
    """The memory (KiB) `pid` and every process under it hold now: the sum of their proportional set
    sizes (PSS: a page shared by n processes, such as the Pagefind binary's dictionaries in each of
    its processes, counts 1/n in each; a sum of RSS would count it n times)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)[1])  # type: ignore[index]
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, TypeError):  # the process ended meanwhile
            continue
    return total


class PeakMemory:
    """The most resident memory a process tree held at once, sampled every 50 ms in a thread; and
    the CPU seconds the sampling took (the kernel walks each process's memory for its PSS: about 5 ms
    a sample while a parallel build runs eight processes, measured)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.cpu, self.done = pid, 0, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        start = time.thread_time()
        while not self.done.wait(0.05):
            self.peak = max(self.peak, tree_memory(self.pid))
        self.cpu = time.thread_time() - start

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


class Run(NamedTuple):
    """One build: wall seconds, CPU seconds (the build and every process it started), peak memory
    (KiB, the whole process tree: PeakMemory; 0 when not sampled), what it printed on stdout (the
    parallel build's per-language times) and the CPU seconds the memory sampling took."""

    seconds: float
    cpu: float
    peak: int
    out: str
    sampling: float


def run_build(dest: Path, config: str, cold: bool = False, sample: bool = True) -> Run:
    """One build in a fresh process; `sample` False: its memory is not sampled, so the sampling's
    CPU does not compete with the build (peak 0)."""
    env = _prepare(dest, cold)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build's processes count once it is waited for
    start = time.perf_counter()
    proc = subprocess.Popen(command(config), cwd=dest, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = PeakMemory(proc.pid) if sample else None
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = sampler.stop() if sampler else 0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"build failed ({config}):\n{stderr.decode(errors='replace')[-3000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(elapsed, cpu, peak, stdout.decode(errors="replace"), sampler.cpu if sampler else 0.0)


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
    names = list(variants)
    for run in range(runs):  # interleaved and rotated: drift, and wear from the builds before,
        for name in names[run % len(names) :] + names[: run % len(names)]:  # hit every variant alike
            config, cold = variants[name]
            build = run_build(dest, config, cold, sample=False)
            times[name].append(build.seconds)
            cpu[name].append(build.cpu)
    sampled = {name: run_build(dest, *variants[name]) for name in names}  # memory: one more build each, untimed
    rss = {name: r.peak for name, r in sampled.items()}
    costly_name = max(sampled, key=lambda name: sampled[name].sampling)
    costly = sampled[costly_name]
    header = (
        f"{'best s':>7}{'ratio':>7}{'median s':>9}{'ratio':>7}{'paired':>7}{'CPU s':>7}{'ratio':>7}{'peak PSS':>10}"
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
        "target: helpcenter build (parallel) <= 0.65 x plain, warm and cold, with search. Plain has no cache:\n"
        "its build is the same warm or cold. peak: the whole process tree's PSS at once (sampled, 50 ms),\n"
        f"in one more build of each kind, not timed: the sampling took up to {costly.sampling:.1f} CPU s per\n"
        f"build ({costly_name}: {costly.seconds:.1f} s), CPU the timed builds would have shared with it.\n"
        "best: the least disturbed run (as timeit reports); slower runs of the same build are the machine's noise.\n"
        "paired: the median of each round's ratio to the plain build of the same round (builds minutes apart\n"
        "meet the same machine speed)"
    )
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--runs", type=int, help="builds of each kind (rounds; default 7, with --large 1)")
    parser.add_argument("--instructions", action="store_true", help="count instructions (Valgrind) instead of time")
    parser.add_argument(
        "--untranslated",
        type=float,
        default=0,
        metavar="PERCENT",
        help="also build a copy with this %% of articles untranslated or stale",
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds, no no-search row (about 10 minutes)")
    parser.add_argument("--scaling", action="store_true", help="50 / 250 / 1,000 articles, 4 and 8 languages")
    parser.add_argument("--sizes", help="with --scaling: LANGSxARTICLES,... (default: 4x50,4x250,4x1000,8x250,8x1000)")
    parser.add_argument("--large", action="store_true", help="one article of 1 MB, then of 5 MB ([--runs N] rounds)")
    args = parser.parse_args()
    if args.scaling:
        pairs = [tuple(map(int, size.split("x"))) for size in args.sizes.split(",")] if args.sizes else SIZES
        scaling(tuple((a, b) for a, b in pairs))
        return 0
    if args.large:
        large(args.runs or 1)
        return 0
    args.runs = args.runs or 7
    if args.quick:
        args.runs = min(args.runs, 3)
    with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
        dest = Path(tmp)
        make_corpus(dest, args.articles, ("en", "zh", "ko"))
        run_build(dest, "mkdocs.yml", sample=False)  # stages the pages and warms the disk cache
        variants = {
            PLAIN: (plain_config(dest).name, False),
            "helpcenter plugins, without search": (no_search_config(dest).name, False),
            TRANSLATED: ("mkdocs.yml", False),
            "ours serial, cold (no .cache/, fresh clone)": ("mkdocs.yml", True),
            "ours parallel (helpcenter build), warm": (PARALLEL, False),
            "ours parallel, cold (no .cache/)": (PARALLEL, True),
        }
        if args.quick:
            del variants["helpcenter plugins, without search"]
        if args.untranslated:
            other = dest / "untranslated"  # beside the corpus: a build's paths are relative to its mkdocs.yml
            shutil.copytree(dest, other, ignore=shutil.ignore_patterns("site*", ".cache", "untranslated"))
            changed = untranslate(other, args.untranslated)
            run_build(other, "mkdocs.yml", sample=False)
            name = f"serial, {changed} of {args.articles} articles untranslated or stale"
            variants[name] = (str(other / "mkdocs.yml"), False)
        pages = sum(1 for _ in (dest / "site").rglob("index.html"))
        print(f"corpus: {args.articles} articles + index/hub pages, 4 languages, {pages} HTML pages", flush=True)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
        if args.instructions:
            count(dest, {name: v for name, v in variants.items() if v[0] != PARALLEL})
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


def big_article(rng: random.Random, size: int) -> str:
    """One article of about `size` bytes: sections of paragraphs and a table each, as writers write."""
    parts = ["---\ntitle: 大きな記事\ndescription: とても長い記事\ncategory: support\nlast_reviewed: 2026-11-20\n---\n"]
    total, n = len(parts[0].encode()), 0
    while total < size:
        paragraphs = "\n\n".join(sentence(rng) * 3 for _ in range(8))
        parts.append(f"## 節{n}\n\n{paragraphs}\n\n| 項目 | 内容 |\n| --- | --- |\n| {n} | {sentence(rng)} |\n")
        total, n = total + len(parts[-1].encode()), n + 1
    return "\n".join(parts)


def large(runs: int = 1) -> None:
    """A 12-article site, then the same with one article of 1 MB and of 5 MB (untranslated: shown in
    Japanese in every language), built by `helpcenter build`: the time, CPU time and memory the article
    adds, and each language's time; `runs` rounds (each builds every size once), then the medians.

    The CPU seconds (every process of the build) are the steadier measure of proportionality on a
    shared machine: one build's time moves by a second or more, and at 1 MB a second is a second per
    MB. The languages' times show which build the whole waited for (README "Large articles")."""
    sizes = (0, 1_000_000, 5_000_000)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    print(
        f"{'round':>5}{'article':>9}  {'s':>7}{'added s':>9}{'s per MB':>9}{'CPU s':>8}{'CPU/MB':>8}{'peak':>9}"
        "  per language"
    )
    with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
        corpora = {size: Path(tmp) / str(size) for size in sizes}
        for size, dest in corpora.items():
            dest.mkdir()
            make_corpus(dest, 12, ("en", "zh", "ko"))
            if size:
                (dest / "docs/support/big.md").write_text(big_article(random.Random(7), size), encoding="utf-8")
        added: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes[1:]}
        for run in range(1, runs + 1):
            base = base_cpu = 0.0
            for size, dest in corpora.items():
                shutil.rmtree(dest / "site", ignore_errors=True)  # each round writes a new site, as the first
                seconds, cpu, peak, out, _ = run_build(dest, PARALLEL, cold=True)
                if not size:
                    base, base_cpu = seconds, cpu
                mb = size / 1e6
                if size:
                    added[size].append(((seconds - base) / mb, (cpu - base_cpu) / mb))
                per_mb = f"{added[size][-1][0]:>9.1f}" if size else f"{'':>9}"
                cpu_per_mb = f"{added[size][-1][1]:>8.1f}" if size else f"{'':>8}"
                found = re.search(r"\(([^)]*)\)\s*$", out)
                print(
                    f"{run:>5}{mb:>6.0f} MB  {seconds:>7.1f}{seconds - base:>9.1f}{per_mb}{cpu:>8.1f}{cpu_per_mb}"
                    f"{peak / 1024:>5.0f} MiB  {found[1] if found else ''}",
                    flush=True,
                )
    if runs > 1:
        for size, rates in added.items():
            seconds_mb, cpu_mb = statistics.median(s for s, _ in rates), statistics.median(c for _, c in rates)
            print(f"median of {runs} rounds, {size / 1e6:.0f} MB: {seconds_mb:.1f} s per MB, {cpu_mb:.1f} CPU s per MB")
    print(
        "cold builds (no .cache/), 4 languages; proportional: the same seconds per MB at 1 and 5 MB; CPU: every\n"
        "process of the build."
    )


def makespan(seconds: list[float], cores: int) -> float:
    """When the last of these builds ends, started in order, `cores` at a time (as helpcenter build does)."""
    ends = [0.0] * cores
    for s in seconds:
        ends[ends.index(min(ends))] += s
    return max(ends)


def on_cores(per_language: str, total: float, cores: int) -> float:
    """A runner with `cores` cores, worked out from one parallel build on this machine's: each
    language's own time as measured here (two at a time, about a core each), scheduled on `cores`,
    plus what the build spent outside them (start, merge). Assumes a language's build gets a core of
    the same speed, and leaves out Pagefind's threads meeting on a shared core."""
    times = [float(t) for t in re.findall(r"([\d.]+) s", per_language)]
    return makespan(times, cores) + total - makespan(times, os.cpu_count() or 2)


def article_weight(site: Path) -> float:
    """The mean size (KiB) of the first 50 articles' pages in every language: the same articles in
    every corpus (article-000 ... article-049), with everything the theme puts around them."""
    sizes = [p.stat().st_size for p in site.rglob("article-0[0-4]?/index.html")]
    return statistics.mean(sizes) / 1024


SIZES = ((4, 50), (4, 250), (4, 1000), (8, 250), (8, 1000))  # languages, articles


def scaling(sizes: tuple[tuple[int, int], ...] = SIZES) -> None:
    """Time, CPU, memory and page weight as the corpus grows: 50, 250, 1,000 articles in 4 languages,
    250 and 1,000 in 8; the plain stack, ours serial and ours parallel (warm), one round each for the
    large corpora (3 for the small ones: the median is printed)."""
    print(
        f"{'articles':>8}{'langs':>6}{'pages':>7}  {'build':<24}{'s':>7}{'x 250':>7}{'vs plain':>9}{'CPU s':>7}"
        f"{'peak':>9}{'article KiB':>12}{'x 250':>7}  per language (parallel)"
    )
    base: dict[tuple[str, int], tuple[float, float]] = {}
    for langs, articles in sizes:
        with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
            dest = Path(tmp)
            codes = ("en", "zh", "ko", *list(EXTRA_LANGUAGES)[: langs - 4])
            make_corpus(dest, articles, codes)
            if langs > 4:
                add_languages(dest, {c: EXTRA_LANGUAGES[c] for c in codes[3:]})
            run_build(dest, PARALLEL)  # stages the pages, fills the cache, warms the disk
            pages = sum(1 for _ in (dest / "site").rglob("index.html"))
            plain_seconds = 0.0
            for name, config in (
                ("plain", plain_config(dest).name),
                ("ours serial", "mkdocs.yml"),
                ("ours parallel", PARALLEL),
            ):
                rounds = [run_build(dest, config) for _ in range(3 if articles <= 250 else 1)]
                seconds = statistics.median(r[0] for r in rounds)
                cpu = statistics.median(r[1] for r in rounds)
                peak = max(r[2] for r in rounds)
                weight = article_weight(dest / ("site-plain" if name == "plain" else "site"))
                plain_seconds = plain_seconds or seconds
                if articles == 250:
                    base[name, langs] = (seconds, weight)
                ref = base.get((name, langs))
                grow = f"{seconds / ref[0]:>7.2f}" if ref else f"{'':>7}"
                grow_weight = f"{weight / ref[1]:>7.2f}" if ref else f"{'':>7}"
                found = re.search(r"\(([^)]*)\)\s*$", rounds[0][3]) if config == PARALLEL else None
                per_language = f"{found[1]}; 4 cores: {on_cores(found[1], rounds[0][0], 4):.1f} s" if found else ""
                print(
                    f"{articles:>8}{langs:>6}{pages:>7}  {name:<24}{seconds:>7.1f}{grow}{seconds / plain_seconds:>9.3f}"
                    f"{cpu:>7.1f}{peak / 1024:>5.0f} MiB{weight:>12.1f}{grow_weight}  {per_language}",
                    flush=True,
                )
    print(
        "x 250: against the 250-article build with as many languages (targets at 1,000: time <= 4.5, article <= 1.2).\n"
        "per language: each language's own build (seconds) inside the parallel build, 2 at a time on 2 cores."
    )


if __name__ == "__main__":
    sys.exit(main())
