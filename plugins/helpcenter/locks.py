"""The locks that keep commands from losing each other's work on translations/.

- `run_lock`: one `helpcenter translate` at a time (two runs would pay DeepL twice); a second run
  refuses at once.
- `write_lock`: every command that writes catalogs (translate's save after each request, review
  --approve, import) holds it while it reads, changes and writes them, so that no two commands
  interleave a read and a write. It is held for seconds at most, so a command waits for it.

Both are advisory locks (flock): the kernel releases them when the process ends in any way, kill -9
included, so a dead command never blocks the next one. The holder writes its pid into the file, for
the message of whoever waits.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from .errors import HelpcenterError

WRITE_WAIT = 60.0  # seconds a command waits for another one's catalog writes


@contextmanager
def _hold(path: Path, wait: float, busy: str) -> Iterator[None]:
    """flock `path`, waiting up to `wait` seconds; `busy` (with {pid}) is the error when it stays taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as f:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    f.seek(0)
                    raise HelpcenterError(busy.format(pid=f.read().strip() or "unknown")) from None
                time.sleep(0.05)
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)
            fcntl.flock(f, fcntl.LOCK_UN)


def run_lock(translations: Path) -> AbstractContextManager[None]:
    """Held for a whole `helpcenter translate`."""
    return _hold(
        translations / ".lock",
        0,
        "another `helpcenter translate` is running (pid {pid}); wait for it to finish and run again",
    )


def write_lock(translations: Path, wait: float = WRITE_WAIT) -> AbstractContextManager[None]:
    """Held while a command reads, changes and writes catalogs."""
    return _hold(
        translations / ".write-lock",
        wait,
        f"another helpcenter command (pid {{pid}}) has been writing the catalogs for {wait:.0f} s; "
        "run again when it has finished",
    )


def stage_lock(folder: Path, wait: float = 600.0) -> AbstractContextManager[None]:
    """Held while a build loads the pages and writes the staging folder: the builds of one language
    each (`helpcenter build`) run side by side and share that folder; the first writes it, the
    others find it written and only read it."""
    return _hold(
        folder / ".stage-lock",
        wait,
        f"another build (pid {{pid}}) has been writing {folder.name}/ for {wait:.0f} s; run again when it has finished",
    )
