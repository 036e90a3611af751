"""MHCLG Live Table 1011, affordable housing supply, in its long format: one row per local
authority, year, tenure, completion or start, type and provider, with the number of units.

MHCLG republishes the whole series every year, revising earlier years, so each file is a
release named by the latest year it covers; the warehouse takes every year from the latest
release that contains it (see the housing contribution model). Zero rows are left out of
the table, so a year with no row for an authority means no units, not a missing return.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.periods import FINANCIAL_YEAR
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec, iter_csv_lines
from pipelines.settings import home_area

HEADER = ("LA code", "Year", "Tenure", "Completions", "Type", "Provider", "Units")

COLUMNS = {
    "area_code": "VARCHAR",
    "year": "VARCHAR",
    "tenure": "VARCHAR",
    "completions": "VARCHAR",
    "supply_type": "VARCHAR",
    "provider": "VARCHAR",
    "units": "BIGINT",
    "units_note": "VARCHAR",
}

AREA_CODE = re.compile(r"^[EWSN]\d{8}$")
YEAR = re.compile(r"^(\d{4})-(\d{2})$")
NOT_AVAILABLE = {
    "..": "not available (..) in Live Table 1011",
    "x": "suppressed (x) in Live Table 1011",
    "": "blank in Live Table 1011",
}


def _header_positions(header: list[str], file: str) -> dict[str, int]:
    """Where each expected column is, matched without regard to case or spaces; MHCLG adds
    columns (authority name, region) between releases, which are ignored."""
    found = {name.strip().lower(): i for i, name in enumerate(header)}
    positions = {}
    for name in HEADER:
        if name.lower() not in found:
            raise ParseError(
                f"column '{name}' is missing from the header (expected "
                f"{', '.join(HEADER)}; found {', '.join(header)})",
                file=file,
                row=1,
                column=name,
            )
        positions[name] = found[name.lower()]
    return positions


def _checked_year(text: str, file: str, row: int) -> str:
    match = YEAR.match(text)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ParseError(
            f"'{text}' is not a financial year written like 2017-18",
            file=file,
            row=row,
            column="Year",
        )
    return text


def _units(text: str, file: str, row: int) -> tuple[int | None, str | None]:
    if text in NOT_AVAILABLE:
        return None, NOT_AVAILABLE[text]
    cleaned = text.replace(",", "")
    if not cleaned.isdigit():
        raise ParseError(
            f"'{text}' is not a whole number of units", file=file, row=row, column="Units"
        )
    return int(cleaned), None


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one release of the long table, refusing rows whose code, year, completions flag
    or units cannot be trusted."""
    file = partner_file.relative_path
    lines = iter_csv_lines(partner_file.read_bytes(), partner_file.relative_path)
    header = next(lines, None)
    if not header:
        raise ParseError("the file is empty", file=file)
    positions = _header_positions(header, file)
    width = max(positions.values()) + 1
    rows = []
    for row_number, line in enumerate(lines, start=2):
        if not any(cell.strip() for cell in line):
            continue
        if len(line) < width:
            raise ParseError(
                f"the row has {len(line)} fields, fewer than the header's {len(header)}",
                file=file,
                row=row_number,
            )
        cell = {name: line[i].strip() for name, i in positions.items()}
        if not AREA_CODE.match(cell["LA code"]):
            raise ParseError(
                f"'{cell['LA code']}' is not an ONS local authority code "
                f"(like {home_area().district})",
                file=file,
                row=row_number,
                column="LA code",
            )
        if cell["Completions"] not in {"Y", "N"}:
            raise ParseError(
                f"'{cell['Completions']}' should be Y (completions) or N (starts on site)",
                file=file,
                row=row_number,
                column="Completions",
            )
        units, note = _units(cell["Units"], file, row_number)
        rows.append(
            {
                "area_code": cell["LA code"],
                "year": _checked_year(cell["Year"], file, row_number),
                "tenure": cell["Tenure"],
                "completions": cell["Completions"],
                "supply_type": cell["Type"],
                "provider": cell["Provider"],
                "units": units,
                "units_note": note,
                "source_row": row_number,
            }
        )
    if not rows:
        raise ParseError("the file has a header but no rows", file=file)
    frame = pl.DataFrame(
        rows,
        schema={
            **{name: pl.String for name in COLUMNS},
            "units": pl.Int64,
            "source_row": pl.Int64,
        },
    )
    return ParsedReturn(period=frame["year"].max(), rows=frame, source_file=file)


RETURN = ReturnSpec(
    source="housing",
    name="affordable_supply",
    partner="Ministry of Housing, Communities and Local Government (Live Table 1011)",
    description=(
        "Affordable housing supply, Live Table 1011 in long format: units started and "
        "completed by local authority, financial year, tenure, type and provider. Each "
        "annual release repeats and revises the whole series."
    ),
    cadence="annual",
    file_patterns=("housing/affordable_supply/**/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=270,
    period_kind=FINANCIAL_YEAR,
)
