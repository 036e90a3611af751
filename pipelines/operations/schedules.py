"""Schedules that follow the returns calendar: police monthly (data.police.uk publishes a
month's file about seven weeks after it ends), housing and waste quarterly, the annual
returns after the financial and calendar years, and a daily look for returns now overdue.

Each schedule runs the partition a partner's file should have arrived for by then, so a
late return shows as that period's missing partition in the Dagster UI."""

import dagster as dg

from pipelines.jobs import build_and_publish_job, period_jobs
from pipelines.periods import CALENDAR_YEAR, FINANCIAL_YEAR, MONTH, QUARTER, PeriodKind, add_months


def due_period_schedule(
    name: str, kind: PeriodKind, cron_schedule: str, months_after: int, description: str
) -> dg.ScheduleDefinition:
    """A schedule running the period that started `months_after` months before each tick."""

    @dg.schedule(
        name=name,
        job=period_jobs[kind.name],
        cron_schedule=cron_schedule,
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description=description,
    )
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        day = context.scheduled_execution_time.date()
        start = kind.contains(add_months(day, -months_after))
        return dg.RunRequest(
            run_key=f"{name}:{kind.key(start)}",
            partition_key=kind.key(start),
            tags={"trigger": name},
        )

    return _schedule


schedules = [
    due_period_schedule(
        "monthly_police_returns",
        MONTH,
        "0 6 25 * *",
        2,
        "On the 25th, the police month that ended about seven weeks before.",
    ),
    due_period_schedule(
        "quarterly_housing_and_waste_returns",
        QUARTER,
        "0 6 15 2,5,8,11 *",
        3,
        "Six weeks after each quarter: H-CLIC homelessness and missed waste collections.",
    ),
    due_period_schedule(
        "annual_measure_returns",
        FINANCIAL_YEAR,
        "0 6 1 6 *",
        12,
        "On 1 June, the financial year just ended: partners' annual returns and status.",
    ),
    due_period_schedule(
        "calendar_year_returns",
        CALENDAR_YEAR,
        "0 6 1 7 *",
        12,
        "On 1 July, the calendar year before: KCC road casualties and the NEET snapshot.",
    ),
    dg.ScheduleDefinition(
        name="daily_overdue_returns_check",
        job=build_and_publish_job,
        cron_schedule="0 7 * * *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Rebuild the returns calendar and the quality gate every morning so a "
        "return becomes a 'not received' finding the day after it was due.",
    ),
]
