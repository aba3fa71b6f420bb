"""``transcite format`` run without typer (transcite.cli._fast) does what typer's run does.

The fast path reads only command lines it reads exactly as typer does: for any command line,
it either leaves it to typer or gives the command the same parameters typer gives it. Run
whole, both give the same output, messages and exit status - and the fast one imports no typer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from transcite.cli import _format_run, app
from transcite.cli._fast import (
    FORMAT_DEFAULTS,
    FORMAT_FLAGS,
    FORMAT_MULTIPLE,
    FORMAT_VALUES,
    parse_format,
)

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "references" / "examples" / "russia-japan.bib"


class _Ran(Exception):
    pass


def _typer_params(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """The parameters typer gives the format command for ``args`` (None: it refused them)."""
    seen: list[dict[str, Any]] = []

    def record(inputs: list[str], **params: Any) -> None:
        seen.append({"inputs": inputs, **params})
        raise _Ran

    monkeypatch.setattr(_format_run, "run", record)
    result = CliRunner().invoke(app, args)
    if seen:
        assert isinstance(result.exception, _Ran)
        return seen[0]
    assert result.exit_code == 2, result.output      # a usage error, nothing run
    return None


def _format_command() -> Any:
    import typer.main

    group = typer.main.get_command(app)
    return group.commands["format"]     # type: ignore[attr-defined]


def test_the_fast_tables_name_every_option_of_the_command() -> None:
    values: dict[str, str] = {}
    flags: dict[str, tuple[str, bool]] = {}
    multiple = set()
    for param in _format_command().params:
        if param.param_type_name == "argument":
            assert param.name == "inputs"
            continue
        if param.is_flag:
            flags.update({name: (param.name, True) for name in param.opts})
            flags.update({name: (param.name, False) for name in param.secondary_opts})
        else:
            values.update({name: param.name for name in param.opts})
        if param.multiple:
            multiple.add(param.name)
    assert values == FORMAT_VALUES
    assert flags == FORMAT_FLAGS
    assert multiple == FORMAT_MULTIPLE


def test_nothing_given_is_typer_s_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _typer_params(["format", "a.bib"], monkeypatch) == {**FORMAT_DEFAULTS,
                                                               "inputs": ["a.bib"]}
    assert parse_format(["format", "a.bib"]) == {**FORMAT_DEFAULTS, "inputs": ["a.bib"]}


@pytest.mark.parametrize("args", [
    ["format", "refs.bib", "--style", "gost", "--normalise"],
    ["format", "refs.bib", "-s", "apa", "-o", "out.html", "-t", "html", "--strict"],
    ["format", "-", "--from", "bibtex", "-o", "-", "--locale", "ru-RU", "--no-item-locale"],
    ["format", "a.bib", "b.json", "--profile=scopus", "--view", "dual", "--normalize"],
    ["format", "--keys", "a,b", "refs.bib", "-k", "c", "--order", "input", "--sort=style"],
    ["format", "refs.bib", "--keys-from", "paper.md", "--encoding", "cp1251", "-O", "html"],
    ["format", "refs.bib", "--style="],
])
def test_usual_command_lines_run_fast_with_typer_s_parameters(
        args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_format(args)
    assert fast is not None
    assert fast == _typer_params(args, monkeypatch)


@pytest.mark.parametrize("args", [
    ["format"], ["format", "--help"], ["format", "refs.bib", "-h"], ["styles", "gost"],
    ["--version"], ["format", "refs.bib", "--style"], ["format", "refs.bib", "--bogus"],
    ["format", "refs.bib", "-sgost"], ["format", "refs.bib", "--strict=yes"],
    ["format", "refs.bib", "--", "-x.bib"], ["format", "refs.bib", "-o", "--strict"],
    ["format", "refs.bib", "--style", "apa", "--style", "gost"],
])
def test_other_command_lines_are_left_to_typer(args: list[str]) -> None:
    assert parse_format(args) is None


_VALUES = st.sampled_from(["gost", "a.bib", "", "-", "a=b", "ru-RU", "a,b", "text"])
_LONG_VALUES = [name for name in FORMAT_VALUES if name.startswith("--")]
_USUAL = st.one_of(
    st.sampled_from(["a.bib", "b.json", "-", ""]).map(lambda w: [w]),
    st.tuples(st.sampled_from(sorted(FORMAT_VALUES)), _VALUES).map(list),
    st.tuples(st.sampled_from(_LONG_VALUES), _VALUES).map(lambda p: [f"{p[0]}={p[1]}"]),
    st.sampled_from(sorted(FORMAT_FLAGS)).map(lambda w: [w]),
)
_ODD = st.sampled_from([["--"], ["-h"], ["--bogus"], ["-sgost"], ["--strict=1"], ["-o=f"],
                        ["-1"], ["--style"], ["-o", "--strict"], ["--keys", "a"]])


def _dest(piece: list[str]) -> str:
    name = piece[0].split("=")[0]
    return FORMAT_VALUES.get(name) or FORMAT_FLAGS.get(name, (piece[0],))[0]


#: Command lines: mostly the forms a user writes, each option once, with now and then one
#: that typer must read (an option twice, one it does not know, a value missing...).
_PIECES = st.tuples(st.lists(_USUAL, max_size=6, unique_by=_dest),
                    st.lists(_ODD, max_size=1)).map(lambda p: p[0] + p[1])


@settings(max_examples=400, deadline=None)
@given(_PIECES, st.randoms(use_true_random=False))
def test_any_command_line_is_read_as_typer_reads_it_or_left_to_it(
        pieces: list[list[str]], rnd: Any) -> None:
    rnd.shuffle(pieces)
    args = ["format", *(word for piece in pieces for word in piece)]
    fast = parse_format(args)
    if fast is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert fast == _typer_params(args, monkeypatch)


def _run(how: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRANSCITE_CACHE": str(tmp_path / "cache"),
           "PYTHONPROFILEIMPORTTIME": "1"}
    code = ("import sys; from transcite.cli import main; main()" if how == "fast" else
            "import sys; from transcite.cli import app; app(prog_name='transcite')")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)


def _messages(stderr: str) -> str:
    return "".join(line + "\n" for line in stderr.splitlines()
                   if not line.startswith("import time:"))


@pytest.mark.parametrize("case", ["plain", "output-file", "errors", "strict", "usage"])
def test_a_fast_run_gives_what_typer_s_run_gives_without_importing_typer(
        case: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.bib"
    broken.write_text(BIB.read_text(encoding="utf-8") + "\n@article{bad, title = {open\n",
                      encoding="utf-8")
    args = {"plain": ["format", str(BIB), "--style", "gost", "--normalise"],
            "output-file": ["format", str(BIB), "-s", "apa", "-o", "OUT", "-t", "html"],
            "errors": ["format", str(broken), "--style", "gost"],
            "strict": ["format", str(BIB), "--profile", "scopus", "--strict"],
            "usage": ["format", str(BIB), "--order", "alphabetical"]}[case]
    runs = {}
    for how in ("fast", "typer"):
        out = tmp_path / how
        out.mkdir()
        done = _run(how, [str(out / "refs.html") if a == "OUT" else a for a in args], out)
        written = (out / "refs.html").read_text(encoding="utf-8") if case == "output-file" \
            else ""
        typer_imported = any(line.split("|")[-1].strip() == "typer" for line in
                             done.stderr.splitlines() if line.startswith("import time:"))
        runs[how] = (done.returncode, done.stdout, _messages(done.stderr), written,
                     typer_imported)
    assert runs["fast"][:4] == runs["typer"][:4]
    assert runs["fast"][4] is False and runs["typer"][4] is True
    expected = {"plain": 0, "output-file": 0, "errors": 1, "strict": None, "usage": 2}[case]
    if expected is not None:
        assert runs["fast"][0] == expected, runs["fast"][2]
    if case in ("plain", "errors"):
        assert "Россия предложила Японии" in runs["fast"][1]
    if case == "output-file":
        assert "<div" in runs["fast"][3] or "<p" in runs["fast"][3] or "<li" in runs["fast"][3]
    if case == "usage":
        assert "--order must be 'style' or 'input'" in runs["fast"][2]
