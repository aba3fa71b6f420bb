"""The Pandoc filter: citations and both bibliographies in any output format Pandoc writes.

``pandoc paper.md --filter pandoc-transcite -o paper.docx`` runs :func:`process` over the
document's JSON AST. See ``docs/pandoc.md`` for the settings.

>>> from transcite.pandoc import process, SUPPORTED_API
>>> SUPPORTED_API
(1, 23)
"""

from __future__ import annotations

from .ast import SUPPORTED_API, UnsupportedAPI
from .filter import Filtered, FilterError, filter_document, process

__all__ = ["SUPPORTED_API", "FilterError", "Filtered", "UnsupportedAPI", "filter_document",
           "process"]
