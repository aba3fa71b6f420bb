"""An article page: the article's own record (the citing work) and, apart, its reference list."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Library, Reference, Report
from .core import parse_one
from .lists import read_list
from .page import page_parts

__all__ = ["Page", "parse_article"]


@dataclass(slots=True)
class Page:
    """What a page holds: the citing article (None when its record is not printed) and the
    references it cites, in a Library of their own."""

    article: Reference | None
    references: Library


def parse_article(text: str, *, report: Report | None = None, file: str | None = None) -> Page:
    """See :func:`transcite.parse.read_page`."""
    from . import parse_layout

    report = report if report is not None else Report()
    references = Library(report=report)
    parts = page_parts(text.lstrip("\ufeff"))
    article = None
    used: set[str] = set()
    if parts.citation is not None:
        cite, line = parts.citation
        article = parse_one(cite, report=report, file=file, line=line)
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
    else:
        report.warning("page.no-citation", "no 'For citations:' line: the article's own record "
                       "is not read", file=file)
    if parts.references is not None:
        block, first = parts.references
        for ref in parse_layout(read_list(block, first), report=report, file=file):
            if article is not None and _same_work(ref, article):
                continue  # the page's own article is the citing work, never its own entry
            references.add(ref)
    if not len(references):
        report.error("page.no-references", "this page has no reference list (no numbered list "
                     "and no 'References' or 'Список литературы' heading followed by "
                     "references): nothing to write", file=file)
    return Page(article, references)


def _same_work(ref: Reference, article: Reference) -> bool:
    a, b = (" ".join((r.fields.get("title") or "").lower().split()) for r in (ref, article))
    return bool(a) and a == b and ref.year == article.year
