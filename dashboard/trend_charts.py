"""Altair charts for the Indicator and Services pages: trends with 95% intervals, wards compared
with Wrexham, breakdowns, SPC (XmR) charts and the children's services demand funnel.

Every builder takes a tidy frame the page has already labelled (translated names, period labels,
value texts) and returns a Vega-Lite dict for st.vega_lite_chart. It draws published figures
only: intervals, judgements, SPC limits and signals all come from the published file. Withheld or missing values are drawn as the letters 'c' / 'x' at
the foot of the chart (or at the start of a bar), never as a zero. Judgements carry a symbol as
well as a colour, and the x axis of time charts shows years only, so no English month name
appears on a Welsh page.
"""

from __future__ import annotations

import hashlib
import json
import math

import altair as alt
import pandas as pd

from dashboard.i18n import t
from dashboard.theme import COMPARISON, SERIES, with_readable_text

INK = "#1F1F1F"
MUTED = "#595959"
TARGET = "#8A4B08"
REFERENCE = "#7A3E9D"  # Wrexham drawn behind a ward's own series
SCHEMA = alt.SCHEMA_URL
SPC_COLOURS = {"special cause high": "#C55A11", "special cause low": "#1D4F91", "common cause": "#7F7F7F"}
SPC_SHAPES = {
    "special cause high": "triangle-up",
    "special cause low": "triangle-down",
    "common cause": "circle",
}


class _Datasets:
    """Chart data as named inline datasets of JSON-ready records (NaN -> null, dates -> ISO
    text). Altair validates and sanitises DataFrames and inline values on every build, which
    costs more than the rest of a rerun; the frames here are small and already tidy."""

    def __init__(self) -> None:
        self.values: dict[str, list[dict]] = {}
        self._seen: dict[int, tuple[pd.DataFrame, str]] = {}  # the frame is kept, so its id stays unique

    def __call__(self, frame: pd.DataFrame) -> alt.NamedData:
        if id(frame) in self._seen:
            return alt.NamedData(name=self._seen[id(frame)][1])
        columns = list(frame.columns)
        arrays = []
        for column in columns:
            series = frame[column]
            if pd.api.types.is_datetime64_any_dtype(series):
                arrays.append([None if pd.isna(v) else v.strftime("%Y-%m-%dT%H:%M:%S") for v in series])
            else:
                arrays.append([_json_value(v) for v in series.tolist()])
        records = [dict(zip(columns, row)) for row in zip(*arrays)]
        # Named by content, as Altair does: the browser keeps datasets by name across charts.
        name = "data-" + hashlib.md5(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()
        self._seen[id(frame)] = (frame, name)
        self.values[name] = records
        return alt.NamedData(name=name)

    def spec(self, layers: list[alt.Chart], *, height) -> dict:
        """The finished Vega-Lite dict for st.vega_lite_chart: the layers side by side, as wide as
        their container. Each layer is converted on its own and the layer spec is put together
        here, as Altair's LayerChart deep-copies and re-validates every layer."""
        out: dict = {
            "$schema": SCHEMA,
            "width": "container",
            "height": {"step": height.step} if isinstance(height, alt.Step) else height,
            "layer": [],
        }
        for layer in layers:
            unit = layer.to_dict(validate=False)
            for key in ("$schema", "config", "datasets"):
                unit.pop(key, None)
            out["layer"].append(unit)
        out["datasets"] = self.values
        return with_readable_text(out)


def _json_value(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _time_axis(title: str | None = None) -> alt.Axis:
    # Years only: language-neutral (Vega's month names are English).
    return alt.Axis(format="%Y", title=title, tickCount="year", labelAngle=0, grid=False)


def _notes_layer(data: _Datasets, frame: pd.DataFrame, tooltip_title: str) -> alt.Chart | None:
    """'c' / 'x' at the foot of a time chart for periods whose value is withheld or missing."""
    marked = frame[frame["note"].isin(["c", "x"])]
    if marked.empty:
        return None
    # y "height" is the foot of the plot, whatever size the chart is drawn at.
    return (
        alt.Chart(data(marked))
        .mark_text(fontSize=13, fontWeight="bold", color=INK, dy=-8)
        .encode(
            x=alt.X("period_end:T"),
            y=alt.YValue("height"),
            text=alt.Text("note:N"),
            tooltip=[
                alt.Tooltip("period_label:N", title=t("indicator.axis_period")),
                alt.Tooltip("value_label:N", title=tooltip_title),
            ],
        )
    )


def trend_chart(
    frame: pd.DataFrame,
    *,
    y_title: str,
    target: float | None = None,
    chosen_end=None,
    height: int = 320,
    legend: bool = True,
) -> dict:
    """Values over time with the 95% interval as a band.

    `frame` (long form, one row per series and period): period_end (datetime), period_label,
    series (translated name), role ('area' | 'reference' | 'wales'), value, lower, upper,
    value_label, interval_label, note ('' | 'c' | 'x').
    Series are told apart by colour, dash and point shape; the band belongs to the 'area' series.
    """
    data = _Datasets()
    names = list(dict.fromkeys(frame["series"]))
    roles = dict(zip(frame["series"], frame["role"]))
    colour_of = {"area": SERIES["area"], "reference": REFERENCE, "wales": SERIES["wales"]}
    shape_of = {"area": "circle", "reference": "diamond", "wales": "square"}
    dash_of = {"area": [1, 0], "reference": [6, 3], "wales": [3, 3]}
    area_rows = frame[frame["role"] == "area"].assign(series=t("indicator.legend_interval"))
    has_band = bool(area_rows["lower"].notna().any())
    domain = names + ([t("indicator.legend_interval")] if has_band else [])
    colours = [colour_of[roles[n]] for n in names] + ([SERIES["band"]] if has_band else [])
    if target is not None:
        domain.append(t("indicator.legend_target"))
        colours.append(TARGET)
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            columns=2,
            labelLimit=260,
            symbolType="stroke",
            symbolStrokeWidth=4,
        )
        if legend
        else None,
    )
    x = alt.X("period_end:T", axis=_time_axis())
    value_tip = [
        alt.Tooltip("series:N", title=t("indicator.tip_series")),
        alt.Tooltip("period_label:N", title=t("indicator.axis_period")),
        alt.Tooltip("value_label:N", title=t("indicator.tip_value")),
        alt.Tooltip("interval_label:N", title=t("indicator.tip_interval")),
    ]
    base = alt.Chart(data(frame)).encode(x=x)
    layers = []
    if has_band:
        layers.append(
            alt.Chart(data(area_rows))
            .mark_area(opacity=0.45, invalid="break-paths-show-domains")
            .encode(x=x, y=alt.Y("lower:Q", title=y_title), y2=alt.Y2("upper:Q"), color=colour)
        )
    layers.append(
        base.mark_line(strokeWidth=2.5, invalid="break-paths-show-domains").encode(
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=names, range=[dash_of[roles[n]] for n in names]),
                legend=None,
            ),
            detail=alt.Detail("series:N"),
        )
    )
    for role in dict.fromkeys(frame["role"]):
        # One point layer per series with a fixed shape (a shape channel would replace the
        # legend's line symbols).
        layers.append(
            base.mark_point(filled=True, size=55, opacity=1, shape=shape_of[role])
            .encode(
                y=alt.Y("value:Q", title=y_title),
                color=colour,
                tooltip=value_tip,
            )
            .transform_filter(f"datum.role === '{role}' && isValid(datum.value)")
        )
    if target is not None:
        rule = pd.DataFrame({"target": [target], "series": [t("indicator.legend_target")]})
        layers.append(
            alt.Chart(data(rule))
            .mark_rule(strokeDash=[8, 4], strokeWidth=2)
            .encode(
                y=alt.Y("target:Q"),
                color=colour,
                tooltip=[alt.Tooltip("target:Q", title=t("indicator.legend_target"), format=",.1f")],
            )
        )
    if chosen_end is not None:
        chosen = pd.DataFrame({"period_end": [chosen_end]})
        layers.append(
            alt.Chart(data(chosen))
            .mark_rule(color=MUTED, strokeWidth=1, opacity=0.6)
            .encode(x=alt.X("period_end:T"))
        )
    notes = _notes_layer(data, frame[frame["role"] == "area"], t("indicator.tip_value"))
    if notes is not None:
        layers.append(notes)
    return data.spec(layers, height=height)


def ward_bars(frame: pd.DataFrame, *, x_title: str, reference: float | None, reference_label: str) -> dict:
    """All wards for one period: bars with 95% whiskers, coloured and marked by the published
    comparison with Wrexham; Wrexham as a dashed reference line; withheld wards as 'c'.

    `frame`: area_code, ward_name, value, lower, upper, value_label, interval_label, judgement
    (raw), judgement_label (translated), symbol, note, sort_order (int). Each ward's symbol is
    written after its name, so the comparison is readable without colour."""
    data = _Datasets()
    frame = frame.assign(
        row_label=[
            f"{n} {s}" if not note else n
            for n, s, note in zip(frame["ward_name"], frame["symbol"], frame["note"])
        ]
    )
    order = list(frame.sort_values("sort_order")["row_label"])
    select = alt.selection_point(name="ward", fields=["area_code"], on="click")
    y = alt.Y(
        "row_label:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=190, labelFontSize=12, labelOverlap=False, labelColor=INK),
    )
    tips = [
        alt.Tooltip("ward_name:N", title=t("indicator.col_area")),
        alt.Tooltip("value_label:N", title=t("indicator.tip_value")),
        alt.Tooltip("interval_label:N", title=t("indicator.tip_interval")),
        alt.Tooltip("judgement_label:N", title=t("indicator.tip_vs_wrexham")),
    ]
    shown = frame[frame["note"] == ""]
    withheld = frame[frame["note"] != ""]
    present = [j for j in COMPARISON if j in set(shown["judgement"])]
    legend_labels = {j: f"{COMPARISON[j][2]} {t('judgement.' + j.replace(' ', '_'))}" for j in present}
    shown = shown.assign(legend_label=shown["judgement"].map(legend_labels))
    x = alt.X("value:Q", title=x_title, scale=alt.Scale(zero=True), axis=alt.Axis(orient="top"))
    layers = [
        alt.Chart(data(shown))
        .mark_bar(height={"band": 0.72}, cursor="pointer")
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "legend_label:N",
                scale=alt.Scale(
                    domain=[legend_labels[j] for j in present], range=[COMPARISON[j][0] for j in present]
                ),
                legend=alt.Legend(
                    title=t("indicator.tip_vs_wrexham"),
                    orient="bottom",
                    direction="horizontal",
                    columns=3,
                    labelLimit=200,
                ),
            ),
            tooltip=tips,
        )
        .add_params(select),
    ]
    if shown["lower"].notna().any():
        layers.append(
            alt.Chart(data(shown))
            .mark_rule(color=INK, strokeWidth=1.2)
            .encode(x=alt.X("lower:Q"), x2=alt.X2("upper:Q"), y=y, tooltip=tips)
        )
    if not withheld.empty:
        layers.append(
            alt.Chart(data(withheld))
            .mark_text(align="left", dx=3, fontSize=13, fontWeight="bold", color=INK)
            .encode(x=alt.XDatum(0), y=y, text=alt.Text("note:N"), tooltip=tips)
        )
    if reference is not None:
        ref = pd.DataFrame({"value": [reference], "label": [reference_label]})
        layers.append(
            alt.Chart(data(ref))
            .mark_rule(color=INK, strokeDash=[6, 3], strokeWidth=1.5)
            .encode(
                x=alt.X("value:Q"), tooltip=[alt.Tooltip("label:N", title=t("indicator.legend_reference"))]
            )
        )
    return data.spec(layers, height=alt.Step(22))


def breakdown_bars(frame: pd.DataFrame, *, x_title: str) -> dict:
    """One breakdown (e.g. age band) at Wrexham level for one period: bars with 95% whiskers,
    withheld values as 'c'. `frame`: label, value, lower, upper, value_label, interval_label,
    note, sort_order."""
    data = _Datasets()
    order = list(frame.sort_values("sort_order")["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    tips = [
        alt.Tooltip("label:N", title=t("indicator.col_breakdown_value")),
        alt.Tooltip("value_label:N", title=t("indicator.tip_value")),
        alt.Tooltip("interval_label:N", title=t("indicator.tip_interval")),
    ]
    shown = frame[frame["note"] == ""]
    withheld = frame[frame["note"] != ""]
    layers = [
        alt.Chart(data(shown))
        .mark_bar(color=SERIES["area"], height={"band": 0.7})
        .encode(x=alt.X("value:Q", title=x_title, scale=alt.Scale(zero=True)), y=y, tooltip=tips)
    ]
    if shown["lower"].notna().any():
        layers.append(
            alt.Chart(data(shown))
            .mark_rule(color=INK, strokeWidth=1.2)
            .encode(x=alt.X("lower:Q"), x2=alt.X2("upper:Q"), y=y, tooltip=tips)
        )
    if not withheld.empty:
        layers.append(
            alt.Chart(data(withheld))
            .mark_text(align="left", dx=3, fontSize=12, fontWeight="bold", color=INK)
            .encode(x=alt.XDatum(0), y=y, text=alt.Text("note:N"), tooltip=tips)
        )
    return data.spec(layers, height=alt.Step(26))


def spc_chart(frame: pd.DataFrame, *, y_title: str, height: int = 300) -> dict:
    """An XmR chart from published SPC columns: the series, its mean and process limits, and
    each point coloured and shaped by its published signal.

    `frame`: period_end, period_label, value, value_label, spc_mean, spc_lower, spc_upper,
    signal (raw 'special cause high' ...), signal_label (translated), note."""
    data = _Datasets()
    signals = [s for s in SPC_COLOURS if s in set(frame["signal"].dropna())]
    judged = frame[frame["signal"].notna()]
    labels = {s: t("judgement." + s.replace(" ", "_")) for s in SPC_COLOURS}
    x = alt.X("period_end:T", axis=_time_axis())
    tips = [
        alt.Tooltip("period_label:N", title=t("indicator.axis_period")),
        alt.Tooltip("value_label:N", title=t("indicator.tip_value")),
        alt.Tooltip("signal_label:N", title=t("services.tip_signal")),
    ]
    lines = frame.melt(
        id_vars=["period_end", "period_label"],
        value_vars=["spc_mean", "spc_lower", "spc_upper"],
        var_name="line",
        value_name="level",
    )
    line_names = {
        "spc_mean": t("services.legend_mean"),
        "spc_lower": t("services.legend_limit"),
        "spc_upper": t("services.legend_limit"),
    }
    lines["line_label"] = lines["line"].map(line_names)
    lines["line_group"] = lines["line"]
    layers = [
        alt.Chart(data(lines))
        .mark_line(color=MUTED, invalid="break-paths-show-domains")
        .encode(
            x=x,
            y=alt.Y("level:Q", title=y_title),
            detail=alt.Detail("line_group:N"),
            strokeDash=alt.StrokeDash(
                "line_label:N",
                legend=alt.Legend(title=None, orient="bottom", direction="vertical"),
                scale=alt.Scale(
                    domain=[line_names["spc_mean"], line_names["spc_lower"]], range=[[1, 0], [6, 4]]
                ),
            ),
            tooltip=[
                alt.Tooltip("line_label:N", title=t("services.tip_line")),
                alt.Tooltip("level:Q", title=t("indicator.tip_value"), format=",.1f"),
            ],
        ),
        alt.Chart(data(frame))
        .mark_line(color="#9E9E9E", strokeWidth=1.5, invalid="break-paths-show-domains")
        .encode(x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))),
    ]
    # Colour and shape share one legend (same field, same title), so it shows coloured ▲ ▼ ●.
    signal_legend = alt.Legend(
        title=t("services.tip_signal"),
        orient="bottom",
        direction="vertical",
        labelLimit=220,
        symbolSize=90,
        symbolStrokeWidth=2.5,
    )
    if signals:
        layers.append(
            alt.Chart(data(judged))
            .mark_point(filled=True, size=60, opacity=1)
            .encode(
                x=x,
                y=alt.Y("value:Q", title=y_title),
                color=alt.Color(
                    "signal_label:N",
                    scale=alt.Scale(
                        domain=[labels[s] for s in signals], range=[SPC_COLOURS[s] for s in signals]
                    ),
                    legend=signal_legend,
                ),
                shape=alt.Shape(
                    "signal_label:N",
                    scale=alt.Scale(
                        domain=[labels[s] for s in signals], range=[SPC_SHAPES[s] for s in signals]
                    ),
                    legend=signal_legend,
                ),
                tooltip=tips,
            )
        )
    notes = _notes_layer(data, frame, t("indicator.tip_value"))
    if notes is not None:
        layers.append(notes)
    return data.spec(layers, height=height)


def funnel_bars(frame: pd.DataFrame, *, x_title: str) -> dict:
    """The demand funnel: one bar per stage (in order), its published count written at its end;
    a withheld count is shown as 'c' and drawn as no bar. `frame`: stage_label, count,
    count_label, period_label, sort_order, note."""
    data = _Datasets()
    order = list(frame.sort_values("sort_order")["stage_label"])
    y = alt.Y("stage_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=230))
    tips = [
        alt.Tooltip("stage_label:N", title=t("services.col_stage")),
        alt.Tooltip("count_label:N", title=t("services.col_count")),
        alt.Tooltip("period_label:N", title=t("indicator.axis_period")),
    ]
    shown = frame[frame["note"] == ""]
    layers = [
        alt.Chart(data(shown))
        .mark_bar(color=SERIES["area"], height={"band": 0.7})
        .encode(x=alt.X("count:Q", title=x_title, scale=alt.Scale(zero=True)), y=y, tooltip=tips),
        alt.Chart(data(frame))
        .mark_text(align="left", dx=4, fontSize=12, color=INK)
        .encode(x=alt.X("text_at:Q"), y=y, text=alt.Text("count_label:N"), tooltip=tips),
    ]
    return data.spec(layers, height=alt.Step(34))
