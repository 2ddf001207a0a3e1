"""Altair charts. Every chart says what it shows in words (`alt` text and a sentence on the
page) and its data is also offered as a table; judgements carry a symbol as well as a colour."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.i18n import t
from dashboard.theme import CHART_TEXT_CONFIG, COMPARISON


def comparison_scale() -> alt.Scale:
    names = list(COMPARISON)
    return alt.Scale(
        domain=[t("judgement." + n.replace(" ", "_")) for n in names], range=[COMPARISON[n][0] for n in names]
    )


def tartan_rug(cells: pd.DataFrame, ward_order: list[str], indicator_order: list[str]) -> alt.Chart:
    """Indicators (rows) by wards (columns), each cell coloured and marked by its comparison
    with Wrexham. `cells` has: ward_name, indicator_name, judgement_label, symbol, value_label,
    text_colour, ward_code, indicator_id."""
    select = alt.selection_point(name="cell", fields=["ward_code", "indicator_id"], on="click")
    base = alt.Chart(cells).encode(
        x=alt.X(
            "ward_name:N",
            sort=ward_order,
            title=None,
            axis=alt.Axis(labelAngle=-60, labelLimit=160, orient="top", labelOverlap=False),
        ),
        y=alt.Y(
            "indicator_name:N",
            sort=indicator_order,
            title=None,
            axis=alt.Axis(labelLimit=280, labelOverlap=False),
        ),
    )
    rects = (
        base.mark_rect(stroke="#FFFFFF", strokeWidth=1)
        .encode(
            color=alt.Color(
                "judgement_label:N",
                scale=comparison_scale(),
                legend=alt.Legend(title=t("overview.rug_legend"), orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("ward_name:N", title=t("overview.rug_ward")),
                alt.Tooltip("indicator_name:N", title=t("overview.rug_indicator")),
                alt.Tooltip("value_label:N", title=t("overview.rug_value")),
                alt.Tooltip("judgement_label:N", title=t("overview.rug_compared")),
            ],
            opacity=alt.condition(select, alt.value(1.0), alt.value(0.85)),
        )
        .add_params(select)
    )
    symbols = base.mark_text(fontSize=11).encode(
        text="symbol:N", color=alt.Color("text_colour:N", scale=None)
    )
    return (
        (rects + symbols)
        .properties(height=alt.Step(22), width=alt.Step(20))
        .configure_axis(**CHART_TEXT_CONFIG["axis"])
        .configure_legend(**CHART_TEXT_CONFIG["legend"])
    )
