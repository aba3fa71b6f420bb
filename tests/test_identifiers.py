"""ISSN, ISBN and DOI: validation, canonical forms, and the normalisation step on references."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcite.identifiers import (
    InvalidIdentifier,
    audit_identifiers,
    doi_from_url,
    doi_url,
    isbn_to_10,
    isbn_to_13,
    normalise_doi,
    normalise_identifiers,
    parse_isbns,
    parse_issns,
    validate_isbn,
    validate_issn,
)
from transcite.model import Reference, Report


def _issn_check(seven: str) -> str:
    total = sum(int(d) * w for d, w in zip(seven, range(8, 1, -1)))
    digit = (11 - total % 11) % 11
    return "X" if digit == 10 else str(digit)


def _isbn13_check(twelve: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


# -- ISSN -----------------------------------------------------------------------------------------
def test_issn_samples_from_shared_data(shared_data):
    """Every real ISSN of the shared sample validates exactly as its record says."""
    lines = (shared_data / "issn-samples.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert len(records) >= 30
    for record in records:
        try:
            value = validate_issn(record["issn"])
        except InvalidIdentifier:
            assert record["check_digit_valid"] is False, record
        else:
            assert record["check_digit_valid"] is True, record
            assert value == record["issn"]


@given(st.text("0123456789", min_size=7, max_size=7))
def test_issn_with_its_check_digit_is_valid_and_canonical(seven):
    issn = seven + _issn_check(seven)
    assert validate_issn(issn) == f"{issn[:4]}-{issn[4:]}"
    assert validate_issn(f"ISSN {issn[:4]} {issn[4:]}") == f"{issn[:4]}-{issn[4:]}"


@given(st.text("0123456789", min_size=7, max_size=7), st.sampled_from("0123456789X"))
def test_issn_with_another_check_digit_is_invalid(seven, digit):
    if digit == _issn_check(seven):
        return
    with pytest.raises(InvalidIdentifier) as info:
        validate_issn(seven + digit)
    assert "check digit" in info.value.reason
    assert info.value.reason.endswith(f"give {_issn_check(seven)!r})")


def test_issn_lengths_are_explained():
    with pytest.raises(InvalidIdentifier, match="this has 7"):
        validate_issn("2658-644")


def test_seed_issns_with_media():
    parsed = parse_issns("ISSN 2658-6444 (Print)\nISSN 2658-6789 (Online)")
    assert [(i.value, i.medium) for i in parsed.issns] == [("2658-6444", "print"),
                                                          ("2658-6789", "online")]
    assert parsed.text == "2658-6444 (print), 2658-6789 (online)"
    assert parsed.invalid == []


@pytest.mark.parametrize("text, expected", [
    ("p-ISSN 2658-6444, e-ISSN 2658-6789", [("2658-6444", "print"), ("2658-6789", "online")]),
    ("ISSN 0204-3327 (печатная версия)", [("0204-3327", "print")]),
    ("ISSN-L 1554-527X", [("1554-527X", "linking")]),
    ("1554 527x", [("1554-527X", None)]),
    ("1554-527Х", [("1554-527X", None)]),  # Cyrillic Х as check digit
    ("0204-3327; 2658-6444", [("0204-3327", None), ("2658-6444", None)]),
])
def test_issn_lists(text, expected):
    parsed = parse_issns(text)
    assert [(i.value, i.medium) for i in parsed.issns] == expected
    assert not parsed.invalid


def test_issn_annotation_that_is_not_a_medium_is_kept():
    parsed = parse_issns("0204 3327 (Russian edition)")
    assert parsed.text == "0204-3327 (Russian edition)"


def test_invalid_issn_in_a_list_is_reported_and_kept():
    parsed = parse_issns("2658-6444, 2658-6788")
    assert [i.value for i in parsed.issns] == ["2658-6444"]
    assert [e.raw for e in parsed.invalid] == ["2658-6788"]
    assert "2658-6788" in parsed.text


# -- ISBN -----------------------------------------------------------------------------------------
@given(st.text("0123456789", min_size=8, max_size=8))
def test_isbn_10_13_round_trip(digits):
    twelve = "9785" + digits
    isbn13 = twelve + _isbn13_check(twelve)
    ten = isbn_to_10(isbn13)
    assert ten.replace("-", "")[:9] == isbn13[3:12]
    assert isbn_to_13(ten).replace("-", "") == isbn13
    assert validate_isbn(isbn13).replace("-", "") == isbn13


def test_isbn_hyphenation_and_conversion():
    assert validate_isbn("9785020037052") == "978-5-02-003705-2"
    assert validate_isbn("5020037052") == "5-02-003705-2"
    assert isbn_to_13("5-02-003705-2") == "978-5-02-003705-2"
    assert isbn_to_10("ISBN 978-5-02-003705-2") == "5-02-003705-2"


def test_isbn_979_has_no_isbn_10():
    with pytest.raises(InvalidIdentifier, match="979"):
        isbn_to_10("979-10-90636-07-1")


def test_isbn_wrong_check_digit_names_the_right_one():
    with pytest.raises(InvalidIdentifier, match=r"wrong check digit '3' .*give '2'"):
        validate_isbn("5-02-003705-3")


def test_isbn_field_keeps_qualifiers():
    text, valid, invalid = parse_isbns("9785020037052 (т. 1); 0-306-40615-3")
    assert text == "978-5-02-003705-2 (т. 1); 0-306-40615-3"
    assert valid == ["978-5-02-003705-2"]
    assert [e.raw for e in invalid] == ["0-306-40615-3"]


# -- DOI ------------------------------------------------------------------------------------------
_DOI_SUFFIX = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-._/"),
                      min_size=1, max_size=20).filter(lambda s: s[-1] not in "._/")


@given(st.integers(1000, 999999999), _DOI_SUFFIX,
       st.sampled_from(["", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/",
                        "doi.org/"]),
       st.sampled_from(["", ".", ",", ";", ").", " "]))
def test_doi_wrapped_in_prefixes_and_punctuation(registrant, suffix, prefix, trailing):
    doi = f"10.{registrant}/{suffix}"
    assert normalise_doi(prefix + doi + trailing) == doi
    assert normalise_doi(doi_url(doi)) == doi


def test_doi_keeps_balanced_brackets():
    assert normalise_doi("doi:10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0.") \
        == "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    assert normalise_doi("<10.1000/xyz(1)>),") == "10.1000/xyz(1)"
    with pytest.raises(InvalidIdentifier):
        normalise_doi("(see 10.1000/xyz(1))")  # a sentence around it is not a DOI


@pytest.mark.parametrize("bad, reason", [("10.26583/ npe.2014", "space"),
                                         ("npe.2014.1.01", "starts with '10.'"),
                                         ("10.12/short", "10.<4-9 digits>"),
                                         ("https://doi.org/", "empty"),
                                         ("DOI: 10.1016/", "part after the prefix")])
def test_invalid_dois(bad, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        normalise_doi(bad)


def test_doi_from_url():
    assert doi_from_url("https://doi.org/10.26583/npe.2014.1.01") == "10.26583/npe.2014.1.01"
    assert doi_from_url("https://nuclear-power-engineering.ru/article/2014/01/01/") is None


# -- the step on references -----------------------------------------------------------------------
def _ref(**fields: str) -> Reference:
    return Reference("r1", "article-journal", fields=dict(fields))


def test_normalise_identifiers_returns_changes():
    ref = _ref(DOI="https://doi.org/10.26583/npe.2014.1.01.", ISSN="ISSN 02043327 (Print)",
               ISBN="9785020037052")
    report = Report()
    changes = normalise_identifiers(ref, report)
    assert not report
    assert ref.fields == {"DOI": "10.26583/npe.2014.1.01", "ISSN": "0204-3327 (print)",
                          "ISBN": "978-5-02-003705-2"}
    assert {(c.field, c.old, c.new) for c in changes} == {
        ("DOI", "https://doi.org/10.26583/npe.2014.1.01.", "10.26583/npe.2014.1.01"),
        ("ISSN", "ISSN 02043327 (Print)", "0204-3327 (print)"),
        ("ISBN", "9785020037052", "978-5-02-003705-2")}
    assert all(c.step == "identifiers" and c.item == "r1" for c in changes)


def test_invalid_identifiers_stay_as_read_and_are_errors():
    ref = _ref(DOI="npe.2014.1.01", ISSN="2658-6445")
    ref.extra["eissn"] = "2658-678"
    report = Report()
    assert normalise_identifiers(ref, report) == []
    assert ref.fields == {"DOI": "npe.2014.1.01", "ISSN": "2658-6445"}
    assert ref.extra["eissn"] == "2658-678"
    assert sorted(p.code for p in report) == ["identifier.invalid-doi",
                                              "identifier.invalid-issn",
                                              "identifier.invalid-issn"]
    assert all(p.severity.value == "error" and p.item == "r1" for p in report)
    assert {p.raw for p in report} == {"npe.2014.1.01", "2658-6445", "2658-678"}


def test_doi_taken_from_a_doi_link():
    ref = _ref(URL="https://doi.org/10.26583/npe.2020.1.07")
    changes = normalise_identifiers(ref, Report())
    assert ref.fields["DOI"] == "10.26583/npe.2020.1.07"
    assert ref.fields["URL"] == "https://doi.org/10.26583/npe.2020.1.07"
    assert [(c.field, c.old) for c in changes] == [("DOI", None)]


def test_audit_does_not_change_the_reference():
    ref = _ref(ISSN="2658 6444", DOI="doi:10.1/x")
    issues = audit_identifiers(ref)
    assert [i.code for i in issues] == ["identifier.invalid-doi"]
    assert ref.fields == {"ISSN": "2658 6444", "DOI": "doi:10.1/x"}


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u00a0"])
def test_a_blank_issn_field_holds_nothing_and_is_kept_as_written(blank: str) -> None:
    parsed = parse_issns(blank)
    assert parsed.issns == [] and parsed.invalid == [] and parsed.text == blank
