"""Generate a realistic mixed Russian/English bibliography of any size, reproducibly.

    python benchmarks/generate.py --entries 1000 --seed 1 --format csl-json > lib.json
    python benchmarks/generate.py --entries 10000 --seed 1 --format bibtex > lib.bib

About 40% of the entries are Russian (Cyrillic names, titles, journals, "М.: Наука"), the rest
English. Types, author counts, dates and fields follow the mix of a typical thesis or journal
reference list: mostly journal articles, then books, chapters, conference papers, theses,
reports and web pages; some authors publish several works in one year (so author-date styles
need year suffixes), some names carry particles or "ё", some titles end in "?" or carry
<i>markup</i>, some author lists are long enough for "et al.".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import Any

RU_FAMILY = ("Иванов Петров Сидоров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков "
             "Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов "
             "Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев "
             "Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв "
             "Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев "
             "Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Ёлкин "
             "Богданов Осипов Сидоренко Матвеев Титов Марков Миронов Крылов Куликов Карпов").split()
RU_GIVEN = "А. Б. В. Г. Д. Е. Ж. И. К. Л. М. Н. О. П. Р. С. Т. Ю. Я. Э.".split()
EN_FAMILY = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
             "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
             "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright "
             "Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
             "Mitchell Carter Roberts O'Brien Müller Schmidt Dubois").split()
EN_GIVEN = ("James John Robert Michael William David Mary Patricia Jennifer Linda Elizabeth "
            "Barbara Susan Jessica Sarah Karen Anne-Marie Jean-Paul Wei Hiroshi Ana").split()
PARTICLES = [("van", "Berg"), ("de", "Vries"), ("van der", "Waals"), ("von", "Neumann"),
             ("de la", "Fuente"), ("di", "Caprio")]
RU_WORDS = ("исследование анализ моделирование метод расчёт оценка влияние разработка применение "
            "теплообмена реактора нейтронов топлива безопасности атомной энергетики радиационной "
            "стойкости материалов коррозии теплоносителя активной зоны быстрых реакторов "
            "экспериментальное численное статистическое сравнительное современное").split()
EN_WORDS = ("analysis modelling method evaluation influence development application heat transfer "
            "reactor neutron fuel safety nuclear energy radiation resistance materials corrosion "
            "coolant core fast reactors experimental numerical statistical comparative modern "
            "approach study review data model system").split()
RU_JOURNALS = ["Известия вузов. Ядерная энергетика", "Атомная энергия", "Теплоэнергетика",
               "Вопросы атомной науки и техники", "Физика металлов и металловедение",
               "Журнал технической физики", "Успехи физических наук"]
EN_JOURNALS = ["Nuclear Engineering and Design", "Annals of Nuclear Energy",
               "Journal of Nuclear Materials", "Progress in Nuclear Energy",
               "Nuclear Science and Engineering", "Physical Review Letters",
               "International Journal of Heat and Mass Transfer"]
RU_PUBLISHERS = [("Наука", "М."), ("Энергоатомиздат", "М."), ("Физматлит", "М."),
                 ("Питер", "СПб."), ("Изд-во МГУ", "М."), ("ИАТЭ НИЯУ МИФИ", "Обнинск")]
EN_PUBLISHERS = [("Springer", "Berlin"), ("Elsevier", "Amsterdam"), ("Wiley", "Hoboken, NJ"),
                 ("Cambridge University Press", "Cambridge"), ("CRC Press", "Boca Raton, FL"),
                 ("Oxford University Press", "Oxford")]
TYPES = [("article-journal", 50), ("book", 18), ("chapter", 10), ("paper-conference", 8),
         ("thesis", 4), ("report", 4), ("webpage", 4), ("patent", 1), ("dataset", 1)]


class Gen:
    """A seeded generator of CSL-JSON items."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.recent: list[tuple[list[dict[str, str]], int, bool]] = []

    def name(self, ru: bool) -> dict[str, str]:
        r = self.r
        if ru:
            given = r.choice(RU_GIVEN) + (f" {r.choice(RU_GIVEN)}" if r.random() < 0.8 else "")
            return {"family": r.choice(RU_FAMILY), "given": given}
        if r.random() < 0.04:
            particle, family = r.choice(PARTICLES)
            return {"family": family, "given": r.choice(EN_GIVEN),
                    "non-dropping-particle": particle}
        given = r.choice(EN_GIVEN)
        if r.random() < 0.5:
            given = given[0] + "." + (f" {r.choice(EN_GIVEN)[0]}." if r.random() < 0.4 else "")
        return {"family": r.choice(EN_FAMILY), "given": given}

    def authors(self, ru: bool) -> list[dict[str, str]]:
        r = self.r
        n = r.choices([1, 2, 3, 4, 5, 6, 8, 12, 25], [25, 25, 20, 10, 7, 5, 4, 3, 1])[0]
        return [self.name(ru) for _ in range(n)]

    def title(self, ru: bool) -> str:
        r = self.r
        words = RU_WORDS if ru else EN_WORDS
        t = " ".join(r.choice(words) for _ in range(r.randint(3, 11)))
        t = t[0].upper() + t[1:]
        roll = r.random()
        if roll < 0.06:
            t += "?"
        elif roll < 0.09 and not ru:
            t = t.replace(" reactor", " <i>in situ</i> reactor", 1)
        elif roll < 0.12:
            t += ": " + " ".join(r.choice(words) for _ in range(r.randint(2, 5)))
        return t

    def item(self, n: int) -> dict[str, Any]:
        r = self.r
        ru = r.random() < 0.4
        typ = r.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        year = r.randint(1965, 2024)
        if self.recent and r.random() < 0.12:      # same authors, same year: year suffixes
            authors, year, ru = r.choice(self.recent)
        else:
            authors = self.authors(ru)
            self.recent = (self.recent + [(authors, year, ru)])[-50:]
        it: dict[str, Any] = {"id": f"ref{n}", "type": typ, "title": self.title(ru),
                              "language": "ru" if ru else "en"}
        if r.random() < 0.97:
            issued: dict[str, Any] = {"date-parts": [[year]]}
            if r.random() < 0.15:
                issued = {"date-parts": [[year, r.randint(1, 12), r.randint(1, 28)]]}
            it["issued"] = issued
        if typ != "webpage" or r.random() < 0.5:
            it["author"] = authors
        pub, place = r.choice(RU_PUBLISHERS if ru else EN_PUBLISHERS)
        if typ == "article-journal":
            it["container-title"] = r.choice(RU_JOURNALS if ru else EN_JOURNALS)
            it["volume"] = str(r.randint(1, 120))
            if r.random() < 0.7:
                it["issue"] = str(r.randint(1, 12))
            first = r.randint(1, 900)
            it["page"] = f"{first}-{first + r.randint(1, 30)}"
            if r.random() < 0.5:
                it["DOI"] = f"10.{r.randint(1000, 9999)}/j.{r.randint(10000, 99999)}"
        elif typ in ("book", "report", "thesis"):
            it["publisher"] = pub if typ != "thesis" else ("МИФИ" if ru else "MIT")
            it["publisher-place"] = place
            if typ == "book":
                if r.random() < 0.3:
                    it["edition"] = str(r.randint(2, 5))
                it["number-of-pages"] = str(r.randint(80, 900))
                if r.random() < 0.2:
                    it["editor"] = [self.name(ru) for _ in range(r.randint(1, 2))]
                    if r.random() < 0.5:
                        it.pop("author", None)
                if r.random() < 0.08:
                    it["translator"] = [self.name(True)]
            if typ == "thesis":
                it["genre"] = "дис. … канд. техн. наук" if ru else "PhD thesis"
            if typ == "report":
                it["number"] = str(r.randint(1, 999))
        elif typ in ("chapter", "paper-conference"):
            it["container-title"] = self.title(ru)
            it["publisher"], it["publisher-place"] = pub, place
            first = r.randint(1, 500)
            it["page"] = f"{first}-{first + r.randint(2, 25)}"
            if typ == "chapter" or r.random() < 0.3:
                it["editor"] = [self.name(ru) for _ in range(r.randint(1, 3))]
            if typ == "paper-conference" and r.random() < 0.5:
                it["event-title"] = ("Международная конференция" if ru else
                                     "International Conference on Nuclear Engineering")
        elif typ == "webpage":
            it["container-title"] = "Росатом" if ru else "IAEA"
        elif typ == "patent":
            it["number"] = f"RU {r.randint(2000000, 2800000)}" if ru else \
                f"US {r.randint(5000000, 9999999)}"
        if typ in ("webpage", "dataset") or r.random() < 0.08:
            it["URL"] = f"https://example.org/{n}"
            it["accessed"] = {"date-parts": [[2024, r.randint(1, 12), r.randint(1, 28)]]}
        return it


def _bib_name(n: dict[str, str]) -> str:
    family = n["family"]
    if n.get("non-dropping-particle"):
        family = f"{n['non-dropping-particle']} {family}"
    return f"{family}, {n['given']}" if n.get("given") else f"{{{family}}}"


_BIB_TYPES = {"article-journal": "article", "book": "book", "chapter": "incollection",
              "paper-conference": "inproceedings", "thesis": "phdthesis", "report": "techreport",
              "webpage": "online", "patent": "patent", "dataset": "misc"}


def to_bibtex(it: dict[str, Any]) -> str:
    """One item as a BibTeX entry."""
    fields: list[tuple[str, str]] = []
    for role in ("author", "editor", "translator"):
        if role in it:
            fields.append((role, " and ".join(_bib_name(n) for n in it[role])))
    title = it["title"].replace("<i>", "\\textit{").replace("</i>", "}")
    fields.append(("title", title))
    container = {"article-journal": "journal", "chapter": "booktitle",
                 "paper-conference": "booktitle", "webpage": "organization"}
    if "container-title" in it:
        fields.append((container.get(it["type"], "journal"), it["container-title"]))
    simple = {"volume": "volume", "issue": "number", "page": "pages", "publisher": "publisher",
              "publisher-place": "address", "edition": "edition", "DOI": "doi", "URL": "url",
              "number-of-pages": "pagetotal", "language": "langid", "genre": "type"}
    for key, bib in simple.items():
        if key in it:
            fields.append((bib, str(it[key]).replace("-", "--") if key == "page"
                           else str(it[key])))
    if "number" in it and "issue" not in it:
        fields.append(("number", it["number"]))
    if "issued" in it:
        parts = it["issued"]["date-parts"][0]
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
    if "accessed" in it:
        y, m, d = it["accessed"]["date-parts"][0]
        fields.append(("urldate", f"{y}-{m:02d}-{d:02d}"))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{_BIB_TYPES[it['type']]}{{{it['id']},\n{body}\n}}\n"


def generate(entries: int, seed: int) -> list[dict[str, Any]]:
    """``entries`` CSL-JSON items from ``seed``."""
    g = Gen(seed)
    return [g.item(n) for n in range(1, entries + 1)]


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["csl-json", "bibtex"], default="csl-json")
    args = ap.parse_args()
    items = generate(args.entries, args.seed)
    if args.format == "csl-json":
        json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(to_bibtex(it) for it in items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
