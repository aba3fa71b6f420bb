"""Romanisation schemes: every sample pair of every scheme, clean output, data validation."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcite.registry import UnknownName
from transcite.resources import DataError
from transcite.translit import get_scheme, romanise, schemes
from transcite.translit.scheme import load_scheme_file, scheme_index

_NAMES = [e["name"] for e in scheme_index()]
_SAMPLES = [(name, i, cyr, lat) for name in _NAMES
            for i, (cyr, lat) in enumerate(get_scheme(name).samples)]
_CYRILLIC = re.compile("[\u0400-\u052f]")


@pytest.mark.parametrize(("name", "index", "cyrillic", "latin"), _SAMPLES,
                         ids=[f"{n}-{i}" for n, i, _, _ in _SAMPLES])
def test_sample_pair(name: str, index: int, cyrillic: str, latin: str) -> None:
    assert romanise(cyrillic, name, exceptions=False) == latin


def test_every_iuliia_scheme_is_there_with_samples() -> None:
    iuliia = {p.stem for p in (Path(__file__).resolve().parent.parent / "src" / "transcite"
                               / "data" / "translit" / "iuliia").glob("*.json")}
    assert len(iuliia) == 28
    assert iuliia <= set(_NAMES)
    assert all(get_scheme(n).samples for n in _NAMES)


@pytest.mark.parametrize("alias", ["bgn", "lc", "bsi", "gost-b", "iso9", "lc-plain", "ICAO",
                                   "gost_7.79_b", "wiki", "scopus"])
def test_friendly_aliases(alias: str) -> None:
    assert get_scheme(alias).name in _NAMES


def test_unknown_scheme_suggests_close_names() -> None:
    with pytest.raises(UnknownName) as err:
        get_scheme("bgnpcgn")
    assert "bgn_pcgn" in err.value.suggestions


def test_schemes_lists_each_with_an_example() -> None:
    listed = schemes()
    assert [s.name for s in listed] == _NAMES
    for info in listed:
        cyr, lat = info.example
        assert _CYRILLIC.search(cyr) and lat and not _CYRILLIC.search(lat)
    assert {s.name for s in listed if s.reversible} == {"gost_779", "gost_16876"}


def test_journal_bsi_and_lc_without_diacritics() -> None:
    text = "Юрий Подъячев, «Объёмы ядерной энергетики»"
    assert romanise(text, "bsi") == "Yurii Pod''yachev, «Ob''emy yadernoi energetiki»"
    assert romanise(text, "lc-plain") == 'Iurii Pod"iachev, «Ob"emy iadernoi energetiki»'
    assert romanise(text, "lc") == "I͡uriĭ Podʺi͡achev, «Obʺëmy i͡adernoĭ ėnergetiki»"


def test_corrected_tables_write_latin_e_diaeresis_and_nfc() -> None:
    for name in ("ala_lc", "bgn_pcgn", "bs_2979", "gost_779", "scientific", "ungegn_1987"):
        assert "ë" in romanise("ёж", name, exceptions=False).lower()
    assert romanise("жук", "iso9") == "žuk"
    assert unicodedata.is_normalized("NFC", romanise("жук", "iso9"))
    assert romanise("Иван", "iso_9_1968_alt") == "Ivan"


_ANY_CYRILLIC = st.text(st.characters(min_codepoint=0x0400, max_codepoint=0x04FF)
                        | st.sampled_from(" -.,«»0123456789"), max_size=40)


@settings(max_examples=60, deadline=None)
@given(text=_ANY_CYRILLIC, name=st.sampled_from(_NAMES))
def test_no_cyrillic_letter_survives_and_output_is_nfc(text: str, name: str) -> None:
    out = romanise(text, name)
    letters = [c for c in out if _CYRILLIC.match(c) and unicodedata.category(c).startswith("L")]
    assert not letters
    assert unicodedata.is_normalized("NFC", out)


def test_a_broken_scheme_file_is_named_in_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "bad", "mapping": {"ж": "ж"}, "samples": []}),
                   encoding="utf-8")
    with pytest.raises(DataError, match="bad.json.*Cyrillic"):
        load_scheme_file(bad)
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(DataError, match="bad.json.*invalid JSON"):
        load_scheme_file(bad)
