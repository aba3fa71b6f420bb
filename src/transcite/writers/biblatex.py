"""BibLaTeX and BibTeX writers (UTF-8).

The main fields hold the values as read. Variant forms are written the way biblatex-ms names
them (``title_romanised``, ``title_translated_english``, ``author_romanised``), and in the places
standard biblatex prints: an English title as ``titleaddon = {[...]}``, the original of a
translated title as ``origtitle``/``origlanguage``. ``langid`` carries the language. Fields
transcite keeps but does not use are written back as they were read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import IO, Any

from .. import latex
from ..lang import babel_name
from ..model import Date, Form, Name, Reference
from ..resources import load_data

__all__ = ["write_biblatex", "write_bibtex"]

_ORDER = ["author", "editor", "translator", "container-author", "title", "container-title",
          "collection-title", "volume-title", "event-title", "event-place", "edition", "volume",
          "number-of-volumes", "issue", "number", "collection-number", "chapter-number", "page",
          "number-of-pages", "publisher", "publisher-place", "genre", "medium", "DOI", "ISBN",
          "ISSN", "URL", "language", "abstract", "keyword", "note"]
_ADDON = {"title": "titleaddon", "container-title": "journaltitleaddon"}
_VERBATIM = {"DOI", "URL"}


def _bib_names(names: list[Name]) -> str:
    out = []
    for n in names:
        if n.literal == "others":
            out.append("others")
        elif n.literal:
            out.append("{" + latex.encode(n.literal) + "}")
        else:
            family = latex.encode(n.family or "")
            if " " in family and not n.non_dropping_particle:
                family = "{" + family + "}"
            elif family.lower() == "others":  # a person called Others, not "and others"
                family = "{" + family[0] + "}" + family[1:]
            family = f"{latex.encode(n.non_dropping_particle)} {family}" \
                if n.non_dropping_particle else family
            parts = [family]
            if n.suffix:
                parts.append(latex.encode(n.suffix))
            given = " ".join(p for p in (n.given, n.dropping_particle) if p)
            if given:
                parts.append(latex.encode(given))
            elif n.suffix:
                parts.append("")
            out.append(", ".join(parts))
    return " and ".join(out)


def _edtf(date: Date) -> str:
    return date.iso() if date.parts else (date.literal or date.raw or "")


def _field_name(csl: str, bib_type: str, biblatex: bool, fields: dict[str, str]) -> str | None:
    if csl == "container-title":
        if bib_type in ("article", "periodical"):
            return "journaltitle" if biblatex else "journal"
        return "booktitle"
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


def _entry(ref: Reference, biblatex: bool) -> str:
    tables: dict[str, Any] = load_data("bibtex.json")
    out_type = tables["types_out"].get(ref.type, "misc")
    subtype = None
    if "/" in out_type:
        out_type, subtype = out_type.split("/", 1)
    if not biblatex:
        out_type = tables["bibtex_types_out"].get(out_type, out_type)
        if out_type == "phdthesis" and "master" in ref.fields.get("genre", "").lower():
            out_type = "mastersthesis"
    lines: list[tuple[str, str]] = []
    written: set[str] = set()

    def put(name: str, value: str) -> None:
        if name in written or value == "":
            return
        written.add(name)
        lines.append((name, value))

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
        if var == "genre" and ref.type == "thesis" and not biblatex and value in (
                "PhD thesis", "Master's thesis"):
            continue
        name = _field_name(var, out_type, biblatex, fields)
        if name is None:
            if var != "language":
                put(var.lower(), latex.encode(value))  # a CSL variable with no BibTeX field
            continue
        if var == "page":
            value = value.replace("–", "-").replace("-", "--") if "--" not in value else value
        put(name, latex.encode(value, verbatim=var in _VERBATIM))
    for var, date in ref.dates.items():
        if var == "issued":
            if biblatex:
                put("date", _edtf(date))
            elif date.parts:
                first = date.parts[0]
                put("year", str(first[0]) if len(date.parts) == 1
                    else f"{first[0]}--{date.parts[1][0]}")
                if len(first) > 1 and len(date.parts) == 1:
                    put("month", str(first[1]))
                if len(first) > 2 and len(date.parts) == 1:
                    put("day", str(first[2]))
            else:
                put("year", latex.encode(date.literal or date.raw or ""))
        else:
            name = {"accessed": "urldate", "event-date": "eventdate",
                    "original-date": "origdate"}.get(var, var)
            put(name, _edtf(date))
    if lang:
        put("langid", babel_name(lang) or lang)
    if subtype:
        put("entrysubtype", subtype)
    reverse_type = tables["types_in"].get(f"{out_type}/{subtype}" if subtype else out_type)
    if reverse_type != ref.type:
        put("csltype", ref.type)

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
                if var in _ADDON and (v.lang or "en").startswith("en") and \
                        _ADDON[var] not in ref.extra:
                    put(_ADDON[var], "[" + latex.encode(v.text) + "]")
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

    for key, value in ref.extra.items():
        if key in written or key.lower() in written:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        written.add(key)
        lines.append((key, text))
    if not biblatex and out_type == "phdthesis" and "genre" not in fields:
        lines.append(("type", ""))  # BibTeX cannot say "a thesis of unknown kind": keep it empty
    width = max((len(k) for k, _ in lines), default=0)
    body = ",\n".join(f"  {k.ljust(width)} = {_braced(v)}" for k, v in lines)
    return f"@{out_type}{{{ref.id},\n{body}\n}}\n" if lines else f"@{out_type}{{{ref.id}}}\n"


def write_biblatex(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write BibLaTeX entries (journaltitle, date, location, langid, variants)."""
    first = True
    for ref in refs:
        if not first:
            out.write("\n")
        out.write(_entry(ref, biblatex=True))
        first = False


def write_bibtex(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write classic BibTeX entries (journal, year/month, address) in UTF-8."""
    first = True
    for ref in refs:
        if not first:
            out.write("\n")
        out.write(_entry(ref, biblatex=False))
        first = False
