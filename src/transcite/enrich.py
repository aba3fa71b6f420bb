"""Enrichment: identifiers, Crossref, licences and journal data for every reference.

:func:`enrich_library` runs, per reference, the steps this layer provides, in an order where each
can use what the previous one filled: :func:`~transcite.identifiers.normalise_identifiers`, then
the Crossref lookup (:func:`~transcite.lookup.merge.enrich_reference`, when a client is given),
then :func:`~transcite.licences.normalise_licence` and
:func:`~transcite.journals.apply_journal`. Problems go into ``library.report``; the changes
are returned.
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
        if client is not None:
            from .lookup.merge import enrich_reference

            changes += enrich_reference(ref, client, report, search=search)
        changes += normalise_licence(ref, report)
        changes += apply_journal(ref, report, registry)
    return changes
