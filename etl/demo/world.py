"""The shared "world" behind every demo partner extract.

Every source module draws from the same picture of Wrexham so that the files tell one
consistent story: the same 49 wards, the same children (from data/reference/child_population.csv),
the same deprivation gradient (from ward_deprivation.csv) and the same calendar.

Why a World object rather than module globals: the seed and the scale belong to one run of the
generator, and two runs in one process (the tests do this) must not share state.

Randomness: each source (and each purpose inside a source) gets its own numpy Generator derived
from (seed, source name, purpose) through SeedSequence spawn keys. The name is hashed with
SHA-256, never with Python's hash() (salted per process), so streams are reproducible across
runs and machines, and adding a new source or a new draw in one module never shifts another.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

# The reporting window of the demo: financial year 2018-19 Q1 to 2026-27 Q2.
PERIOD_START = np.datetime64("2018-04-01", "D")
PERIOD_END = np.datetime64("2026-09-30", "D")
# The demo's "today": the day after the last simulated delivery window closes. Deliveries that
# were due before this date and never arrived (police 2026-27 Q2) are overdue on this date.
AS_OF = dt.datetime(2026, 11, 2, 9, 0)

AGE_BANDS = ("0-4", "5-9", "10-15", "16-17")
AGE_BAND_EDGES = np.array([0.0, 5.0, 10.0, 16.0, 18.0])

# The elasticity of adverse outcomes to deprivation: multiplier = (score / mean) ** 0.7.
ADVERSE_ELASTICITY = 0.7

MONTH_ABBR = np.array([calendar.month_abbr[m] for m in range(1, 13)])


def stable_key(name: str) -> int:
    """A 32-bit integer from a name, the same in every process (unlike hash())."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


@lru_cache(maxsize=1)
def _reference() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the committed reference files once per process (they never change during a run)."""
    wards = pd.read_csv(REFERENCE_DIR / "wards.csv", dtype=str)
    deprivation = pd.read_csv(REFERENCE_DIR / "ward_deprivation.csv", dtype={"ward_code": str})
    population = pd.read_csv(REFERENCE_DIR / "child_population.csv", dtype={"ward_code": str})
    aliases = pd.read_csv(REFERENCE_DIR / "ward_aliases.csv", dtype=str)
    wards = wards.merge(deprivation, on="ward_code", validate="one_to_one")
    wards = wards.sort_values("ward_code", kind="stable").reset_index(drop=True)
    return wards, population, aliases


@dataclass
class World:
    """Wards, children, deprivation and random streams for one run (seed, scale)."""

    seed: int
    scale: float
    wards: pd.DataFrame = field(repr=False)
    # population[year_index, ward_index, band_index], unscaled, mid-years 2018..2026
    _population: np.ndarray = field(repr=False)
    aliases: dict[str, tuple[str, ...]] = field(repr=False)
    pop_years: tuple[int, ...] = field(repr=False)

    # ---------------------------------------------------------------- construction
    @classmethod
    def build(cls, seed: int, scale: float) -> World:
        """Read the reference files and assemble the world for (seed, scale)."""
        wards, population, aliases = _reference()
        codes = list(wards["ward_code"])
        years = tuple(sorted(int(y) for y in population["mid_year"].unique()))
        cube = np.zeros((len(years), len(codes), len(AGE_BANDS)))
        year_i = population["mid_year"].map({y: i for i, y in enumerate(years)}).to_numpy()
        ward_i = population["ward_code"].map({c: i for i, c in enumerate(codes)}).to_numpy()
        band_i = population["age_band"].map({b: i for i, b in enumerate(AGE_BANDS)}).to_numpy()
        cube[year_i, ward_i, band_i] = population["population"].to_numpy(dtype=float)
        alias_map: dict[str, list[str]] = {}
        for alias, code in zip(aliases["alias"], aliases["ward_code"]):
            alias_map.setdefault(code, []).append(alias)
        world = cls(
            seed=int(seed),
            scale=float(scale),
            wards=wards.copy(),
            _population=cube,
            aliases={c: tuple(v) for c, v in sorted(alias_map.items())},
            pop_years=years,
        )
        world._add_deprivation()
        return world

    def _add_deprivation(self) -> None:
        """Deprivation multiplier per ward, relative to the child-weighted borough mean score."""
        score = self.wards["mean_wimd2019_score"].to_numpy(dtype=float)
        kids = self.children(2022)
        borough_mean = float((score * kids).sum() / kids.sum())
        self.wards["relative_score"] = score / borough_mean
        self.wards["log_relative_score"] = np.log(score / borough_mean)

    # ---------------------------------------------------------------- basics
    @property
    def codes(self) -> np.ndarray:
        """Ward codes (WD22CD) in ward order."""
        return self.wards["ward_code"].to_numpy(dtype=object)

    @property
    def n_wards(self) -> int:
        """Number of wards (49)."""
        return len(self.wards)

    def rng(self, source: str, *purpose: str) -> np.random.Generator:
        """An independent random stream for (seed, source, purpose...)."""
        keys = tuple(stable_key(p) for p in (source, *purpose))
        return np.random.default_rng(np.random.SeedSequence(entropy=self.seed, spawn_key=keys))

    def scaled(self, x):
        """Volumes (counts, records, pupils) multiplied by the run's scale."""
        return np.asarray(x, dtype=float) * self.scale

    # ---------------------------------------------------------------- population
    def _year_index(self, mid_year: int) -> int:
        """Index of a mid-year in the population cube (clamped to 2018-2026)."""
        year = min(max(int(mid_year), self.pop_years[0]), self.pop_years[-1])
        return self.pop_years.index(year)

    def children(self, mid_year: int, bands: tuple[str, ...] = AGE_BANDS) -> np.ndarray:
        """Unscaled children per ward (ward order) for a mid-year; years outside 2018-2026 clamp."""
        idx = [AGE_BANDS.index(b) for b in bands]
        return self._population[self._year_index(mid_year)][:, idx].sum(axis=1)

    def children_by_band(self, mid_year: int) -> np.ndarray:
        """Unscaled children [ward, band] for a mid-year."""
        return self._population[self._year_index(mid_year)].copy()

    # ---------------------------------------------------------------- deprivation gradient
    def multiplier(self, elasticity: float = ADVERSE_ELASTICITY) -> np.ndarray:
        """(ward score / borough mean) ** elasticity, per ward."""
        return np.exp(elasticity * self.wards["log_relative_score"].to_numpy())

    def ward_shares(
        self, mid_year: int, elasticity: float = ADVERSE_ELASTICITY, bands: tuple[str, ...] = AGE_BANDS
    ) -> np.ndarray:
        """Share of a borough total falling in each ward: children x deprivation multiplier.

        Normalised to sum to 1, so a borough total can be split across wards and still hit the
        calibration target exactly.
        """
        w = self.children(mid_year, bands) * self.multiplier(elasticity)
        return w / w.sum()

    def ward_rates(
        self, borough_rate: float, mid_year: int, elasticity: float, bands: tuple[str, ...] = AGE_BANDS
    ) -> np.ndarray:
        """Per-ward proportions whose child-weighted mean is borough_rate.

        Works on the logit scale, so rates stay inside (0, 1); a negative elasticity gives a
        good outcome that is a little lower in deprived wards. The intercept is found by
        bisection so the borough figure matches the calibration target.
        """
        kids = self.children(mid_year, bands)
        x = self.wards["log_relative_score"].to_numpy()
        lo, hi = -12.0, 12.0
        for _ in range(60):
            mid = (lo + hi) / 2
            rates = 1 / (1 + np.exp(-(mid + elasticity * x)))
            if (rates * kids).sum() / kids.sum() < borough_rate:
                lo = mid
            else:
                hi = mid
        return 1 / (1 + np.exp(-((lo + hi) / 2 + elasticity * x)))


def build_world(seed: int = 20260401, scale: float = 1.0) -> World:
    """The world for one run of the generator."""
    return World.build(seed, scale)


# -------------------------------------------------------------------- periods
def fy_start_year(dates: np.ndarray) -> np.ndarray:
    """Financial year (April-March) start year for each datetime64[D]."""
    months = dates.astype("datetime64[M]").astype(int)  # months since 1970-01
    year = months // 12 + 1970
    month = months % 12 + 1
    return np.where(month >= 4, year, year - 1)


def fy_label(start_year: int, sep: str = "-") -> str:
    """2024 -> '2024-25' (or '2024/25' with sep='/')."""
    return f"{start_year}{sep}{(start_year + 1) % 100:02d}"


def quarter_label(fy: int, q: int) -> str:
    """(2024, 1) -> '2024-25 Q1'."""
    return f"{fy_label(fy)} Q{q}"


def quarters(first: tuple[int, int] = (2018, 1), last: tuple[int, int] = (2026, 2)) -> list[tuple[int, int]]:
    """Financial quarters (fy, q) from first to last inclusive."""
    out = []
    fy, q = first
    while (fy, q) <= last:
        out.append((fy, q))
        fy, q = (fy, q + 1) if q < 4 else (fy + 1, 1)
    return out


def quarter_months(fy: int, q: int) -> np.ndarray:
    """The three months (datetime64[M]) of a financial quarter."""
    first = np.datetime64(f"{fy}-04", "M") + 3 * (q - 1)
    return first + np.arange(3)


def month_range(first: str, last: str) -> np.ndarray:
    """Months first..last inclusive as datetime64[M]; arguments like '2018-04'."""
    return np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 1)


def month_number(months: np.ndarray) -> np.ndarray:
    """Calendar month 1-12 of datetime64[M] values."""
    return months.astype(int) % 12 + 1


def days_in_month(months: np.ndarray) -> np.ndarray:
    """Number of days in each datetime64[M] month."""
    return ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(int)


def random_dates_in_months(
    months: np.ndarray, rng: np.random.Generator, weekday_share: float = 0.0
) -> np.ndarray:
    """A uniform random day within each given month (datetime64[M] -> datetime64[D]).

    weekday_share: the share of weekend dates moved to the following Monday, because most
    services record activity on working days.
    """
    first = months.astype("datetime64[D]")
    days = first + (rng.random(len(months)) * days_in_month(months)).astype(int)
    if weekday_share > 0:
        weekday = (days.astype(int) + 3) % 7  # 0 = Monday
        move = (weekday >= 5) & (rng.random(len(days)) < weekday_share)
        days = np.where(move, days + (7 - weekday), days)
    return days


def age_band_index(ages: np.ndarray) -> np.ndarray:
    """Index into AGE_BANDS for ages in years (0 <= age < 18)."""
    return np.clip(np.searchsorted(AGE_BAND_EDGES, ages, side="right") - 1, 0, 3)


def years_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Exact-enough age in years between two datetime64[D] arrays."""
    return (end - start).astype("timedelta64[D]").astype(float) / 365.25


def received(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A simulated delivery time (naive, read as UTC when written to a file's mtime)."""
    return dt.datetime(year, month, day, hour, minute)
