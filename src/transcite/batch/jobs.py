"""Running a job on Dask: the local processes, a running cluster, or this process alone.

:func:`run` is what ``transcite batch`` does: plan the shards, skip those a previous run
wrote, count the lines the remaining ones start at, write each shard from one task (read,
process and write streamed, so a worker's memory does not grow with its shard) and write the
manifest. :func:`read`, :func:`process` and :func:`write` are the same pieces as Dask
collections, for pipelines of one's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .inputs import DEFAULT_BLOCKSIZE, Shard, count_lines, plan, shard_records
from .output import MANIFEST, OUTPUTS, Out, OutputError, flat_row, marker, write_records
from .records import Pipeline, run_records
from .settings import Settings

__all__ = ["Summary", "process", "read", "render_columns", "run", "write"]

#: Values of ``scheduler`` that run everything in this process, one task after another.
SYNCHRONOUS = ("synchronous", "sync", "single-threaded")


@dataclass(slots=True)
class Summary:
    """What a job did: shards written and skipped, records and failures, where, how long."""

    out_dir: str
    shards: int
    written: int
    skipped: int
    records: int
    errors: int
    seconds: float
    workers: int
    markers: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        """One line for the terminal."""
        return (f"{self.records} records in {self.shards} shards ({self.written} written, "
                f"{self.skipped} already done) on {self.workers} worker(s) in "
                f"{self.seconds:.1f} s; {self.errors} failed (see {self.out_dir}/errors)")


def render_columns(settings: Settings) -> list[str]:
    """The names of the rendered entries (``rendered.<name>`` columns), in order; resolving
    them checks the styles and profile (UnknownStyle, UnknownName, DataError)."""
    from ..profiles import get_profile
    from ..render import resolve_style

    names = [resolve_style(s).name for s in settings.renders]
    if settings.profile:
        prof = get_profile(settings.profile)
        names += [f"{prof.name}.original", f"{prof.name}.references"]
    return names if "render" in settings.steps else []


# -- the scheduler -------------------------------------------------------------------------------
@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None, client: Any = None
            ) -> Iterator[tuple[Any, int]]:
    """A distributed client and its number of workers (None and 1 for ``synchronous``).

    ``scheduler``: a ``tcp://host:8786`` address (default ``DASK_SCHEDULER_ADDRESS``), or
    ``synchronous``; otherwise a local cluster of ``workers`` processes (default: one per
    core) is started for the job and stopped after it.
    """
    if client is not None:
        yield client, max(1, len(client.scheduler_info().get("workers", {})))
        return
    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if address in SYNCHRONOUS:
        yield None, 1
        return
    import logging

    from distributed import Client, LocalCluster

    if address:
        with Client(address, timeout="30s") as remote:
            remote.wait_for_workers(1, timeout=60)
            yield remote, max(1, len(remote.scheduler_info().get("workers", {})))
        return
    from ..workers import cores

    n = workers or cores()
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as local:
        yield local, n


def _compute(client: Any, tasks: list[Any], on_done: Callable[[Any], None] | None,
             synchronous: bool = True) -> list[Any]:
    """Compute delayed tasks on ``client`` (None: in this process, or on Dask's default
    scheduler when not ``synchronous``), telling ``on_done`` of each result."""
    if not tasks:
        return []
    if client is None:
        from dask.base import compute

        if not synchronous:
            return list(compute(*tasks))
        results = []
        for task in tasks:      # one at a time, so progress can be told
            [value] = compute(task, scheduler="synchronous")
            results.append(value)
            if on_done is not None:
                on_done(value)
        return results
    from distributed import as_completed

    futures = client.compute(tasks)
    by_key = {f.key: n for n, f in enumerate(futures)}
    results = [None] * len(futures)
    for future in as_completed(futures):
        value = future.result()
        results[by_key[future.key]] = value
        if on_done is not None:
            on_done(value)
    return results


# -- the job ------------------------------------------------------------------------------------
def _shard_signature(shard: Shard, settings_signature: str, to: str) -> str:
    data = {"shard": shard.describe(), "settings": settings_signature, "to": to}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]


def _name(shard: Shard) -> str:
    return f"part-{shard.index:06d}"


def _do_shard(shard: Shard, first_line: int, settings: Settings, out_url: str, to: str,
              signature: str, columns: list[str]) -> dict[str, Any]:
    """One task: read, process and write a shard, then its marker."""
    started, cpu = time.perf_counter(), time.process_time()
    out = Out(out_url)
    name = _name(shard)
    records = shard_records(shard, first_line, encoding=settings.encoding,
                            text_column=settings.text_column)
    counts = write_records(out, name, run_records(settings, records), to, columns)
    lines = count_lines(shard, settings.encoding)
    done = marker(name, signature, counts, started, output=f"{name}.{to}",
                  first_line=first_line, lines=lines, source=shard.describe(),
                  cpu_seconds=round(time.process_time() - cpu, 3))
    out.write_json(f"_done/{name}.json", done)
    return done


def run(inputs: Sequence[str], out_dir: str, settings: Settings | None = None, *,
        fmt: str | None = None, to: str = "jsonl", blocksize: int = DEFAULT_BLOCKSIZE,
        scheduler: str | None = None, workers: int | None = None, client: Any = None,
        on_shard: Callable[[dict[str, Any]], None] | None = None) -> Summary:
    """Process ``inputs`` into ``out_dir`` (see :mod:`transcite.batch.output` for the layout).

    Raises :class:`~transcite.batch.inputs.InputError` or
    :class:`~transcite.batch.output.OutputError` for unusable inputs or outputs, and the
    style and profile errors of :func:`render_columns`.
    """
    settings = settings or Settings()
    if to not in OUTPUTS:
        raise OutputError(f"unknown output {to!r}; outputs: {', '.join(OUTPUTS)}")
    started = time.perf_counter()
    columns = render_columns(settings)
    shards = plan(inputs, fmt, blocksize)
    out = Out(out_dir)
    out.prepare()
    out.clean_temporary()
    with connect(scheduler, workers, client) as (dask_client, n_workers):
        settings = settings.with_workers(n_workers)
        base = settings.signature()
        signatures = [_shard_signature(s, base, to) for s in shards]
        done: dict[int, dict[str, Any]] = {}
        for shard, sig in zip(shards, signatures):
            found = out.read_json(f"_done/{_name(shard)}.json")
            if isinstance(found, dict) and found.get("signature") == sig and out.exists(
                    str(found.get("output"))):
                done[shard.index] = found
        manifest = _manifest(settings, base, inputs, to, shards, done, complete=False)
        out.write_json(MANIFEST, manifest)
        firsts = _first_lines(dask_client, shards, done, settings.encoding)
        tasks = _tasks(shards, firsts, signatures, done, settings, out.url, to, columns)
        markers = _compute(dask_client, tasks, on_shard)
    for m in markers:
        done[int(str(m["shard"]).rsplit("-", 1)[1])] = m
    out.clean_temporary()       # what tasks on workers that died left behind
    _drop_stale(out, len(shards))
    out.write_json(MANIFEST, _manifest(settings, base, inputs, to, shards, done, complete=True))
    ordered = [done[s.index] for s in shards]
    return Summary(out.url, len(shards), len(markers), len(shards) - len(markers),
                   sum(int(m["records"]) for m in ordered), sum(int(m["errors"]) for m in ordered),
                   time.perf_counter() - started, n_workers, ordered)


def _first_lines(client: Any, shards: list[Shard], done: dict[int, dict[str, Any]],
                 encoding: str | None) -> list[int]:
    """The first line number of every shard: a text or JSONL shard starts where the shards
    before it in its file end. Their lines are counted first, in parallel (the markers of
    shards already written know theirs), so that the shards' tasks depend on nothing and
    spread evenly over the workers."""
    from dask.delayed import delayed

    wanted = {shards[n - 1].index for n, s in enumerate(shards)
              if s.first_line is None and shards[n - 1].index not in done}
    counted = _compute(client, [delayed(count_lines, pure=True)(shards[i], encoding)
                                for i in sorted(wanted)], None)
    lines = dict(zip(sorted(wanted), counted))
    lines.update({i: int(m["lines"]) for i, m in done.items() if "lines" in m})
    firsts: list[int] = []
    for n, shard in enumerate(shards):
        if shard.first_line is not None:
            firsts.append(shard.first_line)
        else:
            firsts.append(firsts[-1] + lines[shards[n - 1].index])
    return firsts


def _tasks(shards: list[Shard], firsts: list[int], signatures: list[str],
           done: dict[int, dict[str, Any]], settings: Settings, out_url: str, to: str,
           columns: list[str]) -> list[Any]:
    """One delayed task per shard still to write."""
    from dask.delayed import delayed

    return [delayed(_do_shard, pure=False)(shard, first, settings, out_url, to, sig, columns)
            for shard, first, sig in zip(shards, firsts, signatures)
            if shard.index not in done]


def _manifest(settings: Settings, signature: str, inputs: Sequence[str], to: str,
              shards: list[Shard], done: dict[int, dict[str, Any]], complete: bool
              ) -> dict[str, Any]:
    from dataclasses import asdict

    from .. import __version__

    return {"transcite": __version__, "complete": complete, "signature": signature,
            "settings": asdict(settings), "inputs": list(inputs), "to": to,
            "records": sum(int(m["records"]) for m in done.values()),
            "errors": sum(int(m["errors"]) for m in done.values()),
            "shards": [{**s.describe(), "name": _name(s), "done": s.index in done,
                        **({k: done[s.index].get(k) for k in ("records", "errors", "output",
                                                                "first_line")}
                           if s.index in done else {})} for s in shards]}


def _drop_stale(out: Out, count: int) -> None:
    """Remove shards of an earlier run of this folder that this run does not have."""
    for path in out.fs.glob(out.path("_done", "part-*.json")):
        stem = path.rsplit("/", 1)[1].split(".", 1)[0]
        if int(stem.rsplit("-", 1)[1]) >= count:
            for rel in (f"{stem}.jsonl", f"{stem}.parquet", f"errors/{stem}.jsonl",
                        f"_done/{stem}.json"):
                out.remove(rel)


# -- Dask collections ---------------------------------------------------------------------------
def read(inputs: Sequence[str], fmt: str | None = None, *, blocksize: int = DEFAULT_BLOCKSIZE,
         encoding: str | None = None, text_column: str = "text") -> Any:
    """A :class:`dask.bag.Bag` of ``(file, line, value)`` input records, one partition a shard,
    in input order. The lines of files cut into several shards are counted here (on the
    default client, or in this process), so every record knows its line number; the records
    themselves are read when the bag is computed."""
    import dask.bag as db
    from dask.delayed import delayed

    shards = plan(inputs, fmt, blocksize)
    firsts = _first_lines(_default_client(), shards, {}, encoding)
    return db.from_delayed([delayed(_shard_list, pure=True)(shard, first, encoding, text_column)
                            for shard, first in zip(shards, firsts)])


def _shard_list(shard: Shard, first: int, encoding: str | None, text_column: str
                ) -> list[tuple[str, int, Any]]:
    return list(shard_records(shard, first, encoding=encoding, text_column=text_column))


def _as_record(element: Any) -> tuple[Any, Any, Any]:
    if isinstance(element, tuple) and len(element) == 3:
        return element
    return None, None, element


def _process_partition(partition: Iterable[Any], settings: Settings) -> list[dict[str, Any]]:
    return list(run_records(settings, (_as_record(e) for e in partition)))


def _workers_now(settings: Settings) -> Settings:
    if settings.workers > 1:
        return settings
    try:
        from distributed import default_client

        n = len(default_client().scheduler_info().get("workers", {}))
    except (ImportError, ValueError):
        return settings
    return settings.with_workers(n) if n > 1 else settings


def process(data: Any, settings: Settings | None = None) -> Any:
    """The pipeline over a Dask collection; returns the same kind of collection.

    A :class:`dask.bag.Bag` of input records (``(file, line, value)`` from :func:`read`, or
    bare reference lines and JSON objects) gives a bag of output records (see
    :mod:`transcite.batch.records`). A :class:`dask.dataframe.DataFrame` (each row a record:
    its text column holds the reference line, or its columns are CSL variables) gives the same
    frame with ``csl``, ``normalised``, ``problems``, ``error`` and ``rendered.<name>`` columns
    added (JSON text); an integer index n is reported as line n + 1.
    """
    settings = _workers_now(settings or Settings())
    columns = render_columns(settings)
    import dask.bag as db

    if isinstance(data, db.Bag):
        return data.map_partitions(_process_partition, settings)
    import dask.dataframe as dd

    if not isinstance(data, dd.DataFrame):
        raise TypeError(f"expected a dask Bag or DataFrame, not {type(data).__name__}")
    added = ["csl", "normalised", "problems", "error", *(f"rendered.{c}" for c in columns)]
    clash = [c for c in added if c in data.columns]
    if clash:
        raise ValueError(f"the frame already has column(s) {', '.join(clash)}")
    import pandas as pd

    meta = data._meta.assign(**{c: pd.Series([], dtype=object) for c in added})
    return data.map_partitions(_process_frame, settings, columns, meta=meta)


def _process_frame(frame: Any, settings: Settings, columns: list[str]) -> Any:
    import pandas as pd

    pipeline = Pipeline(settings)
    rows = []
    for index, row in zip(frame.index, frame.to_dict(orient="records")):
        value = {k: v for k, v in row.items() if not _missing(v)}
        line = int(index) + 1 if isinstance(index, int) or hasattr(index, "__index__") else None
        rows.append(flat_row(pipeline.run(None, line, value), columns))
    added = ["csl", "normalised", "problems", "error", *(f"rendered.{c}" for c in columns)]
    new = pd.DataFrame({c: pd.Series([r[c] for r in rows], index=frame.index, dtype=object)
                        for c in added})
    return pd.concat([frame, new], axis=1)


def _missing(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, dict)) else False
    except (TypeError, ValueError):
        return False


def write(bag: Any, out_dir: str, *, to: str = "jsonl", columns: Sequence[str] = (),
          client: Any = None) -> Summary:
    """Write a bag of output records as a job's shards (one per partition, with errors,
    markers and a manifest). A re-run of the same computation skips the partitions already
    written: the bag's name (Dask's token of the computation) is the signature."""
    from dask.delayed import delayed

    if to not in OUTPUTS:
        raise OutputError(f"unknown output {to!r}; outputs: {', '.join(OUTPUTS)}")
    started = time.perf_counter()
    out = Out(out_dir)
    out.prepare()
    out.clean_temporary()
    parts = bag.to_delayed(optimize_graph=True)
    done: dict[int, dict[str, Any]] = {}
    tasks = []
    for n, part in enumerate(parts):
        name = f"part-{n:06d}"
        sig = hashlib.sha256(f"{bag.name}:{n}:{to}".encode()).hexdigest()[:20]
        found = out.read_json(f"_done/{name}.json")
        if isinstance(found, dict) and found.get("signature") == sig and out.exists(
                f"{name}.{to}"):
            done[n] = found
        else:
            tasks.append(delayed(_write_part, pure=False)(part, out.url, name, to, sig,
                                                           list(columns)))
    client = client or _default_client()
    n_workers = max(1, len(client.scheduler_info().get("workers", {}))) if client else 1
    markers = _compute(client, tasks, None, synchronous=False)
    for m in markers:
        done[int(str(m["shard"]).rsplit("-", 1)[1])] = m
    ordered = [done[n] for n in range(len(parts))]
    out.write_json(MANIFEST, {"complete": True, "bag": bag.name, "to": to,
                              "records": sum(int(m["records"]) for m in ordered),
                              "errors": sum(int(m["errors"]) for m in ordered),
                              "shards": ordered})
    return Summary(out.url, len(parts), len(markers), len(parts) - len(markers),
                   sum(int(m["records"]) for m in ordered), sum(int(m["errors"]) for m in ordered),
                   time.perf_counter() - started, n_workers, ordered)


def _write_part(records: Iterable[dict[str, Any]], out_url: str, name: str, to: str, sig: str,
                columns: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    out = Out(out_url)
    counts = write_records(out, name, records, to, columns)
    done = marker(name, sig, counts, started, output=f"{name}.{to}")
    out.write_json(f"_done/{name}.json", done)
    return done


def _default_client() -> Any:
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None
