"""Exports of the sample publication: an Excel workbook that opens with frozen headers,
numbers as numbers and column descriptions; CSV and Parquet per table. Partners' text is
never a formula: tests/unit/test_export_escaping.py."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

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
    assert "quality_findings" in workbook.sheetnames


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
