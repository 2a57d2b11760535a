"""Quality checks of translations before they are published.

Every published unit is compared with its Japanese source as it will be published (safety.py): the
same elements, attributes, link targets, code, domains, addresses and numbers; placeholders and URLs
unchanged; titles, descriptions and FAQ questions plain text; glossary terms should be used. Errors
keep the unit (and so its page) from being published and fail `helpcenter check` and a strict
build; warnings are reported only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import polib

from . import catalog, links, safety
from .catalog import Merged
from .corpus import Corpus, is_plain_text
from .findings import Finding
from .glossary import Glossary, GlossaryError
from .glossary import load as _load_glossary
from .markdown import parser
from .project import Project
from .safety import Renderer
from .segment import Document, has_text

_URL = re.compile(r"https?://[^\s)>\]]+")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_LEFTOVER_FROM = re.compile(r"[*_`&\\]")  # what a leftover can come from: the characters, entities, escapes
_LEFTOVER = re.compile(r"\*\*|__|(?<!\\)`")
_CODE_LIKE = re.compile(r"`[^`]*`|\]\([^)]*\)|\{\{.*?\}\}")


@lru_cache(maxsize=8192)
def _leftover(markdown: str) -> tuple[str, ...]:
    """The unit's text runs, as the segmenter reads them, that still hold `**`, `__` or a backtick:
    markup left open."""
    if not _LEFTOVER_FROM.search(markdown):  # most units: no run can hold one, nothing to parse
        return ()
    tokens = parser().parseInline(markdown)[0].children or []
    return tuple(t.content for t in tokens if t.type == "text" and _LEFTOVER.search(t.content))


def _diff(what: str, source: Counter[str], target: Counter[str]) -> list[str]:
    if source == target:  # nearly always: no subtraction needed
        return []
    lost = source - target
    added = target - source
    out = []
    if lost:
        out.append(f"{what} lost: " + ", ".join(sorted(lost)))
    if added:
        out.append(f"{what} added: " + ", ".join(sorted(added)))
    return out


def check_unit(
    source: str, translation: str, lang: str, glossary: Glossary, renderer: Renderer, kind: str = "paragraph"
) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one translated unit.

    Errors: the published HTML differs from the source's (see safety.py), a placeholder or URL
    changed, markup left open, a plain-text field holds markup. Warnings: emphasis, numbers, glossary.
    """
    errors, warnings = safety.compare(kind, source, translation, renderer)
    if is_plain_text(kind, source) and (problem := safety.plain_text_problem(translation, renderer)):
        errors.append(problem)
    leftover = _leftover(translation)
    if leftover and not _leftover(source):
        errors.append(f"unclosed markup (`**`, `__` or a backtick) in: {leftover[0][:40]!r}")
    errors += _diff("URL", Counter(_URL.findall(source)), Counter(_URL.findall(translation)))
    errors += _diff("placeholder", Counter(_PLACEHOLDER.findall(source)), Counter(_PLACEHOLDER.findall(translation)))
    if source.strip() and not translation.strip():
        errors.append("the translation is empty")
    terms = glossary.targets(lang)
    source_numbers = Counter(_NUMBER.findall(_strip_code(source)))
    warnings += _diff("number", source_numbers, Counter(_NUMBER.findall(_strip_code(translation, terms))))
    missed = glossary.missed(source, translation, lang)
    if missed:
        warnings.append("glossary term not used: " + "; ".join(missed))
    return errors, warnings


def _strip_code(text: str, terms: Iterable[str] = ()) -> str:
    """Text without code, link targets, placeholders and glossary terms (2단계 인증 has a digit)."""
    for term in terms:
        text = text.replace(term, " ")
    return _CODE_LIKE.sub("", text)


def load_glossary(project: Project) -> tuple[Glossary, list[Finding]]:
    """The glossary, or an empty one and the finding that says why it could not be read."""
    try:
        return _load_glossary(project.glossary_path), []
    except GlossaryError as exc:
        return Glossary(), [Finding(str(project.glossary_path.relative_to(project.root)), 1, str(exc))]


def check_corpus(corpus: Corpus) -> None:
    """Check every translated unit; findings go to corpus.findings, failing units are blocked."""
    glossary, findings = load_glossary(corpus.project)
    corpus.findings.extend(findings)
    if corpus.site is not None:  # each string's own checks ran when it was loaded (site_strings.check)
        corpus.findings.extend(corpus.site.coverage())
    for page, doc in corpus.docs.items():
        merged = {lang.code: corpus.merged[page, lang.code] for lang in corpus.languages}
        corpus.findings.extend(check_page(corpus.project, doc, merged, glossary))
    corpus.findings.extend(links.check(corpus))


def check_page(project: Project, doc: Document, merged: dict[str, Merged], glossary: Glossary) -> list[Finding]:
    """Check one page's translated units in every language.

    Blocking marks the in-memory entry with a QA error, so the policy will not publish it.
    """
    out: list[Finding] = []
    for lang, catalog_ in merged.items():
        display = catalog.catalog_path(project.translations, lang, doc.path).relative_to(project.root).as_posix()
        seen: set[int] = set()
        for unit, entry in zip(doc.units, catalog_.entries, strict=True):
            if id(entry) in seen or not entry.msgstr:
                continue
            seen.add(id(entry))
            findings = check_entry(unit.kind, entry, lang, glossary, display, project.renderer)
            if catalog.state(entry) is catalog.State.STALE:  # not published as current anyway
                findings = [Finding(f.path, f.line, f.message, "warning", f.unit) for f in findings]
            out.extend(findings)
    return out


def check_entry(
    kind: str, entry: polib.POEntry, lang: str, glossary: Glossary, display: str, renderer: Renderer
) -> list[Finding]:
    line = getattr(entry, "linenum", 1) or 1
    errors, warnings = check_unit(entry.msgid, entry.msgstr, lang, glossary, renderer, kind)
    if kind != "paragraph" and "\n" in entry.msgstr:
        errors.append(f"a {kind} must be one line")
    recorded = catalog.comment(entry, catalog.QA_MARK)
    if recorded and not errors:
        errors.append(recorded)
    if errors and not recorded:
        catalog.set_qa_error(entry, "; ".join(errors))
    if not has_text(entry.msgstr):
        warnings = [w for w in warnings if not w.startswith("glossary")]
    return [Finding(display, line, e, "error", entry.msgid) for e in errors] + [
        Finding(display, line, w, "warning", entry.msgid) for w in warnings
    ]
