"""The site's own words in Japanese (strings.yml), the source of their translation units.

Their translations and what readers see are site_strings.py's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .errors import HelpcenterError
from .segment import Unit

SOURCE = Path(__file__).parent / "strings.yml"
SHOWN_AS = "plugins/helpcenter/strings.yml"  # where review and status send a reader of a unit
KIND = "site string"


@cache
def source(path: Path = SOURCE) -> tuple[Unit, ...]:
    """Every key of strings.yml as a unit: its Japanese text, its line, the key as `section`."""
    shown = SHOWN_AS if path == SOURCE else path.name
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise HelpcenterError(f"not valid YAML: {exc}", shown) from None
    if not isinstance(node, yaml.MappingNode):
        raise HelpcenterError("must map each key to its Japanese text", shown, 1)
    units = []
    for key_node, value in node.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):  # the former layout: `key: {ja: ...}`
            by_lang = {k.value: v for k, v in value.value}
            others = sorted(set(by_lang) - {"ja"})
            if others:
                raise HelpcenterError(
                    f"{key}: a translation ({', '.join(others)}) in the source: translations of the site's words "
                    "live in translations/<lang>/_site.po",
                    shown,
                    line,
                    "move them there with `python -m helpcenter.site_strings` (kept as reviewed human translations)",
                )
            value = by_lang.get("ja")
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            raise HelpcenterError(f"{key}: needs its Japanese text (`ja: ...`)", shown, line)
        units.append(Unit(KIND, str(value.value), value.start_mark.line + 1, section=key))
    return tuple(units)
