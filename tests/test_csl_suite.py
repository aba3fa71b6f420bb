"""The CSL processor test suite through transcite's engine, against a known-failures list.

Every fixture of ``../shared/data/csl-test-suite/humans`` runs; one that fails must be listed
in ``tests/csl_known_failures.txt`` with a reason, and a listed one that passes fails the test
(so the list only shrinks). Skipped where ../shared/data is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED
from csl_suite import fixtures, normalise, read_fixture, run_fixture

SUITE = SHARED / "csl-test-suite" / "humans"
KNOWN_FILE = Path(__file__).resolve().parent / "csl_known_failures.txt"


def _known() -> dict[str, str]:
    known = {}
    for n, line in enumerate(KNOWN_FILE.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, reason = line.partition(":")
        assert sep and reason.strip(), f"{KNOWN_FILE.name}:{n}: 'name: reason' expected"
        known[name.strip()] = reason.strip()
    return known


KNOWN = _known()
PATHS = fixtures(SUITE) if SUITE.is_dir() else []


@pytest.mark.shared
def test_suite_is_present(shared_data: Path) -> None:
    """The suite is where the harness looks, with its 845 fixtures."""
    assert len(fixtures(shared_data / "csl-test-suite" / "humans")) >= 800


@pytest.mark.shared
def test_known_failures_name_real_fixtures(shared_data: Path) -> None:
    """Every known failure names a fixture of the suite."""
    names = {p.stem for p in fixtures(shared_data / "csl-test-suite" / "humans")}
    assert sorted(set(KNOWN) - names) == []


@pytest.mark.shared
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_fixture(path: Path) -> None:
    """One fixture: passes, or is a known failure that still fails."""
    fx = read_fixture(path)
    got = normalise(run_fixture(fx))
    expected = normalise(fx.result)
    if fx.name in KNOWN:
        if got == expected:
            pytest.fail(f"{fx.name} passes now: remove it from {KNOWN_FILE.name}")
        pytest.xfail(KNOWN[fx.name])
    assert got == expected
