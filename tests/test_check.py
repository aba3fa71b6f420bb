"""`transcite check`: golden cases (one folder each: input, args.txt, expected.txt) and units."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from transcite.check import (
    CheckContext,
    available_checks,
    lookalike_words,
    run_checks,
    style_requirements,
)
from transcite.cli import app
from transcite.model import Date, Library, Reference

CASES = Path(__file__).resolve().parent / "data" / "check"


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSCITE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRANSCITE_JOURNALS", raising=False)
    return tmp_path


def _input(case: Path) -> str:
    return next(p.name for p in sorted(case.iterdir())
                if p.name not in ("args.txt", "expected.txt"))


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden(case, isolated, monkeypatch):
    folder = CASES / case
    monkeypatch.chdir(folder)
    args = shlex.split((folder / "args.txt").read_text(encoding="utf-8"))
    expected = (folder / "expected.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["check", _input(folder), *args])
    assert result.stdout == expected
    assert result.exit_code == (1 if expected else 0)


def test_json_format(isolated, monkeypatch):
    monkeypatch.chdir(CASES / "identifiers")
    result = CliRunner().invoke(app, ["check", "refs.bib", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["references"] == 3
    assert data["counts"]["error"] == 3
    first = data["findings"][0]
    assert first["file"] == "refs.bib" and first["line"] == 19
    assert first["code"] == "identifier.invalid-isbn" and first["item"] == "badisbn"
    assert first["raw"] == "978-5-02-003705-3"


def test_read_errors_are_findings_and_other_entries_are_checked(isolated, tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text("@article{a, title = {Unclosed\n\n@book{b, title = {Fine}, isbn = "
                    "{5-02-003705-3}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--only", "identifiers"])
    assert result.exit_code == 1
    assert "identifier.invalid-isbn" in result.stdout
    assert "error" in result.stdout.splitlines()[0]


def test_missing_file_and_usage_errors(isolated):
    result = CliRunner().invoke(app, ["check", "nowhere.bib"])
    assert result.exit_code == 1 and "no such file: nowhere.bib" in result.stdout
    assert CliRunner().invoke(app, ["check"]).exit_code == 2
    result = CliRunner().invoke(app, ["check", "x.bib", "--format", "xml"])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["check", "x.bib", "--skip", "duplicate"])
    assert result.exit_code == 2 and "did you mean 'duplicates'" in result.stderr


def test_list_names_every_check():
    result = CliRunner().invoke(app, ["check", "--list"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == [c.name for c in available_checks()]
    assert {"identifiers", "required-fields", "urls", "lookalikes", "duplicates",
            "journals", "licences"} <= set(names)


def test_every_check_has_a_description_and_a_docstring():
    for check in available_checks():
        assert check.description and check.run.__doc__, check.name


# -- units ----------------------------------------------------------------------------------------
def test_style_requirements_follow_aliases_and_prefixes():
    assert style_requirements("gost")[0] == "gost-r-7-0-5-2008"
    assert style_requirements("gost-r-7-0-5-2008-numeric")[0] == "gost-r-7-0-5-2008"
    assert style_requirements("/tmp/my/apa.csl")[0] == "apa"
    assert style_requirements("nature")[0] == "default"
    table = style_requirements("gost")[1]
    assert ["accessed"] in table["webpage"] and ["URL"] in table["webpage"]


def test_required_fields_for_a_gost_book():
    ref = Reference("b", "book", fields={"title": "Ядерные реакторы", "publisher": "Наука"},
                    dates={"issued": Date(parts=((2015,),))})
    report = run_checks(Library([ref]), CheckContext(style="gost"), only=["required-fields"])
    assert [p.message for p in report] == [
        "missing publisher-place (gost-r-7-0-5-2008 needs it for type book)"]
    report = run_checks(Library([ref.copy()]), CheckContext(), only=["required-fields"])
    assert not report


def test_empty_url_label_in_a_note():
    ref = Reference("a", "webpage", fields={"title": "T", "URL": "https://example.org/x",
                                            "note": "6 September // Rossiyskaya Gazeta. URL: "
                                                    "(accessed: 21 July 2018)"})
    report = run_checks(Library([ref]), only=["urls"])
    assert [p.code for p in report] == ["url.empty"]


@pytest.mark.parametrize("text", ["Россия и Япония", "Russia and Japan", "IP-адрес", "СССР",
                                  "Windows-приложение", "Yu. Batin, С. 12"])
def test_clean_text_has_no_lookalikes(text):
    assert lookalike_words(text) == []


@pytest.mark.parametrize("text, expected", [
    # Real cases from the russian-references lists (Cyrillic letters written as escapes).
    ("\u041coscow: Energoatomizdat Publ., 1987", [("\u041coscow", "Moscow", False)]),
    ("\u0432 \u0425\u0425I \u0432.", [("\u0425\u0425I", "XXI", False)]),
    (("\u043c\u0430\u0442\u0435\u043c\u0430\u0442\u0438\u043a\u0438. \u2013 M.: "
     "\u041d\u0430\u0443\u043a\u0430, 1966"), [("M", "\u041c", True)]),
    (("\u0442\u0435\u043c\u043f\u0435\u0440\u0430\u0442\u0443\u0440, \u2013 2010. "
     "\u2013 T. 48. \u2013 \u21162. \u2013 \u0421. 90-98."), [("T", "\u0422", True)]),
    ("\u043f\u0440\u0438 298 \u2013 573 K. // \u0422\u0435\u043f\u043b\u043e", []),
    (("\u0414\u043e\u043a\u043b\u0430\u0434 \u043d\u0430 X \u041c\u0435\u0436\u0434"
     "\u0443\u043d\u0430\u0440\u043e\u0434\u043d\u043e\u0439"), []),
])
def test_real_lookalikes(text, expected):
    assert lookalike_words(text) == expected


@given(st.text(alphabet="абвгдежзиклмнопрстуфхцчшщыэюя", min_size=2, max_size=12),
       st.data())
def test_any_latin_lookalike_inside_a_russian_word_is_found(word, data):
    to_latin = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y"}
    positions = [i for i, ch in enumerate(word) if ch in to_latin]
    if not positions or len(positions) * 2 >= len(word):
        return
    i = data.draw(st.sampled_from(positions))
    broken = word[:i] + to_latin[word[i]] + word[i + 1:]
    found = lookalike_words(f"статья {broken} здесь")
    assert found == [(broken, word, False)]


def test_romanisation_check_flags_the_title_romanised_otherwise(tmp_path: Path) -> None:
    from transcite.check import CheckContext, run_checks
    from transcite.readers import read

    lines = [
        "Ivanov I.I. Rossijskaya nacional'naya biblioteka otsenennykh dannykh [Russian library]."
        " Moscow, Nauka Publ., 2001. (In Russ.)",
        "Petrov P.P. Yadernyi reaktor bystrogo deistviya [Fast reactor]. Moscow, Nauka Publ., "
        "2002. (In Russ.)",
        "Sidorov S.S. Tyazhelyi teplonositel' dlya reaktorov [Heavy coolant]. Moscow, Nauka "
        "Publ., 2003. (In Russ.)",
        "Kozlov K.K. Rossiiskii yadernyi zhurnal i ego istoriya [Russian nuclear journal]. "
        "Moscow, Nauka Publ., 2004. (In Russ.)",
    ]
    path = tmp_path / "list.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx = CheckContext()
    run_checks(read(path), ctx, only=["romanisation"])
    [finding] = [p for p in ctx.report if p.code == "romanisation.inconsistent"]
    assert finding.line == 1 and "fit bsi" in finding.message
