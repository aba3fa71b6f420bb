"""Enrichment: identifiers, Crossref, licences and journal data for every reference.

:func:`enrich_library` runs, per reference, the steps this layer provides, in an order where each
can use what the previous one filled: :func:`~transcite.identifiers.normalise_identifiers`;
:func:`~transcite.journals.apply_journal` (the local registry first, so a known ISSN needs no
network); the Crossref lookup (:func:`~transcite.lookup.merge.enrich_reference`, when a client
is given), after which the registry is consulted again if Crossref brought an ISSN or a
container title; and :func:`~transcite.licences.normalise_licence`. Problems go into
``library.report``; the changes are returned.
"""

from __future__ import annotations

from typing import Any

from .changes import Change
from .model import Library

__all__ = ["enrich_library"]


def enrich_library(library: Library, *, client: Any = None, registry: Any = None,
                   search: bool = True) -> list[Change]:
    """Enrich every reference in place; returns the changes in order.

    ``client`` is a :class:`~transcite.lookup.crossref.CrossrefClient` (None: no lookups);
    ``registry`` a :class:`~transcite.journals.JournalRegistry` (None: the default one);
    ``search`` also looks up references without a DOI by their bibliographic data.
    """
    from .identifiers import normalise_identifiers
    from .journals import apply_journal, default_registry
    from .licences import normalise_licence

    registry = registry if registry is not None else default_registry()
    report = library.report
    changes: list[Change] = []
    for ref in library:
        changes += normalise_identifiers(ref, report)
        changes += apply_journal(ref, report, registry)
        if client is not None:
            from .lookup.merge import enrich_reference

            found = enrich_reference(ref, client, report, search=search)
            changes += found
            if any(c.kind == "set" and c.field in ("ISSN", "container-title") for c in found):
                changes += apply_journal(ref, report, registry)
        changes += normalise_licence(ref, report)
    return changes
