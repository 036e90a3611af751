"""Community Safety Partnership action plan monitoring: every action and its year-end status.

The partnership's monitoring workbook (one a financial year) lists each action of the
Community Safety action plan on its `Action plan` sheet with a status of Achieved, On
target or Not on target. The key success measure (85% of actions achieved or on target)
is counted from these rows in the warehouse, so the figure always matches the actions
listed. Another sheet of the same workbook holds the CSU taskings (see
`community_safety_csu_taskings`).
"""

from __future__ import annotations

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import (
    financial_year,
    find_table,
    frame,
    normalise,
    period_of_file,
    read_sheet,
)

SHEET = "Action plan"

HEADER = {
    "action_ref": ("Ref", "Action ref"),
    "priority": ("Priority", "Priority theme"),
    "action": ("Action",),
    "lead_partner": ("Lead partner", "Lead"),
    "status": ("Status", "Year end status"),
}

STATUSES = {"achieved": "Achieved", "on target": "On target", "not on target": "Not on target"}
"""The three statuses the monitoring uses, as the partnership writes them."""

COLUMNS = {
    "financial_year": "VARCHAR",
    "action_ref": "VARCHAR",
    "priority": "VARCHAR",
    "action": "VARCHAR",
    "lead_partner": "VARCHAR",
    "status": "VARCHAR",
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read the actions and their statuses; refuse a status the measure cannot count."""
    rows = read_sheet(partner_file, SHEET)
    table = find_table(rows, HEADER, file=partner_file.relative_path, sheet=SHEET)
    title = " ".join(
        str(cell) for number, cells in rows if number < table.header_row for cell in cells if cell
    )
    period = period_of_file(partner_file, financial_year(title), "sheet title", sheet=SHEET)

    records = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        ref = table.required_text(row, cells, "action_ref")
        if ref in seen:
            raise table.fail(f"action '{ref}' is listed twice (rows {seen[ref]} and {row})", row)
        seen[ref] = row
        written = table.required_text(row, cells, "status")
        status = STATUSES.get(normalise(written))
        if status is None:
            raise table.fail(
                f"'{written}' is not a status the monitoring uses ({', '.join(STATUSES.values())})",
                row,
                "status",
            )
        records.append(
            {
                "financial_year": period,
                "action_ref": ref,
                "priority": table.text(cells, "priority"),
                "action": table.required_text(row, cells, "action"),
                "lead_partner": table.text(cells, "lead_partner"),
                "status": status,
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the action plan lists no actions", table.header_row)
    return ParsedReturn(
        period=period,
        rows=frame(records, COLUMNS),
        source_file=f"{partner_file.relative_path}!{SHEET}",
    )


RETURN = ReturnSpec(
    source="community_safety",
    name="csp_actions",
    partner="Sevenoaks District Community Safety Partnership",
    description=(
        "Community Safety Partnership action plan monitoring: each action with its year-end "
        "status (Achieved, On target, Not on target), from the 'Action plan' sheet of the "
        "annual monitoring workbook."
    ),
    cadence="annual",
    file_patterns=("community_safety/csp_action_plan/*.xlsx",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("CSP action plan monitoring 2021-22.xlsx"),
)
