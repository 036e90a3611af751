"""Sevenoaks District Council's private sector housing grants return: Disabled Facilities,
Hospital Discharge and Safe and Secure grants completed, with their value, a file a
financial year (`Private_Sector_Housing_Grants_2019-20.csv`, exported from the team's
workbook).

There is no national format, so the parser reads what the team's export holds: a short
preamble naming the financial year, then a table of quarter, grant type, grants completed
and value in pounds (written `£758,817.95`), then a total per grant type. The totals are
checked against the quarters and then dropped, so they are never counted twice; a grant
type given only as a total is kept as a whole-year row.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec, iter_csv_lines

COLUMNS = {
    "financial_year": "VARCHAR",
    "quarter": "VARCHAR",
    "grant_type": "VARCHAR",
    "grant_scheme": "VARCHAR",
    "grants_completed": "BIGINT",
    "value_pounds": "DOUBLE",
    "figure_note": "VARCHAR",
}

HEADINGS = {
    "quarter": "Quarter",
    "grant_type": "Grant type",
    "grants_completed": "Grants completed",
    "value_pounds": "Value",
}
"""Each column's heading, matched on how it starts (`Value of grants completed (£)`)."""

GRANT_SCHEMES = {
    "disabledfacilities": "disabled_facilities",
    "dfg": "disabled_facilities",
    "hospitaldischarge": "hospital_discharge",
    "hdg": "hospital_discharge",
    "safeandsecure": "safe_and_secure",
    "safesecure": "safe_and_secure",
}
"""Grant types as the team writes them (letters only, without `grant(s)`), to the scheme."""

FINANCIAL_YEAR = re.compile(r"(20\d\d)\s*[-/]\s*(\d\d)(?!\d)")
QUARTER = re.compile(r"^Q([1-4])\b", re.IGNORECASE)
MONEY = re.compile(r"^-?£?\s*-?[\d,]+(\.\d{1,2})?$")
COUNT = re.compile(r"^\d+$")


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def grant_scheme(grant_type: str) -> str | None:
    """The scheme a grant type belongs to, or None for a type the council has not used."""
    key = re.sub(r"grants?$", "", _letters(grant_type))
    return GRANT_SCHEMES.get(key)


def _grant_key(record: dict) -> str:
    """What identifies a grant type across spellings: its scheme, or its letters if unknown."""
    return record["grant_scheme"] or _letters(record["grant_type"])


def _financial_year(text: str) -> str | None:
    match = FINANCIAL_YEAR.search(text)
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        return None
    return f"{start}/{end:02d}"


def _find_header(lines: list[list[str]], file: str) -> tuple[int, dict[str, int]]:
    for i, line in enumerate(lines):
        cells = [_letters(cell) for cell in line]
        if "granttype" not in cells:
            continue
        positions = {}
        for column, heading in HEADINGS.items():
            wanted = _letters(heading)
            found = [j for j, cell in enumerate(cells) if cell.startswith(wanted)]
            if not found:
                raise ParseError(
                    f"the table has no '{heading}' column (found: {', '.join(line)})",
                    file=file,
                    row=i + 1,
                    column=heading,
                )
            positions[column] = found[0]
        return i, positions
    raise ParseError("cannot find the table: no row has a 'Grant type' column heading", file=file)


def _count(text: str, file: str, row: int, column: str) -> int | None:
    if text == "":
        return None
    if not COUNT.match(text):
        raise ParseError(
            f"'{text}' is not a whole number of grants", file=file, row=row, column=column
        )
    return int(text)


def _pounds(text: str, file: str, row: int, column: str) -> float | None:
    if text == "":
        return None
    if not MONEY.match(text):
        raise ParseError(
            f"'{text}' is not an amount in pounds (like £4,193.00)",
            file=file,
            row=row,
            column=column,
        )
    return float(text.replace("£", "").replace(",", "").replace(" ", ""))


def _year_of(lines: list[list[str]], header_row: int, file: str) -> str:
    """The financial year, from the preamble and the file name; they must agree."""
    from_preamble = next(
        (
            year
            for line in lines[:header_row]
            for year in [_financial_year(" ".join(line))]
            if year is not None
        ),
        None,
    )
    from_name = _financial_year(file.rsplit("/", 1)[-1])
    if from_preamble and from_name and from_preamble != from_name:
        raise ParseError(
            f"the file says it covers {from_preamble} but its name says {from_name}", file=file
        )
    year = from_preamble or from_name
    if year is None:
        raise ParseError(
            "neither the file nor its name says which financial year it covers (like 2019/20)",
            file=file,
        )
    return year


def _check_totals(rows: list[dict], totals: list[dict], file: str) -> list[dict]:
    """Drop each total after checking it against its quarters; keep a total that has no
    quarters as the year's only figure for that grant type."""
    whole_years = []
    for total in totals:
        quarters = [r for r in rows if _grant_key(r) == _grant_key(total)]
        if not quarters:
            whole_years.append({**total, "quarter": None})
            continue
        for field, heading, tolerance in (
            ("grants_completed", "Grants completed", 0),
            ("value_pounds", "Value", 0.005),
        ):
            parts = [r[field] for r in quarters]
            if total[field] is None or any(part is None for part in parts):
                continue
            if abs(sum(parts) - total[field]) > tolerance:
                raise ParseError(
                    f"the total for {total['grant_type']} ({total[field]:,}) differs from "
                    f"its quarters, which add up to {sum(parts):,}",
                    file=file,
                    row=total["source_row"],
                    column=heading,
                )
    return whole_years


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one financial year's grants, a row per quarter and grant type."""
    file = partner_file.relative_path
    lines = list(iter_csv_lines(partner_file.read_bytes(), partner_file.relative_path))
    header_row, position = _find_header(lines, file)
    year = _year_of(lines, header_row, file)
    headings = lines[header_row]
    rows: list[dict] = []
    totals: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for i in range(header_row + 1, len(lines)):
        line = [cell.strip() for cell in lines[i]] + [""] * len(headings)
        cell = {name: line[j] for name, j in position.items()}
        if not any(cell.values()):
            continue
        row_number = i + 1
        quarter = QUARTER.match(cell["quarter"])
        is_total = cell["quarter"].lower().startswith("total")
        if not quarter and not is_total:
            raise ParseError(
                f"'{cell['quarter']}' is not a quarter (Q1 to Q4) or Total",
                file=file,
                row=row_number,
                column=headings[position["quarter"]],
            )
        if cell["grant_type"] == "":
            raise ParseError(
                "the grant type is blank",
                file=file,
                row=row_number,
                column=headings[position["grant_type"]],
            )
        count = _count(
            cell["grants_completed"], file, row_number, headings[position["grants_completed"]]
        )
        value = _pounds(cell["value_pounds"], file, row_number, headings[position["value_pounds"]])
        notes = [
            f"{label} not given in the return"
            for label, figure in (("grants completed", count), ("value", value))
            if figure is None
        ]
        record = {
            "financial_year": year,
            "quarter": f"Q{quarter.group(1)}" if quarter else None,
            "grant_type": cell["grant_type"],
            "grant_scheme": grant_scheme(cell["grant_type"]),
            "grants_completed": count,
            "value_pounds": value,
            "figure_note": "; ".join(notes) or None,
            "source_row": row_number,
        }
        if is_total:
            totals.append(record)
            continue
        key = (record["quarter"], _grant_key(record))
        if key in seen:
            raise ParseError(
                f"{cell['grant_type']} appears twice for {record['quarter']} "
                f"(rows {seen[key]} and {row_number})",
                file=file,
                row=row_number,
                column=headings[position["grant_type"]],
            )
        seen[key] = row_number
        rows.append(record)
    rows.extend(_check_totals(rows, totals, file))
    if not rows:
        raise ParseError("the table has headings but no grants", file=file)
    frame = pl.DataFrame(
        rows,
        schema={
            **{name: pl.String for name in COLUMNS},
            "grants_completed": pl.Int64,
            "value_pounds": pl.Float64,
            "source_row": pl.Int64,
        },
    )
    return ParsedReturn(period=year, rows=frame, source_file=file)


RETURN = ReturnSpec(
    source="housing",
    name="private_sector_grants",
    partner="Sevenoaks District Council Private Sector Housing",
    description=(
        "Private sector housing grants completed (Disabled Facilities, Hospital Discharge, "
        "Safe and Secure), count and value in pounds by quarter, a CSV a financial year."
    ),
    cadence="annual",
    file_patterns=("housing/private_sector_grants/**/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("Private_Sector_Housing_Grants_2021-22.csv"),
)
