"""Kent Police street-level crime: the monthly data.police.uk file, plain or inside the zip.

The file is the official 12-column format. Structure is checked here (columns, month,
coordinates) because a file with the wrong structure cannot be trusted at all; the values'
domains (crime types, LSOAs) are checked by the quality suite, so that a new crime type from
the police becomes a finding rather than a lost month.
"""

from __future__ import annotations

import re
import zipfile

import polars as pl

from pipelines.periods import MONTH, FilePeriods
from pipelines.returns import NotRead, ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._reading import read_text

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

KENT_STREET = "-kent-street.csv"
"""How the Kent force's street-level file ends, loose or inside the all-forces archive."""
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FILE_MONTH = re.compile(r"(\d{4}-\d{2})-kent-street\.csv$|(\d{4}-\d{2})\.zip$")


def _first_bad_row(ok: pl.Series) -> int:
    """The file row (header is row 1) of the first value that failed a check."""
    return int(ok.arg_min()) + 2


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one month of street-level crime, refusing anything that is not the real format."""
    source_file, data = partner_file.read_member(KENT_STREET)
    file_name = partner_file.relative_path
    text = read_text(data, file_name)
    try:
        frame = pl.read_csv(text.encode(), infer_schema=False, truncate_ragged_lines=False)
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
    if frame.is_empty():
        raise ParseError(
            "the file has a header and no rows: a month of Kent street-level crime is never "
            "empty, so the month's records are missing",
            file=file_name,
            row=2,
        )
    period = months[0]

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
    return ParsedReturn(
        period=period, rows=frame, source_file=source_file, notes=_other_members(partner_file)
    )


def _other_members(partner_file: PartnerFile) -> tuple[str, ...]:
    """What the all-forces archive holds besides Kent's street file, said once in the
    ledger: other forces' files and the outcomes and stop-and-search files are not read."""
    if partner_file.path.suffix.lower() != ".zip":
        return ()
    with zipfile.ZipFile(partner_file.path) as archive:
        others = [
            name
            for name in archive.namelist()
            if not name.endswith("/") and not name.endswith(KENT_STREET)
        ]
    if not others:
        return ()
    return (
        f"{len(others)} other file(s) in the archive are not for this warehouse (other forces' "
        "files, outcomes and stop and search): only Kent's street-level file is read",
    )


RETURN = ReturnSpec(
    source="police",
    name="street_crimes",
    partner="Kent Police",
    description=(
        "data.police.uk street-level crime and anti-social behaviour for the Kent force area, "
        "one file a month (YYYY-MM-kent-street.csv, loose in the monthly folder of the "
        "all-forces download or inside its zip; other forces' files and the outcomes and "
        "stop-and-search files are recorded as not read)."
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
    not_read=(
        NotRead(
            "police/**/*-outcomes.csv",
            "not for this warehouse: an outcomes file from the data.police.uk download "
            "(the warehouse reads street-level crime, whose last outcome it already has)",
        ),
        NotRead(
            "police/**/*-stop-and-search.csv",
            "not for this warehouse: a stop and search file from the data.police.uk download",
        ),
        NotRead(
            "police/**/*-street.csv",
            "not for this warehouse: another force's street-level file from the data.police.uk "
            "all-forces download (only Kent's, YYYY-MM-kent-street.csv, is read)",
        ),
    ),
)
