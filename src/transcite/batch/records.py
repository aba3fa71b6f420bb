"""One record through the pipeline: parse, normalise, enrich, render - the library's own
functions, called on that record alone.

:class:`Pipeline` is what every Dask task runs, record after record; run in a plain loop it is
the single-process path (the tests check that both give the same records). A record is a
position (``file``, ``line``) and a value: a reference line (``str``), a JSON/CSV/Parquet row
(``dict``: a CSL-JSON item, or a row with the reference line in its text column) or
:class:`Unreadable` (bytes that are not text, a line that is not JSON). The result is one output
record per input record, whatever happens:

``file``, ``line``, ``input``
    where the record was and what it held, as read;
``id``, ``csl``
    the parsed (or read) CSL-JSON item, variant forms in ``multi``;
``normalised``
    the item after the per-record normalisation steps (every step but ``dedupe``, which needs
    the whole corpus: see :mod:`transcite.batch.dedupe`) and enrichment;
``rendered``
    one entry per style (by style name) and, with a profile, ``<profile>.original`` and
    ``<profile>.references``: the entry as the style prints it for this record alone - list
    numbers, year suffixes and repeated-author dashes belong to a list, not to a record;
``problems``
    every problem met, as :meth:`transcite.model.Problem.to_json` gives it;
``error``
    None, or why the record failed (the record also goes to the job's errors shard).

Nothing here imports Dask.
"""

from __future__ import annotations

import re
import threading
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .settings import GLOBAL_NORMALISE_STEPS, Settings

__all__ = ["Pipeline", "Unreadable", "run_records", "strip_label", "trim_caches"]

#: Entries of the Cyrillic rebuild cache a worker keeps before starting it afresh (bounded
#: memory; the cache only saves work on repeated romanised strings).
_REBUILD_CACHE = 50_000


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record that could not be read as text or JSON: why, and its text as far as it goes."""

    reason: str
    raw: str


class _Shared:
    """What one worker thread builds once per settings: profile, styles, normalisation steps
    and their context (journal registry, caches)."""

    def __init__(self, settings: Settings) -> None:
        from ..normalisation import STEPS as NORMALISE_STEPS
        from ..normalisation.pipeline import Context
        from ..profiles import get_profile
        from ..render import resolve_style

        self.profile = get_profile(settings.profile) if settings.profile else None
        self.styles = [resolve_style(s) for s in settings.renders]
        self.numbered = {str(s.path): _numbered(str(s.path)) for s in self.styles}
        self.original = self.references = None
        self.render_profile = self.profile
        if self.profile is not None:
            from dataclasses import replace

            self.original = resolve_style(self.profile.original.style)
            self.references = resolve_style(self.profile.references.style)
            for info in (self.original, self.references):
                self.numbered[str(info.path)] = _numbered(str(info.path))
            # the same profile naming its styles by path: rendering one list of it resolves
            # the other list's style too, and a path is found without searching the folders
            self.render_profile = replace(
                self.profile,
                original=replace(self.profile.original, style=str(self.original.path)),
                references=replace(self.profile.references, style=str(self.references.path)))
        self.steps = [s for name, s in NORMALISE_STEPS.items()
                      if name not in GLOBAL_NORMALISE_STEPS]
        self.context = Context(profile=self.profile,
                               journal_paths=tuple(str(p) for p in settings.journals))
        self.journals = self.context.journals() if (
            "normalise" in settings.steps or "enrich" in settings.steps) else None


_local = threading.local()


def _shared(settings: Settings) -> _Shared:
    cache_: dict[Settings, _Shared] | None = getattr(_local, "shared", None)
    if cache_ is None:
        cache_ = _local.shared = {}
    found = cache_.get(settings)
    if found is None:
        if len(cache_) > 4:
            cache_.clear()
        found = cache_[settings] = _Shared(settings)
    return found


class Pipeline:
    """The per-record pipeline for one job's :class:`Settings` (one per task: it holds the
    Crossref client, whose give-up state should not outlive a shard)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.shared = _shared(settings)
        self._client: Any = None

    def client(self) -> Any:
        """The Crossref client for ``enrich`` (None without lookups)."""
        s = self.settings
        if self._client is None and s.crossref:
            from .lookups import make_client

            self._client = make_client(s)
        return self._client

    def run(self, file: str | None, line: int | None, value: Any) -> dict[str, Any]:
        """The output record for one input record (never raises for the record's sake)."""
        out: dict[str, Any] = {"file": file, "line": line,
                               "input": value.raw if isinstance(value, Unreadable) else value,
                               "id": None, "csl": None, "normalised": None, "rendered": {},
                               "problems": [], "error": None}
        if isinstance(value, Unreadable):
            out["error"] = value.reason
            return out
        stage = "reading"
        try:
            stage = "parse"
            ref, problems = self._read(file, line, value, out)
            if ref is None:
                return out
            stage = "normalise"
            ref = self._normalise(ref, problems)
            stage = "enrich"
            self._enrich(ref, problems)
            stage = "render"
            self._render(ref, problems, out)
        except Exception as exc:  # noqa: BLE001 - one record's bug must not end a long job
            where = traceback.extract_tb(exc.__traceback__)[-1]
            out["error"] = (f"internal error in {stage}: {type(exc).__name__}: {exc} "
                            f"({Path(where.filename).name}:{where.lineno})")
            return out
        out["problems"] = [p.to_json() for p in problems]
        return out

    # -- the steps -----------------------------------------------------------------------------
    def _read(self, file: str | None, line: int | None, value: Any, out: dict[str, Any]
              ) -> tuple[Any, Any]:
        from ..model import Report
        from ..writers.csljson import reference_to_item

        s = self.settings
        report = Report()
        text: str | None = None
        if isinstance(value, str):
            text = value
        elif isinstance(value, dict):
            column = value.get(s.text_column)
            if isinstance(column, str):
                text = column
            elif s.text_column in value and column is not None:
                out["error"] = f"the {s.text_column!r} field is not text"
                return None, report
        else:
            out["error"] = f"not a reference line or a JSON object ({type(value).__name__})"
            return None, report
        if text is not None:
            if not text.strip():
                out["error"] = "no reference text"
                return None, report
            if len(text) > s.max_length:
                out["error"] = (f"longer than {s.max_length} characters ({len(text)}); "
                                "not parsed")
                return None, report
            if "parse" not in s.steps:
                out["error"] = "a reference line needs the parse step"
                return None, report
            from ..parse import parse_reference

            ref = parse_reference(text, report=report, file=file, line=line)
        else:
            from ..readers import ReadContext
            from ..readers.csljson import item_to_reference

            read = item_to_reference(value, ReadContext(file=file, report=report), line,
                                     "csl-json", (line or 1) - 1)
            assert read is not None     # a dict always gives a reference
            ref = read
        out["id"] = ref.id
        out["csl"] = reference_to_item(ref)
        return ref, report

    def _normalise(self, ref: Any, report: Any) -> Any:
        if "normalise" not in self.settings.steps:
            return ref
        ctx = self.shared.context
        rebuilt = ctx.cache.get("cyrillic")
        if rebuilt is not None and len(rebuilt) > _REBUILD_CACHE:
            rebuilt.clear()
        ctx.report = report
        # the pipeline's steps in its order, on this reference (it is the parser's own, so
        # unlike run_pipeline nothing needs copying); a library step sees a library of one
        for step in self.shared.steps:
            if step.run is not None:
                step.run(ref, ctx)
            elif step.run_library is not None:
                step.run_library([ref], ctx)
        return ref

    def _enrich(self, ref: Any, report: Any) -> None:
        if "enrich" not in self.settings.steps:
            return
        from ..enrich import enrich_library
        from ..model import Library

        library = Library([ref], report=report)
        enrich_library(library, client=self.client(), registry=self.shared.journals,
                       search=self.settings.search)

    def _render(self, ref: Any, report: Any, out: dict[str, Any]) -> None:
        from ..writers.csljson import reference_to_item

        s = self.settings
        if "normalise" in s.steps or "enrich" in s.steps:
            out["normalised"] = reference_to_item(ref)
        if "render" not in s.steps:
            return
        from ..render.lists import format_library

        rendered: dict[str, str | None] = {}
        for info in self.shared.styles:
            result = format_library([ref], style=info, order="input", output=s.output)
            report.extend(result.report)
            rendered[info.name] = self._entry(result.lists[0])
        prof = self.shared.profile
        if prof is not None:
            # the profile's two lists, as its "dual" view renders them, one view at a time:
            # the styles come resolved (a dual view would look them up on every call)
            views = (("original", self.shared.original, prof.original.locale),
                     ("references", self.shared.references, None))
            for view, listed, locale in views:
                result = format_library([ref], style=listed, profile=self.shared.render_profile,
                                        view=view, locale=locale, order="input",
                                        output=s.output)
                report.extend(result.report)
                rendered[f"{prof.name}.{view}"] = self._entry(result.lists[0])
        out["rendered"] = rendered

    def _entry(self, lst: Any) -> str | None:
        if not lst.entries:
            return None
        text: str = lst.entries[0].text
        return strip_label(text) if self.shared.numbered.get(str(lst.style.path)) else text


def run_records(settings: Settings, records: Iterable[tuple[str | None, int | None, Any]]
                ) -> Iterator[dict[str, Any]]:
    """Output records for ``(file, line, value)`` input records, one each, in order."""
    import gc

    from ..memo import FEWER_COLLECTIONS

    if gc.get_threshold()[0] < FEWER_COLLECTIONS[0]:
        # as the CLI does (transcite.cli.main): the collector's full passes over the
        # long-lived caches find no garbage and cost a fifth of the time
        gc.set_threshold(*FEWER_COLLECTIONS)
    pipeline = Pipeline(settings)
    for n, (file, line, value) in enumerate(records):
        if n % _TRIM_EVERY == 0:
            trim_caches()
        yield pipeline.run(file, line, value)


# -- bounded memory --------------------------------------------------------------------------------
#: A worker whose resident memory passes this empties the library's memo caches (parser,
#: romanisation, sorting: each bounded, but together they grow to a gigabyte and more).
TRIM_AT_MIB = 320
_TRIM_EVERY = 1000


def trim_caches(limit_mib: float = TRIM_AT_MIB) -> bool:
    """Empty transcite's memo caches (the ``lru_cache`` ones, and the normalisation
    context's) when this process has grown past ``limit_mib`` (see :func:`transcite.memo.trim`);
    they refill as the work goes on and change no result. Returns whether they were emptied."""
    from .. import memo

    if not memo.trim(limit_mib):
        return False
    for shared in getattr(_local, "shared", {}).values():
        shared.context.cache.pop("cyrillic", None)
    return True


# -- list numbers ----------------------------------------------------------------------------------
_LABEL: dict[int, re.Pattern[str]] = {}


def strip_label(text: str, number: int = 1) -> str:
    """``text`` without the list number ``number`` a numbered style puts first ("1. ", "[1] ",
    "1) ", or HTML's left-margin block holding it)."""
    pattern = _LABEL.get(number)
    if pattern is None:
        n = str(number)
        pattern = _LABEL[number] = re.compile(
            rf'^(?:<div class="csl-left-margin">\s*(?:\[{n}\]|\({n}\)|{n}[.)]?)\s*</div>|'
            rf'(?:\[{n}\]|\({n}\)|{n}[.)])(?:\s+|(?=\S)|$))')
    return pattern.sub("", text, count=1)


@cache
def _numbered(path: str) -> bool:
    """Whether a style's bibliography prints the citation number (directly or in a macro)."""
    from lxml import etree

    ns = "{http://purl.org/net/xbiblio/csl}"
    try:
        root = etree.parse(path).getroot()
    except (OSError, etree.XMLSyntaxError):
        return False
    macros = {m.get("name"): m for m in root.iter(f"{ns}macro")}
    bib = root.find(f"{ns}bibliography")
    if bib is None:
        return False
    seen: set[str] = set()
    todo = [bib]
    while todo:
        el = todo.pop()
        for node in el.iter(f"{ns}text", f"{ns}number"):
            if node.get("variable") == "citation-number":
                return True
            macro = node.get("macro")
            if macro and macro not in seen and macro in macros:
                seen.add(macro)
                todo.append(macros[macro])
    return False
