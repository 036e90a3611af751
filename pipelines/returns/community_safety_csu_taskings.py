"""Community Safety Unit daily taskings: month by month, from the CSP monitoring workbook.

Every working day the Sevenoaks Community Safety Unit meets to task partners with the
previous 24 hours' reports. The `CSU taskings` sheet of the partnership's annual monitoring
workbook counts, per month, the meetings held and the taskings issued; the report's
figure ("carried out 600 daily taskings") is the year's taskings issued. The sheet's own
Total row is ignored: the warehouse adds the months itself, and knows when one is missing.
"""

from __future__ import annotations

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import (
    financial_year,
    financial_year_start,
    find_table,
    frame,
    month_start,
    normalise,
    period_of_file,
    read_sheet,
)

SHEET = "CSU taskings"

HEADER = {
    "month": ("Month",),
    "tasking_meetings": ("Tasking meetings held", "Daily tasking meetings held"),
    "taskings_issued": ("Taskings issued", "Daily taskings"),
    "follow_up_contacts": ("Follow-up visits and calls", "Follow-up visits or calls"),
}

COLUMNS = {
    "financial_year": "VARCHAR",
    "month_start": "DATE",
    "tasking_meetings": "INTEGER",
    "taskings_issued": "INTEGER",
    "follow_up_contacts": "INTEGER",
    "value_note": "VARCHAR",
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one row per month of the financial year; totals rows are left out."""
    rows = read_sheet(partner_file, SHEET)
    table = find_table(rows, HEADER, file=partner_file.relative_path, sheet=SHEET)
    title = " ".join(
        str(cell) for number, cells in rows if number < table.header_row for cell in cells if cell
    )
    period = period_of_file(partner_file, financial_year(title), "sheet title", sheet=SHEET)
    first_month = financial_year_start(period)

    records = []
    seen: dict[object, int] = {}
    for row, cells in table.rows:
        if normalise(table.value(cells, "month")).startswith("total"):
            continue
        month = month_start(table.value(cells, "month"))
        if month is None:
            raise table.fail(
                f"'{table.text(cells, 'month')}' is not a month (such as Apr-19)", row, "month"
            )
        offset = (month.year - first_month.year) * 12 + month.month - first_month.month
        if not 0 <= offset < 12:
            raise table.fail(f"{month:%b %Y} is outside the financial year {period}", row, "month")
        if month in seen:
            raise table.fail(f"{month:%b %Y} is listed twice (rows {seen[month]} and {row})", row)
        seen[month] = row
        meetings, _ = table.number(row, cells, "tasking_meetings")
        taskings, note = table.number(row, cells, "taskings_issued")
        follow_ups, _ = table.number(row, cells, "follow_up_contacts")
        records.append(
            {
                "financial_year": period,
                "month_start": month,
                "tasking_meetings": meetings,
                "taskings_issued": taskings,
                "follow_up_contacts": follow_ups,
                "value_note": None if taskings is not None else f"Taskings issued {note}",
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the sheet has no monthly rows", table.header_row)
    return ParsedReturn(
        period=period,
        rows=frame(records, COLUMNS),
        source_file=f"{partner_file.relative_path}!{SHEET}",
    )


RETURN = ReturnSpec(
    source="community_safety",
    name="csu_taskings",
    partner="Sevenoaks District Community Safety Partnership",
    description=(
        "Community Safety Unit daily tasking meetings and taskings issued per month, from the "
        "'CSU taskings' sheet of the partnership's annual monitoring workbook."
    ),
    cadence="annual",
    file_patterns=("community_safety/csp_action_plan/*.xlsx",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("CSP action plan monitoring 2021-22.xlsx"),
)
