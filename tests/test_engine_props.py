"""Property tests for the engine's building blocks: collation, punctuation, page ranges,
initials, rich text; and a differential check against pandoc's citeproc."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcite.render.csl.names import initialize
from transcite.render.csl.numbers import format_page_range
from transcite.render.csl.rich import fix_punct, parse_rich, plain
from transcite.render.csl.sort import collation_key

RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
ru_words = st.text(alphabet=RU, min_size=1, max_size=12)
en_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


@given(ru_words)
def test_yo_sorts_with_ye(word: str) -> None:
    """"ё" differs from "е" only after the letters (Фёдоров sits with Федоров)."""
    assert collation_key(word)[0] == collation_key(word.replace("ё", "е"))[0]


@given(ru_words, ru_words)
def test_russian_order_is_alphabetical(a: str, b: str) -> None:
    """Primary order of Russian words is the alphabet's (ё counted as е)."""
    def alpha(w: str) -> list[int]:
        return [RU.replace("ё", "").index(c) for c in w.replace("ё", "е")]
    if alpha(a) != alpha(b):
        assert (collation_key(a)[0] < collation_key(b)[0]) == (alpha(a) < alpha(b))


@given(st.one_of(ru_words, en_words))
def test_case_only_breaks_ties(word: str) -> None:
    """Capitals do not change the primary order."""
    assert collation_key(word.capitalize())[0] == collation_key(word)[0]


@given(ru_words, en_words)
def test_cyrillic_first_when_asked(ru: str, en: str) -> None:
    """With Cyrillic first any Russian word sorts before any Latin one; by default after."""
    assert collation_key(ru, True) < collation_key(en, True)
    assert collation_key(en) < collation_key(ru)


@given(st.text(alphabet="abc ", min_size=1, max_size=10), st.sampled_from("?!."),
       st.sampled_from([".", ". ", ", "]))
def test_no_doubled_punctuation(text: str, end: str, suffix: str) -> None:
    """A piece ending in ? ! or . followed by "." never renders "?." or ".."."""
    out = "".join(plain(p) for p in fix_punct([text + end, suffix]))
    assert "?." not in out and "!." not in out and ".." not in out
    assert out.startswith(text + end)


@given(st.integers(1, 9999), st.integers(1, 999))
def test_page_ranges_round_trip(start: int, length: int) -> None:
    """Any abbreviated range, expanded again, is the full range."""
    end = start + length
    for fmt in ("minimal", "minimal-two", "chicago", "chicago-16"):
        out = format_page_range(f"{start}-{end}", fmt)
        a, b = out.split("\u2013")
        full = a[: len(a) - len(b)] + b if len(b) < len(a) else b
        assert (a, int(full)) == (str(start), end)


@given(st.lists(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=1)
                .flatmap(lambda c: st.just(c + "abcdef"[: 3])), min_size=1, max_size=3))
def test_initials_keep_first_letters(words: list[str]) -> None:
    """Initials are the first letter of each given name, with the chosen punctuation."""
    assert initialize(" ".join(words), ". ", True) == " ".join(w[0] + "." for w in words)
    assert initialize("-".join(words), ".", True) == "-".join(w[0] + "." for w in words)


@given(st.text(alphabet="xy <>/ib\"'", max_size=20))
def test_rich_text_keeps_the_text(text: str) -> None:
    """Parsing markup never loses letters (markup and quotes may turn into formatting)."""
    letters = [c for c in text if c in "xy"]
    assert [c for c in plain(parse_rich(text)) if c in "xy"] == letters


@pytest.mark.pandoc
def test_agrees_with_pandoc_citeproc(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a generated mixed Russian/English library, numeric styles render exactly as
    pandoc's citeproc does (benchmarks/pandoc_diff.py compares every shipped style)."""
    pytest.importorskip("pypandoc")
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "benchmarks"))
    import pandoc_diff

    items = pandoc_diff.generate(40, 7)
    # one deliberate difference: a comma after a title ending in "?" stays inside the quotes
    # ("Why?,") as citeproc-js and the CSL test suite have it; pandoc drops the comma
    fold = pandoc_diff.normalise
    monkeypatch.setattr(pandoc_diff, "normalise",
                        lambda s: fold(s).replace("?,\u201d", "?\u201d"))
    for name in ("ieee", "vancouver", "gost-r-7-0-5-2008-numeric"):
        style = root / "styles" / "csl" / f"{name}.csl"
        same, _, total, _, _ = pandoc_diff.compare(style, items, show=5)
        assert same == total, name
