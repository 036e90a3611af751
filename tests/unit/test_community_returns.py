"""Community safety, road safety, children's partnership and council returns: the parsers
read the sample files in the partners' formats and refuse broken files with a message naming
the file, sheet, row and column. tests/dbt/test_community_models.py builds them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.ingest import ingest_return
from pipelines.returns import PartnerFile, ReturnSpec
from pipelines.returns.children_lcpg_indicators import RETURN as LCPG_INDICATORS
from pipelines.returns.children_neet_summary import RETURN as NEET_SUMMARY
from pipelines.returns.community_safety_csp_actions import RETURN as CSP_ACTIONS
from pipelines.returns.community_safety_csu_taskings import RETURN as CSU_TASKINGS
from pipelines.returns.council_community_grants import RETURN as COMMUNITY_GRANTS
from pipelines.returns.council_economic_development_actions import RETURN as ECONOMIC_ACTIONS
from pipelines.returns.council_parking_enforcement import RETURN as PARKING_ENFORCEMENT
from pipelines.returns.council_partner_measures import RETURN as PARTNER_MEASURES
from pipelines.returns.road_safety_ksi_casualties import RETURN as KSI_CASUALTIES
from sample_data import community, community_children, community_council

RETURNS = (
    CSP_ACTIONS,
    CSU_TASKINGS,
    KSI_CASUALTIES,
    PARKING_ENFORCEMENT,
    COMMUNITY_GRANTS,
    ECONOMIC_ACTIONS,
    PARTNER_MEASURES,
    NEET_SUMMARY,
    LCPG_INDICATORS,
)
FINANCIAL_YEARS = [f"{start}/{(start + 1) % 100:02d}" for start in range(2017, 2025)]


def write_all(raw: Path) -> list[Path]:
    return [
        *community.write_sample(raw),
        *community_council.write_sample(raw),
        *community_children.write_sample(raw),
    ]


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    write_all(raw)
    return raw


def parse(spec: ReturnSpec, raw: Path, relative: str):
    return spec.parse(PartnerFile(raw / relative, relative))


# --- parsers on the sample files ---------------------------------------------------------


@pytest.mark.parametrize("spec", RETURNS, ids=lambda spec: spec.table)
def test_every_sample_file_parses_into_its_period(spec: ReturnSpec, sample_raw: Path) -> None:
    periods = [spec.parse(partner_file).period for partner_file in spec.find_files(sample_raw)]
    if spec is KSI_CASUALTIES:
        assert periods == ["2017", "2018", "2019", "2022", "2023", "2024"]
    elif spec is NEET_SUMMARY:
        assert periods == [f"Jan {year}" for year in range(2018, 2026)]
    else:
        assert periods == FINANCIAL_YEARS


def test_csp_workbook_gives_actions_and_monthly_taskings(sample_raw: Path) -> None:
    workbook = "community_safety/csp_action_plan/CSP action plan monitoring 2019-20.xlsx"
    actions = parse(CSP_ACTIONS, sample_raw, workbook)
    assert actions.source_file.endswith("2019-20.xlsx!Action plan")
    statuses = actions.rows["status"].value_counts().rows()
    assert dict(statuses)["Not on target"] == 1 and actions.rows.height == 50
    assert actions.rows["source_row"].to_list()[:2] == [5, 6]
    taskings = parse(CSU_TASKINGS, sample_raw, workbook)
    assert taskings.rows.height == 12
    assert taskings.rows["taskings_issued"].sum() == 600
    assert str(taskings.rows["month_start"][0]) == "2019-04-01"


def test_ksi_names_districts_as_kcc_writes_them(sample_raw: Path) -> None:
    older = parse(
        KSI_CASUALTIES, sample_raw, "road_safety/ksi/KCC KSI casualties by district 2017.csv"
    )
    newer = parse(
        KSI_CASUALTIES, sample_raw, "road_safety/ksi/KCC KSI casualties by district 2019.csv"
    )
    assert "Shepway" in older.rows["district"].to_list()
    assert {"Folkestone & Hythe", "Tonbridge & Malling", "Kent"} <= set(newer.rows["district"])
    assert set(newer.rows["road_network"]) == {"local_roads", "strategic_road_network"}
    assert newer.rows.height == 13 * 2 * 2


def test_neet_percentages_are_read_as_displayed(sample_raw: Path) -> None:
    table = parse(NEET_SUMMARY, sample_raw, "children/neet/NEET summary January 2020.xlsx")
    sevenoaks = table.rows.filter(table.rows["area_name"] == "Sevenoaks").row(0, named=True)
    assert (sevenoaks["cohort_yr12_yr13"], sevenoaks["neet_yr12_yr13"]) == (1930, 52)
    assert round(sevenoaks["neet_pct_yr12_yr13"], 1) == 2.7
    assert sevenoaks["target_pct_yr12_yr13"] == pytest.approx(1.3)
    assert table.period == "Jan 2020" and table.rows.height == 13


def test_lcpg_row_without_a_figure_keeps_its_note(sample_raw: Path) -> None:
    pack = parse(
        LCPG_INDICATORS, sample_raw, "children/lcpg/Sevenoaks LCPG indicators 2020-21.xlsx"
    )
    eyfs = pack.rows.row(0, named=True)
    assert eyfs["value"] is None and "Not assessed" in eyfs["value_note"]
    reoffending = pack.rows.filter(pack.rows["period_label"] == "2020/21 Q3")
    assert reoffending["national_area"].to_list() == ["England and Wales"]


def test_grants_read_pounds_and_outstanding_monitoring(sample_raw: Path) -> None:
    grants = parse(
        COMMUNITY_GRANTS, sample_raw, "council/community_grants/Community Grant Scheme 2019-20.csv"
    )
    assert grants.rows["grant_pounds"].sum() == 54_800
    assert grants.rows["organisation"].n_unique() == 25 and grants.rows.height == 26
    latest = parse(
        COMMUNITY_GRANTS, sample_raw, "council/community_grants/Community Grant Scheme 2024-25.csv"
    )
    assert latest.rows["targets_met"].null_count() == 10


def test_suppressed_cell_becomes_empty_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "road_safety" / "ksi" / "KCC KSI casualties by district 2023.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "Year,District,Road network,Severity,Casualties\n"
        "2023,Sevenoaks,Local roads,Fatal,..\n"
        "2023,Sevenoaks,Local roads,Serious,51\n"
    )
    parsed = KSI_CASUALTIES.parse(PartnerFile(path, "road_safety/ksi/x 2023.csv"))
    assert parsed.rows["casualties"].to_list() == [None, 51]
    assert parsed.rows["value_note"].to_list() == ["Casualties not available", None]


def test_sample_is_the_same_every_time(tmp_path: Path) -> None:
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in write_all(tmp_path / "a")}
    again = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in write_all(tmp_path / "b")}
    assert first == again
    assert not any(
        "2020" in p.name or "2021" in p.name
        for p in (tmp_path / "a" / "road_safety").rglob("*.csv")
    )


# --- broken files are quarantined with where the problem is ------------------------------


def replace_text(old: str, new: str) -> Callable[[Path], None]:
    def mutate(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return mutate


def set_cell(sheet: str, cell: str, value: object) -> Callable[[Path], None]:
    def mutate(path: Path) -> None:
        workbook = openpyxl.load_workbook(path)
        workbook[sheet][cell] = value
        workbook.save(path)

    return mutate


BROKEN = [
    (
        KSI_CASUALTIES,
        "road_safety/ksi/KCC KSI casualties by district 2019.csv",
        replace_text("Sevenoaks,Local roads,Serious,58", "Sevenoaks,Local roads,Serious,5 8"),
        "district 2019.csv, row 31, column 'Casualties': '5 8' is not a number",
    ),
    (
        KSI_CASUALTIES,
        "road_safety/ksi/KCC KSI casualties by district 2019.csv",
        replace_text("Road network", "Road class"),
        "row 1, column 'Road network': column 'Road network' is missing from the header",
    ),
    (
        CSP_ACTIONS,
        "community_safety/csp_action_plan/CSP action plan monitoring 2019-20.xlsx",
        set_cell("Action plan", "F4", "RAG"),
        "sheet 'Action plan', row 4, column 'Status': column 'Status' is missing",
    ),
    (
        CSP_ACTIONS,
        "community_safety/csp_action_plan/CSP action plan monitoring 2019-20.xlsx",
        set_cell("Action plan", "F9", "Delayed"),
        "sheet 'Action plan', row 9, column 'Status': 'Delayed' is not a status",
    ),
    (
        CSU_TASKINGS,
        "community_safety/csp_action_plan/CSP action plan monitoring 2019-20.xlsx",
        set_cell("CSU taskings", "A10", "Sept 2018"),
        "sheet 'CSU taskings', row 10, column 'Month': 'Sept 2018' is not a month",
    ),
    (
        NEET_SUMMARY,
        "children/neet/NEET summary January 2020.xlsx",
        set_cell("Table 1", "B17", "about 1900"),
        "sheet 'Table 1', row 17, column 'Total Cohort Yr12 & Yr13': 'about 1900' is not a number",
    ),
    (
        NEET_SUMMARY,
        "children/neet/NEET summary January 2020.xlsx",
        set_cell("Table 1", "C17", 158),
        "sheet 'Table 1', row 17, column '% NEET Yr12 & Yr13': % NEET is 2.6943 but 158 NEET",
    ),
    (
        LCPG_INDICATORS,
        "children/lcpg/Sevenoaks LCPG indicators 2019-20.xlsx",
        set_cell("Indicators", "E8", None),
        "sheet 'Indicators', row 8, column 'Sevenoaks': the Sevenoaks figure is blank",
    ),
    (
        PARKING_ENFORCEMENT,
        "council/parking/Parking enforcement 2021-22.csv",
        replace_text("Apr-21", "Apr-20"),
        "Parking enforcement 2021-22.csv, row 2, column 'Month': Apr 2020 is outside the "
        "financial year 2021/22",
    ),
    (
        COMMUNITY_GRANTS,
        "council/community_grants/Community Grant Scheme 2019-20.csv",
        replace_text('"£54,800.00"', '"£55,800.00"'),
        "row 28, column 'Grant awarded (£)': the Total row says £55,800.00 but the grants "
        "listed add up to £54,800.00",
    ),
    (
        ECONOMIC_ACTIONS,
        "council/economic_development/Economic Development Strategy actions 2019-20.csv",
        replace_text(",Amber,", ",Yellow,"),
        "column 'RAG': 'Yellow' is not Green, Amber or Red",
    ),
    (
        PARTNER_MEASURES,
        "council/partner_measures/Partner measures 2019-20.csv",
        replace_text("E07000111,2019/20", "E07000111,2020/21"),
        "Partner measures 2019-20.csv, row 2, column 'period': '2020/21' is not 2019/20",
    ),
]


@pytest.mark.parametrize(
    ("spec", "relative", "mutate", "message"),
    BROKEN,
    ids=[f"{spec.name}-{i}" for i, (spec, *_) in enumerate(BROKEN)],
)
def test_broken_file_is_quarantined_naming_where(
    tmp_path: Path, spec: ReturnSpec, relative: str, mutate, message: str
) -> None:
    raw = tmp_path / "raw"
    write_all(raw)
    mutate(raw / relative)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, spec, raw, quarantine_dir=tmp_path / "quarantine")
        status = con.execute(
            "select status from ledger.submissions where file_path = ?", [relative]
        ).fetchone()
    assert status == ("quarantined",)
    assert len(summary.quarantined) == 1
    assert summary.quarantined[0].startswith(relative)
    assert message in summary.quarantined[0]
    assert len(summary.accepted) == summary.files_seen - 1
