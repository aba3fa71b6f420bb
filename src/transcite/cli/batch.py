"""``transcite batch``: parse, normalise, enrich and render sharded inputs on Dask."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from . import app
from ._common import EXIT_INPUT, EXIT_USAGE, fail_usage

if TYPE_CHECKING:
    from ..batch.settings import Settings


def _size(text: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().removesuffix("ib").removesuffix("b")
    if t and t[-1] in units:
        return int(float(t[:-1]) * units[t[-1]])
    return int(t)


@app.command(epilog="Examples:  transcite batch refs/*.txt -o out  |  "
             "transcite batch refs.txt -o out --profile scopus --to parquet  |  "
             "transcite batch s3://bucket/refs/ -o s3://bucket/out --scheduler "
             "tcp://scheduler:8786 --steps parse,normalise,enrich,render --crossref-rate 5")
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Input files, folders, glob patterns or "
                                                "fsspec URLs (s3://, gcs://, hdfs://...).",
                                                metavar="IN...")],
    output: Annotated[str, typer.Option("-o", "--output", help="Output folder (local or an "
                                        "fsspec URL); re-running into it skips the shards "
                                        "already written.")],
    steps: Annotated[str, typer.Option(help="Comma-separated steps: parse, normalise, enrich "
                                       "(Crossref), render.")] = "parse,normalise,render",
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format: text (one "
                     "reference a line), jsonl (CSL-JSON items or records with a text field), "
                     "csv, parquet. Default: from the suffix, else text.")] = None,
    to: Annotated[str, typer.Option("--to", "-t", help="jsonl or parquet.")] = "jsonl",
    style: Annotated[list[str] | None, typer.Option("--style", "-s", help="A style to render, "
                     "one column each (repeatable). Default: gost-r-7-0-5-2008 unless "
                     "--profile is given.")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Journal profile: "
                       "normalise with its romanisation and render both its lists "
                       "(<profile>.original, <profile>.references).")] = None,
    markup: Annotated[str, typer.Option("--markup", help="The rendered entries as text, html "
                      "or markdown.")] = "text",
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect "
                        "(UTF-8, Windows-1251, KOI8-R).")] = None,
    text_column: Annotated[str, typer.Option(help="The field or column holding the reference "
                           "line in JSONL, CSV and Parquet records.")] = "text",
    blocksize: Annotated[str, typer.Option(help="Shard size for text and JSONL files (e.g. "
                         "4MiB).")] = "4MiB",
    scheduler: Annotated[str | None, typer.Option(help="A running Dask scheduler "
                         "(tcp://host:8786; default $DASK_SCHEDULER_ADDRESS), or "
                         "'synchronous' for this process alone. Default: local processes.")
                         ] = None,
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: one "
                       "per core).", min=1)] = None,
    max_length: Annotated[int, typer.Option(help="Longer lines fail instead of being parsed.",
                          min=1)] = 10_000,
    dedupe: Annotated[bool, typer.Option("--dedupe", help="Then find duplicates across the "
                      "whole output (a shuffle stage; writes OUT/dedupe/).")] = False,
    crossref_rate: Annotated[float, typer.Option(help="Crossref requests per second for the "
                             "whole cluster, shared between the workers.", min=0.01)] = 5.0,
    crossref_cache: Annotated[str | None, typer.Option(help="Crossref cache every worker "
                              "reaches: a folder on a shared disk, redis://host:6379/0 or "
                              "sqlite:///shared/crossref.sqlite (requests-cache).")] = None,
    search: Annotated[bool, typer.Option("--search/--no-search", help="Also search Crossref "
                      "for references without a DOI.")] = True,
    offline: Annotated[bool, typer.Option("--offline", help="Crossref answers from the cache "
                       "only.")] = False,
    mailto: Annotated[str | None, typer.Option(help="Contact address sent to Crossref.")
                      ] = None,
    journals: Annotated[list[str] | None, typer.Option("--journals", help="Extra journal "
                        "registry file (repeatable; every worker must reach it).")] = None,
) -> None:
    """Run the pipeline over many references on Dask: one output record per input record, in
    input order (file, line, input, the parsed and normalised CSL-JSON, problems, rendered
    entries), the same as one process gives record for record.

    Shards go to OUT/part-NNNNNN.jsonl (or .parquet); records that fail also go to
    OUT/errors/ with their input and the reason; OUT/manifest.json lists the job. A killed job
    resumes where it stopped when run again. Exit status: 0 when every record went through,
    1 when some failed, 2 for wrong usage or a missing dask extra.
    """
    from codecs import lookup as codec

    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        fail_usage("transcite batch needs Dask: pip install 'transcite[dask]'")
    from ..batch.settings import STEPS, Settings

    chosen = tuple(s.strip() for s in steps.split(",") if s.strip())
    unknown = [s for s in chosen if s not in STEPS]
    if unknown or not chosen:
        fail_usage(f"--steps: unknown step(s) {', '.join(unknown) or '(none)'}; steps: "
                   f"{', '.join(STEPS)}")
    if markup not in ("text", "html", "markdown"):
        fail_usage(f"--markup must be text, html or markdown, not {markup!r}")
    if encoding is not None:
        try:
            codec(encoding)
        except LookupError:
            fail_usage(f"--encoding: unknown encoding {encoding!r}")
    try:
        size = _size(blocksize)
    except ValueError:
        fail_usage(f"--blocksize: not a size: {blocksize!r}")
        return
    settings = Settings(steps=chosen, styles=tuple(style or ()), profile=profile,
                        output=markup, encoding=encoding, text_column=text_column,
                        max_length=max_length, journals=tuple(journals or ()),
                        crossref=True, search=search, offline=offline, mailto=mailto,
                        cache=crossref_cache, crossref_rate=crossref_rate)
    summary = _run(inputs, output, settings, from_, to, size, scheduler, workers, dedupe)
    sys.stdout.write(summary + "\n")


def _run(inputs: list[str], output: str, settings: Settings, fmt: str | None, to: str,
         size: int, scheduler: str | None, workers: int | None, dedupe: bool) -> str:
    from ..batch import InputError, OutputError, plan, run
    from ..batch.jobs import render_columns
    from ..registry import UnknownName
    from ..render import UnknownStyle
    from ..resources import DataError

    done = [0]

    def tell(marker: dict[str, object]) -> None:
        done[0] += 1
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done[0]} shards written")
            sys.stderr.flush()

    from ..batch.jobs import connect

    try:
        render_columns(settings)
        plan(inputs, fmt, size)
        with connect(scheduler, workers) as (client, _):
            summary = run(inputs, output, settings, fmt=fmt, to=to,
                          blocksize=size, client=client,
                          scheduler=None if client is not None else "synchronous",
                          on_shard=tell)
            if sys.stderr.isatty() and done[0]:
                sys.stderr.write("\n")
            lines = [summary.line()]
            if dedupe:
                import dask

                from ..batch.dedupe import NoShards, dedupe_output

                try:
                    with dask.config.set(scheduler="synchronous" if client is None else None):
                        lines.append(dedupe_output(output, client=client).line())
                except NoShards as exc:
                    lines.append(f"dedupe: {exc}")
    except (InputError, OutputError, UnknownStyle, UnknownName, DataError) as exc:
        fail_usage(str(exc))
        raise  # unreachable
    except OSError as exc:
        sys.stderr.write(f"transcite: error: {exc}\n")
        raise typer.Exit(EXIT_INPUT) from None
    if summary.errors:
        sys.stdout.write("\n".join(lines) + "\n")
        raise typer.Exit(EXIT_INPUT)
    return "\n".join(lines)


__all__ = ["EXIT_USAGE", "batch"]
