"""`helpcenter build`: the site's languages built side by side, then merged into one site.

static-i18n builds the languages one after another in one process, so a second core mostly waits.
Here each language is a `mkdocs build` of its own ($HELPCENTER_BUILD_LANGUAGE, read by the
`helpcenter` plugin: the build writes that language only, exactly as the build of every language
writes it), as many at once as there are cores, each into its own folder (a "part"). The merge then
moves the parts into the site and writes what spans the languages:

- `sitemap.xml` (and `.gz`): every language's entries, in the languages' order;
- the root `404.html`: the default language's (each language keeps its own in `/<lang>/404.html`);
- the search manifest (`pagefind/helpcenter.json`): every language's pages shown in Japanese.

Everything else is one language's own (its pages, `faq.json`, `incidents.json`, `channels.json`,
search bundles, the translation-status page) or the same in every part (theme files). The same
functions run one language per machine (scripts/ci/build-language.sh) and the merge
(scripts/ci/merge-site.sh). This module knows nothing of MkDocs beyond its command line.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import HelpcenterError
from .project import Project
from .search import FALLBACK, MANIFEST

BUILD_LANGUAGE = "HELPCENTER_BUILD_LANGUAGE"  # the one language a `mkdocs build` writes (the plugin reads it)
PARTS = ".cache/helpcenter/parts"  # where `helpcenter build` has each language written before the merge
PART_MARK = ".helpcenter-part"  # in a part: the language it holds
SEARCH_BUNDLE = "pagefind"
_URL = re.compile(r"\s*<url>.*?</url>", re.S)


class BuildError(HelpcenterError):
    """A language's build failed (its own messages are printed above), or parts do not fit."""


@dataclass
class Built:
    lang: str
    seconds: float
    log: str


def languages(project: Project) -> list[str]:
    """The languages of the site, in static-i18n's order (the default first, as mkdocs.yml lists them)."""
    return [project.default, *(lang.code for lang in project.languages)]


def cores() -> int:
    """The cores this process may use (a container's or CI runner's share, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_language(config: Path, lang: str, out: Path, *, strict: bool = True) -> Built:
    """One language, by `mkdocs build` in a process of its own, into `out` (emptied first)."""
    env = {**os.environ, BUILD_LANGUAGE: lang, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(out.resolve())]
    start = time.monotonic()
    done = subprocess.run([*command, *(["--strict"] if strict else [])], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BuildError(f"the build of {lang!r} failed:\n{done.stderr.strip()}")
    (out / PART_MARK).write_text(lang + "\n", encoding="utf-8")
    return Built(lang, time.monotonic() - start, done.stderr)


def build_languages(config: Path, langs: list[str], parts: Path, jobs: int, *, strict: bool = True) -> list[Built]:
    """Every language in `langs` into `parts/<lang>/`, `jobs` at a time; the first failure stops
    the rest (what is running is let finish, what waits is not started)."""
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        futures = [pool.submit(build_language, config, lang, parts / lang, strict=strict) for lang in langs]
        try:
            return [f.result() for f in futures]
        except BuildError:
            for f in futures:
                f.cancel()
            raise


def merge(project: Project, parts: list[Path], site: Path) -> None:
    """Move the parts (one per language, as build_language writes them) into a new site, write the
    files that span the languages, and put it in the place of `site`."""
    held = {_part_language(part): part for part in parts}
    order = [lang for lang in languages(project) if lang in held]
    missing = sorted(set(languages(project)) - set(held))
    if missing or len(held) != len(parts):
        raise BuildError(
            f"the parts hold {', '.join(sorted(held))}; the site needs each of {', '.join(languages(project))} "
            f"once (missing: {', '.join(missing) or 'none'})"
        )
    sitemaps = [_read(held[lang] / "sitemap.xml") for lang in order]
    manifests = [json.loads(_read(held[lang] / SEARCH_BUNDLE / MANIFEST) or "null") for lang in order]
    not_found = _read(held[project.default] / "404.html")
    # Written next to the site, then swapped in: an interrupted merge leaves the last site whole.
    new, old = site.with_name(site.name + ".merging"), site.with_name(site.name + ".old")
    for folder in (new, old):
        shutil.rmtree(folder, ignore_errors=True)
    new.mkdir(parents=True)
    for lang in order:  # later languages win where parts overlap (theme files: the same in each)
        _move_tree(held[lang], new)
    (new / PART_MARK).unlink(missing_ok=True)
    if not_found is not None:
        (new / "404.html").write_text(not_found, encoding="utf-8")
    if all(sitemaps):
        _write_sitemap(new, [s for s in sitemaps if s])
    if all(manifests):
        _write_manifest(new / SEARCH_BUNDLE / MANIFEST, manifests)
    if site.exists():
        site.rename(old)
    new.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def _part_language(part: Path) -> str:
    mark = part / PART_MARK
    if not mark.is_file():
        raise BuildError(f"{part}: not a language built by `helpcenter build --language` (no {PART_MARK})")
    return mark.read_text(encoding="utf-8").strip()


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _move_tree(src: Path, dest: Path) -> None:
    """Move every file of `src` to the same place under `dest` (renames: the same file system)."""
    for folder, _, files in os.walk(src):
        target = dest / Path(folder).relative_to(src)
        target.mkdir(exist_ok=True)
        for name in files:
            os.replace(Path(folder) / name, target / name)
    shutil.rmtree(src)


def _write_sitemap(site: Path, sitemaps: list[str]) -> None:
    """One sitemap with each language's entries, as the build of every language writes it."""
    first = sitemaps[0]
    head = first[: first.index("<urlset")]
    head += first[len(head) : first.index(">", len(head)) + 1]
    entries = "".join(m.group() for text in sitemaps for m in _URL.finditer(text))
    save_sitemap(site, f"{head}{entries}\n</urlset>")


def save_sitemap(site: Path, text: str) -> None:
    """sitemap.xml and its gzip copy (MkDocs writes both; crawlers may read either)."""
    (site / "sitemap.xml").write_text(text, encoding="utf-8")
    with gzip.open(site / "sitemap.xml.gz", "wb") as f:
        f.write(text.encode("utf-8"))


def _write_manifest(path: Path, manifests: list[dict[str, Any]]) -> None:
    """The search manifest with every language's pages shown in Japanese (each part names its own)."""
    fallback: dict[str, Any] = {}
    for manifest in manifests:
        fallback.update(manifest.get(FALLBACK, {}))
    merged = {**manifests[0], FALLBACK: dict(sorted(fallback.items()))}
    path.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")


# --- the command ---------------------------------------------------------------------------------------


def add_parser(sub: Any) -> None:
    """`helpcenter build` on the command line's subparsers."""
    b = sub.add_parser("build", help="build the site, its languages side by side (what `make site` runs)")
    b.add_argument("--jobs", type=int, default=0, help="languages built at once (default: the cores available)")
    b.add_argument("--site-dir", help="where the site is written (default: mkdocs.yml's site_dir)")
    b.add_argument("--language", help="build this language only, into --out (a CI matrix job)")
    b.add_argument("--out", help="with --language: the folder of that language's part")
    b.add_argument("--merge", nargs="+", metavar="PART", help="merge parts (folders --language wrote) into the site")
    b.add_argument("--no-strict", dest="strict", action="store_false", help="warnings do not fail the build")
    b.set_defaults(func=cmd_build, paths=[])


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    config = Path(args.config).resolve()
    site = project.root / args.site_dir if args.site_dir else project.site_dir
    if args.merge:
        merge(project, [Path(p) for p in args.merge], site)
        print(f"merged {len(args.merge)} language(s) into {site}/")
        return 0
    if args.language:
        if args.language not in languages(project):
            raise BuildError(f"{args.language}: not a language of the site ({', '.join(languages(project))})")
        out = Path(args.out or Path(PARTS) / args.language)
        one = build_language(config, args.language, out, strict=args.strict)
        print(f"{args.language}: built into {out}/ in {one.seconds:.1f} s")
        return 0
    jobs = args.jobs or cores()
    parts = project.root / PARTS
    start = time.monotonic()
    built = build_languages(config, languages(project), parts, jobs, strict=args.strict)
    for b in built:
        sys.stderr.write(b.log)
    merge(project, [parts / b.lang for b in built], site)
    times = ", ".join(f"{b.lang} {b.seconds:.1f} s" for b in built)
    print(f"built {len(built)} languages, {jobs} at a time, in {time.monotonic() - start:.1f} s ({times})")
    return 0
