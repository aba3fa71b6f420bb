"""Splitting a written name into parts: ``Family, Given``, ``Family I.I.``, ``I.I. Family``.

Shared by the RIS reader, the text parser and normalisation. Initials are kept as written
(``Yu.``, ``Zh.``, ``Ю.``); a name with no recognisable structure is kept as a literal.
"""

from __future__ import annotations

from .lazy import lazy_re
from .model import Name

__all__ = ["INITIAL", "split_name"]

#: One initial: a capital letter, or a Latin digraph used for one Cyrillic letter
#: (Yu., Ya., Zh., Kh., Ts., Ch., Sh., Shch., Yo., Ye., Ju., Ja., Iu., Dzh., Дж.), followed by
#: a dot; hyphenated pairs too.
_ONE_INITIAL = r"(?:Shch|Dzh|[YZKTCS]h|[YJ][uaoe]|I[ua]|Eu|Ts|Дж|[A-ZА-ЯЁ])"
INITIAL = rf"{_ONE_INITIAL}\.(?:\s?-\s?{_ONE_INITIAL}\.)?"
_INITIALS = lazy_re(rf"^(?:{INITIAL}\s?)+$")
_GLUED_INITIALS = lazy_re(rf"^([^\W\d_][\w'’-]*?)\s?((?:{INITIAL})+)$")
_DOT_SPACE = lazy_re(r"\.(?=\S)(?!-)")
_PARTICLES = {"von", "van", "de", "der", "den", "di", "da", "du", "la", "le", "del", "della",
              "dos", "das", "ten", "ter", "zu", "al", "el", "bin", "ibn"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _tidy_initials(text: str) -> str:
    """``И.И.`` -> ``И. И.``, ``Yu.A.`` -> ``Yu. A.`` (CSL's initialize-with then renders them)."""
    return _DOT_SPACE.sub(". ", text.strip()).strip()


def _split_particle(family: str) -> tuple[str, str | None]:
    """``van Beethoven`` -> (``Beethoven``, ``van``): leading lowercase words are particles."""
    words = family.split(" ")
    cut = 0
    while cut < len(words) - 1 and words[cut][:1].islower():
        cut += 1
    if cut == 0:
        return family, None
    return " ".join(words[cut:]), " ".join(words[:cut])


def split_name(text: str, *, literal_fallback: bool = False) -> Name:
    """Split one written personal name into family/given parts.

    With ``literal_fallback`` (formats that write ``Family, Given``, like RIS), a name without a
    comma that is not ``Family I.`` or ``I. Family`` is kept whole as a literal (``ТАСС``).

    >>> split_name("Батин Ю.").family, split_name("Батин Ю.").given
    ('Батин', 'Ю.')
    >>> split_name("Inozemtsev, V.").given
    'V.'
    >>> split_name("S.V. Lavrov").family
    'Lavrov'
    """
    t = " ".join(text.strip().strip(";").lstrip(",").split())
    if not t:
        return Name(literal="")
    if t.endswith(",") and "," not in t[:-1]:  # "Family," - a family name alone
        family, particle = _split_particle(t[:-1].strip())
        return Name(family=family, non_dropping_particle=particle)
    if "," in t:
        family, _, rest = t.partition(",")
        given, _, suffix = rest.partition(",")
        suffix = suffix.strip()
        family, particle = _split_particle(family.strip())
        if not suffix and given.strip().lower() in _SUFFIXES:
            return Name(family=family, suffix=given.strip(), non_dropping_particle=particle)
        return Name(family=family or None, non_dropping_particle=particle,
                    given=_tidy_initials(given) if given.strip() else None,
                    suffix=suffix or None)
    words = t.split(" ")
    if len(words) == 1:
        m = _GLUED_INITIALS.match(t)
        if m and not m.group(1).isupper():  # "COLLECTIF." is a word, not "COLLECTI F."
            return Name(family=m.group(1), given=_tidy_initials(m.group(2)))
        return Name(literal=t) if literal_fallback else Name(family=t)
    # Family I.I. / Family I. I.
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if _INITIALS.match(tail) and not _INITIALS.match(head):
            return Name(family=head, given=_tidy_initials(tail))
    # I.I. Family
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if _INITIALS.match(head) and not _INITIALS.match(tail):
            return Name(family=tail, given=_tidy_initials(head))
    if literal_fallback:
        return Name(literal=t)
    # Given [particle] Family
    particle_at = next((i for i, w in enumerate(words[1:-1], 1) if w.lower() in _PARTICLES),
                       None)
    if particle_at is not None:
        return Name(given=" ".join(words[:particle_at]),
                    non_dropping_particle=" ".join(words[particle_at:-1]), family=words[-1])
    return Name(family=words[-1], given=" ".join(words[:-1]))
