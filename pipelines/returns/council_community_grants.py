"""Community Grant Scheme: every grant the council awarded in a year and whether it met its targets.

The council's communities team keeps one CSV a financial year: organisation, project,
Community Plan priority, grant awarded (written with a pound sign and commas) and, once
the organisation's monitoring form is back, whether the project met or exceeded its
targets (Yes, Partly, No; blank while the form is outstanding). An organisation can hold
two grants in a year, so organisations supported are counted, not rows. The Total row
must agree with the grants listed: a total that does not add up means the list is not
the one the officer signed off.
"""

from __future__ import annotations

from pipelines.periods import financial_year_files
from pipelines.returns import ParsedReturn, PartnerFile, ReturnSpec
from pipelines.returns._community_tables import (
    find_table,
    frame,
    normalise,
    period_of_file,
    read_csv,
)

HEADER = {
    "organisation": ("Organisation",),
    "project": ("Project",),
    "priority": ("Community Plan priority", "Priority"),
    "grant_pounds": ("Grant awarded (£)", "Grant awarded*"),
    "targets_met": ("Targets met or exceeded", "Targets met*"),
}

OUTCOMES = {"yes": "yes", "partly": "partly", "no": "no"}

COLUMNS = {
    "financial_year": "VARCHAR",
    "organisation": "VARCHAR",
    "project": "VARCHAR",
    "priority": "VARCHAR",
    "grant_pounds": "DOUBLE",
    "targets_met": "VARCHAR",
    "monitoring_note": "VARCHAR",
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read each grant, check the Total row, and keep the monitoring outcome as written."""
    name = partner_file.relative_path
    table = find_table(read_csv(partner_file), HEADER, file=name, stop_at_blank=False)
    period = period_of_file(partner_file, None, "file")

    records = []
    stated_total: tuple[int, float] | None = None
    for row, cells in table.rows:
        organisation = table.required_text(row, cells, "organisation")
        amount, _ = table.number(row, cells, "grant_pounds", whole=False)
        if normalise(organisation) == "total":
            stated_total = (row, amount)
            continue
        if amount is None:
            raise table.fail("the grant awarded is empty", row, "grant_pounds")
        written = table.text(cells, "targets_met")
        outcome = OUTCOMES.get(normalise(written)) if written else None
        if written and outcome is None:
            raise table.fail(
                f"'{written}' is not an outcome the monitoring uses (Yes, Partly, No, or blank "
                "while the form is outstanding)",
                row,
                "targets_met",
            )
        records.append(
            {
                "financial_year": period,
                "organisation": organisation,
                "project": table.text(cells, "project"),
                "priority": table.text(cells, "priority"),
                "grant_pounds": amount,
                "targets_met": outcome,
                "monitoring_note": None if written else "Monitoring form not yet returned",
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the file lists no grants", table.header_row)
    listed = round(sum(record["grant_pounds"] for record in records), 2)
    if stated_total and stated_total[1] is not None and abs(stated_total[1] - listed) >= 0.005:
        raise table.fail(
            f"the Total row says £{stated_total[1]:,.2f} but the grants listed add up to "
            f"£{listed:,.2f}",
            stated_total[0],
            "grant_pounds",
        )
    return ParsedReturn(period=period, rows=frame(records, COLUMNS), source_file=name)


RETURN = ReturnSpec(
    source="council",
    name="community_grants",
    partner="Sevenoaks District Council",
    description=(
        "Community Grant Scheme: each grant awarded in the financial year (organisation, "
        "project, priority, amount) and whether the project met or exceeded its targets."
    ),
    cadence="annual",
    file_patterns=("council/community_grants/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=60,
    periods=financial_year_files("Community Grant Scheme 2021-22.csv"),
)
