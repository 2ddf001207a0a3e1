"""Check one contract table's deliveries and land them: raw_<table>, rejects and load_log rows.

All of a table's deliveries are read into `_incoming` first (etl/incoming.py), then checked in
one pass: the statements per table stay few however many files a partner sends, and conforming
runs once per distinct value across all of them. Per delivery, the row accounting is exact:
rows read = rows landed (raw_<table>) + rows rejected (rejects), and build.py checks it again
against the tables.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from etl.contract import Source, Table
from etl.incoming import INCOMING, FileCells, create_incoming, read_into_incoming
from etl.periods import period_end
from etl.validate import (
    BY_DISTINCT_VALUE,
    checked_sql,
    conform_column_sql,
    dups_sql,
    landed_select,
    lit,
    period_expr,
    problems_sql,
    q,
)


@dataclass(frozen=True)
class Delivery:
    path: Path
    sha256: str
    received: dt.datetime
    tables: tuple[Table, ...]

    @property
    def load_id(self) -> str:
        # Derived from the content, so rebuilding from the same files gives the same ids.
        return self.sha256[:12]


def read_deliveries(
    con,
    table: Table,
    deliveries: list[Delivery],
    max_file_mb: float,
    problems: list[str],
    advance=lambda: None,
) -> list[tuple[Delivery, FileCells]]:
    """Read every delivery of the table into _incoming; unreadable files go to `problems`."""
    from etl.readers import FileProblem

    create_incoming(con, table)
    read = []
    for delivery in deliveries:
        try:
            read.append((delivery, read_into_incoming(con, len(read), delivery.path, table, max_file_mb)))
        except FileProblem as problem:
            problems.append(str(problem))
        advance()
    return read


def check_and_land(con, table: Table, source: Source, read: list[tuple[Delivery, FileCells]]) -> list[dict]:
    """Check the cells in _incoming and land them; returns one load_log entry per delivery."""
    if not read:
        return []
    conforming = [conform_column_sql(c, INCOMING) for c in table.columns if c.type in BY_DISTINCT_VALUE]
    if conforming:
        con.execute(";\n".join(conforming))
    con.execute(f"CREATE OR REPLACE TEMP TABLE _checked AS {checked_sql(table, INCOMING)}")
    files = [d.path.name for d, _ in read]
    load_ids = [d.load_id for d, _ in read]
    con.execute(f"CREATE OR REPLACE TEMP TABLE _dups AS {dups_sql(table, '_checked')}")
    dups = dict(con.execute("SELECT _load, count(*) FROM _dups GROUP BY _load").fetchall())
    not_a_dup = ""
    if dups:
        not_a_dup = "AND NOT EXISTS (SELECT 1 FROM _dups d WHERE d._load = c._load AND d._record = c._record)"
    # Provenance is constant per delivery: looked up by _load in lists bound once per table.
    con.execute(
        f"""
        INSERT INTO {q("raw_" + table.name)}
        SELECT {landed_select(table)}, (?::VARCHAR[])[_load + 1], (?::VARCHAR[])[_load + 1],
               (?::VARCHAR[])[_load + 1], _row, (?::TIMESTAMP[])[_load + 1]
        FROM _checked c WHERE _clean {not_a_dup}""",
        [load_ids, files, [d.sha256 for d, _ in read], [d.received for d, _ in read]],
    )
    _record_rejects(con, table, files, load_ids, read, dups)
    return _load_entries(con, table, source, read, dups)


def _record_rejects(
    con,
    table: Table,
    files: list[str],
    load_ids: list[str],
    read: list[tuple[Delivery, FileCells]],
    dups: dict[int, int],
) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _bad AS SELECT * FROM _checked WHERE NOT _clean")
    head = [table.source, table.name, files, load_ids]
    con.execute(
        f"""
        INSERT INTO rejects
        SELECT ?, ?, (?::VARCHAR[])[_load + 1], (?::VARCHAR[])[_load + 1], _row, _record, column_name, value, reason
        FROM ({problems_sql(table, "_bad", INCOMING)}) ORDER BY _load, _record""",
        head,
    )
    if dups:
        con.execute(
            f"""
            INSERT INTO rejects
            SELECT ?, ?, (?::VARCHAR[])[_load + 1], (?::VARCHAR[])[_load + 1], _row, _record, {lit(table.key[0])},
                   value, {lit(f"duplicate key: the same {', '.join(table.key)} as row ")} || _first_row
            FROM _dups ORDER BY _load, _record""",
            head,
        )
    for load, (_, cells) in enumerate(read):
        for i, (row_number, text) in enumerate(cells.ragged_rows):
            # Malformed lines never reached the checks; they get records numbered after the rest.
            con.execute(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                [
                    table.source,
                    table.name,
                    files[load],
                    load_ids[load],
                    row_number,
                    cells.rows + i,
                    text,
                    f"wrong number of cells (expected {len(cells.headers_found)})",
                ],
            )


def _load_entries(
    con, table: Table, source: Source, read: list[tuple[Delivery, FileCells]], dups: dict[int, int]
) -> list[dict]:
    period = period_expr(table) if table.supersede == "by_period" else "NULL"
    counts = {
        load: (n, clean, first, last)
        for load, n, clean, first, last in con.execute(f"""
        SELECT _load, count(*), count(*) FILTER (_clean),
               CAST(min({period}) FILTER (_clean) AS VARCHAR), CAST(max({period}) FILTER (_clean) AS VARCHAR)
        FROM _checked GROUP BY _load""").fetchall()
    }
    entries = []
    for load, (delivery, cells) in enumerate(read):
        n, clean, first, last = counts.get(load, (0, 0, None, None))
        landed = clean - dups.get(load, 0)
        rows_read = n + len(cells.ragged_rows)
        due = None
        if last is not None:
            due_days = table.due_days_after_period_end or source.due_days_after_period_end
            due = period_end(last) + dt.timedelta(days=due_days)
        entries.append(
            {
                "load_id": delivery.load_id,
                "source": table.source,
                "table_name": table.name,
                "file": delivery.path.name,
                "sha256": delivery.sha256,
                "received": delivery.received,
                "encoding": cells.encoding,
                "rows_read": rows_read,
                "rows_landed": landed,
                "rows_rejected": rows_read - landed,
                "ignored_columns": json.dumps(cells.ignored_headers),
                "first_period": first,
                "last_period": last,
                "due_date": due,
                "late": None if due is None else delivery.received.date() > due,
            }
        )
    return entries
