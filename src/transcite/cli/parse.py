"""``transcite parse``: free-text references (lines, a pasted list, an article page) to CSL-JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from ._common import Strict, fail_usage, finish


@app.command(name="parse", epilog="Examples:  transcite parse refs.txt > refs.json  |  "
             "transcite parse --list pasted.txt -o refs.bib  |  "
             "transcite parse --page article.txt")
def parse_(
    source: Annotated[str, typer.Argument(help="A text file ('-' for stdin).", metavar="FILE")
                      ] = "-",
    list_: Annotated[bool, typer.Option("--list", help="Read a pasted list: numbered or not, "
                     "references wrapped over lines, headings such as 'References'.")] = False,
    page: Annotated[bool, typer.Option("--page", help="Read an article page: the article's "
                    "own record ('For citations:', ISSN, licence) and its reference list.")
                    ] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="Output file ('-' for stdout).")
                      ] = "-",
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format (csl-json, "
                  "csl-yaml, biblatex, bibtex, ris); default: from the output suffix, else "
                  "csl-json.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Input encoding; default: detect "
                        "(UTF-8, Windows-1251, KOI8-R).")] = None,
    strict: Strict = False,
) -> None:
    """Parse free-text references into CSL-JSON (or any output format).

    By default every non-empty line is one reference and yields exactly one item, in order; a
    line that cannot be made out is kept (its text in 'note') and reported with its line number.
    """
    from pathlib import Path

    from ..model import Report
    from ..parse import parse_lines, parse_list, parse_page
    from ..registry import UnknownName, registry
    from ..textio import DecodeFailure, read_text
    from ..writers import write

    if list_ and page:
        fail_usage("--list and --page cannot be used together")
    if to is not None:
        try:
            registry.entry("writer", to)
        except UnknownName as exc:
            fail_usage(f"--to: {exc}")
    elif output != "-" and registry.for_path("writer", output) is None:
        fail_usage(f"cannot tell the output format of {output!r}; give -t/--to")
    fmt = to or ("csl-json" if output == "-" else None)
    report = Report()
    name = "<stdin>" if source == "-" else source
    if source != "-" and not Path(source).is_file():
        report.error("read.missing-file", f"no such file: {source}", file=source)
        finish(report)
        return
    from ._inputs import not_a_bibliography, refuse

    what = not_a_bibliography(source, encoding)
    if what is not None:
        refuse(source, what, report)
        finish(report)
        return
    try:
        decoded = read_text(source, encoding)
    except DecodeFailure as exc:
        report.error("read.encoding", f"{name} {exc}", file=name, line=exc.line)
        finish(report)
        return
    parser = parse_page if page else parse_list if list_ else parse_lines
    library = parser(decoded.text, report=report, file=name)
    try:
        write(library, output, fmt)
    except BrokenPipeError:
        raise
    except OSError as exc:
        report.error("write.failed", f"cannot write {output}: {exc.strerror or exc}", file=output)
    finish(report, strict=strict)
