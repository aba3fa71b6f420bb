"""Transliteration both ways: romanise Russian by any standard scheme, recognise the scheme of a
romanised text, and rebuild Cyrillic from romanisations however sloppy.

>>> from transcite.translit import romanise, to_cyrillic
>>> romanise("Юрий Щербаков", "bgn")
'Yuriy Shcherbakov'
>>> to_cyrillic("VMF Rossii").text
'ВМФ России'

Schemes are data (``transcite/data/translit``); they are registered in
:data:`transcite.registry.registry` under kind ``"scheme"`` and loaded on first use. The
back-transliteration lexicon is built once from the installed Russian dictionaries and cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .results import Rebuilt, SchemeGuess, WordGuess
from .scheme import Scheme, SchemeInfo

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Name

__all__ = [
    "Rebuilt",
    "Scheme",
    "SchemeGuess",
    "SchemeInfo",
    "WordGuess",
    "detect_scheme",
    "get_scheme",
    "romanise",
    "romanise_name",
    "schemes",
    "to_cyrillic",
]


def get_scheme(name_or_alias: str) -> Scheme:
    """The scheme with this name or alias (``bgn``, ``lc``, ``gost-b``, ``iso9``, ...).

    Raises :class:`transcite.registry.UnknownName` (with close matches) for an unknown name.
    """
    from ..registry import registry

    scheme: Scheme = registry.get("scheme", name_or_alias)
    return scheme


def schemes() -> list[SchemeInfo]:
    """Every scheme with its aliases, description, one Cyrillic -> Latin example and whether it
    is reversible, in listing order."""
    from ..registry import registry

    return [e.load().info() for e in registry.entries("scheme")]


def romanise(text: str, scheme: str = "bsi", *, kind: str = "title",
             exceptions: bool | None = None) -> str:
    """Romanise the Cyrillic in *text* by *scheme* (name or alias).

    ``kind`` is ``"title"``, ``"name"`` or ``"place"`` (which established spellings apply).
    Non-Cyrillic text passes through unchanged and markup tags (``<i>``, ``<span
    class="nocase">``) are left intact. ``exceptions`` turns established spellings on or off
    (default: on, except for the reversible schemes). The result is NFC and holds no Cyrillic.
    """
    return get_scheme(scheme).romanise(text, kind=kind, exceptions=exceptions)


def romanise_name(name: Name, scheme: str = "bsi") -> Name:
    """A new :class:`~transcite.model.Name` with family, given names, particles and suffix
    romanised (initials ``Ю.`` -> ``Yu.``); the copy has no variants."""
    from .roman import romanise_name_parts

    return romanise_name_parts(name, get_scheme(scheme))


def to_cyrillic(text: str, *, scheme: str | None = None) -> Rebuilt:
    """Rebuild Cyrillic from romanised Russian in any scheme or mix of schemes.

    Typos (a dropped or swapped letter, y/i/j confusion, missing soft signs) are tolerated;
    capitalisation and acronyms are kept (``VMF`` -> ``ВМФ``); English and other non-Russian
    words are left alone. Each word has a confidence. Naming the *scheme* the text was written
    in makes readings that scheme explains win close calls; with a reversible scheme (ISO 9 /
    GOST 7.79 System A, GOST 16876-71) the inverse is exact.
    """
    from .backtranslit import rebuild

    return rebuild(text, scheme=get_scheme(scheme) if scheme else None)


def detect_scheme(text: str) -> SchemeGuess:
    """Say which scheme (or which mix of schemes) produced the romanised *text*."""
    from .detect import detect

    return detect(text)
