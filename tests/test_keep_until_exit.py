"""What a ``format`` run from the console script holds in memory whole is kept until the
process ends (transcite.memo.keep), not freed object by object as each function returns;
everywhere else - the API, a command called in-process, the bounded path for long libraries -
objects are freed as usual."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from transcite import memo


class _Thing:
    pass


@pytest.fixture
def flags(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """memo's switches as a fresh process has them (and the collector), restored after the
    test."""
    monkeypatch.setattr(memo, "_kept", None)
    monkeypatch.setattr(memo, "_ends_after_command", False)
    collecting = gc.isenabled()
    yield
    if collecting:
        gc.enable()


def _survives(keep_it: bool) -> bool:
    thing = _Thing()
    ref = weakref.ref(thing)
    if keep_it:
        memo.keep(thing)
    del thing
    gc.collect()
    return ref() is not None


def test_objects_are_freed_as_usual_outside_the_console_script(flags: None) -> None:
    memo.keep_until_exit()          # a command called in-process (a test, a writing tool)
    assert not _survives(keep_it=True)
    assert memo._kept is None
    assert gc.isenabled()           # ...whose cycles are collected as usual


def test_the_console_script_keeps_them_once_a_command_asks(flags: None) -> None:
    memo.ends_after_command()
    assert not _survives(keep_it=True)      # nothing asked yet
    assert gc.isenabled()
    memo.keep_until_exit()
    assert _survives(keep_it=True)
    assert not _survives(keep_it=False)
    assert not gc.isenabled()       # what it holds to its end, the collector need not visit


_RUN = """
import gc, json, sys
from transcite import memo
from transcite.cli import app
memo.ends_after_command()               # as transcite.cli.main does
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    sys.stderr.write(json.dumps([None if memo._kept is None else len(memo._kept),
                                 gc.isenabled()]) + "\\n")
"""


def _kept_after(args: list[str], tmp_path: Path, env: dict[str, str]) -> tuple[str, Any]:
    done = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_format_keeps_a_library_held_whole_and_not_one_read_in_rounds(
        tmp_path: Path, root: Path) -> None:
    bib = root / "references" / "examples" / "russia-japan.bib"
    env = dict(os.environ, TRANSCITE_CACHE=str(tmp_path / "cache"))
    whole, (kept, collecting) = _kept_after(["format", str(bib), "--style", "gost"],
                                            tmp_path, env)
    assert kept and whole.count("\n") >= 3
    assert not collecting           # (held whole: no collector either)
    # the same file as a long one (kept in a file, rendered in bounded rounds): nothing kept,
    # and the same list printed
    rounds, (kept, collecting) = _kept_after(["format", str(bib), "--style", "gost"],
                                             tmp_path, dict(env, TRANSCITE_SPILL_BYTES="1"))
    assert kept is None
    assert collecting               # (memory that must come back between rounds)
    assert rounds == whole
