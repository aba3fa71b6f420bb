"""What ``transcite format`` does once its command line is parsed (by typer, see
:mod:`transcite.cli.format`, or without it, see :mod:`transcite.cli._fast`): this module
imports no part of typer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ..memo import keep, keep_until_exit
from ._common import config_hint, configured, fail_usage, finish, load, skipped_profiles

__all__ = ["run"]

#: The old spelling ``format --output html`` (and ``-O html``) named the output format; it is
#: accepted for one release with a note. These were its values.
_OLD_FORMATS = ("text", "html", "markdown")

#: Outputs that are the engine's own text, written straight from the rendered lists.
_STREAMED = ("text", "html", "markdown")


def run(inputs: list[str], output: str = "-", to: str | None = None, style: str | None = None,
        profile: str | None = None, view: str | None = None, locale: str | None = None,
        keys: list[str] | None = None, keys_from: str | None = None, order: str = "style",
        sort: str | None = None, item_locale: bool | None = None, from_: str | None = None,
        encoding: str | None = None, normalise_: bool = False, strict: bool = False,
        old_output: str | None = None) -> None:
    """Format the bibliography ``inputs`` as the options of ``transcite format`` (named as its
    parameters) say: the lists written to ``output``, the problems to stderr; leaves with the
    command's exit status (SystemExit) on an error or a usage mistake."""
    from ..model import Report
    from ..registry import UnknownName, registry
    from ..render import UnknownStyle, resolve_style
    from ..render.lists import SORTS, format_library, prepare
    from ..render.project import VIEWS
    from ..resources import DataError

    output, to = _old_spelling(output, to, old_output)
    kind = _output_kind(output, to)
    hint = config_hint(style=style, profile=profile if style is None else "",
                       view=view if style is None else "")
    if style is None and profile is None and view is None:
        profile, view = configured("profile"), configured("view")
    style = configured("style", style)
    locale = configured("locale", locale)
    if order not in ("style", "input"):
        fail_usage(f"--order must be 'style' or 'input', not {order!r}")
    if sort is not None and sort not in SORTS:
        fail_usage(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if view is not None and view not in VIEWS:
        fail_usage(f"--view must be one of {', '.join(VIEWS)}, not {view!r}{hint}")
    entry = registry.entry("output", kind)
    if entry.meta.get("binary"):
        _check_binary(kind, output)
    try:
        info = resolve_style(style) if style else None
        prof = None
        if profile or view:
            from ..profiles import get_profile

            prof = get_profile(profile or "scopus")
    except (UnknownStyle, UnknownName, DataError) as exc:
        fail_usage(f"{exc}{hint}")
        return
    report = Report()
    if prof is not None:
        skipped_profiles(report)
    library: Any = None
    from ..store import is_long

    if profile is None and view is None and not item_locale and not keys and \
            keys_from is None and is_long(inputs):
        # a long input is kept in a file: memory stays bounded (transcite.store)
        from ..normalisation.stream import read_spilled_apart, spill
        from ._common import iter_load

        library = read_spilled_apart(inputs, from_, encoding, report, normalise=normalise_)
        if library is None:
            library = spill(iter_load(inputs, from_, encoding, report), report,
                            normalise=normalise_)
    if library is None:     # read before: from the cache (transcite.readers.cache)
        from ..readers.cache import cached_library

        keep_until_exit()   # the run is held in memory whole (see transcite.memo)

        warm = None
        if profile is None and view is None:    # the engine loads while the file is read
            def warm() -> None:
                prepare(info, locale, str(entry.meta.get("engine", "text")))
        library = cached_library(inputs, from_, encoding, report,
                                 lambda own: _read(inputs, from_, encoding, own, normalise_,
                                                   prof, warm),
                                 normalise=normalise_, profile=prof)
    ids = _chosen_keys(keys, keys_from, library, report)
    from ..render.engine import RenderError

    try:
        result = format_library(library, style=info, profile=prof, view=view, locale=locale,
                                output=str(entry.meta.get("engine", "text")), order=order,
                                sort=sort, item_locale=item_locale, ids=ids)
    except RenderError as exc:      # a style the engine cannot compile: one line naming it
        report.error("style.unusable", str(exc).lstrip(": "), file=str(info.path)
                     if info is not None else None)
        finish(report, strict=strict)
        return
    report.extend(result.report)
    _write(entry, result, output, report)
    keep(library, result)       # freed when the process ends (see keep_until_exit above)
    finish(report, strict=strict)




def _read(inputs: list[str], from_: str | None, encoding: str | None, report: Any,
          normalise_: bool, prof: Any, warm: Callable[[], None] | None = None) -> Any:
    """The library of the inputs, normalised when asked (a BibTeX file on every core, and
    while ``warm`` runs here)."""
    from ..bulk import read_library

    library = read_library(inputs, from_, encoding, report, normalise=normalise_, profile=prof,
                           meanwhile=warm)
    if library is None:
        library = load(inputs, from_, encoding, report)
        if normalise_:
            from ..normalisation import normalise

            library = normalise(library, profile=prof, report=report).library
    return library


def _old_spelling(output: str, to: str | None, old: str | None) -> tuple[str, str | None]:
    """``-O FORMAT`` and ``--output FORMAT`` (where FORMAT is text, html or markdown) named the
    output format before -o/--output became the output file, as in every other command."""
    if old is not None:
        sys.stderr.write(f"transcite: note: '-O {old}' is deprecated and goes in the next "
                         f"release; use '-t {old}'\n")
        return output, to or old
    if to is None and output in _OLD_FORMATS:
        sys.stderr.write(f"transcite: note: '--output {output}' names a format, which is "
                         f"deprecated and goes in the next release: use '-t {output}' "
                         f"(-o/--output is the output file; for a file named {output}, "
                         f"write -o ./{output})\n")
        return "-", output
    return output, to


def _output_kind(output: str, to: str | None) -> str:
    """The output's registered name: --to, else the output file's suffix, else the
    configuration's ``to``, else text."""
    from ..registry import UnknownName, registry

    if to is not None:
        try:
            return registry.entry("output", to).name
        except UnknownName as exc:
            fail_usage(f"--to: {exc}")
    if output != "-":
        found = registry.for_path("output", output)
        if found is not None:
            return found.name
    configured_to = configured("to")
    return registry.entry("output", configured_to).name if configured_to else "text"


def _check_binary(kind: str, output: str) -> None:
    from ..render.outputs import PandocMissing, pandoc_path

    if output == "-" and sys.stdout.isatty():
        fail_usage(f"{kind} is a binary format: give -o FILE.{kind} (or redirect stdout)")
    try:
        pandoc_path()
    except PandocMissing as exc:
        fail_usage(str(exc))


def _chosen_keys(keys: list[str] | None, keys_from: str | None, library: Any,
                 report: Any) -> list[str] | None:
    """The ids --keys and --keys-from name, in order, each once; ids the library does not
    hold are reported (an error for a key named outright, a warning for one a manuscript
    cites, as pandoc does) and left out."""
    if not keys and keys_from is None:
        return None
    chosen: dict[str, None] = {}
    for group in keys or ():
        for key in group.split(","):
            key = key.strip().removeprefix("@")
            if not key:
                continue
            if key not in library:
                report.error("format.missing-key", f"no reference with id {key!r}", item=key)
            chosen.setdefault(key)
    if keys_from is not None:
        from ..textio import DecodeFailure, read_text
        from ._keys import keys_in_text, kind_of

        try:
            text = read_text(keys_from).text
        except FileNotFoundError:
            report.error("read.missing-file", f"no such file: {keys_from}", file=keys_from)
            return [k for k in chosen if k in library]
        except (DecodeFailure, OSError) as exc:
            report.error("read.encoding" if isinstance(exc, DecodeFailure) else "read.failed",
                         f"{keys_from}: {exc}", file=keys_from)
            return [k for k in chosen if k in library]
        kind = kind_of(keys_from, text)
        for cited in keys_in_text(text, kind):
            if cited.key not in library:
                add = report.error if kind == "list" else report.warning
                add("format.missing-key", f"{cited.key!r} is "
                    + ("listed" if kind == "list" else "cited") + " here but not in the "
                    "library", file=keys_from, line=cited.line, item=cited.key)
            chosen.setdefault(cited.key)
    return [k for k in chosen if k in library]


def _write(entry: Any, result: Any, output: str, report: Any) -> None:
    """Write the rendered lists in the output ``entry``'s format (atomically for files)."""
    from ..textio import atomic_write

    put: Any
    if entry.name in _STREAMED:         # written entry by entry: a long list is not held twice
        def put(stream: Any) -> None:
            result.write(stream, entry.name)
    else:
        from ..render.outputs import PandocMissing

        try:
            data = entry.load()(result)
        except (PandocMissing, RuntimeError) as exc:
            report.error("write.failed", f"cannot write {entry.name}: {exc}", file=output)
            return
        if isinstance(data, bytes):
            def put(stream: Any) -> None:
                stream.flush()
                stream.buffer.write(data)
                stream.buffer.flush()
        else:
            def put(stream: Any) -> None:
                stream.write(data)
    try:
        atomic_write(output, put)
    except BrokenPipeError:
        raise
    except OSError as exc:
        report.error("write.failed", f"cannot write {output}: {exc.strerror or exc}",
                     file=output)
