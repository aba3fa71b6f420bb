"""Disambiguation of cites that render alike (CSL 1.0.2, in the specification's order):
add names, add given names (by the style's rule), the ``disambiguate`` condition, and year
suffixes assigned in bibliography order.

Only items whose cites render identically are looked at: items are grouped by their rendering
(a hash lookup), so the cost is linear in the library plus the work on the ambiguous groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from mypy_extensions import mypyc_attr

from .ambig import Config, resolve_group
from .givennames import reads_number, register_level
from .item import Item, Name
from .names import NameSpec, person_keys
from .native import register
from .nodes import SUBSEQUENT, Cite, Ctx, State
from .rich import plain

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


class HasId(Protocol):
    """What the disambiguation reads of an item in bibliography order: its id (an
    :class:`Item`, or a stand-in for one kept on disk)."""

    @property
    def id(self) -> str:
        """The item's id."""
        ...


@mypyc_attr(allow_interpreted_subclasses=True)
class Disambiguator:
    """Runs the disambiguation steps over the cited items, changing their :class:`State`."""

    def __init__(self, proc: Processor, items: Mapping[str, Item], states: dict[str, State],
                 bib_order: Sequence[HasId], clusters: Sequence[Any] = (),
                 registered: Sequence[str] | None = None,
                 met_cache: dict[tuple[object, ...], Any] | None = None) -> None:
        self.proc = proc
        # names met by a cite, by item and names shown (shared between the runs of one
        # process: the global rules' register and the search)
        self._met_cache = met_cache if met_cache is not None else {}
        # a cache shared between the global rules' pass and the search (items in memory)
        # keeps every item's names; otherwise the passes over every item keep none
        self._keep_all = met_cache is not None
        self.clusters = clusters
        self.items = items
        self.states = states
        self.order = [it.id for it in bib_order]
        self.rank = {i: n for n, i in enumerate(self.order)}
        self.first_notes: dict[str, int] = {}      # the note of each item's first cite
        for cl in clusters:
            for c in cl.cites:
                if cl.note:
                    self.first_notes.setdefault(c.id, cl.note)
        # the order the items became known in (citation order): groups are searched in it
        self.registered = [i for i in (registered or self.order) if i in self.rank]
        self.opts = proc.disambiguation
        self.spec: NameSpec | None = proc.cite_name_spec
        rule = self.opts["rule"]
        self.by_cite = rule == "by-cite"
        self.max_level = 1 if rule.endswith("with-initials") else 2
        self._texts: dict[tuple[object, ...], str] = {}

    def text(self, i: str, early: bool = False) -> str:
        """The cite's text as compared for ambiguity (first position, no locator); cached
        for each state the item passes through. ``early``: the text before the global
        given-name rules, which the global pass may already have rendered (:meth:`_early`)."""
        key = self._key(i)
        found = self._texts.get(key)
        if found is None and early:
            found = (self._early() or {}).get(key)
        if found is None:
            found = self.proc.render_cite_plain(self.items[i], self.states[i])
            self._texts[key] = found
        return found

    def _early(self) -> dict[tuple[object, ...], str] | None:
        """Cite texts the global given-name pass rendered on its way (the same cite, the
        same state, before the rules' levels), by :meth:`_key`: the search's first texts
        need not be rendered again. None - nothing kept - unless the passes share their
        cache (items in memory) and the citation does not print its number, which the
        bibliography's sort changes in between."""
        key = ("early-texts",)
        if key not in self._met_cache:
            keep = self._keep_all and not reads_number(self.proc.citation)
            self._met_cache[key] = {} if keep else None
        found: dict[tuple[object, ...], str] | None = self._met_cache[key]
        return found

    def run(self, batches: Sequence[Sequence[str]] | None = None) -> None:
        """All steps; states are updated in place. ``batches`` are the items as they become
        known (all at once by default; citation by citation when citations are processed
        in turn, as citeproc-js processes them): each batch's items join the groups of cites
        alike, and the groups they join are searched again, from the configurations their
        items have by then. Which cites are alike is judged on their plain form, before the
        global given-name rules; the search within a group sees the names those rules
        expanded (as citeproc-js does)."""
        env = self.proc.env
        levels, env.name_levels = env.name_levels, None     # (global rules: set before)
        self._prefill()
        keys = {i: self.text(i, early=True) for i in self.registered}
        env.name_levels = levels
        self._texts.clear()
        # each item's given-name levels from the global rules, kept when a search first
        # changes them (most items are never searched: their state still says it)
        self.global_given: dict[str, dict[tuple[str, int], int]] = {}
        self.configs: dict[str, Config] = {}
        modes = []
        if self.opts["add-names"] or (self.opts["add-givenname"] and self.by_cite):
            modes.append("names")
        if self.opts["add-year-suffix"]:
            modes.append("years")
        if self.opts["condition"]:
            modes.append("extra")
        if modes:
            # a cite text's items: the first alone (most texts have one), a list from two
            groups: dict[str, str | list[str]] = {}
            seen: set[str] = set()
            whole = batches is None or len(batches) == 1
            for batch in batches if batches is not None else [self.registered]:
                touched: dict[str, None] = {}
                for i in batch:
                    if i in keys and i not in seen:
                        seen.add(i)
                        k = keys[i]
                        had = groups.get(k)
                        if had is None:
                            groups[k] = i
                        else:
                            if isinstance(had, str):
                                groups[k] = had = [had]
                            had.append(i)
                            touched[k] = None
                if whole:       # one batch: its groups are independent of each other
                    self._resolve_all([g for g in groups.values() if isinstance(g, list)],
                                      modes)
                    continue
                for k in touched:
                    group = groups[k]
                    assert isinstance(group, list)
                    self._resolve(group, modes)
            del groups, seen
        del keys
        if self.opts["condition"]:
            self._later_cites()
        if self.opts["add-names"] and self.opts["add-givenname"]:
            # every cite's name counts, for the bibliography to take over (citeproc-js)
            for i in self.registered:
                st = self.states[i]
                for var, shown in self._shown_names(i):
                    st.names.setdefault(var, shown)

    def _later_cites(self) -> None:
        """Cites after the first often take a short form ("Doe, supra note 1"); where the
        later forms of different items print alike - each with its own first note - their
        ``disambiguate`` condition is set too (citeproc-js judges cites in the form they are
        printed in)."""
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

        early = self._early()
        order = [i for i in self.order if self._key(i) not in early] if early else self.order
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
        return (i, tuple(sorted(st.names.items())), tuple(sorted(st.given.items())),
                st.disambiguate, st.year_suffix)

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

    def _resolve_all(self, groups: list[list[str]], modes: list[str]) -> None:
        """:meth:`_resolve` for groups that share no item, when no later batch follows: a
        long list of them is split between forked workers, which send back each item's state
        (and the names its cite shows then, for :meth:`run`'s last step)."""
        from .parallel import map_chunks, workers_for

        workers = workers_for(len(groups), self.proc.workers, costly=True) \
            if self._keep_all else 1
        if workers <= 1:
            for group in groups:
                self._resolve(group, modes)
            return
        shown = bool(self.opts["add-names"] and self.opts["add-givenname"])

        def job(a: int, b: int) -> list[tuple[Any, ...]]:
            out = []
            for group in groups[a:b]:
                self._resolve(group, modes)
                for i in group:
                    st = self.states[i]
                    out.append((i, self.configs.get(i), self.global_given.get(i), st.names,
                                st.given, st.disambiguate, st.year_suffix,
                                self._shown_names(i) if shown else None))
            return out
        for i, cfg, given0, names, given, dis, ys, seen in map_chunks(job, len(groups),
                                                                      workers):
            if cfg is not None:
                self.configs[i] = cfg
            if given0 is not None:
                self.global_given[i] = given0
            st = self.states[i]
            st.names, st.given, st.disambiguate, st.year_suffix = names, given, dis, ys
            if seen is not None:
                self._met_cache[("shown", i, tuple(sorted(names.items())) if names else ())] \
                    = seen

    def _resolve(self, group: list[str], modes: list[str]) -> None:
        """One group of items whose cites render alike, searched as citeproc-js does (see
        :mod:`.ambig`); each item's state takes the configuration it ends with."""
        met = {i: self._names_met(i) for i in group}
        configs: dict[str, Config] = {}
        max_names: dict[str, list[int]] = {}
        for i in group:     # given names the global rules expanded stay apart (state_for)
            known = self.configs.get(i)
            configs[i] = known.copy() if known is not None else \
                Config([shown for _, _, _, _, shown in met[i]],
                       [[0] * shown for _, _, _, _, shown in met[i]])
            max_names[i] = [count for _, _, _, count, _ in met[i]]
        render = _GroupRender(self, met, max_names)
        result = resolve_group(group, configs, max_names, render, modes,
                               2 if self.opts["add-givenname"] and self.by_cite else None,
                               bool(self.opts["add-names"]), self.rank)
        for i, cfg in result.items():
            self.configs[i] = cfg
            st = render.state_for(i, cfg)
            target = self.states[i]
            if i not in self.global_given:
                self.global_given[i] = dict(target.given)
            target.names, target.given = st.names, st.given
            target.disambiguate, target.year_suffix = st.disambiguate, st.year_suffix

    def global_levels(self) -> None:
        """Set the global given-name rule's levels (``Env.name_levels``) for the items; run
        before sorting, as the sort keys print the names with them (citeproc-js)."""
        if self.opts["add-givenname"] and not self.by_cite:
            self._global_givennames(self.opts["rule"].startswith("primary"))

    def _global_givennames(self, primary: bool) -> None:
        """``all-names``/``primary-name`` (``-with-initials``), as citeproc-js does it: the
        names the cites' ``<names>`` elements and the sort keys meet (only first names for
        the primary rules) form a register of people by family name; a family name that
        stands for people with different initials shows initials (or, without
        ``initialize-with``, full given names), and full given names where the initials are
        shared too (``-with-initials``: never more than initials) - wherever the person's name
        is printed (``Env.name_levels``)."""
        register: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for people in self._people_met(primary):
            for pkey, ikey, skey in people:
                register[pkey][ikey].add(skey)
        with_initials = self.opts["rule"].endswith("with-initials")
        levels: dict[tuple[str, str], int] = {}
        for pkey, by_initials in register.items():
            for givens in by_initials.values():
                for skey in givens:
                    level = register_level(by_initials, givens, with_initials)
                    if level:
                        levels[(pkey, skey)] = level
        # the levels go with the person, wherever a name of theirs is printed (citeproc-js)
        env = self.proc.env
        env.name_levels = levels or None
        env.name_levels_primary = primary
        env.name_register = (register, with_initials)

    def _people(self, i: str, primary: bool) -> list[tuple[str, str, str]]:
        """The people (:func:`person_keys`) of the name lists a cite of the item and the
        sort keys meet (first names only for the primary rules)."""
        out = []
        # the sort keys' names count too: citeproc-js registers every name list it
        # evaluates (an editor a chapter's bibliography sort key reads, say)
        lists = self._names_met(i, keep=self._keep_all)
        for _, ns, _spec, _, _ in [*lists, *self._names_in_sort_keys(i)]:
            for pos, n in enumerate(ns):
                if primary and pos:
                    break
                if not n.literal and n.family:
                    out.append(person_keys(n))
        return out

    def _people_met(self, primary: bool) -> Any:
        """:meth:`_people` of every item, in order; a long list in memory is split between
        forked workers, which send back the people, the cite texts they rendered on the way
        (:meth:`_early`) and the names each cite shows (:meth:`_shown_names`)."""
        from .parallel import map_chunks, workers_for

        order = self.order
        workers = workers_for(len(order), self.proc.workers, cheap=True) \
            if self._keep_all else 1
        if workers <= 1:
            for i in order:     # item by item: a long list's names are not all held at once
                yield self._people(i, primary)
            return
        early = self._early()

        def job(a: int, b: int) -> list[tuple[Any, ...]]:
            out = []
            for i in order[a:b]:
                people = self._people(i, primary)
                key = self._key(i)
                shown = [(var, n) for var, _, _, _, n in self._names_met(i)]
                out.append((people, early.get(key) if early is not None else None, shown))
            return out
        for i, (people, text, shown) in zip(order, map_chunks(job, len(order), workers)):
            key = self._key(i)
            if text is not None and early is not None:
                early[key] = text
            self._met_cache[("shown", *key[:2])] = shown
            yield people

    def _shown_names(self, i: str) -> list[tuple[str, int]]:
        """(variable, names shown) of each name list a cite of the item meets."""
        st = self.states[i]
        key = (i, tuple(sorted(st.names.items())) if st.names else ())
        found = self._met_cache.get(key)
        if found is not None:
            return [(var, n) for var, _, _, _, n in found]
        shown = self._met_cache.get(("shown", *key))
        if shown is not None:
            return list(shown)
        return [(var, n) for var, _, _, _, n in self._names_met(i, keep=self._keep_all)]

    def _names_in_sort_keys(self, i: str) -> list[tuple[str, list[Name], NameSpec, int, int]]:
        """The name lists the citation's and the bibliography's sort keys read."""
        proc = self.proc
        out: list[tuple[str, list[Name], NameSpec, int, int]] = []
        for section, mode in ((proc.citation, "citation"),
                              (proc.bibliography_section, "bibliography")):
            for key in section.keys if section is not None else ():
                if key.macro is None:
                    continue
                ctx = Ctx(self.items[i], proc.env, mode, state=self.states[i], sorting=True)
                ctx.names_seen = []
                ctx.names_only = True
                key.macro.render(ctx)
                out.extend(ctx.names_seen)
        return out

    def _names_met(self, i: str, keep: bool = True,
                   ) -> list[tuple[str, list[Name], NameSpec, int, int]]:
        """The name lists (whole, before et-al) the citation's ``<names>`` elements meet
        when rendering a cite of the item (remembered when ``keep``: the search asks for the
        same few items many times; a pass over every item asks once)."""
        st = self.states[i]
        key = (i, tuple(sorted(st.names.items())) if st.names else ())
        found: list[tuple[str, list[Name], NameSpec, int, int]] | None = \
            self._met_cache.get(key)
        if found is not None:
            return found
        proc = self.proc
        assert proc.citation is not None
        ctx = Ctx(self.items[i], proc.env, "citation",
                  Cite(position=SUBSEQUENT, near_note=True), st)
        ctx.ambiguity = True
        ctx.names_seen = []
        out = proc.citation.layout.render(ctx)
        if keep:
            self._met_cache[key] = ctx.names_seen
        if proc.env.name_levels is None and st.levels is None:
            early = self._early()       # the cite's text before the global rules, as
            if early is not None:       # render_cite_plain gives it
                early[self._key(i)] = plain(out)
        return ctx.names_seen


@mypyc_attr(allow_interpreted_subclasses=True)
class _GroupRender:
    """The cite texts of one group's items under each configuration tried, for
    :meth:`Disambiguator._resolve` (an object, not closures: compiled by mypyc, closures
    that call each other keep their environment - and the disambiguator - alive)."""

    def __init__(self, d: Disambiguator, met: dict[str, Any], max_names: dict[str, list[int]]
                 ) -> None:
        self.d = d
        self.met = met
        self.max_names = max_names
        self.cache: dict[tuple[object, ...], str] = {}

    def state_for(self, i: str, cfg: Config) -> State:
        """The state a configuration means for item ``i``."""
        d = self.d
        st = State()
        st.number = d.states[i].number
        st.given = dict(d.global_given.get(i, d.states[i].given))
        for k, (var, _, _, _, _) in enumerate(self.met[i]):
            if k < len(cfg.names):
                st.names[var] = cfg.names[k]
            for j, level in enumerate(cfg.givens[k] if k < len(cfg.givens) else ()):
                if level > st.given.get((var, j), 0):
                    st.given[(var, j)] = level
        st.disambiguate = bool(cfg.disambiguate)
        st.year_suffix = year_suffix(cfg.year_suffix) if cfg.year_suffix is not None else ""
        return st

    def __call__(self, i: str, cfg: Config) -> str:
        # what the configuration means for this item: no more names than it has
        most = self.max_names[i]
        names = tuple(min(n, most[k]) if k < len(most) else 0
                      for k, n in enumerate(cfg.names))
        givens = tuple(tuple(g[:names[k]]) if k < len(names) else ()
                       for k, g in enumerate(cfg.givens))
        key = (i, names, givens, bool(cfg.disambiguate), cfg.year_suffix)
        found = self.cache.get(key)
        if found is None:
            d = self.d
            found = d.proc.render_cite_plain(d.items[i], self.state_for(i, cfg),
                                             self._scan_cite(i))
            self.cache[key] = found
        return found

    def _scan_cite(self, i: str) -> Cite | None:
        # the search compares cites with their first notes, by-cite (citeproc-js)
        d = self.d
        note = d.first_notes.get(i, 0) if d.by_cite else 0
        return Cite(position=SUBSEQUENT, near_note=True, first_note=note) if note else None


register(globals())    # pickling when compiled (see .native)
