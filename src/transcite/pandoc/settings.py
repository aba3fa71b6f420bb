"""What a document asks the filter for: its metadata read into :class:`Settings`.

Pandoc's own keys - ``bibliography``, ``references``, ``csl``, ``lang``, ``nocite``,
``link-citations``, ``link-bibliography``, ``suppress-bibliography``,
``reference-section-title`` - mean what they mean for Pandoc's citeproc. transcite's options sit
in a ``transcite:`` block::

    transcite:
      profile: scopus        # journal profile: both lists' styles, schemes, headings
      view: dual             # original | romanised | references | dual
      sort: cyrillic-first   # style | input | cyrillic-first | romanised
      scheme: bgn-pcgn       # romanisation scheme for the References list
      item-locale: true      # each entry in its own language's terms (Т./Vol.)

An unknown key in the block is a warning naming it (with the closest known key); a value a
known key cannot take is a :class:`SettingsError` naming the key and the choices.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..model import Report
from .ast import cite_ids, meta_bool, meta_value
from .engine import Options, csl_locale

__all__ = ["KEYS", "Settings", "SettingsError", "read_settings"]

#: The keys of the ``transcite:`` block and what each one takes.
KEYS: dict[str, str] = {
    "profile": "a journal profile name or .toml path (see 'transcite profiles')",
    "view": "original, romanised, references or dual",
    "sort": "style, input, cyrillic-first or romanised",
    "order": "style or input",
    "scheme": "the romanisation scheme of the References list (bsi, bgn-pcgn, ala-lc...)",
    "name-scheme": "the romanisation scheme for names in the References list",
    "item-locale": "true or false: each entry with its own language's terms",
    "locale": "the CSL locale of citations and the list (ru-RU, en-US...); default: lang",
    "heading-level": "1 to 6: the level of the lists' headings in the dual view",
    "style": "a CSL style (same as csl:)",
}


class SettingsError(ValueError):
    """A setting has a value the filter cannot use; the message names the key."""


@dataclass(slots=True)
class Settings:
    """The document's citation settings."""

    bibliography: list[str] = field(default_factory=list)
    references: list[Any] = field(default_factory=list)
    options: Options = field(default_factory=Options)
    nocite: list[str] = field(default_factory=list)
    link_citations: bool = False
    link_bibliography: bool = True
    suppress_bibliography: bool = False
    section_title: list[dict[str, Any]] | None = None
    heading_level: int = 1


def _choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    text = str(value).strip()
    if text not in choices:
        raise SettingsError(f"transcite.{key}: {text!r} is not one of {', '.join(choices)}")
    return text


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def read_settings(meta: dict[str, Any], report: Report) -> Settings:
    """Read the settings from a Pandoc document's ``meta``; warnings go to ``report``."""
    from ..render.lists import SORTS
    from ..render.project import VIEWS

    s = Settings()
    s.bibliography = _strings(meta_value(meta.get("bibliography")))
    refs = meta_value(meta.get("references"))
    if refs is not None:
        if isinstance(refs, list):
            s.references = refs
        else:
            report.warning("pandoc.references", "references: must be a list of CSL items; "
                           "ignored", file="metadata")
    s.link_citations = meta_bool(meta.get("link-citations"), False)
    s.link_bibliography = meta_bool(meta.get("link-bibliography"), True)
    s.suppress_bibliography = meta_bool(meta.get("suppress-bibliography"), False)
    title = meta.get("reference-section-title")
    if title is not None:
        from .ast import text_inlines

        s.section_title = title["c"] if title.get("t") == "MetaInlines" else text_inlines(
            str(meta_value(title)))
    nocite = meta.get("nocite")
    if nocite is not None:
        s.nocite = cite_ids(nocite) or [w.lstrip("@") for w in str(meta_value(nocite)).split()
                                        if w.startswith("@")]

    block = meta.get("transcite")
    values: dict[str, Any] = {}
    if block is not None:
        raw = meta_value(block)
        if not isinstance(raw, dict):
            raise SettingsError("transcite: must be a block of settings (profile:, view:, ...)")
        for key, value in raw.items():
            if key in KEYS:
                values[key] = value
                continue
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(KEYS)})"
            report.warning("pandoc.unknown-setting",
                           f"unknown key {key!r} in the transcite: block is ignored{hint}",
                           file="metadata", item=key)
    style = values.get("style") or meta_value(meta.get("csl")) or meta_value(
        meta.get("citation-style"))
    lang = meta_value(meta.get("lang"))
    locale_text = values.get("locale") or lang
    locale = csl_locale(str(locale_text)) if locale_text else None
    if locale_text and locale is None:
        report.warning("pandoc.unknown-locale", f"no CSL locale for {locale_text!r}; the "
                       "style's default locale is used", file="metadata", item=str(locale_text))
    item_locale = values.get("item-locale")
    if item_locale is not None and not isinstance(item_locale, bool):
        text = str(item_locale).strip().lower()
        if text not in ("true", "false"):
            raise SettingsError(f"transcite.item-locale: {item_locale!r} is not true or false")
        item_locale = text == "true"
    if "heading-level" in values:
        try:
            s.heading_level = int(str(values["heading-level"]))
        except ValueError:
            s.heading_level = 0
        if not 1 <= s.heading_level <= 6:
            raise SettingsError(f"transcite.heading-level: {values['heading-level']!r} is not "
                                "a number from 1 to 6")
    s.options = Options(
        style=str(style) if style else None,
        profile=str(values["profile"]) if values.get("profile") else None,
        view=_choice("view", values["view"], VIEWS) if "view" in values else None,
        locale=locale,
        sort=_choice("sort", values["sort"], SORTS) if "sort" in values else None,
        order=_choice("order", values["order"], ("style", "input")) if "order" in values
        else "style",
        item_locale=item_locale,
        scheme=str(values["scheme"]) if values.get("scheme") else None,
        name_scheme=str(values["name-scheme"]) if values.get("name-scheme") else None,
    )
    return s
