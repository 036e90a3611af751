"""Where things live, from environment variables with defaults under gitignored folders.

One variable names the working warehouse file; Dagster's DuckDB resource and dbt's
profiles.yml both read it, so a test or an analyst can point the whole pipeline at another
file by setting `WELLBEING_WAREHOUSE` alone.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
# dbt from the same environment as this package, whether or not the venv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

WAREHOUSE_ENV = "WELLBEING_WAREHOUSE"
RAW_DIR_ENV = "WELLBEING_RAW_DIR"
PUBLISHED_ENV = "WELLBEING_PUBLISHED"
AS_OF_ENV = "WELLBEING_AS_OF"
AS_OF_FILE = "AS_OF"


def warehouse_path() -> Path:
    """The working DuckDB file that runs write to."""
    default = REPO_ROOT / "warehouse" / "working.duckdb"
    return Path(os.environ.get(WAREHOUSE_ENV, default)).resolve()


def published_path() -> Path:
    """The read-only publication officers, notebooks and the report read.

    It is replaced atomically only when a run's blocking checks pass, so a reader always
    sees a complete publication. Defaults to `published.duckdb` beside the working file.
    """
    default = warehouse_path().parent / "published.duckdb"
    return Path(os.environ.get(PUBLISHED_ENV, default)).resolve()


def raw_dir() -> Path:
    """The landing zone where partner files arrive exactly as sent."""
    return Path(os.environ.get(RAW_DIR_ENV, REPO_ROOT / "raw")).resolve()


def as_of() -> date:
    """The date the returns calendar is judged at: which periods are due, which overdue.

    `WELLBEING_AS_OF` (YYYY-MM-DD) when set; else the date in raw/AS_OF, which a sample
    carries so that its story is told as of the day it describes; else today, as for a
    real raw/.
    """
    text = os.environ.get(AS_OF_ENV)
    source = AS_OF_ENV
    as_of_file = raw_dir() / AS_OF_FILE
    if not text and as_of_file.is_file():
        text, source = as_of_file.read_text(encoding="utf-8").strip(), str(as_of_file)
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{source}: {text!r} is not a date in the form YYYY-MM-DD") from error


def dbt_target_path() -> Path:
    """Where dbt writes its manifest and compiled SQL (DBT_TARGET_PATH, default target/).

    Separate checkouts or parallel test runs can each use their own, so that one parse
    never overwrites another's manifest mid-run.
    """
    return Path(os.environ.get("DBT_TARGET_PATH", "target"))


def export_environment() -> None:
    """Make the resolved paths visible to child processes (dbt reads them in profiles.yml)."""
    os.environ[WAREHOUSE_ENV] = str(warehouse_path())
    os.environ[RAW_DIR_ENV] = str(raw_dir())
    warehouse_path().parent.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class HomeArea:
    """The council the warehouse is for, as ONS codes: its district, the county whose
    districts it is ranked among, the police force area covering it, the country of the
    national figures beside it, and comparison areas."""

    district: str
    county: str
    police_force_area: str
    country: str
    comparison_areas: tuple[str, ...]


@cache
def home_area() -> HomeArea:
    """The `home_area` setting from dbt_project.yml: one place for dbt and Python alike."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    setting = project["vars"]["home_area"]
    return HomeArea(
        district=setting["district"],
        county=setting["county"],
        police_force_area=setting["police_force_area"],
        country=setting["country"],
        comparison_areas=tuple(setting["comparison_areas"]),
    )
