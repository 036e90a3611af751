"""dbt's docs site builds, against a copy of the sample's working warehouse so that the
catalog has every table."""

from __future__ import annotations

import shutil

from dbt_command import Dbt

from pipelines import settings


def test_dbt_docs_generate_builds_the_site(sample_warehouse, dbt: Dbt) -> None:
    shutil.copyfile(sample_warehouse.working, settings.warehouse_path())
    dbt("docs", "generate")
    assert (dbt.target_path / "index.html").is_file()
    assert (dbt.target_path / "catalog.json").stat().st_size > 1000
