"""Volume, issue, pages, page counts and years from the numeric part of a reference.

Markers decide when they are there (``Т. 3``, ``vol. 3``, ``№ 2``, ``no. 2``, ``iss. 2``,
``Вып. 2``, ``С. 49-59``, ``pp. 49-59``, ``224 с.``, ``224 p.``); bare numbers take the meaning
of the label the tagger gave them (``61(3)`` in a volume segment is volume 61, issue 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Numbers", "find_year", "read_numbers"]


@dataclass(slots=True)
class Numbers:
    """What :func:`read_numbers` found; absent parts are None."""

    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    pages: str | None = None  # number of pages of a whole book
    edition: str | None = None
    leftover: str = ""
    marked: frozenset[str] = frozenset()  # the parts found by a marker (vol., №, pp.)


_NUM = r"\d+[A-Za-zА-Яа-я]?(?:\s?[-–—/]\s?\d+[A-Za-zА-Яа-я]?)?"
# a Roman volume number: I-XXXIX, or longer numerals with L/C (LIV); a lone C or L is a marker
_ROMAN_V = r"(?:[IVX]{1,6}|[XLC]{1,3}[IVX]{1,4}|[XLC]{2,3})\b(?!\.\s?\d)"
_VOL = re.compile(
    rf"(?<![\w.])(?:Т|т|Том|том|томе|Vol|Vols|vol|vols|Volume|volume|V|v|Bd|Band|band|t|T|Tome|Tom)"
    rf"\.?\s?(?:(?<=\s)[–—-]\s?(?=\d))?"
    rf"(?P<v>{_NUM}|{_ROMAN_V})(?![A-Za-zА-Яа-я])(?:\s?\((?P<i>[\w/–-]+)\))?")
_ISS = re.compile(
    rf"(?<![\w.])(?:№|N°|No|NO|no|Nо|Nos|nos|N|n|Iss|iss|Issue(?!\.\s?(?:1[89]|20)\d\d)|"
    rf"issue(?!\.\s?(?:1[89]|20)\d\d)|Вып|вып|Вип|вип|Выпуск|выпуск|Випуск|Nr|nr|"
    rf"Heft|heft|H|Number|number)\.?\s?\(?(?P<i>{_NUM}(?:\s?\(\d+(?:\s?[-–]\s?\d+)?\))?)\)?")
# an issue word that a journal's own number (№, No.) can follow, making it the larger unit
_ISSUE_THEN_NUMBER = re.compile(r"(?:Iss|iss|Issue|issue|Вып|вып|Вип|вип|Выпуск|выпуск|Випуск)")
_NUMBER_WORD = re.compile(r"(?:№|No|NO|no|Nо|N°|Nr|nr|Number|number)")
_VOL_MORE = re.compile(r"(?:,\s?\d{1,3}(?!\d))+(?=\.?\s*$)")
_ONE_RANGE = r"[A-Za-z]?\d+(?!\d)\s?(?:[-–—]+\s?[A-Za-z]?\d+(?!\d))?"
_PAGE = re.compile(
    r"(?<![\w.])(?:С|C|с|c|[PpРр][PpРр]?|стр|Стр|S|s|pages|Pages|page|Page|pgs)\.?\s?"
    # "С. 15-95, 238-260": several ranges (not a year after them)
    rf"(?P<p>{_ONE_RANGE}(?:,\s?(?!(?:1[5-9]|20)\d\d\b){_ONE_RANGE})*)"
    r"(?!\s?(?:с|p|pp|стр|S|s)\.)")
_COUNT = re.compile(r"(?<![\w.])(?<!\d[-–])(?P<n>\d+)\s?(?:с|c|С|C|[pр][pр]?|P|стр|S|s|pages|л)\.?"
                    r"(?=\s*(?:$|[,;(.–—-]))")
_VOL_PAGE = re.compile(r"^(?!(?:1[5-9]|20)\d\d\b)(?P<v>\d+)(?:\s?\((?P<i>[\w/–-]+)\))?\s?[,:]?\s+"
                       r"(?P<p>[A-Za-z]?\d+(?:\s?[-–—]+\s?[A-Za-z]?\d+)?)\b")
_EDITION = re.compile(
    r"(?<![\w.])(?:(?:Ed|ed|Edn|edn|Edition|edition|Изд|изд|Издание|издание)\.?\s?\d+"
    r"(?:-?(?:е|e|st|nd|rd|th))?|\d+(?:-?(?:е|e|st|nd|rd|th|ое))?\.?\s?(?:ed|Ed|edn|edition|"
    r"Edition|изд|Изд|издание)\b\.?(?:,?\s?(?:перераб|доп|испр|стереот|rev|revised|enl)"
    r"[\w.]*(?:\s?и\s?(?:перераб|доп|испр)[\w.]*)?)?)")
_BARE_VOLUME = re.compile(rf"^(?:{_NUM}|{_ROMAN_V})")
_BARE_ISSUE = re.compile(rf"^\(?({_NUM})\)?")
_LOST_DASH = re.compile(r"\s?(\d{1,5})(?=\s*[.,;]?\s*$)")
_PAGES_AFTER = re.compile(r"\s?(?:с|c|[pр][pр]?|стр|S|s|pages|л)\.")
_CODE = re.compile(r"^\d\d\.\d\d\.\d\d\b")
_PAREN_ISSUE = re.compile(rf"^(?P<v>{_NUM})\s?\((?P<i>[\w/–-]+)\)")
_RANGE = re.compile(r"[A-Za-z]?\d+\s?[-–—]+\s?[A-Za-z]?\d+|[A-Za-z]?\d+")
_YEAR = re.compile(r"(?:(?<![\w./-])|(?<=[\s.,][-–—])|(?<=^[-–—])|(?<=(?<![\d.])\d\.)|"
                   r"(?<=(?<![\d.])\d\d\.)|"
                   r"(?<=(?<![\d.])\d\.\d\d\.)|(?<=(?<![\d.])\d\d\.\d\d\.))"
                   r"(1[5-9]\d\d|20[0-4]\d)(?![\d/])(?:-(?:1[5-9]|20)\d\d)?[a-z]?")


def _norm(value: str) -> str:
    return "".join(value.split()).strip(".,;:")


def find_year(text: str) -> tuple[int, int, int] | None:
    """The last plausible year in ``text`` and its span, as ``(year, start, end)``."""
    found = None
    for m in _YEAR.finditer(text):
        if _PAGES_AFTER.match(text, m.end()):  # "1582 p." is a page count
            continue
        found = (int(m.group(1)), m.start(), m.end())
    return found


def read_numbers(text: str, label: str) -> Numbers:
    """Read volume/issue/pages from a segment the tagger labelled ``label``.

    >>> n = read_numbers("Т. 3, № 2. С. 49-59.", "volume"); n.volume, n.issue, n.page
    ('3', '2', '49-59')
    >>> n = read_numbers("61(3):", "volume"); n.volume, n.issue
    ('61', '3')
    >>> read_numbers("224 с.", "pages").pages
    '224'
    """
    out = Numbers()
    rest = text.replace("‑", "-").replace("−", "-")
    marked: set[str] = set()
    m = _EDITION.search(rest)
    if m:
        out.edition = m.group().strip(" ,;–—-")
        rest = rest[: m.start()] + " " + rest[m.end():]
    m = _VOL.search(rest)
    if m:
        marked.add("volume")
        out.volume = _norm(m.group("v"))
        end = m.end()
        more = _VOL_MORE.match(rest, end) if not m.group("i") and m.group()[:1] in "Тт" \
            else None
        if more:    # "Т. 1, 2.": the volumes the whole record covers
            out.volume += more.group()
            end = more.end()
        if m.group("i"):
            out.issue = _norm(m.group("i"))
        rest = rest[: m.start()] + " " + rest[end:]
    m = _ISS.search(rest)
    if m and out.issue is None:
        marked.add("issue")
        out.issue = _norm(m.group("i"))
        rest = rest[: m.start()] + " " + rest[m.end():]
        second = _ISS.search(rest) if out.volume is None and _ISSUE_THEN_NUMBER.match(
            m.group()) else None
        if second and _NUMBER_WORD.match(second.group()):
            # "Вып. 61. – № 2", "Iss. 4. – No. 8": the larger unit first, the number after it
            marked.add("volume")
            out.volume, out.issue = out.issue, _norm(second.group("i"))
            rest = rest[: second.start()] + " " + rest[second.end():]
    m = _COUNT.search(rest)
    if m and not _PAGE.search(rest[: m.start()]):
        out.pages = m.group("n")
        rest = rest[: m.start()] + " " + rest[m.end():]
    m = _PAGE.search(rest)
    if m:
        marked.add("page")
        out.page = ", ".join(_norm(r) for r in m.group("p").split(","))
        end = m.end()
        lost = _LOST_DASH.match(rest, end) if out.page.isdigit() else None
        if lost and int(lost.group(1)) > int(out.page):
            # "С. 20 30." - a range whose dash the copy lost (nothing else can follow a page)
            out.page = f"{out.page}-{lost.group(1)}"
            end = lost.end()
        rest = rest[: m.start()] + " " + rest[end:]
    bare = rest.strip(" .,;:()[]–—-")
    if _CODE.match(bare):  # a thesis specialty code (05.14.03) is not a volume
        out.leftover = bare
        out.marked = frozenset(marked)
        return out
    m = _VOL_PAGE.match(bare) if bare and label in ("volume", "pages") else None
    if m and out.volume is None and out.page is None:
        # "29(12) 1184-1201", "50 363-396", "127: 1607": volume (issue) then page
        out.volume, out.page = m.group("v"), _norm(m.group("p"))
        if m.group("i") and out.issue is None:
            out.issue = _norm(m.group("i"))
        bare = bare[m.end():].strip(" .,;:")
    if bare:
        if label == "volume" and out.volume is None:
            m = _PAREN_ISSUE.match(bare)
            if m:
                out.volume, out.issue = _norm(m.group("v")), _norm(m.group("i"))
                bare = bare[m.end():].strip(" .,;:")
            else:
                m = _BARE_VOLUME.match(bare)
                if m:
                    out.volume = _norm(m.group())
                    bare = bare[m.end():].strip(" .,;:")
            if bare and out.issue is None:
                m = re.match(r"^(?:\(\s*)?(\d+[\w/–-]*)\s*\)?", bare)
                if m:
                    out.issue = _norm(m.group(1))
                    bare = bare[m.end():].strip(" .,;:")
        elif label == "issue" and out.issue is None:
            m = _BARE_ISSUE.match(bare)
            if m:
                out.issue = _norm(m.group(1))
                bare = bare[m.end():].strip(" .,;:")
        elif label == "pages" and out.page is None:
            m = _RANGE.search(bare)
            if m:
                out.page = _norm(m.group())
                bare = (bare[: m.start()] + bare[m.end():]).strip(" .,;:")
    out.leftover = bare
    out.marked = frozenset(marked)
    return out
