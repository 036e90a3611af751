"""The measure catalogue page is generated from the seeds and kept current. dbt's docs site
is built in tests/e2e/test_dbt_docs.py."""

from __future__ import annotations

import polars as pl

from pipelines.reporting import catalogue


def test_committed_catalogue_page_is_current() -> None:
    assert catalogue.DEFAULT_OUTPUT.read_text() == catalogue.render(), (
        "docs/measure_catalogue.md is out of date: run `wellbeing catalogue`"
    )


def test_catalogue_names_every_key_success_measure_and_measure() -> None:
    page = catalogue.render()
    measures = catalogue.read_seed("measure_catalogue")
    for row in catalogue.read_seed("key_success_measures").iter_rows(named=True):
        assert f"| {row['display_ref']} |" in page
    for measure_id, name in measures.select("measure_id", "measure_name").iter_rows():
        assert f'<a id="{measure_id.replace("_", "-")}"></a>\n### {name}' in page
    assert measures.filter(pl.col("measure_id").is_duplicated()).is_empty()
