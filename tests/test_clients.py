"""BibLaTeX exports through biber and biblatex-gost (the ``clients`` marker; skipped where biber
is not installed - see docs/exports.md for installing and running them).

* ``biber --tool --validate-datamodel`` finds no field an entry type rejects and, with
  transcite's variant fields declared, no field outside the data model; what remains are gaps
  in the data itself (an online item without a URL, an article without an author).
* A XeLaTeX document citing every entry builds with biblatex-gost, biber hands every entry and
  the fields the issue found lost (organization, pubstate, type) to LaTeX, and the Russian list
  stays Russian.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _consumers import biber_tool, has_biber

from transcite.readers import read
from transcite.writers import dumps

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = {"fixture": ROOT / "tests" / "data" / "fixture" / "library.json",
             "example": ROOT / "references" / "examples" / "russia-japan.bib"}
#: biber's warnings about the data, not the export (named in docs/exports.md)
DATA_GAPS = re.compile(r"Missing mandatory field|ISBN '.*' in entry '.*' is invalid|"
                       r"Possible typo \(case mismatch\)|Field '(license|eissn)' invalid")

pytestmark = [pytest.mark.clients,
              pytest.mark.skipif(not has_biber(), reason="biber is not installed")]


@pytest.mark.parametrize("name", sorted(LIBRARIES))
def test_biber_validates_the_data_model(name: str) -> None:
    lib = read(LIBRARIES[name])
    reading = biber_tool(dumps(lib, "biblatex"))
    assert reading.entries == len(lib)
    assert [w for w in reading.warnings if not DATA_GAPS.search(w)] == []
    bare = biber_tool(dumps(lib, "biblatex"), datamodel=False)
    assert not any("Invalid field" in w for w in bare.warnings)  # no field the type rejects


def _shared_slots() -> list:
    """References whose fields share one BibLaTeX slot with another (see test_roundtrip)."""
    from transcite.model import Date, Name, Reference

    doe = {"author": [Name(family="Doe", given="J.")]}
    year = {"issued": Date(((2020,),))}
    return [
        Reference("art", "article-journal", fields={"title": "T", "container-title": "J",
                                                    "number": "e12", "issue": "3"},
                  names=doe, dates=year),
        Reference("rev", "review", fields={"title": "T", "container-title": "J", "number": "5",
                                           "issue": "2", "reviewed-title": "B"},
                  names=doe, dates=year),
        Reference("per", "periodical", fields={"title": "T", "number": "5", "issue": "2"},
                  names={"editor": [Name(family="Roe", given="R.")]}, dates=year),
        Reference("ser", "book", fields={"title": "T", "collection-title": "S", "number": "12",
                                         "collection-number": "7", "publisher": "P",
                                         "division": "D", "archive_location": "Box 1"},
                  names={"author": [Name(family="Stael", given="Anne", dropping_particle="de",
                                         non_dropping_particle="von")]},
                  dates={"issued": Date(((2001,),), circa=True)}),
    ]


def test_biber_takes_what_shares_a_slot() -> None:
    """An article's own number in ``eid``, a review as an @article, a periodical's and a
    series book's own number, both particles in the "von" part, CSL variables BibLaTeX has
    no field for and ``transcite-custom``: biber finds no field an entry type rejects, and
    with transcite's fields declared none outside the data model."""
    from transcite.model import Library

    text = dumps(Library(_shared_slots()), "biblatex")
    reading = biber_tool(text)
    assert reading.entries == 4
    assert [w for w in reading.warnings if not DATA_GAPS.search(w)] == []
    bare = biber_tool(text, datamodel=False)
    assert not any("Invalid field" in w for w in bare.warnings), bare.warnings


_DOC = r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{DejaVu Serif}
\usepackage{polyglossia}
\setmainlanguage{russian}
\setotherlanguage{english}
\usepackage[style=gost-numeric,backend=biber,language=auto,autolang=other]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="XeLaTeX is not installed")
def test_xelatex_builds_with_biblatex_gost(tmp_path: Path) -> None:
    lib = read(LIBRARIES["example"])
    (tmp_path / "refs.bib").write_text(dumps(lib, "biblatex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(_DOC, encoding="utf-8")

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    run("xelatex", "-interaction=nonstopmode", "doc.tex")
    biber = run("biber", "doc")
    assert biber.returncode == 0, biber.stdout[-2000:]
    assert "ERROR" not in biber.stdout
    latex = run("xelatex", "-interaction=nonstopmode", "doc.tex")
    assert latex.returncode == 0, latex.stdout[-2000:]
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    keys = re.findall(r"\\entry\{([^}]+)\}", bbl)
    assert sorted(keys) == sorted(lib.ids)
    for shown in ("Эхо Москвы", "RNT", "ТАСС"):  # @online organization, printed by gost
        assert shown in bbl
    assert "Russia offers Japan" not in bbl  # the translation stays out of the Russian list
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert "undefined" not in log.lower().replace("undefined references", "")


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="XeLaTeX is not installed")
def test_a_numero_sign_reaches_xelatex_as_written(tmp_path: Path) -> None:
    """'№' is written as the letter it is (biber reads UTF-8): no macro a XeLaTeX document
    with polyglossia lacks."""
    from transcite.model import Library, Reference

    lib = Library([Reference("order5", "legislation", fields={
        "title": "Приказ № 5 «Об утверждении правил»", "language": "ru", "number": "№ 5"})])
    bib = dumps(lib, "biblatex")
    assert "№ 5" in bib and "\\No" not in bib
    assert read_text_back(bib)["title"] == "Приказ № 5 «Об утверждении правил»"
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(_DOC, encoding="utf-8")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "doc.tex"], cwd=tmp_path,
                   capture_output=True, timeout=300)
    subprocess.run(["biber", "doc"], cwd=tmp_path, capture_output=True, timeout=300)
    latex = subprocess.run(["xelatex", "-interaction=nonstopmode", "doc.tex"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert latex.returncode == 0, latex.stdout[-2000:]
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert "Undefined control sequence" not in log
    assert "№ 5" in (tmp_path / "doc.bbl").read_text(encoding="utf-8")


def read_text_back(bib: str) -> dict[str, str]:
    """The fields of the one entry in ``bib`` as transcite reads them back."""
    import io

    return next(iter(read(io.BytesIO(bib.encode("utf-8")), "bibtex"))).fields
