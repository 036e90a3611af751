"""The publication asset: the last step of a run, after dbt's models and tests and the
quality checks. It refuses to publish while blocking findings are open."""

import dagster as dg

from pipelines import publish, settings
from pipelines.modelling.assets import wellbeing_dbt_models


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
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    checks_passed = _passed_checks(context)
    try:
        publication = publish.publish(
            settings.warehouse_path(),
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
        }
    )


def _passed_checks(context: dg.AssetExecutionContext) -> list[str]:
    """Every asset check whose latest evaluation passed, to record beside the publication.

    The latest, not this run's: a pipeline run ingests each kind of period in a run of its
    own, and the checks on the returns ran there.
    """
    # Every check of the project, including those on returns outside this run's job.
    from pipelines.definitions import defs

    latest = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(
        list(defs.resolve_asset_graph().asset_check_keys)
    )
    return sorted(
        key.to_user_string() for key, record in latest.items() if record.status.value == "SUCCEEDED"
    )
