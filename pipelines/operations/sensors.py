"""Sensors: a new or changed partner file starts a run of its return and what depends on
it; a failed run is written to a log and, when configured, emailed."""

import json

import dagster as dg

from pipelines import notify, settings
from pipelines.ingestion.assets import ingestion_assets
from pipelines.returns import all_returns


def changed_files(cursor: dict[str, str]) -> dict[str, dict[str, str]]:
    """Files in raw/ whose bytes differ from the cursor, grouped by raw table."""
    changed: dict[str, dict[str, str]] = {}
    for spec in all_returns():
        for partner_file in spec.find_files(settings.raw_dir()):
            sha = partner_file.sha256()
            if cursor.get(partner_file.relative_path) != sha:
                changed.setdefault(spec.table, {})[partner_file.relative_path] = sha
    return changed


@dg.sensor(
    name="raw_files_sensor",
    target=dg.AssetSelection.all(),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Watches raw/: a new or changed partner file starts a run of its return's ingestion "
        "and everything downstream. The same bytes dropped again start nothing."
    ),
)
def raw_files_sensor(context: dg.SensorEvaluationContext):
    cursor = json.loads(context.cursor) if context.cursor else {}
    changed = changed_files(cursor)
    if not changed:
        return dg.SkipReason("No new or changed partner file in raw/.")
    keys = {asset.key.path[-1]: asset.key for asset in ingestion_assets}
    for table, files in sorted(changed.items()):
        cursor.update(files)
        yield dg.RunRequest(
            run_key=f"{table}:{'|'.join(sorted(files.values()))}",
            asset_selection=list(
                dg.AssetSelection.assets(keys[table])
                .downstream()
                .resolve(context.repository_def.asset_graph)
            ),
            tags={"trigger": "raw_files_sensor", "return": table},
        )
    context.update_cursor(json.dumps(cursor, sort_keys=True))


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


sensors = [raw_files_sensor, run_failure_notifier]
