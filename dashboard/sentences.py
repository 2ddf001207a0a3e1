"""Plain-language sentences about published figures, in English and Welsh.

They only put published judgements into words (better/worse than Wales, getting better or
worse); they compute nothing. Easy-read style: short sentences, numbers with their meaning.
"""
from __future__ import annotations

import pandas as pd

from dashboard.i18n import t


def framework_summary(indicators: pd.DataFrame, latest: pd.DataFrame) -> str:
    """'Of the 4 indicators compared with Wales, 2 are better, 1 similar and 1 worse. ...'"""
    published = latest[latest.index.isin(indicators.index[indicators["status"] == "published"])]
    compared = published["compared_to_wales"].isin(["better", "similar", "worse"])
    counts = published.loc[compared, "compared_to_wales"].value_counts()
    trends = published["trend_judgement"].value_counts()
    parts = []
    if compared.sum():
        parts.append(t("sentences.wales_summary", total=int(compared.sum()), better=int(counts.get("better", 0)),
                       similar=int(counts.get("similar", 0)), worse=int(counts.get("worse", 0))))
    else:
        parts.append(t("sentences.wales_none"))
    parts.append(t("sentences.trend_summary", better=int(trends.get("getting better", 0)),
                   worse=int(trends.get("getting worse", 0)),
                   same=int(trends.get("no significant change", 0))))
    return " ".join(parts)


# --- Indicator and Services pages (keys in locales/*/indicator.yaml and services.yaml) ---------

JUDGED = ("better", "similar", "worse", "higher", "lower")


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and value is not pd.NA


def value_with_unit(value, indicator: dict, note_codes: str = "") -> str:
    """'119.9 per 10,000 children', '81.3%', '£332,318 a week', or 'c' / 'x'."""
    from dashboard import format as fmt
    from dashboard.i18n import language

    text = fmt.value_text(value, indicator, note_codes)
    codes = (note_codes or "").split()
    if "c" in codes or not _present(value):
        return text
    unit = indicator.get(f"unit_{language()}") or ""
    if indicator["value_type"] == "money":
        unit = unit.replace("£", "").strip()
    elif indicator["value_type"] == "proportion":
        unit = ""
    return f"{text} {unit}".strip()


def indicator_sentence(indicator: dict, row: dict | None, area_name: str, period_text: str,
                       is_ward: bool) -> str:
    """'The figure for Wrexham for July to September 2026 was 119.9 per 10,000 children.
    Wrexham is lower than Wales. It shows no significant change over the last five quarters.'
    Every judgement is the published one; nothing is worked out here."""
    from dashboard.i18n import language

    if row is None:
        return t("indicator.s_no_value", area=area_name, period=period_text)
    codes = (row.get("note_codes") or "").split()
    if "c" in codes:
        parts = [t("indicator.s_withheld", area=area_name, period=period_text)]
    elif not _present(row.get("value")):
        parts = [t("indicator.s_missing", area=area_name, period=period_text)]
    else:
        parts = [t("indicator.s_value", area=area_name, period=period_text,
                   value=value_with_unit(row["value"], indicator, row.get("note_codes")))]
        wales = row.get("compared_to_wales")
        if wales in JUDGED:
            parts.append(t(f"indicator.s_wales_{wales}", area=area_name))
        wrexham = row.get("compared_to_wrexham")
        if is_ward and wrexham in JUDGED:
            parts.append(t(f"indicator.s_wrexham_{wrexham}", area=area_name))
        target_met = row.get("target_met")
        target_text = indicator.get(f"target_{language()}")
        if _present(indicator.get("target_value")) and target_met is not None and target_met is not pd.NA:
            parts.append(t("indicator.s_target_met" if bool(target_met) else "indicator.s_target_not_met",
                           target=target_text or ""))
    trend = row.get("trend_judgement")
    if isinstance(trend, str) and trend:
        parts.append(t("indicator.s_trend_" + trend.replace(" ", "_"),
                       span=t("indicator.span_" + indicator["frequency"])))
    return " ".join(parts)


def wards_sentence(judgements: pd.Series, period_text: str) -> str:
    """'For July to September 2026, 26 wards have a figure: 4 are worse than Wrexham, 22 are
    similar and none is better. 23 wards are withheld (c).' (counts of published judgements)."""
    withheld = int((judgements == "withheld").sum())
    shown = judgements[judgements != "withheld"]
    counts = shown.value_counts()
    parts = [t("indicator.s_wards_shown", period=period_text, shown=len(shown))]
    named = [t(f"indicator.s_wards_{j}", n=int(counts[j])) for j in JUDGED if counts.get(j, 0)]
    if named:
        parts.append(t("indicator.s_wards_of_which", list=", ".join(named)))
    if withheld:
        parts.append(t("indicator.s_wards_withheld", n=withheld))
    return " ".join(parts)


def spc_sentence(name: str, frame: pd.DataFrame) -> str:
    """The latest point's published SPC signal in words, and how many points shown are
    unusually high or low. `frame` has period_label, signal (raw), oldest first."""
    judged = frame[frame["signal"].notna()]
    if judged.empty:
        return t("services.s_spc_none", name=name)
    last = judged.iloc[-1]
    counts = judged["signal"].value_counts()
    return " ".join([
        t("services.s_spc_latest", name=name, period=last["period_label"],
          signal=t("services.signal_" + last["signal"].replace(" ", "_"))),
        t("services.s_spc_counts", total=len(judged), high=int(counts.get("special cause high", 0)),
          low=int(counts.get("special cause low", 0))),
    ])
