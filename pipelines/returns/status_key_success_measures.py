"""Lead partners' status returns: each key success measure's status and commentary for a year.

Every lead partner of the Community Plan fills in one CSV a year for the key success measures
it leads: the council pre-fills plan, ref and financial year; the partner writes the status
(Achieved, On target or Not achieved), a commentary and who completed it. The file sits in
the partner's own folder, `status/<partner-slug>/2021-22-key-success-measures.csv`.

The ledger period is the financial year followed by the partner's folder name
(`2021/22 kent-police`): supersession works per return and period, and with the year alone
one partner's return would supersede every other partner's for that year. A corrected file
from the same partner for the same year still supersedes the earlier one.

Statuses are checked here, because a status the warehouse cannot read would silently drop a
measure from the count of measures achieved; whether a ref belongs to the plan in that year is
checked in the warehouse against the key success measure catalogue.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.periods import financial_year_files
from pipelines.returns import (
    ParsedReturn,
    ParseError,
    PartnerFile,
    ReturnSpec,
    Sender,
    iter_csv_lines,
)

HEADER = ("Plan", "Ref", "Financial year", "Status", "Commentary", "Completed by")
"""Columns of the template, in its order; the template may add a read-only
`Key success measure` column with the measure's wording, which is not loaded."""

COLUMNS = {
    "plan": "VARCHAR",
    "ref": "VARCHAR",
    "financial_year": "VARCHAR",
    "status": "VARCHAR",
    "commentary": "VARCHAR",
    "completed_by": "VARCHAR",
    "partner_slug": "VARCHAR",
}

STATUSES = ("Achieved", "On target", "Not achieved")
"""The statuses a lead partner may return, as the monitoring reports print them."""

REF_PATTERN = re.compile(r"^(sus|s|c|g|h|d)(\d{1,2})$", re.IGNORECASE)
REF_PREFIXES = {"sus": "Sus", "s": "S", "c": "C", "g": "G", "h": "H", "d": "D"}
PLAN_PATTERN = re.compile(r"^[a-z]+(_[a-z]+)*_\d{4}_\d{2}$")
YEAR_PATTERN = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2})$")
FILE_PATTERN = re.compile(
    r"^status/([a-z0-9]+(?:-[a-z0-9]+)*)/(\d{4})-(\d{2})-key-success-measures\.csv$"
)


def _normalise_header(name: str) -> str:
    return " ".join(name.split()).casefold()


def _plan(text: str) -> str | None:
    """`Community Plan 2019-22` and `community_plan_2019_22` both name the same plan."""
    plan = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")
    return plan if PLAN_PATTERN.match(plan) else None


def _ref(text: str) -> str | None:
    """The stable 2019/20 ref (`S1`, `Sus2`), however the partner spaced or cased it."""
    match = REF_PATTERN.match("".join(text.split()))
    if match is None:
        return None
    return f"{REF_PREFIXES[match.group(1).casefold()]}{int(match.group(2))}"


def _financial_year(text: str) -> str | None:
    """`2021/22` (or `2021-22`), only when the second year follows the first."""
    match = YEAR_PATTERN.match(text.strip())
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        return None
    return f"{match.group(1)}/{match.group(2)}"


def _status(text: str) -> str | None:
    wanted = " ".join(text.split()).casefold()
    return next((status for status in STATUSES if status.casefold() == wanted), None)


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one lead partner's statuses for one year, refusing anything it cannot trust."""
    file_name = partner_file.relative_path
    named = FILE_PATTERN.match(file_name)
    if named is None:
        raise ParseError(
            "a status return must be named status/<partner>/YYYY-YY-key-success-measures.csv, "
            "in the lead partner's own folder",
            file=file_name,
        )
    partner_slug = named.group(1)
    file_year = _financial_year(f"{named.group(2)}/{named.group(3)}")
    if file_year is None:
        raise ParseError(
            f"the file name's year {named.group(2)}-{named.group(3)} is not a financial year",
            file=file_name,
        )

    lines = list(iter_csv_lines(partner_file.read_bytes(), partner_file.relative_path))
    if not lines:
        raise ParseError("the file is empty", file=file_name)
    header = [_normalise_header(name) for name in lines[0]]
    positions = {}
    for column in HEADER:
        if _normalise_header(column) not in header:
            raise ParseError(
                f"column '{column}' is missing from the header (expected "
                f"{', '.join(HEADER)}; found {', '.join(lines[0])})",
                file=file_name,
                row=1,
                column=column,
            )
        positions[column] = header.index(_normalise_header(column))

    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    for row_number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for column, index in positions.items()
        }
        record = _read_row(values, file_name, row_number, file_year)
        key = (record["plan"], record["ref"])
        if key in seen:
            raise ParseError(
                f"{record['ref']} is returned twice (first on row {seen[key]})",
                file=file_name,
                row=row_number,
                column="Ref",
            )
        seen[key] = row_number
        records.append({**record, "partner_slug": partner_slug, "source_row": row_number})
    if not records:
        raise ParseError("the file has a header but no key success measure", file=file_name)

    rows = pl.DataFrame(
        records, schema={**dict.fromkeys(COLUMNS, pl.String), "source_row": pl.Int64}
    )
    return ParsedReturn(
        period=f"{file_year} {partner_slug}", rows=rows, source_file=partner_file.relative_path
    )


def _read_row(
    values: dict[str, str], file_name: str, row_number: int, file_year: str
) -> dict[str, str | None]:
    """One partner row, checked cell by cell, with the error naming the cell."""
    plan = _plan(values["Plan"])
    if plan is None:
        raise ParseError(
            f"'{values['Plan']}' is not a plan (write it as the template does, "
            "e.g. community_plan_2019_22)",
            file=file_name,
            row=row_number,
            column="Plan",
        )
    ref = _ref(values["Ref"])
    if ref is None:
        raise ParseError(
            f"'{values['Ref']}' is not a key success measure ref (S1, C4, Sus2, ...)",
            file=file_name,
            row=row_number,
            column="Ref",
        )
    year = _financial_year(values["Financial year"])
    if year is None:
        raise ParseError(
            f"'{values['Financial year']}' is not a financial year in the form 2021/22",
            file=file_name,
            row=row_number,
            column="Financial year",
        )
    if year != file_year:
        raise ParseError(
            f"financial year {year} differs from the file's year {file_year}",
            file=file_name,
            row=row_number,
            column="Financial year",
        )
    status = _status(values["Status"])
    if status is None:
        shown = f"'{values['Status']}' is not a status" if values["Status"] else "status is empty"
        raise ParseError(
            f"{shown}: write {', '.join(STATUSES[:-1])} or {STATUSES[-1]}",
            file=file_name,
            row=row_number,
            column="Status",
        )
    return {
        "plan": plan,
        "ref": ref,
        "financial_year": year,
        "status": status,
        "commentary": values["Commentary"] or None,
        "completed_by": values["Completed by"] or None,
    }


RETURN = ReturnSpec(
    source="status",
    name="key_success_measures",
    partner="Community Plan lead partners",
    description=(
        "Each lead partner's status (Achieved, On target, Not achieved) and commentary for the "
        "key success measures it leads, one CSV per partner per financial year "
        "(status/<partner>/YYYY-YY-key-success-measures.csv)."
    ),
    cadence="annual",
    file_patterns=("status/*/*-key-success-measures.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2019/20",
    due_days=30,
    senders=(
        Sender("Sevenoaks District Community Safety Partnership", "community-safety-partnership"),
        Sender("Kent Police", "kent-police"),
        Sender("Kent County Council", "kent-county-council"),
        Sender("Sevenoaks District Council", "sevenoaks-district-council"),
        Sender("Sevenoaks Local Children's Partnership Group", "local-childrens-partnership-group"),
        Sender("Sevenoaks District Health Action Team", "health-action-team"),
    ),
    periods=financial_year_files("2021-22-key-success-measures.csv"),
)
