"""The publication asset: the last step of a run, after dbt's models and tests and the
quality checks. It refuses to publish while blocking findings are open."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines import publish, settings
from pipelines.ingestion.checks import quarantine_checks
from pipelines.modelling.assets import wellbeing_dbt_models
from pipelines.quality.checks import quality_checks

CHECKS_RECORDED = sorted(
    [
        *wellbeing_dbt_models.check_keys,
        *(key for checks in [*quarantine_checks, *quality_checks] for key in checks.check_keys),
    ],
    key=dg.AssetCheckKey.to_user_string,
)
"""Every check of the project, from the modules that define them: dbt's tests, the
quarantine checks on the returns, and the quality gate."""


@dg.asset(
    key=["publication", "published_warehouse"],
    deps=list(wellbeing_dbt_models.keys),
    group_name="publication",
    kinds={"duckdb", "parquet"},
    description=(
        "The read-only DuckDB file officers, notebooks and the report read, and Parquet "
        "copies of the marts; replaced atomically only when no blocking finding is open."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    checks_passed = _passed_checks(context)
    try:
        publication = publish.publish(
            Path(warehouse.database),
            settings.published_path(),
            checks_passed=checks_passed,
            run_id=context.run_id,
        )
    except publish.PublicationBlocked as blocked:
        raise dg.Failure(
            description=str(blocked),
            metadata={
                "blocking_findings": dg.MetadataValue.md(
                    "\n".join(f"- {r}" for r in blocked.reasons)
                )
            },
        ) from blocked
    return dg.MaterializeResult(
        metadata={
            "publication_id": publication.publication_id,
            "published_file": dg.MetadataValue.path(str(publication.path)),
            "parquet_folder": dg.MetadataValue.path(str(publication.parquet_dir)),
            "tables": len(publication.tables),
            "submissions": len(publication.submission_ids),
            "checks_passed": len(publication.checks_passed),
            "leftovers_removed": dg.MetadataValue.md(
                "\n".join(f"- {path.name}" for path in publication.leftovers_removed) or "none"
            ),
        }
    )


def _passed_checks(context: dg.AssetExecutionContext) -> list[str]:
    """Every asset check whose latest evaluation passed, to record beside the publication.

    The latest, not this run's: a pipeline run ingests each kind of period in a run of its
    own, and the checks on the returns ran there.
    """
    latest = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(
        CHECKS_RECORDED
    )
    return sorted(
        key.to_user_string() for key, record in latest.items() if record.status.value == "SUCCEEDED"
    )
