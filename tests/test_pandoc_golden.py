"""The filter's core on real Pandoc JSON: each folder of tests/data/pandoc holds a paper
(paper.md), the AST pandoc 3 made of it (paper.json) and the text the filter must produce
(expected.txt, written by hand). These run without pandoc."""

from __future__ import annotations

import pytest
from _pandoc import CASES, assert_matches, expected, load_case, plain_lines

from transcite.pandoc import filter_document

PLAIN_CASES = ["gost-author-date", "gost-numeric", "apa-english", "inline-references"]


@pytest.mark.parametrize("case", PLAIN_CASES)
def test_golden_case(case: str) -> None:
    result = filter_document(load_case(case), base=CASES / case)
    assert_matches(expected(case), plain_lines(result.doc["blocks"]))


def test_dual_view_fills_both_lists_where_the_paper_asks() -> None:
    pytest.importorskip("transcite.translit")
    result = filter_document(load_case("dual"), base=CASES / "dual")
    assert_matches(expected("dual"), plain_lines(result.doc["blocks"]))


def test_golden_warnings_name_the_keys() -> None:
    result = filter_document(load_case("gost-author-date"), base=CASES / "gost-author-date")
    warned = [(p.code, p.item) for p in result.report]
    assert ("pandoc.unknown-key", "Nobody2020") in warned
    result = filter_document(load_case("inline-references"), base=CASES / "inline-references")
    messages = {p.item: p.message for p in result.report}
    assert "did you mean 'profile'" in messages["profiel"]
    assert "Missing2020" in messages
