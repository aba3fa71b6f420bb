"""A fast BibTeX splitter for well-formed files, giving what bibtexparser v2 gives.

bibtexparser's splitter walks the text one delimiter at a time through Python method calls;
on a 10,000-entry file that is most of the reading time. :func:`split_entries` splits the same
text with a few regular expressions and string searches and returns plain tuples: the same
entry types, keys, field keys and values, line numbers and raw text that bibtexparser's
``parse_string`` gives after its default middlewares (string references resolved - there are
none here - and enclosing braces or quotes removed).

It knows only the common subset: ``@type{key, field = value, ...}`` entries, with implicit
comments between them (as :class:`RawBlock`, when asked for). Anything else - ``@string``,
``@preamble``, ``@comment``, blocks in parentheses, a block start (``@word{``) inside an entry,
a field key repeated in an entry, any syntax error, a backslash at the end of a line, a value
that runs into the next field (a missing comma) - makes it return ``None``, and the caller lets
bibtexparser read the file, so every problem is reported exactly as bibtexparser reports it.
"""

from __future__ import annotations

from typing import NamedTuple

from ..lazy import lazy_re

__all__ = ["RawBlock", "RawEntry", "RawField", "missing_comma", "regions", "split_entries",
           "strip_enclosing"]

#: A block start, as bibtexparser finds it (``@type`` before ``{`` or ``(``).
_START = lazy_re(r"@[\w]*( |\t)*(?=[{(])")
#: The delimiters bibtexparser's splitter stops at (not escaped by a backslash), newlines
#: left out: lines are counted with ``str.count``.
_MARK = lazy_re(r"(?<!\\)[\{\}\",=]|@[\w]*( |\t)*(?=[{(])")
#: The common field: ``key = {text without braces, backslashes or @}`` then ``,`` or ``}``.
_SIMPLE_FIELD = lazy_re(r"([^{}\",=@\\]*)=[ \t\r\n]*\{([^{}@\\]*)\}[ \t\r\n]*([,}])")
_BRACES = lazy_re(r"(?<!\\)[{}]")
_BRACES_AND_QUOTE = lazy_re(r"(?<!\\)[{}\"]")


class RawField(NamedTuple):
    """A field as read: its key as written, its value without enclosing, its 0-based line."""

    key: str
    value: str
    start_line: int


class RawEntry(NamedTuple):
    """An entry as read: lower-case type, key, fields, 0-based line of the ``@``, raw text."""

    entry_type: str
    key: str
    fields: list[RawField]
    start_line: int
    raw: str


class RawBlock(NamedTuple):
    """Text outside the entries, kept as written: a comment between entries, ``@preamble``,
    ``@string``, ``@comment`` or a block that could not be read. ``before`` is the number of
    entries read before it; ``start_line`` its 0-based line."""

    before: int
    raw: str
    start_line: int


#: A field key after a value that did not end with a comma: ``} title =``.
_NEXT_KEY = lazy_re(r"(?<=[}\"\w])[ \t]*\r?\n\s*([A-Za-z][\w:.+-]*)[ \t]*=|"
                    r"(?<=[}\"])[ \t]*([A-Za-z][\w:.+-]*)[ \t]*=")


def missing_comma(value: str) -> int | None:
    """Where the next field starts in a field value that is not one braced or quoted group:
    ``{Roe, R.}\\n  title = {T}`` has lost the comma after ``{Roe, R.}``. None when no field
    key follows a complete value outside braces and quotes."""
    if "=" not in value:
        return None
    for m in _NEXT_KEY.finditer(value):
        depth = 0
        quoted = False
        escaped = False
        for ch in value[:m.start()]:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth = max(depth - 1, 0)
            elif ch == '"' and depth == 0:
                quoted = not quoted
        if depth == 0 and not quoted:
            return m.start()
    return None


def _enclosed_in_braces(value: str) -> bool:
    inner = value[1:-1]
    if "{" not in inner and "}" not in inner:
        return not inner.endswith("\\")
    depth = 0
    last = len(value) - 1
    for m in _BRACES.finditer(value):
        if m.group() == "{":
            depth += 1
            continue
        depth -= 1
        if depth < 0 or (depth == 0 and m.start() != last):
            return False
    return depth == 0


def _enclosed_in_quotes(value: str) -> bool:
    last = len(value) - 1
    if value.find('"', 1, last) < 0:
        return True
    depth = 0
    for m in _BRACES_AND_QUOTE.finditer(value):
        index = m.start()
        if index == 0 or index == last:
            continue
        char = m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return False
    return True


def strip_enclosing(value: str) -> str:
    """A field value without the braces or quotes that enclose all of it (as bibtexparser's
    ``RemoveEnclosingMiddleware``): ``{A} # {B}`` keeps its braces, ``{A {B}}`` loses one pair."""
    value = value.strip()
    if len(value) >= 2:
        if value[0] == "{" and value[-1] == "}" and _enclosed_in_braces(value):
            return value[1:-1]
        if value[0] == '"' and value[-1] == '"' and _enclosed_in_quotes(value):
            return value[1:-1]
    return value


def _value_end(bib: str, start: int) -> tuple[int, int] | None:
    """bibtexparser's scan for the end of a field value from ``start``: the position of the
    ``,`` or ``}`` that ends it, and that mark's end; None where bibtexparser would abort or a
    block start appears."""
    depth = 0
    quoted = False
    pos = start
    search = _MARK.search
    while True:
        m = search(bib, pos)
        if m is None:
            return None
        c = m.group(0)
        pos = m.end()
        if c == '"' and depth == 0:
            i = m.start()
            if quoted and i + 2 < len(bib) and bib[i - 1] == "{" and bib[i + 1] == "}":
                continue                        # {"}: a literal quote inside quotes
            quoted = not quoted
        elif c == "{":
            if not quoted:
                depth += 1
        elif c == "}":
            if quoted:
                continue
            if depth:
                depth -= 1
            else:
                return m.start(), pos
        elif c == ",":
            if not quoted and not depth:
                return m.start(), pos
        elif c[0] == "@":
            return None
        # "=" and delimiters inside braces or quotes are part of the value


def regions(text: str, parts: int) -> list[tuple[int, int]]:
    """``text`` cut into about ``parts`` regions of similar size, each (after the first)
    starting at a block start (``@type{``) at the start of a line. Splitting each region with
    :func:`split_entries` (with its first line) gives the entries of the whole text: no block
    start matched in the whole text crosses a cut, and none starts inside a region's last
    entry unless that entry is broken (then that region's split gives up, as the whole
    text's would)."""
    cuts = [0]
    for k in range(1, parts):
        m = _LINE_START.search(text, max(cuts[-1] + 1, len(text) * k // parts))
        if m is None:
            break
        cuts.append(m.start() + 1)
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


_LINE_START = lazy_re(r"\n(?=@[\w]*[ \t]*[{(])")


def split_entries(text: str, first_line: int = 0, blocks: list[RawBlock] | None = None
                  ) -> list[RawEntry] | None:
    """The entries of a BibTeX text, or None when the text needs bibtexparser (see the module
    docstring). ``first_line`` is the (0-based) line the text starts on in its file. Implicit
    comments between entries are appended to ``blocks`` when it is given, as bibtexparser
    gives them (stripped)."""
    if "\\\n" in text:
        return None         # bibtexparser does not count an escaped newline as a line
    bib = "\n" + text       # as bibtexparser: a block may start on the first line
    entries: list[RawEntry] = []
    line = first_line - 1   # bibtexparser's 0-based line: newlines before a position, minus 1
    line_pos = 0
    pos = 0
    start_search = _START.search
    mark_search = _MARK.search
    simple = _SIMPLE_FIELD.match
    count = bib.count
    found: list[RawBlock] = []
    while True:
        m = start_search(bib, pos)
        if blocks is not None:
            between = bib[pos:m.start() if m is not None else len(bib)]
            if between.strip():
                lead = len(between) - len(between.lstrip())
                at = line + count("\n", line_pos, pos + lead)
                found.append(RawBlock(len(entries), between.strip(), at))
        if m is None:
            if blocks is not None:
                blocks.extend(found)
            return entries
        kind = m.group(0).lower()
        if kind.startswith(("@comment", "@preamble", "@string")) or bib[m.end()] != "{":
            return None
        line += count("\n", line_pos, m.start())
        line_pos = m.start()
        entry_line = line
        km = mark_search(bib, m.end() + 1)
        if km is None or km.group(0) not in ",}":
            return None
        key = bib[m.end() + 1:km.start()].strip()
        fields: list[RawField] = []
        end = km.end()
        if km.group(0) == ",":
            seen: set[str] = set()
            key_start = km.end()
            while True:
                f = simple(bib, key_start)
                if f is not None:
                    eq = f.end(1)
                    fkey = f.group(1).strip()
                    value = f.group(2)
                    close = f.group(3)
                    after = f.end()
                else:
                    em = mark_search(bib, key_start)
                    if em is None:
                        return None
                    c = em.group(0)
                    if c == "}":
                        if bib[key_start:em.start()].strip():
                            return None         # a key with no "=": bibtexparser aborts
                        end = em.end()
                        break
                    if c != "=":
                        return None
                    eq = em.start()
                    fkey = bib[key_start:eq].strip()
                    end_at = _value_end(bib, em.end())
                    if end_at is None:
                        return None
                    raw_value = bib[em.end():end_at[0]]
                    value = strip_enclosing(raw_value)
                    if value == raw_value.strip() and missing_comma(value) is not None:
                        return None
                    close = bib[end_at[0]]
                    after = end_at[1]
                if fkey in seen:
                    return None                 # bibtexparser: a DuplicateFieldKeyBlock
                seen.add(fkey)
                line += count("\n", line_pos, eq)
                line_pos = eq
                fields.append(RawField(fkey, value, line))
                if close == ",":
                    key_start = after
                else:
                    end = after
                    break
        entries.append(RawEntry(kind[1:].strip(), key, fields, entry_line, bib[m.start():end]))
        pos = end
