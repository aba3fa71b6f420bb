"""CSL element classes for lxml: citeproc-py's model classes, extended to compile themselves.

Parsing a style gives the familiar citeproc-py tree (``root.citation``, ``root.bibliography``,
the same classes by tag name, through an lxml element-class lookup), except that every element
also has ``compile(compiler, context)``, which returns a :mod:`~.nodes` node with terms, options
and formatting resolved once. Rendering never touches the XML again: no XPath lookup of macros
by name, no re-scanning of which variables a group calls.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from citeproc import model as cm
from lxml import etree

from .conditions import condition_of
from .dates import DateNode, date_parts_of
from .fmt import NO_FMT, Fmt
from .locale import CSL_NS
from .names import EtAlSpec, LabelSpec, NamesNode, NameSpec
from .nodes import (
    EMPTY,
    Empty,
    Env,
    Node,
    NumberNode,
    Seq,
    TextConst,
    TextMacro,
    TextVar,
    seq,
)
from .nodes import Choose as ChooseNode
from .nodes import Group as GroupNode
from .nodes import Label as LabelNode
from .nodes import Layout as LayoutNode

__all__ = ["CC", "Compiler", "parse_style"]

NAME_OPTIONS = ("and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min",
                "et-al-use-first", "et-al-use-last", "et-al-subsequent-min",
                "et-al-subsequent-use-first", "initialize", "initialize-with",
                "name-as-sort-order", "sort-separator", "name-form", "name-delimiter",
                "names-delimiter")


@dataclass(frozen=True)
class CC:
    """Compile context: the section and the name options inherited from above."""

    section: str
    options: tuple[tuple[str, str], ...] = ()
    sort_names: tuple[int | None, int | None, bool | None] | None = None
    delim: str = ""     # the enclosing group's delimiter (``<choose>`` branches use it)
    parent: Any = None  # inside <substitute>: the <names> whose options shorthand names take

    def opt(self, name: str, default: Any = None) -> Any:
        """An inherited option."""
        for k, v in self.options:
            if k == name:
                return v
        return default


class Compiler:
    """Compiles a parsed style once; macros are compiled once per context and shared."""

    def __init__(self, root: Any, env: Env) -> None:
        self.root = root
        self.env = env
        self.macros = {m.get("name"): m for m in root.iterchildren(f"{{{CSL_NS}}}macro")}
        self._compiled: dict[tuple[str, CC], Node] = {}
        self._busy: set[tuple[str, CC]] = set()

    def macro(self, name: str, cc: CC) -> Node:
        """The compiled macro for a context (a missing or recursive macro renders nothing)."""
        cc = replace(cc, delim="", parent=None)
        key = (name, cc)
        node = self._compiled.get(key)
        if node is not None:
            return node
        el = self.macros.get(name)
        if el is None or key in self._busy:
            return EMPTY
        self._busy.add(key)
        node = seq(self.kids(el, cc))
        self._busy.discard(key)
        self._compiled[key] = node
        return node

    def kids(self, el: Any, cc: CC) -> list[Node]:
        """Compile the element children of ``el``."""
        out = []
        for child in el:
            compile_ = getattr(child, "compile", None)
            if compile_ is None:
                continue
            node = compile_(self, cc)
            if node is not None:
                out.append(node)
        return out

    def section_cc(self, section: str, el: Any) -> CC:
        """The context for ``<citation>``/``<bibliography>`` (style and section options)."""
        opts: dict[str, str] = {}
        for src in (self.root, el):
            if src is None:
                continue
            for k in NAME_OPTIONS:
                v = src.get(k)
                if v is not None:
                    opts[k] = v
        return CC(section, tuple(sorted(opts.items())))


def _int(v: Any, default: int | None = None) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


# --- element classes ---------------------------------------------------------------------------

class Text(cm.Text):  # type: ignore[misc]
    """``<text>``."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        fmt = Fmt.of(self)
        var = self.get("variable")
        if var is not None:
            return TextVar(var, self.get("form") == "short", fmt)
        macro = self.get("macro")
        if macro is not None:
            body = c.macro(macro, cc)
            return TextMacro(body, fmt) if not isinstance(body, Empty) else None
        term = self.get("term")
        if term is not None:
            text = c.env.locale.term(term, self.get("form", "long"),
                                     self.get("plural") == "true")
            return TextConst(text or "", fmt, term=True, english=c.env.english)
        value = self.get("value")
        if value is not None:
            return TextConst(value, fmt, rich=True)
        return None


class Number(cm.Number):  # type: ignore[misc]
    """``<number>``."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        var = self.get("variable")
        return NumberNode(var, self.get("form", "numeric"),
                          Fmt.of(self, strip_periods=False)) if var else None


class Label(cm.Label):  # type: ignore[misc]
    """``<label>`` (outside names; inside names it is read by :class:`Names`)."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        var = self.get("variable")
        if not var:
            return None
        return LabelNode(var, self.get("form", "long"), self.get("plural", "contextual"),
                         Fmt.of(self), c.env)


class Group(cm.Group):  # type: ignore[misc]
    """``<group>``."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        delimiter = self.get("delimiter", "")
        kids = [k for k in c.kids(self, replace(cc, delim=delimiter)) if not isinstance(k, Empty)]
        return GroupNode(kids, delimiter, Fmt.of(self, text_case=False)) if kids else None


class Choose(cm.Choose):  # type: ignore[misc]
    """``<choose>``."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        branches = []
        for child in self:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            body = seq(c.kids(child, cc), cc.delim)
            if local == "else":
                branches.append((None, body))
            elif local in ("if", "else-if"):
                branches.append((condition_of(child), body))
        return ChooseNode(branches)


class Date(cm.Date):  # type: ignore[misc]
    """``<date>``."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        var = self.get("variable")
        if not var:
            return None
        form = self.get("form")
        if form:
            loc_el = c.env.locale.dates.get(form)
            if loc_el is None:
                return None
            overrides = {p.get("name"): dict(p.attrib) for p in self
                         if isinstance(p.tag, str) and p.tag.endswith("date-part")}
            parts = date_parts_of(loc_el, overrides)
            show = self.get("date-parts", "year-month-day")
            keep = {"year-month-day": {"year", "month", "day"}, "year-month": {"year", "month"},
                    "year": {"year"}}.get(show, {"year", "month", "day"})
            parts = [p for p in parts if p.name in keep]
            return DateNode(var, parts, loc_el.get("delimiter", ""), Fmt.of(self, quotes=False))
        return DateNode(var, date_parts_of(self), self.get("delimiter", ""), Fmt.of(self))


class Names(cm.Names):  # type: ignore[misc]
    """``<names>``."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        vars_ = (self.get("variable") or "").split()
        name_el = etal_el = label_el = sub_el = None
        label_before = False
        for child in self:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local == "name":
                name_el = child
            elif local == "et-al":
                etal_el = child
            elif local == "label":
                label_el = child
                label_before = name_el is None
            elif local == "substitute":
                sub_el = child
        if name_el is None:
            label_before = False
        parent = cc.parent
        cc = replace(cc, delim="", parent=None)
        shorthand = parent is not None and name_el is None and etal_el is None and \
            label_el is None
        if shorthand:
            spec, et_al, label = parent.name, parent.et_al, parent.label
        else:
            spec = _name_spec(name_el, cc, c.env)
            et_al = _et_al(etal_el, c)
            label = None
            if label_el is not None:
                label = LabelSpec(label_el.get("form", "long"),
                                  label_el.get("plural", "contextual"), Fmt.of(label_el),
                                  label_before)
        delimiter = self.get("delimiter", cc.opt("names-delimiter", ""))
        # a shorthand substitute prints as the <names> it stands in for: that element's
        # affixes and formatting, not its own (citeproc-js)
        fmt = NO_FMT if shorthand else Fmt.of(self, text_case=False)
        node = NamesNode(vars_, spec, et_al, label, [], delimiter, fmt)
        if sub_el is not None:
            node.substitute.extend(c.kids(sub_el, replace(cc, parent=node)))
        return node


def _et_al(el: Any, c: Compiler) -> EtAlSpec:
    term = el.get("term", "et-al") if el is not None else "et-al"
    text = c.env.locale.term(term) or ""
    return EtAlSpec(text, Fmt.of(el) if el is not None else NO_FMT)


def _name_spec(el: Any, cc: CC, env: Env) -> NameSpec:
    def opt(attr: str, inherited: str | None = None) -> Any:
        if el is not None and el.get(attr) is not None:
            return el.get(attr)
        return cc.opt(inherited or attr)

    and_ = opt("and")
    and_text = None
    if and_ == "text":
        and_text = env.locale.term("and") or "and"
    elif and_ == "symbol":
        and_text = "&"
    family = given = NO_FMT
    if el is not None:
        for part in el:
            if isinstance(part.tag, str) and part.tag.endswith("name-part"):
                if part.get("name") == "family":
                    family = Fmt.of(part)
                elif part.get("name") == "given":
                    given = Fmt.of(part)
    et_min = _int(opt("et-al-min"), 0) or 0
    et_first = _int(opt("et-al-use-first"))
    sub_min = _int(opt("et-al-subsequent-min"))
    sub_first = _int(opt("et-al-subsequent-use-first"))
    use_last = opt("et-al-use-last") == "true"
    if cc.sort_names is not None:
        s_min, s_first, s_last = cc.sort_names
        if s_min is not None:
            et_min = s_min
        if s_first is not None:
            et_first = s_first
        if s_last is not None:
            use_last = s_last
    form = opt("form", "name-form") or "long"
    init_with = opt("initialize-with")
    spec = NameSpec(
        env, and_text, opt("delimiter", "name-delimiter") or ", ",
        opt("delimiter-precedes-last") or "contextual",
        opt("delimiter-precedes-et-al") or "contextual", et_min, et_first, sub_min, sub_first,
        use_last, form, opt("initialize") != "false", init_with, opt("name-as-sort-order"),
        opt("sort-separator") if opt("sort-separator") is not None else ", ",
        Fmt.of(el) if el is not None else NO_FMT, family, given)
    return spec


class Layout(cm.Layout):  # type: ignore[misc]
    """``<layout>``: compiled by the processor (affixes stay inside the formatting)."""

    def compile(self, c: Compiler, cc: CC) -> Node | None:
        fmt = Fmt.of(self, affixes_inside=True)
        return LayoutNode(Seq(c.kids(self, replace(cc, delim=""))), fmt,
                          self.get("delimiter", ""))


_CLASSES: dict[str, type] = {
    "text": Text, "number": Number, "label": Label, "group": Group, "choose": Choose,
    "date": Date, "names": Names, "layout": Layout,
}


def _lookup() -> etree.ElementNamespaceClassLookup:
    lookup = etree.ElementNamespaceClassLookup()
    ns = lookup.get_namespace(CSL_NS)
    ns[None] = cm.CitationStylesElement
    for cls in cm.CitationStylesElement.__subclasses__():
        ns[cls.__name__.replace("_", "-").lower()] = cls
    ns.update(_CLASSES)
    return lookup


def parse_style(source: Any) -> Any:
    """Parse CSL (a path, file object or bytes) into the element tree (root ``<style>``)."""
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True,
                             remove_blank_text=False)
    parser.set_element_class_lookup(_lookup())
    if isinstance(source, (bytes, bytearray)):
        return etree.fromstring(bytes(source), parser)
    return etree.parse(source, parser).getroot()

