"""Single items handed mid-run to the first forked worker of a
:func:`~transcite.workers.split_run` (see :class:`HandOff`): work that would make this process
load something costly (a dictionary) that the worker loads once for both.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any

from .workers import _whole_frames, _widen, _write_all

__all__ = ["HandOff"]


class HandOff:
    """Single items this process gives the first forked child of a :func:`split_run` to do,
    while the run is on: work it would have to load something costly for (a dictionary),
    which that child has loaded, or loads once for both. ``work(item)`` is done there and
    its result comes back with the chunks'; an item whose result does not come back (the
    child failed) is done here when the run ends, so the results are the same either way.

    In the job: ``ticket = hand.give(item)``; None means do it yourself (no run on, no
    child, this is a child, ``limit`` items given already, an item that does not pickle).
    After the run: ``hand.results[ticket]``. ``prepare``, done by that child before its first
    chunk, can load what the work needs while this process does other things."""

    __slots__ = ("work", "limit", "prepare", "results", "_items", "_out", "_in", "_owner",
                 "_buffer", "_sent", "_room")

    #: The most bytes handed in one run where the pipe's size cannot be set: less than any
    #: pipe holds (64 KB), so giving never waits for the child (which may itself be waiting
    #: for this process to read). A real list's romanised entries, handed with the comments
    #: around them, take ~1.4 KB each: 32 KB holds ~23 of them.
    MAX_BYTES = 1 << 15
    #: The size the pipe is given where the system lets a program set it (Linux: up to
    #: /proc/sys/fs/pipe-max-size, 1 MB by default): room for :attr:`limit` items of ~4 KB.
    PIPE_BYTES = 1 << 18

    def __init__(self, work: Callable[[Any], Any], limit: int = 64,
                 prepare: Callable[[], object] | None = None) -> None:
        self.work = work
        self.limit = limit
        self.prepare = prepare      # done by that child first (loading what the work needs)
        self.results: dict[int, Any] = {}
        self._items: list[Any] = []     # given, by ticket
        self._out: int | None = None    # this process's end of the pipe to the child
        self._in: int | None = None     # the child's end
        self._owner = 0                 # the process that gives
        self._buffer = bytearray()
        self._sent = 0                  # bytes written to the pipe
        self._room = self.MAX_BYTES     # bytes the pipe holds (see :meth:`open`)

    def give(self, item: Any) -> int | None:
        """Hand ``item`` to the child: its ticket, or None (do the work yourself)."""
        if self._out is None or os.getpid() != self._owner or len(self._items) >= self.limit:
            return None
        try:
            frame = pickle.dumps((len(self._items), item), pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: done here
            return None
        if self._sent + len(frame) + 64 > self._room:   # (64: room for the end mark)
            return None
        try:
            _write_all(self._out, len(frame).to_bytes(8, "little") + frame)
        except OSError:     # the child is gone: done here
            self.close()
            return None
        self._sent += len(frame) + 8
        self._items.append(item)
        return len(self._items) - 1

    def giving(self) -> bool:
        """Whether :meth:`give` may take an item now (a run is on, and this is its process)."""
        return self._out is not None and os.getpid() == self._owner

    def open(self, out: int | None) -> None:
        """(:func:`split_run`) Start giving through the pipe ``out`` (None: no child) - made
        larger first where the system allows, so that more items fit in it unread."""
        self._out, self._owner = out, os.getpid()
        self._room = self.MAX_BYTES
        if out is not None:
            self._room = max(self._room, _widen(out, self.PIPE_BYTES))

    def close(self) -> None:
        """(:func:`split_run`) Give nothing more: an end mark, and this end of the pipe closed
        (the mark, not the pipe's end, tells the child: a process forked meanwhile - a cache
        writer - may hold the pipe open)."""
        if self._out is not None:
            try:
                frame = pickle.dumps((-1, None), pickle.HIGHEST_PROTOCOL)
                _write_all(self._out, len(frame).to_bytes(8, "little") + frame)
            except OSError:
                pass
            try:
                os.close(self._out)
            except OSError:
                pass
            self._out = None

    def collect(self, done: dict[Any, Any]) -> None:
        """(:func:`split_run`) The results the child sent (taken out of ``done``); the items
        it did not answer are done here."""
        for key in [k for k in done if isinstance(k, tuple)]:
            self.results[key[1]] = done.pop(key)
        for ticket, item in enumerate(self._items):
            if ticket not in self.results:
                self.results[ticket] = self.work(item)

    def in_child(self, given: tuple[int, int], serves: bool) -> None:
        """(In a forked child) Keep the pipe's reading end if this child ``serves``."""
        os.close(given[1])
        self._out = None
        if not serves:
            os.close(given[0])
            return
        self._in = given[0]
        if self.prepare is not None:
            try:
                self.prepare()
            except Exception:  # noqa: BLE001 - only a head start: the work loads what it needs
                pass

    def serve(self, out: int, wait: bool) -> bool:
        """(In the first child) Do the items handed so far - with ``wait``, every item until
        the pipe ends - writing each result to ``out``; False when one failed."""
        import select

        while self._in is not None:
            if not wait and not select.select([self._in], [], [], 0)[0]:
                break
            data = os.read(self._in, 1 << 16)
            if not data:
                os.close(self._in)
                self._in = None
            self._buffer += data
            for frame in _whole_frames(self._buffer):
                if self._in is None:
                    break               # (the pipe ended: this process's parent is gone)
                ticket, item = pickle.loads(frame)
                if ticket < 0:          # the end mark: nothing more comes
                    os.close(self._in)
                    self._in = None
                    break
                try:
                    reply = pickle.dumps((("hand", ticket), self.work(item)),
                                         pickle.HIGHEST_PROTOCOL)
                except BaseException:   # noqa: BLE001 - the parent does it and sees the error
                    return False
                _write_all(out, len(reply).to_bytes(8, "little") + reply)
        return True
