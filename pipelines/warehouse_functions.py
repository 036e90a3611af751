"""DuckDB SQL functions for the public-health statistics, and a dbt-duckdb plugin.

dbt models are SQL, but the confidence intervals need chi-square and normal quantiles
that DuckDB does not have, and the methods must match ``pipelines.statistics`` exactly.
Registering those Python functions as DuckDB scalar functions gives the SQL models one
implementation to call instead of a second, drifting copy of the formulas.

Enable it in ``profiles.yml`` under the DuckDB output::

    plugins:
      - module: pipelines.warehouse_functions

DuckDB Python functions live on the connection, not in the database file. A *view*
that calls them cannot be read from a connection that has not run
``register_functions``, so models using them should be materialised as tables, and
other Python code that queries such views should call ``register_functions`` on its
own connection first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb.sqltypes import BOOLEAN, DOUBLE, DuckDBPyType

from pipelines import statistics

__all__ = ["FUNCTIONS", "Plugin", "register_functions"]


def _wilson_lower(
    num: float | None, den: float | None, confidence: float | None, multiplier: float | None
) -> float | None:
    if confidence is None or multiplier is None:
        return None
    return statistics.wilson_interval(num, den, confidence, multiplier)[0]


def _wilson_upper(
    num: float | None, den: float | None, confidence: float | None, multiplier: float | None
) -> float | None:
    if confidence is None or multiplier is None:
        return None
    return statistics.wilson_interval(num, den, confidence, multiplier)[1]


def _count_lower(count: float | None, confidence: float | None) -> float | None:
    if confidence is None:
        return None
    return statistics.count_interval(count, confidence)[0]


def _count_upper(count: float | None, confidence: float | None) -> float | None:
    if confidence is None:
        return None
    return statistics.count_interval(count, confidence)[1]


def _poisson_change(
    now: float | None, before: float | None, confidence: float | None
) -> bool | None:
    if confidence is None:
        return None
    return statistics.poisson_change_significant(now, before, confidence)


def _rate_change(
    now: float | None,
    before: float | None,
    denominator_now: float | None,
    denominator_before: float | None,
    confidence: float | None,
) -> bool | None:
    if confidence is None or denominator_now is None or denominator_before is None:
        return None
    return statistics.poisson_change_significant(
        now, before, confidence, exposure_now=denominator_now, exposure_before=denominator_before
    )


def _proportion_change(
    num1: float | None,
    den1: float | None,
    num2: float | None,
    den2: float | None,
    confidence: float | None,
) -> bool | None:
    if confidence is None:
        return None
    return statistics.proportion_change_significant(num1, den1, num2, den2, confidence)


FUNCTIONS: dict[str, tuple[Callable[..., Any], list[DuckDBPyType], DuckDBPyType]] = {
    # ci_wilson_lower(num, den, confidence, multiplier)
    "ci_wilson_lower": (_wilson_lower, [DOUBLE] * 4, DOUBLE),
    "ci_wilson_upper": (_wilson_upper, [DOUBLE] * 4, DOUBLE),
    # ci_count_lower(count, confidence): exact below 10, Byar's from 10; divide by the
    # denominator and multiply in SQL for a rate's limits.
    "ci_count_lower": (_count_lower, [DOUBLE] * 2, DOUBLE),
    "ci_count_upper": (_count_upper, [DOUBLE] * 2, DOUBLE),
    # poisson_change_significant(now, before, confidence): equal populations
    "poisson_change_significant": (_poisson_change, [DOUBLE] * 3, BOOLEAN),
    # rate_change_significant(now, before, denominator_now, denominator_before, confidence)
    "rate_change_significant": (_rate_change, [DOUBLE] * 5, BOOLEAN),
    # proportion_change_significant(num1, den1, num2, den2, confidence)
    "proportion_change_significant": (_proportion_change, [DOUBLE] * 5, BOOLEAN),
}
"""SQL name -> (Python function, argument types, return type)."""


def register_functions(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Register the statistics functions on ``conn`` and return it.

    Safe to call more than once on the same connection: an earlier registration is
    replaced, so a notebook can re-run its set-up cell. ``null_handling="special"``
    because the functions must be able to return NULL (a zero denominator) and decide
    for themselves what a NULL input means; every one of them maps NULL in to NULL out.
    """
    for name, (function, parameters, return_type) in FUNCTIONS.items():
        with contextlib.suppress(duckdb.InvalidInputException):  # not registered yet
            conn.remove_function(name)
        conn.create_function(
            name, function, parameters, return_type, null_handling="special", side_effects=False
        )
    return conn


class Plugin(BasePlugin):
    """dbt-duckdb plugin: makes the statistics functions available to every dbt model."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register_functions(conn)
