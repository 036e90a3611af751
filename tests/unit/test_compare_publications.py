"""bench/compare_publications.py: the check that a change left every published figure and
report sentence as it was, run on a small pair of publications and reports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import settings

SCRIPT = settings.REPO_ROOT / "bench" / "compare_publications.py"


@pytest.fixture(scope="module")
def compare():
    spec = importlib.util.spec_from_file_location("compare_publications", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def publication(path: Path, statements: str) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create schema marts; create schema reference; create schema quality;
            create schema publication;
            create table reference.areas as
                select * from (values ('E1', 'Sevenoaks'), ('E2', 'Dover'))
                as t(area_code, area_name);
            create table quality.findings (finding_key varchar, message varchar,
                first_seen_at timestamp);
            create table publication.publications (published_at timestamp);
            insert into publication.publications values (now());
            """
            + statements
        )
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    before = publication(
        tmp_path / "before.duckdb",
        """
        create table marts.measure_values as select * from (values
            ('a|E1|2021/22', 1.0::double, [1, 2]),
            ('b|E1|2021/22', 2.0, [3]),
            ('c|E1|2021/22', 5.0, [4])
        ) as t(measure_value_key, value, submission_ids);
        insert into quality.findings values
            ('k1', 'Not received: due 1 May and is 10 days overdue (as of 11 May 2025).',
             timestamp '2025-05-11 09:00');
        create table marts.measure_status as select 'p|S1|2021/22' as measure_status_key,
            'Achieved' as status;
        """,
    )
    after = publication(
        tmp_path / "after.duckdb",
        """
        create table marts.measure_values as select * from (values
            ('a|E1|2021/22', 1.0::double + 1e-12, [1, 2]), ('b|E1|2021/22', 3.0, [3])
        ) as t(measure_value_key, value, submission_ids);
        insert into quality.findings values
            ('k1', 'Not received: due 1 May and is 12 days overdue (as of 13 May 2025).',
             timestamp '2025-05-13 10:00');
        create table marts.measure_status as select 'p|S1|2021/22' as measure_status_key,
            'Achieved' as status, 1 as listed_order;
        create table marts.report_figures as select 1 as report_figure_key;
        """,
    )
    return before, after


def test_each_table_is_compared_by_key_within_the_tolerance(compare, pair) -> None:
    results = {r.table: r for r in compare.compare_warehouses(*pair)}
    assert "publication.publications" not in results
    values = results["marts.measure_values"]
    assert values.key == ["measure_value_key"]
    assert values.rows_removed == ["c|E1|2021/22"]
    assert values.values_changed == ["b|E1|2021/22 value: 2.0 -> 3.0"]
    assert results["reference.areas"].same
    assert results["quality.findings"].same, "run times and days overdue are left out"
    status = results["marts.measure_status"]
    assert status.columns_added == ["listed_order"] and status.only_added
    assert results["marts.report_figures"].rows_before is None
    assert results["marts.report_figures"].only_added


def test_the_script_fails_on_a_difference_and_passes_on_additions(compare, pair, capsys) -> None:
    before, after = pair
    assert compare.main([str(before), str(after)]) == 1
    printed = capsys.readouterr().out
    assert "b|E1|2021/22 value: 2.0 -> 3.0" in printed
    assert "marts.report_figures: added (1 rows)" in printed
    assert compare.main([str(before), str(before)]) == 0


PAGE = """<html><head><style>p {{ color: red; }}</style></head><body>
<h1>Report 2021/22</h1>
<p>During 2021/22 there were 7,056 crimes. Sevenoaks had the second lowest number.</p>
<figure><svg><text>drawn</text></svg><figcaption>The 12 Kent districts.</figcaption></figure>
{extra}
<footer>Warehouse published {day} May 2025 at 09:00. Report generated {day} May 2025.</footer>
</body></html>"""


def test_reports_are_compared_by_sentence_leaving_out_the_day(compare, tmp_path) -> None:
    first = tmp_path / "first.html"
    first.write_text(PAGE.format(extra="<p>A. B.</p>", day=1))
    same_later = tmp_path / "same.html"
    same_later.write_text(PAGE.format(extra="<p>A. B.</p>", day=2))
    reordered = tmp_path / "reordered.html"
    reordered.write_text(PAGE.format(extra="<p>B. A.</p>", day=1))
    changed = tmp_path / "changed.html"
    changed.write_text(PAGE.format(extra="<p>A. C.</p>", day=1))

    assert compare.report_sentences(first.read_text()) == [
        "Report 2021/22",
        "During 2021/22 there were 7,056 crimes.",
        "Sevenoaks had the second lowest number.",
        "The 12 Kent districts.",
        "A.",
        "B.",
    ]
    assert compare.compare_reports(first, same_later).same
    moved = compare.compare_reports(first, reordered)
    assert (moved.removed, moved.added, moved.moved) == ([], [], 1)
    different = compare.compare_reports(first, changed)
    assert (different.removed, different.added) == (["B."], ["C."])
