"""``transcite.normalisation`` (``transcite.normalise``): one pipeline of small, named steps.

>>> from transcite.model import Library, Reference, Date
>>> lib = Library([Reference("a", "document", fields={"title": "Статья", "page": "49--59",
...     "container-title": "Журнал", "volume": "3"}, dates={"issued": Date(raw="2015")})])
>>> result = normalise(lib)
>>> ref = result.library["a"]
>>> ref.type, ref.fields["language"], ref.fields["page"], ref.year
('article-journal', 'ru', '49–59', 2015)
>>> lib["a"].fields["page"]          # the input library is left as it was
'49--59'
>>> normalise(result.library).changes   # a second run changes nothing
[]

Steps, in order: ``script`` (language tags), ``names``, ``dates``, ``types``, ``identifiers``,
``licence``, ``journal``, ``typography``, ``translit`` (Cyrillic rebuilt from romanisations, the
profile's romanisation added), ``dedupe`` and ``review`` (what still needs a human). Callers
pass their own list, or add steps (any :class:`Step`); every change is a
:class:`~transcite.changes.Change` in the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..memo import fewer_collections
from ..model import Library, Reference, Report
from . import data_steps, text_steps
from .pipeline import Context, Normalised, Step, run_pipeline

__all__ = ["Context", "Normalised", "STEPS", "Step", "default_pipeline", "normalise", "step"]

#: Every built-in step by name, in the default order.
STEPS: dict[str, Step] = {s.name: s for s in (
    Step("script", "language tags from names and from Cyrillic text", text_steps.script),
    Step("names", "names split and tidied, 'et al.' marked", text_steps.names),
    Step("dates", "dates written as text parsed", text_steps.dates),
    Step("types", "generic types made specific", text_steps.types),
    Step("identifiers", "ISSN, ISBN, DOI canonical and checked", data_steps.identifiers),
    Step("licence", "licence statements to SPDX ids", data_steps.licence),
    Step("journal", "container data from the journal registry", data_steps.journal),
    Step("typography", "page ranges, dashes, look-alike letters", text_steps.typography),
    Step("translit", "Cyrillic rebuilt, the profile's romanisation added", data_steps.translit),
    Step("dedupe", "duplicates merged", run_library=data_steps.dedupe),
    Step("review", "doubtful rebuilds and missing English titles reported",
         run_library=data_steps.review),
)}


def step(name: str) -> Step:
    """A built-in step by name; raises KeyError listing the names."""
    try:
        return STEPS[name]
    except KeyError:
        raise KeyError(f"unknown step {name!r}; steps: {', '.join(STEPS)}") from None


def default_pipeline(profile: Any = None) -> list[Step]:
    """The built-in steps in order (``profile`` is accepted for symmetry; steps read it from
    the context)."""
    return list(STEPS.values())


def normalise(library: Library | Iterable[Reference], steps: Sequence[Step | str] | None = None,
              *, profile: Any = None, journals: Iterable[str] = (),
              report: Report | None = None) -> Normalised:
    """Normalise a library with ``steps`` (names or Step objects; default: all, in order).

    ``profile`` (a name or :class:`~transcite.profiles.Profile`) makes ``translit`` add that
    journal's romanisation and report missing English titles. The input is not changed; the
    result holds the new library, every change and the problems that need a human.
    """
    if isinstance(profile, str):
        from ..profiles import get_profile

        profile = get_profile(profile)
    chosen = [step(s) if isinstance(s, str) else s for s in (steps or default_pipeline())]
    ctx = Context(report=report if report is not None else Report(), profile=profile,
                  journal_paths=tuple(str(p) for p in journals))
    with fewer_collections():           # (see transcite.memo)
        return run_pipeline(library, chosen, ctx)
