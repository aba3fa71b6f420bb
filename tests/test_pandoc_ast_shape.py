"""The filter checks the shape of the AST it reads: anything Pandoc would not write is one
clean error, and a bibliography or style that is no such file stops the build (exit 1)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from transcite.pandoc import FilterError, filter_document

EXAMPLE = Path(__file__).resolve().parent.parent / "references" / "examples" / "russia-japan.bib"
API = [1, 23, 1]


def _meta(**values: str) -> dict:
    return {k: {"t": "MetaInlines", "c": [{"t": "Str", "c": v}]} for k, v in values.items()}


def _cite(cite_c: object) -> dict:
    return {"t": "Para", "c": [{"t": "Cite", "c": cite_c}]}


@pytest.mark.parametrize("doc", [
    {"pandoc-api-version": [1, 23], "meta": [], "blocks": []},
    {"pandoc-api-version": API, "meta": {}, "blocks": {}},
    {"pandoc-api-version": API, "meta": {}, "blocks": [5]},
    {"pandoc-api-version": API, "meta": {"bibliography": "refs.bib"}, "blocks": []},
    {"pandoc-api-version": API, "meta": {}, "blocks": [_cite("x")]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [_cite([[{"citationId": 5}], []])]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [_cite([[{"citationId": "k",
                                                                 "citationPrefix": "x"}], []])]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Div", "c": [["refs"], []]}]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Header", "c": ["1", ["", [], []],
                                                                           []]}]},
    {"pandoc-api-version": API, "meta": {"reference-section-title": {"t": "MetaInlines",
                                                                     "c": "Refs"}},
     "blocks": []},
    {"pandoc-api-version": API, "meta": {"nocite": {"t": "MetaMap", "c": []}}, "blocks": []},
    {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Para", "c": [{"t": "Quoted",
                                                                           "c": [1, []]}]}]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Para", "c": [{"t": "Link",
                                                                           "c": [["", [], []],
                                                                                 [], "url"]}]}]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Para", "c": [[[[[]]]]]}]},
    {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Div", "c": [["", [], []],
                                                                          [{"t": "Div", "c": []}]]
                                                        }] * 3},
])
def test_a_document_of_another_shape_is_one_clean_error(doc: dict) -> None:
    with pytest.raises(FilterError) as info:
        filter_document(doc)
    message = str(info.value)
    assert message and "\n" not in message


def test_a_document_nested_past_reason_is_an_error_not_a_crash() -> None:
    node: dict = {"t": "Str", "c": "x"}
    for _ in range(3000):
        node = {"t": "Emph", "c": [node]}
    doc = {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Para", "c": [node]}]}
    with pytest.raises(FilterError, match="deep"):
        filter_document(doc)


def test_unknown_elements_are_passed_through() -> None:
    doc = {"pandoc-api-version": API, "meta": {},
           "blocks": [{"t": "FutureBlock", "c": {"anything": [1, 2]}}]}
    assert filter_document(doc).doc["blocks"][0] == doc["blocks"][0]


def _run_filter(doc: dict, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from transcite.pandoc_filter import main

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(doc).encode())))
    try:
        main(["html"])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("meta", [_meta(bibliography="/etc/passwd"),
                                  _meta(csl="/etc/passwd", bibliography=str(EXAMPLE))])
def test_a_file_that_is_no_bibliography_or_style_stops_the_build(
        meta: dict, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    code, err = _run_filter({"pandoc-api-version": API, "meta": meta, "blocks": []},
                            monkeypatch, capsys)
    assert code == 1
    assert "/etc/passwd" in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("pandoc-transcite: error:")


def test_json_nested_past_reason_on_stdin_is_one_error(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from transcite.pandoc_filter import main

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[" * 100_000)))
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 1
    assert "not Pandoc's JSON" in capsys.readouterr().err
