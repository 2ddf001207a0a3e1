"""Every period id of a frequency from April 2018 to 2030, in order (for gap filling)."""

from __future__ import annotations

from functools import cache


@cache
def all_periods(frequency: str) -> list[str]:
    years = range(2018, 2031)
    fy = [f"{y}-{(y + 1) % 100:02d}" for y in years]
    if frequency == "quarterly":
        return [f"{f} Q{q}" for f in fy for q in (1, 2, 3, 4)]
    if frequency == "annual":
        return fy
    if frequency == "academic_year":
        return [f.replace("-", "/") for f in fy]
    if frequency == "termly":
        return [f"{f.replace('-', '/')} {t}" for f in fy for t in ("Autumn", "Spring", "Summer")]
    if frequency == "monthly":
        return [f"{y + (m < 4)}-{m:02d}" for y in years for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    raise ValueError(frequency)
