"""Qualified editorship ("под общей редакцией"): kept by the parser, taken into the role word
by the engine, and only where the table says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import transcite
from transcite.render.csl import roles
from transcite.render.lists import format_library
from transcite.resources import DataError


def _book(**custom: Any) -> list[dict[str, Any]]:
    item: dict[str, Any] = {
        "id": "b", "type": "book", "language": "ru", "title": "Основы энергетики",
        "editor": [{"family": "Трухний", "given": "А. Д."}], "publisher": "МЭИ",
        "publisher-place": "М.", "issued": {"date-parts": [[2010]]}}
    if custom:
        item["custom"] = custom
    return [item]


def _library(items: list[dict[str, Any]]) -> transcite.Library:
    return transcite.read_string(json.dumps(items, ensure_ascii=False), "csl-json")


def _entry(items: list[dict[str, Any]], style: str) -> str:
    return format_library(_library(items), style=style, order="input").lists[0].entries[0].text


@pytest.mark.parametrize(("qualifier", "words"), [("general", "под общ. ред."),
                                                  ("scientific", "под науч. ред.")])
def test_the_qualifier_goes_into_the_gost_role_word(qualifier: str, words: str) -> None:
    text = _entry(_book(**{"role-qualifiers": {"editor": qualifier}}),
                  "gost-r-7-0-5-2008-numeric")
    assert f"/ {words} А. Д. Трухния." in text


def test_no_qualifier_and_unknown_qualifiers_print_the_style_s_word() -> None:
    plain = _entry(_book(), "gost-r-7-0-5-2008-numeric")
    assert "/ под ред. А. Д. Трухния." in plain
    odd = _entry(_book(**{"role-qualifiers": {"editor": "honorary"}}), "gost-r-7-0-5-2008-numeric")
    assert odd == plain


def test_a_language_the_table_does_not_list_keeps_its_word() -> None:
    assert roles.qualified("ed. by", "general", "en-US") == "ed. by"
    assert roles.qualified("под редакцией", "general", "ru-RU") == "под общей редакцией"
    # a word that only begins like a listed one is not touched
    assert roles.qualified("редакционный совет", "general", "ru-RU") == "редакционный совет"


def test_a_malformed_table_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    roles._table.cache_clear()
    monkeypatch.setattr(roles, "load_data", lambda name: {"general": {"ru": [["ред."]]}})
    try:
        with pytest.raises(DataError, match="csl-role-qualifiers.json: general/ru"):
            roles.qualified("под ред.", "general", "ru-RU")
    finally:
        roles._table.cache_clear()


@pytest.mark.parametrize(("fmt", "suffix"), [("bibtex", "bib"), ("biblatex", "bib"), ("ris", "ris"),
                                           ("csl-yaml", "yaml"), ("csl-json", "json")])
def test_the_qualifier_survives_a_round_trip(fmt: str, suffix: str, tmp_path: Path) -> None:
    library = _library(_book(**{"role-qualifiers": {"editor": "general"}}))
    path = tmp_path / f"out.{suffix}"
    transcite.write(library, path, fmt)
    [ref] = transcite.read(path, fmt)
    assert ref.extra.get("role-qualifiers") == {"editor": "general"}
    entry = format_library(transcite.Library([ref]), style="gost-r-7-0-5-2008-numeric")
    assert "под общ. ред." in entry.lists[0].entries[0].text
