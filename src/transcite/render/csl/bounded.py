"""A bibliography of items kept in a file: what :meth:`Processor.process` renders, without
holding every item.

:class:`ItemFile` keeps CSL-JSON items in a temporary file (marshalled) and builds the engine's
:class:`~.item.Item` for one when it is asked for (the last few are kept). :func:`bibliography`
then does what :meth:`~.processor.Processor.process` does for a bibliography without citations
- number, sort, disambiguate, render - reading the items as each step reaches them: sort keys
are computed item by item (later keys only for the items earlier keys leave tied), the
disambiguation looks items up by id, and the entries are rendered in chunks by forked workers
that read their own items. Memory holds the sort keys, a state per item and the entries'
text, not the items.
"""

from __future__ import annotations

import marshal
import pickle
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...store import BlobFile
from .item import Item, make_item
from .nodes import State

if TYPE_CHECKING:
    from .processor import Processor, Result

__all__ = ["ItemFile", "bibliography"]

#: Items built from the file and kept (disambiguation looks at the same few many times).
KEEP = 2048


class ItemFile:
    """CSL-JSON items in a temporary file, addressed by record number."""

    def __init__(self) -> None:
        self._blobs = BlobFile()
        self.ids: list[str] = []
        self._kept: OrderedDict[int, Item] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, item: dict[str, Any]) -> int:
        """Store an item (its ``id`` a string); its record number."""
        try:
            data = b"m" + marshal.dumps(item)
        except ValueError:          # a value marshal does not know: pickle takes it
            data = b"p" + pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
        self.ids.append(item["id"])
        return self._blobs.append(data)

    def item(self, n: int) -> Item:
        """The engine's item for record ``n``."""
        kept = self._kept.get(n)
        if kept is not None:
            self._kept.move_to_end(n)
            return kept
        data = self._blobs.read(n)
        raw = marshal.loads(data[1:]) if data[:1] == b"m" else pickle.loads(data[1:])
        built = make_item(raw)
        self._kept[n] = built
        if len(self._kept) > KEEP:
            self._kept.popitem(last=False)
        return built

    def close(self) -> None:
        """Remove the file."""
        self._blobs.close()
        self._kept.clear()


class _Items(Sequence[Item]):
    """The items at some record numbers, in that order, read when indexed."""

    def __init__(self, store: ItemFile, numbers: list[int]) -> None:
        self.store = store
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self.store.item(n) for n in self.numbers[k]]
        return self.store.item(self.numbers[k])


class _ById(Mapping[str, Item]):
    """The items by id (what the disambiguation looks them up by)."""

    def __init__(self, store: ItemFile, index: dict[str, int]) -> None:
        self.store = store
        self.index = index

    def __getitem__(self, key: str) -> Item:
        return self.store.item(self.index[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


class _Placed:
    """An item in bibliography order, as the disambiguation reads it: its id only."""

    __slots__ = ("id",)

    def __init__(self, item_id: str) -> None:
        self.id = item_id


def _forget() -> None:
    from ... import memo
    from .item import forget_names

    memo.clear()
    forget_names()


def bibliography(proc: Processor, store: ItemFile, numbers: Sequence[int],
                 order: str = "style") -> Result:
    """The bibliography of the items at ``numbers`` (in that order), as
    ``proc.process(items, None, order=order)`` renders it, in this process: a forked worker
    starts as large as the process it is forked from (the kernel counts the pages they
    share in both), so workers would double the peak that keeping the items in a file holds
    down."""
    workers, proc.workers = proc.workers, 1
    try:
        return _bibliography(proc, store, numbers, order)
    finally:
        proc.workers = workers


def _bibliography(proc: Processor, store: ItemFile, numbers: Sequence[int],
                  order: str) -> Result:
    from .disambig import Disambiguator
    from .processor import Result
    from .sort import forget, sort_order

    index: dict[str, int] = {}
    for n in numbers:       # an id given twice is the first item with it (as process does)
        index.setdefault(store.ids[n], n)
    ids = list(index)
    states = {i: State() for i in ids}
    for k, i in enumerate(ids):
        states[i].number = k + 1
    result = Result()
    if proc.global_names and proc.citation is not None:
        # people told apart by given names throughout, sort keys included (as process does)
        Disambiguator(proc, _ById(store, index), states,
                      [_Placed(i) for i in ids]).global_levels()
    bib = proc.bibliography_section
    if bib is not None and bib.keys and order == "style":
        ranked = sort_order(_Items(store, [index[i] for i in ids]), bib.keys, proc.env, states,
                            "bibliography", proc.cyrillic_first, proc.workers)
        ids = [ids[k] for k in ranked]
        forget()
        for k, i in enumerate(ids):
            states[i].number = k + 1
    if proc.citation is not None:
        d = proc.disambiguation
        if d["add-names"] or d["add-givenname"] or d["add-year-suffix"] or d["condition"]:
            Disambiguator(proc, _ById(store, index), states,
                          [_Placed(i) for i in ids]).run()
    _forget()       # what sorting and disambiguation memoised: rendering needs the room
    if bib is not None:
        result.bibliography = proc._bibliography(
            bib, _Items(store, [index[i] for i in ids]), states, result.warnings)
    return result
