"""Decisions the BibTeX and BibLaTeX writers share: entry types, the fields an entry type
accepts, case protection of titles, name particles and literal dates.

The data model (``data/biblatex-datamodel.json``, biber's own, see
``tools/biblatex_datamodel.py``) says which fields each BibLaTeX entry type accepts: biber drops
any other field of the entry ("Invalid field 'publisher' for entrytype 'online'"), so the writer
picks the entry type and the field names with it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..lazy import lazy_re
from ..model import CSL_TYPES, Name, Reference
from ..resources import DataError, load_data

__all__ = ["PUBSTATES", "accepts", "entry_type", "name_option", "protect_case",
           "unprotect_case"]

#: biblatex ``pubstate`` keys and the CSL literal date each stands for.
PUBSTATES = {"inpress": "in press", "forthcoming": "forthcoming", "submitted": "submitted",
             "prepublished": "prepublished"}

_DATE_FIELDS = {"date", "urldate", "eventdate", "origdate"}


@cache
def _datamodel() -> dict[str, Any]:
    data: dict[str, Any] = load_data("biblatex-datamodel.json")
    for key in ("entrytypes", "fields", "entryfields", "gost_entryfields"):
        if key not in data:
            raise DataError(f"biblatex-datamodel.json: '{key}' is missing")
    return data


@cache
def _accepted(entry_type: str) -> frozenset[str]:
    dm = _datamodel()
    fields = set(dm["entryfields"].get("*", ())) | set(dm["entryfields"].get(entry_type, ()))
    return frozenset(fields)


def accepts(entry_type: str, field: str) -> bool:
    """True when biber's data model accepts ``field`` in a BibLaTeX ``@entry_type``."""
    if field in _DATE_FIELDS:
        return field != "eventdate" or "eventtitle" in _accepted(entry_type)
    return field in _accepted(entry_type)


def has_fields(entry_type: str) -> bool:
    """True when the data model gives ``entry_type`` fields of its own (biber treats the others,
    ``@legislation``, ``@standard``..., as types that accept no title or author)."""
    return entry_type in _datamodel()["entryfields"]


def read_type(tables: dict[str, Any], entry_type: str, subtype: str | None) -> str | None:
    """The CSL type the BibTeX reader gives ``@entry_type`` with ``entrysubtype``."""
    types_in: dict[str, str] = tables["types_in"]
    if subtype:
        found = types_in.get(f"{entry_type}/{subtype}")
        if found:
            return found
        if subtype in CSL_TYPES:
            return subtype
    return types_in.get(entry_type)


def entry_type(ref: Reference, tables: dict[str, Any], biblatex: bool) -> tuple[str, str | None]:
    """(entry type, entrysubtype) for a reference; the subtype is the CSL type whenever the
    entry type alone would read back as another CSL type."""
    out = tables["types_out"].get(ref.type, "misc")
    subtype = None
    if "/" in out:
        out, subtype = out.split("/", 1)
    genre = ref.fields.get("genre", "")
    if ref.type == "thesis":
        if genre == "PhD thesis":
            out = "phdthesis"
        elif genre == "Master's thesis":
            out = "mastersthesis"
        elif not biblatex:
            out = "mastersthesis" if "master" in genre.lower() else "phdthesis"
    elif ref.type == "report" and (not biblatex or not genre):
        out = "techreport"
    elif out == "online" and "container-title" not in ref.fields and "publisher" in ref.fields:
        out = "misc"  # @online has one slot (organization) and it holds the site's name
    if biblatex and out not in ("phdthesis", "mastersthesis", "techreport") \
            and not has_fields(out):
        # a review in a journal: an @article, as biblatex's manual says @review is (its
        # journal, issue and number are fields @misc does not take); else @misc
        out = "article" if out == "review" and "container-title" in ref.fields else "misc"
    if not biblatex:
        out = tables["bibtex_types_out"].get(out, out)
    if ref.type not in CSL_TYPES:
        return out, None    # a type as written that CSL does not know: the writer's csltype
    if read_type(tables, out, subtype) != ref.type:
        subtype = ref.type
    return out, subtype


# -- case protection ------------------------------------------------------------------------

_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKUP = lazy_re(r"(<[^>]+>)")
_WORD = lazy_re(r"\S+")
_DOUBLE = lazy_re(r"\{\{((?:[^{}\s]|\{[^{}\s]*\})+)\}\}")     # (a word may hold \emph{x})


def needs_protection(ref: Reference) -> bool:
    """True when sentence-casing readers would change this reference's titles: pandoc and
    biblatex's ``\\MakeSentenceCase`` lower-case English titles (and titles without a language)
    unless words are braced. transcite prints a title as it holds it, so the export protects
    it for them to print it the same (a title read from BibTeX too: its braces come back)."""
    lang = ref.fields.get("language")
    return not lang or lang.split("-")[0].lower() == "en"


def protect_case(text: str) -> str:
    """Mark the words of a title (CSL markup) that carry capitals a sentence-casing reader
    would lower: every such word except a first word capitalised only at its first letter.
    The marks become ``{{word}}`` after LaTeX encoding (:func:`finish_protection`).

    >>> finish_protection(protect_case("Russian-Japanese relations and C#"))
    '{{Russian-Japanese}} relations and {{C#}}'
    """
    if _OPEN in text or _CLOSE in text:
        return text
    out: list[str] = []
    nocase = 0
    first = True
    after_stop = False
    for piece in _MARKUP.split(text):
        if piece.startswith("<") and piece.endswith(">"):
            if piece.startswith('<span class="nocase"'):
                nocase += 1
            elif piece == "</span>" and nocase:
                nocase -= 1
            out.append(piece)
            continue
        if nocase:
            out.append(piece)
            first = first and not piece.strip()
            continue

        def wrap(m: re.Match[str]) -> str:
            nonlocal first, after_stop
            word = m.group(0)
            was_first, first = first, False
            was_after_stop, after_stop = after_stop, word.endswith((":", "?", "!"))
            if was_after_stop and word[:1].islower():
                return f"{_OPEN}{word}{_CLOSE}"  # pandoc capitalises a word after a colon
            if not any(ch.isupper() for ch in word):
                return word
            if was_first and not any(ch.isupper() for ch in word[1:]):
                return word
            return f"{_OPEN}{word}{_CLOSE}"

        out.append(_WORD.sub(wrap, piece))
    return "".join(out)


def finish_protection(encoded: str) -> str:
    """Turn the marks :func:`protect_case` left (through LaTeX encoding) into double braces."""
    return encoded.replace(_OPEN, "{{").replace(_CLOSE, "}}")


def unprotect_case(raw: str) -> str:
    """Undo transcite's own protection in a raw BibTeX title: ``{{word}}`` -> ``word``.

    >>> unprotect_case("{{Russian}} relations, {Kept}")
    'Russian relations, {Kept}'
    """
    if "{{" not in raw:
        return raw

    def unwrap(m: re.Match[str]) -> str:
        # the braces kept "<" and "<" (or "-" and "-") apart: keep them apart ("{}")
        inner, at, end = m.group(1), m.start(), m.end()
        left = "{}" if at and raw[at - 1] + inner[0] in _PAIRS else ""
        right = "{}" if end < len(raw) and inner[-1] + raw[end] in _PAIRS else ""
        return left + inner + right

    return _DOUBLE.sub(unwrap, raw)


_PAIRS = frozenset({"--", "<<", ">>", "``", "''"})


# -- names ------------------------------------------------------------------------------------

def name_option(names: list[list[Name]]) -> str | None:
    """``useprefix=true`` when a name has a non-dropping particle ("van der Waals" sorted and
    printed under "van der"), ``useprefix=false`` when names have only dropping ones ("Ludwig
    van Beethoven", sorted under B); None without particles."""
    flat = [n for group in names for n in group]
    if any(n.non_dropping_particle for n in flat):
        return "useprefix=true"
    if any(n.dropping_particle for n in flat):
        return "useprefix=false"
    return None


def merge_option(existing: str | None, option: str) -> str:
    """An ``options`` value with ``option`` (``key=value``) set, other options kept."""
    key = option.split("=", 1)[0]
    parts = [p.strip() for p in (existing or "").split(",") if p.strip()]
    kept = [p for p in parts if p.split("=", 1)[0].strip() != key]
    return ",".join([*kept, option])
