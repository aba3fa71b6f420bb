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

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from typing import Any, NamedTuple, cast

from .. import latex
from ..dates import from_year_month_day, parse_date
from ..lang import lang_tag
from ..lazy import lazy_re
from ..model import (
    DATE_VARIABLES,
    NAME_VARIABLES,
    Date,
    Form,
    Name,
    NameVariant,
    Origin,
    Reference,
    Variant,
    scheme_name,
)
from ..names import INITIAL, split_name
from ..notes import CHEATER_VARIABLES
from ..resources import DataError, load_data
from ..writers.bibfields import unprotect_case
from . import ReadContext
from .bibtex_conventions import apply_conventions, entry_type_for, relax_particle
from .bibtex_custom import CUSTOM, restore_custom
from .bibtex_names import InvalidName, name_parts, split_names
from .bibtex_split import RawBlock, RawEntry, RawField

__all__ = ["AFTER", "BEFORE", "attach_blocks", "parse_names", "read_bibtex", "reads_as",
           "romanised_lang", "takes"]

_ET_AL = {"others", "et al.", "et al", "и др.", "и др", "и другие"}
_FAMILY_INITIALS = lazy_re(rf"^[^\W\d_][\w'’-]+\s+(?:{INITIAL}\s?)+$")
_CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "kk", "mk", "ky", "tg", "mn"}
_DASH = lazy_re(r"\s*[–—]\s*")
_BRACKETED = lazy_re(r"^\s*\[(.+)\]\s*\.?\s*$", re.S)
#: Fields whose braced words are kept from case changes (nocase spans).
_PROTECTED = frozenset({"title", "container-title", "collection-title", "event-title",
                        "volume-title", "title-short", "container-title-short"})
_VARIANT_FIELD = lazy_re(r"^(?P<base>[a-z][a-z-]*)_(?P<form>romanised|romanized|translated|"
                         r"original)\d*(?:_(?P<lang>[a-z]+))?$")


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
    names: list[Name] = []
    for raw in split_names(value):
        raw = raw.strip()
        if not raw:
            continue
        if raw.lower() in _ET_AL:
            names.append(Name(literal="others"))
            continue
        if "," not in raw and not raw.startswith("{") and _FAMILY_INITIALS.match(
                latex.decode(raw, protect=False)):
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


#: Field names the reader gives a meaning of their own (besides its mapping tables).
_SPECIAL = frozenset({"langid", "language", "hyphenation", "year", "month", "day", "subtitle",
                      "entrysubtype", "csltype", "romanisation", "origtitle", "origlanguage",
                      "number", "issue"})


def takes(key: str) -> bool:
    """True when a field of this name is read as more than a kept field: a mapped field, a
    CSL variable (``original-title``), a variant form (``title_romanised``)."""
    low = key.lower()
    if low in _tables()["$where"] or low in _SPECIAL or low == CUSTOM:
        return True
    csl = low.replace("_", "-")
    if csl in CHEATER_VARIABLES or csl in NAME_VARIABLES:
        return True
    return "_" in low and _VARIANT_FIELD.match(low) is not None


def reads_as(field: str) -> str | None:
    """The CSL variable the reader maps a BibTeX field (and its variant forms) to, if any."""
    mapped: str | None = _tables()["$bib_to_csl"].get(field.lower())
    return mapped


def variant_of(base: str, tables: dict[str, Any] | None = None) -> str | None:
    """The variable a field ``BASE_romanised`` (``_translated``, ``_original``) holds a form
    of: the one ``BASE`` is mapped to, or a CSL variable written as it is (None: none - the
    field is kept as it is)."""
    return (tables or _tables())["$bib_to_csl"].get(base) or (
        base if base in CHEATER_VARIABLES or base in NAME_VARIABLES else None)


def romanised_lang(item_lang: str | None) -> str:
    """The language a romanised form is taken to be in when its field does not say: the
    item's, when that is written in Cyrillic, otherwise Russian."""
    return item_lang if item_lang and item_lang.split("-")[0] in _CYRILLIC_LANGS else "ru"


_EDTF_CIRCA = re.compile(r"^\s*-?\d{1,4}(?:-\d{1,2}){0,2}[~?%]?"
                         r"(?:/-?\d{1,4}(?:-\d{1,2}){0,2}[~?%]?)?\s*$")


def _date(raw: str) -> Date:
    """A date field: EDTF as biblatex reads it ("2001~" is circa 2001, not 2001 and a
    no-break space), anything else decoded from LaTeX first."""
    if _EDTF_CIRCA.match(raw):
        return parse_date(raw.strip())
    return parse_date(latex.decode(raw, protect=False))


def _issue_field(entry_type: str, csl_type: str, fields: dict[str, str]) -> str:
    """Where BibTeX ``number`` goes: ``issue`` in an ``@article`` or ``@periodical`` (a
    review or a magazine article written as one too: the writer puts its number in ``eid``),
    otherwise ``number``."""
    if entry_type in ("article", "periodical"):
        return "issue"
    if "series" in fields and csl_type in ("book", "chapter", "paper-conference"):
        return "collection-number"
    return "number"


def _convert(entry: RawEntry, ctx: ReadContext, t: dict[str, Any]) -> Reference:
    line = entry.start_line + 1
    raw_fields: dict[str, str] = {}
    original_keys: dict[str, str] = {}
    kept: dict[str, str] = {}       # values not mapped, kept as written
    for f in entry.fields:
        key = f.key.lower()
        value = f.value
        if key in raw_fields:
            earlier = original_keys[key]
            ctx.report.warning("bibtex.duplicate-field",
                               f"field {key!r} appears twice; the later value is used, the "
                               "earlier one kept as it is", file=ctx.file,
                               line=f.start_line + 1, item=entry.key)
            kept[earlier if earlier not in kept else f"{earlier}-{len(kept) + 1}"] = \
                raw_fields[key]
        if latex.too_deep(value):
            ctx.report.error("bibtex.too-deep",
                             f"field {f.key!r} nests braces or commands more than "
                             f"{latex.MAX_DEPTH} deep; it is kept as written, not read",
                             file=ctx.file, line=f.start_line + 1, item=entry.key)
            kept[f.key] = value
            raw_fields.pop(key, None)
            continue
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
            target = _issue_field(entry_type, csl_type, raw_fields)
        value = dec(key, protect=csl in _PROTECTED)
        if csl == "page":
            value = _DASH.sub("-", value)
        ref.fields[target] = value
        used.add(key)
    if "number" in raw_fields and raw_fields["number"].strip():
        target = _issue_field(entry_type, csl_type, raw_fields)
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
    for key in raw_fields:      # a CSL name or date variable written as a field
        csl = key.replace("_", "-")
        if key in used or not raw_fields[key].strip():
            continue
        if csl in NAME_VARIABLES and csl not in ref.names:      # illustrator = {...}
            ref.names[csl] = parse_names(raw_fields[key])
            used.add(key)
        elif csl in DATE_VARIABLES and csl not in ref.dates and csl not in date_fields.values():
            ref.dates[csl] = _date(raw_fields[key])
            used.add(key)                                       # submitted = {2012-04-19}

    for _, key in mapped.get("date_fields", ()):
        csl = date_fields[key]
        if raw_fields[key].strip():
            ref.dates[csl] = _date(raw_fields[key])
            used.add(key)
    if "issued" not in ref.dates and raw_fields.get("year", "").strip():
        month = raw_fields.get("month")
        if month is not None:
            month = latex.decode(month, protect=False)
            mnum = t["months"].get(month.strip().lower()[:3])
            if mnum and not month.strip().isdigit():
                month = str(mnum)
        day = raw_fields.get("day")
        date = from_year_month_day(latex.decode(raw_fields["year"], protect=False), month, day)
        if date is not None:
            ref.dates["issued"] = date
        used.update(("year", "month"))
        if day is not None and day.strip() and date is not None and date.parts and \
                len(date.parts[0]) < 3:     # a day the date cannot hold: kept, not dropped
            why = "is not a day of the month" if len(date.parts[0]) == 2 else \
                "comes without a month"
            ctx.report.warning("bibtex.odd-day", f"day = {{{day}}} {why}; the field is kept "
                               "as it is", file=ctx.file, line=line, item=ref_id)
        else:
            used.add("day")

    # variants ------------------------------------------------------------------------------
    if "origtitle" in raw_fields and "title" in ref.fields:
        orig = dec("origtitle")
        orig_lang = lang_tag(latex.decode(raw_fields.get("origlanguage", ""), protect=False))
        ref.add_variant("title", Variant(orig, Form.ORIGINAL, orig_lang))
        # the title beside an origtitle is a translation
        ref.add_variant("title", Variant(ref.fields["title"], Form.TRANSLATED, lang or "en"))
        used.update(("origtitle", "origlanguage"))
    scheme = scheme_name(latex.decode(raw_fields.get("romanisation", ""),
                                      protect=False).strip() or None)
    if scheme:
        used.add("romanisation")
    for key in list(raw_fields):
        m = _VARIANT_FIELD.match(key) if "_" in key else None
        if not m or m.group("lang") == "scheme":
            continue
        base = m.group("base")
        of_var = variant_of(base, t)
        if of_var is None:
            continue
        csl = of_var
        form = {"romanised": Form.ROMANISED, "romanized": Form.ROMANISED,
                "translated": Form.TRANSLATED}.get(m.group("form"), Form.ORIGINAL)
        if form is Form.ROMANISED:  # a romanisation's language is its Cyrillic source's
            v_lang = lang_tag(m.group("lang")) if m.group("lang") else romanised_lang(lang)
        elif form is Form.TRANSLATED:
            v_lang = lang_tag(m.group("lang")) if m.group("lang") else "en"
        else:           # an original form: its language only when the field names one
            v_lang = lang_tag(m.group("lang")) if m.group("lang") else None
        own_scheme = raw_fields.get(f"{key}_scheme", "")
        f_scheme = scheme_name(latex.decode(own_scheme, protect=False).strip()) or scheme
        used.update((key, f"{key}_scheme"))
        if csl in ref.names:
            forms = parse_names(raw_fields[key])
            targets = ref.names[csl]
            if len(forms) != len(targets):
                ctx.report.warning(
                    "bibtex.variant-count",
                    f"{key} lists {len(forms)} names but {base} has {len(targets)};"
                    " the field is kept as it is", file=ctx.file, line=line, item=ref_id)
                used.discard(key)
                used.discard(f"{key}_scheme")
                continue
            for target_name, form_name in zip(targets, forms):
                if not form_name.parts_equal(target_name):   # the same name: no other form
                    target_name.variants.append(NameVariant(
                        form_name, form, v_lang, f_scheme if form is Form.ROMANISED else None))
        elif csl not in NAME_VARIABLES:     # (a form of a field need not have the field)
            ref.add_variant(csl, Variant(dec(key, protect=csl in _PROTECTED), form, v_lang,
                                         f_scheme if form is Form.ROMANISED else None))
        else:
            used.discard(key)
            used.discard(f"{key}_scheme")
    for _, key in mapped.get("addon_fields", ()):     # after title_translated_english: the
        csl = addon_fields[key]                         # same form is not added twice
        m = _BRACKETED.match(dec(key))
        if m and csl in ref.fields:
            ref.add_variant(csl, Variant(m.group(1).strip(), Form.TRANSLATED, "en"))
            used.add(key)
    if "csltype" in raw_fields:
        ref.type = latex.decode(raw_fields["csltype"], protect=False).strip() or ref.type
        used.add("csltype")
    if subtype and entry_type_for(t, entry_type, subtype) != entry_type_for(t, entry_type, ""):
        used.add("entrysubtype")
    apply_conventions(ref, entry_type, raw_fields, used, lang)

    for key, value in raw_fields.items():
        if key in used:
            continue
        csl = key if key in CHEATER_VARIABLES else key.replace("_", "-")   # archive_location
        if csl in CHEATER_VARIABLES and csl not in ref.fields and value.strip():
            ref.fields[csl] = dec(key, protect=csl in _PROTECTED)  # a CSL variable as a field
        else:
            ref.extra[original_keys[key]] = value
    ref.extra.update(kept)
    if CUSTOM in raw_fields:
        restore_custom(ref, raw_fields[CUSTOM])
    return ref


#: Keys of :attr:`Reference.extra` holding the text around entries, kept as written (comments,
#: ``@preamble``, ``@string``, ``@comment``, blocks that could not be read): the blocks before
#: an entry, and after the last one. ``@`` cannot start a BibTeX field name.
BEFORE = "@before"
AFTER = "@after"


def read_bibtex(text: str, ctx: ReadContext) -> Iterator[Reference]:
    """Read BibTeX/BibLaTeX text; failed blocks become errors, the rest is read.

    Well-formed files are split by :mod:`transcite.readers.bibtex_split`; any other file is
    read by bibtexparser, which finds and reports its syntax errors. Everything between the
    entries - comments, ``@preamble``, ``@string``, ``@comment``, unreadable blocks - is kept
    as written in the next entry's ``extra["@before"]`` (the last entry's ``extra["@after"]``
    for what follows it), so that writing BibTeX puts it back where it was.
    """
    from .bibtex_split import split_entries

    tables = _tables()
    blocks: list[RawBlock] = []
    fast = split_entries(text, blocks=blocks)
    if fast is None:
        blocks = []
        items = _read_with_bibtexparser(text, ctx, blocks)
    else:
        items = [(entry, None) for entry in fast]
    yield from _with_blocks(items, blocks, ctx, tables)


class _Failed(NamedTuple):
    """A block bibtexparser could not read: its 0-based line, raw text and the reason."""

    start_line: int
    raw: str
    reason: str


#: An entry and, when bibtexparser read it, how its values were enclosed.
_Item = tuple[RawEntry, dict[str, str] | None] | _Failed


def _with_blocks(items: list[_Item], blocks: list[RawBlock], ctx: ReadContext,
                 tables: dict[str, Any]) -> Iterator[Reference]:
    """The entries converted (unreadable blocks reported in their place), each holding the
    blocks before it, the last also those after it."""
    count = sum(not isinstance(item, _Failed) for item in items)
    pending = iter(blocks)
    block = next(pending, None)
    n = 0
    for item in items:
        if isinstance(item, _Failed):
            first = item.raw.strip().splitlines()[:1]
            head = first[0][:60] if first else ""
            ctx.report.error("bibtex.syntax", f"cannot read the entry starting here "
                             f"({head!r}): {item.reason}; it is kept as written",
                             file=ctx.file, line=item.start_line + 1, raw=item.raw)
            continue
        entry, enclosing = item
        if enclosing is not None:
            entry = _split_run_on(entry, enclosing, ctx)
        ref = _convert(entry, ctx, tables)
        while block is not None and (block.before <= n or n == count - 1):
            ref.extra.setdefault(BEFORE if block.before <= n else AFTER, []).append(block.raw)
            block = next(pending, None)
        n += 1
        yield ref
    if count == 0 and blocks:
        ctx.report.warning("bibtex.no-entries", f"{ctx.file or 'the input'} holds no entries, "
                           f"only {len(blocks)} comment(s) or other block(s)", file=ctx.file)


def attach_blocks(refs: Sequence[Reference], blocks: Iterable[RawBlock]) -> None:
    """Give each block to the reference read after it (``extra["@before"]``), or to the last
    reference (``extra["@after"]``) when none is; as :func:`read_bibtex` does."""
    for block in blocks:
        if block.before < len(refs):
            refs[block.before].extra.setdefault(BEFORE, []).append(block.raw)
        elif refs:
            refs[-1].extra.setdefault(AFTER, []).append(block.raw)


def _from_bibtexparser(entry: Any) -> RawEntry:
    return RawEntry(entry.entry_type, entry.key, [
        RawField(f.key, f.value if isinstance(f.value, str) else str(f.value), f.start_line)
        for f in entry.fields], entry.start_line, entry.raw)


def _split_run_on(entry: RawEntry, enclosing: dict[str, str], ctx: ReadContext) -> RawEntry:
    """Fields whose value runs into the next field (``author = {Roe, R.}`` then ``title = {T},``
    on the next line: a comma is missing) split in two, and reported."""
    from .bibtex_split import missing_comma, strip_enclosing

    fields: list[RawField] = []
    changed = False
    for f in entry.fields:
        if enclosing.get(f.key) != "no-enclosing":
            fields.append(f)
            continue
        key, value, line = f.key, f.value, f.start_line
        while True:
            cut = missing_comma(value)
            if cut is None:
                fields.append(RawField(key, value, line))
                break
            head, rest = value[:cut].strip(), value[cut:].lstrip()
            new_key, _, new_value = rest.partition("=")
            new_key = new_key.strip()
            new_line = line + value.count("\n", 0, len(value) - len(rest))
            ctx.report.error("bibtex.missing-comma",
                             f"@{entry.entry_type}{{{entry.key}}}: the value of {key!r} runs "
                             f"into '{new_key} =': a comma is missing after {head[-40:]!r}; "
                             "read as two fields", file=ctx.file, line=new_line + 1,
                             item=entry.key, raw=value)
            fields.append(RawField(key, strip_enclosing(head), line))
            changed = True
            key, value, line = new_key, new_value.strip(), new_line
            stripped = strip_enclosing(value)
            if stripped != value:
                fields.append(RawField(key, stripped, line))
                break
    return entry._replace(fields=fields) if changed else entry


def _read_with_bibtexparser(text: str, ctx: ReadContext, blocks: list[RawBlock]
                            ) -> list[_Item]:
    """The entries bibtexparser reads and the blocks it cannot, in order (the text between
    entries appended to ``blocks``)."""
    import logging  # (bibtexparser imports it too)

    from bibtexparser.entrypoint import parse_string
    from bibtexparser.middlewares import RemoveEnclosingMiddleware
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False
    library = parse_string(text)
    key = RemoveEnclosingMiddleware.metadata_key()
    items: list[_Item] = []
    n = 0
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block,
                                                                     Entry):
            # keep the entry: Library.add renames it and reports the clash; bibtexparser's
            # middlewares skip the duplicate: strip its braces ourselves
            # (an Entry in, an Entry out: its transform_entry)
            block = cast(Entry, RemoveEnclosingMiddleware().transform_block(
                block.ignore_error_block, library))
        if isinstance(block, Entry):
            enclosing = block.parser_metadata.get(key, {}) if isinstance(
                block.parser_metadata, dict) else {}
            items.append((_from_bibtexparser(block), enclosing))
            n += 1
            continue
        raw = block.raw if isinstance(block.raw, str) else ""
        if isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error or "")
            reason = re.sub(r"\s+", " ", reason).strip() or "syntax error"
            items.append(_Failed(block.start_line or 0, raw, reason))
    blocks.extend(_between(text, [item[0].raw for item in items
                                  if not isinstance(item, _Failed)]))
    return items


def _between(text: str, raws: list[str]) -> list[RawBlock]:
    """The text around entries (their raw text, in order), each stretch as written, stripped:
    what bibtexparser's blocks would give, without the characters it drops where a broken
    block ends."""
    out: list[RawBlock] = []
    pos = 0
    for n, raw in enumerate([*raws, None]):
        at = len(text) if raw is None else text.find(raw, pos)
        if at < 0:              # (an entry's raw text is a slice of the text: not expected)
            continue
        stretch = text[pos:at]
        if stretch.strip():
            lead = len(stretch) - len(stretch.lstrip())
            out.append(RawBlock(n, stretch.strip(), text.count("\n", 0, pos + lead)))
        if raw is not None:
            pos = at + len(raw)
    return out
