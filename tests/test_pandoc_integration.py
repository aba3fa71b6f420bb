"""The filter run by a real pandoc (the one pypandoc-binary ships) over the sample paper in
references/examples: the text readers see in HTML and Word, other writers, and the messages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _pandoc import CASES, filter_command, pandoc_binary

pytestmark = pytest.mark.pandoc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "references" / "examples"
PANDOC = pandoc_binary()
FILTER = filter_command()

if PANDOC is None or FILTER is None:  # pragma: no cover - the test extra installs both
    pytest.skip("needs pandoc (pypandoc-binary) and the installed pandoc-transcite script",
                allow_module_level=True)


def run(*args: str, cwd: Path = EXAMPLES, stdin: bytes | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    assert PANDOC is not None and FILTER is not None
    return subprocess.run([PANDOC, *args, "--filter", FILTER], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120, check=False)


def plain_css_paper(tmp_path: Path) -> Path:
    """The sample paper with a plain CSL style instead of the journal profile."""
    text = (EXAMPLES / "paper.md").read_text(encoding="utf-8")
    text = re.sub(r"transcite:\n(  .*\n)+", "csl: gost-r-7-0-5-2008-numeric\n", text)
    text = text.replace("bibliography: russia-japan.bib",
                        f"bibliography: {EXAMPLES / 'russia-japan.bib'}")
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    return path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self.skip += 1
        if tag in ("p", "div", "h1", "h2", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL)
    lines = ("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


CITED = [
    "Как показал Streltsov [1], российско-японские отношения",
    "обсуждался мирный договор [2, 3], а в 2017 году - мост Хоккайдо-Сахалин [4, с. 2].",
    "см. [5, с. 71], а о долгосрочных факторах - [6].",
    "see Батин [4, с. 2] and [see 7, 8, гл. 3, for the naval drills].",
]
LISTED = [
    "1. Streltsov D. V. Russian-Japanese relations: Systemic crisis or new opportunities?",
    ("4. Батин Ю. Россия предложила Японии построить мост Хоккайдо-Сахалин // Российская "
     "газета. 2017."),
    "9. Синдзо Абэ предложил Владимиру Путину подписать мирный договор // Коммерсантъ. 2016.",
]


def test_html_shows_citations_and_the_gost_list(tmp_path: Path) -> None:
    paper = plain_css_paper(tmp_path)
    done = run(str(paper), "-s", "-t", "html", "--wrap=none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    html = done.stdout.decode("utf-8")
    text = html_text(html)
    for fragment in CITED + LISTED:
        assert fragment in " ".join(text.split()), fragment
    assert '<a href="#ref-Batin2017" role="doc-biblioref">' in html
    assert '<div id="ref-Batin2017" class="csl-entry"' in html
    assert "@Batin2017" not in text


def test_docx_shows_citations_and_the_gost_list(tmp_path: Path) -> None:
    paper = plain_css_paper(tmp_path)
    done = run(str(paper), "-o", "paper.docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    text = docx_text(tmp_path / "paper.docx")
    joined = " ".join(text.split())
    for fragment in CITED + LISTED:
        assert fragment in joined, fragment
    lines = text.splitlines()
    assert lines[-1].startswith("9. Синдзо Абэ")


def test_dual_view_in_html_and_docx(tmp_path: Path) -> None:
    pytest.importorskip("transcite.translit")
    done = run("paper.md", "-t", "html", "--wrap=none")
    assert done.returncode == 0, done.stderr.decode()
    text = " ".join(html_text(done.stdout.decode("utf-8")).split())
    assert text.index("Список литературы") < text.index("References")
    assert "Как показал Streltsov [1]" in text
    assert "4. Батин Ю. Россия предложила" in text
    assert re.search(r"4\. Batin Y\w*\.? Rossiya predlozhila Yaponii", text)
    assert "(In Russ.)" in text
    out = tmp_path / "paper.docx"
    done = run("paper.md", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    word = docx_text(out)
    assert "Список литературы" in word and "References" in word and "(In Russ.)" in word


@pytest.mark.parametrize(("fmt", "needle"), [("latex", r"\citeproc{ref-Batin2017}{4, с. 2}"),
                                             ("markdown", "[4, с. 2]"),
                                             ("plain", "[4, с. 2]")])
def test_other_writers(tmp_path: Path, fmt: str, needle: str) -> None:
    paper = plain_css_paper(tmp_path)
    done = run(str(paper), "-t", fmt, "--wrap=none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8").replace("\\[", "[").replace("\\]", "]")
    assert needle.replace("\\[", "[") in out
    assert "@Batin2017" not in out


def test_odt(tmp_path: Path) -> None:
    paper = plain_css_paper(tmp_path)
    done = run(str(paper), "-o", "paper.odt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    with zipfile.ZipFile(tmp_path / "paper.odt") as z:
        content = re.sub(r"<[^>]+>", "", z.read("content.xml").decode("utf-8"))
    assert "[4, с. 2]" in content and "Батин Ю. Россия предложила" in content


def test_unknown_key_and_setting_warn_and_the_document_builds(tmp_path: Path) -> None:
    paper = tmp_path / "p.md"
    paper.write_text("---\nbibliography: " + str(EXAMPLES / "russia-japan.bib") +
                     "\ntranscite:\n  veiw: dual\n---\nSee [@Batin2017; @Nobody].\n",
                     encoding="utf-8")
    done = run(str(paper), "-t", "plain", cwd=tmp_path)
    assert done.returncode == 0
    err = done.stderr.decode("utf-8")
    assert "unknown key 'veiw'" in err and "did you mean 'view'" in err
    assert "citation key 'Nobody' is not in the bibliography" in err
    assert "[Батин, 2017; Nobody?]" in done.stdout.decode("utf-8")


def test_missing_bibliography_stops_pandoc(tmp_path: Path) -> None:
    paper = tmp_path / "p.md"
    paper.write_text("---\nbibliography: nowhere.bib\n---\n[@a]\n", encoding="utf-8")
    done = run(str(paper), "-t", "html", cwd=tmp_path)
    assert done.returncode != 0
    assert "bibliography file not found: nowhere.bib" in done.stderr.decode("utf-8")


def test_the_filter_refuses_an_old_ast() -> None:
    assert FILTER is not None
    doc = {"pandoc-api-version": [1, 22, 2, 1], "meta": {}, "blocks": []}
    done = subprocess.run([FILTER, "html"], input=json.dumps(doc).encode(), capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert "pandoc-api-version 1.22.2.1" in done.stderr.decode() and b"Traceback" not in \
        done.stderr


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_inputs_are_what_pandoc_makes_of_the_papers(case: str) -> None:
    assert PANDOC is not None
    done = subprocess.run([PANDOC, "paper.md", "-t", "json"], cwd=CASES / case,
                          capture_output=True, timeout=60, check=True)
    made = json.loads(done.stdout)
    kept = json.loads((CASES / case / "paper.json").read_text(encoding="utf-8"))
    assert (made["meta"], made["blocks"]) == (kept["meta"], kept["blocks"])


DOCS = ROOT / "docs" / "pandoc.md"


def test_the_citation_table_in_the_docs_is_what_the_filter_prints(tmp_path: Path) -> None:
    rows = [[cell.strip() for cell in line.strip("|\n").split("|")]
            for line in DOCS.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `[") or line.startswith("| `@")]
    rows = [row for row in rows if "..." not in "".join(row)]
    assert len(rows) >= 4
    for column, style in enumerate(["gost-numeric", "gost", "apa"], 1):
        cites = [re.findall(r"`([^`]+)`", row[0])[0] for row in rows]
        body = "\n\n".join(["[@TASS2016]", *cites])
        paper = tmp_path / f"{style}.md"
        paper.write_text(f"---\nlang: ru\ncsl: {style}\nbibliography: "
                         f"{EXAMPLES / 'russia-japan.bib'}\n---\n{body}\n", encoding="utf-8")
        done = run(str(paper), "-t", "plain", "--wrap=none", cwd=tmp_path)
        assert done.returncode == 0, done.stderr.decode()
        lines = [x for x in done.stdout.decode("utf-8").splitlines() if x.strip()]
        assert lines[1:1 + len(rows)] == [row[column] for row in rows], style


def test_the_docs_example_runs(tmp_path: Path) -> None:
    pytest.importorskip("transcite.translit")
    assert PANDOC is not None and FILTER is not None
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split() for line in block.splitlines() if line.startswith("pandoc ")]
    assert commands
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    for command in commands:
        argv = [PANDOC, *(FILTER if arg == "pandoc-transcite" else arg for arg in command[1:])]
        done = subprocess.run(argv, cwd=work, capture_output=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode()
    assert "(In Russ.)" in docx_text(work / "paper.docx")
    assert "Список литературы" in (work / "paper.html").read_text(encoding="utf-8")
