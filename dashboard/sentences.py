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
        parts.append(
            t(
                "sentences.wales_summary",
                total=int(compared.sum()),
                better=int(counts.get("better", 0)),
                similar=int(counts.get("similar", 0)),
                worse=int(counts.get("worse", 0)),
            )
        )
    else:
        parts.append(t("sentences.wales_none"))
    parts.append(
        t(
            "sentences.trend_summary",
            better=int(trends.get("getting better", 0)),
            worse=int(trends.get("getting worse", 0)),
            same=int(trends.get("no significant change", 0)),
        )
    )
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


def indicator_sentence(
    indicator: dict, row: dict | None, area_name: str, period_text: str, is_ward: bool
) -> str:
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
        parts = [
            t(
                "indicator.s_value",
                area=area_name,
                period=period_text,
                value=value_with_unit(row["value"], indicator, row.get("note_codes")),
            )
        ]
        wales = row.get("compared_to_wales")
        if wales in JUDGED:
            parts.append(t(f"indicator.s_wales_{wales}", area=area_name))
        wrexham = row.get("compared_to_wrexham")
        if is_ward and wrexham in JUDGED:
            parts.append(t(f"indicator.s_wrexham_{wrexham}", area=area_name))
        target_met = row.get("target_met")
        target_text = indicator.get(f"target_{language()}")
        if _present(indicator.get("target_value")) and target_met is not None and target_met is not pd.NA:
            parts.append(
                t(
                    "indicator.s_target_met" if bool(target_met) else "indicator.s_target_not_met",
                    target=target_text or "",
                )
            )
    trend = row.get("trend_judgement")
    if isinstance(trend, str) and trend:
        parts.append(
            t(
                f"indicator.s_trend_{trend.replace(' ', '_')}",
                span=t(f"indicator.span_{indicator['frequency']}"),
            )
        )
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
    return " ".join(
        [
            t(
                "services.s_spc_latest",
                name=name,
                period=last["period_label"],
                signal=t(f"services.signal_{last['signal'].replace(' ', '_')}"),
            ),
            t(
                "services.s_spc_counts",
                total=len(judged),
                high=int(counts.get("special cause high", 0)),
                low=int(counts.get("special cause low", 0)),
            ),
        ]
    )


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
        parts.append(
            t(
                "wards.map_sentence_range",
                high=high["ward_name"],
                high_value=high["value_label"],
                low=low["ward_name"],
                low_value=low["value_label"],
            )
        )
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
        parts.append(
            t(
                "wards.profile_sentence",
                ward=ward_name,
                better=get("better"),
                similar=get("similar"),
                worse=get("worse"),
            )
        )
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
        parts.append(
            t(
                "wards.deprivation_fifth",
                total=total_wards,
                ward=ward_name,
                fifth=t(f"wards.fifth_{int(fifth)}"),
                rank=int(rank) if rank is not None and not pd.isna(rank) else "?",
            )
        )
    lsoas = ward.get("lsoa_count")
    share = ward.get("share_lsoas_in_wales_most_deprived_20pct")
    if (
        lsoas is not None
        and share is not None
        and not pd.isna(lsoas)
        and not pd.isna(share)
        and int(lsoas) > 0
    ):
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
            return t("data_quality.partner_up_to_date_no_next", lang, partner=partner)
        return t("data_quality.partner_up_to_date", lang, partner=partner, due=long_date(next_due, lang))
    clauses = []
    for item in overdue:
        if item.get("dataset"):
            clauses.append(
                t(
                    "data_quality.overdue_dataset",
                    lang,
                    dataset=item["dataset"],
                    period=item["period"],
                    due=long_date(item["due"], lang),
                )
            )
        else:
            clauses.append(
                t("data_quality.overdue_plain", lang, period=item["period"], due=long_date(item["due"], lang))
            )
    first = clauses[0]
    rest = [c[0].upper() + c[1:] for c in clauses[1:]]
    return f"{partner}: " + " ".join([first] + rest)


def period_text(raw, lang: str) -> str:
    """A period id as a partner's file gave it ('2026-27 Q2', '2025/26 Summer', '2026-09-01',
    '2025-26', '2024/25') in words; the text itself if it is none of these."""
    import re

    from dashboard.periods import period_label

    if raw is None or pd.isna(raw) or not str(raw).strip():
        return t("data_quality.not_recorded", lang)
    raw = str(raw).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2} Q[1-4]", raw):
            return period_label(raw, "quarterly", lang)
        if re.fullmatch(r"\d{4}/\d{2} (Autumn|Spring|Summer)", raw):
            return period_label(raw, "termly", lang)
        if re.fullmatch(r"\d{4}/\d{2}", raw):
            return period_label(raw, "academic_year", lang)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return period_label(raw[:7], "monthly", lang)
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            year, second = int(raw[:4]), int(raw[5:])
            frequency = "annual" if second == (year + 1) % 100 else "monthly"
            return period_label(raw, frequency, lang)
    except (ValueError, KeyError):
        pass
    return raw


def due_period_text(period_end, cadence: str, lang: str) -> str:
    """The period whose figures are due next, in words ('July to September 2026'), from the
    period's last day and how often the partner sends figures."""
    from dashboard.periods import period_label

    if period_end is None or pd.isna(period_end):
        return t("data_quality.next_period", lang)
    end = pd.Timestamp(period_end)
    y, m = end.year, end.month
    try:
        if cadence == "quarterly" and m in (3, 6, 9, 12):
            fy = y if m >= 4 else y - 1
            return period_label(f"{fy}-{(fy + 1) % 100:02d} Q{((m - 4) % 12) // 3 + 1}", "quarterly", lang)
        if cadence == "monthly":
            return period_label(f"{y}-{m:02d}", "monthly", lang)
        if cadence == "annual" and m == 3:
            return period_label(f"{y - 1}-{y % 100:02d}", "annual", lang)
        if cadence == "termly" and m in (12, 4, 7):
            start = y if m == 12 else y - 1
            term = {12: "Autumn", 4: "Spring", 7: "Summer"}[m]
            return period_label(f"{start}/{(start + 1) % 100:02d} {term}", "termly", lang)
    except (ValueError, KeyError):
        pass
    return t("data_quality.period_to", lang, date=long_date(end, lang))


_REASON_PATTERNS: list = []


def reason_text(reason: str, lang: str) -> str:
    """A reason the checks gave for rejecting rows, in the reader's language. The English
    reasons are matched against the English catalogue entries data_quality.reason_* (their
    {placeholders} match any text); a reason with no entry is shown as it was written."""
    import re

    from dashboard.i18n import catalogue

    if not _REASON_PATTERNS:
        for key, text in catalogue("en").items():
            if key.startswith("data_quality.reason_"):
                regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(text))
                _REASON_PATTERNS.append((re.compile(f"^{regex}$"), key))
    for pattern, key in _REASON_PATTERNS:
        found = pattern.match(str(reason))
        if found:
            return t(key, lang, **found.groupdict())
    return str(reason)


# --- Board page and board pack (keys in locales/*/board.yaml) ----------------------------------


def board_area_summary(area_name: str, rows: pd.DataFrame, names: dict, lang: str) -> str:
    """Easy-read summary of one outcome area for the board, e.g. 'Three of the 8 "Safe" figures
    went the right way since last quarter. 2 went the wrong way. Children placed outside Wrexham
    has gone up for 3 quarters in a row.' `rows` are the area's rows of BoardDiff.rows; `names`
    maps indicator id -> short name. Only published judgements and plain differences are used."""
    if rows.empty:
        return t("board.s_area_empty", lang, area=area_name)
    total = len(rows)
    directions = rows["direction_quarter"].value_counts()
    better, worse = int(directions.get("better", 0)), int(directions.get("worse", 0))
    parts = []
    if better or worse:
        parts.append(t("board.s_right_way", lang, n=better, total=total, area=area_name))
        parts.append(t("board.s_wrong_way", lang, n=worse))
    else:
        parts.append(t("board.s_no_quarter_change", lang, area=area_name, total=total))
    runs = rows[(rows["run"] >= 3) & rows["direction_quarter"].isin(["better", "worse", "up", "down"])]
    for row in runs.sort_values("run", ascending=False).head(2).to_dict("records"):
        went_up = row["change_quarter"] > 0
        parts.append(
            t(
                "board.s_run_up" if went_up else "board.s_run_down",
                lang,
                name=names.get(row["indicator_id"], row["indicator_id"]),
                n=int(row["run"]),
            )
        )
    trends = rows["trend"].value_counts()
    if trends.get("getting better", 0) or trends.get("getting worse", 0):
        parts.append(
            t(
                "board.s_trends",
                lang,
                better=int(trends.get("getting better", 0)),
                worse=int(trends.get("getting worse", 0)),
            )
        )
    for row in rows[rows["wales"] == "worse"].to_dict("records"):
        key = "board.s_worse_wales_worsening" if row["trend"] == "getting worse" else "board.s_worse_wales"
        parts.append(t(key, lang, name=names.get(row["indicator_id"], row["indicator_id"])))
    missed = rows[rows["has_target"] & (rows["target_met"] == False)]  # noqa: E712 (None is 'no target')
    if not missed.empty:
        parts.append(t("board.s_targets_missed", lang, n=len(missed)))
    new = int(rows["is_new"].sum())
    if new:
        parts.append(t("board.s_new", lang, n=new))
    return " ".join(parts)


def board_headline(diff, lang: str) -> str:
    """One paragraph for the top of the board's quarter: exceptions, revisions, new figures."""
    parts = [
        t("board.s_headline_exceptions", lang, n=len(diff.worse_and_worsening))
        if diff.worse_and_worsening
        else t("board.s_headline_no_exceptions", lang)
    ]
    if diff.newly_worse:
        parts.append(t("board.s_headline_newly_worse", lang, n=len(diff.newly_worse)))
    parts.append(t("board.s_headline_new", lang, n=int(diff.rows["is_new"].sum()), total=len(diff.rows)))
    if diff.previous_vintage:
        parts.append(
            t(
                "board.s_headline_revisions",
                lang,
                n=len(diff.revisions),
                indicators=diff.revisions["indicator_id"].nunique(),
            )
        )
    return " ".join(parts)
