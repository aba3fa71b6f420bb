"""Reading an article page (as saved from a journal site): the article itself and its references.

The article's own record comes from the ``For citations:`` / ``Для цитирования:`` line (authors,
title, journal, ``year;volume(issue):pages``), completed with the ``ISSN ... (Print)`` and
``ISSN ... (Online)`` lines, the licence sentence and the abstract; the numbered reference list
follows it in the Library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lists import is_heading

__all__ = ["PageParts", "page_parts"]


@dataclass(slots=True)
class PageParts:
    """The pieces of a page that the parser uses, with their 1-based line numbers."""

    citation: tuple[str, int] | None = None
    issn_print: str | None = None
    issn_online: str | None = None
    issn_other: list[str] = field(default_factory=list)
    license: str | None = None
    license_url: str | None = None
    abstract: str | None = None
    references: tuple[str, int] | None = None  # the list's text and its first line
    title_line: tuple[str, int] | None = None


_CITE_HEAD = re.compile(r"^\s*(?:For\s+citations?|For\s+citation|Cite\s+this\s+article|"
                        r"How\s+to\s+cite(?:\s+this\s+article)?|Для\s+цитирования|"
                        r"Ссылка\s+для\s+цитирования)\s*:?\s*(.*)$", re.IGNORECASE)
_ISSN = re.compile(r"\b(?:ISSN|eISSN|e-ISSN|pISSN|p-ISSN)\s*:?\s*(\d{4}-?\d{3}[\dXx])"
                   r"\s*(?:\(\s*(print|online|печатн\w*|электронн\w*|онлайн)\s*\))?",
                   re.IGNORECASE)
_LICENSE = re.compile(r"(?:licen[sc]ed\s+under|is\s+distributed\s+under|распространяется\s+"
                      r"на\s+условиях|лицензи)", re.IGNORECASE)
_CC = re.compile(r"Creative\s+Commons[\w\s.\-]*?(?:\d\.\d)?(?:\s+(?:International\s+)?"
                 r"Licen[sc]e)?", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}\s?[.)])\s+\S")
_STOP = re.compile(r"^\s*(?:For\s+citations?|Для\s+цитирования|Views|Просмотры|About\s+the\s+"
                   r"Authors?|Об\s+авторах?|Creative\s+Commons|ISSN|Keywords|Ключевые\s+слова|"
                   r"Received|Поступила)", re.IGNORECASE)
_ABOUT = re.compile(r"^\s*(?:About\s+the\s+Authors?|Об\s+авторах?|Authors?|Авторы)\s*$",
                    re.IGNORECASE)


def page_parts(text: str) -> PageParts:
    """Find the citation line, ISSNs, licence, abstract and reference list of a page."""
    lines = text.splitlines()
    parts = PageParts()
    for i, line in enumerate(lines):
        m = _CITE_HEAD.match(line)
        if m and parts.citation is None:
            rest = m.group(1).strip()
            if rest:
                parts.citation = (rest, i + 1)
            else:
                for j in range(i + 1, min(i + 6, len(lines))):
                    if lines[j].strip():
                        parts.citation = (lines[j].strip(), j + 1)
                        break
        for m in _ISSN.finditer(line):
            kind = (m.group(2) or "").lower()
            if kind.startswith(("print", "печат")):
                parts.issn_print = parts.issn_print or m.group(1)
            elif kind:
                parts.issn_online = parts.issn_online or m.group(1)
            else:
                parts.issn_other.append(m.group(1))
        if parts.license is None and _LICENSE.search(line):
            parts.license = line.strip()
    parts.references = _reference_block(lines)
    parts.abstract, parts.title_line = _abstract(lines, parts)
    return parts


def _reference_block(lines: list[str]) -> tuple[str, int] | None:
    """The longest run of numbered lines (blank lines and wrapped lines allowed in between)."""
    best: tuple[int, int, int] | None = None  # (count, start, end)
    i = 0
    while i < len(lines):
        if not _NUMBERED.match(lines[i]):
            i += 1
            continue
        start = end = i
        count = 0
        j = i
        while j < len(lines):
            line = lines[j]
            if _NUMBERED.match(line):
                count += 1
                end = j
            elif line.strip() and (_STOP.match(line) or _gap_before(lines, j)):
                break
            j += 1
        if best is None or count > best[0]:
            best = (count, start, end)
        i = j + 1
    if best is None or best[0] < 1:
        return _heading_block(lines)
    _, start, end = best
    # a second section right after it ("References" under the Russian list) belongs to it
    k = end + 1
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k < len(lines) and is_heading(lines[k]):
        j = k + 1
        while j < len(lines) and (not lines[j].strip() or _NUMBERED.match(lines[j]) or (
                lines[j - 1].strip() and not _STOP.match(lines[j]))):
            if _NUMBERED.match(lines[j]):
                end = j
            j += 1
    return "\n".join(lines[start: end + 1]), start + 1


def _heading_block(lines: list[str]) -> tuple[str, int] | None:
    """An unnumbered list under a ``References`` / ``Список литературы`` heading, up to a blank
    gap of two lines or the page's next part."""
    for i, line in enumerate(lines):
        if not is_heading(line):
            continue
        j = i + 1
        body: list[int] = []
        while j < len(lines):
            if lines[j].strip():
                if _STOP.match(lines[j]) or _gap_before(lines, j) and body:
                    break
                body.append(j)
            j += 1
        if len(body) >= 1:
            return "\n".join(lines[body[0]: body[-1] + 1]), body[0] + 1
    return None


def _gap_before(lines: list[str], j: int) -> bool:
    """A non-numbered line after two or more blank lines ends the list."""
    return j >= 2 and not lines[j - 1].strip() and not lines[j - 2].strip()


def _abstract(lines: list[str], parts: PageParts) -> tuple[str | None, tuple[str, int] | None]:
    """The longest paragraph before the reference list / author block, and the title line."""
    stop = len(lines)
    for i, line in enumerate(lines):
        if _ABOUT.match(line) or _NUMBERED.match(line) or _CITE_HEAD.match(line):
            stop = i
            break
    best: tuple[int, int] | None = None
    for i in range(stop):
        words = len(lines[i].split())
        if words >= 40 and (best is None or words > best[0]):
            best = (words, i)
    if best is None:
        return None, None
    title = None
    for j in range(best[1] - 1, -1, -1):
        t = lines[j].strip()
        if t and len(t.split()) >= 3:
            title = (t, j + 1)
            break
    return lines[best[1]].strip(), title
