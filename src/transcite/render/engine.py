"""The CSL engine behind a small, safe interface.

The engine is transcite's own CSL 1.0.2 processor (:mod:`transcite.render.csl`), built on
citeproc-py's parsed style tree. This module keeps the interface the rest of transcite uses:

* ids are the caller's, exactly (no case folding);
* output is ``text``, ``html`` or ``markdown``;
* warnings are returned as data; an item the engine cannot render is reported by id instead of
  aborting the whole bibliography.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..memo import fewer_collections
from .styles import StyleInfo, resolve_style

__all__ = ["OUTPUTS", "Cite", "Engine", "RenderedEntry", "RenderError"]

#: Output formats the engine can produce.
OUTPUTS = ("text", "html", "markdown")


class RenderError(RuntimeError):
    """The engine could not render an item; carries the item's id."""

    def __init__(self, item_id: str, message: str) -> None:
        super().__init__(f"{item_id}: {message}" if item_id else message)
        self.item_id = item_id


@dataclass(frozen=True, slots=True)
class RenderedEntry:
    """One bibliography entry: the caller's id and the rendered text."""

    id: str
    text: str


#: A cite in a citation cluster: ``{"id": ..., "locator": ..., "label": ..., "prefix": ...,
#: "suffix": ..., "suppress-author": bool, "author-only": bool}``.
Cite = dict[str, Any]


@dataclass(slots=True)
class Engine:
    """Render CSL-JSON items with one style, locale and output format.

    ``cyrillic_first`` sorts Cyrillic entries before Latin ones, as Russian lists do (GOST
    7.80: Russian-language sources first); by default (``None``) the locale decides: a
    Russian, Ukrainian, Bulgarian... locale collates Cyrillic first, as ICU and citeproc-js do.
    """

    style: StyleInfo
    locale: str | None = None
    output: str = "text"
    cyrillic_first: bool | None = None
    workers: int | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[RenderError] = field(default_factory=list)
    _proc: Any = None

    @classmethod
    def create(cls, style: str | os.PathLike[str] | StyleInfo, locale: str | None = None,
               output: str = "text", *, cyrillic_first: bool | None = None,
               workers: int | None = None) -> Engine:
        """An engine for a style name, path or :class:`StyleInfo`. ``workers`` caps the
        processes long lists are rendered with (default: the cores, when it pays)."""
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose one of {', '.join(OUTPUTS)}")
        info = style if isinstance(style, StyleInfo) else resolve_style(style)
        return cls(info, locale, output, cyrillic_first, workers)

    @property
    def processor(self) -> Any:
        """The compiled style (built on first use, then reused; see :func:`_compiled`). A
        style file that is not XML raises lxml's ``XMLSyntaxError`` (reported where styles
        are loaded); any other failure to compile it raises :class:`RenderError` naming the
        style."""
        if self._proc is None:
            try:
                self._proc = _compiled(self.style.path,
                                       self.locale or self.style.default_locale,
                                       _FORMATS[self.output], self.cyrillic_first,
                                       self.workers)
            except Exception as exc:  # noqa: BLE001 - a style's content must not crash us
                from lxml import etree  # (a compiled style from the cache needs no lxml)

                if isinstance(exc, etree.XMLSyntaxError):
                    raise
                raise RenderError("", f"style {self.style.name}: cannot be compiled "
                                      f"({type(exc).__name__}: {exc})") from exc
        return self._proc

    def bibliography(self, items: Sequence[dict[str, Any]], *, order: str = "style"
                     ) -> list[RenderedEntry]:
        """Render a bibliography of ``items`` (CSL-JSON dicts with ``id`` and ``type``).

        ``order="style"`` sorts as the style says; ``"input"`` keeps the order of ``items``.
        Year suffixes and citation numbers follow the style's disambiguation. Items the engine
        fails on are left out and recorded in :attr:`errors`.
        """
        if not items:
            return []
        data = [item if isinstance(item.get("id"), str) else {**item, "id": str(item.get("id", ""))}
                for item in items]
        result = self._guarded(lambda d: self.processor.process(d, None, order=order), data)
        if result is None:
            return []
        self.warnings.extend(result.warnings)
        return [RenderedEntry(i, _clean(t, self.output)) for i, t in result.bibliography]

    def citations(self, clusters: Iterable[Sequence[Cite]], items: Sequence[dict[str, Any]]
                  ) -> list[str]:
        """Render citation clusters (in document order: positions, ibid, disambiguation and
        collapsing follow the sequence); each cite is a :data:`Cite` dict."""
        from .csl import clusters_from_json

        data = [{**item, "id": str(item.get("id", ""))} for item in items]
        raw = [list(c) for c in clusters]
        result = self._guarded(
            lambda d: self.processor.process(d, clusters_from_json(raw), bibliography=False),
            data)
        if result is None:
            return []
        self.warnings.extend(result.warnings)
        return [_clean(t, self.output) for t in result.citations]

    def cite_forms(self, clusters: Iterable[Sequence[Cite]], items: Sequence[dict[str, Any]],
                   numbers: dict[str, int] | None = None) -> list[list[dict[str, str]]]:
        """Every cite of ``clusters`` (rendered in document order) on its own, without the
        layout's affixes, in the modes ``normal``, ``suppress-author`` and ``author-only``
        (for callers that build clusters themselves, as the Pandoc filter does); ``numbers``
        fixes citation numbers."""
        from .csl import clusters_from_json

        data = [{**item, "id": str(item.get("id", ""))} for item in items]
        raw = [list(c) for c in clusters]
        result = self._guarded(
            lambda d: self.processor.process(d, clusters_from_json(raw), bibliography=False,
                                             numbers=numbers, cite_forms=True), data)
        if result is None:
            return []
        self.warnings.extend(result.warnings)
        return [[{k: _clean(v, self.output) for k, v in form.items()} for form in cl]
                for cl in result.cite_forms]

    @fewer_collections()
    def _guarded(self, run: Any, data: list[dict[str, Any]]) -> Any:
        """Run the processor; if it fails, find the items it fails on, report them (naming
        the style) and run again without them. Whatever a style or an item makes the engine
        raise is caught here - the one boundary where a bad style or a hostile item must
        become a reported problem, not a traceback. (With fewer collections: see
        :func:`transcite.memo.fewer_collections`.)"""
        try:
            return run(data)
        except RenderError as exc:
            self.errors.append(exc)
            return None
        except Exception as first:  # noqa: BLE001 - see the docstring
            good = []
            for item in data:
                try:
                    run([item])
                    good.append(item)
                except Exception as exc:  # noqa: BLE001
                    self.errors.append(RenderError(
                        item["id"], f"style {self.style.name}: {type(exc).__name__}: {exc}"))
            if not good:
                return None
            if len(good) == len(data):      # fails only together: report it on the whole
                self.errors.append(RenderError(
                    "", f"style {self.style.name}: {type(first).__name__}: {first}"))
                return None
            try:
                return run(good)
            except Exception as exc:  # noqa: BLE001
                self.errors.append(RenderError(
                    "", f"style {self.style.name}: {type(exc).__name__}: {exc}"))
                return None


_FORMATS = {"text": "text", "html": "html", "markdown": "markdown"}

#: Compiled styles kept per thread: rendering one item at a time (``transcite batch``) would
#: otherwise spend most of its time compiling the style and merging its locale again.
_KEEP = 16
_compiled_by_thread = threading.local()


def _compiled(path: os.PathLike[str] | str, locale: str | None, output: str,
              cyrillic_first: bool | None, workers: int | None) -> Any:
    """The :class:`~transcite.render.csl.Processor` for these settings, reused by the engines
    of this thread while the style file is unchanged (a processor keeps nothing between runs);
    a new one comes from the cache of compiled styles when it holds one (see
    :mod:`transcite.render.csl.cache`), else it is compiled."""
    from .csl.cache import compiled_processor

    try:
        st = os.stat(path)
        stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    key = (os.fspath(path), stamp, locale, output, cyrillic_first, workers)
    cache: OrderedDict[Any, Any] | None = getattr(_compiled_by_thread, "cache", None)
    if cache is None:
        cache = _compiled_by_thread.cache = OrderedDict()
    proc = cache.get(key)
    if proc is None:
        proc = compiled_processor(path, locale, output, cyrillic_first=cyrillic_first,
                                  workers=workers)
        cache[key] = proc
        if len(cache) > _KEEP:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return proc


_SPACES = re.compile(r"[ \t\r\n]+")


def _clean(text: str, output: str) -> str:
    """Collapse runs of ordinary whitespace (non-breaking spaces are kept: GOST needs them)."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()
