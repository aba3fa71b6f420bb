"""Small helpers over Pandoc's JSON AST: constructors, ``stringify``, metadata to Python values,
and the API-version check.

The AST is handled as plain JSON (dicts and lists, exactly as ``pandoc -t json`` writes it), so
the filter needs no Pandoc library and its core stays a pure function over JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "SUPPORTED_API",
    "Attr",
    "BadAST",
    "UnsupportedAPI",
    "attr",
    "check_api_version",
    "check_shape",
    "cite_ids",
    "div",
    "header",
    "inline",
    "iter_elements",
    "link",
    "meta_bool",
    "meta_value",
    "para",
    "space",
    "span",
    "str_",
    "stringify",
    "text_inlines",
]

#: The ``pandoc-api-version`` major.minor this filter understands: pandoc-types 1.23, which every
#: Pandoc 3.x release writes (3.0 ... 3.9 at the time of writing).
SUPPORTED_API: tuple[int, int] = (1, 23)

Attr = list[Any]
"""A Pandoc ``Attr``: ``[identifier, [classes], [[key, value], ...]]``."""


class UnsupportedAPI(ValueError):
    """The document's ``pandoc-api-version`` is not one this filter understands."""


def check_api_version(doc: dict[str, Any]) -> tuple[int, ...]:
    """Return the document's API version; raise :class:`UnsupportedAPI` unless it is 1.23.x."""
    raw = doc.get("pandoc-api-version") if isinstance(doc, dict) else None
    if not isinstance(raw, list) or not raw or not all(isinstance(x, int) for x in raw):
        raise UnsupportedAPI("the input is not a Pandoc JSON document (no pandoc-api-version); "
                             "run the filter through pandoc: pandoc paper.md --filter "
                             "pandoc-transcite -o paper.docx")
    version = tuple(raw)
    if version[:2] != SUPPORTED_API:
        shown = ".".join(str(x) for x in version)
        era = "Pandoc 2.x or older" if version[:2] < SUPPORTED_API else "a newer Pandoc"
        raise UnsupportedAPI(
            f"pandoc-api-version {shown} ({era}) is not supported: pandoc-transcite reads the "
            f"JSON AST of Pandoc 3.x (pandoc-api-version "
            f"{SUPPORTED_API[0]}.{SUPPORTED_API[1]}.*)")
    return version


#: How deep a document may nest, counting each element and each list (Pandoc's own documents
#: stay far below; the filter walks them recursively).
MAX_DEPTH = 200


class BadAST(ValueError):
    """The document is valid JSON but not the Pandoc AST the filter reads; the message says
    where (``blocks[3].c[1]``) and what was expected."""


_INLINES = "inlines"
_BLOCKS = "blocks"
_ANY_LIST = "list"
_TEXT = "text"
_ATTR = "attr"
_META = "meta"
_TARGET = "target"
_CITATIONS = "citations"
_INT = "int"
_BOOL = "bool"
_TAGGED = "tagged"
_ANY = "any"

#: The shape of ``c`` for the elements the filter looks into (None: no ``c``). Elements not
#: listed are passed through untouched, whatever they hold.
_SHAPES: dict[str, Any] = {
    "Str": _TEXT, "MetaString": _TEXT, "Space": None, "SoftBreak": None, "LineBreak": None,
    "Emph": _INLINES, "Strong": _INLINES, "Underline": _INLINES, "Strikeout": _INLINES,
    "Superscript": _INLINES, "Subscript": _INLINES, "SmallCaps": _INLINES,
    "Quoted": [_TAGGED, _INLINES], "Cite": [_CITATIONS, _INLINES], "Code": [_ATTR, _TEXT],
    "Math": [_TAGGED, _TEXT], "RawInline": [_ANY, _TEXT], "Link": [_ATTR, _INLINES, _TARGET],
    "Image": [_ATTR, _INLINES, _TARGET], "Note": _BLOCKS, "Span": [_ATTR, _INLINES],
    "Plain": _INLINES, "Para": _INLINES, "Header": [_INT, _ATTR, _INLINES],
    "Div": [_ATTR, _BLOCKS], "BlockQuote": _BLOCKS, "CodeBlock": [_ATTR, _TEXT],
    "RawBlock": [_ANY, _TEXT], "MetaMap": _META, "MetaList": _ANY_LIST,
    "MetaBool": _BOOL, "MetaInlines": _INLINES, "MetaBlocks": _BLOCKS,
}


def check_shape(doc: Any) -> None:
    """Raise :class:`BadAST` unless ``doc`` has the shape the filter reads: ``meta`` an object
    of metadata values, ``blocks`` a list of elements, and every element the filter looks into
    (citations, divs, spans, links, headers, quotes, metadata...) built as Pandoc builds it.
    Nesting deeper than :data:`MAX_DEPTH` is refused too."""
    if not isinstance(doc, dict):
        raise BadAST("the document is not a JSON object")
    meta = doc.get("meta", {})
    if not isinstance(meta, dict):
        raise BadAST("meta: expected an object of metadata values")
    if not isinstance(doc.get("blocks"), list):
        raise BadAST("blocks: expected a list of blocks")
    stack: list[tuple[Any, str, str, int]] = [(doc["blocks"], _BLOCKS, "blocks", 1)]
    stack.extend((value, _ELEMENT, f"meta.{key}", 1) for key, value in meta.items())
    while stack:
        node, kind, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadAST(f"{where}: nested more than {MAX_DEPTH} levels deep")
        stack.extend(_check(node, kind, where, depth))


_ELEMENT = "element"


def _check(node: Any, kind: str, where: str, depth: int) -> list[tuple[Any, str, str, int]]:
    """Check one node against its expected kind; the children still to check."""
    more: list[tuple[Any, str, str, int]] = []
    if kind in (_INLINES, _BLOCKS, _ANY_LIST):
        if not isinstance(node, list):
            raise BadAST(f"{where}: expected a list")
        more.extend((x, _ELEMENT, f"{where}[{n}]", depth + 1) for n, x in enumerate(node))
    elif kind == _ELEMENT:
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise BadAST(f"{where}: expected an element (an object with a text \"t\")")
        shape = _SHAPES.get(node["t"], _ANY)
        if shape is None or shape == _ANY:
            return more
        if "c" not in node:
            raise BadAST(f"{where}: a {node['t']} without its content (\"c\")")
        content = node["c"]
        if isinstance(shape, list):
            if not isinstance(content, list) or len(content) != len(shape):
                raise BadAST(f"{where}.c: a {node['t']} holds a list of {len(shape)}")
            more.extend((x, k, f"{where}.c[{n}]", depth + 1)
                        for n, (x, k) in enumerate(zip(content, shape)))
        else:
            more.append((content, shape, f"{where}.c", depth + 1))
    elif kind == _TEXT:
        if not isinstance(node, str):
            raise BadAST(f"{where}: expected text")
    elif kind == _INT:
        if not isinstance(node, int) or isinstance(node, bool):
            raise BadAST(f"{where}: expected a whole number")
    elif kind == _BOOL:
        if not isinstance(node, bool):
            raise BadAST(f"{where}: expected true or false")
    elif kind == _TAGGED:
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise BadAST(f"{where}: expected an object with a text \"t\"")
    elif kind == _ATTR:
        if not (isinstance(node, list) and len(node) == 3 and isinstance(node[0], str)
                and isinstance(node[1], list) and all(isinstance(c, str) for c in node[1])
                and isinstance(node[2], list) and all(
                    isinstance(kv, list) and len(kv) == 2 and all(isinstance(x, str) for x in kv)
                    for kv in node[2])):
            raise BadAST(f"{where}: expected attributes [id, [classes], [[key, value]...]]")
    elif kind == _TARGET:
        if not (isinstance(node, list) and len(node) == 2 and all(isinstance(x, str)
                                                                   for x in node)):
            raise BadAST(f"{where}: expected a link target [url, title]")
    elif kind == _META:
        if not isinstance(node, dict):
            raise BadAST(f"{where}: expected an object of metadata values")
        more.extend((v, _ELEMENT, f"{where}.{k}", depth + 1) for k, v in node.items())
    elif kind == _CITATIONS:
        if not isinstance(node, list):
            raise BadAST(f"{where}: expected a list of citations")
        for n, cit in enumerate(node):
            at = f"{where}[{n}]"
            if not isinstance(cit, dict) or not isinstance(cit.get("citationId"), str):
                raise BadAST(f"{at}: expected a citation with a text citationId")
            mode = cit.get("citationMode", {"t": "NormalCitation"})
            if not isinstance(mode, dict) or not isinstance(mode.get("t"), str):
                raise BadAST(f"{at}.citationMode: expected an object with a text \"t\"")
            for key in ("citationPrefix", "citationSuffix"):
                if cit.get(key) is not None:
                    more.append((cit[key], _INLINES, f"{at}.{key}", depth + 1))
    return more


def attr(ident: str = "", classes: list[str] | None = None,
         pairs: list[tuple[str, str]] | None = None) -> Attr:
    """A Pandoc ``Attr`` value."""
    return [ident, list(classes or []), [[k, v] for k, v in (pairs or [])]]


def inline(tag: str, content: Any = None) -> dict[str, Any]:
    """An AST element ``{"t": tag, "c": content}`` (no ``c`` when content is None)."""
    return {"t": tag} if content is None else {"t": tag, "c": content}


def str_(text: str) -> dict[str, Any]:
    """A ``Str`` inline."""
    return {"t": "Str", "c": text}


def space() -> dict[str, Any]:
    """A ``Space`` inline."""
    return {"t": "Space"}


def span(inlines: list[dict[str, Any]], a: Attr | None = None) -> dict[str, Any]:
    """A ``Span`` inline."""
    return {"t": "Span", "c": [a or attr(), inlines]}


def link(inlines: list[dict[str, Any]], target: str, title: str = "",
         a: Attr | None = None) -> dict[str, Any]:
    """A ``Link`` inline."""
    return {"t": "Link", "c": [a or attr(), inlines, [target, title]]}


def para(inlines: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``Para`` block."""
    return {"t": "Para", "c": inlines}


def div(blocks: list[dict[str, Any]], a: Attr | None = None) -> dict[str, Any]:
    """A ``Div`` block."""
    return {"t": "Div", "c": [a or attr(), blocks]}


def header(level: int, inlines: list[dict[str, Any]], a: Attr | None = None) -> dict[str, Any]:
    """A ``Header`` block."""
    return {"t": "Header", "c": [level, a or attr(), inlines]}


def text_inlines(text: str) -> list[dict[str, Any]]:
    """Plain text as ``Str``/``Space`` inlines (ordinary spaces split words; NBSP does not)."""
    out: list[dict[str, Any]] = []
    word = ""
    for ch in text:
        if ch in " \t\r\n":
            if word:
                out.append(str_(word))
                word = ""
            if not out or out[-1]["t"] != "Space":
                out.append(space())
        else:
            word += ch
    if word:
        out.append(str_(word))
    return out


_SPACES = {"Space": " ", "SoftBreak": " ", "LineBreak": " "}
_QUOTES = {"SingleQuote": ("‘", "’"), "DoubleQuote": ("“", "”")}


def stringify(node: Any) -> str:
    """The plain text of an inline, block, list of them, or metadata value."""
    if isinstance(node, list):
        if node and all(isinstance(x, dict) and x.get("t") in _BLOCKISH for x in node):
            return "\n\n".join(stringify(x) for x in node)
        return "".join(stringify(x) for x in node)
    if not isinstance(node, dict):
        return "" if node is None else str(node)
    tag = node.get("t")
    c: Any = node.get("c")
    if tag in ("Str", "MetaString"):
        return str(c)
    if tag in _SPACES:
        return _SPACES[tag]
    if tag in ("Code", "Math"):
        return str(c[1])
    if tag == "Quoted":
        left, right = _QUOTES.get(c[0]["t"], ("“", "”"))
        return left + stringify(c[1]) + right
    if tag in ("Link", "Image", "Span", "Cite", "Div"):
        return stringify(c[1])
    if tag == "MetaBool":
        return "true" if c else "false"
    if tag in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
               "SmallCaps", "Plain", "Para", "MetaInlines", "MetaBlocks", "MetaList"):
        return stringify(c)
    if tag == "Header":
        return stringify(c[2])
    return ""  # notes, raw output, maps and anything without text


_BLOCKISH = frozenset({"Para", "Plain", "Header", "Div", "BlockQuote", "CodeBlock", "RawBlock"})


def meta_value(node: Any) -> Any:
    """A metadata value as plain Python: maps to dicts, lists to lists, booleans to bools and
    inlines or blocks to their text."""
    if not isinstance(node, dict):
        return node
    tag = node.get("t")
    c: Any = node.get("c")
    if tag == "MetaMap":
        return {str(k): meta_value(v) for k, v in c.items()}
    if tag == "MetaList":
        return [meta_value(v) for v in c]
    if tag == "MetaBool":
        return bool(c)
    return stringify(node).strip()


def meta_bool(node: Any, default: bool) -> bool:
    """A metadata flag: ``true``/``false`` as a boolean or text; ``default`` when absent."""
    if node is None:
        return default
    value = meta_value(node)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    return default


def iter_elements(node: Any, tag: str) -> Iterator[dict[str, Any]]:
    """Every element with ``t == tag`` under ``node``, in document order (depth first)."""
    if isinstance(node, dict):
        if node.get("t") == tag:
            yield node
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from iter_elements(value, tag)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, (list, dict)):
                yield from iter_elements(value, tag)


def cite_ids(node: Any) -> list[str]:
    """The citation ids of every ``Cite`` under ``node`` (for ``nocite``)."""
    return [str(c["citationId"]) for cite in iter_elements(node, "Cite") for c in cite["c"][0]]
