"""transcite's own CSL fixtures (tests/data/csl-extra, in the CSL test suite's format).

Each fixture pins one behaviour the official suite barely tests - number ranges in every form,
raw dates, cite affixes, author-only and suppress-author cites, collapsing with locators, name
initials in other scripts, substitution, escaping, punctuation at quotes - written from the
CSL 1.0.2 specification and checked against citeproc-js. transcite must give every RESULT;
where citeproc-js is installed (``npm install --prefix benchmarks/js``) it must give them too,
except for the fixtures listed in ``js-differences.list`` with the reason we differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import citeproc_js
import pytest
from conftest import DATA
from csl_suite import fixtures, normalise, read_fixture, run_fixture

EXTRA = DATA / "csl-extra"
PATHS = fixtures(EXTRA)


def _differences() -> dict[str, str]:
    out = {}
    path = EXTRA / "js-differences.list"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(":")
            out[name.strip()] = reason.strip()
    return out


JS_DIFFERENCES = _differences()


def test_there_are_fixtures_for_every_group() -> None:
    """Several fixtures per behaviour group, and the differences list names real ones."""
    names = {p.stem for p in PATHS}
    for group in ("number", "date", "cite", "affix", "collapse", "name", "substitute",
                  "output", "punct", "disambiguate", "locator", "style"):
        assert sum(n.startswith(group + "_") for n in names) >= 3, group
    assert set(JS_DIFFERENCES) <= names


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_fixture(path: Path) -> None:
    """transcite renders the fixture's RESULT."""
    fx = read_fixture(path)
    assert normalise(run_fixture(fx)) == normalise(fx.result)


@pytest.fixture(scope="module")
def js_outputs() -> dict[str, str]:
    """Every fixture rendered by citeproc-js in one node process (skipped without it)."""
    if not citeproc_js.available():
        pytest.skip("citeproc-js is not installed (npm install --prefix benchmarks/js)")
    fxs = [read_fixture(p) for p in PATHS]
    results: list[dict[str, Any]] = citeproc_js.run_jobs([citeproc_js.fixture_job(f)
                                                          for f in fxs])
    return {fx.name: normalise(citeproc_js.fixture_output(fx, r))
            for fx, r in zip(fxs, results)}


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_citeproc_js_agrees(path: Path, js_outputs: dict[str, str]) -> None:
    """citeproc-js renders the same RESULT, or differs for the reason written down."""
    fx = read_fixture(path)
    theirs = js_outputs[fx.name]
    if fx.name in JS_DIFFERENCES:
        assert theirs != normalise(fx.result), f"{fx.name} agrees now: drop it from the list"
    else:
        assert theirs == normalise(fx.result)
