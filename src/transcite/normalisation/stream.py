"""Reading and normalising a library too long to hold, into a
:class:`~transcite.store.SpilledLibrary`.

:func:`read_spilled` reads one long BibTeX file region by region (a few thousand entries at a
time, split and converted by forked workers, as :mod:`transcite.bulk` does it for the whole
file at once); :func:`spill` takes references one at a time from any reader (CSL-JSON and RIS
are read item by item). Either way the per-reference normalisation steps run on each batch in
forked workers, and each result is kept pickled in a temporary file. The whole-library steps
then run on what they need: duplicates are found on the references' fingerprints (DOI, year,
title forms, first author, volume, issue, pages: all :func:`transcite.dedupe.find_duplicates`
compares) and only the references they merge are read back; ``review`` reads one reference at
a time.

The result is the library, and the problems in the report, that reading the whole input and
running :func:`transcite.normalisation.normalise` give - in the same order - while memory holds
a batch of references, the fingerprints and the ids.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

from .. import memo, progress
from ..model import Problem, Reference, Report
from ..store import SpilledLibrary
from .pipeline import PER_REF_STEPS, Context, Step

__all__ = ["BATCH", "MIN_PER_WORKER", "REGION_BYTES", "read_spilled", "read_spilled_apart", "spill"]

#: References converted and normalised per round of forked workers (memory holds about this
#: many references at once).
BATCH = 4000

#: Resident MiB past which the memo caches are emptied between rounds (they refill; the
#: engine's sorting and rendering need the room after reading).
TRIM_AT_MIB = 128

#: Fewer references than this per worker, and forking costs more than it saves.
MIN_PER_WORKER = 400

#: A reference done by a worker: id, pickled bytes, its fingerprint for finding duplicates
#: (None when not normalising), what reading it and each per-reference step reported, and
#: the line it starts on.
_Done = tuple[str, bytes, Any, list[Problem], list[list[Problem]], int | None]

#: A region of a BibTeX file done by a worker: its references, and the blocks of text that
#: end it (for the next region's first entry).
_Region = tuple[list[_Done], list[str]]


class _Steps:
    """The default pipeline cut where the first whole-library step starts."""

    def __init__(self, normalise: bool, profile: Any) -> None:
        self.per_ref: list[Step] = []
        self.rest: list[Step] = []
        self.ctx = Context(report=Report(), profile=profile)
        if normalise:
            from . import default_pipeline

            steps = default_pipeline(profile)
            first = next((n for n, s in enumerate(steps) if s.run_library is not None),
                         len(steps))
            self.per_ref, self.rest = steps[:first], steps[first:]
            self.ctx.cache[PER_REF_STEPS] = self.per_ref    # (data_steps.settle_merged)
            self.ctx.journals()     # loaded once, here, and shared with the workers
        self.normalise = normalise

    def run(self, refs: Sequence[Reference], read: Sequence[list[Problem]]) -> list[_Done]:
        """The per-reference steps over ``refs`` (step by step, as the pipeline runs them)."""
        ctx = self.ctx
        found: list[list[list[Problem]]] = [[] for _ in refs]
        for step in self.per_ref:
            assert step.run is not None
            for ref, problems in zip(refs, found):
                ctx.report = Report()
                step.run(ref, ctx)
                problems.append(ctx.report.problems)
                progress.tick()
        from ..dedupe import fingerprint

        return [(ref.id, pickle.dumps(ref, pickle.HIGHEST_PROTOCOL),
                 fingerprint(ref) if self.normalise else None, list(r), f,
                 ref.origin.line if ref.origin else None)
                for ref, r, f in zip(refs, read, found)]

    def forget(self) -> None:
        """Empty the memo tables the steps fill (the journal registry stays)."""
        for key in [k for k in self.ctx.cache if k != "journals"]:
            del self.ctx.cache[key]


class _Sink:
    """Where the done references go: the library, the stand-ins, the problems in the order
    a serial run reports them (reading, entry by entry; then step by step)."""

    def __init__(self, steps: _Steps, report: Report,
                 into: SpilledLibrary | None = None) -> None:
        self.library = into if into is not None else SpilledLibrary(report)
        self.steps = steps
        self.report = report
        self.read: list[Problem] = []
        self.found: list[list[Problem]] = [[] for _ in steps.per_ref]
        self.prints: list[Any] = []     # the fingerprints, in library order

    def add(self, done: _Done) -> None:
        ref_id, data, print_, read, found, _ = done
        self.library.append(ref_id=ref_id, data=data)
        if print_ is not None:
            self.prints.append(print_)
        self.read.extend(read)
        for k, ps in enumerate(found):
            self.found[k].extend(ps)

    def finish(self) -> SpilledLibrary:
        """The problems into the report, then the whole-library steps."""
        self.report.extend(self.read)
        for ps in self.found:
            self.report.extend(ps)
        ctx = self.steps.ctx
        ctx.report = self.report
        prints, self.prints = self.prints, []
        self.steps.forget()
        memo.clear()        # reading's and normalising's memos: the engine needs the room
        for step in self.steps.rest:
            _library_step(step, self.library, prints, ctx)
            prints = []     # only the first whole-library step sees the references as read
        return self.library


def spill(refs: Iterable[Reference], report: Report, *, normalise: bool = False,
          profile: Any = None) -> SpilledLibrary:
    """The references (their ids already unique, their reading problems already in
    ``report``) in a :class:`SpilledLibrary`, normalised by the default pipeline when asked;
    what the steps report goes into ``report`` as a serial run orders it (step by step)."""
    from ..workers import split_run, workers_for

    steps = _Steps(normalise, profile)
    sink = _Sink(steps, report)
    for batch in _batches(refs, BATCH):
        def job(a: int, b: int, batch: list[Reference] = batch) -> list[_Done]:
            return steps.run(batch[a:b], [[] for _ in range(b - a)])

        workers = workers_for(len(batch), MIN_PER_WORKER) if normalise else 1
        for part in split_run(job, len(batch), workers):
            for done in part:
                sink.add(done)
        steps.forget()
        memo.trim(TRIM_AT_MIB)
    return sink.finish()


def read_spilled_apart(paths: Sequence[str], fmt: str | None, encoding: str | None,
                       report: Report, *, normalise: bool = False,
                       profile: Any = None) -> SpilledLibrary | None:
    """:func:`read_spilled` done by a forked child into a file this process holds: what
    reading and normalising a long file leaves behind (freed memory the allocator keeps,
    memo tables) stays in the child, and formatting starts from a small process. Where
    forking is missing or the child fails, the file is read here."""
    if not hasattr(os, "fork"):
        return read_spilled(paths, fmt, encoding, report, normalise=normalise, profile=profile)
    holder = SpilledLibrary(report)
    known = len(report.problems)
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:    # the child: read into the holder's file, send back where things are
        status = 1
        try:
            os.close(rfd)
            lib = read_spilled(paths, fmt, encoding, report, normalise=normalise,
                               profile=profile, into=holder)
            answer = None if lib is None else (lib.state(), report.problems[known:])
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
            with os.fdopen(wfd, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:     # the child failed: read the file here
        holder.close()
        return read_spilled(paths, fmt, encoding, report, normalise=normalise, profile=profile)
    answer = pickle.loads(data)
    if answer is None:
        holder.close()
        return None
    state, problems = answer
    holder.adopt(state)
    report.extend(problems)
    return holder


def read_spilled(paths: Sequence[str], fmt: str | None, encoding: str | None, report: Report,
                 *, normalise: bool = False, profile: Any = None,
                 into: SpilledLibrary | None = None) -> SpilledLibrary | None:
    """One BibTeX file read region by region into a :class:`SpilledLibrary` (normalised when
    asked), its problems added to ``report`` as reading it whole would order them; None
    where this does not apply (several inputs, standard input, another format, a file not in
    plain UTF-8, or one that needs bibtexparser: ``@string``, ``@comment``, broken entries) and
    the caller reads it with :func:`spill`. The file is read a region at a time, by the
    workers: its text is never held whole."""
    import codecs
    from pathlib import Path

    from ..readers import detect_format
    from ..registry import UnknownName, registry

    if len(paths) != 1 or paths[0] == "-" or not Path(paths[0]).is_file():
        return None
    if encoding is not None and codecs.lookup(encoding).name != "utf-8":
        return None
    path = paths[0]
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return None
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        name = registry.entry("reader", fmt or detect_format(
            path, head.decode("utf-8", errors="replace")) or "").name
    except UnknownName:
        return None
    if name != "bibtex":
        return None
    return _bibtex(path, report, _Steps(normalise, profile), into)


#: Bytes of BibTeX a worker reads, converts and normalises at a time (about 2,500 entries).
REGION_BYTES = 1 << 20

#: A block start at the start of a line, where a file can be cut into regions (as
#: :func:`transcite.readers.bibtex_split.regions` cuts a text; ``\w`` here is ASCII only, so
#: these are some of the places it may cut, which is all the cutting needs).
_CUT = re.compile(rb"\n(?=@\w*[ \t]*[{(])")


def _cuts(fd: int, size: int, parts: int) -> list[tuple[int, int]]:
    """The file's byte ranges: about ``parts`` of them, each after the first starting at a
    block start at the start of a line."""
    cuts = [0]
    for k in range(1, parts):
        at = max(cuts[-1] + 1, size * k // parts)
        found = None
        while at < size and found is None:
            window = os.pread(fd, 1 << 16, at)
            m = _CUT.search(window)
            if m is not None and m.start() < len(window) - 256:
                found = at + m.start() + 1
            else:
                at += max(1, len(window) - 256)
        if found is None:
            break
        cuts.append(found)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _bibtex(path: str, report: Report, steps: _Steps,
            into: SpilledLibrary | None = None) -> SpilledLibrary | None:
    from ..readers import ReadContext
    from ..readers.bibtex import AFTER, BEFORE, _convert, _tables
    from ..readers.bibtex_split import split_entries
    from ..workers import split_run, workers_for

    tables = _tables()
    file = str(path)

    def convert(entries: list[Any], ids: list[str] | None = None) -> list[_Done]:
        refs, read = [], []
        for n, entry in enumerate(entries):
            ctx = ReadContext(file=file, report=Report())
            ref = _convert(entry, ctx, tables)
            if ids is not None:
                ref.id = ids[n]
            refs.append(ref)
            read.append(ctx.report.problems)
        return steps.run(refs, read)

    with open(path, "rb") as fh:
        fd = fh.fileno()
        size = os.fstat(fd).st_size
        parts = _cuts(fd, size, max(1, -(-size // REGION_BYTES)))
        first_lines, entries, line = [], 1, 0
        for lo, hi in parts:            # lines before each region; entries, about
            first_lines.append(line)
            for at in range(lo, hi, 1 << 20):
                chunk = os.pread(fd, min(1 << 20, hi - at), at)
                line += chunk.count(b"\n")
                entries += chunk.count(b"\n@")
        if not entries or not size:
            return None

        def region(k: int) -> _Region | None:     # in a worker
            lo, hi = parts[k]
            try:
                text = os.pread(fd, hi - lo, lo).decode("utf-8")
            except UnicodeDecodeError:
                return None
            blocks: list[Any] = []
            split = split_entries(text, first_lines[k], blocks)
            if split is None:
                return None
            done = convert(split)
            # the text between entries (comments...) goes with the entry after it, as
            # read_bibtex keeps it; what ends a region goes to the next region's first entry
            inside = [b for b in blocks if b.before < len(done)]
            trailing = [b.raw for b in blocks if b.before >= len(done)]
            for n, d in enumerate(done):
                raws = [b.raw for b in inside if b.before == n]
                if raws:
                    done[n] = _with_blocks(d, BEFORE, raws)
            return (done, trailing)

        workers = workers_for(entries, MIN_PER_WORKER)
        carry: list[str] = []           # blocks that end a region, for the next entry
        pending: _Done | None = None    # the last entry read, not yet added
        sink = _Sink(steps, report, into)
        seen: dict[str, int | None] = {}
        with progress.stage("normalising", entries * len(steps.per_ref), "steps"):
            for start in range(0, len(parts), workers):     # a region per worker at a time
                ks = list(range(start, min(len(parts), start + workers)))
                if workers > 1:     # this process only collects: it stays small
                    got = split_run(cast("Callable[[int, int], list[_Region | None]]",
                                         lambda a, b, ks=ks: [region(ks[a - 1])] if a else []),
                                    len(ks) + 1, len(ks) + 1)
                    results = [r for part in got[1:] for r in part]
                else:
                    results = [region(k) for k in ks]
                if any(r is None for r in results):
                    sink.library.close()    # bibtexparser must read this file: the caller
                    return None
                for result in results:
                    assert result is not None
                    done, trailing = result
                    if carry and done:
                        done[0] = _with_blocks(done[0], BEFORE, carry, first=True)
                        carry = []
                    if pending is not None:
                        sink.add(_settled(pending, seen, convert))
                        pending = None
                    for one in done[:-1]:
                        sink.add(_settled(one, seen, convert))
                    if done:
                        pending = done[-1]      # the last one may get the file's last blocks
                    carry += trailing
                steps.forget()
                memo.trim(TRIM_AT_MIB)
        if pending is not None:
            if carry:
                pending = _with_blocks(pending, AFTER, carry)
            sink.add(_settled(pending, seen, convert))
    return sink.finish()


def _with_blocks(done: _Done, key: str, raws: list[str], first: bool = False) -> _Done:
    """``done`` with blocks of text kept as written in its ``extra[key]`` (before those it
    holds when ``first``)."""
    ref = pickle.loads(done[1])
    held = ref.extra.get(key, [])
    ref.extra[key] = list(raws) + list(held) if first else list(held) + list(raws)
    return (done[0], pickle.dumps(ref, pickle.HIGHEST_PROTOCOL)) + done[2:]


def _settled(done: _Done, seen: dict[str, int | None],
             convert: Callable[[list[Any], list[str] | None], list[_Done]]) -> _Done:
    """``done`` under an id no earlier reference has (renamed and reported as
    :meth:`Library.add` does it; a renamed entry is converted and normalised again under its
    new id, so that what it reports names that id)."""
    from ..readers.bibtex import AFTER, BEFORE
    from ..readers.bibtex_split import split_entries

    ref_id = done[0]
    if ref_id not in seen:
        seen[ref_id] = done[5]
        return done
    ref = pickle.loads(done[1])
    n = 2
    while f"{ref_id}-{n}" in seen:
        n += 1
    new_id = f"{ref_id}-{n}"
    first = seen[ref_id]
    origin = ref.origin
    entries = split_entries(origin.raw or "", (origin.line or 1) - 1) if origin else None
    assert entries is not None and len(entries) == 1
    again = convert(entries, [new_id])[0]
    for key in (BEFORE, AFTER):     # the blocks kept with it (read from around the entry)
        if ref.extra.get(key):
            again = _with_blocks(again, key, ref.extra[key])
    problem = Report()
    problem.error("library.duplicate-id", f"duplicate id {ref_id!r} (first defined"
                  + (f" at line {first}" if first is not None else "")
                  + f"); this entry is kept as {new_id!r}", **ref.where())
    seen[new_id] = again[5]
    return (again[0], again[1], again[2], again[3] + problem.problems, again[4], again[5])


def _batches(refs: Iterable[Reference], size: int) -> Iterator[list[Reference]]:
    batch: list[Reference] = []
    for ref in refs:
        batch.append(ref)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _library_step(step: Step, library: SpilledLibrary, prints: list[Any],
                  ctx: Context) -> None:
    from . import data_steps

    if step.run_library is data_steps.dedupe and prints:
        _dedupe(library, prints, ctx)
    elif step.run_library is data_steps.review:
        for ref in library:         # it looks at one reference at a time and changes none
            step.run_library([ref], ctx)
    elif step.run is not None:
        for ref in library:
            step.run(ref, ctx)
            library.replace(ref)
    else:       # a step that needs every reference at once: it gets them
        assert step.run_library is not None
        refs = list(library)
        before = {r.id for r in refs}
        step.run_library(refs, ctx)
        for ref in refs:
            library.replace(ref)
        for gone in before - {r.id for r in refs}:
            library.remove(gone)


def _dedupe(library: SpilledLibrary, prints: list[Any], ctx: Context) -> None:
    """:func:`~transcite.normalisation.data_steps.dedupe` over the fingerprints: the same
    duplicates, merged in the same order, reported alike; only merged references are read."""
    from ..dedupe import find_duplicate_prints, merge_into
    from .data_steps import settle_merged

    ids = library.ids()
    pairs = find_duplicate_prints(prints)
    del prints[:]
    targets: dict[str, Reference] = {}
    merged: dict[str, str] = {}
    filled: dict[str, Reference] = {}     # targets a merge filled in
    for later_n, earlier_n, reason, _ in pairs:
        root = ids[earlier_n]
        while root in merged:
            root = merged[root]
        target = targets.get(root)
        if target is None:
            target = targets[root] = library[root]
        later = library[ids[later_n]]
        if merge_into(target, later, ctx.report):
            filled[target.id] = target
        merged[later.id] = target.id
        ctx.report.add("info", "normalise.merged", f"merged into {target.id} (the same work: "
                       f"{'same DOI' if reason == 'doi' else 'same title'})",
                       **later.where())
    settle_merged(filled.values(), ctx)
    for target in targets.values():
        library.replace(target)
    for later_id in merged:
        library.remove(later_id)
