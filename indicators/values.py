"""From checked, disclosure-controlled rows to published values.

Values and 95% / 99.8% intervals (Wilson for proportions, exact Poisson below 10 and Byar's
above for rates and counts), comparisons with Wales and, for wards, with Wrexham (Fingertips
rule, both levels), recent trends (the 5 latest points, Fingertips test), SPC signals for
service activity, targets, and StatsWales-style note codes. Withheld cells get no value, no
interval and no judgement: only the note code 'c'.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import stats
from indicators.catalogue import Framework, Indicator
from indicators.periods import bounds

WREXHAM, WALES = "W06000006", "W92000004"
SERIES = ["indicator_id", "area_code", "breakdown", "breakdown_value"]
TREND_ROWS = 8  # trends are worked out for each series' latest 8 periods


def _intervals(indicator: Indicator, num: np.ndarray, den: np.ndarray, confidence: float):
    m = indicator.multiplier
    if indicator.value_type == "proportion":
        lo, up = stats.wilson_ci_arrays(num, den, confidence)
        return lo * m, up * m
    if indicator.value_type == "rate":
        return stats.rate_ci_arrays(num, den, m, confidence)
    if indicator.value_type == "count":
        # Poisson limits of the count (exact below 10): used for trends even where not shown.
        return stats.rate_ci_arrays(num, np.ones_like(num), 1, confidence)
    return np.full_like(num, np.nan), np.full_like(num, np.nan)


def compute_values(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):  # missing cells divide to NaN, as meant
        return _compute_values(rows, framework)


def _compute_values(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    parts = []
    for indicator_id, group in rows.groupby("indicator_id", sort=False):
        indicator = framework.indicator(indicator_id)
        num = group["numerator"].to_numpy(dtype=float).copy()
        den = group["denominator"].to_numpy(dtype=float)
        estimate = (group["withheld_reason"] == "estimate").to_numpy()
        partner = group["partner_suppressed"].to_numpy(dtype=float)
        if indicator.value_type in ("proportion", "rate"):
            value = num / den * indicator.multiplier
        else:
            value = num.copy()
        # Wrexham totals that include partner-suppressed cells ('<5') are estimates: each such
        # cell counts as 2.5, and the interval spans every value the true count could take.
        value_est = np.where(estimate, _scaled(indicator, num + 2.5 * partner, den), value)
        lo95, up95 = _intervals(indicator, num, den, 0.95)
        lo998, up998 = _intervals(indicator, num, den, 0.998)
        lo95_low, _ = _intervals(indicator, num + partner, den, 0.95)
        _, up95_high = _intervals(indicator, num + 4 * partner, den, 0.95)
        lo998_low, _ = _intervals(indicator, num + partner, den, 0.998)
        _, up998_high = _intervals(indicator, num + 4 * partner, den, 0.998)
        lo95, up95 = np.where(estimate, lo95_low, lo95), np.where(estimate, up95_high, up95)
        lo998, up998 = np.where(estimate, lo998_low, lo998), np.where(estimate, up998_high, up998)
        withheld = group["value_withheld"].to_numpy() & ~estimate
        blank = lambda a: np.where(withheld, np.nan, a)  # noqa: E731
        group = group.assign(
            value=blank(value_est),
            lower_95=blank(lo95),
            upper_95=blank(up95),
            lower_998=blank(lo998),
            upper_998=blank(up998),
        )
        if indicator.ci_method == "none":
            # Kept for the trend test, not published (a count is not compared with anywhere).
            group = group.assign(
                _trend_lower=group["lower_95"],
                _trend_upper=group["upper_95"],
                lower_95=np.nan,
                upper_95=np.nan,
                lower_998=np.nan,
                upper_998=np.nan,
            )
        else:
            group = group.assign(_trend_lower=group["lower_95"], _trend_upper=group["upper_95"])
        parts.append(group)
    return pd.concat(parts, ignore_index=True)


def _scaled(indicator: Indicator, num, den):
    if indicator.value_type in ("proportion", "rate"):
        return num / den * indicator.multiplier
    return num


def add_period_columns(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    frequency = rows["indicator_id"].map(lambda i: framework.indicator(i).frequency)
    pairs = [bounds(p, f) for p, f in zip(rows["period"], frequency)]
    return rows.assign(
        period_type=frequency.to_numpy(),
        period_start=pd.to_datetime([a for a, _ in pairs]).date,
        period_end=pd.to_datetime([b for _, b in pairs]).date,
    )


def add_comparisons(rows: pd.DataFrame, framework: Framework, wales: pd.DataFrame) -> pd.DataFrame:
    """compared_to_wales[_998] for every row with a Wales figure; compared_to_wrexham[_998] for wards."""
    polarity = rows["indicator_id"].map(lambda i: framework.indicator(i).polarity)
    uses_wales = rows["indicator_id"].map(lambda i: framework.indicator(i).benchmark == "wales")
    wales_values = wales.set_index(["indicator_id", "period"])["value"]
    wales_for_row = pd.Series(
        wales_values.reindex(pd.MultiIndex.from_arrays([rows["indicator_id"], rows["period"]])).to_numpy(),
        index=rows.index,
    ).where(uses_wales)
    wrexham = rows[(rows["area_code"] == WREXHAM)].set_index(
        ["indicator_id", "period", "breakdown", "breakdown_value"]
    )["value"]
    wrexham_for_row = pd.Series(
        wrexham.reindex(
            pd.MultiIndex.from_arrays(
                [rows["indicator_id"], rows["period"], rows["breakdown"], rows["breakdown_value"]]
            )
        ).to_numpy(),
        index=rows.index,
    ).where(rows["area_code"] != WREXHAM)

    def judge(lower, upper, benchmark):
        return [
            stats.compare_to_benchmark(v, lo, up, b, p)
            for v, lo, up, b, p in zip(rows["value"], rows[lower], rows[upper], benchmark, polarity)
        ]

    return rows.assign(
        wales_value=wales_for_row,
        wrexham_value=wrexham_for_row,
        compared_to_wales=judge("lower_95", "upper_95", wales_for_row),
        compared_to_wales_998=judge("lower_998", "upper_998", wales_for_row),
        compared_to_wrexham=judge("lower_95", "upper_95", wrexham_for_row),
        compared_to_wrexham_998=judge("lower_998", "upper_998", wrexham_for_row),
    )


def add_trends(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The recent trend at each of a series' latest periods (5 points ending there): the latest
    TREND_ROWS for Wrexham series (the board compares quarters), the latest two for wards."""
    rows = rows.sort_values(SERIES + ["period_end"]).reset_index(drop=True)
    value = rows["value"].to_numpy(dtype=float)
    num, den = rows["numerator"].to_numpy(dtype=float), rows["denominator"].to_numpy(dtype=float)
    low, high = rows["_trend_lower"].to_numpy(dtype=float), rows["_trend_upper"].to_numpy(dtype=float)
    trend = np.full(len(rows), None, dtype=object)
    for (indicator_id, area_code, *_), index in rows.groupby(SERIES, sort=False).indices.items():
        indicator = framework.indicator(indicator_id)
        if indicator.value_type == "money":
            continue
        keep = TREND_ROWS if area_code == WREXHAM else 2
        for end in range(max(0, len(index) - keep), len(index)):
            window = index[max(0, end - 4) : end + 1]
            if len(window) < 5 or np.isnan(value[window]).any():
                trend[index[end]] = "cannot be calculated"
            elif indicator.value_type == "proportion":
                trend[index[end]] = stats.recent_trend_proportion(num[window], den[window])
            else:
                trend[index[end]] = stats.recent_trend_from_limits(value[window], low[window], high[window])
    polarity = rows["indicator_id"].map(lambda i: framework.indicator(i).polarity)
    judgement = [
        None if t is None else stats.trend_direction_to_judgement(t, p) for t, p in zip(trend, polarity)
    ]
    return rows.assign(recent_trend=trend, trend_judgement=judgement)


def add_spc(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """SPC (XmR) over the whole Wrexham series of each service activity indicator."""
    rows = rows.assign(spc_signal=None, spc_mean=np.nan, spc_lower=np.nan, spc_upper=np.nan)
    for indicator in framework.indicators:
        if not indicator.spc:
            continue
        mask = (
            (rows["indicator_id"] == indicator.id)
            & (rows["area_code"] == WREXHAM)
            & (rows["breakdown"] == "all")
            & rows["value"].notna()
        )
        series = rows[mask].sort_values("period_end")
        if len(series) < 3:
            continue
        result = stats.spc_xmr(series["value"].to_list())
        rows.loc[series.index, "spc_signal"] = list(result.classification)
        rows.loc[series.index, ["spc_mean", "spc_lower", "spc_upper"]] = (
            result.mean,
            result.lower_process_limit,
            result.upper_process_limit,
        )
    return rows


def add_targets_and_notes(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    targets = rows["indicator_id"].map(lambda i: (framework.indicator(i).target or {}).get("value"))
    polarity = rows["indicator_id"].map(lambda i: framework.indicator(i).polarity)
    met = [
        None if pd.isna(t) or pd.isna(v) else (v >= t if p != "low_good" else v <= t)
        for v, t, p in zip(rows["value"], targets, polarity)
    ]
    # 'p' marks each indicator's latest period that has a figure (published or withheld).
    has_figure = rows["value"].notna() | rows["withheld_reason"].astype(bool)
    latest = rows["period_end"].where(has_figure).groupby(rows["indicator_id"]).transform("max")
    notes = []
    for reason, value, is_latest in zip(rows["withheld_reason"], rows["value"], rows["period_end"] == latest):
        codes = []
        if reason == "estimate":
            codes.append("e")
        elif reason:
            codes.append("c")
        elif pd.isna(value):
            codes.append("x")
        if is_latest and "x" not in codes:
            codes.append("p")
        notes.append(" ".join(codes))
    return rows.assign(target_value=targets, target_met=met, note_codes=notes)
