"""RIS keeps what its lines cannot say on their own: organisations with commas, names whose
parts a line cannot tell apart, kept fields with any key or value, notes that look like
transcite's own note lines."""

from __future__ import annotations

from transcite.model import Name, Reference
from transcite.readers import read_string
from transcite.writers import dumps


def _back(ref: Reference) -> Reference:
    return read_string(dumps([ref], "ris"), "ris")[ref.id]


def test_an_organisation_with_a_comma_stays_one_organisation() -> None:
    ref = Reference("k", "report", names={"author": [Name(literal="Google, Inc."),
                                                     Name(family="Doe", given="J.")]})
    names = _back(ref).names["author"]
    assert [n.to_csl() for n in names] == [{"literal": "Google, Inc."},
                                          {"family": "Doe", "given": "J."}]


def test_organisations_and_odd_names_read_back_as_written() -> None:
    odd = [Name(literal="Российская академия наук"), Name(literal=";"),
           Name(family="Smith, Jr", given="A."), Name(family="Doe"), Name(literal="ТАСС")]
    back = _back(Reference("k", "book", names={"editor": odd, "director": odd[:2]}))
    assert [n.to_csl() for n in back.names["editor"]] == [n.to_csl() for n in odd]
    assert [n.to_csl() for n in back.names["director"]] == [n.to_csl() for n in odd[:2]]


def test_kept_fields_keep_their_keys_and_types() -> None:
    ref = Reference("k", "book", extra={"my key": "v", "count": 3, "flag": True,
                                        "looks-like-a-number": "42", "TY": "ODD",
                                        "list": ["a", {"b": 1}], "spaced": " x "})
    assert _back(ref).extra == ref.extra


def test_a_note_that_reads_like_note_syntax_stays_a_note() -> None:
    note = "title [ru-Latn-x-bsi]: not a variant\nauthor 1 [en]: nor this"
    back = _back(Reference("k", "book", fields={"title": "T", "note": note}))
    assert back.fields["note"] == note and "title" not in back.variants


def test_a_value_line_that_looks_like_a_tag_does_not_start_a_record() -> None:
    ref = Reference("k", "book", fields={"abstract": "first\nTY  - JOUR\nER  - "})
    lib = read_string(dumps([ref], "ris"), "ris")
    assert lib.ids == ["k"] and not lib.report.has_errors


def test_an_english_title_with_markup_reads_back_once() -> None:
    """TT carries the plain line, the notes the form with its markup: one form comes back."""
    from transcite.model import Form, Variant

    ref = Reference("k", "article-journal", fields={"title": "Заглавие", "language": "ru"},
                    variants={"title": [Variant("On <i>Pinus</i> trees", Form.TRANSLATED,
                                                "en")]})
    ris = dumps([ref], "ris")
    assert "TT  - On Pinus trees" in ris          # what other programs read
    assert [v.text for v in _back(ref).variants["title"]] == ["On <i>Pinus</i> trees"]


def test_a_value_ending_in_a_stray_tag_reads_back_as_written() -> None:
    """The tag's line loses the space before a closing tag it cannot print; the note's exact
    form still wins over it."""
    ref = Reference("k", "article-journal", fields={"title": "A <i>x</i> y </b>",
                                                    "abstract": "(ab - </i>"})
    assert _back(ref).fields == ref.fields


def test_keywords_with_markup_read_back_as_written() -> None:
    """KW lines carry the keywords plainly; the note's exact value wins when it is what they
    say (found by the chain-of-formats property test)."""
    for value in ("<i>it</i>;", "<i>a</i>, b; c"):
        ref = Reference("k", "article-journal", fields={"title": "T", "keyword": value})
        assert _back(ref).fields == ref.fields


def test_dates_its_tags_cannot_say_come_back_as_they_were() -> None:
    """A 122nd day (kept as read), a season, an uncertain year and an odd event date go along
    exactly; a plain date needs nothing more than its tags."""
    from transcite.model import Date

    odd = {"issued": Date(((2016, 9, 122),)), "accessed": Date(((2018, 2, 30),)),
           "event-date": Date(((2019, 14),))}
    back = _back(Reference("d", "post-weblog", fields={"title": "T"}, dates=dict(odd)))
    assert {k: v.to_csl() for k, v in back.dates.items()} == \
        {k: v.to_csl() for k, v in odd.items()}
    for date in (Date(((2016,),), circa=True), Date(((2016,),), season="2")):
        assert _back(Reference("c", "book", dates={"issued": date})).dates["issued"] == date
    plain = Reference("p", "book", dates={"issued": Date(((2016, 9, 12),))})
    assert "transcite-custom" not in dumps([plain], "ris")
    assert _back(plain).dates["issued"] == plain.dates["issued"]


def test_a_keyword_that_is_markup_alone_keeps_the_field_whole() -> None:
    """A keyword list with a piece that is markup alone (``a;</i>``) writes no empty KW line
    and comes back as written, not cut at the piece and left in a note."""
    for value in ("a;</i>", "þ \\emph{x};</i>", "<i></i>; a", "</i>"):
        ref = Reference("k", "book", fields={"title": "T", "keyword": value})
        text = dumps([ref], "ris")
        assert "KW  - \n" not in text
        back = _back(ref)
        assert back.fields["keyword"] == value and "note" not in back.fields


def test_an_identifier_sn_cannot_hold_is_not_read_as_the_other_one() -> None:
    """An ISSN with a line break in it: its SN line (the break as a space) is shaped like
    neither identifier and was read as an ISBN beside the exact ISSN of the note - one more
    each time the file was read and written."""
    for fields in ({"ISSN": "0\rnpe.2016.2.05"}, {"ISBN": "978\r5"}, {"ISSN": "x\ry"}):
        ref = Reference("k", "article-journal", fields={"title": "T", **fields})
        back = _back(ref)
        assert {k: v for k, v in back.fields.items() if k in ("ISSN", "ISBN")} == fields
        assert dumps([back], "ris") == dumps([ref], "ris")


def test_identifiers_and_numbers_sn_shares_come_back_as_written() -> None:
    """SN holds ISBNs, ISSNs and a report's number alike, and the reader tells them by shape:
    an ISSN written over two lines, an ISBN that looks like an ISSN, a report's ISBN that
    looks like neither (its SN line would be the report's number) or a report number that
    looks like an ISSN all come back as the fields they were, and stay so when written
    again - a Zotero-style file (no note lines) still reads by shape."""
    cases = [
        ("book", {"ISSN": "1234-5678\r\n2345-6789"}),
        ("book", {"ISSN": "1234-5678;\n2345-6789"}),
        ("book", {"ISBN": "1234-5678"}),
        ("article-journal", {"ISBN": "1234-5678", "ISSN": "978-5-02-1"}),
        ("report", {"ISBN": "978-5-02-1"}),
        ("report", {"ISSN": "978-5\n-02-1"}),
        ("report", {"number": "1234-5678"}),
        ("report", {"number": "1234-5678", "ISBN": "978-5-02-1234-5"}),
        ("patent", {"number": "R-12", "ISSN": "1234-5678\n2345-6789"}),
    ]
    for ty, fields in cases:
        ref = Reference("k", ty, fields={"title": "T", **fields})
        back = _back(ref)
        assert {k: v for k, v in back.fields.items() if k != "title"} == fields, (ty, fields)
        assert dumps([back], "ris") == dumps([ref], "ris")
    plain = read_string("TY  - RPRT\nTI  - T\nSN  - 0204-3327\nSN  - 978-5-02-033322-5\n"
                        "ER  - \n", "ris")
    assert [{k: v for k, v in r.fields.items() if k != "title"} for r in plain] == \
        [{"ISSN": "0204-3327", "ISBN": "978-5-02-033322-5"}]


def test_forms_of_a_variable_no_note_line_can_name_come_back() -> None:
    """A form kept for a key a note line cannot name ("tit:le", a key with spaces) goes along
    exactly in the record's transcite-custom note, not as note text."""
    from transcite.model import Form, Variant

    ref = Reference("b", "article-newspaper", fields={"title": "Т", "language": "ru"})
    ref.add_variant("tit:le", Variant("Rossiya", Form.ROMANISED, "ru"))
    ref.add_variant("title x", Variant("X", Form.TRANSLATED, "en", origin="translit",
                                       confidence=0.5))
    ref.add_variant("title", Variant("T", Form.ROMANISED, "ru", "bgn_pcgn"))
    back = _back(ref)
    assert back.variants == ref.variants and "note" not in back.fields


def test_types_ty_cannot_name_and_keyword_separators_come_back() -> None:
    """TY has no type for a review, an interview or a plain "article" (they come back as a
    generic document or a journal article), and KW lines lose whether keywords were split
    at commas or semicolons: the exact type and keyword field go along in the note."""
    for ty in ("article", "review", "interview", "post", "treaty", "broadcast"):
        ref = Reference("k", ty, fields={"title": "T", "keyword": "a; b,c"})
        back = _back(ref)
        assert back.type == ty and back.fields == ref.fields
        assert "TY" not in back.extra and dumps([back], "ris") == dumps([ref], "ris")
    ref = Reference("k", "article-journal", fields={"title": "T", "keyword": "a, b"})
    assert "keyword:" not in dumps([ref], "ris")    # (what KW lines say: no note line)
    assert "transcite-custom" not in dumps([ref], "ris")


def test_a_key_an_id_line_cannot_hold_comes_back() -> None:
    """A key with a line break of any kind (U+0085, U+2028, a line feed) or a space at an
    end: its ID line cannot hold it, the note does."""
    for key in ("b\x85ook", "a\u2028b", "a\nb", " x", "\x85"):
        ref = Reference(key, "book", fields={"title": "T"})
        [back] = list(read_string(dumps([ref], "ris"), "ris"))
        assert back.id == key and dumps([back], "ris") == dumps([ref], "ris")
