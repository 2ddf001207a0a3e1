"""Youth Justice Service: first-time entrants (FTEs) to the youth justice system.

Record level, one row per young person aged 10-17 receiving their first youth caution, youth
conditional caution or court sentence. A backfill (2018-19 Q1 to 2025-26 Q4, received
30 April 2026), then 2026-27 Q1 and Q2. Dates written like 03-Jun-24 (the case system's
export). Counts are small on purpose (about 15-25 a year at scale 1, falling): the disclosure
control downstream has to cope with them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import mess
from .records import pseudonyms
from .world import World, fy_start_year, month_range, random_dates_in_months, received

SOURCE = "youth_justice"
DELIVERIES = (
    ("2018-19Q1_to_2025-26Q4", "2018-04-01", "2026-03-31", received(2026, 4, 30, 10, 30)),
    ("2026-27Q1", "2026-04-01", "2026-06-30", received(2026, 7, 24, 12, 0)),
    ("2026-27Q2", "2026-07-01", "2026-09-30", received(2026, 10, 22, 9, 15)),
)
FTE_PER_FY = {2018: 25, 2019: 23, 2020: 17, 2021: 19, 2022: 17, 2023: 16, 2024: 15, 2025: 14, 2026: 13}
OUTCOMES = {"youth_caution": 0.45, "conditional_caution": 0.25, "sentence": 0.30}
OUTCOME_LABELS = {
    "youth_caution": ["Youth caution", "YC"],
    "conditional_caution": ["Youth conditional caution", "YCC"],
    "sentence": ["Referral order", "Youth rehabilitation order", "Court sentence"],
}
AGE_P = [0.02, 0.04, 0.07, 0.11, 0.16, 0.20, 0.21, 0.19]  # ages 10..17
WARD_MIX = {"en": 0.9, "alias": 0.05, "upper": 0.05}


def _entrants(world: World) -> pd.DataFrame:
    """One row per first-time entrant: pseudonym, date, outcome, age, sex, ward."""
    rng = world.rng(SOURCE, "entrants")
    months = month_range("2018-04", "2026-09")
    fy = fy_start_year(months.astype("datetime64[D]"))
    n_month = rng.poisson(world.scaled([FTE_PER_FY[int(y)] / 12 for y in fy]))
    date = np.sort(random_dates_in_months(np.repeat(months, n_month), rng, weekday_share=1.0), kind="stable")
    date = np.minimum(date, np.datetime64("2026-09-30", "D"))
    n = len(date)
    ward = np.empty(n, dtype=np.int64)
    dfy = fy_start_year(date)
    for y in np.unique(dfy):
        m = dfy == y
        ward[m] = mess.pick(rng, int(m.sum()), world.ward_shares(int(y), 0.9, bands=("10-15", "16-17")))
    outcome = np.array(list(OUTCOMES))[mess.pick(rng, n, list(OUTCOMES.values()))]
    sex = np.array(["Male", "Female", ""], dtype=object)[mess.pick(rng, n, [0.78, 0.19, 0.03])]
    frame = pd.DataFrame(
        {
            "ref": pseudonyms(rng, n, prefix="YJ-", width=6),
            "date": date,
            "outcome": mess.labels(
                outcome,
                OUTCOME_LABELS,
                rng,
                {"youth_caution": [9, 1], "conditional_caution": [9, 1], "sentence": [6, 2.5, 1.5]},
            ),
            "age": 10 + mess.pick(rng, n, AGE_P),
            "sex": sex,
            "ward": mess.ward_labels(world, ward, rng, WARD_MIX),
        }
    )
    return frame


def generate(world: World, out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write the backfill and the two quarterly files; returns the paths."""
    frame = _entrants(world)
    paths = []
    for label, first, last, when in DELIVERIES:
        d = frame["date"].to_numpy(dtype="datetime64[D]")
        part = frame[(d >= np.datetime64(first)) & (d <= np.datetime64(last))]
        path = Path(out_dir) / f"yjs_first_time_entrants_{label}.csv"
        mess.write_csv(
            path,
            ["Young person ref", "Outcome date", "Outcome type", "Age at outcome", "Sex", "Ward"],
            [
                part["ref"].to_numpy(dtype=object),
                mess.format_dates(part["date"].to_numpy(dtype="datetime64[D]"), mess.DMON_YY),
                part["outcome"].to_numpy(dtype=object),
                mess.as_text(part["age"]),
                part["sex"].to_numpy(dtype=object),
                part["ward"].to_numpy(dtype=object),
            ],
            newline="\r\n",
        )
        mess.set_received(path, when)
        paths.append(path)
    return paths
