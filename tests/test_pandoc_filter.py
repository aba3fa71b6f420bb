"""The filter's core on small hand-built documents: links, placement, nocite, notes, output
formats, problems, and the filter command itself (without pandoc)."""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from _pandoc import citation, cite, document, meta_map, meta_str, plain_lines, s, text

from transcite.pandoc import FilterError, filter_document, process
from transcite.pandoc.ast import iter_elements

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "references" / "examples" / "russia-japan.bib"


def paper(*blocks: Any, **meta: Any) -> dict[str, Any]:
    """A document citing the example library, in GOST author-date by default."""
    meta.setdefault("bibliography", {"t": "MetaString", "c": str(BIB)})
    meta.setdefault("csl", meta_str("gost-r-7-0-5-2008"))
    meta.setdefault("lang", meta_str("ru"))
    return document(list(blocks), **{k: v for k, v in meta.items() if v is not None})


def para(*inlines: Any) -> dict[str, Any]:
    return {"t": "Para", "c": list(inlines)}


def test_process_returns_a_new_document_and_leaves_the_input_alone() -> None:
    doc = paper(para(cite(citation("Batin2017"))))
    before = copy.deepcopy(doc)
    out = process(doc)
    assert doc == before
    assert plain_lines(out["blocks"])[0] == "[Батин, 2017]"


def test_link_citations_link_every_cite_to_its_entry() -> None:
    doc = paper(para(cite(citation("Streltsov2018", "AuthorInText")), {"t": "Space"},
                     cite(citation("Batin2017"), citation("Koizumi2016", suffix=", с. 3"))),
                link_citations={"t": "MetaBool", "c": True})
    out = process(doc)
    targets = [link["c"][2][0] for link in iter_elements(out["blocks"][0], "Link")]
    assert targets == ["#ref-Streltsov2018", "#ref-Streltsov2018", "#ref-Batin2017",
                       "#ref-Koizumi2016"]
    ids = {d["c"][0][0] for d in iter_elements(out["blocks"], "Div")}
    assert {"ref-Streltsov2018", "ref-Batin2017", "ref-Koizumi2016"} <= ids


def test_without_link_citations_there_are_no_links() -> None:
    out = process(paper(para(cite(citation("Batin2017")))))
    assert not list(iter_elements(out["blocks"][0], "Link"))


def test_prefix_formatting_survives() -> None:
    prefix = {"t": "Emph", "c": s("see")}
    c = citation("Batin2017")
    c["citationPrefix"] = [prefix]
    out = process(paper(para(cite(c))))
    inlines = out["blocks"][0]["c"][0]["c"][1]
    assert prefix in inlines and text(inlines) == "[see Батин, 2017]"


def test_nocite_star_lists_the_whole_library() -> None:
    nocite = {"t": "MetaBlocks", "c": [para(cite(citation("*", "AuthorInText")))]}
    out = process(paper(para(*s("No citations.")), nocite=nocite))
    entries = [line for line in plain_lines(out["blocks"]) if line.startswith("ref-")]
    assert len(entries) == 9


def test_nocite_of_one_key_adds_it_after_the_cited_ones() -> None:
    nocite = {"t": "MetaInlines", "c": [cite(citation("TASS2016", "AuthorInText"))]}
    out = process(paper(para(cite(citation("Batin2017"))), nocite=nocite,
                        csl=meta_str("gost-numeric")))
    entries = [line.split(":")[0] for line in plain_lines(out["blocks"])
               if line.startswith("ref-")]
    assert entries == ["ref-Batin2017", "ref-TASS2016"]


def test_suppress_bibliography() -> None:
    out = process(paper(para(cite(citation("Batin2017"))),
                        suppress_bibliography={"t": "MetaBool", "c": True}))
    assert plain_lines(out["blocks"]) == ["[Батин, 2017]"]


def test_without_refs_div_the_list_goes_to_the_end() -> None:
    out = process(paper(para(cite(citation("Batin2017"))), para(*s("The end."))))
    lines = plain_lines(out["blocks"])
    assert lines[:3] == ["[Батин, 2017]", "The end.", "[#refs references csl-bib-body]"]


def test_refs_div_keeps_its_place_and_attributes() -> None:
    refs = {"t": "Div", "c": [["refs", ["mine"], [["lang", "ru"]]], []]}
    out = process(paper(para(cite(citation("Batin2017"))), refs, para(*s("Appendix."))))
    div = out["blocks"][1]
    assert div["c"][0] == ["refs", ["mine", "references", "csl-bib-body"], [["lang", "ru"]]]
    assert plain_lines(out["blocks"])[-1] == "Appendix."


def test_note_styles_put_citations_into_footnotes() -> None:
    note = {"t": "Note", "c": [para(*s("Inside "), cite(citation("Koizumi2016")))]}
    doc = paper(para(*s("Crisis "), cite(citation("Streltsov2018", suffix=", 112")), note),
                para(cite(citation("Batin2017", "AuthorInText")), *s(" reports.")),
                csl=meta_str("chicago-notes-bibliography-17th-edition"), lang=meta_str("en"))
    out = process(doc)
    first, second = plain_lines(out["blocks"])[:2]
    assert first.startswith("Crisis ^[D. V. Streltsov") and "112" in first
    assert "^[Inside Ю. Коидзуми" in first  # a cite inside a footnote stays in it
    assert second.startswith("Ю. Батин^[Ю. Батин, “Россия предложила")
    assert second.endswith(" reports.")


@pytest.mark.parametrize(("fmt", "tag"), [("markdown", "Span"), ("gfm", "Span"),
                                          ("html5", "Cite"), ("docx", "Cite"), (None, "Cite")])
def test_markdown_writers_get_text_instead_of_citation_syntax(fmt: str | None, tag: str) -> None:
    out = process(paper(para(cite(citation("Batin2017")))), format=fmt)
    node = out["blocks"][0]["c"][0]
    assert node["t"] == tag and text([node]) == "[Батин, 2017]"
    if tag == "Span":
        assert node["c"][0] == ["", [], []]


def test_inline_references_are_read_as_csl_items() -> None:
    refs = {"t": "MetaList", "c": [meta_map(
        id=meta_str("Ivanov2015"), type=meta_str("book"), title=meta_str("Острова"),
        author={"t": "MetaList", "c": [meta_map(family=meta_str("Иванов"),
                                                given=meta_str("Иван"))]},
        issued=meta_str("2015"))]}
    doc = document([para(cite(citation("Ivanov2015", suffix=", С. 12")))], references=refs,
                   lang=meta_str("ru"))
    lines = plain_lines(process(doc)["blocks"])
    assert lines[0] == "[Иванов, 2015, с. 12]"
    assert lines[-1].startswith("ref-Ivanov2015: 1. Иванов И. Острова")


def test_unknown_key_is_a_warning_and_the_document_builds() -> None:
    result = filter_document(paper(para(cite(citation("Batin2017"), citation("Nope")))))
    assert text(result.doc["blocks"][0]["c"]) == "[Батин, 2017; Nope?]"
    [problem] = [p for p in result.report if p.code == "pandoc.unknown-key"]
    assert problem.item == "Nope" and "'Nope'" in problem.message


@pytest.mark.parametrize(("meta", "message"), [
    ({"transcite": meta_map(view=meta_str("both"))}, "transcite.view: 'both' is not one of"),
    ({"transcite": meta_map(sort=meta_str("random"))}, "transcite.sort"),
    ({"transcite": meta_map(heading_level=meta_str("9"))}, "transcite.heading-level"),
    ({"transcite": meta_map(profile=meta_str("no-such-journal"))}, "no-such-journal"),
    ({"csl": meta_str("no-such-style")}, "unknown style 'no-such-style'"),
    ({"bibliography": meta_str("missing.bib")}, "bibliography file not found: missing.bib"),
])
def test_settings_that_name_nothing_stop_the_build(meta: dict[str, Any], message: str) -> None:
    with pytest.raises(FilterError, match=message.replace("(", r"\(")):
        process(paper(para(cite(citation("Batin2017"))), **meta))


def test_unsupported_pandoc_version_stops_the_build() -> None:
    doc = paper(para(cite(citation("Batin2017"))))
    doc["pandoc-api-version"] = [1, 22, 2, 1]
    with pytest.raises(FilterError, match="Pandoc 3.x"):
        process(doc)


# -- the pandoc-transcite command ------------------------------------------------------------------


def run_main(monkeypatch: pytest.MonkeyPatch, data: bytes, *args: str
             ) -> tuple[int, str, str]:
    from transcite.pandoc_filter import main

    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_command_writes_the_document_and_warns_on_stderr(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    doc = paper(para(cite(citation("Batin2017"), citation("Nope"))),
                transcite=meta_map(colour=meta_str("red")))
    code, out, err = run_main(monkeypatch, json.dumps(doc).encode(), "html")
    assert code == 0
    assert text(json.loads(out)["blocks"][0]["c"]) == "[Батин, 2017; Nope?]"
    assert "unknown key 'colour'" in err and "'Nope'" in err


@pytest.mark.parametrize(("data", "message"), [
    (b"not json", "is not Pandoc's JSON"),
    (json.dumps({"pandoc-api-version": [1, 22], "meta": {}, "blocks": []}).encode(),
     "pandoc-api-version 1.22"),
])
def test_command_exits_1_with_a_message(monkeypatch: pytest.MonkeyPatch, data: bytes,
                                        message: str) -> None:
    code, out, err = run_main(monkeypatch, data, "html")
    assert code == 1 and out == "" and message in err and "Traceback" not in err


def test_command_help_has_an_example(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_main(monkeypatch, b"", "--help")
    assert code == 0 and "Example: pandoc paper.md --filter pandoc-transcite" in out


# -- bibliography formats and options -------------------------------------------------------------

FIXTURE = ROOT / "tests" / "data" / "fixture"


@pytest.mark.parametrize("name", ["library.json", "library.yaml", "library.ris", "library.bib"])
def test_every_format_transcite_reads_is_a_bibliography(name: str) -> None:
    doc = paper(para(cite(citation("Ivanov2015", suffix=", С. 7"))),
                bibliography={"t": "MetaString", "c": str(FIXTURE / name)})
    lines = plain_lines(process(doc)["blocks"])
    assert lines[0].startswith("[Иванов") and lines[0].endswith(", 2015, с. 7]")
    assert lines[-1].startswith("ref-Ivanov2015: 1. Иванов И. И.")


def test_several_bibliographies_and_ids_differing_in_case() -> None:
    files = {"t": "MetaList", "c": [{"t": "MetaString", "c": str(FIXTURE / "library.json")},
                                    meta_str(str(BIB))]}
    doc = paper(para(cite(citation("smith2000"), citation("Smith2000"), citation("Koizumi2016"))),
                bibliography=files, link_citations={"t": "MetaBool", "c": True})
    out = process(doc)
    targets = [link["c"][2][0] for link in iter_elements(out["blocks"][0], "Link")]
    assert sorted(targets) == ["#ref-Koizumi2016", "#ref-Smith2000", "#ref-smith2000"]
    entries = {d["c"][0][0]: text(d["c"][1][0]["c"]) for d in iter_elements(out["blocks"], "Div")
               if "csl-entry" in d["c"][0][1]}
    assert set(entries) == {"ref-smith2000", "ref-Smith2000", "ref-Koizumi2016"}
    assert entries["ref-smith2000"] != entries["ref-Smith2000"]


def test_item_locale_gives_each_entry_its_own_terms() -> None:
    def entry(item_locale: bool) -> str:
        options = meta_map(profile=meta_str("scopus"), view=meta_str("original"),
                           item_locale={"t": "MetaBool", "c": item_locale})
        out = process(paper(para(cite(citation("Streltsov2018"), citation("Batin2017"))),
                            transcite=options, csl=None))  # the profile's numeric GOST
        return next(line for line in plain_lines(out["blocks"])
                    if line.startswith("ref-Streltsov2018"))

    assert "Vol. 1" in entry(True) and "P. 110–119" in entry(True)
    assert "Т. 1" in entry(False) and "С. 110–119" in entry(False)
    assert entry(True).startswith("ref-Streltsov2018: 1. Streltsov D. V.")


def test_dual_view_headings_ids_and_scheme() -> None:
    pytest.importorskip("transcite.translit")

    def lines(scheme: str) -> list[str]:
        options = meta_map(profile=meta_str("scopus"), view=meta_str("dual"),
                           scheme=meta_str(scheme), heading_level=meta_str("2"))
        out = process(paper(para(cite(citation("Batin2017"))), transcite=options, csl=None))
        return plain_lines(out["blocks"])

    bsi = lines("bsi")
    assert "## Список литературы" in bsi and "## References" in bsi
    assert bsi.index("## Список литературы") < bsi.index("## References")
    roman = next(line for line in bsi if line.startswith("ref-references-Batin2017: "))
    assert "Rossiya predlozhila" in roman and roman.endswith("(In Russ.)")
    other = next(line for line in lines("iso9") if line.startswith("ref-references-Batin2017"))
    assert other != roman


def test_without_transliteration_the_dual_view_stops_with_a_message() -> None:
    try:
        import transcite.translit  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("transcite.translit is installed")
    options = meta_map(profile=meta_str("scopus"), view=meta_str("dual"))
    with pytest.raises(FilterError, match="the dual view romanises"):
        process(paper(para(cite(citation("Batin2017"))), transcite=options, csl=None))


def test_a_broken_entry_is_reported_and_the_rest_is_cited(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{Good2020, title = {Хорошая книга}, author = {Петров, П.},\n"
                   "  year = {2020}}\n\n@book{Broken2020, title = {Oops\n\n", encoding="utf-8")
    doc = paper(para(cite(citation("Good2020"))), bibliography=meta_str(str(bib)))
    result = filter_document(doc)
    assert text(result.doc["blocks"][0]["c"]) == "[Петров, 2020]"
    errors = [p for p in result.report if p.severity.value == "error"]
    assert errors and all(p.file == str(bib) for p in errors)
    assert any(p.line == 4 for p in errors)
