"""Compiled styles kept between runs (see :mod:`transcite.compiled`).

:func:`compiled_processor` gives the :class:`~.processor.Processor` for a style, locale and
output: from the cache when the style file, the locale files it merges and transcite's engine
are what they were when it was stored, else compiled (and stored). A stored processor is the
compiled one, pickled: its render nodes, merged locale and options, with the parsed XML kept as
text (re-read with lxml when loaded) and each condition kept as the attributes it is built
from. Loading one skips citeproc-py's parser, the compilation and the locale merging; the
first run of a style pays them, every later run a hash and an unpickling.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import types
from pathlib import Path
from typing import Any

from ... import compiled
from .conditions import condition

__all__ = ["compiled_processor"]

_DEFAULT_LOCALE = re.compile(rb"""<style\b[^>]*?\bdefault-locale\s*=\s*["']([^"']+)["']""")


def compiled_processor(style: str | os.PathLike[str] | bytes, locale: str | None = None,
                       output: str = "html", *, cyrillic_first: bool | None = None,
                       workers: int | None = None) -> Any:
    """``Processor(style, locale, output, cyrillic_first=..., workers=...)``, from the cache
    when it holds one built from the same files."""
    from .locale import locale_files
    from .processor import Processor

    def build() -> Any:
        return Processor(style, locale, output, cyrillic_first=cyrillic_first,
                         workers=workers)

    if not compiled.enabled():
        return build()
    try:
        data = _style_bytes(style)
    except OSError:
        return build()      # the processor reports a style it cannot read
    lang = locale
    if not lang:
        m = _DEFAULT_LOCALE.search(data[:8000])
        lang = m.group(1).decode("utf-8", "replace") if m else "en-US"
    try:
        sources = [p.read_bytes() for p in locale_files(lang)]
    except OSError:
        return build()
    entry = compiled.key("style", [data, *sources, locale or "", output, repr(cyrillic_first)],
                         compiled.code_stamp("render.csl"))
    proc = compiled.load_or_build("styles", entry, build, _dump, _load)
    proc.workers = workers
    return proc


def _style_bytes(style: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(style, (bytes, bytearray)):
        return bytes(style)
    if isinstance(style, str) and style.lstrip().startswith(("<", "\ufeff")):
        return style.encode("utf-8")
    return Path(style).read_bytes()


class _Pickler(pickle.Pickler):
    """Pickles a processor: XML elements as their text, conditions as their attributes, no
    compiler (it is only needed while compiling)."""

    def reducer_override(self, obj: Any) -> Any:
        from lxml import etree

        from .processor import Processor

        if isinstance(obj, etree._Element):
            return _element, (etree.tostring(obj),)
        if isinstance(obj, types.FunctionType):
            attributes = getattr(obj, "csl_test", None)
            if attributes is not None:
                return _condition, (attributes,)
        if type(obj) is Processor:
            state = dict(obj.__dict__)
            state["compiler"] = None
            return _processor, (state,)
        return NotImplemented


def _dump(proc: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, pickle.HIGHEST_PROTOCOL).dump(proc)
    return out.getvalue()


def _load(data: bytes) -> Any:
    return pickle.loads(data)


def _element(xml: bytes) -> Any:
    from lxml import etree

    return etree.fromstring(xml, etree.XMLParser(remove_comments=True, no_network=True))


def _condition(attributes: tuple[tuple[str, str], ...]) -> Any:
    return condition(attributes)


def _processor(state: dict[str, Any]) -> Any:
    from .processor import Processor

    proc = Processor.__new__(Processor)
    proc.__dict__.update(state)
    return proc
