"""What partners send, checked against the reviewed Great Expectations suites.

One suite per raw table, as JSON under `expectations/` (`police__street_crimes.json`), so a
change to what is accepted is reviewed like code. Each expectation's `meta` says which check
it is (`count_negative`, `district_missing`, ...: the names `severities.yml` uses) and why it
matters, in words an officer can pass back to the partner. A suite's own `meta` may add
`derived_columns` (SQL on the raw row, such as the district an LSOA name lies in), so that
expectations can speak of what the file means rather than how it is spelled, and `areas`
(the columns holding area codes and names, `pipelines/quality/areas.py`).

Every current submission is judged on its own, so a finding names the partner's file and
the rows as the officer sees them. A submission already validated against the same suite is
not validated again: its findings stay as recorded. Great Expectations runs on pandas (its
SQL datasource does not work with DuckDB), and is imported only when there is work to do,
because importing it takes seconds.

Great Expectations runs the expectations on the columns and their types (which every
submission of a raw table shares) once a pass, on one row; DuckDB runs the others it knows
(`suite_sql`), over every new submission at once; Great Expectations runs any other type on
each submission's own rows.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines import settings
from pipelines.quality import areas, suite_sql
from pipelines.quality.findings import Finding, ensure_quality_schema
from pipelines.returns._reading import READ_AS_WINDOWS_1252

VALIDATIONS_DDL = """
create table if not exists quality.suite_validations (
    return_name varchar not null,
    submission_id integer not null,
    suite_sha256 varchar not null,
    validated_at timestamp not null
);
"""

COLUMNS_PASSED_DDL = """
create table if not exists quality.suite_columns_passed (
    return_name varchar not null,
    suite_sha256 varchar not null,
    columns_sha256 varchar not null,
    passed_at timestamp not null
);
"""
"""Columns and types (names and pandas dtypes, as Great Expectations sees a submission's
rows) that passed a suite's column and type expectations: the same columns pass again, so
a run whose raw tables and suites are unchanged need not import Great Expectations."""

NOT_UTF8 = "encoding_not_utf8"

SHOWN_ROWS = 5
"""How many example rows a message quotes; the finding counts them all."""

SAME_FOR_EVERY_SUBMISSION = {
    "expect_table_columns_to_match_set",
    "expect_column_values_to_be_in_type_list",
}
"""Expectations on the columns and their types, which every submission of a raw table shares."""

PARTIAL_UNEXPECTED = 20
"""Unexpected values and rows a result lists (Great Expectations' `partial_unexpected_count`)."""


@dataclass
class SuiteOutcome:
    """The findings of one validation pass over a return's current submissions."""

    findings: list[Finding] = field(default_factory=list)
    still_present: list[str] = field(default_factory=list)
    checks_run: list[str] = field(default_factory=list)
    submissions_validated: list[int] = field(default_factory=list)


def suite_path(return_name: str):
    return settings.EXPECTATIONS_DIR / f"{return_name}.json"


def load_suite(return_name: str) -> tuple[dict[str, Any], str] | None:
    """The reviewed suite of a raw table and the sha256 of its file, or None if there is none."""
    path = suite_path(return_name)
    if not path.exists():
        return None
    data = path.read_bytes()
    return json.loads(data), hashlib.sha256(data).hexdigest()


def check_names(suite: dict[str, Any]) -> list[str]:
    """The checks a suite carries out, as named in its expectations' meta."""
    return sorted({e.get("meta", {}).get("check", e["type"]) for e in suite["expectations"]})


def validate_return(
    con: duckdb.DuckDBPyConnection,
    return_name: str,
    now: datetime | None = None,
    in_duckdb: frozenset[str] = frozenset(suite_sql.EXECUTED | SAME_FOR_EVERY_SUBMISSION),
) -> SuiteOutcome:
    """Validate each current submission of a return not yet validated against its suite.

    `in_duckdb`: the expectation types not run by Great Expectations on each submission's
    rows (DuckDB's, and the columns' checked once a pass); empty, Great Expectations runs
    every expectation on each submission, as tests/unit/test_suite_sql.py compares."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    ensure_quality_schema(con)
    con.execute(VALIDATIONS_DDL)
    loaded = load_suite(return_name)
    if loaded is None:
        return SuiteOutcome(
            findings=[
                Finding(
                    check_name="suite_missing",
                    check_kind="suite",
                    return_name=return_name,
                    observed="no suite",
                    expected=f"expectations/{return_name}.json",
                    message=(
                        f"No reviewed expectation suite for {return_name}: what the partner "
                        "sends is not being checked."
                    ),
                )
            ],
            checks_run=["suite_missing"],
        )
    suite, sha = loaded
    submissions = con.execute(
        """
        select submission_id, period, coalesce(source_file, file_path)
        from ledger.submissions
        where return_name = ? and status = 'accepted'
        order by submission_id
        """,
        [return_name],
    ).fetchall()
    validated = {
        row[0]
        for row in con.execute(
            "select submission_id from quality.suite_validations "
            "where return_name = ? and suite_sha256 = ?",
            [return_name, sha],
        ).fetchall()
    }
    outcome = SuiteOutcome(checks_run=[*check_names(suite), "suite_missing"])
    outcome.still_present = [
        row[0]
        for row in con.execute(
            """
            select finding_key from quality.findings
            where check_kind = 'suite' and return_name = ? and status <> 'resolved'
                and list_contains(?, submission_id)
            """,
            [return_name, sorted(validated)],
        ).fetchall()
    ]
    outcome.findings.extend(reading_notes(con, return_name))
    outcome.checks_run.append(NOT_UTF8)
    area_columns = suite.get("meta", {}).get("areas")
    if area_columns:
        outcome.findings.extend(areas.unknown_areas(con, return_name, area_columns))
        outcome.checks_run.append(areas.CHECK)
    to_validate = [s for s in submissions if s[0] not in validated]
    if not to_validate:
        return outcome
    expectations = suite["expectations"]
    once = [i for i, e in enumerate(expectations) if e["type"] in SAME_FOR_EVERY_SUBMISSION]
    once = [i for i in once if expectations[i]["type"] in in_duckdb]
    by_duckdb = [i for i, e in enumerate(expectations) if e["type"] in suite_sql.EXECUTED]
    by_duckdb = [i for i in by_duckdb if expectations[i]["type"] in in_duckdb]
    each = [i for i in range(len(expectations)) if i not in once and i not in by_duckdb]
    ids = [s[0] for s in to_validate]
    rows_sql, parameters = _rows_sql(return_name, suite, ids)
    judged: dict[int, dict[int, tuple]] = {submission: {} for submission in ids}
    if once:
        first = _as_gx_sees(con.execute(f"{rows_sql} limit 1", parameters).df())
        results = _columns_as_before(con, return_name, sha, first, [expectations[i] for i in once])
        if results is None:
            results = _validator(suite, [expectations[i] for i in once])(first).results
            _remember_columns(con, return_name, sha, first, results, now)
        for submission in ids:
            judged[submission] |= {
                i: (result, first) for i, result in zip(once, results, strict=True)
            }
    if by_duckdb:
        found = suite_sql.outcomes(
            con, rows_sql, parameters, [expectations[i] for i in by_duckdb], ids
        )
        for submission in ids:
            judged[submission] |= dict(zip(by_duckdb, found[submission], strict=True))
    validate = _validator(suite, [expectations[i] for i in each]) if each else None
    for submission_id, period, source_file in to_validate:
        if validate is not None:
            rows = _submission_rows(con, return_name, suite, submission_id)
            results = validate(rows).results
            judged[submission_id] |= {
                i: (result, rows) for i, result in zip(each, results, strict=True)
            }
        outcome.findings.extend(
            findings_from_outcomes(
                [judged[submission_id][i] for i in sorted(judged[submission_id])],
                return_name,
                submission_id,
                period,
                source_file,
            )
        )
        outcome.submissions_validated.append(submission_id)
    con.executemany(
        "insert into quality.suite_validations values (?, ?, ?, ?)",
        [(return_name, s, sha, now) for s in outcome.submissions_validated],
    )
    return outcome


def _columns_sha(rows: pd.DataFrame) -> str:
    """The columns and their dtypes; for a column of Python objects, whose type Great
    Expectations judges value by value, the types of its values (none when they are missing)."""
    described = []
    for column, kind in rows.dtypes.items():
        if pd.api.types.is_object_dtype(kind):
            values = {type(v).__name__ for v in rows[column] if not pd.isna(v)}
            kind = f"object of {sorted(values)}"
        described.append([str(column), str(kind)])
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def _columns_as_before(con, return_name, sha, first, expectations) -> list | None:
    """Passing outcomes of the column and type expectations when these columns passed this
    suite before; None when Great Expectations must judge them."""
    columns = _columns_sha(first)
    con.execute(COLUMNS_PASSED_DDL)
    seen = con.execute(
        "select count(*) from quality.suite_columns_passed "
        "where return_name = ? and suite_sha256 = ? and columns_sha256 = ?",
        [return_name, sha, columns],
    ).fetchone()[0]
    if not seen:
        return None
    return [suite_sql.passed(expectation) for expectation in expectations]


def _remember_columns(con, return_name, sha, first, results, now) -> None:
    if all(result.success for result in results):
        con.execute(
            "insert into quality.suite_columns_passed values (?, ?, ?, ?)",
            [return_name, sha, _columns_sha(first), now],
        )


def reading_notes(con: duckdb.DuckDBPyConnection, return_name: str) -> list[Finding]:
    """A warning for every current submission that was read, but not as it should have been
    written: a file in Windows-1252 rather than UTF-8 (the note ingestion kept in the ledger,
    `pipelines/returns/_reading.py`). Its text may still be wrong where a character means
    something else in the two encodings, so an officer should look at it."""
    rows = con.execute(
        """
        select submission_id, period, coalesce(source_file, file_path), reason
        from ledger.submissions
        where return_name = ? and status = 'accepted' and contains(reason, ?)
        order by submission_id
        """,
        [return_name, READ_AS_WINDOWS_1252],
    ).fetchall()
    return [
        Finding(
            check_name=NOT_UTF8,
            check_kind="suite",
            return_name=return_name,
            period_id=period,
            observed="Windows-1252",
            expected="UTF-8",
            message="; ".join(n for n in reason.split("; ") if READ_AS_WINDOWS_1252 in n),
            submission_id=submission_id,
            source_file=source_file,
            detail=str(submission_id),
        )
        for submission_id, period, source_file, reason in rows
    ]


def _rows_sql(return_name: str, suite: dict[str, Any], submission_ids: list[int]):
    """The submissions' rows with the suite's derived columns, in file order, as SQL and
    its parameters."""
    derived = suite.get("meta", {}).get("derived_columns", {})
    extra = "".join(f", {sql} as {name}" for name, sql in derived.items())
    return (
        f"select *{extra} from raw.{return_name} where list_contains($submissions, "
        "submission_id) order by submission_id, source_row",
        {"submissions": submission_ids},
    )


def _submission_rows(con, return_name: str, suite: dict[str, Any], submission_id: int):
    """One submission's rows as pandas, with the suite's derived columns, in file order."""
    rows_sql, parameters = _rows_sql(return_name, suite, [submission_id])
    return _as_gx_sees(con.execute(rows_sql, parameters).df())


def _as_gx_sees(rows: pd.DataFrame) -> pd.DataFrame:
    """Text columns with pandas' `string` dtype (missing = NA): Great Expectations' type
    check does not recognise the NaN-based `str` dtype pandas 3 gives."""
    text = [c for c, kind in rows.dtypes.items() if isinstance(kind, pd.StringDtype)]
    return rows.astype(dict.fromkeys(text, "string"))


def _validator(suite: dict[str, Any], expectations: list[dict[str, Any]]):
    """A function validating a pandas frame against some of the suite's expectations, on an
    ephemeral GX context."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    context = gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            progress_bars=ProgressBarsConfig(globally=False),
            analytics_enabled=False,
        ),
    )
    batches = (
        context.data_sources.add_pandas("partner_returns")
        .add_dataframe_asset("submission")
        .add_batch_definition_whole_dataframe("whole_submission")
    )
    expectation_suite = gx.ExpectationSuite(
        name=suite["name"], expectations=expectations, meta=suite.get("meta")
    )
    chosen_format = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": PARTIAL_UNEXPECTED,
        "return_unique_unexpected_count": True,
    }

    def validate(rows):
        batch = batches.get_batch(batch_parameters={"dataframe": rows})
        return batch.validate(expectation_suite, result_format=chosen_format)

    return validate


def findings_from_outcomes(
    outcomes: list[tuple[Any, pd.DataFrame]],
    return_name: str,
    submission_id: int,
    period: str | None,
    source_file: str,
) -> list[Finding]:
    """A finding for every failed expectation of one submission, naming the file and its
    rows; each outcome comes with the frame its row indexes point into."""
    findings = []
    for outcome, rows in outcomes:
        if outcome.success:
            continue
        config = outcome.expectation_config
        meta = config.meta or {}
        kwargs = dict(config.kwargs)
        described = describe_failure(config.type, kwargs, outcome.result, rows)
        why = f" {meta['why']}" if meta.get("why") else ""
        problem = described.problem
        if outcome.exception_info.get("raised_exception"):
            if kwargs.get("column") not in rows.columns:
                continue  # the missing column is reported once, by the column check
            problem = f"column '{kwargs.get('column')}' could not be checked: " + str(
                outcome.exception_info.get("exception_message")
            )
        findings.append(
            Finding(
                check_name=meta.get("check", config.type),
                check_kind="suite",
                return_name=return_name,
                period_id=period,
                observed=described.observed,
                expected=described.expected,
                message=f"{source_file}: {problem}.{why}",
                submission_id=submission_id,
                source_file=source_file,
                source_rows=described.source_rows,
                detail=kwargs.get("column") or config.type,
            )
        )
    return findings


@dataclass(frozen=True)
class Described:
    problem: str
    observed: str | None
    expected: str | None
    source_rows: str | None = None


def describe_failure(kind: str, kwargs: dict[str, Any], result: dict[str, Any], rows) -> Described:
    """Put a failed expectation into an officer's words: what is wrong, where, and examples."""
    column = kwargs.get("column")
    if kind == "expect_table_columns_to_match_set":
        mismatched = (result.get("details") or {}).get("mismatched") or {}
        missing = [str(c) for c in mismatched.get("missing") or []]
        verb = "is" if len(missing) == 1 else "are"
        return Described(
            f"column {', '.join(repr(c) for c in missing)} {verb} missing from the file",
            f"missing: {', '.join(missing)}",
            ", ".join(kwargs.get("column_set") or []),
        )
    if kind == "expect_column_values_to_be_in_type_list":
        observed = str(result.get("observed_value"))
        expected = " or ".join(kwargs.get("type_list") or [])
        return Described(
            f"column '{column}' holds {observed} values, expected {expected}", observed, expected
        )
    if kind == "expect_column_distinct_values_to_contain_set":
        missing = [str(v) for v in result.get("partial_missing_list") or []]
        return Described(
            f"no rows for {', '.join(missing)} in column '{column}'",
            f"missing: {', '.join(missing)}",
            f"every one of {len(kwargs.get('value_set') or [])} values present",
        )
    if kind == "expect_table_row_count_to_be_between":
        count = result.get("observed_value")
        expected = _range(kwargs.get("min_value"), kwargs.get("max_value"))
        return Described(f"the file has {count} rows, expected {expected}", str(count), expected)
    if "unexpected_count" in result:
        return _describe_rows(kind, kwargs, result, rows)
    observed = result.get("observed_value")
    return Described(
        f"{kind.removeprefix('expect_').replace('_', ' ')} failed (observed {observed})",
        None if observed is None else str(observed),
        None,
    )


def _describe_rows(kind: str, kwargs: dict[str, Any], result: dict[str, Any], rows) -> Described:
    """Row-level failures: how many rows, and the first few values with their file rows."""
    column = kwargs.get("column")
    count = result["unexpected_count"]
    indexes = result.get("partial_unexpected_index_list") or []
    values = result.get("partial_unexpected_list") or []
    file_rows = [int(rows["source_row"].iloc[i]) for i in indexes]
    shown_pairs = list(zip(values, file_rows, strict=False))[:SHOWN_ROWS]
    examples = ", ".join(f"{_shown(v)} at row {r}" for v, r in shown_pairs)
    expected = _expected(kind, kwargs)
    noun = "row" if count == 1 else "rows"
    problem = (
        f"{count} {noun} with {_wrong(kind)} in column '{column}' ({examples}); expected {expected}"
    )
    shown_rows = ", ".join(str(r) for r in file_rows[:20])
    if count > len(file_rows):
        shown_rows += f" and {count - len(file_rows)} more"
    distinct = sorted({_shown(v) for v in values})[:SHOWN_ROWS]
    return Described(problem, f"{count} {noun}: {', '.join(distinct)}", expected, shown_rows)


def _wrong(kind: str) -> str:
    return {
        "expect_column_values_to_be_between": "a value out of range",
        "expect_column_values_to_be_in_set": "a value that is not allowed",
        "expect_column_values_to_not_be_null": "an empty value",
        "expect_column_values_to_match_regex": "a value in the wrong form",
        "expect_column_values_to_be_unique": "a value repeated",
    }.get(kind, "an unexpected value")


def _expected(kind: str, kwargs: dict[str, Any]) -> str:
    if kind == "expect_column_values_to_be_between":
        return _range(kwargs.get("min_value"), kwargs.get("max_value"))
    if kind == "expect_column_values_to_be_in_set":
        allowed = [str(v) for v in kwargs.get("value_set") or []]
        listed = ", ".join(allowed[:8])
        if len(allowed) > 8:
            listed += f" (and {len(allowed) - 8} more)"
        return f"one of {listed}"
    if kind == "expect_column_values_to_not_be_null":
        return "a value in every row"
    if kind == "expect_column_values_to_match_regex":
        return f"the form {kwargs.get('regex')}"
    if kind == "expect_column_values_to_be_unique":
        return "each value once"
    return kind.removeprefix("expect_").replace("_", " ")


def _range(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"between {_shown(low)} and {_shown(high)}"
    if low is not None:
        return f"{_shown(low)} or more"
    return f"{_shown(high)} or less"


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)
