"""Parsing dates as bibliographies write them into :class:`~transcite.model.Date`.

Handles EDTF/ISO forms (``2017``, ``2017-09-06``, ``2016/2017``, ``2017~``), BibTeX
``year``/``month``/``day`` triples, numeric day-first dates (``21.07.2018``), and English or
Russian month names (``6 September 2017``, ``21 июля 2018 г.``, ``September 2017``).
Anything else is kept as a literal, never dropped.
"""

from __future__ import annotations

import re

from .lazy import lazy_re
from .model import Date

__all__ = ["MONTHS", "from_year_month_day", "month_number", "parse_date", "parse_edtf",
           "text_reads_back"]

#: Month names and abbreviations (English and Russian, all grammatical cases) -> 1..12.
MONTHS: dict[str, int] = {}
_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
       "october", "november", "december"]
# Russian month names in every case: soft-stem months take ь/я/е/ю/ём/ем; март/август are hard.
_RU_SOFT = {"январ": 1, "феврал": 2, "апрел": 4, "июн": 6, "июл": 7, "сентябр": 9,
            "октябр": 10, "ноябр": 11, "декабр": 12}
_RU_HARD = {"март": 3, "август": 8}
for _i, _name in enumerate(_EN, 1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
    MONTHS[_name[:4]] = _i
MONTHS["sept"] = 9
for _stem, _i in _RU_SOFT.items():
    for _end in ("ь", "я", "е", "ю", "ём", "ем"):
        MONTHS[_stem + _end] = _i
for _stem, _i in _RU_HARD.items():
    for _end in ("", "а", "е", "у", "ом"):
        MONTHS[_stem + _end] = _i
for _form in ("май", "мая", "мае", "маю", "маем"):
    MONTHS[_form] = 5
for _abbr, _i in {"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9,
                  "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12}.items():
    MONTHS[_abbr] = _i


def month_number(text: str) -> int | None:
    """1..12 for a month name, abbreviation (``Sep.``, ``сент.``) or number, else None."""
    t = text.strip().rstrip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(t)


_EDTF = lazy_re(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?([~?%]?)$")


def _edtf_part(text: str) -> tuple[tuple[int, ...], bool] | None:
    m = _EDTF.match(text.strip())
    if not m:
        return None
    year, month, day, flag = m.groups()
    parts: tuple[int, ...] = (int(year),)
    if month:
        mo = int(month)
        if mo > 20 and mo <= 24:  # EDTF seasons: keep the year only
            return parts, bool(flag)
        if not 1 <= mo <= 12:
            return None
        parts += (mo,)
        if day:
            d = int(day)
            if not 1 <= d <= 31:
                return None
            parts += (d,)
    return parts, bool(flag)


def parse_edtf(text: str) -> Date | None:
    """Parse an EDTF / ISO 8601 date or range (``2017-09-06``, ``2016/2017``), else None."""
    text = text.strip()
    if not text:
        return None
    pieces = text.split("/") if "/" in text else [text]
    if len(pieces) > 2:
        return None
    parsed = []
    circa = False
    for p in pieces:
        if p in ("", ".."):
            continue
        r = _edtf_part(p)
        if r is None:
            return None
        parsed.append(r[0])
        circa = circa or r[1]
    if not parsed:
        return None
    return Date(parts=tuple(parsed), circa=circa)


_DMY_NUM = lazy_re(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_RANGE_YEARS = lazy_re(r"^(\d{4})\s*(?:--|[-–—/])\s*(\d{4})$")
_WORDY = lazy_re(
    r"^(?:(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?\s+)?([A-Za-zА-Яа-яЁё]+)\.?,?\s+(\d{1,2}(?=,)\s*,\s*)?"
    r"(\d{4})(?:\s*(?:г\.?|года?))?\.?$")
_MDY = lazy_re(r"^([A-Za-z]+)\.?\s*(\d{1,2})(?:,\s*|\s+)(\d{4})$")


def parse_date(text: str) -> Date:
    """Parse a date as people write it. Unparseable text becomes a literal date (not lost)."""
    raw = text.strip()
    t = re.sub(r"\s+", " ", raw)
    edtf = parse_edtf(t)
    if edtf is not None:
        return edtf
    m = _DMY_NUM.match(t)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return Date(parts=((y, mo, d),))
    m = _RANGE_YEARS.match(t)
    if m:
        return Date(parts=((int(m.group(1)),), (int(m.group(2)),)))
    m = _MDY.match(t)
    if m and month_number(m.group(1)):
        return Date(parts=((int(m.group(3)), month_number(m.group(1)) or 0, int(m.group(2))),))
    m = _WORDY.match(t)
    if m:
        day, day2, month, _, year = m.groups()
        month_no = month_number(month)
        if month_no:
            y = int(year)
            if day and day2:
                return Date(parts=((y, month_no, int(day)), (y, month_no, int(day2))))
            if day:
                return Date(parts=((y, month_no, int(day)),))
            return Date(parts=((y, month_no),))
    return Date(literal=raw)


def text_reads_back(date: Date) -> bool:
    """True when a date without parts - a literal ("в печати"), or a raw text CSL-JSON gave
    that no calendar has ("2001-02-30") - reads back from its text as the same date (a writer
    that can only write the text must otherwise keep the date as it is)."""
    return parse_date(date.literal or date.raw or "").to_csl() == date.to_csl()


def from_year_month_day(year: str | None, month: str | None = None,
                        day: str | None = None) -> Date | None:
    """Combine BibTeX ``year``/``month``/``day`` values; odd values become a literal date."""
    if not year:
        return None
    y = year.strip()
    if not re.fullmatch(r"-?\d{1,4}", y):
        base = parse_date(y)
        if base.parts and (month or day):
            return base
        return base
    parts: tuple[int, ...] = (int(y),)
    if month:
        mo = month_number(month)
        if mo is None:
            return Date(literal=" ".join(p for p in (day, month, y) if p))
        parts += (mo,)
        if day and day.strip().isdigit() and 1 <= int(day) <= 31:
            parts += (int(day),)
    return Date(parts=(parts,))
