"""Crossref records as transcite References, and references as Crossref search strings.

The mapping tables (work types, ISSN types, plain fields) are data: ``data/crossref.json``.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from ..identifiers import Issn
from ..model import Date, Form, Name, Reference, Variant, is_cyrillic
from ..resources import load_data

__all__ = ["bibliographic_query", "journal_record", "journal_to_reference", "work_to_reference"]

ORIGIN = "crossref"
_TAG = re.compile(r"<[^>]+>")


@cache
def _tables() -> dict[str, Any]:
    data: dict[str, Any] = load_data("crossref.json")
    return data


def _clean(text: Any) -> str:
    """A Crossref string without markup (``<i>``, ``<sub>``, JATS tags) or extra spaces."""
    return " ".join(html.unescape(_TAG.sub("", str(text))).split())


def _list(value: Any) -> list[Any]:
    """A list from a record, or nothing when the record holds something else there."""
    return value if isinstance(value, list) else []


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str) and value.strip():
        return _clean(value)
    return None


def _date(value: Any) -> Date | None:
    if not isinstance(value, dict):
        return None
    parts = []
    for p in _list(value.get("date-parts")):
        if isinstance(p, list):
            ints = tuple(int(x) for x in p if (isinstance(x, int) and not isinstance(x, bool)
                                               and abs(x) < 100_000) or (
                isinstance(x, str) and x.isascii() and x.isdigit() and len(x) < 6))
            if ints:
                parts.append(ints)
    return Date(parts=tuple(parts[:2])) if parts else None


def _names(value: Any) -> list[Name]:
    names: list[Name] = []
    for person in value if isinstance(value, list) else []:
        if not isinstance(person, dict):
            continue
        if person.get("family"):
            names.append(Name(family=_clean(person["family"]),
                              given=_clean(person["given"]) if person.get("given") else None,
                              suffix=_clean(person["suffix"]) if person.get("suffix") else None))
        elif person.get("name"):
            names.append(Name(literal=_clean(person["name"])))
    return names


def _issns(message: dict[str, Any]) -> list[Issn]:
    media = _tables()["media"]
    typed = message.get("issn-type")
    out: list[Issn] = []
    if isinstance(typed, list):
        for entry in typed:
            if isinstance(entry, dict) and isinstance(entry.get("value"), str):
                out.append(Issn(entry["value"], media.get(str(entry.get("type")))))
    known = {i.value for i in out}
    for value in _list(message.get("ISSN")):
        if isinstance(value, str) and value not in known:
            out.append(Issn(value))
    return out


def work_to_reference(message: dict[str, Any], ref_id: str | None = None) -> Reference:
    """A Reference holding what a Crossref work record says (id: ``ref_id`` or the DOI)."""
    tables = _tables()
    doi = _first(message.get("DOI")) or ""
    ref = Reference(id=ref_id or doi or "crossref",
                    type=tables["types"].get(str(message.get("type")), "document"))
    title = _first(message.get("title"))
    subtitle = _first(message.get("subtitle"))
    if title and subtitle and subtitle.casefold() not in title.casefold():
        title = f"{title}: {subtitle}"
    if title:
        ref.fields["title"] = title
    container = _first(message.get("container-title"))
    if container:
        ref.fields["container-title"] = container
    short = _first(message.get("short-container-title"))
    if short and short != container:
        ref.fields["container-title-short"] = short
    for key, var in tables["text_fields"].items():
        value = message.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            ref.fields[var] = _clean(value)
    issns = _issns(message)
    if issns:
        ref.fields["ISSN"] = ", ".join(str(i) for i in issns)
    isbns = [v for v in _list(message.get("ISBN")) if isinstance(v, str)]
    if isbns:
        ref.fields["ISBN"] = ", ".join(isbns)
    licences = [str(lic["URL"]) for lic in _list(message.get("license"))
                if isinstance(lic, dict) and isinstance(lic.get("URL"), str)]
    if licences:
        ref.fields["license"] = licences[0]
    for var in tables["name_fields"]:
        names = _names(message.get(var))
        if names:
            ref.names[var] = names
    issued = None
    for key in ("issued", "published-print", "published-online", "published"):
        issued = _date(message.get(key))
        if issued is not None:
            break
    if issued is not None:
        ref.dates["issued"] = issued
    # Russian journals often deposit the English title as "title" and the Russian one as
    # "original-title": keep the original as the Cyrillic form.
    original = _first(message.get("original-title"))
    if original and original != title:
        if is_cyrillic(original):
            ref.add_variant("title", Variant(original, Form.ORIGINAL, "ru", origin=ORIGIN))
        else:
            ref.add_variant("title", Variant(original, Form.ORIGINAL, origin=ORIGIN))
    return ref


def journal_record(message: dict[str, Any]) -> dict[str, Any]:
    """The useful part of a Crossref journal record: title, publisher, ISSNs with media."""
    return {"title": _first(message.get("title")),
            "publisher": _first(message.get("publisher")),
            "issns": _issns(message)}


def journal_to_reference(message: dict[str, Any]) -> Reference:
    """A ``periodical`` Reference for a Crossref journal record (id: its first ISSN)."""
    record = journal_record(message)
    issns: list[Issn] = record["issns"]
    ref = Reference(id=issns[0].value if issns else "journal", type="periodical")
    if record["title"]:
        ref.fields["title"] = record["title"]
    if record["publisher"]:
        ref.fields["publisher"] = record["publisher"]
    if issns:
        ref.fields["ISSN"] = ", ".join(str(i) for i in issns)
    return ref


def _latin_forms(ref: Reference, variable: str) -> list[str]:
    """English, then romanised, then as-read Latin forms of a text field."""
    forms = ref.forms(variable)
    ranked = sorted(forms, key=lambda v: (v.form is not Form.TRANSLATED,
                                          v.form is not Form.ROMANISED))
    return [v.text for v in ranked if not is_cyrillic(v.text)]


def _family_names(ref: Reference, limit: int = 3) -> list[str]:
    out: list[str] = []
    for var in ("author", "editor"):
        for name in ref.names.get(var, [])[:limit]:
            forms = [name, *(nv.name for nv in name.variants)]
            latin = [n for n in forms if (n.family or n.literal) and
                     not is_cyrillic(n.family or n.literal or "")]
            chosen = latin[0] if latin else name
            text = chosen.family or chosen.literal
            if text:
                out.append(text)
        if out:
            break
    return out


def bibliographic_query(ref: Reference) -> str:
    """A search string for Crossref's ``query.bibliographic`` from what a reference holds.

    Latin forms are preferred (Crossref indexes English metadata): English title, then the
    romanisation, then the title as read.
    """
    parts: list[str] = _family_names(ref)
    titles = _latin_forms(ref, "title") or ([ref.fields["title"]] if ref.title else [])
    if titles:
        parts.append(titles[0])
    containers = _latin_forms(ref, "container-title")
    if containers:
        parts.append(containers[0])
    if ref.year:
        parts.append(str(ref.year))
    for var in ("volume", "issue"):
        if ref.fields.get(var):
            parts.append(ref.fields[var])
    page = ref.fields.get("page")
    if page:
        parts.append(re.split(r"[-–—]", page)[0])
    return " ".join(" ".join(parts).split())
