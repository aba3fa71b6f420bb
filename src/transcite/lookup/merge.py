"""Merging what Crossref says into the user's reference, and the enrichment step.

The user's data always wins. What Crossref adds goes into empty fields or beside the user's
values as variant forms (an English title for a Russian item, the romanised names of Cyrillic
authors), all with origin ``"crossref"``. Where Crossref says something else than the user wrote,
nothing is changed and a Problem says what differs.

Without a DOI, :func:`enrich_reference` searches Crossref with the reference's bibliographic data
and accepts a hit only when it is confirmed by several independent facts (title, first author,
year, volume, first page, journal); see :func:`match_score`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..changes import Change
from ..identifiers import InvalidIdentifier, normalise_doi, parse_issns
from ..model import Form, Name, NameVariant, Reference, Report, Variant, is_cyrillic
from .crossref import BadResponse, CrossrefClient, GaveUp, NotFound, OfflineMiss, Unavailable
from .works import ORIGIN, bibliographic_query, journal_to_reference, work_to_reference

__all__ = ["Candidate", "enrich_reference", "match_score", "merge_reference"]

STEP = "crossref"
#: A search hit is accepted from this score on (see match_score).
ACCEPT = 4.0
_FILL = ("title", "container-title", "container-title-short", "volume", "issue", "page",
         "number", "publisher", "publisher-place", "DOI", "ISSN", "ISBN", "license", "edition")


def _fold(text: str) -> str:
    text = text.casefold().replace("ё", "е")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _same(var: str, ours: str, theirs: str) -> bool:
    if var == "DOI":
        try:
            return normalise_doi(ours).casefold() == normalise_doi(theirs).casefold()
        except InvalidIdentifier:
            return False
    if var == "ISSN":
        mine = {i.value for i in parse_issns(ours).issns}
        other = {i.value for i in parse_issns(theirs).issns}
        return bool(mine & other) or (not mine and not other)
    if var == "page":
        return re.sub(r"\s*[-–—]+\s*", "-", ours.strip()) == \
            re.sub(r"\s*[-–—]+\s*", "-", theirs.strip())
    if var == "license":
        from ..licences import recognise_licence

        first, second = recognise_licence(ours), recognise_licence(theirs)
        if first is not None and second is not None and first.spdx is not None:
            return first.spdx == second.spdx
    return _fold(ours) == _fold(theirs)


def _title_like(ref: Reference, var: str, theirs: str, report: Report,
                changes: list[Change]) -> None:
    """Crossref's title differs from the user's: keep theirs as a form, or report it."""
    forms = ref.forms(var)
    if any(_fold(v.text) == _fold(theirs) for v in forms):
        return
    ours = ref.fields[var]
    if is_cyrillic(ours) and not is_cyrillic(theirs):
        english = [v for v in forms if v.form is Form.TRANSLATED and (v.lang or "en") == "en"]
        if not english:
            variant = Variant(theirs, Form.TRANSLATED, "en", origin=ORIGIN)
            if ref.add_variant(var, variant):
                changes.append(Change(STEP, ref.id, var, None, theirs, ORIGIN, kind="variant"))
            return
        ours = english[0].text
    report.warning("crossref.differs", f"{var}: Crossref has {theirs!r}, the reference "
                   f"{ours!r}; kept the reference's", raw=theirs, **ref.where())


def _merge_names(ref: Reference, var: str, theirs: list[Name], report: Report,
                 changes: list[Change]) -> None:
    ours = ref.names.get(var)
    if not ours:
        ref.names[var] = [Name(n.family, n.given, suffix=n.suffix, literal=n.literal)
                          for n in theirs]
        changes.append(Change(STEP, ref.id, var, None, "; ".join(n.display() for n in theirs),
                              ORIGIN))
        return
    cyrillic = all(is_cyrillic(n.display()) for n in ours)
    latin_theirs = not any(is_cyrillic(n.display()) for n in theirs)
    if cyrillic and latin_theirs and len(ours) == len(theirs):
        for mine, other in zip(ours, theirs):
            if mine.variant(Form.ROMANISED) is None:
                mine.variants.append(NameVariant(other, Form.ROMANISED, "ru", origin=ORIGIN))
                changes.append(Change(STEP, ref.id, var, None, other.display(), ORIGIN,
                                      kind="variant"))
        return
    if cyrillic == latin_theirs:
        return  # one side Cyrillic, the other Latin, in other numbers: nothing safe to compare
    first_ours = _fold(ours[0].family or ours[0].literal or "")
    first_theirs = _fold(theirs[0].family or theirs[0].literal or "")
    if first_ours != first_theirs or len(ours) != len(theirs):
        report.warning("crossref.differs", f"{var}: Crossref has "
                       f"{'; '.join(n.display() for n in theirs)!r}, the reference "
                       f"{'; '.join(n.display() for n in ours)!r}; kept the reference's",
                       **ref.where())


def merge_reference(ref: Reference, found: Reference, report: Report) -> list[Change]:
    """Merge ``found`` (from Crossref) into ``ref`` without overwriting anything.

    Empty fields are filled; differing ones are reported (``crossref.differs``); titles in
    another script become variant forms. Returns the changes.
    """
    changes: list[Change] = []
    for var in _FILL:
        theirs = found.fields.get(var)
        if not theirs:
            continue
        ours = ref.fields.get(var)
        if not ours:
            ref.fields[var] = theirs
            changes.append(Change(STEP, ref.id, var, None, theirs, ORIGIN))
            continue
        if _same(var, ours, theirs):
            continue
        if var in ("title", "container-title"):
            _title_like(ref, var, theirs, report, changes)
        else:
            report.warning("crossref.differs", f"{var}: Crossref has {theirs!r}, the "
                           f"reference {ours!r}; kept the reference's", raw=theirs,
                           **ref.where())
    for var, variants in found.variants.items():
        for variant in variants:
            known = any(_fold(v.text) == _fold(variant.text) for v in ref.forms(var))
            if not known and ref.add_variant(var, variant):
                changes.append(Change(STEP, ref.id, var, None, variant.text, ORIGIN,
                                      kind="variant"))
    for var, names in found.names.items():
        _merge_names(ref, var, names, report, changes)
    # Crossref's language is often that of the deposited (English) metadata, not of the
    # work: it is taken only for an item whose title is not Cyrillic, and never compared.
    language = found.fields.get("language")
    if language and not ref.fields.get("language") and not is_cyrillic(ref.title or ""):
        ref.fields["language"] = language
        changes.append(Change(STEP, ref.id, "language", None, language, ORIGIN))
    issued = found.dates.get("issued")
    if issued is not None:
        if "issued" not in ref.dates:
            ref.dates["issued"] = issued
            changes.append(Change(STEP, ref.id, "issued", None, issued.iso(), ORIGIN))
        elif ref.year is not None and issued.year is not None and ref.year != issued.year:
            report.warning("crossref.differs", f"issued: Crossref has {issued.year}, the "
                           f"reference {ref.year}; kept the reference's", **ref.where())
    if ref.type == "document" and found.type != "document":
        changes.append(Change(STEP, ref.id, "type", ref.type, found.type, ORIGIN))
        ref.type = found.type
    return changes


# -- search ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Candidate:
    """A search hit with transcite's confirmation score and what confirmed it."""

    reference: Reference
    score: float
    reasons: tuple[str, ...]


def _first_page(page: str | None) -> str | None:
    if not page:
        return None
    return re.split(r"\s*[-–—]\s*", page.strip())[0].lstrip("СсPp. ") or None


def _latin_names(ref: Reference) -> list[str]:
    out = []
    for name in ref.names.get("author", []) or ref.names.get("editor", []):
        for n in (name, *(v.name for v in name.variants)):
            text = n.family or n.literal or ""
            if text and not is_cyrillic(text):
                out.append(_fold(text))
                break
    return out


def _similarity(ref: Reference, found: Reference, var: str,
                scorer: Callable[..., float]) -> float:
    """The best score of any form of ``ref``'s field against ``found``'s value (0 if none)."""
    theirs = _fold(found.fields.get(var, ""))
    if not theirs:
        return 0.0
    return max((scorer(_fold(v.text), theirs) for v in ref.forms(var)), default=0.0)


def match_score(ref: Reference, found: Reference) -> Candidate:
    """How well a search hit is confirmed by the reference (higher is better).

    Title similarity (any form of the user's title against Crossref's): +3 from 90, +1.5 from
    75; first author family name: +1.5; year: +1, or -2 when they differ by more than one year;
    volume +0.5, issue +0.5, first page +1; journal title from 85: +1. Hits from
    :data:`ACCEPT` (4) on are accepted.
    """
    from rapidfuzz import fuzz

    score = 0.0
    reasons: list[str] = []
    title = _similarity(ref, found, "title", fuzz.token_set_ratio)
    if title >= 90:
        score, reasons = score + 3, [*reasons, "title"]
    elif title >= 75:
        score, reasons = score + 1.5, [*reasons, "title (close)"]
    ours_names, theirs_names = _latin_names(ref), _latin_names(found)
    if ours_names and theirs_names and ours_names[0] == theirs_names[0]:
        score, reasons = score + 1.5, [*reasons, "first author"]
    if ref.year is not None and found.year is not None:
        if ref.year == found.year:
            score, reasons = score + 1, [*reasons, "year"]
        elif abs(ref.year - found.year) > 1:
            score, reasons = score - 2, [*reasons, "year differs"]
    for var, weight in (("volume", 0.5), ("issue", 0.5)):
        a, b = ref.fields.get(var), found.fields.get(var)
        if a and b and a.strip() == b.strip():
            score, reasons = score + weight, [*reasons, var]
    a_page, b_page = _first_page(ref.fields.get("page")), _first_page(found.fields.get("page"))
    if a_page and b_page and a_page == b_page:
        score, reasons = score + 1, [*reasons, "first page"]
    if _similarity(ref, found, "container-title", fuzz.ratio) >= 85:
        score, reasons = score + 1, [*reasons, "journal"]
    return Candidate(found, score, tuple(reasons))


def _best(ref: Reference, items: list[dict[str, Any]]) -> Candidate | None:
    candidates = [match_score(ref, work_to_reference(item)) for item in items]
    candidates.sort(key=lambda c: c.score, reverse=True)
    return candidates[0] if candidates and candidates[0].score >= ACCEPT else None


def _journal_by_issn(ref: Reference, client: CrossrefClient, report: Report) -> list[Change]:
    """Fill a missing container title (and publisher) from Crossref's record of the ISSN."""
    issns = parse_issns(ref.fields["ISSN"]).issns
    if not issns:
        return []
    journal = journal_to_reference(client.journal(issns[0].value))
    changes: list[Change] = []
    for var, source in (("container-title", "title"), ("publisher", "publisher")):
        value = journal.fields.get(source)
        if value and not ref.fields.get(var):
            ref.fields[var] = value
            changes.append(Change("crossref-journal", ref.id, var, None, value, ORIGIN))
    return changes


def enrich_reference(ref: Reference, client: CrossrefClient, report: Report, *,
                     search: bool = True) -> list[Change]:
    """Look the reference up at Crossref and merge what is found.

    With a DOI, the work's record; without one, a reference with an ISSN but no container title
    gets the journal's title from Crossref's journal record, and the others are searched by
    their bibliographic data (``search``).

    Lookup failures are Problems, never exceptions: ``crossref.not-found`` (warning),
    ``crossref.unavailable`` / ``crossref.bad-response`` (warnings), ``crossref.offline``
    (info: not in the cache). Once the client has given up on an unreachable service, the
    remaining lookups are skipped silently and counted in ``client.stats.skipped`` for the caller
    to report once. An invalid DOI is left to the identifier checks.
    """
    where = ref.where()
    raw_doi = ref.fields.get("DOI")
    try:
        if raw_doi:
            try:
                doi = normalise_doi(raw_doi)
            except InvalidIdentifier:
                return []
            found = work_to_reference(client.work(doi), ref.id)
            return merge_reference(ref, found, report)
        if ref.fields.get("ISSN") and not ref.fields.get("container-title"):
            return _journal_by_issn(ref, client, report)
        if not search:
            return []
        query = bibliographic_query(ref)
        if len(query) < 10:
            return []
        best = _best(ref, client.search(query))
        if best is None:
            report.add("info", "crossref.no-match", "no Crossref record matches this "
                       "reference well enough to take its DOI", **where)
            return []
        changes = merge_reference(ref, best.reference, report)
        return [Change("crossref-search", c.item, c.field, c.old, c.new, c.origin, c.kind)
                for c in changes]
    except NotFound as exc:
        if raw_doi:
            report.warning("crossref.not-found", f"DOI {raw_doi} is not known to Crossref (it "
                           "may be registered elsewhere, e.g. DataCite, or mistyped)",
                           raw=raw_doi, **where)
        else:
            report.warning("crossref.not-found", f"Crossref: {exc} ({exc.url})", **where)
    except OfflineMiss as exc:
        report.add("info", "crossref.offline", f"offline: {exc.url} is not in the cache",
                   **where)
    except GaveUp:
        pass  # counted in client.stats.skipped; the caller reports it once
    except Unavailable as exc:
        report.warning("crossref.unavailable", f"Crossref: {exc} ({exc.url})", **where)
    except BadResponse as exc:
        report.warning("crossref.bad-response", f"Crossref: {exc} ({exc.url})", **where)
    return []
