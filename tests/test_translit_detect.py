"""Recognising the scheme of a romanised text."""

from __future__ import annotations

import pytest

from transcite.translit import detect_scheme, romanise

TEXT = ("Кинетика системы связанных импульсных реакторов. Исследование долгосрочных тенденций "
        "развития энергетики России и мира. Объёмы ядерной энергетики, подъём производства")


@pytest.mark.parametrize(("alias", "name"), [
    ("bsi", "bsi"), ("bgn", "bgn_pcgn"), ("lc", "ala_lc"), ("lc-plain", "ala_lc_alt"),
    ("gost-b", "gost_779_alt"), ("wikipedia", "wikipedia"), ("scientific", "scientific"),
    ("icao", "icao_doc_9303"), ("bs_2979", "bs_2979"), ("gost_16876_alt", "gost_16876_alt"),
])
def test_a_clean_romanisation_is_recognised(alias: str, name: str) -> None:
    guess = detect_scheme(romanise(TEXT, alias, exceptions=False))
    assert guess.scheme == name
    assert not guess.mixed
    assert guess.confidence > 0.8
    assert guess.scores[name] == max(guess.scores.values())


def test_iso9_ties_with_its_twin_gost_16876() -> None:
    guess = detect_scheme(romanise(TEXT, "iso9"))
    assert guess.scheme == "gost_779"
    assert guess.scores["gost_779"] == guess.scores["gost_16876"] == 1.0


def test_a_mix_of_two_schemes_is_reported_as_a_mix() -> None:
    half = TEXT.split(". ")
    text = romanise(half[0], "bsi") + ". " + romanise(". ".join(half[1:]), "gost-b")
    guess = detect_scheme(text)
    assert guess.mixed
    assert {"bsi", "gost_779_alt"} <= set(guess.mix)


def test_english_gives_no_evidence() -> None:
    guess = detect_scheme("The International Nuclear Event Scale User's Manual")
    assert guess.scheme is None and guess.confidence == 0.0
