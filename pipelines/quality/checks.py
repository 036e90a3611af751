"""The quality gate as Dagster asset checks, on the assets whose data they judge.

On every ingestion asset `raw/<table>`: the reviewed Great Expectations suite on each
current submission. On `marts/returns_calendar`: each return's completeness. On
`marts/measure_values`: plausibility, consistency between figures and sources, and figures
changed by resubmissions. A check fails while it has open findings: with ERROR severity when
any is blocking (nothing may be published), WARN otherwise; explained warnings let it pass
and show their explanation. Every result is also a row in `quality.findings`.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.ingestion.assets import ingestion_assets
from pipelines.quality import completeness, disappeared, plausibility, suites
from pipelines.quality.findings import CheckOutcome, Stopwatch, record_findings
from pipelines.returns import ReturnSpec, all_returns

MEASURE_VALUES = dg.AssetKey(["marts", "measure_values"])
RETURNS_CALENDAR = dg.AssetKey(["marts", "returns_calendar"])
LISTED = 25
"""Findings listed in a check's metadata; the rest are in quality.findings."""


def check_result(
    outcome: CheckOutcome, check: dg.AssetCheckSpec | None = None, **metadata
) -> dg.AssetCheckResult:
    """Red while anything is open: ERROR if blocking, else WARN; explanations are shown.
    `check` names the check when one step yields several."""
    open_findings = outcome.open_blocking + outcome.open_warnings
    listed = "\n".join(
        f"- **{f['severity']}** `{f['check_name']}`: {f['message']}" for f in open_findings[:LISTED]
    )
    if len(open_findings) > LISTED:
        listed += f"\n- ... and {len(open_findings) - LISTED} more in quality.findings"
    explained = "\n".join(
        f"- `{f['check_name']}`: {f['message']} — *explained: {f['explanation']}*"
        for f in outcome.explained[:LISTED]
    )
    return dg.AssetCheckResult(
        asset_key=check.asset_key if check else None,
        check_name=check.name if check else None,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR
        if outcome.open_blocking
        else dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(outcome.open_blocking)} blocking and {len(outcome.open_warnings)} warning "
            f"finding(s) open, {len(outcome.explained)} explained"
        ),
        metadata={
            "blocking_open": len(outcome.open_blocking),
            "warnings_open": len(outcome.open_warnings),
            "explained": len(outcome.explained),
            "checks_run": ", ".join(outcome.checks_run),
            "open_findings": dg.MetadataValue.md(listed or "none"),
            "explained_findings": dg.MetadataValue.md(explained or "none"),
            **metadata,
        },
    )


def _suite_check(asset: dg.AssetsDefinition) -> dg.AssetCheckSpec:
    table = asset.key.path[-1]
    return dg.AssetCheckSpec(
        name="partner_data_matches_suite",
        asset=asset.key,
        description=(
            f"Each current submission against expectations/{table}.json: columns and types, "
            "allowed values, counts not negative, percentages within 0-100, every district."
        ),
    )


@dg.multi_asset_check(
    specs=[_suite_check(asset) for asset in ingestion_assets],
    can_subset=True,
    name="partner_data_matches_suites",
)
def partner_data_matches_suites(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
    """Each ingested return's new submissions against its reviewed suite: a check of its own
    on each return's ingestion asset, all judged in one step (see `returns_received`)."""
    with warehouse.get_connection() as con:
        for asset in ingestion_assets:
            check = _suite_check(asset)
            if check.key not in context.selected_asset_check_keys:
                continue
            table = asset.key.path[-1]
            clock = Stopwatch()
            validated = suites.validate_return(con, table)
            outcome = record_findings(
                con,
                validated.findings,
                check_kind="suite",
                checks_run=validated.checks_run,
                return_name=table,
                still_present=validated.still_present,
                asset_key=asset.key.to_user_string(),
                duration_seconds=clock.seconds(),
            )
            yield check_result(
                outcome, check=check, submissions_validated=len(validated.submissions_validated)
            )


def _received_check(spec: ReturnSpec) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=f"{spec.table}_received",
        asset=RETURNS_CALENDAR,
        description=(
            f"Every period of {spec.partner}'s {spec.name.replace('_', ' ')} return that the "
            "returns calendar says is due has been received (not received findings give the "
            "days overdue), and no month is missing from a monthly series."
        ),
    )


@dg.multi_asset_check(
    specs=[_received_check(spec) for spec in all_returns()],
    can_subset=True,
    name="returns_received",
)
def returns_received(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
    """Completeness of each return, on the returns calendar it is judged against.

    It sits on `marts/returns_calendar` rather than on the returns' ingestion assets: a
    partitioned ingestion run loads some periods, and only the rebuilt calendar can say
    which periods are still owed. One step judges every selected return (a step each cost
    a fifth of a second of Dagster's own work, twenty times a run); each is still a check
    of its own, with its own result.
    """
    with warehouse.get_connection() as con:
        for spec in all_returns():
            check = _received_check(spec)
            if check.key not in context.selected_asset_check_keys:
                continue
            clock = Stopwatch()
            outcome = record_findings(
                con,
                completeness.check_return(con, spec),
                check_kind="completeness",
                checks_run=[completeness.CHECK],
                return_name=spec.table,
                asset_key=f"raw/{spec.table}",
                duration_seconds=clock.seconds(),
            )
            yield check_result(outcome, check=check)


def _measure_check(name: str, kind: str, description: str, find) -> dg.AssetChecksDefinition:
    """A check on measure_values. Blocking in Dagster's sense: publication, downstream of the
    marts, waits for it and does not run while it fails with a blocking finding."""

    @dg.asset_check(asset=MEASURE_VALUES, name=name, description=description, blocking=True)
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            clock = Stopwatch()
            figures = plausibility.load_figures(con)
            found, checks_run = find(con, figures, plausibility.load_config())
            outcome = record_findings(
                con,
                found,
                check_kind=kind,
                checks_run=checks_run,
                asset_key=MEASURE_VALUES.to_user_string(),
                duration_seconds=clock.seconds(),
            )
        return check_result(outcome, figures_checked=len(figures))

    return _check


def _plausible(con, figures, config):
    return (
        plausibility.change_beyond_band(figures, config)
        + plausibility.outside_own_history(figures, config)
        + plausibility.parts_do_not_add_up(figures, config)
    ), ["change_beyond_band", "outside_own_history", "parts_do_not_add_up"]


def _consistent(con, figures, config):
    return (
        plausibility.figures_disagree(figures, config, con)
        + plausibility.claimed_ranks(con, figures, config)
        + plausibility.commentary_claims(con, figures, config)
    ), sorted(
        {rule.get("check", "same_figure_differs") for rule in config.get("figures_agree") or []}
        | {
            "claimed_rank_contradicts_table",
            "commentary_contradicts_data",
            "commentary_quotes_another_period",
        }
    )


def _resubmitted(con, figures, config):
    return (
        plausibility.resubmission_changes(con, figures)
        + disappeared.figures_gone(con, settings.published_path())
    ), ["resubmission_changed_figure", disappeared.CHECK]


measure_checks = [
    _measure_check(
        "figures_plausible",
        "plausibility",
        "Changes beyond each measure's band that are statistically significant, figures far "
        "outside their own history, and parts that do not add up to their total.",
        _plausible,
    ),
    _measure_check(
        "figures_consistent",
        "consistency",
        "The same figure reported the same way in two places, claims not contradicted by "
        "another source (the council's recycling claim against Defra ENV18), and ranks "
        "claimed in commentary against the districts' figures.",
        _consistent,
    ),
    _measure_check(
        "resubmissions_keep_figures",
        "resubmission",
        "Figures that a resubmitted return changed, with the old and new values, and figures "
        "of the last publication that are no longer built (blocking until reviewed).",
        _resubmitted,
    ),
]

quality_checks: list[dg.AssetChecksDefinition] = [
    partner_data_matches_suites,
    returns_received,
    *measure_checks,
]
"""Every quality check, for `load_defs` (`pipelines/assembly.py`) to register."""
