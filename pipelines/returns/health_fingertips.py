"""OHID Fingertips data export (CSV): every row of an indicator download, kept whole.

Public health indicators reach the council as Fingertips "export data" files: one row per
indicator, area, sex, age, category and time period, with Fingertips' own confidence
intervals and comparisons. The real exports have quirks that a strict reader would turn into
lost data, so this parser is tolerant where the export is known to vary and strict where a
value could otherwise become a wrong number:

- 26 columns, or 27 in newer exports (`Time period range` at the end); columns are found by
  name, so the order may change.
- Data rows may stop one field short of the header (the empty trailing field is dropped);
  they are padded. Any other field count is a broken file.
- Indicator names may contain a newline inside quotes, so rows are counted as CSV records:
  `source_row` is the record number with the header as row 1 (the row a spreadsheet shows),
  and `source_line` is the text line the record starts on.
- The comparison with the parent area is named for the parent's type (`Compared to Region
  value or percentiles`, `Compared to Counties & UAs ... value or percentiles`): it is found
  by its prefix, or by its place just before `Time period Sortable`; its header text is kept.
- Suppressed values (`Value note` says so, or the cell holds `..` or `*`) stay null with the
  note kept and `is_suppressed` set; they never become zero.

Every row is kept (all areas, sexes, ages and categories); choosing the headline rows for
the measures is the warehouse's job, not the parser's.
"""

from __future__ import annotations

from collections import Counter

from pipelines.periods import FINANCIAL_YEAR
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._csv_records import (
    CsvRecord,
    number,
    read_records,
    require_columns,
    to_frame,
)

# Fingertips header -> warehouse column, in the order of the export.
TEXT_COLUMNS = {
    "Indicator Name": "indicator_name",
    "Parent Code": "parent_code",
    "Parent Name": "parent_name",
    "Area Code": "area_code",
    "Area Name": "area_name",
    "Area Type": "area_type",
    "Sex": "sex",
    "Age": "age",
    "Category Type": "category_type",
    "Category": "category",
    "Time period": "time_period",
    "Value note": "value_note",
    "Recent Trend": "recent_trend",
    "Compared to England value or percentiles": "compared_to_england",
    "New data": "new_data",
    "Compared to goal": "compared_to_goal",
    "Time period range": "time_period_range",
}
NUMBER_COLUMNS = {
    "Value": "value",
    "Lower CI 95.0 limit": "lower_ci_95",
    "Upper CI 95.0 limit": "upper_ci_95",
    "Lower CI 99.8 limit": "lower_ci_99_8",
    "Upper CI 99.8 limit": "upper_ci_99_8",
    "Count": "count",
    "Denominator": "denominator",
}
REQUIRED = [
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Count",
    "Denominator",
    "Value note",
    "Time period Sortable",
]
NOT_EMPTY = ("Indicator ID", "Area Code", "Time period", "Time period Sortable")

ENGLAND_COMPARISON = "Compared to England value or percentiles"
PARENT_COMPARISON_PREFIX = "Compared to "
COMPARISON_SUFFIX = " value or percentiles"
SUPPRESSION_MARKERS = ("..", "*")
NATIONAL_AREA_TYPES = ("Country", "England", "Region")

COLUMNS = {
    "indicator_id": "BIGINT",
    "indicator_name": "VARCHAR",
    "parent_code": "VARCHAR",
    "parent_name": "VARCHAR",
    "area_code": "VARCHAR",
    "area_name": "VARCHAR",
    "area_type": "VARCHAR",
    "sex": "VARCHAR",
    "age": "VARCHAR",
    "category_type": "VARCHAR",
    "category": "VARCHAR",
    "time_period": "VARCHAR",
    "value": "DOUBLE",
    "lower_ci_95": "DOUBLE",
    "upper_ci_95": "DOUBLE",
    "lower_ci_99_8": "DOUBLE",
    "upper_ci_99_8": "DOUBLE",
    "count": "DOUBLE",
    "denominator": "DOUBLE",
    "value_note": "VARCHAR",
    "is_suppressed": "BOOLEAN",
    "recent_trend": "VARCHAR",
    "compared_to_england": "VARCHAR",
    "compared_to_parent": "VARCHAR",
    "parent_comparison_column": "VARCHAR",
    "time_period_sortable": "BIGINT",
    "new_data": "VARCHAR",
    "compared_to_goal": "VARCHAR",
    "time_period_range": "VARCHAR",
    "source_line": "BIGINT",
}


def parent_comparison_column(names: list[str]) -> str | None:
    """The header of the comparison with the parent area, whatever the parent type is called.

    Found by its prefix first; failing that, the column just before `Time period Sortable`
    when that column is not one this parser already knows (its place in every export).
    """
    for name in names:
        if (
            name.startswith(PARENT_COMPARISON_PREFIX)
            and name.endswith(COMPARISON_SUFFIX)
            and name != ENGLAND_COMPARISON
        ):
            return name
    if "Time period Sortable" in names:
        position = names.index("Time period Sortable") - 1
        known = {"Indicator ID", "Time period Sortable", *TEXT_COLUMNS, *NUMBER_COLUMNS}
        if position >= 0 and names[position] not in known:
            return names[position]
    return None


def _is_suppressed(value_text: str, note: str) -> bool:
    return value_text.strip() in SUPPRESSION_MARKERS or "suppressed" in note.lower()


def _read_row(
    record: CsvRecord, names: list[str], parent_column: str | None, file: str
) -> dict[str, object]:
    fields = record.fields
    if len(fields) == len(names) - 1:
        fields = [*fields, ""]
    elif len(fields) != len(names):
        raise ParseError(
            f"the row has {len(fields)} fields where the header has {len(names)}",
            file=file,
            row=record.row,
        )
    cells = dict(zip(names, fields, strict=True))
    for column in NOT_EMPTY:
        if not cells[column].strip():
            raise ParseError("the cell is empty", file=file, row=record.row, column=column)

    row: dict[str, object] = {
        column: (cells.get(header) or None) for header, column in TEXT_COLUMNS.items()
    }
    note = cells["Value note"]
    suppressed = _is_suppressed(cells["Value"], note)
    for header, column in NUMBER_COLUMNS.items():
        text = cells.get(header, "")
        if suppressed and text.strip() in SUPPRESSION_MARKERS:
            text = ""
        row[column] = number(text, file=file, row=record.row, column=header)
    indicator = number(
        cells["Indicator ID"], file=file, row=record.row, column="Indicator ID", whole=True
    )
    sortable = cells["Time period Sortable"]
    if not (len(sortable.strip()) == 8 and sortable.strip().isdigit()):
        raise ParseError(
            f"'{sortable}' is not a Fingertips sortable period (8 digits, YYYYQQMM)",
            file=file,
            row=record.row,
            column="Time period Sortable",
        )
    row.update(
        indicator_id=indicator,
        time_period_sortable=int(sortable),
        is_suppressed=suppressed,
        compared_to_parent=(cells[parent_column] or None) if parent_column else None,
        parent_comparison_column=parent_column,
        source_line=record.line,
        source_row=record.row,
    )
    return row


def export_label(rows: list[dict[str, object]]) -> str:
    """The period a Fingertips export covers: its indicators for one type of area.

    An export is a whole time series, so a later export of the same indicators for the same
    areas replaces the earlier one; labelling it by indicators and area type (as Fingertips
    names its files, `indicators-CountyUA.data.csv`) makes that happen through the ledger.
    The area type is the one with most areas, leaving out England and the regions.
    """
    indicators = sorted({int(row["indicator_id"]) for row in rows})
    local = [row for row in rows if row["area_type"] not in NATIONAL_AREA_TYPES] or rows
    areas_by_type = Counter(
        area_type for area_type, _ in {(row["area_type"], row["area_code"]) for row in local}
    )
    area_type = min(areas_by_type, key=lambda kind: (-areas_by_type[kind], str(kind)))
    noun = "indicator" if len(indicators) == 1 else "indicators"
    return f"{area_type}: {noun} {', '.join(str(i) for i in indicators)}"


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read a Fingertips export whole, refusing only what cannot be trusted."""
    file = partner_file.relative_path
    header, records = read_records(partner_file.read_bytes(), file)
    names = [name.strip() for name in header.fields]
    require_columns(header, REQUIRED, file, "the columns of a Fingertips data export")
    parent_column = parent_comparison_column(names)
    rows = [_read_row(record, names, parent_column, file) for record in records]
    if not rows:
        raise ParseError("the export has a header but no data rows", file=file, row=2)
    return ParsedReturn(period=export_label(rows), rows=to_frame(COLUMNS, rows), source_file=file)


RETURN = ReturnSpec(
    source="health",
    name="fingertips_indicators",
    partner="Office for Health Improvement and Disparities (Fingertips)",
    description=(
        "Public health indicators exported from OHID Fingertips (indicators-*.data.csv): every "
        "indicator, area, sex, age, category and period in the file, with Fingertips' "
        "confidence intervals, comparisons and value notes."
    ),
    cadence="annual",
    file_patterns=("health/fingertips/**/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=365,
    period_kind=FINANCIAL_YEAR,
)
