"""Running the pipeline outside the Dagster UI, on the persistent Dagster instance so the
runs show in the UI's history, and the headline figures read back afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings
from pipelines.ingestion.partitions import file_periods, range_tags
from pipelines.periods import starts_within
from pipelines.returns import ReturnSpec, returns_by_table


def dagster_instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME (default .dagster_home), so runs started
    from the command line show in the UI's run history."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.REPO_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()


class WarehouseBusy(Exception):
    """Another run is writing the warehouse, and DuckDB allows one writer per file."""

    def __init__(self, run: dg.DagsterRun) -> None:
        self.run = run
        super().__init__(
            f"Another run is writing the warehouse: {run.job_name} (Dagster run {run.run_id}, "
            f"{run.status.value.lower()}). Try again when it has finished; if it is no longer "
            "running, mark it as failed or cancelled in the Dagster UI."
        )


IN_PROGRESS = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def run_in_progress(instance: dg.DagsterInstance) -> dg.DagsterRun | None:
    """A run of this instance that may be writing the warehouse now.

    The deployed instance queues its own runs one at a time (`deploy/dagster.yaml`) and
    counts runs started from the command line as in progress too; this is the other half:
    the command line does not start while a scheduled or sensor run is writing.
    """
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS), limit=1)
    return runs[0] if runs else None


DAGSTER_FAILURE = "dagster._core.definitions.events.Failure: "
"""How Dagster prefixes the message of a `Failure` an asset raises on purpose."""


@dataclass
class PipelineRun:
    """The Dagster runs of one pipeline run: one per kind of period ingested, then the
    build and publication."""

    results: list[dg.ExecuteInProcessResult] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return bool(self.results) and all(result.success for result in self.results)

    @property
    def failed_steps(self) -> list[str]:
        return [step for step, _ in self.failures]

    @property
    def failures(self) -> list[tuple[str, str]]:
        """Each failed step and what its error says (a blocked publication lists the
        blocking findings), for the command line to show without the log."""
        return [
            (
                event.step_key,
                event.event_specific_data.error.message.strip().removeprefix(DAGSTER_FAILURE),
            )
            for result in self.results
            for event in result.all_events
            if event.is_step_failure
        ]


def run_pipeline(
    instance: dg.DagsterInstance | None = None,
    *,
    returns: dg.AssetSelection | None = None,
    window: tuple[date, date] | None = None,
    today: date | None = None,
    announce: Callable[[str], None] = lambda _message: None,
) -> PipelineRun:
    """Ingest the chosen returns (default: all) for the periods of the files in raw/, or
    for the periods overlapping `window`, then build, check and publish what depends on them.

    A Dagster run holds one kind of period, so each kind gets one run over its range of
    periods (as a single-run backfill would), before one run builds and publishes. A failed
    run stops the rest: nothing is published from a partial ingestion. Raises
    `WarehouseBusy`, before touching anything, while another run is in progress.
    """
    from pipelines.definitions import defs
    from pipelines.ingestion.assets import ingestion_assets
    from pipelines.jobs import (
        BUILD_AND_PUBLISH,
        PARTITIONED_INGESTION,
        PERIOD_JOB_NAMES,
        built_from,
        period_job_of,
    )

    instance = instance or dagster_instance()
    busy = run_in_progress(instance)
    if busy is not None:
        raise WarehouseBusy(busy)
    today = today or date.today()
    graph = defs.resolve_asset_graph()
    chosen = (returns or dg.AssetSelection.assets(*ingestion_assets)).resolve(graph)
    specs = returns_by_table()
    by_job: dict[str, list[dg.AssetKey]] = {}
    for key in sorted(chosen):
        by_job.setdefault(period_job_of(specs[key.path[-1]]), []).append(key)
    tags = {"wellbeing/pipeline_run": uuid.uuid4().hex[:12]}
    pipeline = PipelineRun()
    for job_name in PERIOD_JOB_NAMES.values():  # months first, as the calendar runs
        keys = by_job.get(job_name)
        if not keys:
            continue
        kind = specs[keys[0].path[-1]].periods.kind
        starts = _periods_to_run([specs[key.path[-1]] for key in keys], window, today)
        if not starts:
            continue
        announce(
            f"Ingesting {len(keys)} return(s) by {kind.name.replace('_', ' ')}, "
            f"{kind.label(starts[0])} to {kind.label(starts[-1])}"
        )
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance,
            asset_selection=keys,
            tags=tags | range_tags(kind, starts),
            raise_on_error=False,
        )
        pipeline.results.append(result)
        if not result.success:
            return pipeline
    # Everything, or what is built from the chosen returns (with the seeds models join).
    built = None
    if returns is not None:
        built = list((built_from(returns) - PARTITIONED_INGESTION).resolve(graph))
    announce("Building the measure models, checking them, and publishing")
    pipeline.results.append(
        defs.resolve_job_def(BUILD_AND_PUBLISH).execute_in_process(
            instance=instance, asset_selection=built, tags=tags, raise_on_error=False
        )
    )
    return pipeline


def _periods_to_run(
    specs: list[ReturnSpec], window: tuple[date, date] | None, today: date
) -> list[date]:
    """Periods of one kind to ingest: those overlapping the window, up to the current one;
    without a window, those the returns' files in raw/ are for."""
    kind = specs[0].periods.kind
    if window is not None:
        latest = kind.contains(today)
        return [s for s in starts_within(kind, *window) if kind.first <= s <= latest]
    starts: set[date] = set()
    for spec in specs:
        names = [partner_file.name for partner_file in spec.find_files(settings.raw_dir())]
        if names:
            starts |= set(file_periods(spec, names, today))
    return sorted(starts)


HEADLINE_SQL = """
select
    area_name,
    measure_name,
    period_id,
    value,
    value_note
from marts.measure_values
where area_code = $district
  and period_type = 'financial_year'
  and measure_id in ('victim_based_crimes', 'anti_social_behaviour_incidents')
  and is_complete
qualify dense_rank() over (partition by measure_id order by period_id desc) <= 3
order by measure_name, period_id
"""


def headline_figures(warehouse: Path | None = None) -> list[tuple]:
    """The home district's crime and anti-social behaviour for the last three complete years,
    each row led by the district's name."""
    with duckdb.connect(str(warehouse or settings.warehouse_path()), read_only=True) as con:
        return con.execute(HEADLINE_SQL, {"district": settings.home_area().district}).fetchall()
