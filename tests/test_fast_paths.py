"""Shortcuts taken for speed give exactly what the plain computation gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

_WORDS = st.lists(st.sampled_from(["reactor", "реактор", "a", "ab", "б", "z9", "Ёж", "x_y", "é",
                                   "-", " ", "  ", "?", "core", "cores", "ядро", "ядра"]),
                  max_size=12).map(" ".join)


@settings(max_examples=300)
@given(_WORDS, _WORDS)
def test_token_sort_similarity_on_presorted_words(a: str, b: str) -> None:
    from rapidfuzz import fuzz

    from transcite.dedupe import _fold, _sorted_words

    x, y = _fold(a), _fold(b)
    assert fuzz.ratio(_sorted_words(x), _sorted_words(y)) == fuzz.token_sort_ratio(x, y)


_MIXED = st.lists(st.sampled_from(["Наука", "M.", "T.", "c", "C", "pр.", "XXI", "ХХI", "600 °C",
                                   "Smith", " ", ", ", "статья", "X", "e", "е", "5"]),
                  max_size=10).map(" ".join)


@settings(max_examples=300)
@given(_MIXED)
def test_lookalike_words_shortcut(text: str) -> None:
    """Texts in one script have no look-alike findings; mixed ones are checked in full."""
    from transcite import check

    found = check.lookalike_words(text)
    latin = any(check._LATIN.match(ch) for ch in text)
    cyrillic = any(check.is_cyrillic(ch) for ch in text)
    if not (latin and cyrillic):
        assert found == []
    for word, _fix, _lone in found:
        assert word in text
