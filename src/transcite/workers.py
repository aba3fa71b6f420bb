"""Work split into contiguous chunks and done at the same time by forked processes.

:func:`split_run` runs ``job(start, end)`` over the chunks of ``range(n)``: the first chunk in
this process, each other one in a child forked for it - or, with more chunks than processes,
each process taking the next chunk when done with one, a child sending each result as soon as
it is done. Children share everything built before the fork (no copying, no pickling of
inputs) and send back their results. A chunk whose child cannot be forked or fails is run here
instead, so a bug in ``job`` is raised here, as it would be in a serial run. On one core, or
where ``fork`` is missing, everything runs here.

A :class:`~transcite.handoff.HandOff` lets this process give the first child single items to
do while the run is on: work this process would have to load something costly for (a
dictionary), which that child has loaded or loads once for both. Inside a
:func:`transcite.lockstep.region` the runs are shared by two processes running in step.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .handoff import HandOff
    from .lockstep import Pair

__all__ = ["MAX_PARTS", "PARTS_PER_WORKER", "active_pair", "busy", "cores", "flush_output",
           "set_pair", "split_run", "workers_for"]

T = TypeVar("T")

#: The lockstep pair this process is in (see :mod:`transcite.lockstep`), if any.
_pair: Pair | None = None


def active_pair() -> Pair | None:
    """The :class:`transcite.lockstep.Pair` whose region this process is in and that still
    works together, or None."""
    return _pair if _pair is not None and _pair.alive else None


def set_pair(pair: Pair | None) -> None:
    """(:func:`transcite.lockstep.region`) Share this process's split runs with ``pair``
    (None: no more)."""
    global _pair
    _pair = pair


def cores() -> int:
    """The CPU cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def busy() -> int:
    """How many cores other programs are using now: the processes ready to run (Linux's
    ``/proc/loadavg``; else the one-minute load average), this one not counted, nor a
    process of this run's writing a cache entry at low priority (``compiled.store_later``)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        try:
            running = round(os.getloadavg()[0])
        except (OSError, AttributeError):
            return 0
    cache = sys.modules.get("transcite.compiled")
    own = cache.writing() if cache is not None else 0
    return max(0, running - 1 - own)


def workers_for(n: int, per_worker: int, requested: int | None = None) -> int:
    """How many processes to split ``n`` items between, at least ``per_worker`` items each
    (1 = run here); ``requested`` caps it (``TRANSCITE_WORKERS`` when None). Unless a number
    was asked for, only cores no other program is using count: on a busy machine a worker
    would wait for a core and only add the cost of starting it (the result is the same
    either way)."""
    pair = _pair
    if pair is not None and pair.alive:     # (both processes of a pair decide alike)
        return pair.workers(n, per_worker, requested)
    if requested is None:
        env = os.environ.get("TRANSCITE_WORKERS", "")
        requested = int(env) if env.isdigit() else None
    limit = min(cores(), requested) if requested is not None else cores()
    if limit >= 2 and requested is None and n >= 2 * per_worker:
        limit = min(limit, max(1, cores() - busy()))
    if limit < 2 or n < 2 * per_worker:
        return 1
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(limit, n // per_worker))


def split_run(job: Callable[[int, int], T], n: int, workers: int,
              parts: int | None = None, meanwhile: Callable[[], object] | None = None,
              hand: HandOff | None = None) -> list[T]:
    """``job(start, end)`` for contiguous chunks of ``range(n)``, in chunk order: ``workers``
    chunks, one per process, or ``parts`` chunks (more than ``workers``) that the processes
    take in turn as each is done with the last, so that one slower than the others (a forked
    worker touching memory it shares with this process, a chunk of harder items) holds up
    none of them. ``meanwhile`` is work of this process's own, done once, first: while the
    children take the first chunks (then this process takes what is left). ``hand``: while
    this process does its chunks, ``job`` may give the first child items to do (see
    :class:`~transcite.handoff.HandOff`); their results are in ``hand.results`` when this
    returns. Inside a :func:`transcite.lockstep.region` the run is shared by the pair."""
    pair = _pair
    if pair is not None and pair.alive:     # (a lockstep pair shares it: see lockstep)
        if workers > 1 and n >= 2 and meanwhile is None and hand is None:
            return pair.run(job, n, parts)
        workers = 1
    if workers <= 1 or n < 2:
        if meanwhile is not None:
            meanwhile()
        return [job(0, n)] if parts is None else [job(a, b) for a, b in _spans(n, parts)]
    if meanwhile is not None or hand is not None:
        parts = max(parts or 0, workers + 1)    # chunks to share: none is this process's
    spans = _spans(n, max(workers, min(parts or workers, n, MAX_PARTS)))
    from . import progress

    flush_output()
    progress.share(workers)
    # The objects made so far go out of the collector's sight while the children run: a
    # collection in a child would write to every one of them and copy the pages they share
    # with this process (~5% of reading 1,000 entries). Not when the program using transcite
    # froze objects of its own (unfreezing would let go of them too).
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    try:
        if len(spans) <= workers and meanwhile is None and hand is None:
            return _run(job, spans)
        return _run_shared(job, spans, workers, meanwhile, hand)
    finally:
        progress.unshare()
        if frozen:
            gc.unfreeze()


#: The most chunks :func:`split_run` makes (their numbers must fit in a pipe's buffer).
MAX_PARTS = 4096
#: Chunks per worker the callers ask :func:`split_run` for: each process takes the next chunk
#: when done with one, so the processes finish together.
PARTS_PER_WORKER = 8


def _spans(n: int, parts: int) -> list[tuple[int, int]]:
    step = -(-n // max(1, parts))
    return [(s, min(n, s + step)) for s in range(0, n, step)] or [(0, 0)]


def _run(job: Callable[[int, int], T], spans: list[tuple[int, int]]) -> list[T]:
    # os.fork and a pipe each, not multiprocessing: importing it and starting its Process
    # costs ~10 ms, as much as a 100-entry list takes to render.
    children: list[_Results | None] = []
    try:
        for k in range(1, len(spans)):
            children.append(_start(job, spans, [k], k))
        first = job(*spans[0])
        done: dict[int, T] = {}
        for child in children:
            if child is not None:
                child.load(done, wait=True)
        return [first] + [done[k] if k in done else job(*spans[k])
                          for k in range(1, len(spans))]
    finally:
        _end_all(children)       # the parent failed: end the children it started


def _run_shared(job: Callable[[int, int], T], spans: list[tuple[int, int]],
                workers: int, meanwhile: Callable[[], object] | None = None,
                hand: HandOff | None = None) -> list[T]:
    # The chunks' numbers are written to a pipe (closed at once: an empty pipe then reads as
    # its end); this process and the children each read the next number (4 bytes: a read
    # that size takes them whole) until none is left. A child sends each chunk's result as
    # soon as it is done, and this process loads what has come between chunks of its own:
    # no result waits to be pickled and loaded after the last chunk. A chunk no answer came
    # back for - its child failed or could not start - is done here at the end.
    numbers, feed = os.pipe()
    try:
        os.write(feed, b"".join(k.to_bytes(4, "little") for k in range(len(spans))))
    finally:
        os.close(feed)
    children: list[_Results | None] = []
    given = os.pipe() if hand is not None else None     # items handed to the first child
    try:
        for slot in range(1, workers):
            children.append(_start(job, spans, _numbers(numbers), slot, given, hand))
        if hand is not None and given is not None:
            os.close(given[0])
            if children[0] is not None:
                hand.open(given[1])     # (the hand closes it)
            else:
                os.close(given[1])
            given = None
        if meanwhile is not None:
            meanwhile()
        done: dict[Any, Any] = {}
        for k in _numbers(numbers):
            done[k] = job(*spans[k])
            for child in children:
                if child is not None:
                    child.load(done, wait=False)
        if hand is not None:
            hand.close()        # nothing more is handed: the child ends when done with it
        for child in children:
            if child is not None:
                child.load(done, wait=True)
        if hand is not None:
            hand.collect(done)
        return [done[k] if k in done else job(*spans[k]) for k in range(len(spans))]
    finally:
        os.close(numbers)
        if given is not None:
            os.close(given[0])
            os.close(given[1])
        if hand is not None:
            hand.close()
        _end_all(children)


def _numbers(numbers: int) -> Iterator[int]:
    """The chunk numbers this process reads from the pipe ``numbers``, one at a time."""
    while True:
        data = os.read(numbers, 4)
        if len(data) < 4:
            return
        yield int.from_bytes(data, "little")


def _start(job: Callable[[int, int], Any], spans: list[tuple[int, int]],
           chunks: Iterable[int], slot: int, given: tuple[int, int] | None = None,
           hand: HandOff | None = None) -> _Results | None:
    """A child doing the chunks ``chunks`` gives (their numbers as it goes: a list, or what it
    reads from the shared pipe), sending each result back as soon as it is done - and, the
    first child, the items handed to it through the pipe ``given`` (see :class:`HandOff`);
    None if it cannot start."""
    def work(out: int) -> None:
        if hand is not None and given is not None:
            hand.in_child(given, serves=slot == 1)
        _send_results(job, spans, chunks, out, hand)
    started = _fork(work, slot)
    return _Results(*started) if started is not None else None


def _end_all(children: list[_Results | None]) -> None:
    """End the children not yet done with (this process failed)."""
    for child in children:
        if child is not None and not child.ended:
            _end((child.pid, child.fd))


def _send_results(job: Callable[[int, int], Any], spans: list[tuple[int, int]],
                  chunks: Iterable[int], out: int, hand: HandOff | None = None) -> None:
    """In a child: each chunk of ``chunks``, its result written to ``out`` at once (8 bytes of
    length, then the pickled ``(number, result)``); between chunks and after the last, the
    items handed to it (``hand``), each result as ``(("hand", ticket), result)``. A chunk or
    item that fails, or whose result does not pickle, ends the child: this process does it."""
    for k in chunks:
        try:
            frame = pickle.dumps((k, job(*spans[k])), pickle.HIGHEST_PROTOCOL)
        except BaseException:   # noqa: BLE001 - the parent reruns the chunk and sees the error
            return
        _write_all(out, len(frame).to_bytes(8, "little") + frame)
        if hand is not None and not hand.serve(out, wait=False):
            return
    if hand is not None:
        hand.serve(out, wait=True)


def flush_output() -> None:
    """Before a fork: write out what this process has buffered for its standard output and
    error, which a child must not write out again (a stream that cannot be flushed - closed,
    replaced - is left)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _Results:
    """The results a child sends as it goes (see :func:`_send_results`), loaded here."""

    __slots__ = ("pid", "fd", "ended", "_buffer")

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.ended = False      # its pipe closed and the child reaped
        self._buffer = bytearray()

    def load(self, done: dict[int, Any], wait: bool) -> None:
        """Put the results that have come into ``done``; with ``wait``, all of them, until
        the child's end (which is reaped)."""
        import select

        from . import progress

        if self.ended:
            return
        ended = False
        try:
            while True:
                if not select.select([self.fd], [], [], 0.2 if wait else 0)[0]:
                    if not wait:
                        break
                    progress.refresh()      # the bar counts the children's items meanwhile
                    continue
                data = os.read(self.fd, 1 << 20)
                if not data:
                    ended = True
                    break
                self._buffer += data
        except OSError:
            ended = True
        self._frames(done)
        if wait or ended:
            self.ended = True
            try:
                os.close(self.fd)
            except OSError:
                pass
            _reap(self.pid)

    def _frames(self, done: dict[int, Any]) -> None:
        for frame in _whole_frames(self._buffer):
            try:
                k, result = pickle.loads(frame)
                done[k] = result
            except Exception:  # noqa: BLE001 - a result that does not load is done here
                pass


def _whole_frames(buf: bytearray) -> Iterator[bytes]:
    """The whole frames (8 bytes of length, then the pickle) at the start of ``buf``, each
    taken out of it as it is given; a frame not yet whole stays for more bytes."""
    while len(buf) >= 8:
        size = int.from_bytes(buf[:8], "little")
        if len(buf) < 8 + size:
            return
        frame = bytes(buf[8:8 + size])
        del buf[:8 + size]
        yield frame


def _fork(work: Callable[[int], Any], slot: int) -> tuple[int, int] | None:
    """A child running ``work(fd)``, which writes its results to the pipe ``fd`` as it goes:
    (the child's pid, the pipe to read them from), or None if it cannot start."""
    try:
        recv, send = os.pipe()
    except OSError:
        return None
    _widen(send)
    try:
        pid = os.fork()
    except OSError:
        os.close(recv)
        os.close(send)
        return None
    if pid == 0:
        os.close(recv)
        _child(work, send, slot)
    os.close(send)
    return pid, recv


def _widen(fd: int, size: int = 1 << 20) -> int:
    """The pipe ``fd`` given room for ``size`` bytes where the system lets a program set it
    (Linux's ``F_SETPIPE_SZ``; 64 KB by default): a child sending results as it goes then
    seldom waits for this process to read them. The bytes it then holds, or 0 (left as it
    is: another system, or a limit below ``size``)."""
    try:
        import fcntl

        return int(fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size))
    except (ImportError, AttributeError, OSError, ValueError):
        return 0


def _child(work: Callable[[int], Any], out: int, slot: int) -> None:
    """In the forked child: ``work(out)``, which writes to the pipe ``out`` itself; the
    process ends without running anything the parent registered to run at exit."""
    code = 0
    try:
        from . import progress

        progress.enter_worker(slot)
        work(out)
    except BaseException:       # noqa: BLE001 - a closed pipe: the parent is gone or gave up
        code = 1
    finally:
        os._exit(code)


def _end(child: tuple[int, int]) -> None:
    import signal

    pid, recv = child
    try:
        os.close(recv)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass
    _reap(pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
