"""Full dates and day ranges written inside a reference, found before the tagger runs.

A reference prints dates in many forms: ``07.02.2011``, ``18 августа 2006 г.``, ``July 11, 2011``,
conference days ``28-31 мая, 2013``, ``26 September – 1 October 2004``, ``October 23 – 26, 2018``.
The tagger was trained to see the year of a reference; days and months read as numbers are what
turns ``г. Заречный, 07.02.2011`` into page ``07``. So each date is found here, remembered with
what stands before it (``опубл.``, ``заявл.``, ``от``), and blanked out of the string except for
its year: the tagger still sees the year where it was printed, and the full date is set after
the type of the reference is known (issued, event date, filing date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..dates import MONTHS
from ..model import Date

__all__ = ["DateSpan", "blank", "find_dates"]


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date found in a string: its date (two parts for a range), offsets, and lead-in word."""

    date: Date
    start: int
    end: int
    lead: str  # the word(s) right before it, lower-cased ("опубл", "от", "of", "")

    @property
    def is_range(self) -> bool:
        """True for a span of days (a conference, a visit)."""
        return len(self.date.parts) == 2


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    # any word of a month's length: that it names a month is checked afterwards (an alternation
    # of every month name in both scripts is ten times slower)
    month = r"[^\W\d_]{3,9}\.?"
    day = r"(?:[12]\d|3[01]|0?[1-9])"
    year = r"(?:1[6-9]\d\d|20[0-4]\d)"
    dash = r"\s?[-–—]\s?"
    yr = rf"(?:,|\.\s?[–—-])?\s*\(?(?P<y>{year})\)?(?:\s*(?:г\.|года|г(?!\w)))?"
    ranges = re.compile(
        rf"(?<![\w.])(?:(?P<d1>{day}){dash}(?P<d2>{day})\s+(?P<m>{month})"
        rf"|(?P<e1>{day})\s+(?P<m1>{month}){dash}(?P<e2>{day})\s+(?P<m2>{month})"
        rf"|(?P<m3>{month})\s+(?P<f1>{day}){dash}(?P<f2>{day})){yr}(?!\d)")
    mm = r"(?:0?[1-9]|1[0-2])"
    numeric_range = re.compile(
        rf"(?<![\w./-])(?:(?P<a>{day})\.(?P<am>{mm})\.?{dash}(?P<b>{day})\.(?P<bm>{mm})\.\s?"
        rf"|(?P<c>{day}){dash}(?P<d>{day})\.(?P<cm>{mm})\.)(?P<y>{year})(?:\s*г\.)?(?![\d-])")
    numeric = re.compile(
        rf"(?<![\w./-])(?:(?P<d>{day})\.\s?(?P<mo>0?[1-9]|1[0-2])\.\s?(?P<y1>{year})(?:\s*г\.)?"
        rf"|(?P<iso>{year}-(?:0[1-9]|1[0-2])-(?:[0-2]\d|3[01]))"
        rf"|(?P<us>0?[1-9]|1[0-2])(?P<usep>[./])(?P<ud2>1[3-9]|2\d|3[01])(?P=usep)(?P<y4>{year}))(?![\d-])")
    words = re.compile(
        rf"(?<![\w./-])(?:(?P<td>{day})\s+(?P<tm>{month}),?\s*(?P<y2>{year})"
        rf"(?:\s*(?:г\.|года|г(?!\w)))?"
        rf"|(?P<um>{month})\s+(?P<ud>{day}),?\s+(?P<y3>{year}))(?![\d-])")
    return ranges, numeric, words, numeric_range


_LEAD = re.compile(r"([A-Za-zА-Яа-яЁё]+)\.?\s*:?\s*$")
_NUMERIC_CUE = re.compile(r"\d\.\s?\d\d?\.\s?(?:1[6-9]|20)\d\d|\d{4}-\d\d-\d\d|\d\.\d\d\.\s?[-–—]")
_WORD = re.compile(r"[^\W\d_]{3,}")


@cache
def _month_words() -> frozenset[str]:
    return frozenset(m for m in MONTHS if len(m) >= 3)


def _month(word: str) -> int:
    """The month a word names (0 when it names none)."""
    return MONTHS.get(word.lower().rstrip("."), 0)


def find_dates(text: str) -> list[DateSpan]:
    """Every full date and day range in ``text`` (not bare years), in order.

    >>> [(d.date.iso(), d.lead) for d in find_dates("Бюл. № 2, опубл. 15.01.1979; 28-31 мая, 2013")]
    [('1979-01-15', 'опубл'), ('2013-05-28/2013-05-31', '')]
    """
    words = not _month_words().isdisjoint(_WORD.findall(text.lower()))
    numbers = _NUMERIC_CUE.search(text) is not None
    if not words and not numbers:
        return []
    ranges, numeric, written, numeric_range = _patterns()
    out: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for m in ranges.finditer(text) if words else ():
        y = int(m.group("y"))
        if m.group("d1"):
            mo = _month(m.group("m"))
            a, b = (y, mo, int(m.group("d1"))), (y, mo, int(m.group("d2")))
        elif m.group("e1"):
            a = (y, _month(m.group("m1")), int(m.group("e1")))
            b = (y, _month(m.group("m2")), int(m.group("e2")))
        else:
            mo = _month(m.group("m3"))
            a, b = (y, mo, int(m.group("f1"))), (y, mo, int(m.group("f2")))
        if b <= a or not a[1] or not b[1]:
            continue
        out.append(DateSpan(Date(parts=(a, b)), m.start(), m.end(), _lead(text, m.start())))
        taken.append(m.span())
    for m in numeric_range.finditer(text) if numbers or "–" in text or "-" in text else ():
        y = int(m.group("y"))
        if m.group("a"):
            a, b = (y, int(m.group("am")), int(m.group("a"))), (y, int(m.group("bm")),
                                                                int(m.group("b")))
        else:
            mo = int(m.group("cm"))
            a, b = (y, mo, int(m.group("c"))), (y, mo, int(m.group("d")))
        if b > a:
            out.append(DateSpan(Date(parts=(a, b)), m.start(), m.end(), _lead(text, m.start())))
            taken.append(m.span())
    singles = list(numeric.finditer(text)) if numbers else []
    if words:
        singles += written.finditer(text)
    for m in singles:
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        g = m.groupdict()
        if g.get("iso"):
            parts = tuple(int(x) for x in m.group("iso").split("-"))
        elif g.get("d") or g.get("us"):
            if g.get("us"):  # 12.20.2007: month first (no 20th month)
                parts = (int(m.group("y4")), int(m.group("us")), int(m.group("ud2")))
            else:
                if " " in m.group() and (len(g["d"]) < 2 or len(g["mo"]) < 2):
                    continue  # "Version 1.6. 2009": a version and a year, no date
                parts = (int(m.group("y1")), int(m.group("mo")), int(m.group("d")))
        elif g.get("td"):
            parts = (int(m.group("y2")), _month(m.group("tm")), int(m.group("td")))
        else:
            parts = (int(m.group("y3")), _month(m.group("um")), int(m.group("ud")))
        if not parts[1]:
            continue
        out.append(DateSpan(Date(parts=(parts,)), m.start(), m.end(), _lead(text, m.start())))
    out.sort(key=lambda d: d.start)
    return out


_KEYWORDS = re.compile(r"(?i)(заявл|заявка|подана|application|appl|filed|приоритет|опубл|published|"
                       r"publ|опубликовано|бюл|bul)[\w.]*[^.;]{0,30}$")


def _lead(text: str, start: int) -> str:
    """The word before a date, or a filing/publication keyword a few words before it
    (``Заявка № 2012115818/05 от 19.04.2012`` is a filing date)."""
    k = _KEYWORDS.search(text, max(0, start - 40), start)
    if k:
        return k.group(1).lower()
    m = _LEAD.search(text, max(0, start - 24), start)
    return m.group(1).lower() if m else ""


_YEAR = re.compile(r"(?:1[6-9]|20)\d\d(?:\s*г\.)?")


def blank(text: str, spans: list[tuple[int, int]], keep_year: bool = False) -> str:
    """``text`` with each span replaced by spaces (offsets kept); with ``keep_year`` the last
    year written in a span stays where it was, so the tagger still sees the reference's year."""
    chars = list(text)
    for start, end in spans:
        keep: tuple[int, int] | None = None
        if keep_year:
            years = list(_YEAR.finditer(text, start, end))
            if years:
                keep = years[-1].span()
        for i in range(start, end):
            if keep is None or not keep[0] <= i < keep[1]:
                chars[i] = " "
    return "".join(chars)
