"""What the Pandoc filter reads from a style itself: the citation layout's affixes, delimiter
and formatting (the filter puts them around a cluster of Pandoc inlines), whether it sorts or
collapses cites, whether it is a note style, and the citation number that starts an aligned
bibliography entry. Everything else - citation modes included - is the CSL engine's
(:mod:`.engine`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

__all__ = ["CitationLayout", "StyleError", "citation_layout", "number_margin"]

NS = "http://purl.org/net/xbiblio/csl"

_FORMATTING = {
    ("font-style", "italic"): "Emph",
    ("font-style", "oblique"): "Emph",
    ("font-weight", "bold"): "Strong",
    ("vertical-align", "sup"): "Superscript",
    ("vertical-align", "sub"): "Subscript",
    ("font-variant", "small-caps"): "SmallCaps",
    ("text-decoration", "underline"): "Underline",
}


class StyleError(ValueError):
    """The style's XML cannot be read or has no ``<citation>`` layout."""


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@dataclass(frozen=True, slots=True)
class CitationLayout:
    """What the filter applies around a cluster itself, and facts about the style."""

    prefix: str = ""
    suffix: str = ""
    delimiter: str = "; "
    formatting: tuple[str, ...] = ()
    """AST wrappers for the layout's formatting (``Superscript`` for superscript numbers)."""
    sorted: bool = False
    """The style sorts the cites of a cluster."""
    collapse: str | None = None
    note: bool = False
    """A note style: citations go into footnotes."""
    hanging_indent: bool = False


def _parse(xml: bytes) -> ET.Element:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise StyleError(f"invalid CSL XML: {exc}") from None
    if root.tag != _q("style"):
        raise StyleError("not a CSL style (no <style> root in the CSL namespace)")
    if root.find(_q("citation")) is None or root.find(f"{_q('citation')}/{_q('layout')}") is None:
        raise StyleError("the style has no <citation> layout")
    return root


def citation_layout(xml: bytes) -> CitationLayout:
    """The citation layout's affixes, delimiter and formatting, and the style's kind."""
    root = _parse(xml)
    citation = root.find(_q("citation"))
    assert citation is not None
    layout = citation.find(_q("layout"))
    assert layout is not None
    formatting = tuple(kind for (name, value), kind in _FORMATTING.items()
                       if layout.get(name) == value)
    category = root.find(f"{_q('info')}/{_q('category')}[@citation-format]")
    bibliography = root.find(_q("bibliography"))
    return CitationLayout(
        prefix=layout.get("prefix", ""),
        suffix=layout.get("suffix", ""),
        delimiter=layout.get("delimiter", ""),
        formatting=formatting,
        sorted=citation.find(_q("sort")) is not None,
        collapse=citation.get("collapse"),
        note=category is not None and category.get("citation-format") == "note",
        hanging_indent=bibliography is not None and bibliography.get("hanging-indent") == "true",
    )


def number_margin(xml: bytes) -> tuple[str, str] | None:
    """``(prefix, suffix)`` of the citation number that starts each entry of a bibliography with
    ``second-field-align``, or None when the style does not align such a number.

    The engine joins the first field to the rest (``1.Batin``); with these affixes the filter
    splits each entry into Pandoc's ``csl-left-margin`` and ``csl-right-inline`` spans.
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return None
    bibliography = root.find(_q("bibliography"))
    if bibliography is None or not bibliography.get("second-field-align"):
        return None
    layout = bibliography.find(_q("layout"))
    first = next(iter(layout), None) if layout is not None else None
    if first is None or first.tag != _q("text") or first.get("variable") != "citation-number":
        return None
    return first.get("prefix", ""), first.get("suffix", "")
