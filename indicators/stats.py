"""Statistical methods for the Wrexham children's services outcomes dashboard.

Every method here follows the definitions used for Public Health England /
OHID Fingertips indicators, as implemented in the PHEindicatormethods R
package (GitHub: ukhsa-collaboration/PHEindicatormethods, formerly
PublicHealthEngland/PHEindicatormethods; dhsc-govuk/PHEindicatormethods for
the trend markers) and described in the Fingertips Public Health Technical
Guidance.  The scalar functions are the reference definitions; the
``*_arrays`` helpers are vectorised equivalents for whole columns.

Methods and sources
-------------------
* Wilson score interval for a proportion (Wilson 1927; Newcombe & Altman,
  *Statistics with Confidence* 2000, pp 46-48) -- PHEindicatormethods
  ``wilson_lower`` / ``wilson_upper``.
* Byar's approximation for a Poisson count (Breslow & Day 1987) --
  ``byars_lower`` / ``byars_upper``.
* Exact Poisson limits from the chi-squared distribution (Garwood 1936;
  Armitage & Berry 2002) -- the ``qchisq`` branch of ``phe_rate``.
* Crude rate limits: exact for counts < 10, Byar's otherwise -- ``phe_rate``.
* Directly standardised rate with Dobson's limits (Dobson et al. 1991) --
  ``phe_dsr`` / ``calculate_dsr``.
* Funnel plot control limits for proportions -- ``sigma_adjustment`` used by
  ``phe_funnels`` / ``calculate_funnel_limits(statistic = "proportion")``.
* Benchmark comparison (better / similar / worse ...) -- Fingertips
  "compared with benchmark" using the indicator's confidence interval.
* Recent trend -- Fingertips trend markers (technical guidance "Trend
  markers"; dhsc-govuk/PHEindicatormethods ``assign_trend_markers``):
  chi-squared test for linear trend (Cochran-Armitage) for proportions,
  inverse-variance weighted regression for other values, significance at
  99.8% (chi-squared 1 df > 9.54953570608324) and a leave-one-out check.
* SPC XmR chart -- NHS England "Making Data Count": mean, mean moving range,
  process limits at mean +/- 2.66 x mean moving range and the four MDC rules.

Confidence levels
-----------------
Only the two levels used on Fingertips are accepted: 0.95 and 0.998.  The
z values are the exact normal quantiles (``scipy.stats.norm.ppf``), never the
rounded 1.96 / 3.09, so results agree with R's ``qnorm`` to machine precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
from scipy.stats import chi2, norm

__all__ = [
    "Z_95",
    "Z_998",
    "TREND_CHI2_THRESHOLD",
    "SPC_LIMIT_CONSTANT",
    "wilson_ci",
    "byars_ci",
    "exact_poisson_ci",
    "rate_ci",
    "dsr",
    "proportion_funnel_limits",
    "compare_to_benchmark",
    "recent_trend",
    "recent_trend_proportion",
    "recent_trend_from_limits",
    "trend_direction_to_judgement",
    "spc_xmr",
    "XmRResult",
    "wilson_ci_arrays",
    "byars_ci_arrays",
    "exact_poisson_ci_arrays",
    "rate_ci_arrays",
    "proportion_funnel_limits_arrays",
]

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

#: Two-sided 95% normal quantile, qnorm(0.975) = 1.959963984540054.
Z_95: float = float(norm.ppf(0.975))
#: Two-sided 99.8% normal quantile, qnorm(0.999) = 3.090232306167813.
Z_998: float = float(norm.ppf(0.999))

_Z_BY_CONFIDENCE = {0.95: Z_95, 0.998: Z_998}

#: Fingertips recent-trend significance threshold: chi-squared, 1 df, 99.8%.
TREND_CHI2_THRESHOLD: float = float(chi2.ppf(0.998, 1))

#: Making Data Count XmR constant: 3 / d2 with d2 = 1.128 for n = 2.
SPC_LIMIT_CONSTANT: float = 2.66

#: Fingertips "recent trend" uses the latest five points.
_TREND_POINTS = 5

#: Rates switch from exact Poisson to Byar's limits at this count.
_EXACT_POISSON_BELOW = 10

#: DSRs are suppressed below this total count (PHE/Fingertips rule).
_DSR_MIN_COUNT = 10

_POLARITIES = ("high_good", "low_good", "no_judgement", "not_applicable")


# --------------------------------------------------------------------------
# Private helpers
# --------------------------------------------------------------------------


def _z(confidence) -> float:
    """Return the two-sided normal quantile for an accepted confidence level.

    Only 0.95 and 0.998 are accepted (the Fingertips levels); anything else
    raises ValueError so that a typo such as 95 or 0.9 cannot slip through.
    """
    if isinstance(confidence, bool) or not isinstance(confidence, Real):
        raise ValueError(f"confidence must be 0.95 or 0.998, got {confidence!r}")
    z = _Z_BY_CONFIDENCE.get(float(confidence))
    if z is None:
        raise ValueError(f"confidence must be 0.95 or 0.998, got {confidence!r}")
    return z


def _alpha(confidence) -> float:
    _z(confidence)  # validates
    return 1.0 - float(confidence)


def _is_missing(value) -> bool:
    """True for None and NaN (float or numpy), False for any other number."""
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def _number(value, name: str) -> float:
    """Convert a scalar input to float, rejecting None/NaN/inf/non-numbers.

    Strings are rejected on purpose: a numeric column read as text should
    fail loudly rather than be silently parsed.
    """
    if isinstance(value, (bool, str, bytes)) or not isinstance(value, Real) or _is_missing(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    out = float(value)
    if math.isinf(out):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return out


def _byars_lower(o: float, z: float) -> float | None:
    # PHEindicatormethods: x*(1-1/(9x)-z/(3*sqrt(x)))^3, negative -> NA.
    # For x = 0 R evaluates 0 * (-Inf)^3 = NaN, so the lower limit is
    # missing (None) rather than 0 -- Byar's is never used for small counts
    # in practice (rates switch to exact limits below 10).
    if o == 0:
        return None
    lower = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * math.sqrt(o))) ** 3
    return None if lower < 0 else lower


def _byars_upper(o: float, z: float) -> float:
    o1 = o + 1.0
    return o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * math.sqrt(o1))) ** 3


def _exact_lower(o: float, alpha: float) -> float:
    # chi2 with 0 df is degenerate; the exact lower limit for O = 0 is 0.
    if o == 0:
        return 0.0
    return float(chi2.ppf(alpha / 2.0, 2.0 * o)) / 2.0


def _exact_upper(o: float, alpha: float) -> float:
    return float(chi2.ppf(1.0 - alpha / 2.0, 2.0 * o + 2.0)) / 2.0


def _count_limits(o: float, confidence) -> tuple[float | None, float]:
    """Limits for a count as Fingertips does it: exact below 10, else Byar's."""
    if o < _EXACT_POISSON_BELOW:
        return exact_poisson_ci(o, confidence)
    return byars_ci(o, confidence)


# --------------------------------------------------------------------------
# Confidence intervals
# --------------------------------------------------------------------------


def wilson_ci(x, n, confidence=0.95) -> tuple[float, float]:
    """Wilson score confidence interval for the proportion x/n (0-1 scale).

    lower, upper = (2x + z^2 -/+ z*sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))

    ``x`` need not be an integer (PHE allows non-integer numerators, e.g.
    weighted counts).  Raises ValueError unless 0 <= x <= n and n > 0.  At
    the boundaries the limits are exactly 0 (x = 0, lower) and 1 (x = n,
    upper); they are set explicitly because the floating point evaluation
    of z^2 - z*sqrt(z^2) can leave a residue of about 1e-17.
    """
    z = _z(confidence)
    x = _number(x, "x (numerator)")
    n = _number(n, "n (denominator)")
    if n <= 0:
        raise ValueError(f"n (denominator) must be greater than zero, got {n!r}")
    if x < 0:
        raise ValueError(f"x (numerator) must be greater than or equal to zero, got {x!r}")
    if x > n:
        raise ValueError(f"x (numerator) must be less than or equal to n (denominator): x={x!r}, n={n!r}")
    z2 = z * z
    root = z * math.sqrt(z2 + 4.0 * x * (1.0 - x / n))
    denom = 2.0 * (n + z2)
    lower = 0.0 if x == 0 else (2.0 * x + z2 - root) / denom
    upper = 1.0 if x == n else (2.0 * x + z2 + root) / denom
    return lower, upper


def byars_ci(o, confidence=0.95) -> tuple[float | None, float]:
    """Byar's approximate confidence interval for a Poisson count O.

    lower = O (1 - 1/(9O) - z/(3 sqrt O))^3
    upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3

    The lower limit is None when the formula goes negative (PHEindicatormethods
    sets it to NA) and for O = 0, where R's evaluation gives NaN (0 * -Inf).
    Use :func:`exact_poisson_ci` (or :func:`rate_ci`) for small counts.
    """
    z = _z(confidence)
    o = _number(o, "o (observed count)")
    if o < 0:
        raise ValueError(f"o (observed count) must be greater than or equal to zero, got {o!r}")
    return _byars_lower(o, z), _byars_upper(o, z)


def exact_poisson_ci(o, confidence=0.95) -> tuple[float, float]:
    """Exact (Garwood) Poisson confidence interval for a count O.

    lower = chi2.ppf(alpha/2, 2O) / 2 (0 when O = 0)
    upper = chi2.ppf(1 - alpha/2, 2O + 2) / 2
    """
    alpha = _alpha(confidence)
    o = _number(o, "o (observed count)")
    if o < 0:
        raise ValueError(f"o (observed count) must be greater than or equal to zero, got {o!r}")
    return _exact_lower(o, alpha), _exact_upper(o, alpha)


def rate_ci(o, n, multiplier=100000, confidence=0.95) -> tuple[float, float]:
    """Confidence limits of the crude rate o / n * multiplier (phe_rate).

    Exact Poisson limits are used when o < 10 and Byar's otherwise, the
    PHE/Fingertips rule (Byar's is within 0.2% of exact from 10 events).
    """
    o = _number(o, "o (observed count)")
    n = _number(n, "n (denominator)")
    multiplier = _number(multiplier, "multiplier")
    if o < 0:
        raise ValueError(f"o (observed count) must be greater than or equal to zero, got {o!r}")
    if n <= 0:
        raise ValueError(f"n (denominator) must be greater than zero, got {n!r}")
    if multiplier <= 0:
        raise ValueError(f"multiplier must be greater than zero, got {multiplier!r}")
    lower, upper = _count_limits(o, confidence)
    # lower is never None here: Byar's lower is positive for o >= 10 at both
    # accepted confidence levels.
    return lower / n * multiplier, upper / n * multiplier


def dsr(
    counts, populations, standard_populations, multiplier=100000, confidence=0.95
) -> tuple[float | None, float | None, float | None]:
    """Directly standardised rate with Dobson's confidence limits.

    Follows PHEindicatormethods ``calculate_dsr`` (independent events):

    * value  = sum(w_i O_i / n_i) / sum(w_i) * multiplier
    * var    = sum(w_i^2 O_i / n_i^2) / sum(w_i)^2
    * limits = value + sqrt(var / O) * (O_limit - O) * multiplier, where O is
      the total count and O_limit its Poisson limit.

    O_limit is taken from the count limits used for rates (exact below 10,
    Byar's from 10); because the DSR is only published for O >= 10 this is
    always Byar's, exactly as in PHEindicatormethods.  When the total count
    is under 10 the DSR is suppressed and (None, None, None) is returned.

    Missing counts (None/NaN) are treated as 0, like ``na.zero`` in R;
    populations must be > 0 and standard populations >= 0, none missing.
    """
    _z(confidence)
    counts = list(counts)
    populations = list(populations)
    standard_populations = list(standard_populations)
    if not (len(counts) == len(populations) == len(standard_populations)):
        raise ValueError(
            "counts, populations and standard_populations must have the same length "
            f"(got {len(counts)}, {len(populations)}, {len(standard_populations)})"
        )
    if not counts:
        raise ValueError("at least one standardisation category is required")
    multiplier = _number(multiplier, "multiplier")
    if multiplier <= 0:
        raise ValueError(f"multiplier must be greater than zero, got {multiplier!r}")

    o_i = np.array([0.0 if _is_missing(c) else _number(c, "counts") for c in counts])
    n_i = np.array([_number(p, "populations") for p in populations])
    w_i = np.array([_number(s, "standard_populations") for s in standard_populations])
    if np.any(o_i < 0):
        raise ValueError("counts must all be greater than or equal to zero")
    if np.any(n_i <= 0):
        raise ValueError("populations must all be greater than zero")
    if np.any(w_i < 0):
        raise ValueError("standard_populations must all be greater than or equal to zero")
    if w_i.sum() <= 0:
        raise ValueError("standard_populations must not all be zero")

    total = float(o_i.sum())
    if total < _DSR_MIN_COUNT:
        return None, None, None

    sum_w = float(w_i.sum())
    value = float(np.sum(o_i * w_i / n_i)) / sum_w * multiplier
    var_dsr = float(np.sum(o_i * (w_i / n_i) ** 2)) / sum_w**2
    o_lower, o_upper = _count_limits(total, confidence)
    scale = math.sqrt(var_dsr / total) * multiplier
    lower = value + scale * (o_lower - total)
    upper = value + scale * (o_upper - total)
    return value, lower, upper


# --------------------------------------------------------------------------
# Funnel plots
# --------------------------------------------------------------------------


def _funnel_limit(p: float, n: float, z: float, side: int) -> float:
    # PHEindicatormethods sigma_adjustment(), kept in the same algebraic form
    # (and operation order) so results agree with R to rounding error.  It
    # returns the observed proportion at denominator n whose Wilson score
    # interval just reaches the baseline p, i.e. the funnel is the Wilson
    # interval turned round: a point lies outside the funnel exactly when
    # its own Wilson interval excludes the baseline.
    z2 = z * z
    first_part = p * (n / z2 + 1.0)
    discriminant = (-8.0 * p * (n / z2 + 1.0)) ** 2 - 64.0 * (1.0 / z2 + 1.0 / n) * p * (
        n * (p * (n / z2 + 2.0) - 1.0) + z2 * (p - 1.0)
    )
    # exactly 0 at p = 0 and p = 1; guard against a -1e-10 rounding residue
    adj = math.sqrt(max(discriminant, 0.0))
    last_part = 1.0 / z2 + 1.0 / n
    return (first_part + side * adj / 8.0) / last_part / n


def proportion_funnel_limits(baseline, n, confidence=0.95) -> tuple[float, float]:
    """Funnel plot control limits for a proportion around ``baseline`` at size n.

    Uses the Fingertips method (PHEindicatormethods ``sigma_adjustment`` as
    called by ``phe_funnels`` / ``calculate_funnel_limits`` with statistic
    "proportion"): the limits are the observed proportions whose Wilson score
    interval at the given confidence touches the baseline.  Note: this is
    the Wilson-based method the package actually uses, not a beta/binomial
    exact method.  confidence 0.95 gives the "2 sigma" (0.025 each side)
    limits and 0.998 the "3 sigma" (0.001 each side) limits.  Both limits are
    on the 0-1 scale and clipped to [0, 1] as in the package.
    """
    z = _z(confidence)
    p = _number(baseline, "baseline")
    n = _number(n, "n (denominator)")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"baseline must be a proportion between 0 and 1, got {baseline!r}")
    if n <= 0:
        raise ValueError(f"n (denominator) must be greater than zero, got {n!r}")
    lower = _funnel_limit(p, n, z, -1)
    upper = _funnel_limit(p, n, z, +1)
    return min(max(lower, 0.0), 1.0), min(max(upper, 0.0), 1.0)


# --------------------------------------------------------------------------
# Benchmarking
# --------------------------------------------------------------------------


def _check_polarity(polarity) -> str:
    if polarity not in _POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(_POLARITIES)}; got {polarity!r}")
    return polarity


def compare_to_benchmark(value, lower, upper, benchmark, polarity) -> str:
    """Fingertips comparison of an area's value with a benchmark.

    Returns 'better', 'similar', 'worse' (polarity 'high_good'/'low_good'),
    'higher'/'lower' (polarity 'no_judgement') or 'not compared'.

    * 'not compared' when the value, either limit or the benchmark is
      missing (None/NaN), or when polarity is 'not_applicable'.
    * 'similar' when lower <= benchmark <= upper (inclusive: a benchmark
      lying exactly on a limit is not a significant difference).
    * otherwise the area is 'higher' (benchmark < lower) or 'lower'
      (benchmark > upper), translated to better/worse by the polarity.

    An unknown polarity raises ValueError (checked first, so a typo is
    never hidden by missing data).
    """
    polarity = _check_polarity(polarity)
    if polarity == "not_applicable" or any(_is_missing(v) for v in (value, lower, upper, benchmark)):
        return "not compared"
    lower, upper, benchmark = float(lower), float(upper), float(benchmark)
    if lower <= benchmark <= upper:
        return "similar"
    direction = "higher" if benchmark < lower else "lower"
    if polarity == "no_judgement":
        return direction
    good = "higher" if polarity == "high_good" else "lower"
    return "better" if direction == good else "worse"


# --------------------------------------------------------------------------
# Recent trend (Fingertips trend markers)
# --------------------------------------------------------------------------


def _trend_periods(periods, count: int) -> np.ndarray:
    if periods is None:
        return np.arange(count, dtype=float)
    t = np.array([_number(p, "periods") for p in periods], dtype=float)
    if len(t) != count:
        raise ValueError("periods must have the same length as the series")
    if np.any(np.diff(t) <= 0):
        raise ValueError("periods must be strictly increasing (oldest first, no duplicates)")
    return t


def _latest(seq, k: int) -> list | None:
    """Last k items of seq, or None if seq is shorter than k."""
    items = list(seq)
    return items[-k:] if len(items) >= k else None


def _logit_slope(num: np.ndarray, den: np.ndarray, t: np.ndarray) -> float:
    # Direction of a proportion trend: ordinary least squares slope of
    # logit(p) on time (PHEindicatormethods calculate_trend_logistic_regression
    # with trend_direction_only = TRUE).
    p = num / den
    y = np.log(p / (1.0 - p))
    k = len(t)
    return float((k * np.sum(y * t) - np.sum(y) * np.sum(t)) / (k * np.sum(t * t) - np.sum(t) ** 2))


def _chi2_trend_proportion(num: np.ndarray, den: np.ndarray, t: np.ndarray) -> float:
    """Chi-squared test for linear trend in proportions (Cochran-Armitage).

    X^2 = N (N sum(C t) - C sum(D t))^2 / (C (N - C) (N sum(D t^2) - (sum(D t))^2))
    with C = sum of numerators and N = sum of denominators (Fingertips
    technical guidance; same statistic as R's prop.trend.test).
    """
    big_n = np.sum(den)
    big_c = np.sum(num)
    numerator = big_n * (big_n * np.sum(num * t) - big_c * np.sum(den * t)) ** 2
    denominator = big_c * (big_n - big_c) * (big_n * np.sum(den * t * t) - np.sum(den * t) ** 2)
    return float(numerator / denominator)


def _weighted_trend(values: np.ndarray, sigma2: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    """Inverse-variance weighted regression slope and its chi-squared statistic.

    beta = (S1 Syt - St Sy) / (S1 Stt - St^2) and X^2 = beta^2 / var(beta)
    with var(beta) = S1 / (S1 Stt - St^2), all sums weighted by 1/sigma^2
    (PHEindicatormethods calculate_trend_weighted_regression).
    """
    w = 1.0 / sigma2
    s1, st, sy = np.sum(w), np.sum(w * t), np.sum(w * values)
    stt, syt = np.sum(w * t * t), np.sum(w * values * t)
    det = s1 * stt - st**2
    beta = (s1 * syt - st * sy) / det
    var_beta = s1 / det
    return float(beta), float(beta**2 / var_beta)


def _decide_trend(statistic: float, slope_all: float, loo_slopes: Iterable[float]) -> str:
    # The exact 99.8% chi-squared quantile is used; the R package compares
    # with the rounded 9.5495, which differs only for statistics between
    # 9.5495 and 9.5495357.
    if not statistic > TREND_CHI2_THRESHOLD:
        return "no significant change"
    # A significant result only stands if no single point drives it: every
    # leave-one-out slope must keep the sign of the full slope.
    sign = np.sign(slope_all)
    if sign == 0 or any(np.sign(s) != sign for s in loo_slopes):
        return "no significant change"
    return "increasing" if slope_all > 0 else "decreasing"


def recent_trend_proportion(numerators, denominators, periods=None) -> str:
    """Fingertips recent trend for a proportion, from numerators/denominators.

    Uses the latest 5 points (series given oldest first; ``periods`` are the
    time values, default equally spaced).  Significance: Cochran-Armitage
    chi-squared > 9.54953570608324 (1 df, 99.8%).  Direction: slope of
    logit(proportion) on time; each of the five leave-one-out slopes must
    have the same sign, otherwise 'no significant change'.

    Returns 'increasing', 'decreasing', 'no significant change' or
    'cannot be calculated' (fewer than 5 points, any missing value in the
    latest five, a zero denominator, or a proportion of exactly 0 or 1 in
    the window, for which the logit slope is undefined).
    """
    numerators, denominators = list(numerators), list(denominators)
    if len(numerators) != len(denominators):
        raise ValueError("numerators and denominators must have the same length")
    t_all = _trend_periods(periods, len(numerators))
    num = _latest(numerators, _TREND_POINTS)
    den = _latest(denominators, _TREND_POINTS)
    if num is None or any(_is_missing(v) for v in num + den):
        return "cannot be calculated"
    num = np.array([_number(v, "numerators") for v in num])
    den = np.array([_number(v, "denominators") for v in den])
    if np.any(num < 0) or np.any(num > den):
        raise ValueError("numerators must be between 0 and their denominators")
    if np.any(den <= 0) or np.any(num == 0) or np.any(num == den):
        return "cannot be calculated"
    t = t_all[-_TREND_POINTS:]
    statistic = _chi2_trend_proportion(num, den, t)
    slope = _logit_slope(num, den, t)
    keep = [np.arange(_TREND_POINTS) != j for j in range(_TREND_POINTS)]
    loo = (_logit_slope(num[m], den[m], t[m]) for m in keep)
    return _decide_trend(statistic, slope, loo)


def recent_trend_from_limits(values, lower, upper, periods=None, confidence=0.95) -> str:
    """Fingertips recent trend for a non-proportion, from values and CI limits.

    Each point's standard error is (upper - lower) / (2 z) for the confidence
    of the supplied limits; the slope and chi-squared statistic come from an
    inverse-variance weighted regression on time over the latest 5 points.
    Significance and the leave-one-out rule are as for proportions.

    Returns 'increasing', 'decreasing', 'no significant change' or
    'cannot be calculated' (fewer than 5 points, any missing value or limit
    in the latest five, or a non-positive interval width).
    """
    z = _z(confidence)
    values, lower, upper = list(values), list(lower), list(upper)
    if not (len(values) == len(lower) == len(upper)):
        raise ValueError("values, lower and upper must have the same length")
    t_all = _trend_periods(periods, len(values))
    v, lo, up = (_latest(s, _TREND_POINTS) for s in (values, lower, upper))
    if v is None or any(_is_missing(x) for x in v + lo + up):
        return "cannot be calculated"
    v = np.array([_number(x, "values") for x in v])
    lo = np.array([_number(x, "lower") for x in lo])
    up = np.array([_number(x, "upper") for x in up])
    if np.any(up - lo <= 0):
        return "cannot be calculated"
    t = t_all[-_TREND_POINTS:]
    sigma2 = ((up - lo) / (2.0 * z)) ** 2
    slope, statistic = _weighted_trend(v, sigma2, t)
    keep = [np.arange(_TREND_POINTS) != j for j in range(_TREND_POINTS)]
    loo = (_weighted_trend(v[m], sigma2[m], t[m])[0] for m in keep)
    return _decide_trend(statistic, slope, loo)


def recent_trend(
    values=None, numerators=None, denominators=None, *, lower=None, upper=None, periods=None, confidence=0.95
) -> str:
    """Fingertips recent trend of a time series (oldest first).

    * Proportions: pass ``numerators`` and ``denominators`` (``values`` is
      then ignored) -- see :func:`recent_trend_proportion`.
    * Anything else: pass ``values`` with their ``lower`` and ``upper``
      confidence limits at ``confidence`` -- see
      :func:`recent_trend_from_limits`.

    Returns 'increasing', 'decreasing', 'no significant change' or
    'cannot be calculated'.  Raises ValueError when neither input set is
    complete.
    """
    if numerators is not None or denominators is not None:
        if numerators is None or denominators is None:
            raise ValueError("proportion trends need both numerators and denominators")
        return recent_trend_proportion(numerators, denominators, periods=periods)
    if values is None or lower is None or upper is None:
        raise ValueError(
            "recent_trend needs numerators and denominators (proportions) "
            "or values with lower and upper confidence limits"
        )
    return recent_trend_from_limits(values, lower, upper, periods=periods, confidence=confidence)


_TREND_RESULTS = ("increasing", "decreasing", "no significant change", "cannot be calculated")


def trend_direction_to_judgement(trend, polarity) -> str:
    """Turn a recent-trend direction into the Fingertips wording for a polarity.

    'increasing'/'decreasing' become 'getting better'/'getting worse' for
    'high_good' and 'low_good'; with 'no_judgement' (and 'not_applicable',
    where no judgement can be made either) the direction is kept.
    'no significant change' and 'cannot be calculated' pass through.
    """
    polarity = _check_polarity(polarity)
    if trend not in _TREND_RESULTS:
        raise ValueError(f"trend must be one of {', '.join(_TREND_RESULTS)}; got {trend!r}")
    if trend in ("no significant change", "cannot be calculated"):
        return trend
    if polarity in ("no_judgement", "not_applicable"):
        return trend
    good = "increasing" if polarity == "high_good" else "decreasing"
    return "getting better" if trend == good else "getting worse"


# --------------------------------------------------------------------------
# SPC XmR (Making Data Count)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class XmRResult:
    """Result of :func:`spc_xmr`.

    ``moving_ranges[0]`` is None (no previous point).  ``signals[i]`` lists
    the rules point i triggers, in the order 'outside limits', 'two of
    three', 'run', 'trend'; ``classification[i]`` is 'special cause high',
    'special cause low' or 'common cause'.
    """

    values: tuple[float, ...]
    mean: float
    mean_moving_range: float
    upper_process_limit: float
    lower_process_limit: float
    upper_two_thirds: float
    lower_two_thirds: float
    moving_ranges: tuple[float | None, ...]
    signals: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    classification: tuple[str, ...] = field(default_factory=tuple)


_SPC_RUN = 7  # Making Data Count: a run or trend of 7 or more points
_SIGNAL_ORDER = ("outside limits", "two of three", "run", "trend")


def _flag_runs(keys: Sequence[int], min_len: int) -> list[int]:
    """For each position, the non-zero key of a run of >= min_len equal keys, else 0."""
    out = [0] * len(keys)
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        if keys[i] != 0 and j - i + 1 >= min_len:
            for k in range(i, j + 1):
                out[k] = keys[i]
        i = j + 1
    return out


def spc_xmr(values) -> XmRResult:
    """XmR (individuals) chart with NHS England "Making Data Count" rules.

    * mean = average of the values; moving range = |x_i - x_(i-1)|;
      process limits = mean +/- 2.66 x mean moving range.
    * 'outside limits': a point above the upper or below the lower limit.
    * 'run': 7 or more consecutive points above (or below) the mean; every
      point of the run is flagged.  A point exactly on the mean is on
      neither side and ends a run.
    * 'trend': 7 or more consecutive points each higher (or lower) than
      the one before; every point of the trend is flagged.  Equal
      consecutive values end a trend.
    * 'two of three': 2 or 3 of any 3 consecutive points beyond the
      two-thirds line (mean +/- 2/3 of the distance to the limit, i.e. in
      the outer third or beyond the limit) on the same side; the points
      beyond the line are flagged.

    Classification: a point with any signal is 'special cause high' or
    'special cause low' according to the direction of its strongest signal
    (order as listed in :class:`XmRResult`; a rising trend counts as high
    even below the mean), otherwise 'common cause'.

    Accepts any sequence of numbers.  Raises ValueError for fewer than 2
    values (no moving range, so no limits) or any missing value.
    """
    xs = list(values)
    if len(xs) < 2:
        raise ValueError("spc_xmr needs at least 2 values to compute a moving range")
    if any(_is_missing(v) for v in xs):
        raise ValueError("spc_xmr values must not contain missing values")
    x = [_number(v, "values") for v in xs]
    n = len(x)

    mean = sum(x) / n
    moving = [abs(x[i] - x[i - 1]) for i in range(1, n)]
    mmr = sum(moving) / len(moving)
    upl = mean + SPC_LIMIT_CONSTANT * mmr
    lpl = mean - SPC_LIMIT_CONSTANT * mmr
    upper_23 = mean + 2.0 / 3.0 * SPC_LIMIT_CONSTANT * mmr
    lower_23 = mean - 2.0 / 3.0 * SPC_LIMIT_CONSTANT * mmr

    # direction per rule per point: +1 high, -1 low, 0 none
    outside = [1 if v > upl else -1 if v < lpl else 0 for v in x]

    side = [1 if v > mean else -1 if v < mean else 0 for v in x]
    run = _flag_runs(side, _SPC_RUN)

    # a trend of 7 points is 6 successive changes in the same direction
    steps = [1 if x[i] > x[i - 1] else -1 if x[i] < x[i - 1] else 0 for i in range(1, n)]
    step_runs = _flag_runs(steps, _SPC_RUN - 1)
    trend = [0] * n
    for i, d in enumerate(step_runs):
        if d:
            trend[i] = trend[i + 1] = d

    beyond = [1 if v > upper_23 else -1 if v < lower_23 else 0 for v in x]
    two3 = [0] * n
    for start in range(0, n - 2):
        window = range(start, start + 3)
        for d in (1, -1):
            hits = [i for i in window if beyond[i] == d]
            if len(hits) >= 2:
                for i in hits:
                    two3[i] = d

    by_rule = {"outside limits": outside, "two of three": two3, "run": run, "trend": trend}
    signals, classification = [], []
    for i in range(n):
        fired = tuple(r for r in _SIGNAL_ORDER if by_rule[r][i])
        signals.append(fired)
        if fired:
            d = by_rule[fired[0]][i]
            classification.append("special cause high" if d > 0 else "special cause low")
        else:
            classification.append("common cause")

    return XmRResult(
        values=tuple(x),
        mean=mean,
        mean_moving_range=mmr,
        upper_process_limit=upl,
        lower_process_limit=lpl,
        upper_two_thirds=upper_23,
        lower_two_thirds=lower_23,
        moving_ranges=(None, *moving),
        signals=tuple(signals),
        classification=tuple(classification),
    )


# --------------------------------------------------------------------------
# Vectorised helpers (whole columns; NaN where an input is invalid)
# --------------------------------------------------------------------------


def _as_float_array(a) -> np.ndarray:
    """Float array from a sequence/array/Series; None becomes NaN."""
    try:
        return np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        # slow path only for inputs holding None (or other non-numbers)
        arr = np.asarray(a, dtype=object)
        flat = [np.nan if _is_missing(v) else float(v) for v in arr.ravel()]
        return np.array(flat, dtype=float).reshape(arr.shape)


def wilson_ci_arrays(x, n, confidence=0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`wilson_ci`; NaN where x/n is missing or invalid.

    Invalid means x < 0, n <= 0 or x > n (the scalar version raises).
    """
    z = _z(confidence)
    x = _as_float_array(x)
    n = _as_float_array(n)
    x, n = np.broadcast_arrays(x, n)
    valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    xs = np.where(valid, x, 0.0)
    ns = np.where(valid, n, 1.0)
    z2 = z * z
    root = z * np.sqrt(z2 + 4.0 * xs * (1.0 - xs / ns))
    denom = 2.0 * (ns + z2)
    lower = np.where(xs == 0, 0.0, (2.0 * xs + z2 - root) / denom)
    upper = np.where(xs == ns, 1.0, (2.0 * xs + z2 + root) / denom)
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def byars_ci_arrays(o, confidence=0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`byars_ci`; NaN where o is missing or negative, and
    for the lower limit where :func:`byars_ci` returns None."""
    z = _z(confidence)
    o = _as_float_array(o)
    valid = np.isfinite(o) & (o >= 0)
    os_ = np.where(valid & (o > 0), o, 1.0)
    lower = os_ * (1.0 - 1.0 / (9.0 * os_) - z / (3.0 * np.sqrt(os_))) ** 3
    lower = np.where(valid & (o > 0) & (lower >= 0), lower, np.nan)
    o1 = np.where(valid, o, 0.0) + 1.0
    upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    return lower, np.where(valid, upper, np.nan)


def exact_poisson_ci_arrays(o, confidence=0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`exact_poisson_ci`; NaN where o is missing or negative."""
    alpha = _alpha(confidence)
    o = _as_float_array(o)
    valid = np.isfinite(o) & (o >= 0)
    os_ = np.where(valid, o, 1.0)
    with np.errstate(invalid="ignore"):
        lower = np.where(os_ == 0, 0.0, chi2.ppf(alpha / 2.0, 2.0 * np.where(os_ == 0, 1.0, os_)) / 2.0)
    upper = chi2.ppf(1.0 - alpha / 2.0, 2.0 * os_ + 2.0) / 2.0
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def rate_ci_arrays(o, n, multiplier=100000, confidence=0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`rate_ci`; NaN where o/n is missing or invalid."""
    multiplier = _number(multiplier, "multiplier")
    if multiplier <= 0:
        raise ValueError(f"multiplier must be greater than zero, got {multiplier!r}")
    o = _as_float_array(o)
    n = _as_float_array(n)
    o, n = np.broadcast_arrays(o, n)
    valid = np.isfinite(o) & np.isfinite(n) & (o >= 0) & (n > 0)
    ex_lo, ex_up = exact_poisson_ci_arrays(np.where(valid, o, np.nan), confidence)
    by_lo, by_up = byars_ci_arrays(np.where(valid, o, np.nan), confidence)
    small = o < _EXACT_POISSON_BELOW
    lower = np.where(small, ex_lo, by_lo)
    upper = np.where(small, ex_up, by_up)
    ns = np.where(valid, n, np.nan)
    return lower / ns * multiplier, upper / ns * multiplier


def proportion_funnel_limits_arrays(baseline, n, confidence=0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`proportion_funnel_limits` over denominators ``n``
    (and/or baselines); NaN where an input is missing or invalid."""
    z = _z(confidence)
    p = _as_float_array(baseline)
    n = _as_float_array(n)
    p, n = np.broadcast_arrays(p, n)
    valid = np.isfinite(p) & np.isfinite(n) & (p >= 0) & (p <= 1) & (n > 0)
    ps = np.where(valid, p, 0.5)
    ns = np.where(valid, n, 1.0)
    z2 = z * z
    first_part = ps * (ns / z2 + 1.0)
    adj = np.sqrt(
        np.maximum(
            (-8.0 * ps * (ns / z2 + 1.0)) ** 2
            - 64.0 * (1.0 / z2 + 1.0 / ns) * ps * (ns * (ps * (ns / z2 + 2.0) - 1.0) + z2 * (ps - 1.0)),
            0.0,
        )
    )
    last_part = 1.0 / z2 + 1.0 / ns
    lower = np.clip((first_part - adj / 8.0) / last_part / ns, 0.0, 1.0)
    upper = np.clip((first_part + adj / 8.0) / last_part / ns, 0.0, 1.0)
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)
