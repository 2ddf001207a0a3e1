"""Overview: the framework at a glance. Each outcome area with its indicators, latest value,
comparison with Wales, recent trend and a sparkline; then the tartan rug of wards."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, sentences
from dashboard import format as fmt
from dashboard.i18n import column, language, t
from dashboard.periods import period_label
from dashboard.theme import COMPARISON

vintage = st.session_state.get("vintage")
lang = language()
indicators = data.indicators(vintage).set_index("indicator_id", drop=False)
areas = data.outcome_areas(vintage)
latest = data.latest_values(vintage=vintage).set_index("indicator_id")
wales = data.latest_wales_comparison(vintage).set_index("indicator_id")
latest_by_id = latest.to_dict("index")
wales_by_id = wales.to_dict("index")
series = data.series(vintage=vintage)

st.title(t("overview.title"))
st.write(t("overview.intro"))
info = data.vintage_info(vintage)
st.caption(
    t(
        "common.vintage_line",
        period=period_label(info["vintage"], "quarterly", lang),
        end=fmt.date_text(info["reporting_end"]),
    )
)
st.markdown(sentences.framework_summary(indicators, latest, wales))

series_by_indicator = {i: g["value"].dropna().tail(12).tolist() for i, g in series.groupby("indicator_id")}
for area in areas.itertuples():
    in_area = indicators[(indicators["outcome_area"] == area.id) & (indicators["status"] == "published")]
    if in_area.empty:
        continue
    st.header(getattr(area, f"name_{lang}"), divider="gray")
    st.caption(getattr(area, f"description_{lang}"))
    rows = []
    for ind in in_area.to_dict("records"):
        row = latest_by_id.get(ind["indicator_id"])
        spark = series_by_indicator.get(ind["indicator_id"], [])
        rows.append(
            {
                "id": ind["indicator_id"],
                "indicator": ind[column("name")],
                "latest": "" if row is None else fmt.value_text(row["value"], ind, row["note_codes"]),
                "period": "" if row is None else period_label(row["period"], ind["frequency"], lang),
                "wales": fmt.wales_text(wales_by_id.get(ind["indicator_id"]), ind["frequency"]),
                "trend": fmt.trend_text(None if row is None else row["trend_judgement"]),
                "spark": spark,
            }
        )
    table = st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key=f"area_{area.id}",
        on_select="rerun",
        height=36 * (len(rows) + 1) + 4,
        selection_mode="single-row",
        column_order=["indicator", "latest", "period", "wales", "trend", "spark"],
        column_config={
            "indicator": st.column_config.TextColumn(t("overview.col_indicator"), width="large"),
            "latest": st.column_config.TextColumn(t("overview.col_latest")),
            "period": st.column_config.TextColumn(t("overview.col_period")),
            "wales": st.column_config.TextColumn(t("overview.col_wales")),
            "trend": st.column_config.TextColumn(t("overview.col_trend")),
            "spark": st.column_config.LineChartColumn(t("overview.col_spark"), width="small"),
        },
    )
    chosen = table.selection.rows if table else []
    if chosen:
        st.switch_page("pages/indicator.py", query_params={"indicator": rows[chosen[0]]["id"], "lang": lang})

st.caption(t("overview.select_hint"))

st.header(t("overview.rug_title"), divider="gray")
st.write(t("overview.rug_intro"))
rug = data.ward_latest(vintage)
wards = data.wards(vintage).set_index("ward_code")
ward_level = indicators[(indicators["lowest_geography"] == "ward") & (indicators["status"] == "published")]
rug = rug[rug["indicator_id"].isin(ward_level["indicator_id"])].copy()
if not rug.empty:
    rug["ward_name"] = rug["area_code"].map(wards[column("name")])
    rug["indicator_name"] = rug["indicator_id"].map(
        ward_level.set_index("indicator_id")[column("short_name")]
    )
    withheld = rug["note_codes"].fillna("").str.contains("c")
    judgement = rug["compared_to_wrexham"].fillna("not compared").where(~withheld, "withheld")
    rug["judgement_label"] = judgement.map(lambda j: t("judgement." + j.replace(" ", "_")))
    rug["symbol"] = judgement.map(lambda j: COMPARISON[j][2])
    rug["text_colour"] = judgement.map(lambda j: COMPARISON[j][1])
    by_id = indicators.to_dict("index")  # one lookup table, not a DataFrame row per cell
    rug["value_label"] = [
        fmt.value_text(v, by_id[i], n)
        for v, i, n in zip(rug["value"], rug["indicator_id"], rug["note_codes"])
    ]
    ward_order = sorted(rug["ward_name"].dropna().unique())
    chart = charts.tartan_rug(rug, ward_order, list(ward_level[column("short_name")]))
    event = st.altair_chart(chart, on_select="rerun", key="rug", alt=t("overview.rug_alt"))
    picked = (event or {}).get("selection", {}).get("cell") if event else None
    if picked:
        st.switch_page("pages/wards.py", query_params={"ward": picked[0]["ward_code"], "lang": lang})
    st.caption(t("common.withheld_explained"))
    with st.expander(t("overview.rug_table")):
        st.dataframe(
            rug.pivot_table(
                index="indicator_name", columns="ward_name", values="value_label", aggfunc="first"
            ),
            width="stretch",
        )
