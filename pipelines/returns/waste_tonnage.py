"""The council's waste tonnage return: tonnes sent to each destination, by quarter.

There is no national format. The waste team keeps a workbook per financial year with a
title block (`Financial year | 2021/22`) above a table of the year's quarters and the tonnes
recycled, composted, reused, sent for energy recovery and sent to landfill; a total row and
total column are tolerated and not read, since they are sums of what is read. The year is
the period: a workbook resent with later quarters filled in supersedes the earlier one.
Energy recovery is kept apart from recycling because the council's "not sent to landfill"
figure counts it while a recycling rate must not.
"""

from __future__ import annotations

import polars as pl

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._waste_tables import (
    Table,
    financial_year_label,
    find_table,
    is_total,
    missing_note,
    normalise,
    number,
    quarter_label,
    require,
)

TONNAGE_COLUMNS = {
    "recycled_tonnes": ("Recycled (tonnes)", "Recycled", "Recycling (tonnes)", "Recycling"),
    "composted_tonnes": ("Composted (tonnes)", "Composted", "Composting (tonnes)", "Composting"),
    "reused_tonnes": ("Reused (tonnes)", "Reused", "Reuse (tonnes)", "Reuse"),
    "energy_recovery_tonnes": (
        "Energy recovery (tonnes)",
        "Energy recovery",
        "Energy from waste (tonnes)",
        "Energy from waste",
    ),
    "landfill_tonnes": ("Landfill (tonnes)", "Landfill", "Landfilled (tonnes)"),
}
HEADINGS = {"quarter": ("Quarter", "Period"), **TONNAGE_COLUMNS}

COLUMNS = {
    "financial_year": "VARCHAR",
    "quarter": "VARCHAR",
    **dict.fromkeys(TONNAGE_COLUMNS, "DOUBLE"),
    "missing_columns": "VARCHAR",
    "source_sheet": "VARCHAR",
}

_SCHEMA = {
    "financial_year": pl.String,
    "quarter": pl.String,
    **dict.fromkeys(TONNAGE_COLUMNS, pl.Float64),
    "missing_columns": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
}


def _stated_year(table: Table) -> str | None:
    """The financial year written beside a 'Financial year' label in the title block."""
    for cells in table.above:
        texts = [c.strip() for c in cells if c.strip()]
        if len(texts) >= 2 and normalise(texts[0]).rstrip(":") == "financial year":
            year = financial_year_label(texts[1])
            if year is None:
                raise table.error(f"'{texts[1]}' above the table is not a financial year")
            return year
    return None


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one financial year's tonnes by destination, a row per quarter."""
    table = find_table(partner_file, HEADINGS, "tonnage by destination table")
    require(table, list(HEADINGS))
    year = _stated_year(table)
    records: list[dict] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        label = table.cell(cells, "quarter")
        if is_total(label):
            continue
        if not any(table.cell(cells, c) for c in TONNAGE_COLUMNS):
            continue  # a note under the table
        quarter = quarter_label(label, year)
        if quarter is None:
            expected = f"a quarter of {year} such as Q1" if year else "a quarter such as 2021/22 Q1"
            raise table.error(f"'{label}' is not {expected}", row=row, column="quarter")
        year = year or quarter[:7]
        if quarter in seen:
            raise table.error(
                f"{quarter} appears twice (rows {seen[quarter]} and {row})",
                row=row,
                column="quarter",
            )
        seen[quarter] = row
        records.append(
            {
                "financial_year": year,
                "quarter": quarter,
                **{c: number(table, cells, c, row) for c in TONNAGE_COLUMNS},
                "missing_columns": missing_note(table, cells, list(TONNAGE_COLUMNS)),
                "source_sheet": table.sheet,
                "source_row": row,
            }
        )
    if not records or year is None:
        raise table.error("the tonnage table has no quarter rows", row=table.header_row)
    return ParsedReturn(
        period=year,
        rows=pl.DataFrame(records, schema=_SCHEMA),
        source_file=partner_file.relative_path,
    )


RETURN = ReturnSpec(
    source="waste",
    name="tonnage_by_destination",
    partner="Sevenoaks District Council (Direct Services)",
    description=(
        "The waste team's tonnage return: tonnes of collected waste recycled, composted, "
        "reused, sent for energy recovery and sent to landfill, by quarter, one workbook "
        "(or CSV) per financial year."
    ),
    cadence="annual",
    file_patterns=("waste/tonnage/**/*.xlsx", "waste/tonnage/**/*.csv"),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=60,
    periods=financial_year_files("waste_tonnage_by_destination_2021-22.xlsx"),
)
