"""Libraries too long to hold: references kept in a temporary file, read back one at a time.

A 100,000-entry library held as :class:`~transcite.model.Reference` objects takes most of a
gigabyte; pickled into a file it takes a hundred megabytes of disk and none of memory. A
:class:`SpilledLibrary` keeps only each reference's id and where its bytes are; iterating it
reads the references back in order, one at a time. It is what ``transcite format`` reads a long
input into (see :mod:`transcite.normalisation.stream`), and what the bounded renderer
(:mod:`transcite.render.bounded`) sorts and formats without ever holding every item.

:class:`BlobFile` is the file underneath: append-only records addressed by number, read with
``os.pread`` so that forked workers can read it at the same time. The file is anonymous (it has
no name in the file system) and disappears when it is closed or the process ends.
"""

from __future__ import annotations

import os
import pickle
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from .model import Reference, Report

__all__ = ["SPILL_BYTES", "BlobFile", "SpilledLibrary", "is_long"]

#: Inputs of at least this many bytes in all are kept in a file while formatting (about 20,000
#: BibTeX entries; ``TRANSCITE_SPILL_BYTES`` in the environment overrides it).
SPILL_BYTES = 8_000_000


def is_long(paths: Iterable[str]) -> bool:
    """Whether these input files together are long enough to be kept in a file rather than
    in memory (standard input never is: its length is not known beforehand)."""
    env = os.environ.get("TRANSCITE_SPILL_BYTES", "")
    limit = int(env) if env.isdigit() else SPILL_BYTES
    total = 0
    for path in paths:
        if path == "-":
            return False
        try:
            total += os.path.getsize(path)
        except OSError:
            continue
    return total >= limit


class BlobFile:
    """Numbered byte records in an anonymous temporary file (append, replace, read)."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile(prefix="transcite-")
        self._fd = self._file.fileno()
        self._offsets = array("q")
        self._sizes = array("q")
        self._end = 0

    def __len__(self) -> int:
        return len(self._offsets)

    def append(self, data: bytes) -> int:
        """Store ``data``; its record number."""
        self._offsets.append(self._write(data))
        self._sizes.append(len(data))
        return len(self._offsets) - 1

    def replace(self, n: int, data: bytes) -> None:
        """Store ``data`` as record ``n`` (the old bytes stay in the file, unused)."""
        self._offsets[n] = self._write(data)
        self._sizes[n] = len(data)

    def read(self, n: int) -> bytes:
        """The bytes of record ``n``."""
        size = self._sizes[n]
        data = os.pread(self._fd, size, self._offsets[n])
        if len(data) != size:       # pread may return less than asked for; go on reading
            parts = [data]
            got = len(data)
            while got < size:
                more = os.pread(self._fd, size - got, self._offsets[n] + got)
                if not more:
                    raise OSError(f"temporary file ended inside record {n}")
                parts.append(more)
                got += len(more)
            data = b"".join(parts)
        return data

    def _write(self, data: bytes) -> int:
        at = self._end
        view = memoryview(data)
        done = 0
        while done < len(data):
            done += os.pwrite(self._fd, view[done:], at + done)
        self._end += len(data)
        return at

    def close(self) -> None:
        """Remove the file."""
        self._file.close()


class SpilledLibrary:
    """References in a temporary file, in library order; ids are unique (as in a Library).

    It reads like a :class:`~transcite.model.Library` - ``len``, iteration in order, ``in``,
    ``get`` and item access by id - but each reference is unpickled when asked for, so
    changing one changes nothing until it is stored back with :meth:`replace`.
    """

    def __init__(self, report: Report | None = None) -> None:
        self.report = report if report is not None else Report()
        self._blobs = BlobFile()
        self._ids: list[str] = []
        self._index: dict[str, int] = {}
        self._removed: set[int] = set()

    # -- building -------------------------------------------------------------------------
    def append(self, ref: Reference | None = None, *, ref_id: str | None = None,
               data: bytes | None = None) -> None:
        """Add a reference at the end: the object, or its id and its pickled bytes."""
        if ref is not None:
            ref_id, data = ref.id, pickle.dumps(ref, pickle.HIGHEST_PROTOCOL)
        if ref_id is None or data is None:
            raise TypeError("give a reference, or its id and pickled bytes")
        if ref_id in self._index:
            raise ValueError(f"duplicate id {ref_id!r}")
        self._index[ref_id] = self._blobs.append(data)
        self._ids.append(ref_id)

    def replace(self, ref: Reference) -> None:
        """Store ``ref`` in place of the reference with its id."""
        self._blobs.replace(self._index[ref.id], pickle.dumps(ref, pickle.HIGHEST_PROTOCOL))

    def remove(self, ref_id: str) -> None:
        """Leave the reference with this id out of the library."""
        n = self._index.pop(ref_id)
        self._removed.add(n)

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids) - len(self._removed)

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._index

    def __iter__(self) -> Iterator[Reference]:
        for n in range(len(self._ids)):
            if n not in self._removed:
                yield self._load(n)

    def __getitem__(self, ref_id: str) -> Reference:
        return self._load(self._index[ref_id])

    def get(self, ref_id: str, default: Any = None) -> Any:
        """The reference with this id, or ``default``."""
        n = self._index.get(ref_id)
        return default if n is None else self._load(n)

    def ids(self) -> list[str]:
        """The ids in library order."""
        return [i for n, i in enumerate(self._ids) if n not in self._removed]

    def _load(self, n: int) -> Reference:
        ref: Reference = pickle.loads(self._blobs.read(n))
        return ref

    def state(self) -> tuple[Any, ...]:
        """What says which records are where (not the records): for :meth:`adopt` in the
        process that shares this library's file (it was built in a forked child)."""
        b = self._blobs
        return (b._offsets, b._sizes, b._end, self._ids, self._index, self._removed)

    def adopt(self, state: tuple[Any, ...]) -> None:
        """Take the :meth:`state` a forked child built in this library's file."""
        b = self._blobs
        b._offsets, b._sizes, b._end, self._ids, self._index, self._removed = state

    def close(self) -> None:
        """Remove the temporary file (the library is empty afterwards)."""
        self._blobs.close()
        self._ids.clear()
        self._index.clear()
        self._removed.clear()

    def __enter__(self) -> SpilledLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
