"""Parsing free-text references into :class:`~transcite.model.Reference` objects.

Three entry points:

* :func:`parse_reference` - one reference string (GOST ``Иванов И.И. Заглавие // Журнал. 2015.
  Т. 3, № 2. С. 49-59.``, the romanised ``References`` style with ``[English title]`` and
  ``(In Russ.)``, or English in any common style);
* :func:`parse_lines` / :func:`parse_list` - a file with one reference per line, or a pasted
  list (numbered or not, wrapped over lines, with headings);
* :func:`parse_page` - an article page: the article's own record and its reference list.

How it works: identifiers, URLs, access dates and language notes are found by regular
expressions (:mod:`.anchors`); the rest is tokenised and labelled by a CRF shipped with the
package (:mod:`.crf`, trained by ``tools/train_parser.py``); labelled stretches become CSL fields
(:mod:`.assemble`), and the type, language and title forms are decided last (:mod:`.classify`).
The raw string is kept in ``Reference.origin.raw``. A line that cannot be made out still yields
an item (its text in ``note``) and an error in the report, with its line number.
"""

from __future__ import annotations

from .. import progress
from ..model import Library, Reference, Report
from .core import parse_one
from .lists import split_entries

__all__ = ["parse_lines", "parse_list", "parse_page", "parse_reference"]


def parse_reference(text: str, *, report: Report | None = None, file: str | None = None,
                    line: int | None = None) -> Reference:
    """Parse one reference string.

    >>> ref = parse_reference("Иванов И.И. Заглавие статьи // Журнал. 2015. Т. 3, № 2. С. 49-59.")
    >>> ref.type, ref.names["author"][0].family, ref.fields["container-title"]
    ('article-journal', 'Иванов', 'Журнал')
    >>> ref.year, ref.fields["volume"], ref.fields["issue"], ref.fields["page"]
    (2015, '3', '2', '49-59')
    """
    return parse_one(text, report=report, file=file, line=line)


def parse_lines(text: str, *, report: Report | None = None, file: str | None = None) -> Library:
    """One reference per non-empty line, in order (a line that cannot be read is kept as a note).

    >>> lib = parse_lines("Batin Yu. Title. Moscow, Nauka Publ., 2000. 224 p.\\n\\nOther line")
    >>> len(lib), lib.report.has_errors
    (2, True)
    """
    report = report if report is not None else Report()
    library = Library(report=report)
    used: set[str] = set()
    lines = text.lstrip("\ufeff").splitlines()
    with progress.stage("parsing", len(lines), "lines"):
        for i, line in enumerate(lines, 1):
            progress.tick()
            if not line.strip():
                continue
            ref = parse_one(line, report=report, file=file, line=i, used_ids=used)
            used.add(ref.id)
            library.add(ref)
    return library


def parse_list(text: str, *, report: Report | None = None, file: str | None = None,
               first_line: int = 1) -> Library:
    """Parse a pasted reference list: numbered or not, wrapped, with headings."""
    report = report if report is not None else Report()
    library = Library(report=report)
    used: set[str] = set()
    entries, _ = split_entries(text.lstrip("\ufeff"), first_line)
    with progress.stage("parsing", len(entries), "references"):
        for entry in entries:
            ref = parse_one(entry.text, report=report, file=file, line=entry.line,
                            used_ids=used, number=entry.number)
            used.add(ref.id)
            library.add(ref)
            progress.tick()
    return library


def parse_page(text: str, *, report: Report | None = None, file: str | None = None) -> Library:
    """Parse an article page: the article (first) and then its reference list."""
    from .article import parse_article

    return parse_article(text, report=report, file=file)
