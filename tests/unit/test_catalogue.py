"""The measure catalogue page is generated from the seeds and kept current, and dbt's docs
site builds."""

from __future__ import annotations

import os
import shutil
import subprocess

import polars as pl

from pipelines import settings
from pipelines.reporting import catalogue


def test_committed_catalogue_page_is_current() -> None:
    assert catalogue.DEFAULT_OUTPUT.read_text() == catalogue.render(), (
        "docs/measure_catalogue.md is out of date: run `wellbeing catalogue`"
    )


def test_catalogue_names_every_key_success_measure_and_measure() -> None:
    page = catalogue.render()
    measures = catalogue.read_seed("measure_catalogue")
    for row in catalogue.read_seed("key_success_measures").iter_rows(named=True):
        assert f"| {row['display_ref']} |" in page
    for measure_id, name in measures.select("measure_id", "measure_name").iter_rows():
        assert f'<a id="{measure_id.replace("_", "-")}"></a>\n### {name}' in page
    assert measures.filter(pl.col("measure_id").is_duplicated()).is_empty()


def test_dbt_docs_generate_builds_the_site(sample_warehouse, tmp_path) -> None:
    """Against a copy of the sample's working warehouse, so the catalog has every table."""
    warehouse = tmp_path / "working.duckdb"
    shutil.copyfile(sample_warehouse.working, warehouse)
    completed = subprocess.run(
        [
            settings.DBT_EXECUTABLE,
            "docs",
            "generate",
            "--profiles-dir",
            str(settings.DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=settings.DBT_PROJECT_DIR,
        env=os.environ
        | {
            settings.WAREHOUSE_ENV: str(warehouse),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert (tmp_path / "target" / "index.html").is_file()
    assert (tmp_path / "target" / "catalog.json").stat().st_size > 1000
