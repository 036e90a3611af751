"""A failed dbt test, told as the return, file and row it comes from.

dbt names the test that failed (`not_null_stg_police__street_crimes_crime_type`); an officer
needs the partner's file and row to ask for a correction. Every data test stores its failing
rows as a view in the `test_failures` schema (`+store_failures_as: view` in
dbt_project.yml); the models carry `source_file` and `source_row` from ingestion, so a
failing row leads back to the file. Tests whose stored rows are aggregates (unique,
accepted_values, relationships keep only the failing values) are mapped back through the
tested model: the rows of the model holding those values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.quality.findings import Finding

CHECK = "model_test_failed"
KIND = "model_test"
SHOWN_ROWS = 10
VALUE_COLUMNS = ("value_field", "from_field", "unique_field")
"""What dbt's generic tests call the failing value in their stored rows."""


@dataclass(frozen=True)
class FailedRow:
    return_name: str | None
    source_file: str
    source_row: int
    submission_id: int | None


def findings(
    con: duckdb.DuckDBPyConnection, run_results: dict[str, Any], manifest: dict[str, Any]
) -> list[Finding]:
    """A blocking finding per failed dbt test, naming the returns, files and rows."""
    found = []
    for result in run_results.get("results", []):
        unique_id = result.get("unique_id", "")
        if not unique_id.startswith("test.") or result.get("status") not in ("fail", "error"):
            continue
        test = manifest["nodes"].get(unique_id, {})
        rows = _failed_rows(con, test, manifest) if result["status"] == "fail" else []
        found.append(_finding(test, result, rows))
    return found


def describe(found: list[Finding], run_results: dict[str, Any]) -> str:
    """Why dbt build failed, for the terminal: each failed test with its files and rows,
    and any model that did not build."""
    models = [
        f"- {result['unique_id']}: {(result.get('message') or '').strip()}"
        for result in run_results.get("results", [])
        if result.get("status") == "error" and not result["unique_id"].startswith("test.")
    ]
    lines = [f"- {finding.message}" for finding in found] + models
    return "dbt build failed:\n" + ("\n".join(lines) or "- see the run's log")


def _finding(test: dict[str, Any], result: dict[str, Any], rows: list[FailedRow]) -> Finding:
    name = test.get("name", result.get("unique_id"))
    column = test.get("column_name")
    model = (test.get("attached_node") or "").rsplit(".", 1)[-1] or None
    if result["status"] == "error":
        where = f"the test could not run: {(result.get('message') or '').strip()}"
    elif rows:
        by_file: dict[tuple[str | None, str], list[int]] = {}
        for row in rows:
            by_file.setdefault((row.return_name, row.source_file), []).append(row.source_row)
        where = "; ".join(
            f"{return_name or 'return unknown'}, {file} row"
            f"{'s' if len(numbers) > 1 else ''} {_listed(sorted(numbers))}"
            for (return_name, file), numbers in by_file.items()
        )
    else:
        where = "the failing rows do not lead back to a partner's file (a derived figure)"
    first = rows[0] if rows else None
    failures = result.get("failures")
    count = f"{failures} failing row{'s' if failures != 1 else ''}" if failures else "failed"
    return Finding(
        check_name=CHECK,
        check_kind=KIND,
        return_name=first.return_name if first else None,
        observed=count,
        expected="no failing rows",
        message=(
            f"dbt test {name} ({model}{f', column {column}' if column else ''}): {count}: {where}."
        ),
        submission_id=first.submission_id if first else None,
        source_file=first.source_file if first else None,
        source_rows=", ".join(str(r.source_row) for r in rows[:SHOWN_ROWS]) or None,
        detail=name,
    )


def _listed(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_ROWS])
    return shown + (f" and {len(numbers) - SHOWN_ROWS} more" if len(numbers) > SHOWN_ROWS else "")


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]


def _failed_rows(
    con: duckdb.DuckDBPyConnection, test: dict[str, Any], manifest: dict[str, Any]
) -> list[FailedRow]:
    stored = test.get("relation_name")
    if not stored:
        return []
    columns = _columns(con, stored)
    if {"source_file", "source_row"} <= set(columns):
        rows_sql = f"select source_file, source_row from {stored}"
    else:
        model = manifest["nodes"].get(test.get("attached_node") or "", {})
        relation, column = model.get("relation_name"), test.get("column_name")
        value = next((c for c in (column, *VALUE_COLUMNS) if c in columns), None)
        if not relation or not column or value is None:
            return []
        if not {"source_file", "source_row"} <= set(_columns(con, relation)):
            return []
        rows_sql = (
            f'select source_file, source_row from {relation} where "{column}" in '
            f'(select "{value}" from {stored})'
        )
    rows = con.execute(
        f"""
        with failed as ({rows_sql})
        select distinct submissions.return_name, failed.source_file, failed.source_row,
            submissions.submission_id
        from failed
        left join ledger.submissions as submissions
            on coalesce(submissions.source_file, submissions.file_path) = failed.source_file
            and submissions.status = 'accepted'
        order by failed.source_file, failed.source_row
        limit 1000
        """
    ).fetchall()
    return [FailedRow(*row) for row in rows]
