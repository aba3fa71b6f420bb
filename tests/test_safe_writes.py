"""Writing output never damages what is there: special files are written, not replaced; links
are followed; a write cut short by a signal leaves no temporary file and the old file intact."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from transcite.textio import atomic_write


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "data" / "refs.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write(link, lambda out: out.write("new"))
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"
    assert _temps(tmp_path) == [] and _temps(real.parent) == []


def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=reader)
    thread.start()
    atomic_write(fifo, lambda out: out.write("через трубу"))
    thread.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got == ["через трубу".encode()]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        atomic_write(tmp_path, lambda out: out.write("x"))


def test_the_data_is_flushed_to_disk_before_the_rename(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace",
                        lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    atomic_write(tmp_path / "out.bib", lambda out: out.write("x"))
    assert events[:2] == ["fsync", "replace"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old", encoding="utf-8")

    def fail(out: object) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_write(target, fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert _temps(tmp_path) == []


_SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from transcite.textio import atomic_write

    def write(out):
        out.write("partial")
        out.flush()
        print("ready", flush=True)
        time.sleep(30)

    atomic_write(sys.argv[1], write)
""")


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_mid_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                                 signame: str) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    proc.send_signal(getattr(signal, signame))
    proc.wait(20)
    assert proc.returncode != 0
    assert target.read_text(encoding="utf-8") == "old"
    assert _temps(tmp_path) == []


def test_a_temporary_left_by_a_killed_run_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    proc.kill()
    proc.wait(20)
    assert len(_temps(tmp_path)) == 1        # SIGKILL cannot be caught
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:       # the pid must be gone for the file to count as stale
        try:
            os.kill(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    atomic_write(target, lambda out: out.write("new"))
    assert target.read_text(encoding="utf-8") == "new"
    assert _temps(tmp_path) == []


def test_new_files_get_the_usual_permissions_and_old_ones_keep_theirs(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    atomic_write(target, lambda out: out.write("x"))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask
    os.chmod(target, 0o640)
    atomic_write(target, lambda out: out.write("y"))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
