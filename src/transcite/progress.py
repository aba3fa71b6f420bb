"""Progress bars for long runs, on a terminal only.

Long loops (reading, normalising, looking up, formatting thousands of entries) call
:func:`tick` once per item inside a :func:`stage`. Nothing is shown unless the command line
turned bars on (:func:`enable`, which it does when standard error is a terminal), the stage has
at least :data:`MIN_ITEMS` items and it is still running after :data:`DELAY` seconds - so piped
output, scripts and the library API never see a bar. Forked workers (:mod:`transcite.workers`)
count their items in shared memory, and the bar here shows all of them. The bar is tqdm's,
imported only when one is shown.

Environment: ``TRANSCITE_PROGRESS=0`` turns bars off, ``=1`` on even without a terminal.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DELAY", "MIN_ITEMS", "enable", "enabled", "refresh", "stage", "tick"]

#: Stages with fewer items show no bar.
MIN_ITEMS = 1000
#: Seconds a stage runs before its bar appears (a quick run shows none).
DELAY = 0.5

_on = False
_bar: Any = None            # the active stage's bar (this process)
_count = 0                  # items done here in the active stage
_shared: Any = None         # per-worker counts in shared memory, while workers run
_slot: int | None = None    # this worker's slot in _shared (None: the main process)
_shown = 0.0                # when the bar was last brought up to date


def enable(on: bool | None = None) -> None:
    """Turn bars on or off; None: on when standard error is a terminal (``TRANSCITE_PROGRESS``
    overrides: ``0`` off, ``1`` on)."""
    global _on
    env = os.environ.get("TRANSCITE_PROGRESS", "")
    if env in ("0", "1"):
        _on = env == "1"
    elif on is None:
        _on = sys.stderr.isatty()
    else:
        _on = on


def enabled() -> bool:
    """Whether bars are on."""
    return _on


@contextmanager
def stage(label: str, total: int, unit: str = "entries", min_items: int = MIN_ITEMS
          ) -> Iterator[None]:
    """A bar for ``total`` items while the block runs (when bars are on, ``total`` is at least
    ``min_items`` and the block is still running after :data:`DELAY` seconds)."""
    global _bar, _count, _shown
    if not _on or _bar is not None or _slot is not None or total < min_items:
        yield
        return
    from tqdm import tqdm

    delay = float(os.environ.get("TRANSCITE_PROGRESS_DELAY", DELAY))
    # a terminal that reports no size (0 x 0) would get no bar at all from tqdm
    size: dict[str, Any] = {"dynamic_ncols": True} if _sized() else {"ncols": 80, "nrows": 24}
    _bar = tqdm(total=total, desc=label, unit=f" {unit}", file=sys.stderr, delay=delay,
                leave=False, mininterval=0.2, **size)
    _count, _shown = 0, 0.0
    try:
        yield
    finally:
        bar, _bar = _bar, None
        bar.close()


def _sized() -> bool:
    """Whether the terminal on standard error reports its size."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return size.columns > 0 and size.lines > 0


def tick(n: int = 1) -> None:
    """Count ``n`` items done (in a worker: in its shared slot)."""
    global _count, _shown
    if _slot is not None:
        _shared[_slot] += n
        return
    if _bar is None:
        return
    _count += n
    now = time.monotonic()
    if now - _shown >= 0.1:
        _shown = now
        _show()


def refresh() -> None:
    """Bring the bar up to date (the main process, while workers count)."""
    if _bar is not None:
        _show()


def _show() -> None:
    done = _count + (sum(_shared) if _shared is not None else 0)
    _bar.update(min(done, _bar.total) - _bar.n)


def mute() -> None:
    """In a forked process that must show nothing (it runs what its parent runs, and the
    parent shows the bar): bars off, whatever the environment says."""
    global _on, _bar
    _on, _bar = False, None


def share(workers: int) -> bool:
    """Before forking ``workers`` processes: give them slots in shared memory for their
    counts (True when a bar is active)."""
    global _shared
    if _bar is None:
        return False
    from multiprocessing import RawArray

    _shared = RawArray("q", workers)
    return True


def enter_worker(slot: int) -> None:
    """In a forked worker: count into ``slot``."""
    global _slot
    if _shared is not None:
        _slot = slot


def unshare() -> None:
    """After the workers ended: their counts become this process's."""
    global _shared, _count
    if _shared is not None:
        _count += sum(_shared)
        _shared = None
        if _bar is not None:
            _show()
