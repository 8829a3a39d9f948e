"""Letter worker processes run at a lower scheduling priority than segtui."""

from __future__ import annotations

import os

from segtui.domain.letter_jobs import WORKER_NICENESS, JobRunner


def current_niceness() -> int:
    return os.nice(0)


def test_letter_workers_run_niced():
    runner = JobRunner({}, parallel=True)
    try:
        runner.submit(current_niceness)
        results = runner.finish()
    finally:
        runner.close()
    parent = os.nice(0)
    assert results, "the worker returned no result"
    assert results[0] == min(parent + WORKER_NICENESS, 19)
