"""Defra ENV18, local authority collected waste: the annual tonnage table for every English
authority, as the CSV or as the release spreadsheet (ODS or Excel).

One release covers several financial years (the 2017/18 release has 2014-15 to 2017-18) and
later releases revise earlier years, so the period a file covers is its range of years and
the ledger keeps, for each year, the latest release that holds it
(`ledger.submission_periods`); the `accepted` view shows only that release's rows. The tonnage
table is found by its header in whichever sheet holds it (`Table_1` in the release), since
the spreadsheet also has metadata, notes and indicator sheets. Defra writes `-` where an
authority reported nothing: that becomes null and the row's `missing_columns` says where,
never a zero. Negative tonnages are real (rejects netted off) and are kept.
"""

from __future__ import annotations

import polars as pl

from pipelines.periods import FINANCIAL_YEAR
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._waste_tables import (
    financial_year_label,
    find_table,
    missing_note,
    normalise,
    number,
    require,
    whole_number,
)

AUTHORITY_COLUMNS = {
    "financial_year": ("Financial Year", "Year"),
    "region": ("Region",),
    "ons_code": ("ONS Code",),
    "jpp_order": ("JPP order",),
    "local_authority": ("Local Authority", "Authority"),
    "authority_type": ("Authority type",),
}

TONNAGE_COLUMNS = {
    "total_collected_tonnes": ("Total local authority collected waste (tonnes)",),
    "household_total_tonnes": ("Household - total waste (tonnes)",),
    "household_recycled_tonnes": (
        "Household - waste sent for recycling/composting/reuse (tonnes)",
    ),
    "household_dry_recycling_tonnes": ("Household dry recycling/reuse (tonnes)",),
    "household_green_recycling_tonnes": ("Household green recycling/reuse (tonnes)",),
    "household_not_recycled_tonnes": ("Household - waste not sent for recycling (tonnes)",),
    "household_regular_collection_not_recycled_tonnes": (
        "Household - regular collection (not recycled) (tonnes)",
    ),
    "household_civic_amenity_not_recycled_tonnes": (
        "Household - civic amenity sites (not recycled) (tonnes)",
    ),
    "household_other_not_recycled_tonnes": ("Household - other sources (not recycled) (tonnes)",),
    "household_rejects_tonnes": ("Household - estimated rejects (tonnes)",),
    "non_household_total_tonnes": ("Non-household - total waste (tonnes)",),
    "non_household_recycled_tonnes": (
        "Non-household - waste sent for recycling/composting/reuse (tonnes)",
    ),
    # The real header has a trailing space here; headings are compared without it.
    "non_household_not_recycled_tonnes": ("Non-household - waste not sent for recycling (tonnes)",),
    "non_household_rejects_tonnes": ("Non-household - estimated rejects (tonnes)",),
    "collected_recycled_tonnes": (
        "Local authority collected waste - sent for recycling/composting/reuse (tonnes)",
    ),
    "collected_not_recycled_tonnes": (
        "Local authority collected waste - not sent for recycling (tonnes)",
    ),
    "collected_rejects_tonnes": ("Local authority collected - estimated rejects (tonnes)",),
}

HEADINGS = {**AUTHORITY_COLUMNS, **TONNAGE_COLUMNS}
NOTES_HEADINGS = frozenset({"notes", "note", "source"})
"""First cells of the lines under the table where Defra's notes begin."""

COLUMNS = {
    "financial_year": "VARCHAR",
    "region": "VARCHAR",
    "ons_code": "VARCHAR",
    "jpp_order": "INTEGER",
    "local_authority": "VARCHAR",
    "authority_type": "VARCHAR",
    **dict.fromkeys(TONNAGE_COLUMNS, "DOUBLE"),
    "missing_columns": "VARCHAR",
    "source_sheet": "VARCHAR",
}

_SCHEMA = {
    **dict.fromkeys(AUTHORITY_COLUMNS, pl.String),
    "jpp_order": pl.Int32,
    **dict.fromkeys(TONNAGE_COLUMNS, pl.Float64),
    "missing_columns": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read the ENV18 tonnage table, one row per authority and financial year."""
    table = find_table(partner_file, HEADINGS, "ENV18 tonnage table")
    require(table, list(HEADINGS))
    records: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        year = table.cell(cells, "financial_year")
        if normalise(year).rstrip(":") in NOTES_HEADINGS:
            break  # the notes under the table, some indented into the region column
        if financial_year_label(year) is None:
            if not any(table.cell(cells, c) for c in HEADINGS if c != "financial_year"):
                continue  # a note or source line under the table
            raise table.error(
                f"'{year}' is not a financial year such as 2017-18",
                row=row,
                column="financial_year",
            )
        ons_code = table.cell(cells, "ons_code")
        if not ons_code:
            raise table.error("the ONS code is empty", row=row, column="ons_code")
        if (year, ons_code) in seen:
            raise table.error(
                f"{ons_code} appears twice for {year} (rows {seen[year, ons_code]} and {row})",
                row=row,
                column="ons_code",
            )
        seen[year, ons_code] = row
        records.append(
            {
                **{c: table.cell(cells, c) or None for c in AUTHORITY_COLUMNS},
                "jpp_order": whole_number(table, cells, "jpp_order", row),
                **{c: number(table, cells, c, row) for c in TONNAGE_COLUMNS},
                "missing_columns": missing_note(table, cells, list(TONNAGE_COLUMNS)),
                "source_sheet": table.sheet,
                "source_row": row,
            }
        )
    if not records:
        raise table.error("the tonnage table has no rows", row=table.header_row)
    years = sorted({financial_year_label(r["financial_year"]) for r in records})
    period = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return ParsedReturn(
        period=period,
        rows=pl.DataFrame(records, schema=_SCHEMA),
        source_file=partner_file.relative_path,
        notes=(
            f"holds {len(years)} financial year(s), {period}: each year comes from the latest "
            "release that holds it (ledger.submission_periods says which)",
        ),
    )


RETURN = ReturnSpec(
    source="waste",
    name="env18_collected_waste",
    partner="Defra",
    description=(
        "ENV18 local authority collected waste statistics: tonnes of household and "
        "non-household waste, recycled or not, for every English authority and financial "
        "year in the release (CSV, or the ODS/Excel release with the table in Table_1)."
    ),
    cadence="annual",
    file_patterns=(
        "waste/env18/**/*.csv",
        "waste/env18/**/*.ods",
        "waste/env18/**/*.xlsx",
    ),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=300,
    period_kind=FINANCIAL_YEAR,
    period_column="financial_year",
    row_period=financial_year_label,
)
