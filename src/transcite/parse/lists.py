"""Cutting a pasted reference list into single references, each with its first line number.

A list may be numbered (``1.``, ``[1]``, ``1)``) or not, have one reference per line or wrap
references over several lines (hanging indents, blank lines between entries, words hyphenated
at a line end), and carry section headings (``References``, ``Список литературы``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import tables

__all__ = ["Entry", "is_heading", "split_entries"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One reference of a list: its text (lines joined), first line number and list number."""

    text: str
    line: int
    number: str | None = None


_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,4}[a-z]?)\]|(\d{1,4})\s?[.)]|\((\d{1,4})\))\s+(?=\S)")
_START = re.compile(r"^[A-ZА-ЯЁ«“\"][\w'’-]+,?\s(?:[A-ZА-ЯЁ][a-zа-яё]{0,3}\.|[A-ZА-ЯЁ]{1,3}\b)")


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


def split_entries(text: str, first_line: int = 1) -> tuple[list[Entry], list[int]]:
    """Cut ``text`` into entries; also return the line numbers of the headings skipped."""
    lines = text.splitlines()
    numbered = sum(1 for ln in lines if _NUMBERED.match(ln))
    content = [ln for ln in lines if ln.strip() and not is_heading(ln)]
    use_numbers = numbered >= 2 and numbered >= len(content) // 3
    indents = {len(ln) - len(ln.lstrip()) for ln in content}
    hanging = not use_numbers and len(indents) > 1 and any(
        not (ln[:1].isspace()) for ln in content)
    has_blank_blocks = _blank_separated(lines)
    entries: list[tuple[list[str], int, str | None]] = []
    headings: list[int] = []
    blank_before = True
    for i, line in enumerate(lines):
        lineno = first_line + i
        if not line.strip():
            blank_before = True
            continue
        if is_heading(line):
            headings.append(lineno)
            blank_before = True
            continue
        m = _NUMBERED.match(line) if use_numbers else None
        if m:
            number = next(g for g in m.groups() if g)
            entries.append(([line[m.end():].strip()], lineno, number))
        elif not entries:
            entries.append(([line.strip()], lineno, None))
        elif use_numbers:
            if blank_before and _looks_like_start(line) and not has_blank_blocks:
                entries.append(([line.strip()], lineno, None))
            else:
                entries[-1][0].append(line)
        elif hanging:
            if line[:1].isspace():
                entries[-1][0].append(line)
            else:
                entries.append(([line.strip()], lineno, None))
        elif has_blank_blocks:
            if blank_before:
                entries.append(([line.strip()], lineno, None))
            else:
                entries[-1][0].append(line)
        elif _continues(entries[-1][0][-1], line):
            entries[-1][0].append(line)
        else:
            entries.append(([line.strip()], lineno, None))
        blank_before = False
    out: list[Entry] = []
    for parts, lineno, number in entries:
        joined = parts[0]
        for p in parts[1:]:
            joined = _join(joined, p)
        out.append(Entry(joined, lineno, number))
    return out, headings


def _blank_separated(lines: list[str]) -> bool:
    """True when entries are blocks of lines separated by blank lines (some block has 2+ lines)."""
    block = 0
    for ln in lines:
        if ln.strip():
            block += 1
            if block >= 2:
                return True
        else:
            block = 0
    return False


def _looks_like_start(line: str) -> bool:
    return bool(_START.match(line.strip()))


def _continues(previous: str, line: str) -> bool:
    """In a list without numbers, blank lines or indents: does ``line`` go on ``previous``?"""
    s = line.strip()
    p = previous.rstrip()
    if not s:
        return False
    if s[0].islower() or s[0] in ",;:)]–-":
        return True
    if p.endswith(("-", ",", ":", ";", "/", "//", "–", "&", " and", " и")):
        return True
    if re.match(r"^\d+\s*[-–]\s*\d+", s) or re.match(r"^(?:pp?|С|с|vol|no|Т|№)\.", s):
        return True
    return False
