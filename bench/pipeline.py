"""Time the whole pipeline on the sample: a cold run into a fresh warehouse, then a re-run
with nothing changed. A measurement for docs/performance.md, not a test."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import dagster as dg


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="wellbeing-bench-"))
    os.environ["WELLBEING_WAREHOUSE"] = str(root / "warehouse" / "working.duckdb")
    os.environ["WELLBEING_RAW_DIR"] = str(root / "raw")
    (root / "warehouse").mkdir()
    started = time.perf_counter()
    from pipelines.runner import run_pipeline
    from sample_data import write_sample_returns

    imported = time.perf_counter()
    files = write_sample_returns(root / "raw")
    generated = time.perf_counter()
    with dg.instance_for_test() as instance:
        cold = run_pipeline(instance)
        cold_done = time.perf_counter()
        warm = run_pipeline(instance)
        warm_done = time.perf_counter()
    print(f"import Dagster definitions: {imported - started:6.1f} s")
    print(f"write sample ({len(files)} files): {generated - imported:6.1f} s")
    print(f"cold run (success={cold.success}): {cold_done - generated:6.1f} s")
    print(f"re-run, nothing changed (success={warm.success}): {warm_done - cold_done:6.1f} s")


if __name__ == "__main__":
    main()
