"""transcite's CSL engine on real styles and on the corrections it makes to citeproc-py.

Golden cases (tests/data/engine/<case>/: items.json, case.json, expected.txt and optionally
expected-citations.txt) are written by hand from the style guides; the other tests pin one
behaviour each with a small inline style.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcite.render.engine import Engine

CASES = Path(__file__).resolve().parent / "data" / "engine"


def _style(layout: str, *, citation: str = "", locale: str = "", extra: str = "") -> bytes:
    cite = citation or '<citation><layout><text variable="title"/></layout></citation>'
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" '
            f'{extra}><info><title>t</title><id>t</id><updated>2024-01-01T00:00:00Z</updated>'
            f'</info>{locale}{cite}<bibliography><layout>{layout}</layout></bibliography>'
            f'</style>').encode()


def _engine(tmp_path: Path, xml: bytes, output: str = "text") -> Engine:
    path = tmp_path / "style.csl"
    path.write_bytes(xml)
    return Engine.create(path, output=output)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden(case: str) -> None:
    """A hand-written list renders exactly as the style guide has it."""
    folder = CASES / case
    spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    items = json.loads((folder / "items.json").read_text(encoding="utf-8"))
    engine = Engine.create(spec["style"], output=spec.get("output", "text"),
                           cyrillic_first=spec.get("cyrillic_first", False))
    got = [e.text for e in engine.bibliography(items)]
    assert got == (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    if "citations" in spec:
        want = (folder / "expected-citations.txt").read_text(encoding="utf-8").splitlines()
        assert engine.citations(spec["citations"], items) == want
    assert engine.errors == []


def test_ids_are_kept_exactly() -> None:
    """Ids that differ only in case stay distinct (citeproc-py lower-cases them)."""
    items = [{"id": "Key", "type": "book", "title": "Upper"},
             {"id": "key", "type": "book", "title": "Lower"}]
    entries = Engine.create("ieee").bibliography(items, order="input")
    assert [(e.id, e.text) for e in entries] == [("Key", "[1] Upper."), ("key", "[2] Lower.")]


@pytest.mark.parametrize("kind", ["online", "no-such-type", ""])
def test_unknown_types_render(kind: str) -> None:
    """Types citeproc-py crashes on (``online``, anything unknown) render as generic items."""
    item = {"id": "a", "type": kind, "title": "A page", "URL": "https://example.org",
            "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}}
    engine = Engine.create("apa")
    [entry] = engine.bibliography([item])
    assert entry.text.startswith("Doe, J. (2020). A page") and engine.errors == []


def test_style_locale_without_quote_terms(tmp_path: Path) -> None:
    """A style's own locale that defines some terms but no quotes still gets quotation marks
    (from the locale files below it)."""
    locale = ('<locale xml:lang="en"><terms><term name="et-al">u. a.</term></terms>'
              '</locale>')
    eng = _engine(tmp_path, _style('<text variable="title" quotes="true"/>', locale=locale))
    [entry] = eng.bibliography([{"id": "a", "type": "article", "title": "Why"}])
    assert entry.text == "\u201cWhy\u201d"


@pytest.mark.parametrize("title, expected", [
    ("Is it possible?", "Is it possible? Journal."),
    ("Done.", "Done. Journal."),
    ("Plain", "Plain. Journal."),
])
def test_punctuation_merges_at_seams(tmp_path: Path, title: str, expected: str) -> None:
    """A title ending in '?' or '.' followed by the style's '. ' gives no '?.' or '..'."""
    layout = ('<group delimiter=". " suffix="."><text variable="title"/>'
              '<text variable="container-title"/></group>')
    eng = _engine(tmp_path, _style(layout))
    [entry] = eng.bibliography([{"id": "a", "type": "article", "title": title,
                                 "container-title": "Journal"}])
    assert entry.text == expected


@pytest.mark.parametrize("output, expected", [
    ("html", "a <i>nova</i> h<sub>2</sub>o<sup>2</sup> <b>bold</b> IoT"),
    ("text", "a nova h2o2 bold IoT"),
    ("markdown", "a *nova* h~2~o^2^ **bold** IoT"),
])
def test_rich_text_in_every_output(tmp_path: Path, output: str, expected: str) -> None:
    """CSL-JSON markup in a value renders in each output; ``nocase`` survives text-case."""
    eng = _engine(tmp_path, _style('<text variable="title" text-case="lowercase"/>'), output)
    title = ('A <i>Nova</i> H<sub>2</sub>O<sup>2</sup> <b>Bold</b> '
             '<span class="nocase">IoT</span>')
    [entry] = eng.bibliography([{"id": "a", "type": "book", "title": title}])
    assert entry.text == expected


def test_disambiguation_adds_names_then_year_suffixes() -> None:
    """Cites that differ in the second author get it added; identical ones get 2018a/b."""
    def art(key: str, second: str, title: str) -> dict[str, object]:
        return {"id": key, "type": "article-journal", "title": title,
                "author": [{"family": "Carter", "given": "Ann"},
                           {"family": second, "given": "Bob"},
                           {"family": "Hall", "given": "Cy"}],
                "issued": {"date-parts": [[2018]]}}
    items = [art("a", "Rivera", "One"), art("b", "Smith", "Two"), art("c", "Smith", "Three")]
    cites = Engine.create("apa").citations([[{"id": "a"}], [{"id": "b"}], [{"id": "c"}]],
                                           items)
    assert cites == ["(Carter, Rivera, et al., 2018)", "(Carter, Smith, et al., 2018b)",
                     "(Carter, Smith, et al., 2018a)"]


def test_ibid_and_subsequent_positions(tmp_path: Path) -> None:
    """Positions follow the document: first, ibid (with locator), subsequent."""
    citation = ('<citation et-al-min="3" et-al-use-first="1" et-al-subsequent-min="2" '
                'et-al-subsequent-use-first="1"><layout><choose>'
                '<if position="ibid-with-locator"><text value="Ibid., "/>'
                '<text variable="locator"/></if><else-if position="ibid">'
                '<text value="Ibid."/></else-if>'
                '<else-if position="subsequent"><names variable="author"><name form="short"/>'
                '</names></else-if><else><names variable="author"><name form="short"/>'
                '</names><text variable="title" prefix=", "/></else></choose></layout>'
                '</citation>')
    eng = _engine(tmp_path, _style('<text variable="title"/>', citation=citation))
    items = [{"id": "a", "type": "book", "title": "Book",
              "author": [{"family": "Doe"}, {"family": "Roe"}]},
             {"id": "b", "type": "book", "title": "Other", "author": [{"family": "Poe"}]}]
    clusters = [[{"id": "a"}], [{"id": "a"}], [{"id": "a", "locator": "5"}], [{"id": "b"}],
                [{"id": "a"}]]
    assert eng.citations(clusters, items) == [
        "Doe, Roe, Book", "Ibid.", "Ibid., 5", "Poe, Other", "Doe et al."]


def test_citation_numbers_collapse() -> None:
    """NLM: consecutive citation numbers collapse into a range."""
    items = [{"id": k, "type": "book", "title": k} for k in "abcd"]
    cites = Engine.create("nlm-citation-sequence").citations(
        [[{"id": k} for k in "abcd"], [{"id": "a"}, {"id": "c"}]], items)
    assert cites == ["(1–4)", "(1,3)"]


def test_docs_example_holds(capsys: pytest.CaptureFixture[str]) -> None:
    """The example in docs/engine.md prints what its comments say."""
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "engine.md").read_text("utf-8")
    code = re.search(r"```python\n(.*?)```", doc, re.S).group(1)  # type: ignore[union-attr]
    exec(compile(code, "docs/engine.md", "exec"), {})
    want = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    assert capsys.readouterr().out.splitlines() == want


@pytest.mark.parametrize("style", ["apa", "modern-language-association", "gost-r-7-0-5-2008",
                                   "chicago-author-date"])
def test_workers_give_the_same_list(monkeypatch: pytest.MonkeyPatch, style: str) -> None:
    """A list rendered by forked workers is the serial list, entry for entry (year suffixes,
    subsequent-author-substitute across the workers' chunks included; GOST's global
    given-name rule, whose register the workers' people build)."""
    import sys

    from transcite.render.csl import parallel

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 20)
    monkeypatch.setattr(parallel, "MIN_PER_WORKER_CHEAP", 20)
    items = generate(120, 5)
    serial = Engine.create(style, workers=1).bibliography(items)
    forked = Engine.create(style, workers=2).bibliography(items)
    assert [e.text for e in forked] == [e.text for e in serial]
    assert len(serial) == 120


def test_workers_build_the_same_given_name_register(monkeypatch: pytest.MonkeyPatch) -> None:
    """GOST's global given-name rule over people sharing family names and initials, found by
    forked workers: the serial list, full given names where initials are shared."""
    from transcite.render.csl import parallel

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 2)     # groups of cites alike, too
    monkeypatch.setattr(parallel, "MIN_PER_WORKER_CHEAP", 5)
    families, givens = ["Smith", "Jones", "Brown"], ["John", "Jane", "Robert", "J. R."]
    items = [{"id": f"i{k}", "type": "article-journal", "title": f"Title {k}",
              "container-title": "J", "issued": {"date-parts": [[2000 + k % 2]]},
              "author": [{"family": families[k % 3], "given": givens[(k // 3) % 4]}]}
             for k in range(40)]
    serial = [e.text for e in Engine.create("gost-r-7-0-5-2008", workers=1).bibliography(items)]
    forked = [e.text for e in Engine.create("gost-r-7-0-5-2008", workers=2).bibliography(items)]
    assert forked == serial
    assert "1. Brown J. R. Title 11 // J. 2001a." in serial
    assert any(t.startswith(("4. Brown Jane.", "4. Brown John.")) for t in serial)
