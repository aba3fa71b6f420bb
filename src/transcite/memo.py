"""transcite's memo caches, emptied where long runs need their memory back.

Reading, normalising, romanising and sorting memoise their work in bounded ``lru_cache``
tables (name splitting, cleaning, scheme guesses, sort keys). Each is bounded, but together
they hold a few hundred megabytes after a 100,000-entry library; the bounded ``format`` path
and the batch workers empty them between rounds. Emptying a memo never changes a result.

The opposite case is here too: what a command run from the console script holds in memory
whole is kept until the process ends (:func:`keep`), not freed object by object.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FEWER_COLLECTIONS", "clear", "ends_after_command", "fewer_collections", "keep",
           "keep_until_exit", "next_mark", "resident_mib", "trim"]

#: The collector's thresholds for long work: a run builds a large, long-lived library whose
#: full passes find no garbage (young cycles are still collected, every 100,000 objects).
FEWER_COLLECTIONS = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The block runs with the collector's thresholds at :data:`FEWER_COLLECTIONS` (unless
    they are higher already), as the command line runs throughout, and the caller's are put
    back after: reading, normalising and rendering 10,000 entries through the API spent a
    fifth of their time in collections that found nothing."""
    import gc

    before = gc.get_threshold()
    if before[0] >= FEWER_COLLECTIONS[0]:
        yield
        return
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        if gc.get_threshold() == FEWER_COLLECTIONS:     # (not changed meanwhile)
            gc.set_threshold(*before)


#: What :func:`keep` holds until the process ends (None: keeping is off).
_kept: list[tuple[object, ...]] | None = None
#: Whether this process ends with ``os._exit`` once its command is done (the console script).
_ends_after_command = False


def ends_after_command() -> None:
    """Declared by the console script's entry point (``transcite.cli.main``): this process
    ends with ``os._exit`` once the command is done, freeing nothing one by one."""
    global _ends_after_command
    _ends_after_command = True


def keep_until_exit() -> None:
    """Turn :func:`keep` on when this process ends after its command (see
    :func:`ends_after_command`; elsewhere - the API, a test calling a command, a Dask
    worker - this does nothing). A command calls it for work it holds in memory whole: the
    objects a run makes (10,000 references, their CSL items, render states) are then not
    freed one by one as each function that made them returns - ~50 ms of a 10,000-entry
    ``format`` - since the process's end frees them at once. Not for work done in bounded
    rounds (a long library kept in a file), whose memory must come back between rounds.

    The collector is turned off for such a run too: what it makes is held to the end, so its
    passes find next to nothing (15,202 objects of cyclic garbage after a 10,000-entry
    ``format``, the same 151 MiB peak) yet cost ~11 ms each - ~115 ms of that run in this
    process, as much again in its workers, which inherit the setting."""
    global _kept
    if _ends_after_command and _kept is None:
        _kept = []
        import gc

        gc.disable()


def keep(*objects: object) -> None:
    """Hold ``objects`` until the process ends when keeping is on (see
    :func:`keep_until_exit`); otherwise nothing: they are freed as usual."""
    if _kept is not None:
        _kept.append(objects)


def clear() -> int:
    """Empty every bounded memo cache of transcite's loaded modules (tables loaded once, the
    unbounded ``@cache`` ones, are kept); returns how many were emptied."""
    emptied = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("transcite.") or module is None:
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", None) == name:
                try:
                    if info().maxsize is None:      # a table, not a memo
                        continue
                except TypeError:
                    continue
                value.cache_clear()
                emptied += 1
    return emptied


def resident_mib() -> float:
    """This process's resident memory in MiB (0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        import os

        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        try:
            import psutil
        except ImportError:
            return 0.0
        return float(psutil.Process().memory_info().rss) / 2**20


#: The resident size past which the next :func:`trim` empties the memos (raised after each).
next_mark = [0.0]


def trim(limit_mib: float) -> bool:
    """Empty the memo caches when this process has grown past ``limit_mib`` (and past the mark
    the last trim set: freed memory is reused rather than given back, so the next trim waits
    for 64 MiB more). Returns whether they were emptied."""
    if resident_mib() <= max(limit_mib, next_mark[0]):
        return False
    clear()
    import gc

    gc.collect()
    next_mark[0] = resident_mib() + 64
    return True
