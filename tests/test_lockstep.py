"""Two processes in step (transcite.lockstep): a long list's render forks once, not once per
pass, and gives what one process gives - also when the child fails, dies or goes out of step.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from transcite import lockstep, progress, workers
from transcite.render.engine import Engine

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _squares(a: int, b: int) -> list[int]:
    return [i * i for i in range(a, b)]


def _flat(parts: list[list[int]]) -> list[int]:
    return [x for p in parts for x in p]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRANSCITE_NO_CACHE": "1"}
    env.pop("TRANSCITE_WORKERS", None)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, timeout=120)


def test_runs_in_a_region_give_the_serial_results_and_only_this_process_leaves_it(
        tmp_path: Path) -> None:
    # each run starts from the one before (as a render's passes do): the child must have
    # the whole result of each, not only its own chunks; what follows the block runs once
    done = _run(f"""
        import os
        from transcite import lockstep, workers
        workers.busy = lambda: 0
        def squares(a, b):
            return [i * i for i in range(a, b)]
        with lockstep.region(1000, 2) as pair:
            assert pair is not None
            first = [x for p in workers.split_run(squares, 500, 2, parts=16) for x in p]
            n = sum(first) % 97 + 300        # the next run's size, from the whole first
            second = [x for p in workers.split_run(squares, n, 2, parts=16) for x in p]
            small = workers.split_run(squares, 10, workers.workers_for(10, 40), parts=2)
            print("both", os.getpid(), flush=True)
        with open({str(tmp_path / "after")!r}, "a") as fh:
            fh.write(f"{{len(first)}} {{n}} {{second == [i * i for i in range(n)]}} "
                     f"{{[x for p in small for x in p] == [i * i for i in range(10)]}} "
                     f"{{pair.runs}} {{workers.active_pair()}}\\n")
    """)
    assert done.returncode == 0, done.stderr
    n = sum(i * i for i in range(500)) % 97 + 300
    # one line: the child left at the block's end; two runs shared, the short one not
    assert (tmp_path / "after").read_text() == f"500 {n} True True 2 None\n"
    assert len(done.stdout.splitlines()) == 1      # the child prints nothing


def test_a_child_that_dies_leaves_its_chunks_to_this_process() -> None:
    parent = os.getpid()

    def job(a: int, b: int) -> list[int]:
        if os.getpid() != parent:
            os._exit(3)     # the child dies with the chunk it took
        time.sleep(0.02)    # (so that the child surely takes one)
        return _squares(a, b)

    with lockstep.region(1000, 2) as pair:
        assert pair is not None
        first = workers.split_run(job, 400, 2, parts=8)
        assert not pair.alive
        second = workers.split_run(_squares, 400, 2, parts=8)     # (forks as usual)
    assert _flat(first) == _flat(second) == [i * i for i in range(400)]


def test_a_child_out_of_step_leaves_and_this_process_does_the_rest() -> None:
    parent = os.getpid()
    with lockstep.region(1000, 2) as pair:
        assert pair is not None
        first = workers.split_run(_squares, 300, 2, parts=8)
        assert pair.alive
        # the child decides otherwise (the machine's load, say): its results are not taken
        n = 300 if os.getpid() == parent else 301
        second = workers.split_run(_squares, n, 2, parts=8)
        assert not pair.alive
        third = workers.split_run(_squares, 200, 2, parts=8)
    assert _flat(first) == [i * i for i in range(300)]
    assert _flat(second) == [i * i for i in range(300)]
    assert _flat(third) == [i * i for i in range(200)]


def test_a_failing_chunk_fails_here_and_the_child_is_gone() -> None:
    def job(a: int, b: int) -> list[int]:
        if a <= 123 < b:
            raise ValueError("bad item 123")
        return _squares(a, b)

    with pytest.raises(ValueError, match="bad item 123"):
        with lockstep.region(1000, 2) as pair:
            assert pair is not None
            workers.split_run(job, 400, 2, parts=8)
    assert workers.active_pair() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pair.pid, os.WNOHANG)       # reaped


def test_one_process_or_a_short_list_makes_no_pair() -> None:
    with lockstep.region(1000, 1) as pair:
        assert pair is None
    with lockstep.region(30, 2) as pair:
        assert pair is None


def test_a_long_list_forks_once_and_is_the_serial_list(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    """GOST's four passes over a long list (given-name levels, sort keys, disambiguation,
    the entries) share one forked child, and the list is the serial one, entry for entry."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    monkeypatch.setattr(workers, "busy", lambda: 0)
    items = generate(400, 3)
    serial = [e.text for e in Engine.create("gost-r-7-0-5-2008", workers=1).bibliography(items)]
    forks: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    runs: list[int] = []
    run = lockstep.Pair.run

    def counting(self: lockstep.Pair, *args: object) -> object:
        runs.append(self.runs)
        return run(self, *args)     # type: ignore[arg-type]

    monkeypatch.setattr(lockstep.Pair, "run", counting)
    paired = [e.text for e in Engine.create("gost-r-7-0-5-2008", workers=2).bibliography(items)]
    assert paired == serial and len(serial) == 400
    assert len(forks) == 1          # one child for every pass...
    assert len(runs) >= 3           # ...that shared the passes


def test_the_bar_counts_what_the_child_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRANSCITE_PROGRESS", raising=False)
    monkeypatch.setattr(workers, "busy", lambda: 0)
    progress.enable(True)

    def ticked(i: int) -> int:      # (an entry rendered: the bar counts it)
        progress.tick()
        return i * i

    try:
        def job(a: int, b: int) -> list[int]:
            return [ticked(i) for i in range(a, b)]

        parent = os.getpid()
        with lockstep.region(4000, 2) as pair, progress.stage("squaring", 4000):
            assert pair is not None
            bar = progress._bar
            parts = workers.split_run(job, 4000, 2, parts=16)
            if os.getpid() == parent:   # (the child shows no bar)
                assert bar is not None and bar.n == 4000
    finally:
        progress.enable(False)
    assert _flat(parts) == [i * i for i in range(4000)]


@pytest.mark.parametrize("style", ["apa", "gost-r-7-0-5-2008"])
def test_citations_of_a_long_document_are_the_serial_ones(monkeypatch: pytest.MonkeyPatch,
                                                          style: str) -> None:
    """The Pandoc filter's case: clusters (positions, disambiguation across cites, cites on
    their own) rendered in step are the serial clusters."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    monkeypatch.setattr(workers, "busy", lambda: 0)
    items = generate(300, 11)
    ids = [str(it["id"]) for it in items]
    clusters = [[{"id": i}] for i in ids]
    clusters += [[{"id": ids[k], "locator": str(k)}, {"id": ids[(k * 7) % len(ids)]}]
                 for k in range(0, len(ids), 9)]
    serial = Engine.create(style, workers=1)
    paired = Engine.create(style, workers=2)
    assert paired.citations(clusters, items) == serial.citations(clusters, items)
    assert paired.cite_forms(clusters, items) == serial.cite_forms(clusters, items)
    assert len(serial.citations(clusters, items)) == len(clusters)
