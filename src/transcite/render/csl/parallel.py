"""Spreading independent renderings over the machine's cores (forked workers).

Only work whose result depends on nothing but data fixed before the fork is spread: the
bibliography entries once sorting and disambiguation are done, the cite texts disambiguation
compares. Workers are forked, so they share the compiled style and the items without copying
or pickling them; they send back strings. The result is the same as a serial run, entry for
entry; on one core, for small inputs, or where ``fork`` is not available, the work runs serially.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["MIN_PER_WORKER", "map_chunks", "workers_for"]

T = TypeVar("T")

#: Below this many items per worker, forking costs more than it saves.
MIN_PER_WORKER = 1500

_JOB: Callable[[int, int], list[Any]] | None = None


def workers_for(n: int, requested: int | None = None) -> int:
    """How many workers to use for ``n`` items (1 = serial)."""
    if requested is not None and requested <= 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    limit = requested if requested is not None else cores
    if n // MIN_PER_WORKER < 2 or cores < 2:
        return 1
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(limit, cores, n // MIN_PER_WORKER))


def _run(span: tuple[int, int]) -> list[Any]:
    assert _JOB is not None
    return _JOB(*span)


def map_chunks(job: Callable[[int, int], list[T]], n: int, workers: int) -> list[T]:
    """``job(start, end)`` over ``range(n)`` cut into ``workers`` contiguous chunks; the
    chunks' results concatenated in order."""
    if workers <= 1 or n < 2:
        return job(0, n)
    global _JOB
    step = -(-n // workers)
    spans: Sequence[tuple[int, int]] = [(s, min(n, s + step)) for s in range(0, n, step)]
    _JOB = job
    import multiprocessing as mp

    try:
        with mp.get_context("fork").Pool(len(spans)) as pool:
            parts = pool.map(_run, spans)
    finally:
        _JOB = None
    return [x for part in parts for x in part]
