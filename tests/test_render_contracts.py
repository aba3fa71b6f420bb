"""The renderer's side of the shared contracts: the et-al marker prints as the style's term,
nothing renders blank, the References view numbers and cites like the original list."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import transcite
from transcite.model import Date, Library, Name, Origin, Reference
from transcite.render.engine import Engine
from transcite.render.lists import format_library

EXAMPLE = Path(__file__).resolve().parents[1] / "references" / "examples" / "russia-japan.bib"
OTHERS = Name(literal="others")


def _article(names: list[Name], lang: str = "ru") -> Library:
    return Library([Reference("a", "article-journal", fields={
        "title": "Статья", "container-title": "Журнал", "issue": "2", "language": lang},
        names={"author": names}, dates={"issued": Date(((2011,),))})])


@pytest.mark.parametrize(("style", "want"), [
    ("gost-r-7-0-5-2008-numeric", "1. Иванов И. И., Петров П. П. и др. Статья"),
    ("gost-r-7-0-100-2018-numeric", "/ И. И. Иванов, П. П. Петров [и др.] //"),
    ("apa", "Иванов, И. И., Петров, П. П., et al."),
])
def test_et_al_marker_prints_the_styles_term(style: str, want: str) -> None:
    """A list the source ended with "и др." keeps it, in the style's own words."""
    lib = _article([Name("Иванов", "И. И."), Name("Петров", "П. П."), OTHERS])
    text = format_library(lib, style=style).lists[0].entries[0].text
    assert want in text
    assert "others" not in text


def test_et_al_marker_from_bibtex_reaches_both_lists(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, author = {Иванов, И. И. and others}, title = {Статья},\n"
                   "  journal = {Журнал}, year = {2011}, langid = {russian}}\n", encoding="utf-8")
    result = format_library(transcite.read(bib), profile="scopus")
    original, references = (lst.entries[0].text for lst in result.lists)
    assert original.startswith("1. Иванов И. И. и др. Статья")
    assert references.startswith("1. Ivanov I.I. et al. Stat’ya.")


def test_marker_alone_is_no_name_and_does_not_count_as_one() -> None:
    lib = _article([OTHERS])
    text = format_library(lib, style="gost-r-7-0-5-2008-numeric").lists[0].entries[0].text
    assert text == "1. Статья // Журнал. 2011. № 2."


def test_unparsed_line_prints_as_written_and_is_reported() -> None:
    raw = "Интернет-ресурс: www.nndc.bnl.gov/exfor/endf00.jsp"
    ref = Reference("line7", "document", fields={"note": raw},
                    origin=Origin("refs.txt", 7, "text", raw))
    for style in ("gost-r-7-0-5-2008-numeric", "gost-r-7-0-100-2018-author-year", "apa"):
        result = format_library(Library([ref]), style=style)
        [entry] = result.lists[0].entries
        assert entry.text.endswith(raw)
        [problem] = [p for p in result.report if p.code == "render.as-written"]
        assert (problem.file, problem.line, problem.item) == ("refs.txt", 7, "line7")


def test_an_entry_the_style_leaves_empty_prints_the_reference(tmp_path: Path) -> None:
    style = tmp_path / "titles.csl"
    style.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
        '<info><title>t</title><id>t</id><updated>2024-01-01T00:00:00Z</updated></info>'
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography><layout><text variable="citation-number" suffix=". "/>'
        '<text variable="title"/></layout></bibliography></style>', encoding="utf-8")
    refs = [Reference("t", "book", fields={"title": "Книга"}),
            Reference("p", "patent", fields={"number": "2499307", "authority": "RU"},
                      names={"author": [Name("Аминов", "Р. З.")]})]
    result = format_library(Library(refs), style=str(style), order="input")
    texts = [e.text for e in result.lists[0].entries]
    assert texts == ["1. Книга", "2. Аминов, Р. З. 2499307"]
    assert [p.item for p in result.report if p.code == "render.blank"] == ["p"]


def test_every_reference_of_a_long_real_list_has_text() -> None:
    lib = transcite.read(EXAMPLE)
    for style in ("gost-r-7-0-5-2008", "gost-r-7-0-100-2018-numeric-dots"):
        entries = format_library(lib, style=style).lists[0].entries
        assert len(entries) == len(lib)
        assert all(len(e.text) > 8 for e in entries)


def test_references_view_is_numbered_like_the_original_list() -> None:
    lib = transcite.read(EXAMPLE)
    dual = format_library(lib, profile="scopus", sort="cyrillic-first")
    alone = format_library(lib, profile="scopus", view="references", sort="cyrillic-first")
    assert [e.id for e in alone.lists[0].entries] == [e.id for e in dual.lists[0].entries]
    assert alone.lists[0].entries[0].text.startswith("1. Batin Yu.")


@pytest.mark.parametrize("style", ["transcite-references", "transcite-references-npe",
                                   "transcite-references-author-date"])
def test_references_citations_keep_their_locators(style: str) -> None:
    items = [{"id": "b", "type": "book", "title": "Kniga", "issued": {"date-parts": [[2017]]},
              "author": [{"family": "Batin", "given": "Yu."}]}]
    [cite] = Engine.create(style).citations([[{"id": "b", "locator": "3", "label": "page"}]],
                                            items)
    assert "3" in cite and cite != Engine.create(style).citations([[{"id": "b"}]], items)[0]


def test_references_view_gives_initials_made_from_the_cyrillic() -> None:
    lib = _article([Name("Батин", "Юрий Петрович"), Name("Щукин", "Жан-Поль")])
    refs = format_library(lib, profile="scopus", view="references").lists[0]
    assert refs.entries[0].text.startswith("1. Batin Yu.P., Shchukin Zh.-P. Stat’ya.")


def test_author_date_references_start_a_work_without_author_with_its_title() -> None:
    lib = transcite.read(EXAMPLE)
    refs = format_library(lib, profile="rjr", view="references").lists[0]
    tass = next(e.text for e in refs.entries if e.id == "TASS2016")
    assert tass.startswith("Putin: Rossiya solidarna") and "(2016)" in tass


def test_example_library_defects_are_gone() -> None:
    lib = transcite.read(EXAMPLE)
    gost = {e.id: e.text for e in format_library(lib, style="gost").lists[0].entries}
    assert gost["Nelidov2019"].endswith("Нелидов. 2019.")
    # the site (read as the page's container since the exports issue), its date and the access
    # date all print
    assert "// Эхо Москвы. 2017. 14 янв. (дата обращения: 21.07.2018)" in gost["Inozemtsev2017"]
    assert "Т. 1, № 1. С. 110–119." in gost["Streltsov2018"]
    scopus = format_library(lib, profile="scopus").lists[0]
    streltsov = next(e.text for e in scopus.entries if e.id == "Streltsov2018")
    assert "Vol. 1, no. 1. P. 110–119." in streltsov


def test_a_writing_tools_bibliography_has_no_blank_entry() -> None:
    raw = "Архивный фонд ФЭИ, инв. № 224/02.02"
    lib = Library([Reference("raw", "document", fields={"note": raw}),
                   Reference("b", "book", fields={"title": "Книга"})])
    doc = transcite.Session(lib, style="apa")
    doc.cite(["raw", "b"])
    assert raw in doc.bibliography()
    assert [p.code for p in doc.report] == ["render.as-written"]


def test_references_view_stays_english_in_a_russian_document() -> None:
    lib = transcite.read(EXAMPLE)
    refs = format_library(lib, profile="scopus", view="references", locale="ru-RU").lists[0]
    batin = next(e.text for e in refs.entries if e.id == "Batin2017")
    assert batin.endswith("Rossiyskaya Gazeta, 2017, 6 September. (In Russ.)")


@pytest.mark.parametrize(("output", "want"), [
    ("html", '<div class="csl-left-margin">2. </div><div class="csl-right-inline">'
             "Фонд &lt;ФЭИ&gt; &amp; инв_1</div>"),
    ("markdown", r"2. Фонд \<ФЭИ\> & инв\_1"),
    ("text", "2. Фонд <ФЭИ> & инв_1"),
])
def test_a_line_printed_as_written_is_escaped_for_the_output(output: str, want: str) -> None:
    raw = "Фонд <ФЭИ> & инв_1"
    lib = Library([Reference("b", "book", fields={"title": "Книга"}),
                   Reference("raw", "document", fields={"note": raw})])
    entries = format_library(lib, style="gost-numeric", output=output, order="input")
    assert entries.lists[0].entries[1].text == want


_TYPES = ["book", "article-journal", "chapter", "paper-conference", "thesis", "report",
          "standard", "legislation", "patent", "webpage", "software", "dataset", "document",
          "no-such-type"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(_TYPES),
       fields=st.dictionaries(st.sampled_from(["title", "container-title", "note", "number",
                                               "publisher", "genre", "URL", "page"]),
                              st.text(min_size=0, max_size=30), max_size=4),
       family=st.text(max_size=12))
def test_no_reference_renders_blank_whatever_it_holds(kind: str, fields: dict[str, str],
                                                      family: str) -> None:
    names = {"author": [Name(family, "И.")]} if family.strip() else {}
    ref = Reference("x", kind, fields={k: v for k, v in fields.items() if v}, names=names)
    for style in ("gost-r-7-0-5-2008-numeric", "gost-r-7-0-100-2018-author-year"):
        [entry] = format_library(Library([ref]), style=style).lists[0].entries
        body = entry.text.split(" ", 1)[1] if " " in entry.text else ""
        assert body.strip(" ."), entry.text
