"""Citation keys for items that come without one, made the same way by every reader.

A RIS record without ``ID``, a CSL-JSON item without ``id``, a Word source without ``Tag`` and a
parsed reference line all get the parser's key: the first author's family name (or the first
word of the title) in ASCII, then the year - ``ivanov2015`` for "Иванов И. И. ... 2015", with
``a``, ``b``... when it is taken. Keys stay ASCII whatever the script of the name, so they can
be typed and cited in LaTeX and Markdown.
"""

from __future__ import annotations

from collections.abc import Container

from ..model import Reference

__all__ = ["make_key"]


def make_key(ref: Reference, used: Container[str] = ()) -> str:
    """The key the parser would give ``ref`` (see :func:`transcite.parse.classify.make_id`).

    >>> from transcite.model import Date, Name
    >>> ref = Reference("", "book", names={"author": [Name("Аверьянова", "Т. В.")]},
    ...                 dates={"issued": Date(parts=((2010,),))})
    >>> make_key(ref), make_key(ref, {"averyanova2010"})
    ('averyanova2010', 'averyanova2010a')
    """
    from ..parse.classify import make_id

    if not ref.names.get("author") and ref.names.get("editor"):
        ref = Reference(ref.id, ref.type, ref.fields, {"author": ref.names["editor"]},
                        ref.dates)
    return make_id(ref, used)
