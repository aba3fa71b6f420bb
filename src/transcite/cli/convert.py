"""``transcite convert``: one bibliography format to another."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from ._common import Force, InPlace, check_overwrite, fail_usage, finish, iter_load, write_guarded

InputArg = Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).",
                                               metavar="IN...")]


@app.command(epilog="Examples:  transcite convert refs.bib -o refs.json  |  "
             "transcite convert refs.bib -o refs.bib --in-place")
def convert(
    inputs: InputArg,
    output: Annotated[str, typer.Option("-o", "--output", help="Output file ('-' for stdout).")],
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format "
                     "(bibtex, csl-json, csl-yaml, ris, ...); default: from the file suffix.")
                     ] = None,
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format (csl-json, "
                  "csl-yaml, biblatex, bibtex, ris); default: from the output suffix.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect "
                        "(UTF-8, Windows-1251, KOI8-R).")] = None,
    in_place: InPlace = False,
    force: Force = False,
) -> None:
    """Convert a bibliography between formats, keeping every field and every variant form.

    Entries that cannot be read are reported with file and line; the others are converted
    (in BibTeX output, what could not be read is kept as it was written). An existing output
    file is replaced only when reading had no errors, unless --force; -o naming an input file
    needs --in-place.
    """
    from ..model import Report
    from ..registry import UnknownName, registry

    if to is None and (output == "-" or registry.for_path("writer", output) is None):
        fail_usage(f"cannot tell the output format of {output!r}; give --to")
    if to is not None:
        try:
            registry.entry("writer", to)
        except UnknownName as exc:
            fail_usage(f"--to: {exc}")
    check_overwrite(inputs, output, in_place)
    report = Report()
    references = iter_load(inputs, from_, encoding, report)   # CSL-JSON and RIS stream
    write_guarded(references, output, to, report, force=force)
    finish(report)
