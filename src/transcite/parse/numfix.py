"""Volume, issue and page read the same way whichever side of a reference pair prints them.

Rules that follow from how references are printed, applied after the tagger's reading:

* a book's volume printed as a sentence of its own (``Экспериментальная ядерная физика. Т. 1.``,
  ``Том 2.``, ``Vol. 1.``, ``Книга 2``, ``Book 2``) is the ``volume``, not part of the title;
* a number the tagger took for a volume that is only the year printed again (``– 2011.– №1``,
  no ``Т.``/``Vol.`` before it) is no volume;
* ``no. 16 (3)`` in a romanised References line is volume 16, issue 3 when the number in
  brackets is a month-sized issue smaller than the first; ``no. 2 (65)`` stays issue 2 of the
  running number 65 (``№ 2 (65)``, GOST's form);
* an article number printed alone after the volume (``Vol. 164. – 112221``, ``v. 164,
  112221;``) is the ``page`` (CSL's place for it), on both sides alike.
"""

from __future__ import annotations

import re

from ..model import Date, Reference

__all__ = ["fix_numbers"]

_VOL_MARK = r"(?:Т|т|Том|том|Tom|T|Vol|Volume|Кн|Книга|Book|Kniga)"
_VOLUME_SENTENCE = re.compile(
    rf"(?:^|(?<=[.,:–—]\s)|(?<=[.,]))\s*{_VOL_MARK}\.?\s?(?P<v>\d{{1,3}}|[IVX]{{1,5}})"
    r"(?=\s*(?:[.:;–—]|,(?!\s*\d)|$))")
_NO_PAIR = re.compile(r"(?:\b[Nn]o\.|№)\s?(?P<a>\d{1,3})\s?\((?P<b>\d{1,2})\)")
_ARTICLE_NO = re.compile(r"(?:Vol\.|vol\.|v\.|Т\.)\s?(?P<v>\d+)\s?[.,]?\s?[–—-]?\s?(?:[.,]\s?)?"
                         r"(?:[–—-]\s?)?(?P<n>\d{4,7})(?=\s*(?:[.;,]|$|DOI|doi))")


_MARKED = {
    "volume": re.compile(r"(?<![\w.])(?:Т|Том|Vol|vol|V|v|Volume|volume)\.?\s?(?P<n>\d{1,5})"
                         r"(?![\d.,]\d)"),
    "issue": re.compile(r"(?<![\w.])(?:№|No|no|Nо|Вып|вып|Iss|iss|Issue|issue)\.?\s?"
                        r"(?P<n>(?!(?:1[89]|20)\d\d)\d{1,4})"
                        r"(?![\d.,]\d)"),
    "page": re.compile(r"(?<![\w.])(?:С|C|P|p|pp|PP|Pp|PР|РР|стр|Стр)\.\s?(?P<n>\d{1,5})"
                       r"(?:\s?[-–—]\s?\d{1,5})?(?![\d.,]\d)"),
}
_VOL_ANY = (r"Т|т|Том|том|Tom|T|t|Vol|vol|Vols|vols|Volume|volume|V|v|Кн|кн|Книга|Book|Kniga|Bd|"
            r"Band|band|Part|Ч|Часть")
_PAGE_ANY = r"С|C|с|c|P|p|pp|PP|Pp|Стр|стр|S|s|pages|Pages"
_LONE_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_ANY_MARK = r"Т|Том|Vol|vol|V|v|Volume|volume|№|No|no|Вып|вып|Iss|iss|С|C|P|p|pp|PP|Pp|стр|Стр"
_COUNT_AFTER = r"\s?(?:p|pp|с|c|стр|S|P)\.(?!\s?\d)"


def _after_title(ref: Reference, text: str) -> int:
    title = ref.fields.get("title")
    if not title:
        return 0
    at = text.find(title)
    return at + len(title) if at >= 0 else 0


def _explicit(ref: Reference, text: str) -> None:
    """A number printed with its marker after the title (``V. 1689``, ``№ 3``, ``С. 5-9``) is
    what the field holds when the tagger's reading has none or no number at all."""
    f = ref.fields
    start = _after_title(ref, text)
    for var, pattern in _MARKED.items():
        value = f.get(var)
        if value and any(ch.isdigit() for ch in value):
            continue
        found = [m for m in pattern.finditer(text, start)]
        if len(found) == 1:
            m = found[0]
            f[var] = m.group().split(".", 1)[-1].strip() if var == "page" else m.group("n")


_Y = r"(?:1[89]|20)\d\d"
_SEP = r"\s*[.,;:]?\s*[–—-]?\s*"
_BARE = (
    # "Вопросы материаловедения, 1997, 5(11). С.15-21": volume (issue) after the year
    re.compile(rf"(?<![\d.]){_Y}{_SEP}(?P<v>\d{{1,4}})\s?\((?P<i>\d{{1,3}}(?:[-–]\d{{1,3}})?)\)"
               r"(?=\s*[.,;:]|\s*$)"),
    # "Energy Policy. – 155 (2021). – 112363": volume (year) and the article's number
    re.compile(rf"(?<![\d.])(?P<v>\d{{1,4}})\s?\({_Y}\){_SEP}(?P<p>\d{{1,7}}(?:\s?[-–]\s?\d+)?)"
               r"(?=\s*(?:[.;,]|$|DOI|doi|http))"),
    # "Sustainability. – 2022. – 14. – 9339", "Sustainability. 2022, 14, 9339"
    re.compile(rf"(?<![\d.]){_Y}\s*[.,]\s*[–—-]?\s*(?P<v>\d{{1,4}})\s*[.,]\s*[–—-]?\s*"
               r"(?P<p>\d{1,7}(?:\s?[-–]\s?\d+)?)(?=\s*(?:[.;,]|$|DOI|doi|http))"),
)


def _bare_numbers(ref: Reference, text: str) -> None:
    """A journal's volume printed with no marker next to the year (the forms above): what the
    tagger left of them is read by where they stand."""
    f = ref.fields
    for pattern in _BARE:
        m = pattern.search(text, _after_title(ref, text))
        if m is None or _LONE_YEAR.fullmatch(m.group("v")):
            continue
        found = m.groupdict()
        if found.get("p") and f.get("page") not in (None, m.group("v")) and \
                f.get("page") != found["p"].replace(" ", ""):
            continue  # the page is read from elsewhere: these numbers are something else
        f["volume"] = m.group("v")
        if found.get("i"):
            f["issue"] = found["i"]
        if found.get("p"):
            f["page"] = "".join(found["p"].split())
        return


def fix_numbers(ref: Reference, text: str) -> None:
    """Apply the rules above to ``ref`` (parsed from ``text``, anchors blanked out)."""
    f = ref.fields
    volume = f.get("volume")
    if volume and volume.isdigit() and re.search(rf"(?<![\w.-]){volume}{_COUNT_AFTER}", text) \
            and not _MARKED["volume"].search(text):
        del f["volume"]  # "2019, 6 p." is a page count, not a volume
        f.setdefault("number-of-pages", volume)
        if f.get("note") in ("p", "с", "pp"):
            del f["note"]
    if ref.type in ("article-journal", "paper-conference", "chapter"):
        _explicit(ref, text)
    if "volume" not in f and ref.type in ("book", "chapter", "report", "document", "thesis"):
        title = f.get("title", "")
        m = _VOLUME_SENTENCE.search(title)
        if m and m.start() > 0:
            f["volume"] = m.group("v")
            rest = re.sub(r"\s*,(?:\s*,)+", ",", title[: m.start()] + title[m.end():])
            rest = re.sub(r"(?<!\.)\.\s*\.(?!\.)", ".", rest)
            rest = rest.strip(" .,:;–—")
            if rest:
                f["title"] = rest
        elif not m:
            m = _VOLUME_SENTENCE.search(text)
            if m and m.start() > 0 and not any(m.group() in v for k, v in f.items()
                                               if k not in ("title", "note")):
                f["volume"] = m.group("v")
    volume = f.get("volume")
    issued = ref.dates.get("issued")
    if issued is None:
        # "Nuclear Technology. 2019;", "Издат. - Т.1, -2010, - 770 с.": a year the tagger took
        # for a volume or a page, printed with no marker of its own, is the year
        for var in ("volume", "page"):
            value = f.get(var, "")
            if _LONE_YEAR.fullmatch(value) and not re.search(
                    rf"(?:{_ANY_MARK})\.?\s?{value}(?!\d)", text):
                issued = Date(parts=((int(value),),))
                ref.dates["issued"] = issued
                del f[var]
                break
        volume = f.get("volume")
    if volume and issued is not None and volume == str(issued.year) and not re.search(
            rf"(?:Т|Vol|vol|v|V|Том|Volume)\.?\s?{volume}\b", text):
        del f["volume"]
    if "volume" not in f and f.get("issue"):
        m = _NO_PAIR.search(text)
        if m and f["issue"].startswith(m.group("a")):
            a, b = int(m.group("a")), int(m.group("b"))
            if a > b and b <= 12:
                f["volume"], f["issue"] = str(a), str(b)
    if "volume" not in f and ref.type == "article-journal":
        _bare_numbers(ref, text)
    volume = f.get("volume")
    if volume and ref.type == "book" and "issue" not in f and "page" not in f and not re.search(
            rf"(?:{_VOL_ANY})\.?\s?(?:[–—-]\s?)?{re.escape(volume)}(?![\d])|(?<![\d]){re.escape(volume)}"
            r"\s?(?:vols?|volumes|тт?\.|томах|Bde?)", text):
        # "Moscow. Drofa Publ., 200, 381 p.": a book's volume is always printed with its word
        del f["volume"]
        f["note"] = "; ".join(x for x in (f.get("note"), volume) if x)
    page, issue = f.get("page"), f.get("issue")
    if page and issue and page.startswith(issue) and re.search(
            rf"(?:№|No|no)\.?\s?{re.escape(page)}", text) and not re.search(
            rf"(?:{_PAGE_ANY})\.?\s?{re.escape(page)}", text):
        del f["page"]  # "№ 11-12": the issue read twice
        f["issue"] = page
    if "page" not in f and f.get("volume") and ref.type == "article-journal":
        m = _ARTICLE_NO.search(text)
        if m and m.group("v") == f["volume"] and not (issued and m.group("n") == str(
                issued.year)):
            f["page"] = m.group("n")
