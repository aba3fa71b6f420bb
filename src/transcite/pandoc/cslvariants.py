"""Variants of a CSL style for the citation modes Pandoc needs and the CSL engine lacks.

Pandoc citations come in three modes: normal ``[@key]``, suppress-author ``[-@key]`` and
author-in-text ``@key``. The engine renders only normal citations of whole clusters, so the
filter renders each cite on its own with a *variant* of the style, derived from its XML:

* ``bare`` - the citation layout without its prefix, suffix, delimiter and formatting, without
  cite sorting and collapsing, and without the bibliography's sort (so that citation numbers
  follow the bibliography order the filter hands over). The filter puts the layout's affixes,
  delimiter and formatting (:func:`citation_layout`) around the cluster itself.
* ``suppress-author`` - ``bare`` without the first names part of the layout (the ``<names>``
  element, or the macro call holding it; macros that also render other variables are inlined and
  only their names removed), so ``[-@key]`` gives ``[2017, с. 71]``.
* ``author-only`` - ``bare`` reduced to that first names part, without affixes or labels; styles
  whose citations show no names (numeric ones) take the first names of the bibliography layout
  in their short form. ``@key`` then renders as author-only + space + suppress-author.

Nothing here calls the engine: these are pure XML to XML functions.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass

__all__ = ["MODES", "CitationLayout", "StyleError", "citation_layout", "derive",
           "number_margin"]

NS = "http://purl.org/net/xbiblio/csl"
#: The variants :func:`derive` makes.
MODES = ("bare", "suppress-author", "author-only")

_FORMATTING = {
    ("font-style", "italic"): "Emph",
    ("font-style", "oblique"): "Emph",
    ("font-weight", "bold"): "Strong",
    ("vertical-align", "sup"): "Superscript",
    ("vertical-align", "sub"): "Subscript",
    ("font-variant", "small-caps"): "SmallCaps",
    ("text-decoration", "underline"): "Underline",
}
_FORMAT_ATTRS = ("font-style", "font-variant", "font-weight", "text-decoration",
                 "vertical-align")
_GROUP_ATTRS = ("prefix", "suffix", "display", *_FORMAT_ATTRS)
_RENDERING = ("text", "date", "number", "label")
_MAX_DEPTH = 32


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


class _Deriver:
    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.macros = {m.get("name"): m for m in root.findall(_q("macro"))}

    def macro_of(self, el: ET.Element) -> ET.Element | None:
        if el.tag == _q("text") and el.get("macro"):
            return self.macros.get(el.get("macro"))
        return None

    def has_names(self, el: ET.Element, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH:
            return False
        if el.tag == _q("names"):
            return True
        macro = self.macro_of(el)
        if macro is not None:
            return any(self.has_names(c, depth + 1) for c in macro)
        return any(self.has_names(c, depth) for c in el)

    def inline(self, el: ET.Element) -> ET.Element:
        """A ``<group>`` holding a copy of the macro ``el`` calls, with ``el``'s affixes."""
        macro = self.macro_of(el)
        assert macro is not None
        group = ET.Element(_q("group"), {k: v for k, v in el.attrib.items() if k in _GROUP_ATTRS})
        group.extend(copy.deepcopy(c) for c in macro)
        return group

    def first_names_child(self, parent: ET.Element) -> int | None:
        for i, child in enumerate(parent):
            if self.has_names(child):
                return i
        return None

    def drop_names(self, parent: ET.Element, depth: int = 0) -> None:
        """Remove the first names part under ``parent`` (in every branch of a choose)."""
        i = self.first_names_child(parent)
        if i is None or depth > _MAX_DEPTH:
            return
        child = parent[i]
        if child.tag == _q("names"):
            parent.remove(child)
        elif self.macro_of(child) is not None:
            group = self.inline(child)
            parent[i] = group
            self.drop_names(group, depth + 1)
        elif child.tag == _q("choose"):
            for branch in child:
                self.drop_names(branch, depth + 1)
        else:
            self.drop_names(child, depth + 1)

    def keep_names(self, parent: ET.Element, depth: int = 0) -> bool:
        """Reduce ``parent`` to its first names part, without affixes; False when it has none."""
        i = self.first_names_child(parent)
        if i is None or depth > _MAX_DEPTH:
            for child in list(parent):
                parent.remove(child)
            return False
        child = parent[i]
        for other in [c for n, c in enumerate(parent) if n != i]:
            parent.remove(other)
        if self.macro_of(child) is not None:
            group = self.inline(child)
            parent[0] = group
            child = group
        for key in ("prefix", "suffix"):
            child.attrib.pop(key, None)
        if child.tag == _q("names"):
            for label in child.findall(_q("label")):
                child.remove(label)
            return True
        if child.tag == _q("choose"):
            found = False
            for branch in child:
                found = self.keep_names(branch, depth + 1) or found
            return found
        return self.keep_names(child, depth + 1)


def _strip_for_bare(root: ET.Element) -> ET.Element:
    citation = root.find(_q("citation"))
    assert citation is not None
    for key in ("collapse", "cite-group-delimiter", "after-collapse-delimiter"):
        citation.attrib.pop(key, None)
    for parent in (citation, root.find(_q("bibliography"))):
        if parent is not None:
            for sort in parent.findall(_q("sort")):
                parent.remove(sort)
    layout = citation.find(_q("layout"))
    assert layout is not None
    for key in ("prefix", "suffix", "delimiter", *_FORMAT_ATTRS):
        layout.attrib.pop(key, None)
    return layout


def _bibliography_names(deriver: _Deriver) -> ET.Element | None:
    """A short-form copy of the first names element of the bibliography layout."""
    layout = deriver.root.find(f"{_q('bibliography')}/{_q('layout')}")
    if layout is None:
        return None
    holder = ET.Element(_q("group"))
    holder.extend(copy.deepcopy(c) for c in layout)
    if not deriver.keep_names(holder):
        return None
    names = next(holder.iter(_q("names")), None)
    if names is None:
        return None
    for name in names.findall(_q("name")):
        name.set("form", "short")
        name.attrib.pop("name-as-sort-order", None)
    for key in ("prefix", "suffix"):
        names.attrib.pop(key, None)
    return names


def derive(xml: bytes, mode: str) -> bytes:
    """The style ``xml`` turned into the variant ``mode`` (one of :data:`MODES`)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    root = _parse(xml)
    layout = _strip_for_bare(root)
    deriver = _Deriver(root)
    if mode == "suppress-author":
        deriver.drop_names(layout)
    elif mode == "author-only" and not deriver.keep_names(layout):
        names = _bibliography_names(deriver)
        for child in list(layout):
            layout.remove(child)
        if names is not None:
            layout.append(names)
    ET.register_namespace("", NS)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out
