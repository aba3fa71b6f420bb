"""Work handed to a forked worker mid-run (transcite.handoff.HandOff) comes back as if done here.

Reading a long BibTeX file on two processes, the entries whose Cyrillic is rebuilt from a
romanisation go to the worker that loads the rebuilding's dictionaries, so that only one
process loads them: the library, its problems and the entries kept for the next read are
still exactly what one process gives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transcite import handoff, workers

ROMANISED = ("@article{{rom{n},\n  author = {{Ivanov, Ivan and Petrova, Anna}},\n"
             "  title = {{Issledovanie teploobmena v reaktore {n}}},\n"
             "  journal = {{Atomnaya energiya}},\n  year = {{2015}},\n  langid = {{russian}}\n}}")
CYRILLIC = ("@article{{cyr{n},\n  author = {{Сидоров, С. С.}},\n  title = {{Опыт {n}}},\n"
            "  journal = {{Теплоэнергетика}},\n  year = {{2001}},\n  langid = {{russian}}\n}}")
ENGLISH = ("@book{{eng{n},\n  author = {{Smith, John}},\n  title = {{Reactor physics {n}}},\n"
           "  publisher = {{Wiley}},\n  year = {{1999}}\n}}")
WITH_ISBN = ("@book{{isbn{n},\n  author = {{Smith, John}},\n  title = {{Handbook {n}}},\n"
             "  publisher = {{Wiley}},\n  year = {{1999}},\n  isbn = {{9785020037052}}\n}}")


def _library(path: Path, again: str = CYRILLIC.format(n=3)) -> Path:
    parts = ["% opening comment"]
    for n in range(120):
        if n % 9 == 4:
            parts.append(f"% a note before entry {n}")      # text attached to a handed entry
        parts.append((ROMANISED if n % 9 in (4, 7) else WITH_ISBN if n % 13 == 6 else
                       CYRILLIC if n % 2 else ENGLISH).format(n=n))
    parts.append(again)                                     # an id again: renamed
    parts.append(ROMANISED.format(n=999))
    parts.append("% closing comment, after a romanised entry")
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


_SCRIPT = """
import json, sys
from transcite import bulk, handoff, workers
from transcite.model import Report
from transcite.normalisation import normalise
from transcite.normalisation.data_steps import rebuilding_loaded
from transcite.readers import read
from transcite.readers.entries import load_records, records_key

path, how = sys.argv[1], sys.argv[2]
workers.cores = lambda: 2
workers.busy = lambda: 0
given = [0]
give = handoff.HandOff.give

def counting(self, item):
    ticket = give(self, item)
    given[0] += ticket is not None
    return ticket

handoff.HandOff.give = counting
report = Report()
if how == "serial":
    library = normalise(read(path, report=report), report=report).library
else:
    library = bulk.read_library([path], None, None, report)
kept = load_records(records_key(path, None, None, True, None)) or {}
print(json.dumps({"refs": [repr(r) for r in library], "report": [str(p) for p in report],
                  "given": given[0], "loaded_here": rebuilding_loaded(),
                  "isbn_loaded_here": "stdnum.isbn" in sys.modules,
                  "kept_costly": sum("isbn =" in raw or ("langid = {russian}" in raw
                                                          and "Сидоров" not in raw)
                                     for raw in kept)}))
"""


def _run(path: Path, how: str, cache: Path) -> dict[str, object]:
    env = {**os.environ, "TRANSCITE_CACHE": str(cache)}
    env.pop("TRANSCITE_NO_CACHE", None)
    env.pop("TRANSCITE_WORKERS", None)
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(path), how], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_romanised_entries_handed_to_the_worker_give_what_one_process_gives(
        tmp_path: Path) -> None:
    path = _library(tmp_path / "refs.bib")
    serial = _run(path, "serial", tmp_path / "cache")     # (keeps no entries)
    split = _run(path, "split", tmp_path / "cache")
    assert int(str(split["given"])) >= 1        # entries were handed...
    assert split["loaded_here"] is False        # ...and this process loaded no dictionaries
    assert split["isbn_loaded_here"] is False   # nor the ISBN ranges
    assert serial["loaded_here"] is True and serial["isbn_loaded_here"] is True
    assert split["refs"] == serial["refs"]
    assert split["report"] == serial["report"]
    refs = "\n".join(map(str, split["refs"]))
    assert "Исследование" in refs and "a note before entry 4" in refs
    assert "978-5-02-003705-2" in refs
    assert "closing comment, after a romanised entry" in refs
    assert any("cyr3" in p and "duplicate-id" in p for p in split["report"])  # type: ignore
    # the handed entries' results are kept for the next read, as the others' are
    assert int(str(split["kept_costly"])) >= int(str(split["given"]))


def test_a_romanised_entry_renamed_for_its_id_is_read_as_one_process_reads_it(
        tmp_path: Path) -> None:
    # (renamed once every region is back, it is read again here under its new id)
    path = _library(tmp_path / "refs.bib", again=ROMANISED.format(n=7))
    serial = _run(path, "serial", tmp_path / "cache")     # (keeps no entries)
    split = _run(path, "split", tmp_path / "cache")
    assert split["given"]
    assert split["refs"] == serial["refs"]
    assert split["report"] == serial["report"]
    assert any("rom7" in p and "duplicate-id" in p for p in split["report"])  # type: ignore


def _double(x: int) -> int:
    return 2 * x


def test_items_handed_mid_run_come_back_with_the_chunks() -> None:
    parent = os.getpid()
    hand = handoff.HandOff(_double)
    tickets: dict[int, int | None] = {}

    def job(start: int, end: int) -> list[int]:
        if os.getpid() == parent:
            for x in range(start, end):
                tickets[x] = hand.give(x)
        else:
            time.sleep(0.02)    # (so that this process surely takes chunks too)
        return list(range(start, end))

    parts = workers.split_run(job, 100, 2, parts=10, hand=hand)
    assert [x for p in parts for x in p] == list(range(100))
    given = {x: t for x, t in tickets.items() if t is not None}
    assert given
    assert all(hand.results[t] == 2 * x for x, t in given.items())
    assert hand.give(1) is None         # the run is over: nothing more is handed


def test_an_item_the_worker_fails_on_is_done_here() -> None:
    parent = os.getpid()

    def work(x: int) -> int:
        if os.getpid() != parent:
            os._exit(3)         # the worker dies with what it was handed
        return x + 1

    hand = handoff.HandOff(work)
    tickets: dict[int, int | None] = {}

    def job(start: int, end: int) -> list[int]:
        if os.getpid() == parent:
            tickets[start] = hand.give(start)
        else:
            time.sleep(0.02)    # (so that this process surely takes chunks too)
        return [start]

    parts = workers.split_run(job, 40, 2, parts=8, hand=hand)
    assert [p[0] for p in parts] == list(range(0, 40, 5))
    given = {x: t for x, t in tickets.items() if t is not None}
    assert given
    assert all(hand.results[t] == x + 1 for x, t in given.items())


def test_a_process_forked_meanwhile_does_not_hold_the_run() -> None:
    # a cache writer forked while the run is on inherits the hand-off pipe; the worker stops
    # at the end mark, not at the pipe's end, so the run does not wait for that process
    parent = os.getpid()
    hand = handoff.HandOff(_double)
    sleepers: list[int] = []

    def meanwhile() -> None:
        pid = os.fork()
        if pid == 0:
            time.sleep(5)
            os._exit(0)
        sleepers.append(pid)

    def job(start: int, end: int) -> list[int]:
        if os.getpid() == parent:
            hand.give(start)
        return [start]

    began = time.monotonic()
    try:
        workers.split_run(job, 40, 2, parts=8, meanwhile=meanwhile, hand=hand)
        took = time.monotonic() - began
    finally:
        for pid in sleepers:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    assert took < 3


def test_one_process_hands_nothing() -> None:
    hand = handoff.HandOff(_double)
    seen: list[int | None] = []
    workers.split_run(lambda a, b: seen.append(hand.give(a)) or [a], 10, 1, parts=2,
                      hand=hand)
    assert seen == [None, None] and hand.results == {}


def test_the_worker_loads_ahead_only_what_the_entries_will_need(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from transcite import bulk
    from transcite.normalisation import data_steps

    loads: list[tuple[bool, bool]] = []
    monkeypatch.setattr(data_steps, "load_costly", lambda *a: loads.append(a))
    text = _library(tmp_path / "refs.bib").read_text(encoding="utf-8")
    bulk._load_costly_for(text)
    assert loads == [(True, True)]      # romanised entries and ISBNs: both are loaded first
    plain = "\n\n".join(CYRILLIC.format(n=n) if n % 2 else ENGLISH.format(n=n)
                        for n in range(50))
    bulk._load_costly_for(plain)
    assert loads == [(True, True)]      # Russian entries in Cyrillic, no ISBN: nothing
    bulk._load_costly_for(plain + "\n\n" + WITH_ISBN.format(n=1))
    assert loads[-1] == (False, True)


def test_more_than_the_smallest_pipe_holds_is_handed_where_the_pipe_can_grow() -> None:
    # a real list's romanised entries, with the comments around them, take ~1.4 KB each:
    # past ~23 of them the old 32 KB budget made this process rebuild the rest itself, and
    # load the dictionaries after all; where the pipe can be given more room (Linux), up to
    # ``limit`` items are handed - and giving never waits for the worker, busy with a chunk
    parent = os.getpid()
    hand = handoff.HandOff(len, limit=64)
    tickets: list[int | None] = []
    waits: list[float] = []

    def job(start: int, end: int) -> list[int]:
        if os.getpid() == parent:
            began = time.monotonic()
            for x in range(start, end):
                tickets.append(hand.give(f"{x:04d}" + "x" * 3000))
            waits.append(time.monotonic() - began)
        else:
            time.sleep(0.6)     # (reads nothing handed meanwhile)
        return [start]

    workers.split_run(job, 120, 2, parts=3, hand=hand)
    r, w = os.pipe()
    try:
        room = max(handoff.HandOff.MAX_BYTES, workers._widen(w, hand.PIPE_BYTES))
    finally:
        os.close(r)
        os.close(w)
    given = [t for t in tickets if t is not None]
    if room >= 64 * 3100:
        assert len(given) == 64             # 192 KB, six times the least pipe's budget
    else:                                   # (as many as the pipe holds)
        assert room // 3100 <= len(given) <= room // 3000
    if sys.platform.startswith("linux"):
        assert room >= 64 * 3100
    assert all(hand.results[t] == 3004 for t in given)
    assert max(waits) < 0.5                 # no give waited for the sleeping worker
