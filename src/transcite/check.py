"""``transcite check``: a lint report of a bibliography, as a list of small named checks.

Each check is a function ``(library, ctx) -> None`` that adds Problems (with file, line and
item) to ``ctx.report``. Checks are registered in :mod:`transcite.registry` under the kind
``"check"`` and run in registration order; a new check is one function and one ``register``
line. :func:`run_checks` runs all of them, or the ones named.

Built in: ``identifiers`` (invalid ISSN/ISBN/DOI), ``required-fields`` (what the chosen style
needs), ``urls`` (empty "URL:" and URLs that are not links), ``lookalikes`` (Latin letters
inside Cyrillic words and back, like "pр."), ``duplicates`` (fuzzy), ``journals`` (ISSNs against
the journal registry), ``licences`` (statements that name no known licence) and
``style-lookalikes`` (Latin letters that look Cyrillic in the chosen style and its Russian
locale, like a Latin "C." for "С.").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .lazy import lazy_re
from .model import Library, Reference, Report, is_cyrillic
from .normalisation.lookalikes import LATIN as _LATIN
from .normalisation.lookalikes import homoglyphs as _homoglyphs
from .normalisation.lookalikes import lookalike_words
from .resources import DataError, data_path, load_data, shipped_dir

__all__ = ["Check", "CheckContext", "available_checks", "lint_style_text", "run_checks"]

CheckFunction = Callable[[Library, "CheckContext"], None]


@dataclass(slots=True)
class CheckContext:
    """What checks share: the style to check against, journal files, and the report."""

    report: Report = field(default_factory=Report)
    style: str | None = None
    journal_paths: tuple[str, ...] = ()
    _registry: Any = None

    def journals(self) -> Any:
        """The journal registry (loaded on first use; a bad file raises DataError)."""
        if self._registry is None:
            from .journals import default_registry

            self._registry = default_registry(self.journal_paths)
        return self._registry


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: name, one-line description, and the function."""

    name: str
    description: str
    run: CheckFunction


def available_checks() -> list[Check]:
    """Every registered check, in the order they run."""
    from .registry import registry

    return [Check(e.name, e.description, e.load()) for e in registry.entries("check")]


def run_checks(library: Library, ctx: CheckContext | None = None, *,
               only: Iterable[str] = (), skip: Iterable[str] = ()) -> Report:
    """Run the checks (all, or ``only`` those, minus ``skip``) and return the report.

    Unknown names raise :class:`~transcite.registry.UnknownName`.
    """
    from .registry import registry

    ctx = ctx if ctx is not None else CheckContext()
    wanted = [registry.entry("check", n).name for n in only]
    skipped = {registry.entry("check", n).name for n in skip}
    for check in available_checks():
        if (wanted and check.name not in wanted) or check.name in skipped:
            continue
        check.run(library, ctx)
    return ctx.report


def _line(ref: Reference, text: str | None = None) -> int | None:
    """The line of ``text`` inside the reference's source (else the reference's first line)."""
    origin = ref.origin
    if origin is None or origin.line is None:
        return None
    if text and origin.raw and text in origin.raw:
        return origin.line + origin.raw[:origin.raw.index(text)].count("\n")
    return origin.line


def _where(ref: Reference, text: str | None = None) -> dict[str, Any]:
    where = ref.where()
    where["line"] = _line(ref, text)
    return where


def _texts(ref: Reference) -> Iterator[tuple[str, str]]:
    """(label, text) for every text value of a reference: fields, variant forms, names."""
    for var, value in ref.fields.items():
        yield var, value
    for var, variants in ref.variants.items():
        for v in variants:
            yield f"{var} ({v.form.value})", v.text
    for var, names in ref.names.items():
        for name in names:
            for n in (name, *(nv.name for nv in name.variants)):
                for part in (n.family, n.given, n.literal):
                    if part:
                        yield var, part


# -- identifiers ----------------------------------------------------------------------------------
def check_identifiers(library: Library, ctx: CheckContext) -> None:
    """Invalid ISSN, ISBN and DOI values (errors)."""
    from .identifiers import audit_identifiers

    for ref in library:
        for issue in audit_identifiers(ref):
            ctx.report.error(issue.code, issue.message(), raw=issue.error.raw,
                             **_where(ref, issue.error.raw))


# -- required fields ------------------------------------------------------------------------------
@cache
def _requirement_tables() -> dict[str, dict[str, Any]]:
    data: dict[str, Any] = load_data("required_fields.json")
    styles = data.get("styles")
    if not isinstance(styles, dict) or "default" not in styles:
        raise DataError(f"{data_path('required_fields.json')}: needs a 'styles' object with "
                        "a 'default' entry")
    return styles


@cache
def _style_aliases() -> dict[str, str]:
    import json

    try:
        data = json.loads((shipped_dir("styles") / "aliases.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, DataError):
        return {}
    aliases = data.get("aliases", {}) if isinstance(data, dict) else {}
    return {str(k).lower(): str(v) for k, v in aliases.items()}


def style_requirements(style: str | None) -> tuple[str, dict[str, list[list[str]]]]:
    """(table name, requirements by CSL type) for a style name, alias or .csl path."""
    tables = _requirement_tables()
    name = (style or "default").strip().lower()
    name = re.sub(r"\.csl$", "", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = _style_aliases().get(name, name)
    chosen = max((t for t in tables if name.startswith(t)), key=len, default="default")
    merged: dict[str, list[list[str]]] = {}
    chain: list[str] = []
    current: str | None = chosen
    while current is not None and current not in chain:
        chain.append(current)
        current = tables[current].get("inherits")
    for table in reversed(chain):
        for ctype, reqs in tables[table].items():
            if ctype != "inherits":
                merged.setdefault(ctype, []).extend(reqs)
    return chosen, merged


def check_required_fields(library: Library, ctx: CheckContext) -> None:
    """Fields the style needs that are missing (warnings)."""
    table, requirements = style_requirements(ctx.style)
    for ref in library:
        for alternatives in [*requirements.get("*", []), *requirements.get(ref.type, [])]:
            if any(ref.get(var) for var in alternatives):
                continue
            what = " or ".join(alternatives)
            why = (f"needed for type {ref.type}" if table == "default" else
                   f"{table} needs it for type {ref.type}")
            ctx.report.warning("field.missing", f"missing {what} ({why})", **_where(ref))


# -- URLs -----------------------------------------------------------------------------------------
_URL_OK = lazy_re(r"(?i)^(?:https?|ftp)://[^\s/]+\.[^\s/]+\S*$|^www\.[^\s/]+\.\S+$")
_NO_ADDRESS = lazy_re(r"(?i)^[\W_]*$|^\W*(?:accessed|дата обращения|date accessed|retrieved)\b")
_EMPTY_URL = lazy_re(r"(?i)(?:\bURL|Режим доступа)\s*:\s*(?=$|[(\[]|\.?\s*\(?\s*(?:accessed|"
                     r"дата обращения|date accessed|retrieved)\b)")


def check_urls(library: Library, ctx: CheckContext) -> None:
    """Empty "URL:" labels and URL fields that are not links (warnings)."""
    for ref in library:
        url = ref.fields.get("URL")
        if url is not None:
            if _NO_ADDRESS.match(url.strip()):
                held = f" (it holds only {url.strip()!r})" if url.strip() else ""
                ctx.report.warning("url.empty", f"URL is empty{held}", raw=url,
                                   **_where(ref, url or None))
            elif not _URL_OK.match(url.strip()):
                ctx.report.warning("url.invalid", f"URL {url!r} is not a web address (cut "
                                   "short or missing its http(s):// part?)", raw=url,
                                   **_where(ref, url))
        sources = [("note", ref.fields.get("note")), ("source", ref.origin.raw if ref.origin
                                                       and ref.origin.format == "text" else None)]
        for label, text in sources:
            if text and _EMPTY_URL.search(text):
                ctx.report.warning("url.empty", f"{label}: 'URL:' is followed by no address",
                                   raw=text, **_where(ref, text))
                break


# -- look-alike letters ---------------------------------------------------------------------------
def check_lookalikes(library: Library, ctx: CheckContext) -> None:
    """Words mixing Latin and Cyrillic look-alike letters (warnings), with the fix."""
    for ref in library:
        for label, text in _texts(ref):
            for word, fix, lone in lookalike_words(text):
                hint = f"; did you mean {fix!r}?" if fix else ""
                what = ("is a Latin letter between Cyrillic words" if lone else
                        "mixes Latin and Cyrillic letters")
                ctx.report.warning("text.mixed-script", f"{label}: {word!r} {what}{hint}",
                                   raw=text, **_where(ref, text))


# -- look-alike letters in styles and locales -----------------------------------------------------
#: Attributes of CSL elements whose text is printed.
_PRINTED_ATTRS = ("value", "prefix", "suffix", "delimiter")
_ABBREVIATION = lazy_re(r"(?<![^\W\d_])([^\W\d_]{1,4})\.")


def lint_style_text(path: str, *, russian: bool | None = None) -> list[tuple[int | None, str]]:
    """Look-alike letters in the printed text of a CSL style or locale file: (line, message).

    Every term, ``<text value>``, prefix, suffix and delimiter is checked for words mixing
    Latin and Cyrillic letters. Where the text is printed for Russian (a ``ru`` locale file or
    ``<locale>`` block, and the rest of a style whose default locale is Russian), a Latin
    abbreviation made only of letters that look Cyrillic ("C." for "С.", "c." for "с.",
    "T." for "Т.") is reported too: in a Russian list it is a look-alike, not a Latin word.
    ``russian`` overrides what the file says about its language.
    """
    from lxml import etree

    try:
        root = etree.parse(path, etree.XMLParser(no_network=True, remove_comments=True)
                           ).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        return [(None, f"cannot read the style: {exc}")]
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    tag = etree.QName(root).localname
    own = root.get(lang_attr) if tag == "locale" else root.get("default-locale")
    base_russian = russian if russian is not None else (own or "").lower().startswith("ru")
    found: list[tuple[int | None, str]] = []
    to_cyr = _homoglyphs()[0]

    def visit(el: Any, in_russian: bool) -> None:
        if not isinstance(el.tag, str):
            return
        local = etree.QName(el).localname
        if local == "locale" and el is not root:
            lang = el.get(lang_attr)
            in_russian = (lang or "").lower().startswith("ru") if lang else base_russian
        texts = [(f'<{local} {a}="{el.get(a)}">', el.get(a)) for a in _PRINTED_ATTRS
                 if el.get(a)]
        if local in ("term", "single", "multiple") and el.text and el.text.strip():
            texts.append((f"<{local}>{el.text}</{local}>", el.text))
        for where, text in texts:
            for word, fix, _lone in lookalike_words(text):
                hint = f"; did you mean {fix!r}?" if fix else ""
                found.append((el.sourceline, f"{where}: {word!r} mixes Latin and Cyrillic "
                              f"letters{hint}"))
            if in_russian:
                abbreviations = [m for m in _ABBREVIATION.finditer(text)
                                 if all(c in to_cyr for c in m.group(1))]
                rest = text
                for m in reversed(abbreviations):
                    rest = rest[:m.start()] + rest[m.end():]
                if _LATIN.search(rest):
                    continue        # a Latin phrase ("op. cit.", "n.p."), not a look-alike
                for m in abbreviations:
                    word = m.group(1)
                    if not is_cyrillic(word):
                        fix = "".join(to_cyr[c] for c in word)
                        found.append((el.sourceline, f"{where}: {word + '.'!r} is written "
                                      f"in Latin letters in Russian text; did you mean "
                                      f"{fix + '.'!r}?"))
        for child in el:
            visit(child, in_russian)

    visit(root, base_russian)
    return found


def check_style_lookalikes(library: Library, ctx: CheckContext) -> None:
    """Look-alike letters in the chosen style and its Russian locale (warnings)."""
    if not ctx.style:
        return
    from .render.csl.locale import locale_file
    from .render.styles import UnknownStyle, resolve_style

    try:
        info = resolve_style(ctx.style)
    except UnknownStyle:
        return          # required-fields and format report an unknown style
    paths = [str(info.path)]
    if (info.default_locale or "").lower().startswith("ru"):
        ru = locale_file("ru-RU")
        if ru is not None:
            paths.append(str(ru))
    for path in paths:
        for line, message in lint_style_text(path):
            ctx.report.warning("style.lookalike", message, file=path, line=line)


# -- duplicates -----------------------------------------------------------------------------------
def check_duplicates(library: Library, ctx: CheckContext) -> None:
    """References that are probably the same work (warnings): same DOI, or fuzzy title match.

    See :func:`transcite.dedupe.find_duplicates` for the rules.
    """
    from .dedupe import find_duplicates

    for pair in find_duplicates(list(library)):
        if pair.reason == "doi":
            message = (f"same DOI {pair.later.fields.get('DOI')} as {pair.earlier.id} "
                       f"({_loc(pair.earlier)})")
            code = "duplicate.doi"
        else:
            year = pair.later.year
            message = (f"looks like a duplicate of {pair.earlier.id} ({_loc(pair.earlier)}): "
                       f"title similarity {pair.score:.0f}%" + (f", same year {year}" if year
                                                               else ""))
            code = "duplicate.fuzzy"
        ctx.report.warning(code, message, **_where(pair.later))


def _loc(ref: Reference) -> str:
    o = ref.origin
    if o is None or o.line is None:
        return "no line"
    return f"{o.file}:{o.line}" if o.file else f"line {o.line}"


# -- journals and licences ------------------------------------------------------------------------
def check_journals(library: Library, ctx: CheckContext) -> None:
    """ISSNs that belong to another journal than the container title names, or to none."""
    from .journals import match_journal

    registry = ctx.journals()
    for ref in library:
        if ref.fields.get("ISSN") or ref.fields.get("container-title"):
            match_journal(ref, registry, ctx.report)


def check_licences(library: Library, ctx: CheckContext) -> None:
    """Licence statements that name no licence transcite knows (warnings)."""
    from .licences import normalise_licence

    for ref in library:
        normalise_licence(ref.copy(), ctx.report)


# -- romanisation ---------------------------------------------------------------------------------
def _romanised_titles(ref: Reference) -> list[str]:
    from .render.project import is_russian_item

    if not is_russian_item(ref):
        return []
    out = []
    for var in ("title", "container-title"):
        for v in ref.forms(var):
            if v.form.value == "romanised" and v.origin == "input" and len(v.text) > 15:
                out.append(v.text)
    return out


def check_romanisation(library: Library, ctx: CheckContext, *, fit: float = 0.75) -> None:
    """Russian sources romanised differently from the rest of the list (warnings).

    Each romanised title is scored against every scheme
    (:func:`transcite.translit.detect_scheme`: the share of its telling letters a scheme
    explains); the list's scheme is the one with the best total, and titles it explains less
    than ``fit`` of are reported with the scheme they look like (or "a mix"). Titles every
    scheme writes alike carry no evidence and are skipped.
    """
    from .translit import detect_scheme

    scored: list[tuple[Reference, str, dict[str, float], str | None, bool]] = []
    for ref in library:
        for text in _romanised_titles(ref):
            guess = detect_scheme(text)
            values = set(guess.scores.values())
            if len(values) <= 1:
                continue  # nothing in it tells the schemes apart
            scored.append((ref, text, guess.scores, guess.scheme, guess.mixed))
    if len(scored) < 2:
        return
    totals: dict[str, float] = {}
    for _, _, scores, _, _ in scored:
        for candidate, value in scores.items():
            totals[candidate] = totals.get(candidate, 0.0) + value
    main = max(sorted(totals), key=lambda s: totals[s])
    agreeing = sum(1 for _, _, scores, _, _ in scored if scores.get(main, 0.0) >= fit)
    for ref, text, scores, scheme, mixed in scored:
        if scores.get(main, 0.0) >= fit:
            continue
        best = max(scores.values())
        looks = "a mix of schemes" if mixed or best < fit else (scheme or "another scheme")
        ctx.report.warning(
            "romanisation.inconsistent",
            f"{text[:50]!r} looks romanised by {looks}, while {agreeing} of {len(scored)} "
            f"romanised titles of the list fit {main}", raw=text, **_where(ref, text))
