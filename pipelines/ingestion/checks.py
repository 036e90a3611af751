"""Asset checks on the ingestion assets that need no Great Expectations: whether any file
of the return is sitting in quarantine."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.ingestion.assets import ingestion_assets


def build_quarantine_check(asset: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
    table = asset.key.path[-1]

    @dg.asset_check(
        asset=asset,
        name="no_file_in_quarantine",
        description="Fails while any file of this return is quarantined (cannot be parsed).",
    )
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
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
                [table],
            ).fetchall()
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "files_in_quarantine": len(rows),
                "reasons": dg.MetadataValue.md("\n".join(f"- {r[1]}" for r in rows) or "none"),
            },
        )

    return _check


quarantine_checks = [build_quarantine_check(asset) for asset in ingestion_assets]
