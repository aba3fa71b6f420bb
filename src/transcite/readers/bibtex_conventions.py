"""BibLaTeX conventions the BibTeX reader applies once an entry's fields are mapped.

Each is the reading side of what :mod:`transcite.writers.biblatex` writes, and of what biber and
biblatex-gost mean by it:

* ``options = {useprefix=false}``: the names' "von" parts are dropping particles ("Ludwig van
  Beethoven", sorted under B); ``useprefix=true`` (or no option) keeps them non-dropping;
* ``@online``'s ``organization``: the site's name (``container-title``), then its owner;
* ``pubstate``: ``status``, or - without a date - the literal date (``in press``, ``в печати``);
* ``@thesis``/``@report`` ``type`` keys (``phdthesis``, ``mathesis``, ``techreport``) as
  the entry types ``@phdthesis``... say them;
* ``language`` beside ``langid`` (written for Zotero) when both name the same language;
* ``ids = {Smith2000}`` on an entry ``Smith2000-2``: the key the BibTeX writer changed because
  BibTeX compares keys without case.
"""

from __future__ import annotations

import re
from typing import Any

from .. import latex
from ..lang import lang_tag
from ..lazy import lazy_re
from ..model import Date, Reference
from ..writers.bibfields import read_type

__all__ = ["apply_conventions", "entry_type_for", "relax_particle", "year_beside_date"]

_PUBSTATES = {"inpress": "in press", "forthcoming": "forthcoming", "submitted": "submitted",
              "prepublished": "prepublished"}
_TYPE_KEYS: dict[str, dict[str, str | None]] = {
    "thesis": {"phdthesis": "PhD thesis", "mathesis": "Master's thesis"},
    "report": {"techreport": None}}
_USEPREFIX = lazy_re(r"^\s*useprefix\s*(?:=\s*(true|false))?\s*$", re.IGNORECASE)


_RELAX = lazy_re(r"^((?:\{\\relax\s+[^{}\s]+\}\s+)+)(?=\S)")


def relax_particle(raw: str) -> tuple[str | None, str]:
    """(particle, rest of the name) when a name starts with ``{\\relax De}`` words - how
    BibTeX is told that a capitalised word is a "von" part - else (None, the name)."""
    m = _RELAX.match(raw)
    if m is None:
        return None, raw
    words = re.findall(r"\{\\relax\s+([^{}\s]+)\}", m.group(1))
    return latex.decode(" ".join(words), protect=False), raw[m.end():]


def _text(value: str) -> str:
    return latex.decode(value, protect=False).strip()


def _split_list(value: str) -> list[str]:
    from .bibtex_names import split_names

    return [t for t in (_text(v) for v in split_names(value)) if t]


def apply_conventions(ref: Reference, entry_type: str, raw: dict[str, str],
                      used: set[str], lang: str | None) -> None:
    """Apply the conventions above to a mapped entry (``raw``: its fields by lower-case name;
    fields read here are added to ``used``)."""
    _particles(ref, raw, used)
    if entry_type == "online" and raw.get("organization", "").strip() \
            and "container-title" not in ref.fields:
        items = _split_list(raw["organization"])
        if items:
            if ref.fields.get("publisher") == _text(raw["organization"]):
                del ref.fields["publisher"]
            ref.fields["container-title"] = items[0]
            if len(items) > 1 and "publisher" not in ref.fields:
                ref.fields["publisher"] = " and ".join(items[1:])
            used.add("organization")
    state = raw.get("pubstate", "").strip()
    if state:
        text = _PUBSTATES.get(state.lower(), _text(state))
        if "issued" not in ref.dates:
            ref.dates["issued"] = Date(literal=text)
        elif "status" not in ref.fields:
            ref.fields["status"] = text
        used.add("pubstate")
    keys = _TYPE_KEYS.get(ref.type, {})
    genre = ref.fields.get("genre")
    if genre is not None and genre in keys:
        meaning = keys[genre]
        if meaning is None:
            del ref.fields["genre"]
        else:
            ref.fields["genre"] = meaning
    issued = ref.dates.get("issued")
    if "date" in raw and issued is not None and issued.parts and "year" in raw:
        year_beside_date(issued, raw, used)
    language = raw.get("language", "").strip()
    if language and lang and lang_tag(_text(language)) == lang:
        used.add("language")
    ids = raw.get("ids", "").strip()
    if ids and re.fullmatch(re.escape(ids) + r"-\d+", ref.id):
        ref.id = ids
        used.add("ids")


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def year_beside_date(issued: Date, raw: dict[str, str], used: set[str]) -> None:
    """``year``/``month``/``day`` that say what ``date`` says (BibTeX's view of a range the
    writer also gave as ``date``) are read with it; differing ones stay as written."""
    years = sorted({p[0] for p in issued.parts})
    year = raw["year"].strip()
    if year not in (str(years[0]) if len(years) == 1 else f"{years[0]}--{years[-1]}",):
        return
    first = issued.parts[0]
    month = raw.get("month", "").strip().lower()
    if month and not (len(first) > 1 and month in (_MONTHS[first[1] - 1] if 1 <= first[1] <= 12
                                                   else "", str(first[1]))):
        return
    day = raw.get("day", "").strip()
    if day and not (len(first) > 2 and day == str(first[2])):
        return
    used.update(k for k in ("year", "month", "day") if k in raw)


def _particles(ref: Reference, raw: dict[str, str], used: set[str]) -> None:
    options = raw.get("options")
    if options is None:
        return
    parts = [p for p in options.split(",") if p.strip()]
    setting = None
    rest = []
    for part in parts:
        m = _USEPREFIX.match(part)
        if m:
            setting = (m.group(1) or "true").lower()
        else:
            rest.append(part.strip())
    particles = [n for names in ref.names.values() for n in names if n.non_dropping_particle]
    if setting is None or not particles:
        return  # the option explains no name: it stays as written
    if setting == "false":
        for name in particles:
            name.dropping_particle, name.non_dropping_particle = name.non_dropping_particle, None
    if rest:
        ref.extra.setdefault("options", ",".join(rest))
    used.add("options")


def entry_type_for(tables: dict[str, Any], entry_type: str, subtype: str) -> str | None:
    """The CSL type of ``@entry_type`` with ``entrysubtype`` (a CSL type name as subtype is
    the type transcite wrote it for)."""
    return read_type(tables, entry_type, subtype or None)
