"""dbt's unit tests, on every model that has them. Production builds leave them out (no
submission changes a model's logic on fixed inputs), so this is where they run: the models
are built empty first, because a unit test reads its inputs' columns from the warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml
from dbt_command import Dbt

from pipelines import ingest, settings
from pipelines.quality.findings import ensure_quality_schema
from pipelines.returns import all_returns


def unit_test_names() -> list[str]:
    names = []
    for path in sorted((settings.DBT_PROJECT_DIR / "models").rglob("*.yml")):
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests") or []:
            names.append(test["name"])
    return names


def test_every_dbt_unit_test_passes(workspace: Path, dbt: Dbt) -> None:
    with duckdb.connect(str(settings.warehouse_path())) as con:
        ingest.prepare_warehouse(con, all_returns())
        ensure_quality_schema(con)
    output = dbt("build", "--empty", "--exclude-resource-type", "test")
    names = unit_test_names()
    assert names, "the project's YAML declares unit tests"
    for name in names:
        assert any(name in line and "PASS" in line for line in output.splitlines()), (
            f"unit test {name} did not pass:\n{output[-3000:]}"
        )
