"""The findings table has one definition, the quality layer's, and exists before dbt reads it:
the ledger asset, which every dbt build runs after, creates it in a new warehouse."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.ingestion.assets import submission_ledger
from pipelines.quality.findings import FINDING_COLUMNS


def test_the_ledger_asset_creates_the_quality_tables(tmp_path: Path) -> None:
    warehouse = tmp_path / "working.duckdb"
    result = dg.materialize(
        [submission_ledger], resources={"warehouse": DuckDBResource(database=str(warehouse))}
    )
    assert result.success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [row[0] for row in con.execute("describe quality.findings").fetchall()]
        (runs,) = con.execute("select count(*) from quality.check_runs").fetchone()
    assert columns[: len(FINDING_COLUMNS)] == list(FINDING_COLUMNS)
    assert columns[len(FINDING_COLUMNS) :] == ["first_seen_at", "last_seen_at", "resolved_at"]
    assert runs == 0


def test_dbt_defines_no_findings_table_of_its_own() -> None:
    sql = [
        path.read_text().lower()
        for folder in ("macros", "models")
        for path in (settings.DBT_PROJECT_DIR / folder).rglob("*.sql")
    ]
    assert not [text for text in sql if "create table" in text and "quality.findings" in text]
