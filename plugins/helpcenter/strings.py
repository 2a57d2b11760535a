"""The site's own words for readers (notices, labels), per language, from strings.yml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

FALLBACK = "en"


@cache
def _table() -> dict[str, dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "strings.yml").read_text(encoding="utf-8"))


@cache
def strings(lang: str) -> dict[str, str]:
    """Every string in `lang`, English where a language has none."""
    return {key: by_lang.get(lang, by_lang.get(FALLBACK, "")) for key, by_lang in _table().items()}
