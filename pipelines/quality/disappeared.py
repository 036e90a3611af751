"""Figures that disappear: a figure officers could read in the last publication and that the
warehouse no longer builds is a finding, and blocks publication until it is explained.

A figure can vanish for good reasons (a partner withdrew a return, a measure was retired)
and for bad ones (a corrected file that left a district out, a truncated file, a code that
no longer joins). The quality gate cannot tell which, so it asks: the figure stays missing
from the next publication only once a review in `expectations/reviewed_findings.yml` names
it (check `figure_disappeared`, with measure, area and period as needed) and says why; the
message names the submission that replaced the figure's sources, which is where to look.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.quality.findings import Finding, table_exists
from pipelines.quality.plausibility import shown

CHECK = "figure_disappeared"
KIND = "resubmission"

_GONE_SQL = """
with previous as (
    select measure_value_key, measure_id, area_code, area_name, period_id, value, unit,
        submission_ids
    from last_publication.marts.measure_values
    where value is not null
),
current_values as (
    select measure_value_key from marts.measure_values where value is not null
)
select previous.*, catalogue.measure_name, catalogue.source_return
from previous
left join reference.measure_catalogue as catalogue using (measure_id)
where previous.measure_value_key not in (select measure_value_key from current_values)
order by previous.measure_id, previous.area_code, previous.period_id
"""


def figures_gone(con: duckdb.DuckDBPyConnection, published: Path) -> list[Finding]:
    """A blocking finding for every figure of the last publication that is gone now."""
    if not published.exists() or not table_exists(con, "marts", "measure_values"):
        return []
    con.execute(f"attach '{published}' as last_publication (read_only)")
    try:
        if not _published(con, "marts", "measure_values"):
            return []
        rows = con.execute(_GONE_SQL).fetchall()
        published_at = None
        if _published(con, "publication", "publications"):
            published_at = con.execute(
                "select max(published_at) from last_publication.publication.publications"
            ).fetchone()[0]
    finally:
        con.execute("detach last_publication")
    replaced = _replacements(con)
    when = f" of {published_at:%d %B %Y %H:%M}" if published_at else ""
    findings = []
    for key, measure, area, area_name, period, value, unit, sources, name, return_name in rows:
        swaps = sorted({replaced[s] for s in sources or [] if s in replaced})
        cause = (
            "; ".join(
                f"{new_file} (submission {new}) replaced {old_file} (submission {old})"
                for old, old_file, new, new_file in swaps
            )
            if swaps
            else "no submission it came from was replaced, so a change in the models or a "
            "catalogue removed it"
        )
        findings.append(
            Finding(
                check_name=CHECK,
                check_kind=KIND,
                return_name=return_name,
                measure_id=measure,
                area_code=area,
                period_id=period,
                observed="no figure",
                expected=f"{shown(value, unit)} as last published",
                message=(
                    f"{name or measure} for {area_name or area} in {period} was "
                    f"{shown(value, unit)} in the last publication{when} and is no longer built: "
                    f"{cause}. Publication waits until the figure is back or a review in "
                    "reviewed_findings.yml says why it was withdrawn."
                ),
                submission_id=swaps[0][2] if swaps else None,
                source_file=swaps[0][3] if swaps else None,
                detail=key,
            )
        )
    return findings


def _published(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = 'last_publication' "
            "and schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _replacements(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[int, str, int, str]]:
    """For each superseded submission: itself, its file, what replaced it and that file."""
    rows = con.execute(
        """
        select old.submission_id, coalesce(old.source_file, old.file_path),
            new.submission_id, coalesce(new.source_file, new.file_path)
        from ledger.submissions as old
        join ledger.submissions as new on new.submission_id = old.superseded_by
        """
    ).fetchall()
    return {row[0]: row for row in rows}
