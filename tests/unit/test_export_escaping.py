"""Exports never turn partners' text into a spreadsheet formula, and keep numbers and values
exactly, on a small publication made here."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.reporting import exports


@pytest.fixture
def partner_text_warehouse(tmp_path: Path) -> Path:
    """A publication holding partner text that a spreadsheet would run as a formula."""
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.measure_status as select * from (values "
            "('=HYPERLINK(\"http://x\",\"click\")', -5.5), ('+cmd|calc', 2.0), "
            "('@SUM(A1)', 3.0), ('-1+1', 4.0), ('plain words', null)"
            ") t(commentary, value)"
        )
    return path


def test_partner_text_is_never_a_formula_in_the_workbook(partner_text_warehouse, tmp_path) -> None:
    (path,) = exports.export("xlsx", tmp_path, warehouse=partner_text_warehouse)
    sheet = openpyxl.load_workbook(path)["measure_status"]
    assert sheet.freeze_panes == "A2"
    rows = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2) for r in range(2, 7)}
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 7))
    formula_like = rows['=HYPERLINK("http://x","click")']
    assert formula_like.value == -5.5 and formula_like.data_type == "n"


def test_partner_text_is_escaped_in_csv_but_numbers_are_not(
    partner_text_warehouse, tmp_path
) -> None:
    exports.export("csv", tmp_path, warehouse=partner_text_warehouse)
    with (tmp_path / "measure_status.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["commentary"] for r in rows) == sorted(
        [
            '\'=HYPERLINK("http://x","click")',
            "'+cmd|calc",
            "'@SUM(A1)",
            "'-1+1",
            "plain words",
        ]
    )
    values = {r["commentary"]: r["value"] for r in rows}
    assert values['\'=HYPERLINK("http://x","click")'] == "-5.5"


def test_parquet_keeps_values_exactly(partner_text_warehouse, tmp_path) -> None:
    exports.export("parquet", tmp_path, warehouse=partner_text_warehouse)
    frame = pl.read_parquet(tmp_path / "measure_status.parquet")
    assert '=HYPERLINK("http://x","click")' in frame["commentary"].to_list()
