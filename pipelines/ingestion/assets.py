"""One ingestion asset per partner return, built from the specifications in
`pipelines.returns`, plus the submission ledger that they all write to."""

import re
import warnings

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines import ingest, ledger, settings
from pipelines.ingestion.partitions import partitions_of
from pipelines.returns import ReturnSpec, all_returns


def partner_tag(partner: str) -> str:
    """The partner as a Dagster tag value (`kent_police`), to select a partner's assets."""
    return re.sub(r"[^a-z0-9]+", "_", partner.lower()).strip("_")[:63]


def build_ingestion_asset(spec: ReturnSpec) -> dg.AssetsDefinition:
    """The return's ingestion, partitioned by the period its files cover.

    A backfill over many periods runs as one run (`BackfillPolicy.single_run`): the files
    of eight years of months are read in one pass, committed in batches of files
    (`ingest.ROWS_A_COMMIT`), each batch with its ledger rows.
    """
    partitions = partitions_of(spec)
    with warnings.catch_warnings():
        # Dagster 1.13 calls backfill_policy beta; the single-run backfill is what we want.
        warnings.simplefilter("ignore", dg.BetaWarning)
        return _ingestion_asset(spec, partitions)


def _ingestion_asset(
    spec: ReturnSpec, partitions: dg.PartitionsDefinition | None
) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", spec.table],
        group_name=spec.source,
        kinds={"python", "duckdb"},
        description=f"{spec.partner}: {spec.description}",
        owners=[],
        tags={"partner": partner_tag(spec.partner), "cadence": spec.cadence},
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run() if partitions else None,
    )
    def _ingest(
        context: dg.AssetExecutionContext, warehouse: DuckDBResource
    ) -> dg.MaterializeResult:
        window = None
        if partitions is not None:
            periods = context.partition_time_window
            window = (periods.start.date(), periods.end.date())
        with warehouse.get_connection() as con:
            summary = ingest.ingest_return(
                con,
                spec,
                settings.raw_dir(),
                quarantine_dir=settings.warehouse_path().parent / "quarantine",
                window=window,
            )
            total = con.execute(f"select count(*) from raw.{spec.table}").fetchone()[0]
        for message in summary.quarantined:
            context.log.warning(f"Quarantined {message}")
        return dg.MaterializeResult(
            metadata={
                "files_seen": summary.files_seen,
                "submissions_accepted": len(summary.accepted),
                "files_quarantined": len(summary.quarantined),
                "duplicates": len(summary.duplicates),
                "files_not_read": len(summary.not_read),
                "submissions_superseded": len(summary.superseded),
                "rows_loaded": summary.rows_loaded,
                "rows_in_table": total,
                "periods_loaded": ", ".join(sorted(summary.periods)[:24]) or "none",
                "quarantine_reasons": dg.MetadataValue.md(
                    "\n".join(f"- {m}" for m in summary.quarantined) or "none"
                ),
            }
        )

    _ingest.__name__ = f"ingest_{spec.table}"
    return _ingest


ingestion_assets = [build_ingestion_asset(spec) for spec in all_returns()]


@dg.asset(
    key=["ledger", "submissions"],
    deps=[a.key for a in ingestion_assets],
    group_name="ledger",
    kinds={"duckdb"},
    description="The submission ledger: every file seen in raw/, with status and reason.",
)
def submission_ledger(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    """The ledger, with the returns as their specifications declare them, an empty raw
    table for every return not received yet (`ingest.prepare_warehouse`), and a row for
    every file in raw/ that no return reads (`unrecognised`). The quality tables too, which
    dbt reads before the first checks have run."""
    with warehouse.get_connection() as con:
        from pipelines.quality import findings

        ingest.prepare_warehouse(con, all_returns())
        unrecognised = ingest.record_unrecognised(con, all_returns(), settings.raw_dir())
        findings.ensure_quality_schema(con)
        for file_path in unrecognised:
            context.log.warning(f"Unrecognised {file_path}: no return reads a file of this name")
        counts = dict(
            con.execute(
                "select status, count(*) from ledger.submissions group by status"
            ).fetchall()
        )
    return dg.MaterializeResult(
        metadata={status: counts.get(status, 0) for status in ledger.STATUSES}
    )
