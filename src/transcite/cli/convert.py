"""``transcite convert``: one bibliography format to another."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from ._common import Strict, finish, iter_load, load, resolve_writer

InputArg = Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).",
                                               metavar="IN...")]


@app.command(epilog="Examples:  transcite convert refs.bib -o refs.json  |  "
             "transcite convert refs.json -t ris  |  transcite convert refs.bib refs.json "
             "-o all.yaml")
def convert(
    inputs: InputArg,
    output: Annotated[str, typer.Option("-o", "--output", help="Output file ('-' for stdout).",
                                        metavar="FILE")] = "-",
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format "
                     "(bibtex, csl-json, csl-yaml, ris, ...); default: from the file suffix.")
                     ] = None,
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format (csl-json, "
                  "csl-yaml, biblatex, bibtex, ris, ...); default: from the output suffix, and "
                  "for stdout the input's own format.", metavar="FORMAT")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect "
                        "(UTF-8, Windows-1251, KOI8-R).")] = None,
    strict: Strict = False,
) -> None:
    """Convert a bibliography between formats, keeping every field and every variant form.

    Entries that cannot be read are reported with file and line; the others are converted.
    Several inputs make one bibliography: a reference two files share is written once.
    """
    import itertools

    from ..model import Report
    from ..writers import write

    writer = resolve_writer(output, to, inputs, from_)
    report = Report()
    if len(inputs) > 1:     # one bibliography: repeats across files are merged
        references = iter(load(inputs, from_, encoding, report))
    else:
        references = iter_load(inputs, from_, encoding, report)   # CSL-JSON and RIS stream
    if writer is None:      # stdin: its own format is known once the first entry is read
        first = list(itertools.islice(references, 1))
        if not first:       # nothing was read: the problems say why
            finish(report, strict=strict)
            return
        writer = resolve_writer(output, to, inputs, from_, first)
        references = itertools.chain(first, references)
    try:
        write(references, output, writer)
    except BrokenPipeError:
        raise
    except OSError as exc:
        report.error("write.failed", f"cannot write {output}: {exc.strerror or exc}", file=output)
    finish(report, strict=strict)
