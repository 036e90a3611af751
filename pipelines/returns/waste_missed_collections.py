"""The council's missed collections return: one file a quarter from the waste team.

There is no national format. The return is a plain table with a row per collection service
(refuse, dry recycling, garden waste) giving the collections scheduled in the quarter, the
justified missed collections (reports upheld after checking the round) and how many of
those were put right by the next working day. A title block above the table and a total
row under it are tolerated; the total is skipped so nothing is counted twice. A file holds
one quarter (`2019/20 Q1`), so a corrected file for the quarter supersedes the first.
"""

from __future__ import annotations

import polars as pl

from pipelines.periods import QUARTER, FilePeriods
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._waste_tables import (
    find_table,
    is_total,
    missing_note,
    normalise,
    quarter_label,
    require,
    whole_number,
)

HEADINGS = {
    "quarter": ("Quarter", "Period", "Reporting quarter"),
    "service": ("Service", "Collection service"),
    "collections_scheduled": (
        "Collections scheduled",
        "Scheduled collections",
        "Number of collections scheduled",
    ),
    "justified_missed_collections": (
        "Justified missed collections",
        "Justified missed",
        "Missed collections (justified)",
    ),
    "put_right_next_working_day": (
        "Put right by next working day",
        "Put right by the next working day",
        "Put right next working day",
        "Rectified by next working day",
    ),
}
COUNT_COLUMNS = (
    "collections_scheduled",
    "justified_missed_collections",
    "put_right_next_working_day",
)
ALL_SERVICES = "All services"
"""The service named for a return that gives one line for the quarter, with no split."""

COLUMNS = {
    "quarter": "VARCHAR",
    "service": "VARCHAR",
    "collections_scheduled": "BIGINT",
    "justified_missed_collections": "BIGINT",
    "put_right_next_working_day": "BIGINT",
    "missing_columns": "VARCHAR",
    "source_sheet": "VARCHAR",
}

_SCHEMA = {
    "quarter": pl.String,
    "service": pl.String,
    **dict.fromkeys(COUNT_COLUMNS, pl.Int64),
    "missing_columns": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read one quarter's missed collections, a row per service."""
    table = find_table(partner_file, HEADINGS, "missed collections table")
    require(table, ["quarter", *COUNT_COLUMNS])
    records: list[dict] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        label = table.cell(cells, "quarter")
        service = table.cell(cells, "service") or ALL_SERVICES
        has_counts = any(table.cell(cells, c) for c in COUNT_COLUMNS)
        if is_total(label) or is_total(service):
            continue
        if not has_counts and not table.cell(cells, "service"):
            continue  # a note under the table
        quarter = quarter_label(label)
        if quarter is None:
            raise table.error(
                f"'{label}' is not a quarter such as 2019/20 Q1", row=row, column="quarter"
            )
        if records and quarter != records[0]["quarter"]:
            raise table.error(
                f"quarter {quarter} differs from the file's first quarter "
                f"{records[0]['quarter']}: send one file a quarter",
                row=row,
                column="quarter",
            )
        if normalise(service) in seen:
            raise table.error(
                f"service '{service}' appears twice (rows {seen[normalise(service)]} and {row})",
                row=row,
                column="service",
            )
        seen[normalise(service)] = row
        records.append(
            {
                "quarter": quarter,
                "service": service,
                **{c: whole_number(table, cells, c, row) for c in COUNT_COLUMNS},
                "missing_columns": missing_note(table, cells, COUNT_COLUMNS),
                "source_sheet": table.sheet,
                "source_row": row,
            }
        )
    if not records:
        raise table.error(
            "the missed collections table has no rows (total lines are not counted)",
            row=table.header_row,
        )
    return ParsedReturn(
        period=records[0]["quarter"],
        rows=pl.DataFrame(records, schema=_SCHEMA),
        source_file=partner_file.relative_path,
    )


RETURN = ReturnSpec(
    source="waste",
    name="missed_collections",
    partner="Sevenoaks District Council (Direct Services)",
    description=(
        "The waste team's quarterly missed collections return: collections scheduled, "
        "justified missed collections and those put right by the next working day, by "
        "collection service (CSV or Excel, one file a quarter)."
    ),
    cadence="quarterly",
    file_patterns=(
        "waste/missed_collections/**/*.csv",
        "waste/missed_collections/**/*.xlsx",
    ),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18 Q1",
    due_days=30,
    periods=FilePeriods(
        QUARTER,
        r"(?P<year>\d{4})-(?P<next_year>\d{2})_Q(?P<quarter>[1-4])",
        "missed_collections_2021-22_Q1.csv",
    ),
)
