"""Standards and legal acts: the parts a regular expression reads better than the tagger.

A standard is known by its designation, a prefix from ``data/parse.json`` (``kinds.
standard_prefixes``: ГОСТ Р, ОСТ, СТО, СП, СНиП, НП, ПНАЭ Г, РД, ТУ, ISO, IEC, ASME...) followed by
its code (``ГОСТ Р ИСО/МЭК 31010-2011``, ``НП-001-15``, ``ПНАЭ Г-01-011-97 (ОПБ 88/97)``),
printed at the start of the reference or as a sentence of its own (``Правила ... НП-040-02.``).
Its status statements (``Введ. 2004-07-01``, ``Взамен ГОСТ 16263-70``) go to ``status``.

A legal act is known by its kind (``Федеральный закон``, ``Постановление Правительства
Российской Федерации``, ``Decree of the Government of the Russian Federation``) followed by its
date (``от 21.07.1997``, ``dated July 11, 2011``) and/or number (``№ 116-ФЗ``, ``No. 1316-r``).

Both are found before the tagger runs and blanked out of the string it sees; the rest of the
reference (title, imprint, where an act was published, URL) is read as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..dates import parse_date
from ..model import Date
from .lexicon import tables

__all__ = ["Normative", "find_normative"]


@dataclass(slots=True)
class Normative:
    """A standard's designation or a legal act's heading, as found in a reference."""

    kind: str  # "standard", "legislation" or "regulation"
    number: str | None = None
    status: str | None = None
    genre: str | None = None
    issued: Date | None = None
    title: str | None = None
    authority: str | None = None
    note: str | None = None
    spans: tuple[tuple[int, int], ...] = ()


_CODE = (r"(?:[A-ZА-ЯЁ][\s-]?(?=\d))?\d+(?:\s\d{3}(?=[-–.]))?(?:[A-Za-zА-Яа-я]{0,2})"
         r"(?:(?:[.:/]|\s?[-–]\s?(?=\d)|-(?=[A-ZА-ЯЁ]))[A-ZА-ЯЁ]{0,3}\d+[A-Za-zА-Яа-я]{0,3})*")


@cache
def _designation() -> re.Pattern[str]:
    prefixes = sorted(tables()["kinds"]["standard_prefixes"], key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s") for p in prefixes)
    one = (rf"(?:{alt})(?:[\s-]|(?=\d))(?:[A-ZА-ЯЁ]{{2,6}}\s(?=\d))?{_CODE}"
           rf"(?:\s?\((?:{alt})[\s-]?{_CODE}\))?")
    return re.compile(rf"(?<![\w/.-])(?P<num>{one}(?:\s?[–,;]\s?{one})*)(?![\w-])")


_CAPS_CODE = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁa-z/]*[A-ZА-ЯЁa](?:[\s/-][A-ZА-ЯЁ/]{1,8})*[\s-]?\d")
_STANDARD_LEAD = re.compile(r"^\W*(?:(?:Standard|Стандарт(?:\s+организации)?)\s+)?", re.I)
_SENTENCE_END = re.compile(r"\s*(?:$|[.,;:(«\"\[]|[–—]\s|\s[A-ZА-ЯЁ])")
_AUTHOR_START = re.compile(r"^\W*[A-ZА-ЯЁ][\w'’-]+,?\s(?:[A-ZА-ЯЁ]\.\s?){1,3}")
_ABBREV_DOT = re.compile(r"(?:^|[\s(])(?:[A-Za-zА-Яа-яЁё]{1,3}|[Ss]er|[Ss]eries|Серия|Сер)\.$")
_PREPOSITION = re.compile(r"(?:\b(?:по|в|к|с|на|для|о|об|of|to|for|with|in|on|under|by|"
                          r"per|according|acc\.|см\.|see)\s*)$", re.IGNORECASE)
_STATUS = re.compile(
    r"(?<!\w)(?:(?:Введ(?:ен[оа]?)?\.?|Дата\s+введения)\s*(?:впервые|в\s+действие)?\s*"
    r"(?:с\s*)?(?:\d{4}-\d\d-\d\d|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+[а-я]+\s+\d{4})?(?:\s*г\.)?"
    r"|(?:Взамен|Instead(?:\s+of)?|Replaces|Supersedes)\s+[^.;–—]+?(?=\s*(?:[.;–—]|$))|"
    r"(?:[Ii]ntroduced|[Ee]ffective|Intr\.)(?:\s+(?:on|from))?\s*(?:\d{4}-\d\d-\d\d|\d{1,2}\.\d{1,2}\.\d{4})|"
    r"Изд\.\s*офиц\.|Издание\s+официальное|"
    r"Переизд\.(?:\s*[^.;–—]+)?)", re.IGNORECASE)


# the act that approved or enacted a standard, printed with it: "(утв. постановлением Госатомнадзора
# РФ от 3 мая 1995 г. № 7)", "Введен в действие приказом ОАО ... № 1782 от 17.12.2009",
# "Approved by Order of the Federal ... Service No. 106 dated March 11, 2020"
_APPROVAL = re.compile(
    r"[(\[]?\s*(?:(?:утв\.|утвержден\w*|Утвержден\w*|[Aa]pproved\s+by(?:\s+(?:the|a|an))?|"
    r"[Ee]nacted\s+by(?:\s+the)?|[Ii]ntroduced\s+by(?:\s+the)?|[Вв]веден\w*\s+в\s+действие)\s+|"
    r"(?<=[.;(]\s)(?=[A-ZА-ЯЁ])|(?<=[.;(])(?=[A-ZА-ЯЁ])|(?<=:\s))"
    r"(?:[Пп]остановлени\w+|[Пп]риказ\w*|[Рр]аспоряжени\w+|[Рр]ешени\w+|[Oo]rder|[Rr]esolution|"
    r"[Dd]ecree|[Pp]ostanovleni\w+|[Pp]rikaz\w*)(?:(?!//|https?:|[()\[\]]).){0,200}?"
    r"(?:(?:№|No\.?|no\.?|N(?=\s?\d))\s*[\w/.-]*\d[\w/-]*(?:\s*,?\s*(?:от|ot|of|dated|from|"
    r"\.\s*[Dd]ated)\s+\d[\d.]*\d(?:\s*г\.)?|\s*,?\s*(?:от|ot|of|dated|from)\s+\d{1,2}\s+\w+\.?,?\s+"
    r"\d{4}(?:\s*г\.)?|\s*,?\s*(?:dated|of|from)\s+[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})?)"
    r"\s*[)\]]?")


def _standard(text: str) -> Normative | None:
    """The designation of a standard printed at the start or as a sentence of its own."""
    if not _CAPS_CODE.search(text):
        return None  # no capitals followed by a number: no designation
    lead = _STANDARD_LEAD.match(text)
    start_at = lead.end() if lead else 0
    for m in _designation().finditer(text):
        if len(m.group("num")) > 80:
            continue
        before = text[: m.start()].rstrip()
        if re.search(r"(?:[Ss]eries|[Сс]ерия|[Сс]ерии)\s*,?\s*(?:No\.?|№|N)$", before):
            continue  # "IAEA Nuclear Energy Series No. NP-T-2.9": a series number
        at_start = m.start() <= start_at + 1 or not before.strip(" .–—-\"«[(")
        if not at_start:
            if not _SENTENCE_END.match(text, m.end()) or "//" in before:
                continue
            boundary = before.endswith((";", "/", "–", "—", "[")) or (
                before.endswith(".") and not _ABBREV_DOT.search(before))
            if not boundary and (
                    _PREPOSITION.search(before) or _AUTHOR_START.match(text)
                    or m.start() > 240):
                continue  # a standard named inside a sentence: the work is about it
        number = " ".join(m.group("num").split())
        tail = re.match(r"\s*[.:,]?", text[m.end():])
        spans = [(m.start(), m.end() + (tail.end() if tail else 0))]
        note = issued = None
        if any(k in text for k in _APPROVAL_KEYS):
            a = _APPROVAL.search(text, m.end())
            if a:
                spans.append(a.span())
                note = " ".join(a.group().split()).strip(" .,;")
                issued = _first_date(a.group())
        status = []
        for s in _STATUS.finditer(text):
            if s.start() >= m.end() and s.group().strip() and not any(
                    a <= s.start() < b for a, b in spans[1:]):
                spans.append(s.span())
                status.append(" ".join(s.group().split()).rstrip(" .;,"))
        return Normative("standard", number=number, status="; ".join(status) or None,
                         note=note, issued=issued, spans=tuple(spans))
    return None


_APPROVAL_KEYS = ("утв", "Утв", "pproved", "nacted", "ntroduced", "действие", "остановл",
                  "риказ", "аспоряж", "ешени", "Order", "Resolution", "Decree", "Postanovl",
                  "Prikaz")


def _first_date(text: str) -> Date | None:
    m = re.search(_DATE, text)
    if not m:
        return None
    found = parse_date(re.sub(r"\s*(?:г\.|года|г)$", "", " ".join(m.group().replace(". ", ".")
                                                                   .split())))
    return found if found is not None and found.parts else None


_RU_MONTHS = (r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|"
              r"декабря)")
_EN_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
              r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (rf"(?:\d{{1,2}}\s?\.\s?\d{{1,2}}\s?\.\s?\d{{4}}|\d{{1,2}}\s+{_RU_MONTHS}\s+\d{{4}}|"
         rf"\d{{1,2}}\s+{_EN_MONTHS}\s?,?\s+\d{{4}}|{_EN_MONTHS}\s+\d{{1,2}}\s?,?\s+\d{{4}})"
         r"(?:\s*(?:г\.|года|г(?!\w)))?")
_NUMBER = r"(?:№|N°|No\.?|Nо\.?|N(?=\s?\d)|no\.?|nr\.?)\s*(?P<{}>[\w/.!-]*\d[\w/!-]*(?:\.\d+)?)"
_ON = r"(?:от|ot|of\s+the|of|[Dd]ated|from|,|\.\s*[Dd]ated)"


_RU_KINDS = {"Федеральный конституционный закон":
             r"Федеральн\w{2,3}\s+конституционн\w{2,3}\s+закон",
             "Федеральный закон": r"Федеральн\w{2,3}\s+закон"}


@cache
def _act() -> re.Pattern[str]:
    k = tables()["kinds"]
    kinds = []
    for word in sorted(k["act_legislation"] + k["act_regulation"], key=len, reverse=True):
        if word in _RU_KINDS:
            kinds.append(_RU_KINDS[word] + r"[а-я]{0,3}")
        elif re.search(r"[А-Яа-я]", word):
            stem = word[:-1] if word[-1] in "еоиьая" else word
            # "Постановление", and "утвержденная постановлением" in lower case
            kinds.append(f"[{stem[0]}{stem[0].lower()}]" + re.escape(stem[1:]) + r"[а-я]{0,3}")
        else:  # "Order", and "the order of ..." after "The"
            rest = re.escape(word[1:]).replace(r"\ ", r"\s+")
            kinds.append(f"[{word[0]}{word[0].lower()}]{rest}")
    kind = "(?P<kind>" + "|".join(kinds) + r")(?![\w-])"
    number = _NUMBER.format("x").replace("(?P<x>", "(?:")
    stop = rf"\s*,?\s*(?:{_ON}\s*{_DATE}|{number})"
    body = rf"(?P<body>(?:(?!{stop})[^.;«\"“/\n]){{0,160}}?)"
    details = (rf"(?:\s*,?\s*(?:(?:{_ON}\s*)?(?P<d>{_DATE})\s*,?\s*(?:{_NUMBER.format('n')})?|"
               rf"{_NUMBER.format('n2')}\s*,?\s*(?:(?:{_ON}\s*)?(?P<d2>{_DATE}))?))")
    pre = (r"(?P<pre>^|[.;/\[(]\s?|\bby\s(?:the\s|a\s)?|утв\.\s|^[Tt]he\s|[Уу]твержден\w*\s|"
           r"(?:^|(?<=[.;/]\s))(?P<auth>[A-Z][a-z]{3,20})\s)")
    quoted = r"(?P<qt>\s*[«“\"][^»”\"]{3,300}[»”\"])?"  # "Указ ... «О ...» №752 от 30.09.2013"
    return re.compile(rf"{pre}{kind}{body}{quoted}{details}")


_ACT_KEYS = ("акон", "Кодекс", "Указ", "Постановлен", "Приказ", "Распоряж", "Решени", "Директив",
             "Регламент", "Декрет", "Письм", "Law", "law", "Code", "Decree", "decree",
             "Resolution", "Order", "Directive", "Regulation", "Ordinance", "Act", "Instruction",
             "Postanovl", "Rasporyazh", "Prikaz", "Ukaz", "akon", "Federal", "order", "resolution",
             "остановлени", "риказ", "аспоряжени")
_ACT_CUE = re.compile(r"(?<!\w)(?:[Зз]акон|Кодекс|Указ|Постановлен|Приказ|Распоряж|Решени|"
                     r"Директив|Регламент|Декрет|Письм|Law|law|Code|Decree|decree|Resolution|"
                     r"(?<=The\s)order|Order|(?<=by\s)(?:a\s)?resolution|постановлени|приказ|"
                     r"распоряжени|Directive|Regulation|Ordinance|Act|Instruction|Postanovleni|"
                     r"Rasporyazheni|Prikaz|Ukaz|Federal.nyj|Federalnyy|[Zz]akon)")
_LEGISLATION_WORDS = re.compile(r"закон|кодекс|конституц|указ|zakon|kodeks|ukaz|law\b|code\b|"
                                r"constitution|act\b|presidential|executive\s+order", re.IGNORECASE)
_TITLE_AFTER = re.compile(r"\s*[.,]?\s*(?:(?P<p>\([^()]{3,60}\))\s*)?"
                          r"(?P<t>«(?:[^«»]|«[^«»]*»)+»|“[^”]+”|\"[^\"]+\")")
_LEAD_IN = re.compile(r"[\[(]?\s*(?:(?:[Aa]pproved|[Ee]nacted|[Ii]ntroduced|[Aa]dopted)\s+by"
                      r"(?:\s+the|\s+a)?|"
                      r"утв\.|утвержден[аоы]?|утвержденн?ая|введен[аоы]?\s+в\s+действие)\s*$")
_TRAILING_OF = re.compile(r"(?:\s+(?:of|the|от|by))+$")
_LOWER_TITLE = re.compile(r"^\s+(?:о|об|от|on|about)\s", re.IGNORECASE)


def _legal(text: str) -> Normative | None:
    if not any(k in text for k in _ACT_KEYS) or not _ACT_CUE.search(text):
        return None
    for m in _act().finditer(text):
        number = m.group("n") or m.group("n2")
        if not (m.group("d") or m.group("d2") or number):
            continue
        kind_text = m.group("kind")
        if kind_text[:1].islower() and not m.group("pre").strip().endswith(("утв.", "by",
                                                                            "the", "The", "a")) \
                and not m.group("pre").lower().startswith("утвержден"):
            continue
        body = m.group("body") or ""
        title = None
        if _LOWER_TITLE.match(body):
            title = body.strip()
            body = ""
        genre = _TRAILING_OF.sub("", " ".join((kind_text + body).split()).strip(" ,"))
        date_text = m.group("d") or m.group("d2")
        if date_text:  # "03.02.2010 г.": the year's word is no part of the date
            date_text = re.sub(r"\s*(?:г\.|года|г)$", "", date_text.strip())
        issued = parse_date(re.sub(r"\s+,", ",", " ".join(date_text.replace(". ", ".").split()))
                            ) if date_text else None
        if issued is not None and not issued.parts:
            issued = None
        note = None
        start = m.start("auth") if m.group("auth") else m.start("kind")
        if m.group("pre").strip() in ("The", "the"):  # "The order of April 19, 2007 No 484-r"
            start = m.start("pre")
            genre = f"{m.group('pre').strip()} {genre}"
        lead = _LEAD_IN.search(text, 0, start)
        if lead:
            start = lead.start()  # "Approved by the", "[утв.": part of the kind as printed
            genre = " ".join((lead.group().strip(" [(") + " " + genre).split())
        end = m.end()
        if text[start:start + 1] in "[(":
            close = re.match(r"\s*[\])]", text[end:])
            if close:
                end += close.end()
        spans = [(start, end)]
        if m.group("qt") and title is None:
            title = m.group("qt").strip()[1:-1].strip()
        after = _TITLE_AFTER.match(text, m.end())
        if after and title is None:
            title = after.group("t")[1:-1].strip()
            spans.append(after.span())
            note = after.group("p")
        kind = "legislation" if _LEGISLATION_WORDS.search(kind_text) else "regulation"
        return Normative(kind, number=number.rstrip(".,") if number else None,
                         genre=genre, issued=issued, title=title, authority=m.group("auth"),
                         note=note,
                         spans=tuple(spans))
    return None


def find_normative(text: str) -> Normative | None:
    """A standard's designation or a legal act's heading in ``text``, or None.

    >>> n = find_normative("ГОСТ Р ИСО/МЭК 31010-2011. Менеджмент риска. Методы оценки риска.")
    >>> n.kind, n.number
    ('standard', 'ГОСТ Р ИСО/МЭК 31010-2011')
    >>> n = find_normative("Федеральный закон от 21.07.1997 № 116-ФЗ «О промышленной "
    ...                    "безопасности».")
    >>> n.kind, n.genre, n.number, n.issued.iso(), n.title
    ('legislation', 'Федеральный закон', '116-ФЗ', '1997-07-21', 'О промышленной безопасности')
    """
    return _standard(text) or _legal(text)
