"""Services: drill down by service.

URL: ?service=<id>&lang=...
The service's indicators (latest figure, comparison with Wales, recent trend; select one to open
the Indicator page); SPC (XmR) charts of its activity indicators from the published mean, limits
and signals; for children's social services also the demand funnel for the latest quarter and a
placements panel. Every figure, limit and signal is the published one.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, sentences, state, trend_charts
from dashboard import format as fmt
from dashboard import queries_indicator as q
from dashboard.i18n import column, language, t

vintage = st.session_state.get("vintage")
lang = language()
services = data.services(vintage)
indicators = data.indicators(vintage).set_index("indicator_id", drop=False)
ward_table = data.wards(vintage)
ward_names = dict(zip(ward_table["ward_code"], ward_table[column("name")]))

# The children's services demand funnel: (stage, indicator, the published column that is the count).
FUNNEL = [
    ("contacts", "E4", "denominator"),
    ("referrals", "E5", "numerator"),
    ("assessments", "S5", "denominator"),
    ("care_support", "S7", "numerator"),
    ("child_protection", "S3", "numerator"),
    ("looked_after", "S1", "value"),
]
FUNNEL_RATES = {"referrals": "E5", "care_support": "S7", "child_protection": "S3", "looked_after": "S2"}
PLACEMENTS = ["S9", "S10", "S11"]

st.title(t("services.title"))
st.write(t("services.intro"))
service_names = dict(zip(services["id"], services[column("name")]))
if not service_names:
    st.info(t("services.no_services"))
else:
    default = "childrens_services" if "childrens_services" in service_names else next(iter(service_names))
    service_id = state.select(
        t("services.choose"),
        list(service_names),
        key="service",
        what="service",
        default=default,
        format_func=service_names.get,
    )
    service = services[services["id"] == service_id].iloc[0]
    partners = data.table("partner", vintage)
    partner_names = dict(zip(partners["id"], partners[column("name")]))
    st.header(service_names[service_id], divider="gray")
    st.caption(
        t("services.lead", partner=partner_names.get(service["lead_partner"], service["lead_partner"]))
    )

    in_service = indicators[indicators["service"] == service_id].sort_values("display_order")
    ids = [i for i in in_service["indicator_id"] if indicators.loc[i, "status"] == "published"]
    extra = (
        [i for _, i, _ in FUNNEL] + list(FUNNEL_RATES.values()) + PLACEMENTS
        if service_id == "childrens_services"
        else []
    )
    wanted = tuple(
        dict.fromkeys(
            ids + [i for i in extra if i in indicators.index and indicators.loc[i, "status"] == "published"]
        )
    )
    rows = q.service_series(wanted, vintage)
    # a comprehension, not dict(): a GroupBy has a `keys` attribute, so dict() takes it for a mapping
    by_indicator = {i: frame for i, frame in rows.groupby("indicator_id", sort=False)}  # noqa: C416

    # --- the service's indicators --------------------------------------------------------
    st.subheader(t("services.indicators_title"))
    if in_service.empty:
        st.info(t("services.no_indicators"), icon=":material/info:")
    else:
        table = []
        for ind in in_service.to_dict("records"):
            series = by_indicator.get(ind["indicator_id"])
            latest = None if series is None or series.empty else series.iloc[-1].to_dict()
            published = ind["status"] == "published"
            table.append(
                {
                    "id": ind["indicator_id"],
                    "indicator": ind[column("name")],
                    "latest": (
                        t("services.not_available")
                        if not published
                        else ""
                        if latest is None
                        else sentences.value_with_unit(latest["value"], ind, latest["note_codes"])
                    ),
                    "period": ""
                    if latest is None
                    else q.Labels(ind, lang, ward_names).period(latest["period"]),
                    "wales": fmt.comparison_text(None if latest is None else latest["compared_to_wales"]),
                    "trend": fmt.trend_text(None if latest is None else latest["trend_judgement"]),
                    "spark": [] if series is None else series["value"].dropna().tail(12).tolist(),
                }
            )
        picked = st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=35 * (len(table) + 1) + 3,
            key="service_indicators",
            on_select="rerun",
            selection_mode="single-row",
            column_order=["indicator", "latest", "period", "wales", "trend", "spark"],
            column_config={
                "indicator": st.column_config.TextColumn(t("services.col_indicator"), width="medium"),
                "latest": st.column_config.TextColumn(t("services.col_latest")),
                "period": st.column_config.TextColumn(t("services.col_period")),
                "wales": st.column_config.TextColumn(t("services.col_wales")),
                "trend": st.column_config.TextColumn(t("services.col_trend")),
                "spark": st.column_config.LineChartColumn(t("services.col_spark"), width="small"),
            },
        )
        chosen_rows = picked.selection.rows if picked else []
        if chosen_rows:
            st.switch_page(
                "pages/indicator.py", query_params={"indicator": table[chosen_rows[0]]["id"], "lang": lang}
            )
        st.caption(t("services.select_hint"))
        notes = (
            pd.concat([f["note_codes"] for f in by_indicator.values()])
            if by_indicator
            else pd.Series(dtype=str)
        )
        if "c" in set(" ".join(notes.fillna("")).split()):
            st.caption(t("common.withheld_explained"))

    # --- children's services: the demand funnel and placements ------------------------------
    if service_id == "childrens_services":
        st.subheader(t("services.funnel_title"))
        quarters = [by_indicator[i]["period"].iloc[-1] for _, i, _ in FUNNEL if i in by_indicator]
        if not quarters:
            st.info(t("services.funnel_none"), icon=":material/info:")
        else:
            quarter = max(quarters)
            quarter_text = q.Labels(
                {"frequency": "quarterly", "value_type": "count"}, lang, ward_names
            ).period(quarter)
            stages, missing = [], []
            for order, (stage, ind_id, field) in enumerate(FUNNEL):
                series = by_indicator.get(ind_id)
                match = None if series is None else series[series["period"] == quarter]
                if match is None or match.empty:
                    missing.append(t(f"services.stage_{stage}"))
                    continue
                r = match.iloc[0]
                withheld = "c" in (r["note_codes"] or "").split() and q.missing(r[field])
                count = None if withheld or q.missing(r[field]) else float(r[field])
                rate_id = FUNNEL_RATES.get(stage)
                rate_text = ""
                if rate_id and rate_id in by_indicator:
                    rate_row = by_indicator[rate_id][by_indicator[rate_id]["period"] == quarter]
                    if not rate_row.empty:
                        rate_text = sentences.value_with_unit(
                            rate_row["value"].iloc[0],
                            indicators.loc[rate_id].to_dict(),
                            rate_row["note_codes"].iloc[0],
                        )
                stages.append(
                    {
                        "stage_label": t(f"services.stage_{stage}"),
                        "count": count,
                        "count_label": t("common.withheld")
                        if withheld
                        else (t("common.not_available") if count is None else f"{count:,.0f}"),
                        "rate": rate_text,
                        "period_label": quarter_text,
                        "sort_order": order,
                        "note": "c" if withheld else ("x" if count is None else ""),
                        "text_at": 0.0 if count is None else count,
                        "indicator": ind_id,
                        "source": indicators.loc[ind_id, column("name")],
                    }
                )
            funnel = pd.DataFrame(stages)
            st.write(t("services.funnel_intro", period=quarter_text))
            if not funnel.empty:
                st.vega_lite_chart(
                    spec=trend_charts.funnel_bars(funnel, x_title=t("services.col_count")),
                    width="stretch",
                    alt=t("services.funnel_alt", period=quarter_text),
                )
                st.write(
                    t(
                        "services.funnel_sentence",
                        period=quarter_text,
                        list="; ".join(
                            f"{s}: {c}" for s, c in zip(funnel["stage_label"], funnel["count_label"])
                        ),
                    )
                )
            st.caption(t("services.funnel_caveat"))
            if missing:
                st.caption(t("services.funnel_missing", stages=", ".join(missing)))
            if (funnel.get("note", pd.Series(dtype=str)) == "c").any():
                st.caption(t("common.withheld_explained"))
            with st.expander(t("services.funnel_table")):
                st.dataframe(
                    funnel[["stage_label", "count_label", "rate", "period_label", "source"]].rename(
                        columns={
                            "stage_label": t("services.col_stage"),
                            "count_label": t("services.col_count"),
                            "rate": t("services.col_rate"),
                            "period_label": t("services.col_period"),
                            "source": t("services.col_source"),
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )

        st.subheader(t("services.placements_title"))
        st.write(t("services.placements_intro"))
        available = [i for i in PLACEMENTS if i in by_indicator]
        absent = [i for i in PLACEMENTS if i not in by_indicator]
        placement_tables = []
        for box, ind_id in zip(st.columns(max(len(available), 1)), available):
            ind = indicators.loc[ind_id].to_dict()
            labels = q.Labels(ind, lang, ward_names)
            series = by_indicator[ind_id]
            latest = series.iloc[-1].to_dict()
            with box:
                st.markdown(f"**{ind[column('short_name')]}**")
                with st.container(border=True):  # not st.metric, which cuts long values
                    st.caption(labels.period(latest["period"]))
                    st.markdown(
                        f"**{sentences.value_with_unit(latest['value'], ind, latest['note_codes'])}**"
                    )
                frame = q.series_frame(series, t("common.wrexham"), "area", labels)
                st.vega_lite_chart(
                    spec=trend_charts.trend_chart(
                        frame,
                        y_title=(ind[column("unit")] if isinstance(ind[column("unit")], str) else ""),
                        height=200,
                        legend=False,
                    ),
                    width="stretch",
                    alt=t("services.placements_alt", name=ind[column("name")]),
                )
                st.write(
                    sentences.indicator_sentence(
                        ind, latest, t("common.wrexham"), labels.period(latest["period"]), False
                    )
                )
                st.page_link(
                    "pages/indicator.py",
                    label=t("services.open_indicator"),
                    icon=":material/monitoring:",
                    query_params={"indicator": ind_id, "lang": lang},
                )
            shown = q.rendered(
                q.shaped(series, "trend", labels),
                labels,
                for_csv=False,
                columns=["period", "value", "lower_95", "upper_95", "trend", "notes"],
            )
            shown.insert(0, t("services.col_indicator"), ind[column("short_name")])
            placement_tables.append(shown)
        if absent:
            st.caption(
                t(
                    "services.placements_missing",
                    names=", ".join(
                        indicators.loc[i, column("name")] if i in indicators.index else i for i in absent
                    ),
                )
            )
        if placement_tables:
            with st.expander(t("services.placements_table")):
                st.dataframe(pd.concat(placement_tables, ignore_index=True), hide_index=True, width="stretch")

    # --- SPC charts of activity ---------------------------------------------------------------
    spc_ids = [i for i in ids if bool(indicators.loc[i, "spc"]) and i in by_indicator]
    st.subheader(t("services.spc_title"))
    if not spc_ids:
        st.write(t("services.spc_none"))
    else:
        st.write(t("services.spc_intro"))
        for ind_id in spc_ids:
            ind = indicators.loc[ind_id].to_dict()
            labels = q.Labels(ind, lang, ward_names)
            series = by_indicator[ind_id]
            values, codes = series["value"].tolist(), series["note_codes"].tolist()
            signal = [v if isinstance(v, str) and v else None for v in series["spc_signal"].tolist()]
            frame = pd.DataFrame(
                {
                    "period_end": pd.to_datetime(series["period_end"]).tolist(),
                    "period_label": [labels.period(p) for p in series["period"].tolist()],
                    "value": values,
                    "value_label": [labels.value(v, n) for v, n in zip(values, codes)],
                    "spc_mean": series["spc_mean"].tolist(),
                    "spc_lower": series["spc_lower"].tolist(),
                    "spc_upper": series["spc_upper"].tolist(),
                    "signal": signal,
                    "signal_label": [t("judgement." + s.replace(" ", "_")) if s else "" for s in signal],
                    "note": [labels.note(n, v) for n, v in zip(codes, values)],
                }
            )
            st.markdown(f"**{ind[column('name')]}**")
            st.vega_lite_chart(
                spec=trend_charts.spc_chart(
                    frame, y_title=(ind[column("unit")] if isinstance(ind[column("unit")], str) else "")
                ),
                width="stretch",
                alt=t("services.spc_alt", name=ind[column("name")]),
            )
            st.write(sentences.spc_sentence(ind[column("short_name")], frame))

            def level(values: pd.Series) -> list[str]:
                return ["" if q.missing(v) else labels.value(v, "") for v in values.tolist()]

            with st.expander(t("services.spc_table", name=ind[column("short_name")])):
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("services.col_period"): frame["period_label"],
                            t("services.col_value"): frame["value_label"],
                            t("services.col_mean"): level(frame["spc_mean"]),
                            t("services.col_lower"): level(frame["spc_lower"]),
                            t("services.col_upper"): level(frame["spc_upper"]),
                            t("services.col_signal"): frame["signal_label"],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )
