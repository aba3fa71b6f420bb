"""Reading and normalising a long BibTeX file on every core.

:func:`read_normalised` gives what reading the file and running the normalisation pipeline on
it gives - the same references with the same ids, the same problems in the same order in the
report - but does the work per entry (converting it, then every per-reference step before the
first whole-library step) in forked processes, a contiguous chunk of entries each, and the rest
(duplicates, later steps) here. It skips copying the references, as the library it reads is
not kept. Where that cannot pay or does not apply - several inputs, standard input, another
format, a file in a Russian 8-bit code page, one that needs bibtexparser, a short file, one
core - it returns None and the caller reads and normalises as usual.

Ids are settled before the work is split: a duplicate id is renamed (and reported) by the same
:meth:`Library.add` that renames it when reading, run here on the entries' keys and lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import Library, Origin, Problem, Reference, Report

__all__ = ["MIN_PER_WORKER", "read_normalised"]

#: Fewer entries than this per process, and splitting the work costs more than it saves.
MIN_PER_WORKER = 1500


def _final_ids(entries: Sequence[Any], file: str) -> tuple[list[str], list[list[Problem]]]:
    """The id each entry ends up with when read, and the problems renaming it reports."""
    names: list[str] = []
    report = Report()
    library = Library(report=report)
    problems: list[list[Problem]] = []
    for e in entries:
        key = e.key.strip() if e.key else ""
        stub = Reference(key or f"entry-line-{e.start_line + 1}",
                         origin=Origin(file, e.start_line + 1, "bibtex", e.raw))
        before = len(report.problems)
        library.add(stub)
        names.append(stub.id)
        problems.append(report.problems[before:])
    return names, problems


def read_normalised(paths: Sequence[str], fmt: str | None, encoding: str | None,
                    report: Report, *, profile: Any = None) -> Library | None:
    """The normalised library of one long BibTeX file, its problems added to ``report``; None
    when this path does not apply (see the module docstring)."""
    from .readers import detect_format
    from .readers.bibtex_split import split_entries
    from .registry import UnknownName, registry
    from .textio import DecodeFailure, read_text
    from .workers import workers_for

    if len(paths) != 1 or paths[0] == "-" or not Path(paths[0]).is_file():
        return None
    path = paths[0]
    try:
        decoded = read_text(path, encoding)
    except (DecodeFailure, OSError):
        return None
    text = decoded.text
    try:
        name = registry.entry("reader", fmt or detect_format(path, text) or "").name
    except UnknownName:
        return None
    if name != "bibtex" or decoded.guessed or not text.strip():
        return None
    entries = split_entries(text)
    if entries is None:
        return None
    workers = workers_for(len(entries), MIN_PER_WORKER)
    if workers < 2:
        return None
    return _run(entries, str(path), workers, report, profile)


def _run(entries: list[Any], file: str, workers: int, report: Report, profile: Any
         ) -> Library:
    from .normalisation import default_pipeline
    from .normalisation.pipeline import Context
    from .readers import ReadContext
    from .readers.bibtex import _convert, _tables
    from .workers import split_run

    steps = default_pipeline(profile)
    first_library = next((n for n, s in enumerate(steps) if s.run_library is not None),
                         len(steps))
    per_ref, rest = steps[:first_library], steps[first_library:]
    ids, renames = _final_ids(entries, file)
    tables = _tables()
    ctx = Context(report=Report(), profile=profile)
    ctx.journals()      # loaded once, here, and shared with the children

    def job(start: int, end: int) -> tuple[list[Reference], list[list[Problem]],
                                           list[list[list[Problem]]]]:
        local = ReadContext(file=file, report=Report())
        refs: list[Reference] = []
        read_problems: list[list[Problem]] = []
        for i in range(start, end):
            ref = _convert(entries[i], local, tables)
            ref.id = ids[i]
            refs.append(ref)
            read_problems.append(local.report.problems)
            local.report = Report()
        step_problems: list[list[list[Problem]]] = []
        for step in per_ref:
            assert step.run is not None
            found: list[list[Problem]] = []
            for ref in refs:
                ctx.report = Report()
                step.run(ref, ctx)
                found.append(ctx.report.problems)
            step_problems.append(found)
        return refs, read_problems, step_problems

    chunks = split_run(job, len(entries), workers)
    refs = [ref for part, _, _ in chunks for ref in part]
    # the problems in the order a serial run reports them: reading entry by entry (each
    # entry's own, then its renaming), then step by step over all references
    index = 0
    for _, read_problems, _ in chunks:
        for problems in read_problems:
            report.extend(problems)
            report.extend(renames[index])
            index += 1
    for k in range(len(per_ref)):
        for _, _, step_problems in chunks:
            for problems in step_problems[k]:
                report.extend(problems)
    ctx.report = report
    for step in rest:
        if step.run_library is not None:
            step.run_library(refs, ctx)
        elif step.run is not None:
            for ref in refs:
                step.run(ref, ctx)
    library = Library(report=report)
    for ref in refs:
        library.add(ref)
    return library
