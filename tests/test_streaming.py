"""Reading item by item as text arrives gives what reading the whole text gives."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from transcite.model import Report
from transcite.readers import ReadContext

_ITEMS = [
    {"id": "a", "type": "book", "title": "Война и мир", "author": [{"family": "Толстой",
                                                                    "given": "Л. Н."}],
     "issued": {"date-parts": [[1869]]}},
    {"id": "b", "type": "article-journal", "title": "On\nlines", "container-title": "J",
     "page": "1-2", "language": "en"},
    {"type": "webpage", "title": "no id", "URL": "https://example.org"},
    {"id": "c", "type": "nonsense", "issued": "2001-02-03", "custom": {"x": 1}},
    "not an object",
]


def _text(items: list[object], indent: int | None, corrupt: int | None) -> str:
    text = json.dumps(items, ensure_ascii=False, indent=indent)
    if corrupt is not None and text:
        cut = corrupt % len(text)
        text = text[:cut] + "}{" + text[cut:]
    return text


def _run(reader, source, ctx_file: str = "x.json"):  # type: ignore[no-untyped-def]
    ctx = ReadContext(file=ctx_file, report=Report())
    refs = [repr(r) for r in reader(source, ctx)]
    return refs, [str(p) for p in ctx.report]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_ITEMS), max_size=6), st.sampled_from([None, 1, 2]),
       st.one_of(st.none(), st.integers(0, 10_000)), st.integers(1, 40),
       st.sampled_from(["", "\ufeff", "  \n"]))
def test_csl_json_in_chunks(items: list[object], indent: int | None, corrupt: int | None,
                            size: int, head: str) -> None:
    from transcite.readers import csljson

    text = head + _text(items, indent, corrupt)
    chunks = [text[i:i + size] for i in range(0, len(text), size)]
    whole = _run(csljson.read_csl_json, text)
    keep = csljson._Buffer.keep
    csljson._Buffer.keep = 16       # read text is dropped often
    try:
        assert _run(lambda c, ctx: csljson.stream_csl_json(iter(c), ctx), chunks) == whole
    finally:
        csljson._Buffer.keep = keep


_RIS_LINES = ["TY  - JOUR", "ID  - a", "TI  - Война и мир", "AU  - Толстой, Л. Н.", "PY  - 1869",
              "ER  - ", "", "TY  - BOOK", "TI  - Без конца", "N1  - note", "continued",
              "stray text", "KW  - x", "\x0c", "TY  - CHAP"]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(_RIS_LINES), max_size=14),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_ris_line_by_line(lines: list[str], newline: str) -> None:
    import tempfile
    from pathlib import Path

    from transcite.readers import _read_whole
    from transcite.readers.streaming import stream_file

    text = newline.join(lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "refs.ris"
        path.write_bytes(text.encode("utf-8"))
        whole_report, stream_report = Report(), Report()
        whole = [repr(r) for r in _read_whole(path, None, None, whole_report, {})]
        streamed = stream_file(path, None, None, stream_report, {})
        if not text.strip():
            assert streamed is None
            return
        assert streamed is not None
        assert [repr(r) for r in streamed] == whole
        assert [str(p) for p in stream_report] == [str(p) for p in whole_report]


def test_csl_json_file_streamed_in_small_chunks(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from transcite.readers import _read_whole, iter_read, streaming

    monkeypatch.setattr(streaming, "CHUNK", 7)
    path = tmp_path / "refs.json"
    path.write_text(_text(_ITEMS * 3, 1, None), encoding="utf-8")
    whole_report, stream_report = Report(), Report()
    whole = [repr(r) for r in _read_whole(path, None, None, whole_report, {})]
    assert streaming.stream_file(path, None, None, Report(), {}) is not None
    assert [repr(r) for r in iter_read(path, report=stream_report)] == whole
    assert [str(p) for p in stream_report] == [str(p) for p in whole_report]
    assert len(whole) == 12


def test_files_that_must_be_read_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from transcite.readers.streaming import stream_file

    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf[]")
    cp1251 = tmp_path / "ru.ris"
    cp1251.write_bytes("TY  - BOOK\nTI  - Книга\nER  - \n".encode("cp1251"))
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{a, title = {T}}", encoding="utf-8")
    for path in (bom, cp1251, bib, tmp_path / "missing.json", tmp_path):
        assert stream_file(path, None, None, Report(), {}) is None


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["a", "b", "a-2", "a-3", "b-2", ""]), max_size=12))
def test_unique_ids_rename_as_a_library_does(ids: list[str]) -> None:
    from transcite.model import Library, Origin, Reference
    from transcite.readers import unique_ids

    def refs() -> list[Reference]:
        return [Reference(i, origin=Origin("f", n + 1)) for n, i in enumerate(ids)]

    library_report, stream_report = Report(), Report()
    library = Library(report=library_report)
    for ref in refs():
        library.add(ref)
    streamed = list(unique_ids(refs(), stream_report))
    assert [r.id for r in streamed] == library.ids
    assert [str(p) for p in stream_report] == [str(p) for p in library_report]
