"""The CSL type of a parsed reference, its language, the forms of its titles, and its id.

Forms follow the project's model: a Cyrillic title stays in ``fields["title"]`` and marks the
item ``ru``; a Latin title followed by a bracketed English title is romanised Russian (an explicit
``Variant(.., Form.ROMANISED, "ru")``) and the bracketed text its ``Form.TRANSLATED`` ``en`` form;
``(In Russ.)`` sets the language. Where the form is inferred from the words alone (no brackets),
the variant carries a confidence below 1.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Container

from ..model import Form, Reference, Variant, is_cyrillic
from .assemble import Hints
from .kinds import apply_marks, early_dates, marked_type
from .langguess import romanised_score
from .lexicon import tables
from .marks import Marks
from .numfix import fix_numbers

__all__ = ["classify", "csl_type", "make_id"]

_THESIS = re.compile(r"\bдисс?\.|диссертац|автореф|\bdiss\.|dissertation|\bthesis\b|"
                     r"\bph\.?\s?d\b|cand(?:idate)?\.?\s+(?:of\s+)?(?:tech|phys|sci|chem|biol|"
                     r"econ|hist)|doct\.?\s+(?:of\s+)?(?:tech|phys|sci)|master'?s\b|"
                     r"\bканд\.\s|\bд-ра\b|\bдокт\.\s", re.IGNORECASE)
_REPORT = re.compile(r"препринт|preprint|\breport\b|tecdoc|\btech(?:nical)?\.?\s+rep|"
                     r"отч[её]т\b|working\s+paper|\bmemorandum\b|\bnote\s+no\b", re.IGNORECASE)
_CONF = re.compile(r"conference|\bconf\.|proceedings|\bproc\.|symposium|\bsymp\.|workshop|"
                   r"(?<=[Ii]nternational\s)forum\s+«|форум(?!\s+[A-ZА-ЯЁ]{2})|round\s+table|"
                   r"круглый\s+стол|atom\s?expo|атомэкспо|atomekspo|"
                   r"congress|colloquium|seminar|meeting|конференц|\bконф\.|симпозиум|семинар|"
                   r"съезд|тезисы|(?:^|[.:/«]\s*)материалы\b|\bдокл|труды\s+(?:междунар|всерос|\w+\s+конф)|"
                   r"сб\.\s*докл", re.IGNORECASE)
_NEWSPAPER = re.compile(r"газет|gazeta|newspaper|\btimes\b|kommersant|коммерсант|"
                        r"^\W*(?:vedomosti|ведомости)\W*$|\bpost\b(?![-=])|tribune|guardian|herald|^\W*izvestiy?a\W*$|"
                        r"^\W*известия\W*$|\bpravda\b|"
                        r"\bправда\b|novaya\s+gazeta|nezavisimaya", re.IGNORECASE)


_DATABASE = re.compile(r"\b(?:[Dd]atabase|[Dd]ata\s?[Bb]ase|[Бб]аз[аы]\s+данных)\b")


def _has(low: str, keys: re.Pattern[str]) -> bool:
    return keys.search(low) is not None


def _keys(*words: str) -> re.Pattern[str]:
    """One pattern for several plain substrings (a C-speed scan instead of a Python loop)."""
    return re.compile("|".join(re.escape(w) for w in words))


_THESIS_KEYS = _keys("дис", "автореф", "diss", "thesis", "ph", "cand", "doct", "master", "канд",
                "д-ра", "докт")
_NEWS_KEYS = _keys("газет", "gazeta", "newspaper", "times", "kommersant", "коммерсант", "vedomosti",
              "ведомости", "post", "tribune", "guardian", "herald", "izvestia", "pravda", "правда",
              "nezavisimaya")
_CONF_KEYS = _keys("conf", "proc", "symp", "workshop", "congress", "colloq", "seminar", "meeting",
                   "forum", "форум", "round table", "круглый стол", "expo", "экспо", "ekspo",
              "конф", "симпоз", "семинар", "съезд", "тезис", "материал", "докл", "труды")
_REPORT_KEYS = _keys("препринт", "preprint", "report", "tecdoc", "tech", "отч", "working paper",
                "memorandum", "note no")


_VOLUME_MARK = re.compile(r"(?<![\w.])(?:Т|Том|Vol|vol|V|v|Volume|volume)\.?\s?\d|[Aa]rticle")


def csl_type(ref: Reference, hints: Hints, text: str, marks: Marks | None = None) -> str:
    """Decide the CSL type from the marks, the fields found and the words of the string."""
    title = ref.fields.get("title", "")
    genre = ref.fields.get("genre", "")
    container = ref.fields.get("container-title", "")
    low = text.lower()
    has_numbers = any(k in ref.fields for k in ("volume", "issue", "page"))
    # a whole document's page count and no volume, issue or page: what the tagger took for a
    # journal is a body, a place or a series ("Препринт ФЭИ-3233. Обнинск, 2013. 40 с.")
    whole = "number-of-pages" in ref.fields and not has_numbers and not _VOLUME_MARK.search(text)
    if whole and hints.journal:
        hints = dataclasses.replace(hints, journal=False)
    if marks is not None:
        marked = marked_type(marks)
        opening = marks.normative is not None and marks.normative.spans and not text[
            : marks.normative.spans[0][0]].strip(" .–—-\"«[(")
        if marked and (opening or not (marked == "standard" and hints.journal and has_numbers)):
            return marked
        if marks.degree and not (container and has_numbers and hints.journal):
            return "thesis"
        if marks.numbered is not None:
            low_genre = marks.numbered[0].lower()
            if low_genre.startswith(("деп", "depos")):
                return "manuscript"  # a deposited manuscript
            if not low_genre.startswith(("инв", "inv", "докл", "paper", "рaper")):
                return "report"  # a technical note known by its number
    if _has(low, _THESIS_KEYS) and (
            _THESIS.search(genre) or (_THESIS.search(text) and not hints.journal and (
                marks is None or marks.degree is not None))) and not (
            container and has_numbers):
        return "thesis"
    report_words = _has(low, _REPORT_KEYS)
    if report_words and (_REPORT.search(genre) or _REPORT.search(title)) and not hints.journal:
        return "report"
    if marks is not None and marks.report and not hints.journal and not (container and "volume"
                                                                         in ref.fields):
        return "report"
    if _DATABASE.search(f"{title} {container}") and "author" not in ref.names and not any(
            k in ref.fields for k in ("volume", "issue", "page", "publisher")) and (
            marks is None or (marks.report is None and marks.report_code is None)):
        return "dataset"  # "Evaluated Nuclear Data File (ENDF) Database Version of 2019-10-24"
    if container:
        issued = ref.dates.get("issued")
        dated = bool(issued and issued.parts and len(issued.parts[0]) == 3)
        low_container = container.lower()
        newspaper = _has(low_container, _NEWS_KEYS) and _NEWSPAPER.search(container)
        if newspaper:
            return "article-newspaper"
        conference = _has(low_container, _CONF_KEYS) and _CONF.search(container)
        if (conference or "event-date" in ref.dates) and not (
                hints.journal and "volume" in ref.fields):
            return "paper-conference"  # proceedings, or a talk with its day (and place)
        if dated and "volume" not in ref.fields and "page" not in ref.fields and not (
                "publisher" in ref.fields or "number-of-pages" in ref.fields):
            return "article-newspaper"
        if hints.journal or has_numbers and "publisher" not in ref.fields:
            return "article-journal"
        if "editor" in ref.names or "publisher" in ref.fields or "publisher-place" in ref.fields:
            return "chapter"
        return "book" if whole else "article-journal"
    web = "URL" in ref.fields and "doi.org/" not in ref.fields["URL"]
    if (web or "accessed" in ref.dates) and not any(k in ref.fields for k in (
            "publisher", "publisher-place", "volume", "number-of-pages", "ISBN")):
        return "webpage"
    if report_words and _REPORT.search(text) and "publisher" in ref.fields:
        return "report"
    numbers = sum(k in ref.fields for k in ("volume", "issue", "page"))
    if numbers >= 2 and "issued" in ref.dates and not any(k in ref.fields for k in (
            "publisher", "publisher-place", "ISBN")):
        # "Martinelli L. Materials and Corrosion, 2011, v. 62, p. 531.": a journal's numbers
        return "article-journal"
    if any(k in ref.fields for k in ("publisher", "publisher-place", "number-of-pages", "ISBN",
                                      "edition")):
        return "book"
    return "document"


def _form_variants(ref: Reference, var: str, translated: str | None, russian: bool,
                   strict: bool) -> bool:
    """Add explicit forms of a Latin field; True when it was judged romanised Russian."""
    value = ref.fields.get(var)
    if not value:
        return False
    if is_cyrillic(value):
        if translated:
            ref.add_variant(var, Variant(translated, Form.TRANSLATED, "en"))
        return False
    if translated:
        ref.add_variant(var, Variant(value, Form.ROMANISED, ref.language or "ru"))
        ref.add_variant(var, Variant(translated, Form.TRANSLATED, "en"))
        return True
    if not russian:
        return False
    score = romanised_score(value)
    if score > (0.3 if strict else 0.15):
        ref.add_variant(var, Variant(value, Form.ROMANISED, "ru", confidence=0.8))
        return True
    if score < -0.2:
        ref.add_variant(var, Variant(value, Form.TRANSLATED, "en", confidence=0.8))
    return False


def _parallel(ref: Reference, var: str) -> None:
    """``English = Romanised`` (or ``Заглавие = Title``): keep the original, add the other."""
    value = ref.fields.get(var, "")
    if " = " not in value:
        return
    left, _, right = (p.strip() for p in value.partition(" = "))
    if not left or not right:
        return
    if is_cyrillic(left) != is_cyrillic(right):
        original, other = (left, right) if is_cyrillic(left) else (right, left)
        ref.fields[var] = original
        ref.add_variant(var, Variant(other, Form.TRANSLATED if romanised_score(other) <= 0
                                     else Form.ROMANISED, "en" if romanised_score(other) <= 0
                                     else "ru"))
        return
    first_ru, second_ru = romanised_score(left), romanised_score(right)
    if first_ru == second_ru:
        return
    roman, english = (left, right) if first_ru > second_ru else (right, left)
    ref.fields[var] = roman
    ref.add_variant(var, Variant(roman, Form.ROMANISED, "ru"))
    ref.add_variant(var, Variant(english, Form.TRANSLATED, "en"))


_LAST_SENTENCE = re.compile(r"(?<=[^\s.]{3}[.?!])\s+([A-ZА-ЯЁ][^.?!]*"
                            r"(?:\.\s?[A-Za-zА-Яа-яЁё][^.?!]*)?)$")


def _journal_without_title(ref: Reference, hints: Hints) -> None:
    """No container, but a journal's numbers: ``Title// Journal`` glued in the title is split
    at ``//``; a short 'title' standing alone before the numbers is the journal itself
    (``Lopatin V.V. Nanostructured Mater. 1994. Vol. 4. P. 669.``)."""
    f = ref.fields
    if "container-title" in f or sum(k in f for k in ("volume", "issue", "page")) < 2 or \
            "issued" not in ref.dates or any(k in f for k in ("publisher", "publisher-place")):
        return
    title = f.get("title") or f.get("genre")
    if not title:
        return
    if "//" in title:
        head, _, tail = title.partition("//")
        if head.strip() and tail.strip():
            f["title"], f["container-title"] = head.strip(" ./"), tail.strip(" ./")
            hints.journal = True
        return
    if "author" in ref.names and len(title.split()) <= 5 and "[" not in title and \
            not hints.translated.get("title") and title in (f.get("title"), f.get("genre")):
        f["container-title"] = title
        f.pop("title" if f.get("title") == title else "genre")
        hints.journal = True
        return
    last = _LAST_SENTENCE.search(title) if title == f.get("title") else None
    if last and len(last.group(1).split()) <= 7:
        # "Start bystryh reaktorov ... urane. Byulleten’ po atomnoj energii. 2008, no. 8": the
        # last sentence before the numbers is the journal
        f["title"] = title[: last.start()].rstrip(" .")
        f["container-title"] = last.group(1).strip()
        hints.journal = True


def classify(ref: Reference, hints: Hints, text: str, marks: Marks | None = None) -> None:
    """Set the type, the language and the explicit forms of titles and publisher."""
    if marks is not None:
        early_dates(ref, marks)
    _journal_without_title(ref, hints)
    ref.type = csl_type(ref, hints, text, marks)
    if marks is not None:
        apply_marks(ref, marks, hints.names_printed)
    if marks is not None and marks.article_no:
        # "Article no. 18" is the article's number (read as the page), no issue
        printed = marks.printed["article_no"]
        text = text.replace(printed, " " * len(printed))
    fix_numbers(ref, text)
    note = ref.fields.get("note")
    if note and "г" in note:  # "2013 г.": the year's word the tagger left alone
        kept = [p for p in note.split("; ") if p.strip(" .,") not in ("г", "гг")]
        if kept:
            ref.fields["note"] = "; ".join(kept)
        else:
            del ref.fields["note"]
    title = ref.fields.get("title", "")
    if title and is_cyrillic(title):
        ref.fields.setdefault("language", "ru")
    russian = (ref.language or "").split("-")[0] == "ru"
    if _form_variants(ref, "title", hints.translated.get("title"), russian, strict=False):
        ref.fields.setdefault("language", "ru")
        russian = True
    _parallel(ref, "container-title")
    if "container-title" not in ref.variants:
        # on a line whose title is romanised, the container most likely is too
        _form_variants(ref, "container-title", hints.translated.get("container-title"),
                       russian, strict="title" not in ref.variants)
    publisher = ref.fields.get("publisher", "")
    if russian and hints.publ and publisher and not is_cyrillic(publisher) and romanised_score(
            publisher) >= 0:
        ref.add_variant("publisher", Variant(publisher, Form.ROMANISED, "ru", confidence=0.8))


def make_id(ref: Reference, used: Container[str] = ()) -> str:
    """``family + year`` in ASCII (``ivanov2015``), with ``a``, ``b``... when already used.

    Without an author the title's first word stands in (a book under its title, as GOST files
    it); an editor's name is often declined (``под ред. Кириллова``) and is not used.
    """
    letters: dict[str, str] = tables()["letters"]
    names = ref.names.get("author") or []
    stem = ""
    if names:
        stem = names[0].family or names[0].literal or ""
    if not stem and ref.type == "standard" and ref.fields.get("number"):
        stem = ref.fields["number"].split()[0]  # ГОСТ Р 7.0.5-2008 -> gost
    if not stem and ref.type in ("legislation", "regulation") and ref.fields.get("genre"):
        stem = ref.fields["genre"].split()[0]  # Федеральный закон -> federalnyy
    if not stem:
        stem = (ref.fields.get("title") or ref.fields.get("container-title") or "item").split()[0]
    ascii_stem = "".join(letters.get(ch, ch) for ch in stem.lower())
    ascii_stem = re.sub(r"[^a-z0-9]", "", ascii_stem) or "item"
    base = f"{ascii_stem}{ref.year or ''}"
    candidate, n = base, 0
    while candidate in used:
        candidate = base + (chr(ord("a") + n) if n < 26 else f"-{n}")
        n += 1
    return candidate
