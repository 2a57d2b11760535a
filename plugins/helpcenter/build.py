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
(scripts/ci/merge-site.sh).

Each language's process is forked from this one once it has loaded mkdocs.yml, so it starts with
MkDocs, Material, the plugins and the Markdown extensions imported: started afresh, each spent about
0.35 s of CPU on that, on cores that have none to spare. Where a process cannot be forked safely (no
fork, or a thread is running: a forked child would inherit its locks held), each is a new `mkdocs
build` process. Either way this module knows nothing of MkDocs beyond its command line and its
configuration file.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn

from .errors import HelpcenterError
from .project import Project
from .search import FALLBACK, MANIFEST

BUILD_LANGUAGE = "HELPCENTER_BUILD_LANGUAGE"  # the one language a `mkdocs build` writes (the plugin reads it)
PARTS = ".cache/helpcenter/parts"  # where `helpcenter build` has each language written before the merge
PART_MARK = ".helpcenter-part"  # in a part: the language it holds
SEARCH_BUNDLE = "pagefind"
STOP_GRACE = 10.0  # seconds an interrupted language's build has to stop what it started
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


@dataclass
class _Running:
    """A language's build under way: its process and the file its messages go to."""

    lang: str
    out: Path
    process: subprocess.Popen[bytes] | int  # a new `mkdocs build`, or the pid of a forked one
    log: IO[bytes]
    start: float = field(default_factory=time.monotonic)
    code: int | None = None  # its exit code, once it has ended

    def poll(self) -> int | None:
        """Its exit code once it has ended."""
        if self.code is None and isinstance(self.process, subprocess.Popen):
            self.code = self.process.poll()
        elif self.code is None and isinstance(self.process, int):
            pid, status = os.waitpid(self.process, os.WNOHANG)
            self.code = os.waitstatus_to_exitcode(status) if pid else None
        return self.code

    def stop(self) -> None:
        """End it and wait for it (the build was interrupted): as Ctrl-C would, so that it stops the
        processes it started (Pagefind, the page checks), or at once after STOP_GRACE seconds."""
        pid = self.process.pid if isinstance(self.process, subprocess.Popen) else self.process
        deadline = time.monotonic() + STOP_GRACE
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)
        while self.poll() is None:
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)

    def messages(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="replace")


def build_languages(config: Path, outs: dict[str, Path], jobs: int, *, strict: bool = True) -> list[Built]:
    """Each language of `outs` into its folder (emptied first), `jobs` at a time. The first failure
    stops the rest: what is running is let finish, what waits is not started. Interrupted (Ctrl-C,
    SIGTERM), no language's build is left running."""
    fork = _preloaded(config)
    command = ["build", "-f", str(config), *(["--strict"] if strict else [])]
    waiting, running, built = list(outs), list[_Running](), dict[str, Built]()
    failure: BuildError | None = None
    try:
        with _sigterm_interrupts():
            while running or (waiting and failure is None):
                while waiting and failure is None and len(running) < max(1, jobs):
                    lang = waiting.pop(0)
                    running.append(_start(lang, outs[lang], [*command, "-d", str(outs[lang].resolve())], fork))
                time.sleep(0.02)
                for job in [job for job in running if job.poll() is not None]:
                    running.remove(job)
                    with job.log:
                        log = job.messages()
                    if job.code:
                        failure = failure or BuildError(f"the build of {job.lang!r} failed:\n{log.strip()}")
                    else:
                        (job.out / PART_MARK).write_text(job.lang + "\n", encoding="utf-8")
                        built[job.lang] = Built(job.lang, time.monotonic() - job.start, log)
    except BaseException:
        for job in running:
            with job.log:
                job.stop()
        raise
    if failure is not None:
        raise failure
    return [built[lang] for lang in outs]


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a CI runner cancelling the job) stops the build as Ctrl-C does: by default it would
    end this process at once and leave the languages' builds running on their own."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _preloaded(config: Path) -> bool:
    """Load mkdocs.yml here, so that the builds forked from this process start with everything it
    imports; whether they can be forked (see the module's docstring)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    from mkdocs.config import load_config  # only here: the merge and the CI scripts need no MkDocs

    logging.disable(logging.WARNING)  # the builds say what is wrong with mkdocs.yml
    try:
        load_config(str(config))
    except Exception:
        return False
    finally:
        logging.disable(logging.NOTSET)
    return threading.active_count() == 1


def _start(lang: str, out: Path, args: list[str], fork: bool) -> _Running:
    """`mkdocs <args>` building `lang`, forked from this process or a new one."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed once the build has ended: build_languages)
    env = {BUILD_LANGUAGE: lang, "NO_MKDOCS_2_WARNING": "1"}
    if not fork:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *args], env={**os.environ, **env}, stdout=log, stderr=log
        )
        return _Running(lang, out, process, log)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(args, env, log)
    return _Running(lang, out, pid, log)


def _child(args: list[str], env: dict[str, str], log: IO[bytes]) -> NoReturn:
    """A forked language build: `mkdocs <args>` in this process, its output to `log`; it never
    returns to the caller's code."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # see _sigterm_interrupts
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        os.environ.update(env)
        from mkdocs.__main__ import cli

        cli.main(args, prog_name="mkdocs")
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def merge(project: Project, parts: list[Path], site: Path) -> None:
    """Move the parts (one per language, as build_languages writes them) into a new site, write the
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
        [one] = build_languages(config, {args.language: out}, 1, strict=args.strict)
        print(f"{args.language}: built into {out}/ in {one.seconds:.1f} s")
        return 0
    jobs = args.jobs or cores()
    parts = project.root / PARTS
    start = time.monotonic()
    outs = {lang: parts / lang for lang in languages(project)}
    built = build_languages(config, outs, jobs, strict=args.strict)
    for b in built:
        sys.stderr.write(b.log)
    merge(project, [parts / b.lang for b in built], site)
    times = ", ".join(f"{b.lang} {b.seconds:.1f} s" for b in built)
    print(f"built {len(built)} languages, {jobs} at a time, in {time.monotonic() - start:.1f} s ({times})")
    return 0
