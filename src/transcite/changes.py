"""What a normalisation or enrichment step changed in a reference, as data.

Steps such as :func:`transcite.identifiers.normalise_identifiers` never print: they return a list
of :class:`Change` records (step, item, field, old value, new value, origin) that the caller can
show, log or test, while the user's own mistakes go into a :class:`~transcite.model.Report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Change"]


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one field of one reference.

    ``old`` is None when the field was filled; ``origin`` names where the new value came from
    (``"identifiers"``, ``"licences"``, ``"journals"``, ``"crossref"``...). ``kind`` says how the
    reference was touched: ``"set"`` (the field's value), ``"variant"`` (a form added beside the
    value) or ``"extra"`` (a key of :attr:`Reference.extra`).
    """

    step: str
    item: str
    field: str
    old: Any
    new: Any
    origin: str
    kind: str = "set"

    def __str__(self) -> str:
        where = f"{self.item}.{self.field}"
        source = self.step if self.origin == self.step else f"{self.step}, from {self.origin}"
        if self.kind == "variant":
            return f"{where}: added form {self.new!r} ({source})"
        if self.old is None:
            return f"{where}: filled {self.new!r} ({source})"
        return f"{where}: {self.old!r} -> {self.new!r} ({source})"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"step": self.step, "item": self.item, "field": self.field, "old": self.old,
                "new": self.new, "origin": self.origin, "kind": self.kind}
