"""RIS writer.

Standard tags where RIS has them (``TT`` for an English title); everything else - variants,
CSL variables without a tag, fields kept from other formats - as ``N1`` note lines in the
``key: value`` form citeproc-js and Zotero read (see :mod:`transcite.notes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from ..model import Date, Form, Name, Reference
from ..notes import encode_extra, encode_name, encode_variants
from ..resources import load_data

__all__ = ["write_ris"]

_TAG = re.compile(r"^[A-Z][A-Z0-9]$")


def _name(n: Name) -> str:
    if n.literal:
        return n.literal
    family = " ".join(p for p in (n.non_dropping_particle, n.family) if p)
    given = " ".join(p for p in (n.given, n.dropping_particle) if p)
    parts = [family, given] + ([n.suffix] if n.suffix else [])
    # "Family," marks a family-only name; a bare word is read back as a literal (an organisation)
    return ", ".join(parts) if given or n.suffix else f"{family},"


def _date(d: Date) -> str:
    if not d.parts:
        return d.literal or d.raw or ""
    p = d.parts[0]
    return "/".join([f"{p[0]:04d}", f"{p[1]:02d}" if len(p) > 1 else "",
                     f"{p[2]:02d}" if len(p) > 2 else "", ""])


def _record(ref: Reference, t: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def tag(name: str, value: str) -> None:
        for i, line in enumerate(value.split("\n")):
            out.append(f"{name}  - {line}" if i == 0 or name == "N1" else f"{line}")

    tag("TY", t["types_out"].get(ref.type, "GEN"))
    tag("ID", ref.id)
    for var, rtag in t["names_out"].items():
        for n in ref.names.get(var, []):
            tag(rtag, _name(n))
    notes: list[str] = []
    for var, names in ref.names.items():
        if var not in t["names_out"]:
            for n in names:
                notes.append(encode_name(var, n))
    text_out: dict[str, str] = t["text_out"]
    for var, value in ref.fields.items():
        if var in text_out:
            tag(text_out[var], value)
        elif var == "page":
            first, sep, last = value.partition("-")
            if sep and first.strip() and last.strip() and "," not in value:
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
    if "note" in ref.fields:
        tag("N1", ref.fields["note"])
    notes.extend(encode_variants(ref))
    for key, value in ref.extra.items():
        if _TAG.match(key) and isinstance(value, str):
            tag(key, value)
        else:
            notes.append(encode_extra(key, value))
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
