"""Readers: turn files in any supported format into a :class:`~transcite.model.Library`.

Each reader is a function ``(text, ctx) -> Iterable[Reference]`` registered in
:mod:`transcite.registry` under a name, aliases and file suffixes. Readers report the user's
mistakes into ``ctx.report`` (with file and line) and go on with the rest of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..model import Library, Reference, Report
from ..registry import UnknownName, registry
from ..textio import DecodeFailure, read_text

__all__ = ["ReadContext", "Reader", "detect_format", "read", "read_string"]


@dataclass(slots=True)
class ReadContext:
    """What a reader needs besides the text: the file name for messages, and the report."""

    file: str | None = None
    report: Report = field(default_factory=Report)
    options: dict[str, object] = field(default_factory=dict)


Reader = Callable[[str, ReadContext], Iterable[Reference]]


def detect_format(path: str | Path, text: str | None = None) -> str | None:
    """The reader name for a file, from its suffix or, failing that, a sniff of its text."""
    entry = registry.for_path("reader", path)
    if entry is not None:
        return entry.name
    if text is None:
        return None
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if head.startswith(("[", "{")):
        return "csl-json"
    if head.startswith("@") or "\n@" in head:
        return "bibtex"
    if head.startswith("TY  -") or "\nTY  -" in head:
        return "ris"
    if head.startswith(("---", "- id:", "references:")):
        return "csl-yaml"
    return None


def read_string(text: str, format: str, *, file: str | None = None,
                report: Report | None = None, **options: object) -> Library:
    """Read references from a string in the named format (``bibtex``, ``csl-json``, ``ris``...).

    >>> lib = read_string('[{"id": "a", "type": "book", "title": "Война и мир"}]', "csl-json")
    >>> lib["a"].title
    'Война и мир'
    """
    reader: Reader = registry.get("reader", format)
    ctx = ReadContext(file=file, report=report if report is not None else Report(),
                      options=dict(options))
    library = Library(report=ctx.report)
    for ref in reader(text, ctx):
        library.add(ref)
    return library


def read(source: str | Path | IO[bytes], format: str | None = None, *,
         encoding: str | None = None, report: Report | None = None,
         **options: object) -> Library:
    """Read a bibliography file (``-`` for standard input) into a Library.

    The format comes from ``format`` or the file's suffix (then a sniff of its content). The
    encoding is detected (UTF-8, a BOM, Windows-1251, KOI8-R) unless ``encoding`` is given. An
    unreadable file or unknown format is an error in ``library.report``, not an exception; a
    missing file raises :class:`FileNotFoundError`.
    """
    report = report if report is not None else Report()
    if isinstance(source, (str, Path)):
        name = "<stdin>" if str(source) == "-" else str(source)
        try:
            decoded = read_text(source, encoding)
        except DecodeFailure as exc:
            report.error("read.encoding", f"{name} {exc}", file=name, line=exc.line)
            return Library(report=report)
        except IsADirectoryError:
            report.error("read.not-a-file", f"{name} is a directory, not a file", file=name)
            return Library(report=report)
        path_for_suffix: str | Path = source
    else:
        name = getattr(source, "name", "<stream>")
        from ..textio import decode_bytes

        try:
            decoded = decode_bytes(source.read(), encoding)
        except DecodeFailure as exc:
            report.error("read.encoding", f"{name} {exc}", file=name, line=exc.line)
            return Library(report=report)
        path_for_suffix = str(name)
    if decoded.guessed:
        report.add("info", "read.encoding-detected",
                   f"{name} is not UTF-8; read it as {decoded.encoding}", file=name)
    text = decoded.text
    if format is None:
        format = detect_format(path_for_suffix, text)
        if format is None:
            if not text.strip():
                report.warning("read.empty", f"{name} is empty: no references", file=name)
                return Library(report=report)
            report.error("read.unknown-format",
                         f"cannot tell the format of {name}; name it with --from "
                         f"({', '.join(e.name for e in registry.entries('reader'))})", file=name)
            return Library(report=report)
    try:
        registry.entry("reader", format)
    except UnknownName as exc:
        report.error("read.unknown-format", f"{exc}", file=name)
        return Library(report=report)
    if not text.strip():
        report.warning("read.empty", f"{name} is empty: no references", file=name)
        return Library(report=report)
    return read_string(text, format, file=name, report=report, **options)
