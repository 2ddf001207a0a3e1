"""Tests for indicators/stats.py against published reference values.

Reference data live in tests/fixtures/stats/ (provenance in README.md there and
in each file's header).  Full-precision published values are compared at a
relative tolerance of 1e-9; values the source printed rounded are compared at
half a unit in the last printed place.  Where no published value exists the
expected result is derived in the test by arithmetic from the definition, or
checked against a property that defines the method (e.g. exact Poisson limits
are the points where the Poisson tail probability equals alpha/2) -- never
against the module's own output.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import chi2, poisson

from indicators import stats
from indicators.stats import (
    TREND_CHI2_THRESHOLD,
    Z_95,
    Z_998,
    byars_ci,
    byars_ci_arrays,
    compare_to_benchmark,
    dsr,
    exact_poisson_ci,
    exact_poisson_ci_arrays,
    proportion_funnel_limits,
    proportion_funnel_limits_arrays,
    rate_ci,
    rate_ci_arrays,
    recent_trend,
    recent_trend_from_limits,
    recent_trend_proportion,
    spc_xmr,
    trend_direction_to_judgement,
    wilson_ci,
    wilson_ci_arrays,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "stats"
REL = 1e-9


def read_fixture(name: str) -> list[dict[str, str]]:
    """Rows of a fixture CSV, skipping '#' provenance lines."""
    with open(FIXTURES / name, newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


def half_unit(decimals: int) -> float:
    """Tolerance for a value printed to `decimals` places (its rounding),
    plus a hair for binary representation of the printed decimal."""
    return 0.5 * 10.0 ** (-decimals) + 1e-12


# ---------------------------------------------------------------------------
# constants
# ---------------------------------------------------------------------------


def test_z_values_are_exact_normal_quantiles_not_1_96():
    # qnorm(0.975) and qnorm(0.999) as printed by R to 16 significant digits
    assert pytest.approx(1.959963984540054, rel=1e-15) == Z_95
    assert pytest.approx(3.090232306167813, rel=1e-15) == Z_998
    assert Z_95 != 1.96


def test_trend_threshold_is_chi_square_1df_99_8():
    assert pytest.approx(9.54953570608324, rel=1e-12) == TREND_CHI2_THRESHOLD


@pytest.mark.parametrize("bad", [0.9, 0.99, 95, 99.8, 1, 0, True, None, "0.95"])
@pytest.mark.parametrize(
    "call",
    [
        lambda c: wilson_ci(5, 10, c),
        lambda c: byars_ci(5, c),
        lambda c: exact_poisson_ci(5, c),
        lambda c: rate_ci(5, 10, confidence=c),
        lambda c: dsr([10], [100], [1], confidence=c),
        lambda c: proportion_funnel_limits(0.5, 100, c),
        lambda c: recent_trend_from_limits([1] * 5, [0] * 5, [2] * 5, confidence=c),
        lambda c: wilson_ci_arrays([5], [10], c),
        lambda c: byars_ci_arrays([5], c),
        lambda c: exact_poisson_ci_arrays([5], c),
        lambda c: rate_ci_arrays([5], [10], confidence=c),
        lambda c: proportion_funnel_limits_arrays(0.5, [100], c),
    ],
)
def test_only_95_and_99_8_confidence_accepted(call, bad):
    with pytest.raises(ValueError, match="confidence"):
        call(bad)


# ---------------------------------------------------------------------------
# Wilson
# ---------------------------------------------------------------------------

WILSON_ROWS = read_fixture("wilson_reference.csv")


@pytest.mark.parametrize("row", WILSON_ROWS, ids=lambda r: f"{r['x']}/{r['n']}@{r['confidence']}")
def test_wilson_matches_published_values(row):
    lower, upper = wilson_ci(float(row["x"]), float(row["n"]), float(row["confidence"]))
    m = float(row["multiplier"])
    checked = 0
    if row["lower"]:
        assert lower * m == pytest.approx(float(row["lower"]), rel=REL)
        checked += 1
    if row["upper"]:
        assert upper * m == pytest.approx(float(row["upper"]), rel=REL)
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("confidence,z", [(0.95, 1.959963984540054), (0.998, 3.090232306167813)])
@pytest.mark.parametrize("x,n", [(1, 10), (65, 100), (1045, 5000), (0.445, 1), (3, 3000), (99, 100)])
def test_wilson_limits_solve_the_score_equation(x, n, confidence, z):
    # Wilson's interval is the set of p with (x/n - p)^2 <= z^2 p (1 - p) / n;
    # both limits are roots of the equality (Wilson 1927).
    p_hat = x / n
    for p in wilson_ci(x, n, confidence):
        assert (p_hat - p) ** 2 == pytest.approx(z * z * p * (1 - p) / n, rel=REL)
    lower, upper = wilson_ci(x, n, confidence)
    assert lower < p_hat < upper


@pytest.mark.parametrize("n", [1, 7, 100, 12345])
@pytest.mark.parametrize("confidence,z", [(0.95, 1.959963984540054), (0.998, 3.090232306167813)])
def test_wilson_boundaries_closed_form(n, confidence, z):
    # x = 0: the interval is [0, z^2/(n + z^2)]; x = n: [n/(n + z^2), 1]
    lower, upper = wilson_ci(0, n, confidence)
    assert lower == 0.0
    assert upper == pytest.approx(z * z / (n + z * z), rel=REL)
    lower, upper = wilson_ci(n, n, confidence)
    assert upper == 1.0
    assert lower == pytest.approx(n / (n + z * z), rel=REL)


@pytest.mark.parametrize(
    "x,n,message",
    [
        (11, 10, "less than or equal to n"),
        (5, 0, "greater than zero"),
        (0, 0, "greater than zero"),
        (5, -6, "greater than zero"),
        (-4, 10, "greater than or equal to zero"),
        (None, 10, "must be a number"),
        (float("nan"), 10, "must be a number"),
        (5, None, "must be a number"),
        ("5", 10, "must be a number"),
        (5, float("inf"), "must be finite"),
    ],
)
def test_wilson_validation(x, n, message):
    with pytest.raises(ValueError, match=message):
        wilson_ci(x, n)


# ---------------------------------------------------------------------------
# Byar's and exact Poisson
# ---------------------------------------------------------------------------

BYARS_ROWS = read_fixture("byars_reference.csv")


@pytest.mark.parametrize("row", BYARS_ROWS, ids=lambda r: f"o={r['o']},n={r['n'] or '-'}")
def test_byars_lower_matches_published_values(row):
    o, conf = float(row["o"]), float(row["confidence"])
    if row["n"]:
        lower, _ = rate_ci(o, float(row["n"]), float(row["multiplier"]), conf)
    else:
        lower, _ = byars_ci(o, conf)
    assert lower == pytest.approx(float(row["lower"]), rel=REL)


def test_byars_within_published_accuracy_of_exact():
    # PHE Technical Guide "Confidence Intervals" (Public Health Data Science,
    # 25 May 2018), Appendix 1: "for 95% confidence intervals, Byar's method
    # is within 0.2% of the exact value for numerators of 10 or more".  (The
    # 99.8% figure is cut off in the copy available, so it is not tested.)
    for o in list(range(10, 400)) + [500, 1000, 5000, 100000]:
        b_lo, b_up = byars_ci(o, 0.95)
        e_lo, e_up = exact_poisson_ci(o, 0.95)
        assert abs(b_lo - e_lo) / e_lo < 0.002
        assert abs(b_up - e_up) / e_up < 0.002


def test_byars_lower_missing_when_zero_or_negative():
    # PHEindicatormethods: 0 * (-Inf)^3 is NaN in R for O = 0, and negative
    # lower limits are set to NA; the upper limit is always defined.
    lower, upper = byars_ci(0)
    assert lower is None
    z = 1.959963984540054
    assert upper == pytest.approx((1 - 1 / 9 + z / 3) ** 3, rel=REL)
    # O = 1 at 99.8%: 1 - 1/9 - 3.0902/3 < 0, so the cube is negative
    assert 1 - 1 / 9 - 3.090232306167813 / 3 < 0
    assert byars_ci(1, 0.998)[0] is None
    assert byars_ci(1, 0.95)[0] is not None


def test_byars_validation():
    with pytest.raises(ValueError, match="greater than or equal to zero"):
        byars_ci(-4)
    with pytest.raises(ValueError, match="must be a number"):
        byars_ci(None)


EXACT_ROWS = read_fixture("exact_poisson_reference.csv")


@pytest.mark.parametrize("row", EXACT_ROWS, ids=lambda r: f"o={r['o']}")
def test_exact_poisson_matches_published_values(row):
    # Published values are rounded; compare at the printed precision.
    lower, upper = exact_poisson_ci(float(row["o"]), float(row["confidence"]))
    exposure = float(row["exposure"])
    tol = half_unit(int(row["decimals"]))
    checked = 0
    if row["lower"]:
        assert abs(lower / exposure - float(row["lower"])) <= tol
        checked += 1
    if row["upper"]:
        assert abs(upper / exposure - float(row["upper"])) <= tol
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("o", range(0, 10))
def test_exact_poisson_limits_have_alpha_over_2_tails(o, confidence):
    # Garwood's exact limits are defined by the Poisson tails:
    #   P(X >= O | mu = lower) = alpha/2  and  P(X <= O | mu = upper) = alpha/2,
    # with lower = 0 when O = 0.  Checked with scipy's Poisson distribution,
    # independently of the chi-squared quantiles the module uses.
    alpha = 1 - confidence
    lower, upper = exact_poisson_ci(o, confidence)
    if o == 0:
        assert lower == 0.0
    else:
        assert poisson.sf(o - 1, lower) == pytest.approx(alpha / 2, rel=REL)
    assert poisson.cdf(o, upper) == pytest.approx(alpha / 2, rel=REL)


def test_exact_poisson_zero_count_upper_closed_form():
    # For O = 0 the upper limit solves exp(-mu) = alpha/2: mu = -ln(alpha/2)
    assert exact_poisson_ci(0, 0.95)[1] == pytest.approx(-math.log(0.025), rel=REL)
    assert exact_poisson_ci(0, 0.998)[1] == pytest.approx(-math.log(0.001), rel=REL)


def test_exact_poisson_validation():
    with pytest.raises(ValueError, match="greater than or equal to zero"):
        exact_poisson_ci(-1)


# ---------------------------------------------------------------------------
# crude rates
# ---------------------------------------------------------------------------


def test_rate_uses_exact_limits_below_10():
    # published exact limits (exact_poisson_reference.csv): O = 4 lower
    # 1.089865 (survival::cipoisson) and O = 0 upper 3.689 (epitools);
    # rate per 1,000 of a population of 1,000 equals the count limits.
    assert abs(rate_ci(4, 1000, multiplier=1000)[0] - 1.089865) <= half_unit(6)
    lower, upper = rate_ci(0, 1000, multiplier=1000)
    assert lower == 0.0
    assert abs(upper - 3.689) <= half_unit(3)


def test_rate_uses_byars_from_10():
    # From O = 10 the rate must follow Byar's formula (derived here by hand).
    z = 1.959963984540054
    o, n, mult = 10, 5000, 100000
    byars_lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    byars_upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    lower, upper = rate_ci(o, n, mult)
    assert lower == pytest.approx(byars_lower / n * mult, rel=REL)
    assert upper == pytest.approx(byars_upper / n * mult, rel=REL)
    # the exact limits at O = 10 differ, so this really tells the methods apart
    exact_lower = chi2.ppf(0.025, 20) / 2
    assert abs(byars_lower - exact_lower) / exact_lower > 1e-6


@pytest.mark.parametrize(
    "args,message",
    [
        ((-1, 100), "greater than or equal to zero"),
        ((1, 0), "greater than zero"),
        ((1, 100, 0), "multiplier"),
        ((1, 100, -5), "multiplier"),
    ],
)
def test_rate_validation(args, message):
    with pytest.raises(ValueError, match=message):
        rate_ci(*args)


# ---------------------------------------------------------------------------
# DSR
# ---------------------------------------------------------------------------

DSR_ROWS = read_fixture("dsr_reference.csv")


def test_dsr_matches_published_value_and_lower_limit():
    counts = [float(r["count"]) for r in DSR_ROWS]
    pops = [float(r["population"]) for r in DSR_ROWS]
    esp = [float(r["esp2013"]) for r in DSR_ROWS]
    assert len(counts) == 19
    value, lower, upper = dsr(counts, pops, esp)
    assert value == pytest.approx(9832.763039564017, rel=REL)
    assert lower == pytest.approx(9232.668299548477, rel=REL)
    # the published upper (10461.61759955204) came from a buggy Byar's upper;
    # with the correct formula it must still lie above the value and be larger.
    assert upper > 10461.61759955204


def test_dsr_single_band_reduces_to_byars_rate():
    # With one band the DSR is the crude rate and Dobson's limits are exactly
    # Byar's limits of the count: var = O/n^2, so value + (B - O)/n * m = B/n * m.
    # Published: phe_rate(100, 10000, 1e5) lower = 813.6210549052789.
    value, lower, _ = dsr([100], [10000], [123], multiplier=100000)
    assert value == pytest.approx(1000.0, rel=REL)
    assert lower == pytest.approx(813.6210549052789, rel=REL)


def test_dsr_dobson_formula_by_hand():
    # two bands, 99.8%; expected worked through with the published formula
    counts, pops, w = [30, 12], [1000.0, 400.0], [3.0, 1.0]
    z = 3.090232306167813
    value = (30 * 3 / 1000 + 12 * 1 / 400) / 4 * 100000
    var = (30 * (3 / 1000) ** 2 + 12 * (1 / 400) ** 2) / 16
    o = 42
    b_lo = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    b_up = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    expected = (
        value,
        value + math.sqrt(var / o) * (b_lo - o) * 100000,
        value + math.sqrt(var / o) * (b_up - o) * 100000,
    )
    assert dsr(counts, pops, w, confidence=0.998) == pytest.approx(expected, rel=REL)


def test_dsr_suppressed_below_10_and_missing_counts_are_zero():
    assert dsr([4, 5], [100, 100], [1, 1]) == (None, None, None)
    value, lower, upper = dsr([5, 5], [100, 100], [1, 1])
    assert value == pytest.approx(5000.0, rel=REL)
    assert lower is not None and upper is not None
    # None/NaN count -> 0 (PHEindicatormethods na.zero): 5 + 0 + 5 < 10 ... and 10 here
    assert dsr([5, None, 5], [100, 100, 100], [1, 1, 1])[0] == pytest.approx(10000 / 3, rel=REL)
    assert dsr([5, float("nan"), 4], [100, 100, 100], [1, 1, 1]) == (None, None, None)


@pytest.mark.parametrize(
    "args,message",
    [
        (([1, 2], [10], [1, 1]), "same length"),
        (([], [], []), "at least one"),
        (([-1, 20], [10, 10], [1, 1]), "counts"),
        (([10, 20], [0, 10], [1, 1]), "populations"),
        (([10, 20], [None, 10], [1, 1]), "populations"),
        (([10, 20], [10, 10], [-1, 1]), "standard_populations"),
        (([10, 20], [10, 10], [0, 0]), "standard_populations"),
    ],
)
def test_dsr_validation(args, message):
    with pytest.raises(ValueError, match=message):
        dsr(*args)


# ---------------------------------------------------------------------------
# Funnel plots (proportions)
# ---------------------------------------------------------------------------

FUNNEL_INPUTS = read_fixture("funnel_prop_inputs.csv")


def _baseline(rows) -> float:
    return sum(float(r["numerator"]) for r in rows) / sum(float(r["denominator"]) for r in rows)


def test_funnel_inputs_transcribed_intact():
    # The published outputs print the baseline; recomputing it from the
    # copied inputs guards the transcription of all 303 rows.
    assert len(FUNNEL_INPUTS) == 303
    assert abs(_baseline(FUNNEL_INPUTS) * 100 - 80.642448) <= half_unit(6)
    small = [r for r in FUNNEL_INPUTS if float(r["denominator"]) < 31000]
    assert len(small) == 97
    assert abs(_baseline(small) * 100 - 82.18033788) <= half_unit(8)


@pytest.mark.parametrize(
    "outputs,subset,decimals",
    [
        ("funnel_prop_outputs.csv", lambda d: True, 6),
        ("funnel_prop_outputs_axis_variation.csv", lambda d: d < 31000, 8),
    ],
)
def test_funnel_limits_match_phe_funnels(outputs, subset, decimals):
    # PHEindicatormethods phe_funnels() outputs (percent) printed to 6 / 8 dp;
    # 100 denominators x 4 limits per file, including clipped 0 and 100 values.
    rows = [r for r in FUNNEL_INPUTS if subset(float(r["denominator"]))]
    p = _baseline(rows)
    tol = half_unit(decimals)
    expected_rows = read_fixture(outputs)
    assert len(expected_rows) == 100
    for r in expected_rows:
        n = float(r["Population"])
        l2, u2 = proportion_funnel_limits(p, n, 0.95)
        l3, u3 = proportion_funnel_limits(p, n, 0.998)
        for got, key in (
            (l2, "Lower2s0025limit"),
            (u2, "Upper2s0025limit"),
            (l3, "Lower3s0001limit"),
            (u3, "Upper3s0001limit"),
        ):
            assert abs(got * 100 - float(r[key])) <= tol, (n, key)


def test_funnel_significance_matches_published_bands():
    # 303 areas with the significance band published by PHEindicatormethods
    # (phe_funnel_significance test data).
    p = _baseline(FUNNEL_INPUTS)
    seen = set()
    for r in FUNNEL_INPUTS:
        x, n = float(r["numerator"]), float(r["denominator"])
        value = x / n
        l2, u2 = proportion_funnel_limits(p, n, 0.95)
        l3, u3 = proportion_funnel_limits(p, n, 0.998)
        if value < l3:
            band = "Low (0.001)"
        elif value < l2:
            band = "Low (0.025)"
        elif value > u3:
            band = "High (0.001)"
        elif value > u2:
            band = "High (0.025)"
        else:
            band = "Not significant"
        assert band == r["significance"], r["Area"]
        seen.add(band)
    assert len(seen) == 5  # every band is exercised


@pytest.mark.parametrize("row", read_fixture("sigma_adjustment_reference.csv"), ids=lambda r: r["side"])
def test_funnel_limits_match_published_sigma_adjustment(row):
    confidence = {"0.975": 0.95, "0.999": 0.998}[row["p"]]
    lower, upper = proportion_funnel_limits(
        float(row["average_proportion"]), float(row["population"]), confidence
    )
    got = lower if row["side"] == "low" else upper
    assert got * float(row["multiplier"]) == pytest.approx(float(row["result"]), rel=REL)


def test_funnel_limits_are_inverted_wilson_intervals():
    # The funnel limit is the observed proportion whose Wilson interval just
    # reaches the baseline (PHE technical guidance), so the Wilson upper
    # limit at the lower funnel limit equals the baseline.
    p, n = 0.3, 250
    for confidence in (0.95, 0.998):
        lower, upper = proportion_funnel_limits(p, n, confidence)
        assert wilson_ci(lower * n, n, confidence)[1] == pytest.approx(p, rel=REL)
        assert wilson_ci(upper * n, n, confidence)[0] == pytest.approx(p, rel=REL)


def test_funnel_limits_clip_and_validate():
    assert proportion_funnel_limits(0.0, 50) == (0.0, 0.0)
    assert proportion_funnel_limits(1.0, 50) == pytest.approx((1.0, 1.0), rel=REL)
    assert proportion_funnel_limits(0.95, 2)[1] == 1.0
    for bad in (-0.1, 1.1, None):
        with pytest.raises(ValueError, match="baseline"):
            proportion_funnel_limits(bad, 50)
    with pytest.raises(ValueError, match="greater than zero"):
        proportion_funnel_limits(0.5, 0)


# ---------------------------------------------------------------------------
# benchmark comparison
# ---------------------------------------------------------------------------

NAN = float("nan")


@pytest.mark.parametrize(
    "value,lower,upper,benchmark,polarity,expected",
    [
        # benchmark inside the interval, including exactly on either limit
        (50, 40, 60, 55, "high_good", "similar"),
        (50, 40, 60, 40, "high_good", "similar"),
        (50, 40, 60, 60, "low_good", "similar"),
        (50, 40, 60, 50, "no_judgement", "similar"),
        # area higher than benchmark (benchmark < lower)
        (50, 40, 60, 39.999, "high_good", "better"),
        (50, 40, 60, 30, "low_good", "worse"),
        (50, 40, 60, 30, "no_judgement", "higher"),
        # area lower than benchmark (benchmark > upper)
        (50, 40, 60, 60.001, "high_good", "worse"),
        (50, 40, 60, 70, "low_good", "better"),
        (50, 40, 60, 70, "no_judgement", "lower"),
        # not compared
        (50, 40, 60, 30, "not_applicable", "not compared"),
        (None, 40, 60, 30, "high_good", "not compared"),
        (50, None, 60, 30, "high_good", "not compared"),
        (50, 40, None, 30, "high_good", "not compared"),
        (50, 40, 60, None, "high_good", "not compared"),
        (NAN, 40, 60, 30, "low_good", "not compared"),
        (50, NAN, 60, 30, "low_good", "not compared"),
        (50, 40, np.float64("nan"), 30, "no_judgement", "not compared"),
        (50, 40, 60, NAN, "no_judgement", "not compared"),
    ],
)
def test_compare_to_benchmark(value, lower, upper, benchmark, polarity, expected):
    assert compare_to_benchmark(value, lower, upper, benchmark, polarity) == expected


@pytest.mark.parametrize("polarity", ["High is good", "", None, "high"])
def test_compare_to_benchmark_unknown_polarity(polarity):
    with pytest.raises(ValueError, match="polarity"):
        compare_to_benchmark(50, 40, 60, 30, polarity)
    with pytest.raises(ValueError, match="polarity"):  # even when data are missing
        compare_to_benchmark(None, 40, 60, 30, polarity)


# ---------------------------------------------------------------------------
# recent trend
# ---------------------------------------------------------------------------


def test_chi_square_trend_matches_r_prop_trend_test():
    # R stats::prop.trend.test help example (smokers/patients), output
    # "X-squared = 8.2249" (4 dp) as quoted by Rui Barradas on R-help,
    # 8 Sep 2023.  Fingertips' Cochran-Armitage statistic is the same test.
    x2 = stats._chi2_trend_proportion(
        np.array([83, 90, 129, 70.0]), np.array([86, 93, 136, 82.0]), np.arange(1, 5.0)
    )
    assert abs(x2 - 8.2249) <= half_unit(4)


def test_weighted_trend_statistic_by_hand():
    # Equal standard errors: the weighted slope is the OLS slope and
    # X^2 = beta^2 * sum((t - tbar)^2) / sigma^2.
    t = np.arange(5.0)
    y = np.array([10.0, 10.4, 10.9, 11.1, 11.8])
    sigma = 0.2
    tbar, ybar = t.mean(), y.mean()
    sxx = float(np.sum((t - tbar) ** 2))
    beta = float(np.sum((t - tbar) * (y - ybar))) / sxx
    slope, x2 = stats._weighted_trend(y, np.full(5, sigma**2), t)
    assert slope == pytest.approx(beta, rel=REL)
    assert x2 == pytest.approx(beta**2 * sxx / sigma**2, rel=REL)


def test_recent_trend_proportion_increasing_and_decreasing():
    den = [20000] * 5
    up = [2000, 2200, 2400, 2600, 2800]  # 10% -> 14%, large n
    assert recent_trend_proportion(up, den) == "increasing"
    assert recent_trend(numerators=up, denominators=den) == "increasing"
    down = up[::-1]
    assert recent_trend_proportion(down, den) == "decreasing"


def test_recent_trend_proportion_flat_is_no_change():
    assert recent_trend_proportion([500, 502, 499, 501, 500], [1000] * 5) == "no significant change"


def test_recent_trend_small_change_not_significant():
    # 10% -> 14% on n = 100 each year: chi-square well under 9.5495
    num, den = [10, 11, 12, 13, 14], [100] * 5
    assert (
        stats._chi2_trend_proportion(np.array(num, float), np.array(den, float), np.arange(5.0))
        < TREND_CHI2_THRESHOLD
    )
    assert recent_trend_proportion(num, den) == "no significant change"


def test_recent_trend_one_point_drives_slope():
    # Falling for four years, then a jump: overall significant and rising,
    # but dropping the last point reverses the slope -> no significant change.
    num, den = [5200, 5000, 4800, 4600, 8000], [10000] * 5
    arr_n, arr_d, t = np.array(num, float), np.array(den, float), np.arange(5.0)
    assert stats._chi2_trend_proportion(arr_n, arr_d, t) > TREND_CHI2_THRESHOLD
    assert stats._logit_slope(arr_n, arr_d, t) > 0
    assert stats._logit_slope(arr_n[:4], arr_d[:4], t[:4]) < 0
    assert recent_trend_proportion(num, den) == "no significant change"


def test_recent_trend_cannot_be_calculated():
    assert recent_trend_proportion([1, 2, 3, 4], [10] * 4) == "cannot be calculated"
    assert recent_trend_proportion([100, 200, None, 400, 500], [1000] * 5) == "cannot be calculated"
    assert (
        recent_trend_proportion([100, 200, 300, 400, 500], [1000, 1000, NAN, 1000, 1000])
        == "cannot be calculated"
    )
    assert recent_trend_proportion([0, 200, 300, 400, 500], [1000] * 5) == "cannot be calculated"
    assert recent_trend_from_limits([1, 2, 3, 4], [0] * 4, [5] * 4) == "cannot be calculated"
    assert recent_trend_from_limits([1, 2, None, 4, 5], [0] * 5, [9] * 5) == "cannot be calculated"
    assert recent_trend_from_limits([1, 2, 3, 4, 5], [0, 1, 2, 3, None], [9] * 5) == "cannot be calculated"
    assert (
        recent_trend_from_limits([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == "cannot be calculated"
    )


def test_recent_trend_uses_latest_five_points_only():
    # two wild early points are ignored; a missing value outside the window too
    num = [9000, None, 2000, 2200, 2400, 2600, 2800]
    den = [10000, 10000] + [20000] * 5
    assert recent_trend_proportion(num, den) == "increasing"


def test_recent_trend_from_limits():
    values = [100.0, 110.0, 120.0, 130.0, 140.0]
    lower = [v - 4 for v in values]
    upper = [v + 4 for v in values]
    assert recent_trend_from_limits(values, lower, upper) == "increasing"
    assert recent_trend(values, lower=lower, upper=upper) == "increasing"
    assert recent_trend(values[::-1], lower=lower[::-1], upper=upper[::-1]) == "decreasing"
    flat = [100.0, 101.0, 99.0, 100.5, 100.0]
    assert (
        recent_trend(flat, lower=[v - 4 for v in flat], upper=[v + 4 for v in flat])
        == "no significant change"
    )
    # wide intervals make the same rise non-significant
    assert (
        recent_trend(values, lower=[v - 60 for v in values], upper=[v + 60 for v in values])
        == "no significant change"
    )


def test_recent_trend_from_limits_leave_one_out():
    values = [104.0, 102.0, 100.0, 98.0, 160.0]
    lower = [v - 4 for v in values]
    upper = [v + 4 for v in values]
    sigma2 = np.full(5, (8 / (2 * Z_95)) ** 2)
    slope, x2 = stats._weighted_trend(np.array(values), sigma2, np.arange(5.0))
    assert x2 > TREND_CHI2_THRESHOLD and slope > 0
    assert stats._weighted_trend(np.array(values[:4]), sigma2[:4], np.arange(4.0))[0] < 0
    assert recent_trend_from_limits(values, lower, upper) == "no significant change"


def test_recent_trend_periods_and_input_errors():
    den = [20000] * 5
    up = [2000, 2200, 2400, 2600, 2800]
    assert recent_trend_proportion(up, den, periods=[2019, 2020, 2021, 2022, 2023]) == "increasing"
    with pytest.raises(ValueError, match="strictly increasing"):
        recent_trend_proportion(up, den, periods=[2019, 2020, 2020, 2022, 2023])
    with pytest.raises(ValueError, match="same length"):
        recent_trend_proportion(up, den[:4])
    with pytest.raises(ValueError, match="numerators"):
        recent_trend(numerators=up)
    with pytest.raises(ValueError, match="lower and upper"):
        recent_trend([1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="between 0"):
        recent_trend_proportion([10, 20, 30, 40, 50], [100, 100, 100, 100, 40])


def test_recent_trend_uses_the_periods_of_the_latest_five():
    # Unequal spacing changes the answer: the last point is far in time.
    # The periods used must be those of the latest five points.
    window = [9000, 9000, 10000, 11000, 9000]
    den = [20000] * 7
    assert recent_trend_proportion(window, den[:5]) == "increasing"  # equally spaced
    assert recent_trend_proportion(window, den[:5], periods=[2, 3, 4, 5, 20]) == "no significant change"
    assert (
        recent_trend_proportion([5000, 5000] + window, den, periods=[0, 1, 2, 3, 4, 5, 20])
        == "no significant change"
    )


@pytest.mark.parametrize("margin,expected", [(1.00001, "increasing"), (0.99999, "no significant change")])
def test_recent_trend_from_limits_standard_error_uses_exact_z(margin, expected):
    # A perfectly linear series (slope 1 per period, t = 0..4, so
    # sum((t - tbar)^2) = 10) with half-width h = z * sigma chosen so that
    # X^2 = 10 / sigma^2 is 0.001% either side of 9.54953570608324.  Using
    # 1.96 instead of qnorm(0.975) would move X^2 up by 0.0037% and flip the
    # lower case to 'increasing'.
    z = 1.959963984540054
    sigma = math.sqrt(10 / (9.54953570608324 * margin))
    h = z * sigma
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert recent_trend_from_limits(values, [v - h for v in values], [v + h for v in values]) == expected
    # the same half-width read as 99.8% limits means a smaller sigma: significant
    assert (
        recent_trend_from_limits(values, [v - h for v in values], [v + h for v in values], confidence=0.998)
        == "increasing"
    )


@pytest.mark.parametrize(
    "trend,polarity,expected",
    [
        ("increasing", "high_good", "getting better"),
        ("increasing", "low_good", "getting worse"),
        ("decreasing", "high_good", "getting worse"),
        ("decreasing", "low_good", "getting better"),
        ("increasing", "no_judgement", "increasing"),
        ("decreasing", "no_judgement", "decreasing"),
        ("increasing", "not_applicable", "increasing"),
        ("no significant change", "high_good", "no significant change"),
        ("no significant change", "no_judgement", "no significant change"),
        ("cannot be calculated", "low_good", "cannot be calculated"),
    ],
)
def test_trend_direction_to_judgement(trend, polarity, expected):
    assert trend_direction_to_judgement(trend, polarity) == expected


def test_trend_direction_to_judgement_errors():
    with pytest.raises(ValueError, match="trend"):
        trend_direction_to_judgement("up", "high_good")
    with pytest.raises(ValueError, match="polarity"):
        trend_direction_to_judgement("increasing", "up is good")


# ---------------------------------------------------------------------------
# SPC XmR
# ---------------------------------------------------------------------------


def test_spc_limits_by_hand():
    x = [12.0, 15.0, 11.0, 14.0, 18.0, 13.0, 16.0]
    mean = sum(x) / 7  # 99 / 7
    mrs = [3.0, 4.0, 3.0, 4.0, 5.0, 3.0]
    mmr = sum(mrs) / 6  # 22 / 6
    r = spc_xmr(x)
    assert r.mean == pytest.approx(99 / 7, rel=REL)
    assert r.moving_ranges == (None, *mrs)
    assert r.mean_moving_range == pytest.approx(mmr, rel=REL)
    assert r.upper_process_limit == pytest.approx(mean + 2.66 * mmr, rel=REL)
    assert r.lower_process_limit == pytest.approx(mean - 2.66 * mmr, rel=REL)
    assert r.upper_two_thirds == pytest.approx(mean + 2 / 3 * 2.66 * mmr, rel=REL)
    assert r.lower_two_thirds == pytest.approx(mean - 2 / 3 * 2.66 * mmr, rel=REL)
    assert r.signals == ((),) * 7
    assert r.classification == ("common cause",) * 7


def test_spc_outside_limits_high_and_low():
    x = [1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 12]
    mean, mmr = 32 / 11, 27 / 10
    assert mean + 2.66 * mmr < 12  # 12 > 10.09
    r = spc_xmr(x)
    assert r.signals[10] == ("outside limits",)
    assert r.classification[10] == "special cause high"
    assert set(r.classification[:10]) == {"common cause"}
    r = spc_xmr([-v for v in x])
    assert r.signals[10] == ("outside limits",)
    assert r.classification[10] == "special cause low"


def test_spc_run_of_seven_flags_every_point():
    x = [1, -1, 1, -1, 1, -1] + [0.5] * 7
    mean = 3.5 / 13
    assert mean < 0.5
    r = spc_xmr(x)
    assert all(r.signals[i] == ("run",) for i in range(6, 13))
    assert r.classification[6:] == ("special cause high",) * 7
    assert r.classification[:6] == ("common cause",) * 6
    # six in a row is not a run
    r = spc_xmr([1, -1, 1, -1, 1, -1] + [0.5] * 6)
    assert r.classification == ("common cause",) * 12
    # below the mean -> low
    r = spc_xmr([-v for v in x])
    assert r.classification[6:] == ("special cause low",) * 7


def test_spc_trend_of_seven_flags_every_point():
    x = [3, -3, 3, -3, 3, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    mean, mmr = 5.1 / 12, 27.6 / 11
    # nothing near the limits, no run: only the trend can fire
    assert max(x) < mean + 2 / 3 * 2.66 * mmr and min(x) > mean - 2 / 3 * 2.66 * mmr
    r = spc_xmr(x)
    assert all(r.signals[i] == ("trend",) for i in range(5, 12))
    assert r.classification[5:] == ("special cause high",) * 7  # rising, even below the mean
    assert r.classification[:5] == ("common cause",) * 5
    r = spc_xmr(x[:-1])  # six rising points
    assert all(c == "common cause" for c in r.classification)
    r = spc_xmr([-v for v in x])
    assert r.classification[5:] == ("special cause low",) * 7


def test_spc_two_of_three_same_side_only():
    # Scenario from NHSRplotthedots (nhs-r-community/NHSRplotthedots,
    # tests/testthat/test-ptd_spc_standard.R): symmetrical data with two
    # successive points close to the limits on opposite sides of the mean
    # are common cause.  Limits derived by hand: mean 0, mMR 43.5/15.
    data = [1, -1] * 8
    data[14], data[15] = 5.5, -5.5
    mean, mmr = 0.0, 43.5 / 15
    assert mean + 2 / 3 * 2.66 * mmr < 5.5 < mean + 2.66 * mmr
    r = spc_xmr(data)
    assert r.mean == pytest.approx(0.0, abs=1e-12)
    assert r.classification[-2:] == ("common cause", "common cause")
    # same side: both points in the outer third -> special cause high
    data[15] = 5.5
    mean, mmr = 11 / 16, 32.5 / 15
    assert mean + 2 / 3 * 2.66 * mmr < 5.5 < mean + 2.66 * mmr
    r = spc_xmr(data)
    assert r.signals[14] == ("two of three",) and r.signals[15] == ("two of three",)
    assert r.classification[-2:] == ("special cause high", "special cause high")
    assert set(r.classification[:14]) == {"common cause"}


def test_spc_two_of_three_with_a_gap():
    # points 1 and 3 of a window of three in the lower outer third (beyond
    # two-thirds of the way to the limit, inside the limit); the middle point
    # is not flagged.  Limits by hand: sum 9.5 over 33 points; moving ranges
    # 19 x 1, 4, 3.5, 3.5, 4, 9 x 1 = 43 over 32.
    x = [0, 1] * 10 + [-3, 0.5, -3] + [1, 0] * 5
    mean, mmr = 9.5 / 33, 43 / 32
    lower23, lpl = mean - 2 / 3 * 2.66 * mmr, mean - 2.66 * mmr
    assert lpl < -3 < lower23 < 0
    r = spc_xmr(x)
    assert r.mean == pytest.approx(mean, rel=REL)
    assert r.mean_moving_range == pytest.approx(mmr, rel=REL)
    assert r.signals[20] == ("two of three",) and r.signals[22] == ("two of three",)
    assert r.signals[21] == ()
    assert r.classification[20] == r.classification[22] == "special cause low"
    assert set(r.classification[:20]) == set(r.classification[23:]) == {"common cause"}


def test_spc_input_handling():
    with pytest.raises(ValueError, match="at least 2"):
        spc_xmr([])
    with pytest.raises(ValueError, match="at least 2"):
        spc_xmr([5])
    with pytest.raises(ValueError, match="missing"):
        spc_xmr([1, None, 3])
    with pytest.raises(ValueError, match="missing"):
        spc_xmr([1, NAN, 3])
    r = spc_xmr((2, 4))  # tuples, numpy arrays and generators are accepted
    assert r.mean == 3 and r.mean_moving_range == 2
    assert spc_xmr(np.array([2.0, 4.0])).upper_process_limit == pytest.approx(3 + 2.66 * 2, rel=REL)
    assert spc_xmr(v for v in (2, 4)).lower_process_limit == pytest.approx(3 - 2.66 * 2, rel=REL)


# ---------------------------------------------------------------------------
# vectorised helpers agree with the scalar reference definitions
# ---------------------------------------------------------------------------

RNG = np.random.default_rng(20240601)
N_GRID = RNG.integers(1, 200000, size=400).astype(float)
X_GRID = np.floor(RNG.random(400) * (N_GRID + 1))
X_GRID[:5] = [0, 1, 2, 3, 4]
X_GRID[5] = N_GRID[5]


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_wilson_arrays_agree_with_scalar(confidence):
    lower, upper = wilson_ci_arrays(X_GRID, N_GRID, confidence)
    for x, n, lo, up in zip(X_GRID, N_GRID, lower, upper):
        s_lo, s_up = wilson_ci(x, n, confidence)
        assert lo == pytest.approx(s_lo, rel=1e-12, abs=1e-300)
        assert up == pytest.approx(s_up, rel=1e-12)


def test_wilson_arrays_nan_where_invalid():
    lower, upper = wilson_ci_arrays([5, 11, -1, 5, None, NAN, 3], [10, 10, 10, 0, 10, 10, None])
    assert np.isfinite(lower[0]) and np.isfinite(upper[0])
    assert np.all(np.isnan(lower[1:])) and np.all(np.isnan(upper[1:]))


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_count_arrays_agree_with_scalar(confidence):
    counts = np.concatenate([np.arange(0, 30), X_GRID[:100]])
    b_lo, b_up = byars_ci_arrays(counts, confidence)
    e_lo, e_up = exact_poisson_ci_arrays(counts, confidence)
    r_lo, r_up = rate_ci_arrays(counts, N_GRID[: len(counts)] + 1, 1000, confidence)
    for i, o in enumerate(counts):
        s_lo, s_up = byars_ci(o, confidence)
        assert (np.isnan(b_lo[i]) and s_lo is None) or b_lo[i] == pytest.approx(s_lo, rel=1e-12)
        assert b_up[i] == pytest.approx(s_up, rel=1e-12)
        s_lo, s_up = exact_poisson_ci(o, confidence)
        assert e_lo[i] == pytest.approx(s_lo, rel=1e-12)
        assert e_up[i] == pytest.approx(s_up, rel=1e-12)
        s_lo, s_up = rate_ci(o, N_GRID[i] + 1, 1000, confidence)
        assert r_lo[i] == pytest.approx(s_lo, rel=1e-12)
        assert r_up[i] == pytest.approx(s_up, rel=1e-12)


def test_count_arrays_nan_where_invalid():
    for lo, up in (
        byars_ci_arrays([-1, None, NAN]),
        exact_poisson_ci_arrays([-1, None, NAN]),
        rate_ci_arrays([-1, None, 5, 5], [10, 10, 0, None]),
    ):
        assert np.all(np.isnan(lo)) and np.all(np.isnan(up))


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_funnel_arrays_agree_with_scalar(confidence):
    p = 0.8064244785714955
    lower, upper = proportion_funnel_limits_arrays(p, N_GRID, confidence)
    for n, lo, up in zip(N_GRID, lower, upper):
        s_lo, s_up = proportion_funnel_limits(p, n, confidence)
        assert lo == pytest.approx(s_lo, rel=1e-12)
        assert up == pytest.approx(s_up, rel=1e-12)
    lower, upper = proportion_funnel_limits_arrays([0.5, 1.5, 0.5], [10, 10, 0])
    assert np.isfinite(lower[0]) and np.all(np.isnan(lower[1:])) and np.all(np.isnan(upper[1:]))
