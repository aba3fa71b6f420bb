"""Libraries read (and normalised) before, kept between runs (see :mod:`transcite.compiled`):
the read stage's cache, used by `transcite format` and the Pandoc filter.

A writer formats the same bibliography again and again - every build of a document through
the Pandoc filter, every ``transcite format`` after an edit elsewhere - and each run read and
normalised every entry again: most of a run's time at a few hundred entries and more. The
result of reading a set of files (and normalising them) is kept in the cache folder, named by
everything it is made from:

* each input's name as given (messages name it) and its bytes;
* the input format and encoding asked for, whether the library is normalised and the
  journal profile it is normalised for (all its settings);
* the journal registry files the normalisation reads (the user's and the shipped one);
* transcite's version, Python's, and a stamp of every module and data file of the package
  (their names, sizes and times), as the compiled styles are keyed.

Any change to one of them is another entry; a run that finds its entry loads the references
and replays the problems reading them reported (same files, same lines), so its output and
messages are those of a run that reads the files. Standard input, a pipe or anything else that
is not a regular file, a missing file and a library whose entry would exceed
:data:`MAX_BYTES` are never kept. ``TRANSCITE_NO_CACHE=1``
turns this cache off with the others.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Library, Report

__all__ = ["KEEP", "MAX_BYTES", "cached_library", "package_stamp"]

#: Libraries kept (the least recently written beyond this are removed).
KEEP = 8
#: A library whose pickled form is larger than this is not kept (~40,000 entries).
MAX_BYTES = 32 * 1024 * 1024


def cached_library(paths: Sequence[str], fmt: str | None, encoding: str | None,
                   report: Report, build: Callable[[Report], Library], *,
                   normalise: bool, profile: Any = None) -> Library:
    """``build(report)`` - the library of ``paths`` - from the cache when the same files were
    read the same way before (its problems added to ``report`` as reading reported them),
    else built and kept."""
    from .. import compiled

    parts = _key_parts(paths, fmt, encoding, normalise, profile) if compiled.enabled() \
        else None
    if parts is None:
        return build(report)
    entry = compiled.key("library", parts, package_stamp())
    found = compiled.load("libraries", entry)
    if found is not None:
        refs, problems = found[0]
        report.extend(problems)
        library = Library(report=report)
        for ref in refs:
            library.add(ref)
        return library
    own = Report()
    library = build(own)
    report.extend(own.problems)
    library.report = report
    # Each reference holds its entry as written: the pickle is larger than the files, so
    # files over the limit are not pickled at all.
    if sum(os.path.getsize(p) for p in paths) <= MAX_BYTES:
        value = (list(library), own.problems)
        compiled.store_later("libraries", entry, lambda: _capped_dumps(value, MAX_BYTES),
                             keep=KEEP, background=len(value[0]) >= BACKGROUND)
    return library


#: From this many references on, the library is pickled and written by a forked process
#: while this one goes on to render it (pickling takes ~3 ms per 300 references, a fork ~1 ms).
BACKGROUND = 250


class _Full(Exception):
    pass


class _Capped:
    """A file that takes at most ``limit`` bytes (raising :class:`_Full` beyond)."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.left = limit

    def write(self, data: bytes) -> int:
        self.left -= len(data)
        if self.left < 0:
            raise _Full
        self.parts.append(bytes(data))
        return len(data)


def _capped_dumps(value: Any, limit: int) -> bytes | None:
    """``value`` pickled, or None when that takes more than ``limit`` bytes (stopped there)."""
    out = _Capped(limit)
    try:
        pickle.Pickler(out, pickle.HIGHEST_PROTOCOL).dump(value)
    except _Full:
        return None
    return b"".join(out.parts)


def _key_parts(paths: Sequence[str], fmt: str | None, encoding: str | None, normalise: bool,
               profile: Any, content: bool = True) -> list[bytes | str] | None:
    """What the library is made from (``content``: with the files' bytes), or None when it
    cannot be kept (standard input, a missing or unreadable file)."""
    parts: list[bytes | str] = [fmt or "", encoding or "", "normalised" if normalise else "read",
                                repr(profile)]
    for path in paths:
        if path == "-" or not os.path.isfile(path):
            return None     # (a pipe - `<(...)` - must be read once, by the reader)
        try:
            parts += [path, Path(path).read_bytes() if content else "(by entry)"]
        except OSError:
            return None
    if normalise:
        from ..resources import journal_registry_paths, shipped_dir

        parts.append(os.environ.get("TRANSCITE_JOURNALS", ""))
        for registry in [*journal_registry_paths(), shipped_dir("references") / "journals.json"]:
            try:
                parts += [str(registry), registry.read_bytes()]
            except OSError:
                parts += [str(registry), "(unreadable)"]
    return parts


@cache
def package_stamp() -> str:
    """A stamp of every module and data file of the package (name, size, time): once a
    process (its code is loaded; ~2.8 ms, asked for by the library's key and by its
    entries')."""
    from ..compiled import sha256

    root = Path(__file__).resolve().parent.parent
    h = sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".toml", ".csl", ".xml", ".crfsuite", ".tsv")):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                h.update(f"{folder[len(str(root)):]}/{name}:{st.st_size}:{st.st_mtime_ns}\n"
                         .encode())
    return h.hexdigest()
