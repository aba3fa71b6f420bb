"""Microsoft Word bibliography sources (``Sources.xml``, the Office Open XML bibliography part).

Reads what Word's Source Manager exports (and :mod:`transcite.writers.word` writes): each
``b:Source`` becomes a reference - its ``b:SourceType`` the CSL type, ``b:LCID`` the language,
``b:Author`` roles the name variables, the other elements fields and dates. ``b:Comments``
lines in ``key: value`` form restore what Word has no element for (see the writer); other
comment lines are the note. Elements transcite does not know are kept as extras. A file that
is not well-formed XML, or not a bibliography, is an error naming the line; a source without a
``b:Tag`` gets a key made from its author and year.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..dates import parse_date
from ..model import (
    DATE_VARIABLES,
    NAME_VARIABLES,
    Date,
    Form,
    Name,
    NameVariant,
    Origin,
    Reference,
    Variant,
)
from ..names import split_name
from ..notes import decode_name, parse_note_line
from ..writers.word import NAMESPACE, tables
from . import ReadContext
from .csljson import variant_from_tag
from .keys import make_key

__all__ = ["read_word"]

_B = "{" + NAMESPACE + "}"
_MAX_BYTES = 200 * 1024 * 1024


def _local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and tag.startswith("{") else str(tag)


def read_word(text: str, ctx: ReadContext) -> Iterator[Reference]:
    """Read Word's bibliography sources XML; each ``b:Source`` is one reference."""
    from lxml import etree

    data = text.lstrip("\ufeff").encode("utf-8")
    if len(data) > _MAX_BYTES:
        ctx.report.error("word.too-large", "the file is larger than 200 MiB; not read",
                         file=ctx.file)
        return
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        ctx.report.error("word.xml-syntax", f"not well-formed XML: {exc.msg}", file=ctx.file,
                         line=line)
        return
    if _local(root.tag) != "Sources" or not str(root.tag).startswith(_B):
        ctx.report.error("word.not-sources", "not a Word bibliography: the root element is "
                         f"{_local(root.tag)!r}, not b:Sources", file=ctx.file,
                         line=root.sourceline)
        return
    t = tables()
    for index, source in enumerate(root):
        if not isinstance(source.tag, str):
            continue
        if source.tag != _B + "Source":
            ctx.report.warning("word.unknown-element", f"<{_local(source.tag)}> in b:Sources "
                               "is not a source; skipped", file=ctx.file,
                               line=source.sourceline)
            continue
        yield _convert(source, index, ctx, t)


def _texts(source: Any) -> list[tuple[str, str, Any]]:
    """(name, text, element) of the source's children, consecutive leaf elements of one name
    joined (the writer splits long values over several)."""
    out: list[tuple[str, str, Any]] = []
    for child in source:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag) if child.tag.startswith(_B) else child.tag
        if len(child) == 0 and out and out[-1][0] == name and name != "Author":
            out[-1] = (name, out[-1][1] + (child.text or ""), out[-1][2])
        else:
            out.append((name, child.text or "", child))
    return out


def _people(role: Any) -> list[Name]:
    names: list[Name] = []
    for child in role:
        if _local(child.tag) == "Corporate" and (child.text or "").strip():
            names.append(Name(literal=child.text.strip()))
        elif _local(child.tag) == "NameList":
            for person in child:
                parts = {_local(p.tag): (p.text or "").strip() for p in person}
                given = " ".join(p for p in (parts.get("First"), parts.get("Middle")) if p)
                names.append(Name(family=parts.get("Last") or None, given=given or None))
    return names


def _month(text: str, t: dict[str, Any]) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    for names in t["months"].values():
        for i, name in enumerate(names, 1):
            if text.lower() in (name.lower(), name.lower()[:3]):
                return i
    return None


def _date(values: dict[str, str], suffix: str, t: dict[str, Any]) -> Date | None:
    year = values.get(f"Year{suffix}", "").strip()
    if not year:
        return None
    if not year.lstrip("-").isdigit():
        return parse_date(year)
    parts = [int(year)]
    month = _month(values.get(f"Month{suffix}", ""), t)
    if month:
        parts.append(month)
        day = values.get(f"Day{suffix}", "").strip()
        if day.isdigit():
            parts.append(int(day))
    return Date(parts=(tuple(parts),))


def _convert(source: Any, index: int, ctx: ReadContext, t: dict[str, Any]) -> Reference:
    items = _texts(source)
    values = {name: text for name, text, el in items if len(el) == 0}
    kind = values.get("SourceType", "").strip() or "Misc"
    ref = Reference(id=values.get("Tag", "").strip(),
                    origin=Origin(ctx.file, source.sourceline, "word", None))
    if kind not in t["types_in"]:
        ctx.report.warning("word.unknown-type", f"unknown source type {kind!r}; read as a "
                           "document", file=ctx.file, line=source.sourceline, item=ref.id)
        ref.extra["SourceType"] = kind
    ref.type = t["types_in"].get(kind, "document")
    by_element = {el: var for var, el in t["text_out"].items()}
    by_element.update({el: var for var, el in t["text_by_type"].get(kind, {}).items()})
    by_element[t["thesis_publisher"]] = "publisher"
    lcid = values.get("LCID", "").strip()
    langs = {str(v): k for k, v in reversed(list(t["lcid"].items()))}
    if lcid:
        if lcid in langs:
            ref.fields["language"] = langs[lcid]
        else:
            ref.extra["LCID"] = lcid
    roles = {role: var for var, role in t["names_out"].items()}
    roles[t["author_by_type"].get(kind, "Author")] = "author"
    skip = {"Tag", "SourceType", "Guid", "LCID", "Comments", "Year", "Month", "Day",
            "YearAccessed", "MonthAccessed", "DayAccessed"}
    for name, text, el in items:
        if name == "Author" and len(el):
            for role in el:
                var = roles.get(_local(role.tag), _local(role.tag).lower())
                names = _people(role)
                if names:
                    ref.names.setdefault(var, []).extend(names)
        elif name in skip:
            continue
        elif name in by_element and len(el) == 0:
            if text.strip():
                ref.fields.setdefault(by_element[name], text.strip())
        elif name == "StandardNumber":
            _standard_number(ref, text.strip())
        elif name == "DOI":
            ref.fields.setdefault("DOI", text.strip())
        elif text.strip() or len(el) == 0:
            ref.extra[name] = text.strip() if len(el) == 0 else _xml(el)
    for var, suffix in (("issued", ""), ("accessed", "Accessed")):
        date = _date(values, suffix, t)
        if date is not None:
            ref.dates[var] = date
    _comments(ref, values.get("Comments", ""), ctx)
    if not ref.id:
        ref.id = make_key(ref, ctx.used_keys)
        ctx.report.warning("word.missing-tag", f"source {index + 1} has no b:Tag; kept as "
                           f"{ref.id!r}", file=ctx.file, line=source.sourceline, item=ref.id)
    ctx.used_keys.add(ref.id)
    return ref


def _xml(el: Any) -> str:
    from lxml import etree

    return str(etree.tostring(el, encoding="unicode"))


def _standard_number(ref: Reference, text: str) -> None:
    if not text:
        return
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) == 8 and digits[:7].isdigit():
        ref.fields.setdefault("ISSN", text)
    elif len(digits) in (10, 13) and digits[:-1].isdigit():
        ref.fields.setdefault("ISBN", text)
    else:
        ref.fields.setdefault("number", text)


def _comments(ref: Reference, text: str, ctx: ReadContext) -> None:
    """Restore what the writer put in ``b:Comments``; other lines are the note."""
    plain: list[str] = []
    exact: dict[str, Any] = {}
    pending_names: list[tuple[str, int, str, str]] = []
    lang = ref.fields.get("language")
    for line in text.split("\n") if text else []:
        if line.startswith("x-json: "):
            try:
                line = str(json.loads(line[8:]))
            except json.JSONDecodeError:
                pass
        if line.startswith("x-csl: "):
            try:
                found = json.loads(line[7:])
            except json.JSONDecodeError:
                found = None
            if isinstance(found, dict):
                exact.update(found)
                continue
        parsed = parse_note_line(line, NAME_VARIABLES)
        if parsed is None:
            plain.append(line)
        elif parsed.kind == "field":
            if parsed.key == "language":
                ref.fields["language"] = parsed.value
                lang = parsed.value
            else:
                ref.fields.setdefault(parsed.key, parsed.value)
        elif parsed.kind == "variant":
            ref.add_variant(parsed.key, variant_from_tag(parsed.tag or "", parsed.value, lang))
        elif parsed.kind == "name-variant":
            pending_names.append((parsed.key, parsed.index or 0, parsed.tag or "",
                                  parsed.value))
        elif parsed.kind == "name":
            ref.names.setdefault(parsed.key, []).append(decode_name(parsed.value))
        elif parsed.kind == "date":
            ref.dates[parsed.key] = parse_date(parsed.value)
        else:
            ref.extra[parsed.key] = parsed.value
    _apply_exact(ref, exact)
    for var, index, tag, value in pending_names:
        names = ref.names.get(var, [])
        if 1 <= index <= len(names):
            v = variant_from_tag(tag, "", ref.fields.get("language"))
            names[index - 1].variants.append(NameVariant(split_name(value), v.form, v.lang,
                                                         v.scheme))
        else:
            plain.append(f"{var} {index} [{tag}]: {value}")
    if plain and any(p.strip() for p in plain):
        note = "\n".join(plain)
        ref.fields["note"] = f"{ref.fields['note']}\n{note}" if "note" in ref.fields else note


def _apply_exact(ref: Reference, exact: dict[str, Any]) -> None:
    """The exact CSL values the writer kept beside approximations (``x-csl``)."""
    for key, value in exact.items():
        if key == "id" and isinstance(value, str):
            ref.id = value
        elif key in ("variants", "name-variants") and isinstance(value, list):
            continue  # after the names, below
        elif key == "type" and isinstance(value, str):
            ref.type = value
        elif key in NAME_VARIABLES and isinstance(value, list):
            ref.names[key] = [Name.from_csl(n) for n in value if isinstance(n, dict)]
            if not ref.names[key]:
                del ref.names[key]
        elif key in DATE_VARIABLES:
            try:
                ref.dates[key] = Date.from_csl(value)
            except (ValueError, TypeError):
                ref.extra[f"x-csl-{key}"] = value
        elif isinstance(value, str):
            ref.fields[key] = value
        else:
            ref.extra[f"x-csl-{key}"] = value
    for row in exact.get("variants", ()) if isinstance(exact.get("variants"), list) else ():
        if isinstance(row, list) and len(row) == 5 and isinstance(row[4], str):
            ref.add_variant(str(row[0]), Variant(row[4], Form(row[1]), row[2], row[3]))
    rows = exact.get("name-variants")
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, list) and len(row) == 6 and isinstance(row[5], dict):
            names = ref.names.get(str(row[0]), [])
            if isinstance(row[1], int) and 0 <= row[1] < len(names):
                names[row[1]].variants.append(NameVariant(Name.from_csl(row[5]), Form(row[2]),
                                                          row[3], row[4]))
