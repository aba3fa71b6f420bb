"""Licences: recognise a licence statement, code or URL and name it by SPDX id and canonical URL.

Journals print their licence in many ways - "This work is licensed under a Creative Commons
Attribution 4.0 License", "CC BY-NC-ND 4.0", "creativecommons.org/licenses/by/4.0", or in
Russian ("лицензия Creative Commons «Attribution» 4.0"). :func:`recognise_licence` reads any of
them; the table of licences and the words of statements are data (``data/licences.json``).

>>> text = "This work is licensed under a Creative Commons Attribution 4.0 License."
>>> recognise_licence(text).spdx
'CC-BY-4.0'
>>> recognise_licence("http://creativecommons.org/licenses/by-nc-nd/4.0").licence.url
'https://creativecommons.org/licenses/by-nc-nd/4.0/'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .changes import Change
from .lazy import lazy_re
from .model import Reference, Report
from .resources import DataError, data_path, load_data

__all__ = [
    "Licence",
    "LicenceMatch",
    "licence_by_spdx",
    "licences",
    "normalise_licence",
    "recognise_licence",
]

STEP = "licences"
#: Keys of Reference.extra where transcite stores what it recognised.
SPDX_KEY = "license-spdx"
URL_KEY = "license-url"
_ORDER = ("by", "nc", "nd", "sa")
_URL = lazy_re(r"(?i)(?:https?://)?(?:www\.)?creativecommons\.org/(licenses|publicdomain)/"
               r"([a-z-]+)/(\d\.\d)(?:/([a-z]{2,}(?:-[a-z]+)?)(?![\w.]))?")
_SPDX = lazy_re(r"(?i)\b(CC0-1\.0|CC-PDM-1\.0|CC-BY(?:-(?:NC|ND|SA))*-\d\.\d)\b")
_CODE = lazy_re(r"(?i)(?<![\w-])CC[\s-]?(BY(?:[\s-]+(?:NC|ND|SA))*)(?![\w])"
                r"(?:[\s,-]*(?:v(?:ersion)?\.?\s*)?(\d\.\d))?")
_CC0 = lazy_re(r"(?i)(?<![\w-])CC[\s-]?(?:0|zero)(?![\w])(?:[\s,-]*(?:v\.?\s*)?(1\.0))?")
_VERSION = lazy_re(r"(?<![\d.])(\d\.\d)(?![\d.])")


@dataclass(frozen=True, slots=True)
class Licence:
    """A licence of the table: SPDX id, canonical URL, full name, elements and version."""

    spdx: str
    url: str
    name: str
    elements: tuple[str, ...]
    version: str


@dataclass(frozen=True, slots=True)
class LicenceMatch:
    """What :func:`recognise_licence` understood.

    ``licence`` is None when the text names a licence family but not which licence (no version,
    an impossible combination, a national port the table lacks); ``reason`` then says why.
    ``how`` is ``url``, ``spdx``, ``code`` or ``statement``.
    """

    licence: Licence | None
    elements: tuple[str, ...]
    version: str | None
    how: str
    reason: str | None = None

    @property
    def spdx(self) -> str | None:
        """The SPDX id, when the licence is known."""
        return self.licence.spdx if self.licence else None


@cache
def licences() -> tuple[Licence, ...]:
    """The licence table (validated; a malformed table raises DataError naming the file)."""
    data: dict[str, Any] = load_data("licences.json")
    path = data_path("licences.json")
    out: list[Licence] = []
    seen: set[str] = set()
    for n, entry in enumerate(data.get("licences", ())):
        try:
            lic = Licence(str(entry["spdx"]), str(entry["url"]), str(entry["name"]),
                          tuple(str(e) for e in entry["elements"]), str(entry["version"]))
        except (KeyError, TypeError):
            raise DataError(f"{path}: licence #{n + 1} needs spdx, url, name, elements and "
                            "version") from None
        if lic.spdx in seen:
            raise DataError(f"{path}: licence {lic.spdx} is listed twice")
        if not lic.url.startswith("https://") or not lic.url.endswith("/"):
            raise DataError(f"{path}: {lic.spdx}: the canonical URL must use https and end "
                            "with '/'")
        seen.add(lic.spdx)
        out.append(lic)
    if not isinstance(data.get("terms"), dict) or not isinstance(data.get("family"), list):
        raise DataError(f"{path}: 'terms' (an object) and 'family' (a list) are required")
    return tuple(out)


@cache
def _index() -> dict[tuple[tuple[str, ...], str], Licence]:
    return {(lic.elements, lic.version): lic for lic in licences()}


def licence_by_spdx(spdx: str) -> Licence | None:
    """The licence with this SPDX id (case-insensitive), or None."""
    folded = spdx.strip().lower()
    for lic in licences():
        if lic.spdx.lower() == folded:
            return lic
    return None


def _canonical(elements: set[str]) -> tuple[str, ...]:
    if elements & {"zero", "mark"}:
        return tuple(sorted(elements & {"zero", "mark"}))
    return tuple(e for e in _ORDER if e in elements)


def _resolve(elements: set[str], version: str | None, how: str,
             port: str | None = None) -> LicenceMatch:
    elems = _canonical(elements)
    if "nd" in elems and "sa" in elems:
        return LicenceMatch(None, elems, version, how, "no licence is both NoDerivatives and "
                            "ShareAlike")
    if port:
        return LicenceMatch(None, elems, version, how, f"the {port!r} port of this licence is "
                            "not in transcite's licence table")
    if version is None:
        return LicenceMatch(None, elems, None, how, "the licence version is not stated")
    lic = _index().get((elems, version))
    if lic is None:
        code = "-".join(elems).upper()
        return LicenceMatch(None, elems, version, how, f"there is no CC {code} {version}")
    return LicenceMatch(lic, elems, version, how)


def _terms() -> dict[str, list[str]]:
    data: dict[str, Any] = load_data("licences.json")
    terms: dict[str, list[str]] = data["terms"]
    return terms


def recognise_licence(text: str) -> LicenceMatch | None:
    """The licence a statement, code or URL names, or None when it names no known licence."""
    m = _URL.search(text)
    if m:
        kind, path, version, port = m.groups()
        path = path.lower()
        if port and (port.startswith(("deed", "legalcode"))):
            port = None
        if kind.lower() == "publicdomain":
            elements = {"zero"} if path == "zero" else {"mark"} if path == "mark" else set()
        else:
            parts = path.split("-")
            elements = set(parts) if set(parts) <= set(_ORDER) else set()
        if elements:
            return _resolve(elements, version, "url", port)
    m = _SPDX.search(text)
    if m:
        lic = licence_by_spdx(m.group(1))
        if lic:
            return LicenceMatch(lic, lic.elements, lic.version, "spdx")
    m = _CC0.search(text)
    if m:
        return _resolve({"zero"}, m.group(1) or "1.0", "code")
    m = _CODE.search(text)
    if m:
        elements = set(re.split(r"[\s-]+", m.group(1).lower()))
        version = m.group(2) or _version_in(text[m.end():])
        return _resolve(elements, version, "code")
    return _statement(text)


def _version_in(text: str) -> str | None:
    m = _VERSION.search(text)
    return m.group(1) if m else None


def _statement(text: str) -> LicenceMatch | None:
    low = " ".join(text.lower().replace("«", " ").replace("»", " ").split())
    data: dict[str, Any] = load_data("licences.json")
    family = [f for f in data["family"] if f != "cc"]
    if not any(f in low for f in family):
        return None
    elements: set[str] = set()
    for element, words in _terms().items():
        for word in words:
            if re.search(rf"(?<![\w]){word}(?![\w])", low):
                elements.add(element)
                break
    # "Non-Commercial" would also match inside "Non-Commercial-NoDerivatives"; fine. A
    # statement that names no element does not say which licence it is.
    if not elements:
        return LicenceMatch(None, (), _version_in(low), "statement",
                            "it does not say which Creative Commons licence")
    if not elements & {"zero", "mark"}:
        elements.add("by")  # every Creative Commons licence since 2.0 requires attribution
    return _resolve(elements, _version_in(low), "statement")


_SOURCE_KEYS = ("license", "licence", "rights", "copyright")


def _licence_text(ref: Reference) -> tuple[str, str] | None:
    """(where, text) of the reference's licence statement, if it has one."""
    if ref.fields.get("license"):
        return "license", ref.fields["license"]
    for key, value in ref.extra.items():
        if key.lower() in _SOURCE_KEYS and isinstance(value, str) and value.strip():
            return key, value
    return None


def normalise_licence(ref: Reference, report: Report) -> list[Change]:
    """Recognise the reference's licence and store its SPDX id and canonical URL.

    The statement stays as read; ``extra["license-spdx"]`` and ``extra["license-url"]`` are set
    (a different value already there is a conflict, reported, not overwritten). A statement that
    names no licence transcite knows is a warning.
    """
    found = _licence_text(ref)
    if found is None:
        return []
    key, text = found
    match = recognise_licence(text)
    if match is None or match.licence is None:
        why = match.reason if match else "transcite does not know this licence"
        report.warning("licence.unrecognised", f"{key}: cannot name the licence of {text!r}: "
                       f"{why}", raw=text, **ref.where())
        return []
    changes: list[Change] = []
    for extra_key, value in ((SPDX_KEY, match.licence.spdx), (URL_KEY, match.licence.url)):
        old = ref.extra.get(extra_key)
        if old == value:
            continue
        if old is not None:
            report.warning("licence.conflict", f"{extra_key} is {old!r} but {key} "
                           f"{text!r} is {value!r}; kept {old!r}", raw=text, **ref.where())
            continue
        ref.extra[extra_key] = value
        changes.append(Change(STEP, ref.id, extra_key, None, value, STEP, kind="extra"))
    return changes
