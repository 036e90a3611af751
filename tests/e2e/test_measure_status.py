"""The statuses and the plan summary say what the monitoring reports say, read from the whole
sample pipeline run once per session: 2019/20 has 26 of 27 measures achieved or on target
(KSI on local roads rose from 47 to 59), 2021/22 has 25 of 26 achieved and one missing (KCC
sent no KSI data).
"""

from __future__ import annotations

import duckdb


def test_statuses_and_summary_match_the_reports(sample_warehouse) -> None:
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    with duckdb.connect(str(sample_warehouse.working), read_only=True) as con:
        statuses = {
            (year, ref): (status, rule, period, value, previous)
            for year, ref, status, rule, period, value, previous in con.execute(
                """
                select report_year, ref, status, status_rule, period_used, value, previous_value
                from marts.measure_status
                where plan = 'community_plan_2019_22'
                """
            ).fetchall()
        }
        summary = {
            year: row
            for year, *row in con.execute(
                """
                select report_year, measures, achieved, on_target, information_not_received,
                    achieved_pct, achieved_or_on_target_pct, missing_pct
                from marts.theme_summary
                where plan = 'community_plan_2019_22' and theme = 'All'
                """
            ).fetchall()
        }
        untraced = con.execute(
            """
            select count(*) from marts.measure_status
            where status != 'Information not received' and len(submission_ids) = 0
            """
        ).fetchone()[0]

    # 2019/20: 96% achieved or on target; S4 Not achieved (KSI 59 in 2019 against 47 in 2018).
    in_2019 = {ref: status for (year, ref), status in statuses.items() if year == "2019/20"}
    assert len(in_2019) == 27
    assert in_2019["S4"] == ("Not achieved", "direction", "2019", 59, 47)
    assert [ref for ref, s in in_2019.items() if s[0] not in ("Achieved", "On target")] == ["S4"]
    measures, _, _, missing, _, achieved_or_on_target_pct, _ = summary["2019/20"]
    assert (measures, missing, round(achieved_or_on_target_pct)) == (27, 0, 96)

    # 2021/22: 96% achieved, the other 4% one measure a partner sent no data for (KSI).
    in_2021 = {ref: status for (year, ref), status in statuses.items() if year == "2021/22"}
    assert len(in_2021) == 26
    assert in_2021["S4"][:3] == ("Information not received", "return not received", "2021")
    assert in_2021["S2"][:2] == ("Achieved", "rank in county")
    assert in_2021["S3"][:2] == ("Achieved", "rank in county")
    assert [ref for ref, s in in_2021.items() if s[0] != "Achieved"] == ["S4"]
    measures, achieved, _, missing, achieved_pct, _, missing_pct = summary["2021/22"]
    assert (measures, achieved, missing) == (26, 25, 1)
    assert (round(achieved_pct), round(missing_pct)) == (96, 4)

    # Every status judged on evidence names the submissions it came from.
    assert untraced == 0
