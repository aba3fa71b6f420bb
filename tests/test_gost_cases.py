"""Editors and translators in the case the Russian role word governs ("под ред. П. Л.
Кириллова"), made for the rendering only: the library keeps the nominative, the References view
prints it, and a style that names the role in the nominative ("сост.", "(ред.)") keeps it."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transcite.model import Date, Library, Name, Reference
from transcite.render import cases
from transcite.render.engine import Engine
from transcite.render.lists import format_library
from transcite.render.project import genitive_roles


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(cases).failed == 0


@pytest.mark.parametrize(("family", "given", "want"), [
    ("Кириллов", "П. Л.", ("Кириллова", "П. Л.")),
    ("Иванова", "И. И.", ("Ивановой", "И. И.")),
    ("Поплавский", "В. М.", ("Поплавского", "В. М.")),
    ("Поплавская", "В. М.", ("Поплавской", "В. М.")),
    ("Толстой", "Л. Н.", ("Толстого", "Л. Н.")),
    ("Горький", "М.", ("Горького", "М.")),
    ("Гайдай", "Л. И.", ("Гайдая", "Л. И.")),
    ("Долежаль", "Н. А.", ("Долежаля", "Н. А.")),
    ("Глинка", "М. И.", ("Глинки", "М. И.")),
    ("Берия", "Л. П.", ("Берии", "Л. П.")),
    # the given name says who it is: a woman's consonant name does not decline
    ("Шмидт", "Анна", ("Шмидт", "Анны")),
    ("Шмидт", "Отто Юльевич", ("Шмидта", "Отто Юльевича")),
    ("Кириллов", "Пётр Леонидович", ("Кириллова", "Петра Леонидовича")),
    ("Иванова", "Мария Петровна", ("Ивановой", "Марии Петровны")),
    # indeclinable, foreign, odd: as written
    ("Шевченко", "Т. Г.", ("Шевченко", "Т. Г.")),
    ("Черных", "А. А.", ("Черных", "А. А.")),
    ("Дюма", "А.", ("Дюма", "А.")),
    ("Smith", "J.", ("Smith", "J.")),
    ("ИБРАЭ", None, ("ИБРАЭ", None)),
    ("Григорьева", "Под. ред. И.С.", ("Григорьева", "Под. ред. И.С.")),
])
def test_genitive_of_a_name(family: str, given: str | None, want: tuple[str, str | None]
                            ) -> None:
    got = cases.genitive_name(Name(family, given))
    assert (got.family, got.given) == want


def test_corporate_names_stay_as_written() -> None:
    name = Name(literal="Министерство энергетики")
    assert cases.genitive_name(name) is name


def _book() -> Library:
    return Library([Reference("b", "book", fields={
        "title": "Теплофизика", "publisher-place": "М.", "publisher": "Наука",
        "language": "ru"},
        names={"editor": [Name("Кириллов", "П. Л.")], "translator": [Name("Абрамова", "Н. А.")],
               "compiler": [Name("Петров", "И. В.")]},
        dates={"issued": Date(((2001,),))})])


def test_gost_declines_editors_and_translators_but_not_compilers() -> None:
    lib = _book()
    text = format_library(lib, style="gost-r-7-0-5-2008-numeric").lists[0].entries[0].text
    assert "под ред. П. Л. Кириллова" in text
    assert "пер. Н. А. Абрамовой" in text
    assert "сост. И. В. Петров" in text
    ref = next(iter(lib))
    assert ref.names["editor"][0].family == "Кириллов"          # the library is untouched


def test_the_references_view_keeps_the_nominative() -> None:
    out = format_library(_book(), profile="scopus", view="dual")
    original, references = (lst.entries[0].text for lst in out.lists)
    assert "П. Л. Кириллова" in original
    assert "Kirillov P.L." in references and "Kirillova" not in references


def test_english_terms_keep_the_nominative() -> None:
    """A Russian item rendered with English terms ("ed. by") keeps the names as stored."""
    text = format_library(_book(), style="gost-r-7-0-5-2008-numeric",
                          locale="en-US").lists[0].entries[0].text
    assert "ed. by П. Л. Кириллов ; transl. by Н. А. Абрамова ;" in text


def test_roles_follow_the_style_and_locale() -> None:
    """Only a verb term before the names that governs the genitive declines them: GOST's
    "под ред." and "пер." do, its "сост." and "отв. ред." do not, APA's "(ред.)" after the
    names does not, and nothing declines under an English locale."""
    gost = genitive_roles(Engine.create("gost-r-7-0-5-2008-numeric", "ru-RU").processor)
    assert {"editor", "translator", "collection-editor"} <= gost
    assert not gost & {"compiler", "editorial-director", "director"}
    assert genitive_roles(Engine.create("gost-r-7-0-5-2008-numeric", "en-US").processor) == set()
    assert "editor" not in genitive_roles(Engine.create("apa", "ru-RU").processor)


def test_governing_terms() -> None:
    assert all(cases.governs_genitive(t) for t in ("под ред.", "под общ. ред.", "пер.",
                                                   "перевод", "при участии", "под редакцией"))
    assert not any(cases.governs_genitive(t) for t in ("сост.", "ред.", "отв. ред.", "реж.",
                                                       "ed. by", "", None))


def test_the_writing_tool_api_declines_too() -> None:
    from transcite.api import Session

    text = Session(_book(), style="gost-r-7-0-100-2018-numeric").bibliography(keys=["b"])
    assert "под ред. П. Л. Кириллова ; пер. Н. А. Абрамовой ; сост. И. В. Петров" in text


@settings(max_examples=300, deadline=None)
@example("-Ёй", None)       # a stray hyphen before a short word (found in CI)
@given(st.text(alphabet="АаБбВвЕеИиЙйКкОоСсЫыЬьЯяЁё-. Zz", max_size=12),
       st.one_of(st.none(), st.text(alphabet="АаИиЯяЁё. -Zz", max_size=10)))
def test_any_name_declines_without_failing(family: str, given_name: str | None) -> None:
    """Whatever a library holds, declining gives a name (the same one when it cannot)."""
    got = cases.genitive_name(Name(family or None, given_name))
    assert isinstance(got, Name)
    if not family or not family[:1].isupper():
        assert (got.family, got.given) == (family or None, given_name)
