"""Start-up: a command imports what it needs. The command line imports only the module of the
command it runs; the library, the Pandoc filter and a run that reads its style from the cache
import neither the command line nor the XML parsers. (Speed itself is measured in
benchmarks/bench.py, never asserted.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "references" / "examples" / "russia-japan.bib"

_MODULES = """
import json, sys
print(json.dumps(sorted(m for m in sys.modules if m.startswith("transcite.cli.")
                        or m.split(".")[0] in {"typer", "lxml", "citeproc", "jsonschema",
                                               "requests", "rapidfuzz", "stdnum", "tomllib"})))
"""


def _imported(code: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "TRANSCITE_CACHE": str(tmp_path / "cache")}
    env.pop("TRANSCITE_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", code + _MODULES], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli(args: list[str]) -> str:
    return ("from typer.testing import CliRunner\nfrom transcite.cli import app\n"
            f"result = CliRunner().invoke(app, {args!r})\n"
            "assert result.exit_code in (0, 1), result.output\n")


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    found = _imported(_cli(["styles", "gost"]), tmp_path)
    assert [m for m in found if m.startswith("transcite.cli.")
            and not m.split(".")[-1].startswith("_")] == ["transcite.cli.styles"]
    assert not {"rapidfuzz", "stdnum", "requests"} & set(found)


def test_help_still_lists_every_command(tmp_path: Path) -> None:
    from transcite.cli import COMMANDS

    found = _imported(_cli(["--help"]), tmp_path)
    assert {f"transcite.cli.{m}" for m in COMMANDS.values()} <= set(found)


def test_the_second_format_of_a_style_reads_no_xml_and_no_profile(tmp_path: Path) -> None:
    code = _cli(["format", str(BIB), "--style", "apa"])
    _imported(code, tmp_path)                   # the first run compiles the style
    found = _imported(code, tmp_path)
    assert "transcite.cli.format" in found
    assert not {"lxml", "citeproc", "jsonschema", "tomllib", "requests"} & set(found)


def test_the_library_and_the_filter_leave_the_command_line_alone(tmp_path: Path) -> None:
    for code in ("import transcite\nlib = transcite.read_string('@book{a, title={Книга}, "
                 "year={2001}}', 'bibtex')\nprint(transcite.render(lib, 'apa').text)\n",
                 "from transcite.pandoc import filter_document\n"):
        found = _imported(code, tmp_path)
        assert not [m for m in found if m.startswith(("typer", "transcite.cli"))], found
        assert not {"jsonschema", "requests", "tomllib"} & set(found)


def test_the_first_normalised_format_does_not_validate_shipped_tables(tmp_path: Path) -> None:
    # An empty cache: the shipped journal registry is known valid from the package's list
    # (data/validated.json), so the first run does not import jsonschema (~50 ms).
    found = _imported(_cli(["format", str(BIB), "--style", "gost-r-7-0-5-2008",
                            "--normalise"]), tmp_path)
    assert "transcite.cli.format" in found
    assert "jsonschema" not in found
