"""MHCLG H-CLIC detailed local authority tables: how households' homelessness prevention and
relief duties ended, one workbook a quarter (`Detailed_LA_YYYYMM.xlsx` or `.ods`).

The tables are laid out to be read, not loaded: a title naming the quarter, headers over two
or three rows with group labels spanning the columns beneath them, footnote digits glued to
labels (`Total initial assessments1`), empty spacer columns, a marker column (R revised,
P provisional), `..` where an authority's figure is not available, and notes under the
table. So the header is found by the label of its first figure column rather than by
position, each column is named by its label path with the footnotes taken off, and a `..`
becomes a missing figure with a note, never a zero. The same reading works on MHCLG's
national tables, whose row labels are years and quarters instead of authorities.

Sheets read: P1 (prevention duty ended, by reason) and R1 (relief duty ended, by reason) are
required; A1 (initial assessments) is read when present. Each figure is one row, keyed by
sheet and cell, so any number in the warehouse points back to a cell of the partner's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import fastexcel
import polars as pl

from pipelines.periods import QUARTER, FilePeriods
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec

Cell = str | None
Grid = list[list[Cell]]
"""A sheet as text: grid[i][j] is the cell in sheet row i + 1 and column j (0 is A)."""

COLUMNS = {
    "quarter_start": "DATE",
    "table_id": "VARCHAR",
    "area_code": "VARCHAR",
    "area_name": "VARCHAR",
    "status_marker": "VARCHAR",
    "figure_key": "VARCHAR",
    "figure_label": "VARCHAR",
    "figure": "DOUBLE",
    "figure_note": "VARCHAR",
    "source_column": "VARCHAR",
}

NOT_AVAILABLE = {
    "..": "not available (..) in the H-CLIC tables",
    "x": "suppressed (x) in the H-CLIC tables",
    "-": "shown as '-' in the H-CLIC tables",
}
STATUS_MARKERS = {"R": "revised", "P": "provisional"}
AREA_CODE = re.compile(r"^[EWSN]\d{8}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d+(?:,\d+)*$")
QUARTER_ENDS = {"March": 3, "June": 6, "September": 9, "December": 12}
QUARTER_STARTS = {3: "January", 6: "April", 9: "July", 12: "October"}
TITLE_QUARTER = re.compile(
    r"(January|April|July|October)\s*(?:to|-|–)\s*(March|June|September|December),?\s*(\d{4})"
)
FILE_QUARTER = re.compile(r"Detailed_LA_(\d{4})(\d{2})", re.IGNORECASE)


@dataclass(frozen=True)
class TableLayout:
    """What one H-CLIC table is expected to hold: its sheet, the label of its first figure
    column (which is how the header is found) and the columns the council's measures use."""

    sheet: str
    description: str
    first_column: str
    columns: dict[str, str]
    required: tuple[str, ...]


@dataclass(frozen=True)
class FigureColumn:
    """A column of figures: where it is, its label path (group: sub-group: label) and the
    key the warehouse knows it by (None for a column the parser does not know)."""

    index: int
    label: str
    key: str | None

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class TableRow:
    """A row of figures: its sheet row, the labels left of the figures (code, name, marker
    for an authority; year, quarter, marker in the national tables) and its figure cells."""

    sheet_row: int
    labels: tuple[Cell, ...]
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    sheet: str
    title: str
    header_rows: tuple[int, ...]
    columns: tuple[FigureColumn, ...]
    rows: tuple[TableRow, ...]

    def column(self, key: str) -> FigureColumn:
        return next(column for column in self.columns if column.key == key)


ASSESSMENTS = TableLayout(
    sheet="A1",
    description="initial assessments",
    first_column="Total initial assessments",
    columns={
        "total_initial_assessments": "Total initial assessments",
        "owed_prevention_or_relief_duty": "Total owed a prevention or relief duty",
        "owed_prevention_duty": (
            "Threatened with homelessness within 56 days - Prevention duty owed"
        ),
        "owed_prevention_duty_section_21": "due to service of valid Section 21 Notice",
        "owed_relief_duty": "Homeless - Relief duty owed",
        "no_duty_owed": (
            "Not homeless nor threatened with homelessness within 56 days - no duty owed"
        ),
    },
    required=("total_initial_assessments",),
)
PREVENTION_OUTCOMES = TableLayout(
    sheet="P1",
    description="prevention duty outcomes",
    first_column="Total number of households whose prevention duty ended",
    columns={
        "total_ended": "Total number of households whose prevention duty ended",
        "secured_total": "Total secured accommodation",
        "secured_stayed": "Stayed in existing accommodation",
        "secured_moved": "Moved to alternative accommodation",
        "homeless": "Homeless (including intentionally homeless)",
        "refused_offer": "Refused suitable accommodation offer",
        "refused_to_cooperate": "Refused to cooperate",
        "contact_lost": "Contact lost",
        "withdrew": "Withdrew application / applicant deceased",
        "days_56_elapsed": "56 days elapsed and no further action",
        "no_longer_eligible": "No longer eligible",
        "not_known": "Not known",
    },
    required=("total_ended", "secured_stayed", "secured_moved"),
)
RELIEF_OUTCOMES = TableLayout(
    sheet="R1",
    description="relief duty outcomes",
    first_column="Total number of households whose relief duty ended",
    columns={
        "total_ended": "Total number of households whose relief duty ended",
        "secured": "Secured accommodation for 6+ months",
        "days_56_elapsed": "56 days elapsed",
        "local_connection_referral": "Local connection referral accepted by other LA",
        "intentionally_homeless": "Intentionally homeless from accommodation provided",
        "refused_final_accommodation": "Refused final accommodation",
        "refused_to_cooperate": "Notice served due to refusal to cooperate",
        "contact_lost": "Contact lost",
        "withdrew": "Withdrew application / applicant deceased",
        "no_longer_eligible": "No longer eligible",
        "not_known": "Not known",
    },
    required=("total_ended", "secured"),
)
LAYOUTS = (ASSESSMENTS, PREVENTION_OUTCOMES, RELIEF_OUTCOMES)
REQUIRED_SHEETS = ("P1", "R1")


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def clean_label(text: str) -> str:
    """A header label as a person reads it: one line, single spaces, no footnote number."""
    return FOOTNOTE.sub("", " ".join(text.split())).strip()


def label_key(text: str) -> str:
    """Letters only, lower case: MHCLG's labels lose spaces where a cell wrapped
    (`Securedaccommodation`) and gain footnote digits, so they are matched on letters."""
    return re.sub(r"[^a-z]", "", text.lower())


def open_workbook(data: bytes, file: str) -> fastexcel.ExcelReader:
    """The workbook, or a ParseError an officer can act on when it is not one."""
    try:
        return fastexcel.read_excel(data)
    except Exception as error:
        raise ParseError(
            f"not a readable spreadsheet (.xlsx, .xls or .ods): {error}", file=file
        ) from error


def read_grid(workbook: fastexcel.ExcelReader, sheet: str, file: str) -> Grid:
    """Every cell of a sheet as text, at its true row and column.

    Calamine trims empty leading rows and columns; rows are kept by skipping none, and the
    column offset comes back from the first column's absolute index.
    """
    if sheet not in workbook.sheet_names:
        raise ParseError(
            f"the workbook has no sheet '{sheet}' (it has {', '.join(workbook.sheet_names)})",
            file=file,
            sheet=sheet,
        )
    loaded = workbook.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
    columns = loaded.available_columns()
    if not columns:
        return []
    offset = columns[0].absolute_index
    return [
        [None] * offset + [cell.strip() if cell and cell.strip() else None for cell in row]
        for row in loaded.to_polars().iter_rows()
    ]


def _cell(grid: Grid, row: int, column: int) -> Cell:
    if row < len(grid) and column < len(grid[row]):
        return grid[row][column]
    return None


def _is_figure(cell: Cell) -> bool:
    return cell is not None and (NUMBER.match(cell) is not None or cell in NOT_AVAILABLE)


def _find_anchor(grid: Grid, layout: TableLayout, file: str) -> tuple[int, int]:
    wanted = label_key(clean_label(layout.first_column))
    for i, row in enumerate(grid):
        for j, cell in enumerate(row):
            if cell is not None and label_key(clean_label(cell)) == wanted:
                return i, j
    raise ParseError(
        f"cannot find the {layout.description} header: no cell reads "
        f"'{layout.first_column}' (the table's first column)",
        file=file,
        sheet=layout.sheet,
    )


def _figure_columns(grid: Grid, header: list[int], first: int) -> list[FigureColumn]:
    """Name each column that has a label of its own by its label path.

    A label in an upper header row spans the columns to its right until the next label in
    that row; a column whose own label sits lower takes it as its group. A column with no
    label of its own (a spacer) is not a figure column.
    """
    width = max(len(grid[i]) for i in header)
    columns = []
    for j in range(first, width):
        own = [i for i in header if _cell(grid, i, j) is not None]
        if not own:
            continue
        path = []
        for i in header:
            if i < own[0]:
                group = next(
                    (
                        _cell(grid, i, k)
                        for k in range(j - 1, first - 1, -1)
                        if _cell(grid, i, k) is not None
                    ),
                    None,
                )
                if group is not None:
                    path.append(clean_label(group).rstrip(":"))
            elif _cell(grid, i, j) is not None:
                path.append(clean_label(_cell(grid, i, j)).rstrip(":"))
        columns.append(FigureColumn(j, ": ".join(path), None))
    return columns


def _keyed(columns: list[FigureColumn], layout: TableLayout, file: str, row: int):
    """Give each known column its key (matched on its own label, the last of its path)."""
    by_label = {label_key(clean_label(label)): key for key, label in layout.columns.items()}
    keyed = []
    seen: dict[str, FigureColumn] = {}
    for column in columns:
        key = by_label.get(label_key(column.label.split(": ")[-1]))
        if key in seen:
            raise ParseError(
                f"two columns are headed '{layout.columns[key]}' "
                f"({seen[key].letter} and {column.letter})",
                file=file,
                sheet=layout.sheet,
                row=row,
                column=column.letter,
            )
        if key is not None:
            seen[key] = column
        keyed.append(FigureColumn(column.index, column.label, key))
    for key in layout.required:
        if key not in seen:
            raise ParseError(
                f"the {layout.description} table has no column headed "
                f"'{layout.columns[key]}' (found: {'; '.join(c.label for c in columns)})",
                file=file,
                sheet=layout.sheet,
                row=row,
            )
    return keyed


def _ends_table(row: list[Cell]) -> bool:
    first = next((cell for cell in row if cell is not None), None)
    return first is not None and first.rstrip(":").lower() in {"notes", "note", "source"}


def read_table(grid: Grid, layout: TableLayout, file: str) -> Table:
    """The table on one sheet: header rows, named figure columns and the rows of figures.

    Figure rows run from the first row under the header whose first figure cell is a number
    or `..`, to the notes; blank rows between blocks (years, then quarters) are skipped.
    """
    top, first = _find_anchor(grid, layout, file)
    start = next(
        (i for i in range(top + 1, len(grid)) if _is_figure(_cell(grid, i, first))),
        None,
    )
    if start is None:
        raise ParseError(
            f"the {layout.description} table has a header but no rows of figures under it",
            file=file,
            sheet=layout.sheet,
            row=top + 1,
        )
    header = [i for i in range(top, start) if any(c is not None for c in grid[i][first:])]
    columns = _keyed(_figure_columns(grid, header, first), layout, file, top + 1)
    rows = []
    for i in range(start, len(grid)):
        if _ends_table(grid[i]):
            break
        cells = tuple(_cell(grid, i, column.index) for column in columns)
        if all(cell is None for cell in cells):
            continue
        labels = tuple(_cell(grid, i, j) for j in range(first))
        rows.append(TableRow(i + 1, labels, cells))
    title = next((cell for cell in grid[0] if cell is not None), "") if grid else ""
    return Table(
        sheet=layout.sheet,
        title=title,
        header_rows=tuple(i + 1 for i in header),
        columns=tuple(columns),
        rows=tuple(rows),
    )


def read_figure(cell: Cell, *, file: str, sheet: str, row: int, column: str):
    """A figure and its note: a number, or None with the reason it is missing."""
    if cell is None:
        return None, "blank in the H-CLIC tables"
    if cell in NOT_AVAILABLE:
        return None, NOT_AVAILABLE[cell]
    if NUMBER.match(cell.replace(",", "")):
        return float(cell.replace(",", "")), None
    raise ParseError(
        f"'{cell}' is not a number, '..' (not available) or 'x' (suppressed)",
        file=file,
        sheet=sheet,
        row=row,
        column=column,
    )


def quarter_of(title: str, relative_path: str, sheet: str) -> date:
    """First day of the quarter the workbook covers, from the table title and file name.

    The title says it in words (`April to June 2021`); `Detailed_LA_202106` names the
    quarter's last month. When both are there they must agree.
    """
    from_title = from_name = None
    words = TITLE_QUARTER.search(title)
    if words:
        end_month = QUARTER_ENDS[words.group(2)]
        if QUARTER_STARTS[end_month] != words.group(1):
            raise ParseError(
                f"the title names '{words.group(0)}', which is not a quarter",
                file=relative_path,
                sheet=sheet,
                row=1,
            )
        from_title = date(int(words.group(3)), end_month - 2, 1)
    named = FILE_QUARTER.search(relative_path)
    if named:
        year, month = int(named.group(1)), int(named.group(2))
        if month not in QUARTER_STARTS:
            raise ParseError(
                f"the file name ends {named.group(1)}{named.group(2)}, which is not the last "
                "month of a quarter (03, 06, 09 or 12)",
                file=relative_path,
            )
        from_name = date(year, month - 2, 1)
    if from_title and from_name and from_title != from_name:
        raise ParseError(
            f"the title covers {quarter_label(from_title)} but the file name says "
            f"{quarter_label(from_name)}",
            file=relative_path,
            sheet=sheet,
            row=1,
        )
    quarter = from_title or from_name
    if quarter is None:
        raise ParseError(
            "neither the title nor the file name says which quarter the tables cover",
            file=relative_path,
            sheet=sheet,
            row=1,
        )
    return quarter


def quarter_label(quarter_start: date) -> str:
    """The quarter as MHCLG writes it in the tables' titles: `April to June 2021`."""
    end_month = quarter_start.month + 2
    end_name = next(name for name, month in QUARTER_ENDS.items() if month == end_month)
    return f"{QUARTER_STARTS[end_month]} to {end_name} {quarter_start.year}"


def _area_rows(table: Table, file: str) -> list[dict]:
    """One output row per figure of an authority (or region, or England) in the table."""
    out = []
    seen: dict[str, int] = {}
    for row in table.rows:
        code = row.labels[0] if row.labels else None
        name = row.labels[1] if len(row.labels) > 1 else None
        marker = row.labels[-1] if len(row.labels) > 2 else None
        if code is None or not AREA_CODE.match(code):
            raise ParseError(
                f"'{code or ''}' is not an ONS area code (like E07000111) for '{name or ''}'",
                file=file,
                sheet=table.sheet,
                row=row.sheet_row,
                column="A",
            )
        if code in seen:
            raise ParseError(
                f"area {code} appears twice (rows {seen[code]} and {row.sheet_row})",
                file=file,
                sheet=table.sheet,
                row=row.sheet_row,
                column="A",
            )
        seen[code] = row.sheet_row
        if marker is not None and marker not in STATUS_MARKERS:
            raise ParseError(
                f"marker '{marker}' is neither R (revised) nor P (provisional)",
                file=file,
                sheet=table.sheet,
                row=row.sheet_row,
                column=column_letter(len(row.labels) - 1),
            )
        for column, cell in zip(table.columns, row.cells, strict=True):
            figure, note = read_figure(
                cell, file=file, sheet=table.sheet, row=row.sheet_row, column=column.letter
            )
            out.append(
                {
                    "table_id": table.sheet,
                    "area_code": code,
                    "area_name": name,
                    "status_marker": marker,
                    "figure_key": column.key,
                    "figure_label": column.label,
                    "figure": figure,
                    "figure_note": note,
                    "source_column": column.letter,
                    "source_row": row.sheet_row,
                }
            )
    return out


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read the A1, P1 and R1 tables of one quarter's detailed local authority workbook."""
    file = partner_file.relative_path
    workbook = open_workbook(partner_file.read_bytes(), file)
    quarter = None
    rows: list[dict] = []
    for layout in LAYOUTS:
        if layout.sheet not in workbook.sheet_names and layout.sheet not in REQUIRED_SHEETS:
            continue
        table = read_table(read_grid(workbook, layout.sheet, file), layout, file)
        this_quarter = quarter_of(table.title, file, layout.sheet)
        if quarter is not None and this_quarter != quarter:
            raise ParseError(
                f"this table covers {quarter_label(this_quarter)} but the workbook's other "
                f"tables cover {quarter_label(quarter)}",
                file=file,
                sheet=layout.sheet,
                row=1,
            )
        quarter = this_quarter
        rows.extend(_area_rows(table, file))
    frame = pl.DataFrame(
        rows,
        schema={
            **{name: pl.String for name in COLUMNS if name != "quarter_start"},
            "figure": pl.Float64,
            "source_row": pl.Int64,
        },
    ).with_columns(pl.lit(quarter, dtype=pl.Date).alias("quarter_start"))
    return ParsedReturn(
        period=quarter_label(quarter),
        rows=frame.select([*COLUMNS, "source_row"]),
        source_file=file,
    )


RETURN = ReturnSpec(
    source="housing",
    name="homelessness",
    partner="Ministry of Housing, Communities and Local Government (H-CLIC)",
    description=(
        "H-CLIC statutory homelessness detailed local authority tables, one workbook a "
        "quarter (Detailed_LA_YYYYMM.xlsx or .ods): initial assessments (A1), prevention "
        "duty outcomes (P1) and relief duty outcomes (R1) for every authority."
    ),
    cadence="quarterly",
    file_patterns=(
        "housing/homelessness/**/*.xlsx",
        "housing/homelessness/**/*.ods",
        "housing/homelessness/**/*.xls",
    ),
    columns=COLUMNS,
    parse=parse,
    first_period="2018/19 Q1",
    due_days=180,
    periods=FilePeriods(
        QUARTER,
        r"_(?P<year>\d{4})(?P<end_month>\d{2})(?!\d)",
        "Detailed_LA_202106.xlsx",
    ),
)
