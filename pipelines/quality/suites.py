"""What partners send, checked against the reviewed Great Expectations suites.

One suite per raw table, as JSON under `expectations/` (`police__street_crimes.json`), so a
change to what is accepted is reviewed like code. Each expectation's `meta` says which check
it is (`count_negative`, `district_missing`, ...: the names `severities.yml` uses) and why it
matters, in words an officer can pass back to the partner. A suite's own `meta` may add
`derived_columns` (SQL on the raw row, such as the district an LSOA name lies in), so that
expectations can speak of what the file means rather than how it is spelled.

Every current submission is judged on its own, so a finding names the partner's file and
the rows as the officer sees them. A submission already validated against the same suite is
not validated again: its findings stay as recorded. Great Expectations runs on pandas (its
SQL datasource does not work with DuckDB), and is imported only when there is work to do,
because importing it takes seconds.

The new submissions of a return are validated together, in batches of up to `BATCH_ROWS`
rows, because Great Expectations' overhead is per validation, not per row (96 police months
one at a time took 46 s). Expectations on each row (`ROW_BY_ROW`) and on the table's columns
(`SAME_FOR_EVERY_SUBMISSION`) run once on the batch, with every unexpected row listed, and
their outcome is split by submission, each submission's success decided by Great
Expectations' own rule for `mostly`. Expectations on a whole file (its row count, the
districts it covers) run on each submission's own rows.
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
from pipelines.quality.findings import Finding, ensure_quality_schema

VALIDATIONS_DDL = """
create table if not exists quality.suite_validations (
    return_name varchar not null,
    submission_id integer not null,
    suite_sha256 varchar not null,
    validated_at timestamp not null
);
"""

SHOWN_ROWS = 5
"""How many example rows a message quotes; the finding counts them all."""

BATCH_ROWS = 500_000
"""Rows validated at once: about 300 MB of pandas for the police file's columns."""

ROW_BY_ROW = {
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_not_be_null",
}
"""Expectations judging each row on its own: their unexpected rows split by submission."""

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
    batch_rows: int = BATCH_ROWS,
) -> SuiteOutcome:
    """Validate each current submission of a return not yet validated against its suite,
    in batches of about `batch_rows` rows."""
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
        select submission_id, period, coalesce(source_file, file_path), row_count
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
    to_validate = [s for s in submissions if s[0] not in validated]
    if not to_validate:
        return outcome
    expectations = suite["expectations"]
    on_batch = ROW_BY_ROW | SAME_FOR_EVERY_SUBMISSION
    batched = [i for i, e in enumerate(expectations) if e["type"] in on_batch]
    each_file = [i for i, e in enumerate(expectations) if e["type"] not in on_batch]
    validate_batch = _validator(suite, [expectations[i] for i in batched], "COMPLETE")
    validate_file = _validator(suite, [expectations[i] for i in each_file], "SUMMARY")
    for batch in _batches(to_validate, batch_rows):
        rows = _submission_rows(con, return_name, suite, [s[0] for s in batch])
        batch_results = validate_batch(rows).results if batched else []
        for submission_id, period, source_file, _ in batch:
            own = rows.index[rows["submission_id"] == submission_id]
            own_rows = rows.loc[own].reset_index(drop=True)
            judged = {
                position: (result if len(batch) == 1 else _for_submission(result, rows, own), rows)
                for position, result in zip(batched, batch_results, strict=True)
            }
            if each_file:
                file_results = validate_file(own_rows).results
                judged |= {
                    position: (result, own_rows)
                    for position, result in zip(each_file, file_results, strict=True)
                }
            outcome.findings.extend(
                findings_from_outcomes(
                    [judged[position] for position in sorted(judged)],
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


def _batches(submissions: list[tuple], batch_rows: int) -> list[list[tuple]]:
    """Consecutive submissions in batches of about `batch_rows` rows (a bigger submission is
    a batch of its own)."""
    batches: list[list[tuple]] = [[]]
    size = 0
    for submission in submissions:
        rows = submission[3] or 0
        if batches[-1] and size + rows > batch_rows:
            batches.append([])
            size = 0
        batches[-1].append(submission)
        size += rows
    return batches


@dataclass(frozen=True)
class _SubmissionResult:
    """A batch's outcome of one expectation, as it would have been on one submission alone."""

    success: bool
    expectation_config: Any
    result: dict[str, Any]
    exception_info: dict[str, Any]


def _for_submission(result, rows: pd.DataFrame, own: pd.Index) -> _SubmissionResult:
    """One submission's part of an expectation's outcome on the batch. A column-wide outcome
    is every submission's; a row-by-row outcome keeps the submission's unexpected rows, and
    whether they are too many is decided as Great Expectations decides it (`mostly`)."""
    from great_expectations.expectations.expectation import _mostly_success

    config = result.expectation_config
    every_row = result.result or {}
    if config.type not in ROW_BY_ROW or result.exception_info.get("raised_exception"):
        return _SubmissionResult(result.success, config, every_row, result.exception_info)
    mine = set(own)
    pairs = [
        (index, value)
        for index, value in zip(
            every_row.get("unexpected_index_list") or [],
            every_row.get("unexpected_list") or [],
            strict=True,
        )
        if index in mine
    ]
    column = rows.loc[own, config.kwargs["column"]]
    considered = len(column) if config.type.endswith("_not_be_null") else int(column.notna().sum())
    if not pairs or considered == 0:
        success = True
    else:
        success = _mostly_success(considered, len(pairs), config.kwargs.get("mostly", 1))
    return _SubmissionResult(
        success,
        config,
        {
            "unexpected_count": len(pairs),
            "partial_unexpected_index_list": [index for index, _ in pairs[:PARTIAL_UNEXPECTED]],
            "partial_unexpected_list": [value for _, value in pairs[:PARTIAL_UNEXPECTED]],
        },
        result.exception_info,
    )


def _submission_rows(con, return_name: str, suite: dict[str, Any], submission_ids: list[int]):
    """Submissions' rows as pandas, with the suite's derived columns, in file order.

    Text columns are handed over with pandas' `string` dtype (missing = NA): Great
    Expectations' type check does not recognise the NaN-based `str` dtype pandas 3 gives.
    """
    derived = suite.get("meta", {}).get("derived_columns", {})
    extra = "".join(f", {sql} as {name}" for name, sql in derived.items())
    rows = con.execute(
        f"select *{extra} from raw.{return_name} where list_contains(?, submission_id) "
        "order by submission_id, source_row",
        [submission_ids],
    ).df()
    text = [c for c, kind in rows.dtypes.items() if isinstance(kind, pd.StringDtype)]
    return rows.astype(dict.fromkeys(text, "string"))


def _validator(suite: dict[str, Any], expectations: list[dict[str, Any]], result_format: str):
    """A function validating a pandas frame against some of the suite's expectations, on an
    ephemeral GX context. COMPLETE lists every unexpected row, to split them by submission."""
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
        "result_format": result_format,
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
