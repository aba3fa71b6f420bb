"""Numbers: what counts as numeric, ordinals, roman numerals, plurality and page ranges."""

from __future__ import annotations

import re

from .locale import Locale

__all__ = ["format_number", "format_page_range", "is_numeric", "is_plural", "ordinal",
           "roman", "split_number"]

_TOKEN = r"(?:[A-Za-z]*\d+[A-Za-z]*|[ivxlcdm]+)"
_NUMERIC = re.compile(rf"^\s*{_TOKEN}(?:\s*(?:[-\u2013,&]|and)\s*{_TOKEN})*\s*$")
_SPLIT = re.compile(r"(\s*(?:[-\u2013,&/]|\band\b)\s*)")
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def is_numeric(value: str) -> bool:
    """CSL's ``is-numeric``: numbers, numbers with letter affixes, lower-case roman numerals
    (as citeproc-js: "ix", not "XIV"), ranges and lists of them."""
    return bool(value) and bool(_NUMERIC.match(value))


_NUM_TOKEN = re.compile(r"[A-Za-z]*\d+[A-Za-z]*")


def is_plural(value: str) -> bool:
    """A number variable counts as plural when it holds a range or a list of numbers (two
    numbers with a dash, comma, ampersand or a word such as "and" between them); an escaped
    hyphen ("327\\-30") is not a range."""
    if "\\-" in value:
        return False
    found = list(_NUM_TOKEN.finditer(value))
    if len(found) < 2:
        return bool(_ROMAN_RANGE.search(value))
    between = value[found[0].end():found[1].start()]
    return any(c in between for c in ",&-\u2013") or any(c.isalpha() for c in between)


def split_number(value: str) -> list[str]:
    """Alternating number tokens and separators: ``"2-4"`` -> ``["2", "-", "4"]``."""
    return [p for p in _SPLIT.split(value) if p != ""]


def roman(n: int) -> str:
    """Lower-case roman numeral (CSL's ``roman`` form); thousands repeat "m" (as citeproc-js)."""
    if n <= 0 or n > 100_000:
        return str(n)
    out = []
    for v, s in _ROMAN:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def ordinal(n: int, locale: Locale, gender: str | None = None, long: bool = False) -> str:
    """``1st``, ``2nd`` ... (or ``first``, ``second`` for ``long``) with the locale's terms."""
    if long and 1 <= n <= 10:
        t = locale.term(f"long-ordinal-{n:02d}", gender=gender)
        if t is not None:
            return t
    return f"{n}{_ordinal_suffix(n, locale, gender)}"


def _ordinal_suffix(n: int, locale: Locale, gender: str | None) -> str:
    terms = locale.terms
    candidates = []
    if n % 100 >= 10:
        candidates.append(f"ordinal-{n % 100:02d}")
    candidates.append(f"ordinal-{n % 10:02d}")
    for name in candidates:
        for g in (gender, None):
            t = terms.get((name, "long", g))
            if t is None:
                continue
            num = int(name[8:])
            match = t.match or ("last-two-digits" if num >= 10 else "last-digit")
            if match == "whole-number" and n != num:
                continue
            if match == "last-two-digits" and n % 100 != num:
                continue
            if match == "last-digit" and n % 10 != num:
                continue
            return t.single
    suffix = locale.term("ordinal", gender=gender)
    return suffix if suffix is not None else ""


def format_number(value: str, form: str, locale: Locale, gender: str | None = None,
                  range_delim: str = "-") -> str:
    """Render a number variable with ``numeric``/``ordinal``/``long-ordinal``/``roman``;
    tokens that are not plain numbers are kept as written, separators normalised (a range's
    hyphen becomes ``range_delim``, whatever the form: "2nd–3rd", "ci–cv")."""
    out = []
    for tok in split_number(value):
        stripped = tok.strip()
        if stripped.isdigit():
            n = int(stripped)
            if form == "ordinal":
                out.append(ordinal(n, locale, gender))
            elif form == "long-ordinal":
                out.append(ordinal(n, locale, gender, long=True))
            elif form == "roman":
                out.append(roman(n))
            else:
                out.append(str(n) if not stripped.startswith("0") else stripped)
        elif stripped in ("-", "\u2013"):
            out.append(range_delim)
        elif stripped == ",":
            out.append(", ")
        elif stripped == "&":
            out.append(" & ")
        elif stripped == "and":
            out.append(" and ")
        else:
            out.append(tok)
    return "".join(out)


def _expand(a: str, b: str) -> str:
    if len(b) < len(a):
        return a[: len(a) - len(b)] + b
    return b


def _minimal(a: str, b: str, keep: int) -> str:
    if len(a) != len(b):
        return b
    n = 0
    while n < len(a) - keep and a[n] == b[n]:
        n += 1
    return b[n:]


def _range(a: str, b: str, fmt: str | None) -> str:
    b = _expand(a, b)
    if fmt == "expanded" or fmt is None:
        return b
    if fmt == "minimal":
        return _minimal(a, b, 1)
    if fmt == "minimal-two":
        return _minimal(a, b, 2) if len(b) > 1 else b
    if fmt in ("chicago", "chicago-15", "chicago-16"):
        ia = int(a)
        if ia < 100 or ia % 100 == 0:
            return b
        if ia % 100 < 10:
            return _minimal(a, b, 1)
        if fmt != "chicago-16" and len(a) == 4 and len(_minimal(a, b, 1)) >= 3:
            return b
        return _minimal(a, b, 2)
    return b


_RANGE = re.compile(r"(?<![A-Za-z0-9])([0-9A-Za-z]*?)(\d+)\s*(?:-+|\u2013|\u2014)\s*"
                    r"([0-9A-Za-z]*?)(\d+)(?![A-Za-z0-9])")
_ROMAN_RANGE = re.compile(r"(?<![A-Za-z0-9])([ivxlcdm]+|[IVXLCDM]+)\s*(?:-+|\u2013)\s*"
                          r"([ivxlcdm]+|[IVXLCDM]+)(?![A-Za-z0-9])")


def format_page_range(value: str, fmt: str | None, delimiter: str = "\u2013") -> str:
    """Apply ``page-range-format`` to each ``a-b`` range in ``value`` and join ranges with
    ``delimiter`` (an en dash). Ranges whose two ends carry different letter prefixes
    ("N110-5") are left as written; roman numeral ranges get the dash only."""
    def one(m: re.Match[str]) -> str:
        pa, a, pb, b = m.group(1), m.group(2), m.group(3), m.group(4)
        if pa != pb:
            return f"{pa}{a}-{pb}{b}"
        if fmt is None:
            return f"{pa}{a}{delimiter}{pb}{b}"
        if fmt == "expanded":
            return f"{pa}{a}{delimiter}{pb}{_range(a, b, fmt)}"
        return f"{pa}{a}{delimiter}{_range(a, b, fmt)}"
    if "\\-" in value:
        return value.replace("\\-", "-")
    out = _RANGE.sub(one, value)
    if "-" in out:
        out = _ROMAN_RANGE.sub(lambda m: f"{m.group(1)}{delimiter}{m.group(2)}", out)
    return out
