"""The quality gate: severities and reviews from reviewed files, findings that keep their
first-seen date across re-runs, the plausibility and consistency checks, and the broken
partner returns each caught with an officer's message. The known findings of the sample are
in tests/e2e/test_sample_findings.py."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.ingest import ingest_return
from pipelines.quality import completeness, plausibility, suites
from pipelines.quality.export import export_partner_summaries
from pipelines.quality.findings import (
    Finding,
    Review,
    SeverityRules,
    load_reviews,
    load_severities,
    record_findings,
)
from pipelines.returns import all_returns
from sample_data.broken_examples import BROKEN_EXAMPLES, write_broken_examples

SEVENOAKS = "E07000111"
RULES = SeverityRules("warning", {"count_negative": "blocking"})


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection


def finding(check: str = "change_beyond_band", **fields) -> Finding:
    about = {
        "return_name": "police__street_crimes",
        "measure_id": "anti_social_behaviour_incidents",
    }
    about |= {"area_code": SEVENOAKS, "period_id": "2020/21", "message": "ASB rose by 68%"}
    return Finding(check_name=check, check_kind="plausibility", **(about | fields))


def stored(con) -> dict[str, tuple]:
    rows = con.execute(
        "select finding_key, status, first_seen_at, last_seen_at, explanation from quality.findings"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


# Severities and reviews -------------------------------------------------------------------


def test_the_most_specific_severity_rule_wins(tmp_path: Path) -> None:
    path = tmp_path / "severities.yml"
    path.write_text(
        "default: warning\n"
        "checks: {not_received: warning}\n"
        "overrides:\n"
        "  - {check: not_received, return: police__street_crimes, severity: blocking}\n"
        "  - {check: not_received, return: police__street_crimes, measure: m, severity: warning}\n"
    )
    rules = load_severities(path)
    received = Finding("not_received", "completeness", "x", return_name="police__street_crimes")
    assert rules.of(received) == "blocking"
    assert rules.of(Finding("not_received", "completeness", "x", return_name="waste__x")) == (
        "warning"
    )
    assert (
        rules.of(
            Finding(
                "not_received",
                "completeness",
                "x",
                **{"return_name": "police__street_crimes", "measure_id": "m"},
            )
        )
        == "warning"
    )
    assert rules.of(Finding("unlisted", "suite", "x")) == "warning"


def test_a_severity_that_is_not_blocking_or_warning_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "severities.yml"
    path.write_text("checks: {count_negative: fatal}\n")
    with pytest.raises(ValueError, match="severity 'fatal'; use blocking or warning"):
        load_severities(path)


def test_shipped_configuration_covers_every_return_and_check() -> None:
    """Every return has a reviewed suite, and every check a suite names has a severity."""
    severities = load_severities()
    assert load_reviews() == [] or all(r.reason for r in load_reviews())
    assert plausibility.load_config()["figures_agree"]
    for spec in all_returns():
        loaded = suites.load_suite(spec.table)
        assert loaded is not None, f"expectations/{spec.table}.json is missing"
        suite, _ = loaded
        for check in suites.check_names(suite):
            assert check in severities.by_check, f"{spec.table}: {check} has no severity"
        named = {e["kwargs"].get("column") for e in suite["expectations"]}
        derived = set(suite["meta"].get("derived_columns", {}))
        assert named - {None} <= set(spec.columns) | derived, spec.table


def test_review_by_check_measure_and_period_explains_every_area(tmp_path: Path) -> None:
    path = tmp_path / "reviewed.yml"
    path.write_text(
        "reviewed:\n"
        "  - check: change_beyond_band\n"
        "    measure: anti_social_behaviour_incidents\n"
        "    period: 2020/21\n"
        "    reason: COVID restrictions explain the 2020/21 anti-social behaviour rise\n"
        "    reviewed_by: Community Safety analyst\n"
        "    date: 2022-06-01\n"
    )
    (review,) = load_reviews(path)
    assert review.reviewed_on == date(2022, 6, 1)
    assert review.explains(finding(area_code="E10000016"))
    assert not review.explains(finding(period_id="2021/22"))


def test_a_review_without_a_reason_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reviewed.yml"
    path.write_text("reviewed:\n  - {check: x, reviewed_by: me, date: 2022-06-01}\n")
    with pytest.raises(ValueError, match="review 1 has no reason"):
        load_reviews(path)


# Findings in the warehouse ---------------------------------------------------------------


def test_first_seen_survives_reruns_and_a_fixed_problem_is_resolved(con) -> None:
    first, second, third = datetime(2022, 5, 1), datetime(2022, 6, 1), datetime(2022, 7, 1)
    args = {"check_kind": "plausibility", "checks_run": ["change_beyond_band"]}
    record_findings(con, [finding()], **args, severities=RULES, reviews=[], now=first)
    outcome = record_findings(con, [finding()], **args, severities=RULES, reviews=[], now=second)
    key = finding().key
    assert key == "change_beyond_band|police__street_crimes|anti_social_behaviour_incidents|" + (
        "E07000111|2020/21|"
    )
    assert stored(con)[key][:3] == ("open", first, second)
    assert [f["finding_key"] for f in outcome.open_warnings] == [key]
    assert not outcome.passed

    outcome = record_findings(con, [], **args, severities=RULES, reviews=[], now=third)
    assert stored(con)[key][0] == "resolved" and outcome.passed
    record_findings(con, [finding()], **args, severities=RULES, reviews=[], now=third)
    assert stored(con)[key][:2] == ("open", first)
    runs = con.execute("select count(*), count(*) filter (where passed) from quality.check_runs")
    assert runs.fetchone() == (4, 1)


def test_a_reviewed_warning_is_explained_but_a_blocking_finding_stays_open(con) -> None:
    review = Review("COVID restrictions", "analyst", date(2022, 6, 1), match={"period": "2020/21"})
    negative = finding("count_negative")
    outcome = record_findings(
        con,
        [finding(), negative],
        check_kind="plausibility",
        checks_run=["change_beyond_band", "count_negative"],
        severities=RULES,
        reviews=[review],
    )
    assert stored(con)[finding().key][0] == "explained"
    assert stored(con)[finding().key][3] == "COVID restrictions"
    assert [f["finding_key"] for f in outcome.open_blocking] == [negative.key]
    assert [f["explanation"] for f in outcome.explained] == ["COVID restrictions"]


# Plausibility and consistency ------------------------------------------------------------


def measure_values(con, rows: list[tuple], catalogue: list[tuple]) -> None:
    """A small marts.measure_values and catalogue, shaped as dbt builds them."""
    con.execute("create schema marts; create schema reference")
    con.execute(
        "create table reference.measure_catalogue (measure_id varchar, measure_name varchar, "
        "unit varchar, statistical_method varchar, source_return varchar, lead_partner varchar)"
    )
    con.executemany("insert into reference.measure_catalogue values (?, ?, ?, ?, ?, ?)", catalogue)
    con.execute(
        "create table reference.areas as select * from (values "
        "('E07000111', 'Sevenoaks', true), ('E07000116', 'Tunbridge Wells', true), "
        "('E07000108', 'Dover', true)) as areas(area_code, area_name, is_kent_district)"
    )
    con.execute(
        """
        create table marts.measure_values (
            measure_value_key varchar, measure_id varchar, area_code varchar,
            area_name varchar, period_id varchar, period_type varchar, period_start date,
            numerator double, denominator double, value double, unit varchar,
            is_complete boolean, submission_ids integer[])
        """
    )
    con.executemany(
        """
        insert into marts.measure_values
        select ? || '|' || ? || '|' || ?, ?, ?, 'Sevenoaks', ?, ?, ?, ?, null, ?, ?, true, ?
        """,
        [(m, a, p, m, a, p, t, s, v, v, u, ids) for m, a, p, t, s, v, u, ids in rows],
    )


CATALOGUE = [
    (
        "anti_social_behaviour_incidents",
        "Anti-social behaviour incidents",
        "count",
        "poisson_count",
        "police__street_crimes",
        "Kent Police",
    ),
    (
        "ksi_fatal_casualties_local_roads",
        "People killed on local roads",
        "count",
        "none",
        "road_safety__ksi_casualties",
        "Kent County Council",
    ),
    (
        "waste_not_landfilled_pct",
        "Collected waste not sent to landfill",
        "percent",
        "proportion",
        "waste__tonnage_by_destination",
        "Sevenoaks District Council",
    ),
    (
        "household_recycling_rate",
        "Household recycling rate",
        "percent",
        "proportion",
        "waste__env18_collected_waste",
        "Defra",
    ),
]


def years(measure: str, values: dict[int, float], unit: str = "count", kind="financial_year"):
    rows = []
    for number, (year, value) in enumerate(sorted(values.items())):
        period = f"{year}/{(year + 1) % 100:02d}" if kind == "financial_year" else str(year)
        start = date(year, 4 if kind == "financial_year" else 1, 1)
        rows.append((measure, SEVENOAKS, period, kind, start, value, unit, [number + 1]))
    return rows


ASB = {2017: 1561, 2018: 1427, 2019: 1602, 2020: 2690, 2021: 1513, 2022: 1396, 2023: 1338}


def test_the_anti_social_behaviour_rise_is_a_warning_but_small_counts_are_not(con) -> None:
    ksi = years(
        "ksi_fatal_casualties_local_roads",
        {2017: 4, 2018: 2, 2019: 1, 2022: 3},
        kind="calendar_year",
    )
    measure_values(con, years("anti_social_behaviour_incidents", ASB) + ksi, CATALOGUE)
    config = plausibility.load_config()
    figures = plausibility.load_figures(con)
    changes = plausibility.change_beyond_band(figures, config)
    assert {(f.measure_id, f.period_id) for f in changes} == {
        ("anti_social_behaviour_incidents", "2020/21"),
        ("anti_social_behaviour_incidents", "2021/22"),
    }
    rise = next(f for f in changes if f.period_id == "2020/21")
    assert rise.message.startswith(
        "Anti-social behaviour incidents in Sevenoaks rose from 1,602 in 2019/20 to 2,690 in "
        "2020/21 (+68%)"
    )
    assert "statistically significant" in rise.message and rise.partner == "Kent Police"
    outliers = plausibility.outside_own_history(figures, config)
    assert [(f.measure_id, f.period_id) for f in outliers] == [
        ("anti_social_behaviour_incidents", "2020/21")
    ]
    assert load_severities().of(rise) == "warning"


def test_the_recycling_claim_contradicts_env18(con) -> None:
    measure_values(
        con,
        years("waste_not_landfilled_pct", {2021: 98.0}, "percent")
        + years("household_recycling_rate", {2017: 38.1}, "percent"),
        CATALOGUE,
    )
    (found,) = plausibility.figures_disagree(
        plausibility.load_figures(con), plausibility.load_config()
    )
    assert found.check_name == "claim_contradicts_source"
    assert 'present 98.0% of Sevenoaks\'s waste as "recycled or reused" (2021/22)' in found.message
    assert "household recycling rate of 38.1% for 2017/18" in found.message


def status_commentary(con, rows: list[tuple[str, str, str]]) -> None:
    """Accepted status returns with (ref, financial year, commentary), as ingestion loads them."""
    con.execute("create schema if not exists raw; create schema if not exists ledger")
    con.execute(
        "create table ledger.submissions as select 1 as submission_id, 'accepted' as status"
    )
    con.execute(
        "create table raw.status__key_success_measures "
        "(ref varchar, financial_year varchar, commentary varchar, submission_id integer)"
    )
    con.executemany("insert into raw.status__key_success_measures values (?, ?, ?, 1)", rows)


def test_the_recycling_claim_is_checked_only_in_the_years_it_was_made(con) -> None:
    measure_values(
        con,
        years("waste_not_landfilled_pct", {2019: 97.0, 2020: 98.0, 2021: 98.0}, "percent")
        + years("household_recycling_rate", {2017: 38.1}, "percent"),
        CATALOGUE,
    )
    status_commentary(
        con,
        [
            ("G4", "2019/20", "Recycling campaigns were promoted on social media."),
            ("G4", "2021/22", "98% of the district's waste recycled or reused."),
        ],
    )
    found = plausibility.figures_disagree(
        plausibility.load_figures(con), plausibility.load_config(), con
    )
    assert [f.period_id for f in found] == ["2021/22"]


def test_commentary_numbers_and_rank_streaks_are_checked_against_the_data(con) -> None:
    clients = [
        (
            "one_you_your_home_clients",
            "One You Your Home clients",
            "count",
            "poisson_count",
            "health__one_you",
            "Sevenoaks District Council",
        ),
    ]
    measure_values(
        con,
        years("one_you_your_home_clients", {2021: 180})
        + years("anti_social_behaviour_incidents", ASB),
        CATALOGUE + clients,
    )
    con.execute(
        "create table marts.measure_benchmarks as select * from (values "
        "('anti_social_behaviour_incidents', 'E07000111', '2019/20', date '2019-04-01', 2, 12), "
        "('anti_social_behaviour_incidents', 'E07000111', '2020/21', date '2020-04-01', 2, 12), "
        "('anti_social_behaviour_incidents', 'E07000111', '2021/22', date '2021-04-01', 3, 12)) "
        "as rows(measure_id, area_code, period_id, period_start, rank_from_lowest, "
        "districts_with_value)"
    )
    con.execute("alter table marts.measure_benchmarks add column value double default 1")
    status_commentary(
        con,
        [
            ("C2", "2021/22", "Appointments with 180 clients. Over the year, over 300 clients."),
            (
                "S3",
                "2021/22",
                "Third lowest, and no higher than second lowest over the last three years.",
            ),
        ],
    )
    found = plausibility.commentary_claims(
        con, plausibility.load_figures(con), plausibility.load_config()
    )
    said = {(f.measure_id, f.observed): f for f in found}
    assert set(said) == {
        ("one_you_your_home_clients", "over 300 clients"),
        (
            "anti_social_behaviour_incidents",
            "no higher than second lowest over the last three years",
        ),
    }
    streak = said[
        (
            "anti_social_behaviour_incidents",
            "no higher than second lowest over the last three years",
        )
    ]
    assert (
        streak.expected
        == "second lowest in 2019/20, second lowest in 2020/21, third lowest in 2021/22"
    )
    assert streak.check_name == "commentary_contradicts_data" and streak.period_id == "2021/22"


def test_a_resubmission_that_changes_a_figure_is_found_with_old_and_new_values(con) -> None:
    from pipelines import ledger

    ledger.ensure_ledger(con)
    for number in (1, 2):
        ledger.record(
            con,
            ledger.LedgerEntry(
                submission_id=number,
                source="police",
                return_name="police__street_crimes",
                partner="Kent Police",
                period="2019-05",
                period_start=date(2019, 5, 1),
                file_path=f"police/v{number}.csv",
                source_file=f"police/v{number}.csv",
                sha256=str(number),
                file_size_bytes=1,
                received_at=datetime(2022, 1, number),
                status=ledger.ACCEPTED,
            ),
        )
    measure_values(con, years("anti_social_behaviour_incidents", {2019: 1602}), CATALOGUE)
    assert plausibility.resubmission_changes(con, plausibility.load_figures(con)) == []
    ledger.supersede(
        con,
        return_name="police__street_crimes",
        period="2019-05",
        by_submission=2,
        at=datetime(2022, 1, 2),
    )
    con.execute("update marts.measure_values set value = 1610, submission_ids = [2]")
    (found,) = plausibility.resubmission_changes(con, plausibility.load_figures(con))
    assert (found.expected, found.observed) == ("1,602 (as first submitted)", "1,610")
    assert "police/v2.csv (submission 2) replaced police/v1.csv (submission 1)" in found.message
    assert "changed from 1,602 to 1,610" in found.message


def test_an_overdue_return_in_the_calendar_is_not_received(con) -> None:
    con.execute("create schema marts")
    con.execute(
        "create table marts.returns_calendar as select 'road_safety__ksi_casualties' as "
        "return_name, 'Kent County Council' as partner, null::varchar as partner_slug, "
        "'2020' as period_id, date '2021-01-01' as period_start, date '2021-06-29' as due_date, "
        "date '2022-06-29' as as_of_date, 'overdue' as submission_status"
    )
    (found,) = completeness.overdue_returns(con, "road_safety__ksi_casualties")
    assert found.message == (
        "Not received: Kent County Council has not sent the ksi casualties return for 2020. "
        "It was due on 29 June 2021 and is 365 days overdue (as of 29 June 2022)."
    )


# Broken examples, caught with an officer's message (Great Expectations) -------------------


def test_each_broken_example_is_caught_with_its_message(tmp_path: Path, con) -> None:
    from sample_data.police import write_police_returns

    raw = tmp_path / "raw"
    write_police_returns(raw, "2023-10", "2023-12")
    changed = write_broken_examples(raw)
    assert not (raw / "police/2023-11/2023-11-kent-street.csv").exists()
    assert len(changed) == 4
    specs = {spec.table: spec for spec in all_returns()}
    found: list[Finding] = []
    for table in ("road_safety__ksi_casualties", "council__partner_measures"):
        ingest_return(con, specs[table], raw)
        found += suites.validate_return(con, table).findings
    ingest_return(con, specs["police__street_crimes"], raw)
    found += completeness.missing_months(con, specs["police__street_crimes"])
    police = suites.validate_return(con, "police__street_crimes")
    assert police.submissions_validated and police.findings == []

    for example in BROKEN_EXAMPLES:
        caught = [
            f
            for f in found
            if f.check_name == example.check_name and example.message_contains in f.message
        ]
        assert caught, f"{example.name} not caught; found: {[f.message for f in found]}"
        assert caught[0].return_name == example.return_name
        assert example.path in caught[0].message or example.name == "month missing"
    negative = next(f for f in found if f.check_name == "count_negative")
    assert negative.message.startswith(
        "road_safety/ksi/KCC KSI casualties by district 2016.csv: 1 row with a value out of "
        "range in column 'casualties' (-3 at row 13); expected 0 or more. A number of "
        "casualties cannot be below zero."
    )
    assert negative.source_rows == "13"
    assert load_severities().of(negative) == "blocking"


# Export ---------------------------------------------------------------------------------


def test_each_partner_gets_a_csv_and_a_readable_page(tmp_path: Path, con) -> None:
    record_findings(
        con,
        [finding(), finding("count_negative", message="Row 11: -3 casualties", partner="KCC")],
        check_kind="plausibility",
        checks_run=["change_beyond_band"],
        severities=RULES,
        reviews=[],
    )
    con.close()
    written = export_partner_summaries(tmp_path / "warehouse.duckdb", tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "kcc.csv",
        "kcc.html",
        "kent-police.csv",
        "kent-police.html",
    ]
    page = (tmp_path / "out" / "kcc.html").read_text()
    assert "Publication is blocked" in page and "Row 11: -3 casualties" in page
    assert "<script" not in page and "http" not in page
    assert "ASB rose by 68%" in (tmp_path / "out" / "kent-police.csv").read_text()


def test_every_suite_file_is_valid_json_with_a_check_for_each_expectation() -> None:
    for path in sorted(settings.EXPECTATIONS_DIR.glob("*.json")):
        suite = json.loads(path.read_text())
        assert suite["name"] == path.stem
        for expectation in suite["expectations"]:
            assert expectation["type"].startswith("expect_"), path.name
            assert expectation["meta"].get("check"), f"{path.name}: {expectation['type']}"


def test_only_the_encoding_note_is_an_encoding_finding(tmp_path) -> None:
    """A ledger reason holds the parser's notes (aggregate rows skipped) beside the reader's;
    only a file read as Windows-1252 is an `encoding_not_utf8` warning, quoting that note."""
    from datetime import datetime

    import duckdb

    from pipelines import ledger
    from pipelines.quality.suites import reading_notes
    from pipelines.returns._reading import READ_AS_WINDOWS_1252

    encoding_note = f"a.csv is not UTF-8 (byte 0xE9 on line 3), so {READ_AS_WINDOWS_1252}"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ledger.ensure_ledger(con)
        for submission_id, reason in [
            (1, "2 aggregate rows skipped (Rest of England, London)"),
            (2, f"2 aggregate rows skipped; {encoding_note}"),
            (3, None),
        ]:
            ledger.record(
                con,
                ledger.LedgerEntry(
                    submission_id=submission_id,
                    source="housing",
                    return_name="housing__homelessness",
                    partner="MHCLG",
                    period="2019/20 Q1",
                    file_path=f"housing/{submission_id}.xlsx",
                    sha256=str(submission_id),
                    file_size_bytes=1,
                    received_at=datetime(2020, 1, 1),
                    status=ledger.ACCEPTED,
                    reason=reason,
                ),
            )
        found = reading_notes(con, "housing__homelessness")
    assert [(f.submission_id, f.message) for f in found] == [(2, encoding_note)]
