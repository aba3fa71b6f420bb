"""Every reader x writer pair keeps every field of a shared fixture library.

tests/data/fixture/ holds one library written by hand in four formats (CSL-JSON, CSL-YAML,
BibTeX, RIS). Each is read, written in every format and read back; the result must equal the
library read from CSL-JSON. A hypothesis test does the same for generated references.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from _canon import canon
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcite.model import Date, Form, Library, Name, NameVariant, Reference, Variant
from transcite.readers import read, read_string
from transcite.writers import dumps

FIXTURE = Path(__file__).parent / "data" / "fixture"
SOURCES = {"csl-json": "library.json", "csl-yaml": "library.yaml", "bibtex": "library.bib",
           "ris": "library.ris"}
WRITERS = {"csl-json": "csl-json", "csl-yaml": "csl-yaml", "biblatex": "bibtex",
           "bibtex": "bibtex", "ris": "ris"}


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    lib = read(FIXTURE / "library.json")
    assert not lib.report.has_errors, list(lib.report)
    return {ref.id: canon(ref) for ref in lib}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_format_reads_the_same_library(source: str, expected: dict) -> None:
    lib = read(FIXTURE / SOURCES[source])
    assert not lib.report.has_errors, [str(p) for p in lib.report]
    assert lib.ids == list(expected)
    for ref in lib:
        assert canon(ref) == expected[ref.id], ref.id


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_reader_writer_pair_round_trips(source: str, writer: str, expected: dict) -> None:
    lib = read(FIXTURE / SOURCES[source])
    text = dumps(lib, writer)
    back = read_string(text, WRITERS[writer], file=f"<{writer}>")
    assert not back.report.has_errors, [str(p) for p in back.report]
    assert back.ids == list(expected)
    for ref in back:
        assert canon(ref) == expected[ref.id], (writer, ref.id)


def test_bibtex_keeps_fields_it_does_not_know(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text("@article{k, title={T}, year={2001}, file={a.pdf}, "
                   "mendeley-tags={x, y}, Timestamp={2020-01-01}}\n", encoding="utf-8")
    lib = read(src)
    out = dumps(lib, "biblatex")
    again = read_string(out, "bibtex")["k"]
    assert again.extra == {"file": "a.pdf", "mendeley-tags": "x, y", "Timestamp": "2020-01-01"}
    assert "mendeley-tags" in out and "Timestamp" in out


# -- generated references -------------------------------------------------------------------

_words = st.text(alphabet=string.ascii_letters + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяЖЮ",
                 min_size=1, max_size=10)
_text = st.lists(_words, min_size=1, max_size=6).map(" ".join)
_name = st.builds(Name, family=_words.map(str.capitalize),
                  given=st.one_of(st.none(), st.sampled_from(["Ю.", "I. I.", "Anna", "Yu. A."])))


@st.composite
def references(draw: st.DrawFn) -> Reference:
    ref = Reference(id=draw(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True)),
                    type=draw(st.sampled_from(["article-journal", "book", "chapter", "report",
                                               "thesis", "webpage", "paper-conference"])))
    ref.fields["title"] = draw(_text)
    for var in draw(st.sets(st.sampled_from(["container-title", "publisher",
                                              "publisher-place", "note"]), max_size=3)):
        ref.fields[var] = draw(_text)
    for var in draw(st.sets(st.sampled_from(["volume", "page", "edition"]), max_size=2)):
        ref.fields[var] = str(draw(st.integers(1, 999)))
    if draw(st.booleans()):
        ref.fields["language"] = draw(st.sampled_from(["ru", "en", "de"]))
    names = draw(st.lists(_name, min_size=0, max_size=3))
    if names:
        if draw(st.booleans()):
            for n in names:
                # a form equal to the name itself is no form (BibTeX writes the name there)
                n.variants.append(NameVariant(Name(family=f"{n.family}-R", given=n.given),
                                              Form.ROMANISED, "ru", "bsi"))
        ref.names["author"] = names
    y = draw(st.integers(1800, 2030))
    ref.dates["issued"] = Date(parts=((y, draw(st.integers(1, 12))),) if draw(st.booleans())
                               else ((y,),))
    if ref.fields.get("language") != "en" and draw(st.booleans()):
        ref.add_variant("title", Variant(draw(_text), Form.TRANSLATED, "en"))
    if draw(st.booleans()):
        ref.add_variant("title", Variant(draw(_text), Form.ROMANISED, "ru", "bsi"))
    return ref


@pytest.mark.parametrize("writer", sorted(WRITERS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(refs=st.lists(references(), min_size=1, max_size=4, unique_by=lambda r: r.id))
def test_generated_libraries_round_trip(writer: str, refs: list[Reference]) -> None:
    lib = Library(refs)
    back = read_string(dumps(lib, writer), WRITERS[writer])
    assert not back.report.has_errors, [str(p) for p in back.report]
    assert [canon(r) for r in back] == [canon(r) for r in lib]


@pytest.mark.parametrize("fmt", ["csl-json", "csl-yaml"])
def test_forms_transcite_derived_keep_their_origin_through_csl(fmt: str) -> None:
    """A romanisation transcite made and a Cyrillic form it rebuilt (with its confidence) are
    still known as derived after CSL-JSON/YAML: the References view prefers the user's own
    romanisation, and check flags a doubtful rebuilt Cyrillic, on the file read back too."""
    made = Variant("Rossiya", Form.ROMANISED, "ru", "bsi", origin="translit")
    own = Variant("Rossija", Form.ROMANISED, "ru", "lc", origin="input")
    rebuilt = NameVariant(Name(family="Батин", given="Ю."), Form.ORIGINAL, "ru",
                          origin="translit", confidence=0.9)
    ref = Reference("k", "book", fields={"title": "Россия", "language": "ru"},
                    names={"author": [Name(family="Batin", given="Yu.", variants=[rebuilt])]},
                    variants={"title": [made, own]})
    back = read_string(dumps([ref], fmt), fmt)["k"]
    assert [(v.text, v.origin) for v in back.variants["title"]] == [("Rossiya", "translit"),
                                                                   ("Rossija", "input")]
    [person] = back.names["author"]
    assert [(v.name.family, v.origin, v.confidence) for v in person.variants] == [
        ("Батин", "translit", 0.9)]
    assert "transcite-derived" not in back.extra


@pytest.mark.parametrize("fmt", ["csl-json", "csl-yaml"])
def test_normalising_a_normalised_file_again_changes_nothing(fmt: str) -> None:
    """The record of derived forms is written in one order, whatever order reading gave them."""
    from transcite.normalisation import normalise

    source = Path(__file__).parent / "data" / "check" / "identifiers" / "refs.bib"
    once = dumps(normalise(read(source), profile="scopus").library, fmt)
    assert "transcite-derived" in once
    twice = dumps(normalise(read_string(once, fmt), profile="scopus").library, fmt)
    assert twice == once


@pytest.mark.parametrize("scheme", ["bsi", "bgn_pcgn", "my_scheme", "gost-779", "a-2",
                                    "title_translated = Essays", "Ыx%"])
@pytest.mark.parametrize("fmt", ["csl-json", "csl-yaml", "ris", "word"])
def test_a_romanisation_keeps_its_scheme_name_as_written(scheme: str, fmt: str) -> None:
    # the scheme travels in the tag's private part (ru-Latn-x-...): names that are not one
    # plain word are percent-encoded there, not read back as a translation or another name
    ref = Reference("a", "book", fields={"title": "Очерки"})
    ref.add_variant("title", Variant("Ocherki", Form.ROMANISED, "ru", scheme))
    back = read_string(dumps(Library([ref]), fmt), fmt)["a"].variants["title"]
    assert [(v.form, v.scheme, v.text) for v in back] == [(Form.ROMANISED, scheme, "Ocherki")]


@pytest.mark.parametrize("kind", ["widget", "boo@comment{k", "a}b", "x\\y", "50% off", "@string(x"])
@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_a_type_csl_does_not_know_comes_back_as_written(kind: str, fmt: str) -> None:
    # written as csltype, braces, @ and LaTeX specials escaped so that the reader gets it back
    ref = Reference("a", kind, fields={"title": "T"})
    back = read_string(dumps(Library([ref]), fmt), "bibtex")
    assert [r.type for r in back] == [kind]


#: CSL 1.0.2's standard and number variables (the specification's appendix IV), and the
#: hyphenated archive names older data uses
CSL_TEXT_AND_NUMBERS = """abstract annote archive archive_collection archive_location
archive-place authority call-number chapter-number citation-label collection-number
collection-title container-title container-title-short dimensions division DOI edition event
event-place event-title genre ISBN ISSN issue jurisdiction keyword language license medium note
number number-of-pages number-of-volumes original-publisher original-publisher-place
original-title page part-number part-title PMCID PMID printing-number publisher
publisher-place references reviewed-genre reviewed-title scale section source status
supplement-number title title-short URL version volume volume-title volume-title-short
archive-location archive-collection""".split()


def _one_of_each(csl_type: str) -> list[Reference]:
    """A reference of ``csl_type`` per CSL variable (text, number, name, date), alone."""
    from transcite.model import DATE_VARIABLES, NAME_VARIABLES

    shaped = {"ISBN": "978-5-02-033322-5", "ISSN": "0204-3327", "DOI": "10.1000/xyz",
              "URL": "https://example.org/a", "language": "ru", "page": "12-15"}
    refs = []
    for n, var in enumerate(CSL_TEXT_AND_NUMBERS):
        fields = {"title": "T", var: shaped.get(var, "X1")} if var != "title" else {"title": "X"}
        refs.append(Reference(f"t{n}", csl_type, fields=fields))
    for n, var in enumerate(sorted(NAME_VARIABLES)):
        refs.append(Reference(f"n{n}", csl_type, fields={"title": "T"},
                              names={var: [Name(family="Doe", given="J.")]}))
    for n, var in enumerate(sorted(DATE_VARIABLES)):
        refs.append(Reference(f"d{n}", csl_type, fields={"title": "T"},
                              dates={var: Date(((2001, 2, 3),))}))
    return refs


@pytest.mark.parametrize("writer", [*sorted(WRITERS), "word"])
@pytest.mark.parametrize("csl_type", ["article", "article-journal", "book", "chapter",
                                      "paper-conference", "report", "review", "thesis",
                                      "webpage", "interview", "periodical", "patent",
                                      "bill", "graphic", "figure", "standard"])
def test_every_variable_of_every_kind_comes_back_alone(writer: str, csl_type: str) -> None:
    """Each CSL variable, alone on a reference of each common type, comes back from every
    writer as the same variable with the same value: CSL 1.0.2's newer variables (division,
    part-title, reviewed-title, archive_collection...) are fields again, not notes or kept
    extras; archive_location keeps CSL's spelling; a type RIS has no TY for stays itself; a
    report's ISBN in Word XML is not read as its number, nor an artwork's illustrator as its
    artist (author)."""
    refs = _one_of_each(csl_type)
    back = {r.id: r for r in read_string(dumps(refs, writer), WRITERS.get(writer, writer))}
    lost = [(r.id, r.to_csl(), back[r.id].to_csl() if r.id in back else None) for r in refs
            if r.id not in back or back[r.id].to_csl() != r.to_csl() or back[r.id].extra]
    assert not lost, lost[:3]


ODD_DATES = [{"date-parts": [[2001]], "circa": True}, {"date-parts": [[2001, 2], [2001, 5]]},
             {"date-parts": [[2001]], "season": 2}, {"date-parts": [[2001, 13]]},
             {"date-parts": [[2001, 0, 0]]}, {"raw": "2001-02-30"}, {"literal": "в печати"},
             {"date-parts": [[1999, 12], [2000, 1]]}, {"date-parts": [[-50]]}]


@pytest.mark.parametrize("writer", [*sorted(WRITERS), "word"])
@pytest.mark.parametrize("var", ["issued", "accessed", "original-date", "event-date",
                                 "submitted"])
def test_every_kind_of_date_comes_back_as_written(writer: str, var: str) -> None:
    """Circa ("2001~" in biblatex: not 2001 and a no-break space), a raw text no calendar has
    (kept raw, not turned into a 30th of February), a 13th month (no stray ``year`` left
    beside it) and the rest come back from every writer as they were written."""
    refs = [Reference(f"d{n}", "book", fields={"title": "T"}, dates={var: Date.from_csl(d)})
            for n, d in enumerate(ODD_DATES)]
    back = {r.id: r for r in read_string(dumps(refs, writer), WRITERS.get(writer, writer))}
    for r in refs:
        assert back[r.id].to_csl() == r.to_csl() and not back[r.id].extra, \
            (r.to_csl(), back[r.id].to_csl(), back[r.id].extra)


def test_a_circa_date_field_reads_as_circa() -> None:
    """biblatex's EDTF ``date = {2001~}`` is circa 2001 (a tilde is a no-break space only in
    text fields)."""
    [ref] = list(read_string("@book{k, title = {T}, date = {2001~}, note = {2001~}}",
                             "bibtex"))
    assert ref.dates["issued"].to_csl() == {"date-parts": [[2001]], "circa": True}
    assert ref.fields["note"] == "2001"
