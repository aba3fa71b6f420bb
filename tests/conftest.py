"""Shared fixtures: paths to the repository, test data and (when present) ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run by default, so a test run (and CI) gives
# the same answer twice; `HYPOTHESIS_PROFILE=explore` draws new ones each run, and
# tools/fuzz_campaign.py runs the long searches (docs/robustness.md).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(os.environ.get("TRANSCITE_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' compiled styles and memos go to a folder of their own, not the user's."""
    if not os.environ.get("TRANSCITE_CACHE"):
        os.environ["TRANSCITE_CACHE"] = str(tmp_path_factory.mktemp("transcite-cache"))


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data."""
    return DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data; tests using it are skipped where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not available")
    return SHARED
