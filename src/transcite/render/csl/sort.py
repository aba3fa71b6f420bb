"""Sorting: CSL ``<sort>`` keys computed once per item, compared with the Unicode Collation
Algorithm (pyuca), so that Russian sorts as a Russian reader expects (``Фёдоров`` before
``Фролов``, ``ё`` with ``е``), case-insensitively at the first level; empty keys go last in
either direction. ``script_order=("Cyrl", "Latn")`` puts Cyrillic before Latin, as GOST lists do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .item import Item
from .native import register
from .nodes import Ctx, Env, Node, State
from .rich import plain

__all__ = ["SortKey", "collation_key", "forget", "sort_items", "sort_order"]

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
    table = _shipped_weights()
    lat = [table[f"{ord(ch):04X}"][0][0] for ch in "abcdefghijklmnopqrstuvwxyz"]
    cyr = [table[f"{ord(ch):04X}"][0][0] for ch in "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"]
    return (min(lat), max(lat) + 200), (min(cyr), max(cyr) + 200)


_TABLE_FILE = "csl-collation.json"
#: Characters whose weights ship precomputed: Latin, Greek, Cyrillic and their accents.
TABLE_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F))


@cache
def _shipped_weights() -> dict[str, list[list[int]]]:
    from ...resources import load_data

    table: dict[str, list[list[int]]] = load_data(_TABLE_FILE)["weights"]
    return table


def ducet_weights(ch: str) -> list[list[int]]:
    """A character's weights per level (primary, secondary, tertiary) from pyuca's DUCET."""
    key = _collator().sort_key(ch)
    levels: list[list[int]] = [[]]
    for w in key:
        if w == 0:
            levels.append([])
        else:
            levels[-1].append(w)
    while len(levels) < 3:
        levels.append([])
    return levels[:3]


def build_table() -> dict[str, list[list[int]]]:
    """The precomputed table (``python -m transcite.render.csl.sort`` writes it)."""
    out = {}
    for lo, hi in TABLE_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch)[0] in "LNZ":
                out[f"{cp:04X}"] = ducet_weights(ch)
    return out


@cache
def _weights(ch: str, cyrillic_first: bool) -> tuple[str, str, str]:
    """A character's UCA weights, one string per level (primary, secondary, tertiary);
    from the shipped table when there, else from pyuca (loaded on first need)."""
    levels = _shipped_weights().get(f"{ord(ch):04X}") or ducet_weights(ch)
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


_TABLES: tuple[dict[int, str], dict[int, str], dict[int, str]] = ({}, {}, {})
_TABLES_CYR: tuple[dict[int, str], dict[int, str], dict[int, str]] = ({}, {}, {})


@lru_cache(maxsize=200000)
def _key(text: str, cyrillic_first: bool) -> tuple[str, str, str]:
    text, tables = _prepared(text, cyrillic_first)
    return (text.translate(tables[0]), text.translate(tables[1]), text.translate(tables[2]))


@lru_cache(maxsize=8192)
def primary_key(text: str, cyrillic_first: bool = False) -> str:
    """The first level of :func:`collation_key` alone (letters, not case or accents): what
    sorting compares. Its memo is small: a long list's keys are mostly seen once, and holding
    all three levels of each would cost more than computing them."""
    text, tables = _prepared(text, cyrillic_first)
    return text.translate(tables[0])


def _prepared(text: str, cyrillic_first: bool) -> tuple[str, tuple[dict[int, str], ...]]:
    if "\u00a0" in text:      # a no-break space binds, it does not separate (citeproc-js)
        text = text.replace("\u00a0", "")
    if not text.isalnum():
        text = " ".join("".join(c for c in text if c.isalnum() or c.isspace()).split())
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    tables = _TABLES_CYR if cyrillic_first else _TABLES
    primary = tables[0]
    for c in set(text):
        if ord(c) not in primary:
            w = _weights(c, cyrillic_first)
            for level in range(3):
                tables[level][ord(c)] = w[level]
    return text, tables


def forget() -> None:
    """Empty the memo of collation keys (a long list's keys are not needed once sorted)."""
    _key.cache_clear()
    primary_key.cache_clear()


@mypyc_attr(allow_interpreted_subclasses=True)
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
        if var == "citation-label":
            from .nodes import trigraph

            return item.get("citation-label") or trigraph(item) or None
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


_DIGITS = lazy_re(r"\d+")


def _numbers_by_value(text: str) -> str:
    """Runs of digits prefixed with their length, so "2" sorts before "10"."""
    def run(m: re.Match[str]) -> str:
        digits = m.group(0).lstrip("0") or "0"
        return f"{min(len(digits), 9)}{digits}"
    return _DIGITS.sub(run, text) if any(c.isdigit() for c in text) else text


def _comparable(v: Any, cyrillic_first: bool) -> tuple[Any, ...]:
    """A sort value as citeproc-js compares them: letters alone (case and accents do not
    order, ties keep their order), numbers in text by value ("Item 2" before "Item 10")."""
    if isinstance(v, int):
        return (0, v)
    return (1, primary_key(_numbers_by_value(str(v)), cyrillic_first))


def sort_items(items: Sequence[Item], keys: Sequence[SortKey], env: Env,
               states: dict[str, State], mode: str,
               cyrillic_first: bool = False, workers: int | None = 1) -> list[Item]:
    """Items sorted by the keys (stable: equal items keep their order).

    A key is computed only for items that all earlier keys leave tied, so the expensive
    later keys (titles, macros) are rarely rendered at all. A key over many items is computed
    by forked workers (``workers``: at most that many processes, None = as many as pay).
    """
    return [items[i] for i in sort_order(items, keys, env, states, mode, cyrillic_first,
                                         workers)]


def sort_order(items: Sequence[Item], keys: Sequence[SortKey], env: Env,
               states: dict[str, State], mode: str,
               cyrillic_first: bool = False, workers: int | None = 1) -> list[int]:
    """:func:`sort_items` as positions in ``items`` (each item is read only while its key is
    computed: ``items`` may read them from a file)."""
    if not keys:
        return list(range(len(items)))
    from ...workers import PARTS_PER_WORKER, split_run
    from .parallel import workers_for

    def values(key: SortKey, idx: list[int]) -> list[tuple[Any, ...] | None]:
        def job(a: int, b: int) -> list[tuple[Any, ...] | None]:
            out = []
            for i in idx[a:b]:
                v = key.value(items[i], env, states[items[i].id], mode)
                out.append(None if v is None else _comparable(v, cyrillic_first))
            return out
        procs = workers_for(len(idx), workers, True)
        return [v for part in split_run(job, len(idx), procs, parts=procs * PARTS_PER_WORKER)
                for v in part]

    # Key by key, over every group the keys so far left tied at once (not group by group):
    # each key is then computed in one pass - on several cores when there are many items to
    # compute it for, where groups of two or three never were. The order is the same: a
    # group's order depends on nothing but its own items' values.
    groups = [list(range(len(items)))]
    for key in keys:
        tied = [i for group in groups if len(group) > 1 for i in group]
        if not tied:
            break
        desc = key.descending
        vals = dict(zip(tied, values(key, tied)))

        def order(i: int, vals: dict[int, Any] = vals, desc: bool = desc) -> tuple[Any, ...]:
            v = vals[i]
            if v is None:
                return (0, ()) if desc else (1, ())
            return (1 if desc else 0, v)
        refined: list[list[int]] = []
        for group in groups:
            if len(group) < 2:
                refined.append(group)
                continue
            ranked = sorted(group, key=order, reverse=desc)
            start = 0
            for end in range(1, len(ranked) + 1):
                if end == len(ranked) or vals[ranked[end]] != vals[ranked[start]]:
                    refined.append(ranked[start:end])   # (reverse=True keeps equal ones'
                    # order: the input's)
                    start = end
        groups = refined
    return [i for group in groups for i in group]


Collate = Callable[[str], tuple[int, ...]]


if __name__ == "__main__":   # regenerate the shipped table from pyuca
    import json

    from ...resources import data_path

    doc = {"$comment": "Unicode Collation Algorithm weights (DUCET via pyuca "
                       f"{_collator().UCA_VERSION}, MIT; DUCET: Unicode License) for Latin, "
                       "Greek and Cyrillic letters, digits and spaces: code point -> "
                       "[primary, secondary, tertiary] weights. Regenerate with "
                       "python -m transcite.render.csl.sort",
           "weights": build_table()}
    data_path(_TABLE_FILE).write_text(json.dumps(doc, separators=(",", ":")) + "\n",
                                      encoding="utf-8")


register(globals())    # pickling when compiled (see .native)
