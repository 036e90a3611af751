"""Kent County Council's NEET summary: young people in years 12 and 13 not in education,
employment or training, by Kent district, at a January snapshot.

KCC sends the Local Children's Partnership Group a workbook whose `Table 1` is the
"Yr12 & Yr13 NEET Summary": a title naming the month, a row of group headings (NEET, Not
knowns), then one header row with line breaks inside the labels, a row for Kent and one
per district, and notes below a blank row. Percentages are Excel percentages (fractions
shown as 2.7%). The printed % NEET is kept beside the counts and must agree with them: a
row whose counts and percentage disagree has been pasted out of line.
"""

from __future__ import annotations

import re

from pipelines.periods import CALENDAR_YEAR, FilePeriods
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import find_table, frame, read_sheet

SHEET = "Table 1"

HEADER = {
    "area_name": ("Yr12 & Yr13 NEET Summary", "Area"),
    "cohort_yr12_yr13": ("Total Cohort Yr12 & Yr13",),
    "neet_yr12_yr13": ("No. NEET Yr12 & Yr13",),
    "neet_pct_yr12_yr13": ("% NEET Yr12 & Yr13",),
    "target_pct_yr12_yr13": ("Target Yr12 & Yr13*",),
    "neet_yr12": ("No. NEET Yr12",),
    "neet_yr13": ("No. NEET Yr13",),
    "not_known_yr12": ("No. Yr12", "No. Not known Yr12"),
    "not_known_yr13": ("No. Yr13", "No. Not known Yr13"),
    "not_known_total": ("Total", "Total Not known"),
}

COUNTS = (
    "cohort_yr12_yr13",
    "neet_yr12_yr13",
    "neet_yr12",
    "neet_yr13",
    "not_known_yr12",
    "not_known_yr13",
    "not_known_total",
)
PERCENTAGES = ("neet_pct_yr12_yr13", "target_pct_yr12_yr13")

COLUMNS = {
    "snapshot": "VARCHAR",
    "area_name": "VARCHAR",
    **dict.fromkeys(COUNTS[:2], "INTEGER"),
    **dict.fromkeys(PERCENTAGES, "DOUBLE"),
    **dict.fromkeys(COUNTS[2:], "INTEGER"),
    "value_note": "VARCHAR",
}

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_SNAPSHOT = re.compile(rf"\b({_MONTHS})[a-z]*\.?\s+(20\d\d)\b", re.IGNORECASE)
_TOLERANCE = 0.1
"""Percentage points by which the printed % NEET may differ from the counts (rounding)."""


def snapshot_of(text: str) -> str | None:
    """`Jan 2020` from a title or file name that says January 2020 (or Jan 2020)."""
    match = _SNAPSHOT.search(text)
    return f"{match.group(1).capitalize()} {match.group(2)}" if match else None


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read Kent and each district; refuse rows whose counts and percentage disagree."""
    name = partner_file.relative_path
    rows = read_sheet(partner_file, SHEET)
    table = find_table(rows, HEADER, file=name, sheet=SHEET)
    title = " ".join(
        str(cell) for number, cells in rows if number < table.header_row for cell in cells if cell
    )
    stated, named = snapshot_of(title), snapshot_of(partner_file.name)
    if stated and named and stated != named:
        raise ParseError(
            f"the sheet title says {stated} but the file name says {named}", file=name, sheet=SHEET
        )
    snapshot = stated or named
    if snapshot is None:
        raise ParseError(
            "no snapshot month (such as January 2020) in the sheet title or the file name",
            file=name,
            sheet=SHEET,
        )

    records = []
    for row, cells in table.rows:
        record = {"snapshot": snapshot, "area_name": table.required_text(row, cells, "area_name")}
        notes = []
        for column in COUNTS:
            record[column], note = table.number(row, cells, column)
            if record[column] is None and column in COUNTS[:2]:
                notes.append(f"{table.labels[column]} {note}")
        for column in PERCENTAGES:
            record[column], _ = table.number(row, cells, column, whole=False)
        _check_percentage(table, row, record)
        records.append({**record, "value_note": "; ".join(notes) or None, "source_row": row})
    if not records:
        raise table.fail("the table has no area rows", table.header_row)
    return ParsedReturn(
        period=snapshot, rows=frame(records, COLUMNS), source_file=f"{name}!{SHEET}"
    )


def _check_percentage(table, row: int, record: dict) -> None:
    cohort, neet, printed = (
        record["cohort_yr12_yr13"],
        record["neet_yr12_yr13"],
        record["neet_pct_yr12_yr13"],
    )
    if not cohort or neet is None or printed is None:
        return
    computed = 100 * neet / cohort
    if abs(computed - printed) > _TOLERANCE:
        raise table.fail(
            f"% NEET is {printed:g} but {neet} NEET of a cohort of {cohort} is {computed:.1f}%: "
            "the row's figures do not belong together",
            row,
            "neet_pct_yr12_yr13",
        )


RETURN = ReturnSpec(
    source="children",
    name="neet_summary",
    partner="Kent County Council",
    description=(
        "Yr12 & Yr13 NEET summary by Kent district at a January snapshot: cohort, NEET and "
        "not known counts (Table 1 of KCC's NEET workbook for the Local Children's "
        "Partnership Group)."
    ),
    cadence="annual",
    file_patterns=("children/neet/*.xlsx",),
    columns=COLUMNS,
    parse=parse,
    first_period="2018",
    due_days=60,
    periods=FilePeriods(
        CALENDAR_YEAR, r"January (?P<year>\d{4})", "NEET summary January 2022.xlsx"
    ),
)
