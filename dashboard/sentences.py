"""Plain-language sentences about published figures, in English and Welsh.

They only put published judgements into words (better/worse than Wales, getting better or
worse); they compute nothing. Easy-read style: short sentences, numbers with their meaning.
"""
from __future__ import annotations

import pandas as pd

from dashboard.i18n import t


def framework_summary(indicators: pd.DataFrame, latest: pd.DataFrame, wales: pd.DataFrame) -> str:
    """'Wrexham can be compared with Wales on 3 indicators: better on 2, ...'"""
    published = latest[latest.index.isin(indicators.index[indicators["status"] == "published"])]
    judged = wales[wales.index.isin(published.index)]["compared_to_wales"]
    compared = judged.isin(["better", "similar", "worse"])
    counts = judged[compared].value_counts()
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


# --- wards page (keys in locales/*/wards.yaml) -------------------------------------------------

def ward_map_summary(cells: pd.DataFrame, indicator_name: str, period_text: str) -> str:
    """'The map shows ... The highest figure is in X (..) and the lowest in Y (..). 23 of the 49
    wards are withheld (c) and shown in grey.' `cells` as drawn by the map (value NaN unless shown)."""
    shown = cells[cells["status"] == "value"].sort_values(["value", "ward_name"])
    parts = [t("wards.map_sentence", indicator=indicator_name, period=period_text)]
    if shown.empty:
        parts.append(t("wards.map_sentence_none"))
    elif len(shown) > 1 and shown["value"].iloc[-1] != shown["value"].iloc[0]:
        high, low = shown.iloc[-1], shown.iloc[0]
        parts.append(t("wards.map_sentence_range", high=high["ward_name"], high_value=high["value_label"],
                       low=low["ward_name"], low_value=low["value_label"]))
    withheld = int((cells["status"] == "withheld").sum())
    missing = int((cells["status"] == "missing").sum())
    if withheld:
        parts.append(t("wards.map_sentence_withheld", count=withheld, total=len(cells)))
    if missing:
        parts.append(t("wards.map_sentence_missing", count=missing, total=len(cells)))
    return " ".join(parts)


def ward_profile_summary(profile: pd.DataFrame, ward_name: str) -> str:
    """How the ward compares with Wrexham across its indicators (published judgements counted)."""
    counts = profile["judgement"].value_counts()
    get = lambda key: int(counts.get(key, 0))  # noqa: E731
    parts = []
    if get("better") + get("similar") + get("worse"):
        parts.append(t("wards.profile_sentence", ward=ward_name, better=get("better"),
                       similar=get("similar"), worse=get("worse")))
    if get("higher") + get("lower"):
        parts.append(t("wards.profile_sentence_neutral", higher=get("higher"), lower=get("lower")))
    if get("withheld"):
        parts.append(t("wards.profile_sentence_withheld", count=get("withheld")))
    return " ".join(parts) or t("wards.profile_sentence_none", ward=ward_name)


def ward_deprivation(ward: dict, ward_name: str, total_wards: int) -> str:
    """The ward's deprivation context in plain words (WIMD 2019, summarised in the ward table)."""
    parts = []
    fifth = ward.get("deprivation_fifth_within_wrexham")
    rank = ward.get("deprivation_rank_within_wrexham")
    if fifth is not None and not pd.isna(fifth) and 1 <= int(fifth) <= 5:
        parts.append(t("wards.deprivation_fifth", total=total_wards, ward=ward_name,
                       fifth=t(f"wards.fifth_{int(fifth)}"),
                       rank=int(rank) if rank is not None and not pd.isna(rank) else "?"))
    lsoas = ward.get("lsoa_count")
    share = ward.get("share_lsoas_in_wales_most_deprived_20pct")
    if lsoas is not None and share is not None and not pd.isna(lsoas) and not pd.isna(share) and int(lsoas) > 0:
        among, total = int(round(float(share) * int(lsoas))), int(lsoas)
        if total == 1:
            key = "wards.deprivation_single_in" if among else "wards.deprivation_single_out"
        elif among == 0:
            key = "wards.deprivation_lsoas_none"
        else:
            key = "wards.deprivation_lsoas_one" if among == 1 else "wards.deprivation_lsoas"
        parts.append(t(key, count=among, total=total))
    worst = ward.get("most_deprived_lsoa_rank")
    if worst is not None and not pd.isna(worst):
        parts.append(t("wards.deprivation_worst", rank=f"{int(worst):,}"))
    return " ".join(parts) or t("wards.deprivation_none")


# --- data quality page (keys in locales/*/data_quality.yaml) -------------------------------------

def long_date(value, lang: str) -> str:
    """'31 October 2026' / '31 Hydref 2026' (empty for a missing date)."""
    from indicators.periods import MONTHS_CY, MONTHS_EN

    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    months = MONTHS_CY if lang == "cy" else MONTHS_EN
    return f"{stamp.day} {months[stamp.month - 1]} {stamp.year}"


def partner_delivery(partner: str, overdue: list[dict], next_due, lang: str) -> str:
    """'North Wales Police: the July to September 2026 figures were due on 31 October 2026 and
    have not arrived.' `overdue` items: {'period': words, 'due': date, 'dataset': name or None}."""
    if not overdue:
        if next_due is None or pd.isna(next_due):
            return t("data_quality.partner_up_to_date_no_next", partner=partner)
        return t("data_quality.partner_up_to_date", partner=partner, due=long_date(next_due, lang))
    clauses = []
    for item in overdue:
        if item.get("dataset"):
            clauses.append(t("data_quality.overdue_dataset", dataset=item["dataset"], period=item["period"],
                             due=long_date(item["due"], lang)))
        else:
            clauses.append(t("data_quality.overdue_plain", period=item["period"], due=long_date(item["due"], lang)))
    first = clauses[0]
    rest = [c[0].upper() + c[1:] for c in clauses[1:]]
    return t("data_quality.partner_overdue", partner=partner, clauses=" ".join([first] + rest))
