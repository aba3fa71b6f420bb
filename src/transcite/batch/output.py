"""Writing a job: sharded JSONL or Parquet, an errors shard beside each, markers and a manifest.

Layout of ``OUT_DIR`` (local or any fsspec URL)::

    part-000000.jsonl        output records of shard 0, in input order (or .parquet)
    errors/part-000000.jsonl the records of shard 0 that failed: file, line, input, error
    _done/part-000000.json   written last, when shard 0 is complete: its counts and signature
    manifest.json            the job: settings, inputs, every shard, totals, complete or not

Every file is written under a temporary name and moved into place, so a shard is either whole
or absent. A re-run with the same inputs and settings skips the shards whose marker carries the
same signature (a killed job resumes where it stopped); a shard whose input or settings changed
is written again.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

__all__ = ["OUTPUTS", "OutputError", "Out", "flat_row", "write_records"]

OUTPUTS = ("jsonl", "parquet")
MANIFEST = "manifest.json"
_PARQUET_ROWS = 5000


class OutputError(ValueError):
    """An output folder that cannot be used (holds someone else's files, cannot be made)."""


class Out:
    """An output folder: where shards, errors, markers and the manifest go."""

    def __init__(self, url: str) -> None:
        from fsspec.core import url_to_fs

        self.url = url
        self.fs, self.root = url_to_fs(url)
        self.root = self.root.rstrip("/")

    def path(self, *parts: str) -> str:
        """A path inside the folder."""
        return "/".join([self.root, *parts])

    def prepare(self) -> None:
        """Make the folder; refuse one that holds shards but no manifest (not a job's)."""
        fs = self.fs
        if fs.exists(self.root) and not fs.isdir(self.root):
            raise OutputError(f"{self.url} is a file, not a folder")
        fs.makedirs(self.root, exist_ok=True)
        if not fs.exists(self.path(MANIFEST)) and (
                fs.glob(self.path("part-*")) or fs.exists(self.path("_done"))):
            raise OutputError(f"{self.url} holds shards but no {MANIFEST}: not a transcite "
                              "batch output; choose an empty or new folder")
        for sub in ("errors", "_done"):
            fs.makedirs(self.path(sub), exist_ok=True)

    def write(self, relative: str, fill: Callable[[IO[bytes]], None]) -> None:
        """Write a file atomically (a temporary name, then moved into place)."""
        final = self.path(relative)
        tmp = f"{final}.tmp-{uuid.uuid4().hex}"
        try:
            with self.fs.open(tmp, "wb") as fh:
                fill(fh)
            self.fs.mv(tmp, final)
        finally:
            if self.fs.exists(tmp):
                self.fs.rm(tmp)

    def write_json(self, relative: str, data: Any) -> None:
        """Write one JSON document atomically."""
        blob = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")

        def fill(fh: IO[bytes]) -> None:
            fh.write(blob)

        self.write(relative, fill)

    def read_json(self, relative: str) -> Any:
        """A JSON document, or None when it is missing or unreadable."""
        try:
            with self.fs.open(self.path(relative), "rb") as fh:
                return json.loads(fh.read().decode("utf-8"))
        except (OSError, ValueError):
            return None

    def remove(self, relative: str) -> None:
        """Remove a file if it is there."""
        path = self.path(relative)
        if self.fs.exists(path):
            self.fs.rm(path)

    def exists(self, relative: str) -> bool:
        """Whether a file is there."""
        return bool(self.fs.exists(self.path(relative)))

    def clean_temporary(self) -> None:
        """Remove what killed tasks left half-written."""
        for pattern in ("*.tmp-*", "errors/*.tmp-*", "_done/*.tmp-*"):
            for path in self.fs.glob(self.path(pattern)):
                self.fs.rm(path)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def flat_row(record: dict[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    """An output record as flat columns (Parquet, data frames): the structured parts as JSON
    text, one ``rendered.<name>`` column per rendering."""
    value = record.get("input")
    row: dict[str, Any] = {
        "file": record.get("file"), "line": record.get("line"),
        "input": value if isinstance(value, str) or value is None else _json(value),
        "id": record.get("id"),
        "csl": None if record.get("csl") is None else _json(record["csl"]),
        "normalised": None if record.get("normalised") is None else _json(record["normalised"]),
        "problems": _json(record.get("problems") or []),
        "error": record.get("error"),
    }
    rendered = record.get("rendered") or {}
    for name in columns:
        row[f"rendered.{name}"] = rendered.get(name)
    return row


def _parquet_schema(columns: Iterable[str]) -> Any:
    import pyarrow as pa

    fields = [pa.field("file", pa.string()), pa.field("line", pa.int64())]
    fields += [pa.field(k, pa.string()) for k in ("input", "id", "csl", "normalised",
                                                   "problems", "error")]
    fields += [pa.field(f"rendered.{c}", pa.string()) for c in columns]
    return pa.schema(fields)


def write_records(out: Out, name: str, records: Iterable[dict[str, Any]], to: str,
                  columns: list[str]) -> dict[str, Any]:
    """Write a shard's output records (streamed: memory does not grow with the shard) and its
    failures; returns the counts."""
    counts = {"records": 0, "errors": 0}
    failures: list[dict[str, Any]] = []

    def tally(it: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in it:
            counts["records"] += 1
            if record.get("error"):
                counts["errors"] += 1
                failures.append({k: record.get(k) for k in ("file", "line", "input", "error")})
            yield record

    if to == "parquet":
        out.write(f"{name}.parquet", lambda fh: _fill_parquet(fh, tally(records), columns))
    else:
        out.write(f"{name}.jsonl", lambda fh: _fill_jsonl(fh, tally(records)))
    if failures:
        out.write(f"errors/{name}.jsonl", lambda fh: _fill_jsonl(fh, iter(failures)))
    else:
        out.remove(f"errors/{name}.jsonl")
    return counts


def _fill_jsonl(fh: IO[bytes], records: Iterator[dict[str, Any]]) -> None:
    for record in records:
        fh.write(_json(record).encode("utf-8"))
        fh.write(b"\n")


def _fill_parquet(fh: IO[bytes], records: Iterator[dict[str, Any]], columns: list[str]
                  ) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema(columns)
    with pq.ParquetWriter(fh, schema) as writer:
        rows: list[dict[str, Any]] = []
        for record in records:
            rows.append(flat_row(record, columns))
            if len(rows) >= _PARQUET_ROWS:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def peak_memory_kib() -> int:
    """This process's peak resident memory so far, in KiB (0 where it cannot be told)."""
    try:
        import resource
    except ImportError:     # pragma: no cover - not on Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024) if os.uname().sysname == "Darwin" else int(peak)


def marker(name: str, signature: str, counts: dict[str, Any], started: float,
           **more: Any) -> dict[str, Any]:
    """A shard's completion record."""
    import socket

    return {"shard": name, "signature": signature, **counts,
            "seconds": round(time.perf_counter() - started, 3),
            "worker": f"{socket.gethostname()}:{os.getpid()}",
            "peak_memory_kib": peak_memory_kib(), **more}
