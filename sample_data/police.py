"""Synthetic Kent Police street-level crime files, in the data.police.uk format.

The real monthly files are public but large (about 17,000 rows a month for the Kent force)
and the warehouse has to be demonstrable and testable without downloading eight years of
them. The files written here are meant to be indistinguishable from the real ones to a
parser: the same 12 columns, unquoted fields, six-decimal coordinates, LF line endings,
anti-social behaviour with no crime ID or outcome, rows with `No Location` and no LSOA at
the end, and rows sorted by LSOA name then crime type (with `Other crime` last, as the
police sort it).

The volumes are not random: the Sevenoaks financial-year totals equal the figures the
council published, and the other districts are sized so that Sevenoaks holds the published
rank in Kent. The monthly and street-level detail is random but reproducible from the seed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from sample_data.formats import POLICE_STREET_HEADER

FORCE = "Kent Police"

ANTI_SOCIAL_BEHAVIOUR = "Anti-social behaviour"

# In the order the police sort them within an LSOA: alphabetical, but `Other crime` last.
CRIME_TYPES = (
    ANTI_SOCIAL_BEHAVIOUR,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
)

# Home Office grouping, with each type's share of the group (shares of a district's crime
# in Kent; violence and sexual offences comes out at about 38% of all crimes).
VICTIM_BASED_CRIME = {
    "Violence and sexual offences": 0.450,
    "Criminal damage and arson": 0.125,
    "Other theft": 0.120,
    "Shoplifting": 0.090,
    "Vehicle crime": 0.085,
    "Burglary": 0.080,
    "Bicycle theft": 0.020,
    "Theft from the person": 0.015,
    "Robbery": 0.015,
}
OTHER_CRIMES_AGAINST_SOCIETY = {
    "Public order": 0.60,
    "Drugs": 0.20,
    "Other crime": 0.14,
    "Possession of weapons": 0.06,
}

FINANCIAL_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024)
"""First calendar year of each financial year the sample covers (2017/18 to 2024/25)."""

PUBLISHED_SEVENOAKS_FIGURES: dict[str, dict[str, int]] = {
    "victim_based_crime": {"2018/19": 7745, "2019/20": 7769, "2020/21": 6791, "2021/22": 7056},
    "anti_social_behaviour": {"2018/19": 1427, "2019/20": 1602, "2020/21": 2690, "2021/22": 1513},
}
"""The sample is calibrated to the published report figures.

Rows allocated to Sevenoaks LSOAs (not the force's rows with no location) add up to these
financial-year totals exactly, from the Community Plan monitoring reports for 2019/20 and
2021/22 (2018/19 and 2020/21 follow from the changes they state). The reports also rank
Sevenoaks among the 12 Kent districts, lowest first, and the sample keeps those ranks:
see PUBLISHED_SEVENOAKS_RANKS.
"""

PUBLISHED_SEVENOAKS_RANKS: dict[str, dict[str, int]] = {
    "victim_based_crime": {"2019/20": 2, "2021/22": 2},
    "anti_social_behaviour": {"2019/20": 2, "2021/22": 3},
}
"""Sevenoaks's published rank among the 12 Kent districts (Medway excluded), lowest = 1."""

_SEVENOAKS_UNPUBLISHED: dict[str, dict[str, int]] = {
    "victim_based_crime": {"2017/18": 7534, "2022/23": 7412, "2023/24": 7281, "2024/25": 7166},
    "anti_social_behaviour": {"2017/18": 1561, "2022/23": 1396, "2023/24": 1338, "2024/25": 1305},
}
"""Plausible Sevenoaks totals for the years the reports do not give, so every year is fixed."""


@dataclass(frozen=True)
class _District:
    """A district as the police files name it, with what sizes and places its crime."""

    lsoa_prefix: str
    ons_code: str
    population: int
    lsoa_count: int
    first_lsoa_code: int
    centre: tuple[float, float]
    spread: tuple[float, float]
    victim_based_rate: float
    asb_rate: float


# LSOA name prefix: ONS code, residents at Census 2021, 2011 LSOAs, first code of its block.
# Shepway is Folkestone and Hythe under its 2011 LSOA name; Medway is unitary but policed by
# Kent. The code blocks are placed around the real Sevenoaks codes.
_DISTRICT_SIZES = {
    "Ashford": ("E07000105", 132700, 75, 23955),
    "Canterbury": ("E07000106", 157400, 89, 24030),
    "Dartford": ("E07000107", 116800, 62, 24119),
    "Dover": ("E07000108", 116400, 67, 24181),
    "Gravesham": ("E07000109", 106900, 65, 24248),
    "Maidstone": ("E07000110", 175800, 97, 24313),
    "Medway": ("E06000035", 279800, 163, 16020),
    "Sevenoaks": ("E07000111", 120500, 74, 24410),
    "Shepway": ("E07000112", 109800, 67, 24484),
    "Swale": ("E07000113", 151700, 85, 24551),
    "Thanet": ("E07000114", 140600, 84, 24636),
    "Tonbridge and Malling": ("E07000115", 132200, 73, 24720),
    "Tunbridge Wells": ("E07000116", 115300, 66, 24793),
}
# Centre (longitude, latitude) and spread in degrees of the district's LSOAs.
_DISTRICT_PLACES = {
    "Ashford": ((0.870, 51.150), (0.10, 0.06)),
    "Canterbury": ((1.080, 51.290), (0.09, 0.05)),
    "Dartford": ((0.240, 51.430), (0.05, 0.025)),
    "Dover": ((1.280, 51.160), (0.09, 0.06)),
    "Gravesham": ((0.370, 51.420), (0.05, 0.025)),
    "Maidstone": ((0.550, 51.250), (0.09, 0.05)),
    "Medway": ((0.550, 51.390), (0.07, 0.035)),
    "Sevenoaks": ((0.180, 51.300), (0.06, 0.06)),
    "Shepway": ((1.020, 51.070), (0.09, 0.04)),
    "Swale": ((0.800, 51.350), (0.09, 0.04)),
    "Thanet": ((1.380, 51.360), (0.04, 0.02)),
    "Tonbridge and Malling": ((0.380, 51.280), (0.06, 0.05)),
    "Tunbridge Wells": ((0.330, 51.120), (0.07, 0.05)),
}
# Victim-based crimes and ASB incidents per 1,000 residents in 2019/20, in line with the
# force's district figures: the coastal towns highest, West Kent lowest, and Tunbridge Wells
# below Sevenoaks so that Sevenoaks is second lowest. (Sevenoaks' own rates only describe it:
# its totals are the published ones.)
_DISTRICT_RATES = {
    "Ashford": (88, 20.0),
    "Canterbury": (95, 23.5),
    "Dartford": (96, 21.0),
    "Dover": (98, 24.0),
    "Gravesham": (102, 23.0),
    "Maidstone": (92, 21.5),
    "Medway": (100, 22.0),
    "Sevenoaks": (64.5, 13.3),
    "Shepway": (96, 25.0),
    "Swale": (104, 25.5),
    "Thanet": (120, 29.0),
    "Tonbridge and Malling": (75, 14.5),
    "Tunbridge Wells": (58, 10.5),
}
_DISTRICTS = tuple(
    _District(prefix, *_DISTRICT_SIZES[prefix], *_DISTRICT_PLACES[prefix], *_DISTRICT_RATES[prefix])
    for prefix in sorted(_DISTRICT_SIZES)
)
DISTRICT_ONS_CODES = {district.lsoa_prefix: district.ons_code for district in _DISTRICTS}
"""ONS code of each district the Kent file covers, keyed by the name its 2011 LSOAs carry.

`Shepway` is today's Folkestone and Hythe (E07000112); Medway is a unitary authority and not
one of the 12 Kent districts, though Kent Police covers it.
"""
_SEVENOAKS = next(i for i, d in enumerate(_DISTRICTS) if d.lsoa_prefix == "Sevenoaks")

# Kent-wide movement by financial year, relative to 2019/20: crime dipped in the 2020/21
# lockdowns while anti-social behaviour reports (including lockdown breaches) rose sharply.
_VICTIM_BASED_YEAR_FACTOR = dict(
    zip(FINANCIAL_YEARS, (0.97, 1.0, 1.0, 0.88, 0.93, 0.97, 0.96, 0.95), strict=True)
)
_ASB_YEAR_FACTOR = dict(
    zip(FINANCIAL_YEARS, (1.05, 0.95, 1.0, 1.65, 1.02, 0.92, 0.88, 0.86), strict=True)
)
_SOCIETY_SHARE = dict(
    zip(FINANCIAL_YEARS, (0.16, 0.17, 0.18, 0.21, 0.19, 0.18, 0.18, 0.18), strict=True)
)

# Tonbridge and Malling's anti-social behaviour fell faster after 2020/21: that is what puts
# Sevenoaks third lowest in 2021/22 rather than second.
_ASB_DISTRICT_TREND = {
    ("Tonbridge and Malling", 2021): 0.74,
    ("Tonbridge and Malling", 2022): 0.85,
    ("Tonbridge and Malling", 2023): 0.88,
    ("Tonbridge and Malling", 2024): 0.90,
}

# Share of the financial year's total falling in each month, April first. Summer is busier,
# February quieter; 2020/21 has the first lockdown's shape.
_SEASON_CRIME = (1.00, 1.06, 1.05, 1.10, 1.06, 1.01, 1.02, 0.98, 0.95, 0.93, 0.86, 0.97)
_SEASON_ASB = (1.05, 1.15, 1.15, 1.20, 1.15, 1.00, 1.00, 0.85, 0.80, 0.80, 0.75, 0.90)
_SEASON_CRIME_2020 = (0.82, 0.92, 1.00, 1.08, 1.10, 1.05, 1.03, 0.95, 0.97, 0.88, 0.85, 1.00)
_SEASON_ASB_2020 = (1.90, 1.70, 1.20, 1.00, 0.95, 0.80, 0.80, 1.05, 0.80, 1.00, 0.85, 0.70)

_NO_LOCATION_RATE = 0.018
"""Share of crimes (not ASB) the police publish with no location: about 1.5% of all rows."""
_NO_LOCATION_MIX = {
    "Violence and sexual offences": 0.55,
    "Other crime": 0.20,
    "Public order": 0.08,
    "Other theft": 0.07,
    "Drugs": 0.04,
    "Criminal damage and arson": 0.03,
    "Burglary": 0.03,
}

_OUTCOMES = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Status update unavailable",
    "Under investigation",
    "Local resolution",
    "Offender given a caution",
    "Awaiting court outcome",
    "Court result unavailable",
    "Further investigation is not in the public interest",
    "Action to be taken by another organisation",
    "Offender given community sentence",
    "Offender fined",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Formal action is not in the public interest",
    "Offender given penalty notice",
    "Suspect charged as part of another case",
)
# Most crimes end without a suspect; crimes found by the police themselves (drugs, weapons,
# shoplifting caught in the act) reach court far more often.
_OUTCOME_WEIGHTS = np.array(
    [40, 28, 6, 4, 4, 2, 3, 4, 2, 3, 1, 1, 1, 0.5, 0.5, 0.5, 0.5], dtype=float
)
_OUTCOME_WEIGHTS_DETECTED = np.array(
    [8, 12, 6, 4, 12, 12, 12, 10, 3, 2, 5, 4, 4, 2, 1, 2, 1], dtype=float
)
_DETECTED_TYPES = ("Drugs", "Possession of weapons", "Shoplifting")
_PUBLISHED_TO = (2025, 3)
"""The month the sample's data is "as of": recent months are still under investigation."""

_LAYOUT_SEED = 20110327
"""Seed of the LSOA layout (codes, names, places), fixed so every sample shares one geography."""

# Real Sevenoaks LSOAs and the map points the police snap their crimes to (January 2019).
_REAL_SEVENOAKS_POINTS = {
    ("E01024431", "Sevenoaks 005A"): (
        (0.197058, 51.364026, "Parking Area"),
        (0.212229, 51.366132, "Pollyhaugh"),
        (0.213835, 51.369348, "Gibsons Place"),
    ),
    ("E01024432", "Sevenoaks 005B"): ((0.240341, 51.391669, "The Street"),),
    ("E01024441", "Sevenoaks 004A"): (
        (0.309181, 51.383686, "Cherry Trees"),
        (0.311447, 51.390144, "Sports/Recreation Area"),
    ),
    ("E01024442", "Sevenoaks 004B"): (
        (0.308585, 51.382682, "St John'S Lane"),
        (0.311903, 51.380665, "Church Road"),
        (0.320658, 51.369358, "Hartley Hill"),
        (0.339594, 51.351867, "Field Road"),
        (0.344408, 51.336725, "Wrotham Road"),
    ),
    ("E01024443", "Sevenoaks 004C"): (
        (0.299533, 51.395351, "The Crescent"),
        (0.300463, 51.395828, "Parking Area"),
        (0.301144, 51.395374, "Park Drive"),
        (0.303471, 51.383592, "Round Ash Way"),
        (0.305133, 51.383775, "Ash Road"),
        (0.306360, 51.386458, "Dickens Close"),
    ),
    ("E01024444", "Sevenoaks 004D"): (
        (0.306127, 51.392398, "Merton Avenue"),
        (0.307779, 51.391808, "Hawthorns"),
        (0.308642, 51.392951, "Culcroft"),
    ),
    ("E01024473", "Sevenoaks 003B"): (
        (0.183388, 51.396171, "Sports/Recreation Area"),
        (0.183682, 51.395698, "Beech Avenue"),
        (0.188203, 51.392547, "Manse Way"),
        (0.188728, 51.387582, "Wested Lane"),
        (0.189699, 51.389254, "M20"),
    ),
    ("E01024474", "Sevenoaks 003C"): (
        (0.171407, 51.391798, "Bramley Close"),
        (0.179297, 51.391768, "Waylands"),
    ),
    ("E01024475", "Sevenoaks 003D"): (
        (0.167908, 51.392591, "Edwards Gardens"),
        (0.169753, 51.392692, "Azalea Drive"),
        (0.177523, 51.395273, "High Street"),
        (0.178307, 51.394215, "Montague Place"),
        (0.179215, 51.394881, "Parking Area"),
    ),
}

# Street names as the police print them, their capitalisation quirks included.
_STREETS = (
    "High Street",
    "Church Road",
    "Station Road",
    "London Road",
    "Mill Lane",
    "The Street",
    "Park Road",
    "School Lane",
    "Main Road",
    "Victoria Road",
    "Green Lane",
    "The Crescent",
    "Manor Road",
    "Chapel Lane",
    "Orchard Close",
    "Church Lane",
    "New Road",
    "Queens Road",
    "Maidstone Road",
    "Canterbury Road",
    "Tonbridge Road",
    "Sevenoaks Road",
    "Ashford Road",
    "Dover Road",
    "Folkestone Road",
    "Hythe Road",
    "Ramsgate Road",
    "Margate Road",
    "Rochester Road",
    "Gravesend Road",
    "Dartford Road",
    "Hastings Road",
    "Wrotham Road",
    "Bell Road",
    "Forge Lane",
    "Pound Lane",
    "Hill View",
    "Meadow Close",
    "Beech Avenue",
    "Oak Road",
    "Elm Grove",
    "Cedar Drive",
    "Willow Way",
    "Hawthorn Close",
    "Rowan Close",
    "Holly Road",
    "Ash Grove",
    "Chestnut Avenue",
    "Birch Close",
    "Maple Drive",
    "Vicarage Lane",
    "Rectory Lane",
    "Court Road",
    "Castle Street",
    "Bank Street",
    "Market Place",
    "The Square",
    "The Green",
    "The Drive",
    "The Avenue",
    "The Grove",
    "Albert Road",
    "Alexandra Road",
    "Kings Road",
    "Windsor Road",
    "York Road",
    "Grove Road",
    "Springfield Road",
    "Hillside",
    "Woodlands",
    "Brook Lane",
    "Bridge Street",
    "North Street",
    "South Street",
    "East Street",
    "West Street",
    "Tubs Hill",
    "Pilgrims Way",
    "Swanley Lane",
    "Hextable Road",
    "St John'S Lane",
    "St Mary'S Road",
    "St Peter'S Street",
    "Queen'S Road",
    "King'S Road",
    "Bishop'S Walk",
    "Lady'S Walk",
    "Dunstan'S Court",
    "M20",
    "M25",
    "M26",
    "M2",
    "A21",
    "A25",
    "A20",
    "A2",
    "A28",
    "A299",
    "A256",
    "A249",
    "A229",
    "A228",
    "A227",
    "A26",
    "B2042",
    "B258",
    "Parking Area",
    "Supermarket",
    "Sports/Recreation Area",
    "Petrol Station",
    "Park/Open Space",
    "Nightclub",
    "Shopping Area",
    "Further/Higher Educational Building",
    "Hospital",
    "Police Station",
    "Theatre/Concert Hall",
    "Bus/Coach Station",
    "Pedestrian Subway",
    "Conference/Exhibition Centre",
)


@dataclass(frozen=True)
class _Layout:
    """Every LSOA (sorted by name, as the files are) and the map points crimes snap to."""

    lsoa_code: pl.Series
    lsoa_name: pl.Series
    district_lsoas: tuple[np.ndarray, ...]
    crime_weight: np.ndarray
    asb_weight: np.ndarray
    point_start: np.ndarray
    point_count: np.ndarray
    point_longitude: pl.Series
    point_latitude: pl.Series
    point_location: pl.Series


def _financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _msoa_names(prefix: str, count: int, rng: np.random.Generator) -> list[list[str]]:
    """LSOA names grouped by MSOA: about five LSOAs an MSOA, lettered A, B, C..."""
    msoas = max(1, round(count / 5))
    sizes = np.full(msoas, count // msoas)
    sizes[rng.permutation(msoas)[: count % msoas]] += 1
    return [
        [f"{prefix} {m + 1:03d}{chr(ord('A') + k)}" for k in range(size)]
        for m, size in enumerate(sizes)
    ]


@cache
def _layout() -> _Layout:
    """The stable geography: the same LSOAs, codes and streets whatever the seed."""
    rng = np.random.default_rng(_LAYOUT_SEED)
    real_codes = {name: code for code, name in _REAL_SEVENOAKS_POINTS}
    real_points = {name: points for (_, name), points in _REAL_SEVENOAKS_POINTS.items()}
    split_code = 32800
    lsoas: list[tuple[str, str, int, float, float, list[tuple[float, float, str]]]] = []
    for district_index, district in enumerate(_DISTRICTS):
        groups = _msoa_names(district.lsoa_prefix, district.lsoa_count, rng)
        # Codes run consecutively within an MSOA, MSOAs in no particular order, as in 2011.
        names = [name for m in rng.permutation(len(groups)) for name in groups[m]]
        codes = {name: f"E01{district.first_lsoa_code + i:06d}" for i, name in enumerate(names)}
        for name, code in real_codes.items():
            if name in codes:
                holder = next(n for n, c in codes.items() if c == code)
                codes[holder], codes[name] = codes[name], code
        for name in names:
            # A few LSOAs were split in 2011 and carry a code from the later block.
            if name not in real_codes and rng.random() < 0.04:
                codes[name] = f"E01{split_code:06d}"
                split_code += 1
        for name in names:
            lon = district.centre[0] + rng.normal(0, district.spread[0])
            lat = district.centre[1] + rng.normal(0, district.spread[1])
            points = list(real_points.get(name, ()))
            if points:
                lon = float(np.mean([p[0] for p in points]))
                lat = float(np.mean([p[1] for p in points]))
            extra = int(rng.integers(5, 21)) - len(points)
            points += [
                (
                    lon + rng.normal(0, 0.006),
                    lat + rng.normal(0, 0.004),
                    _STREETS[int(rng.integers(len(_STREETS)))],
                )
                for _ in range(max(extra, 2))
            ]
            lsoas.append((name, codes[name], district_index, lon, lat, points))
    lsoas.sort(key=lambda lsoa: lsoa[0])

    district_of = np.array([lsoa[2] for lsoa in lsoas])
    counts = np.array([len(lsoa[5]) for lsoa in lsoas])
    # Crime concentrates in town centres: a heavy-tailed weight per LSOA, ASB following it.
    crime_weight = rng.lognormal(0.0, 0.7, size=len(lsoas))
    asb_weight = crime_weight**0.7 * rng.lognormal(0.0, 0.3, size=len(lsoas))
    all_points = [point for lsoa in lsoas for point in lsoa[5]]
    return _Layout(
        lsoa_code=pl.Series([lsoa[1] for lsoa in lsoas], dtype=pl.String),
        lsoa_name=pl.Series([lsoa[0] for lsoa in lsoas], dtype=pl.String),
        district_lsoas=tuple(np.flatnonzero(district_of == d) for d in range(len(_DISTRICTS))),
        crime_weight=crime_weight,
        asb_weight=asb_weight,
        point_start=np.concatenate([[0], np.cumsum(counts)[:-1]]),
        point_count=counts,
        point_longitude=pl.Series([f"{p[0]:.6f}" for p in all_points], dtype=pl.String),
        point_latitude=pl.Series([f"{p[1]:.6f}" for p in all_points], dtype=pl.String),
        point_location=pl.Series([f"On or near {p[2]}" for p in all_points], dtype=pl.String),
    )


@cache
def _district_year_totals() -> np.ndarray:
    """Rows per district and financial year: [victim-based, ASB, other crimes against society].

    Fixed (independent of the seed) so that the published totals and ranks hold for any seed.
    """
    wobble = np.random.default_rng(_LAYOUT_SEED + 1).uniform(
        0.96, 1.04, size=(len(_DISTRICTS), len(FINANCIAL_YEARS), 2)
    )
    totals = np.zeros((len(_DISTRICTS), len(FINANCIAL_YEARS), 3), dtype=np.int64)
    sevenoaks = {
        measure: PUBLISHED_SEVENOAKS_FIGURES[measure] | _SEVENOAKS_UNPUBLISHED[measure]
        for measure in PUBLISHED_SEVENOAKS_FIGURES
    }
    for d, district in enumerate(_DISTRICTS):
        for y, year in enumerate(FINANCIAL_YEARS):
            if d == _SEVENOAKS:
                label = _financial_year_label(year)
                victim_based = sevenoaks["victim_based_crime"][label]
                asb = sevenoaks["anti_social_behaviour"][label]
            else:
                thousands = district.population / 1000
                victim_based = round(
                    thousands
                    * district.victim_based_rate
                    * _VICTIM_BASED_YEAR_FACTOR[year]
                    * wobble[d, y, 0]
                )
                asb = round(
                    thousands
                    * district.asb_rate
                    * _ASB_YEAR_FACTOR[year]
                    * _ASB_DISTRICT_TREND.get((district.lsoa_prefix, year), 1.0)
                    * wobble[d, y, 1]
                )
            society = round(victim_based * _SOCIETY_SHARE[year])
            totals[d, y] = (victim_based, asb, society)
    return totals


def _monthly_counts(seed: int, start_year: int) -> np.ndarray:
    """A financial year's totals split into months, [district, month from April, group].

    A multinomial split keeps each district's year total exact while the months vary.
    """
    rng = np.random.default_rng([seed, start_year, 0])
    totals = _district_year_totals()[:, FINANCIAL_YEARS.index(start_year)]
    crime = _SEASON_CRIME_2020 if start_year == 2020 else _SEASON_CRIME
    asb = _SEASON_ASB_2020 if start_year == 2020 else _SEASON_ASB
    seasons = [np.array(s) / np.sum(s) for s in (crime, asb, crime)]
    counts = np.zeros((len(_DISTRICTS), 12, 3), dtype=np.int64)
    for d in range(len(_DISTRICTS)):
        for group in range(3):
            counts[d, :, group] = rng.multinomial(totals[d, group], seasons[group])
    return counts


def _type_codes(mix: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array([CRIME_TYPES.index(name) for name in mix])
    shares = np.array(list(mix.values()), dtype=float)
    return codes, shares / shares.sum()


def _outcome_probabilities(year: int, month: int) -> tuple[np.ndarray, np.ndarray]:
    """Outcome mixes for a month: the last few before publication are still being investigated."""
    months_before = (_PUBLISHED_TO[0] * 12 + _PUBLISHED_TO[1]) - (year * 12 + month)
    recent = max(0.0, 0.45 - 0.08 * months_before)
    under = np.zeros(len(_OUTCOMES))
    under[_OUTCOMES.index("Under investigation")] = 1.0
    mixes = []
    for weights in (_OUTCOME_WEIGHTS, _OUTCOME_WEIGHTS_DETECTED):
        mixes.append((1 - recent) * weights / weights.sum() + recent * under)
    return mixes[0], mixes[1]


def _month_rows(seed: int, year: int, month: int, counts: np.ndarray) -> pl.DataFrame:
    """One month's file as a frame of strings, rows in the police's order.

    The columns are the publisher's header, in its order: a column it names that is not
    built here stops the writer rather than making a file unlike the real ones."""
    layout = _layout()
    rng = np.random.default_rng([seed, year, month, 1])
    victim_codes, victim_shares = _type_codes(VICTIM_BASED_CRIME)
    society_codes, society_shares = _type_codes(OTHER_CRIMES_AGAINST_SOCIETY)

    lsoa_parts: list[np.ndarray] = []
    type_parts: list[np.ndarray] = []
    for d, lsoas in enumerate(layout.district_lsoas):
        victim_based, asb, society = counts[d]
        crime_weight = layout.crime_weight[lsoas] / layout.crime_weight[lsoas].sum()
        asb_weight = layout.asb_weight[lsoas] / layout.asb_weight[lsoas].sum()
        for total, weight in (
            (victim_based, crime_weight),
            (asb, asb_weight),
            (society, crime_weight),
        ):
            lsoa_parts.append(np.repeat(lsoas, rng.multinomial(total, weight)))
        type_parts.append(rng.choice(victim_codes, size=victim_based, p=victim_shares))
        type_parts.append(np.zeros(asb, dtype=np.int64))
        type_parts.append(rng.choice(society_codes, size=society, p=society_shares))
    lsoa = np.concatenate(lsoa_parts)
    crime_type = np.concatenate(type_parts)

    crimes = int(np.count_nonzero(crime_type))
    no_location = int(rng.binomial(crimes, _NO_LOCATION_RATE))
    codes, shares = _type_codes(_NO_LOCATION_MIX)
    lsoa = np.concatenate([lsoa, np.full(no_location, -1)])
    crime_type = np.concatenate([crime_type, rng.choice(codes, size=no_location, p=shares)])

    # Sorted by LSOA name then crime type; rows with no location go last (stable sort).
    unlocated_key = len(layout.lsoa_name)
    order = np.lexsort((crime_type, np.where(lsoa < 0, unlocated_key, lsoa)))
    lsoa, crime_type = lsoa[order], crime_type[order]
    rows = len(lsoa)
    located = lsoa >= 0
    safe_lsoa = np.where(located, lsoa, 0)

    # Crimes pile up on a few points in each LSOA (a skewed pick among its points).
    within = (layout.point_count[safe_lsoa] * rng.random(rows) ** 1.8).astype(np.int64)
    point = layout.point_start[safe_lsoa] + within
    usual, detected = _outcome_probabilities(year, month)
    outcome = np.where(
        np.isin(crime_type, [CRIME_TYPES.index(t) for t in _DETECTED_TYPES]),
        rng.choice(len(_OUTCOMES), size=rows, p=detected),
        rng.choice(len(_OUTCOMES), size=rows, p=usual),
    )
    crime_id = pl.Series(np.frombuffer(rng.bytes(32 * rows).hex().encode("ascii"), dtype="S64"))
    lower_case = rng.random(rows) < 0.08

    is_located = pl.Series(located)
    is_crime = pl.Series(crime_type != 0)
    parts = pl.DataFrame(
        {
            "id": crime_id.cast(pl.String),
            "lon": layout.point_longitude.gather(point),
            "lat": layout.point_latitude.gather(point),
            "where": layout.point_location.gather(point),
            "code": layout.lsoa_code.gather(safe_lsoa),
            "name": layout.lsoa_name.gather(safe_lsoa),
            "type": pl.Series(CRIME_TYPES).gather(crime_type),
            "outcome": pl.Series(_OUTCOMES).gather(outcome),
            "located": is_located,
            "crime": is_crime,
            "lower": pl.Series(lower_case),
        }
    )
    columns = parts.select(
        pl.when("crime").then("id").alias("Crime ID"),
        pl.lit(f"{year:04d}-{month:02d}").alias("Month"),
        pl.lit(FORCE).alias("Reported by"),
        pl.lit(FORCE).alias("Falls within"),
        pl.when("located").then("lon").alias("Longitude"),
        pl.when("located").then("lat").alias("Latitude"),
        pl.when("located")
        .then("where")
        .when("lower")
        .then(pl.lit("No location"))
        .otherwise(pl.lit("No Location"))
        .alias("Location"),
        pl.when("located").then("code").alias("LSOA code"),
        pl.when("located").then("name").alias("LSOA name"),
        pl.col("type").alias("Crime type"),
        pl.when("crime").then("outcome").alias("Last outcome category"),
        pl.lit(None, dtype=pl.String).alias("Context"),
    )
    return columns.select(POLICE_STREET_HEADER)


def _months(first_month: str, last_month: str) -> list[tuple[int, int]]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
            raise ValueError(f"'{text}' is not a month in the form YYYY-MM")
        return int(text[:4]) * 12 + int(text[5:]) - 1

    first, last = parse(first_month), parse(last_month)
    if first > last:
        raise ValueError(f"first month {first_month} is after last month {last_month}")
    months = [(index // 12, index % 12 + 1) for index in range(first, last + 1)]
    covered = (FINANCIAL_YEARS[0] * 12 + 3, (FINANCIAL_YEARS[-1] + 1) * 12 + 2)
    if first < covered[0] or last > covered[1]:
        raise ValueError(
            f"the police sample covers 2017-04 to 2025-03, not {first_month} to {last_month}"
        )
    return months


def write_police_returns(
    raw_dir: Path,
    first_month: str = "2017-04",
    last_month: str = "2025-03",
    seed: int = 2019,
    as_zip: bool = False,
) -> list[Path]:
    """Write one data.police.uk street-level file for Kent per month; return their paths.

    Files land where the police archive puts them, `police/YYYY-MM/YYYY-MM-kent-street.csv`,
    or as the monthly archive `police/YYYY-MM.zip`. A month's bytes depend only on the seed
    and the month, so a short range writes the same files as the full one.
    """
    police_dir = Path(raw_dir) / "police"
    written: list[Path] = []
    year_counts: dict[int, np.ndarray] = {}
    for year, month in _months(first_month, last_month):
        start_year = year if month >= 4 else year - 1
        if start_year not in year_counts:
            year_counts[start_year] = _monthly_counts(seed, start_year)
        counts = year_counts[start_year][:, (month - 4) % 12]
        text = _month_rows(seed, year, month, counts).write_csv(
            line_terminator="\n", null_value="", quote_style="necessary"
        )
        label = f"{year:04d}-{month:02d}"
        member = f"{label}/{label}-kent-street.csv"
        if as_zip:
            path = police_dir / f"{label}.zip"
            path.parent.mkdir(parents=True, exist_ok=True)
            info = zipfile.ZipInfo(member, date_time=(year, month, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # Fast compression: the archives are a few percent larger, written three times faster.
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr(info, text, compresslevel=1)
        else:
            path = police_dir / member
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written


def write_sample(raw_dir: Path) -> list[Path]:
    """The police part of the sample returns: every month from 2017-04 to 2025-03, as CSVs.

    Plain files rather than zips, so an analyst can open a month straight from raw/.
    """
    return write_police_returns(raw_dir)
