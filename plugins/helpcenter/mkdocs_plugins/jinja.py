"""Compiled Jinja templates kept for the whole `mkdocs build` or `mkdocs serve` session.

static-i18n builds each language with a new Jinja environment, and each environment compiles every
template it renders again: Material's base, partials and icons, our fragments. Measured on 1048
pages in 4 languages: 188 compiles, 1.9 s. With this cache each template is compiled once and
loaded from bytecode by the other languages. Jinja keys a template by its name and file and checks
its source's checksum, so a template edited under `mkdocs serve` is compiled anew.

The bytecode is also kept in a folder of the build cache: `helpcenter build` builds each language in
a process of its own, and each compiled the same 47 templates (0.45 s a process); the next build
and the languages started after the first ones load them instead. Jinja's header names its own
and Python's version, so bytecode of another version is compiled anew.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.theme import Theme

from ..cache import replaced


class SharedBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache, shared by the languages' environments in memory and, once `folder` is
    set, by the build's processes and the next build in that folder (Jinja's own file-system cache
    defaults to a temporary folder shared by every user's builds)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.folder: Path | None = None

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is None and self.folder is not None:
            with contextlib.suppress(OSError):
                code = (self.folder / bucket.key).read_bytes()
        if code is not None:
            try:
                bucket.bytecode_from_string(code)  # resets the bucket when the source's checksum differs
            except Exception:  # not bytecode Jinja wrote (a damaged file): compiled anew
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = self.store[bucket.key] = bucket.bytecode_to_string()
        if self.folder is None:
            return
        # written whole or not at all (another language's build may be reading it); a cache that
        # cannot be written only costs the next build time
        with contextlib.suppress(OSError), replaced(self.folder / bucket.key) as f:
            f.write(code)


def share_theme_work(theme: Theme, cache: SharedBytecodeCache, listed: dict[Hashable, list[str]] | None) -> None:
    """Every Jinja environment of this build's theme uses `cache`: also the one Material's search
    plugin makes to read its translations (0.2 s of compiling per build).

    With `listed` (under `mkdocs serve`, whose rebuilds keep the theme), the theme's file list that
    MkDocs makes in each language's build (`Files.add_files_from_theme`: 14 000 names with Material's
    icons, filtered one by one, 0.4 s) is made once: a file added to the theme's folders while
    serving is copied after a restart, as with `mkdocs serve` without `--watch-theme`.
    """
    make_env = theme.get_env

    def get_env() -> Environment:
        env = make_env()
        env.bytecode_cache = cache
        if listed is not None:
            env.list_templates = functools.partial(_list_once, env.list_templates, theme, listed)  # type: ignore[method-assign]
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def _list_once(
    list_templates: Callable[..., list[str]],
    theme: Theme,
    listed: dict[Hashable, list[str]],
    extensions: Any = None,
    filter_func: Callable[[str], bool] | None = None,
) -> list[str]:
    name = getattr(filter_func, "__qualname__", "")
    if not name.startswith("Files.add_files_from_theme"):  # a filter of unknown rules: not reused
        return list_templates(extensions, filter_func)
    key = (tuple(theme.dirs), tuple(sorted(theme.static_templates)), extensions)
    if key not in listed:
        listed[key] = list_templates(extensions, filter_func)
    return listed[key]
