"""Jobs an analyst runs.

A Dagster run holds one kind of period, so each kind has its job: the ingestion of the
returns partitioned by it and everything built from them (`monthly_returns` for police
months, `quarterly_returns`, `financial_year_returns`, `calendar_year_returns`). A backfill
over a range of periods is a run of one of these. `build_and_publish` reads the returns
whose files cover many periods, then builds, checks and publishes the whole warehouse.
"""

import dagster as dg

from pipelines.ingestion.assets import ingestion_assets
from pipelines.ingestion.partitions import PARTITIONS
from pipelines.returns import ReturnSpec

PERIOD_JOB_NAMES = {
    "month": "monthly_returns",
    "quarter": "quarterly_returns",
    "financial_year": "financial_year_returns",
    "calendar_year": "calendar_year_returns",
}


BUILD_AND_PUBLISH = "build_and_publish"


def period_job_of(spec: ReturnSpec) -> str:
    """The job that ingests a return: its kind of period's, or `build_and_publish` for a
    return whose files cover many periods."""
    return PERIOD_JOB_NAMES[spec.periods.kind.name] if spec.periods else BUILD_AND_PUBLISH


def ingestion_of(kind: str) -> list[dg.AssetsDefinition]:
    """The ingestion assets partitioned by one kind of period."""
    return [asset for asset in ingestion_assets if asset.partitions_def is PARTITIONS[kind]]


PARTITIONED_INGESTION = dg.AssetSelection.assets(
    *[asset for asset in ingestion_assets if asset.partitions_def is not None]
)

REFERENCE = dg.AssetSelection.groups("reference")


LEDGER = dg.AssetSelection.assets(dg.AssetKey(["ledger", "submissions"]))


def built_from(returns: dg.AssetSelection) -> dg.AssetSelection:
    """Everything built from some returns, with the reference seeds every model joins (a
    new warehouse has none until a run builds them).

    The ledger is downstream of every return, and the models that read it (the returns
    calendar, the statuses) with it, so in the graph everything is downstream of every
    return through the ledger. The models of the other returns are left out: a new police
    month changes no waste figure.
    """
    others = dg.AssetSelection.assets(*ingestion_assets) - returns
    other_models = others.downstream(depth=1) - others - LEDGER
    own_models = returns.downstream(depth=1) - returns - LEDGER
    return (returns.downstream() - other_models.downstream()) | own_models.downstream() | REFERENCE


period_jobs = {
    kind: dg.define_asset_job(
        name=name,
        selection=built_from(dg.AssetSelection.assets(*ingestion_of(kind))),
        partitions_def=PARTITIONS[kind],
        description=f"Ingest the returns partitioned by {kind.replace('_', ' ')} for the chosen "
        "periods, then rebuild, check and publish what is built from them.",
    )
    for kind, name in PERIOD_JOB_NAMES.items()
}

build_and_publish_job = dg.define_asset_job(
    name=BUILD_AND_PUBLISH,
    selection=dg.AssetSelection.all() - PARTITIONED_INGESTION,
    description="Read the returns whose files cover many periods, then build and test every "
    "dbt model, run the quality gate, and publish when no blocking finding is open.",
)

jobs = [*period_jobs.values(), build_and_publish_job]
