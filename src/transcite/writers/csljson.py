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

from ..lazy import lazy_re
from ..model import Reference
from .markdown import to_markdown

__all__ = ["DERIVED", "derived_forms", "reference_to_item", "write_csl_json",
           "write_csl_yaml"]

# json.dumps(indent=2) spreads [[2017, 9, 6]] over eight lines; fold date-parts back onto one.
# The key can only be matched as a key: inside a JSON string its quotes would be escaped.
_SCHEME_TAG = lazy_re(r"^([a-z]{2,3}-Latn)-x-[a-z0-9]+$")
_DATE_PARTS = lazy_re(r'"date-parts": (\[\s*(?:\[[-\d,\s]*\],?\s*)*\])')


def _fold_date_parts(m: re.Match[str]) -> str:
    return '"date-parts": ' + json.dumps(json.loads(m.group(1)))


def _distinct_plain(tags: dict[str, Any]) -> dict[str, Any]:
    """A form of its own under a plain ``ru-Latn`` that equals a scheme-tagged one moves to
    ``ru-Latn-2``: readers take a plain tag with a scheme form's text for the copy
    :func:`_with_plain_tags` makes (and leave it out)."""
    out = dict(tags)
    for tag, value in tags.items():
        m = _SCHEME_TAG.match(tag)
        if m and out.get(m.group(1)) == value:
            free = _free_tag(m.group(1), out)
            out[free] = out.pop(m.group(1))
    return out


def _free_tag(tag: str, taken: dict[str, Any]) -> str:
    """``tag``, or ``tag-2``, ``tag-3``... for a second form with the same tag (two English
    translations): a ``multi`` object holds one form per key."""
    n = 2
    free = tag
    while free in taken:
        free = f"{tag}-{n}"
        n += 1
    return free


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
                forms: dict[str, Any] = {}
                for nv in name.variants:
                    forms[_free_tag(nv.tag, forms)] = nv.name.to_csl()
                out["multi"] = {"_key": _with_plain_tags(_distinct_plain(forms))}
    keys: dict[str, dict[str, Any]] = {}
    for var, forms_of in ref.variants.items():
        for v in forms_of:
            texts = keys.setdefault(var, {})
            texts[_free_tag(v.tag, texts)] = v.text
    keys = {var: _with_plain_tags(_distinct_plain(tags)) for var, tags in keys.items()}
    extra = dict(ref.extra)
    if ended:
        extra["et-al"] = ended
    derived = derived_forms(ref)
    if derived:
        extra[DERIVED] = derived
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


#: ``custom`` key holding which forms transcite derived (origin and confidence of each form
#: that is not the user's: ``{"fields": {var: {text: how}}, "names": {var: {index: {text:
#: how}}}}``, ``how`` the origin, or ``[origin, confidence]``); the reader gives the forms back
#: their origin.
DERIVED = "transcite-derived"


def _how(origin: str, confidence: float | None) -> Any:
    return origin if confidence is None else [origin, confidence]


def derived_forms(ref: Reference) -> dict[str, Any]:
    """Where each form of ``ref`` that the user did not write came from (see
    :data:`DERIVED`); empty when every form is the user's."""
    fields: dict[str, Any] = {}
    for var, forms_of in ref.variants.items():
        for v in forms_of:
            if v.origin != "input":
                fields.setdefault(var, {})[v.text] = _how(v.origin, v.confidence)
    names: dict[str, Any] = {}
    for var, people in ref.names.items():
        for n, name in enumerate(people):
            for nv in name.variants:
                if nv.origin != "input":
                    names.setdefault(var, {}).setdefault(str(n), {})[nv.name.display()] = \
                        _how(nv.origin, nv.confidence)
    out: dict[str, Any] = {}     # in a fixed order: reading back may order the forms anew
    if fields:
        out["fields"] = {var: dict(sorted(texts.items())) for var, texts in sorted(fields.items())}
    if names:
        out["names"] = {var: {n: dict(sorted(texts.items())) for n, texts in people.items()}
                        for var, people in sorted(names.items())}
    return out


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
