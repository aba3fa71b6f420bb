"""Reading a long CSL-JSON array or RIS file item by item, as the file is read.

:func:`stream_file` is used by :func:`transcite.readers.iter_read` when the file can be read
this way and give exactly what reading it whole gives: a CSL-JSON or RIS file (by ``format``
or suffix) that is plain UTF-8 (no byte order mark; a first pass checks the bytes without
keeping the text, so an encoding problem is still reported before anything is read).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from ..model import Reference, Report
from . import ReadContext

__all__ = ["CHUNK", "stream_file"]

#: Bytes read at a time.
CHUNK = 1 << 16

_STREAMED = ("csl-json", "ris")


def _format(path: Path, format: str | None) -> str | None:
    from ..registry import UnknownName, registry

    if format is None:
        entry = registry.for_path("reader", path)
        return entry.name if entry is not None else None
    try:
        return registry.entry("reader", format).name
    except UnknownName:
        return None


def _plain_utf8(path: Path) -> bool | None:
    """True for plain UTF-8 with text in it, False for plain UTF-8 that is only whitespace, None
    for anything else (a byte order mark, other bytes, a directory, a missing file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank = True
    try:
        with open(path, "rb") as fh:
            first = True
            while True:
                data = fh.read(CHUNK)
                if first and data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                              codecs.BOM_UTF16_BE)):
                    return None
                first = False
                text = decoder.decode(data, final=not data)
                if blank and text.strip():
                    blank = False
                if not data:
                    return not blank
    except (UnicodeDecodeError, OSError):
        return None


def stream_file(path: str | Path, format: str | None, encoding: str | None, report: Report,
                options: dict[str, object]) -> Iterator[Reference] | None:
    """The references of ``path`` read as it is read, or None when it must be read whole."""
    path = Path(path)
    if encoding is not None:
        try:
            if codecs.lookup(encoding).name != "utf-8":
                return None
        except LookupError:
            return None
    name = _format(path, format)
    if name not in _STREAMED or not _plain_utf8(path):
        return None
    return _stream(path, name, report, options)


def _stream(path: Path, name: str, report: Report, options: dict[str, object]
            ) -> Iterator[Reference]:
    ctx = ReadContext(file=str(path), report=report, options=dict(options))
    with open(path, encoding="utf-8", newline="") as fh:
        if name == "ris":
            from .ris import stream_ris

            # lines end at CR/LF only: U+2029 inside a value is a paragraph (see writers.ris)
            yield from stream_ris((line.rstrip("\r\n") for line in fh), ctx)
        else:
            from .csljson import stream_csl_json

            yield from stream_csl_json(iter(lambda: fh.read(CHUNK), ""), ctx)
