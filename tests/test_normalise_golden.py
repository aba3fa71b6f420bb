"""Golden cases for normalisation: one folder per case in tests/data/normalise, with the input,
case.json (reader and profile), the expected CSL-JSON and the problems that need a human.

The expected files were checked by hand: Cyrillic rebuilt for the seed article's romanised
list (Хоккайдо, Синдзо Абэ, Коидзуми, Российская газета), a GOST line and its References line
merged into one record with both forms, and the usual mistakes of submitted BibTeX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcite.normalisation import normalise
from transcite.readers import read
from transcite.writers import dumps

CASES = Path(__file__).parent / "data" / "normalise"


def _run(case: Path) -> tuple[str, list[str]]:
    settings = json.loads((case / "case.json").read_text(encoding="utf-8"))
    [source] = [p for p in case.iterdir() if p.stem == "input"]
    library = read(source, settings.get("from"))
    result = normalise(library, profile=settings.get("profile"))
    problems = sorted(f"{p.code}\t{p.item}" for p in result.needs_human())
    return dumps(result.library, "csl-json"), problems


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden(case: str) -> None:
    folder = CASES / case
    output, problems = _run(folder)
    assert json.loads(output) == json.loads((folder / "expected.json").read_text("utf-8"))
    expected = (folder / "expected-problems.txt").read_text("utf-8").splitlines()
    assert problems == sorted(line for line in expected if line.strip())


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_output_is_stable_under_a_second_run(case: str) -> None:
    folder = CASES / case
    library = read(folder / "expected.json")
    settings = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    again = normalise(library, profile=settings.get("profile"))
    assert again.changes == []
