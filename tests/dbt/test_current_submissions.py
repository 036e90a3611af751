"""Only rows of current accepted submissions reach the models.

A police month is accepted with a row whose crime type is empty (the parser cannot tell a
cut-off row from a real one), then the force sends the corrected file. The bad row stays in
the raw table for history, but it must reach neither staging nor a mart, and the staging
test that would have caught it (crime type not null) must pass: a corrected file always
unblocks the build.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from dbt_command import Dbt
from factories import police_month_file

from pipelines import settings
from pipelines.ingest import ingest_return
from pipelines.returns.police_street import RETURN as POLICE_RETURN


def test_a_corrected_file_keeps_the_bad_row_it_replaces_out_of_every_model(
    workspace: Path, dbt: Dbt
) -> None:
    raw = workspace / "raw"
    month = police_month_file(raw, "2019-04", crimes=3)
    bad_row = "idX,2019-04,Kent Police,Kent Police,0.1,51.3,On or near A Road,E01024473,"
    bad_row += "Sevenoaks 003B,,,"
    month.write_text(month.read_text() + bad_row + "\n")
    warehouse = settings.warehouse_path()
    with duckdb.connect(str(warehouse)) as con:
        first = ingest_return(con, POLICE_RETURN, raw)
    assert first.accepted == [1] and first.rows_loaded == 4

    police_month_file(raw, "2019-04", crimes=3)
    with duckdb.connect(str(warehouse)) as con:
        correction = ingest_return(con, POLICE_RETURN, raw)
        empty_types_kept = con.execute(
            "select submission_id, source_row from raw.police__street_crimes "
            "where crime_type is null"
        ).fetchall()
    assert correction.accepted == [2] and correction.superseded == [1]
    assert empty_types_kept == [(1, 5)]

    dbt(
        "build",
        "--select",
        "+street_crime_allocation",
        "+measure_values",
        "--indirect-selection",
        "cautious",
        "--vars",
        "{measure_contributions: [int_measure_values__police]}",
    )

    with duckdb.connect(str(warehouse), read_only=True) as con:
        staged = con.execute(
            "select submission_id, count(*), count(crime_type) "
            "from staging.stg_police__street_crimes group by submission_id"
        ).fetchall()
        allocated = con.execute(
            "select sum(record_count), min(submission_id), max(submission_id) "
            "from marts.street_crime_allocation"
        ).fetchone()
        measure_submissions = con.execute(
            "select distinct unnest(submission_ids) from marts.measure_values"
        ).fetchall()
    assert staged == [(2, 3, 3)]
    assert allocated == (3, 2, 2)
    assert measure_submissions == [(2,)]
