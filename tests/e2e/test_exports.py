"""Exports of the sample publication: an Excel workbook that opens with frozen headers,
numbers as numbers in their units and column descriptions; CSV and Parquet per table, the
Parquet files described from the dbt YAML. Partners' text is never a formula:
tests/unit/test_export_escaping.py; formats on a small publication:
tests/unit/test_export_formats.py."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest
import yaml

from pipelines import settings
from pipelines.reporting import exports


@pytest.fixture(scope="module")
def workbook_path(sample_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx")
    (path,) = exports.export("xlsx", out, warehouse=sample_warehouse.published)
    return path


@pytest.fixture(scope="module")
def workbook(workbook_path) -> openpyxl.Workbook:
    """Read-only: the sample's workbook has some 600,000 cells."""
    return openpyxl.load_workbook(workbook_path, read_only=True)


def test_workbook_has_a_sheet_per_mart_and_a_readme(sample_warehouse, workbook) -> None:
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        marts = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
    assert workbook.sheetnames[0] == "README"
    assert marts <= set(workbook.sheetnames)
    assert "findings" in workbook.sheetnames


def test_every_sheet_has_a_frozen_header(workbook_path) -> None:
    """Read from each sheet's XML, as openpyxl's read-only mode does not load panes."""
    with zipfile.ZipFile(workbook_path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) > 5
        for name in sheets[1:]:
            xml = archive.read(name).decode()
            assert re.search(r'<pane ySplit="1" topLeftCell="A2" [^>]*state="frozen"', xml), name


def test_numbers_are_stored_as_numbers(workbook) -> None:
    rows = workbook["measure_values"].iter_rows(min_row=1, max_row=500)
    header = [cell.value for cell in next(rows)]
    column = header.index("value")
    values = [row[column] for row in rows if row[column].value is not None]
    assert values
    assert all(cell.data_type == "n" for cell in values)
    assert all(isinstance(cell.value, int | float) for cell in values)


def test_readme_describes_columns_from_the_dbt_docs(workbook) -> None:
    rows = [[cell.value for cell in row] for row in workbook["README"].iter_rows(min_row=5)]
    described = {(r[1], r[2]): r[4] for r in rows if len(r) > 4 and r[2]}
    assert described[("marts.measure_values", "value")]
    assert described[("marts.measure_values", "measure_id")] == (
        "The measure, as in the measure catalogue."
    )


def test_csv_and_parquet_of_the_sample_have_every_row(sample_warehouse, tmp_path) -> None:
    written = exports.export("parquet", tmp_path, warehouse=sample_warehouse.published)
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        expected = con.execute("select count(*) from marts.measure_values").fetchone()[0]
    assert pl.read_parquet(tmp_path / "measure_values.parquet").height == expected
    assert len(written) >= 5


def test_workbook_shows_percent_figures_with_a_percent_sign(sample_warehouse, workbook) -> None:
    """Each row's value is formatted by the unit the warehouse gives that row."""
    rows = workbook["measure_values"].iter_rows(min_row=1, max_row=3000)
    header = [cell.value for cell in next(rows)]
    value, unit = header.index("value"), header.index("unit")
    shown = {(row[unit].value, row[value].number_format) for row in rows if row[value].value}
    units = {u for u, _ in shown}
    assert "percent" in units and "count" in units
    assert {f for u, f in shown if u == "percent"} == {'0.0"%"'}
    assert {f for u, f in shown if u == "count"} == {"#,##0"}


def test_parquet_columns_carry_the_dbt_yaml_descriptions(sample_warehouse, tmp_path) -> None:
    exports.export("parquet", tmp_path, warehouse=sample_warehouse.published)
    yaml_path = settings.REPO_ROOT / "dbt_project/models/marts/measures/_measures__models.yml"
    (model,) = [
        m for m in yaml.safe_load(yaml_path.read_text())["models"] if m["name"] == "measure_values"
    ]
    described = {
        c["name"]: c["description"].strip() for c in model["columns"] if "description" in c
    }
    schema = pq.read_schema(tmp_path / "measure_values.parquet")
    assert len(described) > 10
    for column, description in described.items():
        assert schema.field(column).metadata[b"description"].decode().strip() == description
    assert schema.metadata[b"description"].decode().startswith("Every measure for every area")


def test_every_exported_mart_carries_its_description(sample_warehouse, tmp_path) -> None:
    """Marts built as views in the working warehouse keep their dbt description too."""
    exports.export("parquet", tmp_path, warehouse=sample_warehouse.published)
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
    undescribed = [
        name
        for name in marts
        if b"description" not in (pq.read_schema(tmp_path / f"{name}.parquet").metadata or {})
    ]
    assert marts and undescribed == []
