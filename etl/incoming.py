"""Get the cells of a table's deliveries into DuckDB, so the checks run once per table.

`_incoming` holds, for one contract table, every delivery's cells as text (NULL for a blank
cell) under the contract's column names, plus `_load` (which delivery: an index into the
build's list), `_row` (the row a person opening the file would see; the header is row 1) and
`_record` (unique within the delivery: a Stat-Xplore row holds several records).

A CSV file in UTF-8 takes the fast path: DuckDB's own CSV reader, told the layout (no sniffing),
inserts it straight into `_incoming`. Everything else is read by etl/readers.py into Arrow and
copied in: workbooks, Stat-Xplore exports, CSV files in another encoding, and CSV files with a
malformed line (too many or too few cells), which the standard library re-reads so the partner
is told exact row numbers. The two paths give the same cells; tests/test_etl_incoming.py checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.contract import Table
from etl.readers import UTF8_BOM, FileProblem, check_size, csv_headers, map_headers, read_table
from etl.validate import lit, q

INCOMING = "_incoming"
HEAD_BYTES = 65536


@dataclass
class FileCells:
    """What reading one delivery found, beyond the cells themselves."""

    rows: int  # records put into _incoming
    encoding: str
    headers_found: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    ragged_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, text) of malformed lines


def create_incoming(con, table: Table) -> None:
    columns = ", ".join(f"{q(c.name)} VARCHAR" for c in table.columns)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {INCOMING} ({columns}, _load INTEGER, _row BIGINT, _record BIGINT)"
    )


def read_into_incoming(con, load: int, path: Path, table: Table, max_file_mb: float) -> FileCells:
    """Put one delivery's cells into _incoming as load number `load`; FileProblem if unreadable."""
    if not path.exists():
        raise FileProblem(f"{path}: the file does not exist")
    if table.format == "csv":
        fast = _land_csv_fast(con, load, path, table, max_file_mb)
        if fast is not None:
            return fast
    cells = read_table(path, table, max_file_mb)
    con.register("_arrow_cells", cells.cells)
    try:
        names = ", ".join(q(c.name) for c in table.columns)
        con.execute(f"INSERT INTO {INCOMING} SELECT {names}, {int(load)}, _row, _record FROM _arrow_cells")
    finally:
        con.unregister("_arrow_cells")
    return FileCells(
        cells.cells.num_rows, cells.encoding, cells.headers_found, cells.ignored_headers, cells.ragged_rows
    )


def _land_csv_fast(con, load: int, path: Path, table: Table, max_file_mb: float) -> FileCells | None:
    """DuckDB's CSV reader straight into _incoming, or None when the file needs the careful reader.

    The header line is judged here (delimiter, duplicated or missing columns), so those messages
    are the same on both paths; anything DuckDB would skip or mis-number goes the careful way."""
    check_size(path, max_file_mb)
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    if b"\x00" in head or not head.strip(b" \t\r\n" + UTF8_BOM):
        return None  # binary or empty: the careful reader says which
    encoding = "utf-8-sig" if head.startswith(UTF8_BOM) else "utf-8"
    end = head.find(b"\n")
    if end < 0:
        return None
    try:
        header_line = head[len(UTF8_BOM) if encoding == "utf-8-sig" else 0 : end].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    headers = csv_headers(path, header_line)
    positions, ignored = map_headers(path.name, headers, table)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    cells = ", ".join(f"c{positions[c.name]}" if c.name in positions else "NULL" for c in table.columns)
    # The layout is given, not sniffed. In strict mode a line DuckDB cannot read as the layout
    # says (a wrong number of cells, bytes that are not UTF-8, a stray quote) fails the statement,
    # which inserts nothing; the file then goes to the careful reader, which names the line.
    read = (
        f"read_csv({lit(str(path))}, columns = {columns}, header = false, skip = 1, delim = ',', "
        "quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, encoding = 'utf-8')"
    )
    # row_number() over the reader's output runs as a streaming window, in file order.
    try:
        rows = con.execute(
            f"INSERT INTO {INCOMING} SELECT {cells}, {int(load)}, row_number() OVER () + 1, "
            f"row_number() OVER () - 1 FROM {read}"
        ).fetchall()[0][0]
    except duckdb.Error:
        return None
    return FileCells(rows, encoding, headers, ignored)
