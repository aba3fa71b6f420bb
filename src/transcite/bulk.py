"""Reading (and normalising) a long BibTeX file on every core.

:func:`read_library` gives what reading the file - and, when asked, running the normalisation
pipeline on it - gives: the same references with the same ids, the same problems in the same
order in the report. It does the work per entry in forked processes, each on a region of the
file: splitting it into entries, converting them, then every per-reference step before the
first whole-library step. The rest (duplicates, later steps) is done here. It skips copying
the references, as the library it reads is not kept.

An entry that would make a process load what costs much to load - the Cyrillic rebuilding's
dictionaries for a romanised Russian entry (~80 ms), the ISBN ranges (~20 ms) - is read by the
first worker only (:class:`~transcite.handoff.HandOff`): this process hands it over whole at
the step that would load them, and on a file's first read that worker loads them before its
first entry, beside this process's loading of the engine and its light entries.

Ids are settled when the regions are back: a duplicate id is renamed (and reported) by the same
:meth:`Library.add` that renames it when reading, and the few renamed entries are converted and
normalised again under their new ids (a per-reference step sees nothing but its reference), so
what they report names the id a serial run gives them.

Where it cannot pay or does not apply - several inputs, standard input, another format, a file
in a Russian 8-bit code page, one that needs bibtexparser, a short file, one core, a NUL in the
text - it returns None and the caller reads (and normalises) as usual. On one core it still
reads a file some of whose entries were kept from its last read (see
:mod:`transcite.readers.entries`), taking them as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import progress
from .lazy import lazy_re
from .model import Library, Origin, Problem, Reference, Report

if TYPE_CHECKING:
    from .handoff import HandOff

__all__ = ["MIN_BESIDE", "MIN_PER_WORKER", "MIN_PER_WORKER_READ", "SLOW_ENTRY", "read_library"]

#: Fewer entries than this per process, and splitting the work costs more than it saves (a
#: forked worker costs ~2 ms, and its references' pickling a few more; reading and normalising
#: an entry ~0.2 ms).
MIN_PER_WORKER = 60
#: The same when the entries are only read: reading an entry takes ~0.05 ms, and sending the
#: reference back (pickled there, loaded here) a sixth of that on each side - a 300-entry file
#: read on two cores is no faster than on one, 1,000 entries are ~25% faster (measured on a
#: 2-core machine).
MIN_PER_WORKER_READ = 250
#: The same when this process has work of its own to do meanwhile (see :func:`read_library`):
#: reading the first entries costs ~10-20 ms of imports and patterns, which a forked process
#: then spends while this one loads the engine (a 10-entry file is read no faster so; a
#: 50-entry one is, by ~5 ms of ~100).
MIN_BESIDE = 10

#: An entry whose normalisation took this long (seconds), or that used what costs a process
#: much to load (rebuilding Cyrillic, ISBN ranges: ``data_steps.HEAVY``), has its result kept
#: for the next read of its file (see transcite.readers.entries): read again, it would cost
#: the dictionaries' ~100 ms. The others take ~0.05 ms to read again, less than keeping them
#: costs.
SLOW_ENTRY = 0.001

#: One entry's result: the reference, what reading it reported, what each step reported, and
#: its duplicate-finding fingerprint when the first library-wide step is ``dedupe`` (computed
#: in the worker: the parent then only compares them).
_Done = tuple[Reference, list[Problem], list[list[Problem]], Any]


def read_library(paths: Sequence[str], fmt: str | None, encoding: str | None,
                 report: Report, *, normalise: bool = True, profile: Any = None,
                 meanwhile: Callable[[], object] | None = None) -> Library | None:
    """The library of one long BibTeX file, normalised (for ``profile``) when ``normalise``,
    its problems added to ``report``; None when this path does not apply (see the module
    docstring). ``meanwhile`` is work of the caller's that does not need the library
    (loading the engine that renders it): done here while a forked process starts reading -
    so from 20 entries on, not only for long files - and done once in any case (also when
    this path does not apply)."""
    if meanwhile is None:
        return _read_library(paths, fmt, encoding, report, normalise, profile, None)
    done: list[object] = []

    def once() -> None:
        if not done:
            done.append(meanwhile())

    library = _read_library(paths, fmt, encoding, report, normalise, profile, once)
    once()      # (when the file was not split)
    return library


def _read_library(paths: Sequence[str], fmt: str | None, encoding: str | None,
                  report: Report, normalise: bool, profile: Any,
                  meanwhile: Callable[[], object] | None) -> Library | None:
    from .readers import detect_format
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
    if name != "bibtex" or decoded.guessed or not text.strip() or "\x00" in text:
        return None         # (a NUL: the usual path tells whether it is a binary file)
    per_worker = MIN_PER_WORKER if normalise else MIN_PER_WORKER_READ
    workers = workers_for(text.count("\n@") + 1, MIN_BESIDE if meanwhile else per_worker)
    from .readers.entries import load_records, records_key

    key = records_key(str(path), fmt, encoding, normalise, profile)
    known = load_records(key)
    if workers < 2 and not known:
        return None         # (one process, nothing kept: the usual path reads it as fast)
    return _run(text, str(path), workers, report, profile, normalise, meanwhile, key, known)


def _entry_job(file: str, profile: Any, normalise: bool = True,
               known: dict[str, bytes] | None = None, hand: HandOff | None = None
               ) -> tuple[Callable[..., list[_Done]], list[Any], Any,
                          int]:
    """A function converting raw entries (under the given ids, or their own) and, when
    ``normalise``, normalising them; the steps left for the whole library, the context the
    steps share, and the number of steps the function runs. An entry whose text is in
    ``known`` (see :mod:`transcite.readers.entries`) takes the result kept for it; the
    function appends the results it computes to the list given as ``records``. With ``hand``
    (a :class:`~transcite.handoff.HandOff`), an entry that would make this process load what
    costs much to load (``data_steps.costly_to_load``: the Cyrillic rebuilding, the ISBN
    ranges) is handed to the worker that loads it: its place in the result holds a
    stand-in, its ticket in ``handed``."""
    from time import perf_counter as clock

    from .normalisation.data_steps import HEAVY, costly_to_load
    from .readers import ReadContext
    from .readers.bibtex import AFTER, BEFORE, _convert, _tables, attach_blocks
    from .readers.entries import record, restore, wanted

    steps: list[Any] = []
    ctx: Any = None
    if normalise:
        from .normalisation import default_pipeline
        from .normalisation.pipeline import PER_REF_STEPS, Context

        steps = default_pipeline(profile)
        ctx = Context(report=Report(), profile=profile)
        ctx.journals()      # loaded once, here, and shared with the children
    first_library = next((n for n, s in enumerate(steps) if s.run_library is not None),
                         len(steps))
    per_ref = steps[:first_library]
    if ctx is not None:
        ctx.cache[PER_REF_STEPS] = per_ref      # (data_steps.settle_merged, after merges)
    prints = first_library < len(steps) and steps[first_library].name == "dedupe"
    tables = _tables()

    def job(entries: list[Any], ids: list[str] | None = None,
            blocks: list[Any] | None = None,
            records: list[tuple[str, bytes]] | None = None,
            handed: dict[int, int] | None = None) -> list[_Done]:
        done: list[_Done] = []
        fresh: list[int] = []       # the entries read here (the others were known)
        for n, entry in enumerate(entries):
            data = known.get(entry.raw) if known and ids is None and wanted(entry) else None
            kept = restore(data, entry.start_line, file) if data is not None else None
            if kept is not None and len(kept[2]) == len(per_ref):
                done.append(kept)
                if records is not None and data is not None:
                    records.append((entry.raw, data))
                progress.tick(len(per_ref))
                continue
            read_ctx = ReadContext(file=file, report=Report())
            ref = _convert(entry, read_ctx, tables)
            if ids is not None:
                ref.id = ids[n]
            done.append((ref, read_ctx.report.problems, [], None))
            fresh.append(n)
        if blocks and done:         # the text between entries, as the reader keeps it
            attach_blocks([ref for ref, _, _, _ in done], blocks)
        spent = dict.fromkeys(fresh, 0.0)      # each entry's time in the steps
        heavy: set[int] = set()                 # ...and whether it used HEAVY things
        for step in per_ref:        # step by step, as the pipeline runs
            assert step.run is not None
            for n in fresh:
                ref, _, found, _ = done[n]
                if handed is not None:
                    if n in handed:
                        continue        # (a stand-in: the worker does it whole)
                    if ids is None and hand is not None and hand.giving() and \
                            costly_to_load(step.name, ref):
                        # (with the text around it this process attached to it)
                        ticket = hand.give((entries[n], ref.extra.get(BEFORE),
                                            ref.extra.get(AFTER)))
                        if ticket is not None:
                            handed[n] = ticket
                            continue
                ctx.report = Report()
                used, start = ctx.cache.get(HEAVY, 0), clock()
                step.run(ref, ctx)
                spent[n] += clock() - start
                if ctx.cache.get(HEAVY, 0) != used:
                    heavy.add(n)
                found.append(ctx.report.problems)
                progress.tick()
        if prints:
            from .dedupe import fingerprint

            done = [(ref, read, found, fp if fp is not None or (handed and n in handed)
                     else fingerprint(ref))
                    for n, (ref, read, found, fp) in enumerate(done)]
        if records is not None and ids is None:
            for n in fresh:         # (the slow ones: reading them again costs more)
                if handed and n in handed:
                    continue
                if (n in heavy or spent[n] >= SLOW_ENTRY) and wanted(entries[n]):
                    data = record(*done[n], entries[n].start_line)
                    if data is not None:
                        records.append((entries[n].raw, data))
        return done

    return job, steps[first_library:], ctx, len(per_ref)


def _run(text: str, file: str, workers: int, report: Report, profile: Any,
         normalise: bool = True, meanwhile: Callable[[], object] | None = None,
         key: str | None = None, known: dict[str, bytes] | None = None) -> Library | None:
    from .handoff import HandOff
    from .readers.bibtex_split import regions, split_entries
    from .workers import PARTS_PER_WORKER, split_run

    # An entry whose Cyrillic is rebuilt loads dictionaries (~80 ms) in the process that
    # reads it, one with an ISBN the ISBN ranges (~20 ms): this process hands such entries
    # to the first worker, which loads them once for both - first thing, while this one
    # loads the engine and reads the others.
    # (Read before, the file's costly entries were kept: the few read again are handed,
    # and the worker loads what they need when they come.)
    hand = HandOff(lambda entry: _handed(job, entry, key is not None),
                   prepare=None if known else lambda: _load_costly_for(text)
                   ) if normalise else None
    # (``known``, the entries kept from the last read, loaded before the workers start:
    # they share it; with them the file is read here even on one core)
    job, rest, ctx, n_steps = _entry_job(file, profile, normalise, known, hand)
    # more regions than workers: each takes the next region when done with one
    parts = regions(text, workers * PARTS_PER_WORKER)

    def region_job(start: int, end: int) -> _Region | None:
        a, b = parts[start]
        blocks: list[Any] = []
        entries = split_entries(text[a:b], text.count("\n", 0, a), blocks)
        if entries is None or (blocks and not entries):
            return None     # (text between entries goes with an entry: none here to hold it)
        records: list[tuple[str, bytes]] = []
        handed: dict[int, int] = {}
        return (job(entries, None, blocks, records if key is not None else None, handed),
                records, handed)

    # the bar counts a step done for a reference (an estimate of their number: entries);
    # reading alone shows none, as when one process reads
    total = (text.count("\n@") + 1) * (n_steps + len(rest))
    with progress.stage("normalising", total, "steps") if normalise else nullcontext():
        results = split_run(region_job, len(parts), workers, parts=len(parts),
                            meanwhile=meanwhile, hand=hand if workers > 1 else None)
        return _finish(_take_handed(results, hand), file, job, rest, ctx, report, key)


#: A field saying an entry is in Russian (as written: a case-blind pattern, or one starting
#: with ``\b``, scans a file five times slower).
_RUSSIAN = lazy_re(r"(?:langid|language|hyphenation|LANGID|LANGUAGE|Langid|Language)"
                   r"[ \t]*=[ \t]*[{\"]?[ \t]*(?:[Rr]ussian|RUSSIAN|[Rr][Uu][Ss]?)\b")
_CYRILLIC = lazy_re(r"[\u0400-\u04ff]")
#: An ISBN field.
_ISBN = lazy_re(r"(?:isbn|ISBN|Isbn)[ \t]*=")
#: How much of a file :func:`_load_costly_for` looks through (~1,000 entries; ~2 ms).
_LOOK_AHEAD = 1 << 19


def _load_costly_for(text: str) -> None:
    """(In the worker costly entries are handed to, on a file's first read) Load first what
    the entries of ``text`` (of its first ~1,000) will need that costs a process much to
    load: the Cyrillic rebuilding when one says it is Russian and holds no Cyrillic letter -
    a romanised one, whose Cyrillic ``--normalise`` rebuilds - and the ISBN ranges when one
    has an ISBN. The loading (~80 and ~20 ms) then runs beside this process's first
    entries, not after them."""
    from .normalisation.data_steps import load_costly

    rebuilding = False
    for m in _RUSSIAN.finditer(text, 0, _LOOK_AHEAD):
        start = text.rfind("\n@", 0, m.start()) + 1     # the entry the field is in
        end = text.find("\n@", m.start())
        if _CYRILLIC.search(text, start, end if end >= 0 else len(text)) is None:
            rebuilding = True
            break
    isbn = _ISBN.search(text, 0, _LOOK_AHEAD) is not None
    if rebuilding or isbn:
        load_costly(rebuilding, isbn)


def _handed(job: Callable[..., list[_Done]], item: tuple[Any, list[str] | None,
                                                         list[str] | None],
            keep: bool) -> tuple[_Done, list[tuple[str, bytes]]]:
    """(In the worker) A handed entry read and normalised whole, the text around it attached
    as where it was read (before its steps, as there); and its kept result."""
    from .readers.bibtex_split import RawBlock

    entry, before, after = item
    blocks = [RawBlock(0, raw, entry.start_line) for raw in before or ()] + \
        [RawBlock(1, raw, entry.start_line) for raw in after or ()]
    records: list[tuple[str, bytes]] = []
    return job([entry], None, blocks, records if keep else None)[0], records


def _take_handed(results: list[_Region | None], hand: HandOff | None
                 ) -> list[_Region | None]:
    """The regions' results with each handed entry's stand-in replaced by what the worker
    made of it."""
    for result in results:
        if result is None or not result[2]:
            continue
        done, records, handed = result
        assert hand is not None
        for n, ticket in handed.items():
            done[n], kept = hand.results[ticket]
            records.extend(kept)
    return results


#: A region's result: its entries' results, each entry's text with its kept result, and the
#: entries handed to a worker (their place: their ticket).
_Region = tuple[list[_Done], list[tuple[str, bytes]], dict[int, int]]


def _finish(results: list[_Region | None], file: str, job: Any, rest: list[Any],
            ctx: Any, report: Report, key: str | None = None) -> Library | None:
    """The workers' references in one library: ids settled, problems in serial order, the
    library-wide steps run; each entry's own result kept under ``key`` for the next read."""
    if any(r is None for r in results):
        return None     # bibtexparser must read this file
    from .readers.bibtex import AFTER, BEFORE
    from .readers.entries import store_records

    store_records(key, {raw: data for r in results if r is not None for raw, data in r[1]})
    parts = [r[0] for r in results if r is not None and r[0]]
    for part, following in zip(parts, parts[1:]):
        # what follows a region's last entry comes before the next region's first
        last, first = part[-1][0], following[0][0]
        if AFTER in last.extra:
            first.extra[BEFORE] = last.extra.pop(AFTER) + first.extra.get(BEFORE, [])
    done = [d for part in parts for d in part]
    renames = _settle_ids(done, file, job)
    # the problems in the order a serial run reports them: reading entry by entry (each
    # entry's own, then its renaming), then step by step over all references
    for (_, read_problems, _, _), renamed in zip(done, renames):
        report.extend(read_problems)
        report.extend(renamed)
    for k in range(len(done[0][2]) if done else 0):
        for _, _, step_problems, _ in done:
            report.extend(step_problems[k])
    refs = [ref for ref, _, _, _ in done]
    if ctx is not None:
        ctx.report = report
    if done and all(d[3] is not None for d in done):
        ctx.cache["fingerprints"] = (refs, [d[3] for d in done])     # (data_steps.dedupe)
    for step in rest:
        if step.run_library is not None:
            step.run_library(refs, ctx)
            progress.tick(len(refs))
        elif step.run is not None:
            for ref in refs:
                step.run(ref, ctx)
                progress.tick()
    library = Library(report=report)
    for ref in refs:
        library.add(ref)
    return library


def _settle_ids(done: list[_Done], file: str,
                job: Callable[[list[Any], list[str] | None], list[_Done]]
                ) -> list[list[Problem]]:
    """Rename duplicate ids as reading does (what each renaming reports, per entry); entries
    renamed are done again under their new ids, in place in ``done``."""
    from .readers.bibtex_split import split_entries

    if len({ref.id for ref, _, _, _ in done}) == len(done):
        return [[] for _ in done]       # no id twice: nothing is renamed
    report = Report()
    library = Library(report=report)
    renames: list[list[Problem]] = []
    for n, (ref, _, _, _) in enumerate(done):
        origin = ref.origin or Origin()
        stub = Reference(ref.id, origin=origin)
        before = len(report.problems)
        library.add(stub)
        renames.append(report.problems[before:])
        if stub.id != ref.id:
            entries = split_entries(origin.raw or "", (origin.line or 1) - 1)
            assert entries is not None and len(entries) == 1
            again = job(entries, [stub.id])[0]
            for key in ("@before", "@after"):
                if key in ref.extra:
                    again[0].extra[key] = ref.extra[key]
            done[n] = again
    return renames
