"""Exports an officer opens elsewhere, read back from the files: the workbook shows each
figure in its measure's unit, intervals to one decimal and counts whole; every format lists
rows in the same sorted order; sheets carry their tables' full names; CSV opens in Excel with
£ intact; Parquet carries the column descriptions. On a small publication made here."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from pipelines.reporting import exports

ROWS = [
    # measure_id, area_code, period_id, value, unit, lower, upper, change %, districts
    ("recycling_rate", "E07000112", "2021/22", 44.25, "percent", 43.1, 45.4, 1.5, 12),
    ("community_grants", "E07000111", "2021/22", 54800.0, "pounds", None, None, None, 1),
    ("asb_incidents", "E07000111", "2021/22", 1396.0, "count", 1323.6, 1471.9, -4.2, 12),
    ("recycling_rate", "E07000111", "2020/21", 46.0, "percent", 45.0, 47.0, 0.4, 12),
    ("asb_incidents", "E07000111", "2020/21", 1457.0, "count", 1383.2, 1533.4, 2.0, 12),
]
COMMENTS = {
    "value": "The figure, in the unit of its measure.",
    "ci_95_lower": "Lower limit of the 95% confidence interval.",
}
LONG_TABLE = "measure_definition_changes"


@pytest.fixture
def publication(tmp_path: Path) -> Path:
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema reference")
        con.execute(
            "create table marts.measure_values (measure_id varchar, area_code varchar, "
            "period_id varchar, value double, unit varchar, ci_95_lower double, "
            "ci_95_upper double, percent_change double, districts_with_value bigint, "
            "commentary varchar)"
        )
        for row in ROWS:
            con.execute(
                "insert into marts.measure_values values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*row, f"Grants of £{row[3]:,.0f} – partner's words"],
            )
        con.execute("comment on table marts.measure_values is 'Every figure, one row each.'")
        for column, comment in COMMENTS.items():
            con.execute(f"comment on column marts.measure_values.{column} is '{comment}'")
        con.execute(f"create table reference.{LONG_TABLE} as select 'recycling_rate' as measure_id")
    return path


def _expected_order() -> list[tuple[str, str, str]]:
    """measure_id, area_code, period_id: the export sorts by measure, area, then period."""
    return sorted((m, a, p) for m, a, p, *_ in ROWS)


@pytest.fixture
def sheet(publication, tmp_path):
    (path,) = exports.export("xlsx", tmp_path / "xlsx", warehouse=publication)
    return openpyxl.load_workbook(path)["measure_values"]


def test_workbook_rows_are_sorted_by_measure_area_and_period(sheet) -> None:
    keys = [tuple(c.value for c in row[:3]) for row in sheet.iter_rows(min_row=2)]
    assert keys == _expected_order()


def test_workbook_shows_each_figure_in_its_unit(sheet) -> None:
    header = [c.value for c in sheet[1]]
    formats = {}
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        formats[cells["unit"].value] = {
            column: cells[column].number_format
            for column in ("value", "ci_95_lower", "percent_change", "districts_with_value")
        }
        assert cells["value"].data_type == "n"
    assert formats["percent"]["value"] == '0.0"%"'
    assert formats["pounds"]["value"] == '"£"#,##0.00'
    assert formats["count"]["value"] == "#,##0"
    assert formats["count"]["ci_95_lower"] == "#,##0.0"
    assert formats["percent"]["ci_95_lower"] == '0.0"%"'
    assert formats["count"]["percent_change"] == '0.0"%"'
    assert formats["count"]["districts_with_value"] == "#,##0"


def test_sheets_carry_their_tables_full_names(publication, tmp_path) -> None:
    (path,) = exports.export("xlsx", tmp_path, warehouse=publication)
    book = openpyxl.load_workbook(path)
    assert LONG_TABLE in book.sheetnames
    readme = [[c.value for c in row] for row in book["README"].iter_rows(min_row=5)]
    assert [LONG_TABLE, f"reference.{LONG_TABLE}"] in [r[:2] for r in readme]


def test_a_table_name_excel_cannot_hold_is_an_error_not_a_cut_name() -> None:
    table = exports.ExportedTable("marts", "x" * 32, None, [])
    with pytest.raises(ValueError, match="x" * 32):
        exports.sheet_names([table])


def test_csv_starts_with_a_byte_order_mark_and_keeps_the_pound_sign(publication, tmp_path) -> None:
    exports.export("csv", tmp_path, warehouse=publication)
    raw = (tmp_path / "measure_values.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "measure_values.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["measure_id"], r["area_code"], r["period_id"]) for r in rows] == _expected_order()
    grants = next(r for r in rows if r["unit"] == "pounds")
    assert grants["commentary"] == "Grants of £54,800 – partner's words"


def test_parquet_carries_the_column_and_table_descriptions(publication, tmp_path) -> None:
    exports.export("parquet", tmp_path, warehouse=publication)
    schema = pq.read_schema(tmp_path / "measure_values.parquet")
    for column, comment in COMMENTS.items():
        assert schema.field(column).metadata[b"description"].decode() == comment
    assert not schema.field("unit").metadata
    assert schema.metadata[b"description"].decode() == "Every figure, one row each."
    rows = pq.read_table(tmp_path / "measure_values.parquet").to_pylist()
    assert [(r["measure_id"], r["area_code"], r["period_id"]) for r in rows] == _expected_order()
