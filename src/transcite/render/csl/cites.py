"""Citations: cite positions (first, subsequent, ibid, near-note), cite grouping and collapsing
(citation numbers, years, year suffixes), cite affixes and clusters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from typing import Any, cast

from mypy_extensions import mypyc_attr

from .item import Item
from .native import register
from .nodes import FIRST, IBID, IBID_WITH_LOCATOR, SUBSEQUENT, Cite, Env, Layout, State
from .rich import Piece, R, find_tag, fix_punct, join, join_each, parse_rich, plain
from .textcase import apply_case

__all__ = ["CiteReq", "Cluster", "CollapseOptions", "assign_positions", "clusters_from_json",
           "disambiguation_batches", "render_cluster", "starts_with_term"]


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class CiteReq:
    """One cite of a cluster as the caller gave it, and the position found for it."""

    id: str
    locator: str = ""
    label: str = "page"
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    author_only: bool = False
    cite: Cite = field(default_factory=Cite)
    given_position: tuple[int, bool, int] | None = None
    """Position, near-note and first-reference note number as the caller gave them (used
    when the processor does not track positions itself)."""


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class Cluster:
    """A citation: cites and (for note styles) its note number."""

    cites: list[CiteReq]
    note: int = 0


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class CollapseOptions:
    """The citation's grouping and collapsing attributes."""

    collapse: str | None = None
    cite_group_delimiter: str | None = None
    year_suffix_delimiter: str | None = None
    after_collapse_delimiter: str | None = None
    near_note_distance: int = 5
    note_style: bool = False
    sorted_cites: bool = False


def assign_positions(clusters: Sequence[Cluster], near_distance: int) -> None:
    """Set each cite's position, near-note flag and first-reference note number.

    In-text citations (note 0) and footnote citations are separate streams for "ibid". A
    cite is "ibid" when it repeats the item of the preceding cite: the previous cite in its
    citation, the last cite of an earlier citation in the same note, or the only cite of
    the previous note (or in-text citation); a note with several cites breaks the chain.
    """
    # in-text citations (note 0) and notes are separate streams, for every position (as
    # citeproc-js keeps them): an item cited in the text is new to the notes
    firsts: dict[bool, dict[str, int]] = {False: {}, True: {}}
    lasts: dict[bool, dict[str, int]] = {False: {}, True: {}}
    previous: dict[bool, Cluster | None] = {False: None, True: None}
    in_note: dict[int, list[CiteReq]] = {}
    for cl in clusters:
        note = cl.note or 0
        stream = note > 0
        first_note, last_note = firsts[stream], lasts[stream]
        here: set[str] = set()         # first cited in this citation
        before = previous[stream]
        for i, c in enumerate(cl.cites):
            prev: CiteReq | None = None
            same_note = False       # preceded by a longer citation in the same note
            if i > 0:
                prev = cl.cites[i - 1]
            elif before is not None and before.cites:
                if not stream:              # in the text: the last cite before
                    prev = before.cites[-1]
                elif before.note == note:
                    prev = before.cites[-1]
                    same_note = len(before.cites) > 1
                else:                       # the only cite of the previous note
                    group = in_note.get(before.note, [])
                    prev = group[0] if len(group) == 1 else None
            if c.id not in first_note:
                pos = FIRST
            elif prev is not None and prev.id == c.id and same_note:
                # after a longer citation in the same note citeproc-js looks at the
                # current locator only
                pos = IBID_WITH_LOCATOR if c.locator else IBID
            elif prev is not None and prev.id == c.id:
                if not c.locator and not prev.locator:
                    pos = IBID
                elif c.locator and (c.locator != prev.locator or c.label != prev.label):
                    pos = IBID_WITH_LOCATOR
                elif c.locator and c.locator == prev.locator:
                    pos = IBID
                else:
                    pos = SUBSEQUENT
            else:
                pos = SUBSEQUENT
            near = c.id in last_note and note - last_note[c.id] <= near_distance
            # the note of the first reference, once that citation is done
            first_ref = first_note.get(c.id, 0) if c.id not in here and \
                first_note.get(c.id) != note else 0
            c.cite = Cite(c.locator, c.label, pos, near, first_ref, note,
                          c.prefix, c.suffix, c.suppress_author, c.author_only)
            if c.id not in first_note:
                first_note[c.id] = note
                here.add(c.id)
            last_note[c.id] = note
        if cl.cites:
            previous[stream] = cl
            if stream:
                in_note.setdefault(note, []).extend(cl.cites)


Render = Callable[[Item, Cite, bool], Piece | None]


def _affixed(p: Piece | None, c: CiteReq) -> Piece | None:
    """A cite with its prefix and suffix; as citeproc-js does, a space is put after a prefix
    ending in a letter, digit or punctuation mark ("see", "cf.", "e.g.,") and before a suffix
    starting with a letter or bracket ("passim", "(emphasis added)")."""
    if p is None:
        return None
    if not (c.prefix or c.suffix):
        return p
    parts: list[Piece] = []
    if c.prefix:
        prefix = c.prefix
        if prefix[-1].isalnum() or prefix[-1] in ".,;:!?&":
            prefix += " "
        parts.append(R(None, [parse_rich(prefix, curly=False)], "affix"))
    parts.append(p)
    if c.suffix:
        suffix = c.suffix
        if suffix[0].isalpha() or suffix[0] in "([":
            suffix = " " + suffix
        parts.append(R(None, [parse_rich(suffix, curly=False)], "affix"))
    return R(None, fix_punct(parts))


def render_cluster(cl: Cluster, items: dict[str, Item], render: Render, layout: Layout,
                   opts: CollapseOptions, env: Env, states: dict[str, State]) -> Piece | None:
    """A whole citation: cites rendered, grouped and collapsed, joined, layout applied."""
    entries: list[tuple[CiteReq, Item, Piece]] = []
    for c in cl.cites:
        item = items.get(c.id)
        if item is None:
            continue
        p = render(item, c.cite, False)
        if c.author_only:
            p = find_tag(p, "names")
        if p is not None and opts.note_style and starts_with_term(p) and (
                (not entries and not c.prefix) or
                (c.prefix and _ends_sentence(c.prefix))):
            p = apply_case(p, "capitalize-first")
        if p is not None:
            entries.append((c, item, p))
    if not entries:
        return None
    if all(c.author_only for c, _, _ in entries):     # "Smith": the names alone, no affixes
        fmt = layout.fmt.without_affixes()
        return fmt.apply(R(None, join([p for _, _, p in entries], layout.delimiter)), True)
    delim = layout.delimiter
    groups: list[list[tuple[CiteReq, Item, Piece]]]
    collapse = opts.collapse
    if collapse == "citation-number":
        body = _collapse_numbers(entries, delim, states, opts.after_collapse_delimiter)
    elif collapse in ("year", "year-suffix", "year-suffix-ranged") or \
            opts.cite_group_delimiter is not None:
        groups = _group_by_author(entries, opts.sorted_cites, render)
        body = _collapse_years(groups, collapse, delim, opts, render, states)
    else:
        body = R(None, join([_affixed(p, c) or "" for c, _, p in entries], delim))
    return layout.fmt.apply(body, True)


def _ends_sentence(prefix: str) -> bool:
    """A cite prefix that ends a sentence ("See the text above. "), not a one-word label."""
    core = prefix.strip().rstrip("\u201d\u2019\"'")
    return core.endswith(".") and " " in prefix.strip()


def starts_with_term(p: Piece) -> bool:
    """True when the first letter of the piece belongs to a locale term (punctuation and
    spaces before it aside), one without a text-case of its own."""
    return _term_first(p) is True


def _term_first(q: Piece) -> bool | None:
    # (a module function, not a nested one calling itself: compiled by mypyc, such a
    # closure and its environment keep each other alive after every call)
    if isinstance(q, str):
        return False if any(c.isalnum() for c in q) else None
    if q.tag == "term":
        return True if any(c.isalnum() for c in plain(q)) else None
    for k in q.kids:
        found = _term_first(k)
        if found is not None:
            return found
    return None


def _collapse_numbers(entries: list[tuple[CiteReq, Item, Piece]], delim: str,
                      states: dict[str, State], after: str | None = None) -> Piece:
    """Runs of three or more consecutive numbers as ranges ("[1–4]"); an
    after-collapse-delimiter follows a cite with a locator (as citeproc-js)."""
    runs: list[list[tuple[CiteReq, Item, Piece]]] = []
    def shows_locator(e: tuple[CiteReq, Item, Piece]) -> bool:
        return bool(e[0].locator) and find_tag(e[2], "locator") is not None

    for e in entries:
        c, item, _ = e
        num = states[item.id].number
        plain_cite = not (shows_locator(e) or c.prefix or c.suffix)
        if runs and plain_cite and runs[-1][-1][0] is not None:
            last_c, last_item, _ = runs[-1][-1]
            # a run may start with a prefixed cite ("see 1–4"), and goes on with plain ones;
            # a locator the style does not print does not break it
            if not (shows_locator(runs[-1][-1]) or last_c.suffix) and \
                    (not last_c.prefix or len(runs[-1]) == 1) and \
                    states[last_item.id].number + 1 == num:
                runs[-1].append(e)
                continue
        runs.append([e])
    pieces: list[Piece] = []
    delims: list[str] = []
    last: CiteReq | None = None
    for run in runs:
        shown = [(run[0][0], R(None, fix_punct([_affixed(run[0][2], run[0][0]) or "",
                                                "\u2013", run[-1][2]])))] \
            if len(run) >= 3 else [(c, _affixed(p, c) or "") for c, _, p in run]
        for c, piece in shown:
            if pieces:
                delims.append(after if after is not None and last is not None and
                              last.locator else delim)
            pieces.append(piece)
            last = c
        last = run[-1][0]
    return R(None, join_each(pieces, delims))


def _group_by_author(entries: list[tuple[CiteReq, Item, Piece]], gather: bool,
                     render: Render) -> list[list[tuple[CiteReq, Item, Piece]]]:
    """Cites whose names render the same, grouped: runs of adjacent cites, or (in a sorted
    citation) every cite joining the first group of its author. A suppress-author cite
    groups by the names it hides."""
    groups: list[list[tuple[CiteReq, Item, Piece]]] = []
    index: dict[str, int] = {}
    last_key: Any = None
    for e in entries:
        p = e[2]
        if e[0].suppress_author:
            cite = copy(e[0].cite)
            cite.suppress_author = False
            p = render(e[1], cite, False) or p
        names = find_tag(p, "names")
        key = plain(names) if names is not None else ""
        if key is not None and ((gather and key in index) or (groups and key == last_key)):
            groups[index[key] if gather else -1].append(e)
        else:
            if key is not None:
                index.setdefault(key, len(groups))
            groups.append([e])
        last_key = key
    return groups


def _suffix_index(s: str) -> int:
    n = 0
    for ch in s:
        n = n * 26 + (ord(ch) - 96)
    return n


def _collapse_years(groups: list[list[tuple[CiteReq, Item, Piece]]], collapse: str | None,
                    delim: str, opts: CollapseOptions, render: Render,
                    states: dict[str, State]) -> Piece:
    """Join cites of the same author: later cites without the names, joined by the
    cite-group delimiter; with ``year-suffix`` collapsing, a cite of the same year shows its
    year suffix only ("2000a, b"), locator and affixes kept ("2000a, p. 100, b, p. 6"), and
    plain suffixes in a row are joined by the year-suffix delimiter or ranged ("2000a–c")."""
    cgd = opts.cite_group_delimiter
    ys_delim = cgd if cgd is not None else opts.year_suffix_delimiter \
        if opts.year_suffix_delimiter is not None else delim
    acd = opts.after_collapse_delimiter

    def splice(prev: CiteReq | None, prev_grouped: bool, grouped: bool,
               use_cgd: bool = True) -> str:
        """The delimiter before a cite, as citeproc-js chooses it: ``grouped`` when the
        cite follows one of the same names. With an after-collapse-delimiter, that joins
        a cite to one with a locator, a group to what follows it and (unless collapsing
        year suffixes) ungrouped cites, the layout delimiter the rest; otherwise the
        cite-group delimiter (", " in an in-text style) joins a group's cites."""
        if acd is not None:
            if prev is not None and prev.locator:
                return acd
            if prev_grouped and not grouped:
                return acd
            if not prev_grouped and not grouped and collapse != "year-suffix":
                return acd
            return delim
        if grouped:
            if cgd is not None and use_cgd:
                return cgd
            if collapse and not opts.note_style:
                return ", "
        return delim

    merge_suffixes = collapse in ("year-suffix", "year-suffix-ranged")
    out: list[Piece] = []
    last_c: CiteReq | None = None
    last_grouped = last_use_cgd = False
    for group in groups:
        # units: (delimiter before, piece, suffix index for ranging or None)
        units: list[tuple[str, Piece, int | None]] = []
        prev_year: str | None = None
        prev_c: CiteReq | None = None
        for n, (c, item, p) in enumerate(group):
            full = p if n == 0 or collapse is None else render(item, c.cite, True)
            year = _year_text(full)
            letter = states[item.id].year_suffix
            extras = bool(c.locator or c.prefix or c.suffix)
            short = None
            if n and merge_suffixes and letter and prev_year is not None and \
                    year == prev_year:
                assert full is not None     # it has a year (_year_text(None) is None)
                short = _suffix_only(full, extras)
            nameless = collapse is not None and bool(out) and n == 0 and \
                not c.suppress_author and isinstance(p, R) and p.tag == "names-tried" and \
                find_tag(p, "names") is None
            grouped = (n > 0 or nameless) and (collapse is not None or cgd is not None)
            # a cite whose <names> printed nothing is never compared by name: citeproc-js
            # takes it as grouped ("Clark 1980, 2013a"); the cite-group delimiter follows
            # the last cite that compared names
            use_cgd = last_use_cgd if nameless else grouped
            d = splice(last_c, last_grouped, grouped, use_cgd) if (n or out) else ""
            if short is not None:
                plain_ys = not extras and prev_c is not None and not prev_c.suffix
                units.append((ys_delim if plain_ys else d, _affixed(short, c) or "",
                              _suffix_index(letter) if not extras else None))
            else:
                head = _affixed(full, c) or ""
                units.append((d, head,
                              _suffix_index(letter) if letter and not extras else None))
                prev_year = year if letter else None
            prev_c = c
            last_c, last_grouped, last_use_cgd = c, grouped, use_cgd
        parts: list[Piece] = []
        k = 0
        while k < len(units):
            d, piece, idx = units[k]
            end = k
            if collapse == "year-suffix-ranged" and idx is not None:
                # units[end][2] is an int: idx, or a later one checked not None below
                while end + 1 < len(units) and units[end + 1][2] is not None and \
                        units[end + 1][2] == cast(int, units[end][2]) + 1 and \
                        units[end + 1][0] == ys_delim:
                    end += 1
            if parts or out:
                parts.append(d)
            if end - k >= 2:
                parts.extend([piece, "\u2013", units[end][1]])
                k = end + 1
                continue
            parts.append(piece)
            k += 1
        body = R(None, fix_punct(parts)) if len(parts) > 1 else parts[0]
        out.append(body)
    return R(None, fix_punct(out))


def _suffix_only(full: Piece, extras: bool) -> Piece | None:
    """A cite that repeats the previous cite's year, shown by its year suffix only: the year
    suffix alone, or (a cite with a locator or affixes) the cite with its date replaced by the
    suffix. ``None`` when the suffix cannot be found."""
    ys = find_tag(full, "year-suffix")
    if ys is None:
        return None
    if not extras:
        return ys
    date = find_tag(full, "date")
    if date is None or find_tag(date, "year-suffix") is None:
        return None
    return _swap(full, date, ys)


def _swap(p: Piece, old: R, new: Piece) -> Piece:
    if p is old:
        return new
    if isinstance(p, str):
        return p
    return R(p.kind, [_swap(k, old, new) for k in p.kids], p.tag)


def _year_text(p: Piece | None) -> str | None:
    d = find_tag(p, "date")
    if d is None:
        return None
    return _plain_without(d, "year-suffix")


def _plain_without(p: Piece, tag: str) -> str:
    if isinstance(p, str):
        return p
    if p.tag == tag:
        return ""
    return "".join(_plain_without(k, tag) for k in p.kids)


def clusters_from_json(data: Iterable[Any]) -> list[Cluster]:
    """Clusters from the CSL test-suite / citeproc-js shapes: a list of cites, or a
    ``{"citationItems": [...], "properties": {"noteIndex": n}}`` object."""
    out = []
    for entry in data:
        note = 0
        cites = entry
        if isinstance(entry, dict):
            cites = entry.get("citationItems", [])
            note = int(entry.get("properties", {}).get("noteIndex", 0) or 0)
        reqs = []
        for c in cites:
            req = CiteReq(str(c["id"]), str(c.get("locator", "") or ""),
                          c.get("label", "page") or "page", c.get("prefix", "") or "",
                          c.get("suffix", "") or "", bool(c.get("suppress-author")),
                          bool(c.get("author-only")))
            if "position" in c or "near-note" in c or "first-reference-note-number" in c:
                req.given_position = (int(c.get("position") or 0), bool(c.get("near-note")),
                                      int(c.get("first-reference-note-number") or 0))
            reqs.append(req)
        out.append(Cluster(reqs, note))
    return out


def disambiguation_batches(register: Sequence[str] | None, clusters: Sequence[Cluster],
             by_id: dict[str, Any], positions: bool) -> list[list[str]]:
    """The items in the order they become known to disambiguation: those registered up
    front, then (citations processed in turn) each citation's new items, or (citations
    made on their own) all cited ones at once."""
    first = [i for i in register or () if i in by_id]
    if not positions:
        return [first + [c.id for cl in clusters for c in cl.cites if c.id in by_id]]
    return [first] + [[c.id for c in cl.cites if c.id in by_id] for cl in clusters]


register(globals())    # pickling when compiled (see .native)
