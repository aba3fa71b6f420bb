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


def test_plain_text_keys_need_no_other_handling() -> None:
    """The engine's shortcut for plain text variables covers no alias, name, date or
    non-variable key (those take the long way)."""
    from transcite.render.csl import item

    special = set(item._ALIASES) | item._NOT_VARIABLES | item._NAME_KEYS | item._DATE_KEYS
    assert not item._PLAIN_TEXT & special
    made = item.make_item({"id": "a", "type": "book", "title": "  T  ", "url": "u",
                           "issued": "2001", "author": [{"family": "F", "given": "G"}]})
    assert made.vars["title"] == "T" and made.vars["URL"] == "u"
    assert made.dates["issued"].parts == [(2001, 0, 0)] and made.names["author"][0].family == "F"


def test_names_shared_between_items_are_equal_to_fresh_ones() -> None:
    from transcite.render.csl import item

    raw = {"family": "van der Berg", "given": "Jan, Jr."}
    first, second = item.make_name(dict(raw)), item.make_name(dict(raw))
    fresh = item._make_name(dict(raw))
    assert first is second and first is not None and fresh is not None
    assert first.key() == fresh.key() == ("Berg", "Jan", "", "van der", "Jr.", "")
    item.make_name({"family": "1"})
    one, true = item.make_name({"family": 1}), item.make_name({"family": True})
    assert one is not None and true is not None and (one.family, true.family) == ("1", "true")


_NAME_PARTS = st.lists(st.sampled_from(["van", "der", "Berg", "d'Artagnan", "'t Hooft", "Jan",
                                         "J.", "Jr.", ",", ", !", "!", "de la", "Иванов", "И.",
                                         '"', "-", " ", "ibn", "Le", "le", "III"]),
                       max_size=5).map(" ".join)


@settings(max_examples=400)
@given(st.fixed_dictionaries({}, optional={"family": _NAME_PARTS, "given": _NAME_PARTS}))
def test_a_name_of_family_and_given_alone_is_made_as_any_other(raw: dict[str, str]) -> None:
    """Names with nothing but a family and a given name take a shorter way; with an empty
    suffix beside them (the same name) they take the long one: the same name comes out."""
    from transcite.render.csl import item

    short, long = item._make_name(dict(raw)), item._make_name({**raw, "suffix": ""})
    assert (short is None) == (long is None)
    if short is not None and long is not None:
        assert (short.key(), short.comma_suffix, short.static_order, short.romanesque) == \
            (long.key(), long.comma_suffix, long.static_order, long.romanesque)


_TITLES = st.lists(st.sampled_from(["heat", "transfer", "reactor", "reactors", "core", "a", "ab",
                                    "теплообмен", "реактора", "x", "fast", "neutron", "abc"]),
                   min_size=0, max_size=9).map(" ".join)


@settings(max_examples=150)
@given(st.lists(_TITLES, min_size=1, max_size=25), st.sampled_from([93.0, 80.0, 60.0, 100.0]),
       st.booleans())
def test_similar_texts_find_what_comparing_with_all_finds(titles: list[str], cutoff: float,
                                                          bound: bool) -> None:
    # ``bound``: short candidate lists go through the letters bound first, as they do before
    # rapidfuzz is imported
    from unittest import mock

    from rapidfuzz import fuzz, process

    from transcite import similar
    from transcite.similar import SimilarTexts

    with mock.patch.object(similar, "_use_bound", lambda n: bound and n <= similar._FEW):
        index = SimilarTexts(cutoff)
        for n, text in enumerate(titles):
            expected = sorted((j, float(score)) for _, score, j in process.extract(
                text, titles[:n], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)) \
                if text else []
            assert sorted(index.similar(text)) == expected
            index.add(text)


_AUTHORS = st.sampled_from([[], ["Smith"], ["Smith", "Jones"], ["Иванов"], ["Jones"]])


@settings(max_examples=150)
@given(st.lists(st.tuples(_TITLES, _AUTHORS, st.sampled_from([2001, 2002]),
                          st.sampled_from(["", "3", "4"])), max_size=14))
def test_duplicates_found_as_by_comparing_every_pair(rows: list[tuple[str, list[str], int,
                                                                       str]]) -> None:
    """find_duplicates' pruned search takes the pair a comparison of all pairs takes."""
    from rapidfuzz import fuzz

    from transcite.dedupe import _conflict, _first_authors, _fold, find_duplicates, fingerprint
    from transcite.model import Date, Name, Reference

    refs = [Reference(f"r{n}", "article-journal", fields={"title": title, "volume": vol}
                      if vol else {"title": title},
                      names={"author": [Name(a, "J.") for a in authors]} if authors else {},
                      dates={"issued": Date(((year,),))})
            for n, (title, authors, year, vol) in enumerate(rows)]
    expected = {}
    for n, ref in enumerate(refs):
        for earlier in refs[:n]:
            if earlier.year != ref.year or _conflict(fingerprint(ref), fingerprint(earlier)):
                continue
            a, b = _first_authors(ref), _first_authors(earlier)
            if a and b and not a & b:
                continue
            x, y = _fold(ref.fields["title"]), _fold(earlier.fields["title"])
            if x and y and fuzz.token_sort_ratio(x, y) >= 93.0:
                expected[ref.id] = earlier.id
                break
    got = {d.later.id: d.earlier.id for d in find_duplicates(refs)}
    assert got == expected


_SHIPPED_TITLES = ["Russian Japanology Review", "Известия вузов. Ядерная энергетика",
                   "Izvestiya vuzov. Yadernaya Energetika", "Nuclear Energy and Technology"]


@settings(max_examples=200)
@given(st.one_of(
    st.sampled_from(_SHIPPED_TITLES).flatmap(lambda t: st.tuples(
        st.just(t), st.integers(0, len(t)), st.integers(0, 3),
        st.sampled_from(["", "x", "е", " ", "s"])).map(
        lambda a: a[0][:a[1]] + a[3] + a[0][a[1] + a[2]:])),
    _TITLES, st.text(max_size=40)))
def test_fuzzy_journal_titles_match_as_comparing_with_all(title: str) -> None:
    # the length and letter bounds only skip titles rapidfuzz would score below the cutoff
    from rapidfuzz import fuzz, process

    from transcite.journals import _fold, load_registry

    registry = load_registry(shipped=True)
    key = _fold(title)
    exact = registry._by_title.get(key)
    best = process.extractOne(key, list(registry._by_title), scorer=fuzz.ratio,
                              score_cutoff=92) if key else None
    expected = exact or (registry._by_title[best[0]] if best else None)
    assert registry.by_title(title) is expected


_NAME_PART = st.one_of(st.none(), st.sampled_from(["", " ", "Иванов", "И.И.", "И. И.", "Smith",
                                                   "J.", "et al.", "и др.", ",", "van", "Jr.",
                                                   "Иванов И.И.", "  Петров ", "Ю."]))


@settings(max_examples=400)
@given(_NAME_PART, _NAME_PART, _NAME_PART, _NAME_PART, _NAME_PART, _NAME_PART)
def test_names_step_shortcut_decides_as_the_full_comparison(
        family: str | None, given_: str | None, dropping: str | None, non_dropping: str | None,
        suffix: str | None, literal: str | None) -> None:
    """The names step leaves a name alone exactly when its cleaned form has the same parts."""
    from transcite.model import Name
    from transcite.normalisation.text_steps import _unchanged, clean_name

    name = Name(family, given_, dropping, non_dropping, suffix, literal)
    assert _unchanged(name) == clean_name(name).parts_equal(name)
