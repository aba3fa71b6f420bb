"""CSL-JSON items made ready for rendering: variables, names with particles, dates, rich text.

An :class:`Item` is built once per input item; everything the engine asks for more than once
(parsed rich text, name parts, date tuples) is computed here, not on every render.
"""

from __future__ import annotations

import re
from typing import Any

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .datevals import DateVal, make_date, parse_raw_date
from .datevals import csl_text as _text
from .native import register
from .rich import Piece, parse_rich

__all__ = ["DateVal", "Item", "Name", "make_item"]

_ALIASES = {
    "archive-location": "archive_location", "shortTitle": "title-short",
    "journalAbbreviation": "container-title-short", "url": "URL", "doi": "DOI",
    "isbn": "ISBN", "issn": "ISSN", "pmid": "PMID", "pmcid": "PMCID",
    "publisher_place": "publisher-place",
}
_SHORT_OF = {"title": "title-short", "container-title": "container-title-short",
             "collection-title": "collection-title-short"}
_NOT_VARIABLES = {"id", "type", "system_id", "multi", "_", "custom"}
_DATE_KEYS = {"accessed", "available-date", "event-date", "issued", "original-date",
              "submitted", "container"}
_NAME_KEYS = frozenset(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host illustrator interviewer
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""".split())
#: Keys whose text values need nothing but stripping (not aliases, names, dates or non-variables).
_PLAIN_TEXT = frozenset(
    """abstract annote archive archive-place authority call-number chapter-number
    citation-label collection-number collection-title container-title container-title-short
    dimensions DOI edition event event-place event-title genre ISBN ISSN issue jurisdiction
    keyword language locator medium note number number-of-pages number-of-volumes
    original-publisher original-publisher-place original-title page part-number part-title
    PMCID PMID printing-number publisher publisher-place references reviewed-genre
    reviewed-title scale section source status supplement-number title title-short URL version
    volume volume-title year-suffix""".split())
_ROMANESQUE = lazy_re(r"^[\s\d\W\u0041-\u024F\u02B0-\u02FF\u0370-\u03FF\u0400-\u052F"
                      r"\u1E00-\u1EFF\u0590-\u05FF\u0600-\u06FF\u2000-\u206F]*$")


@mypyc_attr(allow_interpreted_subclasses=True)
class Name:
    """A personal or institutional name, with CSL's parts."""

    __slots__ = ("family", "given", "dropping", "non_dropping", "suffix", "literal",
                 "comma_suffix", "static_order", "romanesque")

    def __init__(self, family: str = "", given: str = "", dropping: str = "",
                 non_dropping: str = "", suffix: str = "", literal: str = "",
                 comma_suffix: bool = False, static_order: bool = False) -> None:
        self.family = family
        self.given = given
        self.dropping = dropping
        self.non_dropping = non_dropping
        self.suffix = suffix
        self.literal = literal
        self.comma_suffix = comma_suffix
        self.static_order = static_order
        self.romanesque = bool(_ROMANESQUE.match(family + given + literal))

    def key(self) -> tuple[str, ...]:
        """Identity for comparing names (editor = translator, same authors)."""
        return (self.family, self.given, self.dropping, self.non_dropping, self.suffix,
                self.literal)


@mypyc_attr(allow_interpreted_subclasses=True)
class Item:
    """One reference, ready for the engine."""

    __slots__ = ("id", "type", "vars", "names", "dates", "lang", "present", "_rich", "qualifiers")

    def __init__(self, id_: str, type_: str, vars_: dict[str, str],
                 names: dict[str, list[Name]], dates: dict[str, DateVal], lang: str) -> None:
        self.id = id_
        self.type = type_
        self.vars = vars_
        self.names = names
        self.dates = dates
        self.lang = lang
        self.present = frozenset(k for k, v in vars_.items() if v) | frozenset(names) | \
            frozenset(dates)
        self._rich: dict[str, Piece] = {}
        #: a role's qualifier ("editor": "general"), from ``custom["role-qualifiers"]``
        self.qualifiers: dict[str, str] | None = None

    def get(self, var: str, short: bool = False) -> str:
        """A text or number variable ('' when absent); ``short`` prefers the short form."""
        if short:
            alt = _SHORT_OF.get(var)
            if alt and self.vars.get(alt):
                return self.vars[alt]
        return self.vars.get(var, "")

    def rich(self, var: str, short: bool = False) -> Piece:
        """The variable as rich text (markup and quotes parsed)."""
        if short:
            alt = _SHORT_OF.get(var)
            if alt and self.vars.get(alt):
                var = alt
        try:
            return self._rich[var]
        except KeyError:
            value = parse_rich(self.vars.get(var, ""))
            self._rich[var] = value
            return value

    def has(self, var: str) -> bool:
        """True when the variable (of any kind) is present and not empty."""
        return var in self.present


_FIRST_PAGE = lazy_re(r"[A-Za-z]*\d+[A-Za-z]*|[ivxlcdmIVXLCDM]+(?=\s*(?:[-\u2013,]|$))")


def make_item(data: dict[str, Any], key: str | None = None) -> Item:
    """An :class:`Item` from a CSL-JSON dict (``key`` replaces its ``id`` if given)."""
    vars_: dict[str, str] = {}
    names: dict[str, list[Name]] = {}
    dates: dict[str, DateVal] = {}
    for k, v in data.items():
        if v.__class__ is str and k in _PLAIN_TEXT:     # the common case, in short
            v = v.strip()
            if v:
                vars_[k] = v
            continue
        k = _ALIASES.get(k, k)
        if k in _NOT_VARIABLES or v is None:
            continue
        if k in _NAME_KEYS:
            if isinstance(v, list):
                parsed = [n for n in (make_name(x) for x in v) if n is not None]
                if parsed:
                    names[k] = parsed
            elif isinstance(v, str) and v.strip():
                names[k] = [Name(literal=v.strip())]
        elif k in _DATE_KEYS:
            d = make_date(v)
            if d is not None:
                dates["original-date" if k == "original-date" else k] = d
        else:
            text = _text(v)
            if text:
                vars_[k] = text
    if "event-title" in vars_ or "event" in vars_:      # CSL 1.0.2 renamed event
        vars_.setdefault("event", vars_.get("event-title", ""))
        vars_.setdefault("event-title", vars_["event"])
    note = vars_.get("note", "")
    if ":" in note:
        _note_variables(note, vars_, names, dates)
    if "page" in vars_ and "page-first" not in vars_:
        m = _FIRST_PAGE.match(vars_["page"])
        if m:
            vars_["page-first"] = m.group(0)
    lang = vars_.get("language", "")
    item = Item(str(key if key is not None else data.get("id", "")),
                str(data.get("type") or "document"), vars_, names, dates, lang)
    custom = data.get("custom")
    if custom and isinstance(custom, dict) and "role-qualifiers" in custom:
        roles = custom["role-qualifiers"]
        if isinstance(roles, dict):
            item.qualifiers = {str(k): str(v) for k, v in roles.items() if isinstance(v, str)}
    return item


_NOTE_LINE = lazy_re(r"^\s*(?:\{:([A-Za-z_-]+):\s*(.*?)\}|([a-z][a-z_-]+):\s*(.+?))\s*$")
_TEXT_KEYS = frozenset(
    """abstract annote archive archive_location archive-place authority call-number
    chapter-number citation-label collection-number collection-title container-title
    container-title-short dimensions DOI edition event event-place event-title genre ISBN
    ISSN issue jurisdiction keyword language locator medium number number-of-pages
    number-of-volumes original-publisher original-publisher-place original-title page
    part-number part-title PMCID PMID printing-number publisher publisher-place references
    reviewed-genre reviewed-title scale section source status supplement-number title
    title-short URL version volume volume-title year-suffix""".split())


def _note_variables(note: str, vars_: dict[str, str], names: dict[str, list[Name]],
                    dates: dict[str, DateVal]) -> None:
    """CSL variables written into the note ("Extra" in Zotero), one ``name: value`` per
    line (or ``{:name: value}``); the lines used are taken out of the note."""
    kept = []
    for line in note.splitlines():
        m = _NOTE_LINE.match(line)
        key = value = None
        if m:
            key = m.group(1) or m.group(3)
            value = (m.group(2) if m.group(1) else m.group(4)) or ""
        if key is None or not value:
            kept.append(line)
            continue
        key = _ALIASES.get(key, key)
        if key in _DATE_KEYS and key not in dates:
            d = parse_raw_date(value)
            if d is not None:
                dates[key] = d
                continue
        elif key in _NAME_KEYS:
            family, _, given = value.partition("||")
            n = make_name({"family": family.strip(), "given": given.strip()} if given
                          else {"literal": family.strip()})
            if n is not None:
                names.setdefault(key, []).append(n)
                continue
        elif key in _TEXT_KEYS and key not in vars_:
            vars_[key] = value
            continue
        kept.append(line)
    if len(kept) != len(note.splitlines()):
        if kept and any(x.strip() for x in kept):
            vars_["note"] = "\n".join(kept).strip()
        else:
            vars_.pop("note", None)


# --- names ------------------------------------------------------------------------------------

_LOWER_WORD = lazy_re(r"^[a-z\u00e0-\u00ff'\u2019\-]")


def _split_particles(family: str) -> tuple[str, str]:
    """``van der Berg`` -> (``van der``, ``Berg``); ``d'Artagnan`` -> (``d'``, ``Artagnan``)."""
    m = re.match(r"^([a-z]{1,3}-)(\w.*)$", family)       # al-One, el-Sayed
    if m:
        return m.group(1), m.group(2)
    words = family.split(" ")
    n = 0
    while n < len(words) - 1 and words[n] and words[n][0].islower():
        n += 1
    if n:
        particle = " ".join(words[:n])
        if particle.endswith("\u2019"):
            particle += " "
        return particle, " ".join(words[n:])
    m = re.match(r"^([a-z]{1,3}\u2019)(\w.*)$", family)
    if m:
        return m.group(1), m.group(2)
    return "", family


def _apos(text: str) -> str:
    return text.replace("'", "\u2019") if "'" in text else text


_NAMES: dict[tuple[tuple[str, Any], ...], Name | None] = {}


def forget_names() -> None:
    """Empty the table of shared name objects (a long list's bounded rendering calls it
    between its steps; names made later are equal, only not shared with earlier items)."""
    _NAMES.clear()


def make_name(raw: Any) -> Name | None:
    """A :class:`Name` from a CSL-JSON name object (particles and suffixes parsed out).

    Names are never changed once made, so one person's name object is shared by the items
    that name them (made once per process)."""
    if raw.__class__ is dict:
        key = tuple(raw.items())
        try:
            return _NAMES[key]      # only all-text names are stored: equal keys, equal names
        except KeyError:
            name = _make_name(raw)
            if len(_NAMES) < 200_000 and all(v.__class__ is str for v in raw.values()):
                _NAMES[key] = name
            return name
        except TypeError:           # a value that cannot be a key (a list)
            pass
    return _make_name(raw)


#: The parts of most names: a name with no others is made by a shorter way.
_FAMILY_GIVEN = frozenset({"family", "given"})


def _make_name(raw: Any) -> Name | None:
    if raw.__class__ is dict and raw.keys() <= _FAMILY_GIVEN:     # the common case, in short
        family = raw.get("family", "")
        given = raw.get("given", "")
        if family.__class__ is str and given.__class__ is str:
            return _parsed_name(_apos(family.strip()), _apos(given.strip()), "", "", "",
                                False, True, False)
    if isinstance(raw, str):
        return Name(literal=raw.strip()) if raw.strip() else None
    if not isinstance(raw, dict):
        return None
    literal = _apos(_text(raw.get("literal", "")))
    family = _apos(_text(raw.get("family", "")))
    given = _apos(_text(raw.get("given", "")))
    if literal and not family:
        return Name(literal=literal)
    return _parsed_name(family, given, _apos(_text(raw.get("dropping-particle", ""))),
                        _apos(_text(raw.get("non-dropping-particle", ""))),
                        _text(raw.get("suffix", "")), bool(raw.get("comma-suffix")),
                        raw.get("parse-names", True) not in (False, "false"),
                        bool(raw.get("static-ordering")))


def _parsed_name(family: str, given: str, dropping: str, non_dropping: str, suffix: str,
                 comma_suffix: bool, parse: bool, static: bool) -> Name | None:
    """The name of these parts, its particles and suffix parsed out of its family and given
    names unless ``parse`` is off (CSL-JSON's ``parse-names``)."""
    if not family and not given:
        return None
    if not family:              # a single name ("Banksy"): shown as written, never initialised
        family, given = given, ""
    if family.startswith('"') and family.endswith('"') and len(family) > 1:
        family = family[1:-1]
        parse = False
    if parse:
        if not non_dropping and (" " in family or "\u2019" in family[:4] or "-" in family[:4]):
            nd, fam = _split_particles(family)
            if nd and fam:
                non_dropping, family = nd, fam
        if not suffix and "," in given:
            g, _, s = given.partition(",")
            s = s.strip()
            if s.startswith("!"):
                comma_suffix, s = True, s[1:].strip()
            given, suffix = g.strip(), s
        if not dropping and given:
            words = given.split(" ")
            n = len(words)
            while n > 1 and words[n - 1] and words[n - 1][0].islower() and \
                    not words[n - 1].endswith("."):
                n -= 1
            if n < len(words):
                dropping = " ".join(words[n:])
                given = " ".join(words[:n])
    return Name(family, given, dropping, non_dropping, suffix, "", comma_suffix, static)


register(globals())    # pickling when compiled (see .native)
