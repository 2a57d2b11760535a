"""The page cache's first fill (helpcenter.cache.load_checked): pages checked in worker processes
decide exactly what pages checked one after another decide."""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path
from typing import Any

import pytest

from helpcenter import cache, project, qa, status
from helpcenter.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


def decisions(per_worker: int) -> tuple[list[str], dict[object, object], object]:
    cache.PER_WORKER = per_worker
    corpus, shown, faq = cache.load_checked(project.load(ROOT / "mkdocs.yml"), None)
    return [str(f) for f in corpus.findings], {k: (v.text, v.state, v.held) for k, v in shown.items()}, faq


def test_pages_checked_side_by_side_are_decided_as_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the pages are always checked in this process")
    pools: list[int] = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, workers: int, **kwargs: Any) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(cache, "PER_WORKER", cache.PER_WORKER)
    one_by_one = decisions(10**6)
    assert not pools
    side_by_side = decisions(1)
    assert pools and pools[0] >= 2
    assert len(one_by_one[1]) > 100  # every page in every language
    assert side_by_side == one_by_one


def test_a_build_from_the_cache_unpickles_only_the_catalogs_it_reads_and_counts_as_a_full_load(
    tmp_path: Path,
) -> None:
    """One language's build in `helpcenter build` reads its own catalogs only: the status page's
    counts and the link check, which span the languages, come from what the cache kept beside the
    catalogs, and agree with a load of every catalog (what `helpcenter status` and `check` do)."""
    site = project.load(ROOT / "mkdocs.yml")
    cache.load_checked(site, tmp_path / "pages.pickle")
    corpus, shown, _ = cache.load_checked(site, tmp_path / "pages.pickle", ["en"])  # every page from the file
    catalogs = corpus.merged
    assert isinstance(catalogs, cache._Catalogs)
    everything = load_corpus(site)
    qa.check_corpus(everything)
    assert status.counts(corpus).as_json() == status.counts(everything).as_json()
    assert sorted(map(str, corpus.findings)) == sorted(map(str, everything.findings))
    pages = [(page, lang.code) for page in corpus.docs for lang in corpus.languages]
    assert len(pages) > 100
    assert set(catalogs.stored) == {(p, lang) for p, lang in pages if lang != "en"}  # not read by counts or links
    for page in corpus.docs:
        assert [e.msgstr for e in catalogs[page, "en"].entries] == [
            e.msgstr for e in everything.merged[page, "en"].entries
        ]
    page = next(p for p, lang in pages if lang == "ko" and shown[p, lang].state == "reviewed")
    assert catalogs[page, "ko"].entries[0].msgstr == everything.merged[page, "ko"].entries[0].msgstr
    assert (page, "ko") not in catalogs.stored  # read when asked for
