"""Cutting a pasted reference list into single references, each with its first line number.

A list may be numbered (``1.``, ``[1]``, ``1)``) or not, have one reference per line or wrap
references over several lines (hanging indents, blank lines between entries, words hyphenated
at a line end, a line broken after ``М.: Физматлит,``), carry section headings (``References``,
``Список литературы``), or come as one line holding several numbered references (what copying a
list out of a PDF often gives). A Russian journal's page prints the list twice: the Russian
section and its romanised ``References`` section; :func:`read_list` says where each section
starts so that the two can be paired (:mod:`.pairs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import tables

__all__ = ["Entry", "ListLayout", "is_heading", "read_list", "split_entries"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One reference of a list: its text (lines joined), first line number and list number."""

    text: str
    line: int
    number: str | None = None
    section: int = 0  # which section of the list (0 before or under the first heading)


@dataclass(slots=True)
class ListLayout:
    """The entries of a list and what was done to find them (for the report)."""

    entries: list[Entry] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # line numbers of headings skipped
    joined: list[int] = field(default_factory=list)  # first lines of references wrapped
    split: list[int] = field(default_factory=list)  # lines that held several references
    sections: list[int] = field(default_factory=list)  # first line of each section


_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,4}[a-z]?)\]|(\d{1,4})\s?[.)]|\((\d{1,4})\))\s+(?=\S)")
_START = re.compile(r"^[A-ZА-ЯЁ«“\"][\w'’-]+,?\s(?:[A-ZА-ЯЁ][a-zа-яё]{0,3}\.|[A-ZА-ЯЁ]{1,3}\b)")
_INLINE = re.compile(r"(?:(?<=[.;)\]])|(?<=\d)|(?<=[a-zа-яё]))\s+(?:\[(\d{1,4})\]|(\d{1,3})[.)])\s+"
                     r"(?=[A-ZА-ЯЁ«“\"])")
_NOT_BEFORE_NUMBER = re.compile(r"(?:\b(?:Т|T|Vol|vol|V|v|No|no|Nos|№|Вып|вып|Iss|iss|С|C|P|p|pp|"
                                r"Ч|ч|Кн|кн|Pt|pt|Part|part|Ed|ed|Изд|изд|Сер|Ser|Гл|Ch|ch|"
                                r"Book|Sect|Разд)\.?|№)\s*$")


def is_heading(line: str) -> bool:
    """True for a section heading such as ``References`` or ``Список литературы:``."""
    t = re.sub(r"^[\s#*\d.IVX]+(?=[A-Za-zА-Яа-яЁё])", "", line).strip().strip(":.*# ").lower()
    return bool(t) and t in tables()["headings"]


def _join(previous: str, line: str) -> str:
    """Join a wrapped line: ``Mur-`` + ``phy`` -> ``Murphy``; ``Hokkaido-`` + ``Sakhalin`` kept."""
    line = line.strip()
    if re.search(r"[A-Za-zА-Яа-яЁё]-$", previous) and line[:1].islower():
        return previous[:-1] + line
    if previous.endswith(("-", "/", "–")) and not previous.endswith(" -"):
        return previous + line
    return f"{previous} {line}"


def _number(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g)


def _next_number(line: str, last: int | None) -> bool:
    """Does a line that starts like ``12.`` start the next numbered reference? A wrapped line
    that starts with a year (``2005. – 300 с.``) does not: numbers go up one at a time (a few
    missing are tolerated) or start again at 1 (a new section)."""
    m = _NUMBERED.match(line)
    if not m:
        return False
    digits = re.match(r"\d+", _number(m))
    n = int(digits.group()) if digits else 0
    if last is None:
        return n < 1000
    return n == 1 or last < n <= last + 3


def split_inline(text: str, number: str | None) -> list[tuple[str | None, str]]:
    """Split numbered references pasted on one line: ``1. A... 2. B... 3. C...``.

    The inline numbers must go up one by one from the entry's own number (or from 1), and a
    number right after a volume or page marker (``Т. 2.``) never splits.

    >>> line = ("Иванов И.И. Статья // Журнал. 2015. Т. 2. С. 5. 2. Петров П.П. Книга. М., "
    ...         "2001. 3. Smith J. Title. 2000.")
    >>> [n for n, _ in split_inline(line, "1")]
    ['1', '2', '3']
    """
    if len(text) < 40:
        return [(number, text)]
    start = int(number) if number and number.isdigit() else None
    pieces: list[tuple[str | None, str]] = []
    expected = start + 1 if start is not None else None
    cut, current = 0, number
    for m in _INLINE.finditer(text):
        n = int(m.group(1) or m.group(2))
        if expected is None:
            if n != 2 or not _NUMBERED.match(text):
                continue
            lead = _NUMBERED.match(text)
            current = _number(lead) if lead else None
            text_start = lead.end() if lead else 0
            cut = text_start
            expected = 2
        if n != expected or _NOT_BEFORE_NUMBER.search(text, max(0, m.start() - 8), m.start()):
            continue
        piece = text[cut: m.start()].strip()
        if len(piece) < 20:
            continue
        pieces.append((current, piece))
        cut, current, expected = m.end(), str(n), n + 1
    if not pieces:
        return [(number, text)]
    pieces.append((current, text[cut:].strip()))
    return pieces


def read_list(text: str, first_line: int = 1) -> ListLayout:
    """Cut ``text`` into entries and say how (joined, split, headings, sections)."""
    lines = text.splitlines()
    numbered = sum(1 for ln in lines if _NUMBERED.match(ln))
    content = [ln for ln in lines if ln.strip() and not is_heading(ln)]
    use_numbers = numbered >= 2 and numbered >= len(content) // 3
    indents = {len(ln) - len(ln.lstrip()) for ln in content}
    hanging = not use_numbers and len(indents) > 1 and any(
        not (ln[:1].isspace()) for ln in content)
    has_blank_blocks = _blank_separated(lines)
    layout = ListLayout()
    entries: list[tuple[list[str], int, str | None, int]] = []
    blank_before = True
    section = 0
    last: int | None = None
    for i, line in enumerate(lines):
        lineno = first_line + i
        if not line.strip():
            blank_before = True
            continue
        if is_heading(line):
            layout.headings.append(lineno)
            if entries:
                section += 1
            layout.sections.append(lineno)
            blank_before = True
            last = None
            continue
        m = _NUMBERED.match(line) if use_numbers and _next_number(line, last) else None
        if m:
            number = _number(m)
            digits = re.match(r"\d+", number)
            n = int(digits.group()) if digits else 0
            if last is not None and n == 1 and last > 1 and not layout.sections[-1:] == [
                    lineno - 1]:
                section += 1  # numbering starts again: a second section without a heading
                layout.sections.append(lineno)
            last = n
            entries.append(([line[m.end():].strip()], lineno, number, section))
        elif not entries:
            entries.append(([line.strip()], lineno, None, section))
        elif use_numbers:
            if blank_before and _looks_like_start(line) and not has_blank_blocks:
                entries.append(([line.strip()], lineno, None, section))
            else:
                entries[-1][0].append(line)
        elif hanging:
            if line[:1].isspace():
                entries[-1][0].append(line)
            else:
                entries.append(([line.strip()], lineno, None, section))
        elif has_blank_blocks:
            if blank_before:
                entries.append(([line.strip()], lineno, None, section))
            else:
                entries[-1][0].append(line)
        elif _continues(entries[-1][0][-1], line):
            entries[-1][0].append(line)
        else:
            entries.append(([line.strip()], lineno, None, section))
        blank_before = False
    for parts, lineno, listed, sec in entries:
        joined: str = parts[0]
        for p in parts[1:]:
            joined = _join(joined, p)
        if len(parts) > 1:
            layout.joined.append(lineno)
        pieces = split_inline(joined, listed)
        if len(pieces) > 1:
            layout.split.append(lineno)
        for num, piece in pieces:
            layout.entries.append(Entry(piece, lineno, num, sec))
    return layout


def split_entries(text: str, first_line: int = 1) -> tuple[list[Entry], list[int]]:
    """Cut ``text`` into entries; also return the line numbers of the headings skipped."""
    layout = read_list(text, first_line)
    return layout.entries, layout.headings


def _blank_separated(lines: list[str]) -> bool:
    """True when entries are blocks of lines separated by blank lines (some block has 2+ lines
    and some blank line stands between two blocks)."""
    block = 0
    multi = gap = False
    seen = False
    for ln in lines:
        if ln.strip() and not is_heading(ln):
            if seen and block == 0:
                gap = True
            block += 1
            seen = True
            if block >= 2:
                multi = True
        else:
            block = 0
    return multi and gap


def _looks_like_start(line: str) -> bool:
    return bool(_START.match(line.strip()))


def _continues(previous: str, line: str) -> bool:
    """In a list without numbers, blank lines or indents: does ``line`` go on ``previous``?"""
    s = line.strip()
    p = previous.rstrip()
    if not s:
        return False
    if s[0].islower() or s[0] in ",;:)]–-" or s[0].isdigit():
        return True
    if p.endswith(("-", ",", ":", ";", "/", "//", "–", "&", " and", " и")):
        return True
    if re.match(r"^(?:pp?|С|с|vol|no|Т|№)\.", s):
        return True
    # a line broken inside a sentence: the previous one does not end like a reference does
    return not p.endswith((".", ")", "]", "»", "”", '"')) and not _looks_like_start(s) and (
        not re.search(r"https?://\S+$|\b10\.\d{4,}/\S+$", p))
