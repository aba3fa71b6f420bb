"""Rendering: a Library to formatted bibliography entries in any CSL style.

>>> from transcite.model import Library, Reference, Name, Date
>>> lib = Library([Reference("b", "book", fields={"title": "Книга", "publisher": "Наука",
...     "publisher-place": "М."}, names={"author": [Name("Иванов", "И. И.")]},
...     dates={"issued": Date(((2015,),))})])
>>> print(render(lib, "gost-r-7-0-5-2008").text)
1. Иванов И. И. Книга. М. : Наука, 2015.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..lazy import lazy_re
from ..model import Library, Reference, Report
from .engine import OUTPUTS, Engine, RenderedEntry, RenderError
from .styles import StyleInfo, UnknownStyle, list_styles, resolve_style

__all__ = ["OUTPUTS", "Bibliography", "Engine", "RenderError", "RenderedEntry", "StyleInfo",
           "UnknownStyle", "list_styles", "render", "resolve_style", "to_csl_items"]


@dataclass(slots=True)
class Bibliography:
    """Rendered entries in bibliography order, and the problems met while rendering."""

    entries: list[RenderedEntry]
    style: StyleInfo
    output: str
    report: Report = field(default_factory=Report)

    @property
    def text(self) -> str:
        """The entries, one per line."""
        return "\n".join(e.text for e in self.entries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


#: Types whose ``number`` is a designation ("ГОСТ Р 7.0.5-2008", "116-ФЗ"), never a range.
_DESIGNATED = frozenset({"standard", "legislation", "regulation", "bill", "patent", "report",
                         "thesis"})


def to_csl_items(refs: Iterable[Reference]) -> list[dict[str, Any]]:
    """Plain CSL-JSON items for transcite's engine: values as read. A name list the source
    ended with "и др." / "et al." keeps its marker as a last ``{"literal": "others"}`` (the
    engine prints the style's et-al term for it; anywhere else the marker is dropped), and
    hyphens in the designation of a standard, law or patent are escaped so that no en dash
    replaces them."""
    items = []
    for ref in refs:
        item = ref.to_csl()
        for var, names in ref.names.items():
            if any(n.literal == "others" for n in names[:-1]):
                item[var] = [n.to_csl() for n in names if n.literal != "others"] + (
                    [{"literal": "others"}] if names[-1].literal == "others" else [])
        add_patent_kind(item, ref)
        add_role_qualifiers(item, ref)
        escape_designation(item)
        items.append(item)
    return items


#: A unit written after the number of pages ("181 с.", "224 p.", "96 pp", "12 стр."): the style
#: adds its own, in the item's language.
_PAGES_UNIT = lazy_re(r"\s*(?:с|стр|p|pp|pages?)\.?\s*$", re.IGNORECASE)


def escape_designation(item: dict[str, Any]) -> None:
    """Make a CSL item ready for transcite's styles: escape the hyphens of a designation number
    (``\\-``: kept as a hyphen by the engine) and drop a unit written after the number of pages
    ("181 с." -> "181"; the style prints "181 с." or "181 p.")."""
    number = item.get("number")
    if item.get("type") in _DESIGNATED and isinstance(number, str) and "-" in number:
        item["number"] = number.replace("\\-", "-").replace("-", "\\-")
    pages = item.get("number-of-pages")
    if isinstance(pages, str) and any(c.isdigit() for c in pages):
        item["number-of-pages"] = _PAGES_UNIT.sub("", pages) or pages


def add_patent_kind(item: dict[str, Any], ref: Reference) -> None:
    """A patent's kind code (``C1``, ``U1``: ``custom.patent-kind``, which CSL has no variable
    for) printed after its number, as GOST R 7.0.100-2018 does: "патент № 2637215 C1"."""
    kind = ref.extra.get("patent-kind")
    number = item.get("number")
    if ref.type == "patent" and isinstance(kind, str) and kind.strip() and \
            isinstance(number, str) and number.strip() and kind.strip() not in number.split():
        item["number"] = f"{number.strip()} {kind.strip()}"


def add_role_qualifiers(item: dict[str, Any], ref: Reference) -> None:
    """A role's qualifier ("под общ. ред.": ``custom.role-qualifiers``, ``{"editor":
    "general"}``) goes along to the engine, which takes it into the role's label
    (:mod:`transcite.render.csl.roles`)."""
    qualifiers = ref.extra.get("role-qualifiers")
    if isinstance(qualifiers, dict) and qualifiers:
        item.setdefault("custom", {})["role-qualifiers"] = qualifiers


def render(library: Library | Iterable[Reference], style: str | os.PathLike[str] | StyleInfo,
           *, locale: str | None = None, output: str = "text", order: str = "style",
           ids: Iterable[str] | None = None) -> Bibliography:
    """Render the bibliography of ``library`` (or of the references with ``ids``) in ``style``.

    Standard CSL: one list, one locale. ``order`` is ``"style"`` (the style's sort) or
    ``"input"`` (library order). Problems - unknown ids, items the engine could not render,
    style warnings - are in the result's ``report``. For journal profiles, views and both
    lists see :func:`transcite.render.lists.format_library`.
    """
    from .lists import format_library

    result = format_library(library, style=style if isinstance(style, StyleInfo)
                            else resolve_style(style), locale=locale, output=output,
                            order=order, ids=ids)
    [only] = result.lists
    return Bibliography(only.entries, only.style, output, result.report)


class _CallableModule(sys.modules[__name__].__class__):  # type: ignore[misc]
    """``transcite.render`` is both this package and the :func:`render` function.

    Python binds ``transcite.render`` to the package as soon as any of its modules is imported,
    whatever ``transcite/__init__`` exported under that name; calling the package therefore
    calls :func:`render`, so ``transcite.render(library, "apa")`` works in any import order.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Bibliography:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
