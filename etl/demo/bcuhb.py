"""Betsi Cadwaladr University Health Board: aggregate returns.

Deliveries:
* neurodevelopmental waiting list (monthly, by wait band) and assessments (quarterly),
  mental health (CAMHS) assessments (monthly) and child health (quarterly, by ward): a backfill
  2018-19 Q1 to 2025-26 Q4 (received 30 April 2026), then 2026-27 Q1 (received LATE on
  18 September 2026; due 31 July) and 2026-27 Q2 (received 29 October 2026);
* breastfeeding (annual by ward, 2018-19 to 2025-26) and child measurement (reception year by
  ward, 2018/19 to 2024/25 without 2019/20, when the programme paused), with the backfill.

The neurodevelopmental waiting list is a queue: referrals arrive faster than assessments are
done, a shrinking share of capacity goes to quick/urgent cases and the rest is first come,
first served, so the list grows from about 300 to about 1,100, long waits (1, 2, 3+ years)
grow and the share assessed within 26 weeks falls from about 60% to about 20%.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import mess
from .world import World, fy_label, month_range, quarter_label, quarters, received

SOURCE = "bcuhb"
DELIVERIES = (  # (label, first quarter, last quarter, received)
    ("2018-19Q1_to_2025-26Q4", (2018, 1), (2025, 4), received(2026, 4, 30, 15, 0)),
    ("2026-27Q1", (2026, 1), (2026, 1), received(2026, 9, 18, 16, 45)),
    ("2026-27Q2", (2026, 2), (2026, 2), received(2026, 10, 29, 11, 20)),
)
BANDS = ("0-26 weeks", "26-52 weeks", "1-2 years", "2-3 years", "Over 3 years")
BAND_EDGES_MONTHS = (0, 6, 12, 24, 36)

# Neurodevelopmental queue (per month, scale 1), by financial year.
ND_REFERRALS = {
    2016: 31,
    2017: 33,
    2018: 36,
    2019: 39,
    2020: 37,
    2021: 44,
    2022: 48,
    2023: 50,
    2024: 51,
    2025: 52,
    2026: 52,
}
ND_CAPACITY = {
    2016: 29,
    2017: 31,
    2018: 31,
    2019: 30,
    2020: 22,
    2021: 30,
    2022: 35,
    2023: 38,
    2024: 40,
    2025: 41,
    2026: 42,
}
ND_FAST_SHARE = {
    2016: 0.66,
    2017: 0.65,
    2018: 0.64,
    2019: 0.54,
    2020: 0.44,
    2021: 0.38,
    2022: 0.32,
    2023: 0.28,
    2024: 0.24,
    2025: 0.22,
    2026: 0.21,
}
ND_LEAVE_RATE = 0.004  # per month: moved away or discharged without assessment
ND_INITIAL_BACKLOG = 290  # children waiting in April 2016, referred in the previous year
ND_COMPLEX_SHARE = 0.12  # referrals needing several specialists
ND_COMPLEX_CAPACITY_SHARE = 0.07

CAMHS_PER_MONTH = {2018: 62, 2019: 66, 2020: 60, 2021: 78, 2022: 82, 2023: 80, 2024: 78, 2025: 76, 2026: 76}
CAMHS_WITHIN_28 = {
    2018: 0.86,
    2019: 0.84,
    2020: 0.80,
    2021: 0.66,
    2022: 0.62,
    2023: 0.71,
    2024: 0.80,
    2025: 0.84,
    2026: 0.85,
}
IMMUNISED = {
    2018: 0.921,
    2019: 0.919,
    2020: 0.912,
    2021: 0.902,
    2022: 0.900,
    2023: 0.905,
    2024: 0.909,
    2025: 0.912,
    2026: 0.913,
}
CHECK_27M = {
    2018: 0.895,
    2019: 0.89,
    2020: 0.82,
    2021: 0.865,
    2022: 0.875,
    2023: 0.88,
    2024: 0.885,
    2025: 0.89,
    2026: 0.89,
}
BREASTFEEDING = {
    2018: 0.52,
    2019: 0.525,
    2020: 0.535,
    2021: 0.53,
    2022: 0.535,
    2023: 0.54,
    2024: 0.545,
    2025: 0.55,
}
HEALTHY_WEIGHT = {2018: 0.725, 2020: 0.695, 2021: 0.705, 2022: 0.71, 2023: 0.715, 2024: 0.72}
MEASURES = {
    "immunised_by_4": ("Fully immunised by 4th birthday", "Immunised by age 4"),
    "check_27_month": ("27-month check completed", "27 month review"),
}


def _fy_of_month(m: np.datetime64) -> int:
    """Financial year (start year) of a datetime64[M] month."""
    month = int(m.astype(int)) % 12 + 1
    year = int(m.astype(int)) // 12 + 1970
    return year if month >= 4 else year - 1


# ------------------------------------------------------------------ neurodevelopmental queue


def _serve_fifo(remaining: np.ndarray, upto: int, capacity: int) -> np.ndarray:
    """Take up to `capacity` from the oldest cohorts first (cohorts 0..upto)."""
    cum = np.cumsum(remaining[: upto + 1])
    before = np.concatenate([[0.0], cum[:-1]])
    take = np.clip(capacity - before, 0, remaining[: upto + 1])
    out = np.zeros(len(remaining))
    out[: upto + 1] = take
    return out


def _nd_queue(world: World) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate the queue month by month, as cohorts of referrals by arrival month.

    Two streams: most children (standard) are seen first come first served, after a share of
    capacity goes to quick/urgent cases from the last six months; complex cases (needing
    several specialists) have their own small capacity, so some wait over three years. The
    list starts (April 2016) with the year's backlog the service already had.
    """
    rng = world.rng(SOURCE, "nd_queue")
    months = month_range("2015-04", "2026-09")
    n = len(months)
    start = 12  # April 2016: the simulation starts
    std = np.zeros(n)
    cx = np.zeros(n)
    std[:start] = rng.poisson(world.scaled(ND_INITIAL_BACKLOG * (1 - ND_COMPLEX_SHARE) / 12), start)
    cx[:start] = rng.poisson(world.scaled(ND_INITIAL_BACKLOG * ND_COMPLEX_SHARE / 12), start)
    band_rows, served_rows = [], []
    for m in range(start, n):
        month = months[m]
        fy = _fy_of_month(month)
        arrivals = int(rng.poisson(world.scaled(ND_REFERRALS[fy])))
        cx[m] = rng.binomial(arrivals, ND_COMPLEX_SHARE)
        std[m] = arrivals - cx[m]
        for q in (std, cx):  # a few leave the list without an assessment
            q[: m + 1] -= rng.binomial(q[: m + 1].astype(np.int64), ND_LEAVE_RATE)
        # clinic capacity is planned: small month-to-month wobble, not Poisson noise
        capacity = int(round(world.scaled(ND_CAPACITY[fy]) * rng.uniform(0.96, 1.04)))
        cx_capacity = min(int(round(capacity * ND_COMPLEX_CAPACITY_SHARE)), int(cx[: m + 1].sum()))
        fast = int(round((capacity - cx_capacity) * ND_FAST_SHARE[fy]))
        recent = np.arange(max(0, m - 5), m + 1)
        pool = std[recent]
        take_fast = np.zeros(n)
        if pool.sum() > 0:
            take_fast[recent] = np.minimum(
                rng.multinomial(min(fast, int(pool.sum())), pool / pool.sum()), pool
            )
        std -= take_fast
        take_std = _serve_fifo(std, m, capacity - cx_capacity - int(take_fast.sum()))
        std -= take_std
        take_cx = _serve_fifo(cx, m, cx_capacity)
        cx -= take_cx
        served = take_fast + take_std + take_cx
        waited = m - np.arange(n)
        served_rows.append(
            (int(month.astype(int)), int(served.sum()), int(served[(waited <= 5) & (waited >= 0)].sum()))
        )
        age = m - np.arange(m + 1)
        waiting = std[: m + 1] + cx[: m + 1]
        for b, lo in enumerate(BAND_EDGES_MONTHS):
            hi = BAND_EDGES_MONTHS[b + 1] if b + 1 < len(BAND_EDGES_MONTHS) else 10_000
            band_rows.append((int(month.astype(int)), BANDS[b], int(waiting[(age >= lo) & (age < hi)].sum())))
    # months kept as integers (months since 1970-01): pandas would widen datetime64[M] to seconds
    bands = pd.DataFrame(band_rows, columns=["month", "band", "waiting"])
    served = pd.DataFrame(served_rows, columns=["month", "completed", "within"])
    return bands, served


# ------------------------------------------------------------------ child health by ward


def _child_health(world: World) -> pd.DataFrame:
    """Quarterly immunisation by 4 and 27-month checks by ward (eligible, achieved)."""
    rng = world.rng(SOURCE, "child_health")
    rows = []
    for fy, q in quarters((2018, 1), (2026, 2)):
        under5 = world.children_by_band(fy)[:, 0]
        for measure, table, elasticity in (
            ("immunised_by_4", IMMUNISED, -0.25),
            ("check_27_month", CHECK_27M, -0.2),
        ):
            rate = world.ward_rates(table[fy], fy, elasticity, bands=("0-4",))
            if measure == "check_27_month" and (fy, q) in ((2020, 1), (2020, 2)):
                rate = rate * 0.82  # checks paused or done by phone early in the pandemic
            eligible = rng.poisson(world.scaled(under5 / 5 / 4))
            achieved = rng.binomial(eligible, np.clip(rate, 0, 1))
            for w in range(world.n_wards):
                rows.append((fy, q, w, measure, int(eligible[w]), int(achieved[w])))
    return pd.DataFrame(rows, columns=["fy", "q", "ward", "measure", "eligible", "achieved"])


# ------------------------------------------------------------------ writing


def _write(path: Path, header: list[str], cols: list, when, totals: list | None = None) -> Path:
    """Write one BCUHB CSV and stamp its received time."""
    mess.write_csv(path, header, cols, totals=totals)
    mess.set_received(path, when)
    return path


def _in_delivery(fy: np.ndarray, q: np.ndarray, first: tuple, last: tuple) -> np.ndarray:
    """Mask of (financial year, quarter) pairs inside a delivery's first..last quarter."""
    key = fy * 10 + q
    return (key >= first[0] * 10 + first[1]) & (key <= last[0] * 10 + last[1])


def _month_fyq(months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Financial year and quarter of datetime64[M] months."""
    n = months.astype(int)
    month = n % 12 + 1
    year = n // 12 + 1970
    fy = np.where(month >= 4, year, year - 1)
    return fy, ((month - 4) % 12) // 3 + 1


def generate(world: World, out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write every BCUHB file (backfill, late Q1, Q2, annual files); returns the paths."""
    out_dir = Path(out_dir)
    paths: list[Path] = []
    bands, served = _nd_queue(world)
    first_month = int(np.datetime64("2018-04", "M").astype(int))
    bands = bands[bands["month"] >= first_month].reset_index(drop=True)
    served = served[served["month"] >= first_month].reset_index(drop=True)
    b_months = bands["month"].to_numpy().astype("datetime64[M]")
    b_fy, b_q = _month_fyq(b_months)
    s_fy, s_q = _month_fyq(served["month"].to_numpy().astype("datetime64[M]"))
    served["fy"], served["q"] = s_fy, s_q
    nd_q = served.groupby(["fy", "q"], sort=True)[["completed", "within"]].sum().reset_index()

    rng = world.rng(SOURCE, "camhs")
    months = month_range("2018-04", "2026-09")
    m_fy, m_q = _month_fyq(months)
    assessed = rng.poisson(world.scaled([CAMHS_PER_MONTH[int(y)] for y in m_fy]))
    within = rng.binomial(assessed, [CAMHS_WITHIN_28[int(y)] for y in m_fy])

    ch = _child_health(world)
    label_rng = world.rng(SOURCE, "labels")
    ch["ward_text"] = mess.ward_labels(
        world, ch["ward"].to_numpy(), label_rng, {"code": 0.4, "en": 0.4, "code_name": 0.2}
    )

    for label, first, last, when in DELIVERIES:
        m = _in_delivery(b_fy, b_q, first, last)
        b = bands[m]
        paths.append(
            _write(
                out_dir / f"bcuhb_nd_waiting_list_{label}.csv",
                ["Month end", "Wait band", "Children waiting"],
                [
                    np.array([str(x) for x in b_months[m]], dtype=object),  # 2018-04
                    b["band"].to_numpy(dtype=object),
                    mess.as_text(b["waiting"]),
                ],
                when,
            )
        )
        nq = nd_q[_in_delivery(nd_q["fy"].to_numpy(), nd_q["q"].to_numpy(), first, last)]
        paths.append(
            _write(
                out_dir / f"bcuhb_nd_assessments_{label}.csv",
                ["Quarter", "Assessments completed", "Within 26 weeks"],
                [
                    np.array(
                        [quarter_label(int(f), int(q)) for f, q in zip(nq["fy"], nq["q"])], dtype=object
                    ),
                    mess.as_text(nq["completed"]),
                    mess.as_text(nq["within"]),
                ],
                when,
            )
        )
        mm = _in_delivery(m_fy, m_q, first, last)
        paths.append(
            _write(
                out_dir / f"bcuhb_camhs_assessments_{label}.csv",
                ["Month", "Assessments (under 18)", "Assessed within 28 days"],
                [
                    mess.format_dates(months[mm].astype("datetime64[D]"), mess.MON_YY),
                    mess.as_text(assessed[mm]),
                    mess.as_text(within[mm]),
                ],
                when,
            )
        )
        c = ch[_in_delivery(ch["fy"].to_numpy(), ch["q"].to_numpy(), first, last)].copy()
        backfill = label == DELIVERIES[0][0]
        # the backfill uses the long measure names, the quarterly template the short ones
        c["measure_text"] = c["measure"].map({k: v[0 if backfill else 1] for k, v in MEASURES.items()})
        c["quarter"] = [f"{f}/{(f + 1) % 100:02d} Q{q}" for f, q in zip(c["fy"], c["q"])]
        if backfill:
            c = _duplicate_key(world, c, log, f"bcuhb_child_health_{label}.csv")
        totals = ["Total", "", "", str(int(c["eligible"].sum())), str(int(c["achieved"].sum()))]
        paths.append(
            _write(
                out_dir / f"bcuhb_child_health_{label}.csv",
                ["Quarter", "Ward", "Measure", "Eligible", "Achieved"],
                [
                    c["quarter"].to_numpy(dtype=object),
                    c["ward_text"].to_numpy(dtype=object),
                    c["measure_text"].to_numpy(dtype=object),
                    mess.as_text(c["eligible"]),
                    mess.as_text(c["achieved"]),
                ],
                when,
                totals=totals,
            )
        )

    backfill_when = DELIVERIES[0][3]
    paths.append(_breastfeeding(world, out_dir, backfill_when))
    # the Child Measurement Programme file came a week ahead of the backfill (its contract
    # allows 240 days after the school year, i.e. to 28 April 2026)
    paths.append(_child_measurement(world, out_dir, received(2026, 4, 24, 11, 0)))
    return paths


def _duplicate_key(world: World, c: pd.DataFrame, log: mess.ProblemLog, file: str) -> pd.DataFrame:
    """Repeat one (quarter, ward, measure) with the ward written the other way and a
    different achieved figure: a duplicated key the ETL must reject."""
    rng = world.rng(SOURCE, "bad_rows", "child_health")
    c = c.reset_index(drop=True)
    i = int(rng.integers(0, len(c)))
    dup = c.iloc[[i]].copy()
    code = world.wards["ward_code"].iloc[int(dup["ward"].iloc[0])]
    name = world.wards["name_en"].iloc[int(dup["ward"].iloc[0])]
    dup["ward_text"] = name if dup["ward_text"].iloc[0] == code else code
    dup["achieved"] = max(0, int(dup["achieved"].iloc[0]) - int(rng.integers(1, 4)))
    out = pd.concat([c.iloc[: i + 1], dup, c.iloc[i + 1 :]], ignore_index=True)
    log.add(
        file,
        f"lines {i + 2} and {i + 3}",
        f"duplicated key ({dup['quarter'].iloc[0]}, {code}, {dup['measure_text'].iloc[0]})",
    )
    return out


def _breastfeeding(world: World, out_dir: Path, when) -> Path:
    """Annual births with feeding status and any breastfeeding at 10 days, by ward."""
    rng = world.rng(SOURCE, "breastfeeding")
    rows = []
    for fy, rate in BREASTFEEDING.items():
        births = rng.poisson(world.scaled(world.children_by_band(fy)[:, 0] / 5 * 0.95))
        p = world.ward_rates(rate, fy, -0.55, bands=("0-4",))
        feeding = rng.binomial(births, p)
        for w in range(world.n_wards):
            rows.append((fy_label(fy), w, births[w], feeding[w]))
    f = pd.DataFrame(rows, columns=["fy", "ward", "births", "feeding"])
    f["ward_text"] = mess.ward_labels(world, f["ward"].to_numpy(), rng, {"en": 0.9, "code_name": 0.1})
    path = out_dir / "bcuhb_breastfeeding_2018-19_to_2025-26.csv"
    return _write(
        path,
        ["Financial year", "Ward", "Births with feeding status recorded", "Any breastfeeding at 10 days"],
        [
            f["fy"].to_numpy(dtype=object),
            f["ward_text"].to_numpy(dtype=object),
            mess.as_text(f["births"]),
            mess.as_text(f["feeding"]),
        ],
        when,
    )


def _child_measurement(world: World, out_dir: Path, when) -> Path:
    """Reception-year children measured and at a healthy weight, by ward (no 2019/20)."""
    rng = world.rng(SOURCE, "child_measurement")
    rows = []
    for year, rate in HEALTHY_WEIGHT.items():  # 2019 (2019/20) is missing on purpose
        measured = rng.binomial(rng.poisson(world.scaled(world.children_by_band(year)[:, 0] / 5)), 0.93)
        p = world.ward_rates(rate, year, -0.3, bands=("0-4",))
        healthy = rng.binomial(measured, p)
        for w in range(world.n_wards):
            rows.append((f"{year}/{(year + 1) % 100:02d}", w, measured[w], healthy[w]))
    f = pd.DataFrame(rows, columns=["ay", "ward", "measured", "healthy"])
    f["ward_text"] = mess.ward_labels(world, f["ward"].to_numpy(), rng, {"en": 0.8, "code": 0.2})
    path = out_dir / "bcuhb_child_measurement_2018-19_to_2024-25.csv"
    return _write(
        path,
        ["School year", "Ward", "Children measured", "Healthy weight"],
        [
            f["ay"].to_numpy(dtype=object),
            f["ward_text"].to_numpy(dtype=object),
            mess.as_text(f["measured"]),
            mess.as_text(f["healthy"]),
        ],
        when,
    )
