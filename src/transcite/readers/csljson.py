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
from dataclasses import replace
from typing import Any

from ..dates import parse_date
from ..lang import lang_tag
from ..lazy import lazy_re
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
    is_cyrillic,
    scheme_name,
)
from ..notes import CHEATER_VARIABLES
from ..writers.csljson import DERIVED
from ..writers.markdown import from_markdown
from . import ReadContext, hostile
from .keys import make_key

__all__ = ["item_to_reference", "read_csl_json", "read_csl_yaml", "scheme_name",
           "stream_csl_json", "variant_from_tag"]

# CSL-JSON keys that are not variables but belong to the item.
_META = {"id", "type", "multi", "custom", "system_id", "citation-key"}
_KNOWN_TEXT = CHEATER_VARIABLES | {"citation-number", "shortTitle", "journalAbbreviation"}
_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
_TAG = lazy_re(r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>Latn|Cyrl))?(?:-[A-Z]{2})?"
               r"(?:-x-(?P<scheme>\S+?))?(?:-\d+)?$")  # -2: a second form, same tag


def variant_from_tag(tag: str, text: str, primary_lang: str | None) -> Variant:
    """Interpret a ``multi`` key: ``ru-Latn[-x-scheme]`` is a romanisation, another language a
    translation, the item's own language its original."""
    m = _TAG.match(tag)
    if m and m.group("script") == "Latn" and m.group("lang") in ("ru", "uk", "be", "bg", "sr",
                                                                 "kk"):
        return Variant(text, Form.ROMANISED, m.group("lang"), scheme_name(m.group("scheme")))
    lang = m.group("lang") if m else tag
    if m:
        tag = _SECOND.sub("", tag)      # "en-2": a second form with the same tag
    if primary_lang and lang == primary_lang.split("-")[0]:
        return Variant(text, Form.ORIGINAL, tag)
    if not primary_lang and lang in _CYRILLIC_LANGS and is_cyrillic(text):
        # an item of no stated language: its Cyrillic form is the original (Reference.forms
        # takes Cyrillic text for the original too)
        return Variant(text, Form.ORIGINAL, tag)
    return Variant(text, Form.TRANSLATED, tag)


_SECOND = lazy_re(r"-\d+$")
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "kk", "mk", "ky", "tg", "mn"})


_SCHEME_TAG = lazy_re(r"^([a-z]{2,3}-Latn)-x-[a-z0-9]+$")


def _without_plain_copies(forms: dict[str, Any]) -> dict[str, Any]:
    """The forms without a plain ``ru-Latn`` that repeats a ``ru-Latn-x-<scheme>`` form (the
    CSL-JSON writer adds it for citeproc-js, see ``writers.csljson._with_plain_tags``)."""
    copies = {m.group(1) for tag, value in forms.items() if (m := _SCHEME_TAG.match(tag))
              and forms.get(m.group(1)) == value}
    return {tag: value for tag, value in forms.items() if tag not in copies}


def _origin(value: Any) -> tuple[str, float | None] | None:
    if isinstance(value, str) and value:
        return value, None
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and (
            value[1] is None or (isinstance(value[1], (int, float))
                                 and not isinstance(value[1], bool))):
        return value[0], None if value[1] is None else float(value[1])
    return None


def _restore_derived(ref: Reference, derived: Any) -> bool:
    """Give the forms transcite derived their origin and confidence back (the writer's
    ``custom["transcite-derived"]``); False when ``derived`` is not shaped as it writes it."""
    if not isinstance(derived, dict):
        return False
    fields, names = derived.get("fields", {}), derived.get("names", {})
    if not isinstance(fields, dict) or not isinstance(names, dict):
        return False
    for var, texts in fields.items():
        if not isinstance(texts, dict) or var not in ref.variants:
            continue
        forms = ref.variants[var]
        for k, v in enumerate(forms):
            found = _origin(texts.get(v.text))
            if found is not None:
                forms[k] = replace(v, origin=found[0], confidence=found[1])
    for var, people in names.items():
        if not isinstance(people, dict):
            continue
        listed = ref.names.get(var, [])
        for index, texts in people.items():
            if not (isinstance(index, str) and index.isdigit() and isinstance(texts, dict)
                    and int(index) < len(listed)):
                continue
            name = listed[int(index)]
            for k, nv in enumerate(name.variants):
                found = _origin(texts.get(nv.name.display()))
                if found is not None:
                    name.variants[k] = replace(nv, origin=found[0], confidence=found[1])
    return True


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
                    v = variant_from_tag(tag, Name.from_csl(parts).display(), lang)
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
        ctx.report.error("csl.bad-date", f"{var}: {_short(str(exc))}; kept as text", **where)
        return Date(literal=_short(_text(value), 10_000))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


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
        assert isinstance(key, str)     # has_key says so
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
    name: str       # (a JSON object's keys)
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
    derived = ref.extra.pop(DERIVED, None)
    if derived is not None and not _restore_derived(ref, derived):
        ref.extra[DERIVED] = derived        # not transcite's: kept as it was
    if not ref.id:
        ref.id = make_key(ref, ctx.used_keys)
        ctx.report.error("csl.missing-id", f"item {index + 1} has no id; kept as {ref.id!r}",
                         **where)
    return ref


class _Buffer:
    """The text of a CSL-JSON array, whole or arriving in chunks; what is read is dropped (so
    that memory stays flat and each character is looked at a bounded number of times, on one
    line or many), and line and column numbers stay absolute."""

    __slots__ = ("s", "lines_before", "col_before", "_chunks", "_counted", "_lines")

    #: Read text kept before it is dropped.
    keep = 1 << 20

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self.s = ""
        self.lines_before = 0       # newlines before s[0]
        self.col_before = 0         # characters of s[0]'s line before s[0]
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
        return self.lines_before + self._lines - self.s.count("\n", pos, self._counted) + 1

    def column(self, line_in_s: int, colno: int) -> int:
        """The absolute column of a JSON error's (line, column) counted from :attr:`s`."""
        return colno + self.col_before if line_in_s == 1 else colno

    def drop(self, pos: int) -> int:
        """Drop the text before ``pos`` (when there is much); the new ``pos``."""
        if pos < self.keep:
            return pos
        self.line(pos)                          # newlines counted up to pos
        dropped = self._lines - self.s.count("\n", pos, self._counted)
        if dropped:
            self.col_before = pos - 1 - self.s.rfind("\n", 0, pos)
        else:
            self.col_before += pos
        self.lines_before += dropped
        self._lines -= dropped
        self._counted -= pos
        self.s = self.s[pos:]
        return 0


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


def _report(findings: hostile.Findings, ctx: ReadContext, line: int | None,
            item: str | None = None) -> None:
    for code, message in findings.messages():
        ctx.report.warning(code, message, file=ctx.file, line=line, item=item)
    findings.clear()


def _read_whole(s: str, pos: int, ctx: ReadContext) -> Iterator[Reference]:
    findings = hostile.Findings()
    try:
        value, _ = hostile.json_decoder(findings).raw_decode(s, pos)
        value = hostile.clean(value, findings)
    except json.JSONDecodeError as exc:
        ctx.report.error("csl.json-syntax", f"invalid JSON: {exc.msg} (column {exc.colno})",
                         file=ctx.file, line=exc.lineno)
        return
    except (RecursionError, hostile.TooDeep):
        ctx.report.error("csl.too-deep", f"the JSON nests deeper than {hostile.MAX_DEPTH} "
                         "levels; nothing is read", file=ctx.file, line=1)
        return
    _report(findings, ctx, 1)
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        value = value["items"]
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        ref = item_to_reference(item, ctx, None, "csl-json", i)
        if ref is not None:
            yield ref


def _value_end(s: str, pos: int) -> int | None:
    """Where the JSON value starting at ``pos`` ends (brackets and strings matched, nothing
    parsed), or None when the text stops before it does."""
    depth = 0
    i = pos
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == '"':
            m = _STRING_END.search(s, i + 1)
            if m is None:
                return None
            i = m.end()
            if depth == 0:
                return i
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth <= 0:
                return i + 1
        elif depth == 0 and ch in ",":
            return i
        i += 1
    return None


_STRING_END = lazy_re(r'(?:[^"\\]|\\.)*"', re.S)
_RESYNC = lazy_re(r"\}\s*,\s*(?=\{)")


def _read_array(buf: _Buffer, pos: int, ctx: ReadContext) -> Iterator[Reference]:
    """The items of an array whose ``[`` ends before ``pos``."""
    findings = hostile.Findings()
    decoder = hostile.json_decoder(findings)
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
            if findings or not hostile.depth_at_most(s, pos, end) or \
                    hostile.may_hold_surrogates(s, pos, end):
                item = hostile.clean(item, findings)
        except json.JSONDecodeError as exc:
            if buf.more():
                continue            # the item may go on in the text still to come
            line = buf.lines_before + exc.lineno
            ctx.report.error("csl.json-syntax",
                             f"invalid JSON in item {index + 1}: {exc.msg} (column "
                             f"{buf.column(exc.lineno, exc.colno)})", file=ctx.file, line=line)
            nxt = _RESYNC.search(s, exc.pos)
            if nxt is None:
                return
            pos = nxt.end()
            index += 1
            continue
        except (RecursionError, hostile.TooDeep):
            findings.clear()
            end_at = _value_end(s, pos)
            while end_at is None and buf.more():
                s = buf.s
                end_at = _value_end(s, pos)
            ctx.report.error("csl.too-deep", f"item {index + 1} nests deeper than "
                             f"{hostile.MAX_DEPTH} levels; it is not read", file=ctx.file,
                             line=buf.line(pos))
            if end_at is None:
                return
            end = end_at
            item = None
        if item is not None:
            line = buf.line(pos)
            _report(findings, ctx, line)
            ref = item_to_reference(item, ctx, line, "csl-json", index)
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
    """Read CSL-YAML: a list of items, or a document (pandoc front matter) with ``references``.

    Aliases that would expand past a bound (an alias bomb), nesting past
    :data:`~transcite.readers.hostile.MAX_DEPTH`, and values JSON has no type for are
    problems, not hangs or crashes (see :mod:`transcite.readers.hostile`)."""
    import yaml

    findings = hostile.Findings()
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[misc]
        pass

    def construct_mapping(loader: Any, node: Any) -> dict[str, Any]:
        mapping = loader.construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping  # type: ignore[no-any-return]

    def construct_int(loader: Any, node: Any) -> int | str:
        text = str(loader.construct_scalar(node))
        if sum(ch.isdigit() for ch in text) > hostile.MAX_DIGITS:
            findings.numbers.append(text)
            return text
        return int(yaml.SafeLoader.construct_yaml_int(loader, node))

    def construct_float(loader: Any, node: Any) -> float | str:
        text = str(loader.construct_scalar(node))
        value = float(yaml.SafeLoader.construct_yaml_float(loader, node))
        if value != value or value in (float("inf"), float("-inf")):
            findings.constants.append(text)
            return text
        return value

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    _Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    _Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    body = text.lstrip("\ufeff")
    try:
        docs = [d for d in hostile.yaml_documents(body, _Loader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        ctx.report.error("csl.yaml-syntax", f"invalid YAML: {problem}", file=ctx.file,
                         line=mark.line + 1 if mark is not None else None)
        return
    except hostile.TooLarge as exc:
        ctx.report.error("csl.yaml-aliases", f"YAML refused: {exc}; nothing is read",
                         file=ctx.file)
        return
    except (hostile.TooDeep, RecursionError):
        ctx.report.error("csl.too-deep", f"the YAML nests deeper than {hostile.MAX_DEPTH} "
                         "levels; nothing is read", file=ctx.file)
        return
    except ValueError as exc:       # a value the loader's own constructors refuse
        ctx.report.error("csl.yaml-syntax", f"invalid YAML: {exc}", file=ctx.file)
        return
    _report(findings, ctx, None)
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
        line = item.get("__line__") if isinstance(item, dict) else None
        try:
            item = hostile.clean(item, findings, drop="__line__")
            if isinstance(item, dict):
                item = _strip_lines(item)   # strings read as pandoc reads them (Markdown)
        except hostile.TooDeep:
            ctx.report.error("csl.too-deep", f"item {i + 1} nests deeper than "
                             f"{hostile.MAX_DEPTH} levels; it is not read", file=ctx.file,
                             line=line)
            continue
        _report(findings, ctx, line)
        ref = item_to_reference(item, ctx, line if isinstance(line, int) else None,
                                "csl-yaml", i)
        if ref is not None:
            yield ref


def _strip_lines(value: Any) -> Any:
    """The item (a tree, nested at most hostile.MAX_DEPTH) without the reader's line marks,
    its strings read as pandoc reads them:
    Markdown (``*italic*``, ``H~2~O``, ``\\*``) becomes CSL text (see writers.markdown)."""
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    if isinstance(value, str):
        return from_markdown(value)
    return value
