"""What every process pays before it does any work: kept small, because framework start-up
is most of a small run (docs/performance.md)."""

import importlib.util

import pytest

pytestmark = pytest.mark.unit


def test_jsonschema_does_not_bring_rfc3987_syntax():
    """jsonschema 4.25 added rfc3987-syntax to the format extra that Jupyter's packages ask
    for; importing it builds Earley parsers for some forty grammar rules, 3.6 s on this kind
    of machine, and dbt imports jsonschema in every process (each dbt call, each Dagster
    process). pyproject.toml keeps jsonschema below 4.25 so that it is not installed."""
    assert importlib.util.find_spec("rfc3987_syntax") is None, (
        "rfc3987-syntax is installed: every dbt call pays 3.6 s to import it; "
        "keep jsonschema<4.25 (pyproject.toml)"
    )


def test_a_dbt_build_starts_no_dbt_process_but_its_own(workspace, monkeypatch):
    """dagster-dbt would run `dbt --version` and open a dbt adapter in this process before
    every dbt command (about 4 s); the warehouse's dbt resource reads the installed version
    and opens no adapter, as it fetches no column metadata."""
    from importlib import metadata

    import dagster_dbt.core.resource
    from packaging import version

    from pipelines.resources import build_resources

    def started(*args, **kwargs):
        pytest.fail(f"a dbt process was started to ask its version: {args}")

    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", started)
    dbt = build_resources()["dbt"]
    assert dbt._cli_version == version.parse(metadata.version("dbt-core"))
    assert dbt._initialize_dbt_core_adapter(["build"]) is None
