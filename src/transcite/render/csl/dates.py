"""``<date>``: localized and non-localized dates, ranges, seasons, BC/AD years."""

from __future__ import annotations

from typing import Any

from mypy_extensions import mypyc_attr

from .fmt import Fmt
from .item import DateVal
from .locale import Locale
from .native import register
from .nodes import Ctx, Node
from .numbers import ordinal
from .rich import Piece, R, concat, fix_punct, join_concat

__all__ = ["DateNode", "DatePart", "date_parts_of"]

_LEVEL = {"year": 0, "month": 1, "day": 2}


@mypyc_attr(allow_interpreted_subclasses=True)
class DatePart:
    """One ``<date-part>``: name, form, range delimiter, formatting."""

    __slots__ = ("name", "form", "range_delim", "fmt")

    def __init__(self, name: str, form: str | None, range_delim: str, fmt: Fmt) -> None:
        self.name = name
        self.form = form or ("long" if name in ("month", "year") else "numeric")
        self.range_delim = range_delim
        self.fmt = fmt

    def text(self, y: int, m: int, d: int, loc: Locale, era: bool = True,
             season: str | None = None) -> str:
        """The part's text for a date ('' when the date lacks it); ``era`` false leaves
        out the BC/AD term (the start of a range whose end shows it)."""
        if self.name == "year":
            if not y:
                return ""
            if self.form == "short":
                return f"{abs(y) % 100:02d}"
            if y < 0:
                return f"{-y}{loc.term('bc') or 'BC'}" if era else str(-y)
            if y < 1000:
                return f"{y}{loc.term('ad') or 'AD'}" if era else str(y)
            return str(y)
        if self.name == "month":
            if not m:
                return ""
            if m > 12:
                if season:              # the season field's own text
                    return season
                if season is None and self.form in ("numeric", "numeric-leading-zeros"):
                    return ""           # a season month has no number (citeproc-js)
                season_no = (m - 13) % 4 + 1
                return loc.term(f"season-{season_no:02d}") or ""
            if self.form == "numeric":
                return str(m)
            if self.form == "numeric-leading-zeros":
                return f"{m:02d}"
            return loc.term(f"month-{m:02d}", "short" if self.form == "short" else "long") or ""
        if not d or not m or m > 12:
            return ""
        if self.form == "numeric-leading-zeros":
            return f"{d:02d}"
        if self.form == "ordinal":
            if loc.limit_day_ordinals and d != 1:
                return str(d)
            info = loc.term_info(f"month-{m:02d}")
            return ordinal(d, loc, info.gender if info is not None else None)
        return str(d)

    def render(self, date: tuple[int, int, int], ctx: Ctx, drop_prefix: bool = False,
               drop_suffix: bool = False, era: bool = True,
               season: str | None = None) -> Piece | None:
        """The part, formatted (affixes optionally dropped at a range seam)."""
        y = date[0]
        era_term = ""
        if self.name == "year" and era and self.form != "short" and y < 1000:
            # the BC/AD term follows the year's affixes ("44 г.до н. э.", as citeproc-js)
            era_term = (ctx.env.locale.term("bc") or "BC") if y < 0 else \
                (ctx.env.locale.term("ad") or "AD") if y > 0 else ""
        t: Piece = self.text(*date, ctx.env.locale, False, season)
        if not t:
            return None
        if self.name == "year" and ctx.ys_pending and not ctx.sorting:
            ctx.ys_pending = False
            t = R(None, [t, R(None, [ctx.state.year_suffix], "year-suffix")])
        fmt = self.fmt
        if (drop_prefix and fmt.prefix) or (drop_suffix and fmt.suffix):
            fmt = Fmt("" if drop_prefix else fmt.prefix, "" if drop_suffix else fmt.suffix,
                      fmt.kinds, fmt.text_case, fmt.quotes, fmt.strip_periods, fmt.display)
        out = fmt.apply(t, ctx.english)
        return concat([out, era_term]) if era_term and out is not None else out


def date_parts_of(el: Any, overrides: dict[str, Any] | None = None,
                  affixes: bool = True) -> list[DatePart]:
    """The ``<date-part>`` children of a ``<date>`` element, with attribute overrides (the
    style's children of a localized date; their affixes are ignored)."""
    parts = []
    for child in el:
        if not isinstance(child.tag, str) or not child.tag.endswith("date-part"):
            continue
        name = child.get("name")
        attrs = dict(child.attrib)
        if overrides and name in overrides:
            for k, v in overrides[name].items():
                if k not in ("prefix", "suffix"):
                    attrs[k] = v
        fmt = Fmt.of(_Attrs(attrs), affixes=affixes)
        parts.append(DatePart(name, attrs.get("form"), attrs.get("range-delimiter", "\u2013"),
                              fmt))
    return parts


@mypyc_attr(allow_interpreted_subclasses=True)
class _Attrs:
    """An attribute dictionary that looks like an element to :meth:`Fmt.of`."""

    def __init__(self, attrs: dict[str, str]) -> None:
        self.attrs = attrs

    def get(self, k: str, default: Any = None) -> Any:
        return self.attrs.get(k, default)


@mypyc_attr(allow_interpreted_subclasses=True)
class DateNode(Node):
    """``<date variable=...>`` with its parts (localized formats resolved at compile time)."""

    __slots__ = ("var", "parts", "delimiter", "fmt")

    def __init__(self, var: str, parts: list[DatePart], delimiter: str, fmt: Fmt) -> None:
        self.var = var
        self.parts = parts
        self.delimiter = delimiter
        self.fmt = fmt

    def render(self, ctx: Ctx) -> Piece | None:
        ctx.called += 1
        date: DateVal | None = ctx.item.dates.get(self.var)
        if date is None or self.var in ctx.suppressed:
            return None
        out: Piece | None
        if ctx.sorting:
            ctx.found += 1
            return self._sort_text(date)
        if not date.parts:
            year = next((p for p in self.parts if p.name == "year"), None)
            if year is None:
                return None     # a literal date stands for the year (citeproc-js),
            literal = year.fmt.apply(date.literal, ctx.english)     # in its affixes and fonts
            out = self.fmt.apply(literal, ctx.english, "date")
        else:
            out = self.fmt.apply(self._body(date, ctx), ctx.english, "date")
        if out is not None:
            ctx.found += 1
            if ctx.log is not None:
                ctx.log.append(self.var)
        return out

    def _sort_text(self, date: DateVal) -> str:
        """A date as a sortable string of the parts this element shows (macro sort keys)."""
        if not date.parts:
            return date.literal
        names = {p.name for p in self.parts}
        out = []
        for y, m, d in date.parts[:2]:
            out.append(f"{y + 50000:05d}" if "year" in names else "00000")
            out.append(f"{m:02d}" if "month" in names else "00")
            out.append(f"{d:02d}" if "day" in names else "00")
        return "".join(out)

    def _join(self, pieces: list[Piece]) -> Piece | None:
        if not pieces:
            return None
        return join_concat(pieces, self.delimiter)

    def _single(self, d: tuple[int, int, int], ctx: Ctx, parts: list[DatePart] | None = None,
                first_prefix: bool = True, last_suffix: bool = True,
                era: bool = True, season: str | None = None) -> list[Piece]:
        parts = self.parts if parts is None else parts
        shown = [p for p in parts if p.text(*d, ctx.env.locale, era, season)]
        out = []
        for n, p in enumerate(shown):
            r = p.render(d, ctx, drop_prefix=not first_prefix and n == 0,
                         drop_suffix=not last_suffix and n == len(shown) - 1, era=era,
                         season=season)
            if r is not None:
                out.append(r)
        return out

    def _body(self, date: DateVal, ctx: Ctx) -> Piece | None:
        """A date or a range. Where a range's ends differ, the seam drops the start's last
        suffix and the end's first prefix, so the affixes of a part enclose its range
        ("(March–April)", "[5–9]"); a range left open ends with its delimiter ("1987–"); a
        BC or AD term shows once, after the end, when both years take it."""
        start = date.parts[0]
        season = date.season
        if len(date.parts) == 2 and date.parts[1] == (0, 0, 0):
            single = self._single(start, ctx, season=season, last_suffix=False)
            if not single:
                return None
            return concat([self._join(single) or "", self._delim("year")])
        if len(date.parts) < 2 or date.parts[1] == start or not date.parts[1][0] and \
                not date.parts[1][1] and not date.parts[1][2]:
            return self._join(self._single(start, ctx, season=season))
        end = date.parts[1]
        if not end[0]:
            end = (start[0], end[1], end[2])
        shown = {_LEVEL[p.name] for p in self.parts}
        diff = [lv for lv in (0, 1, 2) if lv in shown and start[lv] != end[lv]]
        if not diff:
            return self._join(self._single(start, ctx))
        level = diff[0]
        differing = [p for p in self.parts if _LEVEL[p.name] >= level]
        if level == 0:
            delim = self._delim("year")
            # a year suffix goes after the range's end ("2019–2020a", as citeproc-js)
            pending, ctx.ys_pending = ctx.ys_pending, False
            same_era = (start[0] < 0 and end[0] < 0) or (0 < start[0] < 1000 and
                                                          0 < end[0] < 1000)
            a = self._single(start, ctx, last_suffix=False, era=not same_era)
            ctx.ys_pending = pending
            b = self._single(end, ctx, first_prefix=False)
            return concat([self._join(a) or "", delim, self._join(b) or ""])
        delim = self._delim(names_level(level))
        first = min(self.parts.index(p) for p in differing)
        last = max(self.parts.index(p) for p in differing)
        before, block, after = self.parts[:first], self.parts[first:last + 1], \
            self.parts[last + 1:]
        pieces: list[Piece] = []
        pieces.extend(self._single(start, ctx, before))
        a = self._single(start, ctx, block, last_suffix=False)
        b = self._single(end, ctx, block, first_prefix=False)
        rng = fix_punct([self._join(a) or "", delim, self._join(b) or ""])
        pieces.append(R(None, rng))
        pieces.extend(self._single(start, ctx, after))
        return self._join(pieces)

    def _delim(self, name: str) -> str:
        for p in self.parts:
            if p.name == name:
                return p.range_delim
        return "\u2013"


def names_level(level: int) -> str:
    """The date-part name of a level (0 year, 1 month, 2 day)."""
    return ("year", "month", "day")[level]


register(globals())    # pickling when compiled (see .native)
