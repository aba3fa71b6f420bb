"""Numbers: what counts as numeric, ordinals, roman numerals, plurality and page ranges."""

from __future__ import annotations

import re

from ...lazy import lazy_re
from .locale import Locale

__all__ = ["format_number", "format_page_range", "is_numeric", "is_plural",
           "normalise_number", "ordinal", "roman", "split_number"]

_TOKEN = r"(?:[A-Za-z]*\d+[A-Za-z]*|[ivxlcdm]+)"
#: What joins the numbers of a list or range in a number variable (as citeproc-js reads
#: them): "&", "and" (", and"), "; " and ", " - a comma joins only when a space follows
#: ("1,000" is one number) - and hyphens or en dashes, spaced or not.
_JOIN = r"\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|\s*\\?[-\u2013]+\s*"
_NUMERIC = lazy_re(rf"^\s*{_TOKEN}(?:(?:{_JOIN}){_TOKEN})*(?:\s*-)?\s*$")
_SPLIT = lazy_re(rf"({_JOIN})")
_SUBSECTION = lazy_re(r"\d[A-Za-z]+-[A-Za-z]+(?![\w])")   # "12a-c": one number
_ELEMENT = lazy_re(r"^(?:[A-Za-z]*\d+[A-Za-z]*|[ivxlcdm]+|[IVXLCDM]+)$")
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def is_numeric(value: str) -> bool:
    """CSL's ``is-numeric``: numbers, numbers with letter affixes, lower-case roman numerals
    (as citeproc-js: "ix", not "XIV"), ranges and lists of them. A value with an escaped
    hyphen ("7\\-27\\-2004", a designation written as one) is not numeric (citeproc-js
    reads it as one)."""
    return bool(value) and "\\-" not in value and bool(_NUMERIC.match(value))


_NUM_TOKEN = lazy_re(r"[A-Za-z]*\d+[A-Za-z]*")
_NUM_ELEMENT = lazy_re(r"^(?:[A-Za-z]*\d+[A-Za-z]*|[ivxlcdm]+)$")


def is_plural(value: str) -> bool:
    """A number variable counts as plural when it holds a range or a list of numbers (two
    numbers joined by a dash, "&", "and", "; " or ", "), or a range left open ("14-"); an
    escaped hyphen ("327\\-30") is not a range, nor is a comma without a space ("1,3")."""
    if "\\-" in value:
        return False
    parts = _SPLIT.split(value.strip())
    elements = [e for e in parts[0::2]]
    if len(elements) == 2 and not elements[1] and _NUM_ELEMENT.match(elements[0]) and \
            parts[1].strip() in ("-", "\u2013"):
        return True                     # "14-": open range
    if len(elements) >= 2 and all(_NUM_ELEMENT.match(e) for e in elements[:2]) and \
            not _SUBSECTION.search(value):
        return True                     # the first two numbers make it a range or list
    found = list(_NUM_TOKEN.finditer(value))
    if len(found) < 2:
        return False
    between = value[found[0].end():found[1].start()]
    return any(c.isalpha() for c in between)        # "1 to 3", "12 or 14"


def split_number(value: str) -> list[str]:
    """Alternating number tokens and joiners: ``"2-4"`` -> ``["2", "-", "4"]``."""
    return [p for p in _SPLIT.split(value) if p != ""]


def normalise_number(value: str, delimiter: str = "\u2013") -> str:
    """A number variable as text: where every part is a number (``12``, ``12a``, ``ix``),
    a range's hyphen becomes ``delimiter`` and "&" is spaced ("1 & 3"); anything else, and
    a value with an escaped hyphen ("1\\-3"), prints as written."""
    if "\\-" in value or _SUBSECTION.search(value):    # "1\\-3", "12a-c": as written
        return value.replace("\\-", "-")
    parts = _SPLIT.split(value)
    if len(parts) < 3 or not all(_ELEMENT.match(e.strip()) for e in parts[0::2] if e.strip()) \
            or not parts[0].strip():
        return value
    out = [parts[0]]
    for n in range(1, len(parts), 2):
        joiner, nxt = parts[n], parts[n + 1]
        j = joiner.strip()
        if j == "-":
            out.append(delimiter if nxt.strip() else joiner)
        elif j == "&":
            out.append(" & ")
        else:
            out.append(joiner)
        out.append(nxt)
    return "".join(out)


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
    tokens = split_number(value)
    for k, tok in enumerate(tokens):
        stripped = tok.strip()
        if stripped.isdigit():
            n = int(stripped)
            if n == 0 and form != "numeric":
                out.append(stripped)            # no "0th"
            elif form == "ordinal":
                out.append(ordinal(n, locale, gender))
            elif form == "long-ordinal":
                out.append(ordinal(n, locale, gender, long=True))
            elif form == "roman":
                out.append(roman(n))
            else:
                out.append(str(n) if not stripped.startswith("0") else stripped)
        elif stripped == "-":
            out.append(range_delim if k < len(tokens) - 1 else stripped)   # "14th-": open
        elif stripped == "\u2013":
            out.append(stripped)
        elif stripped == "&":
            out.append(" & ")
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


_RANGE = lazy_re(r"(?<![A-Za-z0-9])([0-9A-Za-z]*?)(\d+)\s*(?:-+|\u2013|\u2014)\s*"
                 r"([0-9A-Za-z]*?)(\d+)(?![A-Za-z0-9])")
_LETTERED_RANGE = lazy_re(r"(?<![A-Za-z0-9])(\d+[a-z]?)\s*-\s*(\d+[a-z]?)(?![A-Za-z0-9])")
_ROMAN_RANGE = lazy_re(r"(?<![A-Za-z0-9])([ivxlcdm]+|[IVXLCDM]+)\s*(?:-+|\u2013)\s*"
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
    if "-" in out:      # "1a-1c", "110-15a": the dash only, the numbers as written
        out = _LETTERED_RANGE.sub(lambda m: f"{m.group(1)}{delimiter}{m.group(2)}", out)
    return out
