"""Free-text readers: one reference per line, a pasted list, or an article page.

Thin wrappers over :mod:`transcite.parse`, registered as the ``text`` (``.txt``), ``text-list``
and ``page`` readers.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Reference
from . import ReadContext

__all__ = ["read_page", "read_text", "read_text_list"]


def read_text(text: str, ctx: ReadContext) -> Iterable[Reference]:
    """One reference per non-empty line; unreadable lines are kept as notes and reported."""
    from ..parse import parse_lines

    return parse_lines(text, report=ctx.report, file=ctx.file)


def read_text_list(text: str, ctx: ReadContext) -> Iterable[Reference]:
    """A pasted reference list: numbered or not, wrapped over lines, with headings."""
    from ..parse import parse_list

    return parse_list(text, report=ctx.report, file=ctx.file)


def read_page(text: str, ctx: ReadContext) -> Iterable[Reference]:
    """An article page: the article's own record, then its reference list."""
    from ..parse import parse_page

    return parse_page(text, report=ctx.report, file=ctx.file)
