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

from .styles import StyleInfo, resolve_style

__all__ = ["OUTPUTS", "Cite", "Engine", "RenderedEntry", "RenderError"]

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


#: A cite in a citation cluster: ``{"id": ..., "locator": ..., "label": ..., "prefix": ...,
#: "suffix": ..., "suppress-author": bool, "author-only": bool}``.
Cite = dict[str, Any]


@dataclass(slots=True)
class Engine:
    """Render CSL-JSON items with one style, locale and output format.

    ``cyrillic_first`` sorts Cyrillic entries before Latin ones, as Russian lists often do
    (GOST 7.80: Russian-language sources first); off unless a profile asks for it.
    """

    style: StyleInfo
    locale: str | None = None
    output: str = "text"
    cyrillic_first: bool = False
    workers: int | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[RenderError] = field(default_factory=list)
    _proc: Any = None

    @classmethod
    def create(cls, style: str | os.PathLike[str] | StyleInfo, locale: str | None = None,
               output: str = "text", *, cyrillic_first: bool = False,
               workers: int | None = None) -> Engine:
        """An engine for a style name, path or :class:`StyleInfo`. ``workers`` caps the
        processes long lists are rendered with (default: the cores, when it pays)."""
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose one of {', '.join(OUTPUTS)}")
        info = style if isinstance(style, StyleInfo) else resolve_style(style)
        return cls(info, locale, output, cyrillic_first, workers)

    @property
    def processor(self) -> Any:
        """The compiled style (built on first use, then reused; see :func:`_compiled`)."""
        if self._proc is None:
            self._proc = _compiled(self.style.path, self.locale or self.style.default_locale,
                                   _FORMATS[self.output], bool(self.cyrillic_first),
                                   self.workers)
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
        proc = self.processor
        data = [item if isinstance(item.get("id"), str) else {**item, "id": str(item.get("id", ""))}
                for item in items]
        result = self._guarded(lambda d: proc.process(d, None, order=order), data)
        if result is None:
            return []
        self.warnings.extend(result.warnings)
        return [RenderedEntry(i, _clean(t, self.output)) for i, t in result.bibliography]

    def citations(self, clusters: Iterable[Sequence[Cite]], items: Sequence[dict[str, Any]]
                  ) -> list[str]:
        """Render citation clusters (in document order: positions, ibid, disambiguation and
        collapsing follow the sequence); each cite is a :data:`Cite` dict."""
        from .csl import clusters_from_json

        proc = self.processor
        data = [{**item, "id": str(item.get("id", ""))} for item in items]
        built = clusters_from_json([list(c) for c in clusters])
        result = self._guarded(lambda d: proc.process(d, built, bibliography=False), data)
        if result is None:
            return []
        self.warnings.extend(result.warnings)
        return [_clean(t, self.output) for t in result.citations]

    def _guarded(self, run: Any, data: list[dict[str, Any]]) -> Any:
        """Run the processor; if it fails, find the items it fails on, report them and run
        again without them."""
        try:
            return run(data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as first:
            good = []
            for item in data:
                try:
                    run([item])
                    good.append(item)
                except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
                    self.errors.append(RenderError(item["id"], f"{type(exc).__name__}: {exc}"))
            if len(good) == len(data):
                raise first
            return run(good) if good else None


_FORMATS = {"text": "text", "html": "html", "markdown": "markdown"}

#: Compiled styles kept per thread: rendering one item at a time (``transcite batch``) would
#: otherwise spend most of its time compiling the style and merging its locale again.
_KEEP = 16
_compiled_by_thread = threading.local()


def _compiled(path: os.PathLike[str] | str, locale: str | None, output: str,
              cyrillic_first: bool, workers: int | None) -> Any:
    """The :class:`~transcite.render.csl.Processor` for these settings, reused by the engines
    of this thread while the style file is unchanged (a processor keeps nothing between runs)."""
    from .csl import Processor

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
        proc = Processor(path, locale, output, cyrillic_first=cyrillic_first, workers=workers)
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
