"""The quality gate on the sample, through the session's real Dagster run of the whole
sample: the returns KCC never sent, the recycling claim ENV18 contradicts, the anti-social
behaviour rise, and the claimed NEET rank the table contradicts are each found, with a note
beside the figure.

The findings are read from the sample warehouse every e2e test shares rather than from a
pipeline run of its own: the sample holds the same returns and police years, so a second
whole run (a minute or two) would prove nothing more."""

from __future__ import annotations

import duckdb

SEVENOAKS = "E07000111"


def test_the_sample_gives_the_known_findings(sample_warehouse) -> None:
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    with duckdb.connect(str(sample_warehouse.working), read_only=True) as con:
        found = con.execute(
            "select check_name, return_name, measure_id, area_code, period_id, severity, message "
            "from quality.findings where status = 'open'"
        ).fetchall()
        notes = dict(
            con.execute(
                "select measure_value_note_key, note from marts.measure_value_notes"
            ).fetchall()
        )
    keys = {row[:5]: row for row in found}
    for year in ("2020", "2021"):
        assert ("not_received", "road_safety__ksi_casualties", None, None, year) in keys
    recycling = (
        "claim_contradicts_source",
        "waste__tonnage_by_destination",
        "waste_not_landfilled_pct",
        SEVENOAKS,
        "2021/22",
    )
    assert "recycled or reused" in keys[recycling][6]
    asb = (
        "change_beyond_band",
        "police__street_crimes",
        "anti_social_behaviour_incidents",
        SEVENOAKS,
        "2020/21",
    )
    assert keys[asb][5] == "warning"
    assert "rose from 1,602 in 2019/20 to 2,690 in 2020/21" in keys[asb][6]
    assert "rose from 1,602" in notes[f"anti_social_behaviour_incidents|{SEVENOAKS}|2020/21"]
    neet = [row for row in found if row[0] == "claimed_rank_contradicts_table"]
    assert neet and "ranks Sevenoaks third lowest" in neet[0][6]
