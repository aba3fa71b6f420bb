"""Fields in a note: the ``key: value`` lines formats without a slot for a field fall back on.

citeproc-js and Zotero read CSL variables from note lines such as ``original-date: 1920`` (the
"cheater syntax"). transcite writes what a format has no tag for (RIS has no romanised title,
for example) the same way, plus two forms of its own:

* ``title [ru-Latn-x-bsi]: Rossiya ...`` - a variant of a text field, by its tag;
* ``author 1 [ru-Latn-x-bsi]: Batin, Yu.`` - a variant of the first name of a name list;
* ``x-file: paper.pdf`` - a field of another format that transcite keeps but does not use.

Dates (``original-date: 1920``) and names (``director: Tarkovsky || Andrei``, one line per name)
use citeproc-js's own forms.

Lines that do not match (ordinary notes) are left alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .lazy import lazy_re
from .model import (
    DATE_VARIABLES,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    Date,
    Form,
    Name,
    Reference,
    Variant,
)

__all__ = ["CHEATER_VARIABLES", "CUSTOM", "NOTE", "SAFE_KEY", "NoteLine", "decode_name",
           "decode_name_value", "encode_extra", "encode_name", "encode_name_value",
           "encode_variants", "parse_note_line"]

#: The text and number variables of CSL 1.0.2 (the archive's as CSL spells them and as older
#: data does, with a hyphen): what citeproc-js accepts in cheater syntax, and the fields a
#: note line or a BibTeX field of that name gives back.
CHEATER_VARIABLES: frozenset[str] = frozenset("""abstract annote archive archive-collection
archive_collection archive-location archive_location archive-place authority call-number
chapter-number citation-label collection-number collection-title container-title
container-title-short dimensions division DOI edition event event-place event-title genre ISBN
ISSN issue jurisdiction keyword language license medium note number number-of-pages
number-of-volumes original-publisher original-publisher-place original-title page part-number
part-title PMCID PMID publisher publisher-place references reviewed-genre reviewed-title scale
section source status title title-short URL version volume volume-title volume-title-short
year-suffix""".split()) | NUMBER_VARIABLES

_LINE = lazy_re(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*|x-@[a-z]+)(?:\s+(?P<index>\d+))?"
                r"(?:\s+\[(?P<tag>[A-Za-z0-9%-]+)\])?:\s?(?P<value>.*)$", re.S)


class NoteLine:
    """One parsed note line: a field, a field variant, a name variant or an extra field."""

    __slots__ = ("index", "key", "kind", "tag", "value")

    def __init__(self, kind: str, key: str, value: str, tag: str | None = None,
                 index: int | None = None) -> None:
        self.kind = kind
        self.key = key
        self.value = value
        self.tag = tag
        self.index = index


def parse_note_line(line: str, name_variables: frozenset[str]) -> NoteLine | None:
    """Parse a ``key: value`` note line, or return None for an ordinary note line."""
    m = _LINE.match(line.strip())
    if not m:
        return None
    key, tag, index, value = m.group("key"), m.group("tag"), m.group("index"), m.group("value")
    if key.startswith("x-") and not tag and index is None:
        try:
            decoded: Any = json.loads(value) if value.startswith(("{", "[", '"')) or \
                _JSON_SCALAR.fullmatch(value) else value
        except (ValueError, RecursionError):
            decoded = value
        return NoteLine("extra", key[2:], decoded)
    if key in name_variables and tag and index is not None:
        return NoteLine("name-variant", key, value, tag, int(index))
    if key in name_variables and not tag and index is None:
        return NoteLine("name", key, value)
    if key in DATE_VARIABLES and not tag and index is None:
        return NoteLine("date", key, value)
    if key in CHEATER_VARIABLES and index is None:
        return NoteLine("variant" if tag else "field", key, value, tag)
    return None


def encode_variants(ref: Reference, rest: dict[str, list[Any]] | None = None) -> list[str]:
    """Note lines for every variant of the reference's text fields and names; with ``rest``,
    a form whose line would not read back as that form of that variable (a key such as
    "tit:le") goes there instead, as :func:`variant_json` (see :func:`restore_variants`)."""
    lines = []
    for var, variants in ref.variants.items():
        for v in variants:
            line = f"{var} [{v.tag}]: {v.text}"
            if rest is not None:
                parsed = parse_note_line(line, NAME_VARIABLES)
                if parsed is None or parsed.kind != "variant" or parsed.key != var or \
                        parsed.value != v.text:
                    rest.setdefault(var, []).append(variant_json(v))
                    continue
            lines.append(line)
    for var, names in ref.names.items():
        for i, name in enumerate(names, 1):
            for nv in name.variants:
                lines.append(f"{var} {i} [{nv.tag}]: {encode_name_value(nv.name)}")
    return lines


def encode_name_value(name: Name) -> str:
    """A name as a note gives it: ``Family, Given`` as written, or its parts as JSON when
    that would read back otherwise (see :func:`decode_name_value`)."""
    from .names import split_name

    shown = name.display()
    if shown.startswith("{") or split_name(shown).to_csl() != name.to_csl():
        return json.dumps(name.to_csl(), ensure_ascii=False)
    return shown


def decode_name_value(text: str) -> Name:
    """The name of :func:`encode_name_value`."""
    from .names import split_name

    if text.startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and data and all(isinstance(v, str) for v in data.values()):
            return Name.from_csl(data)
    return split_name(text)


def encode_name(variable: str, name: Name) -> str:
    """A note line for one name of a name variable (citeproc-js ``Family || Given`` form)."""
    if name.literal:
        return f"{variable}: {name.literal}"
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    return f"{variable}: {family} || {given}" if given else f"{variable}: {family}"


def decode_name(value: str) -> Name:
    """The Name of a ``Family || Given`` note value (a plain value is a literal)."""
    if "||" in value:
        family, _, given = value.partition("||")
        return Name(family=family.strip() or None, given=given.strip() or None)
    return Name(literal=value.strip())


#: A note value read as a JSON number, boolean or null (a text that looks so is quoted).
_JSON_SCALAR = lazy_re(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
#: A key a note line can carry (others travel in :data:`CUSTOM`).
SAFE_KEY = lazy_re(r"[A-Za-z][A-Za-z0-9_-]*|@[a-z]+")
#: The note key holding, as JSON, the kept fields whose keys a note line cannot carry.
CUSTOM = "transcite-custom"
#: The note key holding the note field when one of its lines reads like ``key: value``.
NOTE = "transcite-note"
#: A key of :data:`CUSTOM` naming a date variable (``@date:issued``): the date as CSL-JSON,
#: where the fields a writer wrote for it would not read back the same (a 122nd day; null:
#: the variable is absent whatever the fields say - biblatex's ``pubstate`` without a date
#: reads as the date otherwise).
DATE_MARK = "@date:"
#: The prefix of a key of :data:`CUSTOM` naming a name variable (``@names:author``): the
#: names, by their place in the list, as CSL-JSON, whose written form cannot say their parts
#: (both a dropping and a non-dropping particle in BibTeX's one "von" part).
NAME_MARK = "@names:"


def restore_names(ref: Any, var: str, data: Any) -> bool:
    """Put back the parts of names :data:`CUSTOM` holds under :data:`NAME_MARK` (their forms
    stay); False when ``data`` is not such a record or names no name of ``var``."""
    names = ref.names.get(var)
    if not isinstance(data, dict) or not names:
        return False
    parts = {}
    for key, csl in data.items():
        if not (isinstance(key, str) and key.isdigit() and int(key) < len(names)
                and isinstance(csl, dict)):
            return False
        try:
            parts[int(key)] = Name.from_csl(csl)
        except (TypeError, ValueError, AttributeError):
            return False
    for i, name in parts.items():
        name.variants = names[i].variants
        names[i] = name
    return True


def variant_json(v: Variant) -> dict[str, Any]:
    """A variant form as :data:`CUSTOM` carries it under ``@variants`` (a variable no field or
    note line can name): read back by :func:`restore_variants`."""
    out: dict[str, Any] = {"text": v.text, "form": v.form.value}
    for key in ("lang", "scheme", "confidence"):
        if getattr(v, key) is not None:
            out[key] = getattr(v, key)
    if v.origin != "input":
        out["origin"] = v.origin
    return out


def restore_variants(ref: Any, data: Any) -> bool:
    """Put back the forms :data:`CUSTOM` holds under ``@variants`` (``{"tit:le": [{"text":
    ..., "form": "romanised", ...}]}``); False when it is not that."""
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        return False
    made: list[tuple[str, Variant]] = []
    for var, forms in data.items():
        for d in forms:
            try:
                conf = d.get("confidence")
                made.append((str(var), Variant(
                    str(d["text"]), Form(d["form"]), d.get("lang"), d.get("scheme"),
                    str(d.get("origin", "input")),
                    float(conf) if isinstance(conf, (int, float)) else None)))
            except (KeyError, ValueError, TypeError, AttributeError):
                return False
    for var, v in made:
        ref.variants.setdefault(var, []).append(v)
    return True


def restore_date(ref: Any, var: str, data: Any) -> bool:
    """Put back a date :data:`CUSTOM` holds under :data:`DATE_MARK` (None: no such date);
    False when ``var`` is no date variable or ``data`` no date."""
    if var not in DATE_VARIABLES:
        return False
    if data is None:
        ref.dates.pop(var, None)
        return True
    try:
        ref.dates[var] = Date.from_csl(data)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def encode_extra(key: str, value: Any) -> str:
    """A note line for a field transcite keeps without using it: text as it is, anything
    else - and text that would read back otherwise (JSON-like, several lines, spaces at an
    end) - as JSON."""
    plain = isinstance(value, str) and "\n" not in value and "\r" not in value and \
        value == value.strip() and not value.startswith(("{", "[", '"')) and \
        not _JSON_SCALAR.fullmatch(value) and value.isprintable()
    text = value if plain else json.dumps(value, ensure_ascii=False)
    return f"x-{key}: {text}"
