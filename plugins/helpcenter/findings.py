"""`Finding`: one problem in a source or a catalog, as every check reports it (front matter, QA,
safety, channels) and every command and the build print it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem in a source file; errors stop the build, warnings stop only a strict one."""

    path: str
    line: int
    message: str
    level: str = "error"
    unit: str = ""  # the unit's source text, when the finding is about one

    def __str__(self) -> str:
        where = f" [{self.unit[:60]}]" if self.unit else ""
        return f"{self.path}:{self.line}: {self.level}: {self.message}{where}"
