"""Broken partner returns, to show the quality gate at work. Not part of the sample.

`write_broken_examples(raw_dir)` adds, beside the synthetic sample, the kinds of mistake
partners really make, each of which the quality gate must catch with a message an officer
can pass back:

- a negative count: KCC's KSI casualties for 2016 with -3 serious casualties on a road;
- a percentage above 100: the partner measures return for 2016/17 reporting 112% of District
  Deal measures on target;
- a month missing: Kent Police's street-level file for November 2023 taken out of raw/;
- a district missing: KCC's KSI casualties for 2015 with every Sevenoaks row left out.

The years 2015, 2016 and 2016/17 lie before the sample's, so the broken files add findings
without changing any published figure. This module has no `write_sample`, so the default
sample stays publishable; `python -m sample_data raw --with-broken-examples` adds them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sample_data.community import KSI_HEADER

KSI_DISTRICTS = (
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
)


@dataclass(frozen=True)
class BrokenExample:
    """One broken return: where it is, and the check and words that must catch it."""

    name: str
    path: str
    return_name: str
    check_name: str
    message_contains: str


BROKEN_EXAMPLES = (
    BrokenExample(
        name="negative count",
        path="road_safety/ksi/KCC KSI casualties by district 2016.csv",
        return_name="road_safety__ksi_casualties",
        check_name="count_negative",
        message_contains="1 row with a value out of range in column 'casualties' (-3 at row",
    ),
    BrokenExample(
        name="percentage above 100",
        path="council/partner_measures/Partner measures 2016-17.csv",
        return_name="council__partner_measures",
        check_name="percent_out_of_range",
        message_contains="(112 at row 3); expected between 0 and 100",
    ),
    BrokenExample(
        name="month missing",
        path="police/2023-11/2023-11-kent-street.csv",
        return_name="police__street_crimes",
        check_name="not_received",
        message_contains="has not sent the street crimes return for 2023-11",
    ),
    BrokenExample(
        name="district missing",
        path="road_safety/ksi/KCC KSI casualties by district 2015.csv",
        return_name="road_safety__ksi_casualties",
        check_name="district_missing",
        message_contains="no rows for Sevenoaks in column 'district_name'",
    ),
)


def _ksi_rows(year: int, leave_out: str | None = None, negative_at: str | None = None):
    """A KSI return in KCC's layout; casualties are plausible and fixed, not random."""
    rows = [list(KSI_HEADER)]
    for number, district in enumerate(KSI_DISTRICTS):
        if district == leave_out:
            continue
        serious_local = 40 + 3 * number
        for network, fatal, serious in (
            ("Local roads", 1 + number % 3, serious_local),
            ("Strategic road network", number % 2, 8 + number % 5),
        ):
            if district == negative_at and network == "Strategic road network":
                serious = -3
            rows.append([year, district, network, "Fatal", fatal])
            rows.append([year, district, network, "Serious", serious])
    return rows


def _write(path: Path, rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def write_broken_examples(raw_dir: Path) -> list[Path]:
    """Add the broken returns to raw_dir (and take one police month out); return the files.

    The list holds the files written and the police file removed, so a caller can report
    every change it made to raw/.
    """
    raw = Path(raw_dir)
    negative, percent, month, district = BROKEN_EXAMPLES
    changed = [
        _write(raw / negative.path, _ksi_rows(2016, negative_at="Dartford")),
        _write(
            raw / percent.path,
            [
                [
                    "partner",
                    "measure",
                    "area_code",
                    "period",
                    "numerator",
                    "denominator",
                    "value",
                    "note",
                ],
                [
                    "Sevenoaks District Council (Customer Services)",
                    "web_chats",
                    "E07000111",
                    "2016/17",
                    "",
                    "",
                    "512",
                    "",
                ],
                [
                    "Sevenoaks District Council and Kent County Council",
                    "district_deal_measures_on_target_pct",
                    "E07000111",
                    "2016/17",
                    "28",
                    "25",
                    "112.0",
                    "",
                ],
            ],
        ),
        _write(raw / district.path, _ksi_rows(2015, leave_out="Sevenoaks")),
    ]
    absent = raw / month.path
    absent.unlink(missing_ok=True)
    changed.append(absent)
    return changed
