"""From labelled segments of a reference string to a :class:`Reference`.

The tagger says which stretch of the string is the author list, the title, the container, the
date, the numbers, the publisher... This module turns each stretch into CSL values: names are
split, role words and list punctuation dropped, ``Т. 3, № 2. С. 49-59`` read into volume, issue
and page, ``М.: Наука`` into place and publisher, ``Title [Translation]`` into the title and its
translated form. :mod:`transcite.parse.classify` then decides the CSL type and the forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..dates import MONTHS
from ..model import Date, Name, Origin, Reference
from .anchors import Anchors
from .cases import OBLIQUE_ROLE, nominative_name, qualify
from .lexicon import tables
from .namelist import given_name, split_names, strip_role
from .numbers import Numbers, find_year, read_numbers
from .segments import Segment, fix_segments, segments, with_dates

__all__ = ["Hints", "Segment", "assemble", "clean", "segments", "translation_split"]


@dataclass(slots=True)
class Hints:
    """What assembling learnt that is not a CSL field: translations in brackets and style cues."""

    translated: dict[str, str] = field(default_factory=dict)
    journal: bool = False
    publ: bool = False
    names_printed: list[str] = field(default_factory=list)  # author segments as printed


_LEAD_JUNK = " \t–—-/,;:.·•"
_TRAIL_JUNK = " \t–—-/,;:"


@cache
def _abbreviations() -> frozenset[str]:
    """Abbreviated words (тр., доп., науч., ed., Publ.): their final dot is kept."""
    return frozenset(w.lower() for w in tables()["abbreviations"])


# short capitalised words that are words, not journal-title abbreviations
_FULL_WORDS = frozenset({"press", "cell", "blood", "brain", "today", "world", "news", "life",
                         "heart", "joint", "gut", "bone", "skin", "lung", "plant", "water",
                         "earth", "space", "mind", "food", "soil", "cells", "genes"})


_GOST_NAME = (r"(?!(?:Part|Vol|Volume|Book|Chapter|Section|Issue|Ч|Часть|Том|Кн|Книга|Rev|Ser)\b)"
              r"[A-ZА-ЯЁ][\w'’-]+\s(?:[A-ZА-ЯЁ][a-zа-яё]?\.\s?-?){1,3}")
_RESPONSIBLE = re.compile(rf"^\s*/?\s*(?P<names>{_GOST_NAME}(?:,?\s*{_GOST_NAME})*)"
                          r"(?=\s*[A-ZА-ЯЁ«\"])")
_ONLINE_TAIL = re.compile(r"\s*[–—-]?\s*(электронное|сетевое)\s*$")
_PERIODICAL = re.compile(r"(?:периодическое|сетевое)\s+издание|online\s+edition", re.IGNORECASE)
_DOUBLE_STOP = re.compile(r"\.(?:\s?\.)+(?=\s|$)")
_QUOTES = (("“", "”"), ("«", "»"), ('"', '"'), ("‘", "’"), ("„", "“"), ("'", "'"))
_OPENING = frozenset(a for a, _ in _QUOTES)
_CLEAN_END = frozenset(_TRAIL_JUNK + ".")
#: "Пер. с англ.", "пер. с нем.": the language is always abbreviated, its dot kept
_TRANSLATED_FROM = re.compile(r"(?i)\bпер\.\s*с\s+[а-яё]{2,6}\.$")


def clean(text: str, *, keep_abbrev: bool = False, journal: bool = False) -> str:
    """Strip list punctuation around a value; keep a final dot that ends an abbreviation.

    With ``keep_abbrev`` a known abbreviation keeps its dot (``доп.``, ``СПб.``); with
    ``journal`` also a short capitalised word (``J. Appl. Phys.``).

    >>> clean("– М.:", keep_abbrev=True), clean("Kinetika reaktorov."), clean("«Title»,")
    ('М.', 'Kinetika reaktorov', 'Title')
    """
    t = " ".join(text.split()).lstrip(_LEAD_JUNK)
    if ". ." in t:  # a part taken out between two sentences leaves their stops side by side
        t = _DOUBLE_STOP.sub(".", t)
    if not t or (t[-1] not in _CLEAN_END and t[0] not in _OPENING):
        return t  # nothing to strip: the common case, answered without the loop
    while True:
        t2 = t.rstrip(_TRAIL_JUNK)
        if t2.endswith(".") and not t2.endswith(".."):
            last = t2.rsplit(" ", 1)[-1][:-1]
            abbrev = (len(last) <= 2 and last[:1].isupper()) or last in ("г", "гг") or (
                "." in last and not last.replace(".", "").isdigit()) or (
                journal and len(last) <= 5 and last[:1].isupper() and not last.isupper()
                and last.lower() not in _FULL_WORDS) or (
                (keep_abbrev or journal) and last.lower() in _abbreviations()) or \
                _TRANSLATED_FROM.search(t2) is not None
            if not abbrev:
                t2 = t2[:-1]
        t2 = t2.strip()
        if len(t2) > 2 and t2[0] in _OPENING:
            for a, b in _QUOTES:
                inner = t2[1:-1]
                if t2[0] == a and t2[-1] == b and a not in inner and b not in inner:
                    t2 = inner.strip()
                    break
        if t2 and t2[0] in "«“" and t2.count(t2[0]) > t2.count("»" if t2[0] == "«" else "”"):
            t2 = t2[1:].strip()  # an opening quote whose closing one is gone
        if t2 == t:
            return t
        t = t2


_SLASH = re.compile(r"\s/\s(?=\S)")
_DATE_WORDS = re.compile(r"[A-Za-zА-Яа-яЁё]+|(?<!\d)\d{1,2}(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)(\d{4})\s*[-–/]\s*(\d{4})(?!\d)")
_NO_WORDS = re.compile(r"[\W\d]*")
_TRAILING_YEAR = re.compile(r"(?:,\s*|\s+)(?:1[5-9]\d\d|20[0-4]\d)$")
_IS_RANGE = re.compile(r"\d\s?[-–—]")
_COMPACT = re.compile(r"(?<![\d.])(1[5-9]\d\d|20[0-4]\d)[a-z]?\s?;\s?(\d+[A-Za-z]?)\s?"
                      r"(?:\((\d+[\w/–-]*)\))?\s?:\s?([A-Za-z]?\d+(?:\s?[-–—]\s?[A-Za-z]?\d+)?)")
_BRACKET = re.compile(r"\[([^\[\]]{3,})\]\s*\.?")
# ("Сб. тр. конф.", "Сб. докл.": the collection's own title starts so - "Сборник трудов" - and
# keeps it; "В сб.:" is the "in" sign)
_IN = re.compile(r"^(?:In|in|В|в)\s*:\s*|^(?:In|in)\s+(?=[A-Z])|"
                 r"^(?:В\s+кн\.|В\s+сб\.)\s*:?\s*")
_DANGLING = re.compile(r"(?:^|\s)(?:от|ot|of|dated|from|issued)\s*$")
_DATE_AFTER = re.compile(r"\s*(\d{1,2}\s?[./]\s?\d{1,2}\s?[./]\s?\d{4}(?:\s*г\.)?|"
                         r"\d{1,2}\s+[^\W\d_]{3,9}\.?\s+\d{4}(?:\s*г\.)?)")
_CONTAINER_TAIL = re.compile(r"[.,]?\s*[-–—]?\s*(?:1[5-9]|20)\d\d\b[\s.,;–—-]*(?:[-–—]\s*)?"
                             r"(?:(?:Т|Vol|vol|V|v|№|No|Вып|С|P|pp)\.?\s*\d[\w\s.,;–—-]*)?$")
_PUBL = re.compile(r"\s*\b(?:Publ|Publishers?|Izd|Izd-vo)\.?\s*$", re.IGNORECASE)
_PLACE_PUB = re.compile(r"^(?P<place>[^:]{1,60}?)\s*:\s*(?P<pub>.+)$")


def translation_split(title: str) -> tuple[str, str | None]:
    """``Title [Translation]`` -> (``Title``, ``Translation``); other brackets stay.

    >>> translation_split("Kitai glavnaya ugroza [China is the main threat].")
    ('Kitai glavnaya ugroza', 'China is the main threat')
    """
    if "[" not in title:
        return title, None
    excludes = tables()["translation_excludes"]
    for m in _BRACKET.finditer(title):
        inner = m.group(1).strip()
        low = inner.lower()
        if any(low.startswith(x) for x in excludes) or m.start() == 0:
            continue
        if len(inner.split()) < 2 and not re.search(r"[A-Za-z]{4,}", inner):
            continue
        before = title[: m.start()]
        after = title[m.end():].strip()
        head = clean(before)
        if after:
            head = clean(f"{before.rstrip()} {after}") if len(after) > 2 else head
        return head, clean(inner)
    return title, None


_LETTER = re.compile(r"[^\W\d_]")


_ORG_WORDS = re.compile(
    r"\b(?:Agency|Association|Institute|Institution|University|Laboratory|Commission|Committee|"
    r"Corporation|Company|Council|Organi[sz]ation|Society|Cent(?:er|re)|Ministry|Department|"
    r"Service|Office|Board|Bureau|Federation|Union|Authority|Group|Team|Inc|Ltd|GmbH|Bank|"
    r"Foundation|Fund|Trust|Museum|Library|Council|Parliament|Congress|Senate|Court|Agency|"
    r"Агентство|Ассоциация|Институт|Университет|Лаборатория|Комиссия|Комитет|Корпорация|"
    r"Компания|Совет|Организация|Общество|Центр|Министерство|Управление|Служба|Концерн|"
    r"Госкорпорация|Федерация|Союз|Академия|Фонд|Объединение|Предприятие|Завод|Бюро)\b",
    re.IGNORECASE)
_ORG_ABBR = re.compile(r"(?<![\w-])(?:АЭС|НИИ\w*|РАН|ГНЦ|ФЭИ|ОАО|ЗАО|ПАО|АО|ФГУП|ФГБУ|ФГУ|ЦНИИ\w*|"
                       r"ВНИИ\w*|НИЦ|ОКБ|НПО|ГК|NPP|JSC|LLC|PLC|Росатом\w*|Ростехнадзор\w*|"
                       r"Минатом\w*|Госатомнадзор\w*|Rosatom|Rostekhnadzor)(?![\w-])")
_ACRONYMS = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&/.-]+(?:\s+[A-ZА-ЯЁ«\"(][A-ZА-ЯЁ0-9&/.«»\"()-]+)*")
_PERSON = re.compile(r"(?<![\w.])[A-ZА-ЯЁ]\.\s?(?:[A-ZА-ЯЁ]\.\s?)?[A-ZА-ЯЁ][a-zа-яё]|"
                     r"[A-ZА-ЯЁ][a-zа-яё'’-]+,?\s+[A-ZА-ЯЁ]\.")


_ROLE_VAR = re.compile(r"^\W*(?:(?P<t>пер\.|перевод|trans(?:l)?\.|translated)|(?P<c>сост\.|comp\.|"
                       r"compiled)|(?P<e>под\s+(?:общ\w*\.?\s+|науч\w*\.?\s+)?ред|отв\.\s*ред|"
                       r"ed\.|eds\.|edited))", re.IGNORECASE)


def _role_var(text: str) -> str | None:
    m = _ROLE_VAR.match(text)
    if not m:
        return None
    return "translator" if m.group("t") else "compiler" if m.group("c") else "editor"


_FUNCTION_WORDS = frozenset({"of", "for", "the", "on", "in", "to", "with", "from", "about", "о",
                             "об", "в", "на", "по", "для", "к", "от", "при"})
_PARTICLE_WORDS = frozenset({"van", "von", "de", "der", "den", "da", "dos", "das", "du", "la", "le",
                             "di", "del", "della", "ten", "ter", "y", "e", "bin", "ibn", "al"})


def _initialled(name: Name) -> bool:
    """A name with initials and nothing of a title (``Ghal2Eh N.``): a person, whatever else."""
    given = (name.given or "").split()
    return bool(_DOTTED_GIVEN.search(name.given or "")) and len(given) <= 3 and not any(
        w in _FUNCTION_WORDS for w in given)


def _not_a_person(name: Name) -> bool:
    """A 'name' no person has: digits, an article, lower-case words (not particles), or a
    given part of three or more full words (``The JEFF-3.3.1 Nuclear Data``, ``Library``)."""
    if name.literal:
        return False
    given = (name.given or "").split()
    family = name.family or ""
    words = given + family.split()
    if any(ch.isdigit() for ch in family + (name.given or "")):
        return True
    if given and given[0] in ("The", "A", "An"):
        return True
    if family[:1].islower() and family.lower() not in _PARTICLE_WORDS and not name.given:
        return True  # "Nerazrushayushhij kontrol’.": a lower-case word ends no one's name
    if family[:1].islower() and given and not any(w.endswith(".") for w in given):
        return True
    lower = [w for w in words if w[:1].islower() and w.lower().strip(".,") not in _PARTICLE_WORDS
             and w.lower() not in ("and", "nd", "et", "und")]
    if any(w in _FUNCTION_WORDS for w in given) and not (given and given_name(given[0])):
        return True  # "Table of Radionuclides", "Наука о Земле" (not "Alexander of Hales")
    full = [w for w in given if len(w.strip(".")) > 2 and not w.endswith(".")]
    return len(lower) >= 2 or (len(full) >= 3 and bool(lower))


def _corporate(text: str) -> bool:
    """A body as author: ``МАГАТЭ``, ``ГНЦ РФ-ФЭИ``, ``OECD/NEA``, ``International Atomic Energy
    Agency`` (not a list of persons)."""
    t = text.strip(" .,;:")
    if not t or len(t) > 120 or _PERSON.search(t):
        return False
    if _ORG_WORDS.search(t):
        return True
    if len(t.split()) <= 6 and _ORG_ABBR.search(t):
        return True  # "Билибинская АЭС", "ОАО «Концерн Росэнергоатом»"
    if _ACRONYMS.fullmatch(t):
        words = t.split()
        if len(words) == 2 and len(words[1]) <= 3 and words[1].isascii():
            return False  # Vancouver in capitals: "SMITH JR"
        return all(len(w) >= 2 for w in words)
    return False


_TITLES = re.compile(r"(?<![\w.])(?:акад|академика|проф|профессора|доц|чл\.-корр|д\.\s?т\.\s?н|"
                     r"к\.\s?т\.\s?н|д\.\s?ф\.-м\.\s?н|д\.\s?х\.\s?н|Prof|prof|Acad|acad|Dr|"
                     r"Professor)\.?(?=\s)\s*")


_DITTO = re.compile(r"^\s*[_—–-]{2,}\s*\.?\s*,?$")
_DOTTED_GIVEN = re.compile(r"(?:^|\s)[A-ZА-ЯЁ][a-zа-яё]{0,2}\.")


_EMPTY_GROUP = re.compile(r"\s*;[\W_]*$")


def _names(text: str) -> tuple[list[Name], str | None, bool]:
    if _DITTO.match(text):  # "———." : the same authors as the reference before
        return [Name(literal=text.strip(" ,"))], None, False
    body, role = strip_role(text.strip().lstrip("/–—-:; ").strip())
    # "/ К. Шмидт, Г. Вебер;  ." (what followed the ";" read apart, blanked): no empty last
    # group, which would make the list one "Family, Given" name per ";"
    body = _EMPTY_GROUP.sub("", body)
    if role:
        body = _TITLES.sub("", body)  # "под ред. акад. В.П. Глушко", "Ed. by prof. Kirillov"
    if _corporate(body):
        return [Name(literal=body.strip(" .,;:"))], None, role
    names, etal = split_names(body)
    names = [n for n in names if _LETTER.search(n.family or n.literal or "")]
    for n in names:  # "Осипова. Т.А.": a stop typed after the family name
        if n.family and n.given and re.fullmatch(r"\w*[a-zа-яё]{2}\.", n.family):
            n.family = n.family[:-1]
    if role and OBLIQUE_ROLE.search(text):
        names = [nominative_name(n) for n in names]
    return names, etal, role


def _all_people(names: list[Name]) -> bool:
    """True when every name is a person's with initials or a given name."""
    return bool(names) and all(n.family and n.given for n in names)


def _whole_list(heading: list[Name], names: list[Name]) -> bool:
    """True when ``names`` (after a slash) hold every person of the heading's list and more:
    the whole list the heading starts ("Будов В.М. ... / В.М. Будов, С.М. Дмитриев")."""
    people = [n for n in heading if not n.literal]
    if not people or len(names) <= len(people):
        return False

    def same(a: Name, b: Name) -> bool:
        return (a.family or "").lower() == (b.family or "").lower() and \
            (a.given or " ")[:1].lower() == (b.given or " ")[:1].lower()
    return all(any(same(h, n) for n in names) for h in people)


def _date(texts: list[str]) -> Date | None:
    """The year from the first stretch that has one (a later ``2009.`` is an article number);
    month and day from the stretch with a month name (``(2017) ... 6 September``)."""
    found, year_text = None, ""
    for text in texts:
        found = find_year(text)
        if found is not None:
            year_text = text
            break
    if found is None:
        return None
    year = found[0]
    month = day = None
    for text in ([year_text] + [t for t in texts if t is not year_text]):
        words = _DATE_WORDS.findall(text)
        for i, w in enumerate(words):
            mo = MONTHS.get(w.lower())
            if mo and len(w) >= 3:
                month = mo
                for j in (i - 1, i + 1):
                    if 0 <= j < len(words) and words[j].isdigit() and 1 <= int(words[j]) <= 31:
                        day = int(words[j])
                        break
                break
        if month:
            break
    parts: tuple[int, ...] = (year,)
    if month:
        parts += (month,)
        if day:
            parts += (day,)
    rng = _YEAR_RANGE.search(year_text)
    if rng and not month and int(rng.group(1)) == year and int(rng.group(2)) > year:
        return Date(parts=((year,), (int(rng.group(2)),)))
    return Date(parts=(parts,))


def _place(text: str) -> str:
    t = clean(text, keep_abbrev=True)
    return t


def _add(ref: Reference, var: str, value: str | None) -> None:
    if value and var not in ref.fields:
        ref.fields[var] = value


def assemble(raw: str, anchors: Anchors, segs: list[Segment], *, number: str | None = None,
             file: str | None = None, line: int | None = None,
             dated: str | None = None) -> tuple[Reference, Hints]:
    """Build a Reference from labelled segments; type and forms are left to ``classify``.

    ``dated`` is the string with its full dates still in it: notes are taken from it, so that
    ``Заявка № 2012115818/05 от 19.04.2012`` stays as printed."""
    ref = Reference(id="", origin=Origin(file, line, "text", raw))
    hints = Hints()
    masked = anchors.text
    notes: list[str] = []
    segs = fix_segments(segs, masked)
    if dated is not None:
        segs = [with_dates(s, dated) if s.label == "title" else s for s in segs]
    by: dict[str, list[str]] = {}
    for s in segs:
        by.setdefault(s.label, []).append(s.text)
    _title_fallback(segs, by)
    # names
    for label in ("author", "editor", "translator"):
        for text in list(by.get(label, ())):
            names, etal, role = _names(text)
            if len(names) == 1 and not names[0].given and (names[0].family or "").islower():
                names = []  # "от", "and": a word left alone, no one's name
            var = label
            if label == "author" and role:
                var = "editor"
            if label != "author" and not role and text.lstrip().startswith("/") and \
                    _all_people(names) and (not ref.names.get("author") or
                                            _whole_list(ref.names["author"], names)):
                # GOST's statement of responsibility ("Title / A. B. Smith, C. D. Jones"):
                # names after the slash with no role word are the authors, all of them (the
                # heading names the first); a role word before the slash ("Пер. с англ.")
                # is the title's, not theirs
                hints.names_printed.append(clean(text))
                ref.names["author"] = names + ([Name(literal="others")] if etal else [])
                continue
            if label == "author" and not role and names and _not_a_person(names[0]) and not \
                    _initialled(names[0]):
                # "The JEFF-3.3.1 Nuclear Data Library," read as a name: it is part of the title
                # (its opening words, or words after it: "через H2, D2, He")
                by[label].remove(text)
                titles = by.setdefault("title", [])
                at = next((s.start for s in segs if s.label == "author" and s.text == text), 0)
                before = sum(1 for s in segs if s.label == "title" and s.start < at)
                titles.insert(min(before, len(titles)), text)
                continue
            if not names:
                if text.strip(" .,;:"):
                    notes.append(clean(text))
                continue
            if var == "author":
                hints.names_printed.append(clean(text))
                if ref.names.get("author") and _whole_list(ref.names["author"], names):
                    # the statement after the title repeats the heading's name and adds
                    # the others ("Петров И.И. Заглавие / И.И. Петров, С.С. Сидоров")
                    ref.names["author"] = names + ([Name(literal="others")] if etal else [])
                    continue
            listed = ref.names.setdefault(var, [])
            if var == "editor":
                qualify(ref, var, text)
            listed.extend(n for n in names if not (listed and listed[-1].literal == "others"))
            if etal and not (listed and listed[-1].literal == "others"):
                listed.append(Name(literal="others"))  # "и др." / "et al.": one fact of the list
    # titles
    if "title" in by:
        title = " ".join(by["title"])
        last = next((s for s in reversed(segs) if s.label == "title"), None)
        if dated is not None and last is not None and _DANGLING.search(last.text):
            # "... инв. № 224 от 26.02.2014 г.": the date belongs to the title's own words
            follow = _DATE_AFTER.match(dated, last.end)
            if follow:
                title = title.rstrip() + " " + follow.group(1)
        responsibility = None
        m = _SLASH.search(title) if " / " in title else None
        if m:
            title, responsibility = title[: m.start()], title[m.end():]
        title, translated = translation_split(title)
        title = clean(title)
        if title:
            ref.fields["title"] = title
        if translated:
            hints.translated["title"] = translated
        if responsibility:
            names, etal, role = _names(responsibility)
            used = False
            if names and all(n.given for n in names):
                var = (_role_var(responsibility) or "editor") if role else "author"
                if var not in ref.names or (var == "author" and
                                            _whole_list(ref.names["author"], names)):
                    ref.names[var] = names + ([Name(literal="others")] if etal else [])
                    if var == "editor":
                        qualify(ref, var, responsibility)
                    used = True
                else:   # the people named already (the heading's author again)
                    known = {(n.family or "").lower() for n in ref.names[var]}
                    used = all((n.family or "").lower() in known for n in names)
            if not used and clean(responsibility):
                # "/ Жидкие металлы": words after the slash that name no one stay as printed
                notes.append(clean(responsibility))
    if "author" not in ref.names:
        for label in ("container", "journal"):
            texts = by.get(label)
            m = _RESPONSIBLE.match(texts[0]) if texts else None
            if m:  # "... grids) / Markov P.V. Izvestia vuzov": the authors after the title
                names, etal = split_names(m.group("names"))
                if names and all(n.given for n in names):
                    ref.names["author"] = names + ([Name(literal="others")] if etal else [])
                    assert texts is not None    # m is None without texts
                    texts[0] = texts[0][m.end():]
                break
    for label, var in (("journal", "container-title"), ("container", "container-title"),
                       ("collection", "collection-title")):
        if label in by and var not in ref.fields:
            text = " ".join(by[label])
            if label == "container":
                text = _IN.sub("", clean(text, journal=True))
            value, translated = translation_split(text)
            value = clean(value, journal=True)
            if label == "collection":
                value = clean(value.strip("()"), journal=True)
            tail = _CONTAINER_TAIL.search(value) if label != "collection" else None
            if tail and tail.start() > 2:
                value = clean(value[: tail.start()], journal=True)  # "Атомная энергия. -2005"
            dangling = _DANGLING.search(value)
            if dangling and dangling.start() > 2:  # "РИА Новости от" (the date was read apart)
                value = clean(value[: dangling.start()], journal=True)
            online = _ONLINE_TAIL.search(value) if "издание" in masked else None
            if online and online.start() > 2:  # "ATOMINFO.RU – электронное периодическое издание"
                value = clean(value[: online.start()], journal=True)
            if value:
                ref.fields[var] = value
                if translated:
                    hints.translated[var] = translated
                if label == "journal":
                    hints.journal = True
    # date
    date_texts = by.get("date", [])
    issued = _date(date_texts) if date_texts else None
    # numbers
    found: list[Numbers] = []
    after_month = {s.text for s in segs if s.label == "volume" and _after_month(masked, s.start)}
    edition_numbers: set[str] = set()
    for label in ("volume", "issue", "pages", "date", "note", "location", "publisher", "edition"):
        for text in by.get(label, ()):
            if label in ("note", "location", "publisher", "date", "edition") and \
                    not _MARKER.search(text):
                continue
            if label == "edition":  # "Iss. 1.", "Вып. 1. – Пг." the tagger took for an edition
                n = read_numbers(text, "note")
                if (n.volume or n.issue) and not n.edition and _MARKED_START.match(text):
                    found.append(n)
                    edition_numbers.add(text)
                    rest = clean(n.leftover, keep_abbrev=True)
                    if rest and not by.get("location") and _PLACE_WORD.fullmatch(rest):
                        by["location"] = [rest]
                    elif rest:
                        notes.append(rest)
                continue
            if label == "volume" and text in after_month and not _MARKER.search(text):
                continue  # "October 23 – 26": the tagger took a day for a volume
            n = read_numbers(text, label)
            found.append(n)
            if label in ("volume", "issue", "pages") and n.leftover:
                if issued is None and find_year(n.leftover):
                    issued = _date([n.leftover])
                elif not _NO_WORDS.fullmatch(n.leftover):
                    notes.append(clean(n.leftover))
    _pick_numbers(ref, found)
    if not all(k in ref.fields for k in ("volume", "issue", "page")):
        # explicit markers the tagger left inside the container ("Journal. Vol.5. No.1.")
        extra = [read_numbers(t, "note") for label in ("journal", "container", "collection")
                 for t in by.get(label, ()) if _MARKER.search(t)]
        _pick_numbers(ref, [n for n in extra if n.marked])
    for n in found:
        if n.edition:
            _add(ref, "edition", n.edition)
    if issued is None:
        for label in ("container", "journal", "publisher", "location", "note", "edition", "genre"):
            if label in by:
                issued = _date(by[label])
                if issued:
                    break
    compact = _COMPACT.search(masked) if ";" in masked else None
    if compact:
        # Vancouver's "2018;1(1):110-119" is unambiguous: it wins over the tagger's reading
        year, volume, issue, page = compact.groups()
        if issued is None or issued.year != int(year):
            issued = Date(parts=((int(year),),))
        ref.fields["volume"] = volume
        if issue:
            ref.fields["issue"] = issue
        ref.fields["page"] = page
    if issued is not None:
        ref.dates["issued"] = issued
    # publisher and place
    pub = clean(" ".join(by.get("publisher", [])), keep_abbrev=True)
    place = clean(" ".join(by.get("location", [])), keep_abbrev=True)
    for text in (pub, place):
        m = _PLACE_PUB.match(text)
        if m and not (pub and place):
            place, pub = clean(m.group("place"), keep_abbrev=True), clean(m.group("pub"))
            break
    if pub[-1:].isdigit():
        pub = _TRAILING_YEAR.sub("", pub)
    if place[-1:].isdigit():
        place = _TRAILING_YEAR.sub("", place)
    if pub:
        low = pub.lower()
        publ = _PUBL.search(pub) if "publ" in low or "izd" in low else None
        if publ and publ.start() > 0:
            pub = pub[: publ.start()]
            hints.publ = True
        ref.fields["publisher"] = clean(pub, keep_abbrev=True)
    if place:
        ref.fields["publisher-place"] = place
    for text in list(by.get("genre", ())) + list(by.get("note", ())):
        # "Пер. с англ. И.И. Ивановой", "ed. by J. Smith" read as a genre or a note: names
        role_var = _role_var(text)
        if role_var and role_var not in ref.names:
            names, etal, role = _names(text)
            if names and role and all(n.given or n.literal for n in names):
                ref.names[role_var] = names + ([Name(literal="others")] if etal else [])
                for label in ("genre", "note"):
                    if text in by.get(label, ()):
                        by[label].remove(text)
    by["edition"] = [t for t in by.get("edition", ()) if t not in edition_numbers]
    for text in list(by.get("edition", ())):
        if _PERIODICAL.search(text):  # "электронное периодическое издание": a medium
            by["edition"].remove(text)
            lead = _ONLINE_TAIL.search(" ".join(by.get("journal", []) + by.get("container", [])))
            _add(ref, "medium", clean(f"{lead.group(1)} {text}" if lead else text))
    for label, var in (("edition", "edition"), ("genre", "genre")):
        if by.get(label):
            _add(ref, var, clean(" ".join(by[label]), keep_abbrev=True))
    for s in segs:
        if s.label == "note" and s.text in by.get("note", ()) and not _NO_WORDS.fullmatch(s.text):
            notes.append(clean(dated[s.start:s.end] if dated is not None else s.text))
    if anchors.isbn_note:
        notes.append(anchors.isbn_note)
    notes.extend(anchors.more_urls)     # "http://ru.wikipedia.org, http://en.wikipedia.org"
    # identifiers and the rest found by the anchors
    _add(ref, "DOI", anchors.doi or _first(by, "doi", r"10\.\d{4,9}/\S+"))
    _add(ref, "URL", anchors.url or _first(by, "url", r"(?:https?://|www\.)\S+|[\w-]+\.[a-z]{2,}\S*"))
    _add(ref, "ISBN", anchors.isbn or _first(by, "isbn", r"[\dXx][\dXx -]{8,}[\dXx]"))
    _add(ref, "ISSN", anchors.issn)
    _add(ref, "medium", anchors.medium)
    if anchors.accessed is not None:
        ref.dates["accessed"] = anchors.accessed
    if anchors.language:
        ref.fields["language"] = anchors.language
        note = anchors.language_note or ""
        if anchors.language != "ru" and re.match(r"[(\[]\s*на\s", note):
            # "(на словацком языке)" in a Russian record: what the reader is told, kept
            notes.append(note.rstrip(". "))
    if number:
        ref.extra["citation-number"] = number
    status = _STATUS.search(masked)
    if status and "status" not in ref.fields:
        # "// Атомная энергия. – 2019 (в печати)": a publication status, not a title's words
        ref.fields["status"] = status.group("s")
        for var in ("title", "container-title"):
            if status.group("s") in ref.fields.get(var, ""):
                ref.fields[var] = clean(_STATUS.sub("", ref.fields[var]))
        notes = [_STATUS.sub("", n).strip(" .,;") for n in notes]
    notes = [n for n in notes if n and n not in ref.fields.values()]
    if notes:
        ref.fields["note"] = "; ".join(dict.fromkeys(notes))
    # no title, and the "authors" are no persons ("Reactor GFR. Available at: ..."): they are
    # the title of a page or document that has no author
    printed = hints.names_printed
    if not ref.fields.get("title") and not ref.fields.get("container-title") and len(
            printed) == 1 and "author" in ref.names and not _PERSON.search(printed[0]) and not (
            ref.names["author"][0].literal):
        ref.fields["title"] = printed[0].strip(" .,;:")
        del ref.names["author"]
        hints.names_printed = []
    return ref, hints


_MARKER = re.compile(r"(?<![\w.])(?:Т|т|Vol|vol|v|№|No|no|iss|Iss|Вып|вып|Вип|вип|С|pp|P|p|с|"
                     r"Стр|стр)\.?\s?\d")


def _pick_numbers(ref: Reference, found: list[Numbers]) -> None:
    """Choose volume, issue and page: a value with a marker (``vol.``, ``№``, ``pp.``) wins,
    then a page range over a single number, then the first value read."""
    for var, attr in (("volume", "volume"), ("issue", "issue"), ("page", "page")):
        if var in ref.fields:
            continue
        values = [(n, getattr(n, attr)) for n in found if getattr(n, attr)]
        if not values:
            continue
        marked = [v for n, v in values if var in n.marked]
        ranges = [v for _, v in values if var == "page" and _IS_RANGE.search(v)]
        _add(ref, var, (marked or ranges or [values[0][1]])[0])
    for n in found:
        _add(ref, "number-of-pages", n.pages)


_MARKED_START = re.compile(r"\W*(?:Т|т|Vol|vol|v|№|No|no|Iss|iss|Issue|Вып|вып|Вип|вип)\.?\s?\d")
_PLACE_WORD = re.compile(r"[A-ZА-ЯЁ][\w-]{0,14}\.?")


# a publication status in brackets or closing the record: "(в печати)", "In press."
_STATUS = re.compile(r"(?:\(\s*|(?<=[.,]\s)|(?<=\d\s))"
                     r"(?P<s>(?i:в\s+печати|принят[аоы]?\s+(?:к|в)\s+печат[ьи]|"
                     r"in\s+press|forthcoming|accepted\s+for\s+publication|"
                     r"направлен[аоы]?\s+в\s+печать|в\s+друке|у\s+друку))"
                     r"(?:\s*\)|(?=\.?\s*$))")
def _after_month(text: str, start: int) -> bool:
    """True when a month name (and maybe a day) stands right before ``start``."""
    words = _DATE_WORDS.findall(text[max(0, start - 16): start])
    return any(len(w) >= 3 and MONTHS.get(w.lower().rstrip(".")) for w in words[-3:])


def _title_fallback(segs: list[Segment], by: dict[str, list[str]]) -> None:
    """No title and no container: a leading stretch that is not a list of names is the title
    (``Доклад МАГАТЭ. URL: ...`` - the tagger took the two words for an author)."""
    if "title" in by or "journal" in by or "container" in by or not segs:
        return
    first = segs[0]
    if first.label not in ("author", "editor", "genre", "note", "publisher", "collection"):
        return
    if first.label in ("author", "editor"):
        names = _names(first.text)[0]
        if names and all(n.given for n in names) and any("." in (n.given or "") for n in names):
            return
    by[first.label].remove(first.text)
    if not by[first.label]:
        del by[first.label]
    by["title"] = [first.text]


def _first(by: dict[str, list[str]], label: str, pattern: str) -> str | None:
    for text in by.get(label, ()):
        m = re.search(pattern, text)
        if m:
            return m.group().rstrip(".,;")
    return None
