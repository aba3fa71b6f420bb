"""Helpers shared by the CLI commands: reading inputs, printing problems, exit status.

Exit status, the same for every command: 0 done (warnings allowed), 1 some input could not be
used (the rest was processed), 2 wrong usage, 3 a network service was unreachable or refused;
``--strict`` makes warnings exit 1; a closed output pipe ends the run quietly (141, as for
other tools stopped by SIGPIPE).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model import Library, Problem, Reference, Report, Severity

__all__ = ["EXIT_INPUT", "EXIT_NETWORK", "EXIT_PIPE", "EXIT_USAGE", "check_output_format",
           "check_overwrite", "config_hint", "configured", "fail_usage", "finish", "iter_load",
           "load", "print_problems", "resolve_writer", "save", "skipped_profiles",
           "write_guarded", "write_json_report"]

EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_NETWORK = 3
EXIT_PIPE = 141


def __getattr__(name: str) -> Any:
    # Strict, InPlace and Force: the options several commands share, made when a command
    # module (which imports typer anyway) asks for them; the helpers here also serve
    # ``format`` run without typer (transcite.cli._fast)
    if name not in ("Strict", "InPlace", "Force"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Annotated

    import typer

    if name == "Strict":
        return Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too (default: "
                                            "only when some input could not be used).")]
    if name == "InPlace":
        return Annotated[bool, typer.Option("--in-place", help="Allow -o to name an input "
                                            "file, which is then replaced (never after read "
                                            "errors, unless --force).")]
    return Annotated[bool, typer.Option("--force", help="Replace an existing output file even "
                                        "when reading had errors (BibTeX output keeps what "
                                        "could not be read as it was written).")]


def print_problems(problems: Iterable[Problem], *, verbose: bool = False) -> None:
    """Write problems to stderr, one per line (``file:line: error: message (code)``)."""
    from ._inputs import NOTES

    for p in problems:
        if p.severity is Severity.INFO and not verbose:
            if p.code not in NOTES:
                continue
        sys.stderr.write(f"{p}\n")


def fail_usage(message: str) -> None:
    """Stop with a usage error (exit status 2)."""
    sys.stderr.write(f"transcite: error: {message}\n")
    raise SystemExit(EXIT_USAGE)


def load(paths: list[str], fmt: str | None, encoding: str | None, report: Report, *,
         merge: bool = True) -> Library:
    """Read every input into one Library, reporting into ``report``. Missing files and files
    that are not bibliographies are errors; a file named twice is read once, and with ``merge``
    a reference repeated in another file is kept once (both with a note)."""
    from ..readers import read
    from ..registry import UnknownName, registry
    from ._inputs import distinct, merge_across_files, not_a_bibliography, refuse

    if fmt is not None:
        try:
            registry.entry("reader", fmt)
        except UnknownName as exc:
            fail_usage(f"--from: {exc}")
    library = Library(report=report)
    parts = []
    for path in distinct(paths, report):
        if path != "-" and not Path(path).exists():
            report.error("read.missing-file", f"no such file: {path}", file=path)
            continue
        what = not_a_bibliography(path, encoding)
        if what is not None:
            refuse(path, what, report)
            continue
        parts.append(list(read(path, fmt, encoding=encoding, report=report)))
    for ref in merge_across_files(parts, report) if merge else [r for p in parts for r in p]:
        library.add(ref)
    return library


def iter_load(paths: list[str], fmt: str | None, encoding: str | None, report: Report
              ) -> Iterator[Reference]:
    """:func:`load`'s references one at a time (ids made unique as there): a CSL-JSON or RIS
    file is read item by item, so a conversion of any length runs in flat memory."""
    from ..readers import iter_read, unique_ids
    from ..registry import UnknownName, registry
    from ._inputs import distinct, not_a_bibliography, refuse

    if fmt is not None:
        try:
            registry.entry("reader", fmt)
        except UnknownName as exc:
            fail_usage(f"--from: {exc}")

    def files() -> Iterator[Reference]:
        for path in distinct(paths, report):
            if path != "-" and not Path(path).exists():
                report.error("read.missing-file", f"no such file: {path}", file=path)
                continue
            what = not_a_bibliography(path, encoding)
            if what is not None:
                refuse(path, what, report)
                continue
            yield from unique_ids(iter_read(path, fmt, encoding=encoding, report=report), report)
    return unique_ids(files(), report)


def check_output_format(output: str, to: str | None) -> None:
    """Stop with a usage error unless ``to`` names a writer or ``output``'s suffix implies one."""
    from ..registry import UnknownName, registry

    if to is None and (output == "-" or registry.for_path("writer", output) is None):
        fail_usage(f"cannot tell the output format of {output!r}; give -t/--to")
    if to is not None:
        try:
            registry.entry("writer", to)
        except UnknownName as exc:
            fail_usage(f"--to: {exc}")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def check_overwrite(inputs: Iterable[str], output: str | None, in_place: bool) -> None:
    """Stop with a usage error when ``output`` is one of the ``inputs`` (the same file by any
    path or link) and ``in_place`` was not given."""
    if output is None or output == "-" or in_place:
        return
    for path in inputs:
        if path != "-" and _same_file(path, output):
            fail_usage(f"-o {output} is the input file {path}: give --in-place to replace it "
                       "(it is then replaced only when it was read without errors)")


def _replaces(output: str) -> bool:
    """True when writing ``output`` replaces a regular file that is there."""
    try:
        return output != "-" and os.path.isfile(output)
    except (OSError, ValueError):
        return False


def write_guarded(references: Iterable[Reference], output: str, to: str | None,
                  report: Report, *, force: bool = False, read_errors: bool | None = None
                  ) -> bool:
    """Write references to ``output``; an existing file is replaced only when reading reported
    no errors or ``force`` is given. ``read_errors`` says whether it did; None: whether
    ``report`` holds errors once the references are written (a stream is still written as it
    is read). A file that cannot be written, or is kept, is an error in ``report``. Returns
    True when the output was written."""
    from ..writers import write

    replacing = _replaces(output)

    def commit() -> bool:
        failed = report.has_errors if read_errors is None else read_errors
        return force or not replacing or not failed

    try:
        written = write(references, output, to, commit=commit)
    except BrokenPipeError:
        raise
    except OSError as exc:
        report.error("write.failed", f"cannot write {output}: {exc.strerror or exc}",
                     file=output)
        return False
    if not written:
        report.error("write.kept", f"{output} was not replaced because reading had errors "
                     "(above); fix them, or give --force to write what was read",
                     file=output)
    return written


def save(library: Library, output: str, to: str | None, report: Report, *,
         force: bool = False, read_errors: bool | None = None) -> None:
    """Write the library (see :func:`write_guarded`); problems go into ``report``."""
    write_guarded(library, output, to, report, force=force, read_errors=read_errors)


def write_json_report(path: str, data: Any, report: Report) -> None:
    """Write ``data`` as JSON to ``path`` (atomically); a file that cannot be written is an
    error in ``report``."""
    import json

    from ..textio import atomic_write

    try:
        atomic_write(path, lambda out: json.dump(data, out, ensure_ascii=False, indent=2))
    except OSError as exc:
        report.error("write.failed", f"cannot write the report {path}: "
                     f"{exc.strerror or exc}", file=path)


def finish(report: Report, *, verbose: bool = False, strict: bool = False,
           network: bool = False) -> None:
    """Print the report and leave with the status it calls for: 3 when ``network`` (a service
    was unreachable), else 1 when it holds errors (or, ``strict``, warnings), else 0."""
    print_problems(report, verbose=verbose)
    if network:
        raise SystemExit(EXIT_NETWORK)
    if report.has_errors or (strict and any(p.severity is Severity.WARNING for p in report)):
        raise SystemExit(EXIT_INPUT)


def skipped_profiles(report: Report) -> None:
    """A warning for each profile file that did not load (the others still work)."""
    from ..profiles import broken_profiles

    for problem in broken_profiles():
        report.warning("profile.broken", f"{problem}; skipped")


def configured(key: str, given: Any = None) -> Any:
    """``given`` (the command line's value), else the configuration's ``key`` (see
    :mod:`transcite.config`); a broken configuration file is a usage error."""
    if given is not None:
        return given
    from ..config import setting
    from ..resources import DataError

    try:
        return setting(key).value
    except DataError as exc:
        fail_usage(str(exc))
        raise  # unreachable: fail_usage exits


def config_hint(**given: Any) -> str:
    """`` (style = 'x' in FILE)`` for the options named in ``given`` that were not given (their
    value came from the configuration), to end an error message with; '' when none did."""
    from ..config import setting
    from ..resources import DataError

    notes = []
    for key, value in given.items():
        if value is None:
            try:
                s = setting(key)
            except DataError:       # reported where the setting is read
                return ""
            if s.value is not None:
                notes.append(f"{key} = {s.value!r} in {s.file}")
    return f" ({'; '.join(notes)})" if notes else ""


def resolve_writer(output: str, to: str | None, inputs: list[str], from_: str | None,
                   references: Any = None) -> str | None:
    """The writer for ``output``: ``--to``, else the output's suffix, else - for ``-o -`` - the
    inputs' own format (:func:`._inputs.own_writer`). Before reading (``references`` None)
    this is None when only the inputs' content can tell; a usage error when nothing can."""
    from ..registry import UnknownName, registry
    from ._inputs import content_decides, own_writer

    known = ", ".join(e.name for e in registry.entries("writer"))
    if to is not None:
        try:
            return registry.entry("writer", to).name
        except UnknownName as exc:
            fail_usage(f"--to: {exc}")
    if output != "-":
        entry = registry.for_path("writer", output)
        if entry is None:
            fail_usage(f"cannot tell the output format of {output!r}; give -t/--to ({known})")
            raise AssertionError  # unreachable
        return entry.name
    if references is None and content_decides(inputs, from_):
        return None
    name = own_writer(inputs, from_, references)
    if name is None:
        fail_usage("cannot tell the output format of '-': transcite writes no file of the "
                   f"input's format; give -t/--to ({known})")
    return name
