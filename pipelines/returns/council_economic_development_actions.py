"""Economic Development Strategy action monitoring: each action with its RAG status.

The council's economic development team reports once a year on every action of the
Economic Development Strategy (themes: Growth and Investment, Infrastructure, Visitor
Economy, Skills, Enterprise), each rated Green, Amber or Red. The Community Plan reports
the share that is green, counted here from the actions so that it always matches the list.
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
    "theme": ("Theme", "Strategy theme"),
    "action_ref": ("Ref", "Action ref"),
    "action": ("Action",),
    "lead": ("Lead", "Lead officer"),
    "rag_status": ("RAG", "RAG status"),
}

RAG_STATUSES = {
    "green": "green",
    "g": "green",
    "amber": "amber",
    "a": "amber",
    "red": "red",
    "r": "red",
}

COLUMNS = {
    "financial_year": "VARCHAR",
    "theme": "VARCHAR",
    "action_ref": "VARCHAR",
    "action": "VARCHAR",
    "lead": "VARCHAR",
    "rag_status": "VARCHAR",
}


def parse(partner_file: PartnerFile) -> ParsedReturn:
    """Read each action; a status other than Green, Amber or Red stops the file."""
    name = partner_file.relative_path
    table = find_table(read_csv(partner_file), HEADER, file=name, stop_at_blank=False)
    period = period_of_file(partner_file, None, "file")

    records = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        ref = table.required_text(row, cells, "action_ref")
        if ref in seen:
            raise table.fail(f"action '{ref}' is listed twice (rows {seen[ref]} and {row})", row)
        seen[ref] = row
        written = table.required_text(row, cells, "rag_status")
        status = RAG_STATUSES.get(normalise(written))
        if status is None:
            raise table.fail(f"'{written}' is not Green, Amber or Red", row, "rag_status")
        records.append(
            {
                "financial_year": period,
                "theme": table.text(cells, "theme"),
                "action_ref": ref,
                "action": table.required_text(row, cells, "action"),
                "lead": table.text(cells, "lead"),
                "rag_status": status,
                "source_row": row,
            }
        )
    if not records:
        raise table.fail("the file lists no actions", table.header_row)
    return ParsedReturn(period=period, rows=frame(records, COLUMNS), source_file=name)


RETURN = ReturnSpec(
    source="council",
    name="economic_development_actions",
    partner="Sevenoaks District Council",
    description=(
        "Economic Development Strategy action monitoring: each action with its theme, lead "
        "and Green, Amber or Red status at the end of the financial year."
    ),
    cadence="annual",
    file_patterns=("council/economic_development/*.csv",),
    columns=COLUMNS,
    parse=parse,
    first_period="2017/18",
    due_days=30,
    periods=financial_year_files("Economic Development Strategy actions 2021-22.csv"),
)
