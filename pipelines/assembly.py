"""One function puts together what the modules define: the ingestion assets and their
checks, dbt's models, the quality checks, the publication, the jobs, the schedules and
sensors, and the resources. `definitions.py` (what Dagster loads) only calls it, and code
that needs the whole graph (`wellbeing run`) calls it too; nothing imports
`definitions.py`, so no module that defines a part can import the whole back."""

from functools import cache

import dagster as dg

from pipelines.ingestion.assets import ingestion_assets, submission_ledger
from pipelines.ingestion.checks import quarantine_checks
from pipelines.jobs import jobs
from pipelines.modelling.assets import wellbeing_dbt_models
from pipelines.operations.schedules import schedules
from pipelines.operations.sensors import sensors
from pipelines.publication.assets import published_warehouse
from pipelines.quality.checks import quality_checks
from pipelines.resources import build_resources


@cache
def load_defs() -> dg.Definitions:
    """Every asset, check, job, schedule, sensor and resource of the warehouse."""
    return dg.Definitions(
        assets=[*ingestion_assets, submission_ledger, wellbeing_dbt_models, published_warehouse],
        asset_checks=[*quarantine_checks, *quality_checks],
        jobs=jobs,
        schedules=schedules,
        sensors=sensors,
        resources=build_resources(),
        # DuckDB allows one writing process per file: a run's steps take turns in one process.
        executor=dg.in_process_executor,
    )
