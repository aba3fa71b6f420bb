"""transcite's GOST styles and the References view on hand-written golden cases, and the rules
the styles keep in every variant.

Each folder of tests/data/gost holds one reference (item.json, CSL-JSON), what it shows
(case.json: ``why``, optional ``item_locale`` and expected ``problems``) and its entry in GOST
R 7.0.5-2008 (numeric), GOST R 7.0.100-2018 (numeric) and the romanised References list of the
``scopus`` profile (expected.txt, ``name: entry`` per line).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import transcite
from transcite.model import Date, Library, Name, Reference
from transcite.render.lists import format_library

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "data" / "gost"
GOST = ("gost-r-7-0-5-2008-numeric", "gost-r-7-0-100-2018-numeric")
VARIANTS = ("gost-r-7-0-5-2008", "gost-r-7-0-5-2008-numeric",
            "gost-r-7-0-5-2008-numeric-alphabetical", "gost-r-7-0-100-2018-numeric",
            "gost-r-7-0-100-2018-numeric-alphabetical", "gost-r-7-0-100-2018-author-year",
            "gost-r-7-0-100-2018-numeric-dots")


def _expected(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines():
        name, _, entry = line.partition(": ")
        out[name] = entry
    return out


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden(case: str) -> None:
    """The entry of the case's reference in both GOST styles and in the References view."""
    folder = CASES / case
    spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    want = _expected(folder)
    library = transcite.read(folder / "item.json")
    problems = set()
    for style in GOST:
        result = format_library(library, style=style, order="input",
                                item_locale=spec.get("item_locale", False))
        [entry] = result.lists[0].entries
        assert entry.text == want[style], f"{case} / {style}: {spec['why']}"
        problems |= {p.code for p in result.report}
    refs = format_library(library, profile="scopus", view="references", order="input")
    [entry] = refs.lists[0].entries
    assert entry.text == want["references"], f"{case} / references: {spec['why']}"
    problems |= {p.code for p in refs.report}
    for code in spec.get("problems", []):
        assert code in problems


def test_there_are_at_least_sixty_cases() -> None:
    assert sum(1 for p in CASES.iterdir() if (p / "expected.txt").is_file()) >= 60


@pytest.mark.parametrize("tool", ["gost_styles.py", "references_styles.py"])
def test_shipped_styles_are_what_the_rules_build(tool: str) -> None:
    """styles/csl/gost-r-*.csl and transcite-references*.csl are generated: nobody edits one
    file of a set and forgets the others."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / tool), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _english_article() -> Library:
    return Library([Reference("smith", "article-journal", fields={
        "title": "Neutron measurements", "container-title": "Nuclear Engineering and Design",
        "volume": "210", "issue": "3", "page": "1-15", "language": "en"},
        names={"author": [Name("Smith", "J.")]}, dates={"issued": Date(((2001,),))})])


@pytest.mark.parametrize("style", VARIANTS)
def test_item_locale_gives_english_terms_in_every_variant(style: str) -> None:
    """An English item in a Russian list: Vol./no./P. with item locale, Т./№/С. without."""
    with_ = format_library(_english_article(), style=style, item_locale=True).lists[0]
    without = format_library(_english_article(), style=style).lists[0]
    assert "Vol. 210, no. 3" in with_.entries[0].text and "P. 1–15" in with_.entries[0].text
    assert "Т. 210, № 3" in without.entries[0].text and "С. 1–15" in without.entries[0].text


@pytest.mark.parametrize("style", [v for v in VARIANTS if "alphabetical" in v
                                   or "year" in v or v == "gost-r-7-0-5-2008"])
def test_works_without_author_sort_by_title(style: str) -> None:
    """'Отчёт' (no author) sorts between 'Иванов' and 'Петров', not after everything."""
    refs = [Reference(i, "book", fields={"title": t}, names={"author": [Name(a, "А.")]} if a
                      else {}, dates={"issued": Date(((2000,),))})
            for i, a, t in (("p", "Петров", "Б"), ("o", None, "Отчёт о работе"),
                            ("i", "Иванов", "А"))]
    entries = format_library(Library(refs), style=style).lists[0].entries
    assert [e.id for e in entries] == ["i", "o", "p"]


@pytest.mark.parametrize("style", VARIANTS)
def test_missing_parts_leave_no_stray_punctuation(style: str) -> None:
    """An item with only an author and a year, one with only a title and a URL."""
    refs = Library([
        Reference("a", "document", names={"author": [Name("Нелидов")]},
                  dates={"issued": Date(((2019,),))}),
        Reference("b", "webpage", fields={"title": "Страница", "URL": "https://example.org"}),
        Reference("c", "article-journal", fields={"title": "Статья", "container-title": "Журнал"}),
    ])
    for entry in format_library(refs, style=style, order="input").lists[0].entries:
        text = entry.text
        for stray in ("//  ", ". .", ", ,", ":.", " :.", "..", "( )", "()", "/ .", ". //"):
            assert stray not in text, (style, text)
        assert not text.rstrip(".").endswith((",", ":", "/", "—"))
