"""Spreading independent renderings over the machine's cores (forked workers).

Only work whose result depends on nothing but data fixed before the fork is spread: the
bibliography entries once sorting and disambiguation are done, the cite texts disambiguation
compares, sort keys. Workers are forked (:mod:`transcite.workers`), so they share the compiled
style and the items without copying or pickling them; they send back strings. The result is
the same as a serial run, entry for entry; on one core, for small inputs, or where ``fork`` is
not available, the work runs serially.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["MIN_PER_WORKER", "MIN_PER_WORKER_CHEAP", "MIN_PER_WORKER_COSTLY", "map_chunks",
           "workers_for"]

T = TypeVar("T")

#: Below this many items per worker, forking costs more than it saves: a worker costs about
#: 2 ms to fork and a few more to send back its strings (measured on a 2-core machine with
#: the engine loaded), an entry a tenth to a quarter of a millisecond.
MIN_PER_WORKER = 40
#: The same for cheap work: a sort key or a short cite is a tenth of an entry's rendering.
MIN_PER_WORKER_CHEAP = 150
#: The same for costly work: a group of cites alike, searched under several configurations
#: (~0.3 ms), is worth three entries.
MIN_PER_WORKER_COSTLY = 10


def workers_for(n: int, requested: int | None = None, cheap: bool = False,
                costly: bool = False) -> int:
    """How many workers to use for ``n`` items (1 = serial); ``cheap`` work needs more items
    to pay for a worker, ``costly`` work fewer."""
    from ...workers import workers_for as split

    per_worker = MIN_PER_WORKER_CHEAP if cheap else MIN_PER_WORKER_COSTLY if costly else \
        MIN_PER_WORKER
    return split(n, per_worker, requested)


def map_chunks(job: Callable[[int, int], list[T]], n: int, workers: int) -> list[T]:
    """``job(start, end)`` over ``range(n)`` cut into contiguous chunks shared by ``workers``
    processes; the chunks' results concatenated in order."""
    from ...workers import PARTS_PER_WORKER, split_run

    return [x for part in split_run(job, n, workers, parts=workers * PARTS_PER_WORKER)
            for x in part]
