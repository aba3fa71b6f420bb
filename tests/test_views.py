"""Both lists from one library: the original list and the romanised References list, by
journal profile; parallel numbering; markers; Cyrillic rebuilt for romanised-only input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transcite.cli import app
from transcite.model import Date, Form, Library, Name, Reference, Variant, is_cyrillic
from transcite.readers import read
from transcite.render.lists import format_library

EXAMPLE = Path(__file__).resolve().parent.parent / "references" / "examples" / "russia-japan.bib"
runner = CliRunner()


@pytest.fixture(scope="module")
def example() -> Library:
    return read(EXAMPLE)


def test_dual_lists_are_parallel(example: Library) -> None:
    result = format_library(example, profile="scopus")
    original, references = result.lists
    assert (original.heading, references.heading) == ("Список литературы", "References")
    assert [e.id for e in original.entries] == [e.id for e in references.entries]
    for o, r in zip(original.entries, references.entries):
        assert o.text.split(".")[0] == r.text.split(".")[0]  # the same number


def test_references_entry_of_a_russian_source(example: Library) -> None:
    result = format_library(example, profile="scopus", view="references")
    batin = next(e.text for e in result.lists[0].entries if e.id == "Batin2017")
    # names by the user's romanisation, the title re-romanised from the Cyrillic by the
    # profile's scheme (the page printed a sloppy "postroity Most"), English in brackets
    assert "Batin Yu." in batin
    assert "Rossiya predlozhila Yaponii postroit" in batin and "postroity" not in batin
    assert "[Russia offers Japan to build Hokkaido-Sakhalin bridge]" in batin
    assert "Rossiyskaya Gazeta" in batin  # the user's own Latin name of the newspaper
    assert batin.endswith("(In Russ.)")
    assert not any(is_cyrillic(e.text) for e in result.lists[0].entries)


def test_english_sources_get_no_marker(example: Library) -> None:
    result = format_library(example, profile="scopus", view="references")
    streltsov = next(e.text for e in result.lists[0].entries if e.id == "Streltsov2018")
    assert "(In Russ.)" not in streltsov and "Russian Japanology Review" in streltsov


def test_romanised_view_has_no_translation_or_marker(example: Library) -> None:
    result = format_library(example, profile="scopus", view="romanised")
    batin = next(e.text for e in result.lists[0].entries if e.id == "Batin2017")
    assert "[" not in batin and "(In Russ.)" not in batin and "Batin Yu." in batin


def test_the_profile_chooses_the_scheme() -> None:
    lib = Library([Reference("a", "book", fields={
        "title": "Российский ядерный журнал", "publisher": "Наука",
        "publisher-place": "М.", "language": "ru"},
        names={"author": [Name("Щербаков", "Ю. А.")]}, dates={"issued": Date(((2001,),))})])
    bsi = format_library(lib, profile="scopus", view="romanised").lists[0].entries[0].text
    bgn = format_library(lib, profile="bgn-pcgn", view="romanised").lists[0].entries[0].text
    assert bsi == "1. Shcherbakov Yu.A. Rossiiskii yadernyi zhurnal. Moscow, Nauka Publ., 2001."
    assert bgn == "1. Shcherbakov Yu.A. Rossiyskiy yadernyy zhurnal. Moscow, Nauka Publ., 2001."


def test_missing_english_title_is_reported_by_item() -> None:
    lib = Library([Reference("noen", "book", fields={"title": "Книга", "language": "ru"},
                             dates={"issued": Date(((2001,),))})])
    result = format_library(lib, profile="scopus", view="references")
    [problem] = [p for p in result.report if p.code == "view.missing-translation"]
    assert problem.item == "noen"


def test_marker_before_the_final_stop_for_npe() -> None:
    lib = Library([Reference("a", "article-journal", fields={
        "title": "Статья", "container-title": "Атомная энергия", "volume": "3", "issue": "2",
        "page": "49-59", "language": "ru"}, names={"author": [Name("Иванов", "И. И.")]},
        dates={"issued": Date(((2015,),))})])
    lib["a"].add_variant("title", Variant("An article", Form.TRANSLATED, "en"))
    [entry] = format_library(lib, profile="npe", view="references").lists[0].entries
    assert entry.text.endswith("pp. 49–59 (in Russian).")
    assert "Ivanov I.I. An article. Atomnaya Energiya. 2015, v. 3, no. 2" in entry.text


def test_original_view_rebuilds_cyrillic_for_a_romanised_library() -> None:
    ref = Reference("k", "article-newspaper", fields={
        "title": "Sinzo Abe predlozhil Vladimiru Putinu podpisaty mirny dogovor",
        "container-title": "Kommersant", "language": "ru"}, dates={"issued": Date(((2016,),))})
    ref.add_variant("title", Variant(ref.fields["title"], Form.ROMANISED, "ru"))
    result = format_library(Library([ref]), profile="scopus", view="original")
    text = result.lists[0].entries[0].text
    assert "Синдзо Абэ предложил Владимиру Путину подписать мирный договор" in text


def test_cli_dual_view_prints_both_headed_lists() -> None:
    result = runner.invoke(app, ["format", str(EXAMPLE), "--profile", "scopus"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Список литературы\n1. ")
    assert "\n\nReferences\n1. " in out
    numbers = re.findall(r"^(\d+)\. ", out, flags=re.M)
    assert numbers == [str(n) for n in range(1, 10)] * 2


def test_cli_order_input_keeps_the_file_order_in_both_lists() -> None:
    result = runner.invoke(app, ["format", str(EXAMPLE), "--profile", "scopus",
                                 "--order", "input", "--view", "references"])
    first = result.stdout.splitlines()[0:2]  # one list: no heading
    assert first[0].startswith("1. Streltsov D.V. Russian-Japanese")
    assert first[1].startswith("2. Batin Yu.")
