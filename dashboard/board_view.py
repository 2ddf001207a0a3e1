"""The strategy board's quarter: what changed between two published vintages.

This is data preparation, not statistics: every judgement (compared with Wales, recent trend,
SPC signal, target met) is the published one. Here we only line up two published files and say
what differs:

- the latest figure of each indicator (Wrexham), with the figure a quarter and a year earlier
  (matched on the period's last day, so a monthly series compares September with June);
- new figures: periods the previous pack did not have, or had as not available ('x') or
  withheld ('c');
- revisions: a value for the same period, area and breakdown that differs between the previous
  vintage and this one (old value, new value, the partner, and why when the file says why);
- category changes (compared with Wales), trend changes, SPC signals, targets met or missed;
- exceptions: significantly worse than Wales (99.8% level) and getting worse; then newly worse.

Pure pandas: no Streamlit and no DuckDB, so the page, the pack and the tests share it. Inputs
are the published tables as DataFrames (see dashboard/queries_board.py for where they come from).
When there is no earlier vintage the baseline is this vintage cut at the previous quarter's end,
so changes and categories still read sensibly, but nothing can be called a revision.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

from dashboard.i18n import number, t
from indicators.periods import MONTHS_CY, MONTHS_EN

WREXHAM = "W06000006"
KEY = ["indicator_id", "period", "area_code", "breakdown", "breakdown_value"]
JUDGED = ("better", "similar", "worse", "higher", "lower")
TOLERANCE = 1e-9  # relative: a value re-computed to the same figure is not a revision


@dataclass
class BoardDiff:
    """Everything the page and the pack show for one quarter."""

    vintage: str  # '2026-27 Q2'
    reporting_end: object
    previous_vintage: str | None  # None: no earlier pack was kept
    rows: pd.DataFrame  # one row per published indicator
    new_figures: pd.DataFrame  # Wrexham figures new since the last pack
    new_counts: dict = field(default_factory=dict)  # new figures by area type (all breakdowns)
    revisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    worse_and_worsening: list = field(default_factory=list)  # indicator ids
    newly_worse: list = field(default_factory=list)
    watch: pd.DataFrame = field(default_factory=pd.DataFrame)  # other warnings (trend, target, SPC)


# --- small helpers ----------------------------------------------------------------------------


def present(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    try:
        return not (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return True


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _codes(value) -> list[str]:
    return _text(value).split()


def decimals_for(value_type: str) -> int:
    return {"proportion": 1, "rate": 1, "count": 0, "money": 0}.get(value_type, 1)


def value_text(value, indicator: dict, note_codes, lang: str) -> str:
    """'81.3%', '119.9', '£1,234', or 'c' / 'x' (the same rules as dashboard/format.py, with the
    language passed in so the command-line pack needs no Streamlit session)."""
    codes = _codes(note_codes)
    if "c" in codes:
        return t("common.withheld", lang)
    if not present(value):
        return t("common.not_available", lang)
    text = number(float(value), decimals_for(indicator["value_type"]))
    if indicator["value_type"] == "proportion":
        text += "%"
    elif indicator["value_type"] == "money":
        text = "£" + text
    if "e" in codes:
        text += " (e)"
    return text


def change_text(change, indicator: dict, lang: str) -> str:
    """'+2.1 points', '-12', '+£3,400' (empty when there is nothing to compare)."""
    if not present(change):
        return ""
    decimals = decimals_for(indicator["value_type"])
    sign = "+" if round(change, decimals) > 0 else ("−" if round(change, decimals) < 0 else "±")
    text = number(abs(float(change)), decimals)
    if indicator["value_type"] == "money":
        text = "£" + text
    if indicator["value_type"] == "proportion":
        return t("board.points", lang, change=sign + text)
    return sign + text


def direction(change, indicator: dict) -> str | None:
    """better / worse (by the indicator's polarity), up / down when there is no good direction,
    same when the change rounds to nothing at the published precision; None with no figure."""
    if not present(change):
        return None
    rounded = round(float(change), decimals_for(indicator["value_type"]))
    if rounded == 0:
        return "same"
    polarity = indicator.get("polarity")
    if polarity == "high_good":
        return "better" if rounded > 0 else "worse"
    if polarity == "low_good":
        return "better" if rounded < 0 else "worse"
    return "up" if rounded > 0 else "down"


def long_date(value, lang: str) -> str:
    if not present(value):
        return ""
    day = pd.Timestamp(value)
    months = MONTHS_CY if lang == "cy" else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _month_key(value) -> tuple[int, int]:
    day = pd.Timestamp(value)
    return day.year, day.month


def _shift(key: tuple[int, int], months: int) -> tuple[int, int]:
    index = key[0] * 12 + (key[1] - 1) - months
    return index // 12, index % 12 + 1


def _wrexham(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["area_code"] == WREXHAM) & (frame["breakdown"] == "all")].sort_values(
        ["indicator_id", "period_end"]
    )


def _latest(series: pd.DataFrame) -> dict | None:
    """The latest row with a figure (published or withheld); a period that has not arrived ('x')
    does not hide the last known figure (as dashboard/data.latest_values)."""
    known = series[~series["note_codes"].fillna("").str.contains("x")]
    return None if known.empty else known.iloc[-1].to_dict()


def _latest_compared(series: pd.DataFrame) -> dict | None:
    judged = series[series["compared_to_wales"].isin(JUDGED)]
    return None if judged.empty else judged.iloc[-1].to_dict()


def _same_value(old, new) -> bool:
    if not present(old) and not present(new):
        return True
    if present(old) != present(new):
        return False
    return abs(float(new) - float(old)) <= TOLERANCE * max(1.0, abs(float(old)))


def _run(series: pd.DataFrame, latest: dict) -> int:
    """How many quarters running the figure has moved the same way (1 = only this quarter),
    stepping back a quarter at a time from the latest figure."""
    by_month = {
        _month_key(r["period_end"]): r["value"]
        for r in series.to_dict("records")
        if present(r["value"]) and "c" not in _codes(r["note_codes"])
    }
    key = _month_key(latest["period_end"])
    steps, sign = 0, 0
    while True:
        now, before = by_month.get(key), by_month.get(_shift(key, 3))
        if now is None or before is None or now == before:
            break
        this = 1 if now > before else -1
        if sign and this != sign:
            break
        sign, steps, key = this, steps + 1, _shift(key, 3)
    return steps


# --- the diff ---------------------------------------------------------------------------------


def quarter_diff(
    indicators: pd.DataFrame,
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    vintage: dict,
    previous_vintage: dict | None = None,
    load_summary: pd.DataFrame | None = None,
    previous_indicators: pd.DataFrame | None = None,
    partners: pd.DataFrame | None = None,
    lang: str = "en",
) -> BoardDiff:
    """Compare this quarter's published values with the previous quarter's.

    indicators: the `indicator` table; current / previous: `indicator_value` rows of the two
    vintages (any areas and breakdowns; Wrexham's 'all' rows drive the board); vintage /
    previous_vintage: the `vintage` rows as dicts; load_summary, previous_indicators and partners
    only feed the revisions' partner and reason."""
    published = indicators[indicators["status"] == "published"].sort_values("display_order")
    by_id = published.set_index("indicator_id", drop=False).to_dict("index")
    cutoff = pd.Timestamp(vintage["reporting_end"]) - pd.offsets.QuarterEnd(1)
    baseline_from_same = previous is None
    if previous is None:
        # No earlier pack: what this vintage says up to the end of the previous quarter.
        previous = current[pd.to_datetime(current["period_end"]) <= cutoff]
    current = current[current["indicator_id"].isin(by_id)]
    previous = previous[previous["indicator_id"].isin(by_id)]
    now_w, before_w = _wrexham(current), _wrexham(previous)
    before_groups = {i: g for i, g in before_w.groupby("indicator_id")}  # noqa: C416 (dict() would take GroupBy.keys for a mapping)

    rows = []
    for indicator_id, series in now_w.groupby("indicator_id", sort=False):
        ind = by_id[indicator_id]
        latest = _latest(series)
        if latest is None:
            continue
        old_series = before_groups.get(indicator_id, series.iloc[0:0])
        old_latest = _latest(old_series)
        by_month = {_month_key(r["period_end"]): r for r in series.to_dict("records")}
        quarter_ago = by_month.get(_shift(_month_key(latest["period_end"]), 3))
        year_ago = by_month.get(_shift(_month_key(latest["period_end"]), 12))
        if ind["frequency"] in ("annual", "academic_year", "termly"):
            quarter_ago = None  # no figure a quarter earlier exists for these

        def change_from(row):
            if row is None or not present(latest["value"]) or not present(row["value"]):
                return None
            if "c" in _codes(latest["note_codes"]) or "c" in _codes(row["note_codes"]):
                return None
            return float(latest["value"]) - float(row["value"])

        wales_now, wales_before = _latest_compared(series), _latest_compared(old_series)
        category_now = wales_now["compared_to_wales"] if wales_now else "not compared"
        category_before = wales_before["compared_to_wales"] if wales_before else "not compared"
        trend_now = _text(latest.get("trend_judgement")) or None
        trend_before = (_text(old_latest.get("trend_judgement")) or None) if old_latest else None
        change_q, change_y = change_from(quarter_ago), change_from(year_ago)
        target_met = latest.get("target_met")
        rows.append(
            {
                "indicator_id": indicator_id,
                "outcome_area": ind["outcome_area"],
                "display_order": ind["display_order"],
                "frequency": ind["frequency"],
                "period": latest["period"],
                "period_end": latest["period_end"],
                "value": latest["value"],
                "note_codes": _text(latest["note_codes"]),
                "is_new": old_latest is None or old_latest["period"] != latest["period"],
                "quarter_ago_period": quarter_ago["period"] if quarter_ago else None,
                "quarter_ago_value": quarter_ago["value"] if quarter_ago else None,
                "quarter_ago_codes": _text(quarter_ago["note_codes"]) if quarter_ago else "",
                "change_quarter": change_q,
                "direction_quarter": direction(change_q, ind),
                "year_ago_period": year_ago["period"] if year_ago else None,
                "year_ago_value": year_ago["value"] if year_ago else None,
                "year_ago_codes": _text(year_ago["note_codes"]) if year_ago else "",
                "change_year": change_y,
                "direction_year": direction(change_y, ind),
                "run": _run(series, latest) if quarter_ago else 0,
                "wales": category_now,
                "wales_period": wales_now["period"] if wales_now else None,
                "wales_998": (wales_now.get("compared_to_wales_998") or "not compared")
                if wales_now
                else "not compared",
                "wales_before": category_before,
                "wales_changed": category_now != category_before,
                "trend": trend_now,
                "trend_before": trend_before,
                "trend_changed": trend_before is not None and trend_now != trend_before,
                "spc_signal": _text(latest.get("spc_signal")) or None,
                "target_met": None if not present(target_met) else bool(target_met),
                "has_target": present(ind.get("target_value")),
            }
        )
    columns = [
        "indicator_id",
        "outcome_area",
        "display_order",
        "frequency",
        "period",
        "period_end",
        "value",
        "note_codes",
        "is_new",
        "quarter_ago_period",
        "quarter_ago_value",
        "quarter_ago_codes",
        "change_quarter",
        "direction_quarter",
        "year_ago_period",
        "year_ago_value",
        "year_ago_codes",
        "change_year",
        "direction_year",
        "run",
        "wales",
        "wales_period",
        "wales_998",
        "wales_before",
        "wales_changed",
        "trend",
        "trend_before",
        "trend_changed",
        "spc_signal",
        "target_met",
        "has_target",
    ]
    table = pd.DataFrame(rows, columns=columns)

    new_figures, new_counts = _new_figures(current, previous)
    revisions = pd.DataFrame(
        columns=[
            "indicator_id",
            "period",
            "old_value",
            "old_codes",
            "new_value",
            "new_codes",
            "partner",
            "reason",
        ]
    )
    if not baseline_from_same:
        revisions = _revisions(now_w, before_w, by_id, load_summary, previous_indicators, partners, lang)

    worse_and_worsening = table.loc[
        (table["wales_998"] == "worse") & (table["trend"] == "getting worse"), "indicator_id"
    ].tolist()
    newly_worse = table.loc[
        (table["wales"] == "worse")
        & (table["wales_before"] != "worse")
        & ~table["indicator_id"].isin(worse_and_worsening),
        "indicator_id",
    ].tolist()
    return BoardDiff(
        vintage=vintage["vintage"],
        reporting_end=vintage["reporting_end"],
        previous_vintage=None if baseline_from_same else (previous_vintage or {}).get("vintage"),
        rows=table,
        new_figures=new_figures,
        new_counts=new_counts,
        revisions=revisions,
        worse_and_worsening=worse_and_worsening,
        newly_worse=newly_worse,
        watch=_watch(table, set(worse_and_worsening) | set(newly_worse)),
    )


def _new_figures(current: pd.DataFrame, previous: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Figures this pack has that the last did not: a new period, or a period that was not
    available ('x') or withheld ('c') before and has a figure now."""
    cur = current[~current["note_codes"].fillna("").str.contains("x")]
    merged = cur.merge(
        previous[KEY + ["value", "note_codes"]], on=KEY, how="left", suffixes=("", "_old"), indicator=True
    )
    old_codes = merged["note_codes_old"].fillna("")
    kind = pd.Series(None, index=merged.index, dtype=object)
    kind[merged["_merge"] == "left_only"] = "new_period"
    kind[(merged["_merge"] == "both") & old_codes.str.contains("x")] = "arrived"
    now_shown = ~merged["note_codes"].fillna("").str.contains("c") & merged["value"].notna()
    kind[(merged["_merge"] == "both") & old_codes.str.contains("c") & now_shown] = "now_shown"
    merged["kind"] = kind
    new = merged[merged["kind"].notna()]
    counts = new.groupby("area_type").size().to_dict() if not new.empty else {}
    wrexham = new[(new["area_code"] == WREXHAM) & (new["breakdown"] == "all")]
    keep = ["indicator_id", "period", "period_end", "value", "note_codes", "kind"]
    return wrexham[keep].sort_values(["indicator_id", "period_end"]).reset_index(drop=True), counts


def new_figures_grouped(new_figures: pd.DataFrame) -> pd.DataFrame:
    """New figures in a few lines: one per indicator and kind, with the first and last period
    and how many (a late delivery can bring years of figures at once)."""
    if new_figures.empty:
        return pd.DataFrame(columns=["indicator_id", "kind", "first", "last", "count", "value", "note_codes"])
    ordered = new_figures.sort_values("period_end")
    grouped = (
        ordered.groupby(["indicator_id", "kind"], sort=False)
        .agg(
            first=("period", "first"),
            last=("period", "last"),
            count=("period", "size"),
            value=("value", "last"),
            note_codes=("note_codes", "last"),
        )
        .reset_index()
    )
    return grouped.sort_values(["indicator_id", "kind"]).reset_index(drop=True)


def _revisions(now_w, before_w, by_id, load_summary, previous_indicators, partners, lang) -> pd.DataFrame:
    """Wrexham values that both packs have and that differ."""
    both = now_w.merge(before_w[KEY + ["value", "note_codes", "wales_value"]], on=KEY, suffixes=("", "_old"))
    both = both[both["value"].notna() & both["value_old"].notna()]
    changed = both[[not _same_value(o, n) for o, n in zip(both["value_old"], both["value"])]]
    partner_names = {} if partners is None else dict(zip(partners["id"], partners[f"name_{lang}"]))
    old_loads = {}
    if previous_indicators is not None and "load_ids" in previous_indicators:
        old_loads = {
            i: set(json.loads(v or "[]"))
            for i, v in zip(previous_indicators["indicator_id"], previous_indicators["load_ids"])
        }
    records, reasons = [], {}
    for row in changed.to_dict("records"):
        ind = by_id[row["indicator_id"]]
        if row["indicator_id"] not in reasons:
            reasons[row["indicator_id"]] = _reason(
                ind, old_loads.get(row["indicator_id"]), load_summary, lang
            )
        records.append(
            {
                "indicator_id": row["indicator_id"],
                "period": row["period"],
                "period_end": row["period_end"],
                "old_value": row["value_old"],
                "old_codes": _text(row["note_codes_old"]),
                "new_value": row["value"],
                "new_codes": _text(row["note_codes"]),
                "partner": partner_names.get(ind.get("lead_partner"), ind.get("lead_partner") or ""),
                "reason": reasons[row["indicator_id"]],
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "indicator_id",
            "period",
            "period_end",
            "old_value",
            "old_codes",
            "new_value",
            "new_codes",
            "partner",
            "reason",
        ],
    )
    return frame.sort_values(["indicator_id", "period_end"]).reset_index(drop=True)


def _reason(ind: dict, old_loads: set | None, load_summary: pd.DataFrame | None, lang: str) -> str:
    """Why a figure changed, as far as the published files say: a delivery new since the last
    pack that the ETL recorded as revising earlier rows, else a plain 'worked out again'."""
    if load_summary is not None and not load_summary.empty and old_loads is not None:
        loads = set(json.loads(ind.get("load_ids") or "[]")) - old_loads
        revising = load_summary[
            load_summary["load_id"].isin(loads) & (load_summary["revisions"].fillna(0) > 0)
        ]
        if not revising.empty:
            latest = revising.sort_values("received").iloc[-1]
            return t(
                "board.reason_resubmitted",
                lang,
                file=latest["file"],
                received=long_date(latest["received"], lang),
            )
        if loads:
            return t("board.reason_new_delivery", lang)
    return t("board.reason_recalculated", lang)


def _watch(table: pd.DataFrame, already: set) -> pd.DataFrame:
    """Other warnings worth the board's time: getting worse, a missed target, an unusual SPC
    point in the wrong direction. (Published judgements only.)"""
    items = []
    for row in table.to_dict("records"):
        if row["indicator_id"] in already:
            continue
        if row["trend"] == "getting worse":
            items.append({"indicator_id": row["indicator_id"], "why": "trend_worse"})
        if row["has_target"] and row["target_met"] is False:
            items.append({"indicator_id": row["indicator_id"], "why": "target_missed"})
        if row["spc_signal"] in ("special cause high", "special cause low"):
            items.append({"indicator_id": row["indicator_id"], "why": "spc_" + row["spc_signal"].split()[-1]})
    return pd.DataFrame(items, columns=["indicator_id", "why"])


# --- quarters and vintages ---------------------------------------------------------------------


def normalise_quarter(text: str | None) -> str | None:
    """'2026-27Q2', '2026-27 Q2', '2026-27-Q2' -> the vintage id '2026-27-Q2'; None if not a quarter."""
    import re

    if not text:
        return None
    found = re.fullmatch(r"\s*(\d{4})-(\d{2})[\s_-]*[Qq]([1-4])\s*", str(text)[:40])
    if not found or (int(found.group(1)) + 1) % 100 != int(found.group(2)):
        return None
    return f"{found.group(1)}-{found.group(2)}-Q{found.group(3)}"


def vintage_label(vintage_id: str) -> str:
    """'2026-27-Q2' -> '2026-27 Q2' (the period id the published file uses)."""
    return vintage_id[:7] + " " + vintage_id[-2:]


def previous_quarter(vintage_id: str) -> str:
    year, quarter = int(vintage_id[:4]), int(vintage_id[-1])
    if quarter == 1:
        year, quarter = year - 1, 4
    else:
        quarter -= 1
    return f"{year}-{(year + 1) % 100:02d}-Q{quarter}"
