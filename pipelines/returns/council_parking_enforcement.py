"""Parking enforcement: the council's parking team's monthly enforcement figures.

One CSV a financial year, a row a month: penalty charge notices (PCNs) issued on street
and in the council's car parks, warning notices issued, and PCNs later cancelled. The
Community Plan counts enforcement actions taken against dangerously or illegally parked
vehicles: every PCN and warning notice issued (a cancelled PCN was still an action taken).
The sheet's Total row is ignored; the warehouse adds the months and notes a missing one.
"""

from __future__ import annotations

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import (
    financial_year_start,
    find_table,
    frame,
    month_start,
    normalise,
    period_of_file,
    read_csv,
)

HEADER = {
    "month": ("Month",),
    "pcns_on_street": ("PCNs issued (on-street)", "On-street PCNs issued"),
    "pcns_car_parks": ("PCNs issued (car parks)", "Car park PCNs issued"),
    "warning_notices": ("Warning notices issued",),
    "pcns_cancelled": ("PCNs cancelled",),
}

COLUMNS = {
    "financial_year": "VARCHAR",
    "month_start": "DATE",
    "pcns_on_street": "INTEGER",
    "pcns_car_parks": "INTEGER",
    "warning_notices": "INTEGER",
    "pcns_cancelled": "INTEGER",
    "value_note": "VARCHAR",
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one row per month; the financial year comes from the file name."""
    name = partner_file.relative_path
    table = find_table(read_csv(partner_file), HEADER, file=name, stop_at_blank=False)
    period = period_of_file(partner_file, None, "file")
    first_month = financial_year_start(period)

    records = []
    seen: dict[object, int] = {}
    for row, cells in table.rows:
        if normalise(table.value(cells, "month")).startswith("total"):
            continue
        month = month_start(table.value(cells, "month"))
        if month is None:
            raise table.fail(
                f"'{table.text(cells, 'month')}' is not a month (such as Apr-21)", row, "month"
            )
        offset = (month.year - first_month.year) * 12 + month.month - first_month.month
        if not 0 <= offset < 12:
            raise table.fail(f"{month:%b %Y} is outside the financial year {period}", row, "month")
        if month in seen:
            raise table.fail(f"{month:%b %Y} is listed twice (rows {seen[month]} and {row})", row)
        seen[month] = row
        counts = {}
        notes = []
        for column in ("pcns_on_street", "pcns_car_parks", "warning_notices", "pcns_cancelled"):
            counts[column], note = table.number(row, cells, column)
            if counts[column] is None:
                notes.append(f"{table.labels[column]} {note}")
        records.append(
            {
                "financial_year": period,
                "month_start": month,
                **counts,
                "value_note": "; ".join(notes) or None,
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the file has no monthly rows", table.header_row)
    return ParsedReturn(period=period, rows=frame(records, COLUMNS), source_file=name)


RETURN = ReturnSpec(
    source="council",
    name="parking_enforcement",
    partner="Sevenoaks District Council",
    description=(
        "Parking team's monthly enforcement: penalty charge notices issued on street and in "
        "car parks, warning notices issued and PCNs cancelled; one CSV a financial year."
    ),
    cadence="annual",
    file_patterns=("council/parking/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("Parking enforcement 2021-22.csv"),
)
