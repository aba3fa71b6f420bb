"""``transcite lookup``: Crossref records of DOIs (works) and ISSNs (journals), as CSL-JSON."""

from __future__ import annotations

import re
import sys
from typing import Annotated

import typer

from . import app
from ._common import Strict, check_output_format, finish, save
from ._crossref import CacheDir, Mailto, NoCache, Offline, make_client, report_client


@app.command(epilog="Examples:  transcite lookup 10.1371/journal.pone.0033693  |  "
             "transcite lookup https://doi.org/10.1371/journal.pone.0033693 -o work.json  |  "
             "transcite lookup 1803-2427  |  transcite lookup - --offline < dois.txt")
def lookup(
    dois: Annotated[list[str], typer.Argument(help="DOIs, in any form (10.x/y, doi:10.x/y, "
                                              "https://doi.org/10.x/y), or ISSNs for journal "
                                              "records; '-' reads one per line from stdin.",
                                              metavar="DOI|ISSN...")],
    output: Annotated[str, typer.Option("-o", "--output", help="Output file ('-' for "
                                        "stdout).", metavar="FILE")] = "-",
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format (csl-json, "
                                           "csl-yaml, biblatex, bibtex, ris, ...); default: "
                                           "from the output suffix, else csl-json.",
                                           metavar="FORMAT")] = None,
    offline: Offline = False,
    mailto: Mailto = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    strict: Strict = False,
) -> None:
    """Look DOIs (and journal ISSNs) up at Crossref and write their records (CSL-JSON by default).

    An invalid or unknown DOI is reported with its position; the others are still written.
    Exit status 3 when Crossref could not be reached or refused.
    """
    from .. import progress
    from ..enrich import LOOKUP_BAR
    from ..identifiers import InvalidIdentifier, normalise_doi, validate_issn
    from ..licences import normalise_licence
    from ..lookup.crossref import CrossrefError, NotFound, OfflineMiss
    from ..lookup.works import journal_to_reference, work_to_reference
    from ..model import Library, Report
    from ..registry import registry

    if to is None and (output == "-" or registry.for_path("writer", output) is None):
        to = "csl-json"
    check_output_format(output, to)
    report = Report()
    wanted: list[tuple[str, str, int]] = []  # (text, where, line)
    for n, arg in enumerate(dois, 1):
        if arg == "-":
            for m, line in enumerate(sys.stdin.read().splitlines(), 1):
                if line.strip():
                    wanted.append((line.strip(), "<stdin>", m))
        else:
            wanted.append((arg, "<arguments>", n))
    client = make_client(offline, mailto, cache_dir, no_cache)
    library = Library(report=report)
    with progress.stage("looking up", len(wanted), "identifiers", min_items=LOOKUP_BAR):
        for text, where, line in wanted:
            progress.tick()
            try:
                doi: str | None = normalise_doi(text)
            except InvalidIdentifier as exc:
                doi = None
                try:
                    issn = validate_issn(text)
                except InvalidIdentifier as issn_exc:
                    if re.fullmatch(r"(?i)(issn\s*)?\d{4}[- ]?\d{3}[\dX]", text.strip()):
                        report.error("identifier.invalid-issn", str(issn_exc), file=where,
                                     line=line, raw=text)
                    else:
                        report.error("identifier.invalid-doi", f"{exc} (nor an ISSN)",
                                     file=where, line=line, raw=text)
                    continue
            what = f"DOI {doi}" if doi else f"ISSN {issn}"
            try:
                if doi:
                    ref = work_to_reference(client.work(doi))
                else:
                    ref = journal_to_reference(client.journal(issn))
            except NotFound:
                report.error("crossref.not-found", f"{what} is not known to Crossref",
                             file=where, line=line, raw=text)
                continue
            except OfflineMiss:
                report.error("crossref.offline", f"offline, and {what} is not in the cache",
                             file=where, line=line, raw=text)
                continue
            except CrossrefError as exc:
                report.error("crossref.unavailable", f"{what}: {exc}", file=where, line=line,
                             raw=text)
                continue
            normalise_licence(ref, report)
            if ref.id in library:
                continue
            library.add(ref)
    network = report_client(client, report)
    save(library, output, to, report)
    finish(report, strict=strict, network=network)
