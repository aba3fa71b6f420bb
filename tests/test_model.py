"""The data model: case-sensitive ids, variant forms beside the value as read, dates."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcite.model import Date, Form, Library, Name, Reference, Variant


def test_ids_that_differ_only_in_case_are_two_entries() -> None:
    lib = Library([Reference("Smith2000"), Reference("smith2000")])
    assert lib.ids == ["Smith2000", "smith2000"]
    assert not lib.report


def test_variants_never_replace_the_value_as_read() -> None:
    ref = Reference("a", fields={"title": "Rossiya predlozhila", "language": "ru"})
    ref.add_variant("title", Variant("Россия предложила", Form.ORIGINAL, "ru", origin="translit",
                                     confidence=0.9))
    assert ref.title == "Rossiya predlozhila"
    forms = {v.form: v for v in ref.forms("title")}
    assert forms[Form.ROMANISED].text == "Rossiya predlozhila"
    assert forms[Form.ORIGINAL].text == "Россия предложила" and forms[Form.ORIGINAL].derived


def test_the_value_as_read_is_classified_by_script() -> None:
    cyr = Reference("a", fields={"title": "Война и мир"})
    eng = Reference("b", fields={"title": "War and Peace", "language": "en"})
    assert cyr.forms("title")[0].form is Form.ORIGINAL and cyr.forms("title")[0].lang == "ru"
    assert eng.forms("title")[0].form is Form.ORIGINAL and eng.forms("title")[0].lang == "en"


def test_an_explicit_form_wins_over_the_script_guess() -> None:
    ref = Reference("a", fields={"title": "Russia offers", "language": "ru"})
    ref.add_variant("title", Variant("Russia offers", Form.TRANSLATED, "en"))
    assert [v.form for v in ref.forms("title")] == [Form.TRANSLATED]


def test_add_variant_ignores_exact_duplicates() -> None:
    ref = Reference("a", fields={"title": "x"})
    v = Variant("y", Form.TRANSLATED, "en")
    assert ref.add_variant("title", v) and not ref.add_variant("title", v)


def test_variant_tags() -> None:
    assert Variant("x", Form.ROMANISED, "ru", "bgn_pcgn").tag == "ru-Latn-x-bgnpcgn"
    assert Variant("x", Form.TRANSLATED, "en").tag == "en"


def test_copy_is_independent() -> None:
    ref = Reference("a", names={"author": [Name("Батин", "Ю.")]}, fields={"title": "t"})
    other = ref.copy()
    other.names["author"][0].family = "X"
    other.fields["title"] = "u"
    assert ref.names["author"][0].family == "Батин" and ref.title == "t"


@given(st.lists(st.integers(1, 3000), min_size=1, max_size=1).flatmap(
    lambda y: st.tuples(st.just(y[0]), st.integers(1, 12), st.integers(1, 28))))
def test_dates_round_trip_through_csl_json(parts: tuple[int, int, int]) -> None:
    date = Date(parts=(parts,))
    assert Date.from_csl(date.to_csl()) == date
    assert date.iso() == f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}"


@pytest.mark.parametrize("module", ["transcite.names", "transcite.lang", "transcite.dates",
                                    "transcite.readers", "transcite.writers",
                                    "transcite.render", "transcite.render.styles",
                                    "transcite.normalisation"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


_PART = st.sampled_from([None, "", "Иванов", "И. И.", "van", "Jr."])


@given(st.tuples(*[_PART] * 6), st.tuples(*[_PART] * 6))
def test_names_have_the_same_parts_exactly_when_their_csl_forms_agree(
        a: tuple[str | None, ...], b: tuple[str | None, ...]) -> None:
    one, other = Name(*a), Name(*b)
    assert one.parts_equal(other) == (one.to_csl() == other.to_csl())


_PART = st.one_of(st.none(), st.just(""), st.text(max_size=8))


@given(st.builds(Name, family=_PART, given=_PART, dropping_particle=_PART,
                 non_dropping_particle=_PART, suffix=_PART, literal=_PART))
def test_a_name_gives_every_part_it_has_to_csl_json_and_reads_back(name: Name) -> None:
    """Each part the name has, under its CSL-JSON key (the table ``from_csl`` reads), and
    nothing empty."""
    data = name.to_csl()
    assert data == {key: getattr(name, attr) for attr, key in Name._CSL_KEYS
                    if getattr(name, attr)}
    back = Name.from_csl(data)
    assert back.to_csl() == data
