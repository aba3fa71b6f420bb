"""Readers: turn files in any supported format into a :class:`~transcite.model.Library`.

Each reader is a function ``(text, ctx) -> Iterable[Reference]`` registered in
:mod:`transcite.registry` under a name, aliases and file suffixes. Readers report the user's
mistakes into ``ctx.report`` (with file and line) and go on with the rest of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..lazy import lazy_re
from ..memo import fewer_collections
from ..model import Library, Reference, Report, free_id
from ..registry import UnknownName, registry
from ..textio import DecodeFailure, read_text

__all__ = ["ReadContext", "Reader", "checked", "detect_format", "iter_read", "read",
           "read_string", "unique_ids"]


@dataclass(slots=True)
class ReadContext:
    """What a reader needs besides the text: the file name for messages, and the report."""

    file: str | None = None
    report: Report = field(default_factory=Report)
    options: dict[str, object] = field(default_factory=dict)
    used_keys: set[str] = field(default_factory=set)  # keys made for items without one


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
    if head.startswith("<") and "officeDocument/2006/bibliography" in head:
        return "word"
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
    text = _without_surrogates(text, ctx)
    library = Library(report=ctx.report)
    for ref in checked(reader(text, ctx), ctx.report):
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
    library = Library(report=report)
    with fewer_collections():           # (see transcite.memo)
        for ref in iter_read(source, format, encoding=encoding, report=report, **options):
            library.add(ref)
    return library


def iter_read(source: str | Path | IO[bytes], format: str | None = None, *,
              encoding: str | None = None, report: Report | None = None,
              **options: object) -> Iterator[Reference]:
    """The references of a bibliography file one at a time, as :func:`read` reads them (its
    problems go into ``report``; ids are made unique by :func:`unique_ids` or a Library).

    A CSL-JSON array or a RIS file in UTF-8 is read as the file is read, item by item, so
    memory stays flat however long it is; other formats, standard input and files that are
    not plain UTF-8 are read whole first (BibTeX must be: an ``@string`` anywhere applies to
    every entry).
    """
    report = report if report is not None else Report()
    if isinstance(source, (str, Path)) and str(source) != "-":
        from .streaming import stream_file

        streamed = stream_file(source, format, encoding, report, options)
        if streamed is not None:
            yield from streamed
            return
    yield from _read_whole(source, format, encoding, report, options)


def _read_whole(source: str | Path | IO[bytes], format: str | None, encoding: str | None,
                report: Report, options: dict[str, object]) -> Iterator[Reference]:
    if isinstance(source, (str, Path)):
        name = "<stdin>" if str(source) == "-" else str(source)
        try:
            decoded = read_text(source, encoding)
        except DecodeFailure as exc:
            report.error("read.encoding", f"{name} {exc}", file=name, line=exc.line)
            return
        except IsADirectoryError:
            report.error("read.not-a-file", f"{name} is a directory, not a file", file=name)
            return
        path_for_suffix: str | Path = source
    else:
        name = getattr(source, "name", "<stream>")
        from ..textio import decode_bytes

        try:
            decoded = decode_bytes(source.read(), encoding)
        except DecodeFailure as exc:
            report.error("read.encoding", f"{name} {exc}", file=name, line=exc.line)
            return
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
                return
            report.error("read.unknown-format",
                         f"cannot tell the format of {name}; name it with --from "
                         f"({', '.join(e.name for e in registry.entries('reader'))})", file=name)
            return
    try:
        registry.entry("reader", format)
    except UnknownName as exc:
        report.error("read.unknown-format", f"{exc}", file=name)
        return
    if not text.strip():
        report.warning("read.empty", f"{name} is empty: no references", file=name)
        return
    reader: Reader = registry.get("reader", format)
    ctx = ReadContext(file=name, report=report, options=dict(options))
    yield from checked(reader(_without_surrogates(text, ctx), ctx), report)


_SURROGATE = lazy_re("[\ud800-\udfff]")


_DATEISH = lazy_re(r"[\d\s./-]+")


def checked(refs: Iterable[Reference], report: Report) -> Iterator[Reference]:
    """The references, with dates no calendar has reported (``year = {20201}``, date-parts
    ``[[2020, 13, 40]]``): kept as read, but not silently."""
    for ref in refs:
        for var, date in ref.dates.items():
            odd = None
            text = date.literal or date.raw
            if not date.parts and text and _DATEISH.fullmatch(text) and any(
                    c.isdigit() for c in text):
                odd = f"{text[:40]!r} is not a date" + (" (a year of more than four digits?)"
                                                        if text.isdigit() else "")
            for parts in date.parts:
                if not -9999 <= parts[0] <= 9999 or len(parts) > 1 and not 1 <= parts[1] <= 24 \
                        or len(parts) > 2 and not 1 <= parts[2] <= 31 or len(parts) > 3:
                    odd = f"date-parts {list(parts)[:4]} are not a year, month (or season) " \
                          "and day"
            if odd:
                report.warning("read.odd-date", f"{var}: {odd}; kept as read", **ref.where())
        yield ref


def _without_surrogates(text: str, ctx: ReadContext) -> str:
    """The text with lone surrogates (which no file can be written with) replaced by U+FFFD,
    and reported; text decoded from a file never has them, a string handed in may."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    first = _SURROGATE.search(text)
    line = text.count("\n", 0, first.start()) + 1 if first else None
    ctx.report.warning("read.surrogate", f"{len(_SURROGATE.findall(text))} lone surrogate "
                       "code point(s) replaced by U+FFFD", file=ctx.file, line=line)
    return _SURROGATE.sub("\ufffd", text)


def unique_ids(refs: Iterable[Reference], report: Report) -> Iterator[Reference]:
    """The references with clashing ids renamed (``key-2``) and reported, exactly as
    :meth:`Library.add` does, remembering only each id's line: for streams too long to keep."""
    lines: dict[str, int | None] = {}
    counters: dict[str, int] = {}
    for ref in refs:
        if ref.id in lines:
            new_id = free_id(ref.id, lines, counters)
            line = lines[ref.id]
            report.error(
                "library.duplicate-id",
                f"duplicate id {ref.id!r} (first defined"
                + (f" at line {line}" if line is not None else "")
                + f"); this entry is kept as {new_id!r}",
                **ref.where(),
            )
            ref.id = new_id
        lines[ref.id] = ref.origin.line if ref.origin else None
        yield ref
