"""One You quarterly return: One You Kent referrals and the One You Your Home service.

There is no national format. Sevenoaks District Council's One You advisers (One You Kent,
commissioned by Kent County Council Public Health) and the One You Your Home project (with
Age UK Sevenoaks and Tonbridge, funded by the Better Care Fund) keep one CSV per financial
year, `one_you_return_YYYY-YY.csv`, with a row per district and quarter:

    Financial year,Quarter,District code,District,One You Kent referrals,
    One You Your Home clients,Goals set,Goals achieved,Notes

Counts are for the quarter: referrals received; new One You Your Home clients the advisers
worked with; goals those clients set; goals achieved. The file is re-sent each quarter with
the year so far, so the latest file for a year supersedes the earlier one through the
ledger. An empty cell means the figure was not reported and stays null, never zero.
"""

from __future__ import annotations

import re

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._csv_records import (
    cells_by_column,
    count,
    read_records,
    require_columns,
    to_frame,
)
from pipelines.settings import home_area

HEADER = (
    "Financial year",
    "Quarter",
    "District code",
    "District",
    "One You Kent referrals",
    "One You Your Home clients",
    "Goals set",
    "Goals achieved",
    "Notes",
)
COUNT_COLUMNS = {
    "One You Kent referrals": "one_you_kent_referrals",
    "One You Your Home clients": "your_home_clients",
    "Goals set": "goals_set",
    "Goals achieved": "goals_achieved",
}
COLUMNS = {
    "financial_year": "VARCHAR",
    "quarter": "VARCHAR",
    "district_code": "VARCHAR",
    "district_name": "VARCHAR",
    "one_you_kent_referrals": "BIGINT",
    "your_home_clients": "BIGINT",
    "goals_set": "BIGINT",
    "goals_achieved": "BIGINT",
    "notes": "VARCHAR",
}

FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
FILE_YEAR = re.compile(r"(\d{4})-(\d{2})\.csv$")
QUARTER = re.compile(r"^Q([1-4])\b", re.IGNORECASE)
AREA_CODE = re.compile(r"^E\d{8}$")


def financial_year(text: str) -> str | None:
    """`2019/20` when the text is a financial year written the council's way, else None."""
    match = FINANCIAL_YEAR.match(text.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        return None
    return text.strip()


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one year's quarterly One You return, refusing a file whose rows cannot be placed."""
    file = partner_file.relative_path
    header, records = read_records(partner_file.read_bytes(), file)
    require_columns(header, list(HEADER[:-1]), file, "the One You quarterly return columns")
    names = [name.strip() for name in header.fields]
    named_year = FILE_YEAR.search(file)
    file_year = f"{named_year[1]}/{named_year[2]}" if named_year else None

    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    for record in records:
        cells = cells_by_column(record, names, file)
        year = financial_year(cells["Financial year"])
        if year is None:
            raise ParseError(
                f"'{cells['Financial year']}' is not a financial year written like 2019/20",
                file=file,
                row=record.row,
                column="Financial year",
            )
        expected_year = file_year or (rows[0]["financial_year"] if rows else year)
        if year != expected_year:
            raise ParseError(
                f"financial year {year} differs from the file's year {expected_year}",
                file=file,
                row=record.row,
                column="Financial year",
            )
        quarter = QUARTER.match(cells["Quarter"].strip())
        if quarter is None:
            raise ParseError(
                f"'{cells['Quarter']}' is not a quarter (Q1 to Q4)",
                file=file,
                row=record.row,
                column="Quarter",
            )
        district_code = cells["District code"].strip()
        if not AREA_CODE.match(district_code):
            raise ParseError(
                f"'{district_code}' is not an ONS district code (like {home_area().district})",
                file=file,
                row=record.row,
                column="District code",
            )
        key = (district_code, f"Q{quarter[1]}")
        if key in seen:
            raise ParseError(
                f"{key[1]} for {district_code} is already given on row {seen[key]}",
                file=file,
                row=record.row,
                column="Quarter",
            )
        seen[key] = record.row
        row: dict[str, object] = {
            "financial_year": year,
            "quarter": key[1],
            "district_code": district_code,
            "district_name": cells["District"].strip() or None,
            "notes": cells.get("Notes", "").strip() or None,
            "source_row": record.row,
        }
        for header_name, column in COUNT_COLUMNS.items():
            row[column] = count(cells[header_name], file=file, row=record.row, column=header_name)
        rows.append(row)

    period = file_year or (rows[0]["financial_year"] if rows else None)
    if period is None:
        raise ParseError("the file has no rows and its name carries no financial year", file=file)
    return ParsedReturn(period=period, rows=to_frame(COLUMNS, rows), source_file=file)


RETURN = ReturnSpec(
    source="health",
    name="one_you",
    partner="Sevenoaks District Council (One You advisers)",
    description=(
        "One You quarterly return (one CSV per financial year, re-sent each quarter): "
        "referrals to One You Kent, One You Your Home clients, goals set and goals achieved."
    ),
    cadence="quarterly",
    file_patterns=("health/one_you/**/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("one_you_return_2021-22.csv"),
)
