"""Citations: cite positions (first, subsequent, ibid, near-note), cite grouping and collapsing
(citation numbers, years, year suffixes), cite affixes and clusters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .item import Item
from .nodes import FIRST, IBID, IBID_WITH_LOCATOR, SUBSEQUENT, Cite, Ctx, Env, Layout, State
from .rich import Piece, R, find_tag, fix_punct, join, parse_rich, plain

__all__ = ["CiteReq", "Cluster", "CollapseOptions", "assign_positions", "render_cluster"]


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


@dataclass(slots=True)
class Cluster:
    """A citation: cites and (for note styles) its note number."""

    cites: list[CiteReq]
    note: int = 0


@dataclass(slots=True)
class CollapseOptions:
    """The citation's grouping and collapsing attributes."""

    collapse: str | None = None
    cite_group_delimiter: str | None = None
    year_suffix_delimiter: str | None = None
    after_collapse_delimiter: str | None = None
    near_note_distance: int = 5


def assign_positions(clusters: Sequence[Cluster], near_distance: int) -> None:
    """Set each cite's position, near-note flag and first-reference note number."""
    first_note: dict[str, int] = {}
    last_note: dict[str, int] = {}
    prev_cluster: Cluster | None = None
    for n, cl in enumerate(clusters):
        note = cl.note or 0
        for i, c in enumerate(cl.cites):
            prev: CiteReq | None = None
            if i > 0:
                prev = cl.cites[i - 1]
            elif prev_cluster is not None and len(prev_cluster.cites) == 1:
                prev = prev_cluster.cites[0]
            if c.id not in first_note:
                pos = FIRST
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
            c.cite = Cite(c.locator, c.label, pos, near, first_note.get(c.id, 0), note,
                          c.prefix, c.suffix, c.suppress_author, c.author_only)
            if c.id not in first_note:
                first_note[c.id] = note
            last_note[c.id] = note
        prev_cluster = cl if cl.cites else prev_cluster


Render = Callable[[Item, Cite, bool], Piece | None]


def _affixed(p: Piece | None, c: CiteReq) -> Piece | None:
    if p is None:
        return None
    if not (c.prefix or c.suffix):
        return p
    parts: list[Piece] = []
    if c.prefix:
        parts.append(parse_rich(c.prefix))
    parts.append(p)
    if c.suffix:
        parts.append(parse_rich(c.suffix))
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
        if p is not None:
            entries.append((c, item, p))
    if not entries:
        return None
    delim = layout.delimiter
    groups: list[list[tuple[CiteReq, Item, Piece]]]
    collapse = opts.collapse
    if collapse == "citation-number":
        body = _collapse_numbers(entries, delim, states)
    elif collapse in ("year", "year-suffix", "year-suffix-ranged") or \
            opts.cite_group_delimiter is not None:
        groups = _group_by_author(entries)
        body = _collapse_years(groups, collapse, delim, opts, render, states)
    else:
        body = R(None, join([_affixed(p, c) or "" for c, _, p in entries], delim))
    return layout.fmt.apply(body, True)


def _collapse_numbers(entries: list[tuple[CiteReq, Item, Piece]], delim: str,
                      states: dict[str, State]) -> Piece:
    runs: list[list[tuple[CiteReq, Item, Piece]]] = []
    for e in entries:
        c, item, _ = e
        num = states[item.id].number
        plain_cite = not (c.locator or c.prefix or c.suffix)
        if runs and plain_cite and runs[-1][-1][0] is not None:
            last_c, last_item, _ = runs[-1][-1]
            if not (last_c.locator or last_c.prefix or last_c.suffix) and \
                    states[last_item.id].number + 1 == num:
                runs[-1].append(e)
                continue
        runs.append([e])
    pieces: list[Piece] = []
    for run in runs:
        if len(run) >= 3:
            pieces.append(R(None, fix_punct([run[0][2], "\u2013", run[-1][2]])))
        else:
            pieces.extend(_affixed(p, c) or "" for c, _, p in run)
    return R(None, join(pieces, delim))


def _group_by_author(entries: list[tuple[CiteReq, Item, Piece]]
                     ) -> list[list[tuple[CiteReq, Item, Piece]]]:
    """Runs of adjacent cites whose names render the same."""
    groups: list[list[tuple[CiteReq, Item, Piece]]] = []
    last_key: Any = None
    for e in entries:
        names = find_tag(e[2], "names")
        key = names.tag[1] if names is not None else None
        if groups and key is not None and key == last_key and not e[0].prefix:
            groups[-1].append(e)
        else:
            groups.append([e])
        last_key = key
    return groups


def _collapse_years(groups: list[list[tuple[CiteReq, Item, Piece]]], collapse: str | None,
                    delim: str, opts: CollapseOptions, render: Render,
                    states: dict[str, State]) -> Piece:
    group_delim = opts.cite_group_delimiter if opts.cite_group_delimiter is not None else ", "
    ys_delim = opts.year_suffix_delimiter if opts.year_suffix_delimiter is not None \
        else opts.cite_group_delimiter if opts.cite_group_delimiter is not None else delim
    after = opts.after_collapse_delimiter if opts.after_collapse_delimiter is not None \
        else delim
    out: list[Piece] = []
    for g_index, group in enumerate(groups):
        pieces: list[Piece] = []
        prev_year: str | None = None
        suffix_run: list[Piece] = []
        for n, (c, item, p) in enumerate(group):
            if n == 0 or collapse is None:
                piece = _affixed(p, c) or ""
                pieces.append(piece)
                prev_year = _year_text(p)
                continue
            short = render(item, c.cite, True)
            ys = find_tag(short, "year-suffix")
            year = _year_text(short)
            if collapse in ("year-suffix", "year-suffix-ranged") and ys is not None and \
                    year == prev_year and not c.locator and not group[n - 1][0].locator:
                pieces.append(("YS", ys))  # type: ignore[arg-type]
                continue
            prev_year = year
            pieces.append(_affixed(short, c) or "")
        joined: list[Piece] = []
        for n, piece in enumerate(pieces):
            if isinstance(piece, tuple):
                ys_piece = piece[1]
                if collapse == "year-suffix-ranged":
                    suffix_run.append(ys_piece)
                    nxt = pieces[n + 1] if n + 1 < len(pieces) else None
                    if isinstance(nxt, tuple):
                        continue
                    if len(suffix_run) >= 2:
                        joined.extend([ys_delim, suffix_run[0], "\u2013", suffix_run[-1]])
                    else:
                        joined.extend(x for y in suffix_run for x in (ys_delim, y))
                    suffix_run = []
                else:
                    joined.extend([ys_delim, ys_piece])
            else:
                if joined:
                    joined.append(group_delim)
                joined.append(piece)
        body = R(None, fix_punct(joined)) if len(joined) > 1 else joined[0]
        if out:
            prev_collapsed = len(groups[g_index - 1]) > 1
            out.append(after if prev_collapsed and collapse else delim)
        out.append(body)
    return R(None, fix_punct(out))


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
