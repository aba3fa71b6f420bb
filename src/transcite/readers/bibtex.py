"""BibTeX and BibLaTeX reader (bibtexparser v2 for the syntax, transcite's own field mapping).

* Broken entries become errors with their line and raw text; parsing goes on.
* LaTeX accents and escapes become Unicode, ``{Protected}`` words CSL ``nocase`` spans.
* ``langid``/``language`` give the item's language.
* Variant forms are read from BibLaTeX ``origtitle``/``origlanguage``, bracketed ``titleaddon``
  (a translated title), and biblatex-ms style ``<field>_romanised`` and
  ``<field>_translated_<language>`` fields.
* Fields transcite does not map are kept, raw, in ``Reference.extra``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

from .. import latex
from ..dates import from_year_month_day, parse_date
from ..lang import lang_tag
from ..model import Form, Name, NameVariant, Origin, Reference, Variant
from ..names import INITIAL, split_name
from ..notes import CHEATER_VARIABLES
from ..resources import DataError, load_data
from ..writers.bibfields import unprotect_case
from . import ReadContext
from .bibtex_conventions import apply_conventions, entry_type_for, relax_particle
from .bibtex_split import RawEntry, RawField

__all__ = ["parse_names", "read_bibtex"]

_ET_AL = {"others", "et al.", "et al", "и др.", "и др", "и другие"}
_FAMILY_INITIALS = re.compile(rf"^[^\W\d_][\w'’-]+\s+(?:{INITIAL}\s?)+$")
_CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "kk", "mk", "ky", "tg", "mn"}
_DASH = re.compile(r"\s*[–—]\s*")
_BRACKETED = re.compile(r"^\s*\[(.+)\]\s*\.?\s*$", re.S)
_VARIANT_FIELD = re.compile(r"^(?P<base>[a-z]+)_(?P<form>romanised|romanized|translated)"
                            r"(?:_(?P<lang>[a-z]+))?$")


@cache
def _tables() -> dict[str, Any]:
    """bibtex.json, checked, with what the reader derives from it (keys starting with $)."""
    tables: dict[str, Any] = dict(load_data("bibtex.json"))
    for key in ("types_in", "text_fields", "name_fields", "date_fields", "months",
                "addon_fields"):
        if not isinstance(tables.get(key), dict):
            raise DataError(f"bibtex.json: '{key}' must be an object")
    tables["$verbatim"] = frozenset(tables.get("verbatim", ()))
    # for each field key: the tables that map it, and its position in each
    where: dict[str, list[tuple[str, int]]] = {}
    for name in ("text_fields", "name_fields", "date_fields", "addon_fields"):
        for n, key in enumerate(tables[name]):
            where.setdefault(key, []).append((name, n))
    tables["$where"] = where
    tables["$bib_to_csl"] = {**tables["text_fields"], **tables["name_fields"],
                             **{k: "publisher" for k in tables.get("publisher_fallbacks", ())}}
    return tables


def _clean(parts: Sequence[str]) -> str | None:
    text = latex.decode(" ".join(parts), protect=False).strip()
    return text or None


_NameParts = tuple[str | None, str | None, str | None, str | None, str | None]


@lru_cache(maxsize=65536)
def _name_fields(raw: str) -> _NameParts:
    """(family, given, non-dropping particle, suffix, literal) of one (stripped) BibTeX name."""
    from .bibtex_names import InvalidName, name_parts

    try:
        first, von, last, jr = name_parts(raw)
    except InvalidName:  # an odd name: keep its text
        return None, None, None, None, latex.decode(raw, protect=False)
    if not first and not von and not jr and len(last) == 1 and last[0].startswith("{") \
            and last[0].endswith("}"):
        return None, None, None, None, latex.decode(last[0][1:-1], protect=False).strip()
    return _clean(last), _clean(first), _clean(von), _clean(jr), None


def parse_names(value: str) -> list[Name]:
    """Split a BibTeX name list (``A and B and others``) into Names.

    ``others`` becomes ``Name(literal="others")``, transcite's marker for "et al.".
    """
    from .bibtex_names import split_names

    names: list[Name] = []
    for raw in split_names(value):
        raw = raw.strip()
        if not raw:
            continue
        if raw.lower() in _ET_AL:
            names.append(Name(literal="others"))
            continue
        if "," not in raw and _FAMILY_INITIALS.match(latex.decode(raw, protect=False)):
            # "Иванов И.И." - family first, as Russian lists write it; BibTeX's own rule
            # would make "И.И." the family name
            names.append(split_name(latex.decode(raw, protect=False)))
            continue
        particle, raw = relax_particle(raw)  # {\relax De} Gaulle: a capitalised "von"
        family, given, von, suffix, literal = _name_fields(raw)
        von = " ".join(p for p in (particle, von) if p) or None
        names.append(Name(family=family, given=given, non_dropping_particle=von, suffix=suffix,
                          literal=literal))
    return names


def _issue_field(csl_type: str, fields: dict[str, str]) -> str:
    """Where BibTeX ``number`` goes: ``issue`` for periodicals, otherwise ``number``."""
    if csl_type.startswith("article") or csl_type == "periodical":
        return "issue"
    if "series" in fields and csl_type in ("book", "chapter", "paper-conference"):
        return "collection-number"
    return "number"


def _convert(entry: RawEntry, ctx: ReadContext, t: dict[str, Any]) -> Reference:
    line = entry.start_line + 1
    raw_fields: dict[str, str] = {}
    original_keys: dict[str, str] = {}
    for f in entry.fields:
        key = f.key.lower()
        value = f.value
        if key in raw_fields:
            ctx.report.warning("bibtex.duplicate-field",
                               f"field {key!r} appears twice; the later value is used",
                               file=ctx.file, line=f.start_line + 1, item=entry.key)
        raw_fields[key] = value
        original_keys[key] = f.key
    entry_type = entry.entry_type.lower()
    subtype = raw_fields.get("entrysubtype", "").strip().lower()
    csl_type = entry_type_for(t, entry_type, subtype)
    ref_id = entry.key.strip() if entry.key else ""
    if not ref_id:
        ref_id = f"entry-line-{line}"
        ctx.report.error("bibtex.missing-key",
                         f"@{entry.entry_type} entry has no citation key; kept as {ref_id!r}",
                         file=ctx.file, line=line, raw=entry.raw)
    ref = Reference(id=ref_id, origin=Origin(ctx.file, line, "bibtex", entry.raw))
    if csl_type is None:
        ctx.report.warning("bibtex.unknown-type",
                           f"unknown entry type @{entry.entry_type}; read as a generic document",
                           file=ctx.file, line=line, item=ref_id)
        csl_type = "document"
        ref.extra["entrytype"] = entry.entry_type
    ref.type = csl_type
    if csl_type == "thesis" and "type" not in raw_fields:
        if entry_type == "phdthesis":
            ref.fields["genre"] = "PhD thesis"
        elif entry_type == "mastersthesis":
            ref.fields["genre"] = "Master's thesis"

    verbatim = t["$verbatim"]
    text_fields: dict[str, str] = t["text_fields"]
    name_fields: dict[str, str] = t["name_fields"]
    date_fields: dict[str, str] = t["date_fields"]
    addon_fields: dict[str, str] = t["addon_fields"]
    used: set[str] = set()

    # the entry's fields each table maps, in the table's order
    where: dict[str, list[tuple[str, int]]] = t["$where"]
    mapped: dict[str, list[tuple[int, str]]] = {}
    for k in raw_fields:
        for table, position in where.get(k, ()):
            mapped.setdefault(table, []).append((position, k))
    for found in mapped.values():
        found.sort()

    def dec(key: str, protect: bool = True) -> str:
        value = raw_fields[key]
        if key in verbatim:
            return value.strip()
        if protect:
            value = unprotect_case(value)  # the writer's {{Word}} (see writers.bibfields)
        return latex.decode(value, protect=protect).strip()

    # language
    lang = None
    for key in ("langid", "language", "hyphenation"):
        if key in raw_fields and raw_fields[key].strip():
            lang = lang_tag(latex.decode(raw_fields[key], protect=False))
            used.add(key)
            if lang:
                break
    if lang:
        ref.fields["language"] = lang

    for _, key in mapped.get("text_fields", ()):
        csl = text_fields[key]
        if not raw_fields[key].strip():
            used.add(key)  # an empty known field carries nothing
            continue
        if csl in ref.fields:  # journal after journaltitle etc.: the first mapping wins
            continue
        target = csl
        if key == "number" or csl == "issue":
            target = _issue_field(csl_type, raw_fields)
        protect = csl in ("title", "container-title", "collection-title", "event-title",
                          "volume-title", "title-short", "container-title-short")
        value = dec(key, protect=protect)
        if csl == "page":
            value = _DASH.sub("-", value)
        ref.fields[target] = value
        used.add(key)
    if "number" in raw_fields and raw_fields["number"].strip():
        target = _issue_field(csl_type, raw_fields)
        if target not in ref.fields:
            ref.fields[target] = dec("number", protect=False)
            used.add("number")
    if "issue" in raw_fields and raw_fields["issue"].strip() and "issue" not in ref.fields:
        ref.fields["issue"] = dec("issue", protect=False)
        used.add("issue")
    if "subtitle" in raw_fields and "title" in ref.fields:
        sub = dec("subtitle")
        if sub:
            ref.fields["title"] = f"{ref.fields['title']}: {sub}"
        used.add("subtitle")
    if "publisher" not in ref.fields:
        for key in t.get("publisher_fallbacks", ()):
            if key in raw_fields and raw_fields[key].strip():
                ref.fields["publisher"] = dec(key, protect=False)
                used.add(key)
                break

    for _, key in mapped.get("name_fields", ()):
        csl = name_fields[key]
        if raw_fields[key].strip():
            names = parse_names(raw_fields[key])
            if names:
                ref.names.setdefault(csl, []).extend(names)
            used.add(key)

    for _, key in mapped.get("date_fields", ()):
        csl = date_fields[key]
        if raw_fields[key].strip():
            ref.dates[csl] = parse_date(latex.decode(raw_fields[key], protect=False))
            used.add(key)
    if "issued" not in ref.dates and raw_fields.get("year", "").strip():
        month = raw_fields.get("month")
        if month is not None:
            month = latex.decode(month, protect=False)
            mnum = t["months"].get(month.strip().lower()[:3])
            if mnum and not month.strip().isdigit():
                month = str(mnum)
        date = from_year_month_day(latex.decode(raw_fields["year"], protect=False), month,
                                   raw_fields.get("day"))
        if date is not None:
            ref.dates["issued"] = date
        used.update(("year", "month", "day"))

    # variants ------------------------------------------------------------------------------
    if "origtitle" in raw_fields and "title" in ref.fields:
        orig = dec("origtitle")
        orig_lang = lang_tag(latex.decode(raw_fields.get("origlanguage", ""), protect=False))
        ref.add_variant("title", Variant(orig, Form.ORIGINAL, orig_lang))
        # the title beside an origtitle is a translation
        ref.add_variant("title", Variant(ref.fields["title"], Form.TRANSLATED, lang or "en"))
        used.update(("origtitle", "origlanguage"))
    for _, key in mapped.get("addon_fields", ()):
        csl = addon_fields[key]
        m = _BRACKETED.match(dec(key))
        if m and csl in ref.fields:
            ref.add_variant(csl, Variant(m.group(1).strip(), Form.TRANSLATED, "en"))
            used.add(key)
    scheme = raw_fields.get("romanisation", "").strip() or None
    if scheme:
        used.add("romanisation")
    bib_to_csl: dict[str, str] = t["$bib_to_csl"]
    for key in list(raw_fields):
        m = _VARIANT_FIELD.match(key) if "_" in key else None
        if not m or m.group("base") not in bib_to_csl or m.group("lang") == "scheme":
            continue
        csl = bib_to_csl[m.group("base")]
        form = Form.ROMANISED if m.group("form").startswith("romani") else Form.TRANSLATED
        v_lang = lang_tag(m.group("lang")) if m.group("lang") else ("en" if form is
                                                                    Form.TRANSLATED else None)
        if form is Form.ROMANISED:  # a romanisation's language is its Cyrillic source's
            v_lang = lang if lang and lang.split("-")[0] in _CYRILLIC_LANGS else "ru"
        f_scheme = raw_fields.get(f"{key}_scheme", "").strip() or scheme
        used.update((key, f"{key}_scheme"))
        if csl in ref.names:
            forms = parse_names(raw_fields[key])
            targets = ref.names[csl]
            if len(forms) != len(targets):
                ctx.report.warning(
                    "bibtex.variant-count",
                    f"{key} lists {len(forms)} names but {m.group('base')} has {len(targets)};"
                    " the field is kept as it is", file=ctx.file, line=line, item=ref_id)
                used.discard(key)
                continue
            for target_name, form_name in zip(targets, forms):
                target_name.variants.append(NameVariant(form_name, form, v_lang, f_scheme))
        elif csl in ref.fields:
            ref.add_variant(csl, Variant(dec(key), form, v_lang,
                                         f_scheme if form is Form.ROMANISED else None))
        else:
            used.discard(key)
    if "csltype" in raw_fields:
        ref.type = raw_fields["csltype"].strip() or ref.type
        used.add("csltype")
    if subtype and entry_type_for(t, entry_type, subtype) != entry_type_for(t, entry_type, ""):
        used.add("entrysubtype")
    apply_conventions(ref, entry_type, raw_fields, used, lang)

    for key, value in raw_fields.items():
        if key in used:
            continue
        csl = key.replace("_", "-") if key.replace("_", "-") in CHEATER_VARIABLES else None
        if csl is not None and csl not in ref.fields and value.strip():
            ref.fields[csl] = dec(key, protect=False)  # a CSL variable written as a field
        else:
            ref.extra[original_keys[key]] = value
    return ref


def read_bibtex(text: str, ctx: ReadContext) -> Iterator[Reference]:
    """Read BibTeX/BibLaTeX text; failed blocks become errors, the rest is read.

    Well-formed files are split by :mod:`transcite.readers.bibtex_split`; any other file is
    read by bibtexparser, which finds and reports its syntax errors.
    """
    from .bibtex_split import split_entries

    tables = _tables()
    entries = split_entries(text)
    if entries is not None:
        for raw in entries:
            yield _convert(raw, ctx, tables)
        return
    yield from _read_with_bibtexparser(text, ctx, tables)


def _from_bibtexparser(entry: Any) -> RawEntry:
    return RawEntry(entry.entry_type, entry.key, [
        RawField(f.key, f.value if isinstance(f.value, str) else str(f.value), f.start_line)
        for f in entry.fields], entry.start_line, entry.raw)


def _read_with_bibtexparser(text: str, ctx: ReadContext, tables: dict[str, Any]
                            ) -> Iterator[Reference]:
    import bibtexparser
    from bibtexparser.middlewares import RemoveEnclosingMiddleware
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False
    library = bibtexparser.parse_string(text)
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            # keep the entry: Library.add renames it and reports the clash
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                # bibtexparser's middlewares skip the duplicate: strip its braces ourselves
                inner = RemoveEnclosingMiddleware().transform_block(inner, library)
                yield _convert(_from_bibtexparser(inner), ctx, tables)
            continue
        if isinstance(block, ParsingFailedBlock):
            line = (block.start_line or 0) + 1
            first = (block.raw or "").strip().splitlines()[:1]
            head = first[0][:60] if first else ""
            reason = getattr(block.error, "abort_reason", None) or str(block.error or "")
            reason = re.sub(r"\s+", " ", reason).strip() or "syntax error"
            ctx.report.error("bibtex.syntax", f"cannot read the entry starting here "
                             f"({head!r}): {reason}", file=ctx.file, line=line, raw=block.raw)
            continue
        if isinstance(block, Entry):
            yield _convert(_from_bibtexparser(block), ctx, tables)
