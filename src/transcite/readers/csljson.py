"""CSL-JSON and CSL-YAML readers.

Accepted shapes: an array of items, a single item, or (YAML, as in pandoc metadata) a mapping
with a ``references`` list. Variant forms are read from Juris-M style ``multi`` objects
(``"multi": {"_keys": {"title": {"en": "...", "ru-Latn-x-bsi": "..."}}}``, and on names
``"multi": {"_key": {...}}``); ``custom`` (CSL 1.0.2) and unknown keys are kept as extras.
Each item's line is remembered so problems point at it.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator
from typing import Any

from ..dates import parse_date
from ..lang import lang_tag
from ..model import (
    CSL_TYPES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    Date,
    Form,
    Name,
    NameVariant,
    Origin,
    Reference,
    Variant,
)
from ..writers.markdown import from_markdown
from . import ReadContext
from .keys import make_key

__all__ = ["item_to_reference", "read_csl_json", "read_csl_yaml", "stream_csl_json",
           "variant_from_tag"]

# CSL-JSON keys that are not variables but belong to the item.
_META = {"id", "type", "multi", "custom", "system_id", "citation-key"}
_KNOWN_TEXT = frozenset("""abstract annote archive archive-collection archive_collection
archive-location archive_location archive-place authority call-number chapter-number
citation-label citation-number collection-number collection-title
container-title container-title-short dimensions division DOI edition event event-place
event-title first-reference-note-number genre ISBN ISSN issue jurisdiction keyword language
license locator medium note number number-of-pages number-of-volumes original-publisher
original-publisher-place original-title page page-first part-number part-title PMCID PMID
printing-number publisher publisher-place references reviewed-genre reviewed-title scale
section source status supplement-number title title-short URL version volume volume-title
volume-title-short year-suffix shortTitle journalAbbreviation""".split())
_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
_TAG = re.compile(r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>Latn|Cyrl))?(?:-[A-Z]{2})?"
                  r"(?:-x-(?P<scheme>[a-z0-9]+))?$")


def variant_from_tag(tag: str, text: str, primary_lang: str | None) -> Variant:
    """Interpret a ``multi`` key: ``ru-Latn[-x-scheme]`` is a romanisation, another language a
    translation, the item's own language its original."""
    m = _TAG.match(tag)
    if m and m.group("script") == "Latn" and m.group("lang") in ("ru", "uk", "be", "bg", "sr",
                                                                 "kk"):
        return Variant(text, Form.ROMANISED, m.group("lang"), m.group("scheme"))
    lang = m.group("lang") if m else tag
    if primary_lang and lang == primary_lang.split("-")[0]:
        return Variant(text, Form.ORIGINAL, tag)
    return Variant(text, Form.TRANSLATED, tag)


_SCHEME_TAG = re.compile(r"^([a-z]{2,3}-Latn)-x-[a-z0-9]+$")


def _without_plain_copies(forms: dict[str, Any]) -> dict[str, Any]:
    """The forms without a plain ``ru-Latn`` that repeats a ``ru-Latn-x-<scheme>`` form (the
    CSL-JSON writer adds it for citeproc-js, see ``writers.csljson._with_plain_tags``)."""
    copies = {m.group(1) for tag, value in forms.items() if (m := _SCHEME_TAG.match(tag))
              and forms.get(m.group(1)) == value}
    return {tag: value for tag, value in forms.items() if tag not in copies}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _names(value: Any, var: str, ctx: ReadContext, where: dict[str, Any],
           lang: str | None) -> list[Name]:
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        ctx.report.error("csl.bad-names", f"{var} must be a list of names", **where)
        return []
    names: list[Name] = []
    for entry in value:
        if isinstance(entry, str):
            names.append(Name(literal=entry))
            continue
        if not isinstance(entry, dict):
            ctx.report.error("csl.bad-name", f"a name in {var} is not an object: {entry!r}",
                             **where)
            continue
        name = Name.from_csl(entry)
        multi = entry.get("multi")
        if isinstance(multi, dict) and isinstance(multi.get("_key"), dict):
            for tag, parts in _without_plain_copies(multi["_key"]).items():
                if isinstance(parts, dict):
                    v = variant_from_tag(tag, "", lang)
                    name.variants.append(NameVariant(Name.from_csl(parts), v.form, v.lang,
                                                     v.scheme))
        if name.to_csl() or name.variants:
            names.append(name)
    return names


def _date(value: Any, var: str, ctx: ReadContext, where: dict[str, Any]) -> Date | None:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return Date(parts=((value.year, value.month, value.day),))
    if isinstance(value, str):
        return parse_date(value) if value.strip() else None
    try:
        return Date.from_csl(value)
    except (ValueError, TypeError) as exc:
        ctx.report.error("csl.bad-date", f"{var}: {exc}; kept as text", **where)
        return Date(literal=_text(value))


def item_to_reference(item: Any, ctx: ReadContext, line: int | None, fmt: str,
                      index: int) -> Reference | None:
    """Convert one CSL-JSON item (a dict) into a Reference, reporting what is wrong with it."""
    where: dict[str, Any] = {"file": ctx.file, "line": line}
    if not isinstance(item, dict):
        ctx.report.error("csl.not-an-item", f"item {index + 1} is not an object "
                         f"({type(item).__name__}); skipped", raw=_text(item), **where)
        return None
    raw_id = item.get("id")
    key = item.get("citation-key")
    has_key = isinstance(key, str) and bool(key.strip())
    if has_key:
        ref_id = key.strip()  # Zotero 7 and Better BibTeX: the key the author cites
    elif raw_id in (None, ""):
        ref_id = ""  # made from the item once it is read
    else:
        ref_id = _text(raw_id)
    where["item"] = ref_id
    ref = Reference(id=ref_id, origin=Origin(ctx.file, line, fmt, None))
    if has_key and raw_id not in (None, ""):
        ref.extra["csl-id"] = _text(raw_id)
    elif key is not None and not has_key:
        ref.extra["citation-key"] = key
    csl_type = _text(item.get("type") or "")
    if not csl_type:
        ctx.report.warning("csl.missing-type", "item has no type; read as 'document'", **where)
        csl_type = "document"
    elif csl_type not in CSL_TYPES:
        ctx.report.warning("csl.unknown-type", f"unknown CSL type {csl_type!r}; it is kept",
                           **where)
    ref.type = csl_type
    lang = lang_tag(_text(item["language"])) if item.get("language") else None
    for name, value in item.items():
        if name in _META or value is None:
            continue
        var = _ALIASES.get(name, name)
        if var in NAME_VARIABLES:
            names = _names(value, var, ctx, where, lang)
            if names:
                ref.names[var] = names
        elif var in DATE_VARIABLES:
            date = _date(value, var, ctx, where)
            if date is not None:
                ref.dates[var] = date
        elif var in _KNOWN_TEXT or var.replace("_", "-") in _KNOWN_TEXT:
            text = _text(value)
            if text:
                ref.fields[var] = lang if var == "language" and lang else text
        else:
            ref.extra[name] = value
    custom = item.get("custom")
    if isinstance(custom, dict):
        custom = dict(custom)
        ended = custom.pop("et-al", None)
        if isinstance(ended, list) and all(isinstance(v, str) for v in ended):
            for var in ended:  # "et al." ended these name lists (see writers.csljson)
                ref.names.setdefault(var, []).append(Name(literal="others"))
        elif ended is not None:
            custom["et-al"] = ended
        ref.extra.update(custom)
    elif custom is not None:
        ref.extra["custom"] = custom
    multi = item.get("multi")
    if isinstance(multi, dict):
        keys = multi.get("_keys")
        if isinstance(keys, dict):
            for var, forms in keys.items():
                if not isinstance(forms, dict):
                    continue
                for tag, text in _without_plain_copies(forms).items():
                    if isinstance(text, str) and text.strip():
                        ref.add_variant(var, variant_from_tag(tag, text.strip(), lang))
        for name, value in multi.items():
            if name != "_keys":
                ref.extra.setdefault("multi", {})[name] = value
    if not ref.id:
        ref.id = make_key(ref, ctx.used_keys)
        ctx.report.error("csl.missing-id", f"item {index + 1} has no id; kept as {ref.id!r}",
                         **where)
    return ref


class _Buffer:
    """The text of a CSL-JSON array, whole or arriving in chunks; what is read is dropped (at
    a line start, so that error columns stay right), and line numbers stay absolute."""

    __slots__ = ("s", "lines_before", "_chunks", "_counted", "_lines")

    #: Read text kept before it is dropped.
    keep = 1 << 20

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self.s = ""
        self.lines_before = 0       # newlines before s[0]
        self._counted = 0           # newlines are counted up to here (a position in s) ...
        self._lines = 0             # ... and there are this many of them in s before it
        while not self.s and self.more():
            pass

    def more(self) -> bool:
        """Append the next chunk; False at the end of the text."""
        for chunk in self._chunks:
            if chunk:
                self.s += chunk
                return True
        return False

    def line(self, pos: int) -> int:
        """The 1-based line of position ``pos`` of :attr:`s` (positions asked in increasing
        order are counted from the last one: linear in the text)."""
        if pos >= self._counted:
            self._lines += self.s.count("\n", self._counted, pos)
            self._counted = pos
            return self.lines_before + self._lines + 1
        return self.lines_before + self.s.count("\n", 0, pos) + 1

    def drop(self, pos: int) -> int:
        """Drop the text before the line holding ``pos`` (when there is much); the new
        ``pos``."""
        if pos < self.keep:
            return pos
        cut = self.s.rfind("\n", 0, pos) + 1
        if cut:
            dropped = self.line(cut) - 1 - self.lines_before
            self.lines_before += dropped
            self._lines -= dropped
            self._counted -= cut
            self.s = self.s[cut:]
        return pos - cut


def read_csl_json(text: str, ctx: ReadContext) -> Iterator[Reference]:
    """Read CSL-JSON: an array of items (each item's line is tracked) or a single item.

    A syntax error is reported with its line; items after it are still read where the array
    can be resynchronised at the next item.
    """
    return stream_csl_json(iter((text,)), ctx)


def stream_csl_json(chunks: Iterator[str], ctx: ReadContext) -> Iterator[Reference]:
    """:func:`read_csl_json` over text arriving in chunks: an array's items are read one by one
    as their text arrives (memory stays flat); anything else is read whole first."""
    buf = _Buffer(chunks)
    first = buf.s.lstrip("\ufeff")
    while not first.strip() and buf.more():     # the opening of the text, for its shape
        first = buf.s.lstrip("\ufeff")
    buf.s = first
    pos = len(first) - len(first.lstrip())
    if pos >= len(first):
        return
    if first[pos] != "[":
        while buf.more():
            pass
        yield from _read_whole(buf.s, pos, ctx)
        return
    yield from _read_array(buf, pos + 1, ctx)


def _read_whole(s: str, pos: int, ctx: ReadContext) -> Iterator[Reference]:
    try:
        value, _ = json.JSONDecoder().raw_decode(s, pos)
    except json.JSONDecodeError as exc:
        ctx.report.error("csl.json-syntax", f"invalid JSON: {exc.msg} (column {exc.colno})",
                         file=ctx.file, line=exc.lineno)
        return
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        value = value["items"]
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        ref = item_to_reference(item, ctx, None, "csl-json", i)
        if ref is not None:
            yield ref


_RESYNC = re.compile(r"\}\s*,\s*(?=\{)")


def _read_array(buf: _Buffer, pos: int, ctx: ReadContext) -> Iterator[Reference]:
    """The items of an array whose ``[`` ends before ``pos``."""
    decoder = json.JSONDecoder()
    index = 0
    ws = " \t\r\n"

    def skip(p: int) -> int:
        while True:
            s = buf.s
            while p < len(s) and s[p] in ws:
                p += 1
            if p < len(s) or not buf.more():
                return p

    while True:
        pos = skip(pos)
        s = buf.s
        if pos >= len(s):
            ctx.report.error("csl.json-syntax", "invalid JSON: the array is not closed with ']'",
                             file=ctx.file, line=buf.line(len(s)))
            return
        if s[pos] == "]":
            return
        try:
            item, end = decoder.raw_decode(s, pos)
        except json.JSONDecodeError as exc:
            if buf.more():
                continue            # the item may go on in the text still to come
            ctx.report.error("csl.json-syntax",
                             f"invalid JSON in item {index + 1}: {exc.msg} (column {exc.colno})",
                             file=ctx.file, line=buf.lines_before + exc.lineno)
            nxt = _RESYNC.search(s, exc.pos)
            if nxt is None:
                return
            pos = nxt.end()
            index += 1
            continue
        ref = item_to_reference(item, ctx, buf.line(pos), "csl-json", index)
        if ref is not None:
            yield ref
        index += 1
        pos = skip(end)
        s = buf.s
        if pos < len(s) and s[pos] == ",":
            pos = buf.drop(pos + 1)
        elif pos < len(s) and s[pos] == "]":
            return
        elif pos < len(s):
            ctx.report.error("csl.json-syntax", "invalid JSON: expected ',' or ']' after an item",
                             file=ctx.file, line=buf.line(pos))
            return


def read_csl_yaml(text: str, ctx: ReadContext) -> Iterator[Reference]:
    """Read CSL-YAML: a list of items, or a document (pandoc front matter) with ``references``."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[misc]
        pass

    def construct_mapping(loader: Any, node: Any) -> dict[str, Any]:
        mapping = loader.construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping  # type: ignore[no-any-return]

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    body = text.lstrip("\ufeff")
    try:
        docs = [d for d in yaml.load_all(body, Loader=_Loader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        ctx.report.error("csl.yaml-syntax", f"invalid YAML: {problem}", file=ctx.file,
                         line=mark.line + 1 if mark is not None else None)
        return
    items: list[Any] = []
    for doc in docs:
        if isinstance(doc, dict) and "references" in doc:
            refs = doc["references"]
            if refs is not None:
                items.extend(refs if isinstance(refs, list) else [refs])
        elif isinstance(doc, list):
            items.extend(doc)
        elif isinstance(doc, dict):
            items.append(doc)
    for i, item in enumerate(items):
        line = None
        if isinstance(item, dict):
            line = item.get("__line__")
            item = _strip_lines(item)
        ref = item_to_reference(item, ctx, line, "csl-yaml", i)
        if ref is not None:
            yield ref


def _strip_lines(value: Any) -> Any:
    """The item without the reader's line marks, its strings read as pandoc reads them:
    Markdown (``*italic*``, ``H~2~O``, ``\\*``) becomes CSL text (see writers.markdown)."""
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    if isinstance(value, str):
        return from_markdown(value)
    return value
