"""Running as a service: the raw/ sensor starts runs only for new or changed files, failed
runs are logged and emailed (to a real SMTP server started here), schedules exist."""

from __future__ import annotations

import json
import shutil
import socketserver
import threading
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest
from factories import police_month_file as month_file

from pipelines import notify, settings
from pipelines.operations.sensors import raw_files_sensor, run_failure_notifier


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message, as a real server would."""

    def handle(self) -> None:
        self.wfile.write(b"220 localhost test SMTP\r\n")
        lines: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ")[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.wfile.write(b"250 localhost\r\n")
            elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 end with .\r\n")
                while (body := self.rfile.readline().decode()) not in {".\r\n", ".\n", ""}:
                    lines.append(body)
                self.server.messages.append("".join(lines))
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_failure_email_reaches_the_smtp_server(smtp_server, monkeypatch) -> None:
    monkeypatch.setenv("WELLBEING_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WELLBEING_SMTP_PORT", str(smtp_server.server_address[1]))
    monkeypatch.setenv("WELLBEING_SMTP_TO", "analyst@sevenoaks.example, lead@sevenoaks.example")
    smtp = notify.SmtpSettings.from_environment()
    notify.send_failure_email(smtp, "build_and_publish", "run-123", "dbt build failed")
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert "Subject: Wellbeing warehouse: run of build_and_publish failed" in message
    assert "analyst@sevenoaks.example" in message and "dbt build failed" in message


def test_no_smtp_settings_means_no_email(monkeypatch) -> None:
    monkeypatch.delenv("WELLBEING_SMTP_HOST", raising=False)
    assert notify.SmtpSettings.from_environment() is None


def test_failed_run_is_logged_and_emailed(workspace, smtp_server, monkeypatch) -> None:
    monkeypatch.setenv("WELLBEING_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WELLBEING_SMTP_PORT", str(smtp_server.server_address[1]))
    monkeypatch.setenv("WELLBEING_SMTP_TO", "analyst@sevenoaks.example")

    @dg.asset
    def broken_return() -> None:
        raise ValueError("the partner file cannot be read")

    with dg.instance_for_test() as instance:
        result = dg.materialize([broken_return], instance=instance, raise_on_error=False)
        failure = (
            instance.get_records_for_run(
                run_id=result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE
            )
            .records[0]
            .event_log_entry.dagster_event
        )
        context = dg.build_run_status_sensor_context(
            sensor_name="run_failure_notifier",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        run_failure_notifier(context)
    log = (workspace / "warehouse" / "run_failures.log").read_text()
    assert result.run_id in log
    assert len(smtp_server.messages) == 1 and result.run_id in smtp_server.messages[0]


RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def test_sensor_runs_only_the_periods_that_changed(workspace) -> None:
    from pipelines.assembly import load_defs

    defs = load_defs()

    raw = workspace / "raw"
    month_file(raw, "2019-04", 3)
    with dg.instance_for_test() as instance:

        def evaluate(cursor):
            context = dg.build_sensor_context(cursor=cursor, instance=instance, definitions=defs)
            result = raw_files_sensor.evaluate_tick(context)
            return result, context.cursor

        first, cursor = evaluate(None)
        assert len(first.run_requests) == 1
        request = first.run_requests[0]
        assert request.job_name == "monthly_returns"
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2019-04", "2019-04")
        selected = {k.to_user_string() for k in request.asset_selection}
        assert "raw/police__street_crimes" in selected
        assert "marts/measure_values" in selected
        assert "publication/published_warehouse" in selected
        assert not any(key.startswith("raw/") and "police" not in key for key in selected)
        assert list(json.loads(cursor)) == ["police/2019-04/2019-04-kent-street.csv"]

        again, cursor = evaluate(cursor)
        assert not again.run_requests

        redropped = raw / "police" / "2019-04" / "2019-04-kent-street.csv"
        redropped.write_bytes(redropped.read_bytes())
        unchanged, cursor = evaluate(cursor)
        assert not unchanged.run_requests

        month_file(raw, "2019-05", 2)
        month_file(raw, "2019-07", 2)
        new_months, cursor = evaluate(cursor)
        assert len(new_months.run_requests) == 1
        request = new_months.run_requests[0]
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2019-05", "2019-07")

        waste = raw / "waste" / "missed_collections" / "missed_collections_2021-22_Q3.csv"
        waste.parent.mkdir(parents=True)
        waste.write_text("anything: the run, not the sensor, reads it\n")
        quarter, _ = evaluate(cursor)
        assert [r.job_name for r in quarter.run_requests] == ["quarterly_returns"]
        assert quarter.run_requests[0].tags[RANGE_START] == "2021-10"


@pytest.mark.parametrize(
    ("schedule_name", "tick", "partition"),
    [
        ("monthly_police_returns", datetime(2026, 11, 25, 6), "2026-09"),
        ("quarterly_housing_and_waste_returns", datetime(2026, 2, 15, 6), "2025-10"),
        ("annual_measure_returns", datetime(2026, 6, 1, 6), "2025-04"),
        ("calendar_year_returns", datetime(2026, 7, 1, 6), "2025-01"),
    ],
)
def test_schedules_run_the_period_now_due(schedule_name, tick, partition) -> None:
    from pipelines.assembly import load_defs

    defs = load_defs()

    schedule = defs.resolve_schedule_def(schedule_name)
    context = dg.build_schedule_context(
        scheduled_execution_time=tick, repository_def=defs.get_repository_def()
    )
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.partition_key == partition
    job = defs.resolve_job_def(schedule.job_name)
    assert partition in job.partitions_def.get_partition_keys(current_time=datetime(2026, 11, 22))


def test_daily_check_rebuilds_and_publishes() -> None:
    from pipelines.assembly import load_defs

    defs = load_defs()

    schedule = defs.resolve_schedule_def("daily_overdue_returns_check")
    assert schedule.job_name == "build_and_publish"


def test_instance_runs_one_run_at_a_time(tmp_path: Path) -> None:
    """The deployment's instance queues runs and starts one at a time: one warehouse writer."""
    shutil.copy(settings.REPO_ROOT / "deploy" / "dagster.yaml", tmp_path)
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        coordinator = instance.run_coordinator
        assert type(coordinator).__name__ == "QueuedRunCoordinator"
        assert coordinator.get_run_queue_config().max_concurrent_runs == 1
    finally:
        instance.dispose()
