"""What the BibTeX writers' ``transcite-custom`` field holds, put back by the reader.

The field carries, as JSON, what no BibTeX field can: an id that cannot be a key (``@id``), a
field's exact value (``@`` and its name: a percent-encoded URL, a status biblatex's
``pubstate`` would change, a number BibTeX's one ``number`` field cannot hold beside another),
a date as CSL-JSON (:data:`~transcite.notes.DATE_MARK`), names whose parts the "von" part cannot
tell apart (:data:`~transcite.notes.NAME_MARK`), forms of a key no field can name
(``@variants``) and fields kept from other formats, by name.
"""

from __future__ import annotations

import json

from .. import latex
from ..model import Reference
from ..notes import CUSTOM, DATE_MARK, NAME_MARK, restore_date, restore_names, restore_variants

__all__ = ["CUSTOM", "restore_custom"]

#: Fields that :data:`CUSTOM` alone may hold (``@status``: biblatex's pubstate says another
#: value; ``@number``: a book's with a series, whose ``number`` is the series', or a
#: periodical's, whose ``number`` is its issue)
_EXACT_ONLY = ("@status", "@number")


def restore_custom(ref: Reference, raw: str) -> None:
    """Put back what :data:`CUSTOM` holds (the id under ``@id``, a field's exact value under
    ``@`` and its name, a date under :data:`DATE_MARK`, names under :data:`NAME_MARK`, kept
    fields by name); a value that is no JSON object stays a kept field."""
    for text in (raw, latex.decode(raw, protect=False)):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            del ref.extra[CUSTOM]
            for key, item in value.items():
                if key == "@id" and isinstance(item, str) and item:
                    ref.id = item
                elif key.startswith("@") and (key[1:] in ref.fields or key in _EXACT_ONLY) \
                        and isinstance(item, str):
                    ref.fields[key[1:]] = item      # the exact value of a percent-encoded URL
                elif key.startswith(DATE_MARK) and restore_date(ref, key[len(DATE_MARK):], item):
                    if key == f"{DATE_MARK}issued":
                        _year_beside_exact_date(ref)
                elif key == "@variants" and restore_variants(ref, item):
                    pass
                elif key.startswith(NAME_MARK) and restore_names(ref, key[len(NAME_MARK):],
                                                                 item):
                    pass
                else:
                    ref.extra[str(key)] = item
        return


def _year_beside_exact_date(ref: Reference) -> None:
    """``year``/``month``/``day`` a writer gave beside an issued date it kept exactly (for
    BibTeX's styles; a 13th month reads as text, not as the date) go with that date when
    they say what it says, as beside a ``date`` field that reads."""
    from .bibtex_conventions import year_beside_date

    issued = ref.dates.get("issued")
    raw = {k: v for k, v in ref.extra.items() if k in ("year", "month", "day")}
    if issued is None or not issued.parts or "year" not in raw:
        return
    used: set[str] = set()
    year_beside_date(issued, {k: str(v) for k, v in raw.items()}, used)
    for k in used:
        del ref.extra[k]
