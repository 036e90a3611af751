"""A failed dbt test is told as the return, file and row: the rows dbt stores for a failing
test lead back, through the models' source_file and source_row, to the partner's file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
from dbt_command import Dbt
from factories import police_month_file

from pipelines import settings
from pipelines.ingest import ingest_return, prepare_warehouse
from pipelines.modelling import test_failures
from pipelines.returns import all_returns
from pipelines.returns.police_street import RETURN as POLICE


def _break_row(path: Path, row: int, crime_type: str) -> None:
    """Give the record at file row `row` (header = 1) another crime type."""
    lines = path.read_text().splitlines()
    lines[row - 1] = lines[row - 1].replace(",Burglary,", f",{crime_type},")
    path.write_text("\n".join(lines) + "\n")


def test_failed_tests_name_the_return_file_and_row(dbt: Dbt) -> None:
    raw = settings.raw_dir()
    police_month_file(raw, "2019-04", 3)
    may = police_month_file(raw, "2019-05", 4)
    _break_row(may, 3, "")
    _break_row(may, 5, "Jaywalking")
    warehouse = Path(os.environ[settings.WAREHOUSE_ENV])
    with duckdb.connect(str(warehouse)) as con:
        prepare_warehouse(con, all_returns())
        assert ingest_return(con, POLICE, raw).quarantined == []

    result = dbt.run(
        "build",
        "--select",
        "+stg_police__street_crimes",
        "crime_types",
        "--indirect-selection",
        "cautious",
        "--exclude-resource-type",
        "unit_test",
    )
    assert result.returncode != 0
    run_results = json.loads((dbt.target_path / "run_results.json").read_text())
    manifest = json.loads((dbt.target_path / "manifest.json").read_text())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = {f.detail: f for f in test_failures.findings(con, run_results, manifest)}

    empty = found["not_null_stg_police__street_crimes_crime_type"]
    assert empty.return_name == "police__street_crimes"
    assert (empty.source_file, empty.source_rows) == ("police/2019-05/2019-05-kent-street.csv", "3")
    assert "police__street_crimes, police/2019-05/2019-05-kent-street.csv row 3." in empty.message
    unknown = next(f for name, f in found.items() if name.startswith("relationships_stg_police"))
    assert "police/2019-05/2019-05-kent-street.csv row 5." in unknown.message
    assert "column crime_type" in unknown.message
    assert set(found) == {empty.detail, unknown.detail}
    assert "2019-04" not in test_failures.describe(list(found.values()), run_results)
