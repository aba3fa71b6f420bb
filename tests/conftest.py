"""Shared fixtures: paths to the repository, test data and (when present) ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
