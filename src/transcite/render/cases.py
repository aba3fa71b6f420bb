"""Names in the case a Russian role word governs: "под ред. П. Л. Кириллова".

GOST prints an editor after "под ред." (под редакцией - of whom?), a translator after "пер."
(перевод - by whom?) and a participant after "при участии" in the genitive; "сост.", "отв.
ред.", "ред." name the person in the nominative. CSL cannot decline a name, and the library
keeps names in the nominative (the parser turns "под ред. П. Л. Кириллова" into ``Кириллов``:
:mod:`transcite.parse.cases`), so the genitive is made here, for the rendering only.

Russian family names decline by their ending: ``-ов/-ев/-ин`` + ``а`` (a man's), ``-ова/-ева/
-ина`` -> ``-овой`` (a woman's), ``-ский`` -> ``-ского``, ``-ская`` -> ``-ской``, ``-ой/-ый``
-> ``-ого``, a consonant + ``а`` for a man (``Бочвар`` -> ``Бочвара``; a woman's stays), ``-ь``
and ``-й`` -> ``-я``, ``-а/-я`` -> ``-ы/-и`` for both. Names that do not decline stay as written:
``-о``, ``-е``, ``-и``, ``-у``, ``-ю``, ``-ых/-их`` (``Шевченко``, ``Черных``), those pymorphy3's
dictionary knows as fixed (``Дюма``), names in Latin letters, corporate names. Full given names
and patronymics decline by pymorphy3 (``Пётр Леонидович`` -> ``Петра Леонидовича``), initials
stay; the gender comes from the given name when it is written out, else from the ending.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from ..lazy import lazy_re
from ..model import Name

__all__ = ["genitive", "genitive_name", "governs_genitive"]

#: Role words after which Russian puts the name in the genitive: "под ред.", "под общ. ред.",
#: "под руководством", "пер.", "перевод", "при участии", "в обработке", "с предисловием".
_GENITIVE_TERM = lazy_re(r"^\s*(?:под\s|пер\.|перевод|при\s+участии|в\s+пер\.|в\s+обраб|"
                         r"с\s+предисл|с\s+коммент)", re.IGNORECASE)

_WORD = lazy_re(r"[А-ЯЁ][а-яё]+")
#: given names as a name holds them: initials and capitalised words ("П. Л.", "Пётр", "Ж.-П.")
_CLEAN_GIVEN = lazy_re(r"\s*(?:[А-ЯЁA-Z][а-яёa-z]*(?:\.\s*-?\s*|\s*-\s*|\s+|$))+")
_SIBILANT = "жчшщ"
_VELAR = "гкх"
_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
#: a woman's family name by its ending, and its genitive
_FEMALE = (("ская", "ской"), ("цкая", "цкой"), ("ова", "овой"), ("ева", "евой"), ("ёва", "ёвой"),
           ("ина", "иной"), ("ына", "ыной"))
#: a man's, by its ending
_MALE = (("ский", "ского"), ("цкий", "цкого"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"),
         ("ин", "ина"), ("ын", "ына"), ("ой", "ого"), ("ый", "ого"))


def governs_genitive(term: str | None) -> bool:
    """True when a Russian role term ("под ред.", "пер.") puts the name after it in the
    genitive; "сост.", "ред.", "отв. ред." and terms in other languages do not.

    >>> [governs_genitive(t) for t in ("под ред.", "пер.", "сост.", "отв. ред.", "ed. by")]
    [True, True, False, False, False]
    """
    return bool(term) and bool(_GENITIVE_TERM.match(term or ""))


@lru_cache(maxsize=4096)
def _parses(word: str) -> tuple[tuple[str, str | None], ...]:
    """pymorphy3's readings of a word as a name: (tag, genitive or None)."""
    from ..translit.lexicon import morphology

    out = []
    for p in morphology().parse(word.lower()):
        tag = str(p.tag)
        if "Surn" in tag or "Name" in tag or "Patr" in tag:
            inflected = p.inflect({"gent"})
            out.append((tag, inflected.word if inflected is not None else None))
    return tuple(out)


def _fixed(word: str) -> bool:
    """Whether the dictionary knows the family name as one that does not decline (``Дюма``)."""
    return any("Fixd" in tag and "ms-f" in tag for tag, _ in _parses(word))


def _keep_case(model: str, word: str) -> str:
    """``word`` (lower case, as pymorphy3 gives it) written like ``model``: capital, no ё
    where the model has none."""
    if "ё" not in model.lower():
        word = word.replace("ё", "е")
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _given_genitive(word: str, female: bool | None) -> str:
    """A given name or patronymic written out, in the genitive (unknown ones stay)."""
    if not _WORD.fullmatch(word):
        return word
    for tag, gen in _parses(word):
        if ("Name" in tag or "Patr" in tag) and "sing,nomn" in tag and gen is not None:
            if female is not None and ("femn" in tag) != female and "ms-f" not in tag:
                continue
            return _keep_case(word, gen)
    return word


def _gender(name: Name) -> bool | None:
    """True for a woman, False for a man, None when the name does not say."""
    for word in re.split(r"[\s-]+", name.given or ""):
        if not _WORD.fullmatch(word):
            continue
        low = word.lower()
        if low.endswith(("вна", "чна")):
            return True
        if low.endswith(("вич", "ич")) and len(low) > 4:
            return False
        for tag, _ in _parses(word):
            if "Name" in tag and "sing,nomn" in tag and "ms-f" not in tag:
                return "femn" in tag
    family = (name.family or "").split("-")[-1].lower()
    if family.endswith(tuple(end for end, _ in _FEMALE)) or family.endswith(("ая", "яя")):
        return True
    return None


def genitive(family: str, female: bool | None = None) -> str:
    """The genitive of a Russian family name in the nominative (indeclinable ones unchanged).

    >>> [genitive(w) for w in ("Кириллов", "Иванова", "Поплавский", "Бочвар", "Трухний")]
    ['Кириллова', 'Ивановой', 'Поплавского', 'Бочвара', 'Трухния']
    >>> [genitive(w) for w in ("Шевченко", "Черных", "Smith", "Пономарев-Степной", "Бать")]
    ['Шевченко', 'Черных', 'Smith', 'Пономарева-Степного', 'Батя']
    >>> genitive("Шмидт", female=True), genitive("Глинка"), genitive("Дюма")
    ('Шмидт', 'Глинки', 'Дюма')
    """
    if "-" in family:       # a double name declines part by part; a stray hyphen is no name
        parts = family.split("-")
        if not all(_WORD.fullmatch(p) for p in parts):
            return family
        return "-".join(genitive(p, female) for p in parts)
    if len(family) < 2 or not _WORD.fullmatch(family):
        return family
    low = family.lower()

    def swap(end: str, repl: str) -> str:
        return family[: len(family) - len(end)] + repl

    if female is not False:
        for end, repl in _FEMALE:
            if low.endswith(end) and len(low) > len(end) + 1:
                return swap(end, repl)
        if low.endswith("ая") and len(low) > 4:           # Толстая, Рыжая
            return swap("ая", "ей" if low[-3] in _SIBILANT else "ой")
        if low.endswith("яя") and len(low) > 4:
            return swap("яя", "ей")
    if low.endswith(("ых", "их", "о", "е", "и", "у", "ю", "ы", "э")):
        return family
    if low[-1] in "ая":
        if _fixed(family) or low[-2] not in _CONSONANTS + "иь":   # Дюма; Гарсиа
            return family
        if low.endswith(("ия", "ья")):                    # Берия, Илья
            return swap("я", "и")
        if low[-1] == "я":
            return swap("я", "и")
        return swap("а", "и" if low[-2] in _VELAR + _SIBILANT else "ы")
    if female:                  # a woman's name ending in a consonant does not decline
        return family
    for end, repl in _MALE:
        if low.endswith(end) and len(low) > len(end) + 1:
            return swap(end, repl)
    if low.endswith("ий") and len(low) > 3:     # Горький, Рыжий adjectival; Трухний a noun
        if low[-3] in _VELAR:
            return swap("ий", "ого")
        if low[-3] in _SIBILANT:
            return swap("ий", "его")
        return swap("й", "я")
    if low[-1] in "йь":          # Гайдай, Бать, Гоголь
        return swap(low[-1], "я")
    if low[-1] in _CONSONANTS:
        return family + "а"
    return family


def genitive_name(name: Name) -> Name:
    """The name in the genitive: family name, and given names when written out (a copy; a
    corporate name, a name in Latin letters or a marker stays as it is)."""
    if name.literal or not name.family or not _WORD.search(name.family) or (
            name.given and not _CLEAN_GIVEN.fullmatch(name.given)):
        return name     # a given name holding other words ("Под. ред. И.С.") is left as read
    female = _gender(name)
    family = genitive(name.family, female)
    given = name.given
    if given and any(len(w.strip(".")) > 1 and not w.endswith(".")
                     for w in re.split(r"[\s-]+", given) if w):
        given = re.sub(r"[А-ЯЁ][а-яё]+(?![.а-яё])",
                       lambda m: _given_genitive(m.group(0), female), given)
    if family == name.family and given == name.given:
        return name
    return dataclasses.replace(name, family=family, given=given)
