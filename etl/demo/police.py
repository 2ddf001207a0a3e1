"""North Wales Police: monthly counts by ward of public protection notices (PPNs) involving
children and missing-from-home episodes of children.

Deliveries: a backfill 2018-19 Q1 to 2024-25 Q4 (received 2 May 2025), then one file a quarter
about four weeks after it ends, 2025-26 Q1 to 2026-27 Q1; 2025-26 Q3 was resubmitted as _v2
(received 2 March 2026; the first version 28 January 2026) with about 5% of its cells changed;
2026-27 Q2 is never delivered (overdue).

The police's own conventions are kept: counts of 1-4 are written "<5", cells with no incidents
are left out, ward names come from their gazetteer (English, Welsh, misspelt, codes, capitals)
and every file ends with a few blank rows of commas.

Missing episodes cluster in a few wards with children's homes (repeat episodes by a few young
people), as they do in real police data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import mess
from .world import World, month_number, month_range, received

SOURCE = "police"
DELIVERIES = (  # (file label, first month, last month, received)
    ("2018-19Q1_to_2024-25Q4", "2018-04", "2025-03", received(2025, 4, 30, 12, 5)),
    ("2025-26Q1", "2025-04", "2025-06", received(2025, 7, 29, 9, 40)),
    ("2025-26Q2", "2025-07", "2025-09", received(2025, 10, 28, 10, 10)),
    ("2025-26Q3", "2025-10", "2025-12", received(2026, 1, 28, 15, 30)),
    ("2025-26Q3_v2", "2025-10", "2025-12", received(2026, 3, 2, 11, 0)),
    ("2025-26Q4", "2026-01", "2026-03", received(2026, 4, 28, 9, 55)),
    ("2026-27Q1", "2026-04", "2026-06", received(2026, 7, 27, 14, 20)),
)
PPN_PER_FY = {
    2018: 1650,
    2019: 1780,
    2020: 2050,
    2021: 2200,
    2022: 2300,
    2023: 2280,
    2024: 2220,
    2025: 2180,
    2026: 2150,
}
MISSING_PER_FY = {
    2018: 560,
    2019: 540,
    2020: 430,
    2021: 520,
    2022: 560,
    2023: 540,
    2024: 510,
    2025: 490,
    2026: 480,
}
# Apr..Mar: more in summer and December
SEASON = np.array([0.97, 1.02, 1.06, 1.12, 1.10, 0.98, 0.96, 0.95, 1.08, 0.90, 0.90, 0.96])
SEASON = SEASON / SEASON.mean()
MEASURE_LABELS = {
    "ppn_child": ["Public protection notice (child)", "PPN - child", "PPN child"],
    "missing_episode": ["Missing episode (child)", "Missing child episode", "Missing from home (child)"],
}
# wards with children's homes: a big share of missing episodes
CHILDRENS_HOME_WARDS = ("W05001738", "W05001746", "W05001742")
WARD_MIX = {"en": 0.74, "cy": 0.08, "alias": 0.07, "code": 0.06, "upper": 0.05}
BLANK_TRAILING_ROWS = 4


def _counts(world: World) -> pd.DataFrame:
    """The true monthly counts (month x ward x measure), zeros included."""
    rng = world.rng(SOURCE, "counts")
    months = month_range("2018-04", "2026-09")
    n = months.astype(int)
    fy = np.where(n % 12 + 1 >= 4, n // 12 + 1970, n // 12 + 1969)
    season = SEASON[(month_number(months) - 4) % 12]
    frames = []
    homes = np.isin(world.codes, CHILDRENS_HOME_WARDS)
    for measure, per_fy, elasticity in (
        ("ppn_child", PPN_PER_FY, 0.7),
        ("missing_episode", MISSING_PER_FY, 0.5),
    ):
        total = world.scaled(np.array([per_fy[int(y)] for y in fy]) / 12 * season)
        shares = np.stack([world.ward_shares(int(y), elasticity) for y in fy])
        if measure == "missing_episode":
            shares = shares * 0.65 + 0.35 * homes / homes.sum()
        counts = rng.poisson(total[:, None] * shares)
        mi, wi = np.indices(counts.shape)
        frames.append(
            pd.DataFrame(
                {"month": n[mi.ravel()], "ward": wi.ravel(), "measure": measure, "count": counts.ravel()}
            )
        )
    return pd.concat(frames, ignore_index=True)


def _present(world: World, counts: pd.DataFrame) -> pd.DataFrame:
    """How the police write each cell (fixed per cell, so versions are comparable)."""
    rng = world.rng(SOURCE, "presentation")
    out = counts.copy()
    out["ward_text"] = mess.ward_labels(world, out["ward"].to_numpy(), rng, WARD_MIX)
    return out


def _v1_errors(world: World, cells: pd.DataFrame) -> pd.DataFrame:
    """The first version of 2025-26 Q3: about 5% of its cells differ from the corrected _v2."""
    rng = world.rng(SOURCE, "v1_errors")
    v1 = cells.copy()
    pick = rng.random(len(v1)) < 0.05
    delta = rng.integers(1, 4, size=len(v1)) * np.where(rng.random(len(v1)) < 0.7, 1, -1)
    v1.loc[pick, "count"] = np.maximum(v1.loc[pick, "count"].to_numpy() + delta[pick], 0)
    # a cell that is zero in v1 and non-zero in v2 simply disappears from v1, and vice versa
    return v1


def _write(
    world: World,
    cells: pd.DataFrame,
    path: Path,
    when,
    bad: pd.DataFrame | None,
    template: int,
    log: mess.ProblemLog,
) -> Path:
    """One delivery; `template` picks the measure wording (the analysts' template changed)."""
    cells = cells[cells["count"] != 0].assign(bad="")
    if bad is not None:
        cells = pd.concat([cells, bad]).sort_values(["month", "measure", "ward"], kind="stable")
        for line, why in zip(
            np.flatnonzero(cells["bad"].to_numpy() != "") + 2, cells.loc[cells["bad"] != "", "bad"]
        ):
            log.add(path.name, f"line {line}", why)
    month = cells["month"].to_numpy().astype("datetime64[M]")
    # months as 2018-04 (ISO year-month, one of the contract's month forms)
    month_text = np.array([str(m) for m in month], dtype=object)
    count_text = mess.small_counts(cells["count"].to_numpy())
    mess.write_csv(
        path,
        ["Month", "Ward", "Measure", "Count"],
        [
            month_text,
            cells["ward_text"].to_numpy(dtype=object),
            cells["measure"].map({k: v[template] for k, v in MEASURE_LABELS.items()}).to_numpy(dtype=object),
            count_text,
        ],
        newline="\r\n",
        blank_rows=BLANK_TRAILING_ROWS,
    )
    mess.set_received(path, when)
    return path


def _bad_rows(world: World, cells: pd.DataFrame) -> pd.DataFrame:
    """Unknown-ward rows and negative-count rows, about 0.03% of rows each (at least one).

    A negative row stands in for a real cell (same month, ward and measure); the caller drops
    that real cell so the sign is the row's only problem.
    """
    rng = world.rng(SOURCE, "bad_rows")
    nonzero = cells[cells["count"] != 0]
    k = mess.bad_row_count(len(nonzero))
    picks = rng.choice(len(nonzero), size=2 * k, replace=False)
    unknown = nonzero.iloc[picks[:k]].copy()
    unknown["ward_text"] = "Wrexham Town Centre"
    unknown["count"] = rng.integers(5, 12, size=k)
    negative = nonzero.iloc[picks[k:]].copy()
    negative["count"] = -rng.integers(1, 6, size=k)
    unknown["bad"] = "unknown ward 'Wrexham Town Centre'"
    negative["bad"] = [f"negative count {c}" for c in negative["count"]]
    return pd.concat([unknown, negative])


def generate(world: World, out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write the backfill and each quarterly file (v1 and v2 of 2025-26 Q3); returns the paths."""
    out_dir = Path(out_dir)
    cells = _present(world, _counts(world))
    paths = []
    for label, first, last, when in DELIVERIES:
        lo = int(np.datetime64(first, "M").astype(int))
        hi = int(np.datetime64(last, "M").astype(int))
        part = cells[(cells["month"] >= lo) & (cells["month"] <= hi)]
        name = f"nwp_children_{label}.csv"
        bad = None
        if label == DELIVERIES[0][0]:
            bad = _bad_rows(world, part)
            # the negative count replaces the real cell it stands for (same key, one row)
            neg = bad[bad["count"] < 0]
            key = ["month", "ward", "measure"]
            part = part.merge(neg[key].assign(_drop=True), on=key, how="left")
            part = part[part["_drop"].isna()].drop(columns="_drop")
        elif label == "2025-26Q3":
            part = _v1_errors(world, part)
        template = 0 if label.startswith("2018") else 1 if label.startswith("2025") else 2
        paths.append(_write(world, part, out_dir / name, when, bad, template, log))
    return paths
