"""The filter's one door to the CSL engine: every call into ``transcite.render`` is here.

The rest of the filter asks for two things - the bibliography lists and the rendering of each
cite in the modes it needs - and gets HTML strings back. Whatever the engine cannot do yet is done
here, on top of it, as simply as the current engine allows:

* citation modes: each cite is rendered on its own with variants of the style
  (:mod:`.cslvariants`): ``bare`` (normal), ``suppress-author`` and ``author-only``; the filter
  joins cites into clusters with the layout's affixes and delimiter;
* citation numbers that match the bibliography: the variants sort the engine's registry by the
  position of each item in the first list (carried in a variable the style never reads), and the
  items of ``nocite`` are registered after every real cite, so they do not count as "cited
  before" for position tests;
* every variant sees every cite in document order, so ``first``/``subsequent`` position tests
  agree across modes.

When the engine grows these features, only this module changes.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Reference, Report
from .cslvariants import CitationLayout, citation_layout, derive, number_margin

__all__ = ["BibList", "CiteRequest", "Options", "RenderedCite", "Rendering", "csl_locale",
           "render"]

#: Variables that can carry an item's list position (the first the style never mentions).
_SLOTS = ("keyword", "annote", "dimensions", "archive_location", "call-number", "references")


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


def _slot(xml: bytes) -> str:
    text = xml.decode("utf-8", "replace")
    for name in _SLOTS:
        if not re.search(rf'["\s]{re.escape(name)}["\s]', text):
            return name
    raise ValueError("the style reads every variable that could carry list positions")


def _with_position_sort(xml: bytes, slot: str) -> bytes:
    """``xml`` (a derived variant) with a bibliography sorted by the ``slot`` variable."""
    text = xml.decode("utf-8")
    sort = f'<sort><key variable="{slot}"/></sort>'
    text, n = re.subn(r"(<bibliography\b[^>]*>)", rf"\1{sort}", text, count=1)
    if n == 0:
        layout = '<layout><text variable="title"/></layout>'
        text = text.replace("</style>", f"<bibliography>{sort}{layout}</bibliography></style>")
    return text.encode("utf-8")


def render(refs: Sequence[Reference], requests: Sequence[CiteRequest], bib_ids: Sequence[str],
           options: Options) -> Rendering:
    """Render the bibliography of ``bib_ids`` and every cite of ``requests``.

    Raises :class:`~transcite.render.styles.UnknownStyle`, :class:`~transcite.registry.UnknownName`
    (an unknown profile) or :class:`~transcite.resources.DataError` for settings that name
    nothing; problems with the data are in the result's report.
    """
    from ..render.engine import Engine
    from ..render.lists import format_library
    from ..render.styles import StyleInfo, resolve_style

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
    slot = _slot(xml)
    for n, item in enumerate(items, 1):
        item[slot] = f"{n:06d}"
    locale = options.locale or (prof.original.locale if prof is not None and
                                first.view == "original" else None)
    usable = [r if r.id in numbers else None for r in requests]
    clusters = [[_cite_dict(r)] for r in usable if r is not None]
    clusters.append([{"id": i} for i in numbers])  # register every item, after every cite
    modes = {"bare"}
    if any(r is not None and r.mode != "normal" for r in usable):
        modes.add("suppress-author")
    if any(r is not None and r.mode == "author-in-text" for r in usable):
        modes.add("author-only")
    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="transcite-pandoc-") as tmp:
        for mode in sorted(modes):
            path = Path(tmp) / f"{first.style.name}-{mode}.csl"
            path.write_bytes(_with_position_sort(derive(xml, mode), slot))
            info = StyleInfo(first.style.name, path, first.style.source, first.style.title,
                             first.style.default_locale, first.style.citation_format)
            engine = Engine.create(info, locale, "html")
            out[mode] = engine.citations(clusters, items)[:-1]
            for w in dict.fromkeys(engine.warnings):
                report.warning("render.style", w)
    cites: list[RenderedCite | None] = []
    k = 0
    for request in usable:
        if request is None:
            cites.append(None)
            continue
        cite = RenderedCite(request.id, out["bare"][k])
        if "suppress-author" in out:
            cite.suppressed = out["suppress-author"][k]
        if "author-only" in out and request.mode == "author-in-text":
            cite.author = out["author-only"][k]
        cites.append(cite)
        k += 1
    return Rendering(lists, cites, layout, numbers, report)


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
