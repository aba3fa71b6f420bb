"""BibTeX in and out loses nothing: comments and unreadable blocks stay where they were, values
are escaped once (biber and bibtexparser read them back as written), name variants are written
only where a name has them, and a missing comma is an error, not a silently lost title."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from transcite.model import Date, Form, Library, Name, NameVariant, Reference, Variant
from transcite.readers import read, read_string
from transcite.readers.bibtex_split import split_entries
from transcite.writers import dumps

logging.getLogger("bibtexparser").disabled = True

BLOCKS = """% a comment at the top
@preamble{"\\newcommand{\\noopsort}[1]{}"}
@comment{jabref-meta: databaseType:biblatex;}
@string{jr = {Journal of Results}}

@article{a,
  title = {First},
  journal = jr,
}

% between the entries
@article{b, title = {Second}}
@article{c, title = {Bro
"""


def _back(text: str, writer: str = "biblatex") -> Library:
    lib = read_string(text, "bibtex")
    return read_string(dumps(lib, writer), "bibtex")


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
def test_comments_preamble_strings_and_unreadable_blocks_are_written_back(writer: str) -> None:
    lib = read_string(BLOCKS, "bibtex")
    assert [p.code for p in lib.report] == ["bibtex.syntax"]
    out = dumps(lib, writer)
    for block in ["% a comment at the top", '@preamble{"\\newcommand{\\noopsort}[1]{}"}',
                  "@comment{jabref-meta: databaseType:biblatex;}",
                  "@string{jr = {Journal of Results}}", "% between the entries",
                  "@article{c, title = {Bro"]:
        assert block in out, block
    assert out.index("% a comment at the top") < out.index("@article{a")
    assert out.index("@article{a") < out.index("% between the entries") < out.index(
        "@article{b")
    assert out.index("@article{b") < out.index("@article{c, title = {Bro")
    again = read_string(out, "bibtex")
    assert again.ids == ["a", "b"]
    assert again["a"].fields["container-title"] == "Journal of Results"
    assert dumps(again, writer) == out


def test_comments_survive_the_fast_splitter_and_bibtexparser_alike() -> None:
    simple = "% top\n@article{a, title = {A}}\n\n  % mid\n@article{b, title = {B}}\n% end\n"
    assert split_entries(simple) is not None
    fast = read_string(simple, "bibtex")
    slow = read_string(simple + "@comment{x}\n", "bibtex")
    assert [r.extra for r in fast] == [{"@before": ["% top"]},
                                       {"@before": ["% mid"], "@after": ["% end"]}]
    assert slow["b"].extra["@after"] == ["% end\n@comment{x}"]     # the stretch as written


def test_comments_reach_csl_json_and_come_back() -> None:
    lib = read_string(BLOCKS, "bibtex")
    back = read_string(dumps(read_string(dumps(lib, "csl-json"), "csl-json"), "biblatex"),
                       "bibtex")
    assert back["a"].extra["@before"] == lib["a"].extra["@before"]


def test_a_missing_comma_is_an_error_and_both_fields_are_read() -> None:
    text = "@article{k,\n  author = {Roe, R.}\n  title = {T},\n  year = {2000},\n}\n"
    lib = read_string(text, "bibtex", file="x.bib")
    ref = lib["k"]
    assert ref.fields["title"] == "T"
    assert [n.to_csl() for n in ref.names["author"]] == [{"family": "Roe", "given": "R."}]
    problems = [p for p in lib.report if p.code == "bibtex.missing-comma"]
    assert len(problems) == 1 and problems[0].line == 3 and problems[0].severity.value == "error"
    # a quoted value and a bare number run on the same way
    lib = read_string('@misc{q, note = "n"\n title = {T2}, year = 1999\n  volume = {3}}',
                      "bibtex")
    assert lib["q"].fields["title"] == "T2" and lib["q"].fields["volume"] == "3"
    assert sum(p.code == "bibtex.missing-comma" for p in lib.report) == 2


def test_an_equals_sign_inside_a_value_is_not_a_missing_comma() -> None:
    lib = read_string("@misc{k, title = {E = mc^2\n and x = y}, note = {a}\n}", "bibtex")
    assert not list(lib.report)
    assert lib["k"].fields["title"].startswith("E = mc")


@pytest.mark.parametrize("text", [
    "Set {x", "Set }x", "a {b} c", "C:\\", "back\\slash", "Using --verbose", "a---b",
    "100% sure", "#1 hit", "a & b", "x_1 ^ 2", "~tilde", "$5", "<<quoted>>", "``a'' b",
    "\x000\x00", "\x0012\x00 and \x005\x00", "@article{x}", "mail@home(x)", "№ 5",
    "Иванов {и} \\'e", "a\\", "}{", "{{{", "}}}", "<i>a</i> \x007\x00 {",
])
def test_values_are_escaped_once_and_read_back_as_written(text: str) -> None:
    ref = Reference("k", "book", fields={"title": text, "note": text, "publisher": text})
    ref.extra["custom-field"] = text
    ref.names["author"] = [Name(family=text, given="A."), Name(literal=text)]
    out = dumps([ref], "biblatex")
    back = read_string(out, "bibtex")
    assert not back.report.has_errors, (out, [str(p) for p in back.report])
    got = back["k"]
    assert got.fields["note"] == text and got.fields["publisher"] == text
    assert got.fields["title"].replace('<span class="nocase">', "").replace("</span>", "") \
        == text
    assert [n.to_csl() for n in got.names["author"]] == [{"family": text, "given": "A."},
                                                         {"literal": text}]
    from transcite import latex

    assert latex.decode(got.extra["custom-field"], protect=False) == text \
        or got.extra["custom-field"] == text


def test_names_with_a_brace_stay_two_names() -> None:
    ref = Reference("k", "book", names={"author": [Name(family="Smi}th", given="J."),
                                                   Name(family="Doe", given="A.")]})
    back = read_string(dumps([ref], "biblatex"), "bibtex")
    assert [n.family for n in back["k"].names["author"]] == ["Smi}th", "Doe"]


def test_a_custom_field_with_a_trailing_backslash_keeps_the_entry() -> None:
    lib = read_string('[{"id": "k", "type": "book", "title": "T", "custom": {"path": "C:\\\\"}}]',
                      "csl-json")
    back = read_string(dumps(lib, "biblatex"), "bibtex")
    assert back.ids == ["k"] and back["k"].fields["title"] == "T"
    assert not back.report.has_errors


def test_romanised_names_are_written_only_for_names_that_have_one() -> None:
    ivanov = Name(family="Иванов", given="И.")
    ivanov.variants.append(NameVariant(Name(family="Ivanov", given="I."), Form.ROMANISED, "ru",
                                       "bsi"))
    ivanov.variants.append(NameVariant(Name(family="Ivanov", given="Ivan"), Form.TRANSLATED,
                                       "en"))
    ref = Reference("k", "article-journal", fields={"title": "Т", "language": "ru"},
                    names={"author": [ivanov, Name(literal="Росатом"),
                                      Name(family="Smith", given="John")]})
    back = read_string(dumps([ref], "biblatex"), "bibtex")["k"]
    names = back.names["author"]
    assert [(v.form, v.name.to_csl(), v.scheme) for v in names[0].variants] == [
        (Form.ROMANISED, {"family": "Ivanov", "given": "I."}, "bsi"),
        (Form.TRANSLATED, {"family": "Ivanov", "given": "Ivan"}, None)]
    assert names[1].variants == [] and names[2].variants == []
    assert names[1].literal == "Росатом"


def test_every_romanised_form_of_a_title_is_kept_with_its_scheme() -> None:
    ref = Reference("k", "article-newspaper", fields={"title": "Россия построит мост",
                                                      "language": "ru"})
    ref.add_variant("title", Variant("Rossiya postroity most", Form.ROMANISED, "ru"))
    ref.add_variant("title", Variant("Rossiya postroit most", Form.ROMANISED, "ru", "bsi",
                                     origin="translit"))
    ref.add_variant("title", Variant("Russia will build a bridge", Form.TRANSLATED, "en"))
    ref.add_variant("title", Variant("Russia to build a bridge", Form.TRANSLATED, "en",
                                     origin="crossref"))
    back = read_string(dumps([ref], "biblatex"), "bibtex")["k"]
    assert sorted((v.form.value, v.text, v.scheme) for v in back.variants["title"]) == [
        ("romanised", "Rossiya postroit most", "bsi"),
        ("romanised", "Rossiya postroity most", None),
        ("translated", "Russia to build a bridge", None),
        ("translated", "Russia will build a bridge", None)]


def test_an_original_form_beside_a_romanised_title_comes_back() -> None:
    ref = Reference("k", "book", fields={"title": "Voina i mir", "language": "ru"})
    ref.add_variant("title", Variant("Война и мир", Form.ORIGINAL, "ru"))
    back = read_string(dumps([ref], "biblatex"), "bibtex")["k"]
    assert [(v.form, v.text) for v in back.variants["title"]] == [(Form.ORIGINAL,
                                                                  "Война и мир")]


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    deep = "{" * 1500 + "x" + "}" * 1500
    accents = "\\'" * 300_000 + "e"
    path = tmp_path / "deep.bib"
    path.write_text(f"@misc{{a, title = {{{deep}}}}}\n@misc{{b, note = {{{accents}}}}}\n"
                    "@misc{c, title = {fine}}\n", encoding="utf-8")
    lib = read(path)
    assert lib.ids == ["a", "b", "c"]
    assert lib["c"].fields["title"] == "fine"
    assert sum(p.code == "bibtex.too-deep" for p in lib.report) == 2
    out = dumps(lib, "biblatex")          # the values are kept as written
    assert deep in out and accents in out


# -- through the command line: what the issue saw -------------------------------------------

def _cli(*args: str):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from transcite.cli import app

    return CliRunner().invoke(app, list(args))


MIXED = """[{"id": "mix", "type": "article-journal", "language": "ru",
  "title": "Атомная энергетика", "container-title": "Атомная энергия",
  "issued": {"date-parts": [[2020]]}, "volume": "3", "page": "1-5",
  "author": [{"family": "Иванов", "given": "И. И.",
              "multi": {"_key": {"ru-Latn-x-bsi": {"family": "Ivanov", "given": "I. I."}}}},
             {"literal": "Росатом"}, {"family": "Smith", "given": "John"}]}]"""


def test_a_mixed_author_list_formats_the_same_from_bibtex(tmp_path: Path) -> None:
    src = tmp_path / "mixed.json"
    src.write_text(MIXED, encoding="utf-8")
    bib = tmp_path / "mixed.bib"
    assert _cli("convert", str(src), "-o", str(bib)).exit_code == 0
    views = [_cli("format", str(path), "--profile", "scopus", "--view", "references").stdout
             for path in (src, bib)]
    assert views[0] == views[1]
    assert "Rosatom" in views[1] and "Росатом" not in views[1]


def test_normalize_with_a_profile_writes_every_form_and_twice_changes_nothing(
        tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "references" / "examples"
    refs = tmp_path / "refs.bib"
    refs.write_text((example / "russia-japan.bib").read_text(encoding="utf-8"),
                    encoding="utf-8")
    clean = tmp_path / "clean.bib"
    assert _cli("normalize", str(refs), "-o", str(clean), "--profile", "scopus"
                ).exit_code == 0
    batin = read(clean)["Batin2017"]
    forms = {(v.text, v.scheme) for v in batin.variants["title"] if v.form is Form.ROMANISED}
    assert ("Rossiya predlozhila Yaponii postroit' most Hokkaido-Sakhalin", "bsi") in forms
    assert ("Rossiya predlozhila Yaponii postroity Most Hokkaido-Sakhalin", None) in forms
    listed = [_cli("format", str(refs), "--profile", "scopus", "--view", "references",
                   "--normalise").stdout,
              _cli("format", str(clean), "--profile", "scopus", "--view", "references").stdout]
    assert listed[0] == listed[1] and "postroit’ most" in listed[1]
    again = tmp_path / "again.bib"
    assert _cli("normalize", str(clean), "-o", str(again), "--profile", "scopus"
                ).exit_code == 0
    assert again.read_text(encoding="utf-8") == clean.read_text(encoding="utf-8")


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
@pytest.mark.parametrize("csl_type", ["patent", "report", "book", "article-journal"])
def test_a_number_and_an_issue_both_come_back(writer: str, csl_type: str) -> None:
    """BibTeX's ``number`` is a journal's issue but a patent's or report's own number: the
    writer puts each where the reader looks for it (a patent's bulletin number in ``issue``)."""
    ref = Reference("k", csl_type, fields={"title": "T", "number": "2499307", "issue": "32"})
    back = read_string(dumps([ref], writer), "bibtex")["k"]
    assert (back.fields.get("number"), back.fields.get("issue")) == ("2499307", "32")
    assert "number" not in back.extra and "issue" not in back.extra


@pytest.mark.parametrize("name", [
    Name(non_dropping_particle="van", given="Jan"),            # a particle, no family name
    Name(non_dropping_particle="van der", suffix="III"),
    Name(non_dropping_particle="von", family="nand others", given="K."),  # lower-case words
    Name(dropping_particle="de la", family="Fuente díaz", given="Ana"),
])
def test_a_particle_keeps_its_own_part_through_biblatex(name: Name) -> None:
    lib = Library([Reference("a", "book", fields={"title": "T"}, names={"author": [name]})])
    back = read_string(dumps(lib, "biblatex"), "biblatex")
    assert back["a"].names["author"][0].to_csl() == name.to_csl()


def test_an_original_form_rebuilt_from_a_romanisation_is_tidied_at_once() -> None:
    # "Kuz'.M" has no initials to tidy in Latin, but its Cyrillic "Кузь.М" has; they are
    # tidied in the same run, so a second normalize has nothing left to change
    from transcite.normalisation import normalise

    text = ("@book{a,\n  author = {Petrov, Kuz'.M},\n  title = {Sistemy upravleniya},\n"
            "  langid = {russian},\n}\n")
    once = dumps(normalise(read_string(text, "biblatex")).library, "biblatex")
    twice = dumps(normalise(read_string(once, "biblatex")).library, "biblatex")
    assert "author_original_russian = {Петров, Кузь. М}" in " ".join(once.split())
    assert once == twice


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
def test_a_type_csl_does_not_know_comes_back_as_written(writer: str) -> None:
    lib = read_string('[{"id": "a", "type": "article-jornal", "title": "T"}]', "csl-json")
    text = dumps(lib, writer)
    assert text.startswith("@misc{a,")
    assert read_string(text, "bibtex")["a"].type == "article-jornal"


@pytest.mark.parametrize("text", ['<span style="font-@string{x = itation>',
                                  '<span style="color:#f{}">x</span>', '<span title="}">'])
def test_a_span_that_is_not_csl_markup_is_text_with_its_braces_escaped(text: str) -> None:
    lib = Library([Reference("a", "misc", fields={"note": text, "title": text}),
                   Reference("b", "misc", fields={"note": "next"})])
    out = dumps(lib, "biblatex")
    report_lib = read_string(out, "bibtex")
    assert [r.id for r in report_lib] == ["a", "b"]
    assert report_lib["a"].fields["note"] == text
    assert report_lib["a"].fields["title"] == text


@pytest.mark.parametrize(("site", "owner"), [("Site and", "Owner"), ("and Site", "Owner and"),
                                             ("Site", "and")])
def test_a_website_and_its_owner_keep_an_and_at_either_end(site: str, owner: str) -> None:
    # @online has one list field for both (organization = {Site and Owner}): an "and" at the
    # start or end of either is braced with it, not read as the list's separator
    ref = Reference("a", "webpage", fields={"title": "T", "URL": "https://example.org",
                                            "container-title": site, "publisher": owner})
    back = read_string(dumps(Library([ref]), "biblatex"), "biblatex")["a"].fields
    assert (back["container-title"], back["publisher"]) == (site, owner)


def _through(ref: Reference, writer: str) -> Reference:
    [back] = list(read_string(dumps(Library([ref]), writer), "bibtex"))
    return back


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
@pytest.mark.parametrize("issued", [None, Date(literal="в печати"), Date(((2020,),))])
def test_a_status_comes_back_as_the_status_whatever_the_date(writer: str,
                                                             issued: Date | None) -> None:
    """biblatex's pubstate is the status, but without a date it reads as the date ("in
    press"): a status written there comes back as the status, the date as it was."""
    ref = Reference("s", "article-journal", fields={"title": "T", "status": "in press"})
    if issued is not None:
        ref.dates["issued"] = issued
    back = _through(ref, writer)
    assert back.fields.get("status") == "in press"
    assert back.dates.get("issued") == issued


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
def test_a_day_no_month_has_comes_back_as_it_was(writer: str) -> None:
    """A date read with a 122nd day (kept as read, with a warning) is not turned into text or
    cut to its month by a trip through BibTeX."""
    ref = Reference("d", "post-weblog", fields={"title": "T"},
                    dates={"issued": Date(((2016, 9, 122),)), "accessed": Date(((2018, 7, 31),))})
    back = _through(ref, writer)
    assert back.dates["issued"].to_csl() == {"date-parts": [[2016, 9, 122]]}
    assert back.dates["accessed"].to_csl() == {"date-parts": [[2018, 7, 31]]}
    text = dumps(Library([ref]), writer)
    assert "transcite-custom" in text


def test_a_plain_date_needs_no_exact_copy() -> None:
    ref = Reference("d", "book", fields={"title": "T"}, dates={"issued": Date(((2016, 9, 12),))})
    for writer in ("biblatex", "bibtex"):
        assert "transcite-custom" not in dumps(Library([ref]), writer)


def test_a_day_the_date_cannot_hold_is_kept_and_reported() -> None:
    lib = read_string("@article{x, title = {T}, year = {2016}, month = sep, day = {122}}\n"
                      "@article{y, title = {U}, year = {2016}, day = {5}}\n", "bibtex")
    x, y = list(lib)
    assert x.dates["issued"].to_csl() == {"date-parts": [[2016, 9]]}
    assert x.extra["day"] == "122" and y.extra["day"] == "5"
    codes = [p.code for p in lib.report.problems]
    assert codes.count("bibtex.odd-day") == 2
    assert "day" in dumps(lib, "bibtex") and "{122}" in dumps(lib, "bibtex")


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
def test_forms_of_a_variable_no_field_can_name_come_back(writer: str) -> None:
    """Forms kept for a key no BibTeX field reads back as a form of it (a mangled "tit:le"
    from another tool) go along exactly; a real variable's forms stay fields."""
    ref = Reference("b", "article-newspaper", fields={"title": "Т", "language": "ru"})
    ref.add_variant("tit:le", Variant("Rossiya", Form.ROMANISED, "ru"))
    ref.add_variant("title x", Variant("X", Form.TRANSLATED, "en", origin="translit",
                                       confidence=0.5))
    ref.add_variant("title", Variant("T", Form.ROMANISED, "ru", "bgn_pcgn"))
    text = dumps(Library([ref]), writer)
    assert "title_romanised" in text
    back = _through(ref, writer)
    assert back.variants == ref.variants


NUMBERING_TYPES = ["article-journal", "article-magazine", "review", "periodical", "book",
                   "chapter", "paper-conference", "report", "thesis", "document"]


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
@pytest.mark.parametrize("csl_type", NUMBERING_TYPES)
def test_number_issue_and_series_number_come_back_apart(writer: str, csl_type: str) -> None:
    """BibTeX's one ``number`` field is an article's issue and a book's series number: an
    article's own number (an article number) goes to ``eid``, a review's issue and number
    written as an @article come back as they were, and a book with a series keeps its
    own number beside the series' - whichever of the three a reference has."""
    cases = [{"number": "12"}, {"issue": "3"}, {"number": "12", "issue": "3"},
             {"number": "12", "collection-title": "S"},
             {"number": "12", "issue": "3", "collection-number": "7", "collection-title": "S"},
             {"collection-number": "7", "collection-title": "S"}, {"collection-number": "7"}]
    for fields in cases:
        ref = Reference("k", csl_type, fields={"title": "T", **fields})
        back = _through(ref, writer)
        assert back.type == csl_type
        assert {k: v for k, v in back.fields.items() if k != "title"} == fields, fields
        assert dumps(Library([back]), writer) == dumps(Library([ref]), writer)


def test_an_article_number_is_written_where_biblatex_prints_it() -> None:
    """An article with an article number and no issue: ``eid`` (what biblatex prints as the
    article's number), not ``number`` (its issue)."""
    ref = Reference("k", "article-journal", fields={"title": "T", "number": "e1234",
                                                    "container-title": "J"})
    text = dumps(Library([ref]), "biblatex")
    assert "eid" in text and "e1234" in text and "number" not in text


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
def test_a_name_with_both_particles_keeps_each(writer: str) -> None:
    """BibTeX has one "von" part: a name with a dropping and a non-dropping particle writes
    both there ("de von Stael, Anne", in display order), and comes back with each particle
    where it was, its romanised form still beside it."""
    both = Name(family="Stael", given="Anne", dropping_particle="de",
                non_dropping_particle="von",
                variants=[NameVariant(Name(family="Shtal", given="Anna"), Form.ROMANISED, "ru",
                                      "bgn_pcgn")])
    ref = Reference("k", "book", fields={"title": "T", "language": "ru"},
                    names={"author": [Name(family="Doe", given="J."), both]})
    text = dumps(Library([ref]), writer)
    assert "de von Stael" in text
    back = _through(ref, writer)
    assert back.names["author"][1].to_csl() == both.to_csl()
    assert [n.to_csl() for n in back.names["author"]] == [n.to_csl() for n in ref.names["author"]]
    assert back.names["author"][1].variants == both.variants
    assert dumps(Library([back]), writer) == text


@pytest.mark.parametrize("writer", ["biblatex", "bibtex"])
def test_a_name_with_a_particle_and_no_given_name_keeps_its_particle(writer: str) -> None:
    """"van Smith" reads as a given name and a family name (bibtexparser's two-word rule): a
    name with a particle and no given name is written "van Smith, {}", read back with its
    particle; a dropping particle ("de Gaulle") beside a non-dropping one in the same entry,
    which the entry's one useprefix option cannot tell apart, goes along exactly (fuzz
    campaign, seed 206)."""
    names = [Name(family="Smith", non_dropping_particle="van"),
             Name(family="Gaulle", dropping_particle="de"),
             Name(family="= Атомная энергия", non_dropping_particle="urnal"),
             Name(non_dropping_particle="van"), Name(family="Roe", given="R.")]
    ref = Reference("k", "book", fields={"title": "T"}, names={"author": names})
    back = _through(ref, writer)
    assert [n.to_csl() for n in back.names["author"]] == [n.to_csl() for n in names]
    assert dumps(Library([back]), writer) == dumps(Library([ref]), writer)
