"""Microsoft Word bibliography sources (``Sources.xml``), as Word's Source Manager imports them.

The format is Office Open XML's bibliography part (ECMA-376 Part 1, 22.6; namespace
``http://schemas.openxmlformats.org/officeDocument/2006/bibliography``): one ``b:Source`` per
reference with a ``b:SourceType`` (17 types), ``b:Tag`` (the key), ``b:LCID`` (the language Word
formats the source in - 1049 for Russian, so Word's "GOST - Name Sort" style writes "Т.", "С.",
"и др." for it), names as ``b:Author`` roles and text as elements of at most 255 characters.

Word has no element for some of what a reference holds. That goes into ``b:Comments`` as
``key: value`` lines (the CSL "cheater" lines of :mod:`transcite.notes`: ``DOI: ...``,
``title [ru-Latn-x-bsi]: ...``, ``x-file: ...``), plus one ``x-csl: {...}`` line with the exact
CSL value of every variable the elements could only approximate (names with particles or "et
al.", marked-up titles, ranges, the CSL type where the source type says less). The reader
(:mod:`transcite.readers.word`) restores all of it; Word shows the comments as a note.

Values longer than 255 characters are split over consecutive elements of the same name (the
schema allows any number; Word shows the first); characters XML cannot hold are left out of the
element and kept in ``x-csl``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from functools import cache
from typing import IO, Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from ..latex import strip_markup
from ..model import Date, Name, Reference
from ..notes import encode_extra, encode_variants
from ..resources import DataError, load_data

__all__ = ["NAMESPACE", "write_word"]

NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/bibliography"
LIMIT = 255  # every text element of the schema is ST_String255
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_GUID_NS = uuid.UUID("6f1d5a7e-7c2b-4b6e-9f3a-1c8e2d4b5a60")


@cache
def tables() -> dict[str, Any]:
    """``data/word.json``, checked: every type maps to one of the 17 source types."""
    t: dict[str, Any] = load_data("word.json")
    kinds = set(t.get("source_types", ()))
    if len(kinds) != 17:
        raise DataError("word.json: 'source_types' must list Word's 17 source types")
    for key in ("types_out", "types_in", "text_out", "text_by_type", "names_out", "lcid",
                "months", "author_by_type"):
        if not isinstance(t.get(key), dict):
            raise DataError(f"word.json: '{key}' must be an object")
    bad = {v for v in t["types_out"].values() if v not in kinds} | (set(t["types_in"]) - kinds)
    if bad:
        raise DataError(f"word.json: unknown source types {sorted(bad)}")
    return t


def escape(text: str) -> str:
    """XML text; a carriage return as a reference (a parser would read it as a line feed)."""
    return _escape(text, {"\r": "&#13;"})


def clean(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold."""
    return _BAD_XML.sub("", text)


class _Source:
    """One ``b:Source`` being written: its elements, comment lines and exact CSL values."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.notes: list[str] = []
        self.exact: dict[str, Any] = {}

    def text(self, element: str, value: str, var: str | None = None,
             exact: Any = None, markup: bool = True) -> None:
        """``<b:element>`` (split at 255 characters); ``exact`` is kept when the element
        cannot say it (markup, characters XML cannot hold)."""
        plain = clean(strip_markup(value) if markup else value)
        if var is not None and (plain != value or exact is not None):
            self.exact[var] = value if exact is None else exact
        for i in range(0, max(len(plain), 1), LIMIT):
            self.parts.append(f"<b:{element}>{escape(plain[i:i + LIMIT])}</b:{element}>")


def _line_safe(text: str) -> bool:
    """True when ``text`` survives as the value of one comment line."""
    return "\n" not in text and "\r" not in text and text == text.strip() and \
        clean(text) == text


def _person(n: Name) -> str:
    last = " ".join(p for p in (n.non_dropping_particle, n.family) if p) or n.literal or ""
    given = (n.given or "").split(None, 1)
    first, middle = (given + ["", ""])[:2]
    out = f"<b:Last>{escape(clean(last)[:LIMIT])}</b:Last>"
    if first:
        out += f"<b:First>{escape(clean(first)[:LIMIT])}</b:First>"
    if middle:
        out += f"<b:Middle>{escape(clean(middle)[:LIMIT])}</b:Middle>"
    return f"<b:Person>{out}</b:Person>"


def _exact_names(names: list[Name]) -> bool:
    """True when Word's Last/First/Middle give these names back exactly."""
    for n in names:
        if n.dropping_particle or n.non_dropping_particle or n.suffix or n.literal:
            return False
        parts = [n.family or "", n.given or ""]
        if any(p != clean(p) or len(p) > LIMIT or p != p.strip() or "  " in p for p in parts):
            return False
        if not n.family or (n.given is not None and not n.given.strip()):
            return False
    return True


def _names(ref: Reference, kind: str, src: _Source, t: dict[str, Any]) -> None:
    roles: list[str] = []
    for var, names in ref.names.items():
        own = t["author_by_type"].get(kind, "Author")
        role = own if var == "author" else t["names_out"].get(var)
        if role is None or not names or (var != "author" and role == own):
            # (no role, or the author's in this source type: an artwork's Artist)
            src.exact[var] = [n.to_csl() for n in names]
            continue
        people = [n for n in names if n.literal != "others" or n.variants]
        if len(people) == 1 and people[0].literal and role in t["corporate_roles"] \
                and len(names) == 1 and clean(people[0].literal) == people[0].literal \
                and len(people[0].literal) <= LIMIT:
            roles.append(f"<b:{role}><b:Corporate>{escape(people[0].literal)}</b:Corporate>"
                         f"</b:{role}>")
            continue
        if len(people) != len(names) or not _exact_names(people):
            src.exact[var] = [n.to_csl() for n in names]
        if people:
            body = "".join(_person(n) for n in people)
            roles.append(f"<b:{role}><b:NameList>{body}</b:NameList></b:{role}>")
    if roles:
        src.parts.append("<b:Author>" + "".join(roles) + "</b:Author>")


def _month(month: int, lang: str | None, t: dict[str, Any]) -> str:
    names = t["months"].get((lang or "en").split("-")[0])
    return names[month - 1] if names and 1 <= month <= 12 else str(month)


def _date(date: Date, prefix: str, suffix: str, var: str, lang: str | None, src: _Source,
          t: dict[str, Any]) -> None:
    simple = len(date.parts) == 1 and not date.circa and not date.season
    if simple:
        part = date.parts[0]
        src.text(f"{prefix}Year{suffix}", str(part[0]))
        if len(part) > 1:
            src.text(f"{prefix}Month{suffix}", _month(part[1], lang, t))
        if len(part) > 2:
            src.text(f"{prefix}Day{suffix}", str(part[2]))
        if 1 <= part[0] <= 9999 and all(1 <= p <= 31 for p in part[1:]) and \
                (len(part) < 2 or part[1] <= 12):
            return
    elif date.parts:
        src.text(f"{prefix}Year{suffix}", "–".join(str(p[0]) for p in date.parts))
    else:
        src.text(f"{prefix}Year{suffix}", date.literal or date.raw or "")
        if date.literal and not date.circa and not date.season and not date.raw:
            return
    src.exact[var] = date.to_csl()


def _source(ref: Reference, t: dict[str, Any]) -> str:
    kind = t["types_out"].get(ref.type, "Misc")
    src = _Source()
    tag = clean(ref.id)[:LIMIT]
    src.parts.append(f"<b:Tag>{escape(tag)}</b:Tag>")
    if tag != ref.id:
        src.exact["id"] = ref.id  # one Tag, cut or cleaned: the key itself is in x-csl
    src.text("SourceType", kind)
    src.text("Guid", "{" + str(uuid.uuid5(_GUID_NS, ref.id)).upper() + "}")
    if t["types_in"].get(kind) != ref.type:
        src.exact["type"] = ref.type
    lang = ref.fields.get("language")
    if lang:
        lcid = t["lcid"].get(lang) or t["lcid"].get(lang.split("-")[0])
        back = {v: k for k, v in reversed(list(t["lcid"].items()))}.get(lcid) if lcid else None
        if lcid:
            src.text("LCID", str(lcid))
        if back != lang:
            src.notes.append(f"language: {lang}")
    _names(ref, kind, src, t)
    by_type: dict[str, str] = t["text_by_type"].get(kind, {})
    used: set[str] = set()
    for var, value in ref.fields.items():
        element = by_type.get(var) or t["text_out"].get(var)
        if var == "publisher" and ref.type == "thesis":
            element = t["thesis_publisher"]
        if var in ("ISBN", "ISSN") and "StandardNumber" not in used and \
                "number" not in ref.fields and by_type.get("number") != "StandardNumber":
            # (in a report or a misc source StandardNumber is read as the number)
            element = "StandardNumber"
        if element is None or element in used or var == "language":
            if var != "language" and _line_safe(value):
                src.notes.append(f"{var}: {value}")
            elif var != "language":
                src.exact[var] = value
            continue
        used.add(element)
        src.text(element, value, var)
    for var, date in ref.dates.items():
        if var == "issued":
            _date(date, "", "", var, lang, src, t)
        elif var == "accessed":
            _date(date, "", "Accessed", var, lang, src, t)
        else:
            src.exact[var] = date.to_csl()
    variant_lines = encode_variants(ref)
    if all(_line_safe(line) for line in variant_lines):
        src.notes.extend(variant_lines)
    else:  # forms with line breaks or edge spaces: exactly, in x-csl
        src.exact["variants"] = [[var, v.form.value, v.lang, v.scheme, v.text]
                                 for var, vs in ref.variants.items() for v in vs]
        src.exact["name-variants"] = [
            [var, i, nv.form.value, nv.lang, nv.scheme, nv.name.to_csl()]
            for var, names in ref.names.items() for i, n in enumerate(names)
            for nv in n.variants]
    for key, value in ref.extra.items():
        src.notes.append(encode_extra(key, value))
    if src.exact:
        src.notes.append("x-csl: " + json.dumps(src.exact, ensure_ascii=False))
    lines = [line if "\n" not in line and clean(line) == line
             else "x-json: " + json.dumps(line, ensure_ascii=True) for line in src.notes]
    if lines:
        src.text("Comments", "\n".join(lines), markup=False)
    return "<b:Source>" + "".join(src.parts) + "</b:Source>\n"


def write_word(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write Word's bibliography sources XML (``Sources.xml``: References > Manage Sources >
    Browse opens it), with Word's "GOST - Name Sort" style selected."""
    t = tables()
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    out.write(f"<b:Sources SelectedStyle={quoteattr(chr(92) + 'GostName.XSL')} "
              f'StyleName="GOST - Name Sort" xmlns:b="{NAMESPACE}" xmlns="{NAMESPACE}">\n')
    for ref in refs:
        out.write(_source(ref, t))
    out.write("</b:Sources>\n")
