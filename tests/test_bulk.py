"""Reading (and normalising) on several processes gives exactly what one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from _bib_entries import ENTRIES

from transcite import bulk, workers
from transcite.model import Report
from transcite.normalisation import normalise
from transcite.readers import read

_ENTRIES = ENTRIES


def _library(tmp_path: Path, count: int) -> Path:
    text = "\n\n".join(_ENTRIES[n % len(_ENTRIES)].format(n=n) for n in range(count))
    path = tmp_path / "refs.bib"
    path.write_text(f"% a comment before the entries\n{text}\n", encoding="utf-8")
    return path


def test_split_work_gives_what_one_process_gives(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _library(tmp_path, 90)
    monkeypatch.setattr(bulk, "MIN_PER_WORKER", 20)
    monkeypatch.setattr(workers, "cores", lambda: 3)
    monkeypatch.setattr(workers, "busy", lambda: 0)      # as on an idle machine
    monkeypatch.delenv("TRANSCITE_WORKERS", raising=False)

    serial_report = Report()
    serial = normalise(read(str(path), report=serial_report), report=serial_report).library
    split_report = Report()
    split = bulk.read_library([str(path)], None, None, split_report)

    assert split is not None
    assert [r.id for r in split] == [r.id for r in serial]
    assert [repr(r) for r in split] == [repr(r) for r in serial]
    assert [str(p) for p in split_report] == [str(p) for p in serial_report]
    codes = {p.code for p in split_report}
    assert {"library.duplicate-id", "bibtex.missing-key", "bibtex.unknown-type"} <= codes


def test_reading_alone_on_several_processes_gives_what_one_process_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _library(tmp_path, 90)
    monkeypatch.setattr(bulk, "MIN_PER_WORKER_READ", 20)
    monkeypatch.setattr(workers, "cores", lambda: 3)
    monkeypatch.setattr(workers, "busy", lambda: 0)
    monkeypatch.delenv("TRANSCITE_WORKERS", raising=False)

    serial_report = Report()
    serial = read(str(path), report=serial_report)
    split_report = Report()
    split = bulk.read_library([str(path)], None, None, split_report, normalise=False)

    assert split is not None
    assert [repr(r) for r in split] == [repr(r) for r in serial]     # not normalised
    assert [str(p) for p in split_report] == [str(p) for p in serial_report]
    assert {"library.duplicate-id", "bibtex.missing-key"} <= {p.code for p in split_report}
    assert not any(p.code.startswith("normalise") for p in split_report)
    # the entries that pay for normalising on two processes may not pay for reading alone
    monkeypatch.setattr(bulk, "MIN_PER_WORKER", 20)
    monkeypatch.setattr(bulk, "MIN_PER_WORKER_READ", 60)
    assert bulk.read_library([str(path)], None, None, Report(), normalise=False) is None
    assert bulk.read_library([str(path)], None, None, Report()) is not None


def test_short_or_other_inputs_are_left_to_the_usual_path(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers, "busy", lambda: 0)      # as on an idle machine
    short = _library(tmp_path, 10)
    assert bulk.read_library([str(short)], None, None, Report()) is None
    monkeypatch.setattr(bulk, "MIN_PER_WORKER", 2)
    assert bulk.read_library([str(short)], "csl-json", None, Report()) is None
    assert bulk.read_library([str(short), str(short)], None, None, Report()) is None
    with_string = tmp_path / "s.bib"
    with_string.write_text("@string{j = {J}}\n" + short.read_text("utf-8"), encoding="utf-8")
    assert bulk.read_library([str(with_string)], None, None, Report()) is None
    with_nul = tmp_path / "nul.bib"      # the usual path tells whether it is a binary file
    with_nul.write_text(short.read_text("utf-8") + "\x00", encoding="utf-8")
    assert bulk.read_library([str(with_nul)], None, None, Report()) is None
    assert bulk.read_library([str(short)], None, None, Report()) is not None


def test_a_failing_worker_leaves_its_chunk_to_this_process() -> None:
    calls: list[tuple[int, int]] = []

    def job(start: int, end: int) -> list[int]:
        import os

        if start and os.getpid() != parent:
            os._exit(3)         # a child that dies before answering
        calls.append((start, end))
        return list(range(start, end))

    import os

    parent = os.getpid()
    assert workers.split_run(job, 10, 2) == [list(range(0, 5)), list(range(5, 10))]
    assert calls == [(0, 5), (5, 10)]


def test_a_large_result_comes_back_whole_and_a_bad_one_is_computed_here() -> None:
    import os

    parent = os.getpid()

    def job(start: int, end: int) -> object:
        if start and os.getpid() != parent and end == 30:
            return lambda: None        # cannot be pickled: this process computes it instead
        return ["ж" * 1000 + str(i) for i in range(start * 1000, end * 1000)]

    parts = workers.split_run(job, 30, 3)       # ~10 MB through each pipe
    assert [len(p) for p in parts] == [10_000, 10_000, 10_000]   # type: ignore[arg-type]
    assert parts[2][-1] == "ж" * 1000 + "29999"                   # type: ignore[index]


def test_a_bug_in_the_job_is_raised_here_and_no_child_is_left_behind(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    started: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)

    def job(start: int, end: int) -> list[int]:
        if start == 0:
            raise ValueError("a bug")
        return list(range(start, end))

    with pytest.raises(ValueError, match="a bug"):
        workers.split_run(job, 40, 4)
    assert len(started) == 3
    for pid in started:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)    # ended and reaped

    def later(start: int, end: int) -> list[int]:
        if start:
            raise KeyError(start)           # fails in its child, then here
        return []

    with pytest.raises(KeyError):
        workers.split_run(later, 10, 2)


def test_a_busy_machine_gets_no_workers_unless_they_are_asked_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 4)
    monkeypatch.delenv("TRANSCITE_WORKERS", raising=False)
    assert workers.busy() >= 0
    for others, expected in ((0, 4), (2, 2), (3, 1), (9, 1)):
        monkeypatch.setattr(workers, "busy", lambda others=others: others)
        assert workers.workers_for(10_000, 100) == expected
    assert workers.workers_for(10_000, 100, requested=3) == 3     # asked for: as asked
    monkeypatch.setenv("TRANSCITE_WORKERS", "2")
    assert workers.workers_for(10_000, 100) == 2


def test_chunks_shared_between_processes_come_back_in_order() -> None:
    import os
    import time

    parent = os.getpid()

    def job(start: int, end: int) -> tuple[int, list[int]]:
        if os.getpid() == parent:
            time.sleep(0.01)    # this process is the slow one: the child takes more chunks
        return os.getpid(), list(range(start, end))

    parts = workers.split_run(job, 1000, 2, parts=16)
    assert [x for _, xs in parts for x in xs] == list(range(1000))
    assert len(parts) == 16
    mine = sum(pid == parent for pid, _ in parts)
    # the faster one took most of them (this one may take none: the child can be done with
    # all 16 before this process, on a loaded machine, takes its first)
    assert mine < 8
    assert workers.split_run(job, 10, 1, parts=4)[3][1] == [9]      # serial: the same chunks


def test_a_shared_chunk_that_fails_in_a_child_is_done_here() -> None:
    import os

    parent = os.getpid()

    def job(start: int, end: int) -> list[int]:
        if os.getpid() != parent:
            os._exit(3)         # a child that dies with the chunks it took
        return list(range(start, end))

    parts = workers.split_run(job, 100, 2, parts=10)
    assert [x for p in parts for x in p] == list(range(100))

    def buggy(start: int, end: int) -> list[int]:
        if start == 50:
            raise ValueError("a bug in one chunk")
        return list(range(start, end))

    with pytest.raises(ValueError, match="a bug in one chunk"):
        workers.split_run(buggy, 100, 2, parts=10)


def test_the_collector_is_left_as_it_was_found() -> None:
    import gc

    def job(start: int, end: int) -> list[int]:
        assert gc.get_freeze_count() > 0        # (this process's objects, while they run)
        return list(range(start, end))

    assert gc.get_freeze_count() == 0
    assert [x for p in workers.split_run(job, 100, 2) for x in p] == list(range(100))
    assert gc.get_freeze_count() == 0           # unfrozen after
    gc.freeze()                                 # a program that froze objects of its own
    try:
        before = gc.get_freeze_count()
        assert [x for p in workers.split_run(lambda a, b: [a], 100, 2) for x in p] == [0, 50]
        assert gc.get_freeze_count() == before  # kept frozen
    finally:
        gc.unfreeze()


def test_work_of_this_process_is_done_once_while_the_children_read() -> None:
    import os
    import time

    parent = os.getpid()
    events: list[str] = []

    def job(start: int, end: int) -> tuple[int, list[int]]:
        return os.getpid(), list(range(start, end))

    def meanwhile() -> None:
        events.append("meanwhile")
        time.sleep(0.2)         # long enough for the child to take every chunk

    parts = workers.split_run(job, 100, 2, parts=10, meanwhile=meanwhile)
    assert events == ["meanwhile"]
    assert [x for _, xs in parts for x in xs] == list(range(100))
    assert all(pid != parent for pid, _ in parts)      # this process was busy meanwhile
    # few items, or one process: the work is still done, once, and so is every chunk
    for n, procs in ((1, 2), (100, 1)):
        events.clear()
        parts = workers.split_run(job, n, procs, parts=4, meanwhile=meanwhile)
        assert events == ["meanwhile"]
        assert [x for _, xs in parts for x in xs] == list(range(n))


def test_reading_beside_work_of_its_own_reads_short_files_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers, "busy", lambda: 0)
    monkeypatch.delenv("TRANSCITE_WORKERS", raising=False)
    short = _library(tmp_path, 2 * bulk.MIN_BESIDE + 4)
    calls: list[int] = []

    serial_report = Report()
    serial = read(str(short), report=serial_report)
    split_report = Report()
    split = bulk.read_library([str(short)], None, None, split_report, normalise=False,
                              meanwhile=lambda: calls.append(1))
    assert split is not None and calls == [1]
    assert [repr(r) for r in split] == [repr(r) for r in serial]
    assert [str(p) for p in split_report] == [str(p) for p in serial_report]
    # where this path does not apply, the work is done all the same (once)
    for paths, fmt in (([str(short)], "csl-json"), ([str(short)] * 2, None),
                       ([str(tmp_path / "missing.bib")], None)):
        calls.clear()
        assert bulk.read_library(paths, fmt, None, Report(), normalise=False,
                                 meanwhile=lambda: calls.append(1)) is None
        assert calls == [1]
    (tmp_path / "shorter").mkdir()
    shorter = _library(tmp_path / "shorter", bulk.MIN_BESIDE)     # too few to pay for a child
    calls.clear()
    assert bulk.read_library([str(shorter)], None, None, Report(), normalise=False,
                             meanwhile=lambda: calls.append(1)) is None
    assert calls == [1]
    monkeypatch.setattr(workers, "cores", lambda: 1)
    calls.clear()
    assert bulk.read_library([str(short)], None, None, Report(), normalise=False,
                             meanwhile=lambda: calls.append(1)) is None
    assert calls == [1]


def test_results_sent_as_they_are_done_come_back_whole_past_a_full_pipe() -> None:
    import os
    import time

    parent = os.getpid()

    def job(start: int, end: int) -> tuple[int, list[str]]:
        if os.getpid() == parent:
            time.sleep(0.05)    # slow here: the child's results pile up in the pipe
        return os.getpid(), [f"{i}:" + "x" * 50_000 for i in range(start, end)]

    parts = workers.split_run(job, 200, 2, parts=20)    # ~10 MB of results in all
    assert [int(s.split(":")[0]) for _, xs in parts for s in xs] == list(range(200))
    assert all(len(s) > 50_000 for _, xs in parts for s in xs)
    assert any(pid != parent for pid, _ in parts) and any(pid == parent for pid, _ in parts)


def test_a_child_that_fails_midway_keeps_the_results_it_sent() -> None:
    import os

    parent = os.getpid()
    here: list[int] = []

    def job(start: int, end: int) -> list[int]:
        if os.getpid() == parent:
            here.append(start)
        elif start >= 50:
            os._exit(3)         # dies with a chunk taken, after sending the earlier ones
        return list(range(start, end))

    def slow_start() -> None:
        import time

        time.sleep(0.2)         # the child takes the first chunks, then dies on the sixth

    parts = workers.split_run(job, 100, 2, parts=10, meanwhile=slow_start)
    assert [x for p in parts for x in p] == list(range(100))
    assert not set(here) & {0, 10, 20, 30, 40}      # what the child sent is not done again
    assert 50 in here
