"""Period labels for people, in English or Welsh (the published file stores ids like '2025-26 Q2')."""

from __future__ import annotations

from indicators.periods import label


def quarter_label(vintage: str, language: str) -> str:
    return label(vintage, "quarterly", language)


def period_label(period: str, frequency: str, language: str) -> str:
    return label(period, frequency, language)
