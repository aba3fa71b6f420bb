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
from ..dates import from_year_month_day, parse_date, text_reads_back
from ..lang import babel_name
from ..model import CSL_TYPES, Date, Form, Name, NameVariant, Reference
from ..notes import CUSTOM, DATE_MARK, NAME_MARK, variant_json
from ..readers.bibtex import AFTER, BEFORE, reads_as, romanised_lang, takes, variant_of
from ..resources import load_data
from . import bibfields

__all__ = ["write_biblatex", "write_bibtex"]

_ORDER = ["author", "editor", "translator", "container-author", "title", "container-title",
          "collection-title", "volume-title", "event-title", "event-place", "edition", "volume",
          "number-of-volumes", "issue", "number", "collection-number", "chapter-number", "page",
          "number-of-pages", "publisher", "publisher-place", "genre", "medium", "DOI", "ISBN",
          "ISSN", "URL", "language", "abstract", "keyword", "note"]
_VERBATIM = {"DOI", "URL"}
_RANGE = re.compile(r"(?<=\S)-(?=\S)")
#: Fields whose braces protect words from case changes (the reader makes them nocase spans).
_PROTECTED = frozenset({"title", "container-title", "collection-title", "event-title",
                        "volume-title", "title-short", "container-title-short"})
#: Fields pandoc and biblatex's \\MakeSentenceCase lower-case (biblatex names)
_SENTENCE_CASED = {"title", "booktitle", "maintitle", "series", "eventtitle", "origtitle"}
#: biblatex list fields: an "and" inside a value would split it
_LISTS = {"publisher", "location", "address", "organization", "institution", "school"}
_AND = re.compile(r"(?:^|\s)(?:and|AND|And)(?:\s|$)")
_PUBSTATE_KEYS = {v: k for k, v in bibfields.PUBSTATES.items()}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


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
            # (both particles, "Anne de von Stael": both in the "von" part, the name exactly
            # in transcite-custom, see _entry)
            particle = " ".join(p for p in (n.dropping_particle, n.non_dropping_particle) if p)
            if particle and not family:
                family = "{}"   # "van {}": without it the particle would read as the family
            elif (" " in family and (not particle or not all(
                    w[:1].isupper() for w in family.split()))) or _needs_group(family):
                # after a particle, a word not starting upper-case would join the "von" part
                family = "{" + family + "}"
            elif family.lower() == "others":  # a person called Others, not "and others"
                family = "{" + family[0] + "}" + family[1:]
            # either particle goes in BibTeX's "von" part; the entry's useprefix option says
            # which kind it is (see bibfields.name_option)
            family = f"{_von(particle)} {family}" if particle else family
            parts = [family]
            if n.suffix:
                suffix = latex.encode(n.suffix, protect=False)
                parts.append("{" + suffix + "}" if _needs_group(suffix) else suffix)
            if n.given:
                given = latex.encode(n.given, protect=False)
                parts.append("{" + given + "}" if _needs_group(given) else given)
            elif n.suffix or family.startswith("{") or particle:
                # no given name: a lone braced word is an organisation, and "van Smith" reads
                # as given name and family (bibtexparser), "van Smith, {}" as particle and family
                parts.append("{}")
            out.append(", ".join(parts))
    return " and ".join(out)


def _von(particle: str) -> str:
    """A particle as BibTeX's "von" part: its words must start lower-case, so a capitalised one
    ("De", "Van") is braced behind ``\\relax``, which BibTeX reads as lower-case."""
    words = []
    for word in latex.encode(particle, protect=False).split():
        words.append(word if not word[:1].isupper() else "{\\relax " + word + "}")
    text = " ".join(words)
    return "{" + text + "}" if _needs_group(text) else text


def _edtf(date: Date) -> str:
    return date.iso() if date.parts else (date.literal or date.raw or "")


def _variant_of(name: str) -> str | None:
    """The variable whose form a field ``NAME_romanised`` (``_translated``...) is read as
    (None: none, and the field is kept as it is)."""
    if not _SAFE_KEY.fullmatch(name) or "_" in name:
        return None
    return variant_of(name)


def _reads_back(date: Date, edtf: bool) -> bool:
    """True when the date written as EDTF (:func:`_edtf`), or - not ``edtf`` - as BibTeX's
    ``year``/``month``/``day`` (:func:`_bibtex_date`), reads back as the same date: not so
    for parts no calendar has, such as a 122nd day (read as text, or left out)."""
    first = date.parts[0]
    if edtf or _bibtex_needs_date(date):
        return parse_date(_edtf(date)).to_csl() == date.to_csl()
    back = from_year_month_day(str(first[0]), str(first[1]) if len(first) > 1 else None,
                               str(first[2]) if len(first) > 2 else None)
    return back is not None and back.to_csl() == date.to_csl()


def _bibtex_needs_date(date: Date) -> bool:
    """True when ``year``/``month``/``day`` cannot say the date (a range, an uncertain date,
    a season): :func:`_bibtex_date` writes it as EDTF too."""
    first = date.parts[0]
    return len(date.parts) > 1 or date.circa or (len(first) > 1 and not 1 <= first[1] <= 12)


def _bibtex_date(date: Date, put: Callable[[str, str], None], raw: set[str],
                 with_day: bool = True) -> None:
    """``year``, ``month`` (as BibTeX's month macro, which every style prints by name) and
    ``day`` (not ``with_day``: none - a day no month has goes along whole, see the writer);
    a range or an uncertain date also as ``date`` (EDTF) so nothing is lost."""
    first = date.parts[0]
    years = sorted({p[0] for p in date.parts})
    put("year", str(years[0]) if len(years) == 1 else f"{years[0]}--{years[-1]}")
    if len(first) > 1 and 1 <= first[1] <= 12 and len(years) == 1:
        put("month", _MONTHS[first[1] - 1])
        raw.add("month")
    if len(first) > 2 and len(date.parts) == 1 and with_day:
        put("day", str(first[2]))
    if _bibtex_needs_date(date):
        put("date", _edtf(date))


#: Where a reader takes BibTeX ``number`` for the series' number (with ``series``)
SERIES_NUMBERED = ("book", "chapter", "paper-conference")


def _series_numbered(csl_type: str, fields: dict[str, str]) -> bool:
    """True when the reader takes ``number`` for the series' number: a book, chapter or
    paper with a series (``collection-title``)."""
    return csl_type in SERIES_NUMBERED and "collection-title" in fields


def _field_name(csl: str, bib_type: str, biblatex: bool, fields: dict[str, str],
                csl_type: str = "") -> str | None:
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
    # `number` as the reader reads it: the issue in an @article or @periodical, the series'
    # number in a book, chapter or paper with a series, else the number
    periodical = bib_type in ("article", "periodical")
    series = _series_numbered(csl_type, fields)
    if csl == "issue":
        return "number" if periodical else "issue"
    if csl == "number":
        return "eid" if bib_type == "article" else "number"
    if csl == "collection-number":
        return "number" if series and not periodical else None
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
#: (Kept fields that cannot be written as fields of their own - a key no BibTeX reads, a value
#: that is not text, a name taken by a field written - go into one field, notes.CUSTOM, as
#: JSON; transcite.readers.bibtex_custom reads it back.)
#: Under this key of :data:`CUSTOM`: the id, when it cannot be a BibTeX key.
_ID = "@id"
#: An id a BibTeX key can be: no delimiter, no space.
_SAFE_ID = re.compile(r"[^\s,{}()=\"#%'@~\\]+")


def _key(ref_id: str) -> str:
    """The entry key: the id, or the id with the characters a key cannot hold replaced."""
    if _SAFE_ID.fullmatch(ref_id):
        return ref_id
    return re.sub(r"[\s,{}()=\"#%'@~\\]", "_", ref_id) or "_"


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

    custom: dict[str, Any] = {}
    prefixed = any(n.non_dropping_particle for names in ref.names.values() for n in names)
    protect = bibfields.needs_protection(ref)
    fields = ref.fields
    lang = fields.get("language")
    for var in _ORDER + sorted(set(fields) - set(_ORDER)) + sorted(
            set(ref.names) - set(_ORDER)):
        if var in ref.names:
            bib = {"container-author": "bookauthor"}.get(var, var)
            put(bib, _bib_names(ref.names[var]))   # BibTeX ignores the ones it does not know
            # one "von" part cannot say which particle is which, nor one useprefix option
            # (true once any name of the entry has a non-dropping particle) a dropping one
            exact_names = {str(i): n.to_csl() for i, n in enumerate(ref.names[var])
                           if n.dropping_particle and (n.non_dropping_particle or prefixed)}
            if exact_names:
                custom[f"{NAME_MARK}{var}"] = exact_names
            continue
        if var not in fields:
            continue
        value = fields[var]
        if var == "genre" and out_type in ("phdthesis", "mastersthesis") and value in (
                "PhD thesis", "Master's thesis"):
            continue  # the entry type says it
        if var == "status" and biblatex:
            continue  # pubstate, below
        if var == "number" and (out_type == "periodical" or (
                _series_numbered(ref.type, fields) and out_type != "article")):
            # (`number` is the series' number here, or a periodical's issue, and biblatex's
            # @periodical has no eid)
            custom["@number"] = value
            continue
        name = _field_name(var, out_type, biblatex, fields, ref.type)
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
        if name == "organization" and out_type == "online":
            item = latex.encode(value, protect=False)   # (read back as it is, unprotected)
            item = "{" + item + "}" if _AND.search(value) else item
            if name in written:  # the owner after the site: organization = {Site and Owner}
                lines = [(k, f"{v} and {item}" if k == name else v) for k, v in lines]
            put(name, item)
        elif protect and name in _SENTENCE_CASED:
            put(name, _case_protected(value, var in _PROTECTED))
        elif name in _LISTS and _AND.search(value):
            put(name, "{" + latex.encode(value, protect=var in _PROTECTED) + "}")  # one item
        else:
            put(name, latex.encode(value, protect=var in _PROTECTED))
    for var, date in ref.dates.items():
        exact = not _reads_back(date, biblatex or var != "issued") if date.parts else \
            not text_reads_back(date)
        if exact:   # parts no calendar has (a 122nd day), a raw text: the date goes along
            custom[f"{DATE_MARK}{var}"] = date.to_csl()
        if var == "issued":
            if date.parts and biblatex:
                put("date", _edtf(date))
            elif date.parts:
                _bibtex_date(date, put, raw, with_day=not exact)
            elif biblatex:
                put("pubstate", latex.encode(_PUBSTATE_KEYS.get(_edtf(date), _edtf(date)),
                                             protect=False))
            else:
                put("year", latex.encode(date.literal or date.raw or "", protect=False))
        else:
            name = {"accessed": "urldate", "event-date": "eventdate",
                    "original-date": "origdate"}.get(var, var)
            put(name, _edtf(date) if date.parts else latex.encode(_edtf(date), protect=False))
    if biblatex and "status" in fields:
        # pubstate is the status; without a date it reads back as the date ("in press"), and
        # an undated issued may hold it already: the status then goes along exactly
        issued = ref.dates.get("issued")
        if issued is None or not issued.parts:
            custom["@status"] = fields["status"]
            custom[f"{DATE_MARK}issued"] = issued.to_csl() if issued is not None else None
        put("pubstate", latex.encode(_PUBSTATE_KEYS.get(fields["status"], fields["status"]),
                                     protect=False))
    if lang:
        put("langid", babel_name(lang) or latex.encode(lang, protect=False))
        if not biblatex or bibfields.accepts(out_type, "language"):
            # what Zotero's BibTeX import reads
            put("language", babel_name(lang) or latex.encode(lang, protect=False))
    if subtype:
        put("entrysubtype", subtype)
    elif ref.type not in CSL_TYPES and ref.type:
        # read back as written (the reader honours csltype; its specials escaped)
        put("csltype", latex.encode(ref.type, protect=False))
    option = bibfields.name_option(list(ref.names.values()))
    if option:
        existing = ref.extra.get("options")
        put("options", bibfields.merge_option(existing if isinstance(existing, str) else None,
                                              option))

    # variants: biblatex-ms style fields (a second form of the same kind numbered:
    # title_romanised2); one `romanisation` when every romanised form shares its scheme
    schemes: set[str | None] = set()
    taken: dict[str, int] = {}

    def variant_key(name: str, form: str, lang: str | None = None) -> str:
        stem = f"{name}_{form}"
        n = taken[f"{stem}_{lang}"] = taken.get(f"{stem}_{lang}", 0) + 1
        return stem + (str(n) if n > 1 else "") + (f"_{lang}" if lang else "")

    for var, variants in ref.variants.items():
        name = _field_name(var, out_type, biblatex, fields, ref.type) or var.lower()
        if reads_as(name) not in (None, var):   # organization: read as the publisher
            name = var.lower()                  # (title_... read by the CSL name)
        if _variant_of(name) != var:    # no field reads back as a form of it ("tit:le")
            custom.setdefault("@variants", {})[var] = [variant_json(v) for v in variants]
            continue
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
    elif cite_key is not None and cite_key != ref.id:
        put("ids", ref.id)  # the entry's own key, which BibTeX would confuse with another
    # a field BibTeX names that was kept as written (too deep to read, twice in its entry)
    # goes back as written; from elsewhere, it would be read as that field
    as_read = ref.origin is not None and ref.origin.format == "bibtex"
    for key, value in ref.extra.items():
        if key in (BEFORE, AFTER) or (key == "options" and "options" in written):
            continue        # (options: merged into the one written)
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
    body = ",\n".join(f"  {k.ljust(width)} = {v if k in raw else _braced(v)}"
                      for k, v in lines)
    head = _key(ref.id if cite_key is None else cite_key)
    entry = f"@{out_type}{{{head},\n{body}\n}}\n" if lines else f"@{out_type}{{{head}}}\n"
    return _blocks(ref.extra.get(BEFORE)) + entry + _blocks(ref.extra.get(AFTER), after=True)


def _case_protected(value: str, protect: bool) -> str:
    """A title with the words a sentence-casing reader would lower braced twice (see
    bibfields.protect_case); as it is when it holds the marks' own characters."""
    marked = bibfields.protect_case(value)
    if marked == value or "\ue000" in value or "\ue001" in value:
        return latex.encode(value, protect=protect)
    return bibfields.finish_protection(latex.encode(marked, protect=protect))


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
