"""`{{ exchange }}`, `{{ channels.<key> }}` and the channel table marker, expanded per language.

The official channels live in one data file (data/channels.yml), so a domain or account is written
once and the same everywhere; an unknown key is a writer's mistake reported with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import HelpcenterError, read_text, yaml_error
from .findings import Finding
from .meta import closest
from .safety import Renderer, plain_text_problem

PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
CHANNELS_MARKER = "<!-- helpcenter:channels -->"


@dataclass(frozen=True)
class Channel:
    key: str
    labels: dict[str, str]
    value: str
    uses: dict[str, str] = field(default_factory=dict)  # what the channel is used for, per language

    def label(self, lang: str, default: str) -> str:
        return self.labels.get(lang) or self.labels.get(default, self.key)

    def use(self, lang: str, default: str) -> str:
        return self.uses.get(lang) or self.uses.get(default, "")

    def markdown(self) -> str:
        """URLs as links; addresses, numbers and accounts as code, so they are never restyled."""
        if self.value.startswith("https://"):
            return f"[{self.value.removeprefix('https://')}]({self.value})"
        return f"`{self.value}`"


def load_channels(path: Path) -> dict[str, Channel]:
    """data/channels.yml: `key: {value: ..., label: {lang: ...}}` per official channel."""
    if not path.exists():
        return {}
    shown = f"{path.parent.name}/{path.name}"
    text = read_text(path, shown)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise yaml_error(exc, shown) from None
    if not isinstance(data, dict):
        raise HelpcenterError("must be a mapping of channel keys", shown, 1, "see contributing/writing.md")
    channels = {}
    for key, item in data.items():
        label = item.get("label", {}) if isinstance(item, dict) else None
        if not isinstance(item, dict) or item.get("value") in (None, "") or not isinstance(label, dict):
            line = next((n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith(f"{key}:")), 1)
            raise HelpcenterError(
                f"channel {key!r} needs a `value:` (the URL, address or number) and `label:` by language",
                shown,
                line,
                "write it like the other channels of the file",
            )
        uses = item.get("use") or {}
        if not isinstance(uses, dict):
            raise HelpcenterError(f"channel {key!r}: `use:` is what it is for, by language", shown, 1)
        channels[str(key)] = Channel(
            str(key),
            {str(k): str(v) for k, v in label.items()},
            str(item["value"]),
            {str(k): str(v) for k, v in uses.items()},
        )
    return channels


def check_channels(display: str, text: str, channels: dict[str, Channel], renderer: Renderer) -> list[Finding]:
    """Labels and uses are plain text; a value is an https URL, or text with nothing that ends a code span."""
    lines = text.splitlines()

    def line(key: str, needle: str) -> int:
        start = next((n for n, t in enumerate(lines) if t.startswith(f"{key}:")), 0)
        return next((n + 1 for n in range(start, len(lines)) if needle in lines[n]), start + 1)

    out = []
    for key, channel in channels.items():
        for field_name, texts in (("label", channel.labels), ("use", channel.uses)):
            for text_ in texts.values():
                if problem := plain_text_problem(str(text_), renderer):
                    out.append(Finding(display, line(key, str(text_)), f"{field_name} of {key}: {problem}"))
        value = channel.value
        if value.startswith(("http:", "https:", "//")) and not value.startswith("https://"):
            out.append(Finding(display, line(key, "value"), f"{key}: an official URL starts with https://"))
        elif not value.startswith("https://") and re.search(r"[`\n<>\[\]]", value):
            out.append(Finding(display, line(key, "value"), f"{key}: a value may not hold ` < > [ ] or a line break"))
    return out


@dataclass(frozen=True)
class Expander:
    exchange: str
    channels: dict[str, Channel]
    default: str
    heads: dict[str, tuple[str, str]] = field(default_factory=dict)  # the table's headings by language

    def known(self) -> list[str]:
        return ["exchange", *(f"channels.{k}" for k in self.channels)]

    def check(self, display: str, source: str) -> list[Finding]:
        out = []
        for n, line in enumerate(source.splitlines(), 1):
            for m in PLACEHOLDER.finditer(line):
                if m.group(1) not in self.known():
                    out.append(
                        Finding(display, n, f"unknown placeholder {m.group(0)}{closest(m.group(1), self.known())}")
                    )
        return out

    def table(self, lang: str) -> str:
        a, b = self.heads.get(lang) or self.heads.get(self.default) or ("窓口", "公式の連絡先")
        rows = [f"| {a} | {b} |", "| --- | --- |"]
        rows += [f"| {c.label(lang, self.default)} | {c.markdown()} |" for c in self.channels.values()]
        return "\n".join(rows)

    def expand(self, markdown: str, lang: str) -> str:
        def one(m: re.Match[str]) -> str:
            key = m.group(1)
            if key == "exchange":
                return self.exchange
            channel = self.channels.get(key.removeprefix("channels."))
            return channel.markdown() if channel and key.startswith("channels.") else m.group(0)

        lines = [self.table(lang) if line.strip() == CHANNELS_MARKER else line for line in markdown.split("\n")]
        return PLACEHOLDER.sub(one, "\n".join(lines))
