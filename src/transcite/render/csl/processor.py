"""The CSL processor: a compiled style and locale that renders citations and bibliographies.

    >>> p = Processor(STYLE_XML_OR_PATH, locale="en-US", output="text")
    >>> result = p.process(items, clusters)      # citations and bibliography together
    >>> result.bibliography[0]                   # (id, text)

Everything that depends only on the style is prepared in the constructor; ``process`` is
linear in the number of items apart from disambiguation among items that render alike.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import progress
from ...lockstep import Pair, region
from ...memo import keep
from . import parallel
from .cites import (
    Cluster,
    CollapseOptions,
    assign_positions,
    clusters_from_json,
    disambiguation_batches,
    render_cluster,
    starts_with_term,
)
from .disambig import Disambiguator
from .item import Item, make_item
from .locale import CSL_NS, load_locale
from .nodes import SUBSEQUENT, Cite, Ctx, Env, Layout, State, children
from .output import Quotes, render, suffix_into_display
from .parallel import map_chunks, workers_for
from .rich import Piece, R, drop_last, first_char, join, last_char, plain, punct_in_quotes
from .sort import SortKey, sort_items
from .textcase import apply_case

if TYPE_CHECKING:
    from .elements import Compiler
    from .names import NamesNode

__all__ = ["Processor", "Result", "clusters_from_json"]


@dataclass(slots=True)
class Result:
    """Rendered citations (one string per cluster) and bibliography ``(id, text)`` pairs."""

    citations: list[str] = field(default_factory=list)
    bibliography: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cite_forms: list[list[dict[str, str]]] = field(default_factory=list)
    """With ``process(..., cite_forms=True)``: for each cluster, each cite on its own, without
    the layout's affixes, in the three modes (``normal``, ``suppress-author``,
    ``author-only``), after positions and disambiguation."""


@dataclass(slots=True)
class _Section:
    layout: Layout
    keys: list[SortKey]
    el: Any


#: Languages whose collation (CLDR) puts the Cyrillic script before Latin, as ICU and
#: citeproc-js sort them.
_CYRILLIC_FIRST = frozenset("ru uk be bg sr mk kk ky tg mn tt ba cv os sah".split())


def _cs(tag: str) -> str:
    return f"{{{CSL_NS}}}{tag}"


class Processor:
    """A style compiled for one locale and output format (``html``, ``text``, ``markdown``).

    ``cyrillic_first`` sorts Cyrillic before Latin; by default the locale decides (Russian,
    Ukrainian, Bulgarian... collate Cyrillic first, as ICU and citeproc-js do);
    ``margin_space=False`` leaves second-field-align blocks without the space transcite adds
    for flattened output."""

    def __init__(self, style: str | os.PathLike[str] | bytes, locale: str | None = None,
                 output: str = "html", *, cyrillic_first: bool | None = None,
                 workers: int | None = None, margin_space: bool = True) -> None:
        # citeproc-py's element classes: needed to compile, not to load a compiled style
        from .elements import Compiler, parse_style

        if isinstance(style, (bytes, bytearray)):
            root = parse_style(bytes(style).lstrip(b" \t\r\n\xef\xbb\xbf"))
        elif isinstance(style, str) and style.lstrip().startswith(("<", "\ufeff")):
            root = parse_style(style.lstrip(" \t\r\n\ufeff").encode("utf-8"))
        else:
            root = parse_style(str(Path(style)))
        self.root = root
        self.output = output
        self.workers = workers      # None: as many as pays (see parallel.workers_for)
        # second-field-align: a space ends the margin block when the text has none, so an
        # entry reads "1. Smith" where the blocks are flattened (pandoc, text); False
        # leaves the blocks as the style makes them (the CSL test suite, citeproc-js)
        self.margin_space = margin_space
        lang = locale or root.get("default-locale") or "en-US"
        style_locales = list(root.iterchildren(_cs("locale")))
        self.locale = load_locale(lang, style_locales)
        if cyrillic_first is None:      # the locale's collation: Cyrillic first for ru, uk...
            cyrillic_first = self.locale.lang.split("-")[0].lower() in _CYRILLIC_FIRST
        self.cyrillic_first = cyrillic_first
        self.env = Env(self.locale, root)
        self.env.output = output
        self.env.implicit_ys = not any(el.get("variable") == "year-suffix"
                                       for el in root.iter(_cs("text")))
        self.quotes = Quotes(self.locale.term("open-quote") or "\u201c",
                             self.locale.term("close-quote") or "\u201d",
                             self.locale.term("open-inner-quote") or "\u2018",
                             self.locale.term("close-inner-quote") or "\u2019")
        compiler = Compiler(root, self.env)
        self.compiler = compiler
        self.citation = self._section(compiler, "citation")
        self.bibliography_section = self._section(compiler, "bibliography")
        cit_el = self.citation.el if self.citation else None
        get = cit_el.get if cit_el is not None else (lambda k, d=None: d)
        self.collapse = CollapseOptions(
            get("collapse"), get("cite-group-delimiter"), get("year-suffix-delimiter"),
            get("after-collapse-delimiter"), int(get("near-note-distance", "5") or 5),
            root.get("class") == "note", bool(self.citation and self.citation.keys))
        self.global_names = get("disambiguate-add-givenname") == "true" and \
            get("givenname-disambiguation-rule", "by-cite") != "by-cite"
        self.env.initials_only = self.global_names and \
            get("givenname-disambiguation-rule", "").endswith("with-initials")
        self.disambiguation = {
            "add-names": get("disambiguate-add-names") == "true",
            "add-givenname": get("disambiguate-add-givenname") == "true",
            "add-year-suffix": get("disambiguate-add-year-suffix") == "true",
            "rule": get("givenname-disambiguation-rule", "by-cite"),
            "condition": any(el.get("disambiguate") for el in root.iter(_cs("if"),
                                                                         _cs("else-if"))),
        }

    @property
    def cite_name_spec(self) -> Any:
        """The first ``<name>`` of the citation layout (disambiguation reads its options)."""
        if self.citation is None:
            return None
        return _first_names(self.citation.layout)

    def _section(self, c: Compiler, name: str) -> _Section | None:
        from .elements import CC

        el = self.root.find(_cs(name))
        if el is None:
            return None
        cc = c.section_cc(name, el)
        layout_el = el.find(_cs("layout"))
        if layout_el is None:
            return None
        layout = layout_el.compile(c, cc)
        keys = []
        sort_el = el.find(_cs("sort"))
        if sort_el is not None:
            for k in sort_el.iterchildren(_cs("key")):
                desc = k.get("sort") == "descending"
                if k.get("macro"):
                    s_min = k.get("names-min")
                    s_first = k.get("names-use-first")
                    s_last = k.get("names-use-last")
                    sort_names = (int(s_min) if s_min else None,
                                  int(s_first) if s_first else None,
                                  None if s_last is None else s_last == "true")
                    kcc = CC(name, cc.options, sort_names)
                    keys.append(SortKey(None, c.macro(k.get("macro"), kcc), desc))
                elif k.get("variable"):
                    keys.append(SortKey(k.get("variable"), None, desc))
        return _Section(layout, keys, el)

    # -- public ------------------------------------------------------------------------------
    @property
    def has_bibliography(self) -> bool:
        """True when the style defines a bibliography."""
        return self.bibliography_section is not None

    def process(self, items: Sequence[dict[str, Any]] | Sequence[Item],
                clusters: Sequence[Cluster] | None = None, *, bibliography: bool = True,
                order: str = "style", numbers: dict[str, int] | None = None,
                cite_forms: bool = False, register: Sequence[str] | None = None,
                positions: bool = True) -> Result:
        """Render ``clusters`` (default: no citations) and the bibliography of the cited items
        (every item when there are no clusters). ``order="input"`` keeps the items' order;
        ``numbers`` fixes the citation numbers (a list the caller already ordered);
        ``cite_forms`` also renders every cite on its own in each mode (the Pandoc filter);
        ``register`` names items known before the clusters (numbered first, in the
        bibliography and in disambiguation even when no cluster cites them, as citeproc-js's
        ``updateItems``); ``positions=False`` renders every cite as a first cite (citeproc-js's
        ``makeCitationCluster``)."""
        objs = [it if isinstance(it, Item) else make_item(it) for it in items]
        self.env.name_levels = self.env.name_register = None   # set again for this run
        by_id: dict[str, Item] = {}
        for it in objs:
            by_id.setdefault(it.id, it)
        result = Result()
        clusters = list(clusters or [])
        cited: list[str] = []
        seen: set[str] = set()
        for i in register or ():
            if i in by_id and i not in seen:
                seen.add(i)
                cited.append(i)
        for cl in clusters:
            for c in cl.cites:
                if c.id not in by_id:
                    result.warnings.append(f"no item with id {c.id!r}")
                elif c.id not in seen:
                    seen.add(c.id)
                    cited.append(c.id)
        if not clusters and register is None:
            cited = list(by_id)
        states = {i: State() for i in by_id}
        for n, i in enumerate(cited):
            states[i].number = n + 1
        bib_items = [by_id[i] for i in cited]
        # the passes below on two processes in step when the list is long (see lockstep)
        with region(len(bib_items), self.workers, parallel.MIN_PER_WORKER) as pair:
            met_cache, bib_items = self._passes(result, by_id, states, bib_items, cited,
                                                clusters, register, pair, bibliography,
                                                order, numbers, cite_forms, positions)
        keep(objs, by_id, states, met_cache, bib_items)     # (freed at exit, in a CLI run)
        return result

    def _passes(self, result: Result, by_id: dict[str, Item], states: dict[str, State],
                bib_items: list[Item], cited: list[str], clusters: list[Cluster],
                register: Sequence[str] | None, pair: Pair | None, bibliography: bool,
                order: str, numbers: dict[str, int] | None, cite_forms: bool,
                positions: bool) -> tuple[dict[tuple[object, ...], Any], list[Item]]:
        """:meth:`process` from the global given names to the bibliography: the met names
        kept and the bibliography's items in order."""
        met_cache: dict[tuple[object, ...], Any] = {}   # the names each cite meets
        if self.global_names and self.citation is not None:
            # people told apart by given names throughout, sort keys included (citeproc-js)
            Disambiguator(self, by_id, states, bib_items, met_cache=met_cache).global_levels()
        bib = self.bibliography_section
        if bib is not None and bib.keys and order == "style":
            bib_items = sort_items(bib_items, bib.keys, self.env, states, "bibliography",
                                   self.cyrillic_first, self.workers)
            for n, it in enumerate(bib_items):
                states[it.id].number = n + 1
        if numbers:
            for i, n in numbers.items():
                if i in states:
                    states[i].number = n
        cit = self.citation
        if cit is not None and cit.keys:
            for cl in clusters:
                present = [c for c in cl.cites if c.id in by_id]
                if positions and self.collapse.collapse:    # ties: by the bibliography (js)
                    present.sort(key=lambda c: states[c.id].number)
                ordered = sort_items([by_id[c.id] for c in present], cit.keys, self.env,
                                     states, "citation", self.cyrillic_first)
                rank = {id(it): n for n, it in enumerate(ordered)}
                cl.cites = sorted(present, key=lambda c: rank[id(by_id[c.id])])
        for cl in clusters:             # "p. 10" given as the locator: label and number
            for c in cl.cites:
                if c.locator:
                    name, rest = self.locale.label_prefix(c.locator)
                    if name is not None:
                        c.label, c.locator = name, rest
        if positions:
            assign_positions(clusters, self.collapse.near_note_distance)
        else:
            for cl in clusters:
                for c in cl.cites:
                    pos, near, first = c.given_position or (0, False, 0)
                    c.cite = Cite(c.locator, c.label, pos, near, first, cl.note, c.prefix,
                                  c.suffix, c.suppress_author, c.author_only)
        if cit is not None:
            d = self.disambiguation
            if d["add-names"] or d["add-givenname"] or d["add-year-suffix"] or d["condition"]:
                batches = disambiguation_batches(register, clusters, by_id, positions) \
                    if clusters else None
                Disambiguator(self, by_id, states, bib_items, clusters, cited,
                              met_cache=met_cache).run(batches)
            render_one = self._cite_renderer(states)
            for cl in clusters:
                piece = render_cluster(cl, by_id, render_one, cit.layout,
                                       self.collapse, self.env, states)
                result.citations.append(self.finish(piece))
                if cite_forms:
                    result.cite_forms.append([self._forms(by_id[c.id], c.cite, render_one)
                                              for c in cl.cites if c.id in by_id])
        if bibliography and bib is not None:
            if pair is not None:
                pair.last()     # (the entries are the pair's last shared run)
            result.bibliography = self._bibliography(bib, bib_items, states, result.warnings)
        return met_cache, bib_items

    def bibliography_order(self, items: Sequence[dict[str, Any]] | Sequence[Item]) -> list[str]:
        """The items' ids in the bibliography's order (the items' own order when the style
        does not sort its bibliography)."""
        objs = [it if isinstance(it, Item) else make_item(it) for it in items]
        bib = self.bibliography_section
        if bib is None or not bib.keys:
            return [it.id for it in objs]
        states = {it.id: State() for it in objs}
        for n, it in enumerate(objs):
            states[it.id].number = n + 1
        return [it.id for it in sort_items(objs, bib.keys, self.env, states, "bibliography",
                                           self.cyrillic_first, 1)]

    # -- rendering ---------------------------------------------------------------------------
    def _cite_renderer(self, states: dict[str, State]) -> Any:
        layout = self.citation.layout if self.citation else None
        names = self._author_names()

        def render_one(item: Item, cite: Cite, hide_names: bool) -> Piece | None:
            assert layout is not None
            ctx = Ctx(item, self.env, "citation", cite, states[item.id])
            if hide_names:
                ctx.hide_names = True
            if cite.author_only and names is not None:
                return names.render(ctx)
            out = layout.render(ctx)
            if out is not None and ctx.names_tried and self.collapse.collapse:
                out = R(None, [out], "names-tried")     # (grouping: a nameless cite)
            return out
        return render_one

    def _author_names(self) -> NamesNode | None:
        """What an author-only cite renders: the citation's first ``<names>``, or, in a style
        whose citations show no names (numeric ones), the bibliography's first ``<names>`` in
        its short form ("Smith [1]" for ``@smith`` in Pandoc). None: the whole cite."""
        from dataclasses import replace

        from .fmt import NO_FMT
        from .names import NamesNode

        if self.citation is not None and _first_names(self.citation.layout) is not None:
            return None
        bib = self.bibliography_section
        node = _first_names_node(bib.layout) if bib is not None else None
        if node is None:
            return None
        spec = replace(node.name, form="short", sort_order=None)
        return NamesNode(node.vars, spec, node.et_al, None, node.substitute, node.delimiter,
                         NO_FMT)

    def _forms(self, item: Item, cite: Cite, render_one: Any) -> dict[str, str]:
        """One cite in the three modes, each without the layout's affixes."""
        from copy import copy

        from .rich import find_tag

        out = {}
        for mode in ("normal", "suppress-author", "author-only"):
            c = copy(cite)
            c.suppress_author = mode == "suppress-author"
            c.author_only = mode == "author-only"
            p = render_one(item, c, c.suppress_author)
            if mode == "author-only":
                p = find_tag(p, "names") or p
            out[mode] = self.finish(p)
        return out

    def render_cite_plain(self, item: Item, state: State, cite: Cite | None = None) -> str:
        """A cite's text for comparing renderings (disambiguation): by default as a later
        cite near its first (citeproc-js judges ambiguity on that form)."""
        assert self.citation is not None
        ctx = Ctx(item, self.env, "citation", cite or AMBIGUOUS, state)
        ctx.ambiguity = True
        return plain(self.citation.layout.render(ctx))

    def _bibliography(self, bib: _Section, items: Sequence[Item], states: dict[str, State],
                      warnings: list[str]) -> list[tuple[str, str]]:
        """Entries in order; long lists are rendered by forked workers, a chunk each (a
        chunk starts from the entry before it, for subsequent-author-substitute)."""
        if self.env.name_register is not None:     # global given-name rules, entry by entry
            from .givennames import entry_levels

            for i, lv in entry_levels(self, items, states, bib.layout).items():
                states[i].levels = lv
        workers = workers_for(len(items), self.workers)
        with progress.stage("formatting", len(items)):
            rendered = map_chunks(lambda a, b: self._entries(bib, items, states, a, b),
                                  len(items), workers)
        out = []
        for key, text in rendered:
            if text is None:
                warnings.append(f"bibliography entry with no printed form: {key}")
            else:
                out.append((key, text))
        return out

    def _entries(self, bib: _Section, items: Sequence[Item], states: dict[str, State],
                 start: int, end: int) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        sub = bib.el.get("subsequent-author-substitute")
        rule = bib.el.get("subsequent-author-substitute-rule", "complete-all")
        prev_names: Any = None
        align = bib.el.get("second-field-align")
        for n in range(max(0, start - 1) if sub is not None else start, end):
            it = items[n]
            cite_state = states[it.id]
            state = State()     # names added for cites do not show in the bibliography
            state.number = cite_state.number
            state.year_suffix = cite_state.year_suffix
            state.disambiguate = cite_state.disambiguate
            state.levels = cite_state.levels
            if self.disambiguation["add-givenname"]:
                # the configuration the cite ended with carries into the entry (citeproc-js):
                # given names told apart, and with add-names the number of names shown
                state.given = cite_state.given
                if self.disambiguation["add-names"]:
                    state.names = cite_state.names
            ctx = Ctx(it, self.env, "bibliography", state=state)
            if sub is not None:
                ctx.sas = (sub, rule, prev_names)
            if align:
                p = self._aligned(bib.layout, ctx)
            else:
                p = bib.layout.render(ctx)
            if p is not None and starts_with_term(p):   # "Anon.", "In:": capitalised (js)
                p = apply_case(p, "capitalize-first")
            prev_names = ctx.sas_key
            if n < start:
                continue
            progress.tick()
            if not align and p is not None:
                fmt = bib.layout.fmt
                if fmt.suffix:          # the layout's suffix ends the last display block
                    inside = suffix_into_display(p, fmt.suffix)
                    if inside is not None:
                        p, fmt = inside, fmt.__class__(fmt.prefix, "", fmt.kinds,
                                                       fmt.text_case, fmt.quotes,
                                                       fmt.strip_periods, fmt.display, True)
                p = fmt.apply(p, ctx.english)
            out.append((it.id, self.finish(p) if p is not None else None))
        return out

    def _aligned(self, layout: Layout, ctx: Ctx) -> Piece | None:
        """``second-field-align``: the first field in the margin, the rest beside it."""
        from .nodes import Seq

        node = layout.body
        kids = node.kids if isinstance(node, Seq) else [node]
        pieces = [p for p in (k.render(ctx) for k in kids) if p is not None]
        if not pieces:
            return None
        fmt = layout.fmt
        first = fmt.__class__(fmt.prefix, "", fmt.kinds, fmt.text_case, False, False, None,
                              True).apply(pieces[0], ctx.english)
        rest = pieces[1:]
        if not rest:
            return R("left-margin", [first] if first else [])
        body: Piece = R(None, join(rest, ""))
        if last_char(body).isspace():
            body = drop_last(body, last_char(body))
        right = fmt.__class__("", fmt.suffix, fmt.kinds, fmt.text_case, False, False, None,
                              True).apply(body, ctx.english)
        if first and right and not last_char(first).isspace() and \
                not first_char(right).isspace() and self.margin_space:
            first = R(None, [first, " "])      # "1. Smith" (as pandoc), also without CSS
        return R(None, [R("left-margin", [first or ""]), R("right-inline", [right or ""])])

    def finish(self, p: Piece | None) -> str:
        """Final text of a piece: punctuation moved into quotes if the locale says so."""
        if p is None:
            return ""
        if self.locale.punctuation_in_quote:
            p = punct_in_quotes(p)
        return render(p, self.output, self.quotes)


#: the cite citeproc-js renders to judge ambiguity: a later cite, near its first
AMBIGUOUS = Cite(position=SUBSEQUENT, near_note=True)


def _first_names(node: Any) -> Any:
    """The ``<name>`` spec of the first ``<names>`` under ``node``."""
    found = _first_names_node(node)
    return found.name if found is not None else None


def _first_names_node(node: Any, seen: set[int] | None = None) -> Any:
    """The first ``<names>`` node under ``node``."""
    from .names import NamesNode

    seen = seen if seen is not None else set()
    if id(node) in seen:
        return None
    seen.add(id(node))
    if isinstance(node, NamesNode):
        return node
    for k in children(node):
        found = _first_names_node(k, seen)
        if found is not None:
            return found
    return None
