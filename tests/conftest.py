"""Shared fixtures: a temporary warehouse and landing zone for every test that runs the
pipeline (never the user's), the project's dbt run against it, the whole sample run once per
session, and the ../shared folder when it is present.

The tests come in three layers, each a folder and a marker of the same name, so that a
developer can run one (`pytest tests/unit` or `pytest -m unit`):

- unit: plain Python (parsers, periods, statistics, wording, ingestion and quality helpers)
  on files and DuckDB databases made in the test; no Dagster run, no dbt.
- dbt: dbt builds and tests of the models against a temporary warehouse.
- e2e: real Dagster runs, the command line, the whole sample pipeline, publication and
  operations.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt_command import Dbt

from pipelines import settings

SHARED_DIR = settings.REPO_ROOT.parent / "shared"
TESTS_DIR = Path(__file__).parent
LAYERS = ("unit", "dbt", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer, the folder it sits in."""
    for item in items:
        if item.path.is_relative_to(TESTS_DIR):
            layer = item.path.relative_to(TESTS_DIR).parts[0]
            if layer in LAYERS:
                item.add_marker(layer)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared, or a skip that says where it should be; session-wide so that a module's
    fixture can make something from the real files once."""
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


@pytest.fixture
def dbt(workspace: Path) -> Dbt:
    """dbt on the temporary warehouse of `workspace`."""
    return Dbt(target_path=workspace / "dbt_target", log_path=workspace / "dbt_logs")


@dataclass(frozen=True)
class SampleWarehouse:
    """The whole pipeline run once on the bundled sample, in a temporary folder."""

    root: Path
    raw_dir: Path
    working: Path
    published: Path
    run_success: bool
    dagster_home: Path
    """The Dagster instance's folder, kept so that a test can run the pipeline again."""


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> SampleWarehouse:
    """Run the whole pipeline on the sample returns once per test session (a minute or two)."""
    import dagster as dg

    from pipelines.runner import run_pipeline
    from sample_data import write_sample_returns

    root = tmp_path_factory.mktemp("sample")
    raw = root / "raw"
    environment = {
        settings.WAREHOUSE_ENV: str(root / "warehouse" / "working.duckdb"),
        settings.RAW_DIR_ENV: str(raw),
        settings.PUBLISHED_ENV: str(root / "warehouse" / "published.duckdb"),
    }
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    try:
        (root / "warehouse").mkdir()
        (root / "dagster_home").mkdir()
        write_sample_returns(raw)
        with dg.instance_for_test(temp_dir=str(root / "dagster_home")) as instance:
            result = run_pipeline(instance)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return SampleWarehouse(
        root=root,
        raw_dir=raw,
        working=Path(environment[settings.WAREHOUSE_ENV]),
        published=Path(environment[settings.PUBLISHED_ENV]),
        run_success=result.success,
        dagster_home=root / "dagster_home",
    )


@dataclass(frozen=True)
class SampleCopy:
    """A copy of the sample warehouse for one test to run the pipeline on again."""

    raw: Path
    working: Path
    published: Path
    dagster_home: Path


@pytest.fixture
def sample_copy(
    sample_warehouse: SampleWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> SampleCopy:
    """The session's sample warehouse, its publication and its Dagster instance copied, with
    raw/ linking to the sample's files (a test adds or replaces files of its own), set in the
    environment."""
    if not sample_warehouse.run_success:
        pytest.fail("the sample pipeline run failed; see test_pipeline")
    raw, folder, home = tmp_path / "raw", tmp_path / "warehouse", tmp_path / "dagster_home"
    shutil.copytree(sample_warehouse.raw_dir, raw, copy_function=os.symlink)
    shutil.copytree(sample_warehouse.dagster_home, home)
    folder.mkdir()
    working, published = folder / "working.duckdb", folder / "published.duckdb"
    shutil.copy2(sample_warehouse.working, working)
    shutil.copy2(sample_warehouse.published, published)
    monkeypatch.setenv(settings.RAW_DIR_ENV, str(raw))
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(working))
    monkeypatch.setenv(settings.PUBLISHED_ENV, str(published))
    return SampleCopy(raw, working, published, home)
