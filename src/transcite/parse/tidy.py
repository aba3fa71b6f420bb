"""What copying a reference out of a PDF or a web page does to it, undone before parsing.

* typographic ligatures (``ﬁ``, ``ﬂ``, ``ﬀ``) become their letters;
* a word broken at a line end and joined with a space (``Jour- nal``, ``Мур- зин``) is put back
  together when the word list knows the whole word, or written with its hyphen when both parts
  are words (``self- assembly`` -> ``self-assembly``); ``pre- and post-`` stays;
* a space is restored after a comma glued to the next word (``Smith,J.``), after a stop glued
  to the capitalised word after it (``(2010).A study``, ``reactors.Journal``; not in an
  address) and before a dash glued to the stop before it (``Ядерная энергетика.– 2015``).

The line as pasted is kept in the reference's origin; only the parsed fields see the repairs.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["tidy"]

_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
_LIGATURE = re.compile("[\ufb00-\ufb06]")
_BROKEN = re.compile(r"(?<![\w-])([^\W\d_]{2,})- ([^\W\d_]{2,})(?![\w-])")
_KEEP = frozenset({"and", "or", "to", "und", "oder", "et", "ou", "и", "или", "и/или", "as", "vs"})
_GLUED_COMMA = re.compile(r"(?<=[A-Za-zА-Яа-яЁё]{2}),(?=[A-ZА-ЯЁ][a-zа-яё]?\.)")


@lru_cache(maxsize=4096)
def _zipf(word: str, lang: str) -> float:
    """How common a word is (Zipf scale; 0 unknown), from the lexicon the back-transliteration
    builds once from wordfreq's lists (loaded in milliseconds)."""
    from ..translit.lexicon import lexicon

    lex = lexicon()
    return float(lex.zipf(word) if lang == "ru" else lex.english_zipf(word))


def _rejoin(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if not b[0].islower() or b.lower() in _KEEP:
        return m.group(0)
    lang = "ru" if re.match(r"[А-Яа-яЁё]", a) else "en"
    whole = a + b
    if _zipf(whole.lower(), lang) >= 1.5:
        return whole
    if _zipf(a.lower(), lang) >= 2.5 and _zipf(b.lower(), lang) >= 2.5:
        return f"{a}-{b}"
    return whole  # fragments of a word the list does not know (a name)


def tidy(text: str) -> str:
    """The line with ligatures, broken words and glued commas repaired.

    >>> tidy("Smith,J. The ﬁrst Jour- nal of self- assembly, pre- and post-war")
    'Smith, J. The first Journal of self-assembly, pre- and post-war'
    >>> tidy("Журнал. – 2013г. – № 3")
    'Журнал. – 2013 г. – № 3'
    >>> tidy("Baker, J. W.and Cornell, C. A., Dwork, C.,and Mitchell, J. G.et al.")
    'Baker, J. W. and Cornell, C. A., Dwork, C., and Mitchell, J. G. et al.'
    >>> tidy("D. H.van Hessem, C. W.Scherer and U.S.Navy")
    'D. H. van Hessem, C. W. Scherer and U.S.Navy'
    >>> tidy("Jones,K. (2010).A study.Journal of Physics, http://x.org/Annual.Report.pdf")
    'Jones, K. (2010). A study. Journal of Physics, http://x.org/Annual.Report.pdf'
    >>> tidy("Известия вузов. Ядерная энергетика.– 2015. Вып.- 12")
    'Известия вузов. Ядерная энергетика. – 2015. Вып. - 12'
    """
    if not text.isascii() and _LIGATURE.search(text):
        text = text.translate(_LIGATURES)
    if "- " in text:
        text = _BROKEN.sub(_rejoin, text)
    if "," in text:
        text = _GLUED_COMMA.sub(", ", text)
    if "and" in text or "et al" in text or "AND" in text:
        text = _GLUED_AND.sub(" ", text)    # "Baker, J. W.and Cornell", "Dwork, C.,and"
    if "г" in text:
        text = _GLUED_YEAR.sub(r"\1 г", text)  # "2013г." -> "2013 г."
    if "." in text:
        text = _GLUED_STOP_TOKEN.sub(_unglue_stop, text)   # "(2010).A study", "pipes.Journal"
        text = _GLUED_INITIAL_TOKEN.sub(_unglue_initial, text)     # "C. W.Scherer"
    if ".–" in text or ".—" in text or ".-" in text:
        text = _GLUED_DASH.sub(r" \1", text)   # "энергетика.– 2015" -> "энергетика. – 2015"
    return text


#: "and" or "et al." glued to the initials or the comma before it
_GLUED_AND = re.compile(r"(?<=[A-ZА-ЯЁ]\.)(?=(?:and|AND|et al)\b)|(?<=[A-ZА-ЯЁ]\.,)(?=and\s)")
#: A stop glued to the capitalised word after it, after a word of three or more small letters
#: or a closing parenthesis ("(2010).A study", "reactors.Journal of"); not inside an address
_GLUED_STOP = re.compile(r"(?<=[a-zа-яё]{3})\.(?=[A-ZА-ЯЁ][a-zа-яё])|(?<=\))\.(?=[A-ZА-ЯЁ])")
_GLUED_STOP_TOKEN = re.compile(r"\S*(?:[a-zа-яё]{3}\.[A-ZА-ЯЁ][a-zа-яё]|\)\.[A-ZА-ЯЁ])\S*")


def _unglue_stop(m: re.Match[str]) -> str:
    token = m.group(0)
    if "/" in token or "@" in token or "www." in token.lower() or "\\" in token:
        return token
    return _GLUED_STOP.sub(". ", token)


#: An initial glued to the word after it, a name's ("C. W.Scherer", "D. H.van Hessem"): not
#: inside an address, nor after a run of initials ("U.S.Navy" stays), nor before a romanised
#: initial of two letters ("O.Yu")
_GLUED_INITIAL_TOKEN = re.compile(r"(?<!\S)[A-ZА-ЯЁ]\.(?:[A-ZА-ЯЁ][a-zа-яё]{2}[\w'’-]*|van|von|de)"
                                  r"(?=[\s,;]|$)")     # ("M.Sc." stays)


def _unglue_initial(m: re.Match[str]) -> str:
    token = m.group(0)
    return token[:2] + " " + token[2:]


#: GOST's area separator ". – " with the stop glued to the dash (a hyphen only before a number)
_GLUED_DASH = re.compile(r"(?<=[^\W\d_]\.)([–—](?=\s)|-(?=\s\d))")
_GLUED_YEAR = re.compile(r"(?<![\d-])((?:1[6-9]|20)\d\d)г(?=[.,;\s)\]]|$)")
