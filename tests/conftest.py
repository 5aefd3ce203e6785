"""Shared fixtures: the shipped baseline and helpers to write broken data files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenarios.data.baseline import DATA_DIR  # noqa: E402
from tests.shipped import BASE, DATA  # noqa: E402


@pytest.fixture(scope="session")
def baseline():
    """The shipped exports with the year in progress as a nowcast."""
    return BASE


@pytest.fixture(scope="session")
def dataset():
    """The shipped data folder as one Dataset."""
    return DATA


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break a file."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest
