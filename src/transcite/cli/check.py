"""``transcite check``: lint a bibliography before it goes to print."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from . import app
from ._common import EXIT_INPUT, fail_usage, load


@app.command(epilog="Examples:  transcite check refs.bib --style gost  |  "
             "transcite check refs.json --format json > report.json  |  transcite check --list")
def check(
    inputs: Annotated[list[str] | None, typer.Argument(help="Input files ('-' for stdin).",
                                                       metavar="IN...")] = None,
    style: Annotated[str | None, typer.Option("--style", "-s", help="Check the fields this "
                     "style needs (gost, apa, ieee...); default: a minimal set.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text (one finding per line) or json."
                                     )] = "text",
    only: Annotated[list[str] | None, typer.Option("--only", help="Run only this check "
                                                   "(repeatable; see --list).")] = None,
    skip: Annotated[list[str] | None, typer.Option("--skip", help="Do not run this check "
                                                   "(repeatable).")] = None,
    journals: Annotated[list[str] | None, typer.Option("--journals", help="A journal registry "
                                                       "file of your own (repeatable).")
                        ] = None,
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format; default: "
                                              "from the file suffix.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect.")
                        ] = None,
    list_checks: Annotated[bool, typer.Option("--list", help="List the checks and exit.")
                           ] = False,
) -> None:
    """Report invalid identifiers, missing fields, empty URLs, look-alike letters, duplicates
    and journal conflicts, with file and line for each finding.

    Findings go to stdout; the exit status is 1 when there is an error or a warning.
    """
    from ..check import CheckContext, available_checks, run_checks
    from ..model import Report, Severity
    from ..registry import UnknownName, registry
    from ..resources import DataError

    if list_checks:
        for c in available_checks():
            sys.stdout.write(f"{c.name:16} {c.description}\n")
        return
    if not inputs:
        fail_usage("give the files to check (or --list)")
        return
    if fmt not in ("text", "json"):
        fail_usage(f"--format must be text or json, not {fmt!r}")
    for name in [*(only or ()), *(skip or ())]:
        try:
            registry.entry("check", name)
        except UnknownName as exc:
            fail_usage(f"{exc} (see transcite check --list)")
    report = Report()
    library = load(inputs, from_, encoding, report)
    ctx = CheckContext(report=report, style=style, journal_paths=tuple(journals or ()))
    try:
        run_checks(library, ctx, only=only or (), skip=skip or ())
    except DataError as exc:
        report.error("journals.invalid", str(exc))
    findings = sorted(report, key=lambda p: (p.file or "", p.line or 0))
    counts = {s.value: sum(1 for p in findings if p.severity is s) for s in Severity}
    if fmt == "json":
        json.dump({"findings": [p.to_json() for p in findings], "counts": counts,
                   "references": len(library)}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in findings:
            sys.stdout.write(f"{problem}\n")
        summary = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts.items() if n)
        sys.stderr.write(f"{len(library)} reference(s) checked: {summary or 'no findings'}\n")
    sys.stdout.flush()
    if counts["error"] or counts["warning"]:
        raise typer.Exit(EXIT_INPUT)
