"""Formatting a library kept in a file (:class:`~transcite.store.SpilledLibrary`) in bounded
memory.

:func:`format_spilled` gives what :func:`~transcite.render.lists.format_library` gives for
standard CSL (one list, one locale, no profile), reading one reference at a time: each is
projected to its CSL-JSON item, which goes to a temporary file
(:class:`~transcite.render.csl.bounded.ItemFile`); the list logic (:class:`_Lists`: order,
render, nothing blank) runs unchanged on small handles, and the engine sorts, disambiguates
and renders from the file (:func:`transcite.render.csl.bounded.bibliography`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Report
from ..store import SpilledLibrary
from .engine import Engine, RenderedEntry, _clean
from .lists import Formatted, RenderedList, _Lists
from .project import Projected, genitive_roles, in_role_case, is_russian_item
from .styles import StyleInfo, resolve_style

__all__ = ["format_spilled"]


class _Handle:
    """A projected item as the list logic sees it: its id (``handle["id"]``) and where the
    item is in the file."""

    __slots__ = ("id", "n")

    def __init__(self, item_id: str, n: int) -> None:
        self.id = item_id
        self.n = n

    def __getitem__(self, key: str) -> str:
        if key == "id":
            return self.id
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """The id for ``"id"``, else ``default``."""
        return self.id if key == "id" else default

    def __contains__(self, key: object) -> bool:
        return False        # its variables are in the file, made ready for the engine there


@dataclass(slots=True)
class _FileEngine(Engine):
    """An engine that renders handles from an item file."""

    store: Any = None

    def bibliography(self, items: Sequence[Any], *, order: str = "style"
                     ) -> list[RenderedEntry]:
        """As :meth:`Engine.bibliography`, for handles."""
        from .csl.bounded import bibliography

        if not items:
            return []
        proc = self.processor
        result = self._guarded(
            lambda hs: bibliography(proc, self.store, [h.n for h in hs], order), list(items))
        if result is None:
            return []
        self.warnings.extend(result.warnings)
        return [RenderedEntry(i, _clean(t, self.output)) for i, t in result.bibliography]


class _FileLists(_Lists):
    def __init__(self, library: SpilledLibrary, store: Any, output: str,
                 report: Report) -> None:
        super().__init__([], output, report)
        self.by_id = library        # read back only where a reference must be looked at
        self.store = store

    def engine(self, style: StyleInfo, locale: str | None) -> Engine:
        engine = _FileEngine(style, locale, self.output)
        engine.store = self.store
        return engine


def format_spilled(library: SpilledLibrary, *,
                   style: str | os.PathLike[str] | StyleInfo | None = None,
                   locale: str | None = None, output: str = "text", order: str = "style",
                   sort: str | None = None) -> Formatted:
    """What ``format_library(library, style=..., ...)`` gives (standard CSL, no profile, no
    view, no per-item locales), in memory that does not grow with the items' text."""
    from . import to_csl_items
    from .csl.bounded import ItemFile

    report = Report()
    info = style if isinstance(style, StyleInfo) else resolve_style(
        style or "gost-r-7-0-5-2008")
    store = ItemFile()
    try:
        lists = _FileLists(library, store, output, report)
        # the items as the engine gets them (see lists._for_engine), made so once, here
        roles = genitive_roles(lists.engine(info, locale).processor)
        projected = []
        for ref in library:
            [item] = to_csl_items([ref])
            russian = is_russian_item(ref)
            language = ref.language or ("ru" if russian else "en")
            [item] = in_role_case([Projected(item, russian, language)], roles)
            handle = _Handle(ref.id, store.add(item))
            projected.append(Projected(handle, russian, language))  # type: ignore[arg-type]
        final_sort = "input" if order == "input" else (sort or "style")
        ids_in_order = lists.order(projected, info, locale, final_sort, None)
        entries = lists.render(projected, ids_in_order, info, locale, False)
    finally:
        store.close()
    return Formatted([RenderedList("original", None, info, entries)], report)
