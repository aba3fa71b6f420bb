"""The Python API writing tools use: search in either script, a document's citations and
bibliography, the README's example."""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
from pathlib import Path

import pytest

import transcite
from transcite import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "references" / "examples" / "russia-japan.bib"


@pytest.fixture(scope="module")
def library() -> transcite.Library:
    return transcite.read(EXAMPLE)


@pytest.mark.parametrize(("query", "ids"), [
    ("батин", ["Batin2017"]),
    ("Batin", ["Batin2017"]),
    ("batyn 2017", ["Batin2017"]),          # a sloppy spelling meets the same skeleton
    ("Иноземцев", ["Inozemtsev2017"]),
    ("streltsov", ["Streltsov2018", "Streltsov2020"]),
    ("Стрельцов 2018", ["Streltsov2018"]),
    ("мост сахалин", ["Batin2017"]),
    ("Hokkaido bridge", ["Batin2017"]),       # the English title is searched too
    ("nonexistent words", []),
])
def test_search_in_either_script(library: transcite.Library, query: str,
                                 ids: list[str]) -> None:
    assert [r.id for r in transcite.search(library, query)] == ids


def test_session_numbers_follow_the_document(library: transcite.Library) -> None:
    doc = transcite.Session(library, style="gost-r-7-0-5-2008-numeric")
    assert doc.cite(["TASS2016"]) == "[1]"
    assert doc.cite(["Batin2017"], locator="71") == "[2, с. 71]"
    assert doc.cite(["TASS2016"]) == "[1]"
    lines = doc.bibliography().splitlines()
    assert lines[0].startswith("1. Путин: Россия солидарна") and lines[1].startswith("2. Батин")


def test_author_date_citations_disambiguate(library: transcite.Library) -> None:
    doc = transcite.Session(library, style="apa")
    assert doc.cite(["Streltsov2018"], locator="112") == "(Streltsov, 2018, p. 112)"


def test_unknown_key_is_refused(library: transcite.Library) -> None:
    with pytest.raises(KeyError, match="'Nobody1999'"):
        transcite.Session(library).cite(["Nobody1999"])


def test_bibliography_for_keys_and_profile(library: transcite.Library) -> None:
    text = transcite.bibliography(library, keys=["Batin2017"], profile="scopus",
                                  view="references")
    assert text.startswith("1. Batin Yu.") and text.endswith("(In Russ.)")


def test_module_examples() -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert doctest.testmod(api).failed == 0
    finally:
        os.chdir(cwd)


def test_readme_python_example_runs_and_prints_what_it_says(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Use from Python\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "README has no 'Use from Python' section"
    [code] = re.findall(r"```python\n(.*?)```", section.group(1), re.S)
    expected = [m.strip() for m in re.findall(r"#\s*prints:\s*(.+)", code)]
    assert expected, "the example says what it prints"
    out = io.StringIO()
    cwd = os.getcwd()
    (tmp_path / "references").symlink_to(ROOT / "references")  # as from a checkout
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    for line in expected:
        assert line in printed, line
    assert transcite.read(tmp_path / "russia-japan.json").ids  # what it wrote reads back


def test_stage_functions_work_in_any_import_order() -> None:
    import subprocess
    import sys

    code = ("import transcite.render.lists, transcite.normalisation, transcite\n"
            f"lib = transcite.read({str(EXAMPLE)!r})\n"
            "print(len(transcite.render(lib, 'apa')), len(transcite.normalise(lib).library))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["9", "9"]
