"""Public-health statistics for the wellbeing indicators.

The council publishes its indicators beside the national ones on Fingertips, so the
confidence intervals here follow the UKHSA (formerly PHE) methods as implemented in
the R package PHEindicatormethods: Wilson score intervals for proportions, exact
Poisson limits for counts below 10 and Byar's approximation from 10 upwards. Matching
that package to six significant figures is what lets an analyst put the district's value
next to a national one and compare the intervals honestly; the tests check this
against the package's own test data.

Everything here is plain Python on scalars (no Dagster, no pandas) so that the same
functions can be registered as DuckDB SQL functions (see ``warehouse_functions``),
called from Dagster assets, or used in a notebook.

Conventions shared by every function:

* ``confidence`` may be given as a fraction (0.95, 0.998) or, as PHEindicatormethods
  also accepts, as a percentage (95, 99.8).
* A missing input (``None`` or NaN) gives a missing output rather than an error,
  because partner returns routinely have gaps and one gap must not stop a whole mart.
* Impossible inputs (negative counts, a numerator above its denominator) raise
  ``ValueError``: they mean the data are wrong, and a silent NULL would hide that.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TypeVar

from scipy import special, stats

__all__ = [
    "SUPPRESSION_NOTE",
    "binomial_two_sided_p",
    "byars_interval",
    "count_interval",
    "exact_poisson_interval",
    "poisson_change_significant",
    "proportion_change_significant",
    "rate_interval",
    "suppress_small_count",
    "wilson_interval",
]

Interval = tuple[float | None, float | None]
"""(lower, upper); both ``None`` when the statistic cannot be calculated."""

EXACT_BELOW = 10
"""Counts below this use exact Poisson limits; Byar's is too inaccurate for them."""

SUPPRESSION_NOTE = "Value suppressed: based on a count below {threshold}"

_NO_INTERVAL: Interval = (None, None)

T = TypeVar("T")


def _missing(value: float | None) -> bool:
    """True for None and NaN, the two ways a gap reaches us (SQL NULL, pandas NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _confidence(confidence: float) -> float:
    """Normalise 95 / 0.95 to 0.95 so callers can use either PHE convention."""
    level = confidence / 100 if confidence > 1 else confidence
    if not 0 < level < 1:
        raise ValueError(f"confidence must be in (0, 1) or (1, 100), got {confidence!r}")
    return level


@lru_cache(maxsize=16)
def _z(confidence: float) -> float:
    """Two-sided standard normal critical value, as qnorm(conf + (1 - conf) / 2) in R.

    Cached: a mart calls it once a row with one of two levels, and scipy's quantile
    function costs far more than the arithmetic around it."""
    level = _confidence(confidence)
    return float(stats.norm.ppf(level + (1 - level) / 2))


def _check_count(count: float, name: str = "count") -> None:
    if count < 0:
        raise ValueError(f"{name} must be zero or more, got {count!r}")


def wilson_interval(
    numerator: float | None,
    denominator: float | None,
    confidence: float = 0.95,
    multiplier: float = 1,
) -> Interval:
    """Wilson score interval for a proportion, scaled by ``multiplier`` (100 for a %).

    Wilson rather than the simple normal approximation because it stays inside [0, 1]
    and behaves well for small numerators and proportions near 0 or 1, which is why
    PHE uses it (``phe_proportion``, ``wilson_lower``/``wilson_upper``). A zero or
    missing denominator, or a missing numerator, gives ``(None, None)``.
    """
    if _missing(numerator) or _missing(denominator) or denominator == 0:
        return _NO_INTERVAL
    assert numerator is not None and denominator is not None  # narrowed by _missing
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if numerator > denominator:
        raise ValueError(f"numerator {numerator!r} exceeds denominator {denominator!r}")
    z = _z(confidence)
    centre = 2 * numerator + z**2
    spread = z * math.sqrt(z**2 + 4 * numerator * (1 - numerator / denominator))
    scale = multiplier / (2 * (denominator + z**2))
    return (centre - spread) * scale, (centre + spread) * scale


def byars_interval(count: float | None, confidence: float = 0.95) -> Interval:
    """Byar's approximation to the Poisson confidence limits of a count.

    Cheap and accurate for counts of 10 or more, which is why PHE uses it there
    (``byars_lower``/``byars_upper``). For very small counts at high confidence the
    lower limit formula goes negative; it is returned as calculated so the two
    methods can be compared, and ``count_interval`` avoids it by switching to the
    exact method. A zero count has a lower limit of 0.
    """
    if _missing(count):
        return _NO_INTERVAL
    assert count is not None
    _check_count(count)
    z = _z(confidence)
    lower = 0.0
    if count > 0:
        lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    above = count + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * math.sqrt(above))) ** 3
    return lower, upper


def exact_poisson_interval(count: float | None, confidence: float = 0.95) -> Interval:
    """Exact Poisson confidence limits from chi-square quantiles (Garwood's method).

    Used for small counts, where Byar's approximation is poor. The lower limit of a
    zero count is 0 by definition (the chi-square with 0 degrees of freedom is
    degenerate).
    """
    if _missing(count):
        return _NO_INTERVAL
    assert count is not None
    _check_count(count)
    alpha = 1 - _confidence(confidence)
    lower = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    upper = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return lower, upper


def count_interval(count: float | None, confidence: float = 0.95) -> Interval:
    """Confidence limits for a Poisson count using the PHE rule for choosing a method.

    Exact limits when the count is below 10, Byar's otherwise, as ``phe_rate`` does:
    exact is always right but Byar's agrees closely from 10 upwards.
    """
    if _missing(count):
        return _NO_INTERVAL
    assert count is not None
    if count < EXACT_BELOW:
        return exact_poisson_interval(count, confidence)
    return byars_interval(count, confidence)


def rate_interval(
    count: float | None,
    denominator: float | None,
    confidence: float = 0.95,
    multiplier: float = 100_000,
) -> Interval:
    """Confidence limits for a crude rate (count / denominator * multiplier).

    The uncertainty is in the count, treated as Poisson, and the denominator (usually
    a population) is taken as known, as in ``phe_rate``. A zero or missing
    denominator gives ``(None, None)``.
    """
    if _missing(denominator) or denominator == 0:
        return _NO_INTERVAL
    assert denominator is not None
    _check_count(denominator, "denominator")
    lower, upper = count_interval(count, confidence)
    if lower is None or upper is None:
        return _NO_INTERVAL
    scale = multiplier / denominator
    return lower * scale, upper * scale


def poisson_change_significant(
    count_now: float | None,
    count_before: float | None,
    confidence: float = 0.95,
    exposure_now: float | None = None,
    exposure_before: float | None = None,
) -> bool | None:
    """Whether two Poisson counts (or rates) differ significantly: direction of travel.

    Uses the exact conditional test (as R's two-sample ``poisson.test``): given the
    total ``n = now + before``, under "no change" ``now`` is Binomial(n, p) with
    ``p = exposure_now / (exposure_now + exposure_before)`` (0.5 when no exposures are
    given, i.e. the populations are taken as equal). It is exact, so it stays valid
    for the small counts a single district produces, where a normal approximation
    would overstate significance. Two-sided; significant when p < 1 - confidence.

    Counts should be whole numbers (they are rounded). Returns ``None`` when an input
    is missing and ``False`` when both counts are zero (there is nothing to compare).
    """
    if _missing(count_now) or _missing(count_before):
        return None
    assert count_now is not None and count_before is not None
    _check_count(count_now, "count_now")
    _check_count(count_before, "count_before")
    if (exposure_now is None) != (exposure_before is None):
        raise ValueError("give both exposures or neither")
    if exposure_now is None or exposure_before is None:
        share = 0.5
    else:
        if _missing(exposure_now) or _missing(exposure_before):
            return None
        if exposure_now <= 0 or exposure_before <= 0:
            raise ValueError("exposures must be greater than zero")
        share = exposure_now / (exposure_now + exposure_before)
    now, before = round(count_now), round(count_before)
    total = now + before
    if total == 0:
        return False
    alpha = 1 - _confidence(confidence)
    return bool(binomial_two_sided_p(now, total, share) < alpha)


def binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """The exact two-sided binomial p-value of R's `binom.test` (and scipy's `binomtest`).

    The outcomes no more likely than the one observed (within a relative 1e-7) make the
    p-value: the tail beyond `k`, and the tail on the other side of the mode from where
    the probability falls to that of `k`, found by bisection since the probabilities
    fall away from the mode. Written on scipy's special functions because `binomtest`
    costs about a millisecond a call, and `measure_trends` calls it once a row.
    """
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    likelihood = _binomial_pmf(k, n, p) * (1 + 1e-7)
    expected = p * n
    if k == expected:
        return 1.0
    if k < expected:
        # The first outcome above the mode as unlikely as k; the upper tail from there.
        low, high = math.ceil(expected), n + 1
        while low < high:
            middle = (low + high) // 2
            if _binomial_pmf(middle, n, p) <= likelihood:
                high = middle
            else:
                low = middle + 1
        p_value = special.bdtr(k, n, p) + (special.bdtrc(low - 1, n, p) if low <= n else 0.0)
    else:
        # The last outcome below the mode as unlikely as k; the lower tail up to there.
        low, high = -1, math.floor(expected)
        while low < high:
            middle = (low + high + 1) // 2
            if _binomial_pmf(middle, n, p) <= likelihood:
                low = middle
            else:
                high = middle - 1
        p_value = (special.bdtr(low, n, p) if low >= 0 else 0.0) + special.bdtrc(k - 1, n, p)
    return min(1.0, float(p_value))


def _binomial_pmf(k: int, n: int, p: float) -> float:
    return math.exp(
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def proportion_change_significant(
    num1: float | None,
    den1: float | None,
    num2: float | None,
    den2: float | None,
    confidence: float = 0.95,
) -> bool | None:
    """Whether two proportions differ significantly: direction of travel for a %.

    Uses the two-proportion z-test with a pooled proportion, the textbook test of
    "no change" (equivalent to the chi-square test of the 2x2 table without continuity
    correction). It suits survey and register proportions, whose denominators are
    usually in the hundreds or more. Two-sided; significant when p < 1 - confidence.

    Returns ``None`` when an input is missing or a denominator is zero, and ``False``
    when both proportions are 0% or both 100% (no variation to test).
    """
    values = (num1, den1, num2, den2)
    if any(_missing(v) for v in values) or den1 == 0 or den2 == 0:
        return None
    assert num1 is not None and den1 is not None and num2 is not None and den2 is not None
    for num, den in ((num1, den1), (num2, den2)):
        _check_count(num, "numerator")
        _check_count(den, "denominator")
        if num > den:
            raise ValueError(f"numerator {num!r} exceeds denominator {den!r}")
    pooled = (num1 + num2) / (den1 + den2)
    standard_error = math.sqrt(pooled * (1 - pooled) * (1 / den1 + 1 / den2))
    if standard_error == 0:
        return False
    z = (num1 / den1 - num2 / den2) / standard_error
    alpha = 1 - _confidence(confidence)
    p_value = 2 * float(stats.norm.sf(abs(z)))
    return p_value < alpha


def suppress_small_count(
    value: T | None, count: float | None, threshold: float = 5
) -> tuple[T | None, str | None]:
    """Withhold a value based on a small count, returning ``(value, note)``.

    Statistical disclosure control: a figure built on a handful of people can
    identify them, and is too unstable to be worth publishing anyway. When ``count``
    is below ``threshold`` the value becomes ``None`` and the note says why, so the
    published table can show the reason instead of a bare gap. A missing count leaves
    the value alone: there is nothing to judge it by.
    """
    if _missing(count):
        return value, None
    assert count is not None
    if count < threshold:
        return None, SUPPRESSION_NOTE.format(threshold=_format_threshold(threshold))
    return value, None


def _format_threshold(threshold: float) -> str:
    """Show 5 rather than 5.0 in the note."""
    return str(int(threshold)) if float(threshold).is_integer() else str(threshold)
