"""Run each indicator's SQL against the warehouse and check what comes back.

An indicator whose SQL fails, returns the wrong columns, duplicates a cell, has wards that do
not add up to Wrexham or breakdowns that do not add up to their total, or a numerator above its
denominator is not published: the build names the indicator and the reason (IndicatorProblem),
and its cells are marked 'x' rather than risk a wrong number.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from indicators.catalogue import Indicator

HELPERS_SQL = Path(__file__).resolve().parent / "sql" / "helpers.sql"
WREXHAM = "W06000006"
KEY = ["period", "area_code", "breakdown", "breakdown_value"]
COLUMNS = KEY + ["numerator", "denominator"]


class IndicatorProblem(Exception):
    """An indicator cannot be published; the message says which and why."""


def prepare(con: duckdb.DuckDBPyConnection, reporting_end) -> None:
    """Create the helper views on a connection to the warehouse."""
    con.execute("SET VARIABLE reporting_end = CAST(? AS DATE)", [reporting_end])
    con.execute(HELPERS_SQL.read_text(encoding="utf-8"))


def run(con: duckdb.DuckDBPyConnection, indicator: Indicator, ward_codes: set[str]) -> pd.DataFrame:
    """The indicator's rows, checked; raises IndicatorProblem."""
    try:
        frame = con.execute(indicator.sql).df()  # temp helper views live on this connection
    except duckdb.Error as error:
        raise IndicatorProblem(f"{indicator.id}: its SQL failed: {str(error).splitlines()[0]}") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise IndicatorProblem(f"{indicator.id}: its SQL returned no column(s) {', '.join(missing)}")
    if "numerator_partner_suppressed" not in frame.columns:
        frame["numerator_partner_suppressed"] = 0
    frame = frame[COLUMNS + ["numerator_partner_suppressed"]].rename(
        columns={"numerator_partner_suppressed": "partner_suppressed"}
    )
    for column in KEY:
        frame[column] = frame[column].astype("string")
    for column in ("numerator", "denominator", "partner_suppressed"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["partner_suppressed"] = frame["partner_suppressed"].fillna(0)
    check(frame, indicator, ward_codes)
    return frame


def check(frame: pd.DataFrame, indicator: Indicator, ward_codes: set[str]) -> None:
    where = indicator.id
    if frame.empty:
        raise IndicatorProblem(f"{where}: no rows (is its source missing from the warehouse?)")
    if frame[KEY].isna().any().any():
        raise IndicatorProblem(f"{where}: a row has no period, area or breakdown")
    duplicated = frame.duplicated(KEY)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise IndicatorProblem(f"{where}: more than one row for {tuple(first[KEY])}")
    unknown = set(frame["area_code"]) - ward_codes - {WREXHAM}
    if unknown:
        raise IndicatorProblem(f"{where}: unknown area codes {sorted(unknown)[:3]}")
    if indicator.lowest_geography == "wrexham" and (frame["area_code"] != WREXHAM).any():
        raise IndicatorProblem(f"{where}: returns wards but is declared Wrexham-only")
    if ((frame["breakdown"] != "all") & (frame["area_code"] != WREXHAM)).any():
        raise IndicatorProblem(f"{where}: breakdowns are published for Wrexham only")
    if (frame["numerator"] < 0).any():
        raise IndicatorProblem(f"{where}: a negative numerator")
    bad_denominator = frame["denominator"].isna() | (frame["denominator"] < 0)
    if indicator.value_type in ("proportion", "rate") and bad_denominator.any():
        raise IndicatorProblem(f"{where}: a missing or negative denominator")
    if indicator.value_type == "proportion" and (frame["numerator"] > frame["denominator"]).any():
        raise IndicatorProblem(f"{where}: a numerator above its denominator")
    _check_additive(frame, indicator)


def _check_additive(frame: pd.DataFrame, indicator: Indicator) -> None:
    """Wrexham = sum of wards and total = sum of breakdown values, exactly (disclosure control
    depends on these equations holding, and a reader expects them to)."""
    columns = ["numerator"] + (["denominator"] if indicator.value_type != "count" else [])
    totals = frame[(frame["area_code"] == WREXHAM) & (frame["breakdown"] == "all")].set_index("period")
    wards = frame[(frame["area_code"] != WREXHAM) & (frame["breakdown"] == "all")]
    if indicator.lowest_geography == "ward" and not wards.empty:
        sums = wards.groupby("period")[columns].sum(min_count=1)
        for column in columns:
            gap = (sums[column] - totals[column].reindex(sums.index)).abs()
            if (gap > 1e-6).any():
                period = gap[gap > 1e-6].index[0]
                raise IndicatorProblem(
                    f"{indicator.id}: the wards' {column}s do not add up to Wrexham's in {period}"
                )
    for breakdown, parts in frame[frame["breakdown"] != "all"].groupby("breakdown"):
        sums = parts.groupby("period")[columns].sum(min_count=1)
        for column in columns:
            gap = (sums[column] - totals[column].reindex(sums.index)).abs()
            if (gap > 1e-6).any():
                period = gap[gap > 1e-6].index[0]
                raise IndicatorProblem(
                    f"{indicator.id}: the {breakdown} {column}s do not add up to the total in {period}"
                )
