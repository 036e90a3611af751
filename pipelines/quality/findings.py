"""Findings: every problem the quality gate finds, kept in the warehouse's `quality` schema.

A finding has a stable key (check, return, measure, area, period and a detail such as the
column), so running the checks again updates the same row: `first_seen_at` survives re-runs
and an officer can say "this has been open since March". A finding that is no longer raised
is kept as `resolved`, for the record. Severities come from `expectations/severities.yml`
and reviews from `expectations/reviewed_findings.yml`, both reviewed in the repository, so
neither is hard-coded nor lost when the warehouse is rebuilt.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipelines import settings

SEVERITIES_FILE = settings.EXPECTATIONS_DIR / "severities.yml"
REVIEWS_FILE = settings.EXPECTATIONS_DIR / "reviewed_findings.yml"

BLOCKING = "blocking"
WARNING = "warning"
OPEN = "open"
EXPLAINED = "explained"
RESOLVED = "resolved"

REVIEWABLE_BLOCKING = ("figure_disappeared",)
"""Blocking checks a review can explain: a figure withdrawn on purpose is explained by
whoever withdrew it; every other blocking finding needs a corrected file."""

CHECK_KINDS = (
    "suite",
    "completeness",
    "plausibility",
    "consistency",
    "resubmission",
    "model_test",
)

QUALITY_DDL = """
create schema if not exists quality;
create table if not exists quality.findings (
    finding_key varchar not null,
    check_name varchar not null,
    check_kind varchar not null,
    source varchar,
    return_name varchar,
    partner varchar,
    measure_id varchar,
    area_code varchar,
    period_id varchar,
    severity varchar not null,
    observed varchar,
    expected varchar,
    message varchar not null,
    submission_id integer,
    source_file varchar,
    source_rows varchar,
    status varchar not null,
    explanation varchar,
    reviewed_by varchar,
    reviewed_on date,
    first_seen_at timestamp not null,
    last_seen_at timestamp not null,
    resolved_at timestamp
);
create table if not exists quality.check_runs (
    run_at timestamp not null,
    check_name varchar not null,
    check_kind varchar not null,
    asset_key varchar,
    return_name varchar,
    passed boolean not null,
    findings_open integer not null,
    blocking_open integer not null,
    warnings_open integer not null,
    findings_explained integer not null,
    duration_seconds double
);
"""
"""The quality tables, defined here only. dbt reads `quality.findings` as a source, so the
ledger asset, which runs before dbt, creates them empty on a first run."""

FINDING_COLUMNS = (
    "finding_key",
    "check_name",
    "check_kind",
    "source",
    "return_name",
    "partner",
    "measure_id",
    "area_code",
    "period_id",
    "severity",
    "observed",
    "expected",
    "message",
    "submission_id",
    "source_file",
    "source_rows",
    "status",
    "explanation",
    "reviewed_by",
    "reviewed_on",
)


@dataclass(frozen=True)
class Finding:
    """One problem with partner data, in words an officer can act on.

    `detail` tells apart findings of one check on the same return, measure, area and period
    (the column of a file, or the other measure of a pair); it is part of the key.
    """

    check_name: str
    check_kind: str
    message: str
    return_name: str | None = None
    source: str | None = None
    partner: str | None = None
    measure_id: str | None = None
    area_code: str | None = None
    period_id: str | None = None
    observed: str | None = None
    expected: str | None = None
    submission_id: int | None = None
    source_file: str | None = None
    source_rows: str | None = None
    detail: str | None = None

    @property
    def key(self) -> str:
        """`check|return|measure|area|period|detail`, empty where a part does not apply."""
        parts = (
            self.check_name,
            self.return_name,
            self.measure_id,
            self.area_code,
            self.period_id,
            self.detail,
        )
        return "|".join(part or "" for part in parts)


@dataclass(frozen=True)
class SeverityRules:
    """Which findings stop publication: per check, optionally per return or measure."""

    default: str
    by_check: dict[str, str]
    overrides: tuple[dict[str, str], ...] = ()

    def of(self, finding: Finding) -> str:
        """The most specific rule wins: an override naming more fields beats a broader one."""
        best: tuple[int, str] | None = None
        for rule in self.overrides:
            if rule["check"] != finding.check_name:
                continue
            wanted = {k: rule[k] for k in ("return", "measure", "area") if k in rule}
            actual = {
                "return": finding.return_name,
                "measure": finding.measure_id,
                "area": finding.area_code,
            }
            if all(actual[k] == v for k, v in wanted.items()) and (
                best is None or len(wanted) > best[0]
            ):
                best = (len(wanted), rule["severity"])
        if best is not None:
            return best[1]
        return self.by_check.get(finding.check_name, self.default)


def load_severities(path: Path = SEVERITIES_FILE) -> SeverityRules:
    """Read the severities file, refusing anything but `blocking` or `warning`."""
    data = yaml.safe_load(path.read_text()) or {}
    allowed = {BLOCKING, WARNING}

    def checked(value: Any, where: str) -> str:
        if value not in allowed:
            raise ValueError(
                f"{path.name}: {where} has severity {value!r}; use blocking or warning"
            )
        return value

    default = checked(data.get("default", WARNING), "default")
    by_check = {
        name: checked(value, f"check {name}") for name, value in (data.get("checks") or {}).items()
    }
    overrides = []
    for number, rule in enumerate(data.get("overrides") or [], start=1):
        if "check" not in rule:
            raise ValueError(f"{path.name}: override {number} names no check")
        checked(rule.get("severity"), f"override {number}")
        overrides.append({k: str(v) for k, v in rule.items()})
    return SeverityRules(default, by_check, tuple(overrides))


@dataclass(frozen=True)
class Review:
    """An analyst's explanation of a warning, from the reviewed findings file.

    It names a finding by its key, or by check and any of return, measure, area and period;
    a field left out matches every value, so one review can explain a county-wide change.
    """

    reason: str
    reviewed_by: str
    reviewed_on: date
    finding_key: str | None = None
    match: dict[str, str] = field(default_factory=dict)

    def explains(self, finding: Finding) -> bool:
        if self.finding_key is not None:
            return self.finding_key == finding.key
        actual = {
            "check": finding.check_name,
            "return": finding.return_name,
            "measure": finding.measure_id,
            "area": finding.area_code,
            "period": finding.period_id,
        }
        return all(actual[k] == v for k, v in self.match.items())


def load_reviews(path: Path = REVIEWS_FILE) -> list[Review]:
    """Read the reviewed findings file; a review without reason, reviewer or date is refused."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text()) or {}
    reviews = []
    for number, entry in enumerate(data.get("reviewed") or [], start=1):
        missing = [k for k in ("reason", "reviewed_by", "date") if not entry.get(k)]
        if missing:
            raise ValueError(f"{path.name}: review {number} has no {', '.join(missing)}")
        match = {
            k: str(entry[k]) for k in ("check", "return", "measure", "area", "period") if k in entry
        }
        if not entry.get("finding_key") and "check" not in match:
            raise ValueError(
                f"{path.name}: review {number} names neither a finding_key nor a check"
            )
        reviewed_on = entry["date"]
        if not isinstance(reviewed_on, date):
            reviewed_on = date.fromisoformat(str(reviewed_on))
        reviews.append(
            Review(
                reason=str(entry["reason"]).strip(),
                reviewed_by=str(entry["reviewed_by"]),
                reviewed_on=reviewed_on,
                finding_key=entry.get("finding_key"),
                match=match,
            )
        )
    return reviews


def ensure_quality_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(QUALITY_DDL)


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def return_details() -> dict[str, tuple[str, str]]:
    """Source folder and partner of every return, by raw table name."""
    from pipelines.returns import all_returns

    return {spec.table: (spec.source, spec.partner) for spec in all_returns()}


@dataclass(frozen=True)
class CheckOutcome:
    """What one asset check found, for its result in Dagster: open and explained findings."""

    open_blocking: list[dict[str, Any]]
    open_warnings: list[dict[str, Any]]
    explained: list[dict[str, Any]]
    checks_run: list[str]

    @property
    def passed(self) -> bool:
        return not self.open_blocking and not self.open_warnings


class Stopwatch:
    """A check's duration so far, for `quality.check_runs`."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.started


def record_findings(
    con: duckdb.DuckDBPyConnection,
    findings: Iterable[Finding],
    *,
    check_kind: str,
    checks_run: Iterable[str],
    return_name: str | None = None,
    still_present: Iterable[str] = (),
    asset_key: str | None = None,
    duration_seconds: float | None = None,
    severities: SeverityRules | None = None,
    reviews: list[Review] | None = None,
    now: datetime | None = None,
) -> CheckOutcome:
    """Upsert one check's findings and log the run; resolve what was not raised again.

    The scope is the check kind, and the return when given: findings of that scope that are
    neither raised now nor listed in `still_present` (keys a check knows still hold, such as
    those of submissions validated earlier) become `resolved`.
    """
    if check_kind not in CHECK_KINDS:
        raise ValueError(f"unknown check kind {check_kind!r}")
    now = now or datetime.now(UTC).replace(tzinfo=None)
    severities = severities or load_severities()
    reviews = load_reviews() if reviews is None else reviews
    ensure_quality_schema(con)
    details = return_details()

    incoming: dict[str, tuple] = {}
    for finding in findings:
        if finding.key in incoming:
            continue
        if finding.return_name and finding.return_name in details and not finding.partner:
            source, partner = details[finding.return_name]
            finding = replace(finding, source=finding.source or source, partner=partner)
        incoming[finding.key] = _row(finding, severities.of(finding), reviews)

    scope_sql = "check_kind = ?" + (" and return_name = ?" if return_name else "")
    scope_args = [check_kind, *([return_name] if return_name else [])]
    con.begin()
    try:
        con.execute(
            "create or replace temporary table incoming_findings as "
            "select * exclude (first_seen_at, last_seen_at, resolved_at) "
            "from quality.findings limit 0"
        )
        if incoming:
            con.executemany(
                f"insert into incoming_findings values ({', '.join('?' * len(FINDING_COLUMNS))})",
                list(incoming.values()),
            )
        assignments = ", ".join(f"{column} = incoming.{column}" for column in FINDING_COLUMNS[1:])
        con.execute(
            f"""
            update quality.findings
            set {assignments}, last_seen_at = ?, resolved_at = null
            from incoming_findings as incoming
            where quality.findings.finding_key = incoming.finding_key
            """,
            [now],
        )
        con.execute(
            """
            insert into quality.findings
            select incoming.*, ? as first_seen_at, ? as last_seen_at, null as resolved_at
            from incoming_findings as incoming
            where incoming.finding_key not in (select finding_key from quality.findings)
            """,
            [now, now],
        )
        keep = sorted(set(incoming) | set(still_present))
        con.execute(
            f"""
            update quality.findings set status = 'resolved', resolved_at = ?
            where {scope_sql} and status <> 'resolved' and not list_contains(?, finding_key)
            """,
            [now, *scope_args, keep],
        )
        outcome = _outcome(con, scope_sql, scope_args, list(checks_run))
        _log_runs(con, outcome, check_kind, asset_key, return_name, duration_seconds, now)
        con.execute("drop table incoming_findings")
        con.commit()
    except Exception:
        con.rollback()
        raise
    return outcome


def _row(finding: Finding, severity: str, reviews: list[Review]) -> tuple:
    """The finding as a row of the findings table; a reviewed warning becomes `explained`.

    Only warnings can be explained: a blocking finding means the file cannot be trusted, and
    the partner has to send a corrected one; except a figure that disappeared, which stops
    publication until someone says why it was withdrawn (`REVIEWABLE_BLOCKING`).
    """
    review = next((r for r in reviews if r.explains(finding)), None)
    reviewable = severity == WARNING or finding.check_name in REVIEWABLE_BLOCKING
    if reviewable and review is not None:
        status, explanation = EXPLAINED, (review.reason, review.reviewed_by, review.reviewed_on)
    else:
        status, explanation = OPEN, (None, None, None)
    return (
        finding.key,
        finding.check_name,
        finding.check_kind,
        finding.source,
        finding.return_name,
        finding.partner,
        finding.measure_id,
        finding.area_code,
        finding.period_id,
        severity,
        finding.observed,
        finding.expected,
        finding.message,
        finding.submission_id,
        finding.source_file,
        finding.source_rows,
        status,
        *explanation,
    )


def _outcome(con, scope_sql: str, scope_args: list, checks_run: list[str]) -> CheckOutcome:
    rows = con.execute(
        f"""
        select finding_key, check_name, severity, status, message, explanation, submission_id,
            period_id, area_code, measure_id
        from quality.findings where {scope_sql} and status <> 'resolved'
        order by severity, finding_key
        """,
        scope_args,
    ).fetchall()
    names = ("finding_key", "check_name", "severity", "status", "message", "explanation")
    names += ("submission_id", "period_id", "area_code", "measure_id")
    found = [dict(zip(names, row, strict=True)) for row in rows]
    return CheckOutcome(
        open_blocking=[f for f in found if f["status"] == OPEN and f["severity"] == BLOCKING],
        open_warnings=[f for f in found if f["status"] == OPEN and f["severity"] == WARNING],
        explained=[f for f in found if f["status"] == EXPLAINED],
        checks_run=sorted(set(checks_run) | {f["check_name"] for f in found}),
    )


def _log_runs(con, outcome: CheckOutcome, kind, asset_key, return_name, seconds, now) -> None:
    """One row per check that ran, passed or not."""
    rows = []
    for check in outcome.checks_run:

        def of(findings: list[dict[str, Any]], check: str = check) -> int:
            return sum(f["check_name"] == check for f in findings)

        blocking, warnings = of(outcome.open_blocking), of(outcome.open_warnings)
        rows.append(
            (
                now,
                check,
                kind,
                asset_key,
                return_name,
                blocking + warnings == 0,
                blocking + warnings,
                blocking,
                warnings,
                of(outcome.explained),
                seconds,
            )
        )
    if rows:
        con.executemany(
            "insert into quality.check_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
