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


def _default_signals() -> None:
    """The signals a user sends take their default action in the writer, as in a terminal (a
    test run started in the background or under nohup inherits SIGINT/SIGHUP ignored, and
    an ignored signal is left ignored by design)."""
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_mid_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                                 signame: str) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_default_signals)
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


# -- the command line: an input is replaced only when asked, and never after read errors ------

from typer.testing import CliRunner  # noqa: E402

from transcite.cli import app  # noqa: E402

runner = CliRunner()

_BROKEN_BIB = """% my notes on these sources
@preamble{"\\newcommand{\\noopsort}[1]{}"}
@article{good, title = {Good}, year = {2001}}
@comment{keep me}
@article{bad, title = {Unclosed
"""
_BROKEN_JSON = '[{"id": "good", "type": "book", "title": "Good"},\n {"id": "bad", "type": \n'


def _cli(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("command", ["convert", "normalize"])
@pytest.mark.parametrize("name,text", [("refs.bib", _BROKEN_BIB), ("refs.json", _BROKEN_JSON)])
def test_output_equal_to_an_input_needs_in_place(tmp_path: Path, command: str, name: str,
                                                 text: str) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    link = tmp_path / f"link-{name}"
    link.symlink_to(src)
    for target in (src, link):
        result = _cli(command, str(src), "-o", str(target))
        assert result.exit_code == 2, result.output
        assert "--in-place" in result.output
        assert src.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("command", ["convert", "normalize"])
@pytest.mark.parametrize("name,text", [("refs.bib", _BROKEN_BIB), ("refs.json", _BROKEN_JSON)])
def test_in_place_after_read_errors_keeps_the_file(tmp_path: Path, command: str, name: str,
                                                   text: str) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    result = _cli(command, str(src), "-o", str(src), "--in-place")
    assert result.exit_code == 1
    assert "--force" in result.output and "write.kept" in result.output
    assert src.read_text(encoding="utf-8") == text
    assert _temps(tmp_path) == []


def test_an_existing_output_is_not_replaced_after_read_errors(tmp_path: Path) -> None:
    src = tmp_path / "refs.bib"
    src.write_text(_BROKEN_BIB, encoding="utf-8")
    old = tmp_path / "old.json"
    old.write_text("[]\n", encoding="utf-8")
    assert _cli("convert", str(src), "-o", str(old)).exit_code == 1
    assert old.read_text(encoding="utf-8") == "[]\n"
    new = tmp_path / "new.json"                      # a new file gets what could be read
    assert _cli("convert", str(src), "-o", str(new)).exit_code == 1
    assert '"good"' in new.read_text(encoding="utf-8")


def test_in_place_with_force_keeps_every_block_as_written(tmp_path: Path) -> None:
    src = tmp_path / "refs.bib"
    src.write_text(_BROKEN_BIB, encoding="utf-8")
    result = _cli("convert", str(src), "-o", str(src), "--in-place", "--force")
    assert result.exit_code == 1                     # the read error is still reported
    out = src.read_text(encoding="utf-8")
    for block in ("% my notes on these sources", '@preamble{"\\newcommand{\\noopsort}[1]{}"}',
                  "@comment{keep me}", "@article{bad, title = {Unclosed"):
        assert block in out, block
    assert "@article{good," in out


def test_in_place_without_errors_replaces_the_input(tmp_path: Path) -> None:
    src = tmp_path / "refs.bib"
    src.write_text("% mine\n@article{k, title = {T}, year = {2001}}\n", encoding="utf-8")
    result = _cli("normalize", str(src), "-o", str(src), "--in-place")
    assert result.exit_code == 0, result.output
    out = src.read_text(encoding="utf-8")
    assert out.startswith("% mine\n") and "date" in out


def test_normalize_help_does_not_promise_what_in_place_breaks() -> None:
    result = _cli("normalize", "--help")
    assert "never modified" not in result.output and "--in-place" in result.output


@pytest.mark.parametrize("where", ["missing/r.json", "."])
def test_a_report_that_cannot_be_written_is_an_error_and_the_output_is_written(
        tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "refs.bib"
    src.write_text("@article{k, title = {T}, year = {2001}}\n", encoding="utf-8")
    result = _cli("normalize", str(src), "-o", "clean.bib", "--report", where)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot write the report" in result.output
    assert (tmp_path / "clean.bib").read_text(encoding="utf-8").startswith("@article{k,")


def test_a_full_standard_output_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "refs.bib"
    src.write_text("@article{k, title = {T}, year = {2001}}\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "transcite", "format", str(src)],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0]
