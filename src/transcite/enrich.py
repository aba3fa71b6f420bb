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

from . import progress
from .changes import Change
from .model import Library, Reference, Report

__all__ = ["LOOKUP_BAR", "enrich_library"]

#: With Crossref lookups, runs over this many references show a progress bar on a terminal.
LOOKUP_BAR = 30


def enrich_library(library: Library, *, client: Any = None, registry: Any = None,
                   search: bool = True) -> list[Change]:
    """Enrich every reference in place; returns the changes in order.

    ``client`` is a :class:`~transcite.lookup.crossref.CrossrefClient` (None: no lookups);
    ``registry`` a :class:`~transcite.journals.JournalRegistry` (None: the default one);
    ``search`` also looks up references without a DOI by their bibliographic data.
    """
    from .journals import default_registry

    registry = registry if registry is not None else default_registry()
    changes: list[Change] = []
    # a lookup takes a while: with a client, a bar from a few dozen references on
    with progress.stage("enriching", len(library), "references",
                        min_items=LOOKUP_BAR if client is not None else progress.MIN_ITEMS):
        for ref in library:
            changes += _enrich_one(ref, library.report, registry, client, search)
            progress.tick()
    return changes


def _enrich_one(ref: Reference, report: Report, registry: Any, client: Any, search: bool
                ) -> list[Change]:
    """The steps for one reference, in order."""
    from .identifiers import normalise_identifiers
    from .journals import apply_journal
    from .licences import normalise_licence

    changes = normalise_identifiers(ref, report)
    changes += apply_journal(ref, report, registry)
    if client is not None:
        from .lookup.merge import enrich_reference

        found = enrich_reference(ref, client, report, search=search)
        changes += found
        if any(c.kind == "set" and c.field in ("ISSN", "container-title") for c in found):
            changes += apply_journal(ref, report, registry)
    changes += normalise_licence(ref, report)
    return changes
