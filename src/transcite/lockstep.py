"""Two processes running the same code in step, sharing the chunks of every long pass.

:func:`transcite.workers.split_run` forks its workers for one pass, and they end with it. A
long list's render has four such passes (given-name levels, sort keys, disambiguation, the
entries): it forks four times, and each time the child pays again for touching the memory it
shares with this process - a page fault (~4 µs here) on every page it writes, reference counts
included, and this process as much on the pages it writes after each fork - and starts
without the caches the earlier passes filled in the child before it.

Inside a :func:`region` one child is forked once and runs the same code as this process. Each
:func:`~transcite.workers.split_run` of the region is shared by the two: each takes the next
chunk from a pipe they both read, then each sends the other the results of its chunks, and
both go on with the whole result, as one process would. The child leaves at the region's end
(or after its last run, :meth:`Pair.last`); this process alone goes on from there.

What the two compute between the runs is the same: they run the same deterministic code on the
same data, and within a region how many workers a pass gets depends on its number of items
only, not on the machine's load (:meth:`Pair.workers`). Each run is checked - its number and
its chunks - and a child that disagrees, fails or dies leaves the pair: the chunks it took are
done here, and the rest of the region runs as it would without it.
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from . import progress, workers

__all__ = ["Pair", "region"]

T = TypeVar("T")

#: The fewest items per process a shared run takes: it costs the two a few pipe reads and
#: writes and a wait for the slower one (~0.3 ms), not a fork (~2 ms) and the page faults
#: after it - a sort key or a cite for the given-name rule takes ~30-50 us.
MIN_PER_PROCESS = 40

#: A chunk number in the shared pipe: (the run it belongs to, the chunk; END: no more).
_NUMBER = struct.Struct("<II")
_END = 0xFFFFFFFF


class Pair:
    """This process and its lockstep child within a :func:`region` (see the module)."""

    __slots__ = ("pid", "child", "alive", "runs", "inside", "final", "_numbers", "_feed",
                 "_up", "_down", "_buffer")

    def __init__(self, pid: int, numbers: int, feed: int | None, up: int, down: int) -> None:
        self.pid = pid              # the child's (in the child: 0)
        self.child = pid == 0       # whether this is the child
        self.alive = True           # the pair still works together
        self.runs = 0               # runs so far (both count alike)
        self.inside = False         # a run's chunk is being done (a split_run in it: serial)
        self.final = False          # the next run is the child's last
        self._numbers = numbers     # the chunk numbers' pipe, read by both
        self._feed = feed           # its writing end (this process only)
        self._up = up               # the child's results: its writing end or this one's reading
        self._down = down           # this process's results, the other way
        self._buffer = bytearray()

    def workers(self, n: int, per_worker: int, requested: int | None) -> int:
        """How many processes a pass over ``n`` items takes: 2 when it pays, by ``n`` alone
        (both processes decide alike); 1 inside a chunk. A shared run forks nothing, so it
        pays from fewer items than a forked worker does (at most :data:`MIN_PER_PROCESS`
        each)."""
        if self.inside or requested == 1 or n < 2 * min(per_worker, MIN_PER_PROCESS):
            return 1
        return 2

    def last(self) -> None:
        """The next shared run is the child's last: it sends its chunks' results and leaves,
        and this process sends it none."""
        self.final = True

    def run(self, job: Callable[[int, int], T], n: int, parts: int | None) -> list[T]:
        """:func:`~transcite.workers.split_run`'s result for ``job`` over ``n`` items, the
        chunks shared by the pair."""
        spans = workers._spans(n, max(2, min(parts or 2, n, workers.MAX_PARTS)))
        self.runs += 1
        run = self.runs
        if not self.child:
            assert self._feed is not None
            workers._write_all(self._feed, b"".join(_NUMBER.pack(run, k)
                                                    for k in range(len(spans)))
                               + _NUMBER.pack(run, _END) * 2)   # (an end mark for each)
        mine: dict[int, T] = {}
        while True:
            got = _read_number(self._numbers)
            if got is None or got[0] != run:
                if self.child:
                    os._exit(1)     # out of step: this process does the rest
                break
            if got[1] == _END:
                break
            start, end = spans[got[1]]
            self.inside = True
            try:
                mine[got[1]] = job(start, end)
            finally:
                self.inside = False
        # what both must agree on: the run, its items and chunks, the pass it is
        sign = (run, n, len(spans), getattr(job, "__qualname__", ""))
        if self.child:
            return self._child_exchange(sign, spans, mine)
        return self._exchange(sign, spans, mine, job)

    def _child_exchange(self, sign: tuple[Any, ...], spans: list[tuple[int, int]],
                        mine: dict[int, T]) -> list[T]:
        _send(self._up, (sign, mine, sum(spans[k][1] - spans[k][0] for k in mine)))
        if self.final:
            os._exit(0)
        got = self._receive(self._down, refresh=False)
        if got is None or got[0] != sign:
            os._exit(1)
        mine.update(got[1])
        if len(mine) != len(spans):
            os._exit(1)
        return [mine[k] for k in range(len(spans))]

    def _exchange(self, sign: tuple[Any, ...], spans: list[tuple[int, int]],
                  mine: dict[int, T], job: Callable[[int, int], T]) -> list[T]:
        got = self._receive(self._up, refresh=True)
        theirs: dict[int, T] = {}
        if got is not None and got[0] == sign:
            theirs = got[1]
            progress.tick(got[2])   # (the entries it rendered, when a bar counts them)
            progress.refresh()
        else:
            self.leave()
        if self.alive and not self.final:
            try:
                _send(self._down, (sign, mine))
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                self.leave()
        if self.final:
            self.leave()
        out: list[T] = []
        for k, (start, end) in enumerate(spans):
            out.append(mine[k] if k in mine else theirs[k] if k in theirs else
                       job(start, end))     # (taken by a child that left)
        return out

    def _receive(self, fd: int, refresh: bool) -> Any:
        """The next frame from ``fd`` (8 bytes of length, then a pickle), or None when the
        pipe ends or the frame does not load."""
        import select

        buffer = self._buffer
        try:
            while True:
                frame = next(workers._whole_frames(buffer), None)
                if frame is not None:
                    return pickle.loads(frame)
                if refresh and not select.select([fd], [], [], 0.2)[0]:
                    progress.refresh()      # (a bar counts on while the child works)
                    continue
                data = os.read(fd, 1 << 20)
                if not data:
                    return None
                buffer += data
        except Exception:  # noqa: BLE001 - a broken pipe or frame: the pair ends
            return None

    def leave(self) -> None:
        """(This process) Go on without the child: it is ended, its pipes closed."""
        if self.child or not self.alive:
            return
        self.alive = False
        _end(self)


def _read_number(fd: int) -> tuple[int, int] | None:
    try:
        data = os.read(fd, _NUMBER.size)
    except OSError:
        return None
    if len(data) < _NUMBER.size:
        return None
    run, chunk = _NUMBER.unpack(data)
    return run, chunk


def _send(fd: int, value: Any) -> None:
    frame = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    workers._write_all(fd, len(frame).to_bytes(8, "little") + frame)


def _end(pair: Pair) -> None:
    import signal

    for fd in (pair._numbers, pair._feed, pair._up, pair._down):
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    try:
        os.kill(pair.pid, signal.SIGKILL)
    except OSError:
        pass
    workers._reap(pair.pid)


@contextmanager
def region(n: int, requested: int | None = None, per_worker: int = MIN_PER_PROCESS
           ) -> Iterator[Pair | None]:
    """A lockstep pair for the block (see the module) when a run over ``n`` items, at least
    ``per_worker`` a process, takes two processes (:func:`transcite.workers.workers_for`),
    none otherwise (None: the block's split runs fork as usual - also where more cores would
    pay). The block runs in both processes; only this one leaves it."""
    if workers.active_pair() is not None or not hasattr(os, "fork") or \
            workers.workers_for(n, per_worker, requested) != 2:
        yield None
        return
    # The objects made so far go out of the collector's sight while the two run (see
    # split_run); not when the program using transcite froze objects of its own.
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    pair = _start()
    if pair is None:
        if frozen:
            gc.unfreeze()
        yield None
        return
    workers.set_pair(pair)
    try:
        yield pair
    except BaseException:
        if pair.child:
            os._exit(1)
        raise
    finally:
        if pair.child:
            os._exit(0)     # (what follows the block is this process's alone)
        workers.set_pair(None)
        pair.leave()
        if frozen:
            gc.unfreeze()


def _start() -> Pair | None:
    """Fork the child: the pair as this process sees it (in the child: as the child does),
    or None when it cannot start."""
    pipes: list[int] = []
    try:
        for _ in range(3):
            pipes.extend(os.pipe())
    except OSError:
        for fd in pipes:
            os.close(fd)
        return None
    numbers, feed, up_r, up_w, down_r, down_w = pipes
    workers._widen(up_w)
    workers._widen(down_w)
    workers.flush_output()
    try:
        pid = os.fork()
    except OSError:
        for fd in pipes:
            os.close(fd)
        return None
    if pid == 0:
        for fd in (feed, up_r, down_w):
            os.close(fd)
        progress.mute()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (1, 2):
            os.dup2(devnull, fd)    # (anything it would print, this process prints)
        return Pair(0, numbers, None, up_w, down_r)
    for fd in (up_w, down_r):
        os.close(fd)
    return Pair(pid, numbers, feed, up_r, down_w)
