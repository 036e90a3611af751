"""Synthetic housing returns in the real formats: MHCLG's H-CLIC detailed local authority
tables (quarterly workbooks), Live Table 1011 of affordable housing supply (long format) and
the council's own private sector housing grants return.

The national-format returns cover the 12 Kent districts and Medway, with England and the
South East in the H-CLIC tables as MHCLG prints them (rounded to the nearest 10). The grants
return is Sevenoaks' own. Sevenoaks' figures are calibrated so that the warehouse computes
the published ones from the files; everything else is plausible and reproducible from the
seed. H-CLIC began with the Homelessness Reduction Act in April 2018, so its workbooks start
with April to June 2018 rather than 2017/18.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from sample_data.formats import hclic_quarter_title
from sample_data.release_layouts import (
    HCLIC_EDITIONS,
    HCLIC_FILE_NAMES,
    HCLIC_REGIONS,
    HCLIC_SHEET_QUARTERS,
    HCLIC_TOTAL_ROWS,
    HclicEdition,
    HclicTable,
)
from sample_data.spreadsheets import write_ods, write_xlsx

SEED = 20190401
FINANCIAL_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024)
"""First calendar year of each financial year the sample covers (2017/18 to 2024/25)."""

HCLIC_FIRST_YEAR = 2018
SEVENOAKS = "E07000111"

PUBLISHED_SEVENOAKS_FIGURES: dict[str, dict[str, float | None]] = {
    "homelessness_positive_outcomes": {"2019/20": None, "2021/22": 245},
    "affordable_homes_delivered": {"2019/20": 206, "2021/22": 20},
    "genuinely_affordable_homes_delivered": {"2019/20": 95},
    "disabled_facilities_grants_completed": {"2019/20": 81, "2021/22": 52},
    "disabled_facilities_grants_value_pounds": {"2019/20": 758817.95},
    "hospital_discharge_grants_completed": {"2019/20": 6, "2021/22": 15},
    "hospital_discharge_grants_value_pounds": {"2019/20": 4193.00},
    "safe_and_secure_grants_completed": {"2019/20": 12, "2021/22": 31},
    "safe_and_secure_grants_value_pounds": {"2019/20": 8327.13},
}
"""The sample is calibrated to the published report figures (Community Plan monitoring
reports for 2019/20 and 2021/22). None marks a figure the report does not give legibly
(2019/20 homelessness outcomes): the sample has `..` for Sevenoaks in those quarters, so the
warehouse shows it as missing with a note rather than a number."""

_SEVENOAKS_POSITIVE_OUTCOMES = {
    2018: 212,
    2020: 231,
    2021: 245,
    2022: 252,
    2023: 268,
    2024: 259,
}
"""Sevenoaks' prevention and relief duties ended with accommodation secured, by financial
year: 2021/22 is published; the others are plausible. 2019/20 is left out on purpose."""

_SEVENOAKS_AFFORDABLE_COMPLETIONS = {
    2017: (128, 52),
    2018: (151, 63),
    2019: (206, 95),
    2020: (87, 41),
    2021: (20, 8),
    2022: (64, 29),
    2023: (112, 47),
    2024: (93, 40),
}
"""Sevenoaks' affordable completions and, of them, social and affordable rent: 2019/20 and
the 2021/22 total are published, the rest plausible."""

_SEVENOAKS_GRANTS: dict[int, dict[str, tuple[int, float]]] = {
    2017: {"dfg": (74, 668420.10), "hdg": (4, 2510.00), "sas": (15, 9840.55)},
    2018: {"dfg": (78, 702115.62), "hdg": (5, 3388.40), "sas": (13, 8912.08)},
    2019: {"dfg": (81, 758817.95), "hdg": (6, 4193.00), "sas": (12, 8327.13)},
    2020: {"dfg": (44, 431906.27), "hdg": (11, 7250.00), "sas": (22, 14618.90)},
    2021: {"dfg": (52, 517340.81), "hdg": (15, 10482.35), "sas": (31, 21207.64)},
    2022: {"dfg": (63, 642884.20), "hdg": (17, 12006.10), "sas": (27, 19113.47)},
    2023: {"dfg": (69, 731552.48), "hdg": (14, 9987.25), "sas": (29, 21874.02)},
    2024: {"dfg": (71, 768090.13), "hdg": (16, 11730.80), "sas": (26, 20455.39)},
}
"""Grants completed and their value in pounds: 2019/20 counts and values and 2021/22 counts
are published; the 2021/22 values and the other years are plausible."""

_GRANT_TYPES = {
    "dfg": "Disabled Facilities Grant",
    "hdg": "Hospital Discharge Grant",
    "sas": "Safe and Secure Grant",
}

# ONS code, name as MHCLG writes it, residents (Census 2021), positive homelessness outcomes
# and affordable completions per 1,000 residents a year (coastal towns and Medway higher).
_AUTHORITIES = (
    ("E07000105", "Ashford", 132700, 2.4, 2.6),
    ("E07000106", "Canterbury", 157400, 2.6, 1.6),
    ("E07000107", "Dartford", 116800, 2.3, 2.9),
    ("E07000108", "Dover", 116400, 2.7, 1.3),
    ("E07000112", "Folkestone and Hythe", 109800, 2.9, 1.4),
    ("E07000109", "Gravesham", 106900, 2.5, 1.2),
    ("E07000110", "Maidstone", 175800, 2.2, 2.4),
    ("E06000035", "Medway", 279800, 2.6, 1.5),
    ("E07000111", "Sevenoaks", 120500, 2.0, 1.0),
    ("E07000113", "Swale", 151700, 2.8, 2.0),
    ("E07000114", "Thanet", 140600, 3.4, 1.1),
    ("E07000115", "Tonbridge and Malling", 132200, 1.9, 2.7),
    ("E07000116", "Tunbridge Wells", 115300, 1.8, 1.5),
)

# Kent-wide movement by financial year: H-CLIC bedding in (2018/19), the pandemic's
# eviction ban (2020/21); affordable completions dipped in 2020/21 and 2021/22.
_OUTCOME_YEAR_FACTOR = {2018: 0.86, 2019: 1.0, 2020: 0.95, 2021: 1.0, 2022: 1.03, 2023: 1.07}
_SUPPLY_YEAR_FACTOR = {2017: 0.95, 2018: 1.0, 2019: 1.05, 2020: 0.8, 2021: 0.85, 2022: 1.0}

# England and the South East as multiples of Kent and Medway (by residents).
_REGIONS = (("E92000001", "ENGLAND", 30.4), ("E12000008", "South East", 5.0))

# Authority quarters whose H-CLIC return was not available (`..` in the tables): Sevenoaks
# for 2019/20 (the published figure is illegible) and Gravesham in H-CLIC's first quarter.
_NOT_AVAILABLE = {
    *((SEVENOAKS, (2019, month)) for month in (4, 7, 10)),
    (SEVENOAKS, (2020, 1)),
    ("E07000109", (2018, 4)),
}


def write_sample(raw_dir: Path) -> list[Path]:
    """Write every housing return for 2017/18 to 2024/25 under raw/housing/."""
    rng = np.random.default_rng(SEED)
    return [
        *write_homelessness_tables(raw_dir / "housing" / "homelessness", rng),
        *write_affordable_supply(raw_dir / "housing" / "affordable_supply", rng),
        *write_private_sector_grants(raw_dir / "housing" / "private_sector_grants", rng),
    ]


def _split(total: int, weights, rng: np.random.Generator) -> list[int]:
    """Whole numbers adding up to total exactly, in proportion to noisy weights."""
    shares = np.asarray(weights, dtype=float) * rng.uniform(0.85, 1.15, len(weights))
    exact = total * shares / shares.sum()
    parts = np.floor(exact).astype(int)
    for i in np.argsort(parts - exact)[: total - parts.sum()]:
        parts[i] += 1
    return [int(part) for part in parts]


# --- H-CLIC detailed local authority tables ----------------------------------------------

_TABLES = ("A1", "P1", "R1")
_FIGURES = {
    "A1": (
        "total_initial_assessments",
        "owed_a_duty",
        "owed_prevention_duty",
        "owed_prevention_duty_section_21",
        "owed_relief_duty",
        "no_duty_owed",
    ),
    "P1": (
        "prevention_ended",
        "prevention_secured",
        "prevention_stayed",
        "prevention_moved",
        "prevention_homeless",
        "prevention_refused_offer",
        "prevention_refused_to_cooperate",
        "prevention_contact_lost",
        "prevention_withdrew",
        "prevention_56_days",
        "prevention_no_longer_eligible",
        "prevention_not_known",
    ),
    "R1": (
        "relief_ended",
        "relief_secured",
        "relief_56_days",
        "relief_local_connection_referral",
        "relief_intentionally_homeless",
        "relief_refused_final_accommodation",
        "relief_refused_to_cooperate",
        "relief_contact_lost",
        "relief_withdrew",
        "relief_no_longer_eligible",
        "relief_not_known",
    ),
}
"""The figures `_authority_figures` makes for each table, in its order."""

_HOUSEHOLD_SIZE = 2.4
"""Residents per household, for the households (000s) column of table A1."""

# Regions other than the South East (whose totals are drawn) as multiples of Kent and
# Medway; with London and the South East they make England's 30.4.
_OTHER_REGIONS = {
    "E12000001": 1.3,
    "E12000002": 3.6,
    "E12000003": 2.7,
    "E12000004": 2.3,
    "E12000005": 2.9,
    "E12000006": 3.0,
    "E12000007": 6.9,
    "E12000009": 2.7,
}


def _quarters() -> list[tuple[int, int]]:
    """(year, first month) of every quarter from April 2018 to January-March 2025."""
    return [
        (year + (month > 12), (month - 1) % 12 + 1)
        for year in range(HCLIC_FIRST_YEAR, FINANCIAL_YEARS[-1] + 1)
        for month in (4, 7, 10, 13)
    ]


def _positive_outcomes(rng: np.random.Generator) -> dict[tuple[str, tuple[int, int]], int]:
    """Prevention and relief duties ended with accommodation secured, by authority and
    quarter; Sevenoaks' financial years add up to the calibrated totals."""
    outcomes = {}
    for code, _, residents, rate, _ in _AUTHORITIES:
        for year in range(HCLIC_FIRST_YEAR, FINANCIAL_YEARS[-1] + 1):
            quarters = [(year, 4), (year, 7), (year, 10), (year + 1, 1)]
            if code == SEVENOAKS and year in _SEVENOAKS_POSITIVE_OUTCOMES:
                total = _SEVENOAKS_POSITIVE_OUTCOMES[year]
            else:
                factor = _OUTCOME_YEAR_FACTOR.get(year, 1.05)
                total = int(rng.poisson(residents / 1000 * rate * factor))
            counts = _split(total, (1, 1.05, 1, 1.05), rng)
            outcomes.update(
                ((code, quarter), count) for quarter, count in zip(quarters, counts, strict=True)
            )
    return outcomes


def _authority_figures(positive: int, rng: np.random.Generator) -> dict[str, list[int]]:
    """A1, P1 and R1 figures for one authority-quarter, built around its positive outcomes."""
    stayed, moved, relief_secured = _split(positive, (0.22, 0.38, 0.40), rng)
    secured = stayed + moved

    def some(share: float) -> int:
        return int(rng.poisson(max(secured, 1) * share))

    prevention_other = [some(s) for s in (0.33, 0.01, 0.01, 0.16, 0.07, 0.12, 0.02, 0.005)]
    prevention_ended = secured + sum(prevention_other)
    relief_other = [
        int(rng.poisson(max(relief_secured, 1) * s))
        for s in (0.95, 0.02, 0.02, 0.03, 0.01, 0.30, 0.15, 0.02, 0.005)
    ]
    relief_ended = relief_secured + sum(relief_other)
    owed_prevention = int(prevention_ended * rng.uniform(1.0, 1.1))
    owed_relief = int(relief_ended * rng.uniform(0.6, 0.75))
    section_21 = int(owed_prevention * rng.uniform(0.08, 0.16))
    no_duty = int(rng.poisson((owed_prevention + owed_relief) * 0.07))
    owed = owed_prevention + owed_relief
    return {
        "A1": [owed + no_duty, owed, owed_prevention, section_21, owed_relief, no_duty],
        "P1": [prevention_ended, secured, stayed, moved, *prevention_other],
        "R1": [relief_ended, relief_secured, *relief_other],
    }


def _round_ten(values: np.ndarray) -> list[int]:
    """National and regional totals as MHCLG prints them, to the nearest 10 households."""
    return [int(round(value / 10.0) * 10) for value in values]


def _named(figures: dict[str, list[int]], households_000s: float) -> dict[str, float]:
    """An area's figures by name, with those only the later layouts print.

    From late 2024 MHCLG splits withdrawals into withdrew and deceased (and a retired
    option, always 0) and counts two more kinds of initial assessment in the total; these
    are derived from the figures already drawn, so the earlier quarters stay as they were.
    """
    named: dict[str, float] = {}
    for sheet, names in _FIGURES.items():
        named.update(zip(names, figures[sheet], strict=True))
    for table in ("prevention", "relief"):
        withdrew = named[f"{table}_withdrew"]
        named[f"{table}_applicant_deceased"] = withdrew // 20
        named[f"{table}_withdrew_application"] = withdrew - withdrew // 20
        named[f"{table}_withdrew_retired_option"] = 0
    named["withdrew_before_assessment"] = named["no_duty_owed"] // 2
    named["not_eligible"] = named["no_duty_owed"] // 8
    named["households_in_area_000s"] = round(households_000s, 3)
    named["threatened_per_000_households"] = round(
        named["owed_prevention_duty"] / households_000s, 6
    )
    named["homeless_per_000_households"] = round(named["owed_relief_duty"] / households_000s, 6)
    return named


def _edition(quarter: tuple[int, int]) -> HclicEdition:
    return [edition for edition in HCLIC_EDITIONS if edition.first_quarter <= quarter][-1]


def _file_name(quarter: tuple[int, int]) -> str:
    year, month = quarter
    pattern = [name for first, name in HCLIC_FILE_NAMES if first <= quarter][-1]
    return pattern.format(end=f"{year}{month + 2:02d}")


def write_homelessness_tables(folder: Path, rng: np.random.Generator) -> list[Path]:
    """One workbook per quarter in the layout and under the name MHCLG used then: every
    sheet of the release, A1, P1 and R1 filled in with the real header rows, the England,
    London, "Rest of England" and regional rows above the authorities, and the notes."""
    folder.mkdir(parents=True, exist_ok=True)
    positive = _positive_outcomes(rng)
    households = {
        code: residents / _HOUSEHOLD_SIZE / 1000 for code, _, residents, *_ in _AUTHORITIES
    }
    kent_households = sum(households.values())
    written = []
    for quarter in _quarters():
        figures = {
            code: _authority_figures(positive[(code, quarter)], rng) for code, *_ in _AUTHORITIES
        }
        kent_and_medway = {
            sheet: np.sum([figures[code][sheet] for code in figures], axis=0) for sheet in _TABLES
        }
        scales = {
            **{code: (scale, None) for code, _, scale in _REGIONS},
            **{code: (scale, scale) for code, scale in _OTHER_REGIONS.items()},
        }
        drawn = {
            code: {
                sheet: _round_ten(
                    values * scale * (rng.uniform(0.93, 1.07, len(values)) if fixed is None else 1)
                )
                for sheet, values in kent_and_medway.items()
            }
            for code, (scale, fixed) in scales.items()
        }
        drawn["-"] = {
            sheet: [
                england - london
                for england, london in zip(values, drawn["E12000007"][sheet], strict=True)
            ]
            for sheet, values in drawn["E92000001"].items()
        }
        scales["-"] = (scales["E92000001"][0] - scales["E12000007"][0], None)
        totals = {
            code: _named(lists, kent_households * scales[code][0]) for code, lists in drawn.items()
        }
        authorities = {
            code: None
            if (code, quarter) in _NOT_AVAILABLE
            else _named(figures[code], households[code])
            for code, *_ in _AUTHORITIES
        }
        edition = _edition(quarter)
        title = hclic_quarter_title(*quarter)
        sheets = []
        for template, heading in edition.sheets:
            name = template.format(quarter=_sheet_quarter(quarter))
            table = template.split(" - {quarter}")[0]
            if table in edition.tables:
                sheets.append(
                    (name, _table_rows(edition.tables[table], title, totals, authorities))
                )
            else:
                sheets.append((name, [[heading]] if heading else []))
        path = folder / _file_name(quarter)
        (write_ods if path.suffix == ".ods" else write_xlsx)(path, sheets)
        written.append(path)
    return written


def _sheet_quarter(quarter: tuple[int, int]) -> str:
    """The quarter as 2018-19's sheet names carry it: `Apr-Jun 18`."""
    year, month = quarter
    return f"{HCLIC_SHEET_QUARTERS[month]} {year % 100:02d}"


def _table_rows(table: HclicTable, quarter: str, totals, authorities) -> list:
    """The rows of one table, row 1 first, as `write_xlsx` and `write_ods` take them."""
    width = 1 + max(
        max(table.columns), *(max(row, default=0) for row in (*table.header, *table.notes))
    )

    def row(cells: dict[int, object]) -> list:
        return [cells.get(j) for j in range(width)]

    def figures(named: dict[str, float] | None) -> dict[int, object]:
        return {j: ".." if named is None else named.get(name) for j, name in table.columns.items()}

    rows = [row({0: f"{table.title}\nEngland, {quarter}"}), *(row(cells) for cells in table.header)]
    rows += [row({0: code, 1: name, **figures(totals[code])}) for code, name in HCLIC_TOTAL_ROWS]
    rows.append(row({}))
    rows += [row({0: code, 1: name, **figures(totals[code])}) for code, name in HCLIC_REGIONS]
    rows.append(row({}))
    for code, name, *_ in _AUTHORITIES:
        region = dict(zip((2, 3), table.region, strict=True)) if table.region else {}
        rows.append(row({0: code, 1: name, **region, **figures(authorities[code])}))
    rows.append(row({}))
    rows += [row(cells) for cells in table.notes]
    return rows


# --- Live Table 1011: affordable housing supply, long format -----------------------------

_RENTED = ("Social Rent", "Affordable Rent")
_OWNERSHIP = ("Shared Ownership", "Intermediate Rent", "Affordable Home Ownership")


def _supply_rows(rng: np.random.Generator) -> list[tuple]:
    """Every row of the long table for every authority and year, zero rows left out."""
    rows = []
    for code, _, residents, _, rate in _AUTHORITIES:
        for year in FINANCIAL_YEARS:
            if code == SEVENOAKS:
                total, rented = _SEVENOAKS_AFFORDABLE_COMPLETIONS[year]
            else:
                factor = _SUPPLY_YEAR_FACTOR.get(year, 1.05)
                total = int(rng.poisson(residents / 1000 * rate * factor))
                rented = int(rng.binomial(total, 0.5))
            ownership = _OWNERSHIP + (("First Homes",) if year >= 2022 else ())
            tenures = dict(zip(_RENTED, _split(rented, (0.15, 0.85), rng), strict=True))
            shares = (0.7, 0.05, 0.15, 0.1)[: len(ownership)]
            tenures.update(zip(ownership, _split(total - rented, shares, rng), strict=True))
            label = f"{year}-{(year + 1) % 100:02d}"
            for tenure, units in tenures.items():
                for completions in ("Y", "N"):
                    count = units if completions == "Y" else int(rng.poisson(units * 0.9))
                    rows.extend(
                        (code, label, tenure, completions, supply_type, provider, units_out)
                        for supply_type, provider, units_out in _by_type_and_provider(count, rng)
                        if units_out
                    )
    return rows


def _by_type_and_provider(units: int, rng: np.random.Generator):
    new_build, acquisition = _split(units, (0.92, 0.08), rng)
    for supply_type, type_units in (("New Build", new_build), ("Acquisition", acquisition)):
        providers = ("Private Registered Provider", "Local Authority", "Other")
        yield from zip(
            (supply_type,) * 3, providers, _split(type_units, (0.85, 0.1, 0.05), rng), strict=True
        )


_LATE_RECORDED = ("E07000107", "2020-21", "Affordable Rent", "Y", "New Build")
"""Units recorded after the 2021-22 release: the later release revises the earlier year, as
MHCLG's do, so the warehouse must take each year from the latest release."""


def write_affordable_supply(folder: Path, rng: np.random.Generator) -> list[Path]:
    """Two annual releases of the long-format table: 2021-22 (years to 2021-22) and 2024-25
    (every year), as MHCLG republishes the whole series each year."""
    folder.mkdir(parents=True, exist_ok=True)
    latest = _supply_rows(rng)
    revised = next(i for i, row in enumerate(latest) if row[:5] == _LATE_RECORDED)
    earlier = list(latest)
    earlier[revised] = (*latest[revised][:6], max(latest[revised][6] - 3, 1))
    written = []
    for last_year, rows in ((2021, earlier), (FINANCIAL_YEARS[-1], latest)):
        last_label = f"{last_year}-{(last_year + 1) % 100:02d}"
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(("LA code", "Year", "Tenure", "Completions", "Type", "Provider", "Units"))
        out.writerows(row for row in rows if row[1] <= last_label)
        path = folder / f"Live_Table_1011_long_format_{last_label}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path)
    return written


# --- Private sector housing grants (the council's own return) ----------------------------


def _pounds(value: float) -> str:
    return f"£{value:,.2f}"


def write_private_sector_grants(folder: Path, rng: np.random.Generator) -> list[Path]:
    """One CSV a financial year, exported from the Private Sector Housing team's workbook:
    a short preamble, then a row per quarter and grant type, then a total per grant type."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year in FINANCIAL_YEARS:
        label = f"{year}/{(year + 1) % 100:02d}"
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(("Sevenoaks District Council", "", "", ""))
        out.writerow(("Private Sector Housing - housing assistance grants completed", "", "", ""))
        out.writerow(("Financial year", label, "", ""))
        out.writerow(("", "", "", ""))
        out.writerow(("Quarter", "Grant type", "Grants completed", "Value of grants completed (£)"))
        totals = []
        by_quarter: dict[int, list[tuple]] = {q: [] for q in range(1, 5)}
        for key, grant_type in _GRANT_TYPES.items():
            count, value = _SEVENOAKS_GRANTS[year][key]
            counts = _split(count, (1, 1, 1, 1), rng)
            pence = _split(round(value * 100), [c + 0.5 for c in counts], rng)
            for quarter in range(1, 5):
                by_quarter[quarter].append(
                    (grant_type, counts[quarter - 1], _pounds(pence[quarter - 1] / 100))
                )
            totals.append(("Total", grant_type, count, _pounds(value)))
        for quarter, rows in by_quarter.items():
            out.writerows((f"Q{quarter}", *row) for row in rows)
        out.writerows(totals)
        path = folder / f"Private_Sector_Housing_Grants_{year}-{(year + 1) % 100:02d}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path)
    return written
