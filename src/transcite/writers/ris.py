"""RIS writer.

Standard tags where RIS has them (``TT`` for an English title); everything else - variants,
CSL variables without a tag, fields kept from other formats - as ``N1`` note lines in the
``key: value`` form citeproc-js and Zotero read (see :mod:`transcite.notes`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO, Any

from ..model import NAME_VARIABLES, Date, Form, Name, Reference
from ..notes import (
    CUSTOM,
    NOTE,
    SAFE_KEY,
    decode_name,
    encode_extra,
    encode_name,
    encode_variants,
    parse_note_line,
)
from ..readers.ris import ris_name
from ..resources import load_data

__all__ = ["write_ris"]

_TAG = re.compile(r"^[A-Z][A-Z0-9]$")
_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9]\s+-")


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


def _date(d: Date) -> str:
    if not d.parts:
        return d.literal or d.raw or ""
    p = d.parts[0]
    return "/".join([f"{p[0]:04d}", f"{p[1]:02d}" if len(p) > 1 else "",
                     f"{p[2]:02d}" if len(p) > 2 else "", ""])


def _record(ref: Reference, t: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def tag(name: str, value: str) -> None:
        for i, line in enumerate(re.split(r"\r\n|\r|\n", value)):
            if i == 0 or name == "N1":
                out.append(f"{name}  - {line}")
            else:       # a line of the value that looks like a tag is indented (read stripped)
                out.append(f" {line}" if _TAG_LINE.match(line) else line)

    tag("TY", t["types_out"].get(ref.type, "GEN"))
    tag("ID", ref.id)
    notes: list[str] = []
    for var, rtag in t["names_out"].items():
        for i, n in enumerate(ref.names.get(var, []), 1):
            tag(rtag, _name(n))
            notes.extend(_exact(var, i, n, ris_name(_name(n))))
    for var, names in ref.names.items():
        if var not in t["names_out"]:
            for i, n in enumerate(names, 1):
                line = encode_name(var, n)
                notes.append(line)
                notes.extend(_exact(var, i, n, decode_name(line.partition(": ")[2])))
    text_out: dict[str, str] = t["text_out"]
    # in one order whatever order the fields were read in: writing what was read from a
    # RIS file gives the same file
    order = {var: n for n, var in enumerate([*text_out, "page", "ISBN", "ISSN", "keyword"])}
    for var, value in sorted(ref.fields.items(), key=lambda kv: (order.get(kv[0], len(order)),
                                                                 kv[0])):
        if var in text_out:
            tag(text_out[var], value)
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
            tag("SN", value)
        elif var == "keyword":
            for kw in re.split(r"\s*[,;]\s*", value):
                if kw:
                    tag("KW", kw)
        elif var != "note":
            notes.append(f"{var}: {value}")
    issued = ref.dates.get("issued")
    if issued is not None:
        if issued.parts:
            tag("PY", str(issued.parts[0][0]))
            if len(issued.parts[0]) > 1 or len(issued.parts) > 1:
                tag("DA", _date(issued))
            if len(issued.parts) > 1:
                notes.append(f"issued: {issued.iso()}")
        else:
            tag("PY", issued.literal or issued.raw or "")
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
            tag("N1", note)
    notes.extend(encode_variants(ref))
    custom: dict[str, Any] = {}
    for key, value in ref.extra.items():
        if _TAG.match(key) and key not in ("TY", "ER") and isinstance(value, str) and \
                "\n" not in value and value == value.strip():     # (TY, ER: a record's bounds)
            tag(key, value)
        elif SAFE_KEY.fullmatch(key) and key != CUSTOM:
            notes.append(encode_extra(key, value))
        else:
            custom[key] = value         # a key no note line can carry
    if custom:
        notes.append(encode_extra(CUSTOM, custom))
    for line in notes:
        tag("N1", line)
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
