"""Every test module sits in a layer's folder, so that running a layer (`pytest tests/unit`,
`pytest -m unit`) runs all of its tests and no test is left out of every layer."""

from __future__ import annotations

import pytest

from pipelines import settings


def test_every_test_module_sits_in_a_layer(pytestconfig: pytest.Config) -> None:
    tests = settings.REPO_ROOT / "tests"
    layers = {"unit", "dbt", "e2e"}
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert layers <= registered, "each layer is a marker in pyproject.toml"
    outside = [
        path.relative_to(tests).as_posix()
        for path in sorted(tests.rglob("test_*.py"))
        if path.relative_to(tests).parts[0] not in layers
    ]
    assert outside == [], "move these into tests/unit, tests/dbt or tests/e2e"
