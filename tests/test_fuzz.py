"""Fuzz tests in the normal run (a few dozen examples each; tools/fuzz_campaign.py runs the same
checks for hours): every reader on hostile and mutated files, every writer and reader pair
over generated hostile libraries, a chain of formats, the Pandoc filter on broken ASTs, and
normalize run twice.

A crash anywhere fails the test; a problem reported to the user is what should happen. Every
writer's output reads back as the library it was written from (white space folded where
BibTeX and RIS fold it): RIS's types, its one SN tag for ISBN, ISSN and a report's number and
its split keywords were excused until they came back exactly.
"""

from __future__ import annotations

import logging
import random

import fuzzing as F
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcite.model import Reference
from transcite.normalisation import normalise
from transcite.pandoc import FilterError, filter_document
from transcite.readers import read_string
from transcite.writers import dumps

logging.getLogger("bibtexparser").disabled = True

SEEDS = F.seeds()
READERS = ["bibtex", "csl-json", "csl-yaml", "ris", "text"]
WRITERS = {"csl-json": "csl-json", "csl-yaml": "csl-yaml", "biblatex": "bibtex",
           "bibtex": "bibtex", "ris": "ris"}
FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _same(fmt: str, before: list[Reference], after: object) -> None:
    loose = fmt in ("biblatex", "bibtex", "ris")
    a = [F.picture(r, loose=loose) for r in before]
    b = [F.picture(r, loose=loose) for r in after]  # type: ignore[attr-defined]
    assert a == b


@pytest.mark.parametrize("fmt", READERS)
@FAST
@given(seed=st.sampled_from(SEEDS), rnd=st.randoms(use_true_random=False))
def test_every_reader_reads_mutated_files_without_crashing(fmt: str, seed: tuple[str, str],
                                                          rnd: random.Random) -> None:
    text = F.mutate(seed[1], rnd, rounds=6)
    lib = read_string(text, fmt if rnd.random() < 0.5 else seed[0])
    for writer in WRITERS:
        dumps(lib, writer)              # what was read can be written


@pytest.mark.parametrize("fmt", READERS)
@FAST
@given(lines=st.lists(F.hostile_text(0, 6), max_size=8))
def test_every_reader_reads_hostile_text_without_crashing(fmt: str, lines: list[str]) -> None:
    read_string("\n".join(lines), fmt)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(refs=F.libraries(particles=False))
def test_every_writer_writes_what_its_reader_reads_back(writer: str,
                                                        refs: list[Reference]) -> None:
    back = read_string(dumps(refs, writer), WRITERS[writer])
    assert not back.report.has_errors, [str(p) for p in back.report]
    _same(writer, refs, back)


@FAST
@given(refs=F.libraries(particles=False))
def test_a_chain_of_formats_keeps_everything(refs: list[Reference]) -> None:
    lib: object = refs
    for writer in ["biblatex", "csl-yaml", "ris", "csl-json"]:
        lib = read_string(dumps(lib, writer), WRITERS[writer])  # type: ignore[arg-type]
        assert not lib.report.has_errors  # type: ignore[attr-defined]
    _same("ris", refs, lib)


DOCS = F.pandoc_docs()


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(case=st.sampled_from(DOCS), rnd=st.randoms(use_true_random=False),
       fmt=st.sampled_from([None, "docx", "markdown", "html"]))
def test_the_filter_on_broken_asts_builds_or_says_why(case: tuple, rnd: random.Random,
                                                      fmt: str | None) -> None:
    base, doc = case
    broken = F.mutate_ast(doc, rnd)
    try:
        result = filter_document(broken, format=fmt, base=base)
    except FilterError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
    else:
        assert isinstance(result.doc, dict)


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(refs=F.libraries(particles=False), writer=st.sampled_from(["csl-json", "csl-yaml",
                                                                   "biblatex", "ris"]),
       profile=st.sampled_from([None, "scopus"]))
def test_normalize_twice_changes_nothing_the_second_time(refs: list[Reference], writer: str,
                                                         profile: str | None) -> None:
    text = dumps(refs, writer)
    once = dumps(normalise(read_string(text, WRITERS[writer]), profile=profile).library, writer)
    twice = dumps(normalise(read_string(once, WRITERS[writer]), profile=profile).library,
                  writer)
    assert once == twice


@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(seed=st.sampled_from([s for s in SEEDS if s[0] != "text"]),
       rnd=st.randoms(use_true_random=False),
       writer=st.sampled_from(["csl-json", "biblatex", "ris"]))
def test_normalize_twice_on_mutated_files(seed: tuple[str, str], rnd: random.Random,
                                          writer: str) -> None:
    lib = read_string(F.mutate(seed[1], rnd, rounds=2), seed[0])
    once = dumps(normalise(read_string(dumps(lib, writer), WRITERS[writer])).library, writer)
    twice = dumps(normalise(read_string(once, WRITERS[writer])).library, writer)
    assert once == twice
