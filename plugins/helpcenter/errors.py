"""The one user-facing error type: every mistake a user can fix is a `HelpcenterError`.

The command line (`cli.main`) and the MkDocs plugins catch it and print one line: the file (and line,
where there is one), what is wrong, and what to do. Anything else that escapes is a bug in this
package, and is left to show its traceback.
"""

from __future__ import annotations

from pathlib import Path


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


def display(path: Path, root: Path) -> str:
    """A path as the user typed it in the repository: relative to the project's root when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
