"""Names printed in an oblique case, back to the nominative.

GOST prints editors and translators in the case the role words govern: ``под ред. П.Л.
Кириллова`` (genitive), ``пер. с англ. И.И. Ивановой``; a name list must hold ``Кириллов``,
``Иванова``. Russian family names decline by their ending, so the rules are about endings:
``-ова/-ева/-ина`` (a man's genitive) -> ``-ов/-ев/-ин``; ``-овой/-евой/-иной`` (a woman's) ->
``-ова/-ева/-ина``; ``-ского/-цкого`` -> ``-ский/-цкий``, ``-ской`` -> ``-ская``; a consonant
stem's ``-а`` (``Бочвара``) -> ``Бочвар``, ``-ия`` -> ``-ий``; the dative and instrumental endings
likewise. Adjectival names in ``-ого/-его`` (``Толстого``, ``Степного``) ask pymorphy3's
dictionary. Names that do not decline (``Шевченко``, ``Черных``, foreign names in Latin letters)
are left as written.
"""

from __future__ import annotations

import re

from ..model import Name, Reference

__all__ = ["nominative", "nominative_name", "OBLIQUE_ROLE", "qualify", "role_qualifier"]

#: Role words that govern the genitive (``под ред.``, ``пер. с англ.``, ``под руководством``).
OBLIQUE_ROLE = re.compile(r"под\s+(?:общ\w*\.?\s+|науч\w*\.?\s+|ред\w*\.?\s+)*ред|"
                          r"под\s+рук|пер(?:\.|евод)\s+с\s|перевод\w*\s|в\s+пер\.|"
                          r"в\s+обраб\.|с\s+предисл|с\s+коммент|под\s+наблюд", re.IGNORECASE)

_QUALIFIERS = (
    (re.compile(r"(?i)(?<!\w)(?:общ\.|общей|obshch?\.|obshhei|obshchei)(?=\s|$)"), "general"),
    (re.compile(r"(?i)(?<!\w)(?:науч\.|научной|nauch\.|nauchnoi)(?=\s|$)"), "scientific"),
)


def role_qualifier(role: str) -> str | None:
    """The qualifier of an editorship a role phrase names: ``Под общ. ред.`` -> "general",
    ``под научной редакцией`` -> "scientific" (see :mod:`transcite.render.csl.roles`).

    >>> role_qualifier("Под общ. ред."), role_qualifier("под ред.")
    ('general', None)
    """
    for pattern, name in _QUALIFIERS:
        if pattern.search(role):
            return name
    return None


def qualify(ref: Reference, var: str, role: str) -> None:
    """Keep the qualifier ``role`` gives the ``var`` role of ``ref`` (``custom.role-qualifiers``),
    if it gives one."""
    found = role_qualifier(role)
    if found:
        ref.extra.setdefault("role-qualifiers", {})[var] = found


_RULES: tuple[tuple[str, str], ...] = (
    # women: genitive, dative and instrumental are alike
    ("овой", "ова"), ("евой", "ева"), ("ёвой", "ёва"), ("иной", "ина"), ("ыной", "ына"),
    ("ской", "ская"), ("цкой", "цкая"),
    # men
    ("ского", "ский"), ("скому", "ский"), ("ским", "ский"),
    ("цкого", "цкий"), ("цкому", "цкий"), ("цким", "цкий"),
    ("ова", "ов"), ("ову", "ов"), ("овым", "ов"), ("ева", "ев"), ("еву", "ев"), ("евым", "ев"),
    ("ёва", "ёв"), ("ёву", "ёв"), ("ёвым", "ёв"), ("ина", "ин"), ("ину", "ин"), ("иным", "ин"),
    ("ына", "ын"), ("ыну", "ын"), ("ыным", "ын"),
    ("ия", "ий"), ("ию", "ий"), ("ием", "ий"), ("ея", "ей"), ("ею", "ей"), ("ая", "ай"),
)
_INDECLINABLE = re.compile(r"(?:ко|о|е|и|у|ю|ых|их|а[яю]?)$")
_CONSONANT = re.compile(r"[бвгджзклмнпрстфхцчшщ](?:а|у|ом|ем)$")
_SOFT = re.compile(r"([бвгджзклмнпрстфхцчшщ])(?:я|ю|ем|ём)$")


def _adjectival(word: str) -> str | None:
    """``Толстого`` -> ``Толстой`` (pymorphy3 knows whether it is -ой or -ый)."""
    from ..translit.lexicon import morphology

    for p in morphology().parse(word.lower()):
        if "gent" in p.tag and ("Surn" in p.tag or "ADJF" in p.tag) and "masc" in p.tag:
            inf = p.inflect({"nomn"})
            if inf is not None:
                found = str(inf.word)
                return found.replace("ё", "е") if "ё" not in word.lower() else found
    return None


def nominative(family: str) -> str:
    """The nominative of a Russian family name printed in an oblique case (else unchanged).

    >>> [nominative(w) for w in ("Кириллова", "Ивановой", "Поплавского", "Бочвара", "Трухния")]
    ['Кириллов', 'Иванова', 'Поплавский', 'Бочвар', 'Трухний']
    >>> [nominative(w) for w in ("Шевченко", "Черных", "Smith", "Пономарева-Степного")]
    ['Шевченко', 'Черных', 'Smith', 'Пономарев-Степной']
    """
    if "-" in family:
        return "-".join(nominative(p) for p in family.split("-"))
    if len(family) < 3 or not re.fullmatch(r"[А-ЯЁ][а-яё]+", family):
        return family
    low = family.lower()
    for end, repl in _RULES:
        if low.endswith(end) and len(low) > len(end) + 1:
            return family[: len(family) - len(end)] + repl
    if low.endswith(("ого", "его")):
        found = _adjectival(family)
        if found:
            return family[0] + found[1:]
        return family
    m = _CONSONANT.search(low)
    if m:
        return family[: m.start() + 1]
    m = _SOFT.search(low)
    if m and not _INDECLINABLE.search(low[:-1]):
        return family[: m.start() + 1] + "ь"
    return family


def nominative_name(name: Name) -> Name:
    """The same name with its family name in the nominative (given names are initials)."""
    if name.family and not name.literal:
        name.family = nominative(name.family)
    return name
