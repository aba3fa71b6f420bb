"""Views: choosing, per item, the form of each field before the CSL engine runs.

CSL has one value per variable, so transcite picks the form first:

* ``original`` - each item in its own script: Cyrillic for Russian sources (rebuilt from a
  romanisation when that is all the library has), as read for the others;
* ``romanised`` - Russian items romanised by the profile's schemes, the others as read;
* ``references`` - as ``romanised``, with the English title in [brackets] (or instead of the
  title, as the profile says), publishers with "Publ.", cities in English, and the language
  marker ("(In Russ.)") added after rendering.

The result of :func:`project` is a plain CSL-JSON item plus what the renderer must know about it
(its language, whether it needs the marker). Nothing in the Reference is changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ..lang import is_russian
from ..model import Form, Name, Reference, Report, is_cyrillic
from . import add_patent_kind, add_role_qualifiers, escape_designation

if TYPE_CHECKING:
    from typing import TypedDict

    from ..profiles import ReferencesSettings

    class _NameParts(TypedDict):
        """A :class:`Name`'s text parts, as its keyword arguments."""

        family: str | None
        given: str | None
        suffix: str | None
        literal: str | None
        dropping_particle: str | None
        non_dropping_particle: str | None

__all__ = ["VIEWS", "Projected", "genitive_roles", "in_role_case", "is_russian_item", "project",
           "same_scheme"]

#: The views a caller can ask for (``dual`` renders ``original`` and ``references``).
VIEWS = ("original", "romanised", "references", "dual")

#: Below this confidence a rebuilt Cyrillic form is reported for a human to check.
DOUBTFUL = 0.6

#: Fields whose romanised form is rebuilt to Cyrillic (or re-romanised by the profile's scheme).
#: Other fields (notes, abstracts, identifiers) are romanised only when they hold Cyrillic.
#: Names of periodicals, series and publishers: an established spelling the user gave is kept.
_PROPER = frozenset({"container-title", "collection-title", "publisher",
                     "container-title-short"})
_TEXTUAL = frozenset({"title", "container-title", "collection-title", "volume-title",
                      "event-title", "title-short", "container-title-short", "publisher",
                      "publisher-place", "genre", "medium", "event", "event-place", "section"})


@dataclass(slots=True)
class Projected:
    """A CSL-JSON item for the engine and what the list renderer needs to know about it."""

    item: dict[str, Any]
    russian: bool
    language: str
    marker: bool = False
    notes: list[str] = field(default_factory=list)


def is_russian_item(ref: Reference) -> bool:
    """True for a Russian-language source: by ``language``, or Cyrillic or romanised-Russian forms
    in its title, container or names."""
    if ref.language:
        return is_russian(ref.language)
    for var in ("title", "container-title", "publisher"):
        value = ref.fields.get(var)
        if value and is_cyrillic(value):
            return True
        if any(v.form is Form.ROMANISED and is_russian(v.lang) for v in ref.variants.get(var, ())):
            return True
    for names in ref.names.values():
        for n in names:
            if is_cyrillic(n.display()):
                return True
    return False


def _translit() -> Any:
    from .. import translit

    return translit


class _Projector:
    """Builds the items of one view; caches transliterations within a run."""

    def __init__(self, view: str, settings: ReferencesSettings | None, report: Report) -> None:
        self.view = view
        self.settings = settings
        self.report = report
        self._cyr: dict[str, tuple[str, float]] = {}

    # -- forms -------------------------------------------------------------------------------
    def cyrillic(self, text: str, ref: Reference, var: str) -> str:
        """Cyrillic for a romanised Russian value, rebuilt and cached; doubtful words reported."""
        if text not in self._cyr:
            rebuilt = _translit().to_cyrillic(text)
            self._cyr[text] = (rebuilt.text, rebuilt.confidence)
        out, confidence = self._cyr[text]
        if confidence < DOUBTFUL:
            self.report.warning("view.doubtful-cyrillic",
                                f"{var}: the Cyrillic rebuilt from {text!r} is uncertain "
                                f"({out!r}, confidence {confidence:.2f}); check it",
                                **ref.where())
        return out

    def original_text(self, ref: Reference, var: str) -> str:
        value = ref.fields[var]
        original = ref.form(var, Form.ORIGINAL)
        if original is not None and (is_cyrillic(original.text) or not is_russian_item(ref)):
            return original.text
        if is_russian_item(ref) and not is_cyrillic(value):
            # a Latin value beside Cyrillic ones was written that way on purpose ("RNT", "TASS");
            # only a library read from a romanised list, or an explicit romanised form, is rebuilt
            explicit = any(v.form is Form.ROMANISED for v in ref.variants.get(var, ()))
            if explicit or not _has_cyrillic(ref):
                romanised = ref.form(var, Form.ROMANISED)
                if romanised is not None:
                    return self.cyrillic(romanised.text, ref, var)
        return value

    def romanised_text(self, ref: Reference, var: str, scheme: str) -> str:
        value = ref.fields[var]
        wanted = scheme
        forms = ref.forms(var)
        for v in forms:
            if v.form is Form.ROMANISED and v.scheme and same_scheme(v.scheme, wanted):
                return v.text
        if var in _PROPER and self.settings is not None and \
                self.settings.keep_user_romanised_names:
            # periodicals and publishers have established Latin names ("Kommersant"): the
            # user's own romanisation wins over a scheme's
            own = next((v for v in ref.variants.get(var, ()) if v.form is Form.ROMANISED
                        and v.origin == "input"), None)
            if own is not None:
                return own.text
        source = next((v.text for v in forms if v.form is Form.ORIGINAL and is_cyrillic(v.text)),
                      None)
        if source is None:
            romanised = next((v.text for v in forms if v.form is Form.ROMANISED), None)
            if romanised is None:
                return value if not is_cyrillic(value) else _translit().romanise(value, scheme)
            source = self.cyrillic(romanised, ref, var)
        return str(_translit().romanise(source, scheme))

    def name(self, ref: Reference, name: Name) -> Name:
        if self.view == "original":
            original = name.variant(Form.ORIGINAL)
            if original is not None:
                return original.name
            if is_cyrillic(name.display()) or not is_russian_item(ref):
                return name.without_variants()
            return Name(**cast("_NameParts",
                               {k: (self.cyrillic(v, ref, "name") if v and k in ("family", "given")
                                    else v) for k, v in _parts(name).items()}))
        assert self.settings is not None
        scheme = self.settings.names_scheme
        if not is_cyrillic(name.display()):
            return name.without_variants()  # already Latin: the user's own spelling
        # initials are made from the Cyrillic (Юрий -> Ю. -> Yu.), as on the GOST side
        cyrillic_given = _initials(name.given) if name.given and is_cyrillic(name.given) \
            else None
        if self.settings.keep_user_romanised_names:
            given = name.variant(Form.ROMANISED)
            if given is not None and (given.scheme is None or same_scheme(given.scheme, scheme)
                                      or given.origin == "input"):
                kept = given.name
                if cyrillic_given and kept.given and not _is_initials(kept.given):
                    kept = dataclasses.replace(kept, given=_translit().romanise_name(
                        Name(given=cyrillic_given), scheme).given)
                return kept
        plain = name.without_variants()
        if cyrillic_given:
            plain = dataclasses.replace(plain, given=cyrillic_given)
        romanised: Name = _translit().romanise_name(plain, scheme)
        return romanised

    # -- items -------------------------------------------------------------------------------
    def project(self, ref: Reference) -> Projected:
        russian = is_russian_item(ref)
        item: dict[str, Any] = {"id": ref.id, "type": ref.type}
        language = ref.language or ("ru" if russian else "en")
        if self.view == "original" or not russian:
            for var, value in ref.fields.items():
                item[var] = self.original_text(ref, var) if russian and var in _TEXTUAL \
                    else value
        else:
            self._romanise_fields(ref, item)
        for var, names in ref.names.items():
            kept = [n for n in names if n.literal != "others"]
            item[var] = [self.name(ref, n).to_csl() if russian else n.to_csl() for n in kept]
            if names and names[-1].literal == "others":
                item[var].append({"literal": "others"})     # "и др.": the style's et-al term
        add_patent_kind(item, ref)
        add_role_qualifiers(item, ref)
        escape_designation(item)
        for var, date in ref.dates.items():
            item[var] = date.to_csl()
            if self.view != "original" and date.literal and is_cyrillic(date.literal):
                assert self.settings is not None    # a date written as text ("в печати")
                item[var]["literal"] = str(_translit().romanise(date.literal,
                                                                self.settings.scheme))
        marker = russian and self.view == "references" and bool(
            self.settings and self.settings.marker)
        if self.view in ("romanised", "references") and russian:
            item["language"] = "en" if self.view == "references" else item.get("language", "ru")
        return Projected(item, russian, language, marker)

    def _romanise_fields(self, ref: Reference, item: dict[str, Any]) -> None:
        s = self.settings
        assert s is not None
        for var, value in ref.fields.items():
            if var == "publisher-place":
                item[var] = self._place(ref, var, s)
                continue
            if var in _TEXTUAL:
                text = self.romanised_text(ref, var, s.scheme)
            elif is_cyrillic(value):
                text = str(_translit().romanise(value, s.scheme))
            else:
                text = value
            if var == "publisher" and s.publisher_suffix and not text.rstrip(". ").endswith(
                    s.publisher_suffix.rstrip(".")):
                text = f"{text} {s.publisher_suffix}"
            if self.view == "references" and var in ("title", "container-title"):
                mode = s.title if var == "title" else s.container
                text = self._with_translation(ref, var, text, mode)
            item[var] = text

    def _place(self, ref: Reference, var: str, s: ReferencesSettings) -> str:
        original = self.original_text(ref, var)
        parts = [p.strip() for p in original.replace(";", ",").split(",")]
        out = []
        for part in parts:
            if part in s.places:
                out.append(s.places[part])
            elif is_cyrillic(part):
                out.append(str(_translit().romanise(part, s.scheme)))
            else:
                out.append(part)
        return ", ".join(p for p in out if p)

    def _with_translation(self, ref: Reference, var: str, romanised: str, mode: str) -> str:
        english = ref.form(var, Form.TRANSLATED, "en")
        if english is None and var == "title":
            s = self.settings
            if s is not None and s.missing_translation != "ignore":
                add: Callable[..., Any] = (self.report.error if s.missing_translation == "error"
                                           else self.report.warning)
                add("view.missing-translation",
                    "no English title for this Russian source; the References entry shows "
                    "the romanised title only (add one, e.g. a titleaddon = {[...]})",
                    **ref.where())
        if english is None or mode == "romanised":
            return romanised
        if mode == "translated":
            return english.text
        return f"{romanised.rstrip('. ')} [{english.text.strip().rstrip('.')}]"


def _initials(given: str) -> str:
    """``Юрий Петрович`` -> ``Ю. П.``; ``Жан-Поль`` -> ``Ж.-П.``; initials stay as written."""
    from .csl.names import initialize

    return initialize(given, ". ", True)


def _is_initials(given: str) -> bool:
    """True when a given-name field holds only initials (``Yu.``, ``D. V.``, ``Yu.P.``)."""
    return all(len(w.rstrip(".")) <= 2 and w.endswith(".") for w in
               given.replace("-", " ").replace(".", ". ").split())


def _has_cyrillic(ref: Reference) -> bool:
    """True when the user wrote any of the item's values or names in Cyrillic."""
    return any(is_cyrillic(v) for v in ref.fields.values()) or any(
        is_cyrillic(n.display()) for names in ref.names.values() for n in names)


def _parts(name: Name) -> dict[str, str | None]:
    return {"family": name.family, "given": name.given, "suffix": name.suffix,
            "literal": name.literal, "dropping_particle": name.dropping_particle,
            "non_dropping_particle": name.non_dropping_particle}


def same_scheme(a: str, b: str) -> bool:
    """Whether two scheme names (or aliases) denote the same scheme."""
    if a.replace("_", "").lower() == b.replace("_", "").lower():
        return True
    from ..registry import registry

    ea, eb = registry.find("scheme", a), registry.find("scheme", b)
    return ea is not None and ea is eb


#: CSL roles a style may print after a role word ("под ред.", "пер.", "сост.").
_ROLES = frozenset({"editor", "translator", "compiler", "collection-editor", "editorial-director",
                    "contributor", "illustrator", "director", "container-author", "chair",
                    "curator", "organizer", "reviewed-author", "narrator"})


def genitive_roles(processor: Any) -> frozenset[str]:
    """The roles a compiled style prints after a Russian role word that governs the genitive
    ("под ред. П. Л. Кириллова", "пер. И. И. Иванова"; not "сост." or "отв. ред.").

    A role counts when every ``<names>`` of the style that labels it puts a verb term before
    the names (``form="verb"`` or ``"verb-short"``) and that term, in the processor's locale,
    governs the genitive; a style that also prints it with a noun label ("(ред.)") keeps the
    nominative. The answer is kept on the processor (a compiled style from the cache carries
    it, and need not read its XML again).
    """
    known = getattr(processor, "genitive_roles", None)
    if isinstance(known, frozenset):
        return known
    found = _genitive_roles(processor)
    try:
        processor.genitive_roles = found
    except AttributeError:
        pass
    return found


def _genitive_roles(processor: Any) -> frozenset[str]:
    from .cases import governs_genitive
    from .csl.locale import CSL_NS

    if not str(getattr(processor.locale, "lang", "")).lower().startswith("ru"):
        return frozenset()
    verdict: dict[str, bool] = {}
    for names in processor.root.iter(f"{{{CSL_NS}}}names"):
        label = names.find(f"{{{CSL_NS}}}label")
        if label is None:
            continue
        form = label.get("form", "long")
        before = any(isinstance(c.tag, str) and c.tag == f"{{{CSL_NS}}}name"
                     for c in label.itersiblings())
        for var in (names.get("variable") or "").split():
            if var not in _ROLES:
                continue
            ok = form in ("verb", "verb-short") and before and governs_genitive(
                processor.locale.term(var, form))
            verdict[var] = verdict.get(var, True) and ok
    return frozenset(v for v, ok in verdict.items() if ok)


def in_role_case(items: list[Projected], roles: frozenset[str]) -> list[dict[str, Any]]:
    """The CSL items of ``items`` for the engine, the names of ``roles`` of the Russian ones
    in the genitive (:func:`genitive_roles`); the projected items themselves are not changed
    (the library keeps names in the nominative, the References view prints them so)."""
    if not roles:
        return [p.item for p in items]
    from .cases import genitive_name

    out = []
    for p in items:
        item = p.item
        if p.russian and any(r in item for r in roles):
            item = dict(item)
            for role in roles & item.keys():
                item[role] = [_genitive_csl(n, genitive_name) for n in item[role]]
        out.append(item)
    return out


def _genitive_csl(name: Any, decline: Callable[[Name], Name]) -> Any:
    """A CSL-JSON name in the genitive (literals and markers as they are)."""
    if not isinstance(name, dict) or "literal" in name or not isinstance(name.get("family"), str):
        return name
    given = name.get("given")
    declined = decline(Name(name["family"], given if isinstance(given, str) else None))
    if declined.family == name["family"] and declined.given == given:
        return name
    return {**name, "family": declined.family, **({"given": declined.given} if given else {})}


def project(refs: list[Reference], view: str, settings: ReferencesSettings | None,
            report: Report) -> list[Projected]:
    """Project references into CSL items for ``view`` (see the module docstring)."""
    if view not in ("original", "romanised", "references"):
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if view != "original" and settings is None:
        raise ValueError(f"the {view} view needs References settings (a profile)")
    projector = _Projector(view, settings, report)
    return [projector.project(ref) for ref in refs]
