"""The app's only door to data: the published, disclosure-controlled DuckDB file.

- read-only connections with external file access disabled and the configuration locked, so
  no query can reach another file;
- one cursor per query (a DuckDB connection refuses a second thread), results fully
  materialised as DataFrames, parameters always bound;
- cached results keyed on the file's version (inode, size, modification time), so a newly
  published file is picked up on the next rerun without restarting the server;
- no Streamlit: the pages and the HTTP API (api/, served by the same process) share this module,
  its connections and its cache;
- `?vintage=` opens a kept quarterly file; the value is matched against the files that exist,
  never joined into a path.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
VINTAGE_ID = re.compile(r"^\d{4}-\d{2}-Q[1-4]$")


class NoData(Exception):
    """The published file is missing: the app shows how to build it."""


def published_path() -> Path:
    """The live published file (PEH_PUBLISHED overrides the default, for deployments and tests)."""
    return Path(os.environ.get("PEH_PUBLISHED", ROOT / "data" / "build" / "published.duckdb"))


def vintage_files() -> dict[str, Path]:
    """Kept vintages by id ('2026-27-Q2'), newest first."""
    folder = published_path().parent / "vintages"
    if not folder.is_dir():
        return {}
    found = {p.stem: p for p in folder.glob("*.duckdb") if VINTAGE_ID.match(p.stem)}
    return dict(sorted(found.items(), reverse=True))


def path_for(vintage: str | None) -> Path:
    if vintage:
        kept = vintage_files()
        if vintage in kept:
            return kept[vintage]
    return published_path()


def version(path: Path) -> tuple:
    try:
        s = path.stat()
    except FileNotFoundError:
        raise NoData(str(path)) from None
    return (s.st_ino, s.st_size, s.st_mtime_ns)


# Plain (Streamlit-free) caches, so the HTTP API in the same process shares the connections and
# results with the pages. Both are keyed on the file's version, so a swapped-in file is a miss.
_lock = threading.Lock()
_connections: OrderedDict[tuple, duckdb.DuckDBPyConnection] = OrderedDict()
_results: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
MAX_CONNECTIONS = 8
MAX_RESULTS = 512


def _connection(path: str, file_version: tuple) -> duckdb.DuckDBPyConnection:
    key = (path, file_version)
    with _lock:
        con = _connections.get(key)
        if con is None:
            con = duckdb.connect(
                path, read_only=True, config={"enable_external_access": False, "lock_configuration": True}
            )
            _connections[key] = con
            while len(_connections) > MAX_CONNECTIONS:
                # Dropped, not closed: a query on another thread may still hold a cursor on it.
                _connections.popitem(last=False)
        else:
            _connections.move_to_end(key)
        return con


def _query(path: str, file_version: tuple, sql: str, params: tuple) -> pd.DataFrame:
    key = (path, file_version, sql, params)
    with _lock:
        cached = _results.get(key)
        if cached is not None:
            _results.move_to_end(key)
    if cached is None:
        cursor = _connection(path, file_version).cursor()
        try:
            cached = cursor.execute(sql, list(params)).df()
        finally:
            cursor.close()
        with _lock:
            _results[key] = cached
            while len(_results) > MAX_RESULTS:
                _results.popitem(last=False)
    # A copy, as st.cache_data gave: callers may add columns without touching the cache.
    return cached.copy()


def clear_cache() -> None:
    """Forget every cached result and connection (tests)."""
    with _lock:
        _results.clear()
        _connections.clear()


def query(sql: str, params: tuple = (), vintage: str | None = None) -> pd.DataFrame:
    """Run a read-only query on the published file (or a vintage) and return a DataFrame."""
    path = path_for(vintage)
    return _query(str(path), version(path), sql, tuple(params))


# --- named queries: everything the pages read ------------------------------------------------


def vintage_info(vintage: str | None = None) -> dict:
    frame = query("SELECT * FROM vintage", vintage=vintage)
    return frame.iloc[0].to_dict()


def indicators(vintage: str | None = None) -> pd.DataFrame:
    return query("SELECT * FROM indicator ORDER BY display_order", vintage=vintage)


def outcome_areas(vintage: str | None = None) -> pd.DataFrame:
    return query("SELECT * FROM outcome_area", vintage=vintage)


def services(vintage: str | None = None) -> pd.DataFrame:
    return query("SELECT * FROM service", vintage=vintage)


def wards(vintage: str | None = None) -> pd.DataFrame:
    return query("SELECT * FROM ward ORDER BY name_en", vintage=vintage)


def values(
    indicator_id: str, area_code: str | None = None, breakdown: str = "all", vintage: str | None = None
) -> pd.DataFrame:
    """Published values of one indicator (all periods), optionally for one area."""
    sql = "SELECT * FROM indicator_value WHERE indicator_id = ? AND breakdown = ?"
    params: list = [indicator_id, breakdown]
    if area_code:
        sql += " AND area_code = ?"
        params.append(area_code)
    return query(sql + " ORDER BY period_end, area_code, breakdown_value", tuple(params), vintage)


def breakdown_values(indicator_id: str, vintage: str | None = None) -> pd.DataFrame:
    return query(
        """SELECT * FROM indicator_value WHERE indicator_id = ? AND breakdown <> 'all'
                    ORDER BY breakdown, period_end, breakdown_value""",
        (indicator_id,),
        vintage,
    )


def latest_values(area_code: str = "W06000006", vintage: str | None = None) -> pd.DataFrame:
    """Each indicator's latest row with a figure (published or withheld) for one area: a
    period whose data has not arrived ('x') does not hide the last known figure."""
    return query(
        """
        SELECT v.* FROM indicator_value v
        WHERE v.area_code = ? AND v.breakdown = 'all' AND v.note_codes NOT LIKE '%x%'
        QUALIFY row_number() OVER (PARTITION BY v.indicator_id ORDER BY v.period_end DESC) = 1""",
        (area_code,),
        vintage,
    )


def latest_wales_comparison(vintage: str | None = None) -> pd.DataFrame:
    """Each indicator's most recent Wrexham row that was compared with Wales (Wales publishes
    some figures once a year, so the latest period often has none)."""
    return query(
        """
        SELECT v.indicator_id, v.period, v.compared_to_wales, v.value, v.wales_value FROM indicator_value v
        WHERE v.area_code = 'W06000006' AND v.breakdown = 'all' AND v.compared_to_wales <> 'not compared'
        QUALIFY row_number() OVER (PARTITION BY v.indicator_id ORDER BY v.period_end DESC) = 1""",
        vintage=vintage,
    )


def series(area_code: str = "W06000006", vintage: str | None = None) -> pd.DataFrame:
    """Every indicator's 'all' series for one area (sparklines)."""
    return query(
        """SELECT indicator_id, period, period_end, value FROM indicator_value
                    WHERE area_code = ? AND breakdown = 'all' ORDER BY indicator_id, period_end""",
        (area_code,),
        vintage,
    )


def ward_latest(vintage: str | None = None) -> pd.DataFrame:
    """The latest period's ward rows of every ward-level indicator (the tartan rug, maps)."""
    return query(
        """
        SELECT v.* FROM indicator_value v
        WHERE v.area_type = 'ward' AND v.breakdown = 'all'
          AND v.period_end = (SELECT max(period_end) FROM indicator_value w
                              WHERE w.indicator_id = v.indicator_id AND w.area_type = 'ward')""",
        vintage=vintage,
    )


def table(name: str, vintage: str | None = None) -> pd.DataFrame:
    """A whole support table (load_summary, reject_reasons, source_status, benchmark_source)."""
    allowed = {"load_summary", "reject_reasons", "source_status", "benchmark_source", "partner"}
    if name not in allowed:
        raise ValueError(f"not a published support table: {name}")
    return query(f'SELECT * FROM "{name}"', vintage=vintage)
