"""CSL-JSON and CSL-YAML writers.

Items are plain CSL-JSON; variant forms go into Juris-M style ``multi`` objects (item level
``multi._keys.<variable>.<tag>``, name level ``multi._key.<tag>``) and fields transcite keeps but
does not use into CSL 1.0.2's ``custom`` object. The readers restore all of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO, Any

from ..model import Reference

__all__ = ["reference_to_item", "write_csl_json", "write_csl_yaml"]

# json.dumps(indent=2) spreads [[2017, 9, 6]] over eight lines; fold date-parts back onto one.
# The key can only be matched as a key: inside a JSON string its quotes would be escaped.
_DATE_PARTS = re.compile(r'"date-parts": (\[\s*(?:\[[-\d,\s]*\],?\s*)*\])')


def _fold_date_parts(m: re.Match[str]) -> str:
    return '"date-parts": ' + json.dumps(json.loads(m.group(1)))


def _free_tag(tag: str, taken: dict[str, Any]) -> str:
    """``tag``, or ``tag-2``, ``tag-3``... for a second form with the same tag (two English
    translations): a ``multi`` object holds one form per key."""
    n = 2
    free = tag
    while free in taken:
        free = f"{tag}-{n}"
        n += 1
    return free


def reference_to_item(ref: Reference, *, variants: bool = True) -> dict[str, Any]:
    """The CSL-JSON item for a reference, with ``multi`` and ``custom`` when ``variants``."""
    item = ref.to_csl()
    if not variants:
        return item
    for var, names in ref.names.items():
        for name, out in zip(names, item[var]):
            if name.variants:
                forms: dict[str, Any] = {}
                for nv in name.variants:
                    forms[_free_tag(nv.tag, forms)] = nv.name.to_csl()
                out["multi"] = {"_key": forms}
    keys: dict[str, dict[str, str]] = {}
    for var, variants in ref.variants.items():
        for v in variants:
            texts = keys.setdefault(var, {})
            texts[_free_tag(v.tag, texts)] = v.text
    extra = dict(ref.extra)
    multi_extra = extra.pop("multi", None)
    if keys or multi_extra:
        multi: dict[str, Any] = dict(multi_extra) if isinstance(multi_extra, dict) else {}
        if keys:
            multi["_keys"] = keys
        item["multi"] = multi
    if extra:
        item["custom"] = extra
    return item


def write_csl_json(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write a CSL-JSON array, one item at a time (memory stays flat for long libraries)."""
    out.write("[")
    first = True
    for ref in refs:
        out.write("\n  " if first else ",\n  ")
        text = json.dumps(reference_to_item(ref), ensure_ascii=False, indent=2)
        text = _DATE_PARTS.sub(_fold_date_parts, text)
        out.write(text.replace("\n", "\n  "))
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_csl_yaml(refs: Iterable[Reference], out: IO[str]) -> None:
    """Write CSL-YAML as pandoc reads it: a document with a ``references`` list."""
    import yaml

    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class _Dumper(base):  # type: ignore[misc]
        pass

    def represent_list(dumper: Any, data: list[Any]) -> Any:
        # date-parts read best as [[2017, 9, 6]]: numbers, and lists of numbers, flow inline
        flow = all(isinstance(x, int) or (isinstance(x, list) and all(
            isinstance(y, int) for y in x)) for x in data) and bool(data)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    _Dumper.add_representer(list, represent_list)
    dumper: Any = _Dumper
    out.write("---\nreferences:\n")
    for ref in refs:
        text = yaml.dump([reference_to_item(ref)], Dumper=dumper, allow_unicode=True,
                         sort_keys=False, default_flow_style=False, width=100)
        out.write(text)
    out.write("...\n")
