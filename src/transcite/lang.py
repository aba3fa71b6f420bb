"""Language names and tags: ``russian``/``русский``/``Russian`` -> ``ru``, and back to babel."""

from __future__ import annotations

import re

from .resources import load_data

__all__ = ["babel_name", "is_russian", "lang_tag"]

_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def lang_tag(name: str | None) -> str | None:
    """A BCP 47 tag for a language name or tag; unknown names are returned as written.

    >>> lang_tag("Russian"), lang_tag("русский"), lang_tag("en-GB"), lang_tag("")
    ('ru', 'ru', 'en-GB', None)
    """
    if name is None:
        return None
    text = name.strip()
    if not text:
        return None
    known: dict[str, str] = load_data("languages.json")["names"]
    found = known.get(text.lower())
    if found:
        return found
    if _TAG.match(text):
        return text
    return text


def babel_name(tag: str | None) -> str | None:
    """The babel/polyglossia ``langid`` for a tag (``ru`` -> ``russian``), or None if unknown."""
    if not tag:
        return None
    babel: dict[str, str] = load_data("languages.json")["babel"]
    return babel.get(tag) or babel.get(tag.split("-")[0])


def is_russian(tag: str | None) -> bool:
    """True for ``ru`` and its subtags (``ru-RU``, ``ru-Latn``)."""
    return bool(tag) and tag.split("-")[0].lower() == "ru"  # type: ignore[union-attr]
