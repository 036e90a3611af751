"""Plausibility and consistency of the figures in `marts.measure_values`.

A figure can pass every check on its file and still be wrong: a month double counted, a
district's return keyed into the wrong year, a claim in a report that the data do not bear
out. The checks here compare each figure with what it should resemble:

- `change_beyond_band`: the change from the previous period of the same kind is beyond the
  measure's band *and*, where the measure has counts, statistically significant (exact
  Poisson test for counts, two-proportion test for percentages), so small counts that jump
  by chance are not flagged;
- `outside_own_history`: far from the measure's own history for the area (robust z-score,
  median and MAD, with Poisson noise as the floor for counts);
- `parts_do_not_add_up`: parts that exceed or do not sum to their total;
- `same_figure_differs` / `claim_contradicts_source`: one figure reported two ways, or a
  claim that another source contradicts;
- `claimed_rank_contradicts_table`: a rank a partner's commentary claims ("second lowest
  in Kent") that the county ranks in `marts.measure_benchmarks` do not give;
- `resubmission_changed_figure`: a resubmitted return changed a figure that was current.

Bands, thresholds and pairs are data, in `expectations/plausibility.yml`.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import statistics as stats
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipelines import settings, statistics
from pipelines.ledger import ACCEPTED_SCHEMA
from pipelines.quality.findings import Finding, ensure_quality_schema, table_exists
from pipelines.returns import all_returns

CONFIG_FILE = settings.EXPECTATIONS_DIR / "plausibility.yml"

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}

HISTORY_DDL = """
create table if not exists quality.measure_value_history (
    measure_value_key varchar not null,
    measure_id varchar not null,
    area_code varchar not null,
    period_id varchar not null,
    value double,
    submission_ids integer[],
    recorded_at timestamp not null
);
"""

FIGURES_SQL = """
select
    values.measure_id,
    coalesce(catalogue.measure_name, values.measure_id) as measure_name,
    values.area_code,
    coalesce(values.area_name, values.area_code) as area_name,
    values.period_id,
    values.period_type,
    values.period_start,
    values.numerator,
    values.denominator,
    values.value,
    values.unit,
    values.is_complete,
    values.submission_ids,
    catalogue.statistical_method,
    catalogue.source_return,
    catalogue.lead_partner
from marts.measure_values as values
left join reference.measure_catalogue as catalogue using (measure_id)
where values.value is not null
order by values.measure_id, values.area_code, values.period_type, values.period_start
"""


def load_config(path: Path = CONFIG_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text()) or {}


@dataclass(frozen=True)
class Figure:
    """One row of measure_values with what its measure's catalogue says."""

    measure_id: str
    measure_name: str
    area_code: str
    area_name: str
    period_id: str
    period_type: str
    period_start: Any
    numerator: float | None
    denominator: float | None
    value: float
    unit: str | None
    is_complete: bool | None
    submission_ids: list[int] | None
    statistical_method: str | None
    source_return: str | None
    lead_partner: str | None

    def finding(self, check: str, kind: str, message: str, **fields: Any) -> Finding:
        """A finding about this figure; `fields` add to or replace what the figure gives."""
        about = {
            "return_name": self.source_return,
            "partner": self.lead_partner,
            "measure_id": self.measure_id,
            "area_code": self.area_code,
            "period_id": self.period_id,
        }
        return Finding(check_name=check, check_kind=kind, message=message, **(about | fields))


def load_figures(con: duckdb.DuckDBPyConnection) -> list[Figure]:
    """Every published figure. The partner a finding names is the measure's lead partner for
    the home district; another area's figure is the publisher's (the return's partner, such
    as MHCLG for another district's homelessness figures), never the home council."""
    if not table_exists(con, "marts", "measure_values"):
        return []
    home = settings.home_area().district
    publishers = {spec.table: spec.partner for spec in all_returns()}
    figures = [Figure(*row) for row in con.execute(FIGURES_SQL).fetchall()]
    return [
        figure
        if figure.area_code == home
        else dataclasses.replace(
            figure, lead_partner=publishers.get(figure.source_return or "", figure.lead_partner)
        )
        for figure in figures
    ]


def shown(value: float | None, unit: str | None) -> str:
    """A figure as a report prints it: 1,602 / 38.2% / £4,193."""
    if value is None:
        return "no figure"
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "pounds":
        return f"£{value:,.0f}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _series(figures: list[Figure], period_types: list[str]) -> dict[tuple, list[Figure]]:
    """Complete figures by measure, area and kind of period, oldest first."""
    series: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.period_type in period_types and figure.is_complete is not False:
            series[(figure.measure_id, figure.area_code, figure.period_type)].append(figure)
    return series


def _significant(now: Figure, before: Figure, confidence: float) -> bool | None:
    """Whether the change is more than chance, by the measure's statistical method.

    Every count is tested as a Poisson count (whatever the catalogue's method for its
    intervals), so that a district's handful of events moving by one or two is not flagged.
    None when there is no test or the figure carries no counts: the band decides.
    """
    try:
        if now.unit == "count":
            return statistics.poisson_change_significant(now.value, before.value, confidence)
        if now.numerator is None or now.denominator is None:
            return None
        if before.numerator is None or before.denominator is None:
            return None
        if now.statistical_method == "proportion":
            return statistics.proportion_change_significant(
                now.numerator, now.denominator, before.numerator, before.denominator, confidence
            )
        if now.statistical_method in ("rate", "poisson_count"):
            return statistics.poisson_change_significant(
                now.numerator,
                before.numerator,
                confidence,
                exposure_now=now.denominator,
                exposure_before=before.denominator,
            )
    except ValueError:
        return None
    return None


MONTHS_APART = {
    "month": 1,
    "quarter": 3,
    "financial_year": 12,
    "calendar_year": 12,
    "academic_year": 12,
}


def _consecutive(before: Figure, now: Figure) -> bool:
    """Whether `before` is the period just before `now`: a gap (a year not received) is not
    a change from one year to the next. Snapshots compare with the previous snapshot."""
    apart = MONTHS_APART.get(now.period_type)
    if apart is None:
        return True
    start, previous = now.period_start, before.period_start
    return (start.year - previous.year) * 12 + start.month - previous.month == apart


def change_beyond_band(figures: list[Figure], config: dict[str, Any]) -> list[Finding]:
    """Changes from the previous period beyond the measure's band that are not chance."""
    settings_ = config.get("change_from_previous") or {}
    period_types = settings_.get("period_types", ["financial_year", "calendar_year"])
    confidence = settings_.get("confidence", 0.95)
    findings = []
    for (measure_id, _, _), series in _series(figures, period_types).items():
        bands = {**settings_, **(settings_.get("measures") or {}).get(measure_id, {})}
        for before, now in itertools.pairwise(series):
            if not _consecutive(before, now):
                continue
            if now.unit == "percent":
                allowed = bands.get("percent_points", 10)
                change = now.value - before.value
                beyond = abs(change) > allowed
                described = f"{change:+.1f} percentage points"
                band = f"a change of up to {allowed} percentage points"
            else:
                allowed = bands.get("band", 0.3)
                if before.value == 0:
                    continue
                change = (now.value - before.value) / abs(before.value)
                beyond = abs(change) > allowed
                described = f"{change:+.0%}"
                band = f"a change of up to {allowed:.0%}"
            if not beyond:
                continue
            significant = _significant(now, before, confidence)
            if significant is False:
                continue
            verb = "rose" if now.value > before.value else "fell"
            tested = (
                " The change is statistically significant: too large to be chance."
                if significant
                else ""
            )
            findings.append(
                now.finding(
                    "change_beyond_band",
                    "plausibility",
                    (
                        f"{now.measure_name} in {now.area_name} {verb} from "
                        f"{shown(before.value, now.unit)} in {before.period_id} to "
                        f"{shown(now.value, now.unit)} in {now.period_id} ({described}), beyond "
                        f"{band} expected for this measure.{tested} Check the figure with "
                        f"{now.lead_partner or 'the partner'}, or record why it changed."
                    ),
                    observed=shown(now.value, now.unit),
                    expected=f"{band} from {shown(before.value, now.unit)} ({before.period_id})",
                )
            )
    return findings


def outside_own_history(figures: list[Figure], config: dict[str, Any]) -> list[Finding]:
    """Figures far from the median of the measure's other periods for the same area."""
    settings_ = config.get("outside_history") or {}
    period_types = settings_.get("period_types", ["financial_year", "calendar_year"])
    minimum = settings_.get("min_periods", 4)
    threshold = settings_.get("robust_z", 4.0)
    findings = []
    for series in _series(figures, period_types).values():
        if len(series) <= minimum:
            continue
        for index, figure in enumerate(series):
            others = [f.value for i, f in enumerate(series) if i != index]
            centre = stats.median(others)
            spread = 1.4826 * stats.median(abs(v - centre) for v in others)
            floor = 0.02 * abs(centre)
            if figure.unit == "count" and centre > 0:
                floor = max(floor, math.sqrt(centre))
            scale = max(spread, floor, 1e-9)
            if abs(figure.value - centre) / scale <= threshold:
                continue
            low, high = min(others), max(others)
            findings.append(
                figure.finding(
                    "outside_own_history",
                    "plausibility",
                    (
                        f"{figure.measure_name} in {figure.area_name} was "
                        f"{shown(figure.value, figure.unit)} in {figure.period_id}, far outside "
                        f"its own history: {shown(low, figure.unit)} to "
                        f"{shown(high, figure.unit)} in the other {len(others)} periods "
                        f"(median {shown(centre, figure.unit)})."
                    ),
                    observed=shown(figure.value, figure.unit),
                    expected=(
                        f"near {shown(centre, figure.unit)} "
                        f"(history {shown(low, figure.unit)} to {shown(high, figure.unit)})"
                    ),
                )
            )
    return findings


def _by_key(figures: list[Figure]) -> dict[tuple[str, str, str], Figure]:
    return {(f.measure_id, f.area_code, f.period_id): f for f in figures}


def parts_do_not_add_up(figures: list[Figure], config: dict[str, Any]) -> list[Finding]:
    """Parts that sum to more than their total (`at_most`) or not to it (`equal`)."""
    index = _by_key(figures)
    findings = []
    for rule in config.get("parts_add_up") or []:
        relation = rule.get("relation", "equal")
        tolerance = rule.get("tolerance", 0)
        for total in (f for f in figures if f.measure_id == rule["total"]):
            parts = [index.get((m, total.area_code, total.period_id)) for m in rule["parts"]]
            if any(p is None for p in parts):
                continue
            summed = sum(p.value for p in parts if p is not None)
            wrong = summed > total.value + tolerance
            if relation == "equal":
                wrong = wrong or summed < total.value - tolerance
            if not wrong:
                continue
            names = " + ".join(f"{p.measure_name} ({shown(p.value, p.unit)})" for p in parts if p)
            expected = "no more than" if relation == "at_most" else "equal to"
            findings.append(
                total.finding(
                    "parts_do_not_add_up",
                    "plausibility",
                    (
                        f"{total.area_name}, {total.period_id}: {names} comes to "
                        f"{shown(summed, total.unit)}, but should be {expected} "
                        f"{total.measure_name} ({shown(total.value, total.unit)})."
                    ),
                    observed=shown(summed, total.unit),
                    expected=f"{expected} {shown(total.value, total.unit)}",
                    detail="+".join(rule["parts"]),
                )
            )
    return findings


def _comparable(
    index: dict[tuple[str, str, str], Figure], figures: list[Figure], measure: str, claim: Figure
) -> Figure | None:
    """The other measure's figure for the same area and period, else its latest earlier one."""
    same = index.get((measure, claim.area_code, claim.period_id))
    if same is not None:
        return same
    earlier = [
        f
        for f in figures
        if f.measure_id == measure
        and f.area_code == claim.area_code
        and f.period_type == claim.period_type
        and f.period_start <= claim.period_start
    ]
    return max(earlier, key=lambda f: f.period_start, default=None)


def area_codes(names: list[str]) -> set[str]:
    """The codes a rule names: ONS codes, or parts of the home area (`district`, `county`,
    `country`, `comparison_areas`) so that the rules need not repeat its codes."""
    home = settings.home_area()
    codes: set[str] = set()
    for name in names:
        value = getattr(home, name, name)
        codes |= {value} if isinstance(value, str) else set(value)
    return codes


def _commentaries(
    con: duckdb.DuckDBPyConnection | None, source: dict[str, str], ref: str
) -> list[tuple[str, str, int]]:
    """(period, commentary, submission) of the accepted status returns for a ref."""
    if con is None or not table_exists(con, "raw", source["table"]):
        return []
    return con.execute(
        f"""
        select rows.{source["period_column"]}, rows.{source["text_column"]}, rows.submission_id
        from raw.{source["table"]} as rows
        inner join ledger.submissions using (submission_id)
        where submissions.status = 'accepted' and rows.{source["ref_column"]} = ?
        """,
        [ref],
    ).fetchall()


def _claimed_years(
    con: duckdb.DuckDBPyConnection | None, rule: dict[str, Any] | None
) -> set[str] | None:
    """The years whose commentary makes a claim (`claimed_in`: a ref and a pattern), so that a
    claim is checked only in the years it was made; None (every year) when the rule does not
    say or no status return has been loaded."""
    if not rule or con is None or not table_exists(con, "raw", rule["source"]["table"]):
        return None
    pattern = re.compile(rule["pattern"], re.IGNORECASE)
    return {
        str(period)
        for period, text, _ in _commentaries(con, rule["source"], rule["ref"])
        if pattern.search(text or "")
    }


def figures_disagree(
    figures: list[Figure], config: dict[str, Any], con: duckdb.DuckDBPyConnection | None = None
) -> list[Finding]:
    """The same figure reported differently, or a claim another source contradicts (in the
    years the partner made it, when the rule says where the claim is made)."""
    index = _by_key(figures)
    findings = []
    for rule in config.get("figures_agree") or []:
        check = rule.get("check", "same_figure_differs")
        tolerance = rule.get("tolerance", 0)
        areas = area_codes(rule.get("areas") or [])
        claimed_in = _claimed_years(con, rule.get("claimed_in"))
        for claim in (f for f in figures if f.measure_id == rule["claim"]):
            if areas and claim.area_code not in areas:
                continue
            if claimed_in is not None and claim.period_id not in claimed_in:
                continue
            other = _comparable(index, figures, rule["source"], claim)
            if other is None or abs(claim.value - other.value) <= tolerance:
                continue
            message = rule["message"].format(
                area=claim.area_name,
                claim=claim.measure_name,
                claim_value=shown(claim.value, claim.unit),
                claim_period=claim.period_id,
                source=other.measure_name,
                source_value=shown(other.value, other.unit),
                source_period=other.period_id,
            )
            findings.append(
                claim.finding(
                    check,
                    "consistency",
                    " ".join(message.split()),
                    observed=shown(claim.value, claim.unit),
                    expected=(
                        f"within {tolerance} of {shown(other.value, other.unit)} "
                        f"({other.measure_name}, {other.period_id})"
                    ),
                    detail=rule["source"],
                )
            )
    return findings


def claimed_ranks(
    con: duckdb.DuckDBPyConnection, figures: list[Figure], config: dict[str, Any]
) -> list[Finding]:
    """Ranks claimed in lead partners' commentary against the rank `marts.measure_benchmarks`
    gives the area (the home district unless the rule names another)."""
    index = _by_key(figures)
    findings = []
    for rule in config.get("claimed_ranks") or []:
        (area,) = area_codes([rule.get("area", "district")])
        source = rule["source"]
        if not table_exists(con, ACCEPTED_SCHEMA, source["table"]):
            continue
        statements = con.execute(
            f"""
            select rows.{source["period_column"]}, rows.{source["text_column"]},
                rows.submission_id
            from {ACCEPTED_SCHEMA}.{source["table"]} as rows
            where rows.{source["ref_column"]} = ?
            """,
            [rule["ref"]],
        ).fetchall()
        pattern = re.compile(rule["claim_pattern"], re.IGNORECASE)
        for period, text, submission_id in statements:
            found = pattern.search(text or "")
            if found is None:
                continue
            claimed = ORDINALS.get((found.group(1) or "first").lower())
            ranked = county_rank(con, rule["measure"], area, period)
            if claimed is None or ranked is None or ranked[0] == claimed:
                continue
            rank, period_id, districts = ranked
            figure = index.get((rule["measure"], area, period_id))
            if figure is None:
                continue
            findings.append(
                figure.finding(
                    "claimed_rank_contradicts_table",
                    "consistency",
                    (
                        f'The {period} commentary for {rule["ref"]} says "{found.group(0)}", '
                        f"but {figure.measure_name} for {figure.period_id} ranks "
                        f"{figure.area_name} {_ordinal(rank)} of the {districts} districts with "
                        f"a figure ({shown(figure.value, figure.unit)})."
                    ),
                    observed=f"claimed {_ordinal(claimed)}",
                    expected=f"{_ordinal(rank)} in the table",
                    submission_id=submission_id,
                    detail=rule["ref"],
                )
            )
    return findings


def _ordinal(rank: int) -> str:
    """3 -> `third lowest`, as the reports write ranks."""
    words = {number: word for word, number in ORDINALS.items()}
    return "lowest" if rank == 1 else f"{words.get(rank, str(rank))} lowest"


COUNTY_RANK_SQL = """
select rank_from_lowest, period_id, districts_with_value
from marts.measure_benchmarks
where measure_id = $measure
    and value is not null
    and period_start >= make_date($start_year, 4, 1)
    and period_start < make_date($start_year + 1, 4, 1)
qualify period_start = max(period_start) over () and area_code = $area
"""


def county_rank(
    con: duckdb.DuckDBPyConnection, measure_id: str, area_code: str, financial_year: str
) -> tuple[int, str, int] | None:
    """The area's rank from the lowest among the county's districts, in the financial year's
    latest period of the measure, with that period and how many districts have a figure;
    None when the area has no figure then."""
    if not table_exists(con, "marts", "measure_benchmarks"):
        return None
    row = con.execute(
        COUNTY_RANK_SQL,
        {"measure": measure_id, "area": area_code, "start_year": int(str(financial_year)[:4])},
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def resubmission_changes(
    con: duckdb.DuckDBPyConnection, figures: list[Figure], now: datetime | None = None
) -> list[Finding]:
    """Figures that changed because a resubmission replaced the submission they came from.

    Every figure the warehouse has built is kept in `quality.measure_value_history` with the
    submissions it came from; a current figure built from a submission that superseded
    another is compared with the figure last built from the one it replaced. Only the
    figures built from the fewest submissions are reported (the month, not also its year).
    """
    now = now or datetime.now(UTC).replace(tzinfo=None)
    ensure_quality_schema(con)
    con.execute(HISTORY_DDL)
    _record_history(con, now)
    rows = con.execute(
        """
        with replaced as (
            select submission_id as old_id, superseded_by as new_id, return_name, period
            from ledger.submissions where superseded_by is not null
        ),
        current_values as (
            select measure_value_key, measure_id, area_code, period_id, value, submission_ids
            from marts.measure_values
        ),
        changed as (
            select
                current_values.measure_value_key,
                replaced.old_id,
                replaced.new_id,
                replaced.return_name,
                replaced.period,
                current_values.value as new_value,
                len(current_values.submission_ids) as parts,
                history.value as old_value
            from current_values
            inner join replaced on list_contains(current_values.submission_ids, replaced.new_id)
            inner join quality.measure_value_history as history
                on history.measure_value_key = current_values.measure_value_key
                and list_contains(history.submission_ids, replaced.old_id)
            qualify row_number() over (
                partition by current_values.measure_value_key, replaced.old_id
                order by history.recorded_at desc
            ) = 1
        )
        select * from changed
        where old_value is distinct from new_value
        qualify parts = min(parts) over (partition by old_id)
        order by measure_value_key
        """
    ).fetchall()
    index = {f"{f.measure_id}|{f.area_code}|{f.period_id}": f for f in figures}
    files = dict(
        con.execute(
            "select submission_id, coalesce(source_file, file_path) from ledger.submissions"
        ).fetchall()
    )
    findings = []
    for key, old_id, new_id, return_name, period, new_value, _, old_value in rows:
        figure = index.get(key)
        if figure is None:
            continue
        findings.append(
            figure.finding(
                "resubmission_changed_figure",
                "resubmission",
                (
                    f"{figure.lead_partner or 'The partner'} resubmitted the {period} return: "
                    f"{files.get(new_id)} (submission {new_id}) replaced {files.get(old_id)} "
                    f"(submission {old_id}), and {figure.measure_name} in {figure.area_name} "
                    f"for {figure.period_id} changed from {shown(old_value, figure.unit)} to "
                    f"{shown(new_value, figure.unit)}."
                ),
                observed=shown(new_value, figure.unit),
                expected=f"{shown(old_value, figure.unit)} (as first submitted)",
                submission_id=new_id,
                source_file=files.get(new_id),
                detail=f"{old_id}>{new_id}",
                return_name=return_name,
            )
        )
    return findings


def _record_history(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Keep each figure once per value and set of submissions it was built from."""
    con.execute(
        """
        insert into quality.measure_value_history
        select measure_value_key, measure_id, area_code, period_id, value, submission_ids, ?
        from marts.measure_values as current_values
        where not exists (
            select 1 from quality.measure_value_history as history
            where history.measure_value_key = current_values.measure_value_key
                and history.submission_ids = current_values.submission_ids
                and history.value is not distinct from current_values.value
        )
        """,
        [now],
    )


def _figure_for_year(
    index: dict[tuple[str, str, str], Figure], measure_id: str, area: str, year: str
) -> Figure | None:
    return index.get((measure_id, area, year))


def _previous_year(year: str, back: int) -> str:
    """`2021/22`, 2 -> `2019/20`."""
    start = int(year[:4]) - back
    return f"{start}/{(start + 1) % 100:02d}"


def commentary_claims(
    con: duckdb.DuckDBPyConnection, figures: list[Figure], config: dict[str, Any]
) -> list[Finding]:
    """Numbers and ranks in lead partners' commentary against the warehouse's figures.

    `number` rules: the figure a pattern captures (`value`, with `over` when the commentary
    says "over N") must agree with the measure's figure for the year the claim names
    (`period`) or else the commentary's year; a claim about another year than the
    commentary's is noted too, since the report prints the commentary's year. `rank_streak`
    rules: "no higher than second lowest over the last three years" must hold for each of
    those years' county ranks. A mismatch is a finding printed beside the figure; the report
    prints the data's version."""
    index = _by_key(figures)
    findings: list[Finding] = []
    for rule in config.get("commentary_claims") or []:
        (area,) = area_codes([rule.get("area", "district")])
        pattern = re.compile(rule["pattern"], re.IGNORECASE)
        for year, text, submission_id in _commentaries(con, rule["source"], rule["ref"]):
            year = str(year)
            said = {**rule, "display_ref": display_ref(con, rule["ref"], year)}
            for found in pattern.finditer(text or ""):
                if rule["kind"] == "rank_streak":
                    findings += _rank_streak(con, index, said, area, year, found, submission_id)
                else:
                    findings += _number_claim(index, said, area, year, found, submission_id)
    return findings


def display_ref(con: duckdb.DuckDBPyConnection, ref: str, year: str) -> str:
    """The ref as that year's report prints it (`Safe 3` in 2021/22, `S3` in 2019/20)."""
    if not table_exists(con, "reference", "key_success_measures"):
        return ref
    row = con.execute(
        "select display_ref from reference.key_success_measures "
        "where ref = ? and ? between first_year and last_year limit 1",
        [ref, year],
    ).fetchone()
    return row[0] if row else ref


def _number_claim(
    index: dict[tuple[str, str, str], Figure],
    rule: dict[str, Any],
    area: str,
    year: str,
    found: re.Match[str],
    submission_id: int,
) -> list[Finding]:
    groups = found.groupdict()
    claimed = float(groups["value"].replace(",", ""))
    about = groups.get("period") or year
    figure = _figure_for_year(index, rule["measure"], area, about)
    printed = _figure_for_year(index, rule["measure"], area, year)
    if figure is None:
        return []
    over = bool(groups.get("over"))
    tolerance = rule.get("tolerance", 0.5)
    agrees = figure.value > claimed if over else abs(figure.value - claimed) <= tolerance
    said = f'"{found.group(0)}"'
    ref = rule.get("display_ref", rule["ref"])
    if not agrees:
        return [
            figure.finding(
                "commentary_contradicts_data",
                "consistency",
                (
                    f"The {year} commentary for {ref} says {said}, but the warehouse gives "
                    f"{figure.measure_name} of {shown(figure.value, figure.unit)} for "
                    f"{figure.period_id}."
                ),
                observed=found.group(0),
                expected=f"{shown(figure.value, figure.unit)} in {figure.period_id}",
                submission_id=submission_id,
                detail=rule["ref"],
                period_id=year if printed is not None else figure.period_id,
            )
        ]
    if about != year and printed is not None:
        return [
            printed.finding(
                "commentary_quotes_another_period",
                "consistency",
                (
                    f"The {year} commentary for {ref} quotes {said} for {about}, not the "
                    f"{year} figure, which is {shown(printed.value, printed.unit)}."
                ),
                observed=found.group(0)
                if about in found.group(0)
                else f"{found.group(0)} ({about})",
                expected=f"{shown(printed.value, printed.unit)} in {year}",
                submission_id=submission_id,
                detail=rule["ref"],
            )
        ]
    return []


def _rank_streak(
    con: duckdb.DuckDBPyConnection,
    index: dict[tuple[str, str, str], Figure],
    rule: dict[str, Any],
    area: str,
    year: str,
    found: re.Match[str],
    submission_id: int,
) -> list[Finding]:
    claimed = ORDINALS.get((found.groupdict().get("ordinal") or "first").lower())
    years = [_previous_year(year, back) for back in range(rule.get("years", 3) - 1, -1, -1)]
    ranks = [_year_rank(con, rule["measure"], area, y) for y in years]
    figure = _figure_for_year(index, rule["measure"], area, year)
    if claimed is None or figure is None or any(r is None for r in ranks):
        return []
    positions = [r for r in ranks if r is not None]
    if max(positions) <= claimed:
        return []
    listed = ", ".join(f"{_ordinal(p)} in {y}" for p, y in zip(positions, years, strict=True))
    ref = rule.get("display_ref", rule["ref"])
    return [
        figure.finding(
            "commentary_contradicts_data",
            "consistency",
            (
                f'The {year} commentary for {ref} says "{found.group(0)}", but the county '
                f"ranks of {figure.measure_name} were {listed}."
            ),
            observed=found.group(0),
            expected=listed,
            submission_id=submission_id,
            detail=rule["ref"],
        )
    ]


def _year_rank(
    con: duckdb.DuckDBPyConnection, measure_id: str, area_code: str, year: str
) -> int | None:
    """The area's county rank from the lowest for the financial year itself (not a month
    in it), from marts.measure_benchmarks; None when it has none."""
    if not table_exists(con, "marts", "measure_benchmarks"):
        return None
    row = con.execute(
        "select rank_from_lowest from marts.measure_benchmarks "
        "where measure_id = ? and area_code = ? and period_id = ?",
        [measure_id, area_code, year],
    ).fetchone()
    return None if row is None else row[0]
