"""dbt's docs site builds as `make docs` builds it, against a copy of the sample's working
warehouse so that the catalog has every table: one static page with the manifest and the
catalog inside it, so it opens from disk without a web server."""

from __future__ import annotations

import json
import shutil

from dbt_command import Dbt

from pipelines import settings


def test_dbt_docs_generate_builds_one_page_that_opens_from_disk(sample_warehouse, dbt: Dbt) -> None:
    shutil.copyfile(sample_warehouse.working, settings.warehouse_path())
    dbt("docs", "generate", "--static")
    page = (dbt.target_path / "static_index.html").read_text(encoding="utf-8")
    manifest = json.loads((dbt.target_path / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((dbt.target_path / "catalog.json").read_text(encoding="utf-8"))
    measure_values = next(
        node for node in manifest["nodes"].values() if node["name"] == "measure_values"
    )
    assert measure_values["unique_id"] in catalog["nodes"]
    assert measure_values["unique_id"] in page
    assert measure_values["description"].split(":")[0] in page
