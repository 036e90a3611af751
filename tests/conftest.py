"""Shared fixtures: a temporary warehouse and landing zone for every test that runs the
pipeline (never the user's), and the ../shared folder when it is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import settings

SHARED_DIR = settings.REPO_ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(
            "../shared not found: the real partner files and published figures live beside "
            "the project in ../shared"
        )
    return SHARED_DIR


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway raw/ folder, warehouse file and Dagster home, set in the environment."""
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(tmp_path / "warehouse" / "working.duckdb"))
    monkeypatch.setenv(settings.RAW_DIR_ENV, str(raw))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "warehouse").mkdir()
    (tmp_path / "dagster_home").mkdir()
    return tmp_path
