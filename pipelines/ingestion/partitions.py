"""Dagster partitions for the kinds of reporting period in `pipelines.periods`.

A partition key is the month a period starts (`2021-04`). The current period is a
partition too (`end_offset=1`): partners send provisional and mid-year returns, and a
file for the period under way must have somewhere to go.
"""

from datetime import date

import dagster as dg

from pipelines.periods import KINDS, PeriodKind
from pipelines.returns import ReturnSpec


def _partitions(kind: PeriodKind) -> dg.TimeWindowPartitionsDefinition:
    return dg.TimeWindowPartitionsDefinition(
        cron_schedule=kind.cron,
        start=kind.key(kind.first),
        fmt="%Y-%m",
        end_offset=1,
        timezone="Europe/London",
    )


PARTITIONS = {kind.name: _partitions(kind) for kind in KINDS}


def partitions_of(spec: ReturnSpec) -> dg.TimeWindowPartitionsDefinition | None:
    return PARTITIONS[spec.periods.kind.name] if spec.periods else None


def range_tags(kind: PeriodKind, starts: list[date]) -> dict[str, str]:
    """Tags making one run cover the periods from the first to the last of `starts`, as
    Dagster's single-run backfills do."""
    return {
        "dagster/asset_partition_range_start": kind.key(min(starts)),
        "dagster/asset_partition_range_end": kind.key(max(starts)),
    }


def file_periods(spec: ReturnSpec, names: list[str], today: date) -> list[date]:
    """The periods the named files of a return are for. When no name places its file in a
    period, the current period, so that there is a run to see the files and quarantine them
    (every run quarantines a misplaced file, whatever its window)."""
    starts = {spec.periods.start_of(n) for n in names if spec.periods.problem(n, today) is None}
    if not starts:
        starts.add(spec.periods.kind.contains(today))
    return sorted(starts)
