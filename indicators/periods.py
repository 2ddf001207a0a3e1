"""Period metadata for published values: type, start and end dates, sort order, labels.

Period ids follow DESIGN.md: quarters '2025-26 Q2' (Q1 = April-June), financial years '2025-26',
academic years '2025/26', terms '2025/26 Autumn', months '2025-10'. The frequency of the
indicator says which kind a label is, because '2025-12' could be read either way.
"""

from __future__ import annotations

import datetime as dt

from etl.periods import month_end

TERMS = {
    "Autumn": ((0, 9, 1), (0, 12, 31)),
    "Spring": ((1, 1, 1), (1, 4, 30)),
    "Summer": ((1, 5, 1), (1, 7, 31)),
}
QUARTER_START = {1: (0, 4), 2: (0, 7), 3: (0, 10), 4: (1, 1)}


def bounds(label: str, frequency: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    if frequency == "quarterly":
        year, quarter = int(label[:4]), int(label[-1])
        offset, month = QUARTER_START[quarter]
        start = dt.date(year + offset, month, 1)
        return start, month_end(dt.date(start.year, start.month + 2, 1))
    if frequency == "annual":
        year = int(label[:4])
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    if frequency == "academic_year":
        year = int(label[:4])
        return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    if frequency == "termly":
        year, term = int(label[:4]), label.split(" ")[1]
        (so, sm, sd), (eo, em, ed) = TERMS[term]
        return dt.date(year + so, sm, sd), dt.date(year + eo, em, ed)
    if frequency == "monthly":
        start = dt.date(int(label[:4]), int(label[5:7]), 1)
        return start, month_end(start)
    raise ValueError(f"unknown frequency {frequency!r}")


MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_CY = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
]
TERMS_CY = {"Autumn": "Tymor yr Hydref", "Spring": "Tymor y Gwanwyn", "Summer": "Tymor yr Haf"}
# Welsh soft mutation after "i" ("to"): Mehefin -> i Fehefin, Medi -> i Fedi, ...
SOFT_MUTATION_CY = {
    "Ionawr": "Ionawr",
    "Chwefror": "Chwefror",
    "Mawrth": "Fawrth",
    "Ebrill": "Ebrill",
    "Mai": "Fai",
    "Mehefin": "Fehefin",
    "Gorffennaf": "Orffennaf",
    "Awst": "Awst",
    "Medi": "Fedi",
    "Hydref": "Hydref",
    "Tachwedd": "Dachwedd",
    "Rhagfyr": "Ragfyr",
}


def label(period: str, frequency: str, language: str) -> str:
    """A period as a person reads it: 'July to September 2025' / 'Gorffennaf i Fedi 2025'."""
    start, end = bounds(period, frequency)
    months = MONTHS_EN if language == "en" else MONTHS_CY
    if frequency == "quarterly":
        if language == "en":
            return f"{months[start.month - 1]} to {months[end.month - 1]} {end.year}"
        return f"{months[start.month - 1]} i {SOFT_MUTATION_CY[months[end.month - 1]]} {end.year}"
    if frequency == "monthly":
        return f"{months[start.month - 1]} {start.year}"
    if frequency == "annual":
        return (
            f"April {start.year} to March {end.year}"
            if language == "en"
            else f"Ebrill {start.year} i Fawrth {end.year}"
        )
    if frequency == "academic_year":
        return f"{'School year' if language == 'en' else 'Blwyddyn ysgol'} {period}"
    term = period.split(" ")[1]
    if language == "en":
        return f"{term} term {period.split(' ')[0]}"
    return f"{TERMS_CY[term]} {period.split(' ')[0]}"


def end_of_any(label: str) -> dt.date:
    """End date of a benchmark period label of any kind (quarter, financial or academic year)."""
    from etl.periods import period_end

    return period_end(label)


def matching_period(benchmark_label: str, frequency: str, candidates: list[str]) -> str | None:
    """The indicator period (of the given frequency) that ends on the same day as a benchmark's.

    Wales publishes snapshots "as at 31 March 2024" as financial year 2023-24; for a quarterly
    indicator that is the value at the end of 2023-24 Q4.
    """
    end = end_of_any(benchmark_label)
    for period in candidates:
        if bounds(period, frequency)[1] == end:
            return period
    return None
