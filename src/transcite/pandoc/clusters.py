"""Citation clusters as Pandoc inlines: cites joined with the style's delimiter, inside its
affixes, with the user's prefixes and suffixes, author-in-text and links to the entries.

A cluster is what one Pandoc ``Cite`` element holds: ``[see @a, p. 3; @b]`` is one cluster of
two cites. The cites arrive rendered (HTML, one per cite, from :mod:`.engine`); this module only
arranges them, as CSL says: cites sorted by bibliography order when the style sorts them,
consecutive numbers collapsed into a range (``[1–3]``) when the style collapses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ast import link, space, str_, text_inlines
from .engine import RenderedCite
from .inlines import html_to_inlines, merge_inlines
from .layout import CitationLayout

__all__ = ["Piece", "build_cluster", "entry_id"]

_DASH = "\u2013"


def entry_id(key: str, view: str | None = None) -> str:
    """The identifier of a bibliography entry: ``ref-KEY`` as with Pandoc's citeproc, and
    ``ref-VIEW-KEY`` for the second list of the dual view."""
    return f"ref-{key}" if view is None else f"ref-{view}-{key}"


@dataclass(slots=True)
class Piece:
    """One cite of a cluster: its key, mode, the user's prefix and suffix, and its rendering."""

    id: str
    mode: str
    prefix: list[dict[str, Any]] = field(default_factory=list)
    suffix: list[dict[str, Any]] = field(default_factory=list)
    rendered: RenderedCite | None = None
    number: int | None = None
    has_locator: bool = False


def _body(piece: Piece, html: str, linked: bool) -> list[dict[str, Any]]:
    inlines = html_to_inlines(html)
    if linked and inlines:
        return [link(inlines, f"#{entry_id(piece.id)}")]
    return inlines


def _missing(piece: Piece) -> list[dict[str, Any]]:
    return [{"t": "Strong", "c": [str_(piece.id)]}, str_("?")]


def _with_affixes(piece: Piece, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = list(piece.prefix)
    if out and body and out[-1]["t"] not in ("Space", "SoftBreak"):
        out.append(space())
    out.extend(body)
    out.extend(piece.suffix)
    return out


def _collapsible(piece: Piece) -> bool:
    r = piece.rendered
    return (r is not None and piece.number is not None and not piece.prefix
            and not piece.suffix and not piece.has_locator
            and r.normal.strip() == str(piece.number))


def _collapse(pieces: list[Piece], linked: bool) -> list[list[dict[str, Any]]]:
    """Runs of three or more consecutive plain numbers become ``first–last``."""
    out: list[list[dict[str, Any]]] = []
    i = 0
    while i < len(pieces):
        j = i
        while (j + 1 < len(pieces) and _collapsible(pieces[j]) and _collapsible(pieces[j + 1])
               and pieces[j + 1].number == (pieces[j].number or 0) + 1):
            j += 1
        if j - i >= 2:
            first, last = pieces[i], pieces[j]
            out.append([*_body(first, str(first.number), linked), str_(_DASH),
                        *_body(last, str(last.number), linked)])
            i = j + 1
            continue
        out.append(_piece(pieces[i], "normal", linked))
        i += 1
    return out


def _piece(piece: Piece, form: str, linked: bool) -> list[dict[str, Any]]:
    r = piece.rendered
    if r is None:
        return _with_affixes(piece, _missing(piece))
    html = r.suppressed if form == "suppressed" and r.suppressed is not None else r.normal
    return _with_affixes(piece, _body(piece, html, linked))


def _wrap(parts: list[list[dict[str, Any]]], layout: CitationLayout) -> list[dict[str, Any]]:
    parts = [p for p in parts if p]
    if not parts:
        return []
    inner: list[dict[str, Any]] = []
    for n, part in enumerate(parts):
        if n:
            inner.extend(text_inlines(layout.delimiter) if layout.delimiter.strip()
                         else [space()] if layout.delimiter else [])
        inner.extend(part)
    for kind in reversed(layout.formatting):
        inner = [{"t": kind, "c": inner}]
    return merge_inlines([*([str_(layout.prefix)] if layout.prefix else []), *inner,
                          *([str_(layout.suffix)] if layout.suffix else [])])


def build_cluster(pieces: list[Piece], layout: CitationLayout, *, linked: bool = False
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    """The inlines of one cluster.

    Returns ``(in_text, note)``: for a normal cluster ``in_text`` is the whole citation and
    ``note`` is None; for an author-in-text cluster ``in_text`` is the author followed by the rest
    of the citation (or, in a note style, the author alone with the citation in ``note``).
    """
    if not pieces:
        return [], None
    head = pieces[0]
    if head.mode == "author-in-text":
        return _author_in_text(head, pieces[1:], layout, linked)
    ordered = sorted(pieces, key=lambda p: (p.number is None, p.number or 0)) \
        if layout.sorted else pieces
    parts = (_collapse(ordered, linked) if layout.collapse == "citation-number"
             else [_piece(p, "suppressed" if p.mode == "suppress-author" else "normal", linked)
                   for p in ordered])
    return _wrap(parts, layout), None


def _author_in_text(head: Piece, rest: list[Piece], layout: CitationLayout, linked: bool
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    r = head.rendered
    if r is None:
        tail = _wrap([_piece(p, "normal", linked) for p in rest], layout)
        return [*head.prefix, *_missing(head), *([space(), *tail] if tail else [])], None
    author = _body(head, r.author or "", linked)
    if layout.note:
        note = _wrap([_piece(p, "normal", linked) for p in [head, *rest]], layout)
        return [*head.prefix, *author], note
    suppressed = r.suppressed if r.suppressed is not None else r.normal
    first = _body(head, suppressed, linked) if suppressed.strip() else []
    if first or head.suffix:
        first = [*first, *head.suffix] if first else _strip_lead(head.suffix)
    parts = [first, *[_piece(p, "suppressed" if p.mode == "suppress-author" else "normal",
                             linked) for p in rest]]
    tail = _wrap(parts, layout)
    if not author:
        return [*head.prefix, *tail], None
    prefix = [*head.prefix, space()] if head.prefix else []
    return [*prefix, *author, *([space(), *tail] if tail else [])], None


def _strip_lead(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A suffix standing alone in the brackets, without its leading comma or space."""
    out = list(inlines)
    while out and out[0]["t"] in ("Space", "SoftBreak"):
        out.pop(0)
    if out and out[0]["t"] == "Str" and out[0]["c"].startswith(","):
        text = out[0]["c"][1:]
        out = ([str_(text)] if text else []) + out[1:]
        while out and out[0]["t"] in ("Space", "SoftBreak"):
            out.pop(0)
    return out
