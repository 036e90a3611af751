"""Running the pipeline outside the Dagster UI, on the persistent Dagster instance so the
runs show in the UI's history, and the headline figures read back afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings, up_to_date
from pipelines.ingestion.assets import ingestion_assets
from pipelines.ingestion.partitions import file_periods, range_tags
from pipelines.jobs import (
    BUILD_AND_PUBLISH,
    PARTITIONED_INGESTION,
    PERIOD_JOB_NAMES,
    REFERENCE,
    built_from,
    period_job_of,
)
from pipelines.operations import runs
from pipelines.periods import starts_within
from pipelines.returns import ReturnSpec, all_returns, returns_by_table

DEFAULT_WAIT_SECONDS = 300
"""How long a run waits for another writer to finish before it gives up."""


DAGSTER_FAILURE = "dagster._core.definitions.events.Failure: "
"""How Dagster prefixes the message of a `Failure` an asset raises on purpose."""


@dataclass
class PipelineRun:
    """The Dagster runs of one pipeline run: one per kind of period ingested, then the
    build and publication."""

    results: list[dg.ExecuteInProcessResult] = field(default_factory=list)
    up_to_date: str | None = None
    """Why nothing was run, when the last publication already shows everything."""

    @property
    def success(self) -> bool:
        if self.up_to_date is not None:
            return True
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
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    announce: Callable[[str], None] = lambda _message: None,
) -> PipelineRun:
    """Ingest the chosen returns (default: all) for the periods of the files in raw/, or
    for the periods overlapping `window`, then build, check and publish what depends on them.

    A Dagster run holds one kind of period, so each kind gets one run over its range of
    periods (as a single-run backfill would), before one run builds and publishes. A failed
    run stops the rest: nothing is published from a partial ingestion.

    The writer lock is held throughout, so no other run writes between these runs; while
    another process holds it, this waits up to `wait_seconds` and then raises
    `writer.WarehouseBusy`, before touching anything.

    When no partner file of the chosen returns changed, and the project and the as-of date
    are those the last publication was built from, nothing is run (`PipelineRun.up_to_date`
    says so): the same build would publish the same figures. When only some returns changed
    (a new police month), a run of every return ingests the periods of their new files and
    builds what is built from them, as `--partner` would: the other returns' models are
    those the last publication holds.
    """
    from pipelines.assembly import load_defs

    warehouse = settings.warehouse_path()
    today = today or date.today()
    with runs.writing(
        warehouse,
        instance=instance or runs.dagster_instance,
        wait_seconds=wait_seconds,
        announce=announce,
    ) as instance:
        since = _since_publication(instance, whole=returns is None and window is None)
        if since.nothing_new is not None:
            return PipelineRun(up_to_date=since.nothing_new)
        changed = since.changed
        if changed:
            announce(
                f"Changed since the last publication: {', '.join(sorted(changed))}; "
                "ingesting their new files and rebuilding what is built from them"
            )
            returns = dg.AssetSelection.assets(*(dg.AssetKey(["raw", t]) for t in changed))
        defs = load_defs()
        tags = {"wellbeing/pipeline_run": uuid.uuid4().hex[:12], **runs.process_tags(warehouse)}
        pipeline = PipelineRun()
        for job_name, keys in _ingestion_runs(defs, returns):
            kind = returns_by_table()[keys[0].path[-1]].periods.kind
            chosen = [returns_by_table()[key.path[-1]] for key in keys]
            starts = _periods_to_run(chosen, window, today, changed)
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
        announce("Building the measure models, checking them, and publishing")
        built = defs.resolve_job_def(BUILD_AND_PUBLISH).execute_in_process(
            instance=instance,
            asset_selection=_built(defs, returns, reference=not changed),
            tags=tags,
            raise_on_error=False,
        )
        pipeline.results.append(built)
        # Tagged once the run is over: it ingests the returns whose files cover many periods.
        accepted = up_to_date.accepted_submissions(warehouse)
        inputs = up_to_date.fingerprint(accepted, settings.as_of())
        project = up_to_date.fingerprint([], settings.as_of())
        instance.add_run_tags(
            built.run_id, {up_to_date.INPUTS_TAG: inputs, up_to_date.PROJECT_TAG: project}
        )
        return pipeline


@dataclass(frozen=True)
class SincePublication:
    """What changed since the last publication."""

    nothing_new: str | None = None
    """Why nothing needs running: the last publication already shows everything."""
    changed: dict[str, list[str]] | None = None
    """The returns that changed, each with its new files in raw/, when only they need
    running (the project and as-of date are the publication's); None: everything."""


def _since_publication(instance: dg.DagsterInstance, whole: bool) -> SincePublication:
    """Compare the warehouse and raw/ with the last publication, for a run of every return
    (`whole`) or of some.

    The fingerprints are checked first (milliseconds), the bytes of every file in raw/
    against the ledger second (a sha256 of every file, about a second for eight years of
    police months), whatever returns were chosen: a change anywhere means a run.
    """
    last = up_to_date.last_publication(settings.published_path())
    warehouse = settings.warehouse_path()
    if last is None or last[1] is None or not warehouse.exists():
        return SincePublication()
    publication_id, run_id = last
    run = instance.get_run_by_id(run_id)
    tags = run.tags if run is not None else {}
    inputs = up_to_date.fingerprint(up_to_date.accepted_submissions(warehouse), settings.as_of())
    same_inputs = tags.get(up_to_date.INPUTS_TAG) == inputs
    same_project = tags.get(up_to_date.PROJECT_TAG) == up_to_date.fingerprint([], settings.as_of())
    if not same_inputs and not (same_project and whole):
        return SincePublication()
    files = up_to_date.changed_files(warehouse, settings.raw_dir())
    if same_inputs and not files:
        return SincePublication(
            nothing_new=(
                f"Nothing new since publication {publication_id}: every partner file in raw/ "
                "is in the ledger as it was, and the project and the as-of date are those "
                "it was built from. Nothing was run"
            )
        )
    if not (same_project and whole):
        return SincePublication()
    return SincePublication(
        changed=up_to_date.changed_returns(
            files, warehouse, settings.published_path(), settings.raw_dir(), all_returns()
        )
    )


def _ingestion_runs(
    defs: dg.Definitions, returns: dg.AssetSelection | None
) -> list[tuple[str, list[dg.AssetKey]]]:
    """The period jobs to run, months first as the calendar runs, each with the chosen
    returns it ingests."""
    chosen = (returns or dg.AssetSelection.assets(*ingestion_assets)).resolve(
        defs.resolve_asset_graph()
    )
    by_job: dict[str, list[dg.AssetKey]] = {}
    for key in sorted(chosen):
        by_job.setdefault(period_job_of(returns_by_table()[key.path[-1]]), []).append(key)
    return [(job, by_job[job]) for job in PERIOD_JOB_NAMES.values() if job in by_job]


def _built(
    defs: dg.Definitions, returns: dg.AssetSelection | None, reference: bool = True
) -> list[dg.AssetKey] | None:
    """Everything (None), or what is built from the chosen returns, with the seeds models
    join unless `reference` is False (the project, and so the seeds, are those the last
    publication was built from: loading them again, and their 40 tests, would change
    nothing)."""
    if returns is None:
        return None
    selection = built_from(returns) - PARTITIONED_INGESTION
    if not reference:
        selection = selection - REFERENCE
    return list(selection.resolve(defs.resolve_asset_graph()))


def _periods_to_run(
    specs: list[ReturnSpec],
    window: tuple[date, date] | None,
    today: date,
    changed: dict[str, list[str]] | None = None,
) -> list[date]:
    """Periods of one kind to ingest: those overlapping the window, up to the current one;
    without a window, those the returns' files in raw/ are for, or with `changed`, those
    its new files are for."""
    kind = specs[0].periods.kind
    if window is not None:
        latest = kind.contains(today)
        return [s for s in starts_within(kind, *window) if kind.first <= s <= latest]
    starts: set[date] = set()
    for spec in specs:
        if changed is not None:
            names = [Path(name).name for name in changed.get(spec.table, [])]
        else:
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
