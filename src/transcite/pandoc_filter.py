"""``pandoc-transcite``: the Pandoc filter entry point.

Pandoc runs it with the document's JSON AST on standard input and the output format as the
first argument; it writes the processed document to standard output and problems to standard
error. It exits 1 when the document cannot be processed (an unsupported Pandoc version, a
bibliography file or style that does not exist, a setting with an impossible value); unknown
citation keys and unknown settings are warnings and the document still builds.

Example: ``pandoc paper.md --filter pandoc-transcite -o paper.docx``
"""

from __future__ import annotations

import json
import sys

__all__ = ["main"]

_USAGE = """usage: pandoc-transcite [FORMAT]

A Pandoc filter: it reads a Pandoc JSON document on stdin and writes it back with citations and
the bibliography (or both lists of a journal profile) rendered by transcite.

Example: pandoc paper.md --filter pandoc-transcite -o paper.docx
"""


def main(argv: list[str] | None = None) -> None:
    """Run the filter over stdin; exit 1 (with a message) when the document cannot be built."""
    import gc

    from .memo import FEWER_COLLECTIONS
    from .model import Severity
    from .pandoc import FilterError, filter_document

    gc.set_threshold(*FEWER_COLLECTIONS)    # a process of its own: as the command line runs

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(_USAGE)
        return
    fmt = args[0] if args else None
    raw = sys.stdin.buffer.read()
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:    # not UTF-8, not JSON, nested past reason
        sys.stderr.write(f"pandoc-transcite: error: the input is not Pandoc's JSON ({exc}); run "
                         "the filter through pandoc: pandoc paper.md --filter pandoc-transcite "
                         "-o paper.docx\n")
        raise SystemExit(1) from None
    try:
        result = filter_document(doc, format=fmt)
    except FilterError as exc:
        for problem in exc.report:
            sys.stderr.write(f"pandoc-transcite: {problem}\n")
        sys.stderr.write(f"pandoc-transcite: error: {exc}\n")
        raise SystemExit(1) from None
    for problem in result.report:
        if problem.severity is not Severity.INFO:
            sys.stderr.write(f"pandoc-transcite: {problem}\n")
    try:
        sys.stdout.write(json.dumps(result.doc, ensure_ascii=False))
        sys.stdout.flush()
    except OSError as exc:      # pandoc went away, or the disk is full: one line, status 1
        import os

        try:
            sys.stderr.write(f"pandoc-transcite: error: cannot write the document: "
                             f"{exc.strerror or exc}\n")
            sys.stderr.flush()
        except OSError:
            pass
        os._exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
