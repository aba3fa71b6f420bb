"""CSL-JSON items made ready for rendering: variables, names with particles, dates, rich text.

An :class:`Item` is built once per input item; everything the engine asks for more than once
(parsed rich text, name parts, date tuples) is computed here, not on every render.
"""

from __future__ import annotations

import re
from typing import Any

from ...lazy import lazy_re
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


class DateVal:
    """A date: one or two ``(year, month, day)`` tuples (0 = absent; months 13-16 are
    seasons), or a literal; ``circa`` for uncertain dates."""

    __slots__ = ("parts", "literal", "circa", "season")

    def __init__(self, parts: list[tuple[int, int, int]], literal: str = "",
                 circa: bool = False, season: str | None = None) -> None:
        self.parts = parts
        self.literal = literal
        self.circa = circa
        self.season = season
        """Given in the ``season`` field: None (not given), "" (a season number: its
        term shows) or the text written there (shown as written, as citeproc-js does)."""

    def sort_key(self) -> str:
        """A string that sorts chronologically (ranges by start, then end)."""
        if not self.parts:
            return ""
        out = []
        for y, m, d in self.parts[:2]:
            out.append(f"{y + 100000:06d}{m:02d}{d:02d}")
        return "".join(out)


class Item:
    """One reference, ready for the engine."""

    __slots__ = ("id", "type", "vars", "names", "dates", "lang", "present", "_rich")

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


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return ""


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
    return Item(str(key if key is not None else data.get("id", "")),
                str(data.get("type") or "document"), vars_, names, dates, lang)


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


# --- dates ------------------------------------------------------------------------------------

_MONTHS = {m: n + 1 for n, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_SEASONS = {"spr": 13, "sum": 14, "fal": 15, "aut": 15, "win": 16}


def _int(v: Any) -> int:
    if isinstance(v, bool):
        return 0
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, str):
        v = v.strip()
        if re.fullmatch(r"-?\d+", v):
            return int(v)
    return 0


def _season(v: Any) -> int:
    if isinstance(v, (int, float)) or (isinstance(v, str) and v.strip().isdigit()):
        n = _int(v)
        return n + 12 if 1 <= n <= 4 else n if 13 <= n <= 16 else 0
    if isinstance(v, str):
        return _SEASONS.get(v.strip().lower()[:3], 0)
    return 0


def make_date(raw: Any) -> DateVal | None:
    """A :class:`DateVal` from CSL-JSON (``date-parts``, ``raw``, ``literal``, ``season``,
    ``circa``) or an ISO/EDTF-like string."""
    if isinstance(raw, str):
        return parse_raw_date(raw)
    if not isinstance(raw, dict):
        return None
    circa = bool(raw.get("circa")) and raw.get("circa") not in ("false", "0", 0)
    parts: list[tuple[int, int, int]] = []
    dp = raw.get("date-parts")
    if isinstance(dp, list):
        for p in dp[:2]:
            if isinstance(p, list) and p:
                y = _int(p[0])
                m = _int(p[1]) if len(p) > 1 else 0
                d = _int(p[2]) if len(p) > 2 else 0
                if y or m or d:
                    parts.append((y, m if 0 <= m <= 24 else 0, d if 0 <= d <= 31 else 0))
                elif parts and len(parts) == 1:     # [[1987], [0]]: a range left open
                    parts.append((0, 0, 0))
    if not parts and raw.get("raw"):
        parsed = parse_raw_date(str(raw["raw"]))
        if parsed is not None:
            parsed.circa = parsed.circa or circa
        return parsed
    if not parts and raw.get("year"):
        parts.append((_int(raw.get("year")), _int(raw.get("month")), _int(raw.get("day"))))
    season = _season(raw.get("season")) if raw.get("season") else 0
    season_text: str | None = None
    if raw.get("season") and parts and not parts[0][1]:
        given = raw["season"]
        season_text = "" if season and not (isinstance(given, str) and
                                            not given.strip().isdigit()) else str(given).strip()
        parts[0] = (parts[0][0], season or 13, 0)
    parts = [(y, m - 8 if 21 <= m <= 24 else m, d) for y, m, d in parts]
    if not parts:
        literal = _text(raw.get("literal", ""))
        return DateVal([], literal, circa) if literal else None
    return DateVal(parts, "", circa, season_text)


_CIRCA = lazy_re(r"^(?:ca?\.|circa|approx\.?|~)\s*", re.I)
_MDY = lazy_re(r"^(\d{1,2})/(\d{1,2})/(\d{3,4})$")
_YM_SLASH = lazy_re(r"^(\d{3,4})/(\d{1,2})(?:/(\d{1,2}))?$")
_RANGE_SEP = lazy_re(r"\s*(?:_|/|\s-+\s|\u2013|\u2014|--)\s*")


def parse_raw_date(text: str) -> DateVal | None:
    """Parse a date as people write it: ``2005``, ``2005-03-01``, ``03/01/2005`` (US order),
    ``2005/03``, ``May 2005``, ``15 May 2005``, ``May 15, 2005``, ``Spring 2005``, ``ca. 2005``,
    ``2005?``, and ranges written with ``/``, ``_``, `` - ``, an en dash or ``--``
    (``1897_1912``, ``2003/2004``, ``May-June 2004``, ``5-7 March 2004``); the range's end
    lends its year (and month) to a start written without them. Anything else is a literal."""
    text = text.strip()
    if not text:
        return None
    circa = text.endswith(("~", "?"))
    text = text.rstrip("~?%").strip()
    m = _CIRCA.match(text)
    if m:
        circa, text = True, text[m.end():]
    m = _MDY.match(text)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        if mo > 12 >= d:
            mo, d = d, mo
        return DateVal([(int(m.group(3)), mo, d)], "", circa)
    m = _YM_SLASH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return DateVal([(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))], "", circa)
    pieces = [p for p in _RANGE_SEP.split(text) if p.strip()]
    if len(pieces) == 1:
        pieces = _dash_range(text) or pieces
    if len(pieces) > 2:
        return DateVal([], text, circa)
    parts = [_one_raw(p.strip()) for p in pieces]
    if any(p is None for p in parts):
        return DateVal([], text, circa)
    done = [p for p in parts if p is not None]
    if len(done) == 2:
        (y1, m1, d1), (y2, m2, d2) = done
        if not y1 and y2:
            y1 = y2
            if not m1 and d1 and m2:
                m1 = m2
        done = [(y1, m1, d1), (y2, m2, d2)]
    if any(not y for y, _, _ in done):
        return DateVal([], text, circa)
    return DateVal(done, "", circa) if done else None


def _dash_range(text: str) -> list[str] | None:
    """``1990-1995``, ``May-June 2004``, ``5-7 March 2004``: a range written with a bare
    hyphen (an ISO date's hyphens are not one)."""
    if re.fullmatch(r"-?\d{1,4}(?:-\d{1,2}){0,2}(?:T.*)?", text):
        return None
    m = re.fullmatch(r"(-?\d{3,4})-(\d{3,4})", text)
    if m:
        return [m.group(1), m.group(2)]
    m = re.fullmatch(r"([A-Za-z]+\.?|\d{1,2})\s*-\s*([A-Za-z]+\.?\s+\d{3,4}|\d{1,2}\s+[A-Za-z]+\.?"
                     r"\s+\d{3,4})", text)
    if m:
        return [m.group(1), m.group(2)]
    return None


def _one_raw(s: str) -> tuple[int, int, int] | None:
    """One date (its year may be missing: the start of a range); ``None`` if unreadable."""
    m = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?", s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
        if m.group(2) is None and len(m.group(1).lstrip("-")) <= 2 and 1 <= y <= 31:
            return (0, 0, y)          # a bare day: "5" of "5-7 March 2004"
        return (y, mo, d) if mo <= 12 and d <= 31 else None
    words = [w for w in re.split(r"[\s,]+", s) if w]
    y = mo = d = 0
    for w in words:
        w = w.rstrip(".")
        lw = w.lower()
        if w.isdigit():
            if len(w) >= 3 or (y == 0 and d):
                y = int(w)
            elif not d and int(w) <= 31:
                d = int(w)
            else:
                return None
        elif lw[:3] in _MONTHS and lw.isalpha():
            mo = _MONTHS[lw[:3]]
        elif lw[:3] in _SEASONS and lw.isalpha():
            mo = _SEASONS[lw[:3]]
        else:
            return None
    if not (y or mo or d):
        return None
    if d and not mo:
        return None
    return (y, mo, d)
