"""Reading the small spreadsheets and CSV files that community partners type by hand.

Shared by the community safety, road safety, children's and council returns. Those files
are kept in Excel by an officer, not exported by a system: numbers arrive as text with
commas and pound signs, cells are suppressed with markers, headers wrap over lines and sit
under a title, and a totals row or a note follows the table. The helpers here find the
table, read numbers as the officer sees them, and report every problem as a ParseError
naming the file, sheet, row and column to look at.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
import polars as pl

from pipelines.returns import ParseError, PartnerFile, iter_csv_lines

Cells = tuple[Any, ...]
"""One row's cell values, in column order."""

SUPPRESSED_MARKERS = {
    "..": "not available",
    "*": "suppressed",
    "x": "suppressed",
    "c": "suppressed",
}
"""Markers partners put in a cell instead of a number, and what each means."""

_POLARS_TYPES = {
    "VARCHAR": pl.String,
    "INTEGER": pl.Int64,
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    "DATE": pl.Date,
}
_FINANCIAL_YEAR = re.compile(r"(?<!\d)(\d{4})\s*[/\-–_]\s*(\d{2}|\d{4})(?!\d)")
_MONTH_FORMATS = ("%b-%y", "%b %Y", "%B %Y", "%Y-%m", "%b-%Y", "%B-%y", "%m/%Y")


def normalise(label: Any) -> str:
    """A header or label compared the way a person reads it: case and line breaks ignored."""
    return " ".join(str(label).split()).lower() if label is not None else ""


@dataclass(frozen=True)
class Table:
    """The rows of one table in a sheet or CSV, found below its header.

    `rows` pairs each row's number as the officer sees it (the first line of the sheet or
    file is row 1) with its cells; `columns` gives the position of every expected column.
    """

    file: str
    sheet: str | None
    header_row: int
    columns: Mapping[str, int]
    labels: Mapping[str, str]
    rows: list[tuple[int, Cells]]

    def value(self, cells: Cells, column: str) -> Any:
        position = self.columns[column]
        return cells[position] if position < len(cells) else None

    def text(self, cells: Cells, column: str) -> str | None:
        """The cell as trimmed text, or None when it is empty."""
        value = self.value(cells, column)
        if value is None:
            return None
        text = " ".join(str(value).split())
        return text or None

    def fail(self, problem: str, row: int | None = None, column: str | None = None) -> ParseError:
        """A ParseError pointing at a cell of this table (column by its label in the file)."""
        return ParseError(
            problem,
            file=self.file,
            sheet=self.sheet,
            row=row,
            column=self.labels.get(column, column) if column else None,
        )

    def required_text(self, row: int, cells: Cells, column: str) -> str:
        text = self.text(cells, column)
        if text is None:
            raise self.fail("the cell is empty but the return needs a value here", row, column)
        return text

    def number(
        self, row: int, cells: Cells, column: str, *, whole: bool = True
    ) -> tuple[float | int | None, str | None]:
        """The cell's number and, when there is none, why (suppressed, not available, blank).

        Thousands separators, pound signs and per cent signs are ignored; anything else that
        is not a number stops the file, because a guessed number is worse than none.
        """
        value = self.value(cells, column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, "blank"
        if isinstance(value, bool):
            raise self.fail(f"'{value}' is not a number", row, column)
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = str(value).strip()
            marker = SUPPRESSED_MARKERS.get(text.lower())
            if marker is not None:
                return None, marker
            cleaned = re.sub(r"[£,%]", "", text).strip()
            try:
                number = float(cleaned)
            except ValueError:
                raise self.fail(f"'{text}' is not a number", row, column) from None
        if whole:
            if not number.is_integer():
                raise self.fail(f"'{value}' is not a whole number", row, column)
            return int(number), None
        return round(number, 10), None


def read_sheet(partner_file: PartnerFile, sheet: str) -> list[tuple[int, Cells]]:
    """Every row of one worksheet with its row number, numbers read as displayed.

    A cell formatted as a percentage holds a fraction (0.027) but shows 2.7%: it is read
    as 2.7, the figure the officer typed and sees.
    """
    name = partner_file.relative_path
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(partner_file.read_bytes()), read_only=True, data_only=True
        )
    except Exception as error:
        raise ParseError(f"not a readable Excel workbook ({error})", file=name) from error
    try:
        sheets = {normalise(title): title for title in workbook.sheetnames}
        title = sheets.get(normalise(sheet))
        if title is None:
            raise ParseError(
                f"the workbook has no sheet '{sheet}' (it has: {', '.join(workbook.sheetnames)})",
                file=name,
                sheet=sheet,
            )
        rows = []
        for number, row in enumerate(workbook[title].iter_rows(), start=1):
            rows.append((number, tuple(_displayed(cell) for cell in row)))
        return rows
    finally:
        workbook.close()


def _displayed(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    is_percent = "%" in str(getattr(cell, "number_format", "") or "")
    if is_percent and isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * 100, 10)
    return value


def read_csv(partner_file: PartnerFile) -> list[tuple[int, Cells]]:
    """Every line of a CSV with its row number (the header line is row 1)."""
    lines = iter_csv_lines(partner_file.read_bytes(), partner_file.relative_path)
    return [(number, tuple(cells)) for number, cells in enumerate(lines, start=1)]


def find_table(
    rows: list[tuple[int, Cells]],
    expected: Mapping[str, Iterable[str]],
    *,
    file: str,
    sheet: str | None = None,
    stop_at_blank: bool = True,
) -> Table:
    """Locate the header row and the rows of the table beneath it.

    `expected` maps each column the parser needs to the labels partners use for it (compared
    ignoring case and line breaks; a label ending in `*` matches any header starting with
    it). The header is the first row holding the first column's label. The table ends at
    the first blank row when `stop_at_blank` (a sheet's notes follow a gap), else at the
    end of the file.
    """
    names = list(expected)
    first = _matcher(expected[names[0]])
    header = next((item for item in rows if any(first(normalise(c)) for c in item[1])), None)
    if header is None:
        labels = " / ".join(expected[names[0]])
        raise ParseError(f"no header row found: no cell reads '{labels}'", file=file, sheet=sheet)
    header_row, header_cells = header
    normalised = [normalise(cell) for cell in header_cells]
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for name in names:
        matches = _matcher(expected[name])
        position = next((i for i, label in enumerate(normalised) if matches(label)), None)
        if position is None:
            wanted = next(iter(expected[name]))
            found = ", ".join(" ".join(str(c).split()) for c in header_cells if c is not None)
            raise ParseError(
                f"column '{wanted}' is missing from the header (found: {found})",
                file=file,
                sheet=sheet,
                row=header_row,
                column=wanted,
            )
        columns[name] = position
        labels[name] = " ".join(str(header_cells[position]).split())
    body: list[tuple[int, Cells]] = []
    for number, cells in rows:
        if number <= header_row:
            continue
        if all(normalise(cell) == "" for cell in cells):
            if stop_at_blank and body:
                break
            continue
        body.append((number, cells))
    return Table(file, sheet, header_row, columns, labels, body)


def _matcher(labels: Iterable[str]):
    exact = {normalise(label) for label in labels if not label.endswith("*")}
    prefixes = tuple(normalise(label[:-1]) for label in labels if label.endswith("*"))
    return lambda text: text in exact or (bool(prefixes) and text.startswith(prefixes))


def financial_year(text: str | None) -> str | None:
    """The council's label for a financial year written as 2019/20, 2019-20 or 2019-2020."""
    match = _FINANCIAL_YEAR.search(text or "")
    if match is None:
        return None
    start, end = int(match.group(1)), match.group(2)
    if int(end[-2:]) != (start + 1) % 100:
        return None
    return f"{start}/{(start + 1) % 100:02d}"


def financial_year_start(label: str) -> date:
    return date(int(label[:4]), 4, 1)


def month_start(value: Any) -> date | None:
    """The first day of the month a cell names: an Excel date or text such as Apr-21."""
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = " ".join(str(value or "").split())
    for pattern in _MONTH_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return date(parsed.year, parsed.month, 1)
    return None


def period_of_file(
    partner_file: PartnerFile, stated: str | None, found_in: str, *, sheet: str | None = None
) -> str:
    """The financial year a return covers, from its title and its file name, which must agree."""
    named = financial_year(partner_file.name)
    if stated and named and stated != named:
        raise ParseError(
            f"the {found_in} says {stated} but the file name says {named}",
            file=partner_file.relative_path,
            sheet=sheet,
        )
    period = stated or named
    if period is None:
        raise ParseError(
            f"no financial year (such as 2019/20) in the {found_in} or the file name",
            file=partner_file.relative_path,
            sheet=sheet,
        )
    return period


def frame(records: list[dict[str, Any]], columns: Mapping[str, str]) -> pl.DataFrame:
    """The parser's rows as a frame with exactly the specification's columns plus source_row."""
    schema = {name: _POLARS_TYPES[kind] for name, kind in columns.items()}
    schema["source_row"] = pl.Int64
    return pl.DataFrame(records, schema=schema)
