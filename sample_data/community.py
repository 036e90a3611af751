"""Synthetic community safety, road safety and parking returns in the partners' formats.

Three returns: the Community Safety Partnership's monitoring workbook (an `Action plan`
sheet listing each action with its status and a `CSU taskings` sheet month by month), Kent
County Council's killed or seriously injured casualties by district (one CSV a calendar
year) and the parking team's monthly enforcement CSV. Everything is synthetic, written from
a fixed seed, and calibrated so that the warehouse computes the Sevenoaks figures the
council published; KCC's files for 2020 and 2021 are absent because KCC never sent them.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import xlsxwriter

FINANCIAL_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024)
"""First calendar year of each financial year the sample covers (2017/18 to 2024/25)."""

KSI_YEARS = (2017, 2018, 2019, 2022, 2023, 2024)
"""Calendar years KCC sent: nothing was received for 2020 and 2021, as the 2021/22 report says."""

KSI_HEADER = ("Year", "District", "Road network", "Severity", "Casualties")
"""KCC's KSI casualties return (no national format): a row per district, road network and
severity."""

SEED = 2019

CSP_ACTIONS_CALIBRATION: dict[str, tuple[int, int]] = {
    "2017/18": (44, 3),
    "2018/19": (47, 2),
    "2019/20": (50, 1),
    "2020/21": (35, 1),
    "2021/22": (37, 2),
    "2022/23": (40, 3),
    "2023/24": (38, 2),
    "2024/25": (41, 4),
}
"""Calibrated to the published report figures: (actions in the plan, actions not on target).

2019/20: 49 of 50 achieved or on target = 98% ("nearly 50 projects"); 2020/21: 34 of 35 =
97%; 2021/22 has "over 35 projects". Other years are plausible.
"""

CSU_TASKINGS_CALIBRATION: dict[str, int] = {
    "2017/18": 571,
    "2018/19": 588,
    "2019/20": 600,
    "2020/21": 712,
    "2021/22": 626,
    "2022/23": 604,
    "2023/24": 611,
    "2024/25": 597,
}
"""Calibrated to the published report figures: CSU daily taskings issued in the year
(2019/20 = 600 and 2021/22 = 626 published; 2020/21 higher with lockdown anti-social
behaviour; other years plausible)."""

PARKING_ENFORCEMENT_CALIBRATION: dict[str, int] = {
    "2017/18": 6812,
    "2018/19": 6604,
    "2019/20": 6231,
    "2020/21": 3418,
    "2021/22": 5236,
    "2022/23": 5611,
    "2023/24": 5804,
    "2024/25": 5947,
}
"""Calibrated to the published report figures: PCNs and warning notices issued in the year
(2021/22 published as "over 5000"; 2020/21 low with enforcement paused in lockdown)."""

SEVENOAKS_KSI_CALIBRATION: dict[int, dict[str, tuple[int, int]]] = {
    2017: {"local_roads": (4, 45), "strategic_road_network": (2, 15)},
    2018: {"local_roads": (2, 45), "strategic_road_network": (1, 20)},
    2019: {"local_roads": (1, 58), "strategic_road_network": (1, 18)},
    2022: {"local_roads": (3, 52), "strategic_road_network": (1, 17)},
    2023: {"local_roads": (2, 49), "strategic_road_network": (0, 20)},
    2024: {"local_roads": (2, 51), "strategic_road_network": (1, 15)},
}
"""Calibrated to the published report figures: Sevenoaks (fatal, serious) casualties by road
network. Local roads: 49 in 2017 (4 fatal), 47 in 2018 (2 fatal), 59 in 2019 (1 fatal);
all roads 78 in 2019. Other years plausible."""

KSI_ALL_ROADS_2019_CALIBRATION: dict[str, int] = {
    "Ashford": 71,
    "Canterbury": 66,
    "Dartford": 41,
    "Dover": 52,
    "Folkestone & Hythe": 55,
    "Gravesham": 39,
    "Maidstone": 79,
    "Sevenoaks": 78,
    "Swale": 74,
    "Thanet": 48,
    "Tonbridge & Malling": 69,
    "Tunbridge Wells": 83,
}
"""Calibrated to the published report figures: KSI casualties on all roads in 2019 by district,
so that Sevenoaks (78) is third highest after Tunbridge Wells (83) and Maidstone (79).
The other districts' figures are plausible and below 78; they also size the other years."""

STRATEGIC_SHARE = {
    "Ashford": 0.22,
    "Canterbury": 0.10,
    "Dartford": 0.30,
    "Dover": 0.20,
    "Folkestone & Hythe": 0.18,
    "Gravesham": 0.20,
    "Maidstone": 0.17,
    "Swale": 0.15,
    "Thanet": 0.02,
    "Tonbridge & Malling": 0.24,
    "Tunbridge Wells": 0.12,
}
"""Share of each district's KSI casualties on the strategic road network (motorways and trunk
roads run by National Highways), by how much of it runs through the district."""


def financial_year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def file_year_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def _months(start: int) -> list[date]:
    return [date(start + (m > 12), (m - 1) % 12 + 1, 1) for m in range(4, 16)]


def _weekdays(month: date) -> int:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    days = (following - month).days
    return sum((month + timedelta(d)).weekday() < 5 for d in range(days))


def _split(total: int, weights, rng: np.random.Generator) -> list[int]:
    """Split a total into parts in proportion to weights, at random but adding up exactly."""
    shares = np.asarray(weights, dtype=float)
    return [int(n) for n in rng.multinomial(total, shares / shares.sum())]


def new_workbook(path: Path) -> xlsxwriter.Workbook:
    """A workbook whose bytes depend only on its content, so re-running changes nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": datetime(2020, 1, 1), "author": "Synthetic sample"})
    return workbook


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


CSP_PRIORITIES = {
    "DA": ("Domestic Abuse", "Sevenoaks DAVSS"),
    "SAC": ("Serious and Acquisitive Crime", "Kent Police"),
    "ASB": ("Anti-Social Behaviour including Environmental Crime", "Sevenoaks District Council"),
    "SG": ("Safeguarding", "Kent County Council"),
    "SM": ("Substance Misuse", "Forward Trust"),
    "RS": ("Road Safety", "Kent Fire and Rescue Service"),
    "DCS": ("Doorstep Crime and Scams", "Kent Trading Standards"),
}
CSP_ACTIONS = (
    "Run awareness sessions with local groups and schools",
    "Hold a multi-agency task and finish group for repeat locations",
    "Deliver a week of action with partners",
    "Promote reporting routes through the council's social media",
    "Train frontline staff to recognise and refer",
    "Target repeat victims with follow-up visits",
    "Deploy the partnership's mobile CCTV to hotspots",
    "Attend community events across the district",
)


def write_csp_workbook(raw_dir: Path, start: int, rng: np.random.Generator) -> Path:
    """The partnership's monitoring workbook for one financial year (both sheets)."""
    year = financial_year_label(start)
    path = (
        raw_dir
        / "community_safety"
        / "csp_action_plan"
        / f"CSP action plan monitoring {file_year_label(start)}.xlsx"
    )
    workbook = new_workbook(path)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    month_format = workbook.add_format({"num_format": "mmm-yy"})

    actions, not_on_target = CSP_ACTIONS_CALIBRATION[year]
    on_target = int(rng.integers(actions // 8, actions // 4))
    statuses = ["Not on target"] * not_on_target + ["On target"] * on_target
    statuses += ["Achieved"] * (actions - len(statuses))
    statuses = [statuses[i] for i in rng.permutation(actions)]
    sheet = workbook.add_worksheet("Action plan")
    sheet.write_row(0, 0, ["Sevenoaks District Community Safety Partnership"], bold)
    sheet.write_row(1, 0, [f"Action plan monitoring {year} - year-end position"])
    header = ["Ref", "Priority", "Action", "Lead partner", "Target date", "Status"]
    sheet.write_row(3, 0, [*header, "Progress update"], bold)
    codes = list(CSP_PRIORITIES)
    counters = dict.fromkeys(codes, 0)
    for index, status in enumerate(statuses):
        code = codes[index % len(codes)]
        counters[code] += 1
        priority, lead = CSP_PRIORITIES[code]
        update = {
            "Achieved": "Completed during the year.",
            "On target": "Under way and on schedule for the plan's end date.",
            "Not on target": "Delayed: partner capacity; carried forward.",
        }[status]
        sheet.write_row(
            4 + index,
            0,
            [
                f"{code}{counters[code]}",
                priority,
                CSP_ACTIONS[int(rng.integers(len(CSP_ACTIONS)))],
                lead,
                f"Mar {start + 1}",
                status,
                update,
            ],
        )

    sheet = workbook.add_worksheet("CSU taskings")
    sheet.write_row(0, 0, ["Sevenoaks District Community Safety Unit - daily tasking"], bold)
    sheet.write_row(1, 0, [f"Financial year {year}"])
    sheet.write_row(
        3,
        0,
        ["Month", "Tasking meetings held", "Taskings issued", "Follow-up visits and calls"],
        bold,
    )
    months = _months(start)
    meetings = [_weekdays(month) - int(month.month in (4, 5, 8, 12)) for month in months]
    taskings = _split(CSU_TASKINGS_CALIBRATION[year], meetings, rng)
    follow_ups = [int(rng.binomial(n, 0.6)) for n in taskings]
    for index, month in enumerate(months):
        row = 4 + index
        sheet.write_datetime(row, 0, datetime(month.year, month.month, 1), month_format)
        sheet.write_row(row, 1, [meetings[index], taskings[index], follow_ups[index]])
    sheet.write_row(16, 0, ["Total", sum(meetings), sum(taskings), sum(follow_ups)], bold)
    workbook.close()
    return path


def write_ksi_file(raw_dir: Path, year: int, rng: np.random.Generator) -> Path:
    """KCC's KSI casualties for one calendar year: district x road network x severity."""
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for district, total_2019 in KSI_ALL_ROADS_2019_CALIBRATION.items():
        if district == "Sevenoaks":
            counts[district] = SEVENOAKS_KSI_CALIBRATION[year]
            continue
        total = total_2019 if year == 2019 else int(rng.poisson(total_2019 * 0.95))
        strategic = int(rng.binomial(total, STRATEGIC_SHARE[district]))
        local = total - strategic
        counts[district] = {
            "local_roads": _fatal_serious(local, 0.05, rng),
            "strategic_road_network": _fatal_serious(strategic, 0.09, rng),
        }
    networks = {"local_roads": "Local roads", "strategic_road_network": "Strategic road network"}
    rows: list[list[object]] = [list(KSI_HEADER)]
    kent = {(n, s): 0 for n in networks for s in (0, 1)}
    for district in sorted(counts):
        named = "Shepway" if district == "Folkestone & Hythe" and year < 2018 else district
        for network, label in networks.items():
            for severity_index, severity in enumerate(("Fatal", "Serious")):
                casualties = counts[district][network][severity_index]
                kent[(network, severity_index)] += casualties
                rows.append([year, named, label, severity, casualties])
    for network, label in networks.items():
        for severity_index, severity in enumerate(("Fatal", "Serious")):
            rows.append([year, "Kent", label, severity, kent[(network, severity_index)]])
    return write_csv(
        raw_dir / "road_safety" / "ksi" / f"KCC KSI casualties by district {year}.csv", rows
    )


def _fatal_serious(total: int, fatal_share: float, rng: np.random.Generator) -> tuple[int, int]:
    fatal = int(rng.binomial(total, fatal_share))
    return fatal, total - fatal


def write_parking_file(raw_dir: Path, start: int, rng: np.random.Generator) -> Path:
    """The parking team's monthly enforcement figures for one financial year."""
    year = financial_year_label(start)
    months = _months(start)
    weights = [1.0 + 0.15 * (month.month in (7, 8, 12)) for month in months]
    if start == 2020:
        weights[:3] = [0.15, 0.25, 0.6]
    if start == 2019:
        weights[-1] = 0.6
    actions = _split(PARKING_ENFORCEMENT_CALIBRATION[year], weights, rng)
    rows: list[list[object]] = [
        [
            "Month",
            "PCNs issued (on-street)",
            "PCNs issued (car parks)",
            "Warning notices issued",
            "PCNs cancelled",
        ]
    ]
    totals = [0, 0, 0, 0]
    for month, monthly in zip(months, actions, strict=True):
        on_street, car_parks, warnings = _split(monthly, [0.55, 0.35, 0.10], rng)
        cancelled = int(rng.binomial(on_street + car_parks, 0.08))
        figures = [on_street, car_parks, warnings, cancelled]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append([f"{month:%b-%y}", *figures])
    rows.append(["Total", *totals])
    return write_csv(
        raw_dir / "council" / "parking" / f"Parking enforcement {file_year_label(start)}.csv", rows
    )


def write_sample(raw_dir: Path) -> list[Path]:
    """Every year of the three returns; the same files every time."""
    rng = np.random.default_rng(SEED)
    written = [write_csp_workbook(raw_dir, start, rng) for start in FINANCIAL_YEARS]
    written += [write_ksi_file(raw_dir, year, rng) for year in KSI_YEARS]
    written += [write_parking_file(raw_dir, start, rng) for start in FINANCIAL_YEARS]
    return written
