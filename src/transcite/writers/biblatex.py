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
from collections.abc import Iterable
from functools import cache
from typing import IO, Any

from .. import latex
from ..lang import babel_name
from ..model import Date, Form, Name, NameVariant, Reference
from ..readers.bibtex import AFTER, BEFORE, romanised_lang, takes
from ..resources import load_data

__all__ = ["write_biblatex", "write_bibtex"]

_ORDER = ["author", "editor", "translator", "container-author", "title", "container-title",
          "collection-title", "volume-title", "event-title", "event-place", "edition", "volume",
          "number-of-volumes", "issue", "number", "collection-number", "chapter-number", "page",
          "number-of-pages", "publisher", "publisher-place", "genre", "medium", "DOI", "ISBN",
          "ISSN", "URL", "language", "abstract", "keyword", "note"]
_ADDON = {"title": "titleaddon", "container-title": "journaltitleaddon"}
_VERBATIM = {"DOI", "URL"}
_RANGE = re.compile(r"(?<=\S)-(?=\S)")
#: Fields whose braces protect words from case changes (the reader makes them nocase spans).
_PROTECTED = frozenset({"title", "container-title", "collection-title", "event-title",
                        "volume-title", "title-short", "container-title-short"})


def _needs_group(part: str) -> bool:
    """True when a name part must be braced to stay one part: a comma or the word ``and``
    would split it."""
    return "," in part or any(w.lower() == "and" for w in part.split())


def _bib_names(names: list[Name]) -> str:
    out = []
    for n in names:
        if n.literal == "others":
            out.append("others")
        elif n.literal:
            out.append("{" + latex.encode(n.literal, protect=False) + "}")
        elif not n.to_csl():
            out.append("{}")    # a name with nothing in it keeps its place in the list
        else:
            family = latex.encode(n.family or "", protect=False)
            if (" " in family and not n.non_dropping_particle) or _needs_group(family):
                family = "{" + family + "}"
            elif family.lower() == "others":  # a person called Others, not "and others"
                family = "{" + family[0] + "}" + family[1:]
            particle = latex.encode(n.non_dropping_particle or "", protect=False)
            if _needs_group(particle):
                particle = "{" + particle + "}"
            family = f"{particle} {family}" if particle else family
            parts = [family]
            if n.suffix:
                suffix = latex.encode(n.suffix, protect=False)
                parts.append("{" + suffix + "}" if _needs_group(suffix) else suffix)
            given = latex.encode(" ".join(p for p in (n.given, n.dropping_particle) if p),
                                 protect=False)
            if given:
                parts.append("{" + given + "}" if _needs_group(given) else given)
            elif n.suffix or family.startswith("{"):
                parts.append("{}")      # no given name (a lone braced word is an organisation)
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
    """The value between braces; every value is escaped before (see :func:`latex.encode`), so
    its braces balance."""
    value = latex.unblock(value)      # "@" + a name part's "{": no block start
    if not latex.raw_safe(value):     # not written by encode: make it safe
        value = latex.encode(value)
    return "{" + value + "}"


def _verbatim(value: str) -> str:
    """A URL or DOI as it is (biber reads them verbatim), or with the characters that would end
    the field percent-encoded (``{`` ``}`` ``\\``) when it cannot be written as it is."""
    if latex.raw_safe(value):
        return value
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(
        "@", "%40")


#: A field name biber, BibTeX and bibtexparser all read.
_SAFE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_:.+-]*")
#: Kept fields that cannot be written as fields of their own (a key no BibTeX reads, a value
#: that is not text, a name taken by a field written) go into this one field, as JSON.
CUSTOM = "transcite-custom"
#: Under this key of :data:`CUSTOM`: the id, when it cannot be a BibTeX key.
_ID = "@id"
#: An id a BibTeX key can be: no delimiter, no space.
_SAFE_ID = re.compile(r"[^\s,{}()=\"#%'@~\\]+")


def _key(ref_id: str) -> str:
    """The entry key: the id, or the id with the characters a key cannot hold replaced."""
    if _SAFE_ID.fullmatch(ref_id):
        return ref_id
    return re.sub(r"[\s,{}()=\"#%'@~\\]", "_", ref_id) or "_"


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
    custom: dict[str, Any] = {}

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
            put(bib, _bib_names(ref.names[var]))   # BibTeX ignores the ones it does not know
            continue
        if var not in fields:
            continue
        value = fields[var]
        if var == "genre" and ref.type == "thesis" and not biblatex and value in (
                "PhD thesis", "Master's thesis"):
            continue
        name = _field_name(var, out_type, biblatex, fields)
        if name is None:
            if var != "language":   # a CSL variable with no BibTeX field
                put(var.lower(), latex.encode(value, protect=var in _PROTECTED))
            continue
        if var == "page" and "--" not in value:     # a range: BibTeX's en dash ("1 - 5" as it is)
            put(name, _RANGE.sub("--", latex.encode(value.replace("–", "-"), protect=False)))
            continue
        if var in _VERBATIM:
            written_value = _verbatim(value)
            if written_value != value:      # percent-encoded: the exact value goes along
                custom[f"@{var}"] = value
            put(name, written_value)
            continue
        put(name, latex.encode(value, protect=var in _PROTECTED))
    for var, date in ref.dates.items():
        if var == "issued":
            if biblatex:
                put("date", _edtf(date) if date.parts else latex.encode(_edtf(date),
                                                                         protect=False))
            elif date.parts:
                first = date.parts[0]
                put("year", str(first[0]) if len(date.parts) == 1
                    else f"{first[0]}--{date.parts[1][0]}")
                if len(first) > 1 and len(date.parts) == 1:
                    put("month", str(first[1]))
                if len(first) > 2 and len(date.parts) == 1:
                    put("day", str(first[2]))
            else:
                put("year", latex.encode(date.literal or date.raw or "", protect=False))
        else:
            name = {"accessed": "urldate", "event-date": "eventdate",
                    "original-date": "origdate"}.get(var, var)
            put(name, _edtf(date) if date.parts else latex.encode(_edtf(date), protect=False))
    if lang:
        put("langid", babel_name(lang) or latex.encode(lang))
    if subtype:
        put("entrysubtype", subtype)
    reverse_type = tables["types_in"].get(f"{out_type}/{subtype}" if subtype else out_type)
    if reverse_type != ref.type:
        put("csltype", latex.encode(ref.type))

    # variants: biblatex-ms style fields (a second form of the same kind numbered:
    # title_romanised2); one `romanisation` when every romanised form shares its scheme
    schemes: set[str | None] = set()
    taken: dict[str, int] = {}

    def variant_key(name: str, form: str, lang: str | None = None) -> str:
        stem = f"{name}_{form}"
        n = taken[f"{stem}_{lang}"] = taken.get(f"{stem}_{lang}", 0) + 1
        return stem + (str(n) if n > 1 else "") + (f"_{lang}" if lang else "")

    for var, variants in ref.variants.items():
        name = _field_name(var, out_type, biblatex, fields) or var.lower()
        for v in variants:
            protect = var in _PROTECTED
            if v.form is Form.ROMANISED:
                key = variant_key(name, "romanised", None if v.lang == romanised_lang(lang)
                                  else _babel(v.lang, None))
                put(key, latex.encode(v.text, protect=protect))
                schemes.add(v.scheme)
                if v.scheme:
                    put(f"{key}_scheme", latex.encode(v.scheme))
            elif v.form is Form.TRANSLATED:
                put(variant_key(name, "translated", _babel(v.lang)),
                    latex.encode(v.text, protect=protect))
                if var in _ADDON and (v.lang or "en").startswith("en") and \
                        _ADDON[var] not in ref.extra:
                    put(_ADDON[var], "[" + latex.encode(v.text, protect=protect) + "]")
            elif v.form is Form.ORIGINAL and v.text != fields.get(var):
                if var == "title" and fields.get(var) and "origtitle" not in written and any(
                        x.form is Form.TRANSLATED and x.text == fields[var] for x in variants):
                    put("origtitle", latex.encode(v.text, protect=protect))
                    if v.lang:
                        put("origlanguage", babel_name(v.lang) or latex.encode(v.lang))
                else:
                    put(variant_key(name, "original", _babel(v.lang, None)),
                        latex.encode(v.text, protect=protect))
    for var, names in ref.names.items():
        bib = {"container-author": "bookauthor"}.get(var, var)
        for (form, form_lang, scheme), forms in _name_forms(names, romanised_lang(lang)):
            key = variant_key(bib, form, form_lang)
            # a name without this form is written as it is: readers take it for no form
            put(key, _bib_names([f.name if f is not None else n for f, n in zip(forms, names)]))
            if form == "romanised":
                schemes.add(scheme)
                if scheme:
                    put(f"{key}_scheme", latex.encode(scheme))
    if len(schemes) == 1 and None not in schemes:
        lines = [(k, v) for k, v in lines if not k.endswith("_romanised_scheme")]
        put("romanisation", latex.encode(str(next(iter(schemes)))))

    if _key(ref.id) != ref.id:
        custom[_ID] = ref.id
    # a field BibTeX names that was kept as written (too deep to read, twice in its entry)
    # goes back as written; from elsewhere, it would be read as that field
    as_read = ref.origin is not None and ref.origin.format == "bibtex"
    for key, value in ref.extra.items():
        if key in (BEFORE, AFTER):
            continue
        if not isinstance(value, str) or not _SAFE_KEY.fullmatch(key) or key in written \
                or key.lower() in written or key == CUSTOM or not latex.raw_safe(value) \
                or (takes(key) and not as_read):
            custom[key] = value     # as JSON: read back exactly (not as a field it names)
            continue
        written.add(key)
        lines.append((key, value))
    if custom:
        lines.append((CUSTOM, _json_field(custom)))
    if not biblatex and out_type == "phdthesis" and "genre" not in fields:
        lines.append(("type", ""))  # BibTeX cannot say "a thesis of unknown kind": keep it empty
    width = max((len(k) for k, _ in lines), default=0)
    body = ",\n".join(f"  {k.ljust(width)} = {_braced(v)}" for k, v in lines)
    key = _key(ref.id)
    entry = f"@{out_type}{{{key},\n{body}\n}}\n" if lines else f"@{out_type}{{{key}}}\n"
    return _blocks(ref.extra.get(BEFORE)) + entry + _blocks(ref.extra.get(AFTER), after=True)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_field(value: Any) -> str:
    """``value`` as JSON a BibTeX field holds as it is: braces and ``@`` inside strings are
    written as JSON escapes (``\\u007b``), so every brace left is JSON's own, balanced."""
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_STRING.sub(lambda m: m.group(0).replace("{", "\\u007b").replace(
        "}", "\\u007d").replace("@", "\\u0040"), text)


def _blocks(blocks: Any, after: bool = False) -> str:
    """Comments and other blocks kept from a BibTeX file, as they were written."""
    if not isinstance(blocks, list) or not blocks:
        return ""
    text = "\n\n".join(str(b) for b in blocks)
    return f"\n{text}\n" if after else f"{text}\n\n"


def _babel(tag: str | None, default: str | None = "english") -> str | None:
    """The language part of a variant field's name (``english``), letters only."""
    name = babel_name(tag) or tag or default
    if name is None:
        return None
    return re.sub(r"[^a-z]", "", name.lower()) or default


def _name_forms(names: list[Name], romanised: str
                ) -> list[tuple[tuple[str, str | None, str | None], list[NameVariant | None]]]:
    """The other forms of a name list, by kind: for each (form, language, scheme), and for the
    k-th form of that kind a name has, the form of each name (None where it has none). A
    romanised form's language is named only when it is not ``romanised`` (what readers
    take it to be)."""
    groups: dict[tuple[str, str | None, str | None, int], list[NameVariant | None]] = {}
    for i, n in enumerate(names):
        seen: dict[tuple[str, str | None, str | None], int] = {}
        for nv in n.variants:
            if nv.form is Form.ROMANISED:
                kind = ("romanised", None if nv.lang == romanised else _babel(nv.lang, None),
                        nv.scheme)
            elif nv.form is Form.TRANSLATED:
                kind = ("translated", _babel(nv.lang), None)
            else:
                kind = ("original", _babel(nv.lang, None), None)
            k = seen[kind] = seen.get(kind, 0) + 1
            slot = groups.setdefault((*kind, k), [None] * len(names))
            slot[i] = nv
    order = ("romanised", "translated", "original")
    return [(key[:3], forms) for key, forms in sorted(
        groups.items(), key=lambda g: (g[0][3], order.index(g[0][0])))]


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
