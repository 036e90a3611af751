"""Reading a partner's CSV record by record, numbering rows the way an officer sees them.

A CSV record and a line of text are not the same thing: Fingertips exports put a newline
inside quoted indicator names, so a text editor shows more lines than the file has rows. The
row number used everywhere (`source_row`, quarantine messages) is the record number with the
header as row 1, which is the row Excel or LibreOffice shows when the file is opened there.
The line a record starts on is kept as well, for anyone reading the file as text.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import polars as pl

from pipelines.returns import ParseError
from pipelines.returns._reading import read_text

POLARS_TYPES = {
    "VARCHAR": pl.String,
    "DOUBLE": pl.Float64,
    "BIGINT": pl.Int64,
    "INTEGER": pl.Int32,
    "BOOLEAN": pl.Boolean,
    "DATE": pl.Date,
}

_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class CsvRecord:
    """One CSV record: its row number (header = 1), the text line it starts on, its fields."""

    row: int
    line: int
    fields: list[str]


def read_records(data: bytes, file: str) -> tuple[CsvRecord, list[CsvRecord]]:
    """The header record and every non-blank data record, numbered as an officer sees them.

    Blank records keep their number (a spreadsheet shows them as empty rows) but are not
    returned. Broken quoting is a structure problem: the file cannot be trusted.
    """
    reader = csv.reader(io.StringIO(read_text(data, file), newline=""), strict=True)
    records: list[CsvRecord] = []
    lines_read = 0
    try:
        for number, fields in enumerate(reader, start=1):
            records.append(CsvRecord(row=number, line=lines_read + 1, fields=fields))
            lines_read = reader.line_num
    except csv.Error as error:
        raise ParseError(
            f"the CSV cannot be read after line {lines_read} ({error})",
            file=file,
            row=len(records) + 1,
        ) from error
    if not records or not any(field.strip() for field in records[0].fields):
        raise ParseError("the file is empty: there is no header row", file=file, row=1)
    header = records[0]
    if len(header.fields) == 1 and any(sep in header.fields[0] for sep in ";\t|"):
        raise ParseError(
            "the header is a single column: the file seems to use another delimiter than commas",
            file=file,
            row=1,
        )
    rows = [r for r in records[1:] if any(field.strip() for field in r.fields)]
    return header, rows


def require_columns(header: CsvRecord, required: list[str], file: str, described: str) -> None:
    """Refuse a header that lacks a column the return needs, naming the first one missing."""
    names = [name.strip() for name in header.fields]
    missing = [column for column in required if column not in names]
    if missing:
        raise ParseError(
            f"column '{missing[0]}' is missing from the header (expected {described}; "
            f"found {', '.join(names)})",
            file=file,
            row=1,
            column=missing[0],
        )


def cells_by_column(record: CsvRecord, names: list[str], file: str) -> dict[str, str]:
    """A record's cells by header name; a spreadsheet drops trailing empty cells, so a short
    row is padded, but a row with more filled cells than the header has columns is refused."""
    fields = record.fields
    if len(fields) > len(names):
        if any(field.strip() for field in fields[len(names) :]):
            raise ParseError(
                f"the row has {len(fields)} fields where the header has {len(names)}",
                file=file,
                row=record.row,
            )
        fields = fields[: len(names)]
    padded = [*fields, *[""] * (len(names) - len(fields))]
    return dict(zip(names, padded, strict=True))


def number(
    text: str, *, file: str, row: int, column: str, whole: bool = False
) -> float | int | None:
    """A cell as a number, or None when empty; anything else is refused with where it is.

    Thousands separators (`1,234`) are accepted because spreadsheets write them; a value
    that is not a finite number, or not a whole number where one is needed, is not.
    """
    cleaned = text.strip()
    if cleaned == "":
        return None
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise ParseError(f"'{text}' is not {kind}", file=file, row=row, column=column)
    return int(value) if whole else value


def count(text: str, *, file: str, row: int, column: str) -> int | None:
    """A count cell: empty (not reported) or a whole number that is not negative."""
    value = number(text, file=file, row=row, column=column, whole=True)
    if value is not None and value < 0:
        raise ParseError(
            f"'{text}' is negative: a count cannot be below zero", file=file, row=row, column=column
        )
    return value


def to_frame(columns: dict[str, str], rows: list[dict[str, object]]) -> pl.DataFrame:
    """The parser's output: exactly the specification's columns, typed, plus source_row."""
    schema = {name: POLARS_TYPES[kind] for name, kind in columns.items()}
    schema["source_row"] = pl.Int64
    return pl.DataFrame(rows, schema=schema, orient="row")
