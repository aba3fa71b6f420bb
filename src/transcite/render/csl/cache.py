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

__all__ = ["compiled_processor", "ship"]

_DEFAULT_LOCALE = re.compile(rb"""<style\b[^>]*?\bdefault-locale\s*=\s*["']([^"']+)["']""")


#: The code a stored processor holds objects of (see :func:`transcite.compiled.code_stamp`).
_CODE = ("render.csl", "render/project.py", "render/cases.py")


def compiled_processor(style: str | os.PathLike[str] | bytes, locale: str | None = None,
                       output: str = "html", *, cyrillic_first: bool | None = None,
                       workers: int | None = None) -> Any:
    """``Processor(style, locale, output, cyrillic_first=..., workers=...)``, from the cache
    when it holds one built from the same files (or from those built into the package, for
    the styles transcite ships: also with the cache off)."""

    def build() -> Any:
        return _build(style, locale, output, cyrillic_first, workers)

    parts = _entry_parts(style, locale, output, cyrillic_first)
    if parts is None:
        return build()      # the processor reports a style it cannot read
    # with the cache off, only the package's own entries are looked for (no stamp of the
    # code's files needed to name an entry of the cache)
    entry = compiled.key("style", parts, compiled.code_stamp(*_CODE)) \
        if compiled.enabled() else ""
    proc = compiled.load_or_build(
        "styles", entry, build, _dump, _load,
        shipped=lambda: compiled.key("style", parts, compiled.content_stamp(*_CODE)))
    proc.workers = workers
    return proc


def ship(style: str | os.PathLike[str], locale: str | None, output: str, folder: Path) -> Path:
    """Compile ``style`` for ``locale`` and ``output`` into ``folder``/styles, as an entry
    :func:`compiled_processor` finds there when ``folder`` is the package's
    :func:`~transcite.compiled.shipped_folder` (run by ``tools/precompile.py`` when the wheel
    is built); the entry's path."""
    parts = _entry_parts(style, locale, output, None)
    if parts is None:
        raise OSError(f"{style}: cannot read the style or its locale")
    entry = compiled.key("style", parts, compiled.content_stamp(*_CODE))
    path = folder / "styles" / f"{entry}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compiled.entry_bytes(_dump(_build(style, locale, output, None, None))))
    return path


def _build(style: str | os.PathLike[str] | bytes, locale: str | None, output: str,
           cyrillic_first: bool | None, workers: int | None) -> Any:
    from ..project import genitive_roles
    from .processor import Processor

    proc = Processor(style, locale, output, cyrillic_first=cyrillic_first, workers=workers)
    genitive_roles(proc)        # read from the style now: stored with it
    return proc


def _entry_parts(style: str | os.PathLike[str] | bytes, locale: str | None, output: str,
                 cyrillic_first: bool | None) -> list[bytes | str] | None:
    """What names a compiled style: the style's bytes, its locale files', the settings; None
    when a file cannot be read."""
    from .locale import locale_files

    try:
        data = _style_bytes(style)
    except OSError:
        return None
    lang = locale
    if not lang:
        m = _DEFAULT_LOCALE.search(data[:8000])
        lang = m.group(1).decode("utf-8", "replace") if m else "en-US"
    try:
        sources = [p.read_bytes() for p in locale_files(lang)]
    except OSError:
        return None
    return [data, *sources, locale or "", output, repr(cyrillic_first)]


def _style_bytes(style: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(style, (bytes, bytearray)):
        return bytes(style)
    if isinstance(style, str) and style.lstrip().startswith(("<", "\ufeff")):
        return style.encode("utf-8")
    return Path(style).read_bytes()


class _Pickler(pickle.Pickler):
    """Pickles a processor without what only compiling needs - the compiler, the parsed style
    and the locale's ``<date>`` elements; a section's XML element becomes its attributes (all
    rendering reads of it) and a condition the attributes it is built from. Any other XML
    element is kept as its text (loading it then needs lxml)."""

    def reducer_override(self, obj: Any) -> Any:
        from lxml import etree

        from .locale import Locale
        from .processor import Processor, _Section

        if type(obj) is Processor:
            state = dict(obj.__dict__)
            state["compiler"] = None
            if state.get("root") is not None:   # parsed again only if something reads it
                state["root"] = _LazyRoot(etree.tostring(state["root"]))
            return _processor, (state,)
        if type(obj) is _Section:
            return _Section, (obj.layout, obj.keys, _Attributes(obj.el.attrib))
        if type(obj) is Locale and obj.dates:
            return _locale, (obj.lang, obj.terms, obj.punctuation_in_quote,
                             obj.limit_day_ordinals)
        if isinstance(obj, types.FunctionType):
            attributes = getattr(obj, "csl_test", None)
            if attributes is not None:
                return _condition, (attributes,)
        if isinstance(obj, etree._Element):
            return _element, (etree.tostring(obj),)
        return NotImplemented


class _LazyRoot:
    """The parsed style of a processor loaded from the cache, parsed (with lxml) when first
    read: rendering never reads it."""

    def __init__(self, xml: bytes) -> None:
        self._xml = xml
        self._root: Any = None

    def _parsed(self) -> Any:
        if self._root is None:
            self._root = _element(self._xml)
        return self._root

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._parsed(), name)

    def __iter__(self) -> Any:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __getitem__(self, index: Any) -> Any:
        return self._parsed()[index]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_LazyRoot, (self._xml,))


class _Attributes(dict[str, str]):
    """An XML element's attributes, read as the element's (``get``)."""

    @property
    def attrib(self) -> dict[str, str]:
        """The attributes (as lxml's ``attrib``)."""
        return self


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


def _locale(lang: str, terms: Any, punctuation_in_quote: bool, limit_day_ordinals: bool
            ) -> Any:
    from .locale import Locale

    return Locale(lang, terms, {}, punctuation_in_quote, limit_day_ordinals)


def _processor(state: dict[str, Any]) -> Any:
    from .processor import Processor

    proc = Processor.__new__(Processor)
    proc.__dict__.update(state)
    return proc
