"""Indicator: one indicator in depth, for Wrexham or one ward.

URL: ?indicator=<id>&area=<code>&period=<period>&breakdown=<name>&lang=...
The chosen period's figure in words; the trend with its 95% interval, Wales and any target; every
ward compared with Wrexham for the chosen period (select a ward to open its page); breakdowns at
Wrexham level; what the indicator means and how it is worked out; the figures as tables and as
a CSV download. Every figure and judgement is the published one.
No funnel plot: its control limits are not in the published file and pages do not work out
statistics, so wards are compared through their published intervals in the bar chart instead.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import data, sentences, state, trend_charts
from dashboard import queries_indicator as q
from dashboard.i18n import column, language, t
from dashboard.theme import COMPARISON

vintage = st.session_state.get("vintage")
lang = language()
indicators = data.indicators(vintage)
outcome_areas = data.outcome_areas(vintage)
ward_table = data.wards(vintage)
ward_names = dict(zip(ward_table["ward_code"], ward_table[column("name")]))

# Indicators grouped by outcome area (in the framework's order), then in display order.
area_position = {a: i for i, a in enumerate(outcome_areas["id"])}
area_titles = dict(zip(outcome_areas["id"], outcome_areas[column("name")]))
ordered = indicators.assign(_area=indicators["outcome_area"].map(area_position).fillna(99)).sort_values(
    ["_area", "display_order"]
)
by_id = {r["indicator_id"]: r for r in ordered.to_dict("records")}
published = [i for i, r in by_id.items() if r["status"] == "published"]


def text_of(value) -> str:
    """A catalogue text, or '' where the published file has none (None or NaN)."""
    return value if isinstance(value, str) else ""


def indicator_option(indicator_id: str) -> str:
    # The language is fixed here, not read from the session: the widget may format its options
    # outside this script run.
    r = by_id[indicator_id]
    text = f"{area_titles.get(r['outcome_area'], r['outcome_area'])} · {r[f'name_{lang}']}"
    return text if r["status"] == "published" else f"{text} ({t('indicator.not_available_tag', lang)})"


def notes_caption(codes: pd.Series, already: set[str] = frozenset()) -> None:
    """Explain the note letters that appear in what is shown (less those already explained)."""
    present = set(" ".join(codes.fillna("")).split()) - set(already)
    lines = [
        t(f"common.{name}_explained")
        for code, name in (
            ("c", "withheld"),
            ("x", "not_available"),
            ("e", "estimated"),
            ("p", "provisional"),
        )
        if code in present
    ]
    if lines:
        st.caption("  \n".join(lines))


def show_table(table: pd.DataFrame, labels: q.Labels, key: str, columns: list[str], select: bool = False):
    kwargs = {"on_select": "rerun", "selection_mode": "single-row"} if select else {}
    return st.dataframe(
        q.rendered(table, labels, for_csv=False, columns=columns),
        hide_index=True,
        width="stretch",
        key=key,
        **kwargs,
    )


st.title(t("indicator.title"))
if not by_id:
    st.info(t("indicator.no_indicators"))
else:
    pick_ind, pick_area, pick_period = st.columns([5, 3, 3])
    indicator_id = state.select(
        t("indicator.choose_indicator"),
        list(by_id),
        key="indicator",
        what="indicator",
        default=published[0] if published else None,
        format_func=indicator_option,
        container=pick_ind,
    )
    ind = by_id[indicator_id]
    labels = q.Labels(ind, lang, ward_names)
    ward_level = ind["lowest_geography"] == "ward"
    area_options = [q.WREXHAM] + (sorted(ward_names, key=ward_names.get) if ward_level else [])
    area = state.select(
        t("indicator.choose_area"),
        area_options,
        key="area",
        what="area",
        default=q.WREXHAM,
        format_func=labels.area,
        container=pick_area,
        disabled=not ward_level,
        help=None if ward_level else t("indicator.area_wrexham_only"),
    )
    is_ward = area != q.WREXHAM
    area_name = labels.area(area)
    series = q.area_series(indicator_id, area, vintage) if ind["status"] == "published" else pd.DataFrame()
    periods = list(series.sort_values("period_end", ascending=False)["period"]) if not series.empty else []
    period = None
    if periods:
        period = state.select(
            t("indicator.choose_period"),
            periods,
            key="period",
            what="period",
            default=periods[0],
            container=pick_period,
            format_func=labels.period,
        )

    st.header(ind[column("name")], divider="gray")
    st.write(text_of(ind.get(column("definition"))))

    if ind["status"] != "published":
        problem = text_of(ind.get("problem"))
        st.info(
            t("indicator.not_available", problem=problem)
            if problem
            else t("indicator.not_available_no_reason"),
            icon=":material/info:",
        )
    elif not periods:
        st.info(t("indicator.no_values", area=area_name), icon=":material/info:")
    else:
        shown_tables: list[pd.DataFrame] = []
        period_text = labels.period(period)
        row = series[series["period"] == period].iloc[0].to_dict()
        unit = text_of(ind.get(column("unit")))

        # --- the figure in words -------------------------------------------------------------
        boxes = [
            (
                t("indicator.metric_figure", area=area_name, period=period_text),
                sentences.value_with_unit(row["value"], ind, row["note_codes"]),
            )
        ]
        if is_ward:
            boxes.append((t("indicator.metric_vs_wrexham"), labels.judgement(row["compared_to_wrexham"])))
        else:
            # Wales publishes most figures once a year: when this period has no Wales figure, the
            # box gives the latest comparison there is, with its period (as the Overview does).
            judged = series[
                (series["period_end"] <= row["period_end"])
                & series["compared_to_wales"].notna()
                & (series["compared_to_wales"] != "not compared")
            ]
            if row["compared_to_wales"] in (None, "not compared") and not judged.empty:
                last = judged.iloc[-1]
                boxes.append(
                    (
                        t("indicator.metric_vs_wales"),
                        f"{labels.judgement(last['compared_to_wales'])} ({labels.period(last['period'])})",
                    )
                )
            else:
                boxes.append((t("indicator.metric_vs_wales"), labels.judgement(row["compared_to_wales"])))
        boxes.append((t("indicator.metric_trend"), labels.trend(row["trend_judgement"])))
        for box, (label, text) in zip(st.columns(len(boxes)), boxes):
            # Bordered boxes rather than st.metric, which cuts long values ("No significant ch...").
            with box.container(border=True):
                st.caption(label)
                st.markdown(f"**{text}**")
        st.markdown(sentences.indicator_sentence(ind, row, area_name, period_text, is_ward))
        explained = set()
        if labels.note(row["note_codes"], row["value"]) == "c":
            st.caption(t("common.withheld_explained"))
            explained.add("c")
        if is_ward:
            st.page_link(
                "pages/wards.py",
                label=t("indicator.open_ward", ward=area_name),
                icon=":material/map:",
                query_params={"ward": area, "lang": lang},
            )

        # --- over time ---------------------------------------------------------------------
        st.subheader(t("indicator.trend_title", area=area_name))
        frames = [q.series_frame(series, area_name, "area", labels)]
        trend_rows = [series]
        wrexham_series = series
        if is_ward:
            wrexham_series = q.area_series(indicator_id, q.WREXHAM, vintage)
            if not wrexham_series.empty:
                frames.append(q.series_frame(wrexham_series, t("common.wrexham"), "reference", labels))
                trend_rows.append(wrexham_series)
        wales_series = q.area_series(indicator_id, q.WALES, vintage)
        if not wales_series.empty:
            frames.append(q.series_frame(wales_series, t("common.wales"), "wales", labels))
            trend_rows.append(wales_series)
        target = None if q.missing(ind.get("target_value")) else float(ind["target_value"])
        st.vega_lite_chart(
            spec=trend_charts.trend_chart(
                pd.concat(frames, ignore_index=True),
                y_title=unit,
                target=target,
                chosen_end=pd.to_datetime(row["period_end"]),
            ),
            width="stretch",
            alt=t("indicator.trend_alt", name=ind[column("short_name")], area=area_name),
        )
        words = [
            t(
                "indicator.trend_sentence",
                area=area_name,
                first=frames[0]["period_label"].iloc[0],
                last=frames[0]["period_label"].iloc[-1],
            )
        ]
        if frames[0]["lower"].notna().any():
            words.append(t("indicator.trend_band"))
        if is_ward and not wrexham_series.empty:
            words.append(t("indicator.trend_reference"))
        if not wales_series.empty:
            words.append(t("indicator.trend_wales", n=int(wales_series["value"].notna().sum())))
        if target is not None:
            words.append(
                t("indicator.trend_target", target=text_of(ind.get(column("target"))) or f"{target:,.1f}")
            )
        if (frames[0]["note"] != "").any():
            words.append(t("indicator.trend_notes"))
        st.write(" ".join(words))
        trend_table = pd.concat([q.shaped(r, "trend", labels) for r in trend_rows], ignore_index=True)
        shown_tables.append(trend_table)
        with st.expander(t("indicator.trend_table")):
            show_table(
                trend_table,
                labels,
                "trend_table",
                [
                    "area",
                    "period",
                    "numerator",
                    "denominator",
                    "value",
                    "lower_95",
                    "upper_95",
                    "compared_wales",
                    "trend",
                    "notes",
                ],
            )
        notes_caption(series["note_codes"], explained)

        # --- wards compared ---------------------------------------------------------------
        if ward_level:
            comparable = ind["value_type"] in ("proportion", "rate")
            st.subheader(
                t(
                    "indicator.wards_title" if comparable else "indicator.wards_title_count",
                    period=period_text,
                )
            )
            wards_rows = q.ward_values(indicator_id, period, vintage)
            if wards_rows.empty:
                st.info(t("indicator.wards_none"), icon=":material/info:")
            else:
                values, codes = wards_rows["value"].tolist(), wards_rows["note_codes"].tolist()
                lower, upper = wards_rows["lower_95"].tolist(), wards_rows["upper_95"].tolist()
                notes = [labels.note(n, v) for n, v in zip(codes, values)]
                judgement = [
                    ("withheld" if n else (j if isinstance(j, str) and j in COMPARISON else "not compared"))
                    for n, j in zip(notes, wards_rows["compared_to_wrexham"].tolist())
                ]
                bars = pd.DataFrame(
                    {
                        "area_code": wards_rows["area_code"].tolist(),
                        "ward_name": [labels.area(c) for c in wards_rows["area_code"].tolist()],
                        "value": values,
                        "lower": lower,
                        "upper": upper,
                        "value_label": [labels.value(v, n) for v, n in zip(values, codes)],
                        "interval_label": [labels.interval(lo, up) for lo, up in zip(lower, upper)],
                        "judgement": judgement,
                        "judgement_label": [labels.judgement(j, symbol=False) for j in judgement],
                        "symbol": [COMPARISON[j][2] for j in judgement],
                        "note": notes,
                    }
                )
                bars = pd.concat(
                    [
                        bars[bars["note"] == ""].sort_values("value", ascending=False),
                        bars[bars["note"] != ""].sort_values("ward_name"),
                    ],
                    ignore_index=True,
                )
                bars["sort_order"] = range(len(bars))
                wrexham_row = wrexham_series[wrexham_series["period"] == period]
                # Wrexham's figure is a reference for rates and percentages only: a ward's count
                # is a part of Wrexham's, not comparable with it.
                reference = None
                if (
                    comparable
                    and not wrexham_row.empty
                    and not labels.note(wrexham_row["note_codes"].iloc[0], wrexham_row["value"].iloc[0])
                ):
                    reference = float(wrexham_row["value"].iloc[0])
                st.write(t("indicator.wards_intro" if comparable else "indicator.wards_intro_count"))
                spec = trend_charts.ward_bars(
                    bars,
                    x_title=unit,
                    reference=reference,
                    reference_label=t(
                        "indicator.reference_label",
                        value=labels.value(reference, "") if reference is not None else "",
                    ),
                )
                event = st.vega_lite_chart(
                    spec=spec,
                    width="stretch",
                    on_select="rerun",
                    key="ward_bars",
                    alt=t("indicator.wards_alt", name=ind[column("short_name")], period=period_text),
                )
                picked = (event or {}).get("selection", {}).get("ward") if event else None
                if picked and picked[0].get("area_code") in ward_names:
                    st.switch_page(
                        "pages/wards.py", query_params={"ward": picked[0]["area_code"], "lang": lang}
                    )
                st.write(sentences.wards_sentence(pd.Series(judgement), period_text))
                withheld_names = list(bars.loc[bars["note"] == "c", "ward_name"])
                if withheld_names:
                    st.caption(
                        t("indicator.wards_withheld_list", names=", ".join(withheld_names))
                        + "  \n"
                        + t("common.withheld_explained")
                    )
                ward_rows_table = q.shaped(
                    wards_rows.set_index("area_code").loc[bars["area_code"]].reset_index(), "wards", labels
                )
                shown_tables.append(ward_rows_table)
                with st.expander(t("indicator.wards_table")):
                    st.caption(t("indicator.wards_table_hint"))
                    selected = show_table(
                        ward_rows_table,
                        labels,
                        "ward_table",
                        [
                            "area",
                            "numerator",
                            "denominator",
                            "value",
                            "lower_95",
                            "upper_95",
                            "compared_wrexham",
                            "trend",
                            "notes",
                        ],
                        select=True,
                    )
                    rows_picked = selected.selection.rows if selected else []
                    if rows_picked:
                        st.switch_page(
                            "pages/wards.py",
                            query_params={
                                "ward": ward_rows_table["area_code"].iloc[rows_picked[0]],
                                "lang": lang,
                            },
                        )

        # --- breakdowns (Wrexham level) -----------------------------------------------------
        breakdown_rows = q.breakdowns_for_period(indicator_id, period, vintage)
        if not breakdown_rows.empty:
            names = list(dict.fromkeys(breakdown_rows["breakdown"]))
            st.subheader(t("indicator.breakdown_title", period=period_text))
            chosen = state.select(
                t("indicator.choose_breakdown"),
                names,
                key="breakdown",
                what="breakdown",
                default=names[0],
                format_func=labels.breakdown,
                widget="radio",
                horizontal=True,
            )  # not a segmented control: see app.py
            part = breakdown_rows[breakdown_rows["breakdown"] == chosen]
            order = [labels.breakdown_order(chosen, v) for v in part["breakdown_value"].tolist()]
            part = part.assign(_order=order).sort_values("_order")
            values, codes = part["value"].tolist(), part["note_codes"].tolist()
            bars = pd.DataFrame(
                {
                    "label": [labels.breakdown_value(chosen, v) for v in part["breakdown_value"].tolist()],
                    "value": values,
                    "lower": part["lower_95"].tolist(),
                    "upper": part["upper_95"].tolist(),
                    "value_label": [labels.value(v, n) for v, n in zip(values, codes)],
                    "interval_label": [
                        labels.interval(lo, up)
                        for lo, up in zip(part["lower_95"].tolist(), part["upper_95"].tolist())
                    ],
                    "note": [labels.note(n, v) for n, v in zip(codes, values)],
                    "sort_order": part["_order"].tolist(),
                }
            )
            st.vega_lite_chart(
                spec=trend_charts.breakdown_bars(bars, x_title=unit),
                width="stretch",
                alt=t("indicator.breakdown_alt", breakdown=labels.breakdown(chosen), period=period_text),
            )
            st.write(
                t(
                    "indicator.breakdown_sentence",
                    breakdown=labels.breakdown(chosen).lower(),
                    period=period_text,
                    list="; ".join(f"{a}: {b}" for a, b in zip(bars["label"], bars["value_label"])),
                )
            )
            if (bars["note"] == "c").any():
                st.caption(t("common.withheld_explained"))
            part_table = q.shaped(part, "breakdown", labels)
            shown_tables.append(part_table)
            with st.expander(t("indicator.breakdown_table")):
                show_table(
                    part_table,
                    labels,
                    "breakdown_table",
                    [
                        "breakdown",
                        "breakdown_value",
                        "numerator",
                        "denominator",
                        "value",
                        "lower_95",
                        "upper_95",
                        "notes",
                    ],
                )

        # --- download exactly what is shown ---------------------------------------------------
        st.subheader(t("indicator.download_title"))
        everything = pd.concat(shown_tables, ignore_index=True)
        st.write(t("indicator.download_intro", rows=len(everything)))
        safe_period = "".join(ch if ch.isalnum() else "-" for ch in period)
        st.download_button(
            t("indicator.download_button"),
            data=lambda: q.csv_bytes(everything, labels),
            file_name=f"{indicator_id}_{area}_{safe_period}_{lang}.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="download_csv",
        )

    # --- about this indicator -----------------------------------------------------------------
    with st.expander(t("indicator.about_title"), expanded=ind["status"] != "published"):
        partners = data.table("partner", vintage)
        partner_names = dict(zip(partners["id"], partners[column("name")]))
        try:
            source_ids = json.loads(ind.get("sources") or "[]")
        except ValueError:
            source_ids = []
        lines = [
            (t("indicator.about_definition"), text_of(ind.get(column("definition")))),
            (t("indicator.about_numerator"), text_of(ind.get(column("numerator")))),
            (
                t("indicator.about_denominator"),
                text_of(ind.get(column("denominator"))) or t("indicator.about_no_denominator"),
            ),
            (t("indicator.about_unit"), text_of(ind.get(column("unit")))),
            (t("indicator.about_lead"), partner_names.get(ind["lead_partner"], ind["lead_partner"])),
            (t("indicator.about_sources"), ", ".join(partner_names.get(s, s) for s in source_ids)),
            (t("indicator.about_frequency"), t(f"indicator.frequency_{ind['frequency']}")),
            (t("indicator.about_measure"), t(f"indicator.measure_{ind['measure_type']}")),
            (t("indicator.about_geography"), t(f"indicator.geography_{ind['lowest_geography']}")),
            (t("indicator.about_national"), text_of(ind.get("national_code"))),
            (t("indicator.about_target"), text_of(ind.get(column("target")))),
            (t("indicator.about_caveats"), text_of(ind.get(column("caveats")))),
        ]
        lines = [(label, text) for label, text in lines if text]
        st.markdown("\n".join(f"- **{label}:** {text}" for label, text in lines))
        st.markdown("**" + t("indicator.methods_title") + "**")
        min_count = int(ind.get("disclosure_min_count") or 5)
        methods = [
            t(f"indicator.method_ci_{ind['ci_method']}"),
            t(f"indicator.method_polarity_{ind['polarity']}"),
            t("indicator.method_compare_wales")
            if ind["benchmark"] == "wales"
            else t("indicator.method_no_wales"),
        ]
        if ward_level:
            methods.append(t("indicator.method_compare_wards"))
        methods.append(t("indicator.method_trend", span=t(f"indicator.span_{ind['frequency']}")))
        if ind.get("spc"):
            methods.append(t("indicator.method_spc"))
        methods.append(t("indicator.method_disclosure", below=min_count - 1))
        if ind.get("disclosure_min_denominator"):
            methods.append(
                t(
                    "indicator.method_disclosure_denominator",
                    min_denominator=int(ind["disclosure_min_denominator"]),
                )
            )
        st.markdown("\n".join(f"- {m}" for m in methods))
