"""GP care navigation return: interventions offered and accepted, by practice and month.

Reception and clerical staff in West Kent GP practices are trained as care navigators: a
patient asking for a GP appointment may be offered another service (nurse practitioner,
physiotherapist, community pharmacist, a community or wellbeing service) instead. NHS West
Kent CCG (NHS Kent and Medway from April 2020) sends the council one CSV per financial year,
`care_navigation_YYYY-YY.csv`, re-sent as months are added, a row per practice and month:

    Month,Practice code,Practice name,Locality,Interventions offered,Interventions accepted

`Month` is written as Excel exports it (`Apr-19`); `Locality` is the district the practice
serves (the CCG's localities are named after the districts). An empty count was not
reported and stays null, never zero.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._csv_records import (
    cells_by_column,
    count,
    read_records,
    require_columns,
    to_frame,
)

HEADER = (
    "Month",
    "Practice code",
    "Practice name",
    "Locality",
    "Interventions offered",
    "Interventions accepted",
)
COLUMNS = {
    "month": "VARCHAR",
    "month_start": "DATE",
    "financial_year": "VARCHAR",
    "practice_code": "VARCHAR",
    "practice_name": "VARCHAR",
    "locality": "VARCHAR",
    "interventions_offered": "BIGINT",
    "interventions_accepted": "BIGINT",
}

FILE_YEAR = re.compile(r"(\d{4})-(\d{2})\.csv$")
MONTH_FORMATS = ("%b-%y", "%b %Y", "%Y-%m")


def month_start(text: str) -> date | None:
    """First day of the month written `Apr-19` (or `Apr 2019`, `2019-04`), else None."""
    for month_format in MONTH_FORMATS:
        try:
            return datetime.strptime(text.strip(), month_format).date().replace(day=1)
        except ValueError:
            continue
    return None


def financial_year_of(day: date) -> str:
    start = day.year - (day.month < 4)
    return f"{start}/{(start + 1) % 100:02d}"


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one year of care navigation activity, refusing rows that cannot be placed."""
    file = partner_file.relative_path
    header, records = read_records(partner_file.read_bytes(), file)
    require_columns(header, list(HEADER), file, "the care navigation return columns")
    names = [name.strip() for name in header.fields]
    named_year = FILE_YEAR.search(file)
    file_year = f"{named_year[1]}/{named_year[2]}" if named_year else None

    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, date], int] = {}
    for record in records:
        cells = cells_by_column(record, names, file)
        month = month_start(cells["Month"])
        if month is None:
            raise ParseError(
                f"'{cells['Month']}' is not a month (written like Apr-19)",
                file=file,
                row=record.row,
                column="Month",
            )
        year = financial_year_of(month)
        expected_year = file_year or (rows[0]["financial_year"] if rows else year)
        if year != expected_year:
            raise ParseError(
                f"month {cells['Month']} is outside the file's financial year {expected_year}",
                file=file,
                row=record.row,
                column="Month",
            )
        practice = cells["Practice code"].strip()
        locality = cells["Locality"].strip()
        for column, text in (("Practice code", practice), ("Locality", locality)):
            if not text:
                raise ParseError("the cell is empty", file=file, row=record.row, column=column)
        if (practice, month) in seen:
            raise ParseError(
                f"{cells['Month']} for practice {practice} is already given on row "
                f"{seen[(practice, month)]}",
                file=file,
                row=record.row,
                column="Month",
            )
        seen[(practice, month)] = record.row
        rows.append(
            {
                "month": cells["Month"].strip(),
                "month_start": month,
                "financial_year": year,
                "practice_code": practice,
                "practice_name": cells["Practice name"].strip() or None,
                "locality": locality,
                "interventions_offered": count(
                    cells["Interventions offered"],
                    file=file,
                    row=record.row,
                    column="Interventions offered",
                ),
                "interventions_accepted": count(
                    cells["Interventions accepted"],
                    file=file,
                    row=record.row,
                    column="Interventions accepted",
                ),
                "source_row": record.row,
            }
        )

    period = file_year or (rows[0]["financial_year"] if rows else None)
    if period is None:
        raise ParseError("the file has no rows and its name carries no financial year", file=file)
    return ParsedReturn(period=period, rows=to_frame(COLUMNS, rows), source_file=file)


RETURN = ReturnSpec(
    source="health",
    name="care_navigation",
    partner="NHS West Kent CCG (NHS Kent and Medway from April 2020)",
    description=(
        "GP care navigation interventions offered and accepted, by West Kent practice and "
        "month (one CSV per financial year, re-sent as months are added)."
    ),
    cadence="monthly",
    file_patterns=("health/care_navigation/**/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("care_navigation_2021-22.csv"),
)
