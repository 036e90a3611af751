"""Schedules that follow the returns calendar: police monthly (data.police.uk publishes a
month's file about seven weeks after it ends), housing and waste quarterly, annual measures
after the financial year, and a daily look for returns now overdue."""

import dagster as dg

from pipelines.jobs import all_returns_job


def _returns_job(cadence: str):
    return dg.define_asset_job(
        name=f"{cadence}_returns",
        selection=dg.AssetSelection.tag("cadence", cadence).downstream(),
        description=f"Ingest the {cadence} partner returns, then rebuild and publish.",
    )


monthly_returns_job = _returns_job("monthly")
quarterly_returns_job = _returns_job("quarterly")
annual_returns_job = _returns_job("annual")

schedules = [
    dg.ScheduleDefinition(
        name="monthly_police_returns",
        job=monthly_returns_job,
        cron_schedule="0 6 25 * *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    ),
    dg.ScheduleDefinition(
        name="quarterly_housing_and_waste_returns",
        job=quarterly_returns_job,
        cron_schedule="0 6 15 2,5,8,11 *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    ),
    dg.ScheduleDefinition(
        name="annual_measure_returns",
        job=annual_returns_job,
        cron_schedule="0 6 1 6 *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    ),
    dg.ScheduleDefinition(
        name="daily_overdue_returns_check",
        job=all_returns_job,
        cron_schedule="0 7 * * *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Rebuild the returns calendar and the quality gate every morning so a "
        "return becomes a 'not received' finding the day after it was due.",
    ),
]

jobs = [monthly_returns_job, quarterly_returns_job, annual_returns_job]
