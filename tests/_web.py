"""A real `transcite serve` for the page's tests: started as the command a user runs, on a free
port of 127.0.0.1, stopped (and its output kept for inspection) at the end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_LIST = ROOT / "tests" / "data" / "normalise" / "seed-references" / "input.txt"


@dataclass
class Server:
    """A running server: its base URL and, once stopped, everything it printed."""

    url: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)


@contextmanager
def running_server(*options: str, startup: float = 60.0) -> Iterator[Server]:
    """``transcite serve --port 0 OPTIONS`` until the block ends."""
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "transcite", "serve", "--port", "0",
                             *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    lines: list[str] = []
    deadline = time.monotonic() + startup
    url = None
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        proc.kill()
        out = "".join(lines) + (proc.stdout.read() or "")
        raise AssertionError(f"transcite serve did not start:\n{out}")
    server = Server(url, proc, lines)
    try:
        yield server
    finally:
        proc.terminate()
        try:
            rest, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, _ = proc.communicate()
        server.output.append(rest or "")
