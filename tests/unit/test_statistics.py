"""Tests for pipelines.statistics and the DuckDB functions built on it.

The confidence intervals are checked against the test data of the UKHSA R package
PHEindicatormethods, kept beside the project in ../shared/real/stats_methods. Every
literal expected limit in testdata_Byars_Wilson.xlsx, testdata_Proportion.xlsx and
testdata_Rate.xlsx is compared to a relative tolerance of 1e-6 (math.isclose with
rel_tol=1e-6, abs_tol=0: relative because the limits range from 0.001 to 137,651, so
one absolute tolerance would be meaningless for the small ones).

Some cells in those workbooks are Excel formulas. The workbooks are read twice with
openpyxl: with data_only=True for the values Excel cached when it last saved, and
without it for the formulas. A formula cell with a cached value is checked like a
literal. The inputs in testdata_Rate_g are SUMIFs over testdata_Rate; they are
re-evaluated from that sheet (and checked against the cached value). An expected cell
with a formula and no cached value would be reported as skipped, with its address.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pytest
from scipy import stats

from pipelines import settings
from pipelines.statistics import (
    binomial_two_sided_p,
    byars_interval,
    count_interval,
    exact_poisson_interval,
    poisson_change_significant,
    proportion_change_significant,
    rate_interval,
    suppress_small_count,
    wilson_interval,
)
from pipelines.warehouse_functions import FUNCTIONS, Plugin, register_functions

SHARED = settings.REPO_ROOT.parent / "shared"
STATS_METHODS = SHARED / "real" / "stats_methods"
MISSING_DATA = (
    "../shared/real/stats_methods not found: "
    "the UKHSA test data lives beside the project in ../shared"
)
WORKBOOKS = ("testdata_Byars_Wilson.xlsx", "testdata_Proportion.xlsx", "testdata_Rate.xlsx")
REL_TOL = 1e-6

# Column headings for the expected limits: a single pair with a 'confidence' column, or
# one pair per confidence level.
PAIRED_COLUMNS = {
    95.0: ("lower95_0cl", "upper95_0cl"),
    99.8: ("lower99_8cl", "upper99_8cl"),
}
SUMIF = re.compile(
    r"^=SUMIF\((?P<sheet>\w+)!\$A\$(?P<first>\d+):\$A\$(?P<last>\d+),"
    r"\w+!\$A\d+,\w+!(?P<column>[A-Z]+)\$\d+:[A-Z]+\$\d+\)$"
)


@dataclass(frozen=True)
class Expectation:
    """One row of a test sheet at one confidence level: inputs and expected limits."""

    where: str  # workbook/sheet!row, for failure messages
    kind: str  # 'Byars' | 'Wilson' (Byars_Wilson sheet), 'Proportion' or 'Rate'
    method: str | None  # the sheet's method column
    numerator: float | None
    denominator: float | None
    confidence: float  # as a percentage, as the sheets give it
    multiplier: float
    lower: float | None
    upper: float | None
    formula_only: tuple[tuple[str, str], ...] = ()  # (limit, address): formula, no value


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


class _Sheet:
    """A worksheet's cached values and formulas, addressed by row and heading."""

    def __init__(self, workbook: str, values: Any, formulas: Any) -> None:
        self.workbook = workbook
        self.title = values.title
        self.values = values
        self.formulas = formulas
        self.headings = [cell.value for cell in values[1]]

    def rows(self) -> range:
        return range(2, self.values.max_row + 1)

    def is_blank(self, row: int) -> bool:
        return all(cell.value is None for cell in self.values[row])

    def value(self, row: int, heading: str) -> Any:
        return self.values.cell(row, self.headings.index(heading) + 1).value

    def formula(self, row: int, heading: str) -> Any:
        value = self.formulas.cell(row, self.headings.index(heading) + 1).value
        return value if isinstance(value, str) and value.startswith("=") else None

    def address(self, row: int, heading: str | None = None) -> str:
        letter = ""
        if heading is not None:
            letter = self.values.cell(1, self.headings.index(heading) + 1).column_letter
        return f"{self.workbook}/{self.title}!{letter}{row}"


def _open(name: str) -> dict[str, _Sheet]:
    from openpyxl import load_workbook  # only needed when the test data are present

    path = STATS_METHODS / name
    values = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    return {title: _Sheet(name, values[title], formulas[title]) for title in values.sheetnames}


def _evaluate_sumif(formula: str, sheets: dict[str, _Sheet], area: str) -> float:
    """Evaluate the =SUMIF(sheet!$A$2:$A$17, this!$A2, sheet!B$2:B$17) inputs of _g sheets."""
    match = SUMIF.match(formula.replace(" ", ""))
    if match is None:
        raise ValueError(f"unexpected formula {formula!r}")
    source = sheets[match["sheet"]].values
    total = 0.0
    for row in range(int(match["first"]), int(match["last"]) + 1):
        if source[f"A{row}"].value == area:
            total += float(source[f"{match['column']}{row}"].value)
    return total


def _input(sheet: _Sheet, sheets: dict[str, _Sheet], row: int, heading: str) -> float | None:
    """An input cell: its value, or its SUMIF evaluated when Excel cached none."""
    value = sheet.value(row, heading)
    formula = sheet.formula(row, heading)
    if value is None and formula is not None:
        return _evaluate_sumif(formula, sheets, sheet.value(row, "Area"))
    return _number(value)


def _percent(text: str) -> float:
    return float(str(text).rstrip("%"))


def _expectations(workbook: str) -> list[Expectation]:
    """Every row of every sheet of a workbook, one Expectation per confidence level."""
    sheets = _open(workbook)
    found: list[Expectation] = []
    for sheet in sheets.values():
        for row in sheet.rows():
            if sheet.is_blank(row):
                continue
            if "x" in sheet.headings:  # testdata_B_W: x, n, lowercl, uppercl, confidence
                kind = sheet.value(row, "method")
                inputs = ("x", "n")
                multiplier = 1.0
            else:
                kind = "Rate" if "Rate" in sheet.title else "Proportion"
                inputs = ("Numerator", "Denominator")
                multiplier = float(sheet.value(row, "multiplier"))
            numerator, denominator = (_input(sheet, sheets, row, h) for h in inputs)
            if "confidence" in sheet.headings:
                levels = {_percent(sheet.value(row, "confidence")): ("lowercl", "uppercl")}
            else:
                levels = PAIRED_COLUMNS
            for confidence, headings in levels.items():
                limits = [_number(sheet.value(row, h)) for h in headings]
                formula_only = tuple(
                    (name, sheet.address(row, h))
                    for name, h, limit in zip(("lower", "upper"), headings, limits, strict=True)
                    if limit is None and sheet.formula(row, h) is not None
                )
                found.append(
                    Expectation(
                        where=f"{sheet.address(row)}@{confidence:g}%",
                        kind=kind,
                        method=sheet.value(row, "method"),
                        numerator=numerator,
                        denominator=denominator,
                        confidence=confidence,
                        multiplier=multiplier,
                        lower=limits[0],
                        upper=limits[1],
                        formula_only=formula_only,
                    )
                )
    return found


def _cases() -> list[Any]:
    if not STATS_METHODS.is_dir():
        return [pytest.param(None, id="no-test-data", marks=pytest.mark.skip(reason=MISSING_DATA))]
    return [
        pytest.param(expectation, id=expectation.where)
        for workbook in WORKBOOKS
        for expectation in _expectations(workbook)
    ]


CASES = _cases()
RATE_CASES = [param for param in CASES if param.values[0] is None or param.values[0].kind == "Rate"]


def _require_data() -> None:
    if not STATS_METHODS.is_dir():
        pytest.skip(MISSING_DATA)


def _calculate(case: Expectation) -> tuple[float | None, float | None]:
    """Our limits for a case, using the method the sheet names."""
    conf = case.confidence / 100
    if case.kind == "Byars":
        return byars_interval(case.numerator, conf)
    if case.kind in ("Wilson", "Proportion"):
        return wilson_interval(case.numerator, case.denominator, conf, case.multiplier)
    if case.kind == "Rate":
        return rate_interval(case.numerator, case.denominator, conf, case.multiplier)
    raise AssertionError(f"{case.where}: unknown method {case.kind!r}")


def _assert_close(actual: float | None, expected: float, label: str) -> None:
    assert actual is not None, f"{label}: expected {expected!r}, got None"
    assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=0), (
        f"{label}: expected {expected!r}, got {actual!r} "
        f"(relative error {abs(actual - expected) / abs(expected):.2e})"
    )


@pytest.mark.parametrize("case", CASES)
def test_matches_phe_test_data(case: Expectation) -> None:
    lower, upper = _calculate(case)
    inputs_missing = case.numerator is None or (case.kind != "Byars" and case.denominator is None)
    formula_only = {name for name, _ in case.formula_only}
    for name, expected, actual in (("lower", case.lower, lower), ("upper", case.upper, upper)):
        label = f"{case.where} {name}"
        if expected is not None:
            _assert_close(actual, expected, label)
        elif name in formula_only:
            continue  # listed, with its address, by test_no_expected_cell_is_formula_only
        elif inputs_missing:
            assert actual is None, f"{label}: inputs are missing, so expected None, got {actual}"
        else:
            # testdata_B_W leaves the 99.8% Byar's lower limit of x=1 blank: the formula
            # goes negative there, which is why count_interval uses exact limits below 10.
            assert case.kind == "Byars" and name == "lower", f"{label}: unexplained blank"
            assert actual is not None and actual < 0, f"{label}: expected negative, got {actual}"


@pytest.mark.parametrize("case", RATE_CASES)
def test_rate_method_column_follows_the_exact_below_10_rule(case: Expectation) -> None:
    """The Rate sheets say which method each row used; check that method directly too."""
    if case.numerator is None or case.denominator is None:
        assert case.lower is None and case.upper is None, case.where
        return
    assert case.method == ("Exact" if case.numerator < 10 else "Byars"), case.where
    method: Callable[..., tuple[float | None, float | None]] = (
        exact_poisson_interval if case.method == "Exact" else byars_interval
    )
    count_lower, count_upper = method(case.numerator, case.confidence / 100)
    scale = case.multiplier / case.denominator
    assert count_lower is not None and count_upper is not None
    if case.lower is not None:
        _assert_close(count_lower * scale, case.lower, f"{case.where} lower ({case.method})")
    if case.upper is not None:
        _assert_close(count_upper * scale, case.upper, f"{case.where} upper ({case.method})")


def test_every_literal_expected_number_is_checked() -> None:
    """Count the numbers in the expected columns independently of the loader."""
    _require_data()
    from openpyxl import load_workbook

    limit_headings = {"lowercl", "uppercl", *(h for pair in PAIRED_COLUMNS.values() for h in pair)}
    in_files = 0
    sheets_seen = set()
    for name in WORKBOOKS:
        workbook = load_workbook(STATS_METHODS / name, data_only=True)
        for sheet in workbook.worksheets:
            sheets_seen.add(sheet.title)
            headings = [cell.value for cell in sheet[1]]
            for row in sheet.iter_rows(min_row=2, values_only=True):
                in_files += sum(
                    isinstance(value, int | float)
                    for heading, value in zip(headings, row, strict=False)
                    if heading in limit_headings
                )
    checked = sum(
        (case.lower is not None) + (case.upper is not None)
        for param in CASES
        for case in param.values
    )
    assert sheets_seen == {
        "testdata_B_W",
        "testdata_Prop",
        "testdata_Prop_g",
        "testdata_Rate",
        "testdata_Rate_g",
    }
    assert checked == in_files
    assert checked >= 191  # the count in the files as supplied


def test_no_expected_cell_is_formula_only() -> None:
    """test_matches_phe_test_data passes over an expected limit that is a formula Excel saved
    without its value, so such a cell would be a limit nobody checks: it fails here instead."""
    _require_data()
    formula_only = [address for param in CASES for _, address in param.values[0].formula_only]
    assert formula_only == [], f"formula cells with no cached value, not checked: {formula_only}"


def test_sumif_inputs_evaluate_to_their_cached_values() -> None:
    """The _g sheets' SUMIF inputs: our evaluator agrees with what Excel cached."""
    _require_data()
    checked = 0
    for name in WORKBOOKS:
        sheets = _open(name)
        for sheet in sheets.values():
            for row in sheet.rows():
                for heading in ("Numerator", "Denominator"):
                    if heading not in sheet.headings:
                        continue
                    formula = sheet.formula(row, heading)
                    cached = sheet.value(row, heading)
                    if formula is None or cached is None:
                        continue
                    area = sheet.value(row, "Area")
                    assert _evaluate_sumif(formula, sheets, area) == cached, sheet.address(row)
                    checked += 1
    assert checked > 0


# --- intervals: edge cases --------------------------------------------------------------


@pytest.mark.parametrize("value", [None, float("nan")])
def test_missing_inputs_give_no_interval(value: float | None) -> None:
    assert wilson_interval(value, 100) == (None, None)
    assert wilson_interval(5, value) == (None, None)
    assert byars_interval(value) == (None, None)
    assert exact_poisson_interval(value) == (None, None)
    assert count_interval(value) == (None, None)
    assert rate_interval(value, 1000) == (None, None)
    assert rate_interval(5, value) == (None, None)


def test_zero_denominator_gives_no_interval() -> None:
    assert wilson_interval(0, 0) == (None, None)
    assert rate_interval(3, 0) == (None, None)


@pytest.mark.parametrize(
    "call",
    [
        lambda: wilson_interval(-1, 10),
        lambda: wilson_interval(11, 10),
        lambda: wilson_interval(1, -10),
        lambda: byars_interval(-1),
        lambda: exact_poisson_interval(-1),
        lambda: rate_interval(5, -100),
        lambda: wilson_interval(5, 10, confidence=1),
        lambda: wilson_interval(5, 10, confidence=0),
    ],
)
def test_impossible_inputs_raise(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


def test_zero_count() -> None:
    lower, upper = exact_poisson_interval(0)
    assert lower == 0
    assert upper == pytest.approx(-math.log(0.025))  # 3.689, the textbook value
    assert count_interval(0) == exact_poisson_interval(0)
    assert byars_interval(0)[0] == 0
    assert wilson_interval(0, 50)[0] == 0


def test_count_interval_switches_to_byars_at_10() -> None:
    assert count_interval(9) == exact_poisson_interval(9)
    assert count_interval(10) == byars_interval(10)
    assert count_interval(10) != exact_poisson_interval(10)


def test_confidence_as_fraction_or_percentage() -> None:
    assert wilson_interval(5, 20, 99.8) == wilson_interval(5, 20, 0.998)
    assert count_interval(5, 95) == count_interval(5, 0.95)


def test_percentage_is_the_proportion_times_100() -> None:
    lower, upper = wilson_interval(30, 120)
    lower_pct, upper_pct = wilson_interval(30, 120, multiplier=100)
    assert lower_pct == pytest.approx(lower * 100)
    assert upper_pct == pytest.approx(upper * 100)


# --- significance of change ---------------------------------------------------------------


def _two_sided_binomial_p(k: int, n: int) -> float:
    """Exact two-sided p for Binomial(n, 0.5), written out independently of scipy."""
    tail = sum(math.comb(n, i) for i in range(max(k, n - k), n + 1)) / 2**n
    return min(1.0, 2 * tail)


def test_poisson_change_clear_cases() -> None:
    assert poisson_change_significant(30, 10) is True
    assert poisson_change_significant(10, 30) is True
    assert poisson_change_significant(12, 10) is False
    assert poisson_change_significant(100, 100) is False


def test_poisson_change_agrees_with_hand_calculated_exact_test() -> None:
    for now, before in [(30, 10), (20, 10), (25, 12), (7, 1), (3, 0), (50, 49)]:
        p = _two_sided_binomial_p(now, now + before)
        assert poisson_change_significant(now, before) is (p < 0.05), (now, before, p)


@pytest.mark.parametrize("share", [0.5, 0.3, 0.8])
def test_binomial_p_value_is_scipys_binomtest(share: float) -> None:
    """The fast exact test gives binomtest's p-value on both sides of the mode, at the
    tails, at the mode, and for district-sized and Kent-sized totals."""
    for n in (1, 2, 9, 40, 333, 7056, 28000):
        for k in sorted({0, 1, n // 3, round(share * n), n // 2, n - 1, n}):
            expected = stats.binomtest(k, n, share).pvalue
            assert binomial_two_sided_p(k, n, share) == pytest.approx(
                expected, rel=1e-8, abs=1e-300
            ), (k, n, share)


def test_poisson_change_confidence_level() -> None:
    # 25 v 10: p = 0.017, significant at 95% but not at 99.8%.
    assert poisson_change_significant(25, 10, 0.95) is True
    assert poisson_change_significant(25, 10, 0.998) is False


def test_poisson_change_with_exposures() -> None:
    # Twice the count in twice the population is no change in the rate...
    assert poisson_change_significant(40, 20, exposure_now=2000, exposure_before=1000) is False
    # ...but with equal populations it is.
    assert poisson_change_significant(40, 20) is True
    assert poisson_change_significant(40, 20, exposure_now=1000, exposure_before=1000) is True
    with pytest.raises(ValueError):
        poisson_change_significant(40, 20, exposure_now=1000)


def test_poisson_change_missing_and_empty() -> None:
    assert poisson_change_significant(None, 10) is None
    assert poisson_change_significant(10, float("nan")) is None
    assert poisson_change_significant(0, 0) is False


def test_proportion_change_clear_cases() -> None:
    assert proportion_change_significant(60, 100, 40, 100) is True
    assert proportion_change_significant(40, 100, 60, 100) is True
    assert proportion_change_significant(52, 100, 48, 100) is False
    assert proportion_change_significant(5200, 10000, 4800, 10000) is True


def test_proportion_change_matches_chi_square_without_correction() -> None:
    for a, n1, b, n2 in [(60, 100, 40, 100), (52, 100, 48, 100), (30, 250, 45, 260)]:
        table = [[a, n1 - a], [b, n2 - b]]
        p = stats.chi2_contingency(table, correction=False).pvalue
        assert proportion_change_significant(a, n1, b, n2) is bool(p < 0.05)


def test_proportion_change_confidence_level() -> None:
    # 60% v 40% of 100: z = 2.83, p = 0.005.
    assert proportion_change_significant(60, 100, 40, 100, 0.95) is True
    assert proportion_change_significant(60, 100, 40, 100, 0.998) is False


def test_proportion_change_missing_and_degenerate() -> None:
    assert proportion_change_significant(None, 100, 40, 100) is None
    assert proportion_change_significant(60, 0, 40, 100) is None
    assert proportion_change_significant(0, 100, 0, 80) is False
    assert proportion_change_significant(100, 100, 80, 80) is False
    with pytest.raises(ValueError):
        proportion_change_significant(120, 100, 40, 100)


# --- suppression --------------------------------------------------------------------------


def test_suppression() -> None:
    note = "Value suppressed: based on a count below 5"
    assert suppress_small_count(12.5, 4) == (None, note)
    assert suppress_small_count(12.5, 0) == (None, note)
    assert suppress_small_count(12.5, 5) == (12.5, None)
    assert suppress_small_count(None, 3) == (None, note)


def test_suppression_threshold_is_configurable() -> None:
    assert suppress_small_count(1.0, 7, threshold=10) == (
        None,
        "Value suppressed: based on a count below 10",
    )
    assert suppress_small_count(1.0, 7, threshold=3) == (1.0, None)


def test_suppression_without_a_count_keeps_the_value() -> None:
    assert suppress_small_count(8.0, None) == (8.0, None)
    assert suppress_small_count(8.0, float("nan")) == (8.0, None)


# --- DuckDB functions ----------------------------------------------------------------------


def test_register_functions_makes_sql_functions_usable() -> None:
    conn = register_functions(duckdb.connect())
    row = conn.sql(
        """
        select
            ci_wilson_lower(65, 100, 0.95, 100),
            ci_wilson_upper(65, 100, 0.95, 100),
            ci_count_lower(5, 0.95),
            ci_count_upper(65, 0.998),
            poisson_change_significant(30, 10, 0.95),
            poisson_change_significant(12, 10, 0.95),
            rate_change_significant(40, 20, 2000, 1000, 0.95),
            proportion_change_significant(60, 100, 40, 100, 0.95),
            proportion_change_significant(52, 100, 48, 100, 0.95)
        """
    ).fetchone()
    assert row is not None
    assert row[0] == pytest.approx(55.25444329688797)
    assert row[1] == pytest.approx(73.63575175690247)
    assert row[2] == pytest.approx(1.6234864)  # Garwood: chi2(0.025, 10 df) / 2
    assert row[3] == pytest.approx(94.00029084431802)
    assert row[4:] == (True, False, False, True, False)


def test_sql_functions_null_in_null_out() -> None:
    conn = register_functions(duckdb.connect())
    row = conn.sql(
        """
        select
            ci_wilson_lower(null, 100, 0.95, 1),
            ci_wilson_upper(5, null, 0.95, 1),
            ci_wilson_lower(0, 0, 0.95, 1),
            ci_count_lower(null, 0.95),
            ci_count_upper(5, null),
            poisson_change_significant(null, 10, 0.95),
            rate_change_significant(40, 20, null, 1000, 0.95),
            proportion_change_significant(60, 0, 40, 100, 0.95)
        """
    ).fetchone()
    assert row == (None,) * 8


def test_sql_functions_over_a_table() -> None:
    conn = register_functions(duckdb.connect())
    conn.execute(
        "create table t as select * from (values (1, 100), (20, 100), (null, 100)) v(n, d)"
    )
    result = conn.sql(
        "select n, ci_count_lower(n, 0.95) * 100000 / d, ci_count_upper(n, 0.95) * 100000 / d "
        "from t order by n nulls last"
    ).fetchall()
    expected = [rate_interval(n, 100, 0.95) for n in (1, 20)]
    for (_, lower, upper), (want_lower, want_upper) in zip(result[:2], expected, strict=True):
        assert lower == pytest.approx(want_lower)
        assert upper == pytest.approx(want_upper)
    assert result[2] == (None, None, None)


def test_register_functions_is_idempotent() -> None:
    conn = duckdb.connect()
    register_functions(conn)
    register_functions(conn)
    assert conn.sql("select ci_count_upper(0, 0.95)").fetchone() == (
        pytest.approx(-math.log(0.025)),
    )


def test_dbt_plugin_registers_the_functions() -> None:
    """Load the plugin the way dbt-duckdb does, from the module named in profiles.yml."""
    from dbt.adapters.duckdb.plugins import BasePlugin

    plugin = BasePlugin.create("pipelines.warehouse_functions", config={})
    assert isinstance(plugin, Plugin)
    conn = duckdb.connect()
    plugin.configure_connection(conn)
    names = {
        row[0]
        for row in conn.sql(
            "select function_name from duckdb_functions() where function_type = 'scalar'"
        ).fetchall()
    }
    assert set(FUNCTIONS) <= names
