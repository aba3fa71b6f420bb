"""``transcite enrich``: complete and normalise a bibliography (identifiers, Crossref, journals)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import app
from ._common import Strict, finish, load, resolve_writer, save
from ._crossref import CacheDir, Mailto, NoCache, Offline, make_client, report_client


@app.command(epilog="Examples:  transcite enrich refs.bib -o refs.enriched.bib  |  "
             "transcite enrich refs.json -o - --offline --no-search")
def enrich(
    inputs: Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).",
                                                metavar="IN...")],
    output: Annotated[str, typer.Option("-o", "--output", help="Output file ('-' for "
                                        "stdout).", metavar="FILE")] = "-",
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format; default: from "
                                           "the output suffix, and for stdout the input's "
                                           "own format.", metavar="FORMAT")] = None,
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format; default: "
                                              "from the file suffix.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect.")
                        ] = None,
    crossref: Annotated[bool, typer.Option("--crossref/--no-crossref", help="Look references "
                                           "up at Crossref.")] = True,
    search: Annotated[bool, typer.Option("--search/--no-search", help="Also search Crossref "
                                         "for references without a DOI.")] = True,
    journals: Annotated[list[str] | None, typer.Option("--journals", help="A journal registry "
                                                       "file of your own (repeatable).")
                        ] = None,
    offline: Offline = False,
    mailto: Mailto = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="List every change on "
                                          "stderr.")] = False,
    strict: Strict = False,
) -> None:
    """Normalise identifiers and licences, fill journal data and complete references from
    Crossref, without overwriting anything you wrote.

    Values that differ from Crossref or the journal registry are reported, not replaced; new
    data (a DOI, an English title) is added with its origin. When Crossref cannot be reached
    (no network, the name does not resolve, the connection is refused) this is known at once;
    the rest is still done and written, and the exit status is 3.
    """
    from ..enrich import enrich_library
    from ..journals import default_registry
    from ..model import Report
    from ..resources import DataError

    writer = resolve_writer(output, to, inputs, from_)
    client = make_client(offline, mailto, cache_dir, no_cache) if crossref else None
    report = Report()
    try:
        journal_registry = default_registry(journals or ())
    except DataError as exc:
        report.error("journals.invalid", str(exc))
        finish(report, strict=strict)
        return
    library = load(inputs, from_, encoding, report)
    changes = enrich_library(library, client=client, registry=journal_registry, search=search)
    network = report_client(client, report) if client is not None else False
    if verbose:
        for change in changes:
            sys.stderr.write(f"{change}\n")
        sys.stderr.write(f"{len(changes)} change(s) in "
                         f"{len({c.item for c in changes})} reference(s)\n")
    if writer is not None or len(library):
        writer = writer or resolve_writer(output, to, inputs, from_, library)
        save(library, output, writer, report)
    finish(report, verbose=verbose, strict=strict, network=network)
