"""Synthetic children's partnership returns from Kent County Council.

Two workbooks: KCC's Yr12 & Yr13 NEET summary (`Table 1`, one per January snapshot, every
Kent district) and the Sevenoaks Local Children's Partnership Group indicator workbook (one
per financial year: early years good level of development, youth re-offending by quarter,
and indicators the Community Plan does not use). Written from a fixed seed and calibrated
so that the warehouse computes the figures the council published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sample_data.community import (
    FINANCIAL_YEARS,
    file_year_label,
    financial_year_label,
    new_workbook,
)

SEED = 2020
SNAPSHOT_YEARS = tuple(start + 1 for start in FINANCIAL_YEARS)
"""January of each financial year: Jan 2018 to Jan 2025."""

NEET_JAN_2020_CALIBRATION: dict[str, tuple[int, int, int, float, int, int]] = {
    "Kent": (32240, 429, 724, 2.0, 224, 712),
    "Canterbury": (3056, 38, 61, 1.6, 24, 96),
    "Thanet": (2987, 52, 94, 2.8, 27, 85),
    "Ashford": (2969, 49, 88, 1.7, 14, 54),
    "Dover": (2319, 20, 38, 2.2, 20, 48),
    "Folkestone and Hythe": (2166, 36, 58, 2.4, 16, 49),
    "Maidstone": (3558, 36, 65, 2.0, 28, 65),
    "Tonbridge & Malling": (2759, 29, 56, 1.3, 11, 67),
    "Tunbridge Wells": (2593, 30, 32, 1.3, 15, 35),
    "Dartford": (2260, 26, 51, 2.0, 11, 54),
    "Gravesham": (2425, 32, 52, 2.0, 24, 44),
    "Sevenoaks": (1930, 17, 35, 1.3, 8, 46),
    "Swale": (3218, 64, 94, 2.4, 26, 69),
}
"""Calibrated to the published report figures: KCC's Table 1 for January 2020 as printed in
the 2019/20 monitoring report, in its row order: (total cohort Yr12 & Yr13, NEET Yr12,
NEET Yr13, target % set in January 2018, not known Yr12, not known Yr13).

The printed NEET totals are the Yr12 and Yr13 counts added (Sevenoaks 17 + 35 = 52, 2.7% of
1,930); where the total could not be read it is derived the same way, and every row then
agrees with its printed percentage and the districts add up to Kent (1,153 NEET of 32,240).
Sevenoaks is third lowest, after Tunbridge Wells (2.4%) and Dover (2.5%)."""

NEET_YEAR_FACTOR = {
    2018: 1.06,
    2019: 1.02,
    2021: 1.22,
    2022: 1.14,
    2023: 1.08,
    2024: 1.05,
    2025: 1.03,
}
"""How each other January's NEET rate compares with January 2020 (higher after the pandemic)."""

EYFS_CALIBRATION: dict[str, tuple[int, int, float, float] | None] = {
    "2016/17": (1019, 1342, 73.9, 71.5),
    "2017/18": (1009, 1322, 74.2, 71.8),
    "2018/19": (1006, 1310, 74.6, 71.8),
    "2019/20": None,
    "2020/21": None,
    "2021/22": (917, 1267, 68.9, 65.2),
    "2022/23": (925, 1252, 70.3, 67.2),
    "2023/24": (917, 1231, 70.8, 67.7),
}
"""Calibrated to the published report figures: EYFS good level of development by academic
year (children achieving it, children assessed, benchmark group %, England %). The 2019/20
report quotes the last available result, 2018/19 (summer 2019): 1,006 of 1,310 = 76.8%,
benchmark group 74.6, England 71.8. Each financial year's workbook carries the academic year
that ended the summer before it, the latest KCC has then. 2019/20 and 2020/21 were not
assessed (None): the profile was suspended for COVID-19. Other years plausible (lower from
2021/22 under the new framework)."""

REOFFENDING_CALIBRATION: dict[str, tuple[int, int, float, float]] = {
    "2019/20 Q3": (13, 69, 40.5, 40.9),
}
"""Calibrated to the published report figures: (young people who re-offended, cohort,
benchmark group rate, England and Wales rate). 2019/20 Q3: 13 of 69 = 18.8, benchmark group
40.5, England and Wales 40.9. Other quarters are drawn at random around plausible rates."""

EYFS = "Percentage of pupils achieving a good level of development at EYFS"
REOFFENDING = "Rate of re-offending by children and young people"
CHILDREN_IN_CARE = "Children in care per 10,000 children aged under 18"
TWO_YEAR_OLD_TAKE_UP = "Take-up of funded early education by eligible two-year-olds (%)"


def write_neet_workbook(raw_dir: Path, year: int, rng: np.random.Generator) -> Path:
    """KCC's Table 1 for the January snapshot of one year."""
    areas = _neet_figures(year, rng)
    path = raw_dir / "children" / "neet" / f"NEET summary January {year}.xlsx"
    workbook = new_workbook(path)
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    group = workbook.add_format({"bold": True, "align": "center", "border": 1})
    count = workbook.add_format({"num_format": "#,##0", "border": 1})
    percent = workbook.add_format({"num_format": "0.0%", "border": 1})
    name = workbook.add_format({"border": 1})
    sheet = workbook.add_worksheet("Table 1")
    sheet.write(0, 0, f"Table 1: Yr12 & Yr13 NEET Summary - January {year}", bold)
    sheet.merge_range(3, 1, 3, 9, "NEET", group)
    sheet.merge_range(3, 10, 3, 15, "Not knowns", group)
    labels = [
        "Yr12 & Yr13\nNEET Summary",
        "Total\nCohort\nYr12 &\nYr13",
        "No.\nNEET\nYr12 &\nYr13",
        "% NEET\nYr12 &\nYr13",
        "Target\nYr12 &\nYr13\nJan\n2018",
        "Diff\nfrom\ntarget",
        "No.\nNEET\nYr12",
        "%\nNEET\nYr12",
        "No.\nNEET\nYr13",
        "%\nNEET\nYr13",
        "No.\nYr12",
        "%\nYr12",
        "No.\nYr13",
        "%\nYr13",
        "Total",
        "% of cohort",
    ]
    sheet.write_row(4, 0, labels, heading)
    for offset, (area, figures) in enumerate(areas.items()):
        cohort, neet12, neet13, target, unknown12, unknown13 = figures
        cohort12 = round(cohort * 0.495)
        cohort13 = cohort - cohort12
        neet = neet12 + neet13
        unknown = unknown12 + unknown13
        row = 5 + offset
        sheet.write(row, 0, area, name)
        sheet.write_row(row, 1, [cohort, neet], count)
        sheet.write_row(
            row, 3, [neet / cohort, target / 100, target / 100 - neet / cohort], percent
        )
        sheet.write(row, 6, neet12, count)
        sheet.write(row, 7, neet12 / cohort12, percent)
        sheet.write(row, 8, neet13, count)
        sheet.write(row, 9, neet13 / cohort13, percent)
        sheet.write(row, 10, unknown12, count)
        sheet.write(row, 11, unknown12 / cohort12, percent)
        sheet.write(row, 12, unknown13, count)
        sheet.write(row, 13, unknown13 / cohort13, percent)
        sheet.write(row, 14, unknown, count)
        sheet.write(row, 15, unknown / cohort, percent)
    notes_row = 5 + len(areas) + 1
    sheet.write(
        notes_row,
        0,
        "Cohort: young people of academic age 16 and 17 (Yr12 & Yr13) living in the area. "
        "Targets were set in January 2018.",
    )
    workbook.close()
    return path


def _neet_figures(year: int, rng: np.random.Generator) -> dict[str, tuple]:
    """The districts' figures for a January: the calibrated 2020 table, or drawn around it."""
    if year == 2020:
        return dict(NEET_JAN_2020_CALIBRATION)
    districts: dict[str, tuple] = {}
    for area, figures in NEET_JAN_2020_CALIBRATION.items():
        if area == "Kent":
            continue
        cohort, neet12, neet13, target, unknown12, unknown13 = figures
        growth = 1 + 0.013 * (year - 2020)
        new_cohort = round(cohort * growth * rng.normal(1, 0.01))
        rate = (neet12 + neet13) / cohort * NEET_YEAR_FACTOR[year] * rng.lognormal(0, 0.06)
        neet = round(new_cohort * rate)
        new_neet12 = int(rng.binomial(neet, neet12 / (neet12 + neet13)))
        unknown_rate = (unknown12 + unknown13) / cohort * rng.lognormal(0, 0.15)
        unknown = round(new_cohort * unknown_rate)
        new_unknown12 = int(rng.binomial(unknown, 0.25))
        districts[area] = (
            new_cohort,
            new_neet12,
            neet - new_neet12,
            target,
            new_unknown12,
            unknown - new_unknown12,
        )
    kent = tuple(sum(figures[i] for figures in districts.values()) for i in range(6))
    kent = (*kent[:3], NEET_JAN_2020_CALIBRATION["Kent"][3], *kent[4:])
    return {"Kent": kent, **districts}


def write_lcpg_workbook(raw_dir: Path, start: int, rng: np.random.Generator) -> Path:
    """The LCPG indicator workbook for one financial year."""
    year = financial_year_label(start)
    path = (
        raw_dir / "children" / "lcpg" / f"Sevenoaks LCPG indicators {file_year_label(start)}.xlsx"
    )
    workbook = new_workbook(path)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    one_decimal = workbook.add_format({"num_format": "0.0"})
    sheet = workbook.add_worksheet("Indicators")
    sheet.write(
        0, 0, "Sevenoaks District Local Children's Partnership Group - core indicators", bold
    )
    sheet.write(1, 0, f"Financial year {year}")
    sheet.write_row(
        3,
        0,
        [
            "Indicator",
            "Period",
            "Numerator",
            "Denominator",
            "Sevenoaks",
            "Target",
            "Benchmark group",
            "National",
            "National comparator",
            "Note",
        ],
        bold,
    )
    rows = [_eyfs_row(financial_year_label(start - 1))]
    rows += [_reoffending_row(f"{year} Q{quarter}", rng) for quarter in range(1, 5)]
    in_care = int(rng.integers(70, 95))
    rows.append([CHILDREN_IN_CARE, year, in_care, 25_400, in_care / 2.54, None, 42.0, 67.0])
    taken_up = int(rng.integers(150, 190))
    rows.append([TWO_YEAR_OLD_TAKE_UP, year, taken_up, 220, 100 * taken_up / 220, 75.0, 72.0])
    for offset, cells in enumerate(rows):
        cells = cells + [None] * (10 - len(cells))
        if cells[7] is not None and cells[8] is None:
            cells[8] = "England and Wales" if cells[0] == REOFFENDING else "England"
        for column, value in enumerate(cells):
            if isinstance(value, float):
                sheet.write_number(4 + offset, column, round(value, 1), one_decimal)
            elif value is not None:
                sheet.write(4 + offset, column, value)
    workbook.close()
    return path


def _eyfs_row(year: str) -> list:
    figures = EYFS_CALIBRATION[year]
    if figures is None:
        note = f"Not assessed in {year}: the EYFS profile was suspended (COVID-19)"
        return [EYFS, year, None, None, None, 75.0, None, None, None, note]
    achieved, assessed, benchmark, england = figures
    return [EYFS, year, achieved, assessed, 100 * achieved / assessed, 75.0, benchmark, england]


def _reoffending_row(period: str, rng: np.random.Generator) -> list:
    figures = REOFFENDING_CALIBRATION.get(period)
    if figures is None:
        cohort = int(rng.integers(55, 86))
        reoffended = int(rng.binomial(cohort, rng.uniform(0.14, 0.30)))
        figures = (reoffended, cohort, rng.uniform(37, 42), rng.uniform(38, 41.5))
    reoffended, cohort, benchmark, national = figures
    rate = 100 * reoffended / cohort
    return [REOFFENDING, period, reoffended, cohort, rate, 35.0, benchmark, national]


def write_sample(raw_dir: Path) -> list[Path]:
    """Every January's NEET table and every year's LCPG workbook; the same files every time."""
    rng = np.random.default_rng(SEED)
    written = [write_neet_workbook(raw_dir, year, rng) for year in SNAPSHOT_YEARS]
    written += [write_lcpg_workbook(raw_dir, start, rng) for start in FINANCIAL_YEARS]
    return written
