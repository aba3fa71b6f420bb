"""The data model: references whose fields keep original, romanised and translated forms.

A :class:`Reference` is shaped like a CSL-JSON item (same variable names, same types), with two
additions that CSL has no place for:

* every text field and every name may carry :class:`Variant` forms: the *original* (usually
  Cyrillic), a *romanisation* (with the scheme that made it) and *translations* (with their
  language). The value in :attr:`Reference.fields` is always the text as it was read; variants sit
  beside it and never replace it.
* an :class:`Origin` (file, line, raw text) and a bag of :attr:`Reference.extra` fields that
  transcite does not understand but must not lose.

Problems found while reading or normalising are data: :class:`Problem` records collected in a
:class:`Report`, never exceptions or global flags.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, ClassVar

from .lazy import lazy_re
from .problems import Problem, Report, Severity

__all__ = [
    "DATE_VARIABLES",
    "NAME_VARIABLES",
    "NUMBER_VARIABLES",
    "CSL_TYPES",
    "Date",
    "Form",
    "Library",
    "Name",
    "NameVariant",
    "Origin",
    "Problem",
    "Reference",
    "Report",
    "Severity",
    "Variant",
    "free_id",
    "is_cyrillic",
    "scheme_name",
    "scheme_tag",
]

#: CSL 1.0.2 name variables.
NAME_VARIABLES: frozenset[str] = frozenset(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host illustrator interviewer
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""".split()
)
#: CSL 1.0.2 date variables.
DATE_VARIABLES: frozenset[str] = frozenset(
    "accessed available-date event-date issued original-date submitted".split()
)
#: CSL 1.0.2 number variables (stored as strings, as CSL-JSON allows).
NUMBER_VARIABLES: frozenset[str] = frozenset(
    """chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part-number
    printing-number section supplement-number version volume""".split()
)
#: CSL 1.0.2 item types.
CSL_TYPES: frozenset[str] = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture
    musical_score pamphlet paper-conference patent performance periodical personal_communication
    post post-weblog regulation report review review-book software song speech standard thesis
    treaty webpage""".split()
)

_CYRILLIC = lazy_re(r"[\u0400-\u04FF\u0500-\u052F]")


def is_cyrillic(text: str) -> bool:
    """Return True when *text* contains at least one Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


class Form(str, Enum):
    """Which form of a field a :class:`Variant` holds."""

    ORIGINAL = "original"
    """The text in the source's own script and language (Cyrillic for a Russian source)."""
    ROMANISED = "romanised"
    """The original language written in Latin letters by a romanisation scheme."""
    TRANSLATED = "translated"
    """A translation into another language (usually English)."""


def scheme_tag(scheme: str) -> str:
    """A scheme's name as a tag's private part: a registered scheme without its underscores
    (``bgn_pcgn`` -> ``bgnpcgn``), a plain word as it is, anything else percent-encoded, so
    that the CSL-JSON reader gets back the name as written (``my scheme`` -> ``my%20scheme``)."""
    if scheme.isascii() and scheme.isalnum():
        return scheme
    from .registry import registry

    if registry.find("scheme", scheme) is not None and scheme.isascii() and \
            scheme.replace("_", "").isalnum():
        return scheme.replace("_", "")
    return "".join(c if c.isascii() and c.isalnum() else
                   "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in scheme)


def scheme_name(tag_part: str | None) -> str | None:
    """The scheme a tag's private part names (``bgnpcgn`` -> ``bgn_pcgn``: tags drop the
    underscore), or the part as written when no registered scheme has that name."""
    if not tag_part:
        return None
    if "%" in tag_part:     # a name written percent-encoded (transcite.model.scheme_tag)
        from urllib.parse import unquote

        return unquote(tag_part)
    from .registry import registry

    found = registry.find("scheme", tag_part)
    if found is not None:
        return found.name
    for entry in registry.entries("scheme"):
        if entry.name.replace("_", "") == tag_part:
            return entry.name
    return tag_part


@dataclass(frozen=True, slots=True)
class Variant:
    """One form of a text field: original, romanised (with scheme) or translated (with language).

    ``origin`` says where the form came from: ``"input"`` when the user wrote it, otherwise the
    name of the step or service that derived it (``"translit"``, ``"crossref"``). ``confidence``
    (0..1) is set for derived forms whose correctness is uncertain.
    """

    text: str
    form: Form
    lang: str | None = None
    scheme: str | None = None
    origin: str = "input"
    confidence: float | None = None

    @property
    def tag(self) -> str:
        """A BCP 47 style tag for this form: ``ru``, ``en``, ``ru-Latn``, ``ru-Latn-x-bsi``."""
        lang = self.lang or "und"
        if self.form is Form.ROMANISED:
            base = f"{lang}-Latn"
            return f"{base}-x-{scheme_tag(self.scheme)}" if self.scheme else base
        return lang

    @property
    def derived(self) -> bool:
        """True when transcite (not the user) produced this form."""
        return self.origin != "input"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields (several times faster than the default for slots classes)."""
        return (Variant, (self.text, self.form, self.lang, self.scheme, self.origin,
                          self.confidence))


@dataclass(slots=True)
class Name:
    """A personal or institutional name, CSL-JSON shaped, with optional variant forms."""

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None
    literal: str | None = None
    variants: list[NameVariant] = field(default_factory=list)

    _CSL_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("family", "family"),
        ("given", "given"),
        ("dropping_particle", "dropping-particle"),
        ("non_dropping_particle", "non-dropping-particle"),
        ("suffix", "suffix"),
        ("literal", "literal"),
    )

    def to_csl(self) -> dict[str, str]:
        """Return the plain CSL-JSON name object (variants not included)."""
        out: dict[str, str] = {}    # (the keys of _CSL_KEYS, written out: once per name)
        if self.family:
            out["family"] = self.family
        if self.given:
            out["given"] = self.given
        if self.dropping_particle:
            out["dropping-particle"] = self.dropping_particle
        if self.non_dropping_particle:
            out["non-dropping-particle"] = self.non_dropping_particle
        if self.suffix:
            out["suffix"] = self.suffix
        if self.literal:
            out["literal"] = self.literal
        return out

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> Name:
        """Build a name from a CSL-JSON name object; unknown keys are ignored."""
        kwargs: dict[str, Any] = {
            attr: str(data[key]) for attr, key in cls._CSL_KEYS if data.get(key) not in (None, "")
        }
        return cls(**kwargs)

    def parts_equal(self, other: Name) -> bool:
        """True when both names have the same parts (variants ignored; an empty part is no
        part, as in :meth:`to_csl`)."""
        if (self.family == other.family and self.given == other.given
                and self.dropping_particle == other.dropping_particle
                and self.non_dropping_particle == other.non_dropping_particle
                and self.suffix == other.suffix and self.literal == other.literal):
            return True
        return self.to_csl() == other.to_csl()

    def display(self) -> str:
        """A short human-readable form such as ``Батин, Ю.`` (for messages and search)."""
        if self.literal:
            return self.literal
        family = " ".join(p for p in (self.non_dropping_particle, self.family) if p)
        given = " ".join(p for p in (self.given, self.dropping_particle) if p)
        text = ", ".join(p for p in (family, given) if p)
        return f"{text}, {self.suffix}" if self.suffix else text

    def variant(self, form: Form, lang: str | None = None) -> NameVariant | None:
        """The first variant of the given form (and language, when given), or None."""
        for v in self.variants:
            if v.form is form and (lang is None or v.lang == lang):
                return v
        return None

    def without_variants(self) -> Name:
        """A copy holding only the name parts."""
        return replace(self, variants=[])

    def copy(self) -> Name:
        """A copy whose variant list can be changed independently."""
        return Name(self.family, self.given, self.dropping_particle, self.non_dropping_particle,
                    self.suffix, self.literal, list(self.variants))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields (several times faster than the default for slots classes)."""
        return (Name, (self.family, self.given, self.dropping_particle,
                       self.non_dropping_particle, self.suffix, self.literal, self.variants))


@dataclass(frozen=True, slots=True)
class NameVariant:
    """Another form of a :class:`Name` (e.g. its romanisation), with Variant's metadata."""

    name: Name
    form: Form
    lang: str | None = None
    scheme: str | None = None
    origin: str = "input"
    confidence: float | None = None

    @property
    def tag(self) -> str:
        """The BCP 47 style tag of this form (see :attr:`Variant.tag`)."""
        return Variant("", self.form, self.lang, self.scheme).tag

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields."""
        return (NameVariant, (self.name, self.form, self.lang, self.scheme, self.origin,
                              self.confidence))


@dataclass(frozen=True, slots=True)
class Date:
    """A CSL date: one or two date-parts (a range), or a literal, with circa and season."""

    parts: tuple[tuple[int, ...], ...] = ()
    literal: str | None = None
    circa: bool = False
    season: str | None = None
    raw: str | None = None

    @property
    def year(self) -> int | None:
        """The (first) year, or None for a literal date."""
        return self.parts[0][0] if self.parts and self.parts[0] else None

    def to_csl(self) -> dict[str, Any]:
        """The CSL-JSON date object."""
        out: dict[str, Any] = {}
        if self.parts:
            out["date-parts"] = [list(p) for p in self.parts]
        if self.literal:
            out["literal"] = self.literal
        if self.raw and not self.parts and not self.literal:
            out["raw"] = self.raw
        if self.circa:
            out["circa"] = True
        if self.season:
            out["season"] = self.season
        return out

    @classmethod
    def from_csl(cls, data: Any) -> Date:
        """Build a date from a CSL-JSON date object (or a bare string/int, kept as raw/year).

        Raises ValueError for date-parts that are not integers.
        """
        if isinstance(data, (int, str)) and not isinstance(data, bool):
            text = str(data).strip()
            if re.fullmatch(r"-?\d{1,4}", text):
                return cls(parts=((int(text),),))
            return cls(raw=text)
        if not isinstance(data, dict):
            raise ValueError(f"a date must be an object, not {type(data).__name__}")
        parts: list[tuple[int, ...]] = []
        for p in data.get("date-parts") or []:
            if not isinstance(p, (list, tuple)):
                raise ValueError("date-parts must be a list of lists")
            ints = tuple(int(x) for x in p if x not in (None, ""))
            if ints:
                parts.append(ints)
        season = data.get("season")
        circa = data.get("circa")
        return cls(
            parts=tuple(parts[:2]),
            literal=str(data["literal"]) if data.get("literal") else None,
            circa=bool(circa) and circa not in ("0", "false"),
            season=str(season) if season not in (None, "") else None,
            raw=str(data["raw"]) if data.get("raw") else None,
        )

    def iso(self) -> str:
        """The date as an EDTF/ISO 8601 string (``2017-09-06``, ``2016/2017``), or its literal."""
        if not self.parts:
            return self.literal or self.raw or ""
        text = "/".join("-".join(f"{x:04d}" if i == 0 else f"{x:02d}" for i, x in enumerate(p))
                        for p in self.parts)
        return text + ("~" if self.circa else "")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields."""
        return (Date, (self.parts, self.literal, self.circa, self.season, self.raw))


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a reference was read from: file name, 1-based line, format and the raw text."""

    file: str | None = None
    line: int | None = None
    format: str | None = None
    raw: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields."""
        return (Origin, (self.file, self.line, self.format, self.raw))


@dataclass(slots=True)
class Reference:
    """One bibliographic item, CSL-JSON shaped, with variant forms and its origin.

    ``fields`` holds text and number variables exactly as read, ``names`` the name variables,
    ``dates`` the date variables. ``variants`` holds other forms of text fields. ``extra`` keeps
    source fields transcite does not understand (by their source name) so that writing the same
    format back loses nothing.
    """

    id: str
    type: str = "document"
    fields: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[Name]] = field(default_factory=dict)
    dates: dict[str, Date] = field(default_factory=dict)
    variants: dict[str, list[Variant]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None

    # -- plain access -------------------------------------------------------------------------
    def get(self, variable: str, default: Any = None) -> Any:
        """The value of a CSL variable as read: str, list[Name] or Date (``default`` if absent)."""
        if variable in self.fields:
            return self.fields[variable]
        if variable in self.names:
            return self.names[variable]
        if variable in self.dates:
            return self.dates[variable]
        return default

    def __contains__(self, variable: str) -> bool:
        return variable in self.fields or variable in self.names or variable in self.dates

    def set(self, variable: str, value: Any) -> None:
        """Set a CSL variable, routing names, dates and text to their dictionaries.

        ``None`` or an empty value removes the variable.
        """
        self.fields.pop(variable, None)
        self.names.pop(variable, None)
        self.dates.pop(variable, None)
        if value is None or value == "" or value == []:
            return
        if variable in NAME_VARIABLES:
            self.names[variable] = list(value)
        elif variable in DATE_VARIABLES:
            self.dates[variable] = value if isinstance(value, Date) else Date.from_csl(value)
        else:
            self.fields[variable] = str(value)

    @property
    def title(self) -> str | None:
        """The title as read."""
        return self.fields.get("title")

    @property
    def year(self) -> int | None:
        """The year of ``issued``, when known."""
        issued = self.dates.get("issued")
        return issued.year if issued else None

    @property
    def language(self) -> str | None:
        """The item's language tag (``ru``, ``en``), when given."""
        return self.fields.get("language")

    # -- variants -----------------------------------------------------------------------------
    def add_variant(self, variable: str, variant: Variant) -> bool:
        """Add a form of a text field unless an equal form is already there.

        Returns True when it was added. A variant never replaces the value in ``fields``.
        """
        existing = self.variants.setdefault(variable, [])
        for v in existing:
            if v.form is variant.form and v.lang == variant.lang and v.scheme == variant.scheme:
                if v.text == variant.text:
                    return False
        existing.append(variant)
        return True

    def forms(self, variable: str) -> list[Variant]:
        """All known forms of a text field, the value as read included.

        When the value as read is not itself listed among the variants, it is classified by
        script: Cyrillic text is the original; Latin text of a Russian item is a romanisation
        (scheme unknown); anything else is the original in the item's language.
        """
        explicit = list(self.variants.get(variable, ()))
        value = self.fields.get(variable)
        if value is None or any(v.text == value for v in explicit):
            return explicit
        lang = self.language
        if is_cyrillic(value):
            primary = Variant(value, Form.ORIGINAL, lang or "ru")
        elif lang and lang.split("-")[0] == "ru":
            primary = Variant(value, Form.ROMANISED, "ru")
        else:
            primary = Variant(value, Form.ORIGINAL, lang)
        return [primary, *explicit]

    def form(self, variable: str, form: Form, lang: str | None = None) -> Variant | None:
        """The first form of a text field matching ``form`` (and ``lang`` for translations)."""
        for v in self.forms(variable):
            if v.form is form and (lang is None or v.lang == lang):
                return v
        return None

    # -- CSL-JSON -----------------------------------------------------------------------------
    def to_csl(self) -> dict[str, Any]:
        """The plain CSL-JSON item (values as read; no variants, no extras)."""
        item: dict[str, Any] = {"id": self.id, "type": self.type}
        item.update(self.fields)
        for var, names in self.names.items():
            item[var] = [n.to_csl() for n in names]
        for var, date in self.dates.items():
            item[var] = date.to_csl()
        return item

    def copy(self) -> Reference:
        """A copy that can be changed without touching this reference."""
        return Reference(
            id=self.id,
            type=self.type,
            fields=dict(self.fields),
            names={k: [n.copy() for n in v]
                   for k, v in self.names.items()},
            dates=dict(self.dates),
            variants={k: list(v) for k, v in self.variants.items()},
            extra=dict(self.extra),
            origin=self.origin,
        )

    def where(self) -> dict[str, Any]:
        """Keyword arguments locating this reference for :meth:`Report.add`."""
        o = self.origin
        return {"file": o.file if o else None, "line": o.line if o else None, "item": self.id}

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields (several times faster than the default for slots classes:
        long libraries cross between worker processes)."""
        return (Reference, (self.id, self.type, self.fields, self.names, self.dates,
                            self.variants, self.extra, self.origin))


def free_id(base: str, taken: Container[str], counters: dict[str, int]) -> str:
    """The first ``base-N`` (N from 2) not in ``taken``. ``counters`` remembers where each base's
    search stopped, so that giving one id to many references stays linear."""
    n = counters.get(base, 2)
    while f"{base}-{n}" in taken:
        n += 1
    counters[base] = n + 1
    return f"{base}-{n}"


class Library:
    """An ordered collection of references with unique, case-sensitive ids, and a Report.

    Ids are compared exactly: ``Smith2000`` and ``smith2000`` are two entries (citeproc-py would
    merge them; transcite's renderer maps ids so they never collide).
    """

    __slots__ = ("_next", "_refs", "report")

    def __init__(self, references: Iterable[Reference] = (), report: Report | None = None) -> None:
        self._refs: dict[str, Reference] = {}
        self._next: dict[str, int] = {}
        self.report: Report = report if report is not None else Report()
        for ref in references:
            self.add(ref)

    def add(self, ref: Reference) -> Reference:
        """Add a reference. A clashing id is kept under a new id (``key-2``) and reported."""
        if ref.id in self._refs:
            first = self._refs[ref.id]
            new_id = free_id(ref.id, self._refs, self._next)
            line = first.origin.line if first.origin else None
            self.report.error(
                "library.duplicate-id",
                f"duplicate id {ref.id!r} (first defined"
                + (f" at line {line}" if line is not None else "")
                + f"); this entry is kept as {new_id!r}",
                **ref.where(),
            )
            ref.id = new_id
        self._refs[ref.id] = ref
        return ref

    def replace(self, ref: Reference) -> None:
        """Put ``ref`` in place of the reference with the same id (keeps the order)."""
        if ref.id not in self._refs:
            raise KeyError(ref.id)
        self._refs[ref.id] = ref

    def remove(self, ref_id: str) -> Reference:
        """Remove and return the reference with this id."""
        return self._refs.pop(ref_id)

    def get(self, ref_id: str) -> Reference | None:
        """The reference with this exact id, or None."""
        return self._refs.get(ref_id)

    def __getitem__(self, ref_id: str) -> Reference:
        return self._refs[ref_id]

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._refs

    def __iter__(self) -> Iterator[Reference]:
        return iter(self._refs.values())

    def __len__(self) -> int:
        return len(self._refs)

    @property
    def ids(self) -> list[str]:
        """The ids in order."""
        return list(self._refs)

    def extend(self, other: Iterable[Reference]) -> None:
        """Add several references (and, for a Library, its problems)."""
        for ref in other:
            self.add(ref)
        if isinstance(other, Library):
            self.report.extend(other.report)

    def __repr__(self) -> str:
        return f"Library({len(self)} references, {self.report!r})"
