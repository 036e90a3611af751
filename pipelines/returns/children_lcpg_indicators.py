"""Sevenoaks Local Children's Partnership Group core indicators, from Kent County Council.

Once a year KCC's partnership officer sends the LCPG its indicator workbook: an
`Indicators` sheet with a row per indicator and period giving Sevenoaks' figure (and its
numerator and denominator where KCC has them), the target, the benchmark group's figure
and the national figure with the nation it covers (England, or England and Wales for youth
justice). Indicators keep their own periods: an academic year for early years attainment,
a quarter for re-offending. The benchmark and national figures are kept as columns, since
the benchmark group is not an area the warehouse can code.
"""

from __future__ import annotations

import re

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import (
    financial_year,
    find_table,
    frame,
    period_of_file,
    read_sheet,
)

SHEET = "Indicators"

HEADER = {
    "indicator": ("Indicator",),
    "period_label": ("Period",),
    "numerator": ("Numerator",),
    "denominator": ("Denominator",),
    "value": ("Sevenoaks",),
    "target": ("Target",),
    "benchmark_group_value": ("Benchmark group",),
    "national_value": ("National",),
    "national_area": ("National comparator",),
    "note": ("Note", "Notes"),
}

PERIOD = re.compile(r"^\d{4}/\d{2}( Q[1-4])?$")
"""An academic or financial year (2019/20), or a quarter of one (2019/20 Q3)."""

NUMBERS = ("numerator", "denominator", "value", "target", "benchmark_group_value", "national_value")

COLUMNS = {
    "financial_year": "VARCHAR",
    "indicator": "VARCHAR",
    "period_label": "VARCHAR",
    **dict.fromkeys(NUMBERS, "DOUBLE"),
    "national_area": "VARCHAR",
    "value_note": "VARCHAR",
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read each indicator row; a row with no Sevenoaks figure must say why in its note."""
    name = partner_file.relative_path
    rows = read_sheet(partner_file, SHEET)
    table = find_table(rows, HEADER, file=name, sheet=SHEET)
    title = " ".join(
        str(cell) for number, cells in rows if number < table.header_row for cell in cells if cell
    )
    period = period_of_file(partner_file, financial_year(title), "sheet title", sheet=SHEET)

    records = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        indicator = table.required_text(row, cells, "indicator")
        period_label = table.required_text(row, cells, "period_label")
        if not PERIOD.match(period_label):
            raise table.fail(
                f"'{period_label}' is not a year such as 2019/20 or a quarter such as 2019/20 Q3",
                row,
                "period_label",
            )
        key = (indicator.lower(), period_label)
        if key in seen:
            raise table.fail(
                f"'{indicator}' for {period_label} is given twice (rows {seen[key]} and {row})",
                row,
            )
        seen[key] = row
        read = {column: table.number(row, cells, column, whole=False) for column in NUMBERS}
        numbers = {column: number for column, (number, _) in read.items()}
        note = table.text(cells, "note")
        if numbers["value"] is None and note is None:
            raise table.fail(
                f"the Sevenoaks figure is {read['value'][1]} and the note does not say why",
                row,
                "value",
            )
        records.append(
            {
                "financial_year": period,
                "indicator": indicator,
                "period_label": period_label,
                **numbers,
                "national_area": table.text(cells, "national_area"),
                "value_note": note,
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the sheet has no indicator rows", table.header_row)
    return ParsedReturn(period=period, rows=frame(records, COLUMNS), source_file=f"{name}!{SHEET}")


RETURN = ReturnSpec(
    source="children",
    name="lcpg_indicators",
    partner="Kent County Council (Sevenoaks Local Children's Partnership Group)",
    description=(
        "Local Children's Partnership Group core indicators for Sevenoaks: figure, numerator, "
        "denominator, target, benchmark group and national figures per indicator and period."
    ),
    cadence="annual",
    file_patterns=("children/lcpg/*.xlsx",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=90,
    periods=financial_year_files("Sevenoaks LCPG indicators 2021-22.xlsx"),
)
