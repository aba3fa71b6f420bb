"""Limits and clean-up for JSON and YAML from anywhere: what a hostile or broken file holds
becomes a problem, not a crash or a hang.

* nesting deeper than :data:`MAX_DEPTH` (the parsers would exhaust the stack);
* numbers with more than :data:`MAX_DIGITS` digits, ``NaN`` and infinities (Python refuses
  integers of 4,300 digits; neither is a bibliographic number): kept as the text written;
* lone surrogates (``"\\ud800"``), which no file can be written with: replaced by U+FFFD;
* YAML aliases that would expand past :data:`MAX_YAML_NODES` nodes (a "billion laughs"), and
  YAML values JSON has no type for (dates, binary, sets): kept as text.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import math
from collections.abc import Iterator
from typing import Any

from ..lazy import lazy_re

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_YAML_NODES", "Findings", "TooDeep", "TooLarge",
           "clean", "depth_at_most", "json_decoder", "may_hold_surrogates", "yaml_documents"]

#: Containers nested deeper than this are refused (a CSL item nests four or five levels).
MAX_DEPTH = 100
#: Numbers with more digits than this are kept as the text written.
MAX_DIGITS = 30
#: A YAML document whose aliases would make more nodes than this (and more than a hundred
#: per character of its text) is refused.
MAX_YAML_NODES = 1_000_000

_SURROGATE_ESCAPE = lazy_re(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")
_SURROGATE = lazy_re("[\ud800-\udfff]")


class TooDeep(ValueError):
    """A value nests deeper than :data:`MAX_DEPTH`."""


class TooLarge(ValueError):
    """A YAML document's aliases expand past :data:`MAX_YAML_NODES`."""


class Findings:
    """What :func:`clean` and the decoders changed, for the reader to report."""

    __slots__ = ("constants", "numbers", "surrogates")

    def __init__(self) -> None:
        self.constants: list[str] = []
        self.numbers: list[str] = []
        self.surrogates = 0

    def __bool__(self) -> bool:
        return bool(self.constants or self.numbers or self.surrogates)

    def clear(self) -> None:
        """Forget what was found (before the next item)."""
        self.constants.clear()
        self.numbers.clear()
        self.surrogates = 0

    def messages(self) -> Iterator[tuple[str, str]]:
        """(code, message) for each kind of finding."""
        if self.constants:
            yield ("read.not-a-number", f"{', '.join(sorted(set(self.constants)))} is not a "
                   "number JSON allows; kept as text")
        if self.numbers:
            shown = ", ".join(n if len(n) <= 20 else f"{n[:12]}... ({len(n)} digits)"
                              for n in self.numbers[:3])
            yield ("read.absurd-number", f"number {shown} is too long or not finite; kept as "
                   "the text written")
        if self.surrogates:
            yield ("read.surrogate", f"{self.surrogates} lone surrogate code point(s) (a "
                   "broken \\ud800-style escape) replaced by U+FFFD")


def may_hold_surrogates(text: str, start: int = 0, end: int | None = None) -> bool:
    """True when the JSON or YAML text has an escape that may decode to a lone surrogate."""
    return _SURROGATE_ESCAPE.search(text, start, len(text) if end is None else end) is not None


def json_decoder(findings: Findings) -> json.JSONDecoder:
    """A JSON decoder keeping long numbers, NaN and infinities as the text written (noted in
    ``findings``)."""

    def parse_int(text: str) -> int | str:
        if len(text.lstrip("-")) > MAX_DIGITS:
            findings.numbers.append(text)
            return text
        return int(text)

    def parse_float(text: str) -> float | str:
        value = float(text)
        if not math.isfinite(value) or len(text) > 2 * MAX_DIGITS:
            findings.numbers.append(text)
            return text
        return value

    def parse_constant(text: str) -> str:
        findings.constants.append(text)
        return text

    return json.JSONDecoder(parse_int=parse_int, parse_float=parse_float,
                            parse_constant=parse_constant)


def _plain(value: Any, findings: Findings) -> Any:
    """A scalar JSON can hold (YAML's dates, binary and non-finite numbers as text)."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            findings.surrogates += len(_SURROGATE.findall(value))
            return _SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if value.bit_length() > 100:        # more than 30 digits
            try:
                text = str(value)
            except ValueError:              # past Python's 4,300 digits
                text = f"(a number of {value.bit_length()} bits)"
            findings.numbers.append(text)
            return text
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            findings.constants.append(str(value))
            return str(value)
        return value
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def clean(value: Any, findings: Findings, *, drop: str | None = None) -> Any:
    """``value`` with every container a JSON list or object (string keys), every scalar one
    JSON can hold, lone surrogates replaced, and the key ``drop`` left out of objects; raises
    :class:`TooDeep`. Shared containers (YAML aliases) are copied, so the result is a tree."""
    scalar = _plain
    if not isinstance(value, (dict, list, tuple, set, frozenset)):
        return scalar(value, findings)
    root: list[Any] = [None]
    # (source container, target container, target key or index, depth)
    stack: list[tuple[Any, Any, Any, int]] = [(value, root, 0, 1)]
    while stack:
        source, parent, slot, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TooDeep(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(source, dict):
            target: Any = {}
            parent[slot] = target
            for key, item in source.items():
                if key == drop:
                    continue
                key = scalar(key, findings) if isinstance(key, str) else str(_plain(key,
                                                                                    findings))
                if isinstance(item, (dict, list, tuple, set, frozenset)):
                    target[key] = None
                    stack.append((item, target, key, depth + 1))
                else:
                    target[key] = scalar(item, findings)
        else:
            items = sorted(source, key=str) if isinstance(source, (set, frozenset)) else source
            target = [None] * len(items)
            parent[slot] = target
            for n, item in enumerate(items):
                if isinstance(item, (dict, list, tuple, set, frozenset)):
                    stack.append((item, target, n, depth + 1))
                else:
                    target[n] = scalar(item, findings)
    return root[0]


def depth_at_most(text: str, start: int, end: int, limit: int = MAX_DEPTH) -> bool:
    """A quick bound: True when the JSON text between ``start`` and ``end`` cannot nest deeper
    than ``limit`` (it has fewer brackets than that)."""
    return text.count("[", start, end) + text.count("{", start, end) <= limit


def yaml_documents(text: str, loader: Any) -> Iterator[Any]:
    """The documents of a YAML text, loaded with ``loader`` (a SafeLoader class) once each
    document's expansion of aliases is known to stay within :data:`MAX_YAML_NODES`; raises
    :class:`TooLarge`, :class:`TooDeep` or the loader's own errors."""
    bound = min(MAX_YAML_NODES, 100 * len(text) + 10_000)
    instance = loader(text)
    try:
        while instance.check_node():
            node = instance.get_node()
            if node is None:
                continue
            if _expanded_size(node, bound) > bound:
                raise TooLarge(f"its aliases would expand to more than {bound:,} values "
                               "(an alias bomb?)")
            yield instance.construct_document(node)
    finally:
        instance.dispose()


def _expanded_size(root: Any, bound: int) -> int:
    """How many nodes ``root`` stands for once every alias is expanded (counting stops past
    ``bound``); raises :class:`TooDeep` for nesting past :data:`MAX_DEPTH`."""
    sizes: dict[int, int] = {}
    # post-order over the node graph (a node reached twice through aliases is counted from
    # memory, so the walk is linear in the document, not in its expansion)
    stack: list[tuple[Any, bool, int]] = [(root, False, 1)]
    while stack:
        node, done, depth = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children = _children(node)
        if not done:
            if depth > MAX_DEPTH:
                raise TooDeep(f"nested more than {MAX_DEPTH} levels deep")
            stack.append((node, True, depth))
            stack.extend((c, False, depth + 1) for c in children if id(c) not in sizes)
            continue
        total = 1
        for c in children:
            total += sizes.get(id(c), 1)
            if total > bound:
                break
        sizes[key] = min(total, bound + 1)
    return sizes[id(root)]


def _children(node: Any) -> list[Any]:
    value = getattr(node, "value", None)
    if not isinstance(value, list):
        return []
    out: list[Any] = []
    for item in value:
        if isinstance(item, tuple):
            out.extend(item)
        else:
            out.append(item)
    return out
