"""Sharded inputs: which files, cut into which shards, and the records of one shard.

Inputs are local paths, folders, glob patterns or any fsspec URL whose driver is installed
(``s3://bucket/refs/*.txt``, ``gcs://...``, ``hdfs://...``). Formats, from the suffix or
``--from``:

* ``text`` (``.txt``, anything else): one reference per line, blank lines skipped; lines are
  counted as :meth:`str.splitlines` counts them, so line numbers are those ``transcite parse``
  gives;
* ``jsonl`` (``.jsonl``, ``.ndjson``): one JSON object a line, a CSL-JSON item or a record
  whose text column (``text``) holds the reference line;
* ``csv`` (``.csv``, ``.tsv``): a header, then one record a row (text column as above);
* ``parquet`` (``.parquet``, ``.pq``): rows, as for CSV.

Text and JSONL files are cut into shards of about ``blocksize`` bytes at line ends; a shard's
first line number is found by counting the lines of the shards before it (a cheap pass over
the bytes, done in parallel). A compressed file (``.gz``, ``.bz2``, ``.xz``, ``.zst``) or a CSV
file is one shard (a CSV record may span lines); a Parquet file is one shard per row group.
Bytes that are not text in the file's encoding make that line an :class:`Unreadable` record,
not a failed shard.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .records import Unreadable

__all__ = ["FORMATS", "InputError", "Shard", "count_lines", "plan", "shard_records"]

FORMATS = ("text", "jsonl", "csv", "parquet")

#: Default shard size for text and JSONL: ~25,000 reference lines, a minute of work or less.
DEFAULT_BLOCKSIZE = 4 * 1024 * 1024

_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv",
             ".parquet": "parquet", ".pq": "parquet"}
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".lz4")
_CHUNK = 1 << 16


class InputError(ValueError):
    """An input that cannot be used at all (missing, unknown format); the message names it."""


@dataclass(frozen=True, slots=True)
class Shard:
    """One piece of work: a byte range of a text/JSONL file, a CSV file or a Parquet row group.

    ``first_line`` is known for a file's first shard (1), CSV and Parquet; None means it comes
    from counting the lines of the shards before it (:func:`count_lines`).
    """

    index: int
    path: str
    format: str
    start: int = 0
    end: int = -1
    size: int = 0
    stamp: str = ""
    first_line: int | None = 1
    compression: str | None = None

    def describe(self) -> dict[str, Any]:
        """The shard as JSON (for the manifest)."""
        return asdict(self)


def _fs(url: str) -> tuple[Any, str]:
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(url)
    return fs, str(path)


def _base_name(path: str) -> str:
    """The lower-case name without a compression suffix."""
    name = path.lower()
    for suffix in _COMPRESSED:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _format_of(path: str, given: str | None) -> str:
    if given:
        return given
    name = _base_name(path)
    for suffix, fmt in _SUFFIXES.items():
        if name.endswith(suffix):
            return fmt
    return "text"


def _expand(url: str) -> list[tuple[Any, str, str]]:
    """(filesystem, path, name shown in output records) of every file ``url`` names."""
    fs, path = _fs(url)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    local = protocol in ("file", "local")

    def shown(p: str) -> str:
        return p if local else fs.unstrip_protocol(p)

    if any(c in path for c in "*?["):
        found = sorted(fs.glob(path))
        files = [p for p in found if fs.isfile(p)]
    elif fs.isdir(path):
        files = sorted(p for p in fs.find(path) if not any(
            part.startswith((".", "_")) for part in p[len(path.rstrip("/")) + 1:].split("/")))
    elif fs.exists(path):
        return [(fs, path, url)]
    else:
        raise InputError(f"no such file: {url}")
    if not files:
        raise InputError(f"no files match {url}")
    return [(fs, p, shown(p)) for p in files]


def plan(inputs: Sequence[str], fmt: str | None = None, blocksize: int = DEFAULT_BLOCKSIZE
         ) -> list[Shard]:
    """The shards of ``inputs``, in input order. Raises :class:`InputError`."""
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; formats: {', '.join(FORMATS)}")
    if blocksize < 1:
        raise InputError("the block size must be at least 1 byte")
    shards: list[Shard] = []
    for url in inputs:
        for fs, path, name in _expand(url):
            kind = _format_of(path, fmt)
            info = fs.info(path)
            size = int(info.get("size") or 0)
            stamp = str(info.get("mtime") or info.get("LastModified") or info.get("ETag")
                        or info.get("created") or "")
            compression = "infer" if _base_name(path) != path.lower() else None
            base: dict[str, Any] = {"path": name, "format": kind, "size": size, "stamp": stamp,
                    "compression": compression}
            if kind == "parquet":
                for group, first in _row_groups(fs, path):
                    shards.append(Shard(len(shards), start=group, end=group + 1,
                                        first_line=first, **base))
            elif kind == "csv" or compression is not None or size <= blocksize:
                shards.append(Shard(len(shards), start=0, end=size, **base))
            else:
                for start in range(0, size, blocksize):
                    shards.append(Shard(len(shards), start=start,
                                        end=min(size, start + blocksize),
                                        first_line=1 if start == 0 else None, **base))
    return shards


def _row_groups(fs: Any, path: str) -> list[tuple[int, int]]:
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as fh:
        meta = pq.ParquetFile(fh).metadata
        out, first = [], 1
        for g in range(meta.num_row_groups):
            out.append((g, first))
            first += int(meta.row_group(g).num_rows)
    return out


# -- reading one shard -------------------------------------------------------------------------
def _open(shard: Shard) -> Any:
    fs, path = _fs(shard.path)
    return fs.open(path, "rb", compression=shard.compression)


def _boundary(fh: Any, pos: int, size: int) -> int:
    """The start of the first line that begins at or after ``pos``."""
    if pos <= 0:
        return 0
    if pos >= size:
        return size
    fh.seek(pos - 1)
    offset = pos - 1
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return size
        found = int(chunk.find(b"\n"))
        if found >= 0:
            return offset + found + 1
        offset += len(chunk)


def _block(shard: Shard) -> bytes:
    with _open(shard) as fh:
        if shard.compression is not None or (shard.start == 0 and shard.end >= shard.size):
            return bytes(fh.read())
        start = _boundary(fh, shard.start, shard.size)
        end = _boundary(fh, shard.end, shard.size)
        fh.seek(start)
        return bytes(fh.read(end - start))


def _decode(data: bytes, encoding: str | None, first: bool) -> tuple[str, str | None]:
    """The text of a block, and why it is not wholly text (None when it is). Undecodable
    bytes are kept as surrogates, so the lines that hold them can be told apart."""
    from ..textio import DecodeFailure, decode_bytes

    try:
        text = decode_bytes(data, encoding).text
    except DecodeFailure:
        text = data.decode(encoding or "utf-8", "surrogateescape")
        reason = (f"not {encoding} text" if encoding else
                  "not UTF-8 text (nor Windows-1251 or KOI8-R); give --encoding")
        return (text.lstrip("\ufeff") if first else text), reason
    return (text.lstrip("\ufeff") if first else text), None


def _lines(shard: Shard, encoding: str | None) -> tuple[list[str], str | None]:
    text, bad = _decode(_block(shard), encoding, shard.start == 0)
    if shard.format == "jsonl":
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [ln[:-1] if ln.endswith("\r") else ln for ln in lines], bad
    return text.splitlines(), bad


def count_lines(shard: Shard, encoding: str | None = None) -> int:
    """How many lines the shard holds (blank ones included): the next shard of the same file
    starts at this shard's first line plus this."""
    if shard.format in ("csv", "parquet"):
        return 0
    return len(_lines(shard, encoding)[0])


def _unreadable_line(line: str, bad: str) -> Unreadable | None:
    if any("\udc80" <= c <= "\udcff" for c in line):
        return Unreadable(bad, line.encode("utf-8", "surrogateescape").decode(
            "utf-8", "replace"))
    return None


def shard_records(shard: Shard, first_line: int, *, encoding: str | None = None,
                  text_column: str = "text") -> Iterator[tuple[str, int, Any]]:
    """``(file, line, value)`` for every record of the shard, in order (blank lines skipped;
    for Parquet ``line`` is the row number)."""
    if shard.format == "parquet":
        yield from _parquet_rows(shard, first_line)
        return
    if shard.format == "csv":
        yield from _csv_rows(shard, encoding)
        return
    lines, bad = _lines(shard, encoding)
    for n, line in enumerate(lines, first_line):
        if not line.strip():
            continue
        broken = _unreadable_line(line, bad) if bad else None
        if broken is not None:
            yield shard.path, n, broken
        elif shard.format == "jsonl":
            yield shard.path, n, _json_value(line)
        else:
            yield shard.path, n, line


def _json_value(line: str) -> Any:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return Unreadable(f"not JSON: {exc.msg} (column {exc.colno})", line)
    except RecursionError:
        return Unreadable("not JSON: nested too deeply", line[:1000])
    if not isinstance(value, dict):
        return Unreadable(f"not a JSON object but {type(value).__name__}", line)
    return value


def _csv_rows(shard: Shard, encoding: str | None) -> Iterator[tuple[str, int, Any]]:
    enc = encoding or "utf-8-sig"
    codecs.lookup(enc)
    delimiter = "\t" if _base_name(shard.path).endswith(".tsv") else ","
    with _open(shard) as raw:
        text = io.TextIOWrapper(raw, encoding=enc, errors="surrogateescape", newline="")
        reader = csv.DictReader(text, delimiter=delimiter, restkey="_extra")
        start = 2       # the header is line 1
        for row in reader:
            values = dict(row)
            flat = "".join(str(v) for v in values.values())
            if any("\udc80" <= c <= "\udcff" for c in flat):
                yield shard.path, start, Unreadable(f"not {enc} text", flat.encode(
                    "utf-8", "surrogateescape").decode("utf-8", "replace"))
            else:
                yield shard.path, start, values
            start = reader.line_num + 1


def _parquet_rows(shard: Shard, first_line: int) -> Iterator[tuple[str, int, Any]]:
    import pyarrow.parquet as pq

    n = first_line
    with _open(shard) as fh:
        pf = pq.ParquetFile(fh)
        for batch in pf.iter_batches(batch_size=2048, row_groups=[shard.start]):
            for row in batch.to_pylist():
                yield shard.path, n, row
                n += 1
