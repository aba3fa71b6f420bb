"""RIS writer, after the 2011 RIS specification as Zotero's RIS import reads it.

* Tags follow the record type: a book's editor is ``A3`` (``A2`` is its series editor), a
  chapter's ``A2``; a conference paper's proceedings title is ``C3`` and ``T2`` the conference;
  a report's, patent's or standard's number is ``SN``. ``TT`` holds an English title.
* Every value is one line: RIS has no continuation lines that all readers accept (pandoc
  rejects the file). Line breaks inside a value become U+2029 (PARAGRAPH SEPARATOR); a note
  with several lines is written as Zotero writes notes, HTML (``<p>...<br/>...</p>``).
* Values are plain text: CSL markup (``<i>``, ``<span class="nocase">``) is dropped from the
  tag, and the marked-up value kept in the note.
* What RIS has no tag for - variants, CSL variables without a tag, fields kept from other
  formats, "et al." at the end of a name list - goes into ONE ``N1`` as ``key: value`` lines
  (the form citeproc-js and Zotero's Extra read, see :mod:`transcite.notes`): Zotero makes each
  ``N1`` a separate child note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from typing import IO, Any

from ..dates import text_reads_back
from ..latex import strip_markup
from ..model import NAME_VARIABLES, Date, Form, Name, Reference
from ..notes import (
    CUSTOM,
    DATE_MARK,
    NOTE,
    SAFE_KEY,
    decode_name,
    encode_extra,
    encode_name,
    encode_variants,
    parse_note_line,
)
from ..resources import load_data

__all__ = ["keywords", "write_ris"]

_TAG = re.compile(r"^[A-Z][A-Z0-9]$")
_NAME_ORDER = {"AU": 0, "A1": 0, "A2": 1, "A3": 2, "A4": 3}
#: Stands for a line break inside a value (read back as one).
PARAGRAPH = "\u2029"



def keywords(value: str) -> list[str]:
    """The ``KW`` lines of a keyword field (one per keyword, split at commas and semicolons);
    the reader joins them back with ", "."""
    return [kw for kw in re.split(r"\s*[,;]\s*", value) if kw]

def _name(n: Name) -> str:
    if n.literal:
        return n.literal
    family = " ".join(p for p in (n.non_dropping_particle, n.family) if p)
    given = " ".join(p for p in (n.given, n.dropping_particle) if p)
    parts = [family, given] + ([n.suffix] if n.suffix else [])
    # "Family," marks a family-only name; a bare word is read back as a literal (an organisation)
    return ", ".join(parts) if given or n.suffix else f"{family},"


def _exact(var: str, index: int, name: Name, read_back: Name | None) -> list[str]:
    """A note with the name's exact parts when the line written for it reads back otherwise
    (an organisation with a comma, a person whose parts the line cannot tell apart)."""
    if read_back is not None and read_back.to_csl() == name.to_csl():
        return []
    return [f"{var} {index} [x-parts]: {json.dumps(name.to_csl(), ensure_ascii=False)}"]


def _reads_back(var: str, d: Date) -> bool:
    """True when the tag or note line written for a date with parts reads back as the same
    date (PY and DA, Y2, or a note line in EDTF)."""
    from ..dates import parse_date
    from ..readers.ris import _ris_date

    if var == "accessed" or (var == "issued" and len(d.parts) == 1):
        first = d.parts[0]
        back = _ris_date(_date(d)) if var == "accessed" or len(first) > 1 else \
            Date(((first[0],),))
    else:
        back = parse_date(d.iso())
    return back.to_csl() == d.to_csl()


def _date(d: Date) -> str:
    if not d.parts:
        return d.literal or d.raw or ""
    p = d.parts[0]
    return "/".join([f"{p[0]:04d}", f"{p[1]:02d}" if len(p) > 1 else "",
                     f"{p[2]:02d}" if len(p) > 2 else "", ""])


#: What ends a line for Python's str.splitlines (and so for readers of a RIS file)
_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028]")


def one_line(value: str) -> str:
    """A value as one RIS line: a line feed as U+2029, other line breaks as spaces (a value
    that already holds U+2029 gets spaces for all)."""
    if PARAGRAPH in value:
        return _BREAKS.sub(" ", value)
    return _OTHER_BREAKS.sub(" ", value).replace("\n", PARAGRAPH)


#: An ISSN as an ``SN`` line's piece holds it ("0204-3327 (print)"); any other piece is an ISBN
ISSN_SHAPE = re.compile(r"^\d{4}-?\d{3}[\dXx](?:\s*\([^)]*\))?$")
#: An ISBN-10 or -13, hyphens or spaces anywhere
ISBN_SHAPE = re.compile(r"^(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]$")


def sn_pieces(value: str) -> list[str]:
    """The identifiers an ``SN`` line holds (split at ``;``, ``,`` and a space before a
    digit)."""
    return [p.strip() for p in re.split(r"[;,]\s*|\s+(?=\d)", value) if p.strip()]


def as_read(value: str) -> str:
    """A value as the reader takes it from its tag's line (markup dropped, one line, a
    paragraph separator back to a line break)."""
    return one_line(strip_markup(value)).strip().replace(PARAGRAPH, "\n")


def _identifier_shaped(value: str) -> bool:
    """True when a record type's ``SN`` line of ``value`` reads as an ISSN or an ISBN (where
    ``SN`` is also the number of a report, a patent or a standard)."""
    line = as_read(value)
    return bool(ISSN_SHAPE.match(line) or ISBN_SHAPE.match(line))


def _sn_reads_back(var: str, value: str) -> bool:
    """True when an ``SN`` line of ``value`` reads back as ``var`` holding ``value``: every
    piece of the shape of ``var`` and the pieces one space apart (else a note line keeps it)."""
    pieces = sn_pieces(as_read(value))
    return " ".join(pieces) == value and all(
        ("ISSN" if ISSN_SHAPE.match(p) else "ISBN") == var for p in pieces)


def _keywords_read_back(value: str) -> bool:
    """True when the ``KW`` lines of ``value`` read back as it is (the reader joins them with
    ", "; "a; b" or "a,b" would come back otherwise)."""
    return ", ".join(p for p in (as_read(kw) for kw in keywords(value)) if p) == value


def _exact_in_tag(value: str) -> bool:
    """True when a tag gives ``value`` back as it is (a lone line break as U+2029 does)."""
    return _BREAKS.search(value.replace("\n", "")) is None


def html_note(lines: list[str]) -> str:
    """Several note lines as one line of HTML, the way Zotero writes and reads a note (line
    breaks inside a line as character references)."""
    body = "<br/>".join(_BREAKS.sub(lambda m: f"&#{ord(m.group(0))};", escape(line, quote=False))
                        for line in lines)
    return f"<p>{body}</p>"


_HTMLISH = re.compile(r"<[^>]*>|&#?\w+;")


def _note(lines: list[str]) -> str:
    """One N1 value: a single plain line as it is, anything else as an HTML note (a line
    break inside a line is a paragraph separator)."""
    if len(lines) == 1 and not _HTMLISH.search(lines[0]) and not _BREAKS.search(lines[0]):
        return lines[0]
    return html_note(lines)


def _out_tags(ref_type: str, ty: str, t: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(CSL name variable -> tag, CSL text variable -> tag) for a record of type ``ty``."""
    names = dict(t["names_out"])
    for tag, var in t["names_by_type"].get(ty, {}).items():
        names[var] = tag
    text = dict(t["text_out"])
    for tag, var in t["text_by_type"].get(ty, {}).items():
        text[var] = tag
    return names, text


def _record(ref: Reference, t: dict[str, Any]) -> list[str]:
    from ..readers.ris import ris_name  # (the reader imports this module)

    out: list[str] = []
    notes: list[str] = []

    def tag(name: str, value: str, plain: bool = True) -> None:
        text = strip_markup(value) if plain else value
        out.append(f"{name}  - {one_line(text)}")

    ty = t["types_out"].get(ref.type, "GEN")
    names_out, text_out = _out_tags(ref.type, ty, t)
    tag("TY", ty)
    tag("ID", ref.id, plain=False)
    for var, rtag in sorted(names_out.items(), key=lambda kv: _NAME_ORDER.get(kv[1], 9)):
        names = ref.names.get(var, [])
        if names and names[-1].literal == "others" and not names[-1].variants:
            notes.append(f"et-al: {var}")  # "et al.": no person called "others"
            names = names[:-1]
        for i, n in enumerate(names, 1):
            tag(rtag, _name(n), plain=False)
            notes.extend(_exact(var, i, n, ris_name(one_line(_name(n)).replace(PARAGRAPH,
                                                                                  "\n"))))
    for var, names in ref.names.items():
        if var not in names_out:
            for i, n in enumerate(names, 1):
                line = encode_name(var, n)
                notes.append(line)
                notes.extend(_exact(var, i, n, decode_name(line.partition(": ")[2])))
    # in one order whatever order the fields were read in: writing what was read from a
    # RIS file gives the same file
    order = {var: n for n, var in enumerate([*text_out, "page", "ISBN", "ISSN", "keyword"])}
    number_in_sn = False    # (a report's, patent's or standard's number: the first SN line)
    for var, value in sorted(ref.fields.items(), key=lambda kv: (order.get(kv[0], len(order)),
                                                                 kv[0])):
        if var in text_out:
            if text_out[var] == "SN" and _identifier_shaped(value):
                notes.append(f"{var}: {value}")     # (its SN line would read as an ISSN)
                continue
            tag(text_out[var], value)
            number_in_sn = number_in_sn or text_out[var] == "SN"
        elif var == "page":
            first, sep, last = value.partition("-")
            if sep and first.strip() and last.strip() and "," not in value and \
                    first == first.strip() and last == last.strip() and first != last:
                # (split as the reader joins it back: "1 - 5" and "5-5" stay whole)
                tag("SP", first.strip())
                tag("EP", last.strip())
            else:
                tag("SP", value)
        elif var in ("ISBN", "ISSN"):
            if "SN" in text_out.values() and not number_in_sn and not _identifier_shaped(value):
                notes.append(f"{var}: {value}")     # (its SN line would read as the number)
                continue
            tag("SN", value)
        elif var == "keyword":
            for kw in keywords(value):
                if one_line(strip_markup(kw)).strip():  # (markup alone: no KW line, the
                    tag("KW", kw)                       # note below holds it)
        elif var != "note":
            notes.append(f"{var}: {value}")
            continue
        else:
            continue
        if strip_markup(value) != value or not _exact_in_tag(value) or \
                (var in ("ISBN", "ISSN") and not _sn_reads_back(var, value)) or \
                (var == "keyword" and not _keywords_read_back(value)):
            notes.append(f"{var}: {value}")  # the value the plain one-line tag cannot hold
    issued = ref.dates.get("issued")
    if issued is not None:
        if issued.parts:
            tag("PY", str(issued.parts[0][0]))
            if len(issued.parts[0]) > 1 or len(issued.parts) > 1:
                tag("DA", _date(issued))
            if len(issued.parts) > 1:
                notes.append(f"issued: {issued.iso()}")
        else:
            literal = issued.literal or issued.raw or ""
            tag("PY", literal)
            if strip_markup(literal) != literal or not _exact_in_tag(literal):
                notes.append(f"issued: {literal}")  # what the plain one-line tag cannot hold
    accessed = ref.dates.get("accessed")
    if accessed is not None:
        tag("Y2", _date(accessed))
    for var, date in ref.dates.items():
        if var not in ("issued", "accessed"):
            notes.append(f"{var}: {date.iso()}")
    english = ref.form("title", Form.TRANSLATED, "en")
    if english is not None and english.text != ref.fields.get("title"):
        tag("TT", english.text)
    note = ref.fields.get("note")
    if note is not None:
        if any(parse_note_line(line, NAME_VARIABLES) is not None
               for line in re.split(r"\r\n|\r|\n", note)):
            notes.append(encode_extra(NOTE, note))  # a note that reads like "key: value"
        else:
            out.append(f"N1  - {_note(note.split(chr(10)))}")
    leftover: dict[str, list[Any]] = {}
    notes.extend(encode_variants(ref, rest=leftover))
    custom: dict[str, Any] = {"@variants": leftover} if leftover else {}
    if t["types_in"].get(ty) != ref.type:   # a type TY cannot name ("article", "review")
        custom["@type"] = ref.type
    if ref.id and one_line(ref.id).strip() != ref.id:   # a key a line cannot hold ("a\x85b")
        custom["@id"] = ref.id
    for var, date in ref.dates.items():
        if not (_reads_back(var, date) if date.parts else text_reads_back(date)):
            # (a 122nd day, a season, "circa", a raw text no calendar has)
            custom[f"{DATE_MARK}{var}"] = date.to_csl()
    for key, value in ref.extra.items():
        if _TAG.match(key) and key not in ("TY", "ER") and isinstance(value, str) and \
                "\n" not in value and value == value.strip():     # (TY, ER: a record's bounds)
            tag(key, value, plain=False)
        elif SAFE_KEY.fullmatch(key) and key != CUSTOM:
            notes.append(encode_extra(key, value))
        else:
            custom[key] = value         # a key no note line can carry
    if custom:
        notes.append(encode_extra(CUSTOM, custom))
    if notes:
        out.append(f"N1  - {_note(notes)}")
    out.append("ER  - ")
    return out


def write_ris(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write RIS records separated by blank lines."""
    tables: dict[str, Any] = load_data("ris.json")
    first = True
    for ref in refs:
        if not first:
            out.write("\n")
        out.write("\n".join(_record(ref, tables)) + "\n")
        first = False
