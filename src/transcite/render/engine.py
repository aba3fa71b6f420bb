"""The CSL engine: citeproc-py behind a small, safe interface.

* Ids are mapped to internal keys, so ids that differ only in case (which citeproc-py
  lower-cases) never collide, and results come back under the caller's ids.
* Output is ``text``, ``html`` or ``markdown``.
* citeproc-py's warnings are returned as data; an item it cannot render is reported by id
  instead of aborting the whole bibliography.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .styles import StyleInfo, resolve_style

__all__ = ["OUTPUTS", "Engine", "RenderedEntry", "RenderError"]

#: Output formats the engine can produce.
OUTPUTS = ("text", "html", "markdown")


class RenderError(RuntimeError):
    """The engine could not render an item; carries the item's id."""

    def __init__(self, item_id: str, message: str) -> None:
        super().__init__(f"{item_id}: {message}")
        self.item_id = item_id


@dataclass(frozen=True, slots=True)
class RenderedEntry:
    """One bibliography entry: the caller's id and the rendered text."""

    id: str
    text: str


def _formatter(output: str) -> Any:
    if output == "text":
        from citeproc.formatter import plain

        return plain
    if output == "html":
        from citeproc.formatter import html

        return html
    if output == "markdown":
        from . import markdown

        return markdown
    raise ValueError(f"unknown output {output!r}; choose one of {', '.join(OUTPUTS)}")


@dataclass(slots=True)
class Engine:
    """Render CSL-JSON items with one style, locale and output format."""

    style: StyleInfo
    locale: str | None = None
    output: str = "text"
    warnings: list[str] = field(default_factory=list)
    errors: list[RenderError] = field(default_factory=list)
    _style: Any = None

    @classmethod
    def create(cls, style: str | os.PathLike[str] | StyleInfo, locale: str | None = None,
               output: str = "text") -> Engine:
        """An engine for a style name, path or :class:`StyleInfo`."""
        info = style if isinstance(style, StyleInfo) else resolve_style(style)
        _formatter(output)
        return cls(info, locale, output)

    def _csl_style(self) -> Any:
        if self._style is None:
            from citeproc import CitationStylesStyle

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self._style = CitationStylesStyle(str(self.style.path),
                                                  locale=self.locale or self.style.default_locale,
                                                  validate=False)
            self.warnings.extend(str(w.message) for w in caught)
        return self._style

    def bibliography(self, items: Sequence[dict[str, Any]], *, order: str = "style"
                     ) -> list[RenderedEntry]:
        """Render a bibliography of ``items`` (CSL-JSON dicts with ``id`` and ``type``).

        ``order="style"`` sorts as the style says; ``"input"`` keeps the order of ``items``.
        Items the engine fails on are left out and recorded in :attr:`errors`.
        """
        if not items:
            return []
        keys = [f"i{n}" for n in range(len(items))]
        ids = {k: str(item["id"]) for k, item in zip(keys, items)}
        try:
            return self._render(items, keys, ids, order)
        except Exception:  # noqa: BLE001 - citeproc-py failed on some item: find it, go on
            good: list[int] = []
            for n, item in enumerate(items):
                try:
                    self._render([item], [keys[n]], ids, "input")
                    good.append(n)
                except Exception as exc:  # noqa: BLE001 - a dependency's crash, reported per item
                    self.errors.append(RenderError(str(item["id"]),
                                                   f"{type(exc).__name__}: {exc}"))
            if not good:
                return []
            return self._render([items[n] for n in good], [keys[n] for n in good], ids, order)

    def _render(self, items: Sequence[dict[str, Any]], keys: list[str], ids: dict[str, str],
                order: str) -> list[RenderedEntry]:
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        style = self._csl_style()
        data = [_supported({**item, "id": key}) for item, key in zip(items, keys)]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            source = CiteProcJSON(data)
            bib = CitationStylesBibliography(style, source, _formatter(self.output))
            for key in keys:
                bib.register(Citation([CitationItem(key)]))
            if order == "style":
                bib.sort()
            rendered = bib.bibliography()
        self.warnings.extend(str(w.message) for w in caught)
        out = []
        for item, text in zip(bib.items, rendered):
            out.append(RenderedEntry(ids[item.key], _clean(str(text))))
        return out

    def citations(self, clusters: Iterable[Sequence[dict[str, Any]]],
                  items: Sequence[dict[str, Any]]) -> list[str]:
        """Render citation clusters; each cite is ``{"id": ..., "locator": ..., "label": ...}``."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator
        from citeproc.source.json import CiteProcJSON

        style = self._csl_style()
        key_of = {str(item["id"]): f"i{n}" for n, item in enumerate(items)}
        data = [_supported({**item, "id": key_of[str(item["id"])]}) for item in items]
        out: list[str] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bib = CitationStylesBibliography(style, CiteProcJSON(data), _formatter(self.output))
            citations = []
            for cluster in clusters:
                cites = []
                for cite in cluster:
                    kwargs: dict[str, Any] = {}
                    if cite.get("locator"):
                        kwargs["locator"] = Locator(cite.get("label", "page"), cite["locator"])
                    for k in ("prefix", "suffix"):
                        if cite.get(k):
                            kwargs[k] = cite[k]
                    cites.append(CitationItem(key_of[str(cite["id"])], **kwargs))
                citation = Citation(cites)
                bib.register(citation)
                citations.append(citation)
            bib.sort()
            for citation in citations:
                out.append(_clean(str(bib.cite(citation, lambda item: None))))
        self.warnings.extend(str(w.message) for w in caught)
        return out


@cache
def _known_variables() -> frozenset[str]:
    from citeproc import VARIABLES

    return frozenset(v.replace("_", "-") for v in VARIABLES) | {"id", "type"}


def _supported(item: dict[str, Any]) -> dict[str, Any]:
    """The item without variables citeproc-py does not know (it would warn about each one)."""
    known = _known_variables()
    return {k: v for k, v in item.items() if k in known}


_SPACES = re.compile(r"[ \t\r\n]+")


def _clean(text: str) -> str:
    """Collapse runs of ordinary whitespace (non-breaking spaces are kept: GOST needs them)."""
    return _SPACES.sub(" ", text).strip()
