"""Small partner files written by tests, in the real formats."""

from __future__ import annotations

import csv
from pathlib import Path

from sample_data.formats import POLICE_STREET_HEADER


def police_month_file(raw: Path, month: str, crimes: int, name: str | None = None) -> Path:
    """A street-level crime file for one month with `crimes` burglaries in Sevenoaks 003B."""
    path = raw / "police" / month / (name or f"{month}-kent-street.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [",".join(POLICE_STREET_HEADER)]
    rows += [
        f"id{i},{month},Kent Police,Kent Police,0.1,51.3,On or near A Road,E01024473,"
        f"Sevenoaks 003B,Burglary,Under investigation,"
        for i in range(crimes)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def env18_line(year: str = "2017-18", code: str = "E07000111", total: object = 44974.731) -> list:
    """A Sevenoaks collection row of Defra's ENV18 release; `total` is the household total."""
    figures = [47161.051, total, 17125.588, *[1.0] * 14]
    return [year, "South East", code, 312, "Sevenoaks District Council", "Collection", *figures]
