"""Parsing one reference string: anchors, tokens, tagger, assembly, classification."""

from __future__ import annotations

import re
from collections.abc import Container
from pathlib import Path

from ..model import Origin, Reference, Report
from .anchors import find_anchors
from .assemble import assemble, segments
from .classify import classify, make_id
from .crf import tag
from .marks import find_marks
from .repair import repair
from .tidy import tidy
from .tokens import tokenize

__all__ = ["MAX_LENGTH", "parse_one", "split_number"]

_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4}[a-z]?)\]|(\d{1,3})\s?[.)](?=\s|\S{3})|\((\d{1,3})\)|"
                     r"(\d{1,3})(?=\s+[A-ZА-ЯЁ][\w'’-]+(?:,|\s[A-ZА-ЯЁ]\.|\s[A-ZА-ЯЁ]{1,2}\b)))\s*")


def split_number(text: str) -> tuple[str | None, str]:
    """Take a list number (``1.``, ``[1]``, ``1)``, ``(1)``) off the start of a reference.

    >>> split_number("[12] Smith J. Title."), split_number("2005. Title")
    (('12', 'Smith J. Title.'), (None, '2005. Title'))
    >>> split_number("33 Bergk, V. Title.")
    ('33', 'Bergk, V. Title.')
    """
    m = _NUMBER.match(text)
    if not m:
        return None, text
    return next(g for g in m.groups() if g), text[m.end():]


def parse_one(text: str, *, file: str | None = None, line: int | None = None,
              report: Report | None = None, used_ids: Container[str] = (),
              number: str | None = None, model: str | Path | None = None) -> Reference:
    """Parse one reference (see :func:`transcite.parse.parse_reference`)."""
    raw = text.strip()
    if len(raw) > MAX_LENGTH:
        return _too_long(raw, file=file, line=line, report=report, used_ids=used_ids)
    flat = tidy(" ".join(raw.split()))
    found_number, body = split_number(flat)
    number = number or found_number
    anchors = find_anchors(body)
    marks = find_marks(anchors.text)
    anchors.text = marks.text
    tokens = tokenize(marks.text)
    labels = repair(tokens, tag(tokens, model))
    segs = segments(tokens, labels, marks.text)
    ref, hints = assemble(raw, anchors, segs, number=number, file=file, line=line,
                          dated=marks.dated_text)
    classify(ref, hints, marks.text, marks)
    ref.id = make_id(ref, used_ids)
    recognised = _recognised(ref)
    if not recognised:
        ref.fields = {"note": raw}
        ref.names, ref.dates, ref.variants, ref.extra = {}, {}, {}, {}
        ref.type = "document"
        if line is not None:
            ref.id = _unique(f"line{line}", used_ids)
    if report is not None:
        where = {"file": file, "line": line, "item": ref.id}
        if not recognised:
            report.error("parse.unrecognised", "cannot make out a reference in this line; "
                         "kept as a note", raw=raw, **where)
        elif anchors.url_incomplete:
            report.warning("parse.url-incomplete", f"the URL {anchors.url!r} is not a full "
                           "address (no http://); kept as written", raw=raw, **where)
    return ref


#: A reference longer than this is not one reference (the longest in the shared corpus of 15,000
#: lines is under 1,500 characters): it is reported and kept as written, never parsed.
MAX_LENGTH = 5000


def _too_long(raw: str, *, file: str | None, line: int | None, report: Report | None,
              used_ids: Container[str]) -> Reference:
    ref = Reference(id=_unique(f"line{line}" if line is not None else "item", used_ids),
                    type="document", fields={"note": raw}, origin=Origin(file, line, "text", raw))
    if report is not None:
        report.error("parse.too-long", f"this line is {len(raw):,} characters long, far longer "
                     f"than any reference (limit {MAX_LENGTH:,}): kept as written, not parsed; "
                     "if it holds a whole list, read it with --list", file=file, line=line,
                     item=ref.id, raw=raw[:200])
    return ref


def _unique(base: str, used: Container[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


_NUMBERED_TYPES = frozenset({"standard", "legislation", "regulation", "patent", "software",
                             "dataset"})


def _recognised(ref: Reference) -> bool:
    """A line is a reference when it has a title or container and one more part, or any three
    parts (authors, year, volume and pages without a title still make a citation)."""
    if ref.fields.get("number") and ref.type in _NUMBERED_TYPES:
        return True  # a standard's designation, an act's or a patent's number
    if ref.fields.get("URL") and "accessed" in ref.dates and not ref.names and not ref.fields.get(
            "title"):
        return True  # an address with the day it was read: a web resource without a title
    found = sum(k in ref.fields for k in ("title", "container-title", "publisher", "URL", "DOI",
                                          "volume", "page", "publisher-place", "genre"))
    found += ("author" in ref.names or "editor" in ref.names) + ("issued" in ref.dates)
    if ref.fields.get("title") or ref.fields.get("container-title"):
        return found >= 2
    return found >= 3 and ("author" in ref.names or "editor" in ref.names)
