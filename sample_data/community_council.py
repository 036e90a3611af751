"""Synthetic council returns: Community Grant Scheme, Economic Development Strategy actions and
the partner measure return (the generic template partners fill in for one-figure measures).

Written from a fixed seed, one CSV per financial year 2017/18 to 2024/25, and calibrated so
that the warehouse computes the Sevenoaks figures the council published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sample_data.community import (
    FINANCIAL_YEARS,
    file_year_label,
    financial_year_label,
    write_csv,
)

SEED = 2022
SEVENOAKS = "E07000111"

COMMUNITY_GRANTS_CALIBRATION: dict[str, tuple[int, int, int, tuple[int, int, int]]] = {
    "2017/18": (22, 22, 48_350, (18, 3, 1)),
    "2018/19": (24, 25, 51_900, (21, 3, 1)),
    "2019/20": (25, 26, 54_800, (22, 3, 1)),
    "2020/21": (19, 19, 41_250, (15, 3, 1)),
    "2021/22": (24, 24, 52_600, (21, 2, 1)),
    "2022/23": (23, 23, 50_450, (20, 2, 1)),
    "2023/24": (26, 26, 57_100, (22, 3, 1)),
    "2024/25": (24, 24, 53_900, (13, 1, 0)),
}
"""Calibrated to the published report figures: (organisations supported, grants, total
awarded in pounds, monitoring outcomes (met or exceeded, partly, not met)).

2019/20: 25 organisations (one holds two grants) and £54,800; 2021/22: 21 of 24 projects met
or exceeded their targets = 87.5% ("over 85%"). In 2024/25 ten monitoring forms are still
outstanding. Other years are plausible.
"""

ECONOMIC_DEVELOPMENT_CALIBRATION: dict[str, tuple[int, int, int]] = {
    "2017/18": (29, 8, 1),
    "2018/19": (39, 10, 1),
    "2019/20": (43, 7, 0),
    "2020/21": (35, 13, 2),
    "2021/22": (46, 4, 0),
    "2022/23": (26, 5, 1),
    "2023/24": (27, 5, 0),
    "2024/25": (28, 3, 1),
}
"""Calibrated to the published report figures: actions rated (green, amber, red).

2019/20: 43 green, 7 amber, none red of 50 = 86% green, 14% amber. The 2018-21 strategy has
50 actions; its successor from 2022/23 has 32. Other years are plausible."""

PARTNER_MEASURES_CALIBRATION: dict[str, dict[str, tuple[float | None, ...]]] = {
    "web_chats": {
        "2019/20": (686,),
        "2020/21": (1284,),
        "2021/22": (1107,),
        "2022/23": (1032,),
        "2023/24": (968,),
        "2024/25": (941,),
    },
    "safe_and_well_visits": {
        "2017/18": (702,),
        "2018/19": (655,),
        "2019/20": (634,),
        "2020/21": (318,),
        "2021/22": (487,),
        "2022/23": (561,),
        "2023/24": (598,),
        "2024/25": (612,),
    },
    "district_deal_measures_on_target_pct": {
        "2020/21": (18, 20),
        "2021/22": (19, 20),
    },
    "kickstart_placements_approved": {"2020/21": (46,), "2021/22": (108,)},
}
"""Calibrated to the published report figures: (value,) for counts, (numerator, denominator)
for percentages. Published: web chats 686 in 2019/20, the service's first year (none
before it began); safe and well visits "over 600" in
2019/20; District Deal 95% on target in 2021/22 (19 of 20), with no figure for 2019/20, when the
2019/20 report says it was "no longer monitored in isolation"; Kickstart "over 100"
placements approved by March 2022, when the scheme ended. Other years are plausible; the
District Deal ran with the 2019-22 plan and Kickstart from 2020/21."""

PARTNERS = {
    "web_chats": "Sevenoaks District Council (Customer Services)",
    "safe_and_well_visits": "Kent Fire and Rescue Service",
    "district_deal_measures_on_target_pct": "Sevenoaks District Council and Kent County Council",
    "kickstart_placements_approved": "Sevenoaks District Council (Kickstart West Kent gateway)",
}
NOTES = {
    ("safe_and_well_visits", "2020/21"): "Mostly by telephone during lockdown",
    ("kickstart_placements_approved", "2020/21"): "Approved since the gateway opened",
    ("kickstart_placements_approved", "2021/22"): (
        "Approved since the gateway opened; scheme closed"
    ),
}

ORGANISATIONS = (
    "West Kent Mediation",
    "Edenbridge Good Neighbours",
    "Swanley Youth Project",
    "Darent Valley Community Transport",
    "Otford Memory Cafe",
    "Dunton Green Men's Shed",
    "New Ash Green Youth Club",
    "Westerham Lunch Club",
    "Hextable Village Hall Trust",
    "Kemsing Scout Group",
    "Sevenoaks Volunteer Drivers",
    "Swanley Family Food Bank",
    "Halstead Community Garden",
    "Fawkham Carers Group",
    "Hartley Friendship Circle",
    "Seal Parish Youth Trust",
    "Leigh Village Good Neighbours",
    "Eynsford Befriending Scheme",
    "Sevenoaks Town Walking Football",
    "Penshurst Community Larder",
    "Brasted Over-60s Club",
    "Crockenhill Play Association",
    "Shoreham Village Wellbeing Group",
    "Farningham Parent and Toddler Group",
    "Chevening Digital Skills Cafe",
    "Riverhead Community Choir",
    "Sundridge Bereavement Support",
    "Edenbridge Youth Theatre",
    "Swanley Link Pantry",
    "West Kingsdown Community Bus",
)
PROJECTS = (
    "Befriending telephone calls",
    "Holiday activity club",
    "Dementia-friendly cafe",
    "Food parcels for families",
    "Workshop equipment",
    "Volunteer driver expenses",
    "Youth mental health workshops",
    "Digital skills drop-in",
    "Community growing space",
    "Carers' respite days",
    "Neighbour mediation",
    "Lunch club for older residents",
    "Transport to medical appointments",
    "Parenting course",
)
PRIORITIES = ("Safe Communities", "Caring Communities", "Healthy Environment", "Dynamic Economy")

ECONOMIC_THEMES = {
    "GI": ("Growth and Investment", "Support regeneration of the district's market towns"),
    "INF": ("Infrastructure", "Make the case for improved broadband and mobile coverage"),
    "VE": ("Visitor Economy", "Promote the district's attractions with Visit Kent"),
    "SK": ("Skills", "Broker apprenticeships and work experience with local employers"),
    "EN": ("Enterprise", "Run business start-up and growth workshops"),
}


def _amounts(total: int, count: int, rng: np.random.Generator, first: int | None) -> list[int]:
    """Grants of £500 to £5,000 in multiples of £50 adding up to the year's total exactly."""
    fixed = [first] if first else []
    remaining = total - sum(fixed)
    shares = rng.gamma(4.0, 1.0, count - len(fixed))
    amounts = [
        int(min(5000, max(500, round(remaining * s / shares.sum() / 50) * 50))) for s in shares
    ]
    difference = remaining - sum(amounts)
    index = 0
    while difference:
        step = 50 if difference > 0 else -50
        if 500 <= amounts[index % len(amounts)] + step <= 5000:
            amounts[index % len(amounts)] += step
            difference -= step
        index += 1
    return fixed + amounts


def write_grants_file(raw_dir: Path, start: int, rng: np.random.Generator) -> Path:
    """The Community Grant Scheme's grants for one financial year, with a Total row."""
    year = financial_year_label(start)
    organisations, grants, total, outcomes = COMMUNITY_GRANTS_CALIBRATION[year]
    chosen = [ORGANISATIONS[i] for i in rng.choice(len(ORGANISATIONS), organisations, False)]
    if year == "2019/20":
        chosen = ["West Kent Mediation", *[o for o in chosen if o != "West Kent Mediation"]]
        chosen = chosen[:organisations]
    holders = chosen + [chosen[int(rng.integers(1, organisations))]] * (grants - organisations)
    amounts = _amounts(total, grants, rng, 4800 if year == "2019/20" else None)
    met, partly, not_met = outcomes
    results = ["Yes"] * met + ["Partly"] * partly + ["No"] * not_met
    results += [""] * (grants - len(results))
    results = [results[i] for i in rng.permutation(grants)]
    rows: list[list[object]] = [
        [
            "Organisation",
            "Project",
            "Community Plan priority",
            "Grant awarded (£)",
            "Targets met or exceeded",
        ]
    ]
    for holder, amount, result in zip(holders, amounts, results, strict=True):
        rows.append(
            [
                holder,
                PROJECTS[int(rng.integers(len(PROJECTS)))],
                PRIORITIES[int(rng.integers(len(PRIORITIES)))],
                f"£{amount:,.2f}",
                result,
            ]
        )
    rows.append(["Total", "", "", f"£{sum(amounts):,.2f}", ""])
    return write_csv(
        raw_dir
        / "council"
        / "community_grants"
        / f"Community Grant Scheme {file_year_label(start)}.csv",
        rows,
    )


def write_economic_development_file(raw_dir: Path, start: int, rng: np.random.Generator) -> Path:
    """Every Economic Development Strategy action with its RAG status for one year."""
    year = financial_year_label(start)
    green, amber, red = ECONOMIC_DEVELOPMENT_CALIBRATION[year]
    statuses = ["Green"] * green + ["Amber"] * amber + ["Red"] * red
    statuses = [statuses[i] for i in rng.permutation(len(statuses))]
    rows: list[list[object]] = [["Theme", "Ref", "Action", "Lead", "RAG", "Update"]]
    codes = list(ECONOMIC_THEMES)
    counters = dict.fromkeys(codes, 0)
    for index, status in enumerate(statuses):
        code = codes[index % len(codes)]
        counters[code] += 1
        theme, action = ECONOMIC_THEMES[code]
        update = {
            "Green": "On track",
            "Amber": "Some slippage; recovery plan agreed",
            "Red": "Stalled: funding not secured",
        }[status]
        rows.append(
            [
                theme,
                f"{code}{counters[code]}",
                f"{action} ({counters[code]})",
                "Economic Development",
                status,
                update,
            ]
        )
    return write_csv(
        raw_dir
        / "council"
        / "economic_development"
        / f"Economic Development Strategy actions {file_year_label(start)}.csv",
        rows,
    )


def write_partner_measures_file(raw_dir: Path, start: int) -> Path:
    """The partnerships team's collated partner measure return for one financial year."""
    year = financial_year_label(start)
    rows: list[list[object]] = [
        ["partner", "measure", "area_code", "period", "numerator", "denominator", "value", "note"]
    ]
    for measure, years in PARTNER_MEASURES_CALIBRATION.items():
        if year not in years:
            continue
        figures = years[year]
        if len(figures) == 2:
            numerator, denominator = figures
            numbers = [numerator, denominator, round(100 * numerator / denominator, 1)]
        else:
            numbers = ["", "", figures[0]]
        rows.append(
            [PARTNERS[measure], measure, SEVENOAKS, year, *numbers, NOTES.get((measure, year), "")]
        )
    return write_csv(
        raw_dir / "council" / "partner_measures" / f"Partner measures {file_year_label(start)}.csv",
        rows,
    )


def write_sample(raw_dir: Path) -> list[Path]:
    """Every year of the three council returns; the same files every time."""
    rng = np.random.default_rng(SEED)
    written = [write_grants_file(raw_dir, start, rng) for start in FINANCIAL_YEARS]
    written += [write_economic_development_file(raw_dir, s, rng) for s in FINANCIAL_YEARS]
    written += [write_partner_measures_file(raw_dir, start) for start in FINANCIAL_YEARS]
    return written
