"""Qualified editorship: "под общей редакцией", "под научной редакцией".

CSL names one role ``editor``; a Russian record tells a general or a scientific editor apart
("Под общ. ред. Е.О. Адамова"). A reference keeps the qualifier in
``custom["role-qualifiers"]`` (``{"editor": "general"}``) and the label a style prints for the
role takes it in: the table ``data/csl-role-qualifiers.json`` says, per qualifier and language,
which word of the label becomes which ("ред." -> "общ. ред."). A label in a language the
table does not list, or with none of its words, prints as the style has it.
"""

from __future__ import annotations

import re
from functools import cache

from ...resources import DataError, load_data

__all__ = ["qualified"]


@cache
def _table() -> dict[str, dict[str, list[tuple[re.Pattern[str], str]]]]:
    raw = load_data("csl-role-qualifiers.json")
    out: dict[str, dict[str, list[tuple[re.Pattern[str], str]]]] = {}
    for qualifier, langs in raw.items():
        if not isinstance(langs, dict):
            raise DataError(f"csl-role-qualifiers.json: {qualifier!r} must map languages to "
                            "word pairs")
        for lang, pairs in langs.items():
            if not isinstance(pairs, list) or not all(
                    isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x
                                                                for x in p) for p in pairs):
                raise DataError(f"csl-role-qualifiers.json: {qualifier}/{lang} must be a list "
                                "of [word, replacement] pairs")
            out.setdefault(qualifier, {})[lang] = [
                (re.compile(rf"(?<!\w){re.escape(w)}(?!\w)" if w[-1].isalnum() else
                            rf"(?<!\w){re.escape(w)}"), r) for w, r in pairs]
    return out


def qualified(label: str, qualifier: str, lang: str) -> str:
    """``label`` (a role's label as the style prints it) with ``qualifier`` taken in, for a
    locale of language ``lang`` ("ru-RU"); the label unchanged when the table has no entry.

    >>> qualified("под ред.", "general", "ru-RU")
    'под общ. ред.'
    >>> qualified("ed. by", "general", "en-US")
    'ed. by'
    """
    for pattern, replacement in _table().get(qualifier, {}).get(lang[:2].lower(), ()):
        new, n = pattern.subn(replacement, label, count=1)
        if n:
            return new
    return label
