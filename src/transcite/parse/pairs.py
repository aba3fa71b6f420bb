"""A Russian reference list and its romanised ``References`` list, read as one list of pairs.

A Russian journal prints each reference twice: in the Russian list (``Список литературы``, the
Cyrillic GOST line) and in the ``References`` list that Scopus asks for (the same reference
romanised, with the English title in brackets and ``(In Russ.)``). Pasted together they are one
list of references, not two: each Cyrillic reference keeps its fields as read, and gets the
romanised line's forms as variants - the romanised title (``ru-Latn``) and the English title
(``en``), the container's romanised or English name, the publisher, the place, and each author's
romanised name. The romanised line itself is kept in ``custom.references-line`` so nothing of
what was pasted is lost. References of non-Russian sources (printed alike in both lists) are
kept once.
"""

from __future__ import annotations

from ..model import Form, Name, NameVariant, Reference, Variant, is_cyrillic
from .langguess import romanised_score

__all__ = ["merge_pair", "pair_sections"]


def _russian(ref: Reference) -> bool:
    return any(is_cyrillic(ref.fields.get(v, "")) for v in ("title", "container-title")) or any(
        is_cyrillic(n.family or n.literal or "") for n in ref.names.get("author", ()))


def _latin_forms(lat: Reference, var: str) -> list[Variant]:
    """The forms a romanised line gives for a field: its explicit variants, else the value
    judged romanised or English."""
    value = lat.fields.get(var)
    if not value:
        return []
    explicit = [v for v in lat.variants.get(var, ()) if v.form in (Form.ROMANISED,
                                                                      Form.TRANSLATED)]
    if explicit:
        return explicit
    if romanised_score(value) > 0.15:
        return [Variant(value, Form.ROMANISED, "ru")]
    return [Variant(value, Form.TRANSLATED, "en")]


def merge_pair(cyr: Reference, lat: Reference) -> Reference:
    """The Cyrillic reference with the romanised line's forms added as variants (in place)."""
    raw = lat.origin.raw if lat.origin else None
    if not _russian(cyr):
        # a non-Russian source printed in both lists: one reference, what it lacks filled in
        for var, value in lat.fields.items():
            cyr.fields.setdefault(var, value)
        if raw and cyr.origin and " ".join((cyr.origin.raw or "").split()) != " ".join(
                raw.split()):
            cyr.extra.setdefault("references-line", raw)
        return cyr
    for var in ("title", "container-title", "collection-title"):
        if var not in cyr.fields:
            continue
        for v in _latin_forms(lat, var):
            if v.text != cyr.fields[var]:
                cyr.add_variant(var, v)
    publisher = lat.fields.get("publisher")
    if publisher and "publisher" in cyr.fields and not is_cyrillic(publisher):
        cyr.add_variant("publisher", Variant(publisher, Form.ROMANISED, "ru"))
    place = lat.fields.get("publisher-place")
    if place and "publisher-place" in cyr.fields and not is_cyrillic(place):
        cyr.add_variant("publisher-place", Variant(place, Form.TRANSLATED, "en"))
    for var in ("author", "editor"):
        mine = [n for n in cyr.names.get(var, ()) if n.literal != "others"]
        theirs = [n for n in lat.names.get(var, ()) if n.literal != "others"]
        if mine and len(theirs) >= len(mine) and all(is_cyrillic(n.family or n.literal or "")
                                                      for n in mine):
            for n, t in zip(mine, theirs):
                _add_name_form(n, t)
    for var in ("DOI", "URL"):
        if var in lat.fields:
            cyr.fields.setdefault(var, lat.fields[var])
    if raw:
        cyr.extra["references-line"] = raw
    return cyr


def _add_name_form(name: Name, other: Name) -> None:
    if is_cyrillic(other.family or other.literal or ""):
        return
    plain = Name(family=other.family, given=other.given, literal=other.literal)
    if not any(v.name.parts_equal(plain) for v in name.variants):
        name.variants.append(NameVariant(plain, Form.ROMANISED, "ru"))


def pair_sections(first: list[Reference], second: list[Reference]) -> list[Reference] | None:
    """Pair a Russian section with its References section, by list number (or by position
    when both have as many entries). None when they do not look like the two sides of one list
    (the first mostly Cyrillic, the second Latin, and most numbers matching)."""
    if not first or not second:
        return None
    cyr_share = sum(_russian(r) for r in first) / len(first)
    lat_share = sum(not _russian(r) for r in second) / len(second)
    if cyr_share < 0.3 or lat_share < 0.8:
        return None
    by_number = {r.extra.get("citation-number"): r for r in second
                 if r.extra.get("citation-number")}
    out: list[Reference] = []
    used: set[int] = set()
    numbered = sum(1 for r in first if r.extra.get("citation-number") in by_number)
    if numbered >= 0.8 * len(first):
        for r in first:
            other = by_number.get(r.extra.get("citation-number"))
            if other is not None:
                used.add(id(other))
                out.append(merge_pair(r, other))
            else:
                out.append(r)
        out.extend(r for r in second if id(r) not in used)
        return out
    if len(first) == len(second):
        return [merge_pair(a, b) for a, b in zip(first, second)]
    return None
