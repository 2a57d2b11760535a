"""The terminology file: Japanese term -> term per language, and words never translated."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .errors import HelpcenterError


class GlossaryError(HelpcenterError, ValueError):
    """A glossary file that cannot be used; names the file and what to fix."""


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, dict[str, str]] = field(default_factory=dict)
    keep: tuple[str, ...] = ()  # do-not-translate: product names, tickers, domains

    def pairs(self, lang: str) -> dict[str, str]:
        """Japanese -> target entries for one language (DeepL's dictionary for ja -> lang)."""
        out = {ja: by_lang[lang] for ja, by_lang in self.terms.items() if lang in by_lang}
        out.update({word: word for word in self.keep})
        return out

    def digest(self) -> str:
        """Changes exactly when the content does: names the uploaded glossary."""
        blob = json.dumps([self.terms, self.keep], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    @cached_property
    def _longest_first(self) -> list[str]:
        return sorted(self.terms, key=len, reverse=True)  # 出金先アドレス before 出金

    @cached_property
    def _targets(self) -> dict[str, tuple[str, ...]]:
        langs = {lang for by_lang in self.terms.values() for lang in by_lang}
        return {lang: tuple(t for by_lang in self.terms.values() if (t := by_lang.get(lang))) for lang in langs}

    def targets(self, lang: str) -> tuple[str, ...]:
        """Every term in `lang`."""
        return self._targets.get(lang, ())

    def missed(self, source: str, translation: str, lang: str) -> list[str]:
        """Glossary terms in the source whose target term the translation does not use."""
        low = translation.casefold()
        missed = []
        for ja in self._longest_first:
            if ja not in source:
                continue
            target = self.terms[ja].get(lang)
            if target and not any(form in low for form in _forms(target.casefold())):
                missed.append(f"{ja} → {target}")
            source = source.replace(ja, "\0")
        return missed


def _forms(term: str) -> tuple[str, ...]:
    """The term and its English plural (inquiry -> inquiries), which count as using it."""
    if term.endswith("y") and term.isascii():
        return term, term[:-1] + "ies"
    return (term,)


def load(path: Path) -> Glossary:
    if not path.exists():
        return Glossary()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{path}: not valid YAML: {exc}") from None
    terms = data.get("terms") or {}
    if not isinstance(terms, dict) or not all(isinstance(v, dict) for v in terms.values()):
        raise GlossaryError(f"{path}: `terms` must map each Japanese term to {{lang: term}}")
    keep = data.get("do_not_translate") or []
    if not isinstance(keep, list):
        raise GlossaryError(f"{path}: `do_not_translate` must be a list")
    return Glossary(
        {str(k): {str(lk): str(lv) for lk, lv in v.items()} for k, v in terms.items()}, tuple(map(str, keep))
    )
