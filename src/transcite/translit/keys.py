"""Reading romanised Russian: folding Latin spellings and the scheme-blind *key* of a word.

:func:`fold` lower-cases a Latin word and rewrites diacritics and apostrophes into the ASCII
digraphs the schemes share (``š`` -> ``sh``, ``ʹ`` -> ``'``). :func:`key` then reduces a folded
word to its sounds so that every scheme's romanisation of a Cyrillic word gives the same key:
``kh``/``h``/``x`` -> ``H``, ``ts``/``c``/``cz`` -> ``C``, ``y``/``i``/``j`` -> ``I`` (runs
collapsed), soft signs dropped. :func:`cyrillic_keys` gives the keys of a Cyrillic word (with
variants for the letters that schemes write differently). The tables are in ``latin.json``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache, lru_cache

from ..resources import DataError, data_path
from .scheme import read_json

__all__ = ["cyrillic_keys", "fold", "key", "latin_tables"]

_PATH = "translit/latin.json"
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@cache
def latin_tables() -> tuple[dict[int, str], re.Pattern[str], dict[str, str], str,
                            dict[str, list[str]]]:
    """The validated tables of ``latin.json``: fold translation, unit regex and table, vowels,
    Cyrillic letter -> Latin alternatives."""
    path = data_path(_PATH)
    data = read_json(path)
    fold_t, units, vowels, cyr = (data.get(k) for k in ("fold", "key_units", "key_vowels",
                                                         "cyrillic"))
    if not isinstance(fold_t, dict) or not all(isinstance(k, str) and len(k) == 1
                                               and isinstance(v, str)
                                               for k, v in fold_t.items()):
        raise DataError(f"{path}: 'fold' must map single characters to strings")
    if not isinstance(units, dict) or not all(isinstance(k, str) and k and isinstance(v, str)
                                              for k, v in units.items()):
        raise DataError(f"{path}: 'key_units' must map Latin strings to key symbols")
    if not isinstance(vowels, str):
        raise DataError(f"{path}: 'key_vowels' must be a string")
    if not isinstance(cyr, dict) or not all(isinstance(v, list) and v for v in cyr.values()):
        raise DataError(f"{path}: 'cyrillic' must map letters to lists of Latin spellings")
    unit_re = re.compile("|".join(re.escape(u) for u in sorted(units, key=len, reverse=True)))
    return str.maketrans(fold_t), unit_re, dict(units), vowels, cyr


@cache
def _post() -> tuple[re.Pattern[str], re.Pattern[str]]:
    vowels = latin_tables()[3]
    return re.compile("I{2,}"), re.compile(f"(?:(?<=^)|(?<=[{re.escape(vowels)}]))I(?=e)")


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower-case *word* and rewrite special letters and apostrophes into ASCII digraphs."""
    out = word.lower().translate(latin_tables()[0])
    if not out.isascii():
        out = _COMBINING.sub("", unicodedata.normalize("NFD", out))
        out = unicodedata.normalize("NFC", out)
    return out


@cache
def _key_steps() -> tuple[re.Pattern[str], dict[str, str], dict[int, str]]:
    """Multi-letter units (replaced first, by a regex) and single letters (by translate)."""
    units = latin_tables()[2]
    multi = {k: v for k, v in units.items() if len(k) > 1}
    single = str.maketrans({k: v for k, v in units.items() if len(k) == 1})
    return re.compile("|".join(re.escape(u) for u in sorted(multi, key=len, reverse=True))), \
        multi, single


def key(folded: str) -> str:
    """The scheme-blind key of a folded Latin word (see the module docs)."""
    multi_re, multi, single = _key_steps()
    runs, drop = _post()
    out = multi_re.sub(lambda m: multi[m.group()], folded).translate(single)
    if "I" in out:
        out = drop.sub("", runs.sub("I", out))
    return out


@cache
def _cyrillic_plain() -> tuple[dict[int, str], frozenset[str]]:
    """The first Latin spelling of each letter, and the letters that have others."""
    table = latin_tables()[4]
    return str.maketrans({c: v[0] for c, v in table.items()}), \
        frozenset(c for c, v in table.items() if len(v) > 1)


def cyrillic_keys(word: str, limit: int = 16) -> set[str]:
    """The keys of a lower-case Cyrillic word under its plausible romanisations."""
    plain, varied = _cyrillic_plain()
    if varied.isdisjoint(word):
        return {key(word.translate(plain))}
    table = latin_tables()[4]
    options = [table.get(ch, (ch,)) for ch in word]
    combos = 1
    for o in options:
        combos *= len(o)
    if combos > limit:  # keep the first spelling of the letters beyond the limit
        kept = 1
        trimmed = []
        for o in options:
            if kept * len(o) <= limit:
                kept *= len(o)
                trimmed.append(o)
            else:
                trimmed.append(o[:1])
        options = trimmed
    return {key("".join(p)) for p in itertools.product(*options)}
