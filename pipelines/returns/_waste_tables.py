"""Finding the table in a waste return, whether it came as CSV, ODS or Excel.

Defra publishes ENV18 as a spreadsheet with several sheets (metadata, notes, a tonnage
table, indicator tables) and also as a plain CSV; the council's own waste team sends CSV or
Excel with a title block above the table. So a return's table is found by its header row,
wherever it is, and every cell is read as text: the parsers decide what a number is, and an
error names the sheet, the row number and the column heading an officer sees when opening
the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import fastexcel

from pipelines.returns import ParseError, PartnerFile, iter_csv_lines

SPREADSHEET_SUFFIXES = (".ods", ".xlsx", ".xlsm", ".xls")
HEADER_SEARCH_ROWS = 40
"""How far down a sheet the header row may sit (below a title block and notes)."""

MISSING_MARKERS = frozenset({"", "-", "..", ":", "x", "[x]", "[c]", "n/a"})
"""Cells that mean 'no figure' in government and council spreadsheets: kept as null."""


def normalise(text: str | None) -> str:
    """A heading as compared: case, doubled spaces and trailing spaces do not matter."""
    return " ".join((text or "").split()).casefold()


@dataclass(frozen=True)
class Table:
    """The rows under a table's header, with the sheet and row numbers of the file.

    `columns` maps each wanted column to its position; `headings` keeps the heading as the
    file writes it, for messages.
    """

    file: str
    sheet: str | None
    header_row: int
    columns: dict[str, int]
    headings: dict[str, str]
    rows: list[tuple[int, list[str]]]
    above: list[list[str]]
    header: tuple[str, ...] = ()

    def cell(self, cells: list[str], column: str) -> str:
        position = self.columns.get(column)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    def error(self, problem: str, row: int | None = None, column: str | None = None) -> ParseError:
        """A ParseError at a row and wanted column of this table, named as in the file."""
        heading = self.headings.get(column, column) if column else None
        return ParseError(problem, file=self.file, sheet=self.sheet, row=row, column=heading)


def _open(partner_file: PartnerFile) -> fastexcel.ExcelReader | None:
    """The workbook of a spreadsheet, or None for a CSV (read as one unnamed sheet)."""
    if partner_file.path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return None
    try:
        return fastexcel.read_excel(partner_file.path)
    except fastexcel.FastExcelError as error:
        raise ParseError(
            f"not a readable spreadsheet ({error})", file=partner_file.relative_path
        ) from error


def _grid(
    partner_file: PartnerFile,
    workbook: fastexcel.ExcelReader | None,
    sheet: str | None,
    rows: int | None,
) -> list[list[str]]:
    """A sheet's cells as text, row 1 first (so list position + 1 is the row number)."""
    if workbook is None:
        lines = iter_csv_lines(partner_file.read_bytes(), partner_file.relative_path)
        return [line for _, line in zip(range(rows), lines, strict=False)] if rows else list(lines)
    try:
        # skip_rows=0 keeps blank leading rows, so row numbers are the sheet's own.
        frame = workbook.load_sheet(
            sheet, header_row=None, skip_rows=0, n_rows=rows, dtypes="string"
        ).to_polars()
    except fastexcel.FastExcelError as error:
        raise ParseError(
            f"the sheet cannot be read ({error})", file=partner_file.relative_path, sheet=sheet
        ) from error
    return [["" if value is None else value for value in row] for row in frame.iter_rows()]


NOTE_REFERENCE = re.compile(r"\s+-\s+see\s+\"?notes\"?\s+sheet\b.*$", re.IGNORECASE)
"""A pointer to the notes glued to a heading: `... (tonnes) - See "Notes" sheet for ...`."""


def heading_key(text: str | None) -> str:
    """A column heading as matched: `normalise`d, without a pointer to the notes sheet, and
    with `/` and `-` the same (Defra's CSV writes `recycling/composting/reuse`, its 2022-23
    spreadsheet `recycling-composting-reuse`)."""
    return normalise(NOTE_REFERENCE.sub("", normalise(text))).replace("/", "-")


def _matches(cells: Sequence[str], spellings: Sequence[str]) -> int | None:
    wanted = {heading_key(s) for s in spellings}
    return next((i for i, cell in enumerate(cells) if heading_key(cell) in wanted), None)


def find_table(
    partner_file: PartnerFile, columns: Mapping[str, Sequence[str]], table_name: str
) -> Table:
    """The table whose header row has the most of the wanted columns, in any sheet.

    `columns` maps each output column to the headings accepted for it (the first is the
    one named in messages). A header with at least half of them is taken as the table, so
    a misspelt or missing heading is reported where it should be rather than as a missing
    table. A wanted column absent from the header is left out of `columns`: the parser
    refuses the file with `require` for the ones it cannot do without.
    """
    file = partner_file.relative_path
    best: tuple[int, str | None, int, list[str]] | None = None
    sheets_seen: list[str] = []
    workbook = _open(partner_file)
    for sheet in workbook.sheet_names if workbook else [None]:
        sheets_seen.append(sheet or "")
        grid = _grid(partner_file, workbook, sheet, HEADER_SEARCH_ROWS)
        for index, cells in enumerate(grid):
            found = sum(_matches(cells, spellings) is not None for spellings in columns.values())
            if best is None or found > best[0]:
                best = (found, sheet, index + 1, cells)
    if best is None or best[0] * 2 < len(columns):
        where = f" (sheets: {', '.join(sheets_seen)})" if any(sheets_seen) else ""
        first = next(iter(columns.values()))[0]
        raise ParseError(
            f"no {table_name} found: no row in the first {HEADER_SEARCH_ROWS} rows has the "
            f"expected headings ('{first}' and the others){where}",
            file=file,
        )
    _, sheet, header_row, header = best
    positions: dict[str, int] = {}
    headings: dict[str, str] = {}
    for column, spellings in columns.items():
        position = _matches(header, spellings)
        headings[column] = spellings[0] if position is None else header[position].strip()
        if position is not None:
            positions[column] = position
    grid = _grid(partner_file, workbook, sheet, None)
    rows = [(number, cells) for number, cells in enumerate(grid, start=1) if number > header_row]
    return Table(
        file=file,
        sheet=sheet,
        header_row=header_row,
        columns=positions,
        headings=headings,
        rows=[(number, cells) for number, cells in rows if any(c.strip() for c in cells)],
        above=grid[: header_row - 1],
        header=tuple(header),
    )


def require(table: Table, columns: Sequence[str]) -> None:
    """Refuse a table whose header lacks one of the columns the parser cannot do without.

    When the header has headings the parser could not place, the file is probably a new
    layout rather than a short one: the message names the unplaced heading nearest to the
    missing one, so the partner (or the parser) can be put right.
    """
    placed = set(table.columns.values())
    unplaced = {
        heading_key(cell): cell.strip()
        for position, cell in enumerate(table.header)
        if cell.strip() and position not in placed
    }
    for column in columns:
        if column not in table.columns:
            wanted = table.headings[column]
            nearest = difflib.get_close_matches(heading_key(wanted), unplaced, n=1, cutoff=0.5)
            found = (
                f"; the header has '{unplaced[nearest[0]]}' instead, which is not a heading "
                "this return has been seen with"
                if nearest
                else ""
            )
            raise table.error(
                f"column '{wanted}' is missing from the header{found}",
                row=table.header_row,
                column=column,
            )


def number(table: Table, cells: list[str], column: str, row: int) -> float | None:
    """A figure from a cell: null for a missing-value marker, an error for anything else."""
    text = table.cell(cells, column)
    if normalise(text) in MISSING_MARKERS:
        return None
    cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        raise table.error(f"'{text}' is not a number", row=row, column=column) from None


def whole_number(table: Table, cells: list[str], column: str, row: int) -> int | None:
    """A count from a cell: null for a missing-value marker, an error for a fraction."""
    value = number(table, cells, column, row)
    if value is None:
        return None
    if not value.is_integer():
        raise table.error(
            f"'{table.cell(cells, column)}' is not a whole number", row=row, column=column
        )
    return int(value)


def missing_note(table: Table, cells: list[str], columns: Sequence[str]) -> str | None:
    """The headings whose cells held no figure ('-', '..', blank), for the row's flag."""
    missing = [
        table.headings[c] for c in columns if normalise(table.cell(cells, c)) in MISSING_MARKERS
    ]
    return "; ".join(missing) if missing else None


FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
QUARTER = re.compile(r"\bQ\s*([1-4])\b", re.IGNORECASE)


def financial_year_label(text: str) -> str | None:
    """'2021/22' for 2021/22, 2021-22 or 2021/2022; None when it is not a financial year."""
    found = FINANCIAL_YEAR.match(text.strip())
    if not found:
        return None
    start, end = int(found.group(1)), int(found.group(2)[-2:])
    if (start + 1) % 100 != end:
        return None
    return f"{start}/{end:02d}"


def quarter_label(text: str, financial_year: str | None = None) -> str | None:
    """'2019/20 Q1' from '2019/20 Q1', 'Q1 2019/20', '2019-20 Q1' or 'Q1 (Apr-Jun)' with the
    year given; None when the text names no quarter or no year can be found for it."""
    found = QUARTER.search(text)
    if not found:
        return None
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    year_text = re.search(r"\d{4}\s*[/-]\s*\d{2,4}", rest)
    year = financial_year_label(year_text.group(0)) if year_text else financial_year
    if year is None or (year_text and financial_year and year != financial_year):
        return None
    return f"{year} Q{found.group(1)}"


TOTAL_LABELS = frozenset({"total", "grand total", "year total", "annual total"})
"""Row labels of a total line, which is skipped so that nothing is counted twice."""


def is_total(label: str) -> bool:
    return normalise(label).rstrip(":") in TOTAL_LABELS
