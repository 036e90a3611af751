"""Dagster resources: the working warehouse and dbt, both pointed at WELLBEING_WAREHOUSE.

Both hold the writer lock (`pipelines.writer`) from the start of a run to its end, so a run
the Dagster daemon or UI launches in a process of its own waits for `wellbeing run` (and
the other way round) instead of failing on DuckDB's lock part way. In the process of
`wellbeing run`, which already holds the lock, they take it again at no cost.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from importlib import metadata

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from pipelines import settings, writer
from pipelines.modelling.project import dbt_project
from pipelines.operations import runs

LOCK_WAIT_ENV = "WELLBEING_LOCK_WAIT"


def launched_run_wait_seconds() -> float:
    """How long a launched run waits for another writer before it fails (WELLBEING_LOCK_WAIT,
    default 30 minutes: a whole-sample run takes about three, a backfill of years longer)."""
    return float(os.environ.get(LOCK_WAIT_ENV, 30 * 60))


class _WritesTheWarehouse:
    """Takes the writer lock as a run sets the resource up and gives it back at the end."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        super().setup_for_execution(context)
        warehouse = settings.warehouse_path()
        if context.instance is not None and context.run_id:
            runs.name_process(context.instance, context.run_id, warehouse)
        runs.start_writing(
            warehouse,
            instance=context.instance,
            wait_seconds=launched_run_wait_seconds(),
            purpose=f"Dagster run {context.run_id}",
            keep=frozenset({context.run_id}),
            announce=context.log.info if context.log else lambda _message: None,
        )

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        writer.release(settings.warehouse_path())
        super().teardown_after_execution(context)


class WarehouseResource(_WritesTheWarehouse, DuckDBResource):
    """The working warehouse, written by one run at a time."""


class WarehouseDbtResource(_WritesTheWarehouse, DbtCliResource):
    """dbt, building the working warehouse, by one run at a time.

    Before each dbt command dagster-dbt asks the dbt executable for its version (`dbt
    --version`, a process that imports dbt) and opens a dbt adapter in this process, only to
    fetch column metadata and row counts when asked to (`fetch_column_metadata`), which this
    project does not. Together about 4 s of every build; the version is read from the
    installed dbt-core instead, and no adapter is opened."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def build_resources() -> dict[str, object]:
    settings.export_environment()
    return {
        # Resolved when a run starts, so a test or an analyst can repoint it without re-importing.
        "warehouse": WarehouseResource(database=dg.EnvVar(settings.WAREHOUSE_ENV)),
        "dbt": WarehouseDbtResource(
            project_dir=dbt_project,
            profiles_dir=str(settings.DBT_PROJECT_DIR),
            dbt_executable=settings.DBT_EXECUTABLE,
        ),
    }
