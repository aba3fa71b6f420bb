"""Segments: runs of tokens with one label, and the repairs made to the tagger's cuts.

The tagger labels tokens one by one; :func:`segments` merges runs of one label, and
:func:`fix_segments` mends the cuts a printed list's habits lead it into - a spaced page range
cut after its first number, a series number or a year in a title read apart, an issue word
left on its own - before :mod:`transcite.parse.assemble` reads the segments into fields.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .numbers import find_year
from .tokens import Token

__all__ = ["Segment", "fix_segments", "segments", "with_dates"]


class Segment(NamedTuple):
    """A run of tokens with one label: the label, its text as written, and its offsets."""

    label: str
    text: str
    start: int
    end: int


def segments(tokens: list[Token], labels: list[str], text: str) -> list[Segment]:
    """Merge consecutive tokens with the same label into segments (text sliced from ``text``)."""
    out: list[Segment] = []
    start = end = 0
    current: str | None = None
    for tok, label in zip(tokens, labels):
        if label == current:
            end = tok.end
            continue
        if current is not None:
            out.append(Segment(current, text[start:end], start, end))
        current, start, end = label, tok.start, tok.end
    if current is not None:
        out.append(Segment(current, text[start:end], start, end))
    return out



# a word that numbers a part of a work or a series, not a volume: "Ser. 2", "Серия 2", "Rev. 1",
# "Part 1", "Секция 4", "ID 16222", "Suppl. 3"; the number printed after it belongs to it
_DESIGNATOR = re.compile(r"(?<![\w.])(?:Ser|Series|Seriya|Seriia|Серия|Сер|Sect|Section|Секция|"
                         r"Rev|rev|Revision|Part|Ч|Часть|Chast['’]?|ID|Suppl|Supplement|Ver|Version|Версия|Annex|"
                         r"Appendix|Приложение|Phase|Stage)\.?\s*$")
_ISSUE_WORD_END = re.compile(r"(?<![\w.])(?:Вып|вып|Вип|вип|№|No|no|Iss|iss|Issue|issue|Heft|heft)"
                             r"\.?\s*$")
_VOLUME_WORD_END = re.compile(r"(?<![\w.])(?:Т|т|Том|том|Vol|vol|V|v|Band|band|Bd)\.?\s*$")
_NUMERIC = ("volume", "issue", "pages")
_RANGE_END = re.compile(r"^[–—-]\s?\d+\.?\s*$")
_LEAD_NUMBER = re.compile(r"^\s*(?:\d+|[IVX]{1,5})(?![\w.:-]*\d)(?!\s?\()[\w]*")


def _glue_designators(segs: list[Segment], text: str) -> list[Segment]:
    """A number the tagger took for a volume, issue or page right after a word that numbers
    something else (``Ser. 2``, ``Rev. 1``, ``Part 1``, ``ID 16222``) goes with that word."""
    out: list[Segment] = []
    for s in segs:
        if out and s.label in _NUMERIC and out[-1].label in _NUMERIC and \
                _RANGE_END.match(s.text) and out[-1].text.rstrip()[-1:].isdigit():
            # "C. 10 | – 14.": the tagger cut a spaced range after its first number
            prev = out[-1]
            out[-1] = Segment(prev.label, text[prev.start:s.end], prev.start, s.end)
            continue
        if out and s.label in ("volume", "issue") and out[-1].label not in ("volume", "issue"):
            # "– Вип. | 13.": a bare number after a marker the tagger left behind takes the
            # marker's meaning
            before = text[max(0, s.start - 12): s.start]
            if s.label == "volume" and _ISSUE_WORD_END.search(before):
                s = Segment("issue", s.text, s.start, s.end)
            elif s.label == "issue" and _VOLUME_WORD_END.search(before):
                s = Segment("volume", s.text, s.start, s.end)
        if out and s.label in ("volume", "issue", "pages") and out[-1].label not in (
                "volume", "issue", "pages") and _DESIGNATOR.search(
                    text, max(0, s.start - 16), s.start):
            m = _LEAD_NUMBER.match(s.text)
            if m:
                prev = out[-1]
                end = s.start + m.end()
                out[-1] = Segment(prev.label, text[prev.start:end], prev.start, end)
                rest = s.text[m.end():]
                if rest.strip(" .,;:"):
                    out.append(Segment(s.label, rest, end, s.end))
                continue
        out.append(s)
    return out


def fix_segments(segs: list[Segment], text: str) -> list[Segment]:
    """Mend the tagger's cuts (see the module's docstring); ``text`` is the string the
    segments' offsets point into."""
    segs = _drop_dashes(segs)
    segs = _title_area(segs, text)
    segs = _lone_markers(segs, text)
    segs = _series_numbers(segs, text)
    segs = _place_after_area(segs, text)
    return _glue_designators(segs, text)


_DASHES = re.compile(r"^\s*[–—-]+\s*$")


def _drop_dashes(segs: list[Segment]) -> list[Segment]:
    """A segment that is nothing but a dash (the area separator ``. – ``) holds no words."""
    return [s for s in segs if not _DASHES.match(s.text)]


_LONE_MARKER = re.compile(r"^\s*[–—-]?\s*(?:Т|т|Том|Vol|vol|№|No|no|Iss|iss|Issue|Вып|вып|Вип|вип|"
                          r"Выпуск|Випуск)\.?\s*$")


def _lone_markers(segs: list[Segment], text: str) -> list[Segment]:
    """``Вип. | 4(28).``: a volume or issue word the tagger cut from its number (and took for
    the journal's) goes with the number."""
    segs, out = list(segs), []
    dated = any(s.label == "date" for s in segs)
    for i, s in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if s.label not in _NUMERIC and nxt is not None and nxt.label in ("volume", "issue") \
                and nxt.text[:1].isdigit():
            if _LONE_MARKER.match(s.text):
                segs[i + 1] = Segment(nxt.label, text[s.start:nxt.end], s.start, nxt.end)
                continue
            tail = _TAIL_MARKER.search(s.text) if s.label in ("journal", "container") else None
            if tail:
                # "// Зб. наук. праць. - 2011. - Вип. | 15.": the marker, and the year the
                # container swallowed, have segments of their own
                cut = s.start + tail.start()
                segs[i + 1] = Segment(nxt.label, text[cut:nxt.end], cut, nxt.end)
                s = Segment(s.label, text[s.start:cut], s.start, cut)
                year = _TAIL_YEAR.search(s.text) if not dated else None
                if year:
                    cut = s.start + year.start()
                    out.append(Segment(s.label, text[s.start:cut], s.start, cut))
                    s = Segment("date", text[cut:s.end], cut, s.end)
        out.append(s)
    return out


_TAIL_MARKER = re.compile(r"(?<=[.,]\s)[–—-]?\s*"
                          r"(?:Т|Том|Vol|№|No|Iss|Вып|вып|Вип|вип|Выпуск|Випуск)\.?\s*$")
_TAIL_YEAR = re.compile(r"(?<=[.,:]\s)[–—-]\s?(?:1[5-9]|20)\d\d\.?\s*$")


_AREA_LABELS = frozenset({"publisher", "location", "date"})


def _title_area(segs: list[Segment], text: str) -> list[Segment]:
    """``Ключников А.А. Анализ инцидента 22 сентября 2009 г. на энергоблоке № 3 // Проблеми
    ... - 2011``: GOST's title area runs from the heading to the ``//`` before the journal or
    the book an article is in, so what the tagger took there for a publisher, a place or a date
    (with the record's own year after the ``//``) is the title's, unless a ``/`` put it in the
    statement of responsibility."""
    cut = next((i for i, s in enumerate(segs) if s.text.lstrip().startswith("//")), None)
    if cut is None or not any(s.label in _AREA_LABELS for s in segs[:cut]):
        return segs
    year_after = find_year(text[segs[cut].start:]) is not None
    out: list[Segment] = []
    changed = False
    for i, s in enumerate(segs):
        if i < cut and s.label in _AREA_LABELS and (s.label != "date" or year_after) and \
                out and out[-1].label in ("author", "title") and \
                not any(t.text.lstrip().startswith("/") for t in segs[:i]):
            s = Segment("title", s.text, s.start, s.end)
            changed = True
        if changed and i <= cut and out and out[-1].label == "title" and s.label == "title":
            prev = out[-1]
            out[-1] = Segment("title", text[prev.start:s.end], prev.start, s.end)
            continue
        out.append(s)
    return out


_SERIES_END = re.compile(r"(?<![\w.])(?:Серия|Сер|Ser|Series|Seriya)\.?\s*$")
_SMALL_LEAD = re.compile(r"^\s*(\d{1,2}|[IVX]{1,4})(?=[.,]?\s)")


def _series_numbers(segs: list[Segment], text: str) -> list[Segment]:
    """``Научно-техническая информация. Серия | 2. – 2015.``: the number after a series word
    at the end of the journal is the series', not the start of the date."""
    out = list(segs)
    for i in range(len(out) - 1):
        s, nxt = out[i], out[i + 1]
        if s.label in ("journal", "container", "collection") and nxt.label == "date" and \
                _SERIES_END.search(s.text):
            m = _SMALL_LEAD.match(nxt.text)
            if m and find_year(nxt.text[m.end():]):
                end = nxt.start + m.end()
                out[i] = Segment(s.label, text[s.start:end], s.start, end)
                out[i + 1] = Segment("date", text[end:nxt.end], end, nxt.end)
    return out


_BLANKED = re.compile(r"\S\s{3,}")
_WORD = re.compile(r"[^\W\d]{3,}")


def with_dates(seg: Segment, dated: str) -> Segment:
    """A title with a full date inside it (``Анализ инцидента 22 сентября 2009 г. с ...``) gets
    the date back: it was blanked for the tagger, and only the publication date is the
    record's."""
    m = _BLANKED.search(seg.text)
    if m and _WORD.search(seg.text, m.end()):
        return Segment(seg.label, dated[seg.start:seg.end], seg.start, seg.end)
    return seg


_AREA_PLACE = re.compile(r"\.\s[–—-]\s(?P<place>[A-ZА-ЯЁ][\w.-]*(?:\s[A-ZА-ЯЁ][\w.-]*)?)"
                         r"\s?[,:]?\s*$")


def _place_after_area(segs: list[Segment], text: str) -> list[Segment]:
    """``Doctoral thesis. – Stockholm, | 2017``: the place that opens the publication area
    after GOST's ``. – `` is a place, not the end of the genre before it."""
    out: list[Segment] = []
    for i, s in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        m = _AREA_PLACE.search(s.text) if s.label == "genre" and nxt is not None and \
            nxt.label in ("date", "publisher") and not any(
                t.label == "location" for t in segs) else None
        if m:
            cut = s.start + m.start("place")
            out.append(Segment(s.label, text[s.start:cut], s.start, cut))
            out.append(Segment("location", text[cut:s.end], cut, s.end))
            continue
        out.append(s)
    return out
