"""Filtered extracts of the published file: the ONE path behind the Downloads page, its files and
the HTTP API (api/), so the three cannot disagree.

    filters = extract.parse({"indicator": "S2", "area": "wards", "lang": "cy"})   # or Filters(...)
    frame = extract.table(filters)           # machine column names, labels in the chosen language
    extract.csv_bytes(filters)               # UTF-8 with BOM, headers in the chosen language
    extract.xlsx_bytes(filters) / zip_bytes(filters) / json_bytes(filters)

Rules this module keeps:
- every value reaches SQL as a bound parameter; ids are first checked against what the published
  file holds (an unknown value is a BadRequest, never a query);
- results are bounded: more than MAX_ROWS rows is a TooManyRows (a 400 with the row count),
  counted before anything is read;
- withheld values stay withheld: empty value, note code 'c', never 0;
- text cells that a spreadsheet would run as a formula (= + - @ tab CR) are neutralised with a
  leading apostrophe in CSV and XLSX (numbers are written by us from floats and are left alone);
- the same filters give the same bytes (fixed timestamps inside XLSX and ZIP), so a download
  from the page is byte-for-byte the API's answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from dashboard import data
from dashboard.i18n import LANGUAGES, catalogue
from dashboard.periods import period_label

MAX_ROWS = 25_000  # largest extract served in one file or response
MAX_QUERY_LENGTH = 4_000  # characters in a whole query string
MAX_VALUE_LENGTH = 1_000  # characters in one parameter
MAX_LIST = 60  # ids in one comma-separated parameter
WREXHAM, WALES = "W06000006", "W92000004"
PARAMETERS = ("indicator", "outcome_area", "service", "area", "from", "to", "breakdown", "lang", "vintage")
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SAFE_ID = re.compile(r"^[A-Za-z0-9_./ -]{1,40}$")

# Output columns: (key, type). Headers and descriptions come from downloads.col_<key> and
# downloads.desc_<key> in the chosen language. Modelled on the Fingertips download.
COLUMNS: list[tuple[str, str]] = [
    ("indicator_id", "string"),
    ("indicator_name", "string"),
    ("area_code", "string"),
    ("area_name", "string"),
    ("area_type", "string"),
    ("period", "string"),
    ("period_label", "string"),
    ("period_start", "date"),
    ("period_end", "date"),
    ("breakdown", "string"),
    ("breakdown_value", "string"),
    ("value", "number"),
    ("lower_95", "number"),
    ("upper_95", "number"),
    ("lower_998", "number"),
    ("upper_998", "number"),
    ("count", "number"),
    ("denominator", "number"),
    ("unit", "string"),
    ("note_codes", "string"),
    ("recent_trend", "string"),
    ("wales_value", "number"),
    ("compared_to_wales", "string"),
    ("compared_to_wales_998", "string"),
    ("language", "string"),
    ("vintage", "string"),
    ("source_partner", "string"),
    ("load_id", "string"),
]
NUMBER_COLUMNS = [key for key, kind in COLUMNS if kind == "number"]


class BadRequest(ValueError):
    """A parameter the extract cannot serve. `message` is short and never repeats user input."""

    status = 400

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.details}


class TooManyRows(BadRequest):
    def __init__(self, rows: int):
        super().__init__(
            "too_many_rows",
            f"The filters match {rows} rows; the limit is {MAX_ROWS}. "
            "Choose fewer indicators, areas or periods.",
            rows=rows,
            limit=MAX_ROWS,
        )


@dataclass(frozen=True)
class Filters:
    """What to extract. Empty tuples mean 'no restriction'; breakdown ('all',) = totals only."""

    indicators: tuple[str, ...] = ()
    outcome_area: str | None = None
    service: str | None = None
    areas: tuple[str, ...] = ()  # area codes, or 'wards' for every ward
    period_from: str | None = None  # period ids; rows wholly inside [start of from, end of to]
    period_to: str | None = None
    breakdowns: tuple[str, ...] = ("all",)  # 'all' (totals), 'any', or breakdown names
    lang: str = "en"
    vintage: str | None = None  # a kept vintage id ('2026-27-Q2'); None = the live file
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def params(self) -> dict[str, str]:
        """The API query parameters for these filters (defaults left out, fixed order)."""
        out = {}
        if self.indicators:
            out["indicator"] = ",".join(self.indicators)
        if self.outcome_area:
            out["outcome_area"] = self.outcome_area
        if self.service:
            out["service"] = self.service
        if self.areas:
            out["area"] = ",".join(self.areas)
        if self.period_from:
            out["from"] = self.period_from
        if self.period_to:
            out["to"] = self.period_to
        if self.breakdowns != ("all",):
            out["breakdown"] = ",".join(self.breakdowns)
        out["lang"] = self.lang
        if self.vintage:
            out["vintage"] = self.vintage
        return out

    def query_string(self) -> str:
        return urlencode(self.params())


# --- what the published file offers (for validation and for the page's choices) ----------------


def indicator_catalogue(vintage: str | None = None) -> pd.DataFrame:
    return data.indicators(vintage)


def period_bounds(vintage: str | None = None) -> pd.DataFrame:
    """Every period id with its start and end (one row per period id)."""
    return data.query(
        """SELECT period, min(period_start) AS period_start, max(period_end) AS period_end
                         FROM indicator_value GROUP BY period ORDER BY period_start, period_end, period""",
        vintage=vintage,
    )


def periods_for(indicator_ids: Iterable[str], vintage: str | None = None) -> pd.DataFrame:
    """Periods of some indicators (period, period_start, period_end, frequency), oldest first."""
    ids = list(indicator_ids)
    if not ids:
        return pd.DataFrame(columns=["period", "period_start", "period_end", "frequency"])
    marks = ", ".join("?" for _ in ids)
    return data.query(
        f"""SELECT v.period, min(v.period_start) AS period_start, max(v.period_end) AS period_end,
                                 min(i.frequency) AS frequency
                          FROM indicator_value v JOIN indicator i USING (indicator_id)
                          WHERE v.indicator_id IN ({marks})
                          GROUP BY v.period ORDER BY period_start, period_end, v.period""",
        tuple(ids),
        vintage,
    )


def breakdown_names(vintage: str | None = None) -> list[str]:
    frame = data.query(
        "SELECT DISTINCT breakdown FROM indicator_value WHERE breakdown <> 'all' ORDER BY 1", vintage=vintage
    )
    return frame["breakdown"].tolist()


def area_codes(vintage: str | None = None) -> list[str]:
    return [WREXHAM, WALES] + data.wards(vintage)["ward_code"].tolist()


# --- parsing and validating parameters (the API's query string, or the page's choices) ---------


def _one(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
        raise BadRequest("parameter_too_long", f"The parameter '{name}' is too long.")
    value = value.strip()
    return value or None


def _list(params: Mapping[str, str], name: str) -> tuple[str, ...]:
    value = _one(params, name)
    if value is None:
        return ()
    items = tuple(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))
    if len(items) > MAX_LIST:
        raise BadRequest(
            "too_many_values", f"The parameter '{name}' lists too many values (at most {MAX_LIST})."
        )
    return items


def _check(items: Iterable[str], allowed: Iterable[str], name: str) -> None:
    allowed = set(allowed)
    for item in items:
        if item not in allowed:
            raise BadRequest(
                "unknown_value",
                f"The parameter '{name}' has a value that is not known; "
                "see /api/v1/indicators and /api/v1/openapi.json for the values allowed.",
            )


def parse(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> Filters:
    """Validated Filters from query parameters. Raises BadRequest (never echoing the input)."""
    items = list(params.items()) if isinstance(params, Mapping) else list(params)
    seen: dict[str, str] = {}
    for name, value in items:
        if name not in PARAMETERS:
            raise BadRequest(
                "unknown_parameter",
                "A parameter is not one this API takes; allowed: " + ", ".join(PARAMETERS) + ".",
            )
        if name in seen:
            raise BadRequest(
                "repeated_parameter",
                f"The parameter '{name}' is given more than once; list several values with commas instead.",
            )
        seen[name] = value
    lang = _one(seen, "lang") or "en"
    _check([lang], LANGUAGES, "lang")
    vintage = _one(seen, "vintage")
    if vintage is not None and vintage != "latest":
        _check([vintage], data.vintage_files(), "vintage")
    else:
        vintage = None
    catalogue_frame = indicator_catalogue(vintage)
    indicators = _list(seen, "indicator")
    _check(indicators, catalogue_frame["indicator_id"], "indicator")
    outcome_area = _one(seen, "outcome_area")
    if outcome_area is not None:
        _check([outcome_area], catalogue_frame["outcome_area"].dropna(), "outcome_area")
    service = _one(seen, "service")
    if service is not None:
        _check([service], catalogue_frame["service"].dropna(), "service")
    areas = _list(seen, "area")
    if "all" in areas:
        areas = ()
    _check(areas, area_codes(vintage) + ["wards"], "area")
    periods = set(period_bounds(vintage)["period"])
    period_from, period_to = _one(seen, "from"), _one(seen, "to")
    for name, value in (("from", period_from), ("to", period_to)):
        if value is not None:
            _check([value], periods, name)
    breakdowns = _list(seen, "breakdown") or ("all",)
    if "any" in breakdowns:
        breakdowns = ("any",)
    _check(breakdowns, ["all", "any"] + breakdown_names(vintage), "breakdown")
    return Filters(
        indicators=indicators,
        outcome_area=outcome_area,
        service=service,
        areas=areas,
        period_from=period_from,
        period_to=period_to,
        breakdowns=breakdowns,
        lang=lang,
        vintage=vintage,
    )


# --- the query ---------------------------------------------------------------------------------


def _where(filters: Filters) -> tuple[str, list]:
    clauses, params = ["i.status = 'published'"], []

    def any_of(column: str, values: Iterable[str]) -> None:
        values = list(values)
        clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
        params.extend(values)

    if filters.indicators:
        any_of("v.indicator_id", filters.indicators)
    if filters.outcome_area:
        any_of("i.outcome_area", [filters.outcome_area])
    if filters.service:
        any_of("i.service", [filters.service])
    if filters.areas:
        codes = [a for a in filters.areas if a != "wards"]
        area_clause = []
        if codes:
            area_clause.append(f"v.area_code IN ({', '.join('?' for _ in codes)})")
            params.extend(codes)
        if "wards" in filters.areas:
            area_clause.append("v.area_type = 'ward'")
        clauses.append("(" + " OR ".join(area_clause) + ")")
    bounds = period_bounds(filters.vintage).set_index("period")
    if filters.period_from:
        clauses.append("v.period_start >= ?")
        params.append(pd.Timestamp(bounds.at[filters.period_from, "period_start"]).date())
    if filters.period_to:
        clauses.append("v.period_end <= ?")
        params.append(pd.Timestamp(bounds.at[filters.period_to, "period_end"]).date())
    if filters.breakdowns != ("any",):
        any_of("v.breakdown", filters.breakdowns)
    return " AND ".join(clauses), params


def count(filters: Filters) -> int:
    """How many rows the filters match (the page shows it; the bound is checked against it)."""
    where, params = _where(filters)
    frame = data.query(
        f"SELECT count(*) AS n FROM indicator_value v JOIN indicator i USING (indicator_id) WHERE {where}",
        tuple(params),
        filters.vintage,
    )
    return int(frame["n"].iloc[0])


def rows(filters: Filters) -> pd.DataFrame:
    """The published rows the filters select, with their indicator's metadata (raw, not labelled)."""
    n = count(filters)
    if n > MAX_ROWS:
        raise TooManyRows(n)
    where, params = _where(filters)
    return data.query(
        f"""
        SELECT v.*, i.display_order, i.frequency, i.sources, i.name_en AS ind_name_en, i.name_cy AS ind_name_cy,
               i.unit_en, i.unit_cy
        FROM indicator_value v JOIN indicator i USING (indicator_id)
        WHERE {where}
        ORDER BY i.display_order, CASE v.area_type WHEN 'wales' THEN 0 WHEN 'wrexham' THEN 1 ELSE 2 END,
                 v.area_code, v.breakdown = 'all' DESC, v.breakdown, v.breakdown_value, v.period_end, v.period""",
        tuple(params),
        filters.vintage,
    )


# --- labelling ----------------------------------------------------------------------------------


def text(key: str, lang: str, **values) -> str:
    """downloads.<key> in a language (the API has no session, so the language is always given)."""
    found = catalogue(lang).get(f"downloads.{key}") or catalogue("en").get(f"downloads.{key}", key)
    return found.format(**values) if values else found


def _label(key: str, lang: str, fallback: str) -> str:
    return catalogue(lang).get(key) or catalogue("en").get(key) or fallback


def headers(lang: str) -> list[str]:
    return [text(f"col_{key}", lang) for key, _ in COLUMNS]


def _judgement(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return ""
    return _label("judgement." + str(value).replace(" ", "_"), lang, str(value))


def json_list(value) -> list:
    try:
        found = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        found = []
    return found if isinstance(found, list) else []


_tables: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_tables_lock = threading.Lock()


def _mapped(series: pd.Series, label) -> pd.Series:
    """Label each distinct value once (fast on tens of thousands of rows)."""
    mapping = {value: label(value) for value in series.dropna().unique()}
    return pd.Series([mapping.get(value, "") for value in series], index=series.index, dtype=object)


def table(filters: Filters) -> pd.DataFrame:
    """The extract as a DataFrame: COLUMNS in order, labels in filters.lang, numbers as floats
    (NaN where withheld or not available). Cached per filters and published-file version."""
    path = data.path_for(filters.vintage)
    key = (filters, str(path), data.version(path))
    with _tables_lock:
        if key in _tables:
            _tables.move_to_end(key)
            return _tables[key].copy()
    frame = _build_table(filters)
    with _tables_lock:
        _tables[key] = frame
        while len(_tables) > 16:
            _tables.popitem(last=False)
    return frame.copy()


def _build_table(filters: Filters) -> pd.DataFrame:
    raw = rows(filters)
    lang = filters.lang
    out = pd.DataFrame(index=raw.index)
    out["indicator_id"] = raw["indicator_id"]
    out["indicator_name"] = raw[f"ind_name_{lang}"].fillna("")
    wards = data.wards(filters.vintage).set_index("ward_code")[f"name_{lang}"].to_dict()
    names = {WREXHAM: text("area_wrexham", lang), WALES: text("area_wales", lang), **wards}
    out["area_code"] = raw["area_code"]
    out["area_name"] = _mapped(raw["area_code"], lambda code: names.get(code, ""))
    out["area_type"] = _mapped(raw["area_type"], lambda kind: text(f"area_type_{kind}", lang))
    out["period"] = raw["period"]
    pairs = raw["period"] + "\x00" + raw["frequency"]
    out["period_label"] = _mapped(pairs, lambda pair: period_label(*pair.split("\x00"), lang))
    out["period_start"] = _mapped(raw["period_start"], lambda d: pd.Timestamp(d).strftime("%Y-%m-%d"))
    out["period_end"] = _mapped(raw["period_end"], lambda d: pd.Timestamp(d).strftime("%Y-%m-%d"))
    out["breakdown"] = _mapped(
        raw["breakdown"],
        lambda b: (
            text("breakdown_all", lang) if b == "all" else _label(f"indicator.breakdown_names.{b}", lang, b)
        ),
    )
    groups = raw["breakdown"] + "\x00" + raw["breakdown_value"].fillna("")

    def group_label(pair: str) -> str:
        b, v = pair.split("\x00")
        return (
            text("breakdown_all", lang)
            if b == "all"
            else _label(f"indicator.breakdown_values.{b}.{v}", lang, v)
        )

    out["breakdown_value"] = _mapped(groups, group_label)
    codes = raw["note_codes"].fillna("")
    withheld = codes.str.contains(r"\b[cx]\b", regex=True)
    for key, source in (
        ("value", "value"),
        ("lower_95", "lower_95"),
        ("upper_95", "upper_95"),
        ("lower_998", "lower_998"),
        ("upper_998", "upper_998"),
        ("count", "numerator"),
        ("denominator", "denominator"),
        ("wales_value", "wales_value"),
    ):
        out[key] = pd.to_numeric(raw[source], errors="coerce").astype(float)
    # Belt and braces: a withheld row never carries a figure, whatever the file says.
    for key in ("value", "lower_95", "upper_95", "lower_998", "upper_998"):
        out.loc[withheld, key] = math.nan
    out["unit"] = raw[f"unit_{lang}"].fillna("")
    out["note_codes"] = codes
    out["recent_trend"] = _mapped(raw["trend_judgement"], lambda j: _judgement(j, lang))
    out["compared_to_wales"] = _mapped(raw["compared_to_wales"], lambda j: _judgement(j, lang))
    out["compared_to_wales_998"] = _mapped(raw["compared_to_wales_998"], lambda j: _judgement(j, lang))
    out["language"] = lang
    out["vintage"] = raw["vintage"]
    partners = data.table("partner", filters.vintage).set_index("id")[f"name_{lang}"].to_dict()
    out["source_partner"] = _mapped(
        raw["sources"], lambda s: "; ".join(partners.get(p, p) for p in json_list(s))
    )
    out["load_id"] = _mapped(raw["load_ids"], lambda s: " ".join(str(x) for x in json_list(s)))
    return out[[key for key, _ in COLUMNS]].reset_index(drop=True)


# --- output formats -----------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _number_texts(column: pd.Series) -> pd.Series:
    """Numbers as text: whole numbers without '.0', others rounded to 6 decimals, missing empty."""
    rounded = column.round(6)
    out = rounded.astype(str)
    whole = rounded.notna() & (rounded == rounded.round(0)) & (rounded.abs() < 1e15)
    out[whole] = rounded[whole].astype("int64").astype(str)
    out[rounded.isna()] = ""
    return out


def _neutralised(column: pd.Series) -> pd.Series:
    column = column.fillna("").astype(str)
    risky = column.str.startswith(FORMULA_START)
    if risky.any():
        column = column.where(~risky, "'" + column)
    return column


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text written to CSV: numbers formatted, text neutralised."""
    return pd.DataFrame(
        {
            key: _number_texts(frame[key]) if kind == "number" else _neutralised(frame[key])
            for key, kind in COLUMNS
        },
        index=frame.index,
    )


def csv_bytes(filters: Filters, frame: pd.DataFrame | None = None) -> bytes:
    """UTF-8 with a BOM (so Excel reads Welsh letters), CRLF line ends, headers in filters.lang."""
    frame = table(filters) if frame is None else frame
    buffer = io.StringIO()
    buffer.write("\ufeff")
    _text_frame(frame).to_csv(
        buffer,
        index=False,
        header=[neutralise(h) for h in headers(filters.lang)],
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    return buffer.getvalue().encode("utf-8")


def _json_values(column: pd.Series) -> list:
    rounded = column.round(6)
    whole = rounded.notna() & (rounded == rounded.round(0)) & (rounded.abs() < 1e15)
    out = rounded.astype(object)
    out[whole] = rounded[whole].astype("int64").astype(object)
    out[rounded.isna()] = None
    return out.tolist()


def json_document(filters: Filters, frame: pd.DataFrame | None = None) -> dict:
    frame = table(filters) if frame is None else frame
    keys = [key for key, _ in COLUMNS]
    columns = [_json_values(frame[key]) if kind == "number" else frame[key].tolist() for key, kind in COLUMNS]
    records = [dict(zip(keys, row)) for row in zip(*columns)] if len(frame) else []
    return {
        "filters": filters.params(),
        "vintage": metadata(filters)["vintage"],
        "rows": len(records),
        "fields": [
            {
                "name": key,
                "title": text(f"col_{key}", filters.lang),
                "type": kind,
                "description": text(f"desc_{key}", filters.lang),
            }
            for key, kind in COLUMNS
        ],
        "notes": notes(filters.lang),
        "licence": LICENCE,
        "data": records,
    }


def json_bytes(filters: Filters, frame: pd.DataFrame | None = None) -> bytes:
    return json.dumps(
        json_document(filters, frame), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode("utf-8")


def notes(lang: str) -> dict[str, str]:
    return {code: text(f"note_{code}", lang) for code in ("c", "x", "e", "p", "r")}


def metadata(filters: Filters) -> dict:
    info = data.vintage_info(filters.vintage)
    return {
        "vintage": str(info["vintage"]),
        "reporting_end": str(info["reporting_end"])[:10],
        "published_at": str(info["published_at"])[:19],
        "demo_data": bool(info.get("demo_data")),
    }


def _stamp(filters: Filters) -> dt.datetime:
    """A fixed timestamp for files inside XLSX/ZIP: when the vintage was published."""
    try:
        return dt.datetime.fromisoformat(metadata(filters)["published_at"])
    except ValueError:
        return dt.datetime(2020, 1, 1)


def indicator_metadata(filters: Filters, frame: pd.DataFrame) -> list[dict]:
    lang = filters.lang
    chosen = indicator_catalogue(filters.vintage)
    chosen = chosen[chosen["indicator_id"].isin(frame["indicator_id"].unique())]
    out = []
    for ind in chosen.to_dict("records"):
        out.append(
            {
                "id": ind["indicator_id"],
                "name": ind[f"name_{lang}"],
                "definition": ind[f"definition_{lang}"],
                "numerator": ind[f"numerator_{lang}"],
                "denominator": ind[f"denominator_{lang}"],
                "unit": ind[f"unit_{lang}"],
                "value_type": ind["value_type"],
                "multiplier": _json_values(pd.Series([ind["multiplier"]], dtype=float))[0],
                "polarity": ind["polarity"],
                "frequency": ind["frequency"],
                "ci_method": ind["ci_method"],
                "benchmark": ind["benchmark"],
                "lowest_geography": ind["lowest_geography"],
                "disclosure": text(
                    "disclosure_rule",
                    lang,
                    count=int(ind["disclosure_min_count"] or 0),
                    denominator=int(ind.get("disclosure_min_denominator") or 0),
                ),
                "caveats": ind[f"caveats_{lang}"] or "",
            }
        )
    return out


def xlsx_bytes(filters: Filters, frame: pd.DataFrame | None = None) -> bytes:
    """A workbook with a data sheet and a metadata sheet. Strings are written as strings (never
    as formulas) and neutralised as in the CSV."""
    import xlsxwriter

    frame = table(filters) if frame is None else frame
    lang = filters.lang
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"title": text("file_title", lang), "created": _stamp(filters)})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(text("sheet_data", lang)[:31])
    for c, header in enumerate(headers(lang)):
        sheet.write_string(0, c, neutralise(header), bold)
    texts = _text_frame(frame)
    for c, (key, kind) in enumerate(COLUMNS):
        if kind == "number":
            write, cells = sheet.write_number, frame[key].round(6).tolist()
            for r, value in enumerate(cells, start=1):
                if value == value:  # not NaN: withheld cells stay empty, never 0
                    write(r, c, value)
        else:
            write = sheet.write_string
            for r, value in enumerate(texts[key].tolist(), start=1):
                if value:
                    write(r, c, value)
    sheet.freeze_panes(1, 0)
    meta = book.add_worksheet(text("sheet_metadata", lang)[:31])
    meta.set_column(0, 0, 28)
    meta.set_column(1, 1, 100)
    line = 0

    def put(label: str, value: str = "", style=None) -> None:
        nonlocal line
        meta.write_string(line, 0, neutralise(label), style or bold)
        if value:
            meta.write_string(line, 1, neutralise(str(value)))
        line += 1

    info = metadata(filters)
    put(text("file_title", lang))
    put(text("meta_vintage", lang), info["vintage"])
    put(text("meta_reporting_end", lang), info["reporting_end"])
    put(text("meta_published_at", lang), info["published_at"])
    if info["demo_data"]:
        put(text("meta_demo", lang), text("meta_demo_text", lang))
    put(text("meta_rows", lang), str(len(frame)))
    put(text("meta_filters", lang), filters.query_string())
    put(text("meta_licence", lang), f"{LICENCE['title']} ({LICENCE['path']})")
    put(text("meta_suppression", lang), text("suppression_text", lang))
    line += 1
    put(text("meta_notes", lang))
    for code, explanation in notes(lang).items():
        put(code, explanation, None)
    line += 1
    put(text("meta_columns", lang))
    for key, _ in COLUMNS:
        put(text(f"col_{key}", lang), text(f"desc_{key}", lang), None)
    line += 1
    put(text("meta_indicators", lang))
    for ind in indicator_metadata(filters, frame):
        put(f"{ind['id']}: {ind['name']}")
        for key in (
            "definition",
            "numerator",
            "denominator",
            "unit",
            "ci_method",
            "frequency",
            "disclosure",
            "caveats",
        ):
            if ind[key]:
                put(text(f"ind_{key}", lang), ind[key], None)
    book.close()
    return buffer.getvalue()


def datapackage(filters: Filters, frame: pd.DataFrame) -> dict:
    """A Frictionless Tabular Data Package describing data.csv."""
    lang, info = filters.lang, metadata(filters)
    kinds = {"number": "number", "string": "string", "date": "date"}
    return {
        "profile": "tabular-data-package",
        "name": "wrexham-prevention-early-help-"
        + re.sub(r"[^a-z0-9]+", "-", info["vintage"].lower()).strip("-"),
        "title": text("file_title", lang),
        "description": text("package_description", lang),
        "version": info["vintage"],
        "created": info["published_at"],
        "language": lang,
        "licenses": [LICENCE],
        "sources": [{"title": text("package_source", lang)}],
        "demo_data": info["demo_data"],
        "reporting_end": info["reporting_end"],
        "filters": filters.params(),
        "suppression": text("suppression_text", lang),
        "note_codes": notes(lang),
        "resources": [
            {
                "name": "data",
                "path": "data.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True, "doubleQuote": True},
                "schema": {
                    "fields": [
                        {
                            "name": text(f"col_{key}", lang),
                            "title": text(f"col_{key}", lang),
                            "type": kinds[kind],
                            "description": text(f"desc_{key}", lang),
                            **({"format": "%Y-%m-%d"} if kind == "date" else {}),
                        }
                        for key, kind in COLUMNS
                    ],
                    "missingValues": [""],
                },
                "rows": len(frame),
            }
        ],
        "indicators": indicator_metadata(filters, frame),
    }


def zip_bytes(filters: Filters, frame: pd.DataFrame | None = None) -> bytes:
    """A data package: data.csv (as csv_bytes) and datapackage.json, with fixed timestamps."""
    frame = table(filters) if frame is None else frame
    stamp = _stamp(filters).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("data.csv", csv_bytes(filters, frame)),
            (
                "datapackage.json",
                json.dumps(datapackage(filters, frame), ensure_ascii=False, indent=2).encode("utf-8"),
            ),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


FORMATS = {
    "csv": (csv_bytes, "text/csv; charset=utf-8", "csv"),
    "json": (json_bytes, "application/json", "json"),
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "zip": (zip_bytes, "application/zip", "zip"),
}


def file_name(filters: Filters, kind: str) -> str:
    vintage = re.sub(r"[^A-Za-z0-9]+", "-", metadata(filters)["vintage"]).strip("-")
    return f"wrexham-peh-{vintage}-{filters.lang}.{FORMATS[kind][2]}"
