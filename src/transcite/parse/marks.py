"""The marks of a document type, found in a reference before the tagger reads it.

Each kind of document prints a part that says what it is and that regular expressions read
reliably: a standard's designation or a legal act's heading (:mod:`.normative`), a patent's
number (:mod:`.patents`), a thesis's degree statement (``Дисс. канд. техн. наук``, ``автореф.
дис. ... д-ра физ.-мат. наук``, ``Cand. Sci. (Engineering) Diss.``, ``PhD thesis``), a report's or
preprint's number (``Препринт ФЭИ-2887``, ``Technical Report UCRL-TM-218475``), a series and its
number (``IAEA Nuclear Energy Series No. NF-T-4.4``), the number of volumes (``в 3-х томах``),
full dates and conference days (:mod:`.spans`). :func:`find_marks` finds them and blanks them out
of the string (a date keeps its year), so that the tagger reads only what is left: authors,
titles, containers, the imprint. :mod:`.kinds` sets the fields from the marks afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normative import Normative, find_normative
from .patents import Grant, find_grant
from .spans import DateSpan, blank, find_dates

__all__ = ["Marks", "find_marks"]


@dataclass(slots=True)
class Marks:
    """What :func:`find_marks` found, and the string with those parts blanked out."""

    text: str
    dates: list[DateSpan] = field(default_factory=list)
    normative: Normative | None = None
    grant: Grant | None = None
    degree: str | None = None
    report: tuple[str, str | None] | None = None  # (genre, number)
    report_code: str | None = None  # a report number printed alone (LA-UR-03-1987)
    series: tuple[str, str] | None = None  # (collection-title, collection-number)
    volumes: str | None = None
    article_no: str | None = None  # "Article ID 392721", "Article No. 112363": the page
    numbered: tuple[str, str] | None = None  # (genre, number): "Депонированная рукопись № 50-В2021"
    numbered_by: str = ""  # the body printed between the document's name and its number
    editors: tuple[str, str] | None = None  # (role words, names) of an editor statement
    event_place: str | None = None
    dated_text: str | None = None  # the text with the dates left in (for notes as printed)
    printed: dict[str, str] = field(default_factory=dict)  # each mark's text as printed


_DEGREE_CUE = re.compile(
    r"(?<![\w-])(?:[Аа]втореф(?:ерат)?\.?(?:\s+дисс?(?:ертации)?\.?)?|[Дд]исс?\.|[Дд]иссертаци[яи]|"
    r"(?:[Кк]андидатская|[Дд]окторская)\s+диссертация|Diss\.|[Dd]issertation|Thesis|thesis|"
    r"(?:Ph\.?\s?D\.?|M\.?A\.?|M\.?Sc?\.?|B\.?A\.?|B\.?Sc\.?|Doctoral|Bachelor['’]?s|Honou?rs|"
    r"Diploma)(?=\s+(?:[Tt]hesis|[Dd]iss))|Master['’]?s|Cand\.\s*(?:Sci|Tech|Phys)\.?|"
    r"Dr\.\s*Sci\.|Doct\.\s*Sci\.|Candidate\s+of\s+\w+\s+Sciences?)(?![\w-])")
_DEGREE_WORD = re.compile(
    r"^(?:\.\.\.|…|[а-яё][а-яё.\-]*[,:;]?|\d\d\.\d\d\.\d\d[.:,;]?|\([A-Za-z.\- ]+\)[.,:;]?|"
    r"\((?:[а-яё.\- ]+)\)[.,:;]?|(?:Cand|Sci|Dr|Diss|Eng|Tech|Phys|Math|Econ|Chem|Biol|Med|PhD|"
    r"Ph\.D|Candidate|Doctor|Doctoral|Sciences?|Technical|Engineering|Physical|Mathematical|"
    r"Economic|Thesis|Dissertation|Diploma|Master['’]?s|Degree|of|in|the|degree|thesis|"
    r"dissertation|kand|dokt|d-ra|doktora|kandidata|tekhn|tehn|fiz\.-mat|fiz|khim|him|biol|ekon|"
    r"med|nauk|tekhnicheskikh|tehnicheskih|na|soisk|uch|st)[.,:;]?)$")
_REPORT = re.compile(
    r"(?P<g>[Пп]репринт|Preprint|preprint|[Оо]тч[её]т\s+о\s+НИР|[Оо]тч[её]т|[Oo]tch?[eyo]t|"
    r"Technical\s+[Rr]eports?|"
    r"Tech(?:nical)?\.\s*[Rr]ep(?:ort)?\.?|Research\s+[Rr]eport|Report|report)"
    r"(?P<inst>(?:\s*,?\s*(?!No\b|Nr\b)[A-ZА-ЯЁ][A-ZА-ЯЁa-zа-яё.]*(?:\s+им\.\s+[А-ЯЁ.\s]+[А-ЯЁ][а-яё]+)?)"
    r"{0,4}?)\s*[,:]?\s*(?P<no>№|No\.?|Nr\.?|no\.?|N(?=\s?\d))?\s*"
    r"(?P<num>(?:[A-ZА-ЯЁ]{2,}(?:[\s/-](?:[A-ZА-ЯЁ]{2,}|[A-Z](?=-)|\([A-Z]{2,}\)))*[-–/\s]?)?"
    r"\d+(?:[-/.]\d+)*(?:[-/][A-Z]+)?)"
    r"(?![\w.]*\d)")
# a document known by its number: a deposited manuscript, a technical note, an inventory number,
# a talk's number in its proceedings ("Доклад № 13", "Report no. 13" is read as a report)
_NUMBERED = re.compile(
    r"(?<![\w-])(?P<g>[Дд]епонированн\w+\s+рукопис\w+|[Дд]еп\.\s*рукоп\w*\.?|[Dd]eposited\s+"
    r"[Mm]anuscript|[Тт]ехническ\w+\s+справк\w|Technical\s+[Cc]ertificate|[Дд]оклад|"
    r"[PpРр]aper(?=\s*(?:№|[Nn]o\.?)\s*\d)|Инв\.|инв\.|[Ee]xplanatory\s+[Nn]ote|"
    r"[Пп]ояснительная\s+записка|[Aa]rchive\s+[Ii]tem|[Аа]рхивная\s+единица\s+хранения|[Dd]eposition|"
    r"Inv\.|[Ii]nventory|[Ии]нвентарный\s+номер)"
    r"(?P<gap>[^.;№\n]{0,100}?(?:«[^»]{0,80}»[^.;№\n]{0,40}?)*?)"
    r"\s*[,:]?\s*(?:№|No\.?|no\.?|N(?=\s?\d))\s*"
    r"(?P<num>\d+(?:[-/.]\d+)*(?:[-/]?[A-ZА-ЯЁ]+\d*)?(?:[-/]\d+)*)(?![\w.]*\d)")
_REPORT_BEFORE = re.compile(r"(?P<inst>[A-ZА-ЯЁ]{2,})\s+(?P<g>Preprint|Препринт)\s?[-–]?\s?"
                            r"(?P<num>\d+)")
_REPORT_CODE = re.compile(
    r"(?<![\w/-])(?:LA[-–]UR|LA[-–]CP|LA|ORNL/TM|ORNL|INL/EXT|ANL|BNL|UCRL(?:-TM)?|SAND|IAEA-TECDOC|"
    r"PSR|CCC|JEFDOC|NEA/NSC/DOC|"
    r"TECDOC|JAEA-Research|JAERI-Research|JAEA|JAERI|KfK|FZKA|NEA/NSC/R|NEA/CSNI/R|EUR|GA-A|PNNL|"
    r"IAEA-CN|EPRI|ANS|CEA-R|JRC)(?:[-–/ ]|(?=\d))[A-Z]{0,6}[-–]?\d[\w/.–-]*(?<![.–-])"
    r"(?:\s*,?\s*Rev\.\s?\d+)?")
_SERIES = re.compile(
    r"(?P<t>(?:IAEA\s+|МАГАТЭ\s+)?(?:[A-Z][\w-]*\s+){0,4}(?:Series|series)|"
    r"(?:IAEA|МАГАТЭ)\s+(?:[a-z][\w-]*\s+){1,3}series|"
    r"(?:Серия|серия)\s+(?:изданий\s+)?(?:МАГАТЭ\s+)?(?:[а-яё-]+\s+){0,3}[а-яё-]+|"
    r"(?:Techn?\.?\s+|Technical\s+)?Rep(?:orts?)?\.?\s+Ser(?:ies)?\.?)"
    r"\s*,?\s*(?:No\.?|№|N(?=\s?\d)|no\.?)\s*(?P<n>[\w.-]*\d[\w.-]*(?<!\.))")
_VOLUMES = re.compile(
    r"(?<!\w)(?:[Вв]\s+(?P<n>\d+)(?:-?(?:х|ти|ми))?\s+(?:томах|т\.)|[Вв]\s+(?P<w>двух|тр[её]х|"
    r"четыр[её]х|пяти|шести|семи|восьми|девяти|десяти)\s+(?:томах|т\.|книгах)|"
    r"in\s+(?P<e>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+vol(?:umes|s?\.)?)(?!\w)")
_WORD_NUMBERS = {"двух": "2", "трех": "3", "трёх": "3", "четырех": "4", "четырёх": "4",
                 "пяти": "5", "шести": "6", "семи": "7", "восьми": "8", "девяти": "9",
                 "десяти": "10", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
_NAME = (r"(?:[A-ZА-ЯЁ][\w'’-]+\s?(?:[A-ZА-ЯЁ][a-zа-яё]?\.\s?-?){1,3}|"
         r"(?:[A-ZА-ЯЁ][a-zа-яё]?\.\s?-?){1,3}\s?[A-ZА-ЯЁ][\w'’-]+)")
# the degrees and titles printed before an editor's name ("д-ра физ.-мат. наук проф.")
_ED_TITLE = (r"(?:(?:д-ра|докт\.|канд\.|к\.|д\.)\s?[а-яё.-]+\s?(?:[а-яё.-]+\s)?наук\s+|"
             r"(?:акад|проф|доц|prof|Prof|Acad|acad|Dr)\.\s+|(?:чл\.-корр\.|академика)\s+(?:РАН\s+)?)*")
_ED_TITLE_RE = re.compile(_ED_TITLE[:-1] + "+")
_EDITORS = re.compile(
    rf"(?:(?<=[.,;:(\[/]\s)|(?<=[.,;:(\[/])|^|(?<=\s)(?=[Пп]од\s+ред|[Pp]od\s+red))"
    rf"(?P<role>(?:Editorship\s+of|Eds?\.|Edit\.|Edited|Ed\.|Под|под|Отв\.|отв\.|Pod|pod|Otv\.|otv\.)"
    rf"(?:\s+(?:by|общ\.|общей|науч\.|научной|ред\.|редакцией|ред(?=\s)|obshch\.|obshh\.|nauch\.|"
    rf"red\.|redaktsiei|redaktsiey|redakciej))*"
    rf"):?\s+{_ED_TITLE}"
    rf"(?P<names>{_NAME}(?:\s?,\s?{_ED_TITLE}{_NAME})*(?:,?\s+(?:and|и|&)\s+{_ED_TITLE}{_NAME})?)"
    rf"(?:\s?,?\s?(?:et\s+al\.|и\s+др\.))?")
# an article's number in a journal that numbers articles instead of pages (CSL's place for it is
# "page", as for "Vol. 164. – 112221")
_ARTICLE_NO = re.compile(r"(?<![\w-])(?:[Aa]rticle|[Aa]rt\.|Статья|статья)\s*"
                         r"(?:ID|[Nn]o\.?|[Nn]umber|№|[Nn]r\.?)\s*:?\s*(?P<n>[A-Za-z]?\d[\d.-]*\d|\d)(?![\w-])")
_PLACE_BEFORE = re.compile(r"(?:^|[.,;]\s|//\s?|[–—]\s|\s)(?P<p>(?:г\.\s?)?[A-ZА-ЯЁ][\w-]+"
                           r"(?:(?:,\s|\s)\(?[A-ZА-ЯЁ][\w-]+\)?){0,2})\s*[,;]?\s*$")


_DATE_WORD = re.compile(r"(?i)(?<!\w)(?:опубл(?:иковано|икован|\.)?|заявл\.|published|publ\.|"
                        r"application(?:\s+from)?|appl\.|filed|приоритет\s+от|prioritet\s+ot|"
                        r"заявка\s+от\.?|зарегистр(?:ировано|ирована|\.)?(?:\s+в\s+реестре\s+"
                        r"программ\s+для\s+ЭВМ)?|registered(?:\s+in\s+the\s+register\s+of\s+"
                        r"computer\s+programs)?(?:\s+on)?)\s*:?\s*$")


_DEGREE_KEYS = ("дис", "Дис", "втореф", "Diss", "diss", "hesis", "Ph", "Cand", "Dr.", "Doct",
                "Master", "MA ", "M.A", "MSc", "M.Sc", "BA ", "B.A", "BSc", "Honou", "Diploma",
                "Doctoral", "Bachelor", "андидатск", "окторск")
_NUMBERED_KEYS = ("епонир", "еп. рук", "eposited", "справк", "ertificate", "оклад", "нв.", "Inv",
                  "inv", "нвентар", "aper", "xplanatory", "записка", "rchive", "хранения",
                  "eposition")
_CODE_KEYS = ("LA-", "LA–", "PSR", "CCC", "JEFDOC", "ORNL", "INL/", "ANL", "BNL", "UCRL", "SAND",
              "TECDOC", "JAEA", "JAERI",
              "KfK", "FZKA", "NEA/", "EUR", "GA-A", "PNNL", "IAEA-CN", "EPRI", "ANS", "CEA-R",
              "JRC")


def _degree(text: str) -> tuple[str, tuple[int, int]] | None:
    m = _DEGREE_CUE.search(text)
    if not m:
        return None
    end = m.end()
    for w in re.finditer(r"\S+", text[m.end():]):
        word = w.group()
        if not _DEGREE_WORD.match(word):
            break
        end = m.end() + w.end()
    if m.group() in ("thesis", "Thesis", "dissertation") and (
            re.search(r"\b[Oo]f\s+$", text[max(0, m.start() - 4): m.start()])
            or re.match(r"\s+(?:and|of|&)\s", text[m.end():])):
        return None  # "Scope of thesis and reports": a conference's abstracts (тезисы)
    genre = text[m.start(): end].strip(" ,;:")
    if genre.endswith(".") and re.search(r"(?:наук|[Tt]hesis|[Dd]issertation|диссертации)\.$",
                                         genre):
        genre = genre[:-1]
    return genre, (m.start(), end)


def find_marks(text: str) -> Marks:
    """Find the marks of a document type in ``text`` and blank them out (see the module doc).

    >>> m = find_marks("Иванов И.И. Теплообмен. Дисс. канд. техн. наук. – М.: МГСУ, 2015. – 181 с.")
    >>> m.degree
    'Дисс. канд. техн. наук'
    >>> m = find_marks("Доклад. – г. Заречный, 07.02.2011.")
    >>> m.dates[0].date.iso(), " ".join(m.text.split())
    ('2011-02-07', 'Доклад. – г. Заречный, 2011.')
    """
    marks = Marks(text)
    spans: list[tuple[int, int]] = []
    date_spans: list[tuple[int, int]] = []
    marks.dates = find_dates(text)
    for d in marks.dates:
        date_spans.append((d.start, d.end))
        if d.is_range and marks.event_place is None:
            p = _PLACE_BEFORE.search(text, max(0, d.start - 60), d.start)
            if p and not re.search(r"\d|[Pp]ubl|Изд|изд", p.group("p")):
                marks.event_place = p.group("p").strip(" ,;")
                spans.append(p.span("p"))
    marks.normative = find_normative(text)
    if marks.normative is not None:
        spans.extend(marks.normative.spans)
        marks.printed["normative"] = "; ".join(" ".join(text[s:e].split()).strip(" ,.")
                                               for s, e in marks.normative.spans)
        # an act's date and a standard's "Введ. 2004-07-01" are read with them, not as issued
        inside = [d for d in marks.dates if any(s <= d.start < e for s, e in
                                                marks.normative.spans)]
        marks.dates = [d for d in marks.dates if d not in inside]
    else:
        marks.grant = find_grant(text)
        if marks.grant is not None:
            spans.extend(marks.grant.spans)
            marks.printed["grant"] = "; ".join(" ".join(text[s:e].split()).strip(" ,.")
                                               for s, e in marks.grant.spans)
            # "Опубликовано 10.03.2009", "Application from 27.09.2011": the word that says which
            # date it is goes with the date (kept as a date, not read as a publisher)
            for d in marks.dates:
                k = _DATE_WORD.search(text, max(0, d.start - 64), d.start)
                if k:
                    spans.append((k.start(), d.start))
    if marks.normative is None and marks.grant is None:
        found = _degree(text) if any(c in text for c in _DEGREE_KEYS) else None
        if found:  # the degree line stays for the tagger: it reads it as the genre
            marks.degree = found[0]
        low = text.lower()
        if "реп" in low or "prep" in low or "отч" in low or "rep" in low:
            r = _REPORT.search(text) or _REPORT_BEFORE.search(text)
            if r and not r.groupdict().get("no") and \
                    re.fullmatch(r"(?:[A-ZА-ЯЁ/-]+\s)?(?:1[89]|20)\d\d", r.group("num").strip()):
                r = None  # "Technical report, 2013": a year, no number
            if r and not any(s <= r.start() < e for s, e in date_spans):
                marks.report = (" ".join(r.group("g").split()), r.group("num").strip())
                # the number is blanked; the genre word stays for the tagger to read
                start = r.end("inst") if r.start("g") < r.start("num") else r.start("num")
                if r.re is _REPORT_BEFORE:  # "IPPE Preprint – 3145": the body names the series
                    marks.report = (f"{r.group('inst')} {r.group('g')}", r.group("num"))
                    start = r.start()
                spans.append((start, r.end()))
                marks.printed["report"] = text[start:r.end()].strip(" ,.")
        if marks.report is None and any(k in text for k in _NUMBERED_KEYS):
            nm = _NUMBERED.search(text)
            if nm and not any(s <= nm.start() < e for s, e in spans):
                marks.numbered = (" ".join(nm.group("g").split()), nm.group("num"))
                marks.numbered_by = " ".join(nm.group("gap").split()).strip(" ,.:;–—")
                spans.append(nm.span())
                marks.printed["numbered"] = nm.group().strip(" ,.")
        if marks.report is None and any(k in text for k in _CODE_KEYS):
            c = _REPORT_CODE.search(text)
            if c:
                marks.report_code = c.group()
                spans.append(c.span())
                marks.printed["report_code"] = c.group()
    if "Ed" in text or "ед" in text or "red" in text or "ditorship" in text:
        e = _EDITORS.search(text)
        if e and not any(s < e.end() and e.start() < t for s, t in spans):
            names = " ".join(_ED_TITLE_RE.sub(" ", e.group("names")).split())
            marks.editors = (e.group("role"), names)
            spans.append(e.span())
            marks.printed["editors"] = e.group().strip(" ,.")
    if "eries" in text or "ерия" in text or "Ser." in text:
        s = _SERIES.search(text)
        if s:
            marks.series = (" ".join(s.group("t").split()), s.group("n"))
            spans.append(s.span())
            marks.printed["series"] = s.group().strip(" ,.")
    if "rticle" in text or "rt." in text or "татья" in text:
        a = _ARTICLE_NO.search(text)
        if a and not any(s <= a.start() < e for s, e in spans):
            # not blanked: the tagger reads the numbers around it better with the words there
            marks.article_no = a.group("n")
            marks.printed["article_no"] = a.group()
    v = _VOLUMES.search(text) if ("том" in text or "vol" in text or " т." in text) else None
    if v:
        marks.volumes = v.group("n") or _WORD_NUMBERS.get((v.group("w") or v.group("e") or
                                                           "").lower(), v.group("e"))
        spans.append(v.span())
    if spans or date_spans:
        out = blank(text, spans)
        marks.dated_text = out
        out = blank(out, date_spans, keep_year=True)
        marks.text = out
    return marks
