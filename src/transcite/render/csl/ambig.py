"""Resolving one group of cites that render alike, step by step, as citeproc-js does.

CSL 1.0.2 lists the methods (add names, add given names, year suffixes, the ``disambiguate``
condition) but not how they combine. Zotero's and Mendeley's engine, whose output users
compare with ours, runs a search over one shared configuration for the whole group: the
number of names shown in each name list and the level of each name's given name (0 as the
style says, 1 initials, 2 full). The first cite of the group is compared with the others;
the configuration is pushed forward one step at a time - the given name of the current name
first (by-cite rule), then one more name, then the next name list - and each step that
separates cites is kept:

- a cite that no other cite matches any more keeps the configuration found so far, and the
  rest go on from there;
- a step that lowers the number of matches is kept and the group splits in two;
- once nothing is left to add, the next method takes over: year suffixes (in bibliography
  order) for cites still alike, and the ``disambiguate`` condition, which sends the search
  back to the first method with the condition switched on.

Given names are only expanded for the name being worked on, and names are added in order;
earlier names keep what earlier steps gave them. The result is the configuration each item
ends with (:class:`Config`), applied to its :class:`~.nodes.State` by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mypy_extensions import mypyc_attr

from .native import register

__all__ = ["Config", "resolve_group"]

#: how many steps one group may take before the search gives up (a safety limit only)
_STEP_LIMIT = 20_000


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass
class Config:
    """Names shown per name list, given-name level per name, the condition, a suffix."""

    names: list[int] = field(default_factory=list)
    givens: list[list[int]] = field(default_factory=list)
    disambiguate: int = 0
    year_suffix: int | None = None

    def copy(self) -> Config:
        """An independent copy."""
        return Config(list(self.names), [list(g) for g in self.givens], self.disambiguate,
                      self.year_suffix)

    def pad(self) -> None:
        """A given-name level for every name shown."""
        while len(self.givens) < len(self.names):
            self.givens.append([])
        for n, count in enumerate(self.names):
            while len(self.givens[n]) < count:
                self.givens[n].append(0)


Render = Callable[[str, Config], str]


def resolve_group(ids: Sequence[str], configs: dict[str, Config],
                  max_names: dict[str, list[int]], render: Render,
                  modes: Sequence[str], givens_max: int | None, add_names: bool,
                  bib_rank: dict[str, int]) -> dict[str, Config]:
    """The configuration each item of one ambiguous group ends with.

    ``ids`` are the group's items in the order they were registered; ``configs`` their
    configurations now (what the style shows, plus what global given-name rules added);
    ``max_names`` the number of names in each of an item's name lists; ``render`` the
    cite's text under a configuration; ``modes`` some of ``names``, ``years``, ``extra``
    in that order; ``givens_max`` 2 when given names are expanded cite by cite;
    ``bib_rank`` the bibliography position (year suffixes follow it)."""
    return _Search(ids, configs, max_names, render, modes, givens_max, add_names,
                   bib_rank).run()


@mypyc_attr(allow_interpreted_subclasses=True)
class _Search:
    def __init__(self, ids: Sequence[str], configs: dict[str, Config],
                 max_names: dict[str, list[int]], render: Render, modes: Sequence[str],
                 givens_max: int | None, add_names: bool, bib_rank: dict[str, int]) -> None:
        self.render = render
        self.modes = list(modes)
        self.givens_max = givens_max
        self.add_names = add_names
        self.bib_rank = bib_rank
        self.out: dict[str, Config] = {}
        self.base = configs[ids[0]].copy()
        for i in ids[1:]:             # every name list as long as the longest shown
            other = configs[i]
            for n in range(min(len(other.names), len(self.base.names))):
                if other.names[n] > self.base.names[n]:
                    self.base.names[n] = other.names[n]
            if len(other.names) < len(self.base.names):
                self.base.names = self.base.names[:len(other.names)]
        self.base.pad()
        self.base.year_suffix = None
        self.base.disambiguate = 0
        self.better = self.base.copy()
        # the items, fewest names first (as citeproc-js orders them: by the text of the
        # counts, then by id)
        order = sorted(ids, key=lambda i: (",".join(str(n) for n in max_names.get(i, [])),
                                           i))
        first = max_names.get(order[0], [])
        self.names_max = first[0] if first else None
        self.namesets_max = len(configs[ids[-1]].names) - 1
        self.lists: list[tuple[Config, list[str]]] = [(self.base, order)]
        self.mode = 0
        self.gnameset = 0
        self.gname = 0
        self.clashes = [1, 0]
        self.init_givens = True
        self.partners: list[str] = []
        self.nonpartners: list[str] = []

    # -- the loop ------------------------------------------------------------------------------
    def run(self) -> dict[str, Config]:
        steps = 0
        while self.lists:
            self.gnameset = 0
            self.gname = 0
            self.clashes = [1, 0]
            while self.lists[0][1]:
                steps += 1
                if steps > _STEP_LIMIT:
                    return self.out
                maxed = self._increment()
                self._scan(self.lists[0][1])
                self._eval(maxed)
            self.lists = self.lists[1:]
        return self.out

    def _register(self, i: str, config: Config) -> None:
        self.out[i] = config.copy()

    def _scan(self, items: list[str]) -> None:
        head = self.render(items[0], self.base)
        self.partners = [items[0]]
        self.nonpartners = []
        clashes = 0
        for other in items[1:]:
            if self.render(other, self.base) == head:
                clashes += 1
                self.partners.append(other)
            else:
                self.nonpartners.append(other)
        self.clashes = [self.clashes[1], clashes]

    def _eval(self, maxed: bool) -> None:
        mode = self.modes[self.mode]
        if mode == "names":
            self._names(maxed)
        elif mode == "years":
            self._years()
        else:
            self._extra()
        if maxed:
            if self.mode < len(self.modes) - 1:
                self.mode += 1
            elif len(self.lists) == 1:         # (citeproc-js sets the second list empty)
                self.lists.append((self.base, []))
            else:
                self.lists[1] = (self.base, [])

    # -- pushing the configuration forward -------------------------------------------------------
    def _increment(self) -> bool:
        if self.init_givens:
            self.init_givens = False
            return False
        mode = self.modes[self.mode]
        if mode == "extra":
            self.base.disambiguate += 1
            self.better.disambiguate += 1
            return False
        if mode != "names":
            return False
        base = self.base
        gmax, nmax, smax = self.givens_max, self.names_max, self.namesets_max
        next_name = gmax is None
        next_set = nmax is None
        if gmax is not None:
            level = self._given_level()
            if level is not None and level < gmax:
                base.givens[self.gnameset][self.gname] += 1
            else:
                next_name = True
        if nmax is not None and next_name:
            if self.add_names:
                next_set = False
                if self.gname < nmax:
                    base.names[self.gnameset] += 1
                    self.gname += 1
                    base.pad()
                else:
                    next_set = True
            else:
                next_set = True
        if smax is not None and next_set and self.gnameset < smax:
            self.gnameset += 1
            while len(base.names) <= self.gnameset:
                base.names.append(0)
            base.names[self.gnameset] = 1
            self.gname = 0
            base.pad()
        level = self._given_level()
        return (smax is None or smax == -1 or self.gnameset == smax) and \
            (not self.add_names or nmax is None or self.gname == nmax) and \
            (gmax is None or level is None or level == gmax)

    def _given_level(self) -> int | None:
        g = self.base.givens
        if self.gnameset < len(g) and self.gname < len(g[self.gnameset]):
            return g[self.gnameset][self.gname]
        return None

    def _capture(self) -> None:
        """Keep the step just taken in the better configuration."""
        base, better = self.base, self.better
        if self.givens_max is not None and self._given_level() is not None:
            if len(better.givens) < len(base.givens):
                better.givens = [list(g) for g in base.givens]
            while len(better.givens[self.gnameset]) <= self.gname:
                better.givens[self.gnameset].append(0)
            better.givens[self.gnameset][self.gname] = base.givens[self.gnameset][self.gname]
        while len(better.names) <= self.gnameset:
            better.names.append(0)
        if self.gnameset < len(base.names):
            better.names[self.gnameset] = base.names[self.gnameset]

    # -- the methods ------------------------------------------------------------------------------
    def _names(self, maxed: bool) -> None:
        pos = 0
        if self.clashes[1] == 0 and len(self.nonpartners) == 1:
            self._capture()
            self._register(self.nonpartners[0], self.better)
            self._register(self.partners[0], self.better)
            self.lists[pos] = (self.better, [])
        elif self.clashes[1] == 0:
            self._capture()
            self._register(self.partners[0], self.better)
            self.lists[pos] = (self.better, self.nonpartners)
            if self.nonpartners:
                self.init_givens = True
        elif len(self.nonpartners) == 1:
            self._capture()
            self._register(self.nonpartners[0], self.better)
            self.lists[pos] = (self.better, self.partners)
        elif self.clashes[1] < self.clashes[0]:
            self._capture()
            self.lists[pos] = (self.better, self.partners)
            self.lists.append((self.better, self.nonpartners))
        elif maxed:
            self.lists[pos] = (self.better, self.nonpartners)
            self.lists.append((self.better, self.partners))
            if self.mode == len(self.modes) - 1:
                for i in self.partners:
                    self._register(i, self.better)
                self.lists[pos] = (self.better, [])

    def _extra(self) -> None:
        done = self.clashes[1] == 0 and len(self.nonpartners) < 2
        base, items = self.lists[0]
        if not done and not self.base.disambiguate:
            # the condition switched on, and the names searched again with it
            self.mode = 0
            self.base.disambiguate = 1
            self.better.disambiguate = 1
            self._names(False)
        elif done or self.mode == len(self.modes) - 1:
            for i in items:
                self._register(i, base)
            self.lists[0] = (self.better, [])
        else:
            self.mode = len(self.modes) - 1
            base.disambiguate = 1
            for i in items:
                self._register(i, base)

    def _years(self) -> None:
        base, items = self.lists[0]
        if self.clashes[1]:
            for n, i in enumerate(sorted(items, key=lambda i: self.bib_rank.get(i, 0))):
                base.year_suffix = n        # (on the list's own configuration, as citeproc-js)
                self._register(i, base)
        self.lists[0] = (self.better, [])


register(globals())    # pickling when compiled (see .native)
