"""``transcite check`` looks for look-alike letters inside style and locale files: a Latin "C."
printed for "С." in a Russian list is the kind of mistake check exists to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from transcite.check import lint_style_text
from transcite.cli import app
from transcite.resources import shipped_dir

SHIPPED = sorted([*(shipped_dir("styles") / "csl").glob("*.csl"),
                  *(shipped_dir("styles") / "locales").glob("*.xml")])

BAD = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="ru-RU">
  <info><title>bad</title><id>bad</id><updated>2024-01-01T00:00:00Z</updated></info>
  <locale xml:lang="en">
    <terms><term name="page" form="short">p.</term></terms>
  </locale>
  <locale xml:lang="ru">
    <terms><term name="editor" form="verb-short">пoд ред.</term></terms>
  </locale>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout>
      <text variable="number-of-pages" suffix=" c."/>
      <text variable="page" prefix="C. "/>
      <text value="op. cit."/>
    </layout>
  </bibliography>
</style>
"""


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_styles_and_locales_have_no_lookalikes(path: Path) -> None:
    assert lint_style_text(str(path)) == []


def test_latin_letters_in_russian_text_are_found_with_their_lines(tmp_path: Path) -> None:
    style = tmp_path / "bad.csl"
    style.write_text(BAD, encoding="utf-8")
    found = lint_style_text(str(style))
    assert [line for line, _ in found] == [9, 14, 15]
    assert "'пoд' mixes Latin and Cyrillic letters; did you mean 'под'?" in found[0][1]
    assert "did you mean 'с.'?" in found[1][1] and "did you mean 'С.'?" in found[2][1]


def test_english_text_is_left_alone(tmp_path: Path) -> None:
    style = tmp_path / "en.csl"
    style.write_text(BAD.replace('default-locale="ru-RU"', 'default-locale="en-US"')
                     .replace("пoд ред.", "под ред."), encoding="utf-8")
    assert lint_style_text(str(style)) == []


def test_check_reports_the_style_it_is_given(tmp_path: Path) -> None:
    style = tmp_path / "bad.csl"
    style.write_text(BAD, encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{a, author = {Иванов, И.}, title = {Книга}, publisher = {Наука},\n"
                   "  address = {М.}, year = {2015}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(bib), "--style", str(style),
                                      "--only", "style-lookalikes"])
    assert result.exit_code == 1
    assert f"{style}:15:" in result.stdout and "style.lookalike" in result.stdout
    clean = CliRunner().invoke(app, ["check", str(bib), "--style", "gost",
                                     "--only", "style-lookalikes"])
    assert clean.exit_code == 0, clean.stdout
