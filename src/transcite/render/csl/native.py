"""Pickling and copying for the engine's classes when they run compiled.

The wheel's build compiles the engine's hot modules with mypyc (see ``tools/build_native.py``).
A compiled class has no ``__dict__``, and pickle's and copy's defaults for it keep no
attributes, while compiled styles are kept between runs pickled (:mod:`.cache`), the two
processes of a long list send each other what they rendered, and cites are copied. Each
compiled module registers its classes here (``register(globals())`` at its end) with a reducer
that keeps every attribute the compiler lists (``__mypyc_attrs__``) and makes the object
again without calling ``__init__`` (the classes are marked ``allow_interpreted_subclasses``,
which lets ``cls.__new__`` make one); a frozen dataclass is built again from its fields. Run
as plain Python, nothing is registered: pickle's and copy's own ways are used, as before.
"""

from __future__ import annotations

import copyreg
import dataclasses
import sys
from typing import Any

__all__ = ["is_compiled", "register"]


def _new(cls: type) -> Any:
    return cls.__new__(cls)  # type: ignore[call-overload]


def _reduce(obj: Any) -> tuple[Any, ...]:
    cls = type(obj)
    params = getattr(cls, "__dataclass_params__", None)
    if params is not None and params.frozen:    # its own setattr refuses: built again
        return cls, tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))
    state: dict[str, Any] = {}
    for name in cls.__mypyc_attrs__:
        if name.startswith("__"):
            continue
        try:
            state[name] = getattr(obj, name)
        except AttributeError:      # never set: stays unset
            continue
    # the state apart from the arguments: pickle stores the object before its state, so an
    # object its own state leads back to (a cached bare copy of itself) stays one; copy and
    # pickle then set it with the class's own __setstate__
    return _new, (cls,), state


def register(namespace: dict[str, Any]) -> None:
    """Register the compiled classes a module defines (its ``globals()``) with pickle."""
    module = namespace.get("__name__")
    for value in list(namespace.values()):
        if isinstance(value, type) and value.__module__ == module and \
                hasattr(value, "__mypyc_attrs__"):
            copyreg.pickle(value, _reduce)


def is_compiled() -> bool:
    """Whether the engine runs compiled (its node module is an extension module)."""
    nodes = sys.modules.get("transcite.render.csl.nodes")
    if nodes is None:
        from . import nodes
    return not (getattr(nodes, "__file__", "") or "").endswith(".py")
