"""The fields transcite adds to BibLaTeX, declared for biber's data model.

transcite writes the other forms of a field the way biblatex-ms names them: ``title_romanised``,
``title_romanised_scheme``, ``title_translated_english``, ``author_romanised``, and one
``romanisation``. biber's default data model does not know them: a document's biber run
ignores them silently (no style prints them), ``biber --validate-datamodel`` lists each one.
The same holds for transcite's own fields (:func:`own_fields`): ``transcite-custom`` (what no
field can carry, as JSON), ``csltype`` and the CSL variables biblatex has no field for
(``division``, ``reviewed-title``, ``archive_location``...), written under their CSL names.
Declared in a biber config (:func:`biber_config`, for ``biber --tool --configfile``) they
validate.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from ..resources import load_data

__all__ = ["biber_config", "own_fields", "variant_fields"]

#: BibLaTeX/BibTeX fields whose variants the writer may write (besides every text field the
#: mapping table names): the places the writer puts CSL variables.
_EXTRA_TEXT = ("journaltitle", "journal", "booktitle", "institution", "school", "organization",
               "location", "address", "pagetotal", "number", "eid")
_NAMES = ("author", "editor", "translator", "bookauthor", "commentator", "annotator", "holder")


@cache
def variant_fields() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(literal fields, name-list fields) of every variant field the writers produce."""
    tables: dict[str, Any] = load_data("bibtex.json")
    languages: dict[str, Any] = load_data("languages.json")
    babel = sorted(set(languages["babel"].values()))
    bases = sorted(set(tables["text_fields"]) | set(_EXTRA_TEXT))
    literal: set[str] = {"romanisation"}
    for base in bases:
        literal.update((f"{base}_romanised", f"{base}_romanised_scheme", f"{base}_original"))
        literal.update(f"{base}_translated_{lang}" for lang in babel)
    names: set[str] = set()
    for base in _NAMES:
        names.add(f"{base}_romanised")
        literal.add(f"{base}_romanised_scheme")
    return tuple(sorted(literal)), tuple(sorted(names))


@cache
def own_fields() -> tuple[str, ...]:
    """The fields the writers add that are no variants: ``transcite-custom``, ``csltype`` and
    every CSL text or number variable no BibLaTeX field holds, as the writer names it."""
    from ..notes import CHEATER_VARIABLES, CUSTOM
    from .biblatex import _field_name

    out = {CUSTOM, "csltype"}
    for var in CHEATER_VARIABLES:
        if var != "language" and _field_name(var, "misc", True, {}, "book") is None and \
                _field_name(var, "book", True, {}, "book") is None:
            out.add(var.lower())
    return tuple(sorted(out))


def biber_config() -> str:
    """A biber config (XML) adding the variant fields and transcite's own fields to the data
    model of ``biber --tool``."""
    literal, names = variant_fields()
    literal = tuple(sorted(set(literal) | set(own_fields())))
    rows = [f'      <field fieldtype="field" datatype="literal">{escape(f)}</field>'
            for f in literal]
    rows += [f'      <field fieldtype="list" datatype="name">{escape(f)}</field>' for f in names]
    entry = [f"      <field>{escape(f)}</field>" for f in literal + names]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<config>\n  <datamodel>\n    <fields>\n'
            + "\n".join(rows) + "\n    </fields>\n    <entryfields>\n" + "\n".join(entry)
            + "\n    </entryfields>\n  </datamodel>\n</config>\n")
