"""Jobs an analyst runs: the whole pipeline from raw files to marts."""

import dagster as dg

all_returns_job = dg.define_asset_job(
    name="all_returns",
    selection=dg.AssetSelection.all(),
    description="Ingest every partner return in raw/, then build and test every dbt model.",
)
