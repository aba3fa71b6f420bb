"""Parsing free-text references into :class:`~transcite.model.Reference` objects.

Three entry points:

* :func:`parse_reference` - one reference string (GOST ``Иванов И.И. Заглавие // Журнал. 2015.
  Т. 3, № 2. С. 49-59.``, the romanised ``References`` style with ``[English title]`` and
  ``(In Russ.)``, or English in any common style);
* :func:`parse_lines` / :func:`parse_list` - a file with one reference per line, or a pasted
  list (numbered or not, wrapped over lines, with headings);
* :func:`read_page` / :func:`parse_page` - an article page: the article's own record (the
  citing work, returned apart) and its reference list.

How it works: identifiers, URLs, access dates and language notes are found by regular
expressions (:mod:`.anchors`); the rest is tokenised and labelled by a CRF shipped with the
package (:mod:`.crf`, trained by ``tools/train_parser.py``); labelled stretches become CSL fields
(:mod:`.assemble`), and the type, language and title forms are decided last (:mod:`.classify`).
The raw string is kept in ``Reference.origin.raw``. A line that cannot be made out still yields
an item (its text in ``note``) and an error in the report, with its line number.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import progress
from ..model import Library, Reference, Report
from .article import Page
from .classify import make_id
from .core import parse_one
from .lists import ListLayout, read_list
from .pairs import pair_sections

__all__ = ["Page", "parse_layout", "parse_lines", "parse_list", "parse_page", "parse_reference",
           "read_page"]


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
    """Parse a pasted reference list: numbered or not, wrapped, with headings.

    Wrapped references are joined and numbered references pasted on one line are split (both
    said in the report, as ``info``); a Russian section followed by its ``References`` section
    gives one reference per pair, the romanised line's forms kept as variants.

    >>> lib = parse_list("1. Иванов И.И. Теория. – М.: Наука,\\n2005. – 300 с.\\n"
    ...                  "2. Петров П.П. Статья // Журнал. 2010. № 2. С. 5-9.")
    >>> len(lib), [p.code for p in lib.report]
    (2, ['parse.joined'])
    """
    report = report if report is not None else Report()
    library = Library(report=report)
    layout = read_list(text.lstrip("\ufeff"), first_line)
    for ref in parse_layout(layout, report=report, file=file):
        library.add(ref)
    return library


def parse_layout(layout: ListLayout, *, report: Report, file: str | None = None
                 ) -> list[Reference]:
    """The references of a list already cut into entries (see :func:`parse_list`)."""
    used: set[str] = set()
    sections: dict[int, list[Reference]] = {}
    with progress.stage("parsing", len(layout.entries), "references"):
        for entry in layout.entries:
            ref = parse_one(entry.text, report=report, file=file, line=entry.line,
                            used_ids=used, number=entry.number)
            used.add(ref.id)
            sections.setdefault(entry.section, []).append(ref)
            progress.tick()
    _report_layout(layout, report, file)
    for refs in sections.values():
        _ditto(refs, report, file, used)
    out: list[Reference] = []
    keys = sorted(sections)
    i = 0
    while i < len(keys):
        here = sections[keys[i]]
        paired = pair_sections(here, sections[keys[i + 1]]) if i + 1 < len(keys) else None
        if paired is not None:
            nxt = sections[keys[i + 1]]
            first = nxt[0].origin.line if nxt[0].origin else None
            report.add("info", "parse.paired", f"the section from line {first} is the romanised "
                       f"References list of the {len(here)} references above: read as pairs "
                       "(romanised title, English title and romanised names kept as forms of "
                       "each Russian reference)", file=file, line=first)
            out.extend(paired)
            i += 2
            continue
        out.extend(here)
        i += 1
    return out


_DITTO = re.compile(r"^[_—–-]{2,}\.?$")


def _ditto(refs: list[Reference], report: Report, file: str | None, used: set[str]) -> None:
    """``———.`` for the authors means the authors of the reference before it."""
    for before, ref in zip(refs, refs[1:]):
        names = ref.names.get("author") or []
        if len(names) == 1 and _DITTO.match(names[0].literal or "") and before.names.get(
                "author"):
            ref.names["author"] = [replace(n, variants=list(n.variants))
                                   for n in before.names["author"]]
            used.discard(ref.id)
            ref.id = make_id(ref, used)
            used.add(ref.id)
            line = ref.origin.line if ref.origin else None
            report.add("info", "parse.ditto", f"'{names[0].literal}' stands for the authors of "
                       f"the reference before ({before.id}): taken from it", file=file,
                       line=line, item=ref.id)


def _report_layout(layout: ListLayout, report: Report, file: str | None) -> None:
    def lines(found: list[int]) -> str:
        shown = ", ".join(str(n) for n in found[:8])
        return shown + (f" and {len(found) - 8} more" if len(found) > 8 else "")

    if layout.joined:
        report.add("info", "parse.joined", f"joined {len(layout.joined)} reference(s) wrapped "
                   f"over several lines (starting at line {lines(layout.joined)})", file=file,
                   line=layout.joined[0])
    if layout.split:
        report.add("info", "parse.split", f"split numbered references pasted on one line "
                   f"(line {lines(layout.split)})", file=file, line=layout.split[0])


def parse_page(text: str, *, report: Report | None = None, file: str | None = None) -> Library:
    """The reference list of an article page (the article itself is the citing work and is
    not in it: :func:`read_page` returns it apart)."""
    return read_page(text, report=report, file=file).references


def read_page(text: str, *, report: Report | None = None, file: str | None = None) -> Page:
    """An article page: the citing article's own record (``For citations:``, ISSN, licence,
    abstract) and, apart, the references it cites. A page without a reference list is an error
    in the report."""
    from .article import parse_article

    return parse_article(text, report=report, file=file)
