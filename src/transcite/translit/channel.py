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

from ..resources import DataError, data_path
from .keys import fold
from .schemes import LOADED, Scheme, _load_json

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


def _add(table: dict[str, dict[str, float]], cyr: str, lat: str, cost: float) -> None:
    slot = table.setdefault(cyr, {})
    if cost < slot.get(lat, _INF):
        slot[lat] = cost


@cache
def channel() -> Channel:
    """The channel built from the schemes listed in ``channel.json`` plus its habits."""
    path = data_path(_PATH)
    data = _load_json(path)
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
    return Channel(one, two, singles=singles, **costs)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The cheapest way found to write ``cyrillic`` as ``latin``: cost and per-letter spellings.

    ``pairs`` holds (Cyrillic letters, Latin spelling) in order; a typo shows as a pair with
    ``"~"`` in front of the Latin (``("ч", "~s")``), an inserted Latin letter as ``("", "x")``.
    """

    latin: str
    cyrillic: str
    cost: float
    typos: int
    pairs: tuple[tuple[str, str], ...]


def align(latin: str, cyrillic: str, *, typos: bool = True, limit: float = 4.0) -> Alignment | None:
    """Align folded *latin* with lower-case *cyrillic*; None when nothing within *limit*."""
    ch = channel()
    n, m = len(cyrillic), len(latin)
    # cost[i][j]: best cost writing cyrillic[:i] as latin[:j]; back[i][j]: (pi, pj, cyr, lat, typo)
    cost = [[_INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str, str, int] | None]] = [[None] * (m + 1)
                                                              for _ in range(n + 1)]
    cost[0][0] = 0.0

    def relax(i: int, j: int, c: float, bp: tuple[int, int, str, str, int]) -> None:
        if c < cost[i][j] and c <= limit:
            cost[i][j] = c
            back[i][j] = bp

    one, two = ch.one, ch.two
    for i in range(n + 1):
        row = cost[i]
        for j in range(m + 1):
            c = row[j]
            if c == _INF:
                continue
            if j < m and (typos or latin[j] == "'"):  # an extra Latin letter or apostrophe
                relax(i, j + 1, c + (0.2 if latin[j] in "'-" else ch.insert),
                      (i, j, "", latin[j], 0 if latin[j] in "'-" else 1))
            if i == n:
                continue
            letter = cyrillic[i]
            for lat, k in one.get(letter, {letter: 0.0}).items():
                if latin.startswith(lat, j):
                    relax(i + 1, j + len(lat), c + k, (i, j, letter, lat, 0))
            if i + 1 < n:
                pair = cyrillic[i:i + 2]
                for lat, k in two.get(pair, {}).items():
                    if latin.startswith(lat, j):
                        relax(i + 2, j + len(lat), c + k, (i, j, pair, lat, 0))
            if not typos:
                continue
            relax(i + 1, j, c + (ch.drop_vowel if letter in _VOWELS else ch.drop),
                  (i, j, letter, "~", 1))
            if j < m:
                relax(i + 1, j + 1, c + ch.replace, (i, j, letter, "~" + latin[j], 1))
            if i + 1 < n and j + 1 < m:
                a, b = ch.singles.get(letter, frozenset()), ch.singles.get(cyrillic[i + 1],
                                                                         frozenset())
                if latin[j + 1] in a and latin[j] in b:
                    relax(i + 2, j + 2, c + ch.swap,
                          (i, j, cyrillic[i:i + 2], "~" + latin[j:j + 2], 1))
    total = cost[n][m]
    if total == _INF:
        return None
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
