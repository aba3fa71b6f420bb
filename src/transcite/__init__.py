"""transcite: a reference layer for mixed Russian and English sources.

Read bibliographies in any common form, keep original (Cyrillic), romanised and translated forms
of every field side by side, and format them in any CSL style::

    import transcite
    library = transcite.read("references/examples/russia-japan.bib")
    print(transcite.render(library, "gost-r-7-0-5-2008").text)
    transcite.write(library, "refs.json")

Names are imported lazily, so ``import transcite`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Date": "transcite.model",
    "Form": "transcite.model",
    "Library": "transcite.model",
    "Name": "transcite.model",
    "NameVariant": "transcite.model",
    "Origin": "transcite.model",
    "Problem": "transcite.model",
    "Reference": "transcite.model",
    "Report": "transcite.model",
    "Severity": "transcite.model",
    "Variant": "transcite.model",
    "registry": "transcite.registry",
    "read": "transcite.readers",
    "read_string": "transcite.readers",
    "write": "transcite.writers",
    "dumps": "transcite.writers",
    "render": "transcite.render",
    "resolve_style": "transcite.render",
    "Bibliography": "transcite.render",
    "search": "transcite.api",
    "Session": "transcite.api",
    "cite": "transcite.api",
    "bibliography": "transcite.api",
    "normalise": "transcite.normalisation",
    "format_library": "transcite.render.lists",
}

__all__ = [
    "Bibliography", "Date", "Form", "Library", "Name", "NameVariant", "Origin", "Problem",
    "Reference", "Report", "Session", "Severity", "Variant", "__version__", "bibliography",
    "cite", "dumps", "format_library", "normalise", "read", "read_string", "registry",
    "render", "resolve_style", "search", "write",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import Session, bibliography, cite, search
    from .model import (
        Date,
        Form,
        Library,
        Name,
        NameVariant,
        Origin,
        Problem,
        Reference,
        Report,
        Severity,
        Variant,
    )
    from .normalisation import normalise
    from .readers import read, read_string
    from .registry import registry
    from .render import Bibliography, render, resolve_style
    from .render.lists import format_library
    from .writers import dumps, write


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'transcite' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
