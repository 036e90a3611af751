"""The quality gate on the sample, through a real Dagster run: the returns KCC never sent,
the recycling claim ENV18 contradicts, the anti-social behaviour rise, and the claimed NEET
rank the table contradicts are each found, with a note beside the figure."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings
from pipelines.runner import run_pipeline
from sample_data import community, community_children, police, status, waste

SEVENOAKS = "E07000111"


def test_the_sample_gives_the_known_findings(workspace: Path) -> None:
    """Police for 2019/20 to 2021/22 and every other sample return through Dagster."""
    raw = workspace / "raw"
    police.write_police_returns(raw, "2019-04", "2022-03")
    for module in (community, community_children, status, waste):
        module.write_sample(raw)
    with dg.instance_for_test() as instance:
        result = run_pipeline(instance)
    assert result.success, result.failed_steps
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as con:
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
