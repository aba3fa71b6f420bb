"""The filter's parts: the API-version check, metadata, locators read from suffixes, the
engine's HTML turned into Pandoc inlines, and the CSL variants behind [-@key] and @key."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from _pandoc import s
from hypothesis import given
from hypothesis import strategies as st

from transcite.model import Report
from transcite.pandoc.ast import (
    UnsupportedAPI,
    check_api_version,
    meta_bool,
    meta_value,
    stringify,
    text_inlines,
)
from transcite.pandoc.inlines import html_to_inlines, link_urls
from transcite.pandoc.layout import StyleError, citation_layout, number_margin
from transcite.pandoc.locators import labels, parse_locator, split_suffix
from transcite.render.styles import resolve_style

# -- API version -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [[1, 23], [1, 23, 1], [1, 23, 1, 1]])
def test_pandoc_3_asts_are_accepted(version: list[int]) -> None:
    assert check_api_version({"pandoc-api-version": version, "meta": {}, "blocks": []}) == \
        tuple(version)


@pytest.mark.parametrize(("version", "era"), [([1, 22, 2, 1], "Pandoc 2.x"),
                                              ([1, 17, 5, 4], "Pandoc 2.x"),
                                              ([1, 24], "newer Pandoc")])
def test_other_asts_are_refused_with_the_supported_range(version: list[int], era: str) -> None:
    with pytest.raises(UnsupportedAPI) as info:
        check_api_version({"pandoc-api-version": version, "meta": {}, "blocks": []})
    message = str(info.value)
    assert ".".join(map(str, version)) in message and era in message
    assert "Pandoc 3.x" in message and "1.23" in message


def test_a_document_without_version_is_refused() -> None:
    with pytest.raises(UnsupportedAPI, match="not a Pandoc JSON document"):
        check_api_version({"blocks": []})


# -- metadata --------------------------------------------------------------------------------------


def test_meta_values_become_plain_python() -> None:
    meta = {"t": "MetaMap", "c": {
        "title": {"t": "MetaInlines", "c": [*s("Книга "), {"t": "Emph", "c": s("первая")}]},
        "tags": {"t": "MetaList", "c": [{"t": "MetaString", "c": "a"},
                                        {"t": "MetaInlines", "c": s("b c")}]},
        "flag": {"t": "MetaBool", "c": True}}}
    assert meta_value(meta) == {"title": "Книга первая", "tags": ["a", "b c"], "flag": True}


@pytest.mark.parametrize(("node", "want"), [
    (None, False), ({"t": "MetaBool", "c": True}, True),
    ({"t": "MetaInlines", "c": s("true")}, True), ({"t": "MetaString", "c": "no"}, False)])
def test_meta_bool(node: object, want: bool) -> None:
    assert meta_bool(node, False) is want


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=40))
def test_text_inlines_keep_words_and_single_spaces(text: str) -> None:
    """Runs of ordinary white space become one Space; no-break spaces stay inside words."""
    assert stringify(text_inlines(text)) == re.sub(r"[ \t\r\n]+", " ", text)


# -- locators -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "label", "value", "rest"), [
    (", p. 71", "page", "71", ""),
    (", p.\u00a071, and elsewhere", "page", "71", ", and elsewhere"),
    (", С. 71", "page", "71", ""),
    (", с. 71–73", "page", "71–73", ""),
    ("pp. 33-35, 38-39", "page", "33-35, 38-39", ""),
    (", 71", "page", "71", ""),
    (", гл. 3", "chapter", "3", ""),
    (", chap. 3, for the drills", "chapter", "3", ", for the drills"),
    (", т. 2", "volume", "2", ""),
    (", vol. IV", "volume", "IV", ""),
    (", sec. {Preface}", "section", "Preface", ""),
    (", § 4", "section", "4", ""),
    (", fig. 2.", "figure", "2", "."),
])
def test_locators_are_read_from_the_suffix(suffix: str, label: str, value: str,
                                           rest: str) -> None:
    locator, left = split_suffix(s(suffix))
    assert locator is not None and (locator.label, locator.value) == (label, value)
    assert stringify(left) == rest


@pytest.mark.parametrize("suffix", [", see also", ", I think", " and more", ", в печати", ""])
def test_text_without_a_number_is_no_locator(suffix: str) -> None:
    locator, left = split_suffix(s(suffix))
    assert locator is None and stringify(left) == suffix


def test_formatted_suffix_after_the_locator_is_kept() -> None:
    suffix = [*s(", p. 5, "), {"t": "Emph", "c": s("passim")}]
    locator, left = split_suffix(suffix)
    assert locator is not None and locator.value == "5"
    assert left[-1] == {"t": "Emph", "c": s("passim")} and stringify(left) == ", passim"


@given(st.sampled_from(sorted(labels())), st.integers(min_value=1, max_value=9999),
       st.sampled_from(["", " and more", ", passim"]))
def test_every_known_label_reads_its_number(label: str, number: int, tail: str) -> None:
    text = f", {label} {number}{tail}"
    found = parse_locator(text)
    assert found is not None
    locator, used = found
    assert locator.label == labels()[label] and locator.value == str(number)
    assert text[used:] == tail


def test_locale_terms_are_labels() -> None:
    table = labels()
    assert table["с."] == table["p."] == table["страница"] == table["pages"] == "page"
    assert table["гл."] == "chapter" and table["т."] == "volume"


# -- HTML to inlines -------------------------------------------------------------------------------


def test_engine_markup_becomes_pandoc_inlines() -> None:
    got = html_to_inlines('Batin &amp; <i>Rossiya <b>2</b></i> <sup>a</sup><sub>b</sub> '
                          '<span style="font-variant:small-caps;">Gost</span>')
    assert got == [*s("Batin & "), {"t": "Emph", "c": [*s("Rossiya "), {
        "t": "Strong", "c": s("2")}]}, {"t": "Space"}, {"t": "Superscript", "c": s("a")},
        {"t": "Subscript", "c": s("b")}, {"t": "Space"}, {"t": "SmallCaps", "c": s("Gost")}]
    assert not any(node["t"] == "RawInline" for node in got)


def test_margin_divs_become_spans_with_their_class() -> None:
    got = html_to_inlines('<div class="csl-left-margin">1. </div><div class="csl-right-inline">'
                          'Text</div>')
    assert [n["c"][0][1] for n in got] == [["csl-left-margin"], ["csl-right-inline"]]


def test_urls_and_dois_become_links() -> None:
    got = link_urls(html_to_inlines("URL: https://tass.ru/a/1. DOI: 10.1234/abc.5)."))
    links = [n for n in got if n["t"] == "Link"]
    assert [link["c"][2][0] for link in links] == ["https://tass.ru/a/1",
                                                   "https://doi.org/10.1234/abc.5"]
    assert stringify(got) == "URL: https://tass.ru/a/1. DOI: 10.1234/abc.5)."


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs")),
               min_size=1, max_size=30))
def test_escaped_text_comes_back_unchanged(word: str) -> None:
    assert stringify(html_to_inlines(html.escape(word))) == word


# -- CSL variants ----------------------------------------------------------------------------------


def _style(name: str) -> bytes:
    return resolve_style(name).path.read_bytes()


def test_layout_affixes_and_kind() -> None:
    gost = citation_layout(_style("gost-r-7-0-5-2008-numeric"))
    assert (gost.prefix, gost.suffix, gost.delimiter) == ("[", "]", ", ")
    assert gost.collapse == "citation-number" and gost.sorted and not gost.note
    apa = citation_layout(_style("apa"))
    assert (apa.prefix, apa.suffix, apa.hanging_indent) == ("(", ")", True)
    assert citation_layout(_style("chicago-notes-bibliography-17th-edition")).note


def _forms(style: str, cites: list[dict[str, Any]]) -> list[dict[str, str]]:
    from transcite.pandoc.engine import _cite_forms
    from transcite.render.engine import Engine

    items = [{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [[2017]]},
              "author": [{"family": "Батин", "given": "Ю."}]}]
    report = Report()
    clusters = [[c] for c in cites] + [[{"id": "a"}]]
    return _cite_forms(Engine.create(style, None, "html"), clusters, items, {"a": 1}, report)


def test_the_engine_renders_each_cite_bare_in_every_mode() -> None:
    """One engine run gives every cite without the layout's brackets, in the three modes."""
    form = _forms("gost-r-7-0-5-2008", [{"id": "a", "locator": "71", "label": "page"}])[0]
    assert form["normal"] == "Батин, 2017, с. 71"
    assert form["suppress-author"] == "2017, с. 71"
    assert form["author-only"] == "Батин"


def test_numeric_styles_take_the_author_from_the_bibliography_in_short_form() -> None:
    form = _forms("ieee", [{"id": "a"}])[0]
    assert form["author-only"] == "Батин"
    assert form["normal"] == "[1]"


def test_positions_follow_the_document_across_modes() -> None:
    """The second cite of an item is subsequent in every mode (a note style shortens it)."""
    forms = _forms("chicago-notes-bibliography-17th-edition", [{"id": "a"}, {"id": "a"}])
    assert forms[0]["normal"] != forms[1]["normal"]
    assert forms[1]["normal"].startswith("Ibid") or len(forms[1]["normal"]) < \
        len(forms[0]["normal"])


def test_number_margin_of_aligned_styles() -> None:
    assert number_margin(_style("gost-r-7-0-5-2008-numeric")) == ("", ".")
    assert number_margin(_style("ieee")) == ("[", "]")
    assert number_margin(_style("apa")) is None


@pytest.mark.parametrize("xml", [b"<style", b"<html/>",
                                 b'<style xmlns="http://purl.org/net/xbiblio/csl"/>'])
def test_broken_styles_are_refused(xml: bytes) -> None:
    with pytest.raises(StyleError):
        citation_layout(xml)
