"""CSL locales: terms, date formats and options, merged along CSL's fallback chain.

For a locale such as ``de-AT`` the chain is, from weakest to strongest: the ``en-US`` locale
file, the language's primary dialect file (``de-DE``), the ``de-AT`` file, then the style's own
``<locale>`` elements without ``xml:lang``, with ``de`` and with ``de-AT``. Locale files come
from transcite's shipped ``styles/locales`` first (newer), then from citeproc-py's data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .native import register

__all__ = ["CSL_NS", "Locale", "Term", "load_locale", "locale_file", "locale_files"]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORM_FALLBACK = {"verb-short": ("verb-short", "verb", "long"),
                  "symbol": ("symbol", "short", "long"),
                  "short": ("short", "long"), "verb": ("verb", "long"), "long": ("long",)}


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(frozen=True, slots=True)
class Term:
    """A locale term: singular and plural text, its gender and (ordinals) how it matches."""

    single: str
    multiple: str
    gender: str | None = None
    gender_form: str | None = None
    match: str | None = None


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class Locale:
    """A merged locale."""

    lang: str
    terms: dict[tuple[str, str, str | None], Term] = field(default_factory=dict)
    dates: dict[str, Any] = field(default_factory=dict)   # form -> <date> element
    punctuation_in_quote: bool = False
    limit_day_ordinals: bool = False
    _cache: dict[tuple[str, str, bool, str | None], str | None] = field(default_factory=dict)
    _labels: dict[str, str] | None = None

    def term(self, name: str, form: str = "long", plural: bool = False,
             gender: str | None = None) -> str | None:
        """The text of a term (``None`` when no locale defines it), with CSL's form fallback."""
        key = (name, form, plural, gender)
        try:
            return self._cache[key]
        except KeyError:
            pass
        found = None
        for f in _FORM_FALLBACK.get(form, (form, "long")):
            t = self.terms.get((name, f, gender)) or self.terms.get((name, f, None))
            if t is not None:
                found = t.multiple if plural else t.single
                break
        self._cache[key] = found
        return found

    def term_info(self, name: str, form: str = "long") -> Term | None:
        """The :class:`Term` record (for its gender)."""
        for f in _FORM_FALLBACK.get(form, (form, "long")):
            t = self.terms.get((name, f, None))
            if t is not None:
                return t
        return None

    def label_prefix(self, value: str) -> tuple[str | None, str]:
        """A locator term written at the start of a value ("p. 10", "figs. 2-3", "vol. 3"):
        ``(term name, the rest)``, or ``(None, value)`` (as citeproc-js reads them)."""
        m = _LABEL_AT_START.match(value)
        if m is None:
            return None, value
        table = self._labels
        if table is None:
            table = {}
            for (name, _form, _), t in self.terms.items():
                if name in LOCATOR_TERMS:
                    for text in (t.single, t.multiple):
                        if text and not text[0].isdigit():
                            table.setdefault(text.lower(), name)
            self._labels = table
        term = table.get(m.group(1).lower())
        return (term, value[m.end():]) if term else (None, value)

    def has_term(self, name: str) -> bool:
        """True when any form of the term is defined."""
        return any(k[0] == name for k in self.terms)

    def merge(self, root: Any) -> None:
        """Merge a ``<locale>`` element (a file's root or a style's child) over this locale."""
        # only merging needs lxml (a compiled style is loaded whole)
        from lxml import etree

        for child in root:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "style-options":
                v = child.get("punctuation-in-quote")
                if v is not None:
                    self.punctuation_in_quote = v == "true"
                v = child.get("limit-day-ordinals-to-day-1")
                if v is not None:
                    self.limit_day_ordinals = v == "true"
            elif tag == "date":
                self.dates[child.get("form", "text")] = child
            elif tag == "terms":
                self._merge_terms(child)
        self._cache.clear()
        self._labels = None

    def _merge_terms(self, terms: Any) -> None:
        from lxml import etree

        new: dict[tuple[str, str, str | None], Term] = {}
        for t in terms:
            if not isinstance(t.tag, str) or etree.QName(t).localname != "term":
                continue
            name = t.get("name")
            single = multiple = None
            for part in t:
                if not isinstance(part.tag, str):
                    continue
                local = etree.QName(part).localname
                if local == "single":
                    single = part.text or ""
                elif local == "multiple":
                    multiple = part.text or ""
            if single is None and multiple is None:
                single = multiple = t.text or ""
            single = single if single is not None else multiple or ""
            multiple = multiple if multiple is not None else single
            new[(name, t.get("form", "long"), t.get("gender-form"))] = Term(
                single, multiple, t.get("gender"), t.get("gender-form"), t.get("match"))
        if any(_is_ordinal(k[0]) for k in new):
            for k in [k for k in self.terms if _is_ordinal(k[0])]:
                del self.terms[k]
        self.terms.update(new)


#: CSL's locator terms (the values of a cite's ``label``).
LOCATOR_TERMS = frozenset(
    """act appendix article-locator book canon chapter column elocation equation figure folio
    issue line note opus page paragraph part rule scene section sub-verbo supplement table
    timestamp title-locator verse version volume""".split())
_LABEL_AT_START = lazy_re(r"^\s*([^\W\d_][^\s\d]*\.?)\s*(?=[\dIVXLCDMivxlcdm])")


def _is_ordinal(name: str) -> bool:
    return name == "ordinal" or (name.startswith("ordinal-") and name[8:].isdigit())


def _shipped_locales() -> Path:
    from ...resources import shipped_dir

    return shipped_dir("styles") / "locales"


@cache
def _citeproc_locales() -> Path:
    """citeproc-py's locale folder (``citeproc.LOCALES_PATH``), found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("citeproc")
    if spec is None or spec.origin is None:
        from citeproc import LOCALES_PATH

        return Path(LOCALES_PATH)
    return Path(spec.origin).resolve().parent / "data" / "locales"


@cache
def _primary_dialects() -> dict[str, str]:
    with open(_citeproc_locales() / "locales.json", encoding="utf-8") as fh:
        data: dict[str, str] = json.load(fh)["primary-dialects"]
    return data


def locale_file(tag: str) -> Path | None:
    """The locale file for an exact tag: transcite's shipped one, else citeproc-py's."""
    for folder in (_shipped_locales(), _citeproc_locales()):
        path = folder / f"locales-{tag}.xml"
        if path.is_file():
            return path
    return None


def locale_files(tag: str) -> list[Path]:
    """The locale files :func:`load_locale` merges for ``tag``, weakest first: ``en-US``, the
    language's primary dialect, the tag itself (those that exist)."""
    tag = normalise_tag(tag or "en-US")
    chain: list[str] = ["en-US"]
    primary = _primary_dialects().get(tag.split("-")[0])
    if primary and primary not in chain:
        chain.append(primary)
    if tag not in chain:
        chain.append(tag)
    return [p for p in (locale_file(t) for t in chain) if p is not None]


@cache
def _parse_file(path: Path) -> Any:
    from lxml import etree

    parser = etree.XMLParser(remove_comments=True, no_network=True)
    return etree.parse(str(path), parser).getroot()


def normalise_tag(tag: str) -> str:
    """``en_us`` / ``en-us`` -> ``en-US``."""
    parts = tag.replace("_", "-").split("-")
    if len(parts) >= 2 and len(parts[-1]) == 2:
        parts[-1] = parts[-1].upper()
    parts[0] = parts[0].lower()
    return "-".join(parts)


def load_locale(tag: str, style_locales: list[Any] = ()) -> Locale:  # type: ignore[assignment]
    """The merged locale for ``tag`` given the style's own ``<locale>`` elements."""
    tag = normalise_tag(tag or "en-US")
    lang = tag.split("-")[0]
    loc = Locale(tag)
    for path in locale_files(tag):
        loc.merge(_parse_file(path))
    by_lang: dict[str | None, list[Any]] = {}
    for el in style_locales:
        by_lang.setdefault(el.get(_XML_LANG), []).append(el)
    for key in (None, lang, tag):
        if key == tag and key == lang:
            continue
        for el in by_lang.get(key, []):
            loc.merge(el)
    return loc


register(globals())    # pickling when compiled (see .native)
