"""The page cache's first fill (helpcenter.cache.load_checked): pages checked in worker processes
decide exactly what pages checked one after another decide."""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path
from typing import Any

import pytest

from helpcenter import cache, project

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
