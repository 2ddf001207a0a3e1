"""Period labels used across the project and the dates they end on.

Financial years run April to March ('2024-25'); quarters are of the financial year
('2024-25 Q1' = April-June 2024); academic years run September to August ('2024/25'); school
terms are Autumn (Sep-Dec), Spring (Jan-Apr) and Summer (Apr-Jul) of an academic year
('2024/25 Autumn'). Months are stored as the first day of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

TERM_END = {"Autumn": (0, 12, 31), "Spring": (1, 4, 30), "Summer": (1, 7, 31)}
QUARTER_END = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_of(day: dt.date) -> str:
    start = day.year - (1 if day.month < 4 else 0)
    return f"{start}-{(start + 1) % 100:02d} Q{(day.month - 4) % 12 // 3 + 1}"


def period_end(label) -> dt.date:
    """The last day of a period given as a date (month), or a quarter/year/term label."""
    if isinstance(label, dt.datetime):
        label = label.date()
    if isinstance(label, dt.date):
        return month_end(label)
    text = str(label)
    if m := re.fullmatch(r"(\d{4})-\d{2} Q([1-4])", text):
        offset, month, day = QUARTER_END[int(m[2])]
        return dt.date(int(m[1]) + offset, month, day)
    if m := re.fullmatch(r"(\d{4})-\d{2}", text):
        return dt.date(int(m[1]) + 1, 3, 31)
    if m := re.fullmatch(r"(\d{4})/\d{2}", text):
        return dt.date(int(m[1]) + 1, 8, 31)
    if m := re.fullmatch(r"(\d{4})/\d{2} (Autumn|Spring|Summer)", text):
        offset, month, day = TERM_END[m[2]]
        return dt.date(int(m[1]) + offset, month, day)
    if m := re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return month_end(dt.date.fromisoformat(text))
    raise ValueError(f"not a period label: {label!r}")


def next_period_end(cadence: str, after: dt.date) -> dt.date:
    """End of the first period of the cadence that ends after the given date."""
    day = after + dt.timedelta(days=1)
    if cadence == "monthly":
        return month_end(day)
    if cadence == "quarterly":
        return period_end(quarter_of(day))
    if cadence == "termly":
        for year in (day.year - 1, day.year, day.year + 1):
            for term in ("Autumn", "Spring", "Summer"):
                end = period_end(f"{year}/{(year + 1) % 100:02d} {term}")
                if end >= day:
                    return end
    if cadence == "annual":
        start = day.year - (1 if day.month < 4 else 0)
        return dt.date(start + 1, 3, 31)
    if cadence == "academic_year":
        start = day.year - (1 if day.month < 9 else 0)
        return dt.date(start + 1, 8, 31)
    raise ValueError(f"unknown cadence {cadence!r}")
