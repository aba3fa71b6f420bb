"""``<if>``/``<else-if>`` conditions compiled into test functions.

Type and plain variable tests become set operations; the rest are small closures. Each test
function keeps the attributes it was built from (``csl_test``), so that a compiled style can be
pickled (:mod:`.cache`) and its tests rebuilt from them with :func:`condition` - without
citeproc-py, which only parsing a style needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...lazy import lazy_re
from .nodes import FIRST, IBID, IBID_WITH_LOCATOR, SUBSEQUENT, Ctx
from .numbers import is_numeric

__all__ = ["condition", "condition_of"]


_SPECIAL_VARS = frozenset({"locator", "citation-number", "year-suffix",
                           "first-reference-note-number"})


#: The attributes a condition reads.
_TESTS = ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position",
          "disambiguate", "match")


def condition_of(el: Any) -> Any:
    """The test function of an ``<if>``/``<else-if>`` element (anything with ``get``); it
    carries how to build it again (``csl_test``: the attributes it was built from, for
    :func:`condition`), so that a compiled style can be pickled."""
    test = _test(el)
    test.csl_test = tuple((k, v) for k in _TESTS if (v := el.get(k)) is not None)
    return test


def condition(attributes: tuple[tuple[str, str], ...]) -> Any:
    """The test function of a condition with these attributes (see :func:`condition_of`)."""
    return condition_of(dict(attributes))


def _test(el: Any) -> Any:
    """Type and plain variable tests become set operations; the rest are small closures."""
    types: frozenset[str] = frozenset((el.get("type") or "").split())
    all_vars = (el.get("variable") or "").split()
    plain_vars = frozenset(v for v in all_vars if v not in _SPECIAL_VARS)
    others = [_one_test("variable", v) for v in all_vars if v in _SPECIAL_VARS]
    for attr in ("is-numeric", "is-uncertain-date", "locator", "position", "disambiguate"):
        v = el.get(attr)
        if v is not None:
            others.extend(_one_test(attr, value) for value in v.split())
    match = el.get("match", "all")
    if not (types or plain_vars or others):
        return lambda ctx: False

    def any_(ctx: Ctx) -> bool:
        item = ctx.item
        if types and item.type in types:
            return True
        if plain_vars and not plain_vars.isdisjoint(item.present):
            return True
        return any(t(ctx) for t in others) if others else False

    def all_(ctx: Ctx) -> bool:
        item = ctx.item
        # an item has one type: several in the attribute are alternatives, whatever
        # the match (citeproc-js; "thesis manuscript" would otherwise never be true)
        if types and item.type not in types:
            return False
        if plain_vars and not plain_vars <= item.present:
            return False
        return all(t(ctx) for t in others) if others else True

    if match == "any":
        return any_
    if match == "none":
        return lambda ctx: not any_(ctx)
    return all_


def _has(ctx: Ctx, var: str) -> bool:
    if var == "locator":
        return bool(ctx.cite.locator)
    if var == "citation-number":
        return bool(ctx.state.number)
    if var == "year-suffix":
        return bool(ctx.state.year_suffix)
    if var == "first-reference-note-number":
        return bool(ctx.cite.first_note) and ctx.mode == "citation"
    return ctx.item.has(var)


#: the label abbreviations citeproc-js reads before a number in ``is-numeric`` ("vol. 2")
_LABELS = lazy_re(r"^(?:vrs|sv|subpara|op|subch|add|amend|annot|app|art|bibliog|bk|ch|cl|"
                  r"col|cmt|dec|dept|ex|fig|fld|fol|n|hypo|illus|intro|l|no|p|pp|para|pt|"
                  r"pmbl|princ|pub|r|rn|sched|sec|ser|subdiv|subsec|supp|tbl|tit|vol)\.\s*")


def _numeric(ctx: Ctx, var: str) -> bool:
    """``is-numeric``; an English label abbreviation written before the number ("vol. 2",
    "p. 10") is read as the label, as citeproc-js reads it."""
    value = ctx.cite.locator if var == "locator" else ctx.item.get(var)
    if value and not value[0].isdigit():
        value = _LABELS.sub("", value, count=1)
    return is_numeric(value)


_POSITION = {
    "first": lambda ctx: ctx.cite.position == FIRST,
    "subsequent": lambda ctx: ctx.cite.position >= SUBSEQUENT,
    "ibid": lambda ctx: ctx.cite.position >= IBID,
    "ibid-with-locator": lambda ctx: ctx.cite.position == IBID_WITH_LOCATOR,
    "near-note": lambda ctx: ctx.cite.near_note and ctx.cite.position >= SUBSEQUENT,
}


def _never(ctx: Ctx) -> bool:
    return False


def _one_test(attr: str, value: str) -> Any:
    if attr == "type":
        return lambda ctx: ctx.item.type == value
    if attr == "variable":
        return lambda ctx: _has(ctx, value)
    if attr == "is-numeric":
        return lambda ctx: _numeric(ctx, value)
    if attr == "is-uncertain-date":
        return lambda ctx: bool(ctx.item.dates.get(value) and ctx.item.dates[value].circa)
    if attr == "locator":
        want = value.replace("-", " ") if value == "sub-verbo" else value
        return lambda ctx: bool(ctx.cite.locator) and ctx.cite.label.replace("-", " ") == \
            want.replace("-", " ")
    if attr == "position":
        test: Callable[[Ctx], bool] = _POSITION.get(value, _never)
        return lambda ctx: ctx.mode == "citation" and test(ctx)
    if attr == "disambiguate":
        return lambda ctx: ctx.state.disambiguate == (value == "true")
    return lambda ctx: False
