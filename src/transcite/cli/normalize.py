"""``transcite normalize``: one pipeline from a messy bibliography to a clean one."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from . import app
from ._common import Strict, configured, fail_usage, finish, load, resolve_writer


@app.command(epilog="Examples:  transcite normalize refs.bib -o clean.bib --report report.json"
             "  |  transcite normalize refs.json -t csl-yaml --profile scopus  |  "
             "transcite normalise refs.bib --dry-run")
def normalize(
    inputs: Annotated[list[str] | None, typer.Argument(help="Input files ('-' for stdin).",
                                                       metavar="IN...")] = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help="Output file ('-' for "
                      "stdout, the default).", metavar="FILE")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Journal profile: add "
                       "its romanisation and report missing English titles (default: "
                       "'profile' in the configuration).")] = None,
    steps: Annotated[str | None, typer.Option(help="Comma-separated steps to run, in order "
                     "(default: all). See --list-steps.")] = None,
    skip: Annotated[str | None, typer.Option(help="Comma-separated steps to leave out.")
                    ] = None,
    report_path: Annotated[str | None, typer.Option("--report", help="Write every change and "
                           "problem as JSON to this file.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write "
                       "nothing.")] = False,
    list_steps: Annotated[bool, typer.Option("--list-steps", help="List the steps and stop.")
                          ] = False,
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format.")] = None,
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format (default: from "
                  "the output suffix, and for stdout the input's own format).",
                  metavar="FORMAT")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect.")
                        ] = None,
    journals: Annotated[list[str] | None, typer.Option("--journals", help="Extra journal "
                        "registry file (repeatable).")] = None,
    strict: Strict = False,
) -> None:
    """Normalise a bibliography: languages, names, dates, types, identifiers, licences,
    journal data, Cyrillic rebuilt from romanisations, typography, duplicates merged.

    Prints what changed and what needs a human. Running it twice changes nothing the second
    time; the input file is never modified. Also spelt 'normalise'.
    """
    from ..model import Report
    from ..normalisation import STEPS, normalise
    from ..profiles import get_profile
    from ..registry import UnknownName
    from ..resources import DataError
    from ..writers import write

    if list_steps:
        for s in STEPS.values():
            typer.echo(f"{s.name:<12} {s.description}")
        return
    if not inputs:
        fail_usage("give an input file (or --list-steps)")
        return
    if output is None and not dry_run:
        output = "-"
    writer = resolve_writer(output, to, inputs, from_) if output is not None else None
    profile = configured("profile", profile)
    chosen = [s.strip() for s in steps.split(",") if s.strip()] if steps else list(STEPS)
    left_out = {s.strip() for s in skip.split(",")} if skip else set()
    unknown = [s for s in [*chosen, *left_out] if s not in STEPS]
    if unknown:
        fail_usage(f"unknown step(s) {', '.join(unknown)}; steps: {', '.join(STEPS)}")
    try:
        prof = get_profile(profile) if profile else None
    except (UnknownName, DataError) as exc:
        fail_usage(str(exc))
        return
    report = Report()
    library = load(inputs, from_, encoding, report)
    result = normalise(library, [s for s in chosen if s not in left_out], profile=prof,
                       journals=journals or (), report=report)
    summary_stream = sys.stderr if output == "-" else sys.stdout
    summary_stream.write(result.summary().split("\n", 1)[0] + "\n")
    for name, n in result.counts().items():
        summary_stream.write(f"  {name:<12} {n:5d} changes\n")
    if dry_run:
        for change in result.changes:
            summary_stream.write(f"  {change}\n")
    if report_path:
        with open(report_path, "w", encoding="utf-8") as fh:
            json.dump(result.to_json(), fh, ensure_ascii=False, indent=2)
    if not dry_run and output is not None and (writer is not None or len(result.library)):
        writer = writer or resolve_writer(output, to, inputs, from_, result.library)
        try:
            write(result.library, output, writer)
        except BrokenPipeError:
            raise
        except OSError as exc:
            report.error("write.failed", f"cannot write {output}: {exc.strerror or exc}",
                         file=output)
    human = result.needs_human()
    if human:
        sys.stderr.write(f"{len(human)} findings need a human:\n")
    finish(report, strict=strict)


# The API and --normalise spell it with an s: the command answers to both.
app.command(name="normalise", hidden=True,
            epilog=next(c.epilog for c in app.registered_commands if c.callback is normalize)
            )(normalize)
