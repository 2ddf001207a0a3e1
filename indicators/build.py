"""`python -m indicators build`: the warehouse -> the published, disclosure-controlled file.

1. run every indicator's SQL and check it (indicators/compute.py); an indicator that fails is
   named with its reason and published as 'not available', never with a doubtful number;
2. mark periods inside a series with no data as 'x' (not available);
3. disclosure control over every count at once (indicators/disclosure.py);
4. values, intervals, comparisons, trends, SPC, targets, note codes (indicators/values.py);
5. write the published file beside the live one, swap it in, keep a vintage (indicators/publish.py).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators import compute, disclosure, publish, values
from indicators.catalogue import Framework, load_catalogue

WREXHAM, WALES = "W06000006", "W92000004"


class PublishFailed(Exception):
    """Nothing was published; the message says why."""


@dataclass
class PublishReport:
    vintage: str = ""
    reporting_end: dt.date | None = None
    published: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    withheld: int = 0
    seconds: float = 0.0
    path: Path | None = None


def default_reporting_end(con) -> dt.date:
    """The end of the last complete quarter before the latest partner delivery arrived."""
    latest = con.execute("SELECT max(received) FROM load_log").fetchall()[0][0]
    if latest is None:
        raise PublishFailed("the warehouse holds no partner deliveries")
    from etl.periods import period_end, quarter_of

    day = latest.date()
    end = period_end(quarter_of(day))
    while end >= day:
        end = period_end(quarter_of(end - dt.timedelta(days=92)))
    return end


def _source_coverage(con) -> dict[str, dt.date]:
    """The last day each partner source's deliveries cover (None when it sent nothing)."""
    return dict(con.execute("SELECT source, max(covered_to) FROM sources GROUP BY source").fetchall())


def _within_coverage(frame: pd.DataFrame, indicator, coverage: dict, reporting_end: dt.date) -> pd.DataFrame:
    """Drop periods that end after a source's data stops (a record-level extract taken in July
    cannot say who was looked after at the end of September, and would say 'nobody'), or after
    the reporting date."""
    from indicators.periods import bounds

    ends = [coverage.get(source) for source in indicator.sources]
    if any(end is None for end in ends):
        missing = [s for s, e in zip(indicator.sources, ends) if e is None]
        raise compute.IndicatorProblem(f"{indicator.id}: no data has arrived from {', '.join(missing)}")
    limit = min(ends + [reporting_end])
    period_ends = frame["period"].map(lambda p: bounds(p, indicator.frequency)[1])
    return frame[period_ends <= limit]


def _fill_gaps(rows: pd.DataFrame, framework: Framework, reporting_end: dt.date) -> pd.DataFrame:
    """Add 'x' rows for Wrexham periods with no data: gaps inside a series (no Summer 2020 term)
    and periods after a source's data stops, up to the reporting date (an overdue delivery)."""
    from indicators.periods import bounds
    from indicators.sql_periods import all_periods

    extra = []
    for indicator_id, group in rows.groupby("indicator_id"):
        frequency = framework.indicator(indicator_id).frequency
        have = set(group.loc[group["area_code"] == WREXHAM, "period"])
        if not have:
            continue
        ordered = all_periods(frequency)
        first = ordered.index(min(have, key=ordered.index))
        last = max(i for i, p in enumerate(ordered) if bounds(p, frequency)[1] <= reporting_end)
        for period in ordered[first : last + 1]:
            if period not in have:
                extra.append(
                    {
                        "indicator_id": indicator_id,
                        "period": period,
                        "area_code": WREXHAM,
                        "breakdown": "all",
                        "breakdown_value": "all",
                        "numerator": np.nan,
                        "denominator": np.nan,
                        "partner_suppressed": 0.0,
                    }
                )
    return pd.concat([rows, pd.DataFrame(extra)], ignore_index=True) if extra else rows


def _wales_benchmarks(con, framework: Framework) -> pd.DataFrame:
    """Wales figures re-labelled with the period of the indicator they compare with."""
    from indicators.periods import matching_period
    from indicators.sql_periods import all_periods

    raw = con.execute(
        "SELECT indicator_id, period, value FROM ref_wales_benchmarks WHERE area_code = ?", [WALES]
    ).df()
    known = {ind.id: ind for ind in framework.indicators if ind.benchmark == "wales"}
    rows = []
    for indicator_id, period, value in raw.itertuples(index=False):
        if indicator_id in known:
            frequency = known[indicator_id].frequency
            match = matching_period(period, frequency, all_periods(frequency))
            if match is not None:
                rows.append({"indicator_id": indicator_id, "period": match, "value": value})
    return pd.DataFrame(rows, columns=["indicator_id", "period", "value"])


def _load_ids(con, framework: Framework) -> dict[str, list[str]]:
    by_source = {}
    for (source,) in con.execute("SELECT DISTINCT source FROM load_log").fetchall():
        tables = [
            t for (t,) in con.execute("SELECT table_name FROM sources WHERE source = ?", [source]).fetchall()
        ]
        ids = set()
        for table in tables:
            ids |= {r for (r,) in con.execute(f'SELECT DISTINCT _load_id FROM "stg_{table}"').fetchall()}
        by_source[source] = sorted(ids)
    return {
        ind.id: sorted({i for s in ind.sources for i in by_source.get(s, [])}) for ind in framework.indicators
    }


def _support_tables(
    con, framework: Framework, vintage: str, reporting_end, demo: bool
) -> dict[str, pd.DataFrame]:
    """Ward facts, delivery status and load summary: safe to publish (no counts of children)."""
    ward = con.execute("""
        SELECT w.ward_code, w.name_en, w.name_cy, w.centroid_lon, w.centroid_lat, w.area_km2,
               d.lsoa_count, d.mean_wimd2019_score, d.most_deprived_lsoa_rank,
               d.share_lsoas_in_wales_most_deprived_20pct, d.deprivation_fifth_within_wrexham,
               d.deprivation_rank_within_wrexham
        FROM ref_wards w JOIN ref_ward_deprivation d USING (ward_code) ORDER BY w.ward_code""").df()
    load_summary = con.execute("""
        SELECT l.source, s.partner_en, s.partner_cy, l.table_name, l.file, l.received, l.rows_read,
               l.rows_landed, l.rows_rejected, l.first_period, l.last_period, l.due_date, l.late,
               (SELECT count(*) FROM revisions r WHERE r.new_load_id = l.load_id AND r.table_name = l.table_name) AS revisions,
               l.load_id
        FROM load_log l JOIN sources s USING (source, table_name) ORDER BY l.source, l.table_name, l.received""").df()
    reject_reasons = con.execute("""
        SELECT source, table_name, file, reason, count(DISTINCT record) AS rows_rejected
        FROM rejects GROUP BY ALL ORDER BY source, table_name, file, rows_rejected DESC""").df()
    source_status = con.execute("""
        SELECT source, table_name, partner_en, partner_cy, cadence, deliveries, last_received,
               latest_period, next_period_end, next_due FROM sources ORDER BY source, table_name""").df()
    info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    vintage_table = pd.DataFrame(
        [
            {
                "vintage": vintage,
                "reporting_end": reporting_end,
                "published_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                "warehouse_built_at": info.get("built_at"),
                "demo_data": demo,
            }
        ]
    )
    benchmark_source = con.execute(
        "SELECT indicator_id, period, value, unit, note_code, source FROM ref_wales_benchmarks"
    ).df()
    return {
        "ward": ward,
        "load_summary": load_summary,
        "reject_reasons": reject_reasons,
        "source_status": source_status,
        "vintage": vintage_table,
        "benchmark_source": benchmark_source,
    }


def build(
    warehouse: Path, out_dir: Path, reporting_end: dt.date | None = None, definitions_dir: Path | None = None
) -> PublishReport:
    started = time.perf_counter()
    report = PublishReport()
    framework = load_catalogue(definitions_dir) if definitions_dir else load_catalogue()
    if not Path(warehouse).exists():
        raise PublishFailed(f"no warehouse at {warehouse}: run `python -m etl build` first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        reporting_end = reporting_end or default_reporting_end(con)
        report.reporting_end = reporting_end
        report.vintage = publish.vintage_id(reporting_end)
        compute.prepare(con, reporting_end)
        ward_codes = {w for (w,) in con.execute("SELECT ward_code FROM ref_wards").fetchall()}
        coverage = _source_coverage(con)
        frames = []
        for indicator in framework.indicators:
            try:
                frame = _within_coverage(
                    compute.run(con, indicator, ward_codes), indicator, coverage, reporting_end
                )
                frames.append(frame.assign(indicator_id=indicator.id))
                report.published.append(indicator.id)
            except compute.IndicatorProblem as problem:
                report.problems[indicator.id] = str(problem)
        if not frames:
            raise PublishFailed("no indicator could be computed:\n" + "\n".join(report.problems.values()))
        rows = _fill_gaps(pd.concat(frames, ignore_index=True), framework, reporting_end)
        rows = disclosure.apply(rows, framework)
        rows = values.add_period_columns(rows, framework)
        rows = values.compute_values(rows, framework)
        wales = _wales_benchmarks(con, framework)
        rows = values.add_comparisons(rows, framework, wales)
        rows = values.add_trends(rows, framework)
        rows = values.add_spc(rows, framework)
        rows = values.add_targets_and_notes(rows, framework)
        load_ids = _load_ids(con, framework)
        demo = dict(con.execute("SELECT key, value FROM build_info").fetchall()).get("demo_data") == "true"
        rows = _finish(rows, framework, wales, report.vintage, load_ids)
        tables = {
            "indicator": publish.indicator_table(framework, load_ids, report.problems),
            "indicator_value": rows,
            **publish.framework_tables(framework),
            **_support_tables(con, framework, report.vintage, reporting_end, demo),
        }
    finally:
        con.close()
    report.rows = len(rows)
    report.withheld = int((rows["note_codes"].str.contains("c")).sum())
    report.path = publish.write(Path(out_dir), tables, report.vintage)
    report.seconds = time.perf_counter() - started
    return report


def _finish(
    rows: pd.DataFrame,
    framework: Framework,
    wales: pd.DataFrame,
    vintage: str,
    load_ids: dict[str, list[str]],
) -> pd.DataFrame:
    """Blank withheld counts, add area types, Wales rows, vintage and load ids; keep published columns."""
    rows = rows.copy()
    rows.loc[rows["numerator_hidden"].astype(bool), "numerator"] = np.nan
    rows.loc[rows["denominator_hidden"].astype(bool), "denominator"] = np.nan
    rows["area_type"] = np.where(rows["area_code"] == WREXHAM, "wrexham", "ward")
    wales_rows = wales[wales["indicator_id"].isin([i.id for i in framework.indicators])].copy()
    if not wales_rows.empty:
        wales_rows = values.add_period_columns(
            wales_rows.assign(
                area_code=WALES, area_type="wales", breakdown="all", breakdown_value="all", note_codes=""
            ),
            framework,
        )
        rows = pd.concat([rows, wales_rows], ignore_index=True)
    rows["vintage"] = vintage
    rows["load_ids"] = rows["indicator_id"].map(lambda i: json.dumps(load_ids.get(i, [])))
    for column in publish.PUBLISHED_COLUMNS:
        if column not in rows.columns:
            rows[column] = None
    order = {ind.id: ind.order for ind in framework.indicators}
    rows = rows.assign(_order=rows["indicator_id"].map(order)).sort_values(
        ["_order", "area_type", "area_code", "breakdown", "breakdown_value", "period_end"]
    )
    return rows[publish.PUBLISHED_COLUMNS].reset_index(drop=True)
