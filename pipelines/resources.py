"""Dagster resources: the working warehouse and dbt, both pointed at WELLBEING_WAREHOUSE."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.modelling.project import dbt_project


def build_resources() -> dict[str, object]:
    settings.export_environment()
    return {
        # Resolved when a run starts, so a test or an analyst can repoint it without re-importing.
        "warehouse": DuckDBResource(database=dg.EnvVar(settings.WAREHOUSE_ENV)),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(settings.DBT_PROJECT_DIR),
            dbt_executable=settings.DBT_EXECUTABLE,
        ),
    }
