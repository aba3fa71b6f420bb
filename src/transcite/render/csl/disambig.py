"""Disambiguation of cites that render alike (CSL 1.0.2, in the specification's order):
add names, add given names (by the style's rule), the ``disambiguate`` condition, and year
suffixes assigned in bibliography order.

Only items whose cites render identically are looked at: items are grouped by their rendering
(a hash lookup), so the cost is linear in the library plus the work on the ambiguous groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .item import Item, Name
from .names import NameSpec, initialize
from .nodes import State

if TYPE_CHECKING:
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
                 bib_order: Sequence[Item], clusters: Sequence[Any] = ()) -> None:
        self.proc = proc
        self.clusters = clusters
        self.items = items
        self.states = states
        self.order = [it.id for it in bib_order]
        self.rank = {i: n for n, i in enumerate(self.order)}
        self.opts = proc.disambiguation
        self.spec: NameSpec | None = proc.cite_name_spec
        rule = self.opts["rule"]
        self.by_cite = rule == "by-cite"
        self.max_level = 1 if rule.endswith("with-initials") else 2
        self._texts: dict[tuple[object, ...], str] = {}

    def text(self, i: str) -> str:
        """The cite's text as compared for ambiguity (first position, no locator); cached
        for each state the item passes through."""
        key = self._key(i)
        found = self._texts.get(key)
        if found is None:
            found = self.proc.render_cite_plain(self.items[i], self.states[i])
            self._texts[key] = found
        return found

    def run(self) -> None:
        """All steps; states are updated in place."""
        if self.opts["add-givenname"] and not self.by_cite:
            # names are told apart throughout the document, on the names the cites show:
            # first as the style shows them, then once more with the names added to cites
            self._global_givennames(self.opts["rule"].startswith("primary"))
        self._prefill()
        for group in self._ambiguous(self.order):
            self._resolve(group)
        if self.opts["condition"]:
            self._later_cites()

    def _later_cites(self) -> None:
        """Cites after the first often take a short form ("Doe, supra note 1"); where the
        later forms of different items print alike - each with its own first note - their
        ``disambiguate`` condition is set too (citeproc-js judges cites in the form they are
        printed in)."""
        from .nodes import SUBSEQUENT, Cite

        first: dict[str, int] = {}
        later = False
        for cl in self.clusters:
            for c in cl.cites:
                first.setdefault(c.id, cl.note or 0)
                later = later or c.cite.position >= SUBSEQUENT
        if not later:
            return
        by_text: dict[str, list[str]] = defaultdict(list)
        for i in self.order:
            if not self.states[i].disambiguate:
                cite = Cite(position=SUBSEQUENT, first_note=first.get(i, 0))
                by_text[self.proc.render_cite_plain(self.items[i], self.states[i], cite)] \
                    .append(i)
        for ids in by_text.values():
            if len(ids) > 1:
                for i in ids:
                    self.states[i].disambiguate = True

    def _prefill(self) -> None:
        """Every item's cite text, rendered by forked workers when the library is long."""
        from .parallel import map_chunks, workers_for

        order = self.order
        workers = workers_for(len(order), self.proc.workers, cheap=True)
        if workers <= 1:
            return

        def job(a: int, b: int) -> list[str]:
            return [self.proc.render_cite_plain(self.items[i], self.states[i])
                    for i in order[a:b]]
        for i, text in zip(order, map_chunks(job, len(order), workers)):
            self._texts[self._key(i)] = text

    def _key(self, i: str) -> tuple[object, ...]:
        st = self.states[i]
        return (i, st.add_names, tuple(sorted(st.given.items())), st.disambiguate,
                st.year_suffix)

    def _ambiguous(self, ids: Sequence[str]) -> list[list[str]]:
        by_text: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            by_text[self.text(i)].append(i)
        return [g for g in by_text.values() if len(g) > 1]

    def _sizes(self, group: list[str]) -> dict[str, int]:
        texts = {i: self.text(i) for i in group}
        counts: dict[str, int] = defaultdict(int)
        for t in texts.values():
            counts[t] += 1
        return {i: counts[texts[i]] for i in group}

    def _still(self, group: list[str]) -> list[str]:
        return [i for i, n in self._sizes(group).items() if n > 1]

    def _resolve(self, group: list[str]) -> None:
        if self.opts["add-names"] and self.opts["add-givenname"] and self.by_cite:
            # given names of the names already shown first, when they tell every cite apart
            # (as citeproc-js: "A. Smith et al." rather than "Smith, Jones, et al.")
            self._expand_given(group)
            left = self._still(group)
            if left:            # the cites given names could not tell apart take more names
                self._add_names(left)
        elif self.opts["add-names"]:
            self._add_names(group)
        elif self.opts["add-givenname"] and self.by_cite:
            self._expand_given(group)
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
        """Show more names, one at a time; each item keeps the fewest names that made it as
        distinct as it gets (none added if adding never helped). Only the items still alike
        take the next round, in clusters of items that still render the same, so the work
        shrinks as names tell the items apart."""
        best = {i: (len(group), 0, dict(self.states[i].given)) for i in group}
        clusters = [group]
        k = 0
        while clusters:
            k += 1
            following: list[Any] = []
            for cluster in clusters:
                most = max(max((len(v) for v in self.items[i].names.values()), default=0)
                           for i in cluster)
                if k > most:
                    continue
                before = {i: self.text(i) for i in cluster}
                for i in cluster:
                    self.states[i].add_names = k
                if self.opts["add-givenname"] and self.by_cite:
                    self._expand_given(cluster)
                split: dict[str, list[str]] = defaultdict(list)
                for i in cluster:
                    split[self.text(i)].append(i)
                for members in split.values():
                    for i in members:
                        if len(members) < best[i][0]:
                            best[i] = (len(members), k, dict(self.states[i].given))
                if all(self.text(i) == before[i] for i in cluster) and len(split) == 1:
                    continue                         # more names change nothing here
                following.extend(m for m in split.values() if len(m) > 1)
            clusters = following
        for i in group:
            _, k, given = best[i]
            self.states[i].add_names = k
            self.states[i].given = given

    # -- given names ---------------------------------------------------------------------------
    def _given_at(self, n: Name, level: int) -> str:
        """How a name's given part shows at an expansion level (0 = as the style says)."""
        spec = self.spec
        if spec is None or n.literal:
            return n.given
        iw = spec.initialize_with
        if level == 0:
            if spec.form == "short":
                return ""
            return initialize(n.given, iw, True, spec.initialize) if iw is not None \
                else n.given
        if level == 1 and iw is not None:
            return initialize(n.given, iw, True)
        return n.given

    def _expand_given(self, group: list[str]) -> None:
        """By cite: in ambiguous cites, show more of a name where the same family name stands
        for different people at the same place, as little as distinguishes them."""
        amb = self._still(group)
        if not amb:
            return
        width = max((len(ns) for i in amb for ns in self.items[i].names.values()), default=0)
        for pos in range(width):
            amb = self._still(group)
            if not amb:
                return
            by_family: dict[tuple[str, str], list[tuple[str, str, Name]]] = defaultdict(list)
            for i in amb:
                for var, ns in self.items[i].names.items():
                    if pos < len(ns) and not ns[pos].literal:
                        n = ns[pos]
                        by_family[(n.non_dropping, n.family)].append((i, var, n))
            for members in by_family.values():
                if len({_bare(n.given) for _, _, n in members}) < 2:
                    continue
                for level in range(1, self.max_level + 1):
                    shown = [self._given_at(n, level) for _, _, n in members]
                    if len(set(shown)) < 2 and level < self.max_level:
                        continue
                    if len(set(shown)) < 2:
                        break
                    for i, var, n in members:
                        others = [self._given_at(m, level) for j, _, m in members
                                  if _bare(m.given) != _bare(n.given)]
                        if self._given_at(n, level) in others:
                            continue
                        key = (var, pos)
                        if self.states[i].given.get(key, 0) < level:
                            self.states[i].given[key] = level
                    break

    def _global_givennames(self, primary: bool) -> None:
        """``all-names``/``primary-name`` (``-with-initials``), as citeproc-js does it: the
        names the cites' ``<names>`` elements meet (only first names for the primary rules)
        form a register of people by family name; a family name that stands for people with
        different initials shows initials (or, without ``initialize-with``, full given names),
        and full given names where the initials are shared too (``-with-initials``: never
        more than initials) - in every cite."""
        seen = {i: self._names_met(i) for i in self.order}
        register: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for lists in seen.values():
            for _, ns, _spec in lists:
                for pos, n in enumerate(ns):
                    if primary and pos:
                        break
                    if not n.literal and n.family:
                        pkey, ikey, skey = _keys(n)
                        register[pkey][ikey].add(skey)
        with_initials = self.opts["rule"].endswith("with-initials")
        for i, lists in seen.items():
            st = self.states[i]
            for var, ns, spec in lists:
                base = 0 if spec.form == "short" else 1 if spec.initialize_with is not None \
                    else 2
                for pos, n in enumerate(ns):
                    if primary and pos:
                        break
                    if n.literal or not n.family:
                        continue
                    pkey, ikey, _ = _keys(n)
                    fam = register.get(pkey, {})
                    level = base
                    if with_initials:
                        level = 1 if len(fam) > 1 else 0
                    else:
                        if len(fam) > 1:
                            level = 1
                        if len(fam.get(ikey, ())) > 1 or (
                                len(fam) > 1 and spec.initialize_with is None):
                            level = 2
                    if level > base:
                        v = "editortranslator" if var == "editor" and any(
                            w == "translator" for w, _, _ in lists) else var
                        st.given[(var, pos)] = level
                        if v != var:
                            st.given[(v, pos)] = level

    def _names_met(self, i: str) -> list[tuple[str, list[Name], NameSpec]]:
        """The name lists (whole, before et-al) the citation's ``<names>`` elements meet
        when rendering a cite of the item."""
        from .nodes import Cite, Ctx

        proc = self.proc
        assert proc.citation is not None
        ctx = Ctx(self.items[i], proc.env, "citation", Cite(), self.states[i])
        ctx.names_seen = []
        proc.citation.layout.render(ctx)
        return ctx.names_seen

    def _given_text(self, given: str, level: int) -> str:
        return self._given_at(Name("x", given), level)


def _keys(n: Name) -> tuple[str, str, str]:
    """A name's keys in the register of people: family name, initials, given name (periods
    and spacing ignored: "J.R." and "J. R." are one)."""
    skey = " ".join(n.given.replace(".", " ").split())
    return (n.non_dropping + " " + n.family if n.non_dropping else n.family,
            initialize(skey, "", True), skey)


def _bare(given: str) -> str:
    """A given name compared for identity: "J. J." and "J.J." are the same person."""
    return given.replace(".", "").replace(" ", "")
