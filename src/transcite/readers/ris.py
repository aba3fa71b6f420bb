"""RIS reader.

Records run from ``TY`` to ``ER``; a line without a tag continues the previous value. Text
outside a record, a record without ``ER`` and unknown types are reported with their line. ``TT``
is a translated title; ``N1`` note lines in ``key: value`` form restore fields and variants
that RIS has no tag for (see :mod:`transcite.notes`). Unknown tags are kept as extras.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..dates import parse_date
from ..lang import lang_tag
from ..latex import strip_markup
from ..model import NAME_VARIABLES, Date, Form, Name, NameVariant, Origin, Reference, Variant
from ..names import split_name
from ..notes import (
    CUSTOM,
    DATE_MARK,
    NOTE,
    decode_name,
    decode_name_value,
    parse_note_line,
    restore_date,
    restore_variants,
)
from ..resources import DataError, load_data
from ..writers.ris import ISBN_SHAPE as _ISBN
from ..writers.ris import ISSN_SHAPE as _ISSN
from ..writers.ris import PARAGRAPH, as_read, keywords, one_line, sn_pieces
from . import ReadContext
from .csljson import variant_from_tag
from .keys import make_key

__all__ = ["read_ris", "ris_name", "stream_ris"]

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _tables() -> dict[str, Any]:
    t: dict[str, Any] = load_data("ris.json")
    for key in ("types_in", "text_tags", "name_tags", "date_tags"):
        if not isinstance(t.get(key), dict):
            raise DataError(f"ris.json: '{key}' must be an object")
    return t


def _ris_date(value: str) -> Date:
    """``2017/09/06/``, ``2017///``, ``2017`` or free text."""
    v = value.strip()
    m = re.match(r"^(\d{4})(?:/(\d{0,2})(?:/(\d{0,2})(?:/(.*))?)?)?$", v)
    if m:
        parts: tuple[int, ...] = (int(m.group(1)),)
        if m.group(2):
            parts += (int(m.group(2)),)
            if m.group(3):
                parts += (int(m.group(3)),)
        return Date(parts=(parts,))
    return parse_date(v)


def _exact_identifiers(ref: Reference, exact: dict[str, str], sn_read: list[tuple[str, str]],
                       markup: dict[str, str]) -> None:
    """ISBN and ISSN as the note lines give them exactly, where an ``SN`` line could not
    hold them (a line break or a control character in one, an ISBN of an ISSN's shape):
    each takes back the SN pieces its exact value reads as - when the SN lines still hold
    them all, else (an SN line edited by hand) the lines win - and the pieces left go to
    the identifier their shape says (one with none left, and a note line: the note's)."""
    fixed = set()
    for var, value in exact.items():
        want = sn_pieces(as_read(value))
        left = list(sn_read)
        for piece in want:
            found = next((k for k, (_, got) in enumerate(left) if got == piece), None)
            if found is None:
                break
            del left[found]
        else:
            if want:
                sn_read[:] = left
                ref.fields[var] = value
                markup.pop(var, None)
                fixed.add(var)
    if fixed:
        for var in ("ISBN", "ISSN"):
            if var not in fixed:
                rest = [piece for shape, piece in sn_read if shape == var]
                if rest:
                    ref.fields[var] = " ".join(rest)
                elif var in exact:      # (no SN line: the note line holds it alone)
                    ref.fields[var] = exact[var]
                    markup.pop(var, None)
                else:
                    ref.fields.pop(var, None)


class _Record:
    __slots__ = ("line", "raw", "tags")

    def __init__(self, line: int) -> None:
        self.line = line
        self.tags: list[tuple[str, str, int]] = []
        self.raw: list[str] = []


def _convert(rec: _Record, ctx: ReadContext, t: dict[str, Any], used_ids: set[str]) -> Reference:
    ref = Reference(id="", origin=Origin(ctx.file, rec.line, "ris", "\n".join(rec.raw)))
    where = {"file": ctx.file, "line": rec.line}
    sp = ep = None
    notes: list[str] = []
    et_al: list[str] = []
    pending_variants: list[tuple[str, str, str]] = []
    pending_names: list[tuple[str, int, str, str]] = []
    ty = next((v.strip().upper() for tag, v, _ in rec.tags if tag == "TY"), "")
    name_tags = {**t["name_tags"], **t.get("names_by_type", {}).get(ty, {})}
    text_tags = {**t["text_tags"], **t.get("text_by_type", {}).get(ty, {})}
    markup: dict[str, str] = {}
    exact_ids: dict[str, str] = {}      # ISSN/ISBN exactly, from a note line (see below)
    sn_read: list[tuple[str, str]] = []     # the SN lines' identifiers, as their shape says
    for tag, value, line in rec.tags:
        value = value.strip().replace(PARAGRAPH, "\n")
        if tag == "TY":
            ty = value.upper()
            csl = t["types_in"].get(ty)
            if csl is None:
                ctx.report.warning("ris.unknown-type", f"unknown RIS type {value!r}; read as a "
                                   "generic document", file=ctx.file, line=line)
                csl = "document"
                ref.extra["TY"] = value
            ref.type = csl
        elif not value:
            continue
        elif tag == "ID":
            ref.id = value
        elif tag in name_tags:
            var = name_tags[tag]
            name = ris_name(value)
            if name is not None:
                ref.names.setdefault(var, []).append(name)
        elif tag in t["date_tags"]:
            var = t["date_tags"][tag]
            if var not in ref.dates or tag == "DA":
                date = _ris_date(value)
                old = ref.dates.get(var)
                # DA is more precise than PY; keep whichever has more parts
                if old is None or (date.parts and len(date.parts[0]) > len(old.parts[0]
                                                                          if old.parts else ())):
                    ref.dates[var] = date
        elif tag == "SP":
            sp = value
        elif tag == "EP":
            ep = value
        elif tag == "SN" and text_tags.get("SN") and not _ISSN.match(value) \
                and not _ISBN.match(value) and text_tags["SN"] not in ref.fields:
            ref.fields[text_tags["SN"]] = value  # a report's, patent's or standard's number
        elif tag == "SN":
            for piece in sn_pieces(value):
                var = "ISSN" if _ISSN.match(piece) else "ISBN"
                sn_read.append((var, piece))
                ref.fields[var] = f"{ref.fields[var]} {piece}" if var in ref.fields else piece
        elif tag == "TT":
            pending_variants.append(("title", "TT", value))
        elif tag == "KW":
            ref.fields["keyword"] = (f"{ref.fields['keyword']}, {value}"
                                     if "keyword" in ref.fields else value)
        elif tag in ("N1", "RN"):
            plain: list[str] = []
            for note_line in note_lines(value):
                if note_line.startswith("et-al: ") and note_line[7:].strip() in NAME_VARIABLES:
                    et_al.append(note_line[7:].strip())
                    continue
                parsed = parse_note_line(note_line, NAME_VARIABLES)
                if parsed is None:
                    plain.append(note_line)
                elif parsed.kind == "field":
                    if parsed.key in ("ISSN", "ISBN"):
                        exact_ids[parsed.key] = parsed.value
                    if parsed.key not in ref.fields:
                        ref.fields[parsed.key] = parsed.value
                    elif parsed.value != ref.fields[parsed.key]:
                        markup[parsed.key] = parsed.value  # the tag's value, exactly
                elif parsed.kind == "variant":
                    pending_variants.append((parsed.key, parsed.tag or "", parsed.value))
                elif parsed.kind == "name-variant":
                    pending_names.append((parsed.key, parsed.index or 0, parsed.tag or "",
                                          parsed.value))
                elif parsed.kind == "name":
                    ref.names.setdefault(parsed.key, []).append(decode_name(parsed.value))
                elif parsed.kind == "date":
                    ref.dates[parsed.key] = parse_date(parsed.value)
                else:
                    ref.extra[parsed.key] = parsed.value
            text = "\n".join(plain).strip()
            if text:
                notes.append(text)
        elif tag in text_tags:
            var = text_tags[tag]
            if var == "language":
                value = lang_tag(value) or value
            if var not in ref.fields:
                ref.fields[var] = value
            elif ref.fields[var] != value:
                ref.extra.setdefault(tag, value)
        elif tag == "ER":
            continue
        else:
            ref.extra[tag] = f"{ref.extra[tag]}\n{value}" if tag in ref.extra else value
    _exact_identifiers(ref, exact_ids, sn_read, markup)
    for var, value in markup.items():
        line_value = one_line(strip_markup(value)).replace(PARAGRAPH, "\n")
        if var == "keyword":    # as its KW lines read back
            line_value = ", ".join(p for p in (one_line(strip_markup(kw)).strip()
                                               for kw in keywords(value)) if p)
        if line_value.strip() == (ref.fields.get(var) or "").strip() and var in ref.fields:
            # (a tag's line loses the spaces a markup tag stood beside: "x </i>" -> "x")
            ref.fields[var] = value
        else:
            notes.append(f"{var}: {value}")
    for var in et_al:
        ref.names.setdefault(var, []).append(Name(literal="others"))
    if sp:
        ref.fields["page"] = f"{sp}-{ep}" if ep and ep != sp else sp
    elif ep:
        ref.fields["page"] = ep
    if notes:
        ref.fields["note"] = "\n".join(notes)
    lang = ref.language
    # TT last: the note lines (when transcite wrote them) hold every form in its order
    for var, tag, text in sorted(pending_variants, key=lambda p: p[1] == "TT"):
        if tag == "TT":
            if any(v.form is Form.TRANSLATED and v.lang == "en" and
                   one_line(strip_markup(v.text)) == text for v in ref.variants.get(var, ())):
                continue    # the plain line of a form the notes hold with its markup
            ref.add_variant(var, Variant(text, Form.TRANSLATED, "en"))
        else:
            ref.add_variant(var, variant_from_tag(tag, text, lang))
    for var, index, tag, text in pending_names:
        names = ref.names.get(var, [])
        if tag == "x-parts" and 1 <= index <= len(names):
            exact = _parts(text)
            if exact is not None:       # the name exactly, where its line could not say it
                exact.variants = names[index - 1].variants
                names[index - 1] = exact
                continue
        if 1 <= index <= len(names):
            form_name = decode_name_value(text)
            v = variant_from_tag(tag, form_name.display(), lang)
            names[index - 1].variants.append(NameVariant(form_name, v.form, v.lang, v.scheme))
        else:
            ctx.report.warning("ris.variant-index", f"note names {var} {index}, which does "
                               "not exist; kept as a note", **where)
            ref.fields["note"] = (ref.fields.get("note", "") + f"\n{var} {index} [{tag}]: "
                                  f"{text}").strip()
    note = ref.extra.pop(NOTE, None)
    if isinstance(note, str):       # a note that reads like "key: value" lines, as written
        ref.fields["note"] = note if "note" not in ref.fields else f"{note}\n{ref.fields['note']}"
    custom = ref.extra.get(CUSTOM)
    if isinstance(custom, dict):
        del ref.extra[CUSTOM]
        ref.extra.update({str(k): v for k, v in custom.items()
                          if not (str(k).startswith(DATE_MARK)     # a date written exactly
                                  and restore_date(ref, str(k)[len(DATE_MARK):], v))
                          and not (k == "@variants" and restore_variants(ref, v))
                          and not (k == "@type" and _restore_type(ref, v))
                          and not (k == "@id" and _restore_id(ref, v))})
    if not ref.id:
        ref.id = make_key(ref, used_ids)
    used_ids.add(ref.id)
    return ref


def _restore_type(ref: Reference, value: Any) -> bool:
    """The CSL type a record's TY could not name, from its transcite-custom note."""
    if not isinstance(value, str) or not value.strip():
        return False
    ref.type = value
    ref.extra.pop("TY", None)
    return True


def _restore_id(ref: Reference, value: Any) -> bool:
    """The key an ``ID`` line could not hold as it is, from the transcite-custom note."""
    if not isinstance(value, str) or not value:
        return False
    ref.id = value
    return True


_ET_AL = ("others", "et al.", "et al", "и др.", "и др")


def ris_name(value: str) -> Name | None:
    """The Name an author line (``AU``, ``A2``...) holds: ``Family, Given``, a family name
    alone (``Family,``), an organisation (no comma), the et-al marker; None for nothing."""
    value = value.strip()
    if value.lower() in _ET_AL:
        return Name(literal="others")
    if not value:
        return None
    name = split_name(value, literal_fallback=True)
    return name if name.to_csl() else Name(literal=value)   # (";": kept as written)


def _parts(text: str) -> Name | None:
    """A name from a note's JSON parts (``{"family": ..., "given": ...}``), or None."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    name = Name.from_csl(data)
    return name if name.to_csl() else None


_HTML_NOTE = re.compile(r"^<p>(.*)</p>$", re.S)
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>")
_CHAR_REF = re.compile(r"&#(\d{1,7});")
_LINES = re.compile(r"\r\n|\r|\n")


def note_lines(value: str) -> list[str]:
    """The lines of an N1 value: an HTML note (``<p>a<br/>b</p>``, as Zotero and transcite
    write several lines on one) is split at its breaks and unescaped."""
    m = _HTML_NOTE.match(value.strip())
    if m is None:
        return value.split("\n")
    return [html.unescape(_CHAR_REF.sub(lambda r: chr(int(r.group(1))), part))
            for part in _BREAK.split(m.group(1))]


def read_ris(text: str, ctx: ReadContext) -> Iterator[Reference]:
    """Read RIS text record by record; problems carry their line numbers."""
    return stream_ris(_LINES.split(text.lstrip("\ufeff")), ctx)


def stream_ris(lines: Iterable[str], ctx: ReadContext) -> Iterator[Reference]:
    """:func:`read_ris` over the text's lines (ended by CR, LF or CRLF only: U+2029 inside a
    value stands for a line break, see writers.ris) as they arrive: each record is read as
    soon as it is complete."""
    tables = _tables()
    used_ids: set[str] = set()
    rec: _Record | None = None
    stray_reported = False
    for lineno, line in enumerate(lines, 1):
        m = _TAG_LINE.match(line.rstrip())
        if m is None and line.startswith(("TY -", "ER -")):
            m = re.match(r"^([A-Z][A-Z0-9])\s+-\s?(.*)$", line)
        if m is None:
            if not line.strip():
                continue
            if rec is not None and rec.tags:
                tag, value, ln = rec.tags[-1]
                rec.tags[-1] = (tag, f"{value}\n{line.strip()}" if tag in ("N1", "AB", "N2")
                                else f"{value} {line.strip()}", ln)
                rec.raw.append(line)
            elif not stray_reported:
                ctx.report.error("ris.syntax", f"text outside a record: {line.strip()[:60]!r}",
                                 file=ctx.file, line=lineno, raw=line)
                stray_reported = True
            continue
        tag, value = m.group(1), m.group(2) or ""
        if tag == "TY":
            if rec is not None:
                ctx.report.error("ris.missing-er", "record has no 'ER  -' line before the next "
                                 "'TY  -'", file=ctx.file, line=rec.line)
                yield _convert(rec, ctx, tables, used_ids)
            rec = _Record(lineno)
            stray_reported = False
        elif rec is None:
            if not stray_reported:
                ctx.report.error("ris.syntax", f"tag {tag} outside a record (a record starts "
                                 "with 'TY  -')", file=ctx.file, line=lineno, raw=line)
                stray_reported = True
            continue
        rec.tags.append((tag, value, lineno))
        rec.raw.append(line)
        if tag == "ER":
            yield _convert(rec, ctx, tables, used_ids)
            rec = None
    if rec is not None:
        ctx.report.error("ris.missing-er", "the last record has no 'ER  -' line",
                         file=ctx.file, line=rec.line)
        yield _convert(rec, ctx, tables, used_ids)
