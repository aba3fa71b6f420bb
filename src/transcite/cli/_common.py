"""Helpers shared by the CLI commands: reading inputs, printing problems, exit status."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import typer

from ..model import Library, Problem, Reference, Report, Severity

__all__ = ["EXIT_INPUT", "EXIT_USAGE", "check_output_format", "fail_usage", "finish", "iter_load",
           "load", "print_problems", "save"]

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


def iter_load(paths: list[str], fmt: str | None, encoding: str | None, report: Report
              ) -> Iterator[Reference]:
    """:func:`load`'s references one at a time (ids made unique as there): a CSL-JSON or RIS
    file is read item by item, so a conversion of any length runs in flat memory."""
    from ..readers import iter_read, unique_ids
    from ..registry import UnknownName, registry

    if fmt is not None:
        try:
            registry.entry("reader", fmt)
        except UnknownName as exc:
            fail_usage(f"--from: {exc}")

    def files() -> Iterator[Reference]:
        for path in paths:
            if path != "-" and not Path(path).exists():
                report.error("read.missing-file", f"no such file: {path}", file=path)
                continue
            yield from unique_ids(iter_read(path, fmt, encoding=encoding, report=report), report)
    return unique_ids(files(), report)


def check_output_format(output: str, to: str | None) -> None:
    """Stop with a usage error unless ``to`` names a writer or ``output``'s suffix implies one."""
    from ..registry import UnknownName, registry

    if to is None and (output == "-" or registry.for_path("writer", output) is None):
        fail_usage(f"cannot tell the output format of {output!r}; give --to")
    if to is not None:
        try:
            registry.entry("writer", to)
        except UnknownName as exc:
            fail_usage(f"--to: {exc}")


def save(library: Library, output: str, to: str | None, report: Report) -> None:
    """Write the library; a file that cannot be written is an error in ``report``."""
    from ..writers import write

    try:
        write(library, output, to)
    except OSError as exc:
        report.error("write.failed", f"cannot write {output}: {exc.strerror or exc}", file=output)


def finish(report: Report, *, verbose: bool = False) -> None:
    """Print the report and exit 1 if it holds errors."""
    print_problems(report, verbose=verbose)
    if report.has_errors:
        raise typer.Exit(EXIT_INPUT)
