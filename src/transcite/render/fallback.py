"""Nothing renders blank: references a style cannot show print as the user wrote them.

Three cases, each reported once per reference as a warning naming it (file, line, id):

* a line the parser could not make out (a ``document`` whose ``note`` holds the raw line, the
  parser's contract) prints that line - ``render.as-written``;
* an entry the style rendered empty (only its number and punctuation: a type or a set of fields
  the style has no place for) prints the reference's original text - ``render.blank``;
* an item the engine failed on (already reported as ``render.failed``) keeps its place in the
  list with its original text instead of vanishing.

The original text is the line read (text input), else the note, else the reference's values;
numeric styles keep the entry's number ("12. ").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model import Reference
from .engine import RenderedEntry
from .styles import StyleInfo

if TYPE_CHECKING:
    from typing import Protocol

    class RefsById(Protocol):
        """References looked up by id: a dict, or a :class:`~transcite.store.SpilledLibrary`."""

        def get(self, ref_id: str, /) -> Reference | None: ...

__all__ = ["complete", "is_unparsed", "original_text"]

#: The entry's own label in numeric styles: "12. ", "[12] ", "12 ".
_LABEL = re.compile(r"^\s*((?:<[^>]+>)*\\?\[?\d+\\?[\].]?(?:</[^>]+>)*\s*)")
#: html entries of styles that align the number: the number's block, then the entry's block
_MARGIN = re.compile(r'^(\s*<div class="csl-left-margin">.*?</div>)')
_TAGS = re.compile(r"<[^>]+>")
_PLAIN_FIELDS = ("title", "container-title", "collection-title", "publisher-place", "publisher",
                 "volume", "issue", "page", "number", "genre", "URL", "DOI")


def is_unparsed(ref: Reference) -> bool:
    """True for a line the parser kept as written: a ``document`` with the raw line in its note
    and nothing else made out of it."""
    note = ref.fields.get("note", "")
    if ref.type != "document" or not note.strip():
        return False
    if ref.origin is not None and ref.origin.raw and ref.origin.raw.strip() == note.strip():
        return True
    return not any(ref.fields.get(v) for v in ("title", "container-title")) and not any(
        n for n in ref.names.values())


def original_text(ref: Reference) -> str:
    """The text of the reference as the user gave it, as closely as transcite knows it."""
    o = ref.origin
    if o is not None and o.raw and o.format == "text":
        return " ".join(o.raw.split())
    note = ref.fields.get("note", "").strip()
    if note:
        return " ".join(note.split())
    parts: list[str] = []
    for names in ref.names.values():
        parts.extend(n.display() for n in names if n.literal != "others")
    parts.extend(ref.fields[v] for v in _PLAIN_FIELDS if ref.fields.get(v))
    for date in ref.dates.values():
        if date.year:
            parts.append(str(date.year))
            break
    return _joined([p.strip() for p in parts if p and p.strip()]) or ref.id


def _joined(parts: list[str]) -> str:
    """Parts as sentences: "Аминов, Р. З. 2499307" (no doubled period)."""
    out = ""
    for p in parts:
        if out:
            out += " " if out.endswith(".") else ". "
        out += p
    return out


def _escaped(text: str, output: str) -> str:
    """Plain text for the output format (html entities, markdown's special characters)."""
    if output not in ("html", "markdown"):
        return text
    from .csl.output import render

    return render(text, output)


def _blank(text: str) -> bool:
    """True when an entry shows nothing but its label and punctuation."""
    body = _LABEL.sub("", _TAGS.sub("", text) if "<" in text else text, count=1)
    return not any(c.isalnum() for c in body)


def _label(text: str, numeric: bool) -> str:
    if not numeric:
        return ""
    m = _LABEL.match(text)
    return m.group(1) if m else ""


def complete(entries: list[RenderedEntry], ids: list[str], refs: RefsById,
             style: StyleInfo, output: str, tell: Callable[[Reference, str, str], object],
             failed: frozenset[str] | set[str] = frozenset()) -> list[RenderedEntry]:
    """``entries`` for ``ids`` in order, none blank and none missing (see the module
    docstring); ``tell`` reports a problem for a reference; ``failed`` are the ids the engine
    failed on (already reported)."""
    got = {e.id: e for e in entries}
    # (every entry numbered: the first unnumbered one ends the look)
    numeric = style.citation_format == "numeric" or (bool(entries) and all(
        _label(e.text, True) for e in entries))
    first: list[str | None] = []    # the first numbered entry, looked for when needed
    out = []
    for n, ref_id in enumerate(ids, 1):
        entry = got.get(ref_id)
        ref = refs.get(ref_id)
        if ref is None:
            if entry is not None:
                out.append(entry)
            continue
        if is_unparsed(ref):
            why: tuple[str, str] | None = (
                "render.as-written", "printed as written: the reference could not be made "
                "out (check the line, or add its fields)")
        elif entry is None and ref_id in failed:
            why = None      # the engine failed on it: already reported as render.failed
        elif entry is None or _blank(entry.text):
            why = ("render.blank", f"the style {style.name!r} shows nothing for this "
                   f"{ref.type!r} reference; printed as written")
        else:
            out.append(entry)
            continue
        if why is not None:
            tell(ref, *why)
        if not first:
            first.append(next((e.text for e in entries if _label(e.text, True)), None))
        pattern = first[0]
        if entry is not None:
            label = _label(entry.text, True)
        elif pattern is not None:
            label = re.sub(r"\d+", str(n), _label(pattern, numeric), count=1)
        else:
            label = f"{n}. " if numeric else ""
        text = _escaped(original_text(ref), output)
        margin = _MARGIN.match(entry.text if entry is not None else pattern or "") \
            if output == "html" else None
        if margin is not None:
            number = re.sub(r"\d+", str(n), margin.group(1), count=1) if entry is None \
                else margin.group(1)
            out.append(RenderedEntry(ref_id, f'{number}<div class="csl-right-inline">{text}'
                                             "</div>"))
            continue
        label = label.rstrip() + " " if label.strip() else ""
        out.append(RenderedEntry(ref_id, f"{label}{text}".strip()))
    return out
