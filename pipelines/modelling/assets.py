"""dbt models as Dagster assets: staging, intermediate, marts and seeds, with dbt tests as
asset checks. A return's source is its `accepted` view, keyed `raw/<source>__<table>` like
the ingestion asset that writes the rows behind it, so that the two join."""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.ledger import ACCEPTED_SCHEMA
from pipelines.modelling import test_failures
from pipelines.modelling.project import dbt_project, ensure_manifest, keep_partial_parse
from pipelines.quality.findings import record_findings


class WellbeingTranslator(DagsterDbtTranslator):
    """Keys dbt sources by their raw table, and groups models by warehouse layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            schema = dbt_resource_props["schema"]
            layer = "raw" if schema == ACCEPTED_SCHEMA else schema
            return dg.AssetKey([layer, dbt_resource_props["identifier"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        path = dbt_resource_props.get("fqn", [])
        return path[1] if len(path) > 2 else "models"


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=WellbeingTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def wellbeing_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBResource
):
    """Build and test every selected dbt model, seed and test in dependency order.

    A failed test is recorded as a finding and told, in the step's failure, as the return,
    file and row it comes from (`test_failures`), not only as the name of a dbt test.
    dbt's unit tests are left out: they test the models' logic on fixed inputs, which no
    submission changes, so tests/dbt runs them rather than every production build. The
    partial parse dbt leaves is kept for the next build (see `keep_partial_parse`)."""
    as_of = json.dumps({"as_of_date": settings.as_of().isoformat()})
    invocation = dbt.cli(
        ["build", "--vars", as_of, "--exclude-resource-type", "unit_test"],
        context=context,
        raise_on_error=False,
    )
    yield from invocation.stream()
    keep_partial_parse(invocation.target_path)
    run_results = invocation.get_artifact("run_results.json")
    with warehouse.get_connection() as con:
        found = test_failures.findings(con, run_results, invocation.get_artifact("manifest.json"))
        record_findings(con, found, check_kind=test_failures.KIND, checks_run=[test_failures.CHECK])
    if not invocation.is_successful():
        raise dg.Failure(description=test_failures.describe(found, run_results))
