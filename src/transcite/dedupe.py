"""Finding references that are the same work, and merging them without losing a field.

Two references are duplicates when they share a DOI, or when one of their title forms
(original, romanised, translated) matches closely (token-sort similarity >= 93%), their years
agree, their first authors do not differ and their volume, issue and pages do not contradict.
:func:`merge_into` folds the later reference into the earlier one: missing fields, variant forms
and extras are added; values that differ are kept as they are and reported; a name list cut
short with "et al." is completed from the other record's full list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .changes import Change
from .model import Form, Name, NameVariant, Reference, Report, is_cyrillic

__all__ = ["Duplicate", "find_duplicates", "merge_into"]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``later`` repeats ``earlier``; ``reason`` is ``"doi"`` or ``"title"`` with a ``score``."""

    later: Reference
    earlier: Reference
    reason: str
    score: float = 100.0


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold().replace("ё", "е")).split())


def _sorted_words(text: str) -> str:
    """The words of a text in sorted order (token-sort similarity compares these)."""
    return " ".join(sorted(text.split()))


def _first_authors(ref: Reference) -> set[str]:
    names = ref.names.get("author") or ref.names.get("editor") or []
    if not names:
        return set()
    first = names[0]
    return {_fold(n.family or n.literal or "") for n in (first, *(v.name for v in
                                                                   first.variants))} - {""}


def _conflict(a: Reference, b: Reference) -> bool:
    for var in ("volume", "page", "issue"):
        x, y = a.fields.get(var), b.fields.get(var)
        if x and y and _fold(x) != _fold(y):
            return True
    return False


def find_duplicates(refs: list[Reference], cutoff: float = 93.0) -> list[Duplicate]:
    """Every reference that repeats an earlier one, with the earlier one it repeats.

    Each later reference is reported once (the first earlier match wins), in library order.
    """
    from .identifiers import InvalidIdentifier, normalise_doi

    found: dict[str, Duplicate] = {}
    seen_doi: dict[str, Reference] = {}
    for ref in refs:
        doi = ref.fields.get("DOI")
        if not doi:
            continue
        try:
            key = normalise_doi(doi).casefold()
        except InvalidIdentifier:
            continue
        if key in seen_doi:
            found[ref.id] = Duplicate(ref, seen_doi[key], "doi")
        else:
            seen_doi[key] = ref
    blocks: dict[int | None, list[Reference]] = {}
    for ref in refs:
        blocks.setdefault(ref.year, []).append(ref)
    for block in blocks.values():
        for ref, earlier, score in _similar_pairs(block, cutoff):
            if ref.id in found or _conflict(ref, earlier):
                continue
            a, b = _first_authors(ref), _first_authors(earlier)
            if a and b and not a & b:
                continue
            found[ref.id] = Duplicate(ref, earlier, "title", score)
    order = {ref.id: n for n, ref in enumerate(refs)}
    return sorted(found.values(), key=lambda d: order[d.later.id])


def _similar_pairs(block: list[Reference], cutoff: float
                   ) -> list[tuple[Reference, Reference, float]]:
    """(later, earlier, best title similarity) for the pairs of a block at or above ``cutoff``
    whose first authors do not differ (one of them has none, or they share a family name):
    the only pairs :func:`find_duplicates` can take.

    The similarity is token-sort similarity: the words of each form are sorted once, here, and
    the sorted forms compared with :func:`rapidfuzz.fuzz.ratio` (what ``token_sort_ratio``
    does on every comparison). A form is compared only with the earlier forms of the same
    first author or of none (all of them when it has none), and among those only with the
    ones :class:`transcite.similar.SimilarTexts` finds can reach the cutoff.
    """
    from .similar import SimilarTexts

    everyone = SimilarTexts(cutoff)             # all forms: for references without authors
    nobody = SimilarTexts(cutoff)               # the forms of references without authors
    by_author: dict[str, SimilarTexts] = {}
    owners: dict[int, list[int]] = {id(everyone): [], id(nobody): []}
    best: dict[tuple[int, int], float] = {}
    for n, ref in enumerate(block):
        forms = sorted({_sorted_words(_fold(v.text)) for v in ref.forms("title")} - {""})
        authors = sorted(_first_authors(ref))
        search = [everyone] if not authors else [nobody, *(
            by_author[a] for a in authors if a in by_author)]
        for text in forms:
            for index in search:
                for i, score in index.similar(text):
                    key = (n, owners[id(index)][i])
                    best[key] = max(best.get(key, 0.0), score)
        targets = [everyone, nobody] if not authors else [everyone, *(
            by_author.setdefault(a, SimilarTexts(cutoff)) for a in authors)]
        for index in targets:
            for text in forms:
                owners.setdefault(id(index), []).append(n)
                index.add(text)
    return [(block[later], block[earlier], score)
            for (later, earlier), score in sorted(best.items())]


def _cut_short(names: list[Name]) -> bool:
    return bool(names) and names[-1].literal == "others"


def merge_into(target: Reference, other: Reference, report: Report, step: str = "dedupe"
               ) -> list[Change]:
    """Fold ``other`` into ``target`` (in place) and return what changed.

    Nothing is overwritten: a field ``target`` lacks is filled, a differing value is reported
    (the target's stays), variant forms and extras are united, a name list ending in "et al."
    is replaced by the other record's longer list that starts with the same names.
    """
    changes: list[Change] = []

    def record(field: str, old: object, new: object, kind: str = "set") -> None:
        changes.append(Change(step, target.id, field, old, new, other.id, kind))

    for var, value in other.fields.items():
        mine = target.fields.get(var)
        if mine is None:
            target.fields[var] = value
            record(var, None, value)
        elif is_cyrillic(mine) != is_cyrillic(value):
            # the same field in the other script (a GOST line and its References line):
            # keep the other one as a form of it, as the other record classified it
            for v in other.forms(var):
                if v.text == value and target.add_variant(var, v):
                    record(var, None, v.text, "variant")
        elif _fold(mine) != _fold(value):
            report.warning("dedupe.differs", f"{var} differs from the duplicate {other.id}: "
                           f"{mine!r} kept, {value!r} not used", **target.where())
    for var, date in other.dates.items():
        if var not in target.dates:
            target.dates[var] = date
            record(var, None, date.iso())
    for var, names in other.names.items():
        mine_names = target.names.get(var)
        if not mine_names:
            target.names[var] = [n.copy() for n in names]
            record(var, None, [n.display() for n in names])
        elif len(mine_names) == len(names) and all(
                is_cyrillic(a.display()) != is_cyrillic(b.display())
                for a, b in zip(mine_names, names)):
            # the same people in the other script: each becomes a form of its name
            for a, b in zip(mine_names, names):
                form = Form.ROMANISED if is_cyrillic(a.display()) else Form.ORIGINAL
                if all(v.name.to_csl() != b.to_csl() for v in a.variants):
                    a.variants.append(NameVariant(b.without_variants(), form, "ru"))
                    record(var, None, b.display(), "variant")
        elif _cut_short(mine_names) and not _cut_short(names) and len(names) >= len(
                mine_names) - 1 and all(_fold(a.display()) == _fold(b.display())
                                       for a, b in zip(mine_names[:-1], names)):
            old = [n.display() for n in mine_names]
            target.names[var] = [n.copy() for n in names]
            record(var, old, [n.display() for n in names])
    for var, variants in other.variants.items():
        for v in variants:
            if v.form is Form.ORIGINAL and v.text == target.fields.get(var):
                continue  # a rebuilt form of what the target already has as written
            if target.add_variant(var, v):
                record(var, None, v.text, "variant")
    if target.type == "document" and other.type != "document":
        record("type", target.type, other.type)
        target.type = other.type
    for key, value in other.extra.items():
        if key not in target.extra:
            target.extra[key] = value
            record(key, None, value, "extra")
    return changes
