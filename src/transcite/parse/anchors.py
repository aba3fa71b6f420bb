"""Parts of a reference that regular expressions find reliably wherever they stand.

DOIs, URLs (with their ``URL:`` / ``Available at:`` / ``Режим доступа:`` lead-ins), access dates
(``accessed: 21 July 2018``, ``дата обращения: 21.07.2018``), language notes (``(In Russ.)``,
``(in Russian)``, ``(на словацком языке)``), ISBN/ISSN and the ``[Электронный ресурс]`` medium
note are taken out of the string before its structure is parsed; what is left keeps its
positions (each found span is blanked out with spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import parse_date
from ..lang import lang_tag
from ..model import Date

__all__ = ["Anchors", "find_anchors"]


@dataclass(slots=True)
class Anchors:
    """What :func:`find_anchors` found, and the string with those spans blanked out."""

    text: str
    doi: str | None = None
    url: str | None = None
    url_incomplete: bool = False
    accessed: Date | None = None
    language: str | None = None
    language_note: str | None = None
    isbn: str | None = None
    isbn_note: str | None = None
    more_urls: list[str] = field(default_factory=list)  # a second address, kept as printed
    issn: str | None = None
    medium: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


_DOI = re.compile(
    r"(?:\bDOI\s*:?\s*|\bdoi\s*:?\s*|\bdoi\.org/)?"
    r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:)?"
    r"(10\.\d{4,9}/\S+)", re.IGNORECASE)
_DOI_LINK = re.compile(r"https?://(?:dx\.)?doi\.org/\s?(10\.)", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"(?:[.,;–—-]\s*)?(?:\bDOI\b\s*:?\s*|https?://(?:dx\.)?doi\.org/\s*)$",
                         re.IGNORECASE)
_URL_LEAD = (r"(?:\bURL\s*:?|\bAvailable\s+(?:at|from|online\s+at)\s*:?|\bRetrieved\s+from\s*:?|"
             r"\bРежим\s+доступа\s*:?|\bЭлектронный\s+ресурс\s*:?|\bOnline\s*:|"
             r"\bAccessible\s+at\s*:?|\bElectronic\s+resource\s*:|\bДоступно\s+на\s*:?|"
             r"\bДоступ\s+на\s+сайте\s*:?|\bИнтернет-ресурс\s*:?)")
_URL = re.compile(
    rf"(?:{_URL_LEAD}\s*)?((?:https?|ftp)://\s?\S+|www\.\S+)", re.IGNORECASE)
# the rest of an address broken by a space (a PDF's line end): after "/", "-", "." or "%"
_URL_REST = re.compile(r"\s([\w%~./?=&#+-]*(?:\w:[\w%~./?=&#+-]*)?[\w%/=-])(?=[\s,;)]|\.?$|\.\s)")
# a path that goes on after a space ("http://site.ru /dir/file.pdf"): a "/" and more of it
_URL_PATH = re.compile(r"/[\w%~.=&#+-]+(?:/[\w%~.=&#+-]*)+|/[\w%~=&#+-]+\.(?:pdf|html?|php|aspx?|"
                       r"docx?|xlsx?|zip|djvu)")
_URL_BARE_LEAD = re.compile(rf"{_URL_LEAD}(?:\s+(?!\()([^\s(]+))?", re.IGNORECASE)
_ACCESS = re.compile(
    r"\(?\s*(?:\[|\b)(?:last\s+)?(?:acc?ess?ed(?:\s+date)?|acc?ess?ed\s+on|дата\s+обращения|"
    r"дата\s+доступа|дата\s+посещения|обращение|viewed|date\s+of\s+access|"
    r"retrieved(?:\s+on)?)\s*[:–—-]?\s*"
    r"(\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}|"
    r"(?:\d{1,2}\s+)?[A-Za-zА-Яа-яЁё]{3,}\.?,?\s*(?:\d{1,2},?\s*)?\d{4}(?:\s*г\.?)?|"
    r"\d{1,2}\s*[A-Za-zА-Яа-яЁё]{3,}\s*\d{4})"
    r"(?:\s*,\s*from\b)?\s*[)\]]?\.?", re.IGNORECASE)
_LANG = re.compile(
    r"[(\[]\s*(?:in|на)\s+([A-Za-zА-Яа-яЁё]+)\.?(?:\s+(?:language|языке|яз\.?))?\s*[)\]]\.?",
    re.IGNORECASE)
_ISBN = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][\s–-]?)?\d[\d\s–-]{7,14}[\dXx])\b"
                   r"(?P<price>\s?:\s?\d+(?:[.,]\d\d)?(?:\s?(?:р|руб|коп)\.?)?|"
                   r"\s?\((?:в\s+пер|в\s+обл|обл|пер)\.?\)\.?)?")
_ISSN = re.compile(r"\bISSN\s*:?\s*(\d{4}\s*-?\s*\d{3}[\dXx])\b")
_MEDIUM = re.compile(r"\[\s*(Электронный\s+ресурс|Electronic\s+resource|Текст|Text)\s*\]\s*\.?",
                     re.IGNORECASE)
_TRAIL = ".,;:)]"
# link labels a journal site prints after each reference ("[Google Scholar]", "CrossRef")
_SITE_LABELS = (r"Google\s+Scholar|Cross[Rr]ef|PubMed(?:\s+Central)?|PMC\s+free\s+article|"
                r"Web\s+of\s+Science|Medline|MEDLINE|Scopus|ADS|CAS|ISI|Free\s+Full\s+Text|"
                r"Full\s+Text|View\s+Article|Abstract|Find\s+this\s+article\s+online")
_SITE_TAIL = re.compile(rf"(?:\s*(?:\[\s*(?:{_SITE_LABELS})\s*\]|(?:Google\s+Scholar|Cross[Rr]ef|"
                        rf"PubMed|PMC\s+free\s+article|Web\s+of\s+Science))[.,;]?)+\s*$")
# cheap substring tests that say whether a pattern can match at all
_ACCESS_CUES = ("access", "acces", "обращ", "доступ", "посещ", "retriev", "viewed")
_LEAD_CUES = ("url", "available", "retrieved", "режим", "ресурс", "online", "accessible",
              "доступ", "resource")
_CUES = ("10.", "http", "www.", "url", "available", "режим", "ресурс", "online", "accessible",
         "isbn", "issn", "(in ", "(на ", "[in ", "[", *_ACCESS_CUES)
_LANG_PREFIXES = (("ru", "ru"), ("рус", "ru"), ("ukr", "uk"), ("укр", "uk"), ("bel", "be"),
                  ("бел", "be"), ("kaz", "kk"), ("каз", "kk"), ("eng", "en"), ("англ", "en"),
                  ("ger", "de"), ("нем", "de"), ("fr", "fr"), ("фр", "fr"), ("slovak", "sk"),
                  ("словац", "sk"), ("czech", "cs"), ("чеш", "cs"), ("chin", "zh"), ("кит", "zh"),
                  ("jap", "ja"), ("япон", "ja"), ("pol", "pl"), ("польск", "pl"))


def _trim(value: str) -> str:
    """Strip trailing punctuation that belongs to the sentence, keeping balanced brackets."""
    while value and value[-1] in _TRAIL:
        if value[-1] == ")" and value.count("(") >= value.count(")"):
            break
        value = value[:-1]
    return value


def _language(word: str) -> str | None:
    w = word.lower()
    for prefix, tag in _LANG_PREFIXES:
        if w.startswith(prefix):
            return tag
    found = lang_tag(word)
    return found if found and re.fullmatch(r"[a-z]{2,3}", found) else None


class _Blanker:
    def __init__(self, text: str) -> None:
        self.chars = list(text)
        self.spans: list[tuple[int, int]] = []

    def blank(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.chars[i] = " "
        self.spans.append((start, end))

    @property
    def text(self) -> str:
        return "".join(self.chars)


def find_anchors(text: str) -> Anchors:
    """Find DOI, URL, access date, language note, ISBN, ISSN and medium in ``text``.

    >>> a = find_anchors("Title. URL: http://x.ru/a (дата обращения: 21.07.2018). (In Russ.)")
    >>> a.url, a.accessed.to_csl(), a.language, a.text.strip()
    ('http://x.ru/a', {'date-parts': [[2018, 7, 21]]}, 'ru', 'Title.')
    """
    found = Anchors(text)
    low = text.lower()
    tail = _SITE_TAIL.search(text) if ("scholar" in low or "ref" in low or "pubmed" in low
                                       or "[" in text or "web of" in low) else None
    if not any(k in low for k in _CUES) and tail is None:
        return found
    b = _Blanker(text)
    if tail is not None:
        b.blank(tail.start(), tail.end())
    for m in _ACCESS.finditer(text) if any(k in low for k in _ACCESS_CUES) else ():
        value = m.group(1).strip().rstrip(",.")
        if re.fullmatch(r"\d\d-\d\d-\d{4}", value):
            value = value.replace("-", ".")  # "accessed 01-04-2024": day, month, year
        date = parse_date(value)
        if found.accessed is None and date.parts:
            found.accessed = date
            b.blank(m.start(), m.end())
    for m in _LANG.finditer(b.text) if "(in " in low or "(на " in low or "[in " in low else ():
        tag = _language(m.group(1))
        if tag:
            if found.language is None:
                found.language = tag
                found.language_note = m.group(0).strip()
            b.blank(m.start(), m.end())
    medium = _MEDIUM.search(b.text) if "[" in text else None
    if medium:
        found.medium = " ".join(medium.group(1).split())
        b.blank(medium.start(), medium.end())
    for m in _DOI.finditer(b.text) if "10." in text else ():
        doi = _trim(m.group(1))
        if found.doi is None:
            found.doi = doi
            link = _DOI_LINK.search(m.group(0))
            if link:  # written as a link: keep the link as the URL too
                found.url = link.group(0)[: link.start(1) - link.start(0)] + doi
        start = m.start()
        lead = _DOI_PREFIX.search(b.text, 0, start)
        if lead:
            start = lead.start()
        b.blank(start, m.start(1) + len(doi))
    doi_url = found.url
    has_link = "http" in low or "www." in low or "ftp" in low
    for m in _URL.finditer(b.text) if has_link else ():
        url = m.group(1)
        end = m.end(1)
        while True:
            rest = _URL_REST.match(b.text, end)
            if not rest:
                break
            if url.endswith(("/", "-", ".", "%", "=", "_")) or url.endswith("://"):
                if rest.group(1)[:1] in "([" or not (
                        "/" in rest.group(1) or "." in rest.group(1) or rest.group(1).isdigit()
                        or url.endswith(("-", "_"))):
                    break
            elif not _URL_PATH.fullmatch(rest.group(1)):
                break
            url += rest.group(1)
            end = rest.end(1)
        trimmed = _trim(url.replace(":// ", "://"))
        end -= len(url.replace(":// ", "://")) - len(trimmed)  # trailing punctuation stays
        url = trimmed
        if found.url is None or found.url == doi_url:
            found.url = url
        elif url != found.url and url not in found.more_urls and not (
                found.doi and found.doi in url):
            found.more_urls.append(url)
        b.blank(m.start(), end)
    if found.url is None and any(k in low for k in _LEAD_CUES):
        bare = _URL_BARE_LEAD.search(b.text)
        if bare:
            if bare.group(1):
                found.url = _trim(bare.group(1))
                found.url_incomplete = True
            b.blank(bare.start(), bare.end())
    isbn = _ISBN.search(b.text) if "isbn" in low else None
    if isbn:
        found.isbn = isbn.group(1).strip()
        if isbn.group("price"):  # "ISBN 5-85165-443-0 : 300 р." - the price stays as printed
            found.isbn_note = " ".join(isbn.group().split())
        b.blank(isbn.start(), isbn.end())
    issn = _ISSN.search(b.text) if "issn" in low else None
    if issn:
        found.issn = "".join(issn.group(1).split())
        b.blank(issn.start(), issn.end())
    found.text = b.text
    found.spans = b.spans
    return found
