"""Looked-after children: periods of care and the placement episodes within them.

Part of the children's services simulation (childrens_services.py builds the children, plans
and extracts; this module decides who comes into care, for how long, and where they live).

Calibration (scale 1): about 205 looked after at 31 March 2019 rising to about 310 at
31 March 2024 (Wrexham's PIF CH/039) and then flat. The monthly number of entries is found by
solving the renewal equation forward (stock = entries x probability of still being in care),
allowing for children leaving at 18, and care durations are stratified within each year's
entrants, so the path holds whatever the seed while individual children vary.

Placements: in-house foster ~40%, agency ~20%, kinship ~20%, residential ~8% rising to ~12%,
placed with parents ~7%; 60% in Wrexham, ~22% elsewhere in Wales, ~18% outside Wales (rising);
weekly costs by type and place; ~8-10% of children with 3+ placements in a year (a minority
of unstable placements move often).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import mess
from .records import Children, cap_at_18, days, mixture_durations
from .world import AGE_BAND_EDGES, World, fy_start_year, month_range, random_dates_in_months, years_between

SOURCE = "childrens_services"  # same random-stream family as the rest of children's services

# Looked after at 31 March (scale 1): rising to 2024, then flattening as prevention matures.
LAC_TARGET = {
    "2018-03-31": 198,
    "2019-03-31": 206,
    "2020-03-31": 226,
    "2021-03-31": 250,
    "2022-03-31": 275,
    "2023-03-31": 295,
    "2024-03-31": 310,
    "2025-03-31": 316,
    "2026-03-31": 318,
    "2026-09-30": 316,
}
LAC_START = "2005-01"
LAC_STEADY_UNTIL = "2012-03"
LAC_ENTRIES_EARLY = 72.0  # per year before the target path takes over
LAC_SHORT_SHARE, LAC_SHORT_YEARS, LAC_LONG_YEARS = 0.35, 0.35, 3.9
LAC_ENTRY_AGE = [0.36, 0.19, 0.33, 0.12]
LAC_UNSTABLE_SHARE, LAC_UNSTABLE_RATE, LAC_STABLE_RATE = 0.16, 2.4, 0.22  # moves per year
PLACEMENTS = ("foster_in_house", "foster_agency", "kinship", "residential", "placed_with_parents", "other")
LOCATIONS = ("wrexham", "elsewhere_in_wales", "outside_wales")
LOCATION_BY_TYPE = np.array(
    [
        [0.88, 0.09, 0.03],  # in-house foster carers live locally
        [0.38, 0.38, 0.24],  # agency carers wherever the agency has them
        [0.62, 0.22, 0.16],  # kinship: wherever the family is
        [0.14, 0.38, 0.48],  # residential: few local homes, many across the border
        [0.82, 0.11, 0.07],
        [0.45, 0.40, 0.15],
    ]
)
LEGAL = ("care_order", "voluntary", "placement_order", "other")


def _entry_age_cdf(age: np.ndarray) -> np.ndarray:
    """P(age at entry to care < age) under LAC_ENTRY_AGE (uniform within each band)."""
    cum = np.concatenate([[0.0], np.cumsum(LAC_ENTRY_AGE)])
    return np.interp(age, AGE_BAND_EDGES, cum / cum[-1])


def _lac_survival(years: np.ndarray) -> np.ndarray:
    """P(still in care `years` after entry): the duration mixture, cut short at 18."""
    duration = LAC_SHORT_SHARE * np.exp(-years / LAC_SHORT_YEARS) + (1 - LAC_SHORT_SHARE) * np.exp(
        -years / LAC_LONG_YEARS
    )
    return duration * _entry_age_cdf(18.0 - years)


def entries_per_month(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Expected entries into care per month, solving the renewal equation forward.

    stock(t) = sum over earlier months k of entries(k) x P(still in care t - k); from 2012 the
    entries are chosen so the expected stock at each month end follows LAC_TARGET (linear
    between the 31 March points). P(still in care) allows for children leaving at 18.
    """
    months = month_range(LAC_START, "2026-09")
    n = len(months)
    t_mid = (months.astype("datetime64[D]") + 15).astype(np.int64)
    t_end = ((months + 1).astype("datetime64[D]") - 1).astype(np.int64)
    entries = np.zeros(n)
    steady = months <= np.datetime64(LAC_STEADY_UNTIL, "M")
    entries[steady] = LAC_ENTRIES_EARLY / 12.0
    first_solved = int(steady.sum())
    stock_then = (
        entries[:first_solved] * _lac_survival((t_end[first_solved - 1] - t_mid[:first_solved]) / 365.25)
    ).sum()
    points = {int(t_end[first_solved - 1]): stock_then}
    points.update({int(np.datetime64(k, "D").astype(np.int64)): v for k, v in LAC_TARGET.items()})
    xs = np.array(sorted(points))
    ys = np.array([points[x] for x in xs])
    target = np.interp(t_end, xs, ys)
    for m in range(first_solved, n):
        carried = (entries[:m] * _lac_survival((t_end[m] - t_mid[:m]) / 365.25)).sum()
        own = _lac_survival(np.array([(t_end[m] - t_mid[m]) / 365.25]))[0]
        entries[m] = max(0.0, (target[m] - carried) / own)
    return months, entries


def care_periods(
    world: World, kids: Children, plans: pd.DataFrame, birth: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Periods of care (entry to exit), linked where possible to a child with a plan."""
    rng = world.rng(SOURCE, "looked_after")
    months, expected = entries_per_month(world)
    # Round the expected entries with a carried remainder so totals stay on target.
    cum = np.floor(np.cumsum(world.scaled(expected)) + rng.random())
    n_month = np.diff(np.concatenate([[0.0], cum])).astype(np.int64)
    entry = random_dates_in_months(np.repeat(months, n_month), rng)
    entry = np.sort(entry, kind="stable")
    n = len(entry)
    years = mixture_durations(rng, fy_start_year(entry), LAC_SHORT_SHARE, LAC_SHORT_YEARS, LAC_LONG_YEARS)
    band = mess.pick(rng, n, LAC_ENTRY_AGE)
    want_age = AGE_BAND_EDGES[band] + rng.random(n) * np.diff(AGE_BAND_EDGES)[band]

    # Link entrants to children whose plan started in the previous 18 months and whose age is
    # close to the drawn entry age (so the age mix, and with it leaving care at 18, stays as
    # calibrated).
    p = plans.sort_values("start", kind="stable")
    p_start = p["start"].to_numpy(dtype="datetime64[D]")
    p_child = p["child"].to_numpy()
    lo = np.searchsorted(p_start, entry - 540, side="left")
    hi = np.searchsorted(p_start, entry - 7, side="right")
    child = np.full(n, -1, dtype=np.int64)
    used = np.zeros(kids.n, dtype=bool)
    for _ in range(12):
        todo = np.flatnonzero((child < 0) & (hi > lo))
        if len(todo) == 0:
            break
        j = lo[todo] + (rng.random(len(todo)) * (hi[todo] - lo[todo])).astype(np.int64)
        cand = p_child[j]
        age = years_between(birth[cand], entry[todo])
        ok = (age >= 0) & (np.abs(age - want_age[todo]) < 1.0) & (age < 17.9) & ~used[cand]
        todo, cand = todo[ok], cand[ok]
        _, first = np.unique(cand, return_index=True)  # one care period per child
        todo, cand = todo[first], cand[first]
        child[todo] = cand
        used[cand] = True
    # Everyone else is a new child (an emergency admission, or before the plan data begins).
    new = np.flatnonzero(child < 0)
    new_ward = mess.pick(rng, len(new), world.ward_shares(2018, elasticity=1.0))
    child[new] = kids.add(entry[new] - days(want_age[new]), new_ward)
    linked = np.ones(n, dtype=bool)
    linked[new] = False
    all_birth = kids.birth()
    exit_ = entry + np.maximum(days(years), np.timedelta64(3, "D"))
    exit_ = np.maximum(cap_at_18(all_birth, child, exit_), entry + 1)

    periods = pd.DataFrame({"child": child, "entry": entry, "exit": exit_, "linked": linked})
    periods["unstable"] = rng.random(n) < LAC_UNSTABLE_SHARE
    entry_age = years_between(all_birth[child], entry)
    p_legal = np.tile([0.62, 0.17, 0.11, 0.10], (n, 1))
    p_legal[entry_age < 5, 2] *= 2.5  # placement orders are for young children
    p_legal[entry_age < 10, 3] *= 0.3  # remand is for teenagers
    periods["legal"] = mess.pick_rows(rng, p_legal)

    # Care and support plans cover care: extend linked plans, add plans for the rest.
    extra_start = np.maximum(
        entry[new] - rng.integers(0, 46, size=len(new)).astype("timedelta64[D]"),
        np.datetime64("2010-01-01", "D"),
    )
    extra = pd.DataFrame(
        {
            "child": child[new],
            "start": extra_start,
            "end": exit_[new] + rng.integers(0, 91, size=len(new)).astype("timedelta64[D]"),
        }
    )
    return periods, extra


def episodes(world: World, periods: pd.DataFrame, birth: np.ndarray) -> pd.DataFrame:
    """Split each care period into placement episodes at each placement move."""
    rng = world.rng(SOURCE, "placements")
    entry = periods["entry"].to_numpy(dtype="datetime64[D]")
    exit_ = periods["exit"].to_numpy(dtype="datetime64[D]")
    dur = (exit_ - entry).astype(np.int64)
    rate = np.where(periods["unstable"].to_numpy(), LAC_UNSTABLE_RATE, LAC_STABLE_RATE)
    k = np.minimum(rng.poisson(rate * dur / 365.25), 30)
    k = np.where(dur > 2, k, 0)
    pid = np.repeat(np.arange(len(periods)), k)
    moves = entry[pid] + (1 + (rng.random(len(pid)) * (dur[pid] - 1)).astype(np.int64)).astype(
        "timedelta64[D]"
    )
    e_pid = np.concatenate([np.arange(len(periods)), pid])
    e_start = np.concatenate([entry, moves])
    order = np.lexsort((e_start, e_pid))
    e_pid, e_start = e_pid[order], e_start[order]
    keep = np.ones(len(e_pid), dtype=bool)
    keep[1:] = ~((e_pid[1:] == e_pid[:-1]) & (e_start[1:] == e_start[:-1]))
    e_pid, e_start = e_pid[keep], e_start[keep]
    last = np.ones(len(e_pid), dtype=bool)
    last[:-1] = e_pid[1:] != e_pid[:-1]
    e_end = np.empty(len(e_pid), dtype="datetime64[D]")
    e_end[:-1] = e_start[1:]
    e_end[last] = exit_[e_pid[last]]

    n = len(e_pid)
    child = periods["child"].to_numpy()[e_pid]
    age = years_between(birth[child], e_start)
    t = np.clip((fy_start_year(e_start) - 2018) / 6.0, 0, 1)
    # in-house, agency, kinship, residential, with parents, other; residential rising
    p = np.stack(
        [
            0.42 - 0.06 * t,
            np.full(n, 0.20),
            np.full(n, 0.20),
            0.10 + 0.06 * t,
            np.full(n, 0.07),
            np.full(n, 0.04),
        ],
        axis=1,
    )
    p[age < 10, 3] *= 0.3
    p[age >= 13, 3] *= 2.2
    p[age < 15, 5] *= 0.3
    first = np.r_[True, e_pid[1:] != e_pid[:-1]]
    p[~first, 4] *= 0.5  # moves home come at the end, rarely mid-care
    p[periods["unstable"].to_numpy()[e_pid], 3] *= 1.8  # unstable placements end in residential care
    # stratified within each year's placements, so the mix of ~300 children stays near target
    ptype = mess.pick_rows(rng, p, u=mess.stratified_uniforms(rng, fy_start_year(e_start)))
    loc_p = LOCATION_BY_TYPE[ptype].copy()
    loc_p[:, 2] *= 1 + 0.06 * (fy_start_year(e_start) - 2018).clip(-4, 8)  # more placed out of Wales
    location = mess.pick_rows(rng, loc_p)
    cost = _weekly_cost(rng, ptype, location, e_start)
    frame = pd.DataFrame(
        {
            "child": child,
            "period": e_pid,
            "start": e_start,
            "end": e_end,
            "placement": ptype,
            "location": location,
            "cost": cost,
            "legal": periods["legal"].to_numpy()[e_pid],
        }
    )
    frame = frame.sort_values("start", kind="stable").reset_index(drop=True)
    frame["id"] = np.arange(1, len(frame) + 1)
    return frame


def _weekly_cost(
    rng: np.random.Generator, ptype: np.ndarray, location: np.ndarray, start: np.ndarray
) -> np.ndarray:
    """Weekly cost in GBP at 2024 prices, inflated/deflated about 4% a year."""
    ranges = np.array([[400, 600], [850, 1100], [250, 350], [4000, 6500], [0, 100], [200, 450]], float)
    lo, hi = ranges[ptype, 0], ranges[ptype, 1]
    res_out = (ptype == 3) & (location == 2)
    lo = np.where(res_out, 5500, lo)
    hi = np.where(res_out, 8000, hi)
    cost = lo + rng.random(len(ptype)) * (hi - lo)
    years = (start.astype(np.int64) - np.datetime64("2024-04-01", "D").astype(np.int64)) / 365.25
    cost = cost * 1.04 ** np.clip(years, -8, 3)
    return np.round(cost, 2)
