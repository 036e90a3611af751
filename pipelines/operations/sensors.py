"""Sensors: a new or changed partner file starts a run of the periods it is for and what
depends on them; a run whose process has ended is marked failed; a failed run is written
to a log and, when configured, emailed."""

import hashlib
import json
from datetime import date

import dagster as dg

from pipelines import notify, settings, writer
from pipelines.ingestion.partitions import file_periods, range_tags
from pipelines.jobs import built_from, jobs, period_job_of
from pipelines.operations import runs
from pipelines.returns import ReturnSpec, all_returns, returns_by_table


def changed_files(cursor: dict[str, str]) -> dict[str, dict[str, str]]:
    """Files in raw/ whose bytes differ from the cursor, grouped by raw table."""
    changed: dict[str, dict[str, str]] = {}
    for spec in all_returns():
        for partner_file in spec.find_files(settings.raw_dir()):
            sha = partner_file.sha256()
            if cursor.get(partner_file.relative_path) != sha:
                changed.setdefault(spec.table, {})[partner_file.relative_path] = sha
    return changed


def run_requests(
    changed: dict[str, dict[str, str]], asset_graph, today: date
) -> list[dg.RunRequest]:
    """One run per kind of period: the changed returns' periods, from the first to the
    last one touched, and everything built from those returns."""
    specs = returns_by_table()
    by_job: dict[str, list[ReturnSpec]] = {}
    for table in sorted(changed):
        by_job.setdefault(period_job_of(specs[table]), []).append(specs[table])
    requests = []
    for job, returns in by_job.items():
        tables = [spec.table for spec in returns]
        shas = "".join(sha for table in tables for sha in sorted(changed[table].values()))
        selection = built_from(dg.AssetSelection.assets(*[["raw", t] for t in tables]))
        tags = {"trigger": "raw_files_sensor", "returns": ", ".join(tables)}
        if returns[0].periods is not None:
            starts = [
                start
                for spec in returns
                for start in file_periods(
                    spec, [path.rsplit("/", 1)[-1] for path in changed[spec.table]], today
                )
            ]
            tags |= range_tags(returns[0].periods.kind, starts)
        requests.append(
            dg.RunRequest(
                run_key=f"{job}:{hashlib.sha256(shas.encode()).hexdigest()}",
                job_name=job,
                asset_selection=list(selection.resolve(asset_graph)),
                tags=tags,
            )
        )
    return requests


@dg.sensor(
    name="raw_files_sensor",
    jobs=jobs,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Watches raw/: a new or changed partner file starts a run of the periods it is for "
        "and everything built from its return. The same bytes dropped again start nothing."
    ),
)
def raw_files_sensor(context: dg.SensorEvaluationContext):
    cursor = json.loads(context.cursor) if context.cursor else {}
    changed = changed_files(cursor)
    if not changed:
        return dg.SkipReason("No new or changed partner file in raw/.")
    for files in changed.values():
        cursor.update(files)
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    return run_requests(changed, context.repository_def.asset_graph, date.today())


@dg.run_failure_sensor(
    name="run_failure_notifier",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes every failed run to warehouse/run_failures.log and emails it when "
    "WELLBEING_SMTP_HOST and WELLBEING_SMTP_TO are set.",
)
def run_failure_notifier(context: dg.RunFailureSensorContext) -> None:
    message = context.failure_event.message or "no message"
    log_file = settings.warehouse_path().parent / "run_failures.log"
    notify.record_failure(
        log_file, context.dagster_run.job_name, context.dagster_run.run_id, message
    )
    smtp = notify.SmtpSettings.from_environment()
    if smtp is not None:
        notify.send_failure_email(
            smtp, context.dagster_run.job_name, context.dagster_run.run_id, message
        )


@dg.sensor(
    name="dead_runs_sensor",
    minimum_interval_seconds=120,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Marks failed, with the reason, the runs whose process has ended without finishing "
        "them (killed, or the machine restarted), so that the queue, which starts one run "
        "at a time, starts the next. It looks only while no run is writing the warehouse."
    ),
)
def dead_runs_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    warehouse = settings.warehouse_path()
    try:
        writer.acquire(warehouse, wait_seconds=0, purpose="the Dagster daemon's dead_runs_sensor")
    except writer.WarehouseBusy:
        return dg.SkipReason("A run is writing the warehouse: its process lives.")
    try:
        dead = runs.fail_dead_runs(context.instance, warehouse)
    finally:
        writer.release(warehouse)
    return dg.SkipReason(
        f"Marked {len(dead)} run(s) failed: {', '.join(run.run_id for run in dead)}."
        if dead
        else "No run in progress whose process has ended."
    )


sensors = [raw_files_sensor, dead_runs_sensor, run_failure_notifier]
