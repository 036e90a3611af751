"""The intervals measure_values computes in SQL (dbt_project/macros/statistics.sql) are those
of pipelines/statistics.py, which the unit tests check against PHEindicatormethods."""

from __future__ import annotations

import math
import re

import duckdb
import pytest
from dbt_command import Dbt

from pipelines import settings, statistics

PROPORTIONS = [(0, 1), (1, 1), (3, 7), (50, 200), (999, 1000), (12_345, 67_890), (0, 15)]
COUNTS = [0, 1, 5, 9, 10, 11, 57, 1_234, 98_765.5]


CALLS = {
    (kind, side, confidence): (
        f"{{{{ wilson_limit('{side}', 'num', 'den', {confidence}, 'multiplier') }}}}"
        if kind == "wilson"
        else f"{{{{ byars_limit('{side}', 'count', {confidence}) }}}}"
    )
    for kind in ("wilson", "byars")
    for side in ("lower", "upper")
    for confidence in (0.95, 0.998)
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[tuple, str]:
    """The SQL each macro call compiles to, from one `dbt compile` (a parse takes seconds)."""
    folder = tmp_path_factory.mktemp("compile")
    dbt = Dbt(target_path=folder / "target", log_path=folder / "logs")
    keys = list(CALLS)
    listed = ",\n".join(f"{CALLS[key]} as limit_{n}_end" for n, key in enumerate(keys))
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv(settings.WAREHOUSE_ENV, str(folder / "working.duckdb"))
        output = dbt("--quiet", "compile", "--inline", f"select {listed}").strip()
    parts = re.split(r"\s+as limit_\d+_end,?", output.removeprefix("select"))
    return dict(zip(keys, parts[: len(keys)], strict=True))


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_wilson_and_byars_in_sql_match_python(compiled, confidence) -> None:
    limits = {
        (kind, side): compiled[kind, side, confidence]
        for kind in ("wilson", "byars")
        for side in ("lower", "upper")
    }
    with duckdb.connect() as con:
        for multiplier in (1, 100):
            for num, den in PROPORTIONS:
                found = [
                    con.execute(
                        f"select {limits['wilson', side]} from (select ?::double as num, "
                        "?::double as den, ?::double as multiplier)",
                        [num, den, multiplier],
                    ).fetchone()[0]
                    for side in ("lower", "upper")
                ]
                expected = statistics.wilson_interval(num, den, confidence, multiplier)
                assert found == pytest.approx(expected, rel=1e-12, abs=1e-12), (num, den)
        for count in COUNTS:
            found = [
                con.execute(
                    f"select {limits['byars', side]} from (select ?::double as count)", [count]
                ).fetchone()[0]
                for side in ("lower", "upper")
            ]
            expected = statistics.byars_interval(count, confidence)
            assert found == pytest.approx(expected, rel=1e-12, abs=1e-12), count
            assert not any(math.isnan(value) for value in found)
        nothing = con.execute(
            f"select {limits['wilson', 'lower']} from (select 3::double as num, "
            "0::double as den, 1::double as multiplier)"
        ).fetchone()[0]
        assert nothing is None
        with pytest.raises(duckdb.Error, match="numerator must be between zero and"):
            con.execute(
                f"select {limits['wilson', 'upper']} from (select 8::double as num, "
                "7::double as den, 1::double as multiplier)"
            ).fetchone()
