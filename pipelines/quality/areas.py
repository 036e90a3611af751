"""Unknown areas: a row whose area code the warehouse does not know is a finding.

The measures place every figure in an area by its ONS code, joined to the areas seed
(`dbt_project/seeds/areas.csv`). A row with a code the seed does not hold drops out of every
measure without a word: a Sevenoaks row typed as E07999999 leaves Sevenoaks without a
figure. So each return that carries area codes names them in its suite's meta:

    "areas": {"code": "area_code", "name": "area_name", "every_code_known": false}

- `every_code_known: true` (a local return, about Kent's areas only): every code must be in
  the seed;
- false (a national table, every English authority): only a row whose name is one of the
  seed's areas (or a former name) and whose code is not that area's is unknown, since the
  seed does not list the other three hundred authorities.

The finding names the file, the rows and the code, and what the area's code should be.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines import settings
from pipelines.quality.findings import Finding

CHECK = "area_unknown"
AREAS_SEED = settings.REPO_ROOT / "dbt_project" / "seeds" / "areas.csv"
SHOWN_ROWS = 20
_COUNCIL = re.compile(
    r"\b(district|borough|city|county|metropolitan|unitary)?\s*council\b|\(.*?\)", re.I
)


@dataclass(frozen=True)
class KnownAreas:
    codes: frozenset[str]
    code_of_name: dict[str, str]


def known_areas() -> KnownAreas:
    """The seed's codes, and its names (current and former) with their codes."""
    with AREAS_SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names: dict[str, str] = {}
    for row in rows:
        names[normalise(row["area_name"])] = row["area_code"]
        for former in filter(None, (row.get("former_names") or "").split(";")):
            names[normalise(former)] = row["area_code"]
    return KnownAreas(frozenset(row["area_code"] for row in rows), names)


def normalise(name: str) -> str:
    """`Sevenoaks District Council` and `Shepway (renamed 2018)` as `sevenoaks`, `shepway`."""
    return " ".join(_COUNCIL.sub(" ", name).lower().split())


def unknown_areas(
    con: duckdb.DuckDBPyConnection,
    return_name: str,
    config: dict[str, Any],
    known: KnownAreas | None = None,
) -> list[Finding]:
    """A finding per current submission and unknown code, naming its rows."""
    known = known or known_areas()
    code, name = config["code"], config.get("name")
    name_sql = f'r."{name}"' if name else "null"
    rows = con.execute(
        f"""
        select s.submission_id, s.period, coalesce(s.source_file, s.file_path),
            r."{code}", {name_sql}, r.source_row
        from raw.{return_name} as r
        join ledger.submissions as s using (submission_id)
        where s.status = 'accepted' and r."{code}" is not null
            and not list_contains(?, r."{code}")
        order by s.submission_id, r.source_row
        """,
        [sorted(known.codes)],
    ).fetchall()
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for submission_id, period, source_file, area_code, area_name, source_row in rows:
        should_be = known.code_of_name.get(normalise(area_name or ""))
        if not config.get("every_code_known") and should_be is None:
            continue  # an authority outside the seed, with its own name: not ours to judge
        entry = found.setdefault(
            (submission_id, area_code),
            {"period": period, "file": source_file, "name": area_name, "rows": []},
        )
        entry["rows"].append(source_row)
        entry["should_be"] = should_be
    return [
        _finding(return_name, submission_id, area_code, entry)
        for (submission_id, area_code), entry in found.items()
    ]


def _finding(return_name: str, submission_id: int, area_code: str, entry: dict) -> Finding:
    rows = entry["rows"]
    listed = ", ".join(str(r) for r in rows[:SHOWN_ROWS])
    if len(rows) > SHOWN_ROWS:
        listed += f" and {len(rows) - SHOWN_ROWS} more"
    named = f" (named '{entry['name']}')" if entry["name"] else ""
    hint = f"; {entry['name']} is {entry['should_be']}" if entry["should_be"] else ""
    noun = "row" if len(rows) == 1 else "rows"
    return Finding(
        check_name=CHECK,
        check_kind="suite",
        return_name=return_name,
        area_code=area_code,
        period_id=entry["period"],
        observed=area_code,
        expected=entry["should_be"] or "an area in the areas seed",
        message=(
            f"{entry['file']}: {noun} {listed}: area code '{area_code}'{named} is not an area "
            f"the warehouse knows{hint}. Its figures are left out of every measure until the "
            "partner corrects the code."
        ),
        submission_id=submission_id,
        source_file=entry["file"],
        source_rows=listed,
        detail=str(submission_id),
    )
