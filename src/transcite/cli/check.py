"""``transcite check``: lint a bibliography before it goes to print."""

from __future__ import annotations

import json
import sys
from typing import IO, Annotated

import typer

from . import app
from ._common import EXIT_INPUT, configured, fail_usage, load


@app.command(epilog="Examples:  transcite check refs.bib --style gost  |  "
             "transcite check refs.bib -o report.json  |  transcite check --list")
def check(
    inputs: Annotated[list[str] | None, typer.Argument(help="Input files ('-' for stdin).",
                                                       metavar="IN...")] = None,
    style: Annotated[str | None, typer.Option("--style", "-s", help="Check the fields this "
                     "style needs (gost, apa, ieee...); default: a minimal set.")] = None,
    output: Annotated[str, typer.Option("-o", "--output", help="Write the findings to this "
                      "file ('-' for stdout).", metavar="FILE")] = "-",
    to: Annotated[str | None, typer.Option("--to", "-t", help="text (one finding per line) or "
                  "json; default: from the output suffix, else text.", metavar="FORMAT")
                  ] = None,
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
    old_format: Annotated[str | None, typer.Option("--format", hidden=True)] = None,
) -> None:
    """Report invalid identifiers, missing fields, empty URLs, look-alike letters, duplicates
    and journal conflicts, with file and line for each finding.

    Findings go to stdout (or -o FILE). As linters do, the exit status is 1 when check
    reports anything (0: nothing found; 2: wrong usage).
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
    if old_format is not None:
        sys.stderr.write(f"transcite: note: '--format {old_format}' is deprecated and goes in "
                         f"the next release; use '-t {old_format}'\n")
        to = to or old_format
    fmt = to or ("json" if output.lower().endswith(".json") else "text")
    if fmt not in ("text", "json"):
        fail_usage(f"--to must be text or json, not {fmt!r}")
    style = configured("style", style)
    for name in [*(only or ()), *(skip or ())]:
        try:
            registry.entry("check", name)
        except UnknownName as exc:
            fail_usage(f"{exc} (see transcite check --list)")
    report = Report()
    library = load(inputs, from_, encoding, report, merge=False)  # duplicates are findings
    ctx = CheckContext(report=report, style=style, journal_paths=tuple(journals or ()))
    try:
        run_checks(library, ctx, only=only or (), skip=skip or ())
    except DataError as exc:
        report.error("journals.invalid", str(exc))
    findings = sorted(report, key=lambda p: (p.file or "", p.line or 0))
    counts = {s.value: sum(1 for p in findings if p.severity is s) for s in Severity}
    if fmt == "json":
        text = json.dumps({"findings": [p.to_json() for p in findings], "counts": counts,
                           "references": len(library)}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(f"{problem}\n" for problem in findings)
    from ..textio import atomic_write

    def put(stream: IO[str]) -> None:
        stream.write(text)

    try:
        atomic_write(output, put)
    except BrokenPipeError:
        raise
    except OSError as exc:
        sys.stderr.write(f"{output}: error: cannot write {output}: {exc.strerror or exc} "
                         "(write.failed)\n")
        raise typer.Exit(EXIT_INPUT) from None
    if fmt != "json" or output != "-":
        summary = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts.items() if n)
        sys.stderr.write(f"{len(library)} reference(s) checked: {summary or 'no findings'}\n")
    if findings:
        raise typer.Exit(EXIT_INPUT)
