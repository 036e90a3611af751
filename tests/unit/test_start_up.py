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
