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
from typing import NamedTuple

from .changes import Change
from .identifiers import InvalidIdentifier, normalise_doi
from .model import Form, Name, NameVariant, Reference, Report, is_cyrillic

__all__ = ["Duplicate", "Fingerprint", "find_duplicate_prints", "find_duplicates", "fingerprint",
           "merge_into"]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``later`` repeats ``earlier``; ``reason`` is ``"doi"`` or ``"title"`` with a ``score``."""

    later: Reference
    earlier: Reference
    reason: str
    score: float = 100.0


#: What folding drops: everything but letters and digits.
_NON_WORD = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    folded = text.casefold().replace("ё", "е")
    if folded.isalnum():        # (a volume, a page, a one-word name: nothing to drop)
        return folded
    return " ".join(_NON_WORD.sub(" ", folded).split())


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


class Fingerprint(NamedTuple):
    """All :func:`find_duplicates` compares of a reference: small enough to keep for every
    reference of a library too long to hold (see :func:`find_duplicate_prints`)."""

    doi: str | None             # normalised and case-folded; None: none, or not a DOI
    year: int | None
    titles: tuple[str, ...]     # every title form, folded, its words sorted
    authors: frozenset[str]     # the first author's (else editor's) family names, folded
    volume: str | None          # folded, where given
    page: str | None
    issue: str | None


def fingerprint(ref: Reference) -> Fingerprint:
    """The :class:`Fingerprint` of a reference."""
    doi = ref.fields.get("DOI")
    key = None
    if doi:
        try:
            key = normalise_doi(doi).casefold()
        except InvalidIdentifier:
            key = None
    forms = tuple(sorted({_sorted_words(_fold(v.text)) for v in ref.forms("title")} - {""}))
    folded = [_fold(v) if (v := ref.fields.get(var)) else None
              for var in ("volume", "page", "issue")]
    return Fingerprint(key, ref.year, forms, frozenset(_first_authors(ref)), *folded)


def _conflict(a: Fingerprint, b: Fingerprint) -> bool:
    for x, y in ((a.volume, b.volume), (a.page, b.page), (a.issue, b.issue)):
        if x is not None and y is not None and x != y:
            return True
    return False


def find_duplicates(refs: list[Reference], cutoff: float = 93.0,
                    prints: list[Fingerprint] | None = None) -> list[Duplicate]:
    """Every reference that repeats an earlier one, with the earlier one it repeats.

    Each later reference is reported once (the first earlier match wins), in library order.
    ``prints``: the references' fingerprints, when they were computed already.
    """
    if prints is None or len(prints) != len(refs):
        prints = [fingerprint(r) for r in refs]
    return [Duplicate(refs[later], refs[earlier], reason, score) for later, earlier, reason,
            score in find_duplicate_prints(prints, cutoff)]


def find_duplicate_prints(prints: list[Fingerprint], cutoff: float = 93.0
                          ) -> list[tuple[int, int, str, float]]:
    """:func:`find_duplicates` on the references' fingerprints: ``(later, earlier, reason,
    score)`` by position in ``prints``, in the order of the later ones."""
    found: dict[int, tuple[int, int, str, float]] = {}
    seen_doi: dict[str, int] = {}
    for n, p in enumerate(prints):
        if p.doi is None:
            continue
        if p.doi in seen_doi:
            found[n] = (n, seen_doi[p.doi], "doi", 100.0)
        else:
            seen_doi[p.doi] = n
    blocks: dict[int | None, list[int]] = {}
    for n, p in enumerate(prints):
        blocks.setdefault(p.year, []).append(n)
    for block in blocks.values():
        for later, earlier, score in _similar_pairs([prints[n] for n in block], cutoff):
            ref, other = block[later], block[earlier]
            if ref in found or _conflict(prints[ref], prints[other]):
                continue
            a, b = prints[ref].authors, prints[other].authors
            if a and b and not a & b:
                continue
            found[ref] = (ref, other, "title", score)
    return [found[n] for n in sorted(found)]


def _similar_pairs(block: list[Fingerprint], cutoff: float) -> list[tuple[int, int, float]]:
    """(later, earlier, best title similarity), by position in the block, for the pairs of a
    block at or above ``cutoff`` whose first authors do not differ (one of them has none, or
    they share a family name): the only pairs :func:`find_duplicates` can take.

    The similarity is token-sort similarity: the words of each form are sorted once (in the
    fingerprint), and the sorted forms compared with :func:`rapidfuzz.fuzz.ratio` (what
    ``token_sort_ratio`` does on every comparison). A form is compared only with the earlier
    forms of the same first author or of none (all of them when it has none), and among those
    only with the ones :class:`transcite.similar.SimilarTexts` finds can reach the cutoff.
    """
    from .similar import SimilarTexts

    everyone = SimilarTexts(cutoff)             # all forms: for references without authors
    nobody = SimilarTexts(cutoff)               # the forms of references without authors
    by_author: dict[str, SimilarTexts] = {}
    owners: dict[int, list[int]] = {id(everyone): [], id(nobody): []}
    best: dict[tuple[int, int], float] = {}
    for n, p in enumerate(block):
        forms = p.titles
        authors = sorted(p.authors)
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
    return [(later, earlier, score) for (later, earlier), score in sorted(best.items())]


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
