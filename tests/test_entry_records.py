"""Entries read before are taken again after an edit (transcite.readers.entries): a long
BibTeX file edited anywhere - an entry changed, added, removed or moved, a comment added -
reads into exactly the library, and reports exactly the problems (file, line, item, text),
that reading it with nothing kept gives; only the entries whose text changed are read."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcite import bulk, compiled
from transcite.model import Report
from transcite.readers import entries as kept
from transcite.readers.bibtex_split import split_entries

_ENTRIES = [
    "@article{ivanov2015,\n  author = {Иванов, И. И. and Петров, П. П.},\n"
    "  title = {Атомная энергетика},\n  journal = {Атомная энергия},\n  year = {2015},\n"
    "  volume = {118},\n  pages = {10--20}\n}\n",
    "@book{batin2017,\n  author = {Batin, Yu.},\n  title = {Rossiya predlozhila Yaponii "
    "postroit' most},\n  publisher = {Nauka},\n  address = {Moskva},\n  year = {2017},\n"
    "  langid = {russian}\n}\n",
    "@article{bad2019,\n  title = {First},\n  journal = {Energy},\n  issn = {1234-5678},\n"
    "  doi = {not a doi},\n  year = {2019},\n  month = {13}\n}\n",
    "@weird{odd2001,\n  title = {An entry of an unknown type},\n  year = {2001}\n}\n",
    "@book{isbn2010,\n  author = {Smith, John},\n  title = {Heat transfer},\n"
    "  publisher = {Wiley},\n  year = {2010},\n  isbn = {978-0-00-000000-1}\n}\n",
    "@misc{,\n  title = {No key at all},\n  year = {1999}\n}\n",
    "@article{smith2010b,\n  author = {Smith, John},\n  title = {Heat transfer},\n"
    "  journal = {Int. J. Heat Mass Transfer},\n  year = {2010},\n  doi = {10.1000/xyz}\n}\n",
]


def _library_text(order: list[int], comments: set[int]) -> str:
    out = []
    for n, k in enumerate(order):
        if n in comments:
            out.append(f"% a note before entry {n}\n")
        text = _ENTRIES[k % len(_ENTRIES)]
        if k >= len(_ENTRIES) and "{," not in text:   # the same shape under its own key
            text = text.replace("{", f"{{x{k}-", 1)
        out.append(text + "\n")
    return "".join(out)


def _read(path: Path) -> tuple[list[Any], list[str]]:
    report = Report()
    library = bulk.read_library([str(path)], None, None, report, normalise=True,
                                meanwhile=lambda: None)
    assert library is not None          # (the file is read on two cores)
    compiled.finish_writing()
    refs = [(r.id, r.type, r.fields, r.names, r.dates, r.variants, r.extra, r.origin)
            for r in library]
    return refs, [str(p) for p in report.problems]


@pytest.fixture
def two_cores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two workers, the cache on, and every entry's result kept (not only the slow ones'),
    so that taking them again is tested on every kind of entry."""
    monkeypatch.setenv("TRANSCITE_WORKERS", "2")
    monkeypatch.delenv("TRANSCITE_NO_CACHE", raising=False)
    monkeypatch.setattr(bulk, "SLOW_ENTRY", 0.0)
    return tmp_path


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(st.integers(0, 20), min_size=22, max_size=30),
       after=st.lists(st.integers(0, 20), min_size=22, max_size=30),
       noted=st.sets(st.integers(0, 30), max_size=4),
       comments=st.sets(st.integers(0, 30), max_size=4))
def test_an_edited_file_reads_as_if_nothing_were_kept(
        two_cores: Path, monkeypatch: pytest.MonkeyPatch, before: list[int],
        after: list[int], noted: set[int], comments: set[int]) -> None:
    folder = Path(tempfile.mkdtemp(dir=two_cores))
    bib = folder / "refs.bib"
    monkeypatch.setenv("TRANSCITE_CACHE", str(folder / "kept"))
    bib.write_text(_library_text(before, noted), encoding="utf-8")
    _read(bib)                                          # keeps every entry's result
    bib.write_text(_library_text(after, comments), encoding="utf-8")
    with_kept = _read(bib)
    monkeypatch.setenv("TRANSCITE_CACHE", str(folder / "empty"))
    assert with_kept == _read(bib)


def test_only_the_entries_that_changed_are_read(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # the job the workers run, here: entries whose text is known take their kept result at
    # the lines they moved to; the others are read
    from transcite.readers import bibtex

    monkeypatch.setattr(bulk, "SLOW_ENTRY", 0.0)
    file = str(tmp_path / "refs.bib")
    old = split_entries(_library_text([0, 2, 4], set()), 0)
    assert old is not None
    job, _, _, _ = bulk._entry_job(file, None, True, {})
    records: list[tuple[str, bytes]] = []
    job(old, None, None, records)
    assert {raw for raw, _ in records} == {e.raw for e in old}
    new_text = "% moved down\n\n" + _library_text([3, 2, 4], set())
    new = split_entries(new_text, 0)
    assert new is not None
    converted: list[str] = []
    convert = bibtex._convert

    def counting(entry: Any, *args: Any) -> Any:
        converted.append(entry.key)
        return convert(entry, *args)

    monkeypatch.setattr(bibtex, "_convert", counting)
    job_kept, _, _, _ = bulk._entry_job(file, None, True, dict(records))
    got = job_kept(new)
    assert converted == ["odd2001"]                     # the one entry not known
    fresh_job, _, _, _ = bulk._entry_job(file, None, True, {})
    expected = fresh_job(new)
    for (ref, read, found, _), (ref2, read2, found2, _) in zip(got, expected):
        assert ref.origin == ref2.origin and ref.id == ref2.id
        assert read == read2 and found == found2        # problems at the lines they moved to
    assert any(p.line for _, read, found, _ in got for p in read + sum(found, []))


def test_a_damaged_record_is_read_again(tmp_path: Path) -> None:
    file = str(tmp_path / "refs.bib")
    entries = split_entries(_library_text([0], set()), 0)
    assert entries is not None
    job, _, _, _ = bulk._entry_job(file, None, True, {entries[0].raw: b"not a pickle"})
    (ref, _, _, _), = job(entries)
    assert ref.id == "ivanov2015" and ref.fields["title"] == "Атомная энергетика"
    assert kept.restore(b"\x80\x05junk", 0, file) is None


def test_only_entries_costly_to_read_again_are_kept_by_default(tmp_path: Path) -> None:
    # reading a plain entry again costs less than keeping it; one whose Cyrillic is rebuilt
    # or whose ISBN is put in its canonical form needs dictionaries loaded first
    file = str(tmp_path / "refs.bib")
    entries = split_entries(_library_text([0, 1, 4, 6], set()), 0)
    assert entries is not None
    bulk._entry_job(file, None, True, {})[0](entries)   # (a process's first entries warm it)
    job, _, _, _ = bulk._entry_job(file, None, True, {})
    records: list[tuple[str, bytes]] = []
    job(entries, None, None, records)
    assert [raw for raw, _ in records] == [entries[1].raw, entries[2].raw]


def test_kept_entries_are_taken_on_one_core_too(two_cores: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # a busy machine leaves one core: the file is still read here, entry by entry, taking
    # what was kept - and reads as it would on two cores with nothing kept
    bib = two_cores / "refs.bib"
    monkeypatch.setenv("TRANSCITE_CACHE", str(two_cores / "kept"))
    bib.write_text(_library_text(list(range(24)), {3}), encoding="utf-8")
    _read(bib)
    bib.write_text(_library_text([5, *range(24)], {0, 3}), encoding="utf-8")
    monkeypatch.setenv("TRANSCITE_WORKERS", "1")
    one_core = _read(bib)
    monkeypatch.setenv("TRANSCITE_WORKERS", "2")
    monkeypatch.setenv("TRANSCITE_CACHE", str(two_cores / "empty"))
    assert one_core == _read(bib)
    monkeypatch.setenv("TRANSCITE_WORKERS", "1")        # nothing kept, one core: as usual
    monkeypatch.setenv("TRANSCITE_CACHE", str(two_cores / "none"))
    report = Report()
    assert bulk.read_library([str(bib)], None, None, report, normalise=True,
                             meanwhile=lambda: None) is None
