"""The filter's one door to the CSL engine: every call into ``transcite.render`` is here.

The rest of the filter asks for two things - the bibliography lists and the rendering of each
cite in the modes it needs - and gets HTML strings back:

* the lists come from :func:`transcite.render.lists.format_library`;
* each cite comes from the engine's citation modes: one engine run renders every cite in
  document order (so ``first``/``subsequent`` positions, ibid and disambiguation see the whole
  document), and gives each cite on its own, without the layout's affixes, ``normal``,
  ``suppress-author`` and ``author-only`` (numeric styles take the short names of the
  bibliography); the filter joins cites into clusters with the layout's affixes and delimiter
  (:mod:`.layout`);
* citation numbers are the items' positions in the first list, handed to the engine; the items
  of ``nocite`` are registered after every real cite, so they do not count as "cited before".
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..model import Reference, Report
from .layout import CitationLayout, citation_layout, number_margin

__all__ = ["BibList", "CiteRequest", "Options", "RenderedCite", "Rendering", "csl_locale",
           "render"]

@dataclass(frozen=True, slots=True)
class Options:
    """What the document asks for (see :mod:`transcite.pandoc.settings`)."""

    style: str | None = None
    profile: str | None = None
    view: str | None = None
    locale: str | None = None
    sort: str | None = None
    order: str = "style"
    item_locale: bool | None = None
    scheme: str | None = None
    name_scheme: str | None = None


@dataclass(frozen=True, slots=True)
class CiteRequest:
    """One cite: the key, its mode and its locator."""

    id: str
    mode: str = "normal"
    """``normal``, ``suppress-author`` or ``author-in-text``."""
    locator: str | None = None
    label: str | None = None


@dataclass(slots=True)
class RenderedCite:
    """One cite rendered as HTML in every form its mode needs."""

    id: str
    normal: str
    suppressed: str | None = None
    author: str | None = None


@dataclass(slots=True)
class BibList:
    """One rendered list: its view, heading and ``(id, html)`` entries in order."""

    view: str
    heading: str | None
    entries: list[tuple[str, str]]


@dataclass(slots=True)
class Rendering:
    """Everything the filter puts into the document."""

    lists: list[BibList]
    cites: list[RenderedCite | None]
    """Parallel to the requests; None for a cite whose item could not be rendered."""
    layout: CitationLayout
    numbers: dict[str, int]
    """The position (from 1) of each item in the first list."""
    report: Report = field(default_factory=Report)


@cache
def _locale_files() -> tuple[str, ...]:
    from citeproc import LOCALES_PATH

    return tuple(sorted(p[len("locales-"):-len(".xml")] for p in os.listdir(LOCALES_PATH)
                        if p.startswith("locales-") and p.endswith(".xml")))


def csl_locale(lang: str | None) -> str | None:
    """The CSL locale for a BCP 47 language tag (``ru`` -> ``ru-RU``, ``en`` -> ``en-US``), or
    None when the engine has no locale for it."""
    if not lang:
        return None
    tag = lang.strip().replace("_", "-")
    known = _locale_files()
    lowered = {k.lower(): k for k in known}
    if tag.lower() in lowered:
        return lowered[tag.lower()]
    primary = tag.split("-")[0].lower()
    preferred = f"{primary}-{primary.upper()}".lower()
    if primary == "en":
        preferred = "en-us"
    if preferred in lowered:
        return lowered[preferred]
    return next((k for k in known if k.lower().split("-")[0] == primary), None)


def _profile(options: Options) -> Any:
    from ..profiles import get_profile

    if options.profile is None and options.view is None:
        return None
    prof = get_profile(options.profile or "scopus")
    refs = prof.references
    if options.scheme:
        refs = dataclasses.replace(refs, scheme=options.scheme)
    if options.name_scheme:
        refs = dataclasses.replace(refs, name_scheme=options.name_scheme)
    return dataclasses.replace(prof, references=refs)


def _citation_items(refs: list[Reference], view: str, prof: Any,
                    report: Report) -> list[dict[str, Any]]:
    """CSL items for citations, in the form the first list shows (original or romanised)."""
    if prof is None:
        from ..render import to_csl_items

        return to_csl_items(refs)
    from ..render.project import project

    projected = project(refs, "original" if view == "original" else view, prof.references,
                        report)
    return [p.item for p in projected]


def render(refs: Sequence[Reference], requests: Sequence[CiteRequest], bib_ids: Sequence[str],
           options: Options) -> Rendering:
    """Render the bibliography of ``bib_ids`` and every cite of ``requests``.

    Raises :class:`~transcite.render.styles.UnknownStyle`, :class:`~transcite.registry.UnknownName`
    (an unknown profile) or :class:`~transcite.resources.DataError` for settings that name
    nothing; problems with the data are in the result's report.
    """
    from ..render.engine import Engine
    from ..render.lists import format_library
    from ..render.styles import resolve_style

    report = Report()
    prof = _profile(options)
    style = resolve_style(options.style) if options.style else None
    formatted = format_library(list(refs), style=style, profile=prof, view=options.view,
                               locale=options.locale, output="html", order=options.order,
                               sort=options.sort, item_locale=options.item_locale,
                               ids=list(bib_ids))
    report.extend(formatted.report)
    lists = [BibList(lst.view, lst.heading, _aligned([(e.id, e.text) for e in lst.entries],
                                                     lst.style.path.read_bytes()))
             for lst in formatted.lists]
    first = formatted.lists[0]
    numbers = {e.id: n for n, e in enumerate(first.entries, 1)}
    xml = first.style.path.read_bytes()
    layout = citation_layout(xml)
    if not requests:
        return Rendering(lists, [], layout, numbers, report)

    by_id = {r.id: r for r in refs}
    ordered = [by_id[i] for i in numbers]  # only items the first list could render
    items = _citation_items(ordered, first.view, prof, report)
    locale = options.locale or (prof.original.locale if prof is not None and
                                first.view == "original" else None)
    usable = [r if r.id in numbers else None for r in requests]
    clusters = [[_cite_dict(r)] for r in usable if r is not None]
    clusters.append([{"id": i} for i in numbers])  # register every item, after every cite
    engine = Engine.create(first.style, locale, "html")
    forms = _cite_forms(engine, clusters, items, numbers, report)
    cites: list[RenderedCite | None] = []
    k = 0
    for request in usable:
        if request is None:
            cites.append(None)
            continue
        form = forms[k] if k < len(forms) else {}
        cite = RenderedCite(request.id, form.get("normal", ""))
        if request.mode != "normal":
            cite.suppressed = form.get("suppress-author", "")
        if request.mode == "author-in-text":
            cite.author = form.get("author-only", "")
        cites.append(cite)
        k += 1
    return Rendering(lists, cites, layout, numbers, report)


def _cite_forms(engine: Any, clusters: list[list[dict[str, Any]]],
                items: list[dict[str, Any]], numbers: dict[str, int],
                report: Report) -> list[dict[str, str]]:
    """Every cite of ``clusters`` (one cite each) in the three modes; the last cluster only
    registers items and is not returned."""
    forms = engine.cite_forms(clusters, items, numbers)
    for w in dict.fromkeys(engine.warnings):
        report.warning("render.style", w)
    for err in engine.errors:
        report.error("render.failed", f"the CSL engine could not render this item: {err}",
                     item=err.item_id)
    return [cl[0] if cl else {} for cl in forms[:-1]]


def _aligned(entries: list[tuple[str, str]], xml: bytes) -> list[tuple[str, str]]:
    """Entries of a ``second-field-align`` style split into margin and body, as Pandoc's
    citeproc does (the engine runs the number into the text: ``1.Batin``)."""
    margin = number_margin(xml)
    if margin is None:
        return entries
    prefix, suffix = margin
    out = []
    for n, (key, html) in enumerate(entries, 1):
        number = f"{prefix}{n}{suffix}"
        if "csl-left-margin" in html or not html.startswith(number.rstrip()):
            out.append((key, html))
            continue
        rest = html[len(number.rstrip()):].lstrip()
        left = f'<span class="csl-left-margin">{number.rstrip()} </span>'
        out.append((key, f'{left}<span class="csl-right-inline">{rest}</span>'))
    return out


def _cite_dict(request: CiteRequest) -> dict[str, Any]:
    cite: dict[str, Any] = {"id": request.id}
    if request.locator:
        cite["locator"] = request.locator
        cite["label"] = request.label or "page"
    return cite
