"""Sorting: CSL ``<sort>`` keys computed once per item, compared with the Unicode Collation
Algorithm (pyuca), so that Russian sorts as a Russian reader expects (``Фёдоров`` before
``Фролов``, ``ё`` with ``е``), case-insensitively at the first level; empty keys go last in
either direction. ``script_order=("Cyrl", "Latn")`` puts Cyrillic before Latin, as GOST lists do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import unicodedata
from functools import cache, lru_cache
from typing import Any

from .item import Item
from .nodes import Ctx, Env, Node, State
from .rich import plain

__all__ = ["SortKey", "collation_key", "sort_items"]

_NAME_VARS = frozenset(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host illustrator interviewer
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""".split())
_DATE_VARS = frozenset("accessed available-date event-date issued original-date submitted"
                       .split())
_NUMBER_VARS = frozenset(
    """chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part-number
    printing-number section supplement-number version volume""".split())


@cache
def _collator() -> Any:
    import pyuca

    return pyuca.Collator()


@cache
def _script_ranges() -> tuple[tuple[int, int], tuple[int, int]]:
    c = _collator()
    lat = [c.sort_key(ch)[0] for ch in "abcdefghijklmnopqrstuvwxyz"]
    cyr = [c.sort_key(ch)[0] for ch in "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"]
    return (min(lat), max(lat) + 200), (min(cyr), max(cyr) + 200)


@cache
def _weights(ch: str, cyrillic_first: bool) -> tuple[str, str, str]:
    """A character's UCA weights, one string per level (primary, secondary, tertiary)."""
    key = _collator().sort_key(ch)
    levels: list[list[int]] = [[]]
    for w in key:
        if w == 0:
            levels.append([])
        else:
            levels[-1].append(w)
    while len(levels) < 3:
        levels.append([])
    primary = levels[0]
    if cyrillic_first and primary:
        (llo, lhi), (clo, chi) = _script_ranges()
        primary = [w - clo + llo if clo <= w <= chi else
                   w + (chi - clo + 1) if llo <= w <= lhi else w for w in primary]
    return ("".join(map(chr, primary)), "".join(map(chr, levels[1])),
            "".join(map(chr, levels[2])))


def collation_key(text: str, cyrillic_first: bool = False) -> tuple[str, str, str]:
    """A sort key following the Unicode Collation Algorithm (DUCET), with punctuation and
    symbols ignored (as ICU's "shifted" option does) and, optionally, Cyrillic before Latin.

    Each character's weights are looked up once; a key is three strings (one per level), so
    keys compare at C speed.
    """
    return _key(text, cyrillic_first)


@lru_cache(maxsize=200000)
def _key(text: str, cyrillic_first: bool) -> tuple[str, str, str]:
    if not text.isalnum():
        text = " ".join("".join(c for c in text if c.isalnum() or c.isspace()).split())
    text = unicodedata.normalize("NFC", text)
    ws = [_weights(c, cyrillic_first) for c in text]
    return ("".join(w[0] for w in ws), "".join(w[1] for w in ws),
            "".join(w[2] for w in ws))


class SortKey:
    """One compiled ``<key>``: a variable or a macro, ascending or descending."""

    __slots__ = ("var", "macro", "descending")

    def __init__(self, var: str | None, macro: Node | None, descending: bool) -> None:
        self.var = var
        self.macro = macro
        self.descending = descending

    def value(self, item: Item, env: Env, state: State, mode: str) -> Any:
        """The key's value for an item: a string, number or ``None`` (empty)."""
        var = self.var
        if self.macro is not None:
            ctx = Ctx(item, env, mode, state=state, sorting=True)
            p = self.macro.render(ctx)
            text = plain(p).strip() if p is not None else ""
            return text or None
        assert var is not None
        if var == "citation-number":
            return state.number or None
        if var in _NAME_VARS:
            names = item.names.get(var)
            if not names:
                return None
            parts = []
            for n in names:
                if n.literal:
                    parts.append(n.literal)
                elif env.demote == "never":
                    parts.append(" ".join(x for x in (n.non_dropping, n.family, n.dropping,
                                                      n.given, n.suffix) if x))
                else:
                    parts.append(" ".join(x for x in (n.family, n.dropping, n.non_dropping,
                                                      n.given, n.suffix) if x))
            return "; ".join(parts)
        if var in _DATE_VARS:
            d = item.dates.get(var)
            return d.sort_key() or None if d is not None else None
        if var in _NUMBER_VARS:
            v = item.get(var)
            digits = ""
            for ch in v:
                if ch.isdigit():
                    digits += ch
                elif digits:
                    break
            return int(digits) if digits else (v or None)
        text = plain(item.rich(var))
        return text or None


def _comparable(v: Any, cyrillic_first: bool) -> tuple[Any, ...]:
    if isinstance(v, int):
        return (0, v)
    return (1, collation_key(str(v), cyrillic_first))


def sort_items(items: Sequence[Item], keys: Sequence[SortKey], env: Env,
               states: dict[str, State], mode: str,
               cyrillic_first: bool = False) -> list[Item]:
    """Items sorted by the keys (stable: equal items keep their order)."""
    if not keys:
        return list(items)
    values = [[k.value(it, env, states[it.id], mode) for k in keys] for it in items]
    order = list(range(len(items)))
    for n in range(len(keys) - 1, -1, -1):
        desc = keys[n].descending

        def key(i: int, n: int = n, desc: bool = desc) -> tuple[Any, ...]:
            v = values[i][n]
            if v is None:
                return (0, ()) if desc else (1, ())
            return (1 if desc else 0, _comparable(v, cyrillic_first))
        order.sort(key=key, reverse=desc)
    return [items[i] for i in order]


Collate = Callable[[str], tuple[int, ...]]
