"""The ward profile's spine chart: every ward-level indicator on one line each, the ward's
published value placed against Wrexham (the centre line), Wales (a hollow diamond, where a
Wales figure exists for the same period) and the spread of all wards (a grey bar from the
lowest to the highest ward). The marker's shape and colour both say how the ward compares with
Wrexham (the published judgement), and the ward's value is written at the end of its line.

Placing values on a common 0-1 scale is layout, not statistics: each line is scaled so that
Wrexham sits in the middle and the furthest of the wards, the ward or Wales touches an end;
for indicators where lower is better the line is flipped so that "better" is always to the
right. Counts have no Wrexham centre (Wrexham's count is the sum of its wards), so their line
runs from the lowest to the highest ward.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st
from altair.utils.schemapi import debug_mode

from dashboard.maps import validated_once
from dashboard.theme import COMPARISON

# Marker shapes: the same meaning as the symbols used elsewhere (▲ better, ● similar, ▼ worse,
# ↑ higher, ↓ lower); arrows are SVG paths in Vega's unit square.
ARROW_UP = "M0,-1L0.7,-0.1L0.25,-0.1L0.25,1L-0.25,1L-0.25,-0.1L-0.7,-0.1Z"
ARROW_DOWN = "M0,1L0.7,0.1L0.25,0.1L0.25,-1L-0.25,-1L-0.25,0.1L-0.7,0.1Z"
SHAPES = {
    "better": "triangle-up",
    "similar": "circle",
    "worse": "triangle-down",
    "higher": ARROW_UP,
    "lower": ARROW_DOWN,
    "not compared": "square",
}
TEXT = "#1F1F1F"
VALUE_COLUMN = 1.04  # where the value text starts (the line itself runs 0..1)
ROW_HEIGHT = 44  # pixels per indicator: its name, then its line
NAME_OFFSET = 9
LINE_OFFSET = 9  # the name sits above the middle of its row, the line below


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def positions(rows: pd.DataFrame) -> pd.DataFrame:
    """Add pos_ward, pos_wrexham, pos_wales, pos_min, pos_max (0-1, NaN when not drawn) to
    rows with: value, wrexham_value, wales_value, ward_min, ward_max, polarity, value_type."""
    placed = []
    for row in rows.to_dict("records"):
        pos = dict.fromkeys(("pos_ward", "pos_wrexham", "pos_wales", "pos_min", "pos_max"), float("nan"))
        placed.append(pos)
        low, high = row["ward_min"], row["ward_max"]
        if _missing(low) or _missing(high):
            continue
        flip = -1.0 if row["polarity"] == "low_good" else 1.0
        centre = (
            None
            if row["value_type"] == "count" or _missing(row["wrexham_value"])
            else float(row["wrexham_value"])
        )
        if centre is None:
            span = float(high) - float(low)

            def place(v, low=float(low), span=span, flip=flip):
                share = 0.5 if span == 0 else (float(v) - low) / span
                return share if flip > 0 else 1.0 - share
        else:
            reach = [
                abs(float(v) - centre)
                for v in (low, high, row["value"], row["wales_value"])
                if not _missing(v)
            ]
            half = max(reach + [1e-9])

            def place(v, centre=centre, half=half, flip=flip):
                return 0.5 + flip * (float(v) - centre) / (2 * half)

            pos["pos_wrexham"] = 0.5
            if not _missing(row["wales_value"]):
                pos["pos_wales"] = place(row["wales_value"])
        a, b = place(low), place(high)
        pos["pos_min"], pos["pos_max"] = min(a, b), max(a, b)
        if not _missing(row["value"]):
            pos["pos_ward"] = place(row["value"])
    out = rows.copy()
    for column in ("pos_ward", "pos_wrexham", "pos_wales", "pos_min", "pos_max"):
        out[column] = [pos[column] for pos in placed]
    return out


@st.cache_resource(max_entries=128, show_spinner=False)
def spine_chart(rows: pd.DataFrame, order: list[str], texts: dict) -> alt.LayerChart:
    """The spine chart for one ward (cached per view; built without Altair's per-object
    validation and validated once when finished: see maps.ValidatedLayerChart)."""
    with debug_mode(False):
        return validated_once(_spine_chart(rows, order, texts))


def _spine_chart(rows: pd.DataFrame, order: list[str], texts: dict) -> alt.LayerChart:
    """rows: label (indicator short name), pos_* from positions(), judgement ('better', ...),
    judgement_label (symbol and word), judgement_word (word only, for the legend), value_label,
    wrexham_label, wales_label, period_label.
    texts (translated): axis, legend, tooltip_indicator, tooltip_ward, tooltip_wrexham,
    tooltip_wales, tooltip_compared, tooltip_period.

    Each indicator's name is written above its line (not as axis labels to the left), so the
    lines keep the whole width on a phone."""
    data = rows.copy()
    data["value_x"] = VALUE_COLUMN
    data["label_x"] = 0.0
    present = [j for j in SHAPES if j in set(data.loc[data["pos_ward"].notna(), "judgement"])]
    labels = dict(zip(data["judgement"], data["judgement_word"]))
    domain = [labels[j] for j in present]
    tooltip = [
        alt.Tooltip("label:N", title=texts["tooltip_indicator"]),
        alt.Tooltip("period_label:N", title=texts["tooltip_period"]),
        alt.Tooltip("value_label:N", title=texts["tooltip_ward"]),
        alt.Tooltip("wrexham_label:N", title=texts["tooltip_wrexham"]),
        alt.Tooltip("wales_label:N", title=texts["tooltip_wales"]),
        alt.Tooltip("judgement_label:N", title=texts["tooltip_compared"]),
    ]
    x_scale = alt.Scale(domain=[0, 1.3], nice=False, zero=False)
    y = alt.Y("label:N", sort=order, title=None, axis=None)
    base = alt.Chart().encode(y=y)
    legend = alt.Legend(
        title=texts["legend"],
        orient="bottom",
        columns=3,
        labelLimit=200,
        titleLimit=300,
        symbolSize=150,
        symbolStrokeColor="#1F1F1F",
        symbolStrokeWidth=1,
    )
    names = base.mark_text(
        align="left", baseline="middle", fontSize=12, color=TEXT, yOffset=-NAME_OFFSET
    ).encode(x=alt.X("label_x:Q", scale=x_scale), text="label:N")
    spread = base.mark_rule(strokeWidth=9, color="#DADADA", yOffset=LINE_OFFSET).encode(
        x=alt.X(
            "pos_min:Q",
            scale=x_scale,
            title=texts["axis"],
            axis=alt.Axis(
                labels=False,
                ticks=False,
                grid=False,
                domain=False,
                titleFontWeight="normal",
                titleFontSize=12,
                titleColor=TEXT,
            ),
        ),
        x2="pos_max:Q",
        tooltip=tooltip,
    )
    wrexham = (
        base.mark_tick(color="#1F1F1F", thickness=2, size=18, yOffset=LINE_OFFSET)
        .encode(x=alt.X("pos_wrexham:Q", scale=x_scale), tooltip=tooltip)
        .transform_filter("isValid(datum.pos_wrexham)")
    )
    wales = (
        base.mark_point(
            shape="diamond", filled=False, color="#4D4D4D", size=90, strokeWidth=2, yOffset=LINE_OFFSET
        )
        .encode(x=alt.X("pos_wales:Q", scale=x_scale), tooltip=tooltip)
        .transform_filter("isValid(datum.pos_wales)")
    )
    ward = (
        base.mark_point(
            filled=True, size=150, stroke="#1F1F1F", strokeWidth=1, opacity=1, yOffset=LINE_OFFSET
        )
        .encode(
            x=alt.X("pos_ward:Q", scale=x_scale),
            fill=alt.Fill(
                "judgement_word:N",
                scale=alt.Scale(domain=domain, range=[COMPARISON[j][0] for j in present]),
                legend=legend,
            ),
            shape=alt.Shape(
                "judgement_word:N",
                scale=alt.Scale(domain=domain, range=[SHAPES[j] for j in present]),
                legend=legend,
            ),
            tooltip=tooltip,
        )
        .transform_filter("isValid(datum.pos_ward)")
    )
    values = base.mark_text(
        align="left", baseline="middle", fontSize=12, fontWeight="bold", color=TEXT, yOffset=LINE_OFFSET
    ).encode(x=alt.X("value_x:Q", scale=x_scale), text="value_label:N", tooltip=tooltip)
    height = max(160, ROW_HEIGHT * len(order))
    # aria=False for every mark: the chart carries its alt text and the page a table of the same
    # figures; Vega's container for an empty layer (no Wales figures) is otherwise an unnamed image.
    return (
        alt.layer(names, spread, wrexham, wales, ward, values, data=data)
        .properties(height=height)
        .configure_mark(aria=False)
        .configure_view(stroke=None)
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=12, titleFontSize=12)
    )
