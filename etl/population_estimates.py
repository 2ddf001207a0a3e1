"""Derive the committed child population estimates (data/reference/child_population.csv).

Why estimates: ward-level single-year populations for the 2022 wards are not published for
every year, and the dashboard needs a denominator for rates per 10,000 children. These figures
are ESTIMATES made here, consistent with Wrexham's real totals (about 27,000 children aged
0-17; Census 2021 put Wrexham's whole population at 135,100). Replace them with ONS small-area
population estimates when the partnership has them: the file layout stays the same.

Method, in plain words:
- every ward is built from whole 2011 LSOAs (best fit, see ward_deprivation.csv lsoa_count);
  LSOAs were designed to hold similar populations, so a ward's share starts from its LSOA count;
- more deprived areas have younger populations, so the share is tilted by the ward's WIMD 2019
  score (+/- about 15% between the least and most deprived wards);
- Wrexham's total by year and the split by age band follow the shape of ONS mid-year estimates;
- rounding by largest remainder keeps every year's ward total equal to the borough total.

Run: python -m etl.population_estimates  (rewrites the CSV; deterministic)
"""

from __future__ import annotations

import csv
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"

# Wrexham children aged 0-17 by mid-year (estimate, shaped on ONS mid-year estimates).
BOROUGH_CHILDREN = {
    2018: 27420,
    2019: 27460,
    2020: 27480,
    2021: 27390,
    2022: 27280,
    2023: 27150,
    2024: 27010,
    2025: 26890,
    2026: 26780,
}
# Share of 0-17s in each age band (single-year ages 0-4, 5-9, 10-15, 16-17 are 5, 5, 6 and 2
# years wide; the youngest band is shrinking slightly as births fall).
AGE_BAND_SHARE = {"0-4": 0.262, "5-9": 0.283, "10-15": 0.340, "16-17": 0.115}


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split an integer total in proportion to weights so the parts add up exactly."""
    weight_sum = sum(weights.values())
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    parts = {k: int(v) for k, v in exact.items()}
    short = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: (exact[k] - parts[k], k), reverse=True)[:short]:
        parts[key] += 1
    return parts


def ward_weights() -> dict[str, float]:
    with open(REFERENCE / "ward_deprivation.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    scores = [float(r["mean_wimd2019_score"]) for r in rows]
    low, high = min(scores), max(scores)
    weights = {}
    for row in rows:
        tilt = 0.85 + 0.30 * (float(row["mean_wimd2019_score"]) - low) / (high - low)
        weights[row["ward_code"]] = int(row["lsoa_count"]) * tilt
    return weights


def build_rows() -> list[list]:
    weights = ward_weights()
    rows = []
    for year, total in BOROUGH_CHILDREN.items():
        # Younger bands shrink a little each year as births fall; older bands take the slack.
        drift = (year - 2018) * 0.002
        shares = dict(AGE_BAND_SHARE)
        shares["0-4"] -= drift
        shares["10-15"] += drift
        for band, band_total in _largest_remainder(total, shares).items():
            for ward, count in sorted(_largest_remainder(band_total, weights).items()):
                rows.append([year, ward, band, count, "e"])
    return rows


def main() -> None:
    with open(REFERENCE / "child_population.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["mid_year", "ward_code", "age_band", "population", "note"])
        out.writerows(build_rows())


if __name__ == "__main__":
    main()
