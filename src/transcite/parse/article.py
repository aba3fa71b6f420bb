"""An article page into a Library: the article's own record first, then its references."""

from __future__ import annotations

from ..model import Library, Report
from .core import parse_one
from .lists import split_entries
from .page import page_parts

__all__ = ["parse_article"]


def parse_article(text: str, *, report: Report | None = None,
                  file: str | None = None) -> Library:
    """See :func:`transcite.parse.parse_page`."""
    report = report if report is not None else Report()
    library = Library(report=report)
    parts = page_parts(text.lstrip("\ufeff"))
    used: set[str] = set()
    if parts.citation is not None:
        cite, line = parts.citation
        article = parse_one(cite, report=report, file=file, line=line, used_ids=used)
        issns = [i for i in (parts.issn_print, parts.issn_online, *parts.issn_other) if i]
        if issns:
            article.fields["ISSN"] = " ".join(dict.fromkeys(issns))
        if parts.issn_print:
            article.extra["issn-print"] = parts.issn_print
        if parts.issn_online:
            article.extra["issn-online"] = parts.issn_online
        if parts.license:
            article.fields["license"] = parts.license
        if parts.abstract:
            article.fields["abstract"] = parts.abstract
        if "container-title" in article.fields and article.type in ("document", "book"):
            article.type = "article-journal"
        used.add(article.id)
        library.add(article)
    else:
        report.warning("page.no-citation", "no 'For citations:' line: the article's own record "
                       "is not read", file=file)
    if parts.references is not None:
        block, first = parts.references
        entries, _ = split_entries(block, first)
        for entry in entries:
            ref = parse_one(entry.text, report=report, file=file, line=entry.line,
                            used_ids=used, number=entry.number)
            used.add(ref.id)
            library.add(ref)
    else:
        report.warning("page.no-references", "no numbered reference list found on the page",
                       file=file)
    return library
