"""Kent County Council road casualties by district: killed or seriously injured (KSI).

KCC's road safety team sends one CSV a calendar year from STATS19: one row per district,
road network and severity with the number of casualties. `Local roads` are the roads KCC
looks after; the `Strategic road network` (motorways and trunk roads run by National
Highways: M25, M26, M20, A21 in Sevenoaks) is counted separately, because the Community
Plan's measure is about local roads. A `Kent` row per network and severity gives the
county. District names are as KCC writes them (`Tonbridge & Malling`, `Shepway` in older
files); the warehouse matches them to ONS codes.
"""

from __future__ import annotations

import re

from pipelines.periods import CALENDAR_YEAR, FilePeriods
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import find_table, frame, normalise, read_csv

HEADER = {
    "calendar_year": ("Year", "Accident year"),
    "district": ("District", "Local authority"),
    "road_network": ("Road network", "Road type"),
    "severity": ("Severity", "Casualty severity"),
    "casualties": ("Casualties", "Number of casualties"),
}

ROAD_NETWORKS = {
    "local roads": "local_roads",
    "local": "local_roads",
    "strategic road network": "strategic_road_network",
    "strategic highway network": "strategic_road_network",
    "national highways": "strategic_road_network",
}
SEVERITIES = {"fatal": "fatal", "serious": "serious", "slight": "slight"}

COLUMNS = {
    "calendar_year": "INTEGER",
    "district": "VARCHAR",
    "road_network": "VARCHAR",
    "severity": "VARCHAR",
    "casualties": "INTEGER",
    "value_note": "VARCHAR",
}

_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read every district, network and severity; one calendar year per file."""
    name = partner_file.relative_path
    table = find_table(read_csv(partner_file), HEADER, file=name, stop_at_blank=False)
    named = _YEAR_IN_NAME.findall(partner_file.name)
    expected_year = int(named[-1]) if named else None

    records = []
    seen: dict[tuple[str, str, str], int] = {}
    for row, cells in table.rows:
        year, _ = table.number(row, cells, "calendar_year")
        if year is None:
            raise table.fail("the year is empty", row, "calendar_year")
        expected_year = expected_year or year
        if year != expected_year:
            raise table.fail(
                f"year {year} differs from the file's year {expected_year}", row, "calendar_year"
            )
        district = table.required_text(row, cells, "district")
        network = _domain(table, row, cells, "road_network", ROAD_NETWORKS)
        severity = _domain(table, row, cells, "severity", SEVERITIES)
        key = (normalise(district), network, severity)
        if key in seen:
            raise table.fail(
                f"{district}, {table.text(cells, 'road_network')}, "
                f"{table.text(cells, 'severity')} is given twice (rows {seen[key]} and {row})",
                row,
            )
        seen[key] = row
        casualties, note = table.number(row, cells, "casualties")
        records.append(
            {
                "calendar_year": year,
                "district": district,
                "road_network": network,
                "severity": severity,
                "casualties": casualties,
                "value_note": None if casualties is not None else f"Casualties {note}",
                "source_row": row,
            }
        )
    if not records:
        raise ParseError("the file has no casualty rows", file=name, row=table.header_row + 1)
    return ParsedReturn(
        period=str(records[0]["calendar_year"]), rows=frame(records, COLUMNS), source_file=name
    )


def _domain(table, row, cells, column: str, allowed: dict[str, str]) -> str:
    written = table.required_text(row, cells, column)
    code = allowed.get(normalise(written))
    if code is None:
        choices = ", ".join(sorted({k.capitalize() for k in allowed}))
        raise table.fail(f"'{written}' is not one of: {choices}", row, column)
    return code


RETURN = ReturnSpec(
    source="road_safety",
    name="ksi_casualties",
    partner="Kent County Council",
    description=(
        "Killed or seriously injured road casualties (STATS19) by Kent district, calendar "
        "year, road network (local roads or strategic road network) and severity."
    ),
    cadence="annual",
    file_patterns=("road_safety/ksi/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017",
    due_days=180,
    periods=FilePeriods(
        CALENDAR_YEAR, r"(?P<year>\d{4})\.csv$", "KCC KSI casualties by district 2021.csv"
    ),
)
