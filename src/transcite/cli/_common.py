"""Helpers shared by the CLI commands: reading inputs, printing problems, exit status."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import typer

from ..model import Library, Problem, Report, Severity

__all__ = ["EXIT_INPUT", "EXIT_USAGE", "fail_usage", "finish", "load", "print_problems"]

EXIT_INPUT = 1
EXIT_USAGE = 2


def print_problems(problems: Iterable[Problem], *, verbose: bool = False) -> None:
    """Write problems to stderr, one per line (``file:line: error: message (code)``)."""
    for p in problems:
        if p.severity is Severity.INFO and not verbose:
            if p.code != "read.encoding-detected":
                continue
        sys.stderr.write(f"{p}\n")


def fail_usage(message: str) -> None:
    """Stop with a usage error (exit status 2)."""
    sys.stderr.write(f"transcite: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)


def load(paths: list[str], fmt: str | None, encoding: str | None, report: Report) -> Library:
    """Read every input into one Library, reporting into ``report``. Missing files are errors."""
    from ..readers import read
    from ..registry import UnknownName, registry

    if fmt is not None:
        try:
            registry.entry("reader", fmt)
        except UnknownName as exc:
            fail_usage(f"--from: {exc}")
    library = Library(report=report)
    for path in paths:
        if path != "-" and not Path(path).exists():
            report.error("read.missing-file", f"no such file: {path}", file=path)
            continue
        part = read(path, fmt, encoding=encoding, report=report)
        for ref in part:
            library.add(ref)
    return library


def finish(report: Report, *, verbose: bool = False) -> None:
    """Print the report and exit 1 if it holds errors."""
    print_problems(report, verbose=verbose)
    if report.has_errors:
        raise typer.Exit(EXIT_INPUT)
