"""Progress bars: shown on a terminal for long runs, never in piped output, and counting the
work of forked workers too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from transcite import progress
from transcite.workers import split_run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate, to_bibtex  # noqa: E402

ENTRIES = 1200


@pytest.fixture(scope="module")
def long_bib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 1,200-entry BibTeX library (long enough for a bar)."""
    path = tmp_path_factory.mktemp("progress") / "long.bib"
    path.write_text("\n".join(to_bibtex(it) for it in generate(ENTRIES, 3)), encoding="utf-8")
    return path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCITE_PROGRESS")}
    env["TRANSCITE_PROGRESS_DELAY"] = "0"       # show a bar at once, however fast the run
    env["TRANSCITE_NO_CACHE"] = "1"     # every run reads and normalises (no library cache)
    env.update(extra)
    return env


def _format(bib: Path, stderr: int, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "transcite", "format", str(bib), "--style",
                           "apa", "--normalise"], stdout=subprocess.PIPE, stderr=stderr,
                          env=env, check=False, timeout=300)


def test_piped_output_has_no_bar(long_bib: Path) -> None:
    proc = _format(long_bib, subprocess.PIPE, _env())
    assert proc.returncode in (0, 1)
    assert proc.stdout.count(b"\n") >= ENTRIES
    assert b"formatting" not in proc.stderr and b"normalising" not in proc.stderr
    assert b"\r" not in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_shows_bars_and_the_same_output(long_bib: Path) -> None:
    import pty

    master, slave = pty.openpty()
    try:
        proc = _format(long_bib, slave, _env())
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:         # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert b"normalising" in seen and b"formatting" in seen
    assert b"%|" in seen            # tqdm's bar: percentage, then the bar
    piped = _format(long_bib, subprocess.PIPE, _env())
    assert proc.stdout == piped.stdout      # the bar goes to stderr only


def test_environment_switches_bars_off_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSCITE_PROGRESS", "0")
    progress.enable(True)
    assert not progress.enabled()
    monkeypatch.setenv("TRANSCITE_PROGRESS", "1")
    progress.enable(False)
    assert progress.enabled()
    monkeypatch.delenv("TRANSCITE_PROGRESS")
    progress.enable(False)
    assert not progress.enabled()


def test_bar_counts_what_forked_workers_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRANSCITE_PROGRESS", raising=False)
    progress.enable(True)
    try:
        def job(a: int, b: int) -> list[int]:
            out = []
            for i in range(a, b):
                out.append(i * i)
                progress.tick()
            return out

        with progress.stage("squaring", 4000):
            bar = progress._bar
            parts = split_run(job, 4000, 2)
            assert bar is not None and bar.n == 4000
    finally:
        progress.enable(False)
    assert [x for p in parts for x in p] == [i * i for i in range(4000)]


def test_short_runs_and_library_use_show_no_bar(capsys: pytest.CaptureFixture[str]) -> None:
    progress.enable(False)
    with progress.stage("nothing", 10_000):
        progress.tick(10_000)
    progress.enable(True)
    try:
        with progress.stage("short", progress.MIN_ITEMS - 1):
            progress.tick(progress.MIN_ITEMS - 1)
            assert progress._bar is None
    finally:
        progress.enable(False)
    assert capsys.readouterr().err == ""
