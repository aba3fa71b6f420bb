"""Disambiguation of cites that render alike (CSL 1.0.2, in the specification's order):
add names, add given names (by the style's rule), the ``disambiguate`` condition, and year
suffixes assigned in bibliography order.

Only items whose first cites render identically are looked at: items are grouped by their
rendering (a hash lookup), so the cost is linear in the library plus the work on the
ambiguous groups themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .item import Item, Name
from .nodes import State

if TYPE_CHECKING:
    from .cites import Cluster
    from .processor import Processor

__all__ = ["Disambiguator", "year_suffix"]


def year_suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa ..."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


class Disambiguator:
    """Runs the disambiguation steps over the cited items, changing their :class:`State`."""

    def __init__(self, proc: Processor, items: dict[str, Item], states: dict[str, State],
                 bib_order: Sequence[Item], clusters: Sequence[Cluster]) -> None:
        self.proc = proc
        self.items = items
        self.states = states
        self.order = [it.id for it in bib_order]
        self.rank = {i: n for n, i in enumerate(self.order)}
        self.opts = proc.disambiguation
        self.clusters = clusters

    def text(self, i: str) -> str:
        """The cite's text as compared for ambiguity (first position, no locator)."""
        return self.proc.render_cite_plain(self.items[i], self.states[i])

    def run(self) -> None:
        """All steps; states are updated in place."""
        rule = self.opts["rule"]
        if self.opts["add-givenname"] and rule != "by-cite":
            self._global_givennames(rule)
        for group in self._ambiguous(self.order):
            self._resolve(group)

    def _ambiguous(self, ids: Sequence[str]) -> list[list[str]]:
        by_text: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            by_text[self.text(i)].append(i)
        return [g for g in by_text.values() if len(g) > 1]

    def _still(self, group: list[str]) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        texts = {i: self.text(i) for i in group}
        for t in texts.values():
            counts[t] += 1
        return [i for i in group if counts[texts[i]] > 1]

    def _resolve(self, group: list[str]) -> None:
        if self.opts["add-names"]:
            self._add_names(group)
        if self.opts["add-givenname"] and self._still(group):
            self._by_cite_givennames(self._still(group))
        left = self._still(group)
        if self.opts["condition"] and left:
            for i in left:
                self.states[i].disambiguate = True
            left = self._still(group)
        if self.opts["add-year-suffix"] and left:
            for sub in self._ambiguous(sorted(left, key=self.rank.__getitem__)):
                for n, i in enumerate(sorted(sub, key=self.rank.__getitem__)):
                    self.states[i].year_suffix = year_suffix(n)

    def _add_names(self, group: list[str]) -> None:
        most = max(max((len(v) for v in self.items[i].names.values()), default=0)
                   for i in group)
        pending = list(group)
        for k in range(1, most + 1):
            for i in pending:
                self.states[i].add_names = k
            still = set(self._still(group))
            done = [i for i in pending if i not in still]
            pending = [i for i in pending if i in still]
            if not pending:
                return
            del done
        for i in pending:
            self.states[i].add_names = 0
        still = set(self._still(group))
        for i in group:
            if i not in still:
                continue

    def _by_cite_givennames(self, group: list[str]) -> None:
        for i in group:
            names = self._shown_names(i)
            for pos, (var, name) in enumerate(names):
                if i not in self._still(group):
                    break
                for level in (1, 2):
                    before = self.text(i)
                    self.states[i].given[(var, pos)] = level
                    if self.text(i) == before:
                        del self.states[i].given[(var, pos)]
                        if level == 2:
                            break
                        continue
                    if i not in self._still(group):
                        break

    def _shown_names(self, i: str) -> list[tuple[str, Name]]:
        out = []
        for var, ns in self.items[i].names.items():
            for pos, n in enumerate(ns):
                out.append((var, n))
                del pos
        return [(var, n) for var, ns in self.items[i].names.items() for n in ns]

    def _global_givennames(self, rule: str) -> None:
        """``all-names``/``primary-name`` (``-with-initials``): expand every name that shares
        its family name with a different person, in every cite."""
        primary = rule.startswith("primary")
        initials_only = rule.endswith("with-initials")
        by_family: dict[str, set[str]] = defaultdict(set)
        for i in self.order:
            for var, ns in self.items[i].names.items():
                for pos, n in enumerate(ns):
                    if primary and pos > 0:
                        break
                    if not n.literal:
                        by_family[n.family].add(n.given)
        for i in self.order:
            st = self.states[i]
            for var, ns in self.items[i].names.items():
                for pos, n in enumerate(ns):
                    if primary and pos > 0:
                        break
                    givens = by_family.get(n.family, set())
                    if n.literal or len(givens) < 2:
                        continue
                    inits = {_initials(g) for g in givens}
                    level = 1 if (len(inits) == len(givens) or initials_only) else 2
                    st.given[(var, pos)] = level


def _initials(given: str) -> str:
    return "".join(w[:1] for w in given.replace("-", " ").split())
