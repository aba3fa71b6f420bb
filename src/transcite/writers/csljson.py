"""CSL-JSON and CSL-YAML writers.

Items are plain CSL-JSON; variant forms go into Juris-M style ``multi`` objects (item level
``multi._keys.<variable>.<tag>``, name level ``multi._key.<tag>``) and fields transcite keeps but
does not use into CSL 1.0.2's ``custom`` object. "et al." is no name: ``custom["et-al"]`` lists
the name variables it ended. An item read with a ``citation-key`` (Zotero 7, Better BibTeX)
keeps its own ``id`` and writes the key back. CSL-YAML is written as pandoc reads it: every
string is Markdown (see :mod:`.markdown`). The readers restore all of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO, Any

from ..model import Reference
from .markdown import to_markdown

__all__ = ["reference_to_item", "write_csl_json", "write_csl_yaml"]

# json.dumps(indent=2) spreads [[2017, 9, 6]] over eight lines; fold date-parts back onto one.
# The key can only be matched as a key: inside a JSON string its quotes would be escaped.
_SCHEME_TAG = re.compile(r"^([a-z]{2,3}-Latn)-x-[a-z0-9]+$")
_DATE_PARTS = re.compile(r'"date-parts": (\[\s*(?:\[[-\d,\s]*\],?\s*)*\])')


def _fold_date_parts(m: re.Match[str]) -> str:
    return '"date-parts": ' + json.dumps(json.loads(m.group(1)))


def reference_to_item(ref: Reference, *, variants: bool = True,
                      et_al: str = "custom") -> dict[str, Any]:
    """The CSL-JSON item for a reference, with ``multi`` and ``custom`` when ``variants``.

    A name list ending in "et al." (``Name(literal="others")``) loses the marker: no person
    called "others" is written; with ``et_al="custom"`` the lists it ended go to
    ``custom["et-al"]``, which the reader turns back into the marker (``et_al="name"`` keeps
    ``{"literal": "others"}``, which pandoc reads as "et al.")."""
    item = ref.to_csl()
    if not variants:
        return item
    ended: list[str] = []
    if et_al == "custom":
        for var, names in ref.names.items():
            if names and names[-1].literal == "others" and not names[-1].variants:
                ended.append(var)
                item[var] = item[var][:-1]
                if not item[var]:
                    del item[var]
    for var, names in ref.names.items():
        for name, out in zip(names, item.get(var, ())):
            if name.variants:
                out["multi"] = {"_key": _with_plain_tags(
                    {nv.tag: nv.name.to_csl() for nv in name.variants})}
    keys: dict[str, dict[str, Any]] = {}
    for var, forms in ref.variants.items():
        for v in forms:
            keys.setdefault(var, {})[v.tag] = v.text
    keys = {var: _with_plain_tags(tags) for var, tags in keys.items()}
    extra = dict(ref.extra)
    if ended:
        extra["et-al"] = ended
    csl_id = extra.pop("csl-id", None)
    if isinstance(csl_id, str):  # read from an item whose citation-key differs from its id
        item["id"] = csl_id
        item["citation-key"] = ref.id
    multi_extra = extra.pop("multi", None)
    if keys or multi_extra:
        multi: dict[str, Any] = dict(multi_extra) if isinstance(multi_extra, dict) else {}
        if keys:
            multi["_keys"] = keys
        item["multi"] = multi
    if extra:
        item["custom"] = extra
    return item


def _with_plain_tags(tags: dict[str, Any]) -> dict[str, Any]:
    """``ru-Latn`` beside ``ru-Latn-x-bsi`` (same text) when no plain ``ru-Latn`` is there:
    citeproc-js matches a language preference exactly or by its first subtag, so a
    ``ru-Latn`` preference would never reach a scheme-tagged form."""
    out = dict(tags)
    for tag, value in tags.items():
        m = _SCHEME_TAG.match(tag)
        if m and m.group(1) not in out:
            out[m.group(1)] = value
    return out


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
        item = _markdown_strings(reference_to_item(ref, et_al="name"))
        text = yaml.dump([item], Dumper=dumper, allow_unicode=True,
                         sort_keys=False, default_flow_style=False, width=100)
        out.write(text)
    out.write("...\n")


def _markdown_strings(value: Any) -> Any:
    """Every string of an item as pandoc Markdown (pandoc reads YAML strings as Markdown)."""
    if isinstance(value, str):
        return to_markdown(value)
    if isinstance(value, dict):
        return {k: _markdown_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_markdown_strings(v) for v in value]
    return value
