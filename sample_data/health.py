"""Synthetic health returns: a Fingertips export, the One You return and GP care navigation.

Three files a year reach the council about health, and the warehouse has to run on a fresh
clone without any of them:

- `health/fingertips/indicators-DistrictUA.data.csv`: an OHID Fingertips export in the newer
  27-column layout, for three district-level indicators behind the Healthy Environment
  priorities (physically active adults, adults overweight or obese, hospital admissions for
  substance misuse aged 15 to 24). It keeps the real export's quirks: CRLF line ends, an
  indicator name ending in a newline inside quotes, rows one field short of the header, the
  parent comparison named for the parent's type, three-year pooled periods written
  `2019/20 - 21/22`, and small counts suppressed with Fingertips' note and empty cells.
- `health/one_you/one_you_return_YYYY-YY.csv`: the One You quarterly return (no national
  format: the advisers' own template, a row per quarter).
- `health/care_navigation/care_navigation_YYYY-YY.csv`: West Kent GP care navigation by
  practice and month (the CCG's monthly extract, no national format). Practices are named
  `<locality> practice <n>` with made-up codes: the figures are not any real practice's.

Sevenoaks' financial-year totals are calibrated to the published report figures (see
PUBLISHED_SEVENOAKS_FIGURES); the split into quarters, months and practices, the other
districts and the Fingertips values are random but reproducible from the seed.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import numpy as np
from scipy import stats

from sample_data.formats import FINGERTIPS_HEADER, FINGERTIPS_SUPPRESSED_NOTE

FINANCIAL_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024)
"""First calendar year of each financial year the sample covers (2017/18 to 2024/25)."""

SEED = 20190401
SEVENOAKS = "E07000111"

PUBLISHED_SEVENOAKS_FIGURES: dict[str, dict[str, int]] = {
    "one_you_referrals": {"2019/20": 642},
    "one_you_your_home_clients": {"2019/20": 217, "2021/22": 180},
    "one_you_goals_set": {"2019/20": 253},
    "one_you_goals_achieved": {"2019/20": 152},
    "care_navigation_interventions_accepted": {"2019/20": 1447},
}
"""The sample is calibrated to the published report figures.

From the Community Plan monitoring reports: 2019/20 (642 referrals to One You Kent; One You
Your Home advisers worked with 217 clients who set 253 goals, 60% achieved, so 152 of 253;
1,447 care navigation interventions accepted in Sevenoaks GP practices) and 2021/22 (One
You Your Home held appointments with 180 clients; the same report also says "over 300 clients
over the last year", which disagrees; the return's figure is 180). The warehouse computes
these from the files; they are never typed into it.
"""

PUBLISHED_MARCH_2020_ACCEPTANCE = (119, 140)
"""Sevenoaks care navigation in March 2020, accepted of offered: the 85% acceptance rate the
2019/20 report gives as its latest data (calibrated to the published report figures)."""

_SEVENOAKS_UNPUBLISHED: dict[str, dict[str, int]] = {
    "one_you_referrals": {
        "2017/18": 588,
        "2018/19": 615,
        "2020/21": 401,
        "2021/22": 529,
        "2022/23": 603,
        "2023/24": 634,
        "2024/25": 651,
    },
    "one_you_your_home_clients": {
        "2017/18": 164,
        "2018/19": 198,
        "2020/21": 142,
        "2022/23": 206,
        "2023/24": 221,
        "2024/25": 229,
    },
    "one_you_goals_set": {
        "2017/18": 190,
        "2018/19": 231,
        "2020/21": 158,
        "2021/22": 197,
        "2022/23": 240,
        "2023/24": 262,
        "2024/25": 270,
    },
    "one_you_goals_achieved": {
        "2017/18": 106,
        "2018/19": 134,
        "2020/21": 84,
        "2021/22": 113,
        "2022/23": 146,
        "2023/24": 161,
        "2024/25": 168,
    },
    "care_navigation_interventions_accepted": {
        "2017/18": 412,
        "2018/19": 1036,
        "2020/21": 1192,
        "2021/22": 1388,
        "2022/23": 1502,
        "2023/24": 1561,
        "2024/25": 1609,
    },
}
"""Plausible Sevenoaks totals for the years the reports do not give, so every year is fixed."""

ONE_YOU_NOTES = {
    ("2019/20", "Q4"): "Group weight management paused in March (coronavirus)",
    ("2020/21", "Q1"): "Face-to-face appointments suspended (coronavirus); telephone support",
    ("2021/22", "Q4"): "Your Home appointments resumed in person from January",
}

# Care navigation localities of the West Kent CCG (named after the districts), with the
# number of practices in the sample and each locality's size relative to Sevenoaks.
LOCALITIES = {
    "Sevenoaks": (8, 1.00),
    "Tonbridge and Malling": (6, 1.08),
    "Tunbridge Wells": (6, 0.97),
    "Maidstone": (7, 1.41),
}

# Kent districts as Fingertips names them, with a population for the synthetic denominators.
DISTRICTS = {
    "E07000105": ("Ashford", 132700),
    "E07000106": ("Canterbury", 157400),
    "E07000107": ("Dartford", 116800),
    "E07000108": ("Dover", 116400),
    "E07000109": ("Gravesham", 106900),
    "E07000110": ("Maidstone", 175800),
    "E07000111": ("Sevenoaks", 120500),
    "E07000112": ("Folkestone and Hythe", 109800),
    "E07000113": ("Swale", 151700),
    "E07000114": ("Thanet", 140600),
    "E07000115": ("Tonbridge and Malling", 132200),
    "E07000116": ("Tunbridge Wells", 115300),
}

SUPPRESS_BELOW = 6
"""Fingertips withholds a value whose count is below this."""

# indicator id: name (as Fingertips writes it), age, kind, England level, spread by district.
FINGERTIPS_INDICATORS = {
    93014: ("Percentage of physically active adults\n", "19+ yrs", "percent", 66.0, 4.0),
    93088: (
        "Percentage of adults (aged 18 plus) classified as overweight or obese",
        "18+ yrs",
        "percent",
        63.0,
        3.5,
    ),
    90808: (
        "Hospital admissions due to substance misuse (15 to 24 years)",
        "15-24 yrs",
        "rate",
        84.0,
        30.0,
    ),
}
HIGHER_IS_BETTER = (93014,)
"""Indicators where a higher value is better (the others: lower is better)."""

DEPRIVATION_DECILES = (
    "Most deprived decile (IMD2019)",
    "Second most deprived decile (IMD2019)",
    "Third more deprived decile (IMD2019)",
    "Third less deprived decile (IMD2019)",
    "Second least deprived decile (IMD2019)",
    "Least deprived decile (IMD2019)",
)


def financial_year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def sevenoaks_total(measure: str, year: str) -> int:
    published = PUBLISHED_SEVENOAKS_FIGURES.get(measure, {})
    return published.get(year, _SEVENOAKS_UNPUBLISHED[measure].get(year, 0))


def _split(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split a whole total into parts that add up to it exactly."""
    return rng.multinomial(total, weights / weights.sum())


def _write_csv(path: Path, header: tuple[str, ...], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_one_you_returns(raw_dir: Path, rng: np.random.Generator) -> list[Path]:
    """One file per financial year, a row per quarter for Sevenoaks."""
    written = []
    for start in FINANCIAL_YEARS:
        year = financial_year_label(start)
        covid = start == 2020
        weights = np.array([0.6, 0.9, 1.1, 1.2]) if covid else rng.uniform(0.85, 1.15, 4)
        referrals = _split(sevenoaks_total("one_you_referrals", year), weights, rng)
        clients = _split(sevenoaks_total("one_you_your_home_clients", year), weights, rng)
        goals_set = _split(sevenoaks_total("one_you_goals_set", year), weights, rng)
        achieved = rng.multivariate_hypergeometric(
            goals_set, sevenoaks_total("one_you_goals_achieved", year)
        )
        rows = [
            [
                year,
                f"Q{quarter + 1}",
                SEVENOAKS,
                "Sevenoaks",
                referrals[quarter],
                clients[quarter],
                goals_set[quarter],
                achieved[quarter],
                ONE_YOU_NOTES.get((year, f"Q{quarter + 1}"), ""),
            ]
            for quarter in range(4)
        ]
        header = (
            "Financial year",
            "Quarter",
            "District code",
            "District",
            "One You Kent referrals",
            "One You Your Home clients",
            "Goals set",
            "Goals achieved",
            "Notes",
        )
        path = (
            raw_dir / "health" / "one_you" / f"one_you_return_{start}-{(start + 1) % 100:02d}.csv"
        )
        written.append(_write_csv(path, header, rows))
    return written


def _locality_months(
    accepted: int, year: str, locality: str, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Accepted and offered per month (April first) for a locality's financial year."""
    if locality == "Sevenoaks" and year == "2019/20":
        march_accepted, march_offered = PUBLISHED_MARCH_2020_ACCEPTANCE
        accepted_months = np.append(
            _split(accepted - march_accepted, rng.uniform(0.85, 1.15, 11), rng), march_accepted
        )
        rates = rng.uniform(0.80, 0.86, 11)
        offered = np.append(np.round(accepted_months[:11] / rates), march_offered)
        return accepted_months, offered.astype(int)
    accepted_months = _split(accepted, rng.uniform(0.85, 1.15, 12), rng)
    offered = np.round(accepted_months / rng.uniform(0.78, 0.88, 12)).astype(int)
    return accepted_months, offered


def write_care_navigation_returns(raw_dir: Path, rng: np.random.Generator) -> list[Path]:
    """One file per financial year: every West Kent sample practice, every month."""
    written = []
    header = (
        "Month",
        "Practice code",
        "Practice name",
        "Locality",
        "Interventions offered",
        "Interventions accepted",
    )
    practice_sizes = {
        locality: rng.uniform(0.6, 1.4, practices)
        for locality, (practices, _) in LOCALITIES.items()
    }
    for start in FINANCIAL_YEARS:
        year = financial_year_label(start)
        months = [date(start + (m > 9), (m + 3) % 12 or 12, 1) for m in range(1, 13)]
        sevenoaks = sevenoaks_total("care_navigation_interventions_accepted", year)
        rows: list[list[object]] = []
        code = 0
        for locality, (practices, size) in LOCALITIES.items():
            total = (
                sevenoaks
                if locality == "Sevenoaks"
                else round(sevenoaks * size * rng.uniform(0.9, 1.1))
            )
            accepted_months, offered_months = _locality_months(total, year, locality, rng)
            sizes = practice_sizes[locality]
            for month, accepted, offered in zip(
                months, accepted_months, offered_months, strict=True
            ):
                accepted_by_practice = _split(int(accepted), sizes, rng)
                declined_by_practice = _split(int(offered - accepted), sizes, rng)
                for practice in range(practices):
                    rows.append(
                        [
                            month.strftime("%b-%y"),
                            f"WK{code + practice + 1:03d}",
                            f"{locality} practice {practice + 1}",
                            locality,
                            accepted_by_practice[practice] + declined_by_practice[practice],
                            accepted_by_practice[practice],
                        ]
                    )
            code += practices
        path = (
            raw_dir
            / "health"
            / "care_navigation"
            / f"care_navigation_{start}-{(start + 1) % 100:02d}.csv"
        )
        written.append(_write_csv(path, header, rows))
    return written


def _format(value: float | None) -> str:
    return "" if value is None else f"{value:.10g}"


# Confidence limits as OHID computes those it publishes (PHE's indicator methods). They are
# written out here rather than taken from the warehouse's statistics, so the sample's limits
# are the publisher's and can catch a mistake in the warehouse's.


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(confidence + (1 - confidence) / 2))


def _wilson_limits(count: int, denominator: int, confidence: float) -> tuple[float, float]:
    """Wilson score limits of a percentage."""
    z = _z(confidence)
    centre = 2 * count + z**2
    spread = z * math.sqrt(z**2 + 4 * count * (1 - count / denominator))
    scale = 100 / (2 * (denominator + z**2))
    return (centre - spread) * scale, (centre + spread) * scale


def _rate_limits(count: int, denominator: int, confidence: float) -> tuple[float, float]:
    """Limits of a rate per 100,000: exact Poisson limits below 10, Byar's from 10 up."""
    if count < 10:
        alpha = 1 - confidence
        lower = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count)) / 2
        upper = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    else:
        z = _z(confidence)
        lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
        above = count + 1
        upper = above * (1 - 1 / (9 * above) + z / (3 * math.sqrt(above))) ** 3
    scale = 100_000 / denominator
    return lower * scale, upper * scale


def _fingertips_row(
    indicator: int,
    area: tuple[str, str, str, str, str],
    breakdown: tuple[str, str, str],
    period: tuple[str, int, str],
    figures: tuple[int, int, float],
    comparisons: tuple[str, str],
    kind: str,
) -> list[str]:
    """One export row; suppressed when the count is small, as Fingertips does."""
    name, age = FINGERTIPS_INDICATORS[indicator][0], FINGERTIPS_INDICATORS[indicator][1]
    parent_code, parent_name, area_code, area_name, area_type = area
    sex, category_type, category = breakdown
    time_period, sortable, period_range = period
    count, denominator, value = figures
    if kind == "percent":
        ci95 = _wilson_limits(count, denominator, 0.95)
        ci998 = _wilson_limits(count, denominator, 0.998)
    else:
        ci95 = _rate_limits(count, denominator, 0.95)
        ci998 = _rate_limits(count, denominator, 0.998)
    cells = [value, *ci95, *ci998, count, denominator]
    note = ""
    if count < SUPPRESS_BELOW:
        cells = [None] * len(cells)
        note = FINGERTIPS_SUPPRESSED_NOTE
        comparisons = ("Not compared", "Not compared")
    return [
        str(indicator),
        name,
        parent_code,
        parent_name,
        area_code,
        area_name,
        area_type,
        sex,
        age,
        category_type,
        category,
        time_period,
        *(_format(c) for c in cells),
        note,
        "",
        *comparisons,
        str(sortable),
        "",
        "",
        period_range,
    ]


def _indicator_periods(indicator: int) -> list[tuple[str, int, str]]:
    """Single financial years for the survey indicators, pooled three-year ranges otherwise."""
    if FINGERTIPS_INDICATORS[indicator][2] == "percent":
        return [(financial_year_label(s), s * 10000, "1y") for s in FINANCIAL_YEARS]
    return [
        (f"{s - 2}/{(s - 1) % 100:02d} - {s % 100:02d}/{(s + 1) % 100:02d}", (s - 2) * 10000, "3y")
        for s in FINANCIAL_YEARS
    ]


def _figures(
    kind: str, level: float, population: int, rng: np.random.Generator
) -> tuple[int, int, float]:
    """Count, denominator and value around a level (a percent, or a rate per 100,000)."""
    if kind == "percent":
        denominator = int(population / 300 * rng.uniform(0.9, 1.1))
        count = int(rng.binomial(denominator, min(max(level, 1), 99) / 100))
        return count, denominator, 100 * count / denominator
    denominator = int(population * 0.115 * 3)
    count = int(rng.poisson(max(level, 1) * denominator / 100_000))
    return count, denominator, 100_000 * count / denominator


def _compare(value: float, reference: float, spread: float, higher_is_better: bool) -> str:
    """Fingertips' comparison words: Better, Similar or Worse than the reference area."""
    if abs(value - reference) < spread / 2:
        return "Similar"
    return "Better" if (value > reference) == higher_is_better else "Worse"


def write_fingertips_export(raw_dir: Path, rng: np.random.Generator) -> Path:
    """The Kent districts' export of three indicators, with England, the region and Kent."""
    rows: list[list[str]] = []
    district_levels = {code: rng.normal(0, 1) for code in DISTRICTS}
    for indicator, (_, _, kind, england_level, spread) in FINGERTIPS_INDICATORS.items():
        better = indicator in HIGHER_IS_BETTER
        for step, period in enumerate(_indicator_periods(indicator)):
            drift = (step - 3) * (0.4 if kind == "percent" else -2.0)
            england = england_level + drift
            england_figures = _figures(kind, england, 56_000_000 // 40, rng)
            rows.append(
                _fingertips_row(
                    indicator,
                    ("", "", "E92000001", "England", "Country"),
                    ("Persons", "", ""),
                    period,
                    england_figures,
                    ("Not compared", "Not compared"),
                    kind,
                )
            )
            if indicator == 93088:
                for decile, category in enumerate(DEPRIVATION_DECILES):
                    figures = _figures(kind, england + 4 - 1.6 * decile, 56_000_000 // 240, rng)
                    row = _fingertips_row(
                        indicator,
                        ("", "", "E92000001", "England", "Country"),
                        (
                            "Persons",
                            "District & UA deprivation deciles in England (IMD2019)",
                            category,
                        ),
                        period,
                        figures,
                        ("Not compared", "Not compared"),
                        kind,
                    )
                    # As in the real exports, these rows stop one field short of the header.
                    rows.append(row[:-1])
            region = _figures(kind, england + spread / 4, 9_300_000, rng)
            rows.append(
                _fingertips_row(
                    indicator,
                    ("E92000001", "England", "E12000008", "South East region", "Region"),
                    ("Persons", "", ""),
                    period,
                    region,
                    (_compare(region[2], england, spread, better), "Not compared"),
                    kind,
                )
            )
            kent = _figures(kind, england + spread / 5, 1_576_100, rng)
            kent_row = ("E12000008", "South East region", "E10000016", "Kent", "County & UA")
            rows.append(
                _fingertips_row(
                    indicator,
                    kent_row,
                    ("Persons", "", ""),
                    period,
                    kent,
                    (_compare(kent[2], england, spread, better), "Not compared"),
                    kind,
                )
            )
            for code, (name, population) in DISTRICTS.items():
                level = england + spread / 5 + district_levels[code] * spread / 2
                figures = _figures(kind, level, population, rng)
                if indicator == 90808 and code == "E07000116" and period[0].startswith("2018/19"):
                    figures = (4, figures[1], 100_000 * 4 / figures[1])
                area = ("E10000016", "Kent", code, name, "District")
                sexes = ("Persons", "Male", "Female") if indicator == 93014 else ("Persons",)
                for sex in sexes:
                    if sex != "Persons":
                        shift = 2.5 if sex == "Male" else -2.5
                        figures = _figures(kind, level + shift, population // 2, rng)
                    comparisons = (
                        _compare(figures[2], england, spread, better),
                        _compare(figures[2], kent[2], spread, better),
                    )
                    rows.append(
                        _fingertips_row(
                            indicator, area, (sex, "", ""), period, figures, comparisons, kind
                        )
                    )
    path = raw_dir / "health" / "fingertips" / "indicators-DistrictUA.data.csv"
    return _write_csv(path, FINGERTIPS_HEADER, rows)


def write_sample(raw_dir: Path) -> list[Path]:
    """Every synthetic health return, 2017/18 to 2024/25."""
    rng = np.random.default_rng(SEED)
    return [
        write_fingertips_export(raw_dir, rng),
        *write_one_you_returns(raw_dir, rng),
        *write_care_navigation_returns(raw_dir, rng),
    ]
