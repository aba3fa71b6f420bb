"""Hostile and broken JSON and YAML: every case is a problem with a line, never a traceback or a
hang, and what can be read is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from transcite.readers import csljson, read, read_string
from transcite.writers import dumps


def _codes(lib) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.code for p in lib.report]


def test_an_item_nested_too_deep_is_an_error_and_the_next_item_is_read() -> None:
    deep = "[" * 1500 + "]" * 1500
    lib = read_string(f'[{{"id": "a", "type": "book", "custom": {{"x": {deep}}}}},\n'
                      f' {{"id": "b", "type": "book", "title": "B"}}]', "csl-json")
    assert lib.ids == ["b"]
    assert _codes(lib) == ["csl.too-deep"]
    deep_object = '{"a":' * 150 + "1" + "}" * 150       # within json's limit, past ours
    lib = read_string(f'[{{"id": "a", "type": "book", "custom": {deep_object}}},'
                      '{"id": "b", "type": "book"}]', "csl-json")
    assert lib.ids == ["b"] and _codes(lib) == ["csl.too-deep"]


def test_a_document_nested_too_deep_is_an_error() -> None:
    for text in ("[" * 100_000, "{\"a\": " * 5000 + "1" + "}" * 5000):
        lib = read_string(text, "csl-json")
        assert len(lib) == 0 and lib.report.has_errors


def test_huge_numbers_nan_and_lone_surrogates_are_problems_and_kept_as_text(
        tmp_path: Path) -> None:
    text = ('[{"id": "a", "type": "book", "issued": {"date-parts": [[NINES]]}},\n'
            ' {"id": "b", "type": "book", "title": "x \\ud800 y", "volume": NaN,\n'
            '  "custom": {"n": 1e999, "big": ONES}},\n'
            ' {"id": "c", "type": "book", "issued": {"date-parts": [[20201, 13, 40]]}}]'
            ).replace("NINES", "9" * 5000).replace("ONES", "1" * 40)
    lib = read_string(text, "csl-json")
    assert lib.ids == ["a", "b", "c"]
    codes = _codes(lib)
    for code in ("read.absurd-number", "csl.bad-date", "read.not-a-number", "read.surrogate",
                 "read.odd-date"):
        assert code in codes, code
    b = lib["b"]
    assert b.fields["title"] == "x \ufffd y" and b.fields["volume"] == "NaN"
    assert b.extra == {"n": "1e999", "big": "1" * 40}
    for fmt, name in (("csl-json", "o.json"), ("biblatex", "o.bib"), ("ris", "o.ris"),
                      ("csl-yaml", "o.yaml")):
        out = tmp_path / name
        out.write_text(dumps(lib, fmt), encoding="utf-8")       # no UnicodeEncodeError
        assert read(out).ids == ["a", "b", "c"]


def test_yaml_values_json_has_no_type_for_are_written_as_text(tmp_path: Path) -> None:
    src = tmp_path / "refs.yaml"
    src.write_text("references:\n- id: a\n  type: book\n  title: T\n  seen: 2020-01-02\n"
                   "  stamp: 2020-01-02 10:00:00\n  blob: !!binary aGk=\n  tags: !!set {x, y}\n"
                   "  odd: .nan\n  huge: " + "7" * 5000 + "\n  3: numeric key\n",
                   encoding="utf-8")
    lib = read(src)
    assert lib.ids == ["a"]
    extra = lib["a"].extra
    assert extra["seen"] == "2020-01-02" and extra["stamp"].startswith("2020-01-02")
    assert extra["blob"] == "aGk=" and extra["tags"] == ["x", "y"]
    assert extra["odd"] == ".nan" and extra["huge"] == "7" * 5000 and extra["3"] == "numeric key"
    json.loads(dumps(lib, "csl-json"))


_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_a_yaml_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    assert len(_BOMB) < 400
    src = tmp_path / "bomb.yaml"
    src.write_text(_BOMB, encoding="utf-8")
    # a separate process with a time limit: before, this ran for minutes
    proc = subprocess.run([sys.executable, "-m", "transcite", "convert", str(src), "-o", "-",
                           "--to", "csl-json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "csl.yaml-aliases" in proc.stderr and "Traceback" not in proc.stderr
    lib = read_string("base: &b {id: a, type: book, title: T}\nreferences: [*b]\n", "csl-yaml")
    assert lib.ids == ["a"] and not lib.report.has_errors          # plain aliases still work


def test_yaml_nested_too_deep_and_recursive_yaml_are_errors() -> None:
    for text in ("x: " + "[" * 3000 + "]" * 3000, "&a [*a]", "- &a {id: x, self: *a}"):
        lib = read_string(text, "csl-yaml")
        assert lib.report.has_errors, text
        assert len(lib) == 0


@pytest.mark.parametrize("pretty", [True, False])
def test_a_streamed_array_drops_what_it_read_and_keeps_lines_and_columns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pretty: bool) -> None:
    items = [{"id": f"k{i}", "type": "book", "title": f"T{i}"} for i in range(300)]
    text = json.dumps(items, indent=2 if pretty else None)
    text = text[:-1] + ', {"id": "bad", "type": }]'
    path = tmp_path / "refs.json"
    path.write_text(text, encoding="utf-8")
    whole = read(path)
    monkeypatch.setattr(csljson._Buffer, "keep", 64)        # drop after every item
    dropped = read(path)
    assert dropped.ids == whole.ids == [f"k{i}" for i in range(300)]
    assert [r.origin.line for r in dropped] == [r.origin.line for r in whole]
    assert [str(p) for p in dropped.report] == [str(p) for p in whole.report]
    assert "column" in str(whole.report.problems[0])


def test_one_id_given_to_twenty_thousand_items_is_renamed_in_order() -> None:
    text = json.dumps([{"id": "x", "type": "book"}] * 20_000)
    lib = read_string(text, "csl-json")
    assert lib.ids[:3] == ["x", "x-2", "x-3"] and lib.ids[-1] == "x-20000"
    assert len(lib) == 20_000


@pytest.mark.parametrize("fmt,text", [
    ("bibtex", "@article{a, title={T}, year={NINES}}\n@article{b, title={T}, date={1999-14-40}}"),
    ("ris", "TY  - JOUR\nID  - a\nPY  - NINES\nER  - \n"),
    ("csl-json", '[{"id": "a", "type": "book", "issued": "NINES"}]'),
])
def test_an_absurd_date_is_kept_as_read_and_reported(fmt: str, text: str) -> None:
    lib = read_string(text.replace("NINES", "9" * 5000), fmt)
    assert lib["a"].dates["issued"].literal.startswith("999")
    assert "read.odd-date" in _codes(lib)
