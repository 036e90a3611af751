"""The project's dbt as the tests run it: one command, the same environment every time."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines import settings


@dataclass(frozen=True)
class Dbt:
    """The project's dbt, run on the warehouse the environment names, with its target and
    logs in the test's own folder so that tests never share or leave a manifest."""

    target_path: Path
    log_path: Path

    def __call__(self, *args: str) -> str:
        """Run `dbt <args>`; return its output, or fail the test with the end of it."""
        result = self.run(*args)
        if result.returncode != 0:
            pytest.fail(
                f"dbt {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout[-4000:]}{result.stderr[-4000:]}",
                pytrace=False,
            )
        return result.stdout

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run `dbt <args>` whatever its outcome, for a test that expects dbt to fail."""
        return subprocess.run(
            [
                settings.DBT_EXECUTABLE,
                *args,
                "--profiles-dir",
                str(settings.DBT_PROJECT_DIR),
                "--target-path",
                str(self.target_path),
            ],
            cwd=settings.DBT_PROJECT_DIR,
            env=os.environ
            | {
                "DBT_LOG_PATH": str(self.log_path),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "DBT_USE_COLORS": "false",
            },
            capture_output=True,
            text=True,
            check=False,
        )

    def build_measures(self, *select: str, contributions: Sequence[str]) -> str:
        """`dbt build` of the selected models, with measure_values the union of only these
        contributions, so that a test needs no other partner's models. Only the selected
        models' tests run, not dbt's unit tests: tests/dbt/test_dbt_unit_tests.py runs those."""
        return self(
            "build",
            "--select",
            *select,
            "--indirect-selection",
            "cautious",
            "--exclude-resource-type",
            "unit_test",
            "--vars",
            f"{{measure_contributions: [{', '.join(contributions)}]}}",
        )
