"""The search vocabulary (data/search.yml): readers' words mapped to the pages' words, per language.

Why: readers type their own words (2FA, 客服, 고객센터, "contact"), the pages use the glossary's
(二段階認証, 咨询, 문의, "inquiry"), and a search engine only matches what is written. The browser
(templates/helpcenter/search.js) expands a query with these groups, drops stopwords and cuts Korean
endings; this module only reads the file, joins each group with the glossary and checks it.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .glossary import Glossary


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; names the file and what to fix."""


def normal(word: str) -> str:
    """How words are compared: NFKC (full-width ２ＦＡ = 2FA), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", word).lower().split())


def load(path: Path, glossary: Glossary, default: str) -> dict[str, dict[str, Any]]:
    """Per language: `groups` (lists of equivalent words), `stop` (stopwords) and `endings` (particles
    and endings, longest first), normalised; empty when there is no file."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected `synonyms:`, `stopwords:` and `endings:`")
    groups = data.get("synonyms") or []
    lists = {"stop": data.get("stopwords") or {}, "endings": data.get("endings") or {}}
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in [*groups, *lists.values()]):
        raise VocabularyError(
            f"{path}: `synonyms` must be a list of {{lang: [words]}}, `stopwords` and `endings` {{lang: [words]}}"
        )
    out: dict[str, dict[str, Any]] = {}

    def words(lang: str, listed: Any) -> list[str]:
        listed = [listed] if isinstance(listed, str) else list(listed or [])
        for word in listed:
            if not isinstance(word, str):  # YAML reads on, no, yes, 2026-11-27 as other things
                raise VocabularyError(f"{path}: {word!r} ({lang}) is not text: put it in quotes")
        out.setdefault(lang, {"groups": [], "stop": [], "endings": []})
        return [normal(word) for word in listed if word.strip()]

    for group in groups:
        terms = words(default, group.get("term"))
        unknown = [t for t in terms if t not in glossary.terms]
        if unknown:
            raise VocabularyError(f"{path}: {', '.join(unknown)} is not a term of the glossary")
        langs = {lang for lang in group if lang != "term"} | {lang for t in terms for lang in glossary.terms[t]}
        for lang in sorted(langs | ({default} if terms else set())):
            joined = [t if lang == default else glossary.terms[t].get(lang, "") for t in terms]
            listed = sorted(set(words(lang, [*(group.get(lang) or []), *joined])))
            out[lang]["groups"].append(listed)
    for key, by_lang in lists.items():
        for lang, listed in by_lang.items():
            unique = sorted(set(words(lang, listed)), key=lambda w: (-len(w), w))
            out[lang][key] = unique  # longest first: the longest ending is cut, the longest stopword dropped
    return out
