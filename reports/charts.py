"""The board pack's charts: Altair specs (shared with the Board page) rendered to SVG without a
browser by vl-convert, so the PDF keeps them as vector graphics."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.i18n import t
from dashboard.theme import SERIES


def area_chart(points: pd.DataFrame, lang: str, width: int = 150, columns: int = 3) -> alt.FacetChart:
    """Small multiples: the last figures of each indicator in an outcome area, one panel each
    with its own scale (the indicators have different units). `points` has name, period_end,
    value (NaN where withheld or not available: a gap, never a zero) and value_label."""
    base = alt.Chart(points).encode(
        x=alt.X("period_end:T", title=None, axis=alt.Axis(format="%Y", tickCount=4, labelFontSize=9)),
        y=alt.Y(
            "value:Q",
            title=None,
            scale=alt.Scale(zero=False),
            axis=alt.Axis(tickCount=3, labelFontSize=9, format="~s"),
        ),
        tooltip=[
            alt.Tooltip("name:N", title=t("board.col_indicator", lang)),
            alt.Tooltip("period_label:N", title=t("board.col_period", lang)),
            alt.Tooltip("value_label:N", title=t("board.col_latest", lang)),
        ],
    )
    line = base.mark_line(color=SERIES["wrexham"], strokeWidth=1.5) + base.mark_point(
        color=SERIES["wrexham"], filled=True, size=18
    )
    return (
        line.properties(width=width, height=70)
        .facet(
            facet=alt.Facet(
                "name:N",
                title=None,
                sort=alt.SortField("order"),
                header=alt.Header(labelFontSize=9, labelLimit=width + 40, labelAnchor="start"),
            ),
            columns=columns,
            spacing={"row": 14, "column": 18},
        )
        .resolve_scale(y="independent")
        .configure_view(stroke="#DDDDDD")
        .configure(font="DejaVu Sans")
    )


def to_svg(chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())
