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
    checks_passed = sorted(
        f"{record.asset_key.to_user_string()}:{record.check_name}"
        for record in _passed_checks(context)
    )
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


def _passed_checks(context: dg.AssetExecutionContext) -> list:
    """Asset checks that passed in this run, to record beside the publication."""
    records = context.instance.get_records_for_run(
        run_id=context.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in records]
    return [e for e in evaluations if e.passed]
