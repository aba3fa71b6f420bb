"""The fields of each document type, set from the marks found before tagging (:mod:`.marks`).

Follows the CSL variables agreed for every type (see docs/parse.md): a standard's ``number``
(the designation as printed), ``status``; a legal act's ``genre`` (its kind and issuing body as
printed), ``number``, ``issued`` (the act's date), ``title``, ``authority``; a patent's ``genre``,
``number``, ``authority``, ``issued`` (publication), ``submitted`` (filing), ``publisher`` (the
holder); a thesis's ``genre`` (the degree line); a report's ``genre`` and ``number``; series as
``collection-title`` / ``collection-number``; ``number-of-volumes``; conference days as
``event-date`` and the place before them as ``event-place``; full dates printed in the reference
as ``issued`` with month and day.
"""

from __future__ import annotations

import re

from ..model import Date, Name, Reference
from .assemble import clean, translation_split
from .cases import OBLIQUE_ROLE, nominative_name, qualify
from .marks import Marks
from .namelist import split_names

__all__ = ["apply_marks", "early_dates", "marked_type"]

_YEAR = re.compile(r"(?<![\d.-])((?:1[89]|20)\d\d)(?![\d-])")
_APPLICATION_NO = re.compile(r"\d{7,}(?:/\d\d)?")
_APPLICATION_IN = re.compile(r"№\s?(\d{7,}(?:/\s?\d\d)?)")
_SUBMITTED = ("заявл", "заявка", "заявлено", "подана", "application", "appl", "filed", "приоритет")
_PUBLISHED = ("опубл", "published", "publ", "опубликовано", "issued", "бюл", "bul", "bull")
_ACT_TYPES = ("legislation", "regulation")


def marked_type(marks: Marks) -> str | None:
    """The type the marks decide on their own (standard, act, patent...), or None."""
    if marks.normative is not None:
        return marks.normative.kind
    if marks.grant is not None:
        return marks.grant.kind
    return None


def _note(ref: Reference, *texts: str | None) -> None:
    parts = [t for t in texts if t]
    if not parts:
        return
    old = ref.fields.get("note")
    ref.fields["note"] = "; ".join(dict.fromkeys(([old] if old else []) + parts))


def _drop_numbers(ref: Reference, *values: str | None) -> None:
    """Remove volume/issue/page values the tagger read out of a number or a date."""
    digits = {re.sub(r"\D", "", v) for v in values if v}
    for var in ("volume", "issue", "page"):
        v = ref.fields.get(var)
        if v and re.sub(r"\D", "", v) in digits:
            del ref.fields[var]


_IMPRINT = re.compile(
    r"\s[–—-]\s|\s?//|(?:[.,]\s*|\s)(?:[MМ]oscow|Moskva|М\.|Москва|СПб\.?|St\.\s?Petersburg|Минск|"
    r"Киев|Kiev|Vienna|Вена|Л\.|Обнинск|Obninsk|Geneva|Paris|Washington|New\s+York|London)"
    r"[.:,\s]|\s(?:Available|Электронный\s+ресурс|Режим|URL|Доступно)|[.,]\s*(?:1[89]|20)\d\d\b|"
    r"(?<=\.)\s*[A-ZА-ЯЁ][\w.-]+\s?:\s?[A-ZА-ЯЁ«\"]")
_ACT_NUMBER = re.compile(r"(?:№|No\.?|no\.?|N)\s*([\w/.-]*\d[\w/-]*)")
_DOTTED = re.compile(r"[A-ZА-ЯЁ]\.")


def _standard_title(ref: Reference, marks: Marks) -> None:
    """The words between a standard's designation and its imprint are its title, all of them:
    the tagger, seeing ``Огнеупоры.`` after the blanked designation, takes it for an author."""
    names = ref.names.get("author", [])
    if not names or any(_DOTTED.search(n.given or "") for n in names if not n.literal):
        return
    n = marks.normative
    if n is None or not n.spans:
        return
    end = n.spans[0][1]
    if end > 0 and marks.text[: n.spans[0][0]].strip():
        return  # the designation does not open the reference
    rest = marks.text[end:]
    stop = _IMPRINT.search(rest)
    region = " ".join(rest[: stop.start() if stop else len(rest)].split()).strip(" .,;:")
    region = translation_split(region)[0]  # the [English title] is a form, kept apart
    title = ref.fields.get("title", "")
    if region and (not title or title in region):
        ref.fields["title"] = region
        del ref.names["author"]


def _strip_title(ref: Reference, number: str) -> None:
    """A title the tagger started with the designation: ``НП-001-15. Общие положения``."""
    title = ref.fields.get("title")
    if not title:
        return
    flat = " ".join(title.split())
    if flat.startswith(number):
        rest = flat[len(number):].lstrip(" .,:–—-")
        if rest:
            ref.fields["title"] = rest
        else:
            del ref.fields["title"]


def early_dates(ref: Reference, marks: Marks) -> None:
    """Full dates before the type is decided: filing, publication, event days; a plain full
    date of the reference's year completes ``issued`` (a newspaper's day, an act's date)."""
    plain_seen = False
    for d in marks.dates:
        if d.is_range:
            ref.dates.setdefault("event-date", d.date)
            issued = ref.dates.get("issued")
            year = d.date.year
            if issued is not None and year is not None and issued.year == year:
                # the proceedings came out later: "23–26 June 2003, IAEA-CSP-24, 2004"
                later = [int(y) for y in _YEAR.findall(marks.text[d.end:])]
                later = [y for y in later if year < y <= year + 5]
                if later:
                    ref.dates["issued"] = Date(parts=((later[0],),))
        elif d.lead in _SUBMITTED:
            ref.dates.setdefault("submitted", d.date)
        elif d.lead in _PUBLISHED:
            ref.dates["issued"] = d.date
        elif not plain_seen:
            plain_seen = True  # the first plain full date only
            issued = ref.dates.get("issued")
            if issued is None or (issued.year == d.date.year and len(issued.parts) == 1
                                  and len(issued.parts[0]) == 1):
                ref.dates["issued"] = d.date


def _late_dates(ref: Reference, marks: Marks) -> None:
    """A conference's single day printed with it is the event's date, not the proceedings'."""
    issued = ref.dates.get("issued")
    if ref.type != "paper-conference" or "event-date" in ref.dates or issued is None:
        return
    for d in marks.dates:
        if not d.is_range and d.date == issued and d.lead not in _PUBLISHED:
            ref.dates["event-date"] = d.date
            ref.dates["issued"] = Date(parts=((d.date.year or 0,),))
            return


def apply_marks(ref: Reference, marks: Marks, names_printed: list[str] | None = None) -> None:
    """Set the fields the marks give (after the type is decided); a mark the type has no use
    for goes to the note as printed (it was taken out of the string the tagger read)."""
    unused: set[str] = set(marks.printed)
    n, g = marks.normative, marks.grant
    if n is not None and ref.type == n.kind:
        unused.discard("normative")
        if n.kind == "standard":
            ref.fields["number"] = n.number or ""
            _strip_title(ref, n.number or "")
            _standard_title(ref, marks)
            if n.status:
                ref.fields["status"] = n.status
            if n.note:  # the act that approved it, as printed
                _note(ref, n.note)
                _drop_numbers(ref, *_ACT_NUMBER.findall(n.note))
                if n.issued is not None and "issued" not in ref.dates:
                    ref.dates["issued"] = n.issued
            if ref.fields.get("genre") == n.number:
                del ref.fields["genre"]
        else:
            if n.genre:
                ref.fields["genre"] = n.genre
            if n.number:
                ref.fields["number"] = n.number
            if n.title:
                old = ref.fields.get("title")
                ref.fields["title"] = n.title
                if old and old != n.title:
                    _note(ref, old)
            if n.authority:
                ref.fields["authority"] = n.authority
            if n.issued is not None:
                ref.dates["issued"] = n.issued
            _note(ref, n.note)
            if ref.names.pop("author", None) and names_printed:
                _note(ref, *names_printed)  # an act has no author: the words stay as a note
            _drop_numbers(ref, n.number)
    if g is not None and ref.type == g.kind:
        unused.discard("grant")
        tagged = ref.fields.get("genre", "")
        ref.fields["genre"] = g.genre
        for number in _APPLICATION_IN.findall(tagged):
            # "– № 2008138412/06;" the tagger left in what it took for the genre: the
            # application's number, kept as printed
            if number not in " ".join(ref.fields.values()):
                _note(ref, f"№ {number}")
        if g.number:
            ref.fields["number"] = g.number
        if g.authority:
            ref.fields["authority"] = g.authority
        if g.code:
            ref.extra["patent-kind"] = g.code
        if g.holder:
            ref.fields["publisher"] = g.holder
        if g.name and not ref.fields.get("title"):
            ref.fields["title"] = g.name.strip("«»\"")
        elif g.name and g.version is not None or g.name and g.genre.lower().startswith(
                ("аттест", "attest", "certif")):
            # a passport naming its program: what stands before it is the issuing body
            old = ref.fields["title"]
            ref.fields["title"] = g.name.strip("«»\"")
            if old != ref.fields["title"]:
                if "authority" not in ref.fields:
                    ref.fields["authority"] = old
                else:
                    _note(ref, old)
        if g.version:
            ref.fields["version"] = g.version
        _note(ref, *g.notes)
        _drop_numbers(ref, g.number)
    _late_dates(ref, marks)
    if ref.type == "patent" or (ref.type in ("software", "dataset") and g is not None and
                                "container-title" not in ref.fields):
        for var in ("volume", "issue", "page"):  # a patent or a registered program has none:
            value = ref.fields.pop(var, None)     # an application's or a bulletin's number
            if value and _APPLICATION_NO.fullmatch(value) and \
                    value not in " ".join(ref.fields.values()):
                _note(ref, f"№ {value}")          # the application's, kept as printed
    if ref.type in ("patent", "software", "dataset"):
        for d in marks.dates:
            _drop_numbers(ref, *(str(x) for p in d.date.parts for x in p[1:]))
    if marks.degree and ref.type == "thesis":
        ref.fields["genre"] = marks.degree
        if ref.fields.get("edition", "").strip(" .") in marks.degree:
            ref.fields.pop("edition", None)  # the degree line read twice
    if marks.report and ref.type in ("report", "book", "document"):
        unused.discard("report")
        genre, number = marks.report
        ref.type = "report"
        for key in ("note", "edition", "collection-title"):
            if ref.fields.get(key, "").strip(" .,") == genre:
                del ref.fields[key]
        # "Препринт ФЭИ-3233. Обнинск, 2013": the genre word and the place the tagger read as
        # a journal
        container = ref.fields.get("container-title", "")
        if container.startswith(genre):
            rest = container[len(genre):].strip(" .,:;–—")
            del ref.fields["container-title"]
            if re.fullmatch(r"[A-ZА-ЯЁ][\w-]+", rest) and "publisher-place" not in ref.fields:
                ref.fields["publisher-place"] = rest
            elif rest:
                ref.fields["container-title"] = rest
        read = ref.fields.get("genre", "")
        if read.startswith(genre) and read != genre:
            # "Препринт ,1985", "Отчет ТПИ им. М.В.Келдыша РАН": the genre is the word; the
            # body printed with it is the publisher (or a note), a year the date
            ref.fields["genre"] = genre
            rest = read[len(genre):].strip(" ,.;:–—-")
            if rest and not re.fullmatch(r"[\W\d]*(?:1[89]|20)\d\d[\W]*|\W*", rest):
                if "publisher" not in ref.fields and re.match(r"[A-ZА-ЯЁ]", rest):
                    ref.fields["publisher"] = rest
                else:
                    _note(ref, rest)
        ref.fields.setdefault("genre", genre)
        if number:
            ref.fields["number"] = number
            _drop_numbers(ref, number)
        if "container-title" not in ref.fields and ref.fields.get("issue"):
            _note(ref, "№ " + ref.fields.pop("issue"))  # "Отчет ФЭИ ТР-741, № 4325": no issue
    elif marks.numbered and ref.type in ("report", "manuscript"):
        genre, number = marks.numbered
        unused.discard("numbered")
        if not genre.lower().startswith(("инв", "inv", "докл", "paper", "рaper")):
            ref.fields.setdefault("genre", genre)
            if marks.numbered_by:
                ref.fields.setdefault("publisher", marks.numbered_by)
        ref.fields.setdefault("number", number)
        _drop_numbers(ref, number)
    elif marks.report_code and ref.type in ("report", "book", "document"):
        unused.discard("report_code")
        ref.type = "report"
        ref.fields.setdefault("number", marks.report_code)
        _drop_numbers(ref, marks.report_code)
    if marks.series:
        title, number = marks.series
        if ref.fields.get("container-title") != title:
            unused.discard("series")
            ref.fields["collection-title"] = title
            ref.fields["collection-number"] = number
            _drop_numbers(ref, number)
    if marks.volumes:
        ref.fields["number-of-volumes"] = marks.volumes
    if marks.article_no:
        _drop_numbers(ref, marks.article_no)
        printed = marks.printed["article_no"]
        unused.discard("article_no")
        for var in ("container-title", "title", "note", "collection-title", "publisher", "genre"):
            value = ref.fields.get(var)
            cue = printed.split()[0]
            if value and (printed in value or value.endswith((". " + cue, ", " + cue))):
                rest = value.replace(printed, " ") if printed in value else value[: -len(cue)]
                rest = clean(rest, journal=var == "container-title")
                rest = re.sub(r"\s*[.,;]\s*[.,;]\s*", ". ", rest).strip(" .,;")
                if rest:
                    ref.fields[var] = rest
                else:
                    del ref.fields[var]
        if "page" not in ref.fields:
            ref.fields["page"] = marks.article_no
        else:
            _note(ref, printed)
    if marks.editors:
        role, printed = marks.editors
        names, etal = split_names(printed)
        if OBLIQUE_ROLE.search(role + " "):
            names = [nominative_name(n) for n in names]
        if names:
            unused.discard("editors")
            # the editors' statement wins over words the tagger took for editors elsewhere
            # (they stay in the note)
            other = ref.names.get("editor")
            if other:
                _note(ref, ", ".join(n.display() for n in other))
            ref.names["editor"] = names + ([Name(literal="others")] if etal else [])
            qualify(ref, "editor", role)
    if marks.event_place and "event-date" in ref.dates:
        ref.fields["event-place"] = marks.event_place
    event = ref.dates.get("event-date")
    for var in ("container-title", "title"):
        value = ref.fields.get(var)
        if event is not None and value and marks.dates:
            # the place and days were taken out: what is left of them is punctuation and a year
            tidy = re.sub(rf"(?:[,.]\s*)+(?:{event.year}(?:\s*г\.)?)?(?=\s*(?:[,.]|$))", "", value)
            tidy = clean(re.sub(r"(?:\s*[,;]\s*){2,}", ", ", tidy), journal=True)
            if tidy:
                ref.fields[var] = tidy
    if marks.numbered and "numbered" in unused:
        _drop_numbers(ref, marks.numbered[1])
    _note(ref, *(marks.printed[k] for k in ("normative", "grant", "report", "report_code",
                                           "series", "editors", "article_no", "numbered")
                 if k in unused))
