"""A bibliography's sort keys put entries in the order a stable sort by each key gives.

``sort_order`` computes each key only for the entries the earlier keys left tied, and does it
for all of them at once (key by key, not group by group). Whatever the ties, the order must be
the one stable sorts give, from the last key to the first: each key ascending or descending,
entries with no value for it after the others, entries equal on every key in input order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from transcite.render.csl.item import Item, make_item
from transcite.render.csl.locale import Locale
from transcite.render.csl.nodes import Env, State
from transcite.render.csl.sort import SortKey, _comparable, sort_order

VALUES = st.one_of(st.none(), st.integers(0, 3),
                   st.sampled_from(["a", "A", "b", "Б", "б", "é", "e", "2", "10", "Item 2",
                                    "Item 10", "ё", "е"]))


class TableKey(SortKey):
    """A key whose values are given per entry (the way a macro's are rendered per entry)."""

    def __init__(self, table: dict[str, Any], descending: bool) -> None:
        super().__init__("x", None, descending)
        self.table = table
        self.asked: list[str] = []

    def value(self, item: Any, env: Any, state: Any, mode: str) -> Any:
        self.asked.append(item.id)
        return self.table[item.id]


def _entries(ids: list[str]) -> tuple[list[Item], Env, dict[str, State]]:
    """Items with these ids, an environment and their states: what sort_order is given."""
    return [make_item({"id": i}) for i in ids], Env(Locale("en-US"), {}), \
        {i: State() for i in ids}


def stable_sorts(ids: list[str], keys: list[TableKey]) -> list[int]:
    """The order stable sorts give, last key first (no value: after the others)."""
    order = list(range(len(ids)))
    for key in reversed(keys):
        present = [i for i in order if key.table[ids[i]] is not None]
        absent = [i for i in order if key.table[ids[i]] is None]
        present.sort(key=lambda i, k=key: _comparable(k.table[ids[i]], False),
                     reverse=key.descending)
        order = present + absent
    return order


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(VALUES, VALUES, VALUES), min_size=0, max_size=40),
       descending=st.tuples(st.booleans(), st.booleans(), st.booleans()),
       nkeys=st.integers(1, 3))
def test_the_order_of_stable_sorts_whatever_the_ties(rows: list[tuple[Any, Any, Any]],
                                                     descending: tuple[bool, bool, bool],
                                                     nkeys: int) -> None:
    ids = [f"item-{n}" for n in range(len(rows))]
    keys = [TableKey({i: row[k] for i, row in zip(ids, rows)}, descending[k])
            for k in range(nkeys)]
    items, env, states = _entries(ids)
    got = sort_order(items, keys, env=env, states=states, mode="bibliography")
    assert got == stable_sorts(ids, keys)


def test_a_key_is_computed_only_for_entries_still_tied() -> None:
    ids = ["a", "b", "c", "d"]
    first = TableKey({"a": "Smith", "b": "Jones", "c": "Smith", "d": "Adams"}, False)
    second = TableKey({"a": 2001, "b": 1999, "c": 1990, "d": 2005}, False)
    items, env, states = _entries(ids)
    got = sort_order(items, [first, second], env=env, states=states, mode="bibliography")
    assert [ids[i] for i in got] == ["d", "b", "c", "a"]
    assert sorted(first.asked) == ids
    assert sorted(second.asked) == ["a", "c"]       # only the two Smiths were tied


def test_keys_computed_on_several_processes_give_the_same_order() -> None:
    """Hundreds of tied entries: the later keys are computed by forked workers (when the
    machine has a core free), and the order is still the stable sorts'."""
    import random

    rng = random.Random(7)
    ids = [f"item-{n}" for n in range(900)]
    keys = [TableKey({i: rng.choice(["Smith", "Jones", "Иванов", None]) for i in ids}, False),
            TableKey({i: rng.choice([1999, 2001, None]) for i in ids}, True),
            TableKey({i: rng.choice(["a", "B", "b", "c", None]) for i in ids}, False)]
    items, env, states = _entries(ids)
    got = sort_order(items, keys, env=env, states=states, mode="bibliography", workers=2)
    assert got == stable_sorts(ids, keys)
