"""``transcite serve``: a page for editors, and a small JSON API beside it.

Paste a reference list (or drop a .bib/.ris/.json/.yaml/.txt file), pick a journal profile or a
style, and get the original list and the romanised References list side by side, entry n beside
entry n, every Problem at its line with the raw text kept, copy buttons and downloads from the
writers registry. The page works without JavaScript (the form posts to ``/format``); tools use
``/api/format`` and ``/api/parse``.

Layers: :mod:`.service` does the work on the library API (no web framework), :mod:`.pages`
turns it into HTML and JSON replies, :mod:`.limits` runs each request in a child process
killed at its time limit, and :mod:`.app` is the Starlette application. Needs the ``web``
extra (Starlette, uvicorn, python-multipart, Jinja2); nothing here is imported by other
commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Limits", "create_app"]

if TYPE_CHECKING:  # pragma: no cover
    from .app import Limits, create_app


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'transcite.web' has no attribute {name!r}")
