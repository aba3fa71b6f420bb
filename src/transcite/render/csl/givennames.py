"""Helpers of the global given-name rules (``givenname-disambiguation-rule`` ``all-names``,
``primary-name`` and their ``-with-initials`` forms) and of the disambiguation passes: how much
of a given name a person needs in a register of people sharing a family name, the levels the
bibliography's entries show as the register fills, the name variables a layout prints, and
whether a section prints its citation number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .item import Item
from .names import person_keys
from .nodes import State, children

if TYPE_CHECKING:
    from .processor import Processor

__all__ = ["entry_levels", "names_variables", "reads_number", "register_level"]


def reads_number(section: Any) -> bool:
    """Whether anything under a compiled section (its layout, the macros it calls, their
    conditions and substitutes) names ``citation-number``: a walk over the compiled objects,
    erring on the side of yes."""
    if section is None:
        return False
    from .locale import Locale
    from .nodes import Env

    seen: set[int] = set()
    todo: list[Any] = [section.layout]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (Env, Locale)):
            continue        # (the locale's terms name every variable)
        seen.add(id(obj))
        if isinstance(obj, str):
            if "citation-number" in obj:
                return True
        elif isinstance(obj, dict):
            todo.extend(obj.keys())
            todo.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            todo.extend(obj)
        elif callable(obj) and hasattr(obj, "csl_test"):
            todo.append(obj.csl_test)
        elif hasattr(obj, "__slots__") or hasattr(obj, "__dict__"):
            names = [n for c in type(obj).__mro__ for n in getattr(c, "__slots__", ())]
            for name in [*names, *getattr(obj, "__dict__", {})]:
                value = getattr(obj, name, None)
                if value is not None and not isinstance(value, (int, float, bool)):
                    todo.append(value)
    return False


def register_level(by_initials: dict[str, set[str]], givens: set[str],
                   with_initials: bool) -> int:
    """How much of a given name a person needs in a register of people sharing a family
    name (``by_initials``: given names by initials; ``givens``: those with this person's
    initials): 0 none, 1 initials, 2 the full given name (never more than initials for a
    ``-with-initials`` rule)."""
    if with_initials:
        return 1 if len(by_initials) > 1 else 0
    return 2 if len(givens) > 1 else 1 if len(by_initials) > 1 else 0


def entry_levels(proc: Processor, items: Sequence[Item], states: dict[str, State],
                 layout: Any) -> dict[str, dict[tuple[str, str], int]]:
    """Global given-name rules in the bibliography, as citeproc-js applies them: each
    entry's names join the register as the entries are printed, in order, and an entry
    shows its people as the register stands then ("J. Brown" before a John Brown appears,
    "Jennifer Brown" after). The levels of the people in each entry, by item id."""
    env = proc.env
    assert env.name_register is not None
    base, with_initials = env.name_register
    # a copy (the pass's register stays as built), two levels deep: ~10x deepcopy's speed
    register: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for pkey, by_initials in base.items():
        mine_by = register[pkey]
        for ikey, givens in by_initials.items():
            mine_by[ikey] = set(givens)
    primary = env.name_levels_primary
    out: dict[str, dict[tuple[str, str], int]] = {}
    name_vars = names_variables(layout)
    for it in items:
        people = []
        for var in name_vars:      # the lists the entry's <names> elements may print
            ns = it.names.get(var) or []
            for pos, n in enumerate(ns):
                if primary and pos:
                    break
                if not n.literal and n.family:
                    pkey, ikey, skey = person_keys(n)
                    register[pkey][ikey].add(skey)
                    people.append((pkey, ikey, skey))
        mine = {}
        for pkey, ikey, skey in people:
            level = register_level(register[pkey], register[pkey][ikey], with_initials)
            if level:
                mine[(pkey, skey)] = level
        out[it.id] = mine
    return out


def names_variables(node: Any, seen: set[int] | None = None) -> list[str]:
    """The name variables the ``<names>`` elements under a compiled node print, substitutes
    included, in order."""
    from .names import NamesNode

    seen = seen if seen is not None else set()
    if id(node) in seen:
        return []
    seen.add(id(node))
    out: list[str] = []
    if isinstance(node, NamesNode):
        out.extend(node.vars)
        for sub in node.substitute:
            out.extend(names_variables(sub, seen))
        return list(dict.fromkeys(out))
    for k in children(node):
        out.extend(names_variables(k, seen))
    return list(dict.fromkeys(out))
