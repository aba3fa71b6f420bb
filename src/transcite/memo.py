"""transcite's memo caches, emptied where long runs need their memory back.

Reading, normalising, romanising and sorting memoise their work in bounded ``lru_cache``
tables (name splitting, cleaning, scheme guesses, sort keys). Each is bounded, but together
they hold a few hundred megabytes after a 100,000-entry library; the bounded ``format`` path
and the batch workers empty them between rounds. Emptying a memo never changes a result.
"""

from __future__ import annotations

import sys

__all__ = ["clear", "next_mark", "resident_mib", "trim"]


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
