"""Compiled rendering elements: text, number, label, group, choose, layout.

Every node is built once per style (and per context: citation, bibliography, sort key), with
terms, options and formatting resolved; ``render(ctx)`` only looks at the item. Group
suppression follows CSL: a group whose descendants call variables, all of them empty, renders
nothing; :class:`Ctx` counts variables called and found for that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .fmt import NO_FMT, Fmt
from .item import Item
from .locale import Locale
from .native import register
from .numbers import format_number, format_page_range, is_numeric, is_plural, normalise_number
from .rich import Piece, R, join_concat, parse_rich, plain

__all__ = ["Choose", "Cite", "Ctx", "Env", "Group", "Label", "Layout", "Node", "NumberNode",
           "State", "TextConst", "TextMacro", "TextVar", "children"]

def children(node: Any) -> list[Any]:
    """The nodes directly under ``node``: its body, kids and macro, and the bodies of a
    choose's branches (for walks over a compiled style)."""
    kids: list[Any] = []
    for attr in ("body", "kids", "macro"):
        v = getattr(node, attr, None)
        if isinstance(v, list):
            kids.extend(v)
        elif v is not None:
            kids.append(v)
    for _, body in getattr(node, "branches", []):
        kids.append(body)
    return kids


# cite positions, ordered as CSL's tests imply: ibid-with-locator is also ibid and subsequent
FIRST, SUBSEQUENT, IBID, IBID_WITH_LOCATOR = 0, 1, 2, 3


@mypyc_attr(allow_interpreted_subclasses=True)
class Env:
    """What the whole style fixes: locale and global options."""

    __slots__ = ("locale", "page_range_format", "demote", "init_hyphen", "lang", "range_delim",
                 "output", "implicit_ys", "english", "initials_only", "particle_space",
                 "name_levels", "name_levels_primary", "name_register")

    def __init__(self, locale: Locale, root: Any) -> None:
        self.locale = locale
        self.page_range_format = root.get("page-range-format")
        self.demote = root.get("demote-non-dropping-particle", "display-and-sort")
        self.init_hyphen = root.get("initialize-with-hyphen", "true") == "true"
        self.lang = locale.lang
        self.range_delim = locale.term("page-range-delimiter") or "\u2013"
        self.output = "html"
        self.implicit_ys = True
        self.english = locale.lang[:2].lower() == "en"   # terms are in the locale's language
        # a "-with-initials" given-name rule: names told apart by initials only, which
        # come without periods when the name has no initialize-with (citeproc-js)
        self.initials_only = False
        # global given-name rules: how much of each person's given name shows, by
        # (family, given) - set for a run by the disambiguation (first names only: primary)
        self.name_levels: dict[tuple[str, str], int] | None = None
        self.name_levels_primary = False
        self.name_register: Any = None      # the register behind them (bibliography)
        # French, Russian and Czech styles bind a name's particles to it with a no-break
        # space ("de\u00a0Vries"), as citeproc-js does
        self.particle_space = "\u00a0" if locale.lang[:2].lower() in ("fr", "ru", "cs") \
            else " "


@mypyc_attr(allow_interpreted_subclasses=True)
class Cite:
    """A cite's own data: locator, label, position, note numbers."""

    __slots__ = ("locator", "label", "position", "near_note", "first_note", "note",
                 "prefix", "suffix", "suppress_author", "author_only")

    def __init__(self, locator: str = "", label: str = "page", position: int = FIRST,
                 near_note: bool = False, first_note: int = 0, note: int = 0,
                 prefix: str = "", suffix: str = "", suppress_author: bool = False,
                 author_only: bool = False) -> None:
        self.locator = locator
        self.label = label or "page"
        self.position = position
        self.near_note = near_note
        self.first_note = first_note
        self.note = note
        self.prefix = prefix
        self.suffix = suffix
        self.suppress_author = suppress_author
        self.author_only = author_only


NO_CITE = Cite()


@mypyc_attr(allow_interpreted_subclasses=True)
class State:
    """Per-item disambiguation state and numbering."""

    __slots__ = ("names", "given", "year_suffix", "disambiguate", "number", "levels")

    def __init__(self) -> None:
        self.levels: dict[tuple[str, str], int] | None = None   # a bibliography entry's
        self.names: dict[str, int] = {}     # names shown per variable (added names)
        self.given: dict[tuple[str, int], int] = {}
        self.year_suffix = ""
        self.disambiguate = False
        self.number = 0


@mypyc_attr(allow_interpreted_subclasses=True)
class Ctx:
    """The rendering context of one cite or entry."""

    __slots__ = ("item", "env", "cite", "state", "mode", "called", "found", "suppressed",
                 "english", "sorting", "hide_names", "names_done", "log", "ys_pending", "sas",
                 "sas_key", "names_seen", "ambiguity", "names_tried", "names_only")

    def __init__(self, item: Item, env: Env, mode: str, cite: Cite = NO_CITE,
                 state: State | None = None, sorting: bool = False) -> None:
        self.item = item
        self.env = env
        self.cite = cite
        self.state = state or State()
        self.mode = mode
        self.called = 0
        self.found = 0
        self.suppressed: set[str] = set()
        lang = item.lang or env.lang
        self.english = lang[:2].lower() == "en" or not lang
        self.sorting = sorting
        self.hide_names = cite.suppress_author
        self.names_done = False
        self.log: list[str] | None = None
        self.ys_pending = bool(self.state.year_suffix) and env.implicit_ys
        self.sas: tuple[str, str, Any] | None = None    # subsequent-author-substitute
        self.sas_key: Any = None
        self.names_seen: list[Any] | None = None    # name lists met (disambiguation)
        # a cite rendered to judge ambiguity: name lists cut as later cites cut them
        # (et-al-subsequent-*), as citeproc-js judges them
        self.ambiguity = False
        self.names_tried = 0        # <names> elements evaluated (cite grouping)
        # only the name lists met are wanted (names_seen): names are not formatted
        self.names_only = False


@mypyc_attr(allow_interpreted_subclasses=True)
class Node:
    """A compiled element."""

    __slots__ = ()

    def render(self, ctx: Ctx) -> Piece | None:  # pragma: no cover - abstract
        """The element's output for the item in ``ctx``."""
        raise NotImplementedError


_NUMBER_VARS = frozenset({"volume", "issue", "number", "chapter-number", "collection-number",
                          "number-of-volumes", "part-number", "supplement-number",
                          "printing-number", "section", "edition", "number-of-pages"})
_SUBSECTION_NUM = lazy_re(r"\d[A-Za-z]+-[A-Za-z]+(?![\w])")
_TRIGRAPH = ((4,), (2, 2), (2, 1, 1), (1, 1, 1, 1))


def trigraph(item: Item) -> str:
    """A generated citation label: "Aalt02", "RoNo78", "DoRS99", "ABCD01"."""
    names = item.names.get("author") or item.names.get("editor") or []
    if not names:
        return ""
    widths = _TRIGRAPH[min(len(names), 4) - 1]
    label = "".join((n.family or n.literal)[:w] for n, w in zip(names, widths))
    date = item.dates.get("issued")
    if date is not None and date.parts and date.parts[0][0]:
        label += f"{date.parts[0][0] % 100:02d}"
    return label


def _value(ctx: Ctx, var: str, short: bool) -> Piece:
    """The rich value of a text variable, with the special variables of CSL."""
    item = ctx.item
    if var in ctx.suppressed:
        return ""
    if var == "locator":
        loc = ctx.cite.locator.strip()
        if "&" in loc:
            loc = loc.replace("&", ctx.env.locale.term("and", "symbol") or "&")
        if loc and ctx.cite.label == "page":
            return format_page_range(loc, ctx.env.page_range_format, ctx.env.range_delim)
        if loc:
            return format_page_range(loc, None, ctx.env.range_delim)
        return loc
    if var == "page":
        v = own_number(ctx, "page")
        return format_page_range(v, ctx.env.page_range_format, ctx.env.range_delim) if v else ""
    if var == "citation-number":
        return str(ctx.state.number) if ctx.state.number else ""
    if var == "citation-label":
        label = item.get("citation-label") or trigraph(item)
        if label and ctx.ys_pending and not ctx.sorting:
            ctx.ys_pending = False
            return R(None, [label, R(None, [ctx.state.year_suffix], "year-suffix")])
        return label
    if var in _NUMBER_VARS:
        v = own_number(ctx, var)
        if "-" in v or "&" in v or "\u2013" in v:
            n = normalise_number(v, ctx.env.range_delim)
            if n != v:
                return n
        # not a number range: the value with its own markup and quotation marks
        return item.rich(var, short) if v == item.get(var) else v
    if var == "year-suffix":
        return ctx.state.year_suffix
    if var == "first-reference-note-number":
        return str(ctx.cite.first_note) if ctx.cite.first_note and ctx.mode == "citation" \
            else ""
    if var == "URL" and short:
        return _short_url(item.get("URL") or "")
    return item.rich(var, short)


_URL_PATH = lazy_re(r"(.*\.[^/]+)/.*")


def _short_url(url: str) -> str:
    """The short form of a URL, as citeproc-js prints it: the address up to its last path
    segment with a dot in it (the site: "https://example.org/915" -> "https://example.org"),
    without the scheme when the host starts with "www."."""
    url = _URL_PATH.sub(r"\1", url, count=1)
    if "//www." in url:
        url = re.sub(r"https?://", "", url, count=1)
    return url


_OWN_TERM = {"page": "page", "volume": "volume", "issue": "issue", "chapter-number": "chapter",
             "section": "section", "number-of-pages": "page", "number-of-volumes": "volume",
             "supplement-number": "supplement", "part-number": "part"}


def own_number(ctx: Ctx, var: str) -> str:
    """A number variable without the label its value may start with ("p. 10" -> "10" for
    ``page``), as citeproc-js reads it: the style prints its own label."""
    v = ctx.item.get(var)
    term = _OWN_TERM.get(var)
    if v and term is not None and not v[0].isdigit():
        name, rest = ctx.env.locale.label_prefix(v)
        if name == term:
            return rest
    return v


@mypyc_attr(allow_interpreted_subclasses=True)
class TextVar(Node):
    """``<text variable=...>``."""

    __slots__ = ("var", "short", "fmt", "tag")

    def __init__(self, var: str, short: bool, fmt: Fmt) -> None:
        self.var = var
        self.short = short
        self.fmt = fmt
        self.tag = {"year-suffix": "year-suffix", "citation-number": "citation-number",
                    "locator": "locator"}.get(var)

    def render(self, ctx: Ctx) -> Piece | None:
        v = _value(ctx, self.var, self.short)
        if not v:
            if self.var != "year-suffix":   # the processor's own variable: no group effect
                ctx.called += 1
            return None
        ctx.called += 1
        out = self.fmt.apply(v, ctx.english, self.tag)
        if out is not None:
            ctx.found += 1
            if ctx.log is not None:
                ctx.log.append(self.var)
        return out


@mypyc_attr(allow_interpreted_subclasses=True)
class TextConst(Node):
    """A term or a literal ``value``, formatted once (text-case may depend on language)."""

    __slots__ = ("fmt", "text", "done", "done_other", "term", "done_term")

    def __init__(self, text: str, fmt: Fmt, rich: bool = False, term: bool = False,
                 english: bool = True) -> None:
        self.text = text
        self.fmt = fmt
        self.term = term
        value = parse_rich(text) if rich else text
        tag = "term" if term and not fmt.text_case else None   # (a case of its own: kept)
        self.done = fmt.apply(value, True, tag) if text else None
        self.done_other = fmt.apply(value, False, tag) if text else None
        # a term is in the locale's language, whatever the item's: its text-case follows that
        self.done_term = self.done if english else self.done_other

    def render(self, ctx: Ctx) -> Piece | None:
        if self.term:
            return self.done_term
        return self.done if ctx.english else self.done_other


@mypyc_attr(allow_interpreted_subclasses=True)
class TextMacro(Node):
    """``<text macro=...>``: the macro's output, formatted."""

    __slots__ = ("macro", "fmt")

    def __init__(self, macro: Node, fmt: Fmt) -> None:
        self.macro = macro
        self.fmt = fmt

    def render(self, ctx: Ctx) -> Piece | None:
        called, found = ctx.called, ctx.found
        p = self.macro.render(ctx)
        if p is None or (ctx.called > called and ctx.found == found):
            return None
        ctx.found += 1      # output of its own: the enclosing group is not empty (citeproc-js)
        return self.fmt.apply(p, ctx.english)


@mypyc_attr(allow_interpreted_subclasses=True)
class Empty(Node):
    """An element that renders nothing and calls no variable (an empty macro or branch)."""

    __slots__ = ()

    def render(self, ctx: Ctx) -> Piece | None:
        return None


EMPTY = Empty()


def seq(kids: list[Node], delimiter: str = "") -> Node:
    """The children as one node: nothing, the only child, or a :class:`Seq`."""
    kids = [k for k in kids if not isinstance(k, Empty)]
    if not kids:
        return EMPTY
    if len(kids) == 1:
        return kids[0]
    return Seq(kids, delimiter)


@mypyc_attr(allow_interpreted_subclasses=True)
class Seq(Node):
    """Children rendered one after another (a macro's or branch's body); a ``<choose>``
    branch inside a group joins its children with the group's delimiter."""

    __slots__ = ("kids", "delimiter")

    def __init__(self, kids: list[Node], delimiter: str = "") -> None:
        self.kids = kids
        self.delimiter = delimiter

    def render(self, ctx: Ctx) -> Piece | None:
        out = []
        for k in self.kids:
            p = k.render(ctx)
            if p is not None:
                out.append(p)
        if not out:
            return None
        if len(out) == 1:
            return out[0]
        return join_concat(out, self.delimiter)


@mypyc_attr(allow_interpreted_subclasses=True)
class NumberNode(Node):
    """``<number variable=... form=...>``."""

    __slots__ = ("var", "form", "fmt")

    def __init__(self, var: str, form: str, fmt: Fmt) -> None:
        self.var = var
        self.form = form
        self.fmt = fmt

    def render(self, ctx: Ctx) -> Piece | None:
        ctx.called += 1
        if self.var in _NUMBER_VARS:
            v: Piece = own_number(ctx, self.var) if self.var not in ctx.suppressed else ""
        else:
            v = _value(ctx, self.var, False)
        if not v:
            return None
        text = plain(v) if not isinstance(v, str) else v
        if "\\-" in text or _SUBSECTION_NUM.search(text):     # "1\\-3", "12a-c": as written
            v = text.replace("\\-", "-")
        elif is_numeric(text):
            info = ctx.env.locale.term_info(self.var)
            gender = info.gender if info is not None else None
            v = format_number(text, self.form, ctx.env.locale, gender, ctx.env.range_delim)
        out = self.fmt.apply(v, ctx.english)
        if out is not None:
            ctx.found += 1
            if ctx.log is not None:
                ctx.log.append(self.var)
        return out


_LABEL_TERM = {"number-of-pages": "page", "number-of-volumes": "volume"}


@mypyc_attr(allow_interpreted_subclasses=True)
class Label(Node):
    """``<label variable=...>`` outside names: the term for the variable, its plural chosen
    by the value (``contextual``), ``always`` or ``never``."""

    __slots__ = ("var", "form", "plural", "fmt", "env")

    def __init__(self, var: str, form: str, plural: str, fmt: Fmt, env: Env) -> None:
        self.var = var
        self.form = form
        self.plural = plural
        self.fmt = fmt
        self.env = env

    def render(self, ctx: Ctx) -> Piece | None:
        var = self.var
        if var == "locator":
            value = ctx.cite.locator
            term = ctx.cite.label
        elif var in ("first-reference-note-number", "citation-number"):
            value = plain(_value(ctx, var, False))
            term = var
        else:
            value = own_number(ctx, var) if var not in ctx.suppressed else ""
            term = _LABEL_TERM.get(var, var)
        if not value:
            return None
        if self.plural == "always":
            many = True
        elif self.plural == "never":
            many = False
        elif var in ("number-of-pages", "number-of-volumes"):
            digits = "".join(c for c in value if c.isdigit())
            many = bool(digits) and int(digits) > 1
        else:
            many = is_plural(value)
        text = ctx.env.locale.term(term, self.form, many)
        if text is None and var == "locator":      # "sub verbo" is the term "sub-verbo"
            alt = term.replace(" ", "-") if " " in term else term.replace("-", " ")
            text = ctx.env.locale.term(alt, self.form, many)
        if not text:
            return None
        return self.fmt.apply(text, ctx.env.english)


@mypyc_attr(allow_interpreted_subclasses=True)
class Group(Node):
    """``<group>``: children joined by the delimiter; suppressed when it calls variables and
    all of them are empty."""

    __slots__ = ("kids", "delimiter", "fmt")

    def __init__(self, kids: list[Node], delimiter: str, fmt: Fmt) -> None:
        self.kids = kids
        self.delimiter = delimiter
        self.fmt = fmt

    def render(self, ctx: Ctx) -> Piece | None:
        called, found = ctx.called, ctx.found
        out = []
        for k in self.kids:
            p = k.render(ctx)
            if p is not None:
                out.append(p)
        if not out or (ctx.called > called and ctx.found == found):
            return None
        ctx.found += 1      # a group that prints counts as a variable printed for its parent
        body: Piece = out[0] if len(out) == 1 else join_concat(out, self.delimiter)
        return self.fmt.apply(body, ctx.english)


Test = Callable[[Ctx], bool]


@mypyc_attr(allow_interpreted_subclasses=True)
class Choose(Node):
    """``<choose>``: the first branch whose condition holds."""

    __slots__ = ("branches",)

    def __init__(self, branches: Sequence[tuple[Test | None, Node]]) -> None:
        self.branches = branches

    def render(self, ctx: Ctx) -> Piece | None:
        for test, body in self.branches:
            if test is None or test(ctx):
                return body.render(ctx) if body is not EMPTY else None
        return None


@mypyc_attr(allow_interpreted_subclasses=True)
class Layout(Node):
    """``<layout>``: the entry's or cite's body, with affixes inside its formatting."""

    __slots__ = ("body", "fmt", "delimiter")

    def __init__(self, body: Node, fmt: Fmt, delimiter: str) -> None:
        self.body = body
        self.fmt = fmt
        self.delimiter = delimiter

    def render(self, ctx: Ctx) -> Piece | None:
        return self.body.render(ctx)


def empty_fmt() -> Fmt:
    """The empty formatting."""
    return NO_FMT


register(globals())    # pickling when compiled (see .native)
