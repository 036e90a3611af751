"""Partner measure return: the generic template for partners' small figures.

Several key success measures are one figure a year from a partner with no system export of
its own: web chats with the council, Kickstart placements approved, District Deal success
measures on target, Kent Fire and Rescue safe and well visits. The council's partnerships
team sends each partner the same template and collates what comes back into one CSV a
financial year, a row per figure:

    partner,measure,area_code,period,numerator,denominator,value,note

`measure` is the measure's identifier in the measure catalogue (pre-filled on the
template), `period` the financial year or a quarter or month within it, `value` the figure;
`numerator` and `denominator` when the figure is a proportion. A figure the partner could
not give has an empty value and a note saying why, never a zero. Because one file carries
a whole year for every partner, a corrected file replaces the year's earlier one.
"""

from __future__ import annotations

import re

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import find_table, frame, period_of_file, read_csv
from pipelines.settings import home_area

HEADER = {
    "partner": ("partner",),
    "measure_id": ("measure",),
    "area_code": ("area_code", "area code"),
    "period_id": ("period",),
    "numerator": ("numerator",),
    "denominator": ("denominator",),
    "value": ("value",),
    "note": ("note",),
}

AREA_CODE = re.compile(r"^[EWSN]\d{8}$")

COLUMNS = {
    "financial_year": "VARCHAR",
    "partner": "VARCHAR",
    "measure_id": "VARCHAR",
    "area_code": "VARCHAR",
    "period_id": "VARCHAR",
    "numerator": "DOUBLE",
    "denominator": "DOUBLE",
    "value": "DOUBLE",
    "note": "VARCHAR",
}


def periods_within(financial_year: str) -> set[str]:
    """The periods a row of a financial year's file may give: the year, its quarters, its months."""
    start = int(financial_year[:4])
    months = [f"{start + (m > 12)}-{(m - 1) % 12 + 1:02d}" for m in range(4, 16)]
    return {financial_year, *(f"{financial_year} Q{q}" for q in range(1, 5)), *months}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read each figure, refusing one outside the file's year or with neither value nor note."""
    name = partner_file.relative_path
    table = find_table(read_csv(partner_file), HEADER, file=name, stop_at_blank=False)
    period = period_of_file(partner_file, None, "file")
    allowed_periods = periods_within(period)

    records = []
    seen: dict[tuple[str, str, str], int] = {}
    for row, cells in table.rows:
        measure = table.required_text(row, cells, "measure_id")
        area_code = table.required_text(row, cells, "area_code")
        if not AREA_CODE.match(area_code):
            raise table.fail(
                f"'{area_code}' is not an ONS area code (such as {home_area().district})",
                row,
                "area_code",
            )
        period_id = table.required_text(row, cells, "period_id")
        if period_id not in allowed_periods:
            raise table.fail(
                f"'{period_id}' is not {period}, a quarter of it ({period} Q1) or one of its "
                "months (YYYY-MM)",
                row,
                "period_id",
            )
        key = (measure, area_code, period_id)
        if key in seen:
            raise table.fail(
                f"{measure} for {area_code} and {period_id} is given twice "
                f"(rows {seen[key]} and {row})",
                row,
            )
        seen[key] = row
        numbers = {
            column: table.number(row, cells, column, whole=False)[0]
            for column in ("numerator", "denominator", "value")
        }
        note = table.text(cells, "note")
        if numbers["value"] is None and note is None:
            raise table.fail("the value is empty and the note does not say why", row, "value")
        records.append(
            {
                "financial_year": period,
                "partner": table.required_text(row, cells, "partner"),
                "measure_id": measure,
                "area_code": area_code,
                "period_id": period_id,
                **numbers,
                "note": note,
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the file has no figures", table.header_row)
    return ParsedReturn(period=period, rows=frame(records, COLUMNS), source_file=name)


RETURN = ReturnSpec(
    source="council",
    name="partner_measures",
    partner="Sevenoaks District Council (partnerships team, collating partners' returns)",
    description=(
        "Generic partner measure return: one figure a row (partner, measure, area code, "
        "period, numerator, denominator, value, note), collated into one CSV a financial year."
    ),
    cadence="annual",
    file_patterns=("council/partner_measures/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("Partner measures 2021-22.csv"),
)
