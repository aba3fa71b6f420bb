"""BibLaTeX and BibTeX writers (UTF-8).

The main fields hold the values as read. Variant forms are written the way biblatex-ms names
them (``title_romanised``, ``title_translated_english``, ``author_romanised``), and in the places
standard biblatex prints: an English title as ``titleaddon = {[...]}``, the original of a
translated title as ``origtitle``/``origlanguage``. ``langid`` carries the language. Fields
transcite keeps but does not use are written back as they were read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import IO, Any

from .. import latex
from ..lang import babel_name
from ..model import Date, Form, Name, Reference
from ..resources import load_data
from . import bibfields

__all__ = ["write_biblatex", "write_bibtex"]

_ORDER = ["author", "editor", "translator", "container-author", "title", "container-title",
          "collection-title", "volume-title", "event-title", "event-place", "edition", "volume",
          "number-of-volumes", "issue", "number", "collection-number", "chapter-number", "page",
          "number-of-pages", "publisher", "publisher-place", "genre", "medium", "DOI", "ISBN",
          "ISSN", "URL", "language", "abstract", "keyword", "note"]
_VERBATIM = {"DOI", "URL"}
#: Fields pandoc and biblatex's \\MakeSentenceCase lower-case (biblatex names)
_SENTENCE_CASED = {"title", "booktitle", "maintitle", "series", "eventtitle", "origtitle"}
#: biblatex list fields: an "and" inside a value would split it
_LISTS = {"publisher", "location", "address", "organization", "institution", "school"}
_AND = re.compile(r"\s(?:and|AND|And)\s")
_PUBSTATE_KEYS = {v: k for k, v in bibfields.PUBSTATES.items()}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bib_names(names: list[Name]) -> str:
    out = []
    for n in names:
        if n.literal == "others":
            out.append("others")
        elif n.literal:
            out.append("{" + latex.encode(n.literal) + "}")
        else:
            family = latex.encode(n.family or "")
            particle = n.non_dropping_particle or n.dropping_particle
            if " " in family and not particle:
                family = "{" + family + "}"
            elif family.lower() == "others":  # a person called Others, not "and others"
                family = "{" + family[0] + "}" + family[1:]
            # either particle goes in BibTeX's "von" part; the entry's useprefix option says
            # which kind it is (see bibfields.name_option)
            family = f"{_von(particle)} {family}" if particle else family
            parts = [family]
            if n.suffix:
                parts.append(latex.encode(n.suffix))
            if n.given:
                parts.append(latex.encode(n.given))
            elif n.suffix:
                parts.append("")
            out.append(", ".join(parts))
    return " and ".join(out)


def _von(particle: str) -> str:
    """A particle as BibTeX's "von" part: its words must start lower-case, so a capitalised one
    ("De", "Van") is braced behind ``\\relax``, which BibTeX reads as lower-case."""
    words = []
    for word in latex.encode(particle).split():
        words.append(word if not word[:1].isupper() else "{\\relax " + word + "}")
    return " ".join(words)


def _edtf(date: Date) -> str:
    return date.iso() if date.parts else (date.literal or date.raw or "")


def _bibtex_date(date: Date, put: Callable[[str, str], None], raw: set[str]) -> None:
    """``year``, ``month`` (as BibTeX's month macro, which every style prints by name) and
    ``day``; a range or an uncertain date also as ``date`` (EDTF) so nothing is lost."""
    first = date.parts[0]
    years = sorted({p[0] for p in date.parts})
    put("year", str(years[0]) if len(years) == 1 else f"{years[0]}--{years[-1]}")
    if len(first) > 1 and 1 <= first[1] <= 12 and len(years) == 1:
        put("month", _MONTHS[first[1] - 1])
        raw.add("month")
    if len(first) > 2 and len(date.parts) == 1:
        put("day", str(first[2]))
    if len(date.parts) > 1 or date.circa or (len(first) > 1 and not 1 <= first[1] <= 12):
        put("date", _edtf(date))


def _field_name(csl: str, bib_type: str, biblatex: bool, fields: dict[str, str]) -> str | None:
    if bib_type == "online" and csl in ("container-title", "publisher"):
        return "organization"  # the site's name and owner: @online's one slot for either
    if csl == "container-title":
        if bib_type in ("article", "periodical"):
            return "journaltitle" if biblatex else "journal"
        return "booktitle"
    if csl == "publisher" and biblatex and bib_type == "misc":
        return "organization"
    if csl == "publisher":
        if bib_type in ("thesis", "phdthesis", "mastersthesis"):
            return "institution" if biblatex else "school"
        if bib_type in ("report", "techreport"):
            return "institution"
        return "publisher"
    if csl == "publisher-place":
        return "location" if biblatex else "address"
    if csl == "issue":
        return "number"
    if csl == "number":
        return "number" if "issue" not in fields else "eid"
    if csl == "collection-number":
        return "number" if "issue" not in fields and "number" not in fields else None
    if csl == "number-of-pages":
        return "pagetotal"
    if csl == "language":
        return None
    return _reverse_fields().get(csl)


@cache
def _reverse_fields() -> dict[str, str]:
    """CSL variable -> the first BibTeX field that maps to it."""
    table: dict[str, str] = load_data("bibtex.json")["text_fields"]
    return {v: k for k, v in reversed(list(table.items()))}


def _braced(value: str) -> str:
    depth = 0
    for ch in value:
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", r"\{").replace("}", r"\}")
    return "{" + value + "}"


def _entry(ref: Reference, biblatex: bool, cite_key: str | None = None) -> str:
    tables: dict[str, Any] = load_data("bibtex.json")
    out_type, subtype = bibfields.entry_type(ref, tables, biblatex)
    lines: list[tuple[str, str]] = []
    written: set[str] = set()
    raw: set[str] = set()  # fields written as macros, without braces (month = sep)

    def put(name: str, value: str) -> None:
        if name in written or value == "":
            return
        written.add(name)
        lines.append((name, value))

    protect = bibfields.needs_protection(ref)
    fields = ref.fields
    lang = fields.get("language")
    for var in _ORDER + sorted(set(fields) - set(_ORDER)) + sorted(
            set(ref.names) - set(_ORDER)):
        if var in ref.names:
            bib = {"container-author": "bookauthor"}.get(var, var)
            if var in ("author", "editor", "translator", "container-author") or biblatex:
                put(bib, _bib_names(ref.names[var]))
            continue
        if var not in fields:
            continue
        value = fields[var]
        if var == "genre" and out_type in ("phdthesis", "mastersthesis") and value in (
                "PhD thesis", "Master's thesis"):
            continue  # the entry type says it
        if var == "status" and biblatex:
            continue  # pubstate, below
        name = _field_name(var, out_type, biblatex, fields)
        if name is None:
            if var != "language":
                put(var.lower(), latex.encode(value))  # a CSL variable with no BibTeX field
            continue
        if var == "page":
            value = value.replace("–", "-").replace("-", "--") if "--" not in value else value
        if name == "organization" and out_type == "online":
            item = latex.encode(value)
            item = "{" + item + "}" if _AND.search(value) else item
            if name in written:  # the owner after the site: organization = {Site and Owner}
                lines = [(k, f"{v} and {item}" if k == name else v) for k, v in lines]
            put(name, item)
        elif protect and name in _SENTENCE_CASED:
            put(name, bibfields.finish_protection(latex.encode(bibfields.protect_case(value))))
        elif name in _LISTS and _AND.search(value):
            put(name, "{" + latex.encode(value) + "}")  # one item, not a list
        else:
            put(name, latex.encode(value, verbatim=var in _VERBATIM))
    for var, date in ref.dates.items():
        if var == "issued":
            if date.parts and biblatex:
                put("date", _edtf(date))
            elif date.parts:
                _bibtex_date(date, put, raw)
            elif biblatex:
                put("pubstate", latex.encode(_PUBSTATE_KEYS.get(_edtf(date), _edtf(date))))
            else:
                put("year", latex.encode(date.literal or date.raw or ""))
        else:
            name = {"accessed": "urldate", "event-date": "eventdate",
                    "original-date": "origdate"}.get(var, var)
            put(name, _edtf(date))
    if biblatex and "status" in fields:
        put("pubstate", latex.encode(_PUBSTATE_KEYS.get(fields["status"], fields["status"])))
    if lang:
        put("langid", babel_name(lang) or lang)
        if not biblatex or bibfields.accepts(out_type, "language"):
            put("language", babel_name(lang) or lang)  # what Zotero's BibTeX import reads
    if subtype:
        put("entrysubtype", subtype)
    option = bibfields.name_option(list(ref.names.values()))
    if option:
        existing = ref.extra.get("options")
        put("options", bibfields.merge_option(existing if isinstance(existing, str) else None,
                                              option))

    # variants: biblatex-ms style fields; one `romanisation` when every romanised form shares it
    schemes: set[str | None] = set()
    for var, variants in ref.variants.items():
        name = _field_name(var, out_type, biblatex, fields) or var.lower()
        for v in variants:
            if v.form is Form.ROMANISED:
                put(f"{name}_romanised", latex.encode(v.text))
                schemes.add(v.scheme)
                if v.scheme:
                    put(f"{name}_romanised_scheme", v.scheme)
            elif v.form is Form.TRANSLATED:
                babel = babel_name(v.lang) or (v.lang or "english")
                put(f"{name}_translated_{babel}", latex.encode(v.text))
            elif v.form is Form.ORIGINAL and v.text != fields.get(var):
                if var == "title" and fields.get(var) and any(
                        x.form is Form.TRANSLATED and x.text == fields[var] for x in variants):
                    put("origtitle", latex.encode(v.text))
                    if v.lang:
                        put("origlanguage", babel_name(v.lang) or v.lang)
                else:
                    put(f"{name}_original", latex.encode(v.text))
    for var, names in ref.names.items():
        bib = {"container-author": "bookauthor"}.get(var, var)
        romanised = [n.variant(Form.ROMANISED) for n in names]
        if any(romanised):
            forms = [r.name if r else n for r, n in zip(romanised, names)]
            put(f"{bib}_romanised", _bib_names(forms))
            name_schemes = {r.scheme for r in romanised if r}
            schemes.update(name_schemes)
            if len(name_schemes) == 1 and None not in name_schemes:
                put(f"{bib}_romanised_scheme", str(next(iter(name_schemes))))
    if len(schemes) == 1 and None not in schemes:
        lines = [(k, v) for k, v in lines if not k.endswith("_romanised_scheme")]
        put("romanisation", str(next(iter(schemes))))

    if cite_key is not None and cite_key != ref.id:
        put("ids", ref.id)  # the entry's own key, which BibTeX would confuse with another
    for key, value in ref.extra.items():
        if key in written or key.lower() in written:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        written.add(key)
        lines.append((key, text))
    if not biblatex and out_type == "phdthesis" and "genre" not in fields:
        lines.append(("type", ""))  # BibTeX cannot say "a thesis of unknown kind": keep it empty
    width = max((len(k) for k, _ in lines), default=0)
    body = ",\n".join(f"  {k.ljust(width)} = {v if k in raw else _braced(v)}"
                      for k, v in lines)
    head = ref.id if cite_key is None else cite_key
    return f"@{out_type}{{{head},\n{body}\n}}\n" if lines else f"@{out_type}{{{head}}}\n"


def write_biblatex(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write BibLaTeX entries (journaltitle, date, location, langid, variants)."""
    first = True
    for ref in refs:
        if not first:
            out.write("\n")
        out.write(_entry(ref, biblatex=True))
        first = False


def write_bibtex(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write classic BibTeX entries (journal, year/month, address) in UTF-8.

    BibTeX compares keys without case: of two keys that differ only in case (``smith2000``,
    ``Smith2000``) the later is written as ``Smith2000-2`` with ``ids = {Smith2000}``, which
    transcite reads back as ``Smith2000``."""
    first = True
    seen: set[str] = set()
    for ref in refs:
        if not first:
            out.write("\n")
        key = ref.id
        n = 2
        while key.lower() in seen:
            key = f"{ref.id}-{n}"
            n += 1
        seen.add(key.lower())
        out.write(_entry(ref, biblatex=False, cite_key=key))
        first = False
