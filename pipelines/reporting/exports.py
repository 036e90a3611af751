"""The published tables as files report authors open elsewhere: an Excel workbook, CSV or
Parquet.

Every export lists a table's rows in the same order: by plan, report year, the order the
plan lists its measures, measure, area and period (whichever of those the table has), then
the remaining columns, so two exports of one publication compare line by line.

The workbook has one sheet per mart, reference table and the quality findings, each named
in full after its table, a README sheet describing every column with the descriptions dbt
persisted as comments, frozen header rows and numbers stored as numbers, shown as the report
shows them: a figure in its measure's unit (85.0%, £758,817.95, 7,056), intervals to one
decimal place, counts as whole numbers. Percentages keep the warehouse's 0 to 100 scale.

CSV files start with a UTF-8 byte-order mark, so Excel reads £ and – correctly when an
officer double-clicks one. Parquet keeps the values exactly and carries each column's
description in its field metadata (`description`), the table's in the file's.

Partners' text never becomes a formula: the workbook stores every string as a string, and
CSV cells that a spreadsheet would evaluate (starting = + - @, a tab or a carriage return)
are prefixed with an apostrophe.
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
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from pipelines import settings
from pipelines.reporting import published

FORMATS = ("xlsx", "csv", "parquet")
EXPORTED_SCHEMAS = ("marts", "reference")
EXTRA_TABLES = (("quality", "findings"),)
EXCEL_MAX_ROWS = 1_048_575
EXCEL_SHEET_NAME_LIMIT = 31
FORMULA_START = re.compile(r"^[=+\-@\t\r]")

ROW_ORDER = (
    "plan",
    "report_year",
    "listed_order",
    "figure_order",
    "return_name",
    "measure_id",
    "area_code",
    "period_type",
    "period_start",
    "period_id",
)
"""The columns rows are sorted by first, in this order, when a table has them."""

FIGURE_COLUMNS = frozenset(
    {"value", "previous_value", "kent_value", "england_value", "target_value", "absolute_change"}
)
"""Columns holding a figure in the unit named by the row's `unit` column."""
INTERVAL_COLUMN = re.compile(r"^ci_.*_(lower|upper)$")
PERCENT_COLUMN = re.compile(r"(_pct|^percent_change)$")
IDENTIFIER_COLUMN = re.compile(r"(_id|_by|_year|_order|_quarter|month_number|^rank_.*|quintile)$")
"""Whole numbers that name something (a submission, a year, a place in a list): no
thousands separator."""

NUMBER_FORMATS = {
    "percent": '0.0"%"',
    "pounds": '"£"#,##0.00',
    "count": "#,##0",
    "rate": "#,##0.0",
    "interval": "#,##0.0",
    "interval_percent": '0.0"%"',
    "interval_pounds": '"£"#,##0.0',
    "whole": "#,##0",
    "identifier": "0",
}
"""Excel number formats by the kind of number; percentages are 0 to 100 in the warehouse."""


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

    def select_sorted(self) -> str:
        """The query for every row in the export's order (lists cannot be sorted on)."""
        names = [name for name, data_type, _ in self.columns if not data_type.endswith("[]")]
        first = [name for name in ROW_ORDER if name in names]
        order = first + [name for name in names if name not in first]
        by = ", ".join(f'"{name}"' for name in order) or "all"
        return f'select * from {self.schema}."{self.name}" order by {by}'


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
            path = output / f"{table.file_stem}.{fmt}"
            if fmt == "csv":
                csv_safe(con.execute(table.select_sorted()).pl()).write_csv(path, include_bom=True)
            else:
                write_parquet(con, table, path)
            written.append(path)
            step(table)
        return written


def write_parquet(con: duckdb.DuckDBPyConnection, table: ExportedTable, path: Path) -> None:
    """The table's rows as DuckDB holds them, with the dbt descriptions as metadata: each
    column's in its field's `description`, the table's in the file's."""
    rows = con.execute(table.select_sorted()).fetch_arrow_table()
    comments = {name: comment for name, _, comment in table.columns}
    fields = [
        field.with_metadata({"description": comments[field.name]})
        if comments.get(field.name)
        else field
        for field in rows.schema
    ]
    about = {"table": table.qualified}
    if table.description:
        about["description"] = table.description
    described = pa.Table.from_arrays(rows.columns, schema=pa.schema(fields, metadata=about))
    pq.write_table(described, path)


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
            **{
                kind: book.add_format({"num_format": shown})
                for kind, shown in NUMBER_FORMATS.items()
            },
        }
        names = sheet_names(tables)
        readme = book.add_worksheet("README")
        skipped = []
        for table in tables:
            count = con.execute(f'select count(*) from {table.schema}."{table.name}"').fetchone()[0]
            if count > EXCEL_MAX_ROWS:
                skipped.append(table)
            else:
                _write_sheet(book, con, table, names[table.qualified], formats)
            step(table)
        area = published.area_name(con, settings.home_area().district)
        _write_readme(readme, tables, names, skipped, published_at, formats, area)
    return path


def sheet_names(tables: list[ExportedTable]) -> dict[str, str]:
    """Each table's sheet: named after the table in full, with its schema in front only when
    two exported tables share a name. Excel allows 31 characters; a name longer than that
    is an error rather than a cut-off name nobody can match to its table."""
    counts: dict[str, int] = {}
    for table in tables:
        counts[table.name] = counts.get(table.name, 0) + 1
    names = {
        table.qualified: table.name if counts[table.name] == 1 else table.file_stem
        for table in tables
    }
    too_long = [name for name in names.values() if len(name) > EXCEL_SHEET_NAME_LIMIT]
    if too_long:
        raise ValueError(
            f"Sheet names longer than Excel's {EXCEL_SHEET_NAME_LIMIT} characters: "
            f"{', '.join(too_long)}. Rename the table, or export CSV or Parquet."
        )
    return names


def number_kind(column: str, data_type: str, unit: str | None) -> str | None:
    """Which of NUMBER_FORMATS a number in `column` is shown with; `unit` is the row's."""
    if column in FIGURE_COLUMNS and unit in NUMBER_FORMATS:
        return unit
    if INTERVAL_COLUMN.match(column):
        return f"interval_{unit}" if f"interval_{unit}" in NUMBER_FORMATS else "interval"
    if PERCENT_COLUMN.search(column):
        return "percent"
    if data_type in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT"}:
        return "identifier" if IDENTIFIER_COLUMN.search(column) else "whole"
    return None


def _write_sheet(book, con, table: ExportedTable, name: str, formats: dict) -> None:
    sheet = book.add_worksheet(name)
    names = [c[0] for c in table.columns]
    for col, column in enumerate(names):
        sheet.write_string(0, col, column, formats["header"])
    unit_at = names.index("unit") if "unit" in names else None
    cursor = con.execute(table.select_sorted())
    widths = [len(column) for column in names]
    row_number = 0
    while batch := cursor.fetchmany(5000):
        for values in batch:
            row_number += 1
            unit = values[unit_at] if unit_at is not None else None
            for col, value in enumerate(values):
                kind = number_kind(names[col], table.columns[col][1], unit)
                shown = formats[kind] if kind else None
                width = _write_cell(sheet, row_number, col, value, formats, shown)
                widths[col] = max(widths[col], min(width, 60))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_number, 1), max(len(names) - 1, 0))


def _write_cell(sheet, row: int, col: int, value: object, formats: dict, number_format) -> int:
    """Write one value as its own kind of cell, a number in `number_format`; return its
    printed width for the column."""
    if value is None:
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), number_format)
        return len(f"{value:,.2f}") if isinstance(value, float) else len(f"{value:,}")
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
    sheet, tables, names, skipped, published_at: datetime, formats: dict, area_name: str
) -> None:
    sheet.write_string(0, 0, f"{area_name} wellbeing warehouse: published tables", formats["title"])
    sheet.write_string(
        1,
        0,
        f"Exported from the publication of {published_at:%d %B %Y %H:%M}. One sheet per table; "
        "this sheet describes every column. Percentages are on the warehouse's 0 to 100 scale "
        "(85.0% is stored as 85), shown with a % sign.",
    )
    row = 3
    for col, name in enumerate(("Sheet", "Table", "Column", "Type", "Description")):
        sheet.write_string(row, col, name, formats["header"])
    for table in tables:
        row += 1
        on_sheet = (
            "(too many rows: use the Parquet export)"
            if table in skipped
            else names[table.qualified]
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
