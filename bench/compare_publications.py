"""Compare two publications of the warehouse, and two reports made from them, to show that a
change to the code left every published figure, status and report sentence as it was.

    python bench/compare_publications.py BEFORE.duckdb AFTER.duckdb \
        [--report BEFORE.html AFTER.html ...] [--tolerance 1e-9] [--show 10]

Every table of the marts, reference and quality schemas is compared row by row, matched on
its key (a `*_key` column, else the fewest leading columns that are unique in both files,
else the whole row), floats within the tolerance. Columns that record when a run happened
(timestamps, `as_of_date`, `duration_seconds`) and the "N days overdue (as of ...)" in
findings' messages are left out: they differ between any two runs. A report is compared by
its sentences, leaving out those that name the day it was made. Tables and columns only in
the second file are listed as additions; anything else is a difference, and the exit status
is 1 when there is one.
"""

from __future__ import annotations

import argparse
import difflib
import html
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

SCHEMAS = ("marts", "reference", "quality")
RUN_COLUMNS = {"as_of_date", "duration_seconds"}
RUN_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE")
OVERDUE = re.compile(r"\d[\d,]* days overdue \(as of [^)]*\)")
DATED_SENTENCE = re.compile(r"days overdue|\bas of \d|Warehouse published|Report generated")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£(“\"])")


@dataclass
class TableComparison:
    """What differs in one table between the two publications."""

    table: str
    rows_before: int | None
    rows_after: int | None
    columns_removed: list[str] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    rows_removed: list[str] = field(default_factory=list)
    rows_added: list[str] = field(default_factory=list)
    values_changed: list[str] = field(default_factory=list)

    @property
    def only_added(self) -> bool:
        """The table, or some of its columns, is new; nothing published before changed."""
        return (
            not self.columns_removed
            and not self.rows_removed
            and not self.rows_added
            and not self.values_changed
            and (self.rows_before is None or self.columns_added != [])
        )

    @property
    def same(self) -> bool:
        return (
            self.rows_before is not None
            and self.rows_after is not None
            and not (
                self.columns_removed
                or self.columns_added
                or self.rows_removed
                or self.rows_added
                or self.values_changed
            )
        )


def same_value(before: object, after: object, tolerance: float) -> bool:
    """Equal, with numbers within `tolerance` (relative or absolute) and lists compared
    element by element."""
    if isinstance(before, Decimal):
        before = float(before)
    if isinstance(after, Decimal):
        after = float(after)
    if isinstance(before, float) or isinstance(after, float):
        if not isinstance(before, int | float) or not isinstance(after, int | float):
            return False
        if math.isnan(before) and math.isnan(after):
            return True
        return math.isclose(before, after, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(before, list | tuple) and isinstance(after, list | tuple):
        return len(before) == len(after) and all(
            same_value(b, a, tolerance) for b, a in zip(before, after, strict=True)
        )
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(
            same_value(before[k], after[k], tolerance) for k in before
        )
    return before == after


def _sort_key(row: tuple) -> tuple:
    """Rows in a stable order whatever their types, floats rounded so that rows within the
    tolerance sort together."""

    def part(value: object) -> tuple:
        if value is None:
            return (0, "")
        if isinstance(value, bool):
            return (1, str(value))
        if isinstance(value, int | float | Decimal):
            return (2, f"{float(value):.6e}")
        if isinstance(value, date | datetime):
            return (3, value.isoformat())
        return (4, repr(value))

    return tuple(part(v) for v in row)


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Every table and view of the compared schemas, with its columns and their types."""
    schemas = ", ".join(f"'{s}'" for s in SCHEMAS)
    found: dict[str, dict[str, str]] = {}
    for schema, table, column, data_type in con.execute(
        f"""
        select table_schema, table_name, column_name, data_type
        from information_schema.columns
        where table_schema in ({schemas})
        order by table_schema, table_name, ordinal_position
        """
    ).fetchall():
        found.setdefault(f"{schema}.{table}", {})[column] = data_type
    return found


def _compared_columns(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [
        c
        for c, t in before.items()
        if c in after and c not in RUN_COLUMNS and t not in RUN_TYPES and after[c] not in RUN_TYPES
    ]


def _rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> list[tuple]:
    listed = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f"select {listed} from {table}").fetchall()
    return [tuple(OVERDUE.sub("…", v) if isinstance(v, str) else v for v in row) for row in rows]


def _key(columns: list[str], before: list[tuple], after: list[tuple]) -> list[int]:
    """Positions of the key columns: a `*_key` column, else the fewest leading columns
    unique in both; empty when no key is unique (the rows are compared as a whole)."""

    def unique(positions: list[int]) -> bool:
        return all(
            len({tuple(row[p] for p in positions) for row in rows}) == len(rows)
            for rows in (before, after)
        )

    named = [i for i, c in enumerate(columns) if c.endswith("_key")]
    if named and unique(named[:1]):
        return named[:1]
    for width in range(1, min(len(columns), 4) + 1):
        if unique(list(range(width))):
            return list(range(width))
    return []


def _shown(key: tuple) -> str:
    return "|".join("" if v is None else str(v) for v in key)


def compare_table(
    table: str,
    before_con: duckdb.DuckDBPyConnection,
    after_con: duckdb.DuckDBPyConnection,
    before_columns: dict[str, str],
    after_columns: dict[str, str],
    tolerance: float,
) -> TableComparison:
    columns = _compared_columns(before_columns, after_columns)
    before = _rows(before_con, table, columns)
    after = _rows(after_con, table, columns)
    result = TableComparison(
        table,
        len(before),
        len(after),
        columns_removed=[c for c in before_columns if c not in after_columns],
        columns_added=[c for c in after_columns if c not in before_columns],
    )
    positions = _key(columns, before, after)
    result.key = [columns[p] for p in positions]
    if not positions:
        before, after = sorted(before, key=_sort_key), sorted(after, key=_sort_key)
        if len(before) != len(after):
            counts_before, counts_after = Counter(before), Counter(after)
            result.rows_removed = [repr(r) for r in (counts_before - counts_after).elements()]
            result.rows_added = [repr(r) for r in (counts_after - counts_before).elements()]
            return result
        for number, (b, a) in enumerate(zip(before, after, strict=True), start=1):
            for column, old, new in zip(columns, b, a, strict=True):
                if not same_value(old, new, tolerance):
                    change = f"row {number} (sorted) {column}: {old!r} -> {new!r}"
                    result.values_changed.append(change)
        return result
    by_key_before = {tuple(r[p] for p in positions): r for r in before}
    by_key_after = {tuple(r[p] for p in positions): r for r in after}
    result.rows_removed = [_shown(k) for k in by_key_before if k not in by_key_after]
    result.rows_added = [_shown(k) for k in by_key_after if k not in by_key_before]
    for key, old_row in by_key_before.items():
        new_row = by_key_after.get(key)
        if new_row is None:
            continue
        for column, old, new in zip(columns, old_row, new_row, strict=True):
            if not same_value(old, new, tolerance):
                result.values_changed.append(f"{_shown(key)} {column}: {old!r} -> {new!r}")
    return result


def compare_warehouses(before: Path, after: Path, tolerance: float = 1e-9) -> list[TableComparison]:
    """Every table of the compared schemas in either file, compared."""
    with (
        duckdb.connect(str(before), read_only=True) as before_con,
        duckdb.connect(str(after), read_only=True) as after_con,
    ):
        tables_before, tables_after = _tables(before_con), _tables(after_con)
        results = []
        for table in sorted(set(tables_before) | set(tables_after)):
            if table not in tables_after:
                (count,) = before_con.execute(f"select count(*) from {table}").fetchone()
                results.append(TableComparison(table, count, None))
            elif table not in tables_before:
                (count,) = after_con.execute(f"select count(*) from {table}").fetchone()
                results.append(
                    TableComparison(table, None, count, columns_added=list(tables_after[table]))
                )
            else:
                results.append(
                    compare_table(
                        table,
                        before_con,
                        after_con,
                        tables_before[table],
                        tables_after[table],
                        tolerance,
                    )
                )
        return results


def report_sentences(page: str) -> list[str]:
    """The report's text as sentences in reading order, without styles, charts' drawing or
    the sentences that name the day the report or the publication was made."""
    page = re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    sentences = []
    for block in text.split("\n"):
        block = " ".join(block.split())
        for sentence in SENTENCE_END.split(block):
            if sentence and not DATED_SENTENCE.search(sentence):
                sentences.append(sentence)
    return sentences


@dataclass
class ReportComparison:
    before: Path
    after: Path
    sentences: int
    removed: list[str]
    added: list[str]
    moved: int

    @property
    def same(self) -> bool:
        return not self.removed and not self.added and not self.moved


def compare_reports(before: Path, after: Path) -> ReportComparison:
    """Sentences only in one report, and how many shared sentences changed place."""
    old = report_sentences(before.read_text(encoding="utf-8"))
    new = report_sentences(after.read_text(encoding="utf-8"))
    counts_old, counts_new = Counter(old), Counter(new)
    removed = list((counts_old - counts_new).elements())
    added = list((counts_new - counts_old).elements())
    kept_old = [s for s in old if s in counts_new]
    kept_new = [s for s in new if s in counts_old]
    matcher = difflib.SequenceMatcher(a=kept_old, b=kept_new, autojunk=False)
    moved = len(kept_old) - sum(block.size for block in matcher.get_matching_blocks())
    return ReportComparison(before, after, len(old), removed, added, moved)


def describe(results: list[TableComparison], reports: list[ReportComparison], show: int) -> str:
    lines = []
    for result in results:
        if result.rows_after is None:
            lines.append(f"{result.table}: only in the first file ({result.rows_before} rows)")
            continue
        if result.rows_before is None:
            lines.append(f"{result.table}: added ({result.rows_after} rows)")
            continue
        keyed = f" by {', '.join(result.key)}" if result.key else " as whole rows"
        if result.same:
            lines.append(f"{result.table}: same ({result.rows_before} rows{keyed})")
            continue
        lines.append(f"{result.table}: {result.rows_before} -> {result.rows_after} rows{keyed}")
        for label, items in (
            ("columns only in the first file", result.columns_removed),
            ("columns added", result.columns_added),
            ("rows only in the first file", result.rows_removed),
            ("rows only in the second file", result.rows_added),
            ("values changed", result.values_changed),
        ):
            if items:
                lines.append(f"  {label} ({len(items)}):")
                lines += [f"    {item}" for item in items[:show]]
                if len(items) > show:
                    lines.append(f"    ... and {len(items) - show} more")
    for report in reports:
        name = f"{report.before.name} -> {report.after.name}"
        if report.same:
            lines.append(f"report {name}: same {report.sentences} sentences")
            continue
        lines.append(f"report {name}: {report.sentences} sentences before")
        for label, items in (("only before", report.removed), ("only after", report.added)):
            if items:
                lines.append(f"  sentences {label} ({len(items)}):")
                lines += [f"    {item}" for item in items[:show]]
                if len(items) > show:
                    lines.append(f"    ... and {len(items) - show} more")
        if report.moved:
            lines.append(f"  {report.moved} shared sentences in another place")
    return "\n".join(lines)


def differs(results: list[TableComparison], reports: list[ReportComparison]) -> bool:
    """True when something published before is changed or gone (additions do not count)."""
    return any(not (r.same or r.only_added) for r in results) or any(not r.same for r in reports)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--report",
        nargs=2,
        action="append",
        type=Path,
        default=[],
        metavar=("BEFORE_HTML", "AFTER_HTML"),
    )
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--show", type=int, default=10, help="differences listed per table")
    args = parser.parse_args(argv)
    results = compare_warehouses(args.before, args.after, args.tolerance)
    reports = [compare_reports(before, after) for before, after in args.report]
    print(describe(results, reports, args.show))
    return 1 if differs(results, reports) else 0


if __name__ == "__main__":
    sys.exit(main())
