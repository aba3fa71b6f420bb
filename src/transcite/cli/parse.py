"""``transcite parse``: free-text references (lines, a pasted list, an article page) to CSL-JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from ._common import Strict, fail_usage, finish


@app.command(name="parse", epilog="Examples:  transcite parse refs.txt > refs.json  |  "
             "transcite parse --list pasted.txt -o refs.bib  |  "
             "transcite parse --page article.txt --citing article.json")
def parse_(
    source: Annotated[str, typer.Argument(help="A text file ('-' for stdin).", metavar="FILE")
                      ] = "-",
    list_: Annotated[bool, typer.Option("--list", help="Read a pasted list: numbered or not, "
                     "references wrapped over lines, headings such as 'References'.")] = False,
    page: Annotated[bool, typer.Option("--page", help="Read an article page: its reference "
                    "list; the article's own record ('For citations:', ISSN, licence) is the "
                    "citing work, kept apart (see --citing).")] = False,
    citing: Annotated[str | None, typer.Option("--citing", help="With --page: write the "
                      "article's own record (the citing work) to this file.", metavar="FILE")
                      ] = None,
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

    from ..model import Library, Report
    from ..parse import parse_lines, parse_list, read_page
    from ..registry import UnknownName, registry
    from ..textio import DecodeFailure, read_text
    from ..writers import write

    if list_ and page:
        fail_usage("--list and --page cannot be used together")
    if citing is not None and not page:
        fail_usage("--citing goes with --page")
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
    article = None
    if page:
        found = read_page(decoded.text, report=report, file=name)
        library, article = found.references, found.article
    else:
        library = (parse_list if list_ else parse_lines)(decoded.text, report=report, file=name)
    targets = [(library, output, fmt)]
    if article is not None:
        if citing is not None:
            targets.append((Library([article]), citing, to))
        else:
            line = article.origin.line if article.origin else None
            report.add("info", "page.citing", f"the page's own article ({article.id}: "
                       f"{(article.title or '')[:60]!r}) is the citing work: kept apart from "
                       "its reference list; --citing FILE writes it", file=name, line=line)
    for lib, path, form in targets:
        if path != "-" and form is None and registry.for_path("writer", path) is None:
            form = "csl-json"
        try:
            write(lib, path, form)
        except BrokenPipeError:
            raise
        except OSError as exc:
            report.error("write.failed", f"cannot write {path}: {exc.strerror or exc}",
                         file=path)
    # the notes say what the layout needed (joined, split, paired)
    finish(report, verbose=True, strict=strict)
