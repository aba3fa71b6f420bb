"""CSL-JSON dates (and plain values) made ready for rendering: :class:`DateVal` from date
objects, EDTF-like strings and the raw dates people write (``"5/12/2019"``, ``"2019/5"``,
``"1990 - 1995"``, ``"ca. 1850"``), kept apart from :mod:`.item` which builds the rest."""

from __future__ import annotations

import re
from typing import Any

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .native import register

__all__ = ["DateVal", "csl_text", "make_date", "parse_raw_date"]


@mypyc_attr(allow_interpreted_subclasses=True)
class DateVal:
    """A date: one or two ``(year, month, day)`` tuples (0 = absent; months 13-16 are
    seasons), or a literal; ``circa`` for uncertain dates."""

    __slots__ = ("parts", "literal", "circa", "season")

    def __init__(self, parts: list[tuple[int, int, int]], literal: str = "",
                 circa: bool = False, season: str | None = None) -> None:
        self.parts = parts
        self.literal = literal
        self.circa = circa
        self.season = season
        """Given in the ``season`` field: None (not given), "" (a season number: its
        term shows) or the text written there (shown as written, as citeproc-js does)."""

    def sort_key(self) -> str:
        """A string that sorts chronologically (ranges by start, then end)."""
        if not self.parts:
            return ""
        out = []
        for y, m, d in self.parts[:2]:
            out.append(f"{y + 100000:06d}{m:02d}{d:02d}")
        return "".join(out)


def csl_text(value: Any) -> str:
    """A CSL-JSON value as text: numbers as written (whole ones without ".0"), lists joined
    with commas, ``true`` for True, "" for what is not text."""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return ", ".join(csl_text(v) for v in value)
    return ""


_MONTHS = {m: n + 1 for n, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_SEASONS = {"spr": 13, "sum": 14, "fal": 15, "aut": 15, "win": 16}


def _int(v: Any) -> int:
    if isinstance(v, bool):
        return 0
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, str):
        v = v.strip()
        if re.fullmatch(r"-?\d+", v):
            return int(v)
    return 0


def _season(v: Any) -> int:
    if isinstance(v, (int, float)) or (isinstance(v, str) and v.strip().isdigit()):
        n = _int(v)
        return n + 12 if 1 <= n <= 4 else n if 13 <= n <= 16 else 0
    if isinstance(v, str):
        return _SEASONS.get(v.strip().lower()[:3], 0)
    return 0


def make_date(raw: Any) -> DateVal | None:
    """A :class:`DateVal` from CSL-JSON (``date-parts``, ``raw``, ``literal``, ``season``,
    ``circa``) or an ISO/EDTF-like string."""
    if isinstance(raw, str):
        return parse_raw_date(raw)
    if not isinstance(raw, dict):
        return None
    circa = bool(raw.get("circa")) and raw.get("circa") not in ("false", "0", 0)
    parts: list[tuple[int, int, int]] = []
    dp = raw.get("date-parts")
    if isinstance(dp, list):
        for p in dp[:2]:
            if isinstance(p, list) and p:
                y = _int(p[0])
                m = _int(p[1]) if len(p) > 1 else 0
                d = _int(p[2]) if len(p) > 2 else 0
                if y or m or d:
                    parts.append((y, m if 0 <= m <= 24 else 0, d if 0 <= d <= 31 else 0))
                elif parts and len(parts) == 1:     # [[1987], [0]]: a range left open
                    parts.append((0, 0, 0))
    if not parts and raw.get("raw"):
        parsed = parse_raw_date(str(raw["raw"]))
        if parsed is not None:
            parsed.circa = parsed.circa or circa
        return parsed
    if not parts and raw.get("year"):
        parts.append((_int(raw.get("year")), _int(raw.get("month")), _int(raw.get("day"))))
    season = _season(raw.get("season")) if raw.get("season") else 0
    season_text: str | None = None
    if raw.get("season") and parts and not parts[0][1]:
        given = raw["season"]
        season_text = "" if season and not (isinstance(given, str) and
                                            not given.strip().isdigit()) else str(given).strip()
        parts[0] = (parts[0][0], season or 13, 0)
    parts = [(y, m - 8 if 21 <= m <= 24 else m, d) for y, m, d in parts]
    if not parts:
        literal = csl_text(raw.get("literal", ""))
        return DateVal([], literal, circa) if literal else None
    return DateVal(parts, "", circa, season_text)


_CIRCA = lazy_re(r"^(?:ca?\.|circa|approx\.?|~)\s*", re.I)
_MDY = lazy_re(r"^(\d{1,2})/(\d{1,2})/(\d{3,4})$")
_YM_SLASH = lazy_re(r"^(\d{3,4})/(\d{1,2})(?:/(\d{1,2}))?$")
_RANGE_SEP = lazy_re(r"\s*(?:_|/|\s-+\s|\u2013|\u2014|--)\s*")


def parse_raw_date(text: str) -> DateVal | None:
    """Parse a date as people write it: ``2005``, ``2005-03-01``, ``03/01/2005`` (US order),
    ``2005/03``, ``May 2005``, ``15 May 2005``, ``May 15, 2005``, ``Spring 2005``, ``ca. 2005``,
    ``2005?``, and ranges written with ``/``, ``_``, `` - ``, an en dash or ``--``
    (``1897_1912``, ``2003/2004``, ``May-June 2004``, ``5-7 March 2004``); the range's end
    lends its year (and month) to a start written without them. Anything else is a literal."""
    text = text.strip()
    if not text:
        return None
    circa = text.endswith(("~", "?"))
    text = text.rstrip("~?%").strip()
    m = _CIRCA.match(text)
    if m:
        circa, text = True, text[m.end():]
    m = _MDY.match(text)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        if mo > 12 >= d:
            mo, d = d, mo
        return DateVal([(int(m.group(3)), mo, d)], "", circa)
    m = _YM_SLASH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return DateVal([(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))], "", circa)
    pieces = [p for p in _RANGE_SEP.split(text) if p.strip()]
    if len(pieces) == 1:
        pieces = _dash_range(text) or pieces
    if len(pieces) > 2:
        return DateVal([], text, circa)
    parts = [_one_raw(p.strip()) for p in pieces]
    if any(p is None for p in parts):
        return DateVal([], text, circa)
    done = [p for p in parts if p is not None]
    if len(done) == 2:
        (y1, m1, d1), (y2, m2, d2) = done
        if not y1 and y2:
            y1 = y2
            if not m1 and d1 and m2:
                m1 = m2
        done = [(y1, m1, d1), (y2, m2, d2)]
    if any(not y for y, _, _ in done):
        return DateVal([], text, circa)
    return DateVal(done, "", circa) if done else None


def _dash_range(text: str) -> list[str] | None:
    """``1990-1995``, ``May-June 2004``, ``5-7 March 2004``: a range written with a bare
    hyphen (an ISO date's hyphens are not one)."""
    if re.fullmatch(r"-?\d{1,4}(?:-\d{1,2}){0,2}(?:T.*)?", text):
        return None
    m = re.fullmatch(r"(-?\d{3,4})-(\d{3,4})", text)
    if m:
        return [m.group(1), m.group(2)]
    m = re.fullmatch(r"([A-Za-z]+\.?|\d{1,2})\s*-\s*([A-Za-z]+\.?\s+\d{3,4}|\d{1,2}\s+[A-Za-z]+\.?"
                     r"\s+\d{3,4})", text)
    if m:
        return [m.group(1), m.group(2)]
    return None


def _one_raw(s: str) -> tuple[int, int, int] | None:
    """One date (its year may be missing: the start of a range); ``None`` if unreadable."""
    m = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?", s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
        if m.group(2) is None and len(m.group(1).lstrip("-")) <= 2 and 1 <= y <= 31:
            return (0, 0, y)          # a bare day: "5" of "5-7 March 2004"
        return (y, mo, d) if mo <= 12 and d <= 31 else None
    words = [w for w in re.split(r"[\s,]+", s) if w]
    y = mo = d = 0
    for w in words:
        w = w.rstrip(".")
        lw = w.lower()
        if w.isdigit():
            if len(w) >= 3 or (y == 0 and d):
                y = int(w)
            elif not d and int(w) <= 31:
                d = int(w)
            else:
                return None
        elif lw[:3] in _MONTHS and lw.isalpha():
            mo = _MONTHS[lw[:3]]
        elif lw[:3] in _SEASONS and lw.isalpha():
            mo = _SEASONS[lw[:3]]
        else:
            return None
    if not (y or mo or d):
        return None
    if d and not mo:
        return None
    return (y, mo, d)


register(globals())    # pickling when compiled (see .native)
