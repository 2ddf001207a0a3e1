"""What the board page and the board pack read: two vintages of the published file, through
dashboard/data.py (read-only, parameters bound, cached on the file's version)."""

from __future__ import annotations

import pandas as pd

from dashboard import data
from dashboard.board_view import BoardDiff, previous_quarter, quarter_diff

BOARD_COLUMNS = """indicator_id, period, period_end, area_type, area_code, breakdown, breakdown_value,
    value, note_codes, wales_value, compared_to_wales, compared_to_wales_998, trend_judgement,
    spc_signal, target_met"""


class BoardInputError(Exception):
    """A quarter or vintage the board cannot show; `key` names the message (board.yaml)."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


def quarters() -> list[str]:
    """Kept vintages ('2026-27-Q2'), newest first; the live file's quarter is always first
    (it is kept as a vintage too, but a live file built elsewhere may not be)."""
    kept = list(data.vintage_files())
    try:
        live = data.vintage_info(None)["vintage"].replace(" ", "-")
    except data.NoData:
        return kept
    return sorted(set(kept) | {live}, reverse=True)


def _vintage_or_live(quarter: str) -> str | None:
    """The `vintage` argument for data.query: None when the quarter is the live file's."""
    if quarter in data.vintage_files():
        return quarter
    return None


def board_rows(vintage: str | None) -> pd.DataFrame:
    """Every 'all' row (Wrexham, wards, Wales) of one vintage: the columns the diff needs."""
    return data.query(
        f"SELECT {BOARD_COLUMNS} FROM indicator_value WHERE breakdown = 'all' "
        "ORDER BY indicator_id, area_code, period_end",
        vintage=vintage,
    )


def series(vintage: str | None, limit: int = 12) -> pd.DataFrame:
    """The last `limit` Wrexham figures of every indicator (the pack's small charts)."""
    return data.query(
        """
        SELECT indicator_id, period, period_end, value, note_codes FROM indicator_value
        WHERE area_code = 'W06000006' AND breakdown = 'all'
        QUALIFY row_number() OVER (PARTITION BY indicator_id ORDER BY period_end DESC) <= ?
        ORDER BY indicator_id, period_end""",
        (limit,),
        vintage,
    )


def check_quarter(quarter: str | None, available: list[str] | None = None) -> str:
    """The quarter to show ('2026-27-Q2'), or BoardInputError with a clear reason."""
    from dashboard.board_view import normalise_quarter, vintage_label

    available = quarters() if available is None else available
    if not available:
        raise BoardInputError("no_vintages")
    if quarter in (None, ""):
        return available[0]
    wanted = normalise_quarter(quarter)
    if wanted is None:
        raise BoardInputError("bad_quarter", given=str(quarter)[:40])
    if wanted in available:
        return wanted
    first, last = available[-1], available[0]
    if wanted < first:
        raise BoardInputError("before_first", quarter=vintage_label(wanted), first=vintage_label(first))
    if wanted > last:
        raise BoardInputError("after_last", quarter=vintage_label(wanted), last=vintage_label(last))
    raise BoardInputError("not_kept", quarter=vintage_label(wanted))


def board(quarter: str, lang: str) -> tuple[BoardDiff, pd.DataFrame, pd.DataFrame]:
    """The diff for a kept quarter against the quarter before it (when that was kept), with the
    indicator and outcome area tables of the quarter's vintage."""
    vintage = _vintage_or_live(quarter)
    info = data.vintage_info(vintage)
    indicators = data.indicators(vintage)
    current = board_rows(vintage)
    wrexham = current[(current["area_code"] == "W06000006")]
    if wrexham.empty or wrexham["value"].notna().sum() == 0:
        raise BoardInputError("no_data", quarter=info["vintage"])
    before_id = previous_quarter(quarter)
    previous = previous_info = previous_indicators = None
    if before_id in data.vintage_files():
        previous = board_rows(before_id)
        previous_info = data.vintage_info(before_id)
        previous_indicators = data.indicators(before_id)
    diff = quarter_diff(
        indicators,
        current,
        previous,
        info,
        previous_info,
        load_summary=data.table("load_summary", vintage),
        previous_indicators=previous_indicators,
        partners=data.table("partner", vintage),
        lang=lang,
    )
    return diff, indicators, data.outcome_areas(vintage)
