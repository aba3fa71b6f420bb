"""Patents, inventor's certificates and registered programs or databases.

GOST and the romanised References lists print them in many orders (``Патент РФ № 2298176``,
``Патент 2298176 РФ, МПК G01N 27/46``, ``// Патент RU2282904C2``, ``А. с. 1007970 СССР``,
``Patent RU No. 2634309``, ``Authors' Certificate of the USSR No. 642101``, ``Свидетельство о
государственной регистрации программы для ЭВМ № 2014618789``). What is read here: the kind as
printed (``genre``), the country or office as printed (``authority``), the number, the kind code
(``C1``, kept in ``custom.patent-kind``), the holder (``заявитель и патентообладатель ...``,
``Copyright holder: ...`` -> ``publisher``) and the bulletin and classification notes. The dates
(``заявл.``, ``опубл.``) are read by :mod:`.spans` and set by :mod:`.kinds`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Grant", "find_grant"]


@dataclass(slots=True)
class Grant:
    """A patent, inventor's certificate or program/database registration found in a reference."""

    kind: str  # CSL type: "patent", "software" or "dataset"
    genre: str
    number: str | None = None
    authority: str | None = None
    code: str | None = None  # the kind code printed after the number (C1, C2, U1)
    holder: str | None = None
    name: str | None = None  # a program's name printed inside the certificate's words
    version: str | None = None
    notes: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()


_COUNTRY = (r"(?:RUS|RU|РФ|RF|SU|СССР|USSR|USA|US|США|EP|WO|WIPO|ЕАПО|EAPO|DE|JP|FR|GB|CN|UA|BY|KZ|"
            r"Украины|Ukraine|Российская\s+Федерация|"
            r"Россия|Russian\s+Federation|Rossijskaya\s+Federaciya|Rossiyskaya\s+Federatsiya|"
            r"(?:of\s+)?the\s+(?:USSR|Russian\s+Federation|RF)|RF\b)")
_GENRE = (r"(?:(?:Russian\s+Federation\s+|Russian\s+|Ukraine\s+)?[Pp]atent\s+(?:for|of|on)\s+"
          r"(?:the\s+|an\s+|a\s+)?"
          r"(?:[Ii]nvention|[Uu]tility\s+[Mm]odel|[Uu]seful\s+[Mm]odel)|"
          r"(?:[Aa]\s+)?[Uu]tility\s+model\s+patent|"
          r"Патент(?:\s+на\s+(?:изобретение|полезную\s+модель|промышленный\s+образец))?|"
          r"патент(?:\s+на\s+(?:изобретение|полезную\s+модель))?|"
          r"Авторское\s+свидетельство|авторское\s+свидетельство|А\.\s?с\.|Пат\.|"
          r"[Aa]vtorskoe\s+svidetel[’'`]?stvo|"
          r"Patent(?:\s+for\s+(?:an\s+)?(?:[Ii]nvention|[Uu]tility\s+[Mm]odel))?|patent|Pat\.|"
          r"Authors?['’]?\s+[Cc]ertificate|Inventor['’]?s['’]?\s+[Cc]ertificate)")
_REG = re.compile(
    r"(?P<reg>(?:(?:Attestation|Software)\s+)?(?:Свидетельство|свидетельство|Certificate|certificate|"
    r"Svidetel[’'`]?stvo|svidetel[’'`]?stvo)"
    r"(?:\s+(?:(?:о|o|of|for|on)\s+(?:the\s+)?(?:государственной|гос\.|[Ss]tate|official|"
    r"gosudarstvennoj|gosudarstvennoi|gosudarstvennoy)?\s*"
    r"(?:регистрации|[Rr]egistration|registracii|registratsii)\s+|to\s+|of\s+)"
    r"(?:of\s+(?:the\s+)?|for\s+(?:the\s+)?)?"
    r"(?:[\w-]+\s+){0,2}?"
    r"(?P<what>программ\w*(?:\s+для\s+ЭВМ)?|баз\w*\s+данных|[Cc]omputer(?=\s+[Nn]umber)|"
    r"programm[yi](?:\s+dl[jy]a\s+(?:JeVM|EVM|EHVM))?|(?:[Cc]omputer\s+)?[Pp]rograms?"
    r"(?:\s+for\s+(?:ЭВМ|computers?))?|"
    r"baz[yi]\s+dannykh|[Dd]atabases?|[Dd]ata\s?base)\)?(?:\s+RF)?)?)"
    r"(?P<gap>(?:«[^»]{0,80}»|[^.;«]|(?<=\d)\.(?=\d)){0,40}?)(?P<c1>\s*,?\s*(?:RU|RF|РФ))?\s*,?\s*"
    r"(?:(?:№|No\.?|N(?=\s?\d)|no\.?|Number)\s*(?P<cc>RU\s?)?(?P<num>\d+)|(?P<cc2>RU\s?)?(?P<num2>\d{5,}))"
    r"(?P<c3>\s*[,.]?\s*(?:Российская\s+Федерация|Russian\s+Federation|Рос\.\s?Федерация|RU|RF|РФ)"
    r"(?![\w]))?")
_NUM = (r"(?P<cc>(?:RUS|RU|SU|US|EP|WO|DE|JP|FR|GB|CN|UA|BY|KZ)(?=\s?(?:\(11\))?\d))?\s?"
        r"(?:\(11\))?(?:\d\s(?=\d{1,3}\s\d{3}\s\d{3}))?(?P<num>\d{1,3}(?:[\s,]\d{3})+(?![\d])|\d{4,})(?:\s?(?:\(13\))?(?P<kc>[A-ZАВСU]\d?)(?![\w]))?")
_MARK = r"(?:№|No\.?|N(?=\s?\d)|nr\.?|no\.?)"
_HEAD = re.compile(
    rf"(?:(?P<c0>US|USA|RU|EP|WO|DE|JP|FR|GB|CN|UA|SU|Russian\s+Federation,?|"
    rf"Российская\s+Федерация,?)\s+)?(?P<genre>{_GENRE})"
    rf"(?P<c1>\s*,?\s*(?:of\s+)?{_COUNTRY})?"
    rf"(?P<g2>\s+(?:на\s+изобретение|на\s+полезную\s+модель|for\s+(?:an\s+)?invention))?"
    rf"\s*,?\s*(?:{_MARK}\s*)?{_NUM}"
    rf"(?P<c2>\s*,?\s*{_COUNTRY}(?![\w]))?"
    rf"(?P<g3>\s+(?:на\s+изобретение|на\s+полезную\s+модель))?")
# a program's attestation (certification) passport: "Аттестационный паспорт программного средства
# № 199 от ...", "Attestation passport of the computer program KATRIN-2.5, no. 357",
# "Аттестационный паспорт программы для ЭВМ «CORNER». Рег. № 499", "Паспорт №205"
_PROGRAM_NO = re.compile(r"(?P<reg>[Пп]рограмм[аы]\s+для\s+ЭВМ|[Бб]аз[аы]\s+данных|Registration"
                         r"(?=\s*(?:№|No\.?)\s*\d{7,}[^;]{0,50}(?:[Pp]rogram|ЭВМ)))\s*[,:]?\s*"
                         r"(?:№|No\.?)\s*(?P<cc>RU\s?)?(?P<num>\d{7,})")
_PROGRAM_WORDS = (r"(?:программного\s+средства|программы\s+для\s+ЭВМ|ПС|programmnogo\s+sredstva|PS|"
                  r"(?:[Ss]oftware|[Cc]omputer)\s+(?:[Tt]ool|[Pp]rogram)|[Ss]oftware|[Pp]rogram)")
_PASSPORT = re.compile(
    r"(?P<reg>(?:(?:Приложение|приложение)\s+к\s+|(?:The\s+)?[Aa]ppendix\s+to\s+(?:the\s+)?|"
    r"(?:The|the)\s+(?=[Cc]ertif|[Aa]ttest))?"
    r"(?:(?:[Аа]ттестационн\w{2,3}|Attestacionn\w{2,3}|Attestation|[Cc]ertification)\s+)?"
    r"(?:[Пп]аспорт\w{0,2}|[Pp]ass?port|(?<=Attestation\s)Certificate)"
    rf"(?:\s+(?:of\s+(?:the\s+)?)?(?:(?P<pre>[A-Z][\w/.+-]*\d?[\w/.+-]*)\s+(?=(?:computer|software)))?"
    rf"{_PROGRAM_WORDS})?)"
    r"(?P<tr>\s*\[[^\]]{1,80}\])?"
    r"(?P<gap>(?:(?!\s(?:№|[Nn]o\.?)\s?\d|//|https?:)[^№]){0,160}?)"
    r"[\s,.:]*(?P<nopart>(?:(?:Регистрационный\s+номер|Registr\w+\s+nomer|Registration\s+[Nn]umber)"
    r"[^№\d]{0,40}?)?(?:(?:[Рр]ег\.|Reg\.)\s*)?"
    r"(?:(?:№|[Nn]o\.?|N(?=\s?\d))\s*(?P<num>\d+[\w/-]*)|(?P<num2>\d+)(?=\s+(?:от|ot|dated|from)\s)))"
    r"(?P<when>\s*[,.]?\s*(?:от|ot|of|dated|from|Дата\s+выдачи|Data\s+vydachi)?\s*"
    r"(?:\d{1,2}\s?[./]\s?\d{1,2}\s?[./]\s?\d{2,4}|\d{1,2}\s+[^\W\d_]{3,9}\.?,?\s+\d{4}|"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\.\d{1,2}\.\d{4}|[,.]?\s+\d{4}))(?:\s*г\.)?)?")
_NAME_AFTER = re.compile(r"^\s*(?:[:«\"](?P<q>[^»\"]{2,80})[»\"]|"
                         r"(?P<w>[A-ZА-ЯЁ][\w/.+-]*\d?[\w/.+-]*"
                         r"(?:\s+с\s+[\w\s]{3,40}?)?))\s*(?:\((?P<v>[Вв]ерсия|[Vv]ersion|[Vv]ersiya)"
                         r"\s*(?P<ver>[\w.]+)\))?\s*[,.]?\s*$")
_NAMED = re.compile(r"(?:Название|Nazvanie)\s+(?:программного\s+средства|programmnogo\s+sredstva)"
                    r"\s*:?\s*"
                    r"(?P<w>[^\s(]+)\s*(?:\((?:Версия|Versiya|[Vv]ersion)\s*(?P<ver>[\w.]+)\))?")
_DEVELOPER = re.compile(r"(?:Разработчик|Razrabotchik)\s*[:–—-]\s*(?P<h>[^.;]+?(?:«[^»]*»)?)"
                        r"(?=\s*(?:[.;]|\(in\s|$))")
_HOLDER = re.compile(r"(?:[Зз]аявитель\s+и\s+)?(?:патентообладател[ьи]\w*|заявител[ьи]|"
                     r"[Cc]opyright\s+holders?|[Pp]atent\s+holders?|[Aa]ssignees?|"
                     r"[Пп]равообладател[ьи]\w*)\s*(?:\([^)]*\))?\s*:?\s*"
                     r"(?P<h>[^;]+?)(?=\s*(?:;|\.\s+(?:[-–—]\s*)?(?:№|[Зз]аявл|[Оо]публ|[Бб]юл|Appl|Publ)|"
                     r"\s[-–—]\s|$))")
_BULLETIN = re.compile(r"(?:[Бб]юл(?:летень)?\.?|Bul(?:l(?:etin)?)?\.?)\s*(?:№|No\.?|N)?\s*\d+")
_IPC = re.compile(r"(?:МПК|MPK|IPC|Int\.\s?[Cc]l\.)\s*(?:\(\d+\))?\s*"
                  r"[A-HА-Я]\s?\d\d[A-ZА-Я]\s*\d+/\d+"
                  r"(?:\s*\(\d{4}\.\d\d?\))?"
                  r"(?:\s*,\s*[A-H]\s?\d\d[A-Z]\s*\d+/\d+(?:\s*\(\d{4}\.\d\d?\))?)*")
_DATED = re.compile(r"\s*,?\s*(?:от|ot|of|dated|from)(?=\s+\d)")
_CUES = ("патент", "patent", "свидетельств", "certificate", "svidetel", "а. с", "а.с", "пат.",
         "pat.", "паспорт", "passport", "pasport", "для эвм", "данных", "registration")


def find_grant(text: str) -> Grant | None:
    """A patent (or program registration) printed in ``text``, or None.

    >>> g = find_grant("Иванов И.И. Способ охлаждения // Патент RU2282904C2. 2006.")
    >>> g.kind, g.genre, g.authority, g.number, g.code
    ('patent', 'Патент', 'RU', '2282904', 'C2')
    >>> g = find_grant("Патент 2298176 РФ, МПК G01N 27/46. Датчик / Мартынов П.Н.; заявитель и "
    ...                "патентообладатель ГНЦ РФ-ФЭИ. – № 2005103155; заявл. 07.02.2005")
    >>> g.number, g.authority, g.holder, g.notes
    ('2298176', 'РФ', 'ГНЦ РФ-ФЭИ', ('МПК G01N 27/46',))
    """
    low = text.lower()
    if not any(c in low for c in _CUES):
        return None
    m = _HEAD.search(text)
    kind = "patent"
    name = None
    if m:
        genre = " ".join(m.group("genre").split())
        for extra in ("g2", "g3"):
            if m.group(extra):
                genre += " " + " ".join(m.group(extra).split())
        country = (m.group("cc") or _country(m.group("c0")) or _country(m.group("c1"))
                   or _country(m.group("c2")))
    else:
        passport = _passport(text) if "асп" in low or "assp" in low or "asp" in low else None
        if passport is not None:
            return passport
        m = _REG.search(text) or _PROGRAM_NO.search(text)
        if not m:
            return None
        g = m.groupdict()
        what = (g.get("what") or g.get("reg") if m.re is _PROGRAM_NO else g.get("what") or "")
        what = (what or "").lower()
        if not what and not re.search(r"программ|program|ЭВМ|database|баз\w*\s+данных|code\b",
                                      text[: m.end()], re.IGNORECASE):
            return None  # a certificate of another kind (type approval, attestation of a method)
        kind = "dataset" if ("баз" in what or "data" in what) else "software"
        genre = " ".join(m.group("reg").split())
        gap = " ".join((g.get("gap") or "").split()).strip(" ,.:;–—")
        if gap and what and len(gap) <= 60 and re.match(r"[«\"A-ZА-ЯЁ]", gap):
            name = gap  # "Certificate of ... computer program SLEAK No. 2018661619"
        country = ((g.get("cc") or g.get("cc2") or "").strip() or _country(g.get("c1"))
                   or _country(g.get("c3")))
    end = m.end()
    tail = _DATED.match(text, end)
    if tail:
        end = tail.end()  # "... No. 2014620091 dated": the date itself is read by .spans
    spans = [(m.start(), end)]
    holder = None
    h = _HOLDER.search(text)
    if h:
        holder = " ".join(h.group("h").split()).strip(" .,")
        spans.append(h.span())
    notes = []
    for pat in (_IPC, _BULLETIN):
        for x in pat.finditer(text):
            if not any(s <= x.start() < e for s, e in spans):
                notes.append(" ".join(x.group().split()))
                spans.append(x.span())
    number = re.sub(r"[\s,]", "", m.group("num") or m.groupdict().get("num2") or "")
    return Grant(kind, genre, number=number, authority=country,
                 code=m.groupdict().get("kc"), holder=holder or None, name=name,
                 notes=tuple(notes),
                 spans=tuple(spans))


def _passport(text: str) -> Grant | None:
    """A program's attestation passport: genre as printed, its number, the program's name when
    printed inside the passport's words, the developer."""
    m = _PASSPORT.search(text)
    if not m:
        return None
    genre = " ".join(m.group("reg").split())
    name = m.group("pre")
    version = None
    gap = m.group("gap")
    spans = [(m.start(), m.end("tr") if m.group("tr") else m.end("reg"))]
    n = _NAME_AFTER.match(gap) if gap.strip() and not name else None
    if n:
        name = n.group("q") or n.group("w")
        version = n.group("ver")
        spans.append((m.start("gap"), m.end("gap")))
    elif not name:
        n = _NAMED.search(gap)
        if n:
            name, version = n.group("w"), n.group("ver")
            spans.append((m.start("gap") + n.start(), m.start("gap") + n.end()))
    if m.group("pre"):
        genre = " ".join(genre.replace(m.group("pre"), " ").split())
    name = name.strip(" ,.") if name else None
    number = m.group("num") or m.group("num2")
    spans.append((m.start("nopart"), m.end()))
    holder = None
    d = _DEVELOPER.search(text, m.end())
    if d:
        holder = " ".join(d.group("h").split())
        spans.append(d.span())
    return Grant("software", genre, number=number, name=name, version=version, holder=holder,
                 spans=tuple(spans))


def _country(text: str | None) -> str | None:
    if not text:
        return None
    t = " ".join(text.split()).strip(" ,.")
    t = re.sub(r"^(?:of\s+)?the\s+", "", t)
    return t or None
