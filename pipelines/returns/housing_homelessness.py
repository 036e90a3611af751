"""MHCLG H-CLIC detailed local authority tables: how households' homelessness prevention and
relief duties ended, one workbook a quarter, xlsx or ods, under every name MHCLG has used
(`DetailedLA_201906_revised.xlsx`, `Detailed_LA_202412.ods`,
`Statutory_Homelessness_Detailed_Local_Authority_Data_202503.ods`).

The tables are laid out to be read, not loaded: a title naming the quarter, headers over two
or three rows with group labels spanning the columns beneath them (and, from 2022, a block
of dropdown headers with `Grand Total` above the real ones), footnote digits glued to labels
(`Total initial assessments1`), empty spacer columns, the authority's region beside its name
in the first layout, sometimes a marker (R revised, P provisional), `..` where an
authority's figure is not available, and notes under the table. So the header is the one
nearest above the figures, found by the label of its first figure column rather than by
position; each column is named by its label path with the footnotes taken off; and a `..`
becomes a missing figure with a note, never a zero. The same reading works on MHCLG's
national tables, whose row labels are years and quarters instead of authorities.

Rows above the authorities are totals: England and the regions keep their ONS codes and are
loaded as benchmarks; "Rest of England" (code `-`) and London repeated among the regions
are skipped and counted in the ledger. Every column label must be one of a known edition of
the table (2018-19's, the first layout from 2019, and late 2024's with withdrawals split;
between them they cover every release from April 2018 to December 2025): a label the
parser cannot place quarantines the file, naming it and the nearest known layout, rather
than loading figures under a guessed heading. Sheets are found by the table's id at the
start of their name (`P1`, `P1 - Apr-Jun 18`, `P1_`).

Sheets read: P1 (prevention duty ended, by reason) and R1 (relief duty ended, by reason) are
required; A1 (initial assessments) is read when present. Each figure is one row, keyed by
sheet and cell, so any number in the warehouse points back to a cell of the partner's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import fastexcel
import polars as pl

from pipelines.periods import QUARTER, FilePeriods
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.settings import home_area

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
FILE_QUARTER = re.compile(r"_(\d{4})(\d{2})(?!\d)")
"""The quarter's last month in every name MHCLG has used: `DetailedLA_201906_revised.xlsx`,
`Detailed_LA_202412.ods`, `Statutory_Homelessness_Detailed_Local_Authority_Data_202503.ods`."""
AGGREGATE_CODE = re.compile(r"^E(92|12)\d{6}$")
"""England and the regions: MHCLG prints London twice (above the regions and among them),
and in some releases the two rows' derived rates differ."""
AGGREGATE_NAMES = frozenset(
    {
        "england",
        "rest of england",
        "england excluding london",
        "london",
        "inner london",
        "outer london",
        "north east",
        "north west",
        "yorkshire and the humber",
        "east midlands",
        "west midlands",
        "east of england",
        "east",
        "south east",
        "south west",
    }
)
"""Rows of totals MHCLG puts above the authorities. Those with an ONS code (England, the
regions) are kept as benchmarks; "Rest of England" has the code `-` and is skipped."""


@dataclass(frozen=True)
class Edition:
    """The column labels of one table as MHCLG published it in one release, copied from
    that release (footnote numbers off): what the parser knows to be a real header."""

    name: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class TableLayout:
    """What one H-CLIC table is expected to hold: its sheet, the label of its first figure
    column (which is how the header is found), the columns the council's measures use (with
    the other labels MHCLG has given them) and the editions of the table seen so far."""

    sheet: str
    description: str
    first_column: str
    columns: dict[str, str]
    required: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    editions: tuple[Edition, ...] = ()

    def spellings(self) -> dict[str, str]:
        """Every label a known column goes by, as `label_key`, to its key."""
        keyed = {label_key(clean_label(label)): key for key, label in self.columns.items()}
        for key, labels in self.aliases.items():
            keyed.update({label_key(clean_label(label)): key for label in labels})
        return keyed


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


EDITION_2018 = "the 2018-19 layout (as in DetailedLA_201806.xlsx, sheets named 'A1 - Apr-Jun 18')"
FIRST_EDITION = "the first layout (April 2019 onwards; as in DetailedLA_201906_revised.xlsx)"
SPLIT_WITHDRAWAL_EDITION = (
    "the layout with withdrawals split (late 2024 onwards; as in Detailed_LA_202412.ods)"
)
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
    aliases={
        "owed_prevention_or_relief_duty": ("Total",),
        "owed_prevention_duty": ("Threatened with homelessness - Prevention duty owed",),
        "no_duty_owed": ("Not threatened with homelessness within 56 days - no duty owed",),
    },
    editions=(
        Edition(
            EDITION_2018,
            (
                "Total initial assessments",
                "Total",
                "Threatened with homelessness - Prevention duty owed",
                "due to service of valid Section 21 Notice",
                "Homeless - Relief duty owed",
                "Not threatened with homelessness within 56 days - no duty owed",
            ),
        ),
        Edition(
            FIRST_EDITION,
            (
                "Total initial assessments",
                "Total owed a prevention or relief duty",
                "Threatened with homelessness within 56 days - Prevention duty owed",
                "due to service of valid Section 21 Notice",
                "Homeless - Relief duty owed",
                "Not homeless nor threatened with homelessness within 56 days - no duty owed",
                "Number of households in area (000s)",
                "Households assessed as threatened with homelessness per (000s)",
                "Households assessed as homeless per (000s)",
            ),
        ),
        Edition(
            SPLIT_WITHDRAWAL_EDITION,
            (
                "Total initial assessments",
                "Total owed a prevention or relief duty",
                "Threatened with homelessness within 56 days - Prevention duty owed",
                "due to service of valid Section 21 Notice",
                "Homeless - Relief duty owed",
                "Not homeless nor threatened with homelessness within 56 days - no duty owed",
                "Withdrew application before assessment - no duty owed",
                "Not eligible / no longer eligible - no duty owed",
                "Number of households in area (000s)",
                "Households assessed as threatened with homelessness per (000s)",
                "Households assessed as homeless per (000s)",
            ),
        ),
    ),
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
        "withdrew_application": "Withdrew application",
        "applicant_deceased": "Applicant deceased",
        "days_56_elapsed": "56 days elapsed and no further action",
        "no_longer_eligible": "No longer eligible",
        "not_known": "Not known",
    },
    required=("total_ended", "secured_stayed", "secured_moved"),
    aliases={
        "total_ended": ("Total number of households where prevention duty ended",),
        "secured_total": ("Total",),
        "withdrew": ("Total withdrew / deceased",),
    },
    editions=(
        Edition(
            EDITION_2018,
            (
                "Total number of households where prevention duty ended",
                "Total",
                "Stayed in existing accommodation",
                "Moved to alternative accommodation",
                "Homeless (including intentionally homeless)",
                "Refused suitable accommodation offer",
                "Refused to cooperate",
                "Contact lost",
                "Withdrew application / applicant deceased",
                "56 days elapsed and no further action",
                "No longer eligible",
                "Not known",
            ),
        ),
        Edition(
            FIRST_EDITION,
            (
                "Total number of households whose prevention duty ended",
                "Total secured accommodation",
                "Stayed in existing accommodation",
                "Moved to alternative accommodation",
                "Homeless (including intentionally homeless)",
                "Refused suitable accommodation offer",
                "Refused to cooperate",
                "Contact lost",
                "Withdrew application / applicant deceased",
                "56 days elapsed and no further action",
                "No longer eligible",
                "Not known",
            ),
        ),
        Edition(
            SPLIT_WITHDRAWAL_EDITION,
            (
                "Total number of households whose prevention duty ended",
                "Total secured accommodation",
                "Stayed in existing accommodation",
                "Moved to alternative accommodation",
                "Homeless (including intentionally homeless)",
                "Refused suitable accommodation offer",
                "Refused to cooperate",
                "Contact lost",
                "Total withdrew / deceased",
                "Withdrew application",
                "Applicant deceased",
                'Retired "withdrew/ deceased" option',
                "56 days elapsed and no further action",
                "No longer eligible",
                "Not known",
            ),
        ),
    ),
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
        "withdrew_application": "Withdrew application",
        "applicant_deceased": "Applicant deceased",
        "no_longer_eligible": "No longer eligible",
        "not_known": "Not known",
    },
    required=("total_ended", "secured"),
    aliases={
        "total_ended": ("Total number of households where relief duty ended",),
        "withdrew": ("Total withdrew / deceased",),
    },
    editions=(
        Edition(
            EDITION_2018,
            (
                "Total number of households where relief duty ended",
                "Secured accommodation for 6+ months",
                "56 days elapsed",
                "Local connection referral accepted by other LA",
                "Intentionally homeless from accommodation provided",
                "Refused final accommodation",
                "Notice served due to refusal to cooperate",
                "Contact lost",
                "Withdrew application / applicant deceased",
                "No longer eligible",
                "Not known",
            ),
        ),
        Edition(
            FIRST_EDITION,
            (
                "Total number of households whose relief duty ended",
                "Secured accommodation for 6+ months",
                "56 days elapsed",
                "Local connection referral accepted by other LA",
                "Intentionally homeless from accommodation provided",
                "Refused final accommodation",
                "Notice served due to refusal to cooperate",
                "Contact lost",
                "Withdrew application / applicant deceased",
                "No longer eligible",
                "Not known",
            ),
        ),
        Edition(
            SPLIT_WITHDRAWAL_EDITION,
            (
                "Total number of households whose relief duty ended",
                "Secured accommodation for 6+ months",
                "56 days elapsed",
                "Local connection referral accepted by other LA",
                "Intentionally homeless from accommodation provided",
                "Refused final accommodation",
                "Notice served due to refusal to cooperate",
                "Contact lost",
                "Total withdrew / deceased",
                "Withdrew application",
                "Applicant deceased",
                'Retired "withdrew/ deceased" option',
                "No longer eligible",
                "Not known",
            ),
        ),
    ),
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


def sheet_of(workbook: fastexcel.ExcelReader, table_id: str) -> str | None:
    """The sheet holding a table, by the table's id at the start of its name: MHCLG has
    named it `P1`, `P1 - Apr-Jun 18` (2018-19) and `P1_` (some 2021-22 releases)."""
    if table_id in workbook.sheet_names:
        return table_id
    named = re.compile(rf"^{re.escape(table_id)}(?![0-9A-Za-z])")
    found = [name for name in workbook.sheet_names if named.match(name)]
    return found[0] if len(found) == 1 else None


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


def _find_anchor(grid: Grid, layout: TableLayout, file: str) -> tuple[int, int, int]:
    """The header cell of the table's first figure column, and the first row of figures.

    From 2022 MHCLG puts extra header rows (a `Grand Total` block for the dropdown sheets)
    above the real ones, some with wording close to the real labels; the header taken is the
    one nearest above the figures.
    """
    spellings = layout.spellings()
    first_key = spellings[label_key(clean_label(layout.first_column))]
    wanted = {label for label, key in spellings.items() if key == first_key}
    matches = [
        (i, j)
        for i, row in enumerate(grid)
        for j, cell in enumerate(row)
        if cell is not None and label_key(clean_label(cell)) in wanted
    ]
    if not matches:
        raise ParseError(
            f"cannot find the {layout.description} header: no cell reads "
            f"'{layout.first_column}' (the table's first column)",
            file=file,
            sheet=layout.sheet,
        )
    top, first = matches[0]
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
    top, first = [(i, j) for i, j in matches if i < start][-1]
    return top, first, start


def _figure_columns(grid: Grid, header: list[int], first: int) -> list[FigureColumn]:
    """Name each column that has a label of its own by its label path.

    A label in an upper header row spans the columns to its right until the next label in
    that row or an empty spacer column; a column whose own label sits lower takes it as its
    group. A column with no label of its own (a spacer) is not a figure column.
    """
    width = max(len(grid[i]) for i in header)

    def labelled(j: int) -> bool:
        return any(_cell(grid, i, j) is not None for i in header)

    columns = []
    for j in range(first, width):
        own = [i for i in header if _cell(grid, i, j) is not None]
        if not own:
            continue
        path = []
        for i in header:
            if i < own[0]:
                group = None
                for k in range(j - 1, first - 1, -1):
                    if not labelled(k):
                        break
                    if _cell(grid, i, k) is not None:
                        group = _cell(grid, i, k)
                        break
                if group is not None:
                    path.append(clean_label(group).rstrip(":"))
            elif _cell(grid, i, j) is not None:
                path.append(clean_label(_cell(grid, i, j)).rstrip(":"))
        columns.append(FigureColumn(j, ": ".join(path), None))
    return columns


def _own_label(column: FigureColumn) -> str:
    return column.label.split(": ")[-1]


def _keyed(columns: list[FigureColumn], layout: TableLayout, file: str, row: int):
    """Give each known column its key (matched on its own label, the last of its path)."""
    by_label = layout.spellings()
    keyed = []
    seen: dict[str, FigureColumn] = {}
    for column in columns:
        key = by_label.get(label_key(_own_label(column)))
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


def check_layout(grid: Grid, table: Table, layout: TableLayout, file: str, table_id: str) -> None:
    """Refuse a header label no known edition of the table has: a new layout, whose figures
    might be read under the wrong column, is for a person to look at first.

    The message names the label, where it is, and the known edition nearest to the file's
    header (the one sharing most of its labels), so that the parser can be taught it.
    """
    if not layout.editions:
        return
    known = set(layout.spellings())
    for edition in layout.editions:
        known.update(label_key(clean_label(label)) for label in edition.labels)
    found = {label_key(_own_label(column)) for column in table.columns}
    for column in table.columns:
        if label_key(_own_label(column)) in known:
            continue
        row = max(
            row for row in table.header_rows if _cell(grid, row - 1, column.index) is not None
        )
        nearest = max(
            layout.editions,
            key=lambda edition: len(
                found & {label_key(clean_label(label)) for label in edition.labels}
            ),
        )
        raise ParseError(
            f"a new layout: the header '{_own_label(column)}' is not one MHCLG has used in "
            f"table {table_id}; the nearest known layout is {nearest.name}, whose "
            f"columns are: {'; '.join(nearest.labels)}",
            file=file,
            sheet=layout.sheet,
            row=row,
            column=column.letter,
        )


def _ends_table(row: list[Cell]) -> bool:
    first = next((cell for cell in row if cell is not None), None)
    return first is not None and first.rstrip(":").lower() in {"notes", "note", "source"}


def read_table(grid: Grid, layout: TableLayout, file: str) -> Table:
    """The table on one sheet: header rows, named figure columns and the rows of figures.

    Figure rows run from the first row under the header whose first figure cell is a number
    or `..`, to the notes; blank rows between blocks (years, then quarters) are skipped.
    """
    top, first, start = _find_anchor(grid, layout, file)
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


def _marker(row: TableRow) -> str | None:
    """MHCLG's R (revised) or P (provisional) flag, where a row has one between the area's
    name and its figures. The other cells there describe the authority (its region's name,
    abbreviation or code in the early layouts) and are not read."""
    return next((cell for cell in row.labels[2:] if cell in STATUS_MARKERS), None)


def _area_rows(table: Table, table_id: str, file: str) -> tuple[list[dict], list[str]]:
    """One output row per figure of an authority (or region, or England) in the table, and
    the names of the rows skipped: totals without an ONS code ("Rest of England") and an
    area repeated with the same figures (London, above the table and among the regions)."""
    out = []
    skipped = []
    seen: dict[str, TableRow] = {}
    for row in table.rows:
        code = row.labels[0] if row.labels else None
        name = row.labels[1] if len(row.labels) > 1 else None
        if code in (None, "-") and name is not None and name.lower() in AGGREGATE_NAMES:
            skipped.append(f"{name} (a total without an ONS code)")
            continue
        if code is None or not AREA_CODE.match(code):
            raise ParseError(
                f"'{code or ''}' is not an ONS area code (like {home_area().district}) "
                f"for '{name or ''}'",
                file=file,
                sheet=table.sheet,
                row=row.sheet_row,
                column="A",
            )
        if code in seen:
            first = seen[code]
            if first.cells == row.cells:
                skipped.append(f"{name} (repeated with the same figures)")
                continue
            if AGGREGATE_CODE.match(code):
                differ = [
                    column.letter
                    for column, a, b in zip(table.columns, first.cells, row.cells, strict=True)
                    if a != b
                ]
                skipped.append(
                    f"{name} (repeated at row {row.sheet_row} with other figures in column(s) "
                    f"{', '.join(differ)}; row {first.sheet_row} is kept)"
                )
                continue
            raise ParseError(
                f"area {code} appears twice with different figures "
                f"(rows {seen[code].sheet_row} and {row.sheet_row})",
                file=file,
                sheet=table.sheet,
                row=row.sheet_row,
                column="A",
            )
        seen[code] = row
        marker = _marker(row)
        for column, cell in zip(table.columns, row.cells, strict=True):
            figure, note = read_figure(
                cell, file=file, sheet=table.sheet, row=row.sheet_row, column=column.letter
            )
            out.append(
                {
                    "table_id": table_id,
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
    return out, skipped


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read the A1, P1 and R1 tables of one quarter's detailed local authority workbook."""
    file = partner_file.relative_path
    workbook = open_workbook(partner_file.read_bytes(), file)
    quarter = None
    rows: list[dict] = []
    notes: list[str] = []
    for table_layout in LAYOUTS:
        sheet = sheet_of(workbook, table_layout.sheet)
        if sheet is None and table_layout.sheet not in REQUIRED_SHEETS:
            continue
        layout = replace(table_layout, sheet=sheet or table_layout.sheet)
        grid = read_grid(workbook, layout.sheet, file)
        table = read_table(grid, layout, file)
        check_layout(grid, table, layout, file, table_layout.sheet)
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
        figures, skipped = _area_rows(table, table_layout.sheet, file)
        rows.extend(figures)
        if skipped:
            notes.append(f"{layout.sheet}: {len(skipped)} row(s) skipped: {', '.join(skipped)}")
    frame = pl.DataFrame(
        rows,
        schema={
            **{name: pl.String for name in COLUMNS if name != "quarter_start"},
            "figure": pl.Float64,
            "source_row": pl.Int64,
        },
    ).with_columns(pl.lit(quarter, dtype=pl.Date).alias("quarter_start"))
    return ParsedReturn(
        period=QUARTER.period_id(quarter),
        rows=frame.select([*COLUMNS, "source_row"]),
        source_file=file,
        notes=tuple(notes),
    )


RETURN = ReturnSpec(
    source="housing",
    name="homelessness",
    partner="Ministry of Housing, Communities and Local Government (H-CLIC)",
    description=(
        "H-CLIC statutory homelessness detailed local authority tables, one workbook a "
        "quarter (DetailedLA_YYYYMM[_revised].xlsx, Detailed_LA_YYYYMM.xlsx or .ods, "
        "Statutory_Homelessness_Detailed_Local_Authority_Data_YYYYMM.ods): initial "
        "assessments (A1), prevention duty outcomes (P1) and relief duty outcomes (R1) for "
        "every authority, England and the regions."
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
    revision=r"_revised(?=\.)",
    periods=FilePeriods(
        QUARTER,
        r"_(?P<year>\d{4})(?P<end_month>\d{2})(?!\d)",
        "Detailed_LA_202106.xlsx",
    ),
)
