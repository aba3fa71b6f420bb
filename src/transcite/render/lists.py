"""Reference lists: the original ("Список литературы") and the romanised "References" list,
rendered from one library by a journal profile, with per-item locales and parallel numbering.

Entry *n* of the References list is always the same source as entry *n* of the original list:
the original list fixes the order (the style's sort, the input order, Cyrillic first, or the
romanised order) and the References list is rendered in that order.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from ..lang import is_russian
from ..memo import fewer_collections, keep
from ..model import Library, Reference, Report
from .engine import Engine, RenderedEntry
from .project import VIEWS, Projected, genitive_roles, in_role_case, is_russian_item, project
from .styles import StyleInfo, resolve_style

if TYPE_CHECKING:
    from ..profiles import Profile
    from .fallback import RefsById

__all__ = ["DEFAULT_STYLE", "SORTS", "Formatted", "RenderedList", "format_library", "prepare"]

#: The style :func:`format_library` renders with when given neither a style nor a profile.
DEFAULT_STYLE = "gost-r-7-0-5-2008"

#: Orders a list can take.
SORTS = ("style", "input", "cyrillic-first", "romanised")


@dataclass(slots=True)
class RenderedList:
    """One rendered list: which view, its heading, style and entries in order."""

    view: str
    heading: str | None
    style: StyleInfo
    entries: list[RenderedEntry]


@dataclass(slots=True)
class Formatted:
    """The lists a ``format`` run produced and the problems met on the way."""

    lists: list[RenderedList]
    report: Report = field(default_factory=Report)

    def render(self, output: str = "text") -> str:
        """All lists as one document in ``output`` (text, html or markdown)."""
        import io

        out = io.StringIO()
        self.write(out, output)
        return out.getvalue()

    def write(self, out: IO[str], output: str = "text") -> None:
        """:meth:`render`'s document written to ``out`` entry by entry (a long list is never
        held twice)."""
        headed = len(self.lists) > 1
        started = False
        for lst in self.lists:
            if output == "html":
                lines: Iterable[str] = itertools.chain(
                    [f"<h2>{lst.heading}</h2>"] if headed and lst.heading else [],
                    ['<div class="csl-bib-body">'],
                    (f'  <div class="csl-entry">{e.text}</div>' for e in lst.entries),
                    ["</div>"])
                sep = "\n"
            elif output == "markdown":
                lines = itertools.chain([f"## {lst.heading}"] if headed and lst.heading else [],
                                        (e.text for e in lst.entries))
                sep = "\n\n"
            else:
                lines = itertools.chain([lst.heading] if headed and lst.heading else [],
                                        (e.text for e in lst.entries))
                sep = "\n"
            it = iter(lines)
            head = next(it, None)
            second = next(it, None)
            if head is None or (head == "" and second is None):
                continue        # a list that shows nothing takes no place
            if started:
                out.write("\n\n")     # between lists
            started = True
            out.write(head)
            for line in itertools.chain([] if second is None else [second], it):
                out.write(sep)
                out.write(line)
        if started:
            out.write("\n")


def _locale_for(p: Projected) -> str:
    return "ru-RU" if is_russian(p.language) else "en-US"


def _add_marker(text: str, marker: str, position: str) -> str:
    if position == "before-period" and text.endswith("."):
        return f"{text[:-1]} {marker}."
    return f"{text} {marker}"


class _Lists:
    def __init__(self, refs: list[Reference], output: str, report: Report) -> None:
        self.refs = refs
        self.by_id: RefsById = {r.id: r for r in refs}
        self.output = output
        self.report = report
        self._told: set[tuple[str, str]] = set()
        self.failed: set[str] = set()
        # the entries of the last sorting run: reused when the final render would repeat it
        self._sorted: tuple[str, str | None, list[RenderedEntry]] | None = None

    def engine(self, style: StyleInfo, locale: str | None) -> Engine:
        return Engine.create(style, locale, self.output)

    def collect(self, engine: Engine) -> None:
        for err in engine.errors:
            self.failed.add(err.item_id)
            self.report.error("render.failed", f"the CSL engine could not render this item: "
                              f"{err}", item=err.item_id)
        for w in dict.fromkeys(engine.warnings):
            self.report.warning("render.style", w)
        engine.errors.clear()
        engine.warnings.clear()

    def order(self, projected: list[Projected], style: StyleInfo, locale: str | None,
              sort: str, romanised: list[Projected] | None) -> list[str]:
        """The ids in list order for ``sort``."""
        if sort == "input":
            return [p.item["id"] for p in projected]
        source = romanised if sort == "romanised" and romanised is not None else projected
        engine = self.engine(style, locale)
        entries = engine.bibliography(_for_engine(engine, source), order="style")
        self.collect(engine)
        if source is projected:
            self._sorted = (str(style.path), locale, entries)
        ids = [e.id for e in entries]
        if len(ids) < len(source):      # entries the engine printed nothing for keep a place
            seen = set(ids)
            ids += [p.item["id"] for p in source if p.item["id"] not in seen]
        if sort == "cyrillic-first":
            russian = {p.item["id"] for p in projected if p.russian}
            ids = [i for i in ids if i in russian] + [i for i in ids if i not in russian]
        return ids

    def render(self, projected: list[Projected], ids: list[str], style: StyleInfo,
               locale: str | None, item_locale: bool) -> list[RenderedEntry]:
        """Render ``projected`` in the order ``ids`` (per-item locales when asked); nothing
        renders blank (see :mod:`transcite.render.fallback`)."""
        from .fallback import complete

        entries = self._render(projected, ids, style, locale, item_locale)
        present = {p.item["id"] for p in projected}
        wanted = [i for i in ids if i in present]
        return complete(entries, wanted, self.by_id, style, self.output, self._tell,
                        self.failed)

    def _tell(self, ref: Reference, code: str, message: str) -> None:
        """Report a problem once per reference and code (both lists show the same source)."""
        if (ref.id, code) not in self._told:
            self._told.add((ref.id, code))
            self.report.warning(code, message, **ref.where())

    def _render(self, projected: list[Projected], ids: list[str], style: StyleInfo,
                locale: str | None, item_locale: bool) -> list[RenderedEntry]:
        by_id = {p.item["id"]: p for p in projected}
        ordered = [by_id[i] for i in ids if i in by_id]
        locales = {_locale_for(p) for p in ordered} if item_locale else set()
        if len(locales) <= 1:
            loc = next(iter(locales)) if locales else locale
            cached = self._sorted
            if cached is not None and cached[:2] == (str(style.path), loc) and [
                    e.id for e in cached[2]] == [p.item["id"] for p in ordered]:
                return list(cached[2])
            engine = self.engine(style, loc)
            entries = engine.bibliography(_for_engine(engine, ordered), order="input")
            self.collect(engine)
            return entries
        per_locale: dict[str, dict[str, RenderedEntry]] = {}
        for loc in sorted(locales):
            engine = self.engine(style, loc)
            per_locale[loc] = {e.id: e for e in engine.bibliography(
                _for_engine(engine, ordered), order="input")}
            self.collect(engine)
        out = []
        for p in ordered:
            entry = per_locale[_locale_for(p)].get(p.item["id"])
            if entry is not None:
                out.append(entry)
        return out


@fewer_collections()
def format_library(library: Library | Iterable[Reference], *,
                   style: str | os.PathLike[str] | StyleInfo | None = None,
                   profile: str | Profile | None = None, view: str | None = None,
                   locale: str | None = None, output: str = "text", order: str = "style",
                   sort: str | None = None, item_locale: bool | None = None,
                   ids: Iterable[str] | None = None) -> Formatted:
    """Render the bibliography of a library as one or two lists.

    Without ``profile`` and ``view`` this is standard CSL: one list, one locale, ``style``. With a
    profile (and by default its ``dual`` view) transcite builds the original list and/or the
    romanised References list. ``order="input"`` keeps the library's order in every list;
    ``sort`` (``style``, ``input``, ``cyrillic-first``, ``romanised``) overrides the profile's
    sort of the original list; ``item_locale`` renders each item with its own language's terms.
    """
    from ..store import SpilledLibrary

    if isinstance(library, SpilledLibrary) and profile is None and view is None and \
            ids is None and not item_locale and (sort is None or sort in SORTS):
        # a long library, kept in a file
        from .bounded import format_spilled

        return format_spilled(library, style=style, locale=locale, output=output,
                              order=order, sort=sort)
    report = Report()
    refs = list(library)
    if ids is not None:
        by_id = {r.id: r for r in refs}
        picked = []
        for i in ids:
            if i in by_id:
                picked.append(by_id[i])
            else:
                report.error("render.missing-key", f"no reference with id {i!r}", item=i)
        refs = picked
    lists = _Lists(refs, output, report)
    if sort is not None and sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    if profile is None and view is None:
        info = style if isinstance(style, StyleInfo) else resolve_style(
            style or DEFAULT_STYLE)
        # standard CSL: values as read; with item_locale each item also gets its language's terms
        projected = [Projected(item, is_russian_item(ref), ref.language or (
            "ru" if is_russian_item(ref) else "en")) for ref, item in zip(refs, _plain_items(refs))]
        final_sort = "input" if order == "input" else (sort or "style")
        ids_in_order = lists.order(projected, info, locale, final_sort, None)
        entries = lists.render(projected, ids_in_order, info, locale, bool(item_locale))
        keep(refs, projected, lists)        # (freed at exit, in a CLI run: see memo.keep)
        return Formatted([RenderedList("original", None, info, entries)], report)

    from ..profiles import Profile, get_profile

    prof = profile if isinstance(profile, Profile) else get_profile(profile or "scopus")
    view = view or "dual"
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    settings = prof.references
    out: list[RenderedList] = []
    want_original = view in ("original", "dual")
    o_style = _style(style if view == "original" else None, prof.original.style)
    r_style = _style(style if view in ("references", "romanised") else None, settings.style)
    original = project(refs, "original", settings, report) if want_original else None
    romanised_view = "romanised" if view == "romanised" else "references"
    romanised = project(refs, romanised_view, settings, report) if view != "original" else None
    final_sort = "input" if order == "input" else (sort or prof.original.sort)
    if original is not None:
        o_locale = locale if view == "original" else prof.original.locale
        needs_rom = final_sort == "romanised"
        if needs_rom and romanised is None:
            romanised = project(refs, "references", settings, report)
        order_ids = lists.order(original, o_style, o_locale or locale, final_sort,
                                romanised if needs_rom else None)
        il = prof.original.item_locale if item_locale is None else item_locale
        entries = lists.render(original, order_ids, o_style, o_locale, il)
        out.append(RenderedList("original", prof.original.heading, o_style, entries))
        if view == "original":
            return Formatted(out, report)
    elif o_style.citation_format == "numeric" and order != "input":
        # a numbered list: entry n of the References is entry n of the original list
        quiet = project(refs, "original", settings, Report())
        order_ids = lists.order(quiet, o_style, prof.original.locale or locale, final_sort,
                                romanised)
    else:
        r_sort = "input" if order == "input" else ("style" if final_sort == "cyrillic-first"
                                                   else final_sort)
        order_ids = lists.order(romanised or [], r_style, settings.locale, r_sort, romanised)
    assert romanised is not None
    # the romanised list is English: a Russian document's locale (pandoc's lang: ru) is not its
    r_locale = locale if view != "dual" and locale and not is_russian(locale) \
        else settings.locale
    r_entries = lists.render(romanised, order_ids, r_style, r_locale, False)
    marked = {p.item["id"] for p in romanised if p.marker}
    if view == "references" or view == "dual":
        r_entries = [RenderedEntry(e.id, _add_marker(e.text, settings.marker,
                                                     settings.marker_position))
                     if e.id in marked else e for e in r_entries]
    out.append(RenderedList(romanised_view, settings.heading, r_style, r_entries))
    return Formatted(out, report)


def prepare(style: str | os.PathLike[str] | StyleInfo | None = None, locale: str | None = None,
            output: str = "text") -> None:
    """Load ahead what :func:`format_library` with these arguments (and no profile) renders
    with - the compiled style, kept for it (see :func:`transcite.render.engine.Engine`), and
    the engine's modules - while something else runs: the library being read. A style that
    cannot be loaded is left for :func:`format_library` to report."""
    try:
        info = style if isinstance(style, StyleInfo) else resolve_style(style or DEFAULT_STYLE)
        Engine.create(info, locale, output).processor  # noqa: B018 - loaded, and kept
    except Exception:  # noqa: BLE001 - format_library loads it again and reports the failure
        return


def _for_engine(engine: Engine, projected: list[Projected]) -> list[dict[str, object]]:
    """The items for ``engine``: editors and translators of Russian items in the case the
    style's Russian role words govern ("под ред. П. Л. Кириллова")."""
    return in_role_case(projected, genitive_roles(engine.processor))


def _style(explicit: str | os.PathLike[str] | StyleInfo | None, default: str) -> StyleInfo:
    if isinstance(explicit, StyleInfo):
        return explicit
    return resolve_style(explicit or default)


def _plain_items(refs: list[Reference]) -> list[dict[str, object]]:
    from . import to_csl_items

    return to_csl_items(refs)
