"""What each export holds, field by field, for the conventions its consumers follow (biber's data
model, BibTeX's macros, the RIS spec as Zotero reads it, pandoc's Markdown, citeproc-js's
multilingual tags, Word's Sources.xml) - and that transcite reads all of it back."""

from __future__ import annotations

import json
import re
import string

import pytest
from _canon import canon
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcite.model import Date, Form, Library, Name, NameVariant, Reference, Variant
from transcite.readers import read_string
from transcite.writers import dumps
from transcite.writers.word import tables as word_tables

READERS = {"csl-json": "csl-json", "csl-yaml": "csl-yaml", "biblatex": "bibtex",
           "bibtex": "bibtex", "ris": "ris", "word": "word"}


def _back(refs: list[Reference], fmt: str) -> Library:
    lib = read_string(dumps(refs, fmt), READERS[fmt])
    assert not lib.report.has_errors, [str(p) for p in lib.report]
    return lib


def _fields(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+)\s+= (.*?),?$", text, re.M))


def _all(text: str, key: str) -> list[str]:
    return [v for k, v in re.findall(r"^\s+(\S+)\s+= (.*?),?$", text, re.M) if k == key]


# -- BibLaTeX ---------------------------------------------------------------------------------

def test_web_page_site_goes_to_organization_not_publisher_or_booktitle() -> None:
    ref = Reference("echo", "webpage", fields={"title": "Китай", "container-title": "Эхо Москвы",
                                               "URL": "https://echo.msk.ru/1", "language": "ru"})
    text = dumps([ref], "biblatex")
    assert text.startswith("@online{echo,")
    fields = _fields(text)
    assert fields["organization"] == "{Эхо Москвы}"
    assert "publisher" not in fields and "booktitle" not in fields
    assert canon(_back([ref], "biblatex")["echo"]) == canon(ref)


def test_web_page_with_owner_and_site_keeps_both() -> None:
    ref = Reference("w", "webpage", fields={"title": "T", "container-title": "Site and Co",
                                            "publisher": "Owner"})
    assert _fields(dumps([ref], "biblatex"))["organization"] == "{{Site and Co} and Owner}"
    assert canon(_back([ref], "biblatex")["w"]) == canon(ref)


def test_types_biber_gives_no_fields_are_misc_with_their_csl_type() -> None:
    ref = Reference("law", "legislation", fields={"title": "О недрах", "number": "2395-1",
                                                  "genre": "Закон РФ"},
                    dates={"issued": Date(parts=((1992, 2, 21),))})
    text = dumps([ref], "biblatex")
    assert text.startswith("@misc{law,")
    assert _fields(text)["entrysubtype"] == "{legislation}"
    assert "csltype" not in text
    assert canon(_back([ref], "biblatex")["law"]) == canon(ref)


def test_literal_date_is_pubstate_which_biblatex_prints() -> None:
    refs = [Reference("a", "article-journal", fields={"title": "T"},
                      dates={"issued": Date(literal="в печати")}),
            Reference("b", "article-journal", fields={"title": "T"},
                      dates={"issued": Date(literal="in press")})]
    text = dumps(refs, "biblatex")
    assert _all(text, "pubstate") == ["{в печати}", "{inpress}"]
    assert "date" not in _fields(text)
    back = _back(refs, "biblatex")
    assert [canon(r) for r in back] == [canon(r) for r in refs]


def test_theses_and_reports_by_entry_type_so_styles_translate_them() -> None:
    refs = [Reference("phd", "thesis", fields={"title": "T", "genre": "PhD thesis",
                                               "publisher": "MSU"}),
            Reference("ma", "thesis", fields={"title": "T", "genre": "Master's thesis"}),
            Reference("ru", "thesis", fields={"title": "T", "genre": "дис. ... канд. техн. наук"}),
            Reference("tr", "report", fields={"title": "T", "number": "17"}),
            Reference("pre", "report", fields={"title": "T", "genre": "препринт"})]
    text = dumps(refs, "biblatex")
    assert "@phdthesis{phd," in text and "@mastersthesis{ma," in text
    assert "@thesis{ru," in text and "{дис. ... канд. техн. наук}" in _all(text, "type")
    assert "@techreport{tr," in text and "@report{pre," in text
    assert "PhD thesis" not in text
    back = _back(refs, "biblatex")
    assert [canon(r) for r in back] == [canon(r) for r in refs]


def test_thesis_type_keys_of_biblatex_are_read_as_words() -> None:
    lib = read_string("@thesis{a, title={T}, type={phdthesis}}\n"
                      "@report{b, title={T}, type={techreport}}\n", "bibtex")
    assert lib["a"].fields["genre"] == "PhD thesis"
    assert "genre" not in lib["b"].fields


def test_particles_carry_useprefix() -> None:
    waals = Reference("w", "book", fields={"title": "T"}, names={"author": [
        Name("Waals", "J. D.", non_dropping_particle="van der")]})
    ludwig = Reference("b", "book", fields={"title": "T"}, names={"author": [
        Name("Beethoven", "Ludwig", dropping_particle="van")]})
    text = dumps([waals, ludwig], "biblatex")
    assert _all(text, "author") == ["{van der Waals, J. D.}", "{van Beethoven, Ludwig}"]
    assert _all(text, "options") == ["{useprefix=true}", "{useprefix=false}"]
    assert "Ludwig van" not in text
    back = _back([waals, ludwig], "biblatex")
    assert back["b"].names["author"][0].dropping_particle == "van"
    assert back["w"].names["author"][0].non_dropping_particle == "van der"
    assert "options" not in back["w"].extra


def test_capitalised_particle_stays_a_particle() -> None:
    ref = Reference("g", "book", fields={"title": "T"}, names={"author": [
        Name("Gaulle", "Charles", non_dropping_particle="De")]})
    text = dumps([ref], "biblatex")
    assert r"{\relax De} Gaulle, Charles" in text
    assert canon(_back([ref], "biblatex")["g"]) == canon(ref)


def test_titles_from_csl_are_protected_against_sentence_casing() -> None:
    ref = Reference("p", "article-journal",
                    fields={"title": "Russian sanctions and C# in NASA's <i>Mars</i> work",
                            "container-title": "Journal of Testing"})
    fields = _fields(dumps([ref], "biblatex"))
    assert fields["title"] == ("{Russian sanctions and {{C\\#}} in {{NASA's}} "
                               "\\emph{{{Mars}}} work}")
    assert fields["journaltitle"] == "{Journal of Testing}"  # not sentence-cased by anyone
    assert canon(_back([ref], "biblatex")["p"]) == canon(ref)


def test_titles_in_other_languages_are_left_alone_and_bibtex_braces_come_back() -> None:
    ru = Reference("r", "book", fields={"title": "Россия и Япония", "language": "ru"})
    assert "{{" not in dumps([ru], "biblatex")
    bib = read_string("@book{b, title={Russian {Relations}: a study}}", "bibtex")
    text = dumps(bib, "biblatex")
    assert _fields(text)["title"] == "{Russian {Relations}: {{a}} study}"
    again = read_string(text, "bibtex")
    assert again["b"].fields["title"] == bib["b"].fields["title"]


def test_translation_is_not_printed_in_the_russian_list() -> None:
    ref = Reference("t", "book", fields={"title": "Очерки", "language": "ru"})
    ref.add_variant("title", Variant("Essays", Form.TRANSLATED, "en"))
    text = dumps([ref], "biblatex")
    assert "titleaddon" not in text and _fields(text)["title_translated_english"] == "{Essays}"
    assert canon(_back([ref], "biblatex")["t"]) == canon(ref)


def test_language_beside_langid_for_zotero() -> None:
    ref = Reference("l", "book", fields={"title": "T", "language": "ru"})
    for fmt in ("biblatex", "bibtex"):
        fields = _fields(dumps([ref], fmt))
        assert fields["langid"] == "{russian}" and fields["language"] == "{russian}"
        assert canon(_back([ref], fmt)["l"]) == canon(ref)


def test_et_al_is_and_others_in_bibtex() -> None:
    ref = Reference("e", "book", fields={"title": "T"},
                    names={"author": [Name("Иванов", "И."), Name(literal="others")]})
    assert _fields(dumps([ref], "bibtex"))["author"] == "{Иванов, И. and others}"
    assert canon(_back([ref], "bibtex")["e"]) == canon(ref)


# -- classic BibTeX ---------------------------------------------------------------------------

def test_bibtex_month_is_the_month_macro() -> None:
    ref = Reference("m", "article-journal", fields={"title": "T"},
                    dates={"issued": Date(parts=((2016, 9),))})
    text = dumps([ref], "bibtex")
    assert _fields(text)["month"] == "sep"
    assert canon(_back([ref], "bibtex")["m"]) == canon(ref)


def test_bibtex_same_year_range_is_one_year() -> None:
    ref = Reference("r", "article-journal", fields={"title": "T"},
                    dates={"issued": Date(parts=((2020, 1), (2020, 3)))})
    fields = _fields(dumps([ref], "bibtex"))
    assert fields["year"] == "{2020}" and "2020--2020" not in fields["year"]
    assert canon(_back([ref], "bibtex")["r"]) == canon(ref)


def test_bibtex_web_page_is_online_without_private_fields() -> None:
    ref = Reference("w", "webpage", fields={"title": "T", "container-title": "ТАСС",
                                            "URL": "https://tass.ru"})
    text = dumps([ref], "bibtex")
    assert text.startswith("@online{w,") and "csltype" not in text
    assert canon(_back([ref], "bibtex")["w"]) == canon(ref)


def test_bibtex_keys_differing_only_in_case_do_not_collide() -> None:
    refs = [Reference("smith2000", "book", fields={"title": "A"}),
            Reference("Smith2000", "book", fields={"title": "B"})]
    text = dumps(refs, "bibtex")
    keys = re.findall(r"^@\w+\{([^,]+),", text, re.M)
    assert len({k.lower() for k in keys}) == 2
    assert _back(refs, "bibtex").ids == ["smith2000", "Smith2000"]


# -- RIS --------------------------------------------------------------------------------------

def _ris_tags(text: str) -> list[tuple[str, str]]:
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines), "untagged line"
    return [(line[:2], line[6:]) for line in lines]


def test_ris_line_breaks_stay_in_one_line() -> None:
    ref = Reference("a", "article-journal", fields={"title": "T", "abstract": "One.\n\nTwo.",
                                                    "note": "first\nsecond"})
    tags = _ris_tags(dumps([ref], "ris"))
    assert ("N1", "<p>first<br/>second</p>") in tags
    assert canon(_back([ref], "ris")["a"]) == canon(ref)


def test_ris_editors_by_record_type() -> None:
    book = Reference("b", "book", fields={"title": "T"},
                     names={"editor": [Name("Ed", "A.")],
                            "collection-editor": [Name("Series", "S.")]})
    chapter = Reference("c", "chapter", fields={"title": "T", "container-title": "B"},
                        names={"editor": [Name("Ed", "A.")]})
    tags = _ris_tags(dumps([book, chapter], "ris"))
    assert ("A3", "Ed, A.") in tags[:6] and ("A2", "Series, S.") in tags[:6]
    assert ("A2", "Ed, A.") in tags[6:]
    back = _back([book, chapter], "ris")
    assert [canon(r) for r in back] == [canon(book), canon(chapter)]


def test_ris_conference_paper_proceedings_and_report_number() -> None:
    paper = Reference("p", "paper-conference", fields={
        "title": "T", "container-title": "Труды конференции", "event-title": "Конф-2020"})
    report = Reference("r", "report", fields={"title": "T", "number": "17-44"})
    tags = _ris_tags(dumps([paper, report], "ris"))
    assert ("C3", "Труды конференции") in tags and ("T2", "Конф-2020") in tags
    assert ("SN", "17-44") in tags and not any(t == "M1" for t, _ in tags)
    back = _back([paper, report], "ris")
    assert [canon(r) for r in back] == [canon(paper), canon(report)]


def test_ris_tags_are_plain_text_and_markup_comes_back() -> None:
    ref = Reference("n", "article-journal",
                    fields={"title": 'Data from <span class="nocase">NASA</span> <i>in situ</i>'})
    tags = _ris_tags(dumps([ref], "ris"))
    assert ("TI", "Data from NASA in situ") in tags
    assert canon(_back([ref], "ris")["n"]) == canon(ref)


def test_ris_one_note_for_everything_without_a_tag() -> None:
    ref = Reference("v", "book", fields={"title": "Очерки", "language": "ru", "status": "x"},
                    names={"author": [Name("Иванов", "И."), Name(literal="others")]},
                    extra={"file": "a.pdf"})
    ref.add_variant("title", Variant("Ocherki", Form.ROMANISED, "ru", "bsi"))
    tags = _ris_tags(dumps([ref], "ris"))
    notes = [v for t, v in tags if t == "N1"]
    assert len(notes) == 1 and "et-al: author" in notes[0]
    assert ("AU", "others") not in tags and not any("others" in v for t, v in tags
                                                    if t == "AU")
    assert canon(_back([ref], "ris")["v"]) == canon(ref)


def test_records_without_keys_get_ascii_keys() -> None:
    lib = read_string("TY  - BOOK\nAU  - Аверьянова, Т. В.\nTI  - Книга\nPY  - 2010\nER  - \n",
                      "ris")
    assert lib.ids == ["averyanova2010"]
    js = read_string('[{"type": "book", "author": [{"family": "Аверьянова"}], '
                     '"issued": {"date-parts": [[2010]]}}]', "csl-json")
    assert js.ids == ["averyanova2010"]


# -- CSL-JSON and CSL-YAML ----------------------------------------------------------------------

def test_csl_json_et_al_is_no_person_and_comes_back() -> None:
    ref = Reference("e", "book", fields={"title": "T"},
                    names={"author": [Name("Иванов", "И."), Name(literal="others")]})
    item = json.loads(dumps([ref], "csl-json"))[0]
    assert item["author"] == [{"family": "Иванов", "given": "И."}]
    assert item["custom"] == {"et-al": ["author"]}
    assert canon(_back([ref], "csl-json")["e"]) == canon(ref)


def test_citation_key_of_zotero_is_the_id_and_round_trips() -> None:
    text = ('[{"id": "http://zotero.org/users/123/items/ABCD1234", "citation-key": "ivanov2015",'
            ' "type": "book", "title": "T"}]')
    lib = read_string(text, "csl-json")
    assert lib.ids == ["ivanov2015"]
    item = json.loads(dumps(lib, "csl-json"))[0]
    assert item["id"] == "http://zotero.org/users/123/items/ABCD1234"
    assert item["citation-key"] == "ivanov2015"


def test_multi_has_a_plain_romanisation_tag_for_citeproc_js() -> None:
    ref = Reference("m", "book", fields={"title": "Очерки", "language": "ru"},
                    names={"author": [Name("Иванов", "И.", variants=[
                        NameVariant(Name("Ivanov", "I."), Form.ROMANISED, "ru", "bsi")])]})
    ref.add_variant("title", Variant("Ocherki", Form.ROMANISED, "ru", "bsi"))
    item = json.loads(dumps([ref], "csl-json"))[0]
    assert item["multi"]["_keys"]["title"] == {"ru-Latn-x-bsi": "Ocherki", "ru-Latn": "Ocherki"}
    assert item["author"][0]["multi"]["_key"]["ru-Latn"] == {"family": "Ivanov", "given": "I."}
    assert canon(_back([ref], "csl-json")["m"]) == canon(ref)


def test_csl_yaml_escapes_markdown() -> None:
    ref = Reference("y", "article-journal",
                    fields={"title": "# 2*3*4, H~2~O and <i>E. coli</i>", "note": "1. x"})
    text = dumps([ref], "csl-yaml")
    assert r"\# 2\*3\*4, H\~2\~O and *E. coli*" in text and r"1\. x" in text
    assert canon(_back([ref], "csl-yaml")["y"]) == canon(ref)


# -- Word --------------------------------------------------------------------------------------

def test_word_every_source_type_round_trips() -> None:
    t = word_tables()
    refs = [Reference(f"k{i}", csl, fields={"title": f"Заглавие {i}", "language": "ru",
                                            "publisher": "Наука", "container-title": "Журнал",
                                            "number": "5"},
                      names={"author": [Name("Иванов", "И. И.")]},
                      dates={"issued": Date(parts=((2015, 3, 2),))})
            for i, csl in enumerate(sorted(t["types_out"]))]
    text = dumps(refs, "word")
    kinds = set(re.findall(r"<b:SourceType>(\w+)</b:SourceType>", text))
    assert kinds == set(t["source_types"])
    assert "<b:LCID>1049</b:LCID>" in text and "<b:Last>Иванов</b:Last>" in text
    back = _back(refs, "word")
    assert [canon(r) for r in back] == [canon(r) for r in refs]


def test_word_lcid_per_source_and_corporate_authors() -> None:
    refs = [Reference("ru", "book", fields={"title": "Книга", "language": "ru"},
                      names={"author": [Name(literal="ТАСС")]}),
            Reference("en", "book", fields={"title": "Book", "language": "en-GB"})]
    text = dumps(refs, "word")
    assert "<b:LCID>1049</b:LCID>" in text and "<b:LCID>2057</b:LCID>" in text
    assert "<b:Corporate>ТАСС</b:Corporate>" in text
    assert [canon(r) for r in _back(refs, "word")] == [canon(r) for r in refs]


def test_word_reader_reports_broken_files() -> None:
    lib = read_string("<b:Sources xmlns:b='x'><b:Source>", "word", file="s.xml")
    assert lib.report.has_errors and len(lib) == 0
    lib = read_string("<html/>", "word", file="s.xml")
    assert [p.code for p in lib.report] == ["word.not-sources"]


# -- hostile text, every format ---------------------------------------------------------------

_hostile = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                   max_size=40).filter(lambda s: s.strip() == s and s.strip())
_word = st.text(alphabet=string.ascii_letters + "ёЁжЖ'-", min_size=1, max_size=8)


@st.composite
def _refs(draw: st.DrawFn) -> Reference:
    ref = Reference(draw(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}", fullmatch=True)),
                    draw(st.sampled_from(["book", "article-journal", "webpage", "report",
                                          "thesis", "legislation", "chapter"])))
    for var in draw(st.sets(st.sampled_from(["title", "container-title", "publisher", "note",
                                             "abstract"]), min_size=1)):
        ref.fields[var] = draw(_hostile)
    if draw(st.booleans()):
        ref.names["author"] = [Name(draw(_word), draw(st.sampled_from([None, "A.", "Ann"])))]
        if draw(st.booleans()):
            ref.names["author"].append(Name(literal="others"))
    ref.dates["issued"] = draw(st.sampled_from([Date(parts=((2001,),)),
                                                Date(parts=((2001, 2), (2001, 5))),
                                                Date(literal="n.d.")]))
    return ref


@pytest.mark.parametrize("fmt", ["ris", "csl-yaml", "word", "csl-json"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(refs=st.lists(_refs(), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_hostile_text_round_trips(fmt: str, refs: list[Reference]) -> None:
    back = _back(refs, fmt)
    assert [canon(r) for r in back] == [canon(r) for r in refs]
