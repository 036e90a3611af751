"""Synthetic waste returns: Defra's ENV18 tonnages and the council's two waste returns.

Three returns, in the folders their parsers read:
- `waste/env18/`: one ENV18 release in the layout of Defra's 2022-23 spreadsheet (ODS,
  the tonnages in Table_1 among metadata, notes and indicator sheets) covering 2017-18 to
  2024-25 for the Kent authorities (the 12 districts, Kent County Council as disposal
  authority, Medway) with South East and England rows. The real release has no area rows
  (the warehouse sums its unitary and disposal authorities instead); a Kent-only sample
  must state them. 2017-18 is the real release's figures; later years grow from them.
- `waste/missed_collections/<year>/`: the waste team's quarterly CSV, a row per service.
- `waste/tonnage/`: the waste team's workbook per financial year, tonnes by destination.

Sevenoaks' figures are calibrated: the missed collections rates of the two monitoring
reports, and the "98% recycled or reused" claim, which the tonnes show to be the share of
waste not sent to landfill (energy recovery included). The household recycling rate the
council's tonnes give is ENV18's, about 38-42%, so the two sources agree and the 98% claim
stands out as the different measure it is.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import xlsxwriter

from sample_data.release_layouts import (
    ENV18_FILE_NAME,
    ENV18_SHEETS,
    ENV18_TABLE_ABOVE,
    ENV18_TABLE_BELOW,
    ENV18_TABLE_HEADER,
)
from sample_data.spreadsheets import write_ods

FINANCIAL_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024)
"""First calendar year of each financial year the sample covers (2017/18 to 2024/25)."""

SEVENOAKS = "E07000111"

PUBLISHED_SEVENOAKS_FIGURES: dict[str, dict[str, float]] = {
    "missed_collections_per_100k": {"2019/20": 5.7, "2021/22": 6.8},
    "waste_not_landfilled_pct": {"2020/21": 98, "2021/22": 98},
    "missed_collections_put_right_next_day_pct": {"2019/20 Q4": 100},
}
"""The sample is calibrated to the published report figures.

Justified missed collections per 100,000 scheduled (financial year) and the share of waste
"recycled or reused" that the 2021/22 report claims (98%, the same as 2020/21), which the
tonnes make the share not sent to landfill. The 2019/20 report also says 100% of justified
missed collections were put right by the next working day in quarter 4. The warehouse
computes these from the files; they are never stored as figures.
"""

_MISSED_PER_100K_UNPUBLISHED = {
    "2017/18": 7.4,
    "2018/19": 6.4,
    "2020/21": 6.1,
    "2022/23": 7.9,
    "2023/24": 7.3,
    "2024/25": 6.6,
}
"""Plausible Sevenoaks rates for the years the reports do not give (target: 10)."""

_SEVENOAKS_HOUSEHOLD_WASTE = {
    "2017/18": (44974.731, 17125.588 / 44974.731 * 100),
    "2018/19": (45312.4, 38.6),
    "2019/20": (45698.2, 39.3),
    "2020/21": (50127.9, 40.2),
    "2021/22": (49306.5, 39.6),
    "2022/23": (46981.0, 40.4),
    "2023/24": (46410.6, 41.1),
    "2024/25": (46135.2, 41.6),
}
"""Sevenoaks household waste (tonnes) and percent sent for recycling, composting or reuse.

2017/18 is the real ENV18 figure (38.1%); later years are plausible, with the Covid rise in
tonnage the 2021/22 report mentions. Both the ENV18 file and the council's tonnage return
are built from these, so the council's recycling share matches Defra's rate.
"""

_LANDFILL_PERCENT = {
    "2017/18": 3.1,
    "2018/19": 2.6,
    "2019/20": 2.2,
    "2022/23": 0.9,
    "2023/24": 0.0,
    "2024/25": 0.0,
}
"""Share of Sevenoaks' waste sent to landfill in the unpublished years: falling to none by
2023/24, as the 2024 Productivity Plan says ("no waste goes to land-fill")."""

_LANDFILL_MARGIN = 0.25
"""Published years send just under 100 - figure percent to landfill ("less than 2%", as the
Council Plan puts it), so the share not landfilled rounds to the published figure."""

_COMPOSTED_SHARE = 5903.34 / 17125.588
"""Share of Sevenoaks' recycling that is garden waste composted (ENV18 2017-18)."""
_REUSED_SHARE = 0.008
"""Share of recycling that is reuse (bulky items passed to the furniture stores)."""

# The real 2017-18 ENV18 rows (tonnes, in the file's column order) for the Kent
# authorities; South East and England are the sums of their unitary and disposal
# authorities, which is how Defra's regional rates are made.
_AUTHORITIES_2017_18: dict[str, tuple[str, str, str, str, tuple[float, ...]]] = {
    "E07000105": ("320", "Ashford Borough Council", "Collection", "South East", (
        40315.32, 40214.91, 22753.998475, 12402.659424, 10351.33905, 17460.911522,
        15357.701525, 0, 1201.51, 901.699997, 100.41, 6.011525, 94.398475, 0, 22760.01,
        17555.309997, 901.699997)),
    "E07000106": ("319", "Canterbury City Council", "Collection", "South East", (
        59999.72, 55506.86, 24163.307601, 11208.877311, 12954.430288, 31343.552395,
        28272.79, 0, 2512.42, 558.342395, 4492.86, 599.892399, 3892.967601, 0, 24763.2,
        35236.519996, 558.342395)),
    "E07000107": ("318", "Dartford Borough Council", "Collection", "South East", (
        36825.68, 36604.06, 9234.36, 7353.88, 1880.48, 27369.7, 25707.89, 0, 1040.46, 621.35,
        221.62, 0, 221.62, 0, 9234.36, 27591.32, 621.35)),
    "E07000108": ("317", "Dover District Council", "Collection", "South East", (
        34285.7, 33902.16, 16021.788194, 9780.20598, 6241.582212, 17880.371802,
        15905.931806, 0, 1329.3, 645.139996, 383.54, 15.508806, 368.031194, 0, 16037.297,
        18248.402996, 645.139996)),
    "E07000112": ("311", "Folkestone and Hythe District Council", "Collection", "South East", (
        37150.81, 36948.35, 16752.624816, 8769.691659, 7982.933156, 20195.72518,
        17778.855184, 0, 1917.99, 498.879996, 202.46, 6.144184, 196.315816, 0, 16758.769,
        20392.040996, 498.879996)),
    "E07000109": ("315", "Gravesham Borough Council", "Collection", "South East", (
        34167.31, 31090.03, 12652.16, 6881.42, 5770.74, 18437.87, 16011.8, 0, 1802, 624.07,
        3077.28, 0, 3077.28, 0, 12652.16, 21515.15, 624.07)),
    "E10000016": ("321", "Kent County Council", "Disposal", "South East", (
        708527, 669408, 312720, 176930, 135791, 356687, 264027, 55243, 30214, 7203, 39119,
        35743, 3376, 0, 348464, 360063, 7203)),
    "E07000110": ("314", "Maidstone Borough Council", "Collection", "South East", (
        57508.912, 57151.452, 29215.222301, 14745.379693, 14469.842606, 27936.229695,
        24233.411699, 0, 2350.99, 1351.827996, 357.46, 13.061699, 344.398301, 0, 29228.284,
        28280.627996, 1351.827996)),
    "E06000035": ("313", "Medway Borough Council", "Unitary", "South East", (
        131702, 123024, 52667, 29017, 23650, 70357, 55184, 8511, 4007, 2654, 8678, 9488, -809,
        0, 62155, 69547, 2654)),
    "E07000111": ("312", "Sevenoaks District Council", "Collection", "South East", (
        47161.051, 44974.731, 17125.588, 11222.248, 5903.34, 27849.143, 22827.16, 0,
        4711.87, 310.113, 2186.32, 81.26, 2105.06, 0, 17206.848, 29954.203, 310.113)),
    "E07000113": ("310", "Swale Borough Council", "Collection", "South East", (
        52683.342, 51921.462, 21403.260661, 13727.98841, 7675.272249, 30518.201335,
        26703.569339, 0, 2620.47, 1194.161996, 761.88, 23.309339, 738.570661, 0, 21426.57,
        31256.771996, 1194.161996)),
    "E07000114": ("309", "Thanet District Council", "Collection", "South East", (
        46504.21, 46483.19, 16205.534424, 9710.671701, 6494.862721, 30277.655574,
        25725.955576, 0, 4076.35, 475.349998, 21.02, 0.195576, 20.824424, 0, 16205.73,
        30298.479998, 475.349998)),
    "E07000115": ("308", "Tonbridge and Malling Borough Council", "Collection", "South East", (
        50007.56, 49915.36, 20799.68, 5704.32, 15095.36, 29115.68, 25092.21, 0, 4025.74, -2.27,
        92.2, 0, 92.2, 0, 20799.68, 29207.88, -2.27)),
    "E07000116": ("307", "Tunbridge Wells Borough Council", "Collection", "South East", (
        44556.924, 44481.824, 21511.762707, 9374.07468, 12137.688025, 22970.061289,
        20539.833293, 0, 2405.58, 24.647996, 75.1, 2.123293, 72.976707, 0, 21513.886,
        23043.037996, 24.647996)),
    "E12000008": ("", "South East", "Region", "South East", (
        4154417, 3914823, 1826936, 1041868, 785066, 2087885, 1510269, 322434, 169464, 85717,
        239594, 130364, 109231, 19, 1957303, 2197113, 85736)),
    "E92000001": ("", "England", "Country", "England", (
        25508593, 23097705, 9980400, 5742375, 4238023, 13117300, 9893239, 1705664, 1050909,
        467477, 2410891, 879734, 1531158, 29080, 10860135, 14648455, 496555)),
}  # fmt: skip

# Movement from 2017-18 by year: household tonnage (Covid's "Christmas week every week" in
# 2020/21 and after), non-household tonnage (businesses shut in 2020/21) and the recycling
# rate in percentage points, for Kent and for England.
_HOUSEHOLD_VOLUME = (1.0, 1.006, 1.012, 1.093, 1.078, 1.031, 1.018, 1.012)
_NON_HOUSEHOLD_VOLUME = (1.0, 1.01, 1.0, 0.78, 0.93, 0.98, 1.0, 1.01)
_KENT_RATE_CHANGE = (0.0, 0.4, 0.8, -0.5, 0.1, 0.6, 1.0, 1.3)
_ENGLAND_RATE_CHANGE = (0.0, 0.3, 0.5, -1.0, -0.8, -0.9, -0.4, -0.2)

_NOT_REPORTED = {("E07000108", "2021-22"): (9, 16)}
"""Cells Defra prints as '-' (not reported): Dover's estimated rejects in 2021-22, as
column positions among the 17 tonnages."""

_SERVICES = ("Refuse", "Dry recycling", "Garden waste")
_HOUSEHOLDS_2017 = 50300
_HOUSEHOLD_GROWTH = 0.006
_GARDEN_SUBSCRIBERS_2017 = 17800
_GARDEN_GROWTH = 0.03
_MISS_PROPENSITY = np.array([1.0, 1.1, 1.8])
"""Relative chance that a scheduled collection is missed, by service: garden waste rounds
are longer and run fortnightly, so a missed bin is more likely."""
_QUARTER_MISS_WEIGHT = np.array([0.23, 0.24, 0.28, 0.25])
"""Missed collections peak in quarter 3 (leaf fall, Christmas catch-up, ice)."""
_PUT_RIGHT_RATE = 0.965

_QUARTER_TONNAGE_WEIGHT = np.array([0.262, 0.255, 0.248, 0.235])
_QUARTER_GARDEN_WEIGHT = np.array([0.34, 0.32, 0.21, 0.13])
_QUARTER_NAMES = ("Q1 (Apr-Jun)", "Q2 (Jul-Sep)", "Q3 (Oct-Dec)", "Q4 (Jan-Mar)")

_SEED = 20171
_CREATED = datetime(2025, 5, 2, 9, 30)
"""Fixed workbook creation time, so the same sample is the same bytes every time."""


def _label(start_year: int, separator: str = "/") -> str:
    return f"{start_year}{separator}{(start_year + 1) % 100:02d}"


def _format_tonnes(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return "0" if text in ("-0", "") else text


def _authority_year(base: tuple[float, ...], household: float, rate: float, other: float):
    """The 17 tonnages of a year, consistent with one another, from the 2017-18 row's mix.

    Household waste and its recycling come from the year's figures; the split of recycling
    (dry, green) and of what was not recycled (regular collection, civic amenity sites,
    other, rejects) keeps the 2017-18 proportions; the totals add up as Defra's do.
    """
    r0, dry0, _, not0, regular0, amenity0, other0, rejects0 = base[2:10]
    nh0, nh_recycled0, _, nh_rejects0 = base[10:14]
    recycled = household * rate / 100
    dry = recycled * dry0 / r0
    not_recycled = household - recycled
    split = [not_recycled * part / not0 for part in (regular0, amenity0, other0, rejects0)]
    non_household = nh0 * other
    nh_recycled = non_household * nh_recycled0 / nh0 if nh0 else 0.0
    nh_not = non_household - nh_recycled
    nh_rejects = nh_not * nh_rejects0 / (nh0 - nh_recycled0) if nh0 - nh_recycled0 else 0.0
    return (
        household + non_household,
        household,
        recycled,
        dry,
        recycled - dry,
        not_recycled,
        *split,
        non_household,
        nh_recycled,
        nh_not,
        nh_rejects,
        recycled + nh_recycled,
        not_recycled + nh_not,
        split[3] + nh_rejects,
    )


def _env18_rows(rng: np.random.Generator) -> list[list[str]]:
    """Every row of the sample release: the Kent authorities, then South East and England."""
    rows: list[list[str]] = []
    order = sorted(_AUTHORITIES_2017_18, key=lambda code: _AUTHORITIES_2017_18[code][0] or "999")
    for y, start_year in enumerate(FINANCIAL_YEARS):
        year = _label(start_year, "-")
        for code in order:
            jpp, name, authority_type, region, base = _AUTHORITIES_2017_18[code]
            wobble = rng.uniform(-1.0, 1.0)
            if y == 0:
                values = base
            elif code == SEVENOAKS:
                household, rate = _SEVENOAKS_HOUSEHOLD_WASTE[_label(start_year)]
                values = _authority_year(base, household, rate, _NON_HOUSEHOLD_VOLUME[y])
            else:
                national = code == "E92000001"
                change = (_ENGLAND_RATE_CHANGE if national else _KENT_RATE_CHANGE)[y]
                aggregate = authority_type in ("Disposal", "Unitary", "Region", "Country")
                rate = base[2] / base[1] * 100 + change + (0.2 if aggregate else 1.0) * wobble
                household = base[1] * _HOUSEHOLD_VOLUME[y] * (1 + 0.01 * wobble)
                values = _authority_year(base, household, rate, _NON_HOUSEHOLD_VOLUME[y])
            decimals = 6 if y == 0 else 3
            if authority_type != "Collection":
                decimals = 0
            cells = [_format_tonnes(v, decimals) for v in values]
            for position in _NOT_REPORTED.get((code, year), ()):
                cells[position] = "-"
            rows.append([year, region, code, jpp, name, authority_type, *cells])
    return rows


def _write_env18(raw_dir: Path, rng: np.random.Generator) -> Path:
    """The release as Defra publishes it: an ODS with its metadata, notes and indicator
    sheets, and the tonnages in Table_1 under a title, a warning and column groups, with the
    2022-23 headings and the notes under the figures."""
    rows = _env18_rows(rng)
    years = f"{rows[0][0]} to {rows[-1][0]}"
    title = re.sub(r"\d{4}-\d{2} to \d{4}-\d{2}", years, ENV18_TABLE_ABOVE[0][0])
    width = len(ENV18_TABLE_HEADER)

    def row(cells: dict[int, object]) -> list:
        return [cells.get(j) for j in range(width)]

    table = [
        row({0: title}),
        *(row(cells) for cells in ENV18_TABLE_ABOVE[1:]),
        list(ENV18_TABLE_HEADER),
        *([_spreadsheet_cell(cell) for cell in cells] for cells in rows),
        *(row(cells) for cells in ENV18_TABLE_BELOW),
    ]
    sheets = [
        (name, table if name == "Table_1" else [[first]] if first else [])
        for name, first in ENV18_SHEETS
    ]
    folder = raw_dir / "waste" / "env18"
    folder.mkdir(parents=True, exist_ok=True)
    return write_ods(folder / ENV18_FILE_NAME.format(last_year=rows[-1][0]), sheets)


def _spreadsheet_cell(text: str) -> str | float:
    """A figure as the spreadsheet stores it, a number; text (names, `-`) stays text."""
    try:
        return float(text)
    except ValueError:
        return text


def _scheduled(start_year: int, quarter: int) -> list[int]:
    """Collections scheduled in a quarter, by service: weekly refuse and dry recycling for
    every household, fortnightly garden waste for subscribers (7 or 6 fortnights)."""
    years = start_year - FINANCIAL_YEARS[0] + quarter / 4
    households = _HOUSEHOLDS_2017 * (1 + _HOUSEHOLD_GROWTH) ** years
    subscribers = _GARDEN_SUBSCRIBERS_2017 * (1 + _GARDEN_GROWTH) ** years
    fortnights = 7 if quarter % 2 == 0 else 6
    return [round(households * 13), round(households * 13 - 40), round(subscribers * fortnights)]


def _missed_collections(rng: np.random.Generator) -> dict[str, list[list[int]]]:
    """Per financial year, four quarters of [scheduled, missed, put right] per service.

    The year's missed total is the calibrated rate times the year's scheduled collections,
    rounded to a whole collection, so the year's rate rounds to the calibrated figure.
    """
    published = PUBLISHED_SEVENOAKS_FIGURES["missed_collections_per_100k"]
    put_right_published = PUBLISHED_SEVENOAKS_FIGURES["missed_collections_put_right_next_day_pct"]
    years: dict[str, list[list[int]]] = {}
    for start_year in FINANCIAL_YEARS:
        label = _label(start_year)
        rate = published.get(label, _MISSED_PER_100K_UNPUBLISHED.get(label))
        scheduled = np.array([_scheduled(start_year, q) for q in range(4)])
        missed_total = round(rate * scheduled.sum() / 100_000)
        by_quarter = rng.multinomial(missed_total, _QUARTER_MISS_WEIGHT)
        rows: list[list[int]] = []
        for q in range(4):
            weights = scheduled[q] * _MISS_PROPENSITY
            missed = rng.multinomial(by_quarter[q], weights / weights.sum())
            if put_right_published.get(f"{label} Q{q + 1}") == 100:
                put_right = missed
            else:
                put_right = rng.binomial(missed, _PUT_RIGHT_RATE)
            for s in range(len(_SERVICES)):
                rows.append([int(scheduled[q, s]), int(missed[s]), int(put_right[s])])
        years[label] = rows
    return years


def _write_missed_collections(raw_dir: Path, rng: np.random.Generator) -> list[Path]:
    written: list[Path] = []
    for label, rows in _missed_collections(rng).items():
        folder = raw_dir / "waste" / "missed_collections" / label.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        for q in range(4):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(["Sevenoaks District Council - Direct Services"])
            writer.writerow(["Missed collections return"])
            writer.writerow([])
            writer.writerow(
                [
                    "Quarter",
                    "Service",
                    "Collections scheduled",
                    "Justified missed collections",
                    "Put right by next working day",
                ]
            )
            for s, service in enumerate(_SERVICES):
                writer.writerow([f"{label} Q{q + 1}", service, *rows[q * len(_SERVICES) + s]])
            path = folder / f"missed_collections_{label.replace('/', '-')}_Q{q + 1}.csv"
            path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
            written.append(path)
    return written


def _landfill_percent(label: str) -> float:
    published = PUBLISHED_SEVENOAKS_FIGURES["waste_not_landfilled_pct"].get(label)
    if published is None:
        return _LANDFILL_PERCENT[label]
    return 100 - published - _LANDFILL_MARGIN


def _tonnage_by_destination(label: str) -> np.ndarray:
    """Tonnes by quarter (rows) and destination (recycled, composted, reused, energy
    recovery, landfill), adding up to the year's household waste."""
    household, rate = _SEVENOAKS_HOUSEHOLD_WASTE[label]
    recycling = household * rate / 100
    composted = recycling * _COMPOSTED_SHARE
    reused = recycling * _REUSED_SHARE
    landfill = household * _landfill_percent(label) / 100
    energy = household - recycling - landfill
    year = [
        (recycling - composted - reused, _QUARTER_TONNAGE_WEIGHT),
        (composted, _QUARTER_GARDEN_WEIGHT),
        (reused, _QUARTER_TONNAGE_WEIGHT),
        (energy, _QUARTER_TONNAGE_WEIGHT),
        (landfill, _QUARTER_TONNAGE_WEIGHT),
    ]
    return np.column_stack([total * weights / weights.sum() for total, weights in year]).round(2)


def _write_tonnage(raw_dir: Path) -> list[Path]:
    folder = raw_dir / "waste" / "tonnage"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    headings = (
        "Quarter",
        "Recycled (tonnes)",
        "Composted (tonnes)",
        "Reused (tonnes)",
        "Energy recovery (tonnes)",
        "Landfill (tonnes)",
        "Total (tonnes)",
    )
    for start_year in FINANCIAL_YEARS:
        label = _label(start_year)
        tonnes = _tonnage_by_destination(label)
        path = folder / f"waste_tonnage_by_destination_{label.replace('/', '-')}.xlsx"
        workbook = xlsxwriter.Workbook(path)
        workbook.set_properties({"created": _CREATED, "author": "Direct Services"})
        bold = workbook.add_format({"bold": True})
        figure = workbook.add_format({"num_format": "#,##0.00"})
        sheet = workbook.add_worksheet("Tonnage")
        sheet.write(0, 0, "Sevenoaks District Council - waste tonnage by destination", bold)
        sheet.write_row(1, 0, ["Financial year", label])
        sheet.write_row(2, 0, ["Prepared by", "Direct Services, Waste and Recycling"])
        sheet.write_row(4, 0, headings, bold)
        for q, quarter in enumerate(tonnes):
            row = 5 + q
            sheet.write(row, 0, _QUARTER_NAMES[q])
            sheet.write_row(row, 1, [float(t) for t in quarter], figure)
            sheet.write_formula(row, 6, f"=SUM(B{row + 1}:F{row + 1})", figure, float(sum(quarter)))
        sheet.write(9, 0, "Total", bold)
        for column in range(1, 7):
            letter = chr(ord("A") + column)
            total = float(tonnes.sum()) if column == 6 else float(tonnes[:, column - 1].sum())
            sheet.write_formula(9, column, f"=SUM({letter}6:{letter}9)", figure, total)
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 6, 14)
        notes = workbook.add_worksheet("Notes")
        notes.write(0, 0, "Tonnes as reported to WasteDataFlow; energy recovery is residual")
        notes.write(1, 0, "waste sent to the Allington energy from waste plant.")
        workbook.close()
        written.append(path)
    return written


def write_sample(raw_dir: Path) -> list[Path]:
    """The waste part of the sample returns: the ENV18 release, 32 quarterly missed
    collections returns and 8 yearly tonnage workbooks."""
    rng = np.random.default_rng(_SEED)
    return [
        _write_env18(raw_dir, rng),
        *_write_missed_collections(raw_dir, rng),
        *_write_tonnage(raw_dir),
    ]
