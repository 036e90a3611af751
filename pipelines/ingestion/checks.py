"""Asset checks on the ingestion assets that need no Great Expectations: whether any file
of the return is sitting in quarantine."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.ingestion.assets import ingestion_assets


def _quarantine_check(asset: dg.AssetsDefinition) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name="no_file_in_quarantine",
        asset=asset.key,
        description="Fails while any file of this return is quarantined (cannot be parsed).",
    )


@dg.multi_asset_check(
    specs=[_quarantine_check(asset) for asset in ingestion_assets],
    can_subset=True,
    name="no_file_in_quarantine",
)
def no_file_in_quarantine(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
    """Whether any file of each ingested return sits in quarantine: a check of its own on
    each return's ingestion asset, all judged in one step, as a step each cost a fifth of a
    second of Dagster's own work."""
    with warehouse.get_connection() as con:
        for asset in ingestion_assets:
            check = _quarantine_check(asset)
            if check.key not in context.selected_asset_check_keys:
                continue
            rows = con.execute(
                """
                select file_path, reason from ledger.submissions s
                where return_name = ? and status = 'quarantined'
                and not exists (
                    select 1 from ledger.submissions later
                    where later.return_name = s.return_name and later.file_path = s.file_path
                    and later.submission_id > s.submission_id
                )
                order by file_path
                """,
                [asset.key.path[-1]],
            ).fetchall()
            yield dg.AssetCheckResult(
                asset_key=check.asset_key,
                check_name=check.name,
                passed=not rows,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    "files_in_quarantine": len(rows),
                    "reasons": dg.MetadataValue.md("\n".join(f"- {r[1]}" for r in rows) or "none"),
                },
            )


quarantine_checks = [no_file_in_quarantine]
