"""``<names>`` and ``<name>``: name lists with et-al, "and", inversion, initials, particles,
labels, substitution and the disambiguation state (added names and given names)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .fmt import NO_FMT, Fmt
from .item import Name
from .native import register
from .nodes import SUBSEQUENT, Ctx, Env, Node
from .rich import Piece, R, concat, find_tag, fix_punct, join_concat, last_char, parse_rich, plain

__all__ = ["EtAlSpec", "LabelSpec", "NameSpec", "NamesNode", "initialize", "is_et_al_marker",
           "person_keys"]


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class NameSpec:
    """A compiled ``<name>`` with the options it inherits."""

    env: Env
    and_: str | None = None
    delimiter: str = ", "
    dp_last: str = "contextual"
    dp_et_al: str = "contextual"
    et_al_min: int = 0
    et_al_use_first: int | None = None
    sub_min: int | None = None
    sub_use_first: int | None = None
    use_last: bool = False
    form: str = "long"
    initialize: bool = True
    initialize_with: str | None = None
    sort_order: str | None = None
    sort_sep: str = ", "
    fmt: Fmt = NO_FMT
    family: Fmt = NO_FMT
    given: Fmt = NO_FMT


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class EtAlSpec:
    """``<et-al>``: the term (already looked up) and its formatting."""

    text: str
    fmt: Fmt = NO_FMT


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(slots=True)
class LabelSpec:
    """``<label>`` inside ``<names>``."""

    form: str
    plural: str
    fmt: Fmt
    before: bool


_HYPHENS = lazy_re(r"[-\u2010]")
_SPACED_HYPHEN = lazy_re(r"\s*[-\u2010]\s*")
_PERIOD_LETTER = lazy_re(r"\.(?=[^\W\d_])")


@lru_cache(maxsize=65536)
def initialize(given: str, with_: str, hyphen: bool, all_words: bool = True) -> str:
    """Initials of given names: ``John Lee`` -> ``J. L.``; ``Jean-Paul`` -> ``J.-P.``.
    With ``all_words`` false only existing initials are normalised (``initialize="false"``).
    A part after a hyphen that starts in lower case belongs to the name before it
    (``Guo-ping`` -> ``G.``); words in lower case (``van``, ``d'Arcy``) and in brackets
    (``(Jack)``) are kept as written."""
    out = ""
    given = _PERIOD_LETTER.sub(". ", _SPACED_HYPHEN.sub("-", given))    # "д.т.н." -> "д. т. н."
    for word in given.split():
        if word[0].islower() or word[0] in "([{":
            out = _sep(out) + word + " "
            continue
        for k, piece in enumerate(_HYPHENS.split(word)):
            if not piece:
                continue
            if k and "a" <= piece[0] <= "z":      # "Guo-ping": one name (Latin, as js)
                if not all_words:
                    out = out.rstrip() + "-" + piece + " "
                continue
            if k and hyphen and out:
                out = out.rstrip() + "-"
            for w, abbreviated in _parts(piece):
                if abbreviated:
                    out += w + with_          # "Ph." stays "Ph", "ME." stays "ME"
                elif len(w) == 1 or all_words:
                    out += w[0] + with_
                else:
                    out = _sep(out) + w + " "
    return out.strip() if with_.strip() != with_ or not all_words else out


def _sep(out: str) -> str:
    """``out`` ready for a whole word after it: a space unless it ends in one or a hyphen."""
    return out + " " if out and not out[-1].isspace() and out[-1] != "-" else out


def _parts(token: str) -> list[tuple[str, bool]]:
    """A given-name token split at periods: (text, followed by a period)."""
    out = []
    pieces = token.split(".")
    for n, w in enumerate(pieces):
        if w:
            out.append((w, n < len(pieces) - 1))
    return out


_LETTER_START = lazy_re("^[&a-zA-Z\u00c0-\u017f\u0218-\u021b\u0370-\u03ff\u0400-\u052f"
                        "\u0590-\u05ff\u0600-\u06ff\u0e01-\u0e5b\u1f00-\u1fff]")


def _etal_gap(term: str) -> str:
    """The space before an et-al term that takes no delimiter: none when the term starts
    with something other than a letter ("等", "[и др.]", or a space of its own), as
    citeproc-js joins it."""
    return " " if _LETTER_START.match(term) else ""


def person_keys(n: Name) -> tuple[str, str, str]:
    """A name's keys in the register of people (global given-name rules): family name,
    initials, given name (periods and spacing ignored: "J.R." and "J. R." are one)."""
    skey = " ".join(n.given.replace(".", " ").split())
    return (n.non_dropping + " " + n.family if n.non_dropping else n.family,
            initialize(skey, "", True), skey)


def _whole_name(n: Name) -> tuple[str, ...]:
    """A person's whole name, not initialised (subsequent-author-substitute compares these:
    ``{"family": "Beijing Zoo"}`` and ``{"literal": "Beijing Zoo"}`` are one)."""
    family = " ".join(x for x in (n.dropping, n.non_dropping, n.family or n.literal) if x)
    return (family, n.given, n.suffix)


def is_et_al_marker(name: Name) -> bool:
    """True for transcite's et-al marker: a literal name ``others`` ending a name list."""
    return name.literal == "others" and not name.family and not name.given


def _markup(text: str) -> Piece:
    """Name text with CSL-JSON markup (<i>, <sup>...) parsed; plain text as is."""
    return parse_rich(text) if "<" in text else text


def _spaced(parts: Sequence[Piece | None], space: str = " ") -> list[Piece]:
    """Name parts with spaces between them, except after an apostrophe, a hyphen or a
    part that already ends in (non-breaking) space."""
    out: list[Piece] = []
    for p in parts:
        if p is None or p == "":
            continue
        if out:
            c = last_char(out[-1])
            if c and not c.isspace() and c not in "'\u2019-":
                out.append(space)
        out.append(p)
    return out


def _affixed(fmt: Fmt, group: Sequence[Piece | None], english: bool) -> Piece:
    """A group of name parts inside a name-part's affixes."""
    kept = [p for p in group if p is not None and p != ""]
    if not kept:
        return ""
    body: Piece = kept[0] if len(kept) == 1 else R(None, kept)
    if not (fmt.prefix or fmt.suffix):
        return body
    return Fmt(fmt.prefix, fmt.suffix).apply(body, english) or ""


def _space_join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    if a[-1] in "'\u2019- ":
        return a + b
    return f"{a} {b}"


def _candidates(nodes: list[Node], ctx: Ctx) -> list[Node]:
    """The substitutes to try in turn: a ``<choose>`` among them offers the children of its
    chosen branch one by one (as citeproc-js does: the first that renders wins)."""
    from .nodes import EMPTY, Choose, Seq

    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Choose):
            for test, body in node.branches:
                if test is None or test(ctx):
                    if body is not EMPTY:
                        out.extend(_candidates(body.kids if isinstance(body, Seq) else [body],
                                               ctx))
                    break
        else:
            out.append(node)
    return out


@mypyc_attr(allow_interpreted_subclasses=True)
class NamesNode(Node):
    """A compiled ``<names>`` element."""

    __slots__ = ("vars", "name", "et_al", "label", "substitute", "delimiter", "fmt")

    def __init__(self, vars_: list[str], name: NameSpec, et_al: EtAlSpec | None,
                 label: LabelSpec | None, substitute: list[Node], delimiter: str,
                 fmt: Fmt) -> None:
        self.vars = vars_
        self.name = name
        self.et_al = et_al
        self.label = label
        self.substitute = substitute
        self.delimiter = delimiter
        self.fmt = fmt

    # -- the element ---------------------------------------------------------------------------
    def render(self, ctx: Ctx) -> Piece | None:
        ctx.called += 1
        ctx.names_tried += 1
        out = self._render_vars(ctx)
        only_terms = False
        if out is None and self.substitute:
            out, by, only_terms = self._substitute(ctx)
            if out is None:
                return None
            if find_tag(out, "names-list") is None:   # text standing in for the names
                # compared as a name printed so (citeproc-js compares what prints: a title
                # "IAEA" standing for the author and the organisation "IAEA" are the same)
                key = ((plain(out), "", ""),)
                if ctx.sas is not None and ctx.sas_key is None:
                    ctx.sas_key = key
                    if ctx.sas[2] == key:
                        out = ctx.sas[0]
                out = R(None, [out], ("names-list", key))
            # the substitute stands in place of this element (CSL 1.0.2): a <names> one takes
            # this element's affixes and formatting, any other element keeps only its own
            # (citeproc-js)
            out = (self.fmt if isinstance(by, NamesNode) else NO_FMT).apply(out, ctx.english,
                                                                           "names")
        if out is None:
            return None
        if ctx.hide_names and not ctx.names_done:
            ctx.names_done = True
            ctx.found += 1
            if not only_terms:      # suppress-author hides the author's variables; a term
                return None         # standing in for them ("anon.") prints (citeproc-js)
        ctx.found += 1
        if ctx.sas is not None and ctx.sas[0] == "" and not plain(out):
            return None             # replaced by an empty substitute: nothing, no delimiter
        return out

    def _substitute(self, ctx: Ctx) -> tuple[Piece | None, Node | None, bool]:
        hide = ctx.hide_names        # suppress-author hides this element's output, whole
        ctx.hide_names = False
        try:
            return self._substitute_first(ctx)
        finally:
            ctx.hide_names = hide

    def _substitute_first(self, ctx: Ctx) -> tuple[Piece | None, Node | None, bool]:
        """The first substitute's output that is not empty, the node that gave it, and
        whether it printed no variable (terms and values only)."""
        for node in _candidates(self.substitute, ctx):
            called, found = ctx.called, ctx.found
            log: list[str] = []
            saved = ctx.log
            ctx.log = log
            try:
                p = node.render(ctx)
            finally:
                ctx.log = saved
            if p is not None:
                ctx.suppressed.update(log)
                if saved is not None:
                    saved.extend(log)
                return p, node, not log
            ctx.called, ctx.found = called, found
        return None, None, False

    def _render_vars(self, ctx: Ctx) -> Piece | None:
        item = ctx.item
        lists: list[tuple[str, list[Name]]] = []
        for var in self.vars:
            if var in ctx.suppressed:
                continue
            ns = item.names.get(var)
            if ns:
                lists.append((var, ns))
        if not lists:
            return None
        if ctx.names_seen is not None:
            for v, ns in lists:
                count = len(ns) - (1 if is_et_al_marker(ns[-1]) else 0)
                ctx.names_seen.append((v, ns, self.name, count, self._shown(count, ctx, v)[0]))
        if len(lists) > 1 and {v for v, _ in lists} >= {"editor", "translator"} and (
                self.label is None or ctx.env.locale.term("editortranslator", self.label.form)):
            ed = dict(lists)
            if [n.key() for n in ed["editor"]] == [n.key() for n in ed["translator"]]:
                lists = [(v, ns) if v != "editor" else ("editortranslator", ns)
                         for v, ns in lists if v != "translator"]
        if self.name.form == "count":
            total = sum(self._shown(len(ns), ctx, v)[0] for v, ns in lists)
            return self.fmt.apply(str(total), ctx.english) if total else None
        pieces = []
        for var, ns in lists:
            p = self._stand_in(var, ns, ctx) if ctx.names_only else \
                self.render_list(var, ns, ctx)
            if p is not None:
                pieces.append(p)
        if not pieces:
            return None
        if ctx.log is not None:     # inside a substitute: these names are used up at once
            used = [v if v != "editortranslator" else "editor" for v, _ in lists]
            if any(v == "editortranslator" for v, _ in lists):
                used.append("translator")
            ctx.log.extend(used)
            ctx.suppressed.update(used)
        body = pieces[0] if len(pieces) == 1 else join_concat(pieces, self.delimiter)
        return self.fmt.apply(body, ctx.english, "names")

    # -- one variable --------------------------------------------------------------------------
    def _stand_in(self, var: str, ns: list[Name], ctx: Ctx) -> Piece | None:
        """What stands for a list whose names only are asked for (``Ctx.names_only``): None
        where :meth:`render_list` gives None (no name shown), else a placeholder - the
        elements around it take the same paths, the names are not formatted."""
        if is_et_al_marker(ns[-1]):
            ns = ns[:-1]
            if not ns:
                return None
        return "\u2026" if self._shown(len(ns), ctx, var)[0] else None

    def render_list(self, var: str, ns: list[Name], ctx: Ctx) -> Piece | None:
        """One variable's names, with et-al and label. A list that ends with transcite's
        et-al marker (a name ``{"literal": "others"}``: the source wrote "и др.", "et al."
        or BibTeX "and others") prints the style's et-al term after the names it shows."""
        spec = self.name
        marked = is_et_al_marker(ns[-1])
        if marked:
            ns = ns[:-1]
            if not ns:
                return None
        count = len(ns)
        shown, truncated = self._shown(count, ctx, var)
        if not shown:
            return None
        if ctx.sorting:
            keys = [plain(self.one(n, i, var, ctx)) for i, n in enumerate(ns[:shown])]
            if truncated and spec.use_last and count >= shown + 2:
                keys.append(plain(self.one(ns[-1], count - 1, var, ctx)))
            return "; ".join(keys)
        # the name's formatting and affixes go on each name ("[SMITH] and [DOE]", delimiters
        # and "and" as the text has them), as citeproc-js does; with "et al." its font covers
        # the whole list, "et al." included
        with_et_al = truncated and not (spec.use_last and count >= shown + 2) and \
            self.et_al is not None and bool(self.et_al.text)
        font = Fmt(spec.fmt.prefix, spec.fmt.suffix) if with_et_al else spec.fmt
        names: list[Piece] = [self.one(n, i, var, ctx) for i, n in enumerate(ns[:shown])]
        if not font.plain:
            names = [font.apply(p, ctx.english) or "" for p in names]
        inverted = [self._inverted(n, i) for i, n in enumerate(ns[:shown])]
        cut = truncated or marked
        shown_keys = tuple(n.key() for n in ns[:shown]) + (("et-al",) if cut else ())
        whole = None
        if ctx.sas is not None and ctx.sas_key is None:
            # subsequent-author-substitute compares the people shown, "et al." aside, by
            # their whole names (citeproc-js): "Doe, J., et al." follows "Doe, J." as
            # "———, et al." when both are John Doe, not when the first is Jane Doe
            printed = tuple(_whole_name(n) for n in ns[:shown])
            ctx.sas_key = printed
            whole = self._subsequent(names, printed, ctx.sas)
        delim = spec.delimiter
        parts: list[Piece] = [names[0]]
        tail: list[Piece] = []
        if truncated:
            for p in names[1:]:
                parts.extend([delim, p])
            if spec.use_last and count >= shown + 2:
                last = self.one(ns[-1], count - 1, var, ctx)
                parts.extend([delim, "\u2026 ", font.apply(last, ctx.english) or ""])
            elif self.et_al is not None and self.et_al.text:
                rule = spec.dp_et_al
                use = (rule == "always" or (rule == "contextual" and shown >= 2) or
                       (rule == "after-inverted-name" and inverted[-1]))
                tail.append(delim if use else _etal_gap(self.et_al.text))
                tail.append(self.et_al.fmt.apply(self.et_al.text, ctx.env.english) or "")
        elif marked:        # cut short by the source: no "and" before the last name shown
            for p in names[1:]:
                parts.extend([delim, p])
            tail = self._marker_tail(len(names), inverted[-1], ctx)
        elif len(names) > 1:
            for p in names[1:-1]:
                parts.extend([delim, p])
            if spec.and_:
                rule = spec.dp_last
                use = (rule == "always" or (rule == "contextual" and len(names) >= 3) or
                       (rule == "after-inverted-name" and inverted[-2]))
                parts.extend([delim if use else " ", spec.and_ + " ", names[-1]])
            else:
                parts.extend([delim, names[-1]])
        if whole is not None:
            tail = []               # complete-all: the whole list replaced, "et al." with it
        while len(parts) > 2 and parts[0] == "" and parts[1] == delim:
            parts = parts[2:]       # names substituted by nothing take no delimiter
        listed = R(None, [whole] if whole is not None else fix_punct(parts),
                   ("names-list", shown_keys, var))
        parts = [listed, *tail]
        body = spec.fmt.without_affixes().apply(concat(parts), ctx.english) if with_et_al \
            else concat(parts)
        if body is None:
            return None
        if self.label is not None:
            lab = self._label(var, count, ctx)
            if lab is not None:
                body = concat([lab, body] if self.label.before else [body, lab])
        return body

    def _marker_tail(self, shown: int, inverted: bool, ctx: Ctx) -> list[Piece]:
        """The et-al term after a list the source itself cut short (the et-al marker)."""
        spec = self.name
        if self.et_al is not None:
            text, fmt = self.et_al.text, self.et_al.fmt
        else:
            text, fmt = ctx.env.locale.term("et-al") or "", NO_FMT
        if not text:
            return []
        rule = spec.dp_et_al
        use = (rule == "always" or (rule == "contextual" and shown >= 2) or
               (rule == "after-inverted-name" and inverted))
        return [spec.delimiter if use else _etal_gap(text), fmt.apply(text, ctx.env.english) or ""]

    @staticmethod
    def _subsequent(names: list[Piece], keys: tuple[Any, ...],
                    sas: tuple[str, str, Any]) -> str | None:
        """``subsequent-author-substitute`` against the previous entry's names: the whole
        list replaced (returned), or matching names replaced in ``names`` in place."""
        text, rule, prev = sas
        if prev is None:
            return None
        if rule == "complete-all":
            return text if keys == prev else None
        if rule == "complete-each":
            count = len(names) if keys == prev else 0
        else:
            count = 0
            while count < min(len(names), len(prev)) and keys[count] == prev[count]:
                count += 1
            if rule == "partial-first":
                count = min(count, 1)
        for n in range(count):
            names[n] = text
        return None

    def _shown(self, count: int, ctx: Ctx, var: str = "") -> tuple[int, bool]:
        """How many of ``count`` names show, and whether the list is cut (et-al); names
        added by disambiguation count (``State.names``, per variable)."""
        spec = self.name
        et_min, first = spec.et_al_min, spec.et_al_use_first
        if (ctx.cite.position >= SUBSEQUENT or ctx.ambiguity) and ctx.mode == "citation":
            if spec.sub_min is not None:
                et_min = spec.sub_min
            if spec.sub_use_first is not None:
                first = spec.sub_use_first
        if first is None or not et_min or count < et_min:
            return count, False
        if first == 0:
            return 0, False
        if first < count:
            added = ctx.state.names.get(var) if ctx.state.names else None
            shown = min(count, max(first, added) if added is not None else first)
            return shown, shown < count
        return count, False

    def _label(self, var: str, count: int, ctx: Ctx) -> Piece | None:
        lab = self.label
        assert lab is not None
        many = lab.plural == "always" or (lab.plural == "contextual" and count > 1)
        text = ctx.env.locale.term(var, lab.form, many)
        if not text:
            return None
        qualifiers = ctx.item.qualifiers
        if qualifiers and var in qualifiers:    # "под общ. ред." (see .roles)
            from .roles import qualified
            text = qualified(text, qualifiers[var], ctx.env.locale.lang)
        return lab.fmt.apply(text, ctx.env.english)

    def _inverted(self, n: Name, i: int, sorting: bool = False) -> bool:
        order = "all" if sorting else self.name.sort_order
        return (order == "all" or (order == "first" and i == 0)) and not n.literal \
            and n.romanesque and (self.name.form != "short" or sorting)   # keys: family first

    # -- one name ------------------------------------------------------------------------------
    def one(self, n: Name, i: int, var: str, ctx: Ctx) -> Piece:
        """A single name. Font and case formatting of ``<name-part>`` apply to each part
        (given and dropping particle: "given"; non-dropping particle and family: "family");
        its affixes enclose the part's group (family with the particles before it and, not
        inverted, the suffix; given with demoted particles when inverted)."""
        spec = self.name
        eng = ctx.english
        key = ("name", n.key())
        fam_f, giv_f = spec.family.without_affixes(), spec.given.without_affixes()
        if n.literal:
            return R(None, [spec.family.apply(_markup(n.literal), eng) or n.literal], key)
        level = ctx.state.given.get((var, i), 0) if ctx.state.given else 0
        levels = ctx.state.levels if ctx.state.levels is not None else ctx.env.name_levels
        if levels and (i == 0 or not ctx.env.name_levels_primary) and n.family:
            pkey, _, skey = person_keys(n)
            level = max(level, levels.get((pkey, skey), 0))
        form = spec.form
        given = n.given
        show_given = form != "short" or level >= 1
        if given and show_given and spec.initialize_with is not None and level < 2 and \
                n.romanesque:       # CJK and Arabic names are never initialised
            if form != "short" or level == 1:
                given = initialize(given, spec.initialize_with, ctx.env.init_hyphen,
                                   spec.initialize)
        elif given and level == 1 and form == "short" and ctx.env.initials_only and \
                n.romanesque:
            given = initialize(given, "", ctx.env.init_hyphen)
        if not n.romanesque:
            fam = spec.family.apply(n.non_dropping + n.family, eng) or ""
            if not show_given or not given:
                return R(None, [fam], key)
            return R(None, [fam, spec.given.apply(given, eng) or ""], key)
        if n.static_order:      # "static-ordering": family name first, as written
            fam_p = _affixed(spec.family, _spaced([n.dropping or None, n.non_dropping or None,
                                                   fam_f.apply(_markup(n.family), eng)]), eng)
            if not show_given or not given:
                return R(None, [fam_p], key)
            return R(None, [fam_p, " ", _affixed(spec.given, [giv_f.apply(_markup(given), eng)],
                                                 eng)], key)
        family = fam_f.apply(_markup(n.family), eng) or ""
        ndp = fam_f.apply(n.non_dropping, eng) if n.non_dropping else None
        dp = giv_f.apply(n.dropping, eng) if n.dropping else None
        giv = giv_f.apply(_markup(given), eng) if given and show_given else None
        if giv is None and not (show_given and dp):
            order = "all" if ctx.sorting else self.name.sort_order
            demote = ctx.env.demote
            if ndp is not None and (order == "all" or (order == "first" and i == 0)) and \
                    (demote == "display-and-sort" or (ctx.sorting and demote == "sort-only")):
                group = [family, spec.sort_sep, ndp]    # inverted short: "Caprio, di"
            else:
                group = _spaced([ndp, family], ctx.env.particle_space)
            if form != "short" and n.suffix:
                group = group + [", " if n.comma_suffix else " ", n.suffix]
            return R(None, [_affixed(spec.family, group, eng)], key)
        demote = ctx.env.demote
        if self._inverted(n, i, ctx.sorting):
            if demote == "display-and-sort" or (ctx.sorting and demote == "sort-only"):
                fam_group, giv_group = [family], _spaced([giv, dp, ndp])
            else:
                fam_group = _spaced([ndp, family], ctx.env.particle_space)
                giv_group = _spaced([giv, dp])
            parts: list[Piece] = [_affixed(spec.family, fam_group, eng)]
            if giv_group:
                parts.extend([spec.sort_sep, _affixed(spec.given, giv_group, eng)])
            if n.suffix:
                parts.extend([spec.sort_sep, n.suffix])
            return R(None, parts, key)
        fam_group = _spaced([dp, ndp, family], ctx.env.particle_space)
        if n.suffix:
            fam_group += [", " if n.comma_suffix else " ", n.suffix]
        giv_piece = _affixed(spec.given, [giv], eng) if giv is not None else None
        return R(None, _spaced([giv_piece, _affixed(spec.family, fam_group, eng)]), key)


register(globals())    # pickling when compiled (see .native)
