"""The filter's core: :func:`process` turns a Pandoc JSON document into the same document with
every citation rendered and the bibliography - or both lists of a journal profile - in place.

It is a pure function of the AST (it reads the bibliography files the metadata names, nothing
else), so it is tested on JSON; :mod:`transcite.pandoc_filter` wraps it for Pandoc.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ..model import Library, Report
from .ast import attr, check_api_version, div, header, para, str_
from .clusters import Piece, build_cluster, entry_id
from .engine import BibList, CiteRequest, Rendering, render
from .inlines import html_to_inlines, link_urls
from .locators import split_suffix
from .settings import Settings, read_settings

__all__ = ["FilterError", "Filtered", "filter_document", "process"]

#: Writers that print a ``Cite`` as citation syntax (``[@key]``) rather than its content: there
#: the filter puts the rendered text in place of the ``Cite``.
_SYNTAX_WRITERS = ("markdown", "markdown_strict", "markdown_phpextra", "markdown_github",
                   "markdown_mmd", "gfm", "commonmark", "commonmark_x", "org", "jats",
                   "jats_archiving", "jats_publishing", "jats_articleauthoring", "biblatex",
                   "bibtex", "csljson")

_MODES = {"NormalCitation": "normal", "SuppressAuthor": "suppress-author",
          "AuthorInText": "author-in-text"}


class FilterError(ValueError):
    """The document cannot be processed (unsupported AST, a setting or file that names
    nothing); the report holds what was found before."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report if report is not None else Report()


@dataclass(slots=True)
class Filtered:
    """The processed document and the problems met."""

    doc: dict[str, Any]
    report: Report = field(default_factory=Report)


def process(doc: dict[str, Any], *, format: str | None = None,
            base: str | Path | None = None) -> dict[str, Any]:
    """Render the citations and bibliography of a Pandoc JSON document; return a new document.

    ``format`` is the output format Pandoc passes to filters; ``base`` is where relative
    bibliography paths start (the current folder by default). Raises :class:`FilterError`;
    warnings are dropped - use :func:`filter_document` to get them.
    """
    return filter_document(doc, format=format, base=base).doc


def filter_document(doc: dict[str, Any], *, format: str | None = None,
                    base: str | Path | None = None) -> Filtered:
    """Like :func:`process`, returning the problems too."""
    from ..registry import UnknownName
    from ..render.engine import RenderError
    from ..render.styles import UnknownStyle
    from ..resources import DataError
    from .ast import BadAST, UnsupportedAPI, check_shape
    from .layout import StyleError
    from .settings import SettingsError

    report = Report()
    try:
        check_api_version(doc)
        check_shape(doc)
        settings = read_settings(doc.get("meta", {}), report)
    except BadAST as exc:
        raise FilterError(f"the input is not the Pandoc AST the filter reads: {exc}",
                          report) from None
    except (UnsupportedAPI, SettingsError) as exc:
        raise FilterError(str(exc), report) from None
    out = copy.deepcopy(doc)
    library = _load(settings, report, Path(base) if base is not None else Path.cwd())
    cites = _collect(out["blocks"])
    requests, pieces = _requests(cites, library, report)
    bib_ids = _bibliography_ids([p for ps in pieces for p in ps], settings, library, report)
    try:
        rendering = render(list(library), [r for r in requests if r is not None], bib_ids,
                           settings.options)
    except (UnknownStyle, UnknownName, DataError, StyleError, RenderError) as exc:
        raise FilterError(str(exc), report) from None
    except ImportError as exc:  # a part of transcite this installation lacks (translit)
        if exc.name is None or not exc.name.startswith("transcite"):
            raise
        raise FilterError(f"the {settings.options.view or 'chosen'} view romanises, and this "
                          f"installation of transcite cannot ({exc})", report) from None
    report.extend(rendering.report)
    _fill(cites, pieces, requests, rendering, settings, format)
    if not settings.suppress_bibliography:
        _place(out["blocks"], rendering, settings)
    return Filtered(out, _dedupe(report))


def _dedupe(report: Report) -> Report:
    return Report(dict.fromkeys(report.problems))


def _read(path: Path, report: Report) -> Library:
    """The bibliography file's library (a long BibTeX file read on every core)."""
    from ..bulk import read_library
    from ..readers import read

    library = read_library([str(path)], None, None, report, normalise=False)
    return library if library is not None else Library(read(path, report=report), report)


def _load(settings: Settings, report: Report, base: Path) -> Library:
    from ..readers import ReadContext
    from ..readers.cache import cached_library

    library = Library(report=report)
    for name in settings.bibliography:
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = base / path
        if not path.is_file():
            raise FilterError(f"bibliography file not found: {name} (looked for {path})", report)
        before = len(report.problems)
        part = cached_library([str(path)], None, None, report,
                              cast("Callable[[Report], Library]",
                                   lambda own, path=path: _read(path, own)),
                              normalise=False)     # read before: from the cache
        unreadable = [p for p in report.problems[before:] if p.code in _UNREADABLE]
        if unreadable:
            raise FilterError(f"cannot read the bibliography {name}: {unreadable[0].message}",
                              report)
        for ref in part:
            library.add(ref)
    if not settings.references:
        return library
    from ..readers.csljson import item_to_reference

    ctx = ReadContext(file="references (metadata)", report=report)
    for index, item in enumerate(settings.references):
        inline = item_to_reference(item, ctx, None, "pandoc-metadata", index)
        if inline is not None:
            library.add(inline)
    return library


#: Problems that mean a bibliography file as a whole could not be read.
_UNREADABLE = frozenset({"read.unknown-format", "read.encoding", "read.not-a-file",
                         "csl.yaml-syntax", "csl.yaml-aliases"})


def _collect(blocks: list[Any]) -> list[tuple[dict[str, Any], bool]]:
    """Every ``Cite`` in document order, with whether it sits inside a footnote."""
    found: list[tuple[dict[str, Any], bool]] = []

    def walk(node: Any, in_note: bool) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x, in_note)
        elif isinstance(node, dict):
            tag = node.get("t")
            if tag == "Cite":
                found.append((node, in_note))
                return
            content = node.get("c")
            if isinstance(content, (list, dict)):
                walk(content, in_note or tag == "Note")

    walk(blocks, False)
    return found


def _requests(cites: list[tuple[dict[str, Any], bool]], library: Library, report: Report
              ) -> tuple[list[CiteRequest | None], list[list[Piece]]]:
    requests: list[CiteRequest | None] = []
    pieces: list[list[Piece]] = []
    warned: set[str] = set()
    for cite, _ in cites:
        cluster: list[Piece] = []
        for citation in cite["c"][0]:
            key = str(citation["citationId"])
            mode = _MODES.get(citation.get("citationMode", {}).get("t", ""), "normal")
            locator, suffix = split_suffix(citation.get("citationSuffix") or [])
            piece = Piece(key, mode, list(citation.get("citationPrefix") or []), suffix,
                          has_locator=locator is not None)
            if key in library:
                requests.append(CiteRequest(key, mode, locator.value if locator else None,
                                            locator.label if locator else None))
            else:
                requests.append(None)
                if key not in warned:
                    warned.add(key)
                    report.warning("pandoc.unknown-key", f"citation key {key!r} is not in the "
                                   "bibliography", item=key)
            cluster.append(piece)
        pieces.append(cluster)
    return requests, pieces


def _bibliography_ids(pieces: list[Piece], settings: Settings, library: Library,
                      report: Report) -> list[str]:
    ids = [p.id for p in pieces if p.id in library]
    if "*" in settings.nocite:
        ids.extend(library.ids)
    for key in settings.nocite:
        if key == "*":
            continue
        if key in library:
            ids.append(key)
        else:
            report.warning("pandoc.unknown-key", f"nocite key {key!r} is not in the "
                           "bibliography", item=key)
    return list(dict.fromkeys(ids))


def _fill(cites: list[tuple[dict[str, Any], bool]], pieces: list[list[Piece]],
          requests: list[CiteRequest | None], rendering: Rendering, settings: Settings,
          format: str | None) -> None:
    rendered = iter(rendering.cites)
    flat = iter(requests)
    for (cite, in_note), cluster in zip(cites, pieces):
        for piece in cluster:
            if next(flat) is not None:
                piece.rendered = next(rendered)
                piece.number = rendering.numbers.get(piece.id)
        text, note = build_cluster(cluster, rendering.layout, linked=settings.link_citations)
        if rendering.layout.note and not in_note:
            if note is None:
                note, text = text, []
            if note:
                text = [*text, {"t": "Note", "c": [para(_capitalise(note))]}]
        elif note:
            text = [*text, str_(" ("), *note, str_(")")]
        cite["c"][1] = text
        if format is not None and format.split("+")[0].split("-")[0] in _SYNTAX_WRITERS:
            cite["t"] = "Span"  # an empty Span: the writer prints its content only
            cite["c"] = [attr(), text]


def _capitalise(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A footnote starts with a capital letter."""
    if inlines and inlines[0]["t"] == "Str" and inlines[0]["c"]:
        text = inlines[0]["c"]
        return [str_(text[0].upper() + text[1:]), *inlines[1:]]
    return inlines


# -- the bibliography --------------------------------------------------------------------------

def _entries(lst: BibList, view_in_id: str | None, settings: Settings) -> list[dict[str, Any]]:
    blocks = []
    for key, html in lst.entries:
        inlines = html_to_inlines(html)
        if settings.link_bibliography:
            inlines = link_urls(inlines)
        blocks.append(div([para(inlines)], attr(entry_id(key, view_in_id), ["csl-entry"])))
    return blocks


def _classes(rendering: Rendering) -> list[str]:
    return ["references", "csl-bib-body"] + (["hanging-indent"]
                                             if rendering.layout.hanging_indent else [])


def _find_divs(blocks: list[Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            if node.get("t") == "Div" and isinstance(node["c"][0][0], str) and \
                    node["c"][0][0].startswith("refs"):
                found.setdefault(node["c"][0][0], node)
            content = node.get("c")
            if isinstance(content, (list, dict)):
                walk(content)

    walk(blocks)
    return found


def _place(blocks: list[Any], rendering: Rendering, settings: Settings) -> None:
    """Put the lists into ``#refs`` (each list of the dual view into ``#refs-VIEW`` when the
    document has such a div), or at the end of the document."""
    divs = _find_divs(blocks)
    lists = rendering.lists
    if not lists or not any(lst.entries for lst in lists):
        return
    classes = _classes(rendering)
    if len(lists) == 1:
        content = _entries(lists[0], None, settings)
        title = [header(1, settings.section_title, attr("", ["unnumbered"]))] \
            if settings.section_title else []
        target = divs.get("refs") or divs.get(f"refs-{lists[0].view}")
        if target is None:
            blocks.extend([*title, div(content, attr("refs", classes))])
        else:
            _fill_div(target, classes, [*title, *content])
        return
    rest: list[dict[str, Any]] = []
    for n, lst in enumerate(lists):
        heading = [header(settings.heading_level, html_to_inlines(lst.heading),
                          attr("", ["unnumbered"]))] if lst.heading else []
        body = _entries(lst, None if n == 0 else lst.view, settings)
        own = divs.get(f"refs-{lst.view}")
        if own is not None:
            _fill_div(own, classes, [*heading, *body])
        else:
            rest.extend([*heading, div(body, attr(f"refs-{lst.view}", classes))])
    if not rest:
        return
    title = [header(1, settings.section_title, attr("", ["unnumbered"]))] \
        if settings.section_title else []
    target = divs.get("refs")
    if target is None:
        blocks.extend([*title, div(rest, attr("refs"))])
    else:
        target["c"][1] = [*title, *rest]


def _fill_div(target: dict[str, Any], classes: list[str], content: list[Any]) -> None:
    ident, old, pairs = target["c"][0]
    target["c"][0] = [ident, list(dict.fromkeys([*old, *classes])), pairs]
    target["c"][1] = content

