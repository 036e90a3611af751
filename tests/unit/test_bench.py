"""bench/pipeline.py runs: its ingestion rows on two police months of the sample, at one and
two times their rows, and it reads the previous figures from docs/performance.md."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pipelines import settings

SCRIPT = settings.REPO_ROOT / "bench" / "pipeline.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pipeline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_scaled_files_hold_the_rows_that_many_times(bench, tmp_path: Path) -> None:
    from sample_data.police import write_police_returns

    source = tmp_path / "one"
    written = write_police_returns(source, first_month="2024-01", last_month="2024-02")
    scaled = bench.write_scaled_police(source, tmp_path / "three", 3)
    assert [p.relative_to(tmp_path / "three") for p in scaled] == [
        p.relative_to(source) for p in written
    ]
    for original, copy in zip(written, scaled, strict=True):
        header, *rows = original.read_text(encoding="utf-8").splitlines()
        assert copy.read_text(encoding="utf-8").splitlines() == [header, *rows * 3]


def test_ingestion_rows_run_on_two_months(bench, tmp_path: Path, capsys) -> None:
    results = tmp_path / "figures.json"
    code = bench.main(
        ["--skip-pipeline", "--scales", "1", "2", "--months", "2", "--json", str(results)]
    )
    assert code == 0
    figures = {figure["what"]: figure for figure in json.loads(results.read_text())}
    loaded = {
        what.split(" ")[2]: int(figure["note"].split()[0])
        for what, figure in figures.items()
        if "through the ledger" in what
    }
    assert set(loaded) == {"1×", "2×"}
    assert loaded["2×"] == 2 * loaded["1×"] > 0
    assert all(figure["peak_mb"] > 0 for figure in figures.values())
    assert "ledger / DuckDB's `read_csv` into a table" in capsys.readouterr().out


def test_previous_figures_come_from_the_performance_page(bench) -> None:
    previous = bench.previous_figures()
    assert previous, "docs/performance.md has a table with a 'Now' column"
    assert all(value > 0 for value in previous.values())
