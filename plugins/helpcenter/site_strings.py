"""The site's own words (notices, labels, the status and verify pages) as translation units.

strings.yml holds the Japanese source, one key per string. Its translations live where every other
translation lives, in a catalog per language (`translations/<lang>/_site.po`, one entry per key,
`msgctxt` = the key), so that `helpcenter translate` fills them, `review` shows them, `status` counts
them and `check` checks them like any article's units.

What a reader sees (`SiteStrings.words`): the reviewed translation; DeepL's translation where the
language publishes machine translation (the footer then says the site's words are machine-translated);
otherwise the Japanese string. Never another language's: a Vietnamese reader never reads English.
`{language}` is the reader's language by its own name (the i18n plugin's `name:`).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib
import yaml

from . import catalog
from .catalog import CatalogError, Merged, State
from .errors import display
from .meta import Finding
from .project import Language, Project
from .safety import Renderer, plain_text_problem
from .segment import Unit
from .strings import KIND, SHOWN_AS, SOURCE, source

SITE = "_site.md"  # the page name the pipeline knows the site's words by: its catalogs are _site.po
AUTHORS = "helpcenter authors"  # who wrote the en/zh/ko strings moved out of strings.yml
FIELD = re.compile(r"\{(\w+)\}")


def fields(text: str) -> list[str]:
    """The `{name}` placeholders of a string, each as written (the code fills them)."""
    return [m.group(0) for m in FIELD.finditer(text)]


def merge(units: tuple[Unit, ...], po: polib.POFile) -> Merged:
    """The catalog for the current source, matched by key (two keys may share a Japanese text):
    a changed Japanese text keeps the old translation as fuzzy with `#|` (stale); an entry whose key
    is gone becomes obsolete. Pure: nothing is written."""
    old = {e.msgctxt: e for e in po if e.msgctxt}
    result = polib.POFile(wrapwidth=po.wrapwidth)
    result.metadata = dict(po.metadata)
    entries = []
    for unit in units:
        prev = old.pop(unit.section, None)
        entry = polib.POEntry(msgctxt=unit.section, msgid=unit.text, msgstr="")
        if prev is not None:
            catalog.copy_translation(prev, entry)
            if prev.msgid != unit.text and prev.msgstr:
                entry.previous_msgid = prev.previous_msgid if prev.fuzzy and prev.previous_msgid else prev.msgid
                if not prev.fuzzy:
                    catalog.set_comment(entry, catalog.PREV_MARK, prev.msgstr.replace("\n", " "))
                    entry.flags.append("fuzzy")
            entry.linenum = getattr(prev, "linenum", 0)
        entry.comment = KIND
        entry.occurrences = [(SHOWN_AS, str(unit.line))]
        result.append(entry)
        entries.append(entry)
    for prev in old.values():
        if prev.msgstr:
            prev.obsolete = True
            prev.occurrences = []
            result.append(prev)
    return Merged(result, entries)


@dataclass
class SiteStrings:
    """The source and each language's catalog of the site's words."""

    project: Project
    units: tuple[Unit, ...]
    merged: dict[str, Merged] = field(default_factory=dict)  # by language code
    languages: dict[str, Language] = field(default_factory=dict)
    blocked: set[tuple[str, str]] = field(default_factory=set)  # (language, key) failing `check`: never shown
    _words: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def shows(self, lang: str, entry: polib.POEntry) -> bool:
        """The publishing policy for one string; one that failed `check` is never shown."""
        language = self.languages.get(lang)
        st = catalog.state(entry)
        if language is None or not catalog.publishable(entry) or (lang, entry.msgctxt) in self.blocked:
            return False
        return st is State.REVIEWED or (st is State.MACHINE and language.publish == "machine")

    def words(self, lang: str) -> dict[str, str]:
        """Every string as readers of `lang` see it: translated where the policy publishes it, else
        the Japanese; `{language}` filled with the language's own name. Asked for on every page:
        worked out once per language (the catalogs are checked when loaded, and not changed after)."""
        if lang not in self._words:
            self._words[lang] = self._resolve(lang)
        return self._words[lang]

    def _resolve(self, lang: str) -> dict[str, str]:
        merged = self.merged.get(lang)
        name = self.languages[lang].name if lang in self.languages else lang
        out = {}
        for i, unit in enumerate(self.units):
            entry = merged.entries[i] if merged else None
            text = entry.msgstr if entry is not None and self.shows(lang, entry) else unit.text
            out[unit.section] = text.replace("{language}", name)
        return out

    def machine(self, lang: str) -> bool:
        """Whether readers of `lang` see machine-translated words of the site (the footer says so)."""
        merged = self.merged.get(lang)
        entries = merged.entries if merged else []
        return any(catalog.state(e) is State.MACHINE and self.shows(lang, e) for e in entries)

    def path(self, lang: str) -> Path:
        return catalog.catalog_path(self.project.translations, lang, SITE)

    def where(self, lang: str, entry: polib.POEntry | None = None) -> str:
        return f"{display(self.path(lang), self.project.root)}:{(entry.linenum or 1) if entry is not None else 1}"

    def coverage(self) -> list[Finding]:
        """A configured language whose site strings have no translation: its readers would read Japanese
        labels on translated pages (`helpcenter check` reports it)."""
        out = []
        for code, merged in self.merged.items():
            missing = [u.section for u, e in zip(self.units, merged.entries, strict=True) if not e.msgstr]
            if missing:
                path, line = self.where(code).rsplit(":", 1)
                out.append(
                    Finding(
                        path,
                        int(line),
                        f"{len(missing)} of the site's {len(self.units)} strings have no {code} translation "
                        f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''}); run "
                        f"`helpcenter translate --lang {code}` (readers see them in Japanese until then)",
                    )
                )
        return out


def problems(source_text: str, translation: str, renderer: Renderer) -> list[str]:
    """Why a translated string may not be shown: a `{placeholder}` lost or added (the code fills
    them: a lost one drops the number or name, an unknown one fails), or markup in what is inserted
    into pages as plain text."""
    out = []
    lost, added = (
        Counter(fields(source_text)) - Counter(fields(translation)),
        Counter(fields(translation)) - Counter(fields(source_text)),
    )
    if lost:
        out.append("placeholder lost: " + ", ".join(sorted(lost)) + "; write it as it is in the Japanese")
    if added:
        out.append("placeholder added: " + ", ".join(sorted(added)) + "; only the Japanese string's may appear")
    if problem := plain_text_problem(translation, renderer):
        out.append(problem)
    if "\n" in translation:
        out.append("a site string must be one line")
    return out


def check(site: SiteStrings, code: str, where: str) -> list[Finding]:
    """Check every translation of one language; a failing one is blocked (its readers see the
    Japanese) and reported. The catalog is not changed: commands that save it (review, translate)
    write what is on disk. A stale one is not shown as current anyway: a warning."""
    out = []
    for entry in site.merged[code].entries:
        errors = problems(entry.msgid, entry.msgstr, site.project.renderer) if entry.msgstr else []
        recorded = catalog.comment(entry, catalog.QA_MARK)
        if recorded and not errors:
            errors.append(recorded)
        if errors:
            site.blocked.add((code, entry.msgctxt))
        level = "warning" if catalog.state(entry) is State.STALE else "error"
        out += [Finding(where, entry.linenum or 1, e, level, entry.msgid) for e in errors]
    return out


def load(project: Project, languages: list[Language]) -> tuple[SiteStrings, list[Finding]]:
    """The source and the checked catalogs of `languages`; a catalog that cannot be read is a finding
    (its readers see the Japanese strings)."""
    site = SiteStrings(project, source(), languages={lang.code: lang for lang in project.languages})
    findings = []
    for lang in languages:
        path = site.path(lang.code)
        where = display(path, project.root)
        try:
            po = catalog.load(path, lang.code, SITE, where) if project.is_inside(path) else None
        except CatalogError as exc:
            findings.append(Finding(where, exc.line or 1, exc.message))
            po = None
        site.merged[lang.code] = merge(site.units, po if po is not None else catalog.new_catalog(lang.code, SITE))
        findings += check(site, lang.code, where)
    return site, findings


def move_translations(project: Project, path: Path = SOURCE) -> int:
    """Move translations written in strings.yml (`key: {ja: ..., en: ...}`) into the catalogs, as
    reviewed human translations, and leave only the Japanese in strings.yml. Returns how many moved."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    moved: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for lang, text in value.items():
                if lang != "ja" and text:
                    moved.setdefault(lang, {})[key] = str(text)
    for lang, texts in moved.items():
        target = catalog.catalog_path(project.translations, lang, SITE)
        po = catalog.load(target, lang, SITE) if target.exists() else catalog.new_catalog(lang, SITE)
        by_key = {e.msgctxt: e for e in po if e.msgctxt}
        for key, text in texts.items():
            entry = by_key.get(key)
            if entry is None:
                entry = polib.POEntry(msgctxt=key, msgid=str(data[key].get("ja") or ""), msgstr="")
                po.append(entry)
            catalog.set_human(entry, text, AUTHORS)
        catalog.save(po, target)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not re.match(r"\s+(?!ja:)[A-Za-z-]+:\s", ln)]
    text = "".join(kept)
    text = re.sub(r"\{ja: (\"[^\"]*\"|[^,}]*)(, [A-Za-z-]+: (\"[^\"]*\"|[^,}]*))*\}", r"{ja: \1}", text)
    catalog.atomic_write(path, text)
    source.cache_clear()
    return sum(len(t) for t in moved.values())


if __name__ == "__main__":  # python -m helpcenter.site_strings [mkdocs.yml]
    from .project import load as load_project

    count = move_translations(load_project(Path(sys.argv[1] if len(sys.argv) > 1 else "mkdocs.yml")))
    print(f"moved {count} translation(s) from strings.yml into translations/<lang>/_site.po")
