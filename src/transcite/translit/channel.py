"""How far a Latin spelling is from a Cyrillic word: a weighted alignment (the channel model).

Each Cyrillic letter (or pair of letters, for endings like ``-ий`` -> ``y``) may be written by a
set of folded Latin spellings with a cost: 0 for any spelling one of the standard schemes uses,
more for informal habits and slips (``channel.json``). :func:`align` finds the cheapest way to
write a Cyrillic word as the given Latin word, optionally allowing typos (an inserted, dropped,
replaced or swapped letter), and says which spelling was used for each letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from ..resources import DataError, data_path
from .keys import fold
from .scheme import LOADED, Scheme, read_json

__all__ = ["Alignment", "Channel", "align", "channel"]

_PATH = "translit/channel.json"
_INF = float("inf")
_VOWELS = set("аеёиоуыэюя")


@dataclass(frozen=True)
class Channel:
    """Spelling costs: ``one[letter][latin]``, ``two[letter pair][latin]`` and typo costs."""

    one: dict[str, dict[str, float]]
    two: dict[str, dict[str, float]]
    insert: float
    drop: float
    drop_vowel: float
    replace: float
    swap: float
    singles: dict[str, frozenset[str]]
    by_first: dict[str, dict[str, tuple[tuple[str, float], ...]]]
    quick: tuple[dict[int, str], ...]


def _add(table: dict[str, dict[str, float]], cyr: str, lat: str, cost: float) -> None:
    slot = table.setdefault(cyr, {})
    if cost < slot.get(lat, _INF):
        slot[lat] = cost


@cache
def channel() -> Channel:
    """The channel built from the schemes listed in ``channel.json`` plus its habits."""
    path = data_path(_PATH)
    data = read_json(path)
    names, habits, typo = data.get("schemes"), data.get("habits"), data.get("typo")
    if not isinstance(names, list) or not isinstance(habits, dict) or not isinstance(typo, dict):
        raise DataError(f"{path}: needs 'schemes' (list), 'habits' and 'typo' (objects)")
    one: dict[str, dict[str, float]] = {}
    two: dict[str, dict[str, float]] = {}
    for name in names:
        try:
            scheme: Scheme = getattr(LOADED, name)
        except AttributeError:
            raise DataError(f"{path}: unknown scheme {name!r} in 'schemes'") from None
        for cyr, lat in scheme.mapping.items():
            _add(one, cyr, fold(lat), 0.0)
        for cyr, lat in scheme.prev.items():
            if len(cyr) == 1:
                _add(one, cyr, fold(lat), 0.0)
            else:
                _add(two, cyr, fold(scheme.mapping.get(cyr[0], cyr[0])) + fold(lat), 0.0)
        for cyr, lat in scheme.next.items():
            _add(two, cyr, fold(lat) + fold(scheme.mapping.get(cyr[1], cyr[1])), 0.0)
        for cyr, lat in scheme.ending.items():
            _add(two, cyr, fold(lat), 0.0)
    for cyr, table in habits.items():
        if not isinstance(table, dict) or not 1 <= len(cyr) <= 2:
            raise DataError(f"{path}: habits for {cyr!r} must be an object (1-2 letters)")
        for lat, cost in table.items():
            if not isinstance(cost, (int, float)) or cost < 0:
                raise DataError(f"{path}: habit {cyr!r} -> {lat!r} needs a cost >= 0")
            (one if len(cyr) == 1 else two).setdefault(cyr, {})[lat] = float(cost)
    try:
        costs = {k: float(typo[k]) for k in ("insert", "drop", "drop_vowel", "replace", "swap")}
    except (KeyError, TypeError, ValueError):
        raise DataError(f"{path}: 'typo' needs insert, drop, drop_vowel, replace, swap") from None
    singles = {c: frozenset(lat for lat in t if len(lat) == 1) for c, t in one.items()}
    by_first: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {}
    for table in (one, two):
        for cyr, spellings in table.items():
            index: dict[str, list[tuple[str, float]]] = {}
            for lat, cost in spellings.items():
                index.setdefault(lat[:1], []).append((lat, cost))
            by_first[cyr] = {k: tuple(v) for k, v in index.items()}
    quick: list[dict[int, str]] = []
    for name in data.get("quick", []):
        try:
            scheme = getattr(LOADED, name)
        except AttributeError:
            raise DataError(f"{path}: unknown scheme {name!r} in 'quick'") from None
        values = {c: fold(v) for c, v in scheme.mapping.items()}
        if any(one.get(c, {}).get(v) != 0.0 for c, v in values.items()):
            continue  # a letter this scheme writes in a way that costs something here
        table = str.maketrans(values)
        if table not in quick:
            quick.append(table)
    return Channel(one, two, singles=singles, by_first=by_first, quick=tuple(quick), **costs)


class Alignment(NamedTuple):
    """The cheapest way found to write ``cyrillic`` as ``latin``: cost and per-letter spellings.

    ``pairs`` holds (Cyrillic letters, Latin spelling) in order; a typo shows as a pair with
    ``"~"`` in front of the Latin (``("ч", "~s")``), an inserted Latin letter as ``("", "x")``.
    ``typos`` counts the slips (-1 when the alignment was computed without a trace).
    """

    latin: str
    cyrillic: str
    cost: float
    typos: int
    pairs: tuple[tuple[str, str], ...]


def _plain_cost(latin: str, cyrillic: str, limit: float) -> float | None:
    """The cost of the cheapest alignment without slips (sparse search), or None."""
    by_first = channel().by_first
    n, m = len(cyrillic), len(latin)
    marks = "'" in latin or "-" in latin
    rows: list[dict[int, float]] = [{} for _ in range(n + 1)]
    rows[0][0] = 0.0
    empty: dict[str, tuple[tuple[str, float], ...]] = {}
    for i in range(n + 1):
        row = rows[i]
        if not row:
            return None
        if marks:  # apostrophes and hyphens the Cyrillic does not show
            for j in sorted(row):
                if j < m and latin[j] in "'-":
                    k = row[j] + 0.2
                    if k < row.get(j + 1, _INF):
                        row[j + 1] = k
        if i == n:
            break
        letter = cyrillic[i]
        units = by_first.get(letter) or {letter: ((letter, 0.0),)}
        pair = by_first.get(cyrillic[i:i + 2], empty) if i + 1 < n else empty
        nxt = rows[i + 1]
        for j, c in row.items():
            first = latin[j] if j < m else ""
            for table, dest, step in ((units, nxt, 1), (pair, None, 2)):
                if not table:
                    continue
                for key in (first, ""):
                    for lat, u in table.get(key, ()):
                        if lat and not latin.startswith(lat, j):
                            continue
                        k = c + u
                        jj = j + len(lat)
                        target = dest if dest is not None else rows[i + step]
                        if k <= limit and k < target.get(jj, _INF):
                            target[jj] = k
                    if not first:
                        break
    return rows[n].get(m)


def align(latin: str, cyrillic: str, *, typos: bool = True, limit: float = 4.0,
          trace: bool = True) -> Alignment | None:
    """Align folded *latin* with lower-case *cyrillic*; None when nothing within *limit*.

    Without ``trace`` only the cost is computed (``pairs`` is empty), which is faster.
    """
    if not typos and not trace:
        for table in channel().quick:
            if cyrillic.translate(table) == latin:
                return Alignment(latin, cyrillic, 0.0, 0, ())
        total = _plain_cost(latin, cyrillic, limit)
        return None if total is None else Alignment(latin, cyrillic, total, 0, ())
    ch = channel()
    n, m = len(cyrillic), len(latin)
    inf = _INF
    # cost[i][j]: best cost writing cyrillic[:i] as latin[:j]; back[i][j]: how it was reached
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str, str, int] | None]] | None = (
        [[None] * (m + 1) for _ in range(n + 1)] if trace else None)
    cost[0][0] = 0.0
    one, two, singles = ch.one, ch.two, ch.singles
    ins, drop, drop_v, rep, swap = ch.insert, ch.drop, ch.drop_vowel, ch.replace, ch.swap
    for i in range(n + 1):
        row = cost[i]
        letter = cyrillic[i] if i < n else ""
        units = one.get(letter) or {letter: 0.0}
        pair = two.get(cyrillic[i:i + 2]) if i + 1 < n else None
        nxt = cost[i + 1] if i < n else None
        for j in range(m + 1):
            c = row[j]
            if c == inf:
                continue
            if j < m:
                ch_j = latin[j]
                if ch_j == "'" or ch_j == "-":
                    k = c + 0.2
                    if k < row[j + 1] and k <= limit:
                        row[j + 1] = k
                        if back is not None:
                            back[i][j + 1] = (i, j, "", ch_j, 0)
                elif typos:
                    k = c + ins
                    if k < row[j + 1] and k <= limit:
                        row[j + 1] = k
                        if back is not None:
                            back[i][j + 1] = (i, j, "", ch_j, 1)
            if nxt is None:
                continue
            for lat, u in units.items():
                if latin.startswith(lat, j):
                    jj = j + len(lat)
                    k = c + u
                    if k < nxt[jj] and k <= limit:
                        nxt[jj] = k
                        if back is not None:
                            back[i + 1][jj] = (i, j, letter, lat, 0)
            if pair:
                after = cost[i + 2]
                for lat, u in pair.items():
                    if latin.startswith(lat, j):
                        jj = j + len(lat)
                        k = c + u
                        if k < after[jj] and k <= limit:
                            after[jj] = k
                            if back is not None:
                                back[i + 2][jj] = (i, j, cyrillic[i:i + 2], lat, 0)
            if not typos:
                continue
            k = c + (drop_v if letter in _VOWELS else drop)
            if k < nxt[j] and k <= limit:
                nxt[j] = k
                if back is not None:
                    back[i + 1][j] = (i, j, letter, "~", 1)
            if j < m:
                k = c + rep
                if k < nxt[j + 1] and k <= limit:
                    nxt[j + 1] = k
                    if back is not None:
                        back[i + 1][j + 1] = (i, j, letter, "~" + latin[j], 1)
                if i + 1 < n and j + 1 < m and latin[j + 1] in singles.get(letter, ()) \
                        and latin[j] in singles.get(cyrillic[i + 1], ()):
                    k = c + swap
                    after = cost[i + 2]
                    if k < after[j + 2] and k <= limit:
                        after[j + 2] = k
                        if back is not None:
                            back[i + 2][j + 2] = (i, j, cyrillic[i:i + 2], "~" + latin[j:j + 2], 1)
    total = cost[n][m]
    if total == inf:
        return None
    if back is None:
        return Alignment(latin, cyrillic, total, -1, ())
    pairs: list[tuple[str, str]] = []
    slips = 0
    i, j = n, m
    while (i, j) != (0, 0):
        bp = back[i][j]
        assert bp is not None
        i, j, cyr, lat, slip = bp
        pairs.append((cyr, lat))
        slips += slip
    pairs.reverse()
    return Alignment(latin, cyrillic, total, slips, tuple(pairs))
