"""Kent Police street-level crime: the monthly data.police.uk file, plain or inside the zip.

The file is the official 12-column format. Structure is checked here (columns, month,
coordinates) because a file with the wrong structure cannot be trusted at all; the values'
domains (crime types, LSOAs) are checked by the quality suite, so that a new crime type from
the police becomes a finding rather than a lost month.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.periods import MONTH, FilePeriods
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec

HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)

COLUMNS = {
    "crime_id": "VARCHAR",
    "month": "VARCHAR",
    "reported_by": "VARCHAR",
    "falls_within": "VARCHAR",
    "longitude": "DOUBLE",
    "latitude": "DOUBLE",
    "location": "VARCHAR",
    "lsoa_code": "VARCHAR",
    "lsoa_name": "VARCHAR",
    "crime_type": "VARCHAR",
    "last_outcome_category": "VARCHAR",
    "context": "VARCHAR",
}

MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FILE_MONTH = re.compile(r"(\d{4}-\d{2})-kent-street\.csv$|(\d{4}-\d{2})\.zip$")


def _first_bad_row(ok: pl.Series) -> int:
    """The file row (header is row 1) of the first value that failed a check."""
    return int(ok.arg_min()) + 2


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one month of street-level crime, refusing anything that is not the real format."""
    source_file, data = partner_file.read_member("-kent-street.csv")
    file_name = partner_file.relative_path
    try:
        frame = pl.read_csv(data, infer_schema=False, truncate_ragged_lines=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        raise ParseError(f"not a readable CSV file ({error})", file=file_name) from error

    header = tuple(frame.columns)
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        raise ParseError(
            "the header is a single column: the file seems to use another delimiter than commas",
            file=file_name,
            row=1,
        )
    missing = [column for column in HEADER if column not in header]
    if missing:
        raise ParseError(
            f"column '{missing[0]}' is missing from the header (expected the 12 data.police.uk "
            f"columns; found {', '.join(header)})",
            file=file_name,
            row=1,
            column=missing[0],
        )

    frame = frame.select(
        pl.col(original).alias(column) for original, column in zip(HEADER, COLUMNS, strict=True)
    )
    month_ok = frame["month"].fill_null("").str.contains(MONTH_PATTERN.pattern)
    if not month_ok.all():
        row = _first_bad_row(month_ok)
        raise ParseError(
            f"'{frame['month'][row - 2]}' is not a month in the form YYYY-MM",
            file=file_name,
            row=row,
            column="Month",
        )
    months = frame["month"].unique().to_list()
    named = FILE_MONTH.search(partner_file.relative_path)
    file_month = next((g for g in named.groups() if g), None) if named else None
    if len(months) > 1 or (file_month and months and months[0] != file_month):
        expected = file_month or months[0]
        row = _first_bad_row(frame["month"] == expected)
        raise ParseError(
            f"month '{frame['month'][row - 2]}' differs from the file's month {expected}",
            file=file_name,
            row=row,
            column="Month",
        )
    period = months[0] if months else file_month
    if period is None:
        raise ParseError("the file has no rows and its name carries no month", file=file_name)

    for column, label in (("longitude", "Longitude"), ("latitude", "Latitude")):
        text = frame[column].fill_null("")
        number = text.cast(pl.Float64, strict=False)
        ok = (text == "") | number.is_not_null()
        if not ok.all():
            row = _first_bad_row(ok)
            raise ParseError(
                f"'{text[row - 2]}' is not a number", file=file_name, row=row, column=label
            )
        frame = frame.with_columns(number.alias(column))

    frame = frame.with_row_index("source_row", offset=2).with_columns(
        pl.col("source_row").cast(pl.Int64)
    )
    return ParsedReturn(period=period, rows=frame, source_file=source_file)


RETURN = ReturnSpec(
    source="police",
    name="street_crimes",
    partner="Kent Police",
    description=(
        "data.police.uk street-level crime and anti-social behaviour for the Kent force area, "
        "one file a month (YYYY-MM-kent-street.csv, optionally inside the monthly zip)."
    ),
    cadence="monthly",
    file_patterns=("police/**/*-kent-street.csv", "police/**/*.zip"),
    columns=COLUMNS,
    parse=parse,
    first_period="2017-04",
    due_days=60,
    periods=FilePeriods(
        MONTH,
        r"^(?P<year>\d{4})-(?P<month>\d{2})(?!\d)",
        "2021-04-kent-street.csv",
    ),
)
