"""Writers: serialise a Library (or any iterable of references) in a registered format.

A writer is a function ``(references, stream) -> None`` registered in
:mod:`transcite.registry`. Files are written atomically: a failed write leaves the old file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from ..model import Reference
from ..registry import registry
from ..textio import atomic_write

__all__ = ["Writer", "dumps", "write"]

Writer = Callable[[Iterable[Reference], IO[str]], None]


def _writer_for(path: str | Path, format: str | None) -> Writer:
    if format:
        writer: Writer = registry.get("writer", format)
        return writer
    entry = registry.for_path("writer", path)
    if entry is None:
        raise ValueError(f"cannot tell the output format from {str(path)!r}; name it "
                         f"({', '.join(e.name for e in registry.entries('writer'))})")
    loaded: Writer = entry.load()
    return loaded


def dumps(references: Iterable[Reference], format: str) -> str:
    """The references serialised in ``format`` (``csl-json``, ``biblatex``, ``ris``...).

    >>> from transcite.model import Reference
    >>> print(dumps([Reference("a", "book", fields={"title": "Война и мир"})], "ris").strip())
    TY  - BOOK
    ID  - a
    TI  - Война и мир
    ER  -
    """
    buffer = io.StringIO()
    _writer_for("", format)(references, buffer)
    return buffer.getvalue()


def write(references: Iterable[Reference], path: str | Path, format: str | None = None, *,
          commit: Callable[[], bool] | None = None) -> bool:
    """Write references to ``path`` (``-`` for stdout) in ``format`` or the one its suffix names.

    References are written as they come: a stream of them is never held in memory whole. A
    file is written atomically; ``commit``, when given, is asked once everything is written
    whether the file may replace what is there (see :func:`~transcite.textio.atomic_write`).
    Returns False when it said no."""
    writer = _writer_for(path, format)
    return atomic_write(path, lambda stream: writer(references, stream), commit=commit)
