"""Entries read (and normalised) before, kept between runs: after an edit, only the entries
that changed are read again.

The library cache (:mod:`.cache`) keeps a whole file's references, named by its bytes: one
edited entry and the next run misses it and reads and normalises every entry again - the
run a writing tool makes each time an author adds a reference. Beside it, a long BibTeX file
read on several cores (:mod:`transcite.bulk`) keeps each entry's own result - the
reference, what reading it reported, what each per-reference normalisation step reported,
its duplicate-finding fingerprint - named by the entry's text as written. A later read of
the same file (same name, format, encoding, profile, journal registries and package) takes
the result of every entry whose text is unchanged and reads the others; the steps over the
whole library (duplicates) run over all of them as before.

An entry's result depends on nothing but its text and these settings, except where it sits
in the file: the reference's line and its problems' lines move with it, and the text between
entries (comments kept with the reference after them) is attached again from the file as it
is now. An entry without a citation key (its id is made from its line) is always read again.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..model import Problem, Reference

__all__ = ["BEFORE_AFTER", "KEEP", "load_records", "record", "records_key", "restore",
           "store_records", "wanted"]

#: Entry tables kept (one per file and settings; the oldest beyond this are removed).
KEEP = 8
#: The keys of the text between entries a reference carries (attached anew on every read).
BEFORE_AFTER = ("@before", "@after")

def records_key(path: str, fmt: str | None, encoding: str | None, normalise: bool,
                profile: Any) -> str | None:
    """The name of a file's entry table (its path and the settings its entries are read
    with, not its bytes), or None when the cache is off."""
    from .. import compiled
    from .cache import _key_parts, package_stamp

    if not compiled.enabled():
        return None
    parts = _key_parts([path], fmt, encoding, normalise, profile, content=False)
    return None if parts is None else compiled.key("entries", parts, package_stamp())


def load_records(key: str | None) -> dict[str, bytes]:
    """The entry table kept under ``key`` (an entry's text -> its pickled result), or an
    empty one."""
    if key is None:
        return {}
    from .. import compiled

    found = compiled.load("entries", key)
    table = found[0] if found is not None else None
    return table if isinstance(table, dict) else {}


def store_records(key: str | None, table: dict[str, bytes]) -> None:
    """Keep ``table`` under ``key`` (written by a forked process when it is long)."""
    if key is None or not table:
        return
    from .. import compiled
    from .cache import BACKGROUND, MAX_BYTES

    size = sum(len(k) + len(v) for k, v in table.items())
    if size > MAX_BYTES:
        return
    compiled.store_later("entries", key, lambda: pickle.dumps(table, pickle.HIGHEST_PROTOCOL),
                         keep=KEEP, background=len(table) >= BACKGROUND)


def record(ref: Reference, read: list[Problem], found: list[list[Problem]], fingerprint: Any,
           line: int) -> bytes | None:
    """One entry's result with the 0-based line it started on, pickled without the text
    between entries it carries (None when it cannot be pickled). The reference is left as it
    was."""
    extra = ref.extra
    ref.extra = {k: v for k, v in extra.items() if k not in BEFORE_AFTER}
    try:
        return pickle.dumps((ref, read, found, fingerprint, line), pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    finally:
        ref.extra = extra


def restore(data: bytes, line: int, file: str
            ) -> tuple[Reference, list[Problem], list[list[Problem]], Any] | None:
    """An entry's kept result for the entry now at ``line`` (0-based) of ``file``: its lines
    moved by as many lines as the entry moved. None when the record is unusable."""
    try:
        ref, read, found, fingerprint, was = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged record is read again
        return None
    if not isinstance(ref, Reference) or not isinstance(was, int):
        return None
    shift = line - was
    origin = ref.origin
    if origin is None or origin.file != file:
        return None
    if shift:
        if origin.line is not None:
            ref.origin = replace(origin, line=origin.line + shift)
        read = _moved(read, shift)
        found = [_moved(problems, shift) for problems in found]
    return ref, read, found, fingerprint


def _moved(problems: Sequence[Problem], shift: int) -> list[Problem]:
    return [replace(p, line=p.line + shift) if p.line is not None else p for p in problems]


def wanted(entry: Any) -> bool:
    """Whether an entry's result may be kept and taken again: it has a citation key (an
    entry without one is named by its line) and its text is not empty."""
    return bool(entry.key and entry.key.strip() and entry.raw)
