"""Expectations of a reviewed suite executed in DuckDB, where the rows already are.

Great Expectations on pandas costs about as much per row as per expectation (the police
file's 25 expectations on 96 months took 46 s on an idle machine, 2 s to read the rows into
pandas alone), so the expectation types the suites use most are run here instead, as one
query an expectation over every new submission of a return, grouped by submission. Each
result has the shape Great Expectations gives (`unexpected_count`, the first unexpected
values and rows, `observed_value`, `partial_missing_list`), and whether it passes is
decided by Great Expectations' own rule for `mostly`, so findings read them as they read
Great Expectations' results. tests/unit/test_suite_sql.py holds the two to the same findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

SHOWN = 20
"""Unexpected values and rows a result lists (Great Expectations' `partial_unexpected_count`)."""

ROW_BY_ROW = {
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_unique",
}
ON_THE_WHOLE_FILE = {
    "expect_table_row_count_to_be_between",
    "expect_column_distinct_values_to_contain_set",
}
EXECUTED = ROW_BY_ROW | ON_THE_WHOLE_FILE
"""The expectation types run in DuckDB; any other is run by Great Expectations."""


@dataclass(frozen=True)
class Configuration:
    type: str
    kwargs: dict[str, Any]
    meta: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """One expectation's outcome on one submission, as Great Expectations words it."""

    success: bool
    expectation_config: Configuration
    result: dict[str, Any]
    exception_info: dict[str, Any]


def outcomes(
    con: duckdb.DuckDBPyConnection,
    rows_sql: str,
    parameters: dict[str, Any],
    expectations: list[dict[str, Any]],
    submission_ids: list[int],
) -> dict[int, list[tuple[Outcome, pd.DataFrame]]]:
    """Each submission's outcome of each expectation, in the expectations' order, each with
    the frame whose `source_row` its row indexes point into. `rows_sql` selects the rows of
    the submissions (with the suite's derived columns) given `parameters`."""
    from great_expectations.expectations.expectation import _mostly_success

    found: dict[int, list[tuple[Outcome, pd.DataFrame]]] = {s: [] for s in submission_ids}
    described = con.execute(f"select * from ({rows_sql}) limit 0", parameters).description
    columns = {column[0]: column[1] for column in described}
    for expectation in expectations:
        config = Configuration(
            expectation["type"], dict(expectation["kwargs"]), expectation.get("meta") or {}
        )
        column = config.kwargs.get("column")
        if column is not None and column not in columns:
            missing = {
                "raised_exception": True,
                "exception_message": f'The column "{column}" in BatchData does not exist.',
            }
            for submission in submission_ids:
                found[submission].append((Outcome(False, config, {}, missing), _NO_ROWS))
            continue
        if config.type in ROW_BY_ROW:
            kind = str(columns[column])
            judged = _row_by_row(con, rows_sql, parameters, config, _mostly_success, kind)
        elif config.type == "expect_table_row_count_to_be_between":
            judged = _row_count(con, rows_sql, parameters, config)
        else:
            judged = _distinct_values(con, rows_sql, parameters, config)
        for submission in submission_ids:
            found[submission].append(judged.get(submission) or _empty(config, _mostly_success))
    return found


_NO_ROWS = pd.DataFrame({"source_row": pd.Series([], dtype="int64")})
_NO_EXCEPTION = {"raised_exception": False}


def _unexpected(config: Configuration) -> str:
    """SQL true for a row that fails a row-by-row expectation (`checked` is the column)."""
    kwargs = config.kwargs
    if config.type == "expect_column_values_to_not_be_null":
        return "checked is null"
    if config.type == "expect_column_values_to_be_in_set":
        return "checked is not null and not list_contains($value_set, checked)"
    if config.type == "expect_column_values_to_match_regex":
        return "checked is not null and not regexp_matches(checked::varchar, $regex)"
    if config.type == "expect_column_values_to_be_unique":
        # Every row of a repeated value fails, as pandas' `duplicated(keep=False)` marks them.
        return "checked is not null and repeats > 1"
    conditions = []
    if kwargs.get("min_value") is not None:
        conditions.append(
            "checked > $min_value" if kwargs.get("strict_min") else "checked >= $min_value"
        )
    if kwargs.get("max_value") is not None:
        conditions.append(
            "checked < $max_value" if kwargs.get("strict_max") else "checked <= $max_value"
        )
    return f"checked is not null and not ({' and '.join(conditions) or 'true'})"


def _row_by_row(con, rows_sql, parameters, config, mostly_success, kind) -> dict[int, tuple]:
    """Rows failing the expectation, counted and the first shown, for each submission.

    A NaN is missing, as pandas counts it for Great Expectations, and a missing value is
    shown as pandas shows it: NA in text, NaN in numbers."""
    kwargs = config.kwargs
    column = f'"{kwargs["column"]}"'
    floating = kind in ("DOUBLE", "FLOAT")
    checked = f"case when isnan({column}) then null else {column} end" if floating else column
    gap = pd.NA if kind == "VARCHAR" else float("nan")
    condition = _unexpected(config)
    unique = config.type == "expect_column_values_to_be_unique"
    repeats = "count(*) over (partition by submission_id, checked)" if unique else "0"
    named = {k: kwargs.get(k) for k in ("value_set", "regex", "min_value", "max_value")}
    named = {k: v for k, v in named.items() if f"${k}" in condition}
    query = f"""
        with rows as ({rows_sql}),
        picked as (
            select submission_id, source_row, {checked} as checked from rows
        ),
        counted as (
            select *, {repeats} as repeats from picked
        ),
        judged as (
            select submission_id, source_row, checked, coalesce({condition}, false) as failed
            from counted
        )
        select
            submission_id,
            count(*) as row_count,
            count(checked) as values_present,
            count(*) filter (where failed) as failed_count,
            list(checked order by source_row) filter (where failed)[1:{SHOWN}] as shown_values,
            list(source_row order by source_row) filter (where failed)[1:{SHOWN}] as shown_rows
        from judged
        group by submission_id
    """
    rows = con.execute(query, parameters | named).fetchall()
    judged = {}
    for submission, total, present, failed, values, source_rows in rows:
        considered = total if config.type.endswith("_not_be_null") else present
        if failed == 0 or considered == 0:
            success = True
        else:
            success = mostly_success(considered, failed, kwargs.get("mostly", 1))
        shown = pd.DataFrame({"source_row": pd.Series(source_rows or [], dtype="int64")})
        result = {
            "element_count": total,
            "unexpected_count": failed,
            "partial_unexpected_list": [gap if v is None else v for v in values or []],
            "partial_unexpected_index_list": list(range(len(source_rows or []))),
        }
        judged[submission] = (Outcome(success, config, result, _NO_EXCEPTION), shown)
    return judged


def _row_count(con, rows_sql, parameters, config) -> dict[int, tuple]:
    kwargs = config.kwargs
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    judged = {}
    counts = con.execute(
        f"select submission_id, count(*) from ({rows_sql}) group by submission_id", parameters
    ).fetchall()
    for submission, count in counts:
        above = low is None or (count > low if kwargs.get("strict_min") else count >= low)
        below = high is None or (count < high if kwargs.get("strict_max") else count <= high)
        result = {"observed_value": count}
        judged[submission] = (Outcome(above and below, config, result, _NO_EXCEPTION), _NO_ROWS)
    return judged


def _distinct_values(con, rows_sql, parameters, config) -> dict[int, tuple]:
    wanted = list(config.kwargs.get("value_set") or [])
    column = config.kwargs["column"]
    judged = {}
    present = con.execute(
        f'select submission_id, list(distinct "{column}") from ({rows_sql}) group by submission_id',
        parameters,
    ).fetchall()
    for submission, values in present:
        # Sorted: Great Expectations lists them in the order of a Python set.
        missing = sorted(set(wanted) - set(values or []), key=str)
        result = {
            "observed_value": None,
            "missing_count": len(missing),
            "partial_missing_list": missing,
        }
        judged[submission] = (Outcome(not missing, config, result, _NO_EXCEPTION), _NO_ROWS)
    return judged


def passed(expectation: dict[str, Any]) -> Outcome:
    """A passing outcome of an expectation, for one already known to pass."""
    config = Configuration(
        expectation["type"], dict(expectation["kwargs"]), expectation.get("meta") or {}
    )
    return Outcome(True, config, {}, _NO_EXCEPTION)


def _empty(config: Configuration, mostly_success) -> tuple[Outcome, pd.DataFrame]:
    """The outcome on a submission without rows."""
    if config.type == "expect_table_row_count_to_be_between":
        low = config.kwargs.get("min_value")
        result = {"observed_value": 0}
        return Outcome(low is None or low <= 0, config, result, _NO_EXCEPTION), _NO_ROWS
    if config.type == "expect_column_distinct_values_to_contain_set":
        missing = sorted(config.kwargs.get("value_set") or [], key=str)
        result = {
            "observed_value": None,
            "missing_count": len(missing),
            "partial_missing_list": missing,
        }
        return Outcome(not missing, config, result, _NO_EXCEPTION), _NO_ROWS
    result = {
        "unexpected_count": 0,
        "partial_unexpected_list": [],
        "partial_unexpected_index_list": [],
    }
    return Outcome(True, config, result, _NO_EXCEPTION), _NO_ROWS
