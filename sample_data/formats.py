"""The published formats the sample is written in, as their publishers describe them.

Kept apart from the warehouse's parsers on purpose: a sample written with the parsers' own
constants would agree with them whatever their mistakes. Each description here is taken
from the publisher's documentation or a real file (the partner formats notes beside the
project), and the tests compare it with the real files when they are at hand.
"""

from __future__ import annotations

POLICE_STREET_HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
"""data.police.uk street-level crime file: its 12 columns, in the archive's order."""

HCLIC_QUARTERS = {
    1: "January to March",
    4: "April to June",
    7: "July to September",
    10: "October to December",
}
"""H-CLIC quarters, keyed by first month, as MHCLG titles its tables (`England, April to
June 2019`)."""

ENV18_HEADER = (
    "Financial Year",
    "Region",
    "ONS Code",
    "JPP order",
    "Local Authority",
    "Authority type",
    "Total local authority collected waste (tonnes)",
    "Household - total waste (tonnes)",
    "Household - waste sent for recycling/composting/reuse (tonnes)",
    "Household dry recycling/reuse (tonnes)",
    "Household green recycling/reuse (tonnes)",
    "Household - waste not sent for recycling (tonnes)",
    "Household - regular collection (not recycled) (tonnes)",
    "Household - civic amenity sites (not recycled) (tonnes)",
    "Household - other sources (not recycled) (tonnes)",
    "Household - estimated rejects (tonnes)",
    "Non-household - total waste (tonnes)",
    "Non-household - waste sent for recycling/composting/reuse (tonnes)",
    "Non-household - waste not sent for recycling (tonnes) ",
    "Non-household - estimated rejects (tonnes)",
    "Local authority collected waste - sent for recycling/composting/reuse (tonnes)",
    "Local authority collected waste - not sent for recycling (tonnes)",
    "Local authority collected - estimated rejects (tonnes)",
)
"""Defra ENV18 local authority collected waste, the 23 columns of its CSV release, with the
trailing space Defra leaves after one of them."""

FINGERTIPS_HEADER = (
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to Counties & UAs (from Apr 2023) value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
    "Time period range",
)
"""OHID Fingertips data export in its newer 27-column layout (`Time period range` added
last), for district indicators whose parent is a county: the parent comparison column is
named for the parent's type."""

FINGERTIPS_SUPPRESSED_NOTE = "Value suppressed for disclosure control due to small count"
"""Fingertips' value note on a row whose value, count and denominator are withheld."""


def hclic_quarter_title(year: int, first_month: int) -> str:
    """The quarter as MHCLG writes it in an H-CLIC table's title: `April to June 2021`."""
    return f"{HCLIC_QUARTERS[first_month]} {year}"
