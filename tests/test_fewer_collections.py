"""Reading, normalising and rendering through the API run with the collector's first threshold
raised, as the command line runs (reading, normalising and rendering 10,000 entries spent a
fifth of their time in full collections that found nothing); the caller's thresholds are
theirs again afterwards, whatever happened in between."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import transcite
from transcite import memo
from transcite.normalisation import normalise
from transcite.render.csl.processor import Processor
from transcite.render.lists import format_library

CALLER = (700, 10, 10)      # Python's defaults, as a writing tool importing transcite has them


@pytest.fixture
def default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*CALLER)
    yield
    gc.set_threshold(*before)


def test_the_block_raises_the_thresholds_and_gives_them_back(default_thresholds: None) -> None:
    with memo.fewer_collections():
        assert gc.get_threshold() == memo.FEWER_COLLECTIONS
        with memo.fewer_collections():          # nested: the same
            assert gc.get_threshold() == memo.FEWER_COLLECTIONS
        assert gc.get_threshold() == memo.FEWER_COLLECTIONS
    assert gc.get_threshold() == CALLER
    with pytest.raises(ValueError), memo.fewer_collections():
        raise ValueError("a failure inside")
    assert gc.get_threshold() == CALLER


def test_higher_thresholds_of_the_caller_stay(default_thresholds: None) -> None:
    gc.set_threshold(500_000, 5, 5)
    with memo.fewer_collections():
        assert gc.get_threshold() == (500_000, 5, 5)
    assert gc.get_threshold() == (500_000, 5, 5)


def test_the_api_reads_normalises_and_renders_with_fewer_collections(
        default_thresholds: None, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int, int]] = []
    original = Processor.process

    def process(self: Processor, *args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Processor, "process", process)
    library = transcite.read(root / "references" / "examples" / "russia-japan.bib")
    assert gc.get_threshold() == CALLER and len(library) >= 3
    normalised = normalise(library).library
    assert gc.get_threshold() == CALLER
    entries = format_library(normalised, style="gost").lists[0].entries
    assert gc.get_threshold() == CALLER
    assert len(entries) == len(normalised)
    assert seen and all(t == memo.FEWER_COLLECTIONS for t in seen)
