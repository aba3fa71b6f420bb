"""A long library kept in a file (transcite.store) reads, normalises and formats exactly as the
same library held in memory: the same references, the same problems in the same order, the
same entries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _bib_entries import ENTRIES

from transcite import workers
from transcite.model import Date, Library, Name, Origin, Reference, Report
from transcite.normalisation import normalise, stream
from transcite.readers import iter_read, read
from transcite.render.csl import parallel
from transcite.render.lists import format_library
from transcite.store import SpilledLibrary, is_long

_ENTRIES = [
    *ENTRIES,
    "@misc{{web{n},\n  author = {{Фёдоров, А.}},\n  title = {{Сайт {n}}},\n"
    "  url = {{https://example.org/{n}}},\n  year = {{2015}}\n}}",
    "@collection{{coll{n},\n  editor = {{Кириллов, Павел Леонидович}},\n  title = "
    "{{Справочник {n}}},\n  publisher = {{Энергоатомиздат}},\n  address = {{М.}},\n"
    "  year = {{1990}},\n  langid = {{russian}}\n}}",
]


def _bib(tmp_path: Path, count: int, name: str = "refs.bib") -> Path:
    text = "\n\n".join(_ENTRIES[n % len(_ENTRIES)].format(n=n)
                       + (f"\n% a comment after entry {n}" if n % 7 == 3 else "")
                       for n in range(count))
    path = tmp_path / name
    path.write_text(f"% a comment before the entries\n{text}\n% the end\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regions, batches and workers small enough for a short file to take every path."""
    monkeypatch.setattr(stream, "REGION_BYTES", 3000)
    monkeypatch.setattr(stream, "BATCH", 25)
    monkeypatch.setattr(stream, "MIN_PER_WORKER", 5)
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 10)
    monkeypatch.setattr(parallel, "MIN_PER_WORKER_CHEAP", 10)
    monkeypatch.setattr(workers, "cores", lambda: 3)
    monkeypatch.setattr(workers, "busy", lambda: 0)      # as on an idle machine
    monkeypatch.delenv("TRANSCITE_WORKERS", raising=False)


def _same(spilled: SpilledLibrary, library: Library) -> None:
    assert len(spilled) == len(library)
    assert spilled.ids() == [r.id for r in library]
    assert [repr(r) for r in spilled] == [repr(r) for r in library]


def test_a_spilled_library_reads_like_a_library() -> None:
    refs = [Reference(f"r{n}", "book", fields={"title": f"Книга {n}"}) for n in range(5)]
    with SpilledLibrary() as lib:
        for ref in refs:
            lib.append(ref)
        assert len(lib) == 5 and "r3" in lib and "r9" not in lib
        assert lib["r2"].fields["title"] == "Книга 2"
        changed = lib["r2"]
        changed.fields["title"] = "Другая"
        assert lib["r2"].fields["title"] == "Книга 2"       # nothing changes until stored
        lib.replace(changed)
        lib.remove("r0")
        assert lib.get("r0") is None and lib.get("r0", 1) == 1
        assert [r.fields["title"] for r in lib] == ["Книга 1", "Другая", "Книга 3", "Книга 4"]
        with pytest.raises(ValueError):
            lib.append(refs[1])
    assert len(lib) == 0


@pytest.mark.parametrize("normalised", [True, False])
def test_bibtex_read_by_regions_gives_what_reading_it_whole_gives(
        tmp_path: Path, small_parts: None, normalised: bool) -> None:
    path = _bib(tmp_path, 120)
    whole_report = Report()
    whole = read(str(path), report=whole_report)
    if normalised:
        whole = normalise(whole, report=whole_report).library
    report = Report()
    spilled = stream.read_spilled([str(path)], None, None, report, normalise=normalised)

    assert spilled is not None
    _same(spilled, whole)
    assert [str(p) for p in report] == [str(p) for p in whole_report]
    codes = {p.code for p in report}
    assert {"library.duplicate-id", "bibtex.missing-key", "bibtex.unknown-type"} <= codes
    if normalised:
        assert "normalise.merged" in codes         # duplicates found and merged


def test_any_reader_spills_as_the_library_it_reads(tmp_path: Path, small_parts: None) -> None:
    whole = normalise(read(str(_bib(tmp_path, 60)))).library
    items = tmp_path / "refs.json"
    items.write_text(json.dumps([r.to_csl() for r in whole], ensure_ascii=False), "utf-8")
    whole_report = Report()
    expected = normalise(read(str(items), report=whole_report), report=whole_report).library
    report = Report()
    spilled = stream.spill(iter_read(str(items), report=report), report, normalise=True)

    _same(spilled, expected)
    assert [str(p) for p in report] == [str(p) for p in whole_report]


def test_files_the_region_reader_cannot_take_are_left_to_the_caller(tmp_path: Path) -> None:
    short = _bib(tmp_path, 10)
    with_string = tmp_path / "s.bib"
    with_string.write_text("@string{j = {J}}\n" + short.read_text("utf-8"), encoding="utf-8")
    json_file = tmp_path / "refs.json"
    json_file.write_text("[]", encoding="utf-8")
    bom = tmp_path / "bom.bib"
    bom.write_bytes(b"\xef\xbb\xbf" + short.read_bytes())
    for paths in ([str(with_string)], [str(json_file)], [str(bom)], [str(short)] * 2, ["-"]):
        assert stream.read_spilled(paths, None, None, Report()) is None
    assert stream.read_spilled([str(short)], None, None, Report()) is not None


def _hard_library(tmp_path: Path) -> Library:
    """Year suffixes, an entry nothing renders, a line the parser could not make out."""
    library = normalise(read(str(_bib(tmp_path, 90)))).library
    library.add(Reference("blank", "map", fields={"language": "en"}))
    library.add(Reference("empty", "article-journal"))
    library.add(Reference("year", "dataset", dates={"issued": Date(((2001,),))}))
    raw = "Какая-то строка, которую никто не разобрал"
    library.add(Reference("raw", "document", fields={"note": raw},
                          origin=Origin("refs.txt", 3, "text", raw)))
    for n in range(3):
        library.add(Reference(f"twin{n}", "book", fields={"title": f"Twin {n}"},
                              names={"author": [Name("Twin", "Tom")]},
                              dates={"issued": Date(((2001,),))}))
    return library


@pytest.mark.parametrize(("style", "output", "sort"), [
    ("gost-r-7-0-5-2008", "text", None), ("apa", "html", None),
    ("gost-r-7-0-5-2008", "markdown", "cyrillic-first"), ("apa", "text", "input"),
    ("chicago-author-date", "text", None), ("ieee", "text", None)])
def test_a_spilled_library_formats_as_the_library(tmp_path: Path, small_parts: None,
                                                   style: str, output: str,
                                                   sort: str | None) -> None:
    library = _hard_library(tmp_path)
    expected = format_library(library, style=style, output=output, sort=sort)
    spilled = stream.spill(iter(library), Report())
    got = format_library(spilled, style=style, output=output, sort=sort)

    assert got.render(output) == expected.render(output)
    assert [str(p) for p in got.report] == [str(p) for p in expected.report]
    codes = {p.code for p in got.report}
    assert "render.as-written" in codes
    if style.startswith("gost"):        # editors in the genitive the role word governs
        assert "под ред. П. Л. Кириллова" in got.render(output)
    # GOST prints them all; APA prints "(n.d.)." for an entry with nothing else (citeproc-js too)
    assert "render.blank" in codes or style.startswith(("gost", "apa"))


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "transcite", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=300)


@pytest.mark.parametrize("suffix", ["bib", "json"])
def test_format_of_a_long_input_prints_what_it_prints_in_memory(tmp_path: Path,
                                                                 suffix: str) -> None:
    path = _bib(tmp_path, 70)
    if suffix == "json":
        items = [r.to_csl() for r in read(str(path))]
        path = tmp_path / "refs.json"
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    args = ["format", str(path), "--style", "apa", "--normalise"]
    held = _cli(args, {"TRANSCITE_SPILL_BYTES": str(10**12)})
    spilled = _cli(args, {"TRANSCITE_SPILL_BYTES": "1"})

    assert held.returncode == spilled.returncode == 1       # duplicate ids are errors
    assert spilled.stdout == held.stdout and held.stdout.count("\n") > 25
    assert spilled.stderr == held.stderr


def test_long_means_the_inputs_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _bib(tmp_path, 5)
    size = path.stat().st_size
    monkeypatch.setenv("TRANSCITE_SPILL_BYTES", str(size))
    assert is_long([str(path)]) and not is_long(["-"]) and not is_long([])
    monkeypatch.setenv("TRANSCITE_SPILL_BYTES", str(size + 1))
    assert not is_long([str(path)]) and is_long([str(path), str(path)])


@pytest.mark.parametrize("style", ["gost-r-7-0-5-2008", "apa"])
def test_people_sharing_a_family_name_are_told_apart_in_a_spilled_library_too(
        tmp_path: Path, small_parts: None, style: str) -> None:
    # the styles' global given-name rule shows initials for people who share a family name,
    # so their works of one year need no "1990a"/"1990b" - also when the library is in a file
    refs = [Reference(f"r{n}", "book", fields={"title": f"Work {n}"},
                      names={"author": [Name(family="Алексеев", given=given)]},
                      dates={"issued": Date([[1990]])})
            for n, given in enumerate(["Ж. Ю.", "М. В.", "П. С."])]
    refs += [Reference(f"s{n}", "book", fields={"title": f"Other {n}"},
                       names={"author": [Name(family="Smith", given="John")]},
                       dates={"issued": Date([[2001]])}) for n in range(2)]
    library = Library(refs)
    # the file first: the compiled style is shared, and must not lend it the other's register
    got = format_library(stream.spill(iter(library), Report()), style=style).render("text")
    expected = format_library(library, style=style).render("text")

    assert got == expected
    assert "1990a" not in got and "1990" in got
    assert "2001a" in got and "2001b" in got    # one person's two works of a year do


@pytest.mark.parametrize("child_fails", [False, True])
def test_a_long_file_read_by_a_child_process_is_the_file_read_here(
        tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch,
        child_fails: bool) -> None:
    path = _bib(tmp_path, 120)
    here_report = Report([])
    here = stream.read_spilled([str(path)], None, None, here_report, normalise=True)
    assert here is not None
    if child_fails:     # a child that dies: the file is read in this process instead
        real = stream.read_spilled

        def dying(*args: object, **kw: object) -> object:
            if kw.get("into") is not None:
                raise MemoryError("the child ran out of memory")
            return real(*args, **kw)  # type: ignore[arg-type]
        monkeypatch.setattr(stream, "read_spilled", dying)
    report = Report([])
    apart = stream.read_spilled_apart([str(path)], None, None, report, normalise=True)

    assert apart is not None
    assert apart.ids() == here.ids()
    assert [repr(r) for r in apart] == [repr(r) for r in here]
    assert [str(p) for p in report] == [str(p) for p in here_report]
    assert "normalise.merged" in {p.code for p in report}
    assert stream.read_spilled_apart([str(path)], "ris", None, Report([])) is None
