"""The fast BibTeX splitter reads exactly what bibtexparser reads, or hands the file over.

Property: for any text, ``split_entries`` either returns None or the same entries (type, key,
fields with their lines, line, raw text) bibtexparser gives after its default middlewares - and
it never returns entries for a text in which bibtexparser finds a syntax error.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcite.readers.bibtex_split import split_entries

bibtexparser = pytest.importorskip("bibtexparser")
logging.getLogger("bibtexparser").disabled = True

DATA = Path(__file__).parent / "data"


def _bibtexparser_view(text: str) -> tuple[list[tuple[object, ...]], bool,
                                          list[tuple[int, str, int]]]:
    """bibtexparser's entries (duplicates included, as transcite reads them), whether it
    found anything transcite's splitter does not handle, and its implicit comments (entries
    before each, raw text, line)."""
    from bibtexparser.middlewares import RemoveEnclosingMiddleware
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        Entry,
        ExplicitComment,
        ImplicitComment,
        ParsingFailedBlock,
    )

    library = bibtexparser.parse_string(text)
    entries = []
    comments = []
    unusual = False
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block,
                                                                     Entry):
            block = RemoveEnclosingMiddleware().transform_block(block.ignore_error_block,
                                                                library)
        elif isinstance(block, (ParsingFailedBlock, ExplicitComment)):
            unusual = True
            continue
        elif isinstance(block, ImplicitComment):
            comments.append((len(entries), block.raw, block.start_line))
            continue
        elif not isinstance(block, Entry):
            unusual = True
            continue
        entries.append((block.entry_type, block.key,
                        [(f.key, f.value, f.start_line) for f in block.fields],
                        block.start_line, block.raw))
    return entries, unusual, comments


def _same_as_bibtexparser(text: str) -> bool:
    """Check the property for one text; True when the fast path took it."""
    blocks: list = []
    fast = split_entries(text, blocks=blocks)
    expected, unusual, comments = _bibtexparser_view(text)
    if fast is None:
        return False
    assert not unusual, "the fast splitter accepted a text bibtexparser reports errors in"
    got = [(e.entry_type, e.key, [tuple(f) for f in e.fields], e.start_line, e.raw)
           for e in fast]
    assert got == expected
    assert [tuple(b) for b in blocks] == comments       # comments kept alike
    return True


def test_generated_and_shipped_files() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from generate import generate, to_bibtex

    text = "\n".join(to_bibtex(it) for it in generate(300, 7))
    assert _same_as_bibtexparser(text)
    for path in DATA.rglob("*.bib"):
        _same_as_bibtexparser(path.read_text("utf-8"))


@pytest.mark.parametrize("text", [
    "@article{a, title = {T}}",
    "@article{a, title = {T},}\n\n@book{b,\n  title = \"Q {x} y\",\n  year = 2001\n}",
    "@misc{onlykey}",
    "% a comment\n@Article {k,\n author = {A and B}, title={{NASA} \\textit{in situ}}}\n",
    "@article{a, title = {x} # {y}, note = {a\\}b}}",
    "@article{a, title = \"a {\"} b\"}",
    "@article{a, title = {x}}\n@article{a, title = {y}}",      # a duplicate key is read
])
def test_known_shapes_match_bibtexparser(text: str) -> None:
    assert _same_as_bibtexparser(text)


@pytest.mark.parametrize("text", [
    "@string{j = {Journal}}\n@article{a, journal = j}",
    "@comment{x}\n@article{a, title = {T}}",
    "@article(a, title = {T})",
    "@article{a, title = {T}, title = {U}}",
    "@article{a, title = {T}\n@article{b, title = {U}}",
    "@article{a, title = {T @book{x}}}",
    "@article{a title = {T}}",
])
def test_other_files_are_left_to_bibtexparser(text: str) -> None:
    assert split_entries(text) is None
    _same_as_bibtexparser(text)


_PIECES = ["@article{", "@Book {", "@misc(", "@string{", "@comment{", "@preamble{", "key",
           "k2", ",", " = ", "=", "{", "}", '"', "\\", "\\{", "\\}", '\\"', "@", "\n", " ",
           "\t", "title", "author", "Title", "Иванов and Smith", "#", "(", ")", "2015", '{"}',
           "x@y", "% note\n", "{\\'e}"]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_text(pieces: list[str]) -> None:
    _same_as_bibtexparser("".join(pieces))


_VALUE_TEXT = st.lists(st.sampled_from(list("ab Я,=\"{}\\@\n#~") + ["{x}", "\\'", "@misc{"]),
                       max_size=12).map("".join)
_VALUE = st.one_of(
    st.builds(lambda s: "{" + s + "}", _VALUE_TEXT),
    st.builds(lambda s: '"' + s + '"', _VALUE_TEXT),
    st.sampled_from(["2015", "jan", "{a} # {b}", ""]),
)
_FIELD = st.tuples(st.sampled_from(["title", "author", "Title", "year", " note ", "t\nx"]),
                   _VALUE, st.sampled_from([" = ", "=", "\n  =  "]))
_ENTRY = st.builds(
    lambda typ, key, fields, sep, tail: f"@{typ}{{{key},{sep}" + f",{sep}".join(
        k + eq + v for k, v, eq in fields) + tail,
    st.sampled_from(["article", "Book ", "misc", "inproceedings"]),
    st.sampled_from(["a", "b", "Smith2000", "ключ", ""]),
    st.lists(_FIELD, max_size=4), st.sampled_from(["\n  ", " "]),
    st.sampled_from(["\n}\n", "}", ",\n}", "\n", "}}"]))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ENTRY, max_size=4), st.sampled_from(["\n", "\n\n% c\n", ""]))
def test_entry_like_text(entries: list[str], between: str) -> None:
    _same_as_bibtexparser(between.join(entries))


# -- names ------------------------------------------------------------------------------------
_NAME_TEXT = st.lists(st.sampled_from(
    ["Smith", "John", "van", "der", "de la", "Иванов", "И. И.", "jr", "Jr.", "and", "AND", "And",
     " ", "  ", ",", "\t", "\n", "~", "-", "Jean-Paul", "{NASA}", "\\'e", "others", "1st", "Ёлкин",
     "o'Brien", "ß"]), max_size=14).map("".join)


@settings(max_examples=500)
@given(_NAME_TEXT)
def test_names_split_and_parsed_as_bibtexparser_does(value: str) -> None:
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    from transcite.readers.bibtex_names import InvalidName, name_parts, split_names

    if not re.search(r"[ \t\r\n][aA][nN][dD][ \t\r\n]+\\", value):  # bibtexparser drops the command
        assert split_names(value) == split_multiple_persons_names(value)
    for raw in split_names(value):
        try:
            p = parse_single_name_into_parts(raw, strict=False)
        except InvalidNameError:
            with pytest.raises(InvalidName):
                name_parts(raw)
            continue
        assert name_parts(raw) == (tuple(p.first), tuple(p.von), tuple(p.last), tuple(p.jr))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ENTRY, max_size=8), st.sampled_from(["\n", "\n\n% c\n", ""]),
       st.integers(2, 5))
def test_regions_split_as_the_whole_text(entries: list[str], between: str, parts: int) -> None:
    from transcite.readers.bibtex_split import regions

    text = between.join(entries)
    whole = split_entries(text)
    pieces = [split_entries(text[a:b], text.count("\n", 0, a)) for a, b in regions(text, parts)]
    if whole is None:
        assert any(p is None for p in pieces)
    else:
        assert [e for p in pieces for e in (p or [])] == whole
        assert all(p is not None for p in pieces)


@pytest.mark.parametrize("value,names", [
    ('Smith, J. and \\"{O}zdemir, A.', ["Smith, J.", '\\"{O}zdemir, A.']),
    ("a and \\'e", ["a", "\\'e"]),
    ("a and  \\emph{x} and b", ["a", "\\emph{x}", "b"]),
    ("{Simon and Schuster} and X", ["{Simon and Schuster}", "X"]),
])
def test_a_name_starting_with_a_command_keeps_it(value: str, names: list[str]) -> None:
    from transcite.readers.bibtex_names import split_names

    assert split_names(value) == names      # bibtexparser 2.0 drops the command's start
