"""The CSL engine's HTML output as Pandoc inlines.

Citations and entries are rendered as HTML (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small-caps
spans, links) and turned into ``Emph``, ``Strong``, ``Superscript``, ``Subscript``,
``SmallCaps``, ``Underline``, ``Span`` and ``Link`` - never ``RawInline`` - so that every Pandoc
writer (docx and odt included) shows them. URLs and DOIs in bibliography entries become links.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from .ast import attr, link, span, str_, text_inlines

__all__ = ["html_to_inlines", "link_urls", "merge_inlines"]

_SIMPLE = {"i": "Emph", "em": "Emph", "b": "Strong", "strong": "Strong", "sup": "Superscript",
           "sub": "Subscript", "u": "Underline", "s": "Strikeout", "del": "Strikeout"}

_STYLE = [
    (re.compile(r"font-variant\s*:\s*small-caps"), "SmallCaps"),
    (re.compile(r"font-style\s*:\s*italic"), "Emph"),
    (re.compile(r"font-weight\s*:\s*bold"), "Strong"),
    (re.compile(r"vertical-align\s*:\s*super"), "Superscript"),
    (re.compile(r"vertical-align\s*:\s*sub"), "Subscript"),
    (re.compile(r"text-decoration\s*:\s*underline"), "Underline"),
]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # a stack of (tag, wrapper kinds, href, classes, children)
        self.stack: list[tuple[str, list[str], str | None, list[str],
                               list[dict[str, Any]]]] = [("", [], None, [], [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.stack[-1][4].append({"t": "LineBreak"})
            return
        values = {k: v or "" for k, v in attrs}
        kinds: list[str] = []
        if tag in _SIMPLE:
            kinds.append(_SIMPLE[tag])
        style = values.get("style", "")
        kinds.extend(kind for pattern, kind in _STYLE if pattern.search(style))
        href = values.get("href") if tag == "a" else None
        classes = values.get("class", "").split() if tag in ("span", "div") else []
        self.stack.append((tag, kinds, href, classes, []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "br" or len(self.stack) == 1:
            return
        names = [entry[0] for entry in self.stack]
        if tag not in names[1:]:
            return  # a stray closing tag: ignore it
        while True:
            open_tag, kinds, href, classes, children = self.stack.pop()
            node: list[dict[str, Any]] = children
            for kind in reversed(kinds):
                node = [{"t": kind, "c": node}]
            if href:
                node = [link(node, href)]
            if classes:  # csl-left-margin, csl-right-inline...: kept for the writers
                node = [span(node, attr("", classes))]
            self.stack[-1][4].extend(node)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1][4].extend(text_inlines(data))

    def result(self) -> list[dict[str, Any]]:
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return merge_inlines(self.stack[0][4])


def merge_inlines(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join neighbouring ``Str`` inlines and collapse repeated spaces (HTML splits text runs)."""
    out: list[dict[str, Any]] = []
    for node in inlines:
        if out and node["t"] == "Str" and out[-1]["t"] == "Str":
            out[-1] = str_(out[-1]["c"] + node["c"])
        elif out and node["t"] == "Space" and out[-1]["t"] == "Space":
            continue
        else:
            out.append(node)
    return out


def html_to_inlines(html: str) -> list[dict[str, Any]]:
    """Pandoc inlines for an HTML fragment as the CSL engine writes it."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    inlines = builder.result()
    while inlines and inlines[0]["t"] == "Space":
        inlines.pop(0)
    while inlines and inlines[-1]["t"] == "Space":
        inlines.pop()
    return inlines


_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"]+[^\s<>\".,;:)\]}]")
_DOI = re.compile(r"\b(?:doi:\s?|DOI:?\s?)?(10\.\d{4,9}/[^\s<>\"]+[^\s<>\".,;:)\]}])")


def link_urls(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``Str`` inlines holding a URL or a DOI (``10.1234/abc``) become links to it.

    Text already inside a link is left alone; a DOI links to ``https://doi.org/<DOI>``.
    """
    out: list[dict[str, Any]] = []
    for node in inlines:
        tag = node["t"]
        if tag == "Str":
            out.extend(_link_str(node["c"]))
        elif tag in ("Link", "Image"):
            out.append(node)
        elif tag in ("Emph", "Strong", "Superscript", "Subscript", "SmallCaps", "Underline",
                     "Strikeout"):
            out.append({"t": tag, "c": link_urls(node["c"])})
        elif tag == "Span":
            out.append({"t": "Span", "c": [node["c"][0], link_urls(node["c"][1])]})
        else:
            out.append(node)
    return out


def _link_str(text: str) -> list[dict[str, Any]]:
    match = _URL.search(text) or _DOI.search(text)
    if match is None:
        return [str_(text)]
    whole = match.group(0)
    if whole.startswith(("http", "ftp")):
        start, end, target, shown = match.start(), match.end(), whole, whole
    else:
        start, end = match.start(1), match.end(1)
        shown = match.group(1)
        target = f"https://doi.org/{shown}"
    out: list[dict[str, Any]] = []
    if text[:start]:
        out.append(str_(text[:start]))
    out.append(link([str_(shown)], target, "", attr()))
    if text[end:]:
        out.extend(_link_str(text[end:]))
    return out
