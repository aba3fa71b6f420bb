"""LaTeX decoding, dates and names as bibliographies write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcite import latex
from transcite.dates import parse_date
from transcite.names import split_name


@pytest.mark.parametrize(("source", "expected"), [
    (r"Caf\'e", "Café"),
    (r"{\"U}ber", "Über"),
    (r"M{\"u}ller", "Müller"),
    (r"\v{C}ech \c{c}", "Čech ç"),
    (r"na\"{\i}ve", "naïve"),
    (r"\ss{} und \o", "ß und ø"),
    (r"A {NASA} study", 'A <span class="nocase">NASA</span> study'),
    (r"{{Whole Title}}", '<span class="nocase">Whole Title</span>'),
    (r"\emph{Homo sapiens}", "<i>Homo sapiens</i>"),
    (r"\textbf{bold} and \textsc{caps}",
     '<b>bold</b> and <span style="font-variant:small-caps;">caps</span>'),
    (r"pages 1--9, 1914---1918", "pages 1–9, 1914—1918"),
    (r"50\% \& more", "50% & more"),
    (r"<<Кавычки>> \No~5", "«Кавычки» №\u00a05"),
    (r"$\alpha$-helix, H$_2$O, $10^{-3}$", "α-helix, H₂O, 10⁻³"),
    (r"\unknowncommand", r"\unknowncommand"),
    ("plain text", "plain text"),
])
def test_latex_decoding(source: str, expected: str) -> None:
    assert latex.decode(source) == expected


def test_names_and_places_lose_braces_without_nocase() -> None:
    assert latex.decode("{Barnes and Noble}", protect=False) == "Barnes and Noble"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_encode_then_decode_gives_the_text_back(text: str) -> None:
    text = " ".join(text.split())
    if "<" in text or "--" in text or "``" in text or "''" in text or ">>" in text:
        return  # markup and ligature sequences are not plain text
    assert latex.decode(latex.encode(text)).replace("\u00a0", " ") == text.replace("\u00a0", " ")


@pytest.mark.parametrize(("text", "parts"), [
    ("2017", ((2017,),)),
    ("2017-09-06", ((2017, 9, 6),)),
    ("2016/2017", ((2016,), (2017,))),
    ("21.07.2018", ((2018, 7, 21),)),
    ("6 September 2017", ((2017, 9, 6),)),
    ("21 июля 2018 г.", ((2018, 7, 21),)),
    ("Sep. 5, 2016", ((2016, 9, 5),)),
    ("12-14 May 2010", ((2010, 5, 12), (2010, 5, 14))),
])
def test_dates(text: str, parts: tuple) -> None:
    assert parse_date(text).parts == parts


def test_unparseable_dates_are_kept_as_literals() -> None:
    assert parse_date("в печати").literal == "в печати"


@pytest.mark.parametrize(("text", "family", "given"), [
    ("Батин Ю.", "Батин", "Ю."),
    ("Koizumi Yu.", "Koizumi", "Yu."),
    ("Иванов И.И.", "Иванов", "И. И."),
    ("S.V. Lavrov", "Lavrov", "S. V."),
    ("Inozemtsev, V.", "Inozemtsev", "V."),
    ("Zhukov Zh.A.", "Zhukov", "Zh. A."),
])
def test_split_name(text: str, family: str, given: str) -> None:
    name = split_name(text)
    assert (name.family, name.given) == (family, given)


def test_particles_and_suffixes() -> None:
    name = split_name("van Beethoven, Ludwig")
    assert (name.non_dropping_particle, name.family, name.given) == ("van", "Beethoven", "Ludwig")
    assert split_name("Smith, John, Jr.").suffix == "Jr."
