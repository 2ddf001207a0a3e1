"""Wards: a map of the 49 wards coloured by one indicator's latest published value (real
boundaries when WARD_BOUNDARIES points at them, a computed hex map otherwise), then the chosen
ward's profile: every ward-level indicator against Wrexham and Wales (spine chart and table),
its deprivation context, and links to each indicator page for this ward.

URL: ?ward=<WD22 code>&indicator=<id>&lang=en|cy. Selecting a ward on the map sets ?ward=."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import data, maps, profile_charts, sentences, state
from dashboard import format as fmt
from dashboard.i18n import column, language, t
from dashboard.periods import period_label

WREXHAM = "W06000006"
DEFAULT_INDICATOR = "R7"  # children in low income families: every ward has a figure

vintage = st.session_state.get("vintage")
lang = language()
indicators = data.indicators(vintage)
ward_table = data.wards(vintage)
ward_level = indicators[(indicators["lowest_geography"] == "ward") & (indicators["status"] == "published")]
ward_level = ward_level.set_index("indicator_id", drop=False)
names = dict(zip(ward_table["ward_code"], ward_table[column("name")]))
indicator_names = dict(zip(ward_level.index, ward_level[column("name")]))

st.title(t("wards.title"))
st.write(t("wards.intro"))

if ward_table.empty or ward_level.empty:
    st.info(t("wards.nothing_published"))
    st.stop()

latest = data.ward_latest(vintage)
latest = latest[latest["indicator_id"].isin(ward_level.index)]


def _judgement(row) -> str:
    if "c" in str(row.get("note_codes") or "").split():
        return "withheld"
    value = row.get("compared_to_wrexham")
    return value if isinstance(value, str) and value else "not compared"


def _picked_on_map(chart_key: str) -> None:
    """Map click (runs before the rerun): the clicked ward becomes the chosen ward."""
    event = st.session_state.get(chart_key) or {}
    chosen = (event.get("selection") or {}).get("ward_pick") or []
    code = chosen[0].get("ward_code") if chosen and isinstance(chosen[0], dict) else None
    if code in names:
        st.session_state["ward"] = code


# --- choices: the indicator on the map and the ward whose profile is shown -------------------
ward_codes = sorted(names, key=lambda code: names[code])
ward_default = min(names)  # the same ward in both languages
left, right = st.columns(2)
with left:
    indicator = state.select(
        t("wards.choose_indicator"),
        list(ward_level.index),
        key="indicator",
        what="indicator",
        default=DEFAULT_INDICATOR,
        format_func=indicator_names.get,
    )
with right:
    ward = state.select(
        t("wards.choose_ward"),
        ward_codes,
        key="ward",
        what="ward",
        default=ward_default,
        format_func=lambda code: names[code],
    )

# --- the map ---------------------------------------------------------------------------------
st.header(t("wards.map_title"), divider="gray")
ind = ward_level.loc[indicator].to_dict()

rows = latest[latest["indicator_id"] == indicator]
period = rows["period"].dropna().iloc[0] if not rows.empty else None
rows = {row["area_code"]: row for row in rows.to_dict("records")}
period_text = period_label(period, ind["frequency"], lang) if period else ""
cells = []
for code in ward_codes:
    row = rows.get(code, {})
    judgement = _judgement(row) if row else "not compared"
    withheld = judgement == "withheld"
    value = row.get("value") if row else None
    status = "withheld" if withheld else ("missing" if fmt.missing(value) else "value")
    cells.append(
        {
            "ward_code": code,
            "ward_name": names[code],
            "value": None if status != "value" else float(value),
            "value_label": fmt.value_text(value, ind, row.get("note_codes") if row else "x"),
            "status": status,
            "judgement_label": fmt.comparison_text(judgement),
            "period_label": period_text,
        }
    )
cells = pd.DataFrame(cells)

source = maps.boundary_source()
shapes = maps.shapes(ward_table, source)
real_map = shapes.kind == "boundaries"
if shapes.problem:
    st.info(t("wards.boundary_fallback", reason=t("wards." + shapes.problem)), icon=":material/map:")

legend_title = ind[column("short_name")] + (" (%)" if ind["value_type"] == "proportion" else "")
texts = {
    "legend_value": legend_title,
    "legend_status": t("wards.legend_status"),
    "withheld_legend": t("wards.legend_withheld"),
    "missing_legend": t("wards.legend_missing"),
    "tooltip_ward": t("wards.tooltip_ward"),
    "tooltip_value": t("wards.tooltip_value"),
    "tooltip_compared": t("wards.tooltip_compared"),
    "tooltip_period": t("wards.tooltip_period"),
    "withheld": t("common.withheld"),
    "missing": t("common.not_available"),
}
chart_key = f"ward_map_{indicator}_{ward}"  # a fresh selection whenever the view changes
st.altair_chart(
    maps.choropleth(cells, shapes, ward, texts),
    width="stretch",
    key=chart_key,
    on_select=partial(_picked_on_map, chart_key),
    selection_mode="ward_pick",
    alt=t(
        "wards.map_alt_boundaries" if real_map else "wards.map_alt_hex",
        indicator=ind[column("name")],
        period=period_text,
    ),
)
st.markdown(sentences.ward_map_summary(cells, ind[column("name")], period_text))
st.caption(t("wards.map_how_boundaries") if real_map else t("wards.map_how_hex"))
st.caption(t("common.withheld_explained") + " " + t("common.not_available_explained"))
st.caption(t("wards.attribution_boundaries") if real_map else t("wards.attribution_hex"))
with st.expander(t("wards.map_table")):
    table = cells.sort_values("value", ascending=False, na_position="last")
    st.dataframe(
        table[["ward_name", "value_label", "judgement_label"]],
        hide_index=True,
        width="stretch",
        column_config={
            "ward_name": st.column_config.TextColumn(t("wards.col_ward")),
            "value_label": st.column_config.TextColumn(t("wards.col_value", period=period_text)),
            "judgement_label": st.column_config.TextColumn(t("wards.col_compared")),
        },
    )

# --- the ward profile ------------------------------------------------------------------------
st.header(t("wards.profile_title"), divider="gray")
ward_row = ward_table[ward_table["ward_code"] == ward].iloc[0].to_dict()
ward_name = names[ward]
st.subheader(ward_name)
st.markdown(sentences.ward_deprivation(ward_row, ward_name, len(ward_table)))
st.caption(t("wards.deprivation_source"))

mine = {row["indicator_id"]: row for row in latest[latest["area_code"] == ward].to_dict("records")}
wrexham = {row["indicator_id"]: row for row in data.latest_values(WREXHAM, vintage).to_dict("records")}
spread = latest.groupby("indicator_id")["value"].agg(["min", "max"]).to_dict("index")
profile = []
for meta in ward_level.to_dict("records"):
    ind_id = meta["indicator_id"]
    row = mine.get(ind_id, {})
    judgement = _judgement(row) if row else "not compared"
    period_id = row.get("period")
    wx = wrexham.get(ind_id, {})
    same_period = bool(wx) and wx.get("period") == period_id
    wrexham_value = wx.get("value") if same_period else row.get("wrexham_value")
    wrexham_notes = wx.get("note_codes") if same_period else ""
    wales_value = wx.get("wales_value") if same_period else None
    profile.append(
        {
            "indicator_id": ind_id,
            "label": meta[column("short_name")],
            "name": meta[column("name")],
            "period_label": period_label(period_id, meta["frequency"], lang) if period_id else "",
            "value": None if judgement == "withheld" else row.get("value"),
            "value_label": fmt.value_text(row.get("value"), meta, row.get("note_codes") if row else "x"),
            "wrexham_value": wrexham_value,
            "wrexham_label": fmt.value_text(wrexham_value, meta, wrexham_notes),
            "wales_value": wales_value,
            "wales_label": fmt.value_text(wales_value, meta, "")
            if not fmt.missing(wales_value)
            else t("wards.no_wales"),
            "ward_min": spread.get(ind_id, {}).get("min"),
            "ward_max": spread.get(ind_id, {}).get("max"),
            "polarity": meta["polarity"],
            "value_type": meta["value_type"],
            "judgement": judgement,
            "judgement_label": fmt.comparison_text(judgement),
            "judgement_word": t("judgement." + judgement.replace(" ", "_")),
            "trend": fmt.trend_text(row.get("trend_judgement")),
        }
    )
profile = pd.DataFrame(profile)
for name in ("value", "wrexham_value", "wales_value", "ward_min", "ward_max"):
    profile[name] = pd.to_numeric(profile[name], errors="coerce")
placed = profile_charts.positions(profile)
order = list(placed["label"])

st.markdown(sentences.ward_profile_summary(placed, ward_name))
spine_texts = {
    "axis": t("wards.spine_axis"),
    "legend": t("wards.spine_legend"),
    "tooltip_indicator": t("wards.tooltip_indicator"),
    "tooltip_ward": ward_name,
    "tooltip_wrexham": t("common.wrexham"),
    "tooltip_wales": t("common.wales"),
    "tooltip_compared": t("wards.tooltip_compared"),
    "tooltip_period": t("wards.tooltip_period"),
}
st.altair_chart(
    profile_charts.spine_chart(placed, order, spine_texts),
    width="stretch",
    alt=t("wards.spine_alt", ward=ward_name),
)
st.caption(t("wards.spine_how"))
st.caption(t("common.withheld_explained"))

st.subheader(t("wards.profile_table"))
picked = st.dataframe(
    placed,
    hide_index=True,
    width="stretch",
    key=f"profile_{ward}",
    on_select="rerun",
    selection_mode="single-row",
    column_order=[
        "name",
        "period_label",
        "value_label",
        "wrexham_label",
        "wales_label",
        "judgement_label",
        "trend",
    ],
    column_config={
        "name": st.column_config.TextColumn(t("wards.col_indicator"), width="large"),
        "period_label": st.column_config.TextColumn(t("wards.col_period")),
        "value_label": st.column_config.TextColumn(ward_name),
        "wrexham_label": st.column_config.TextColumn(t("common.wrexham")),
        "wales_label": st.column_config.TextColumn(t("common.wales")),
        "judgement_label": st.column_config.TextColumn(t("wards.col_compared")),
        "trend": st.column_config.TextColumn(t("wards.col_trend")),
    },
)
chosen_rows = picked.selection.rows if picked else []
if chosen_rows:
    st.switch_page(
        "pages/indicator.py",
        query_params={"indicator": placed.iloc[chosen_rows[0]]["indicator_id"], "area": ward, "lang": lang},
    )
st.caption(t("wards.table_hint"))

with st.expander(t("wards.links_title", ward=ward_name)):
    for item in placed.itertuples():
        st.page_link(
            "pages/indicator.py",
            label=item.name,
            icon=":material/monitoring:",
            query_params={"indicator": item.indicator_id, "area": ward, "lang": lang},
        )
