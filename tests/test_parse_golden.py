"""Golden cases for ``transcite parse``: free text in, the CSL-JSON a person would write out.

Each folder under tests/data/parse holds ``input.txt``, ``expected.json`` (written by hand),
optionally ``mode`` (``lines``, ``list`` or ``page``), ``citing.json`` (for a page: the article's
own record, written with ``--citing``) and ``problems.txt`` (one expected problem per line:
``severity code line``, ``-`` for a problem of the whole file). The command runs as a user runs
it; its stdout must equal the expected items and its stderr must name exactly the expected
problems with their line numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transcite.cli import app

CASES = Path(__file__).resolve().parent / "data" / "parse"
runner = CliRunner()


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "input.txt").is_file())


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_golden(case: Path, tmp_path: Path) -> None:
    mode = (case / "mode").read_text().strip() if (case / "mode").exists() else "lines"
    args = ["parse", str(case / "input.txt")]
    if mode != "lines":
        args.append(f"--{mode}")
    if (case / "citing.json").exists():
        args += ["--citing", str(tmp_path / "citing.json")]
    result = runner.invoke(app, args)
    if (case / "citing.json").exists():
        # the page's own article is the citing work: written apart, never in its own list
        citing = json.loads((tmp_path / "citing.json").read_text(encoding="utf-8"))
        assert citing == json.loads((case / "citing.json").read_text(encoding="utf-8"))
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    got = json.loads(result.stdout)
    for want, have in zip(expected, got):
        assert have == want, f"{case.name}: item {want.get('id')}"
    assert len(got) == len(expected)
    problems = []
    if (case / "problems.txt").exists():
        problems = [line.split() for line in (case / "problems.txt").read_text().splitlines()
                    if line.strip()]
    seen = []
    for line in result.stderr.splitlines():
        m = re.match(r"^.*?(?::(\d+))?: (error|warning|info): .* \(([\w.-]+)\)$", line)
        assert m, f"unexpected stderr line: {line}"
        seen.append([m.group(2), m.group(3), m.group(1) or "-"])
    assert seen == problems
    assert result.exit_code == (1 if any(p[0] == "error" for p in problems) else 0)
