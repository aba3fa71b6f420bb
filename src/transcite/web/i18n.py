"""The page's interface text in English and Russian (``messages.json``, checked on load) and the
choice of language: an explicit ``lang`` first, then the browser's ``Accept-Language``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..resources import DataError

__all__ = ["LANGUAGES", "Texts", "negotiate", "texts"]

_FILE = Path(__file__).resolve().parent / "messages.json"


@cache
def _table() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(_FILE.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{_FILE}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    languages = data.get("languages")
    if not isinstance(languages, dict) or not languages:
        raise DataError(f"{_FILE}: 'languages' must name the interface languages")
    for part in ("ui", "problems"):
        section = data.get(part)
        if not isinstance(section, dict) or set(section) != set(languages):
            raise DataError(f"{_FILE}: '{part}' must have exactly the languages "
                            f"{', '.join(languages)}")
        keys = [set(section[lang]) for lang in languages]
        for lang, have in zip(languages, keys):
            missing = set().union(*keys) - have
            if missing:
                raise DataError(f"{_FILE}: {part}.{lang} lacks {', '.join(sorted(missing))}")
    return data


#: The interface languages, in the order the switch shows them.
LANGUAGES: tuple[str, ...] = ("ru", "en")


@dataclass(frozen=True, slots=True)
class Texts:
    """The interface text of one language; ``t(key, **values)`` fills ``{placeholders}``."""

    lang: str
    ui: dict[str, str]
    problem_labels: dict[str, str]
    language_names: dict[str, str]

    def t(self, key: str, **values: object) -> str:
        """The text for ``key`` (a missing key is a bug: KeyError)."""
        text = self.ui[key]
        return text.format(**values) if values else text

    def get(self, key: str, default: str) -> str:
        """The text for ``key``, or ``default`` for a name the table does not know yet (a
        view added to the library later)."""
        return self.ui.get(key, default)

    def problem_label(self, code: str) -> str:
        """A short label for a Problem code: its own, its family's (``url``), or the code."""
        if code in self.problem_labels:
            return self.problem_labels[code]
        return self.problem_labels.get(code.partition(".")[0], code)


@cache
def texts(lang: str) -> Texts:
    """The interface text of ``lang`` (``ru`` or ``en``; anything else gives English)."""
    data = _table()
    lang = lang if lang in data["languages"] else "en"
    return Texts(lang, data["ui"][lang], data["problems"][lang], dict(data["languages"]))


def negotiate(explicit: str | None, accept_language: str | None) -> str:
    """The interface language: ``explicit`` when it is one we speak, else the first of the
    browser's languages (by q-value, then order) that we speak, else English.

    >>> negotiate(None, "de-DE,de;q=0.9,ru;q=0.8,en;q=0.7")
    'ru'
    >>> negotiate("en", "ru-RU")
    'en'
    """
    if explicit and explicit.lower() in LANGUAGES:
        return explicit.lower()
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            ranked.append((-q, i, primary))
    return min(ranked)[2] if ranked else "en"
