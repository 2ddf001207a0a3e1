"""Colours and symbols for judgements. Meaning is never carried by colour alone: every colour
comes with a symbol and a word (WCAG 1.4.1). Colours follow the Fingertips convention (green
better, red worse, amber/yellow similar, blues for higher/lower without judgement) and were
checked for contrast against the dark text drawn on them."""

from __future__ import annotations

COMPARISON = {
    # judgement: (fill colour, text colour, symbol)
    "better": ("#3E8E41", "#FFFFFF", "▲"),
    "similar": ("#F2C94C", "#1F1F1F", "●"),
    "worse": ("#C0392B", "#FFFFFF", "▼"),
    "higher": ("#2C6FAC", "#FFFFFF", "↑"),
    "lower": ("#9CC3E6", "#1F1F1F", "↓"),
    "not compared": ("#E0E0E0", "#1F1F1F", "–"),
    "withheld": ("#FFFFFF", "#1F1F1F", "c"),
}
TREND = {
    "getting better": "↗",
    "getting worse": "↘",
    "increasing": "↑",
    "decreasing": "↓",
    "no significant change": "→",
    "cannot be calculated": "·",
}
SERIES = {"area": "#1D4F91", "wrexham": "#1D4F91", "wales": "#6B6B6B", "band": "#9DB7DC", "ward": "#7A3E9D"}

# Chart text at full strength: Streamlit's chart theme draws axis and legend labels in a grey
# under the 4.5:1 contrast WCAG 1.4.3 asks of text (text in a chart is text).
CHART_TEXT = "#1F1F1F"
CHART_TEXT_CONFIG = {
    "axis": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
    "legend": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
    "title": {"color": CHART_TEXT, "subtitleColor": CHART_TEXT},
    "header": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
}


def with_readable_text(spec: dict) -> dict:
    """A Vega-Lite spec with its axis, legend, header and title text in CHART_TEXT; settings
    the spec already has for those parts are kept."""
    config = dict(spec.get("config") or {})
    for part, colours in CHART_TEXT_CONFIG.items():
        config[part] = {**colours, **(config.get(part) or {})}
    return {**spec, "config": config}
