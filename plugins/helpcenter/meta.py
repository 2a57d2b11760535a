"""Front matter: what each kind of page must say, checked with the file and line of every mistake."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection

from .findings import Finding
from .segment import Document

# An article longer than this is not read: split it (Japanese is read at about 500 characters a minute,
# so 20 minutes of reading). `helpcenter check` warns; the build still publishes it.
LONG_ARTICLE = 10_000
READING_SPEED = 500
ARTICLE_KEYS = {"title", "description", "category", "incidents", "first_aid", "last_reviewed", "hide"}
INDEX_KEYS = {"title", "description", "hide", "icon"}
HUB_KEYS = {"title", "description", "icon", "hide"}
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def page_kind(page: str) -> str:
    """article, index (home and category pages) or hub (incident type pages)."""
    parts = page.split("/")
    if parts[-1] == "index.md":
        return "index"
    if parts[0] == "incidents" and len(parts) == 2:
        return "hub"
    return "article" if len(parts) == 2 else "index"


def closest(word: str, known: Collection[str]) -> str:
    """A hint naming the known values and the nearest one."""
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.5)
    hint = f" (did you mean {match[0]!r}?)" if match else ""
    return f"{hint}; known: {', '.join(sorted(known))}"


def check(doc: Document, source: str, categories: Collection[str], incidents: Collection[str]) -> list[Finding]:
    """Every front matter mistake of one page, with its line."""
    display = f"docs/{doc.path}"
    lines: dict[str, int] = {}
    for n, text in enumerate(source.splitlines()[: doc.front_matter_lines], 1):
        m = re.match(r"(\w+)\s*:", text)
        if m:
            lines.setdefault(m.group(1), n)
    fm = doc.front_matter
    kind = page_kind(doc.path)
    allowed = {"article": ARTICLE_KEYS, "index": INDEX_KEYS, "hub": HUB_KEYS}[kind]
    out: list[Finding] = []

    def err(key: str, message: str) -> None:
        out.append(Finding(display, lines.get(key, 1), message))

    if not doc.front_matter_lines:
        return [Finding(display, 1, "no front matter: start the file with a `---` block with at least `title:`")]
    for key in fm:
        if key not in allowed:
            err(key, f"unknown front matter key {key!r}{closest(key, allowed)}")
    required = {
        "article": ("title", "description", "category", "last_reviewed"),
        "index": ("title",),
        "hub": ("title", "description", "icon"),
    }[kind]
    for key in required:
        if key not in fm or fm[key] in (None, ""):
            out.append(Finding(display, 1, f"missing `{key}:` in the front matter (required for {kind} pages)"))
    for key in ("title", "description"):
        if key in fm and fm[key] is not None and not isinstance(fm[key], str):
            err(key, f"`{key}` must be text, not {type(fm[key]).__name__}; quote it")
    if kind == "article":
        folder = doc.path.split("/")[0]
        category = fm.get("category")
        if category is not None and category not in categories:
            err("category", f"unknown category {category!r}{closest(str(category), categories)}")
        elif category is not None and category != folder:
            err(
                "category",
                f"category {category!r} does not match the folder {folder!r}: move the file or fix the value",
            )
        reviewed = fm.get("last_reviewed")
        if reviewed is not None and not isinstance(reviewed, dt.date):
            err("last_reviewed", f"`last_reviewed` must be a date like 2026-11-20, not {reviewed!r}")
        ids = fm.get("incidents", [])
        if not isinstance(ids, list):
            err("incidents", "`incidents` must be a list of incident type ids, like [phishing, outage]")
        else:
            for value in ids:
                if value not in incidents:
                    err("incidents", f"unknown incident type {value!r}{closest(str(value), incidents)}")
        first_aid = fm.get("first_aid", [])
        if not isinstance(first_aid, list) or not set(first_aid) <= set(ids if isinstance(ids, list) else []):
            err("first_aid", "`first_aid` must list incident types of this article's `incidents`, like [phishing]")
        prose = sum(len(unit.text) for unit in doc.units)
        if prose > LONG_ARTICLE:
            out.append(
                Finding(
                    display,
                    1,
                    f"{prose:,} characters of text: more than a reader takes in on one page (about "
                    f"{prose // READING_SPEED} minutes of reading; keep articles under {LONG_ARTICLE:,}); "
                    "split it into articles of one task or question each",
                    "warning",
                )
            )
    seen: set[str] = set()
    for index, unit in enumerate(doc.units):
        if unit.kind != "heading":
            continue
        explicit = index in doc.explicit_ids
        anchor = doc.heading_ids[index]
        if unit.text.rstrip().endswith(("？", "?")) and not explicit:
            out.append(
                Finding(
                    display,
                    unit.line,
                    "an FAQ question needs a stable id: end the heading with `{ #short-ascii-id }`",
                    unit=unit.text,
                )
            )
        if explicit and not ID.match(anchor):
            out.append(
                Finding(
                    display,
                    unit.line,
                    f"heading id {anchor!r} must be lowercase ASCII words joined by hyphens",
                    unit=unit.text,
                )
            )
        if explicit and anchor in seen:
            out.append(Finding(display, unit.line, f"heading id {anchor!r} is used twice on this page", unit=unit.text))
        seen.add(anchor)
    return out
