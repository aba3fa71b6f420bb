"""Regular expressions compiled when first used.

A module's patterns are compiled when the module is imported, and a run imports many modules
whose patterns it never uses: compiling them was ~7 ms of a one-entry ``transcite format``.
:func:`lazy_re` gives an object that compiles its pattern on the first use of any of its
attributes and then keeps the compiled pattern's methods as its own (``PATTERN.sub`` is then
an attribute lookup, as on a compiled pattern). It is not an ``re.Pattern``: pass it to no
``re`` function, call its methods.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["LazyPattern", "lazy_re"]

_ATTRIBUTES = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
               "scanner", "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use (see the module docstring)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        found = self.__dict__.get("_compiled")
        if found is None:
            found = re.compile(*self._args)
            self.__dict__.update({name: getattr(found, name) for name in _ATTRIBUTES})
            self.__dict__["_compiled"] = found
        return cast("re.Pattern[str]", found)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_args", "_compiled"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy_re({self._args[0]!r})"


def lazy_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled on first use, typed as the compiled pattern it stands for."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
