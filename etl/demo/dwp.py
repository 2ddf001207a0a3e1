"""DWP Children in Low Income Families (relative low income, before housing costs), by ward,
as exported from Stat-Xplore.

Two releases: dwp_cilif_ward_fye2024.csv (received 27 March 2025; 2018/19 to 2023/24) and
dwp_cilif_ward_fye2025.csv (received 26 March 2026; 2018/19 to 2024/25, with 2023/24 revised
slightly for most wards, as DWP does when benefit data are finalised).

Layout, as Stat-Xplore writes it: quoted title and metadata lines, a blank line, a header row
starting with "Ward (2022)" and one column per year labelled like "2018/19 (FYE 2019)", one row
per ward (names as DWP spells them: the ONS English names), a "Total" row, a blank line and
footnotes. Stat-Xplore's disclosure control perturbs each cell a little, so the wards do not
add exactly to the Total, which is the published Wrexham figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import mess
from .world import World, received

SOURCE = "dwp"
# Wrexham children aged 0-15 in relative low income (scale 1), by financial year start.
# FYE 2023 (2022/23) is the published 4,884 (19.8%).
WREXHAM_TOTAL = {2018: 4650, 2019: 4960, 2020: 4540, 2021: 4700, 2022: 4884, 2023: 5030, 2024: 5090}
REVISED_2023_TOTAL = 5055
RELEASES = (
    ("dwp_cilif_ward_fye2024.csv", 2023, received(2025, 3, 27, 9, 30)),
    ("dwp_cilif_ward_fye2025.csv", 2024, received(2026, 3, 26, 9, 30)),
)
UNDER_16 = ("0-4", "5-9", "10-15")


def _ward_counts(world: World, year: int, total: float, rng: np.random.Generator) -> np.ndarray:
    """Split a borough total across wards by children 0-15 x a deprivation-driven rate."""
    kids = world.children(year, UNDER_16)
    rate = world.ward_rates(total / kids.sum(), year, 0.75, bands=UNDER_16)
    expected = world.scaled(kids * rate)
    expected *= world.scaled(total) / expected.sum()
    # disclosure control: small perturbations per cell (never below zero)
    return np.maximum(np.round(expected + rng.normal(0, 1.2, len(kids))), 0).astype(np.int64)


def generate(world: World, out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write both Stat-Xplore releases; returns the paths."""
    rng = world.rng(SOURCE, "cells")
    base = {y: _ward_counts(world, y, t, rng) for y, t in WREXHAM_TOTAL.items()}
    # The 2025 release revises 2023/24 for most wards (by 1-3%), and its published total.
    revision = world.rng(SOURCE, "revision")
    revised = revision.random(world.n_wards) < 0.8
    step = np.maximum(1, np.round(base[2023] * revision.uniform(0.005, 0.03, world.n_wards)))
    sign = np.where(revision.random(world.n_wards) < 0.75, 1, -1)  # mostly upward
    revised_2023 = np.maximum(base[2023] + np.where(revised, sign * step, 0), 0).astype(np.int64)
    names = world.wards["name_en"].tolist()
    paths = []
    for file, last_year, when in RELEASES:
        years = list(range(2018, last_year + 1))
        cols = {y: base[y] for y in years}
        totals = {y: int(round(world.scaled(WREXHAM_TOTAL[y]))) for y in years}
        if last_year >= 2024:
            cols[2023] = revised_2023
            totals[2023] = int(round(world.scaled(REVISED_2023_TOTAL)))
        header = ["Ward (2022)"] + [f"{y}/{(y + 1) % 100:02d} (FYE {y + 1})" for y in years]
        preamble = [
            '"Dataset: Children in Low Income Families"',
            '"Age of Child (bands): 0-15"',
            '"Relative or Absolute measure: Relative"',
            '"Geography: Ward (2022) in Wrexham"',
            '"Year: Financial year ending"',
            "",
        ]
        footer = [
            "",
            '"Source: DWP Stat-Xplore, Children in Low Income Families, local area statistics"',
            '"Statistical disclosure control has been applied to this table to avoid the release '
            'of confidential data. Totals may not equal the sum of the components."',
            '"SYNTHETIC DEMO DATA made by etl.demo: shaped on Wrexham, not the published table."',
        ]
        path = Path(out_dir) / file
        # Stat-Xplore quotes every text cell; numbers are bare
        quoted_header = ",".join(f'"{h}"' for h in header)
        lines = [quoted_header]
        for w, name in enumerate(names):
            lines.append(",".join([f'"{name}"'] + [str(int(cols[y][w])) for y in years]))
        lines.append(",".join(['"Total"'] + [str(totals[y]) for y in years]))
        with open(path, "w", encoding="utf-8", newline="") as out:
            for line in preamble + lines + footer:
                out.write(line + "\r\n")
        mess.set_received(path, when)
        paths.append(path)
    return paths
