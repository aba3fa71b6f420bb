"""Normalisation steps on the text of a reference: script and language, names, dates, types,
typography. Each is idempotent: run twice, it changes nothing the second time."""

from __future__ import annotations

import re
from functools import lru_cache

from ..changes import Change
from ..dates import parse_date
from ..lang import lang_tag
from ..lazy import lazy_re
from ..model import Date, Name, NameVariant, Reference, Variant, is_cyrillic
from ..names import split_name
from .lookalikes import lookalike_words
from .pipeline import Context

__all__ = ["dates", "names", "script", "types", "typography"]

_UKRAINIAN = lazy_re(r"[іїєґІЇЄҐ]")
_BELARUSIAN = lazy_re(r"[ўЎ]")
_ET_AL = {"et al.", "et al", "others", "и др.", "и др", "и другие", "и др.,", "etc."}


def _cyrillic_language(text: str) -> str:
    if _UKRAINIAN.search(text):
        return "uk"
    if _BELARUSIAN.search(text):
        return "be"
    return "ru"


def script(ref: Reference, ctx: Context) -> list[Change]:
    """Tag the language: a tag for a language name (``Russian`` -> ``ru``), or, when none is
    given, the language of Cyrillic text in the title, container or names."""
    changes: list[Change] = []
    lang = ref.fields.get("language")
    if lang:
        tag = lang_tag(lang)
        if tag and tag != lang:
            ref.fields["language"] = tag
            changes.append(Change("script", ref.id, "language", lang, tag, "script"))
        return changes
    for var in ("title", "container-title", "publisher"):
        value = ref.fields.get(var)
        if value and is_cyrillic(value):
            tag = _cyrillic_language(value)
            break
    else:
        names = [n.display() for ns in ref.names.values() for n in ns]
        cyr = [n for n in names if is_cyrillic(n)]
        if not cyr or len(cyr) * 2 < len(names):
            return changes
        tag = _cyrillic_language(" ".join(cyr))
    ref.fields["language"] = tag
    changes.append(Change("script", ref.id, "language", None, tag, "script"))
    return changes


def _tidy_initials(text: str) -> str:
    return re.sub(r"(?<=[A-Za-zА-ЯЁа-яё])\.(?=[A-ZА-ЯЁ])", ". ", text)


_INITIALS_ONLY = lazy_re(r"^(?:[A-ZА-ЯЁ][a-zа-яё]{0,3}\.\s?)+$")


def clean_name(name: Name) -> Name:
    """The name tidied (a new Name without variants; the work is remembered per name)."""
    return Name(*_cleaned_parts(name.family, name.given, name.dropping_particle,
                                name.non_dropping_particle, name.suffix, name.literal))


_Parts = tuple[str | None, str | None, str | None, str | None, str | None, str | None]


@lru_cache(maxsize=65536)
def _cleaned_parts(family: str | None, given: str | None, dropping: str | None,
                   non_dropping: str | None, suffix: str | None, literal: str | None) -> _Parts:
    original = Name(family, given, dropping, non_dropping, suffix, literal)
    n = original
    for _ in range(5):     # to a fixed point: normalising twice changes nothing the second time
        again = _clean_name_once(n)
        if again.to_csl() == n.to_csl():
            break
        n = again
    if not n.to_csl():
        n = original        # tidying that leaves nothing (a lone ",") keeps the name as written
    return (n.family, n.given, n.dropping_particle, n.non_dropping_particle, n.suffix,
            n.literal)


def _clean_name_once(name: Name) -> Name:
    whole = " ".join(p for p in (name.given, name.family) if p).strip()
    if whole.lower() in _ET_AL:
        return Name(literal="others")
    if name.family and name.given and _INITIALS_ONLY.match(name.family) and not (
            _INITIALS_ONLY.match(name.given)):  # "И.И." read as the family name
        name = Name(family=name.given, given=name.family, suffix=name.suffix)
    if name.literal:
        literal = name.literal.strip()
        if literal.lower() in _ET_AL:
            return Name(literal="others")
        person = split_name(literal, literal_fallback=True)
        if person.literal is None and person.given:  # "Батин Ю." written as a literal
            return person
        return Name(literal=literal)
    family = (name.family or "").strip().strip(",") or None
    given = _tidy_initials(name.given.strip()) if name.given else None
    if family and not given and re.search(r"\s(?:[A-ZА-ЯЁ][a-zа-яё]?\.\s?)+$", family):
        person = split_name(family)  # "Иванов И.И." in the family field
        family, given = person.family, person.given
    return Name(family=family, given=given or None, dropping_particle=name.dropping_particle,
                non_dropping_particle=name.non_dropping_particle, suffix=name.suffix)


def _unchanged(name: Name) -> bool:
    """True when cleaning leaves the name and its variants' names as they are (the parts
    compared as :meth:`Name.parts_equal` compares them)."""
    if name.variants:
        return False
    parts = (name.family, name.given, name.dropping_particle, name.non_dropping_particle,
             name.suffix, name.literal)
    cleaned = _cleaned_parts(*parts)
    return cleaned == parts or tuple(p or None for p in cleaned) == \
        tuple(p or None for p in parts)


def names(ref: Reference, ctx: Context) -> list[Change]:
    """Split names written whole (``Батин Ю.``), tidy initials (``И.И.`` -> ``И. И.``), mark
    "et al."/"и др." as transcite's et-al marker; variants are cleaned the same way."""
    changes: list[Change] = []
    for var, names_ in ref.names.items():
        if all(_unchanged(n) for n in names_):
            continue        # (the common case, told without building the cleaned names)
        new: list[Name] = []
        for n in names_:
            cleaned = clean_name(n)
            cleaned.variants = [NameVariant(clean_name(v.name), v.form, v.lang, v.scheme,
                                            v.origin, v.confidence) for v in n.variants]
            new.append(cleaned)
        if not all(a.parts_equal(b) and all(x.name.parts_equal(y.name)
                                            for x, y in zip(a.variants, b.variants))
                   for a, b in zip(names_, new)):     # (the same lengths: one for one)
            changes.append(Change("names", ref.id, var, [n.display() for n in names_],
                                  [n.display() for n in new], "names"))
            ref.names[var] = new
    return changes


def dates(ref: Reference, ctx: Context) -> list[Change]:
    """Parse dates kept as text (``6 September 2017``, ``21.07.2018``) into date parts."""
    changes: list[Change] = []
    for var, date in list(ref.dates.items()):
        if date.parts:
            continue
        text = date.raw or date.literal
        if not text:
            continue
        parsed = parse_date(text)
        if parsed.parts:
            new = Date(parts=parsed.parts, circa=date.circa or parsed.circa, season=date.season)
            ref.dates[var] = new
            changes.append(Change("dates", ref.id, var, text, new.iso(), "dates"))
    return changes


def types(ref: Reference, ctx: Context) -> list[Change]:
    """Give generic items a specific CSL type when their fields make it plain: a ``document``
    or ``article`` in a periodical with a volume or issue is an ``article-journal``; a
    ``document`` with only a URL is a ``webpage``; a ``book`` inside a container with pages is
    a ``chapter``."""
    f = ref.fields
    new = None
    if ref.type in ("document", "article") and f.get("container-title") and (
            f.get("volume") or f.get("issue")):
        new = "article-journal"
    elif ref.type == "document" and f.get("URL") and not f.get("container-title") and not (
            f.get("publisher")):
        new = "webpage"
    elif ref.type == "book" and f.get("container-title") and f.get("page"):
        new = "chapter"
    if new is None or new == ref.type:
        return []
    old, ref.type = ref.type, new
    changes = [Change("types", ref.id, "type", old, new, "types")]
    if new == "article-journal" and "number" in f and "issue" not in f:
        f["issue"] = f.pop("number")  # a journal's number is its issue
        changes.append(Change("types", ref.id, "issue", None, f["issue"], "types"))
    return changes


_RANGE = lazy_re(r"^\s*([A-Za-zА-Яа-я]?\d+)\s*(?:-{1,3}|[‐‑‒–—−])\s*([A-Za-zА-Яа-я]?\d+)\s*$")
_SPACED_HYPHEN = lazy_re(r"(?<=\w) +(?:-{1,2}|‒|–) +(?=\w)")
_NUMERO = lazy_re(r"№ ?(?=\d)")
_TEXT_FIELDS = ("title", "container-title", "collection-title", "publisher",
                "publisher-place", "event-title", "genre", "note")


def _russian_text(ref: Reference) -> bool:
    return any(is_cyrillic(ref.fields.get(v, "")) for v in ("title", "publisher",
                                                              "container-title"))


_SPACES = lazy_re(r"[ \t]{2,}")


@lru_cache(maxsize=65536)
def _typeset(text: str) -> str:
    out = _SPACED_HYPHEN.sub(lambda m: " — " if is_cyrillic(text) else " – ", text)
    out = _NUMERO.sub("№\u00a0", out)
    out = _SPACES.sub(" ", out).strip()
    for word, fix, _lone in lookalike_words(out):
        if fix:
            out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", fix, out)
    return out


_LATIN_PLACE = {"M.": "М.", "M": "М.", "SPb.": "СПб.", "L.": "Л."}


def _kept_as_written(ref: Reference) -> bool:
    """A line the parser could not make out: its note is the line as the user wrote it, and
    is printed so (no title, container or names were made of it)."""
    return ref.type == "document" and not any(
        ref.fields.get(v) for v in ("title", "container-title")) and not any(ref.names.values())


def typography(ref: Reference, ctx: Context) -> list[Change]:
    """Page ranges with an en dash (``110--119`` -> ``110–119``); spaced hyphens as dashes
    (em dash in Cyrillic text, en dash in Latin); ``№ 5`` with a non-breaking space; double
    spaces; Latin letters inside Cyrillic words and back repaired ("pр." -> "рр.")."""
    changes: list[Change] = []
    page = ref.fields.get("page")
    if page:
        m = _RANGE.match(page)
        if m:
            new = f"{m.group(1)}–{m.group(2)}"
            if new != page:
                ref.fields["page"] = new
                changes.append(Change("typography", ref.id, "page", page, new, "typography"))
    place = ref.fields.get("publisher-place", "").strip()
    if place in _LATIN_PLACE and _russian_text(ref):
        ref.fields["publisher-place"] = _LATIN_PLACE[place]  # Latin look-alike letters
        changes.append(Change("typography", ref.id, "publisher-place", place,
                              _LATIN_PLACE[place], "typography"))
    as_written = _kept_as_written(ref)
    for var in _TEXT_FIELDS:
        value = ref.fields.get(var)
        if not value or "<" in value or (var == "note" and as_written):
            continue
        new = _typeset(value)
        if new != value:
            ref.fields[var] = new
            changes.append(Change("typography", ref.id, var, value, new, "typography"))
            # keep explicit forms that named the old text pointing at the new one
            forms = ref.variants.get(var, [])
            for i, v in enumerate(forms):
                if v.text == value:
                    forms[i] = Variant(new, v.form, v.lang, v.scheme, v.origin, v.confidence)
    return changes

