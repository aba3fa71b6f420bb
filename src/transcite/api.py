"""The API writing tools call: find entries, cite them, build the bibliography, export.

>>> import transcite
>>> library = transcite.read("references/examples/russia-japan.bib")
>>> [ref.id for ref in transcite.search(library, "батин 2017")]      # Cyrillic query...
['Batin2017']
>>> [ref.id for ref in transcite.search(library, "Inozemtsev")]       # ...or Latin
['Inozemtsev2017']
>>> doc = transcite.Session(library, style="gost-r-7-0-5-2008-numeric")
>>> doc.cite(["Batin2017"]), doc.cite(["TASS2016"], locator="5")
('[1]', '[2, с. 5]')
>>> print(doc.bibliography())  # doctest: +ELLIPSIS
1. Батин Ю. Россия предложила Японии построить мост ... // Российская газета. 2017. 6 сент. ...
2. Путин: Россия солидарна с КНР, ... // ТАСС. 2016. 5 сент. (дата обращения: 21.07.2018).

Searching folds both scripts to one Latin skeleton (Батин, Batin and Batyn meet), so a
citation picker finds an entry whatever script the user types in.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .model import Library, Reference, Report

__all__ = ["Session", "bibliography", "cite", "search"]

# Cyrillic -> a plain Latin letter table; the skeleton below then forgets the differences
# between schemes (kh/h, ts/c, y/i/j, soft signs).
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
                .split()))
_SKELETON = [("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("tz", "c"),
             ("ch", "c"), ("sh", "s"), ("yu", "u"), ("iu", "u"), ("ju", "u"), ("ya", "a"),
             ("ia", "a"), ("ja", "a"), ("yo", "o"), ("jo", "o"), ("ye", "e"), ("je", "e"),
             ("x", "ks"), ("w", "v"), ("y", "i"), ("j", "i")]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A script-independent skeleton of a word (``Батин`` and ``Batin`` both give ``batin``)."""
    text = unicodedata.normalize("NFKD", word.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(_CYR.get(c, c) for c in text)
    text = re.sub(r"[^a-z0-9]", "", text.replace("-", ""))
    for a, b in _SKELETON:
        text = text.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", text)


_TOKEN = re.compile(r"[^\W_]+")


def _tokens(ref: Reference) -> set[str]:
    texts: list[str] = []
    for var in ("title", "container-title", "publisher"):
        texts.extend(v.text for v in ref.forms(var))
    for names in ref.names.values():
        for n in names:
            texts.append(n.display())
            texts.extend(v.name.display() for v in n.variants)
    out = {fold(t) for text in texts for t in _TOKEN.findall(text)}
    if ref.year:
        out.add(str(ref.year))
    out.add(fold(ref.id))
    return out - {""}


def search(library: Library | Iterable[Reference], query: str, *, limit: int = 20
           ) -> list[Reference]:
    """References matching every word of ``query`` (author, title, journal, year, id), in
    either script; a word matches the start of a word of the entry. Best matches first:
    those whose authors match, then library order."""
    words = [fold(w) for w in _TOKEN.findall(query)]
    words = [w for w in words if w]
    if not words:
        return []
    hits: list[tuple[int, int, Reference]] = []
    for n, ref in enumerate(library):
        tokens = _tokens(ref)
        if all(any(t.startswith(w) for t in tokens) for w in words):
            authors = {fold(x.family or x.literal or "") for ns in ref.names.values()
                       for x in ns}
            rank = -sum(1 for w in words if any(a.startswith(w) for a in authors))
            hits.append((rank, n, ref))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [ref for _, _, ref in hits[:limit]]


@dataclass
class Session:
    """A document being written: citations in order, then its bibliography.

    Citations are rendered with everything cited so far, so numbers, "ibid.", year suffixes
    and disambiguation are right for the document. With a ``profile`` the items are shown in
    the original view (Cyrillic for Russian sources) and the bibliography can be ``dual``.
    """

    library: Library
    style: str | os.PathLike[str] | None = None
    profile: str | None = None
    locale: str | None = None
    output: str = "text"
    report: Report = field(default_factory=Report)
    _clusters: list[list[dict[str, Any]]] = field(default_factory=list)
    _engine: Any = None
    _items: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _setup(self) -> None:
        if self._engine is not None:
            return
        from .render.engine import Engine
        from .render.project import project

        refs = list(self.library)
        if self.profile is not None:
            from .profiles import get_profile

            prof = get_profile(self.profile)
            style = self.style or prof.original.style
            projected = project(refs, "original", prof.references, self.report)
            items = [p.item for p in projected]
        else:
            from .render import to_csl_items

            style = self.style or "gost-r-7-0-5-2008"
            items = to_csl_items(refs)
        self._items = {str(item["id"]): item for item in items}
        self._engine = Engine.create(style, self.locale, self.output)

    def cite(self, keys: Sequence[str], *, locator: str | None = None, label: str = "page",
             prefix: str = "", suffix: str = "", suppress_author: bool = False) -> str:
        """Add a citation of ``keys`` (the locator goes with the last key) and return its text.

        An unknown key raises :class:`KeyError` naming it (a writing tool should not insert a
        citation of nothing).
        """
        self._setup()
        missing = [k for k in keys if k not in self._items]
        if missing:
            raise KeyError(f"no reference with id {', '.join(map(repr, missing))}")
        cites: list[dict[str, Any]] = []
        for i, key in enumerate(keys):
            cite: dict[str, Any] = {"id": key, "suppress-author": suppress_author}
            if i == 0 and prefix:
                cite["prefix"] = prefix
            if i == len(keys) - 1:
                if locator:
                    cite.update(locator=locator, label=label)
                if suffix:
                    cite["suffix"] = suffix
            cites.append(cite)
        self._clusters.append(cites)
        cited = self._cited_items()
        texts = self._engine.citations(self._clusters, cited)
        return str(texts[-1]) if texts else ""

    def _cited_items(self) -> list[dict[str, Any]]:
        order = dict.fromkeys(c["id"] for cluster in self._clusters for c in cluster)
        return [self._items[k] for k in order]

    def bibliography(self, *, keys: Sequence[str] | None = None) -> str:
        """The bibliography of what was cited (or of ``keys``), one entry per line."""
        self._setup()
        if keys is None:
            items = self._cited_items()
            order = "input" if self._numeric() else "style"
        else:
            items = [self._items[k] for k in keys]
            order = "style"
        from .render.fallback import complete  # nothing renders blank
        from .render.project import Projected, genitive_roles, in_role_case, is_russian_item

        refs = {r.id: r for r in self.library}
        # editors and translators of Russian items in the case "под ред." governs
        declined = in_role_case([Projected(i, str(i["id"]) in refs and is_russian_item(
            refs[str(i["id"])]), "") for i in items], genitive_roles(self._engine.processor))
        entries = self._engine.bibliography(declined, order=order)
        got = {e.id for e in entries}
        ids = [e.id for e in entries] + [str(i["id"]) for i in items if str(i["id"]) not in got]
        failed = {e.item_id for e in self._engine.errors}
        entries = complete(entries, ids, refs, self._engine.style, self.output,
                           lambda ref, code, msg: self.report.warning(code, msg, **ref.where()),
                           failed)
        return "\n".join(e.text for e in entries)

    def _numeric(self) -> bool:
        return (self._engine.style.citation_format or "") == "numeric"


def cite(library: Library, keys: Sequence[str], style: str | os.PathLike[str], **kw: Any
         ) -> str:
    """One citation on its own (as the first in a document), e.g. ``[Батин, 2017, с. 5]``."""
    return Session(library, style=style).cite(keys, **kw)


def bibliography(library: Library | Iterable[Reference], *, keys: Iterable[str] | None = None,
                 style: str | os.PathLike[str] | None = None, profile: str | None = None,
                 view: str | None = None, output: str = "text", order: str = "style") -> str:
    """The bibliography of ``keys`` (default: all) in a style, or both lists of a profile."""
    from .render.lists import format_library

    return format_library(library, style=style, profile=profile, view=view, output=output,
                          order=order, ids=keys).render(output).rstrip("\n")
