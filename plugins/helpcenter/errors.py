"""The one user-facing error type: every mistake a user can fix is a `HelpcenterError`.

The command line (`cli.main`) and the MkDocs plugins catch it and print one line: the file (and line,
where there is one), what is wrong, and what to do. Anything else that escapes is a bug in this
package, and is left to show its traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml


class HelpcenterError(Exception):
    """What is wrong, where (`path`, `line`) and what to do about it (`hint`), said in one line."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None, hint: str = "") -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message + (f"; {self.hint}" if self.hint else "")


class ConfigError(HelpcenterError, ValueError):
    """A mistake in mkdocs.yml, named with where to fix it."""


def display(path: Path, root: Path) -> str:
    """A path as the user typed it in the repository: relative to the project's root when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def read_text(path: Path, shown: str | None = None) -> str:
    """A text file of the project, read as MkDocs reads Markdown (UTF-8, a leading BOM dropped); a
    file in another encoding (Shift_JIS, say) is an error naming it and the first bad line."""
    return decode(path.read_bytes(), shown or str(path))


def decode(data: bytes, shown: str) -> str:
    """`read_text` of bytes already read (and hashed) by the caller."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HelpcenterError(
            f"not valid UTF-8 (byte {data[exc.start]:#04x})",
            shown,
            data[: exc.start].count(b"\n") + 1,
            "save the file as UTF-8",
        ) from None


def yaml_error(exc: yaml.YAMLError, shown: str, first_line: int = 1) -> HelpcenterError:
    """A YAML syntax error as one line naming the file and line (`first_line`: where the YAML starts)."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return HelpcenterError(f"not valid YAML: {problem}", shown, line, "fix the YAML there")
