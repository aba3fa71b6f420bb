"""Work split into contiguous chunks and done at the same time by forked processes.

:func:`split_run` runs ``job(start, end)`` over the chunks of ``range(n)``: the first chunk in
this process, each other one in a child forked for it. Children share everything built before
the fork (no copying, no pickling of inputs) and send back their result. A child that cannot be
forked or fails has its chunk run here instead, so a bug in ``job`` is raised here, as it would
be in a serial run. On one core, or where ``fork`` is missing, everything runs here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["busy", "cores", "split_run", "workers_for"]

T = TypeVar("T")


def cores() -> int:
    """The CPU cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def busy() -> int:
    """How many cores other programs are using now: the processes ready to run (Linux's
    ``/proc/loadavg``; else the one-minute load average), this one not counted."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        try:
            running = round(os.getloadavg()[0])
        except (OSError, AttributeError):
            return 0
    return max(0, running - 1)


def workers_for(n: int, per_worker: int, requested: int | None = None) -> int:
    """How many processes to split ``n`` items between, at least ``per_worker`` items each
    (1 = run here); ``requested`` caps it (``TRANSCITE_WORKERS`` when None). Unless a number
    was asked for, only cores no other program is using count: on a busy machine a worker
    would wait for a core and only add the cost of starting it (the result is the same
    either way)."""
    if requested is None:
        env = os.environ.get("TRANSCITE_WORKERS", "")
        requested = int(env) if env.isdigit() else None
    limit = min(cores(), requested) if requested is not None else cores()
    if limit >= 2 and requested is None and n >= 2 * per_worker:
        limit = min(limit, max(1, cores() - busy()))
    if limit < 2 or n < 2 * per_worker:
        return 1
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(limit, n // per_worker))


def _child(job: Callable[[int, int], Any], start: int, end: int, conn: Any, slot: int) -> None:
    from . import progress

    progress.enter_worker(slot)
    try:
        result = job(start, end)
    except BaseException:       # noqa: BLE001 - the parent reruns the chunk and sees the error
        conn.send(("failed", None))
    else:
        conn.send(("ok", result))
    finally:
        conn.close()


def split_run(job: Callable[[int, int], T], n: int, workers: int) -> list[T]:
    """``job(start, end)`` for ``workers`` contiguous chunks of ``range(n)``, in chunk order."""
    if workers <= 1 or n < 2:
        return [job(0, n)]
    import multiprocessing as mp

    step = -(-n // workers)
    spans = [(s, min(n, s + step)) for s in range(0, n, step)]
    from . import progress

    ctx = mp.get_context("fork")
    sys.stdout.flush()      # a child must not write out what this process has buffered
    sys.stderr.flush()
    progress.share(len(spans))
    try:
        return _run(job, spans, ctx)
    finally:
        progress.unshare()


def _run(job: Callable[[int, int], T], spans: list[tuple[int, int]], ctx: Any) -> list[T]:
    from . import progress

    children: list[tuple[Any, Any] | None] = []
    for slot, (start, end) in enumerate(spans[1:], 1):
        try:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(job, start, end, send, slot), daemon=True)
            proc.start()
            send.close()
            children.append((proc, recv))
        except OSError:
            children.append(None)
    results = [job(*spans[0])]
    for (start, end), child in zip(spans[1:], children):
        result: Any = None
        done = False
        if child is not None:
            proc, recv = child
            try:
                while not recv.poll(0.2):   # the bar counts the children's items meanwhile
                    progress.refresh()
                status, result = recv.recv()
                done = status == "ok"
            except (EOFError, OSError):
                done = False
            recv.close()
            proc.join()
        results.append(result if done else job(start, end))
    return results
