"""Say a published value the way a reader expects: units, decimals, withheld and missing
values, comparisons and trends in words (English or Welsh)."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.i18n import language, number, t
from dashboard.periods import period_label
from dashboard.theme import COMPARISON, TREND


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def decimals_for(value_type: str) -> int:
    return {"proportion": 1, "rate": 1, "count": 0, "money": 0}.get(value_type, 1)


def value_text(value, indicator: dict, note_codes: str = "") -> str:
    """'81.3%', '119.9 per 10,000 children', '£1,234', or 'c' / 'x' for withheld / missing."""
    codes = (note_codes or "").split()
    if "c" in codes:
        return t("common.withheld")
    if missing(value):
        return t("common.not_available")
    text = number(value, decimals_for(indicator["value_type"]))
    if indicator["value_type"] == "proportion":
        text += "%"
    elif indicator["value_type"] == "money":
        text = "£" + text
    if "e" in codes:
        text += " (e)"
    return text


def unit_text(indicator: dict) -> str:
    return indicator.get(f"unit_{language()}", "") if indicator["value_type"] in ("rate", "count") else ""


def comparison_text(judgement: str | None) -> str:
    judgement = "not compared" if missing(judgement) or not judgement else judgement
    return f"{COMPARISON.get(judgement, COMPARISON['not compared'])[2]} {t('judgement.' + judgement.replace(' ', '_'))}"


def trend_text(judgement: str | None) -> str:
    if missing(judgement) or not judgement:
        return t("judgement.trend_none")
    return f"{TREND.get(judgement, '·')} {t('judgement.' + judgement.replace(' ', '_'))}"


def date_text(value) -> str:
    """'30 September 2026' / '30 Medi 2026'."""
    from indicators.periods import MONTHS_CY, MONTHS_EN

    day = pd.Timestamp(value)
    months = MONTHS_EN if language() == "en" else MONTHS_CY
    return f"{day.day} {months[day.month - 1]} {day.year}"


def wales_text(row, frequency: str) -> str:
    """'▲ Better (January to March 2023)': the latest comparison with Wales, with its period."""
    if row is None or missing(row["compared_to_wales"]):
        return comparison_text("not compared")
    return (
        f"{comparison_text(row['compared_to_wales'])} ({period_label(row['period'], frequency, language())})"
    )
