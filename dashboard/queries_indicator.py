"""Queries for the Indicator and Services pages that dashboard/data.py does not have, and the
words and table shapes of what those pages show (kept out of the page scripts so they can be
tested on their own, and so a rerun does not re-parse them).

Each query asks for exactly what a page shows (one period's wards, one period's breakdowns), so
a rerun moves little data. Parameters are always bound; results are cached by data.query on the
published file's version.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard import data
from dashboard.i18n import catalogue, t
from dashboard.periods import period_label
from dashboard.theme import COMPARISON, TREND

WREXHAM = "W06000006"
WALES = "W92000004"


def area_series(indicator_id: str, area_code: str, vintage: str | None = None) -> pd.DataFrame:
    """One area's 'all' rows of one indicator, oldest first."""
    return data.values(indicator_id, area_code, vintage=vintage)


def ward_values(indicator_id: str, period: str, vintage: str | None = None) -> pd.DataFrame:
    """Every ward's 'all' row of one indicator for one period."""
    return data.query(
        """
        SELECT * FROM indicator_value
        WHERE indicator_id = ? AND period = ? AND area_type = 'ward' AND breakdown = 'all'
        ORDER BY area_code""",
        (indicator_id, period),
        vintage,
    )


def breakdowns_for_period(indicator_id: str, period: str, vintage: str | None = None) -> pd.DataFrame:
    """The Wrexham-level breakdown rows (age band, ...) of one indicator for one period."""
    return data.query(
        """
        SELECT * FROM indicator_value
        WHERE indicator_id = ? AND period = ? AND breakdown <> 'all' AND area_code = ?
        ORDER BY breakdown, breakdown_value""",
        (indicator_id, period, WREXHAM),
        vintage,
    )


def service_series(indicator_ids: tuple[str, ...], vintage: str | None = None) -> pd.DataFrame:
    """Wrexham 'all' series of several indicators (SPC columns included), oldest first."""
    if not indicator_ids:
        return data.query("SELECT * FROM indicator_value WHERE false", vintage=vintage)
    marks = ", ".join("?" for _ in indicator_ids)
    return data.query(
        f"""
        SELECT * FROM indicator_value
        WHERE indicator_id IN ({marks}) AND area_code = ? AND breakdown = 'all'
        ORDER BY indicator_id, period_end""",
        (*indicator_ids, WREXHAM),
        vintage,
    )


# --- words and table shapes for what the pages show -------------------------------------------
# Everything below only formats published figures. The language is passed explicitly (never read
# from the session), so the CSV callable also works when Streamlit runs it outside the script.

TABLE_COLUMNS = [
    "section",
    "area",
    "period",
    "breakdown",
    "breakdown_value",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "compared_wales",
    "compared_wrexham",
    "trend",
    "notes",
]
NUMBER_COLUMNS = ("numerator", "denominator", "value", "lower_95", "upper_95")


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


class Labels:
    """Words for one indicator in one language: areas, periods, breakdowns, judgements, values."""

    def __init__(self, indicator: dict, lang: str, ward_names: dict[str, str]):
        self.ind = indicator
        self.lang = lang
        self.ward_names = ward_names
        self.decimals = {"proportion": 1, "rate": 1, "count": 0, "money": 0}.get(indicator["value_type"], 1)
        self._catalogue = catalogue(lang)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def area(self, code: str) -> str:
        if code == WREXHAM:
            return self.t("common.wrexham")
        if code == WALES:
            return self.t("common.wales")
        return self.ward_names.get(code, code)

    def period(self, period: str) -> str:
        return period_label(period, self.ind["frequency"], self.lang)

    @staticmethod
    def note(codes, value) -> str:
        """'c' withheld, 'x' not available, '' when there is a value."""
        split = (codes or "").split() if isinstance(codes, str) else []
        if "c" in split:
            return "c"
        return "x" if missing(value) else ""

    def value(self, value, codes) -> str:
        """'81.3%', '119.9', '£1,234', 'c' or 'x' (as format.value_text, in this language)."""
        mark = self.note(codes, value)
        if mark:
            return self.t("common.withheld") if mark == "c" else self.t("common.not_available")
        text = f"{value:,.{self.decimals}f}"
        if self.ind["value_type"] == "proportion":
            text += "%"
        elif self.ind["value_type"] == "money":
            text = "£" + text
        if "e" in (codes or "").split():
            text += " (e)"
        return text

    def interval(self, lower, upper) -> str:
        if missing(lower) or missing(upper):
            return ""
        return self.t(
            "indicator.interval", lower=f"{lower:,.{self.decimals}f}", upper=f"{upper:,.{self.decimals}f}"
        )

    def judgement(self, judgement, symbol: bool = True) -> str:
        if missing(judgement) or judgement not in COMPARISON:
            judgement = "not compared"
        words = self.t("judgement." + judgement.replace(" ", "_"))
        return f"{COMPARISON[judgement][2]} {words}" if symbol else words

    def trend(self, judgement, symbol: bool = True) -> str:
        if missing(judgement) or not judgement:
            return self.t("judgement.trend_none")
        words = self.t("judgement." + judgement.replace(" ", "_"))
        return f"{TREND.get(judgement, '·')} {words}" if symbol else words

    def breakdown(self, name: str) -> str:
        return self._catalogue.get(f"indicator.breakdown_names.{name}", name.replace("_", " "))

    def breakdown_value(self, name: str, code: str) -> str:
        return self._catalogue.get(f"indicator.breakdown_values.{name}.{code}", str(code).replace("_", " "))

    def breakdown_order(self, name: str, code: str) -> int:
        keys = [k for k in self._catalogue if k.startswith(f"indicator.breakdown_values.{name}.")]
        key = f"indicator.breakdown_values.{name}.{code}"
        return keys.index(key) if key in keys else len(keys)


def _mapped(values: pd.Series, word) -> list:
    cache: dict = {}
    out = []
    for v in values.tolist():
        key = None if missing(v) else v
        if key not in cache:
            cache[key] = word(key)
        out.append(cache[key])
    return out


def shaped(rows: pd.DataFrame, section: str, labels: Labels) -> pd.DataFrame:
    """Published rows as the page's table (one shape for every table and the CSV); raw numbers
    are kept, words are added. `section` is trend | wards | breakdown."""
    breakdown = rows["breakdown"].tolist()
    out = pd.DataFrame(
        {
            "section": labels.t(f"indicator.section_{section}"),
            "area": _mapped(rows["area_code"], labels.area),
            "period": _mapped(rows["period"], labels.period),
            "breakdown": ["" if b == "all" else labels.breakdown(b) for b in breakdown],
            "breakdown_value": [
                "" if b == "all" else labels.breakdown_value(b, v)
                for b, v in zip(breakdown, rows["breakdown_value"].tolist())
            ],
            "numerator": rows["numerator"].tolist(),
            "denominator": rows["denominator"].tolist(),
            "value": rows["value"].tolist(),
            "lower_95": rows["lower_95"].tolist(),
            "upper_95": rows["upper_95"].tolist(),
            "compared_wales": rows["compared_to_wales"].tolist(),
            "compared_wrexham": rows["compared_to_wrexham"].tolist(),
            "trend": rows["trend_judgement"].tolist(),
            "notes": rows["note_codes"].fillna("").tolist(),
            "area_code": rows["area_code"].tolist(),
        }
    )
    # Only say what the published row judges: Wales rows judge nothing; Wrexham is not compared
    # with itself.
    out.loc[out["area_code"] == WALES, ["compared_wales", "compared_wrexham", "trend"]] = None
    out.loc[out["area_code"] == WREXHAM, "compared_wrexham"] = None
    return out


def rendered(
    table: pd.DataFrame, labels: Labels, for_csv: bool, columns: list[str] | None = None
) -> pd.DataFrame:
    """Numbers as text ('c' where withheld, 'x' where missing), judgements in words, headings in
    the labels' language. On screen: thousands separators and symbols; in the CSV: plain numbers
    and words."""
    columns = columns or TABLE_COLUMNS
    withheld = ["c" in n.split() for n in table["notes"].tolist()]
    out = {}
    for name in columns:
        values = table[name].tolist()
        if name in NUMBER_COLUMNS:
            places = labels.decimals if name in ("value", "lower_95", "upper_95") else 0
            pattern = f"{{:.{places}f}}" if for_csv else f"{{:,.{places}f}}"
            out[name] = [
                ("c" if w else ("x" if name == "value" else "")) if missing(v) else pattern.format(v)
                for v, w in zip(values, withheld)
            ]
        elif name in ("compared_wales", "compared_wrexham"):
            out[name] = _mapped(
                table[name], lambda j: "" if j is None else labels.judgement(j, symbol=not for_csv)
            )
        elif name == "trend":
            out[name] = _mapped(
                table[name], lambda j: "" if j is None else labels.trend(j, symbol=not for_csv)
            )
        else:
            out[name] = values
    frame = pd.DataFrame(out, columns=columns)
    return frame.rename(columns={c: labels.t(f"indicator.col_{c}") for c in columns})


def csv_bytes(table: pd.DataFrame, labels: Labels) -> bytes:
    """The CSV of exactly the tables shown: UTF-8 with a byte-order mark (so Excel reads Welsh
    letters), headings in the page's language, withheld values as c."""
    return rendered(table, labels, for_csv=True).to_csv(index=False).encode("utf-8-sig")


def series_frame(rows: pd.DataFrame, name: str, role: str, labels: Labels) -> pd.DataFrame:
    """One area's series in the long form trend_charts.trend_chart draws."""
    values, codes = rows["value"].tolist(), rows["note_codes"].tolist()
    lower, upper = rows["lower_95"].tolist(), rows["upper_95"].tolist()
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime(rows["period_end"]).tolist(),
            "period_label": _mapped(rows["period"], labels.period),
            "series": name,
            "role": role,
            "value": values,
            "lower": lower,
            "upper": upper,
            "value_label": [labels.value(v, n) for v, n in zip(values, codes)],
            "interval_label": [labels.interval(lo, up) for lo, up in zip(lower, upper)],
            "note": [labels.note(n, v) for n, v in zip(codes, values)],
        }
    )
