"""The published tables as files report authors open elsewhere: an Excel workbook, CSV or
Parquet.

The workbook has one sheet per mart, reference table and the quality findings, a README
sheet describing every column with the descriptions dbt persisted as comments, frozen header
rows and numbers stored as numbers. Partners' text never becomes a formula: the workbook
stores every string as a string, and CSV cells that a spreadsheet would evaluate (starting
= + - @, a tab or a carriage return) are prefixed with an apostrophe. Parquet keeps the
values exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from pipelines import settings
from pipelines.reporting import published

FORMATS = ("xlsx", "csv", "parquet")
EXPORTED_SCHEMAS = ("marts", "reference")
EXTRA_TABLES = (("quality", "findings"),)
EXCEL_MAX_ROWS = 1_048_575
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


@dataclass(frozen=True)
class ExportedTable:
    schema: str
    name: str
    description: str | None
    columns: list[tuple[str, str, str | None]]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def file_stem(self) -> str:
        return self.name if self.schema == "marts" else f"{self.schema}_{self.name}"


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[ExportedTable]:
    """Every mart, then the quality findings, each with its columns and descriptions."""
    listed = [
        (schema, name, comment)
        for schema, name, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            "order by schema_name = 'marts' desc, schema_name, table_name"
        ).fetchall()
        if schema in EXPORTED_SCHEMAS or (schema, name) in EXTRA_TABLES
    ]
    tables = []
    for schema, name, comment in listed:
        columns = con.execute(
            "select column_name, data_type, comment from duckdb_columns() "
            "where schema_name = ? and table_name = ? order by column_index",
            [schema, name],
        ).fetchall()
        tables.append(ExportedTable(schema, name, comment, columns))
    return tables


def export(
    fmt: str,
    output: Path,
    warehouse: Path | None = None,
    progress: Callable[[ExportedTable], None] | None = None,
) -> list[Path]:
    """Write the published tables in `fmt` under `output`; return the files written."""
    step = progress or (lambda _table: None)
    output.mkdir(parents=True, exist_ok=True)
    with published.connect(warehouse) as con:
        tables = exported_tables(con)
        published_at = published.published_at(con, warehouse)
        if fmt == "xlsx":
            return [write_workbook(con, tables, output, published_at, step)]
        written = []
        for table in tables:
            frame = con.execute(f'select * from {table.schema}."{table.name}"').pl()
            path = output / f"{table.file_stem}.{fmt}"
            if fmt == "csv":
                csv_safe(frame).write_csv(path)
            else:
                frame.write_parquet(path)
            written.append(path)
            step(table)
        return written


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; lists become
    `1;2;3` (CSV has no list type). Numbers and dates are left as they are."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List):
            column = column.cast(pl.List(pl.String)).list.join(";")
            dtype = pl.String
        if dtype == pl.String:
            column = (
                pl.when(column.str.contains(FORMULA_START.pattern))
                .then(pl.lit("'") + column)
                .otherwise(column)
            )
        columns.append(column.alias(name))
    return frame.select(columns)


def write_workbook(
    con: duckdb.DuckDBPyConnection,
    tables: list[ExportedTable],
    output: Path,
    published_at: datetime,
    step: Callable[[ExportedTable], None],
) -> Path:
    path = output / "wellbeing_warehouse.xlsx"
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd",
        "remove_timezone": True,
    }
    with xlsxwriter.Workbook(str(path), options) as book:
        formats = {
            "header": book.add_format({"bold": True, "bg_color": "#DDE7E5", "bottom": 1}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
            "title": book.add_format({"bold": True, "font_size": 14}),
        }
        readme = book.add_worksheet("README")
        skipped = []
        for table in tables:
            count = con.execute(f'select count(*) from {table.schema}."{table.name}"').fetchone()[0]
            if count > EXCEL_MAX_ROWS:
                skipped.append(table)
            else:
                _write_sheet(book, con, table, formats)
            step(table)
        area = published.area_name(con, settings.home_area().district)
        _write_readme(readme, tables, skipped, published_at, formats, area)
    return path


def sheet_name(table: ExportedTable) -> str:
    """Excel allows 31 characters in a sheet name."""
    return table.file_stem[:31]


def _write_sheet(book, con, table: ExportedTable, formats: dict) -> None:
    sheet = book.add_worksheet(sheet_name(table))
    names = [c[0] for c in table.columns]
    for col, name in enumerate(names):
        sheet.write_string(0, col, name, formats["header"])
    cursor = con.execute(f'select * from {table.schema}."{table.name}"')
    widths = [len(name) for name in names]
    row_number = 0
    while batch := cursor.fetchmany(5000):
        for values in batch:
            row_number += 1
            for col, value in enumerate(values):
                widths[col] = max(
                    widths[col], min(_write_cell(sheet, row_number, col, value, formats), 60)
                )
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_number, 1), max(len(names) - 1, 0))


def _write_cell(sheet, row: int, col: int, value: object, formats: dict) -> int:
    """Write one value as its own kind of cell; return its printed width for the column."""
    if value is None:
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value))
        return len(f"{value}")
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), formats["datetime"])
        return 19
    if isinstance(value, date):
        sheet.write_datetime(
            row, col, datetime(value.year, value.month, value.day), formats["date"]
        )
        return 10
    text = ";".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    sheet.write_string(row, col, text)
    return len(text)


def _write_readme(
    sheet, tables, skipped, published_at: datetime, formats: dict, area_name: str
) -> None:
    sheet.write_string(0, 0, f"{area_name} wellbeing warehouse: published tables", formats["title"])
    sheet.write_string(
        1,
        0,
        f"Exported from the publication of {published_at:%d %B %Y %H:%M}. One sheet per table; "
        "this sheet describes every column.",
    )
    row = 3
    for col, name in enumerate(("Sheet", "Table", "Column", "Type", "Description")):
        sheet.write_string(row, col, name, formats["header"])
    for table in tables:
        row += 1
        on_sheet = (
            "(too many rows: use the Parquet export)" if table in skipped else sheet_name(table)
        )
        sheet.write_string(row, 0, on_sheet)
        sheet.write_string(row, 1, table.qualified)
        sheet.write_string(row, 4, table.description or "", formats["wrap"])
        for column, data_type, comment in table.columns:
            row += 1
            sheet.write_string(row, 0, on_sheet)
            sheet.write_string(row, 1, table.qualified)
            sheet.write_string(row, 2, column)
            sheet.write_string(row, 3, data_type)
            sheet.write_string(row, 4, comment or "", formats["wrap"])
    sheet.set_column(0, 1, 28)
    sheet.set_column(2, 2, 26)
    sheet.set_column(3, 3, 14)
    sheet.set_column(4, 4, 90)
    sheet.freeze_panes(4, 0)
