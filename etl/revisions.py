"""Supersession (which delivery's rows are current) and revisions (what a later delivery changed).

full_refresh: each delivery is a whole extract; the latest replaces all earlier ones.
by_period:    the latest delivery holding a period replaces that period's rows.
Deliveries are ordered by received time, then file name, so the result never depends on the
order files were listed in. `supersession` records every delivery of every period with its rank
(1 = current); stg_<table> is a view of raw_<table> keeping the current rows, so the rows are
stored once (as dbt's staging models are views). Revisions compare each delivery with the one it
superseded, key by key, for every consecutive pair in the history (a period corrected twice shows
both changes).
"""

from __future__ import annotations

from etl.contract import Table
from etl.validate import landed_columns, lit, period_expr, q

SUPERSESSION_DDL = """
CREATE TABLE supersession (
    table_name VARCHAR, period VARCHAR, load_id VARCHAR, file VARCHAR, received TIMESTAMP, rank BIGINT
)"""

REVISIONS_DDL = """
CREATE TABLE revisions (
    source VARCHAR, table_name VARCHAR, record_key VARCHAR, period VARCHAR, column_name VARCHAR,
    old_value VARCHAR, new_value VARCHAR, change VARCHAR,
    old_load_id VARCHAR, new_load_id VARCHAR, old_file VARCHAR, new_file VARCHAR
)"""


def compared_columns(table: Table) -> list[str]:
    """Columns whose change is a revision: the values, not how a ward happened to be spelt."""
    return [
        name for name, _ in landed_columns(table) if name not in table.key and not name.endswith("_as_sent")
    ]


def _period_sql(table: Table, alias: str = "") -> str:
    return "'all'" if table.supersede == "full_refresh" else f"CAST({period_expr(table, alias)} AS VARCHAR)"


def build_staging(con, table: Table) -> None:
    """Rank the table's deliveries per period in `supersession`; create the stg_<table> view."""
    raw_table = q("raw_" + table.name)
    con.execute(f"""
        INSERT INTO supersession
        SELECT {lit(table.name)}, _period, _load_id, _file, _received,
               dense_rank() OVER (PARTITION BY _period ORDER BY _received DESC, _file DESC)
        FROM (SELECT DISTINCT {_period_sql(table)} AS _period, _load_id, _received, _file FROM {raw_table})""")
    if table.supersede == "full_refresh":
        current = [
            row[0]
            for row in con.execute(
                "SELECT load_id FROM supersession WHERE table_name = ? AND rank = 1", [table.name]
            ).fetchall()
        ]
        # The current extract's id is written into the view, so a reader's scan skips the
        # earlier extracts' row groups by their load id alone.
        keep = f"r._load_id = {lit(current[0])}" if current else "false"
        con.execute(
            f"CREATE VIEW {q('stg_' + table.name)} AS "
            f"SELECT r.*, 'all' AS _period FROM {raw_table} r WHERE {keep}"
        )
    else:
        period = _period_sql(table, "r")
        con.execute(f"""
            CREATE VIEW {q("stg_" + table.name)} AS
            SELECT r.*, {period} AS _period FROM {raw_table} r
            SEMI JOIN (SELECT period, load_id FROM supersession WHERE table_name = {lit(table.name)} AND rank = 1) c
              ON c.load_id = r._load_id AND c.period = {period}""")


def record_revisions(con, table: Table) -> None:
    """Append this table's revisions to the revisions table (after build_staging).

    Each row of the two deliveries in a pair is reduced to hashes of its key and of its values;
    only keys whose hashes differ between the pair (changed, added or removed) are compared
    column by column. A change hidden by a 64-bit hash collision is possible in principle
    (about 1 in 10^19 per changed record) and accepted for the speed."""
    pairs = con.execute(
        """
        SELECT a.period, a.load_id, b.load_id FROM supersession a JOIN supersession b
          ON a.table_name = b.table_name AND a.period = b.period AND b.rank = a.rank + 1
        WHERE a.table_name = ?""",
        [table.name],
    ).fetchall()
    if not pairs:
        return  # nothing was superseded, so nothing can have been revised
    con.execute("CREATE OR REPLACE TEMP TABLE _pairs (_period VARCHAR, new_load VARCHAR, old_load VARCHAR)")
    con.executemany("INSERT INTO _pairs VALUES (?, ?, ?)", pairs)
    raw_table, period = q("raw_" + table.name), _period_sql(table, "r")
    keys, values = list(table.key), compared_columns(table)
    key_hash = f"hash({', '.join('r.' + q(k) for k in keys)})"
    value_hash = f"hash({', '.join('r.' + q(c) for c in values)})" if values else "0"
    loads = "SELECT new_load FROM _pairs UNION SELECT old_load FROM _pairs"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _differing AS
        WITH h AS (SELECT r._load_id, {period} AS _period, {key_hash} AS kh, {value_hash} AS vh
                   FROM {raw_table} r WHERE r._load_id IN ({loads})),
             n AS (SELECT h.*, p.old_load AS _other FROM h JOIN _pairs p ON h._period = p._period AND h._load_id = p.new_load),
             o AS (SELECT h.*, p.new_load AS _other FROM h JOIN _pairs p ON h._period = p._period AND h._load_id = p.old_load)
        SELECT DISTINCT COALESCE(n._period, o._period) AS _period, COALESCE(n.kh, o.kh) AS kh
        FROM n FULL OUTER JOIN o
          ON n._period = o._period AND n._other = o._load_id AND o._other = n._load_id AND n.kh = o.kh
        WHERE n.vh IS DISTINCT FROM o.vh""")
    if con.execute("SELECT count(*) FROM _differing").fetchall()[0][0] == 0:
        return
    side = lambda s: ", ".join(f"{s}.{q(c)} AS {q(s + '__' + c)}" for c in keys + values)  # noqa: E731
    same_key = " AND ".join(f"n.{q(k)} IS NOT DISTINCT FROM o.{q(k)}" for k in keys)
    record_key = " || '|' || ".join(
        f"'{k}=' || COALESCE(CAST(COALESCE({q('n__' + k)}, {q('o__' + k)}) AS VARCHAR), '')" for k in keys
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _paired AS
        WITH rows AS (SELECT r.*, {period} AS _period FROM {raw_table} r
                      SEMI JOIN _differing d ON d._period = {period} AND d.kh = {key_hash}
                      WHERE r._load_id IN ({loads})),
        n AS (SELECT r.*, p.old_load AS _other FROM rows r
              JOIN _pairs p ON r._period = p._period AND r._load_id = p.new_load),
        o AS (SELECT r.*, p.new_load AS _other FROM rows r
              JOIN _pairs p ON r._period = p._period AND r._load_id = p.old_load)
        SELECT COALESCE(n._period, o._period) AS period,
               n._load_id AS new_load_id, o._load_id AS old_load_id,
               n._file AS new_file, o._file AS old_file, {side("n")}, {side("o")}
        FROM n FULL OUTER JOIN o
          ON n._period = o._period AND n._other = o._load_id AND o._other = n._load_id AND {same_key}""")
    head = f"SELECT {lit(table.source)}, {lit(table.name)}, {record_key}, period"
    tail = "old_load_id, new_load_id, old_file, new_file FROM _paired"
    parts = [
        f"""{head}, {lit(c)}, CAST({q("o__" + c)} AS VARCHAR), CAST({q("n__" + c)} AS VARCHAR),
                 'changed', {tail}
                 WHERE new_load_id IS NOT NULL AND old_load_id IS NOT NULL
                   AND {q("o__" + c)} IS DISTINCT FROM {q("n__" + c)}"""
        for c in values
    ]
    parts.append(f"{head}, NULL, NULL, NULL, 'removed', {tail} WHERE new_load_id IS NULL")
    if table.supersede == "by_period":
        # In a whole extract new records are expected; in a resubmitted period they are a change.
        parts.append(f"{head}, NULL, NULL, NULL, 'added', {tail} WHERE old_load_id IS NULL")
    con.execute("INSERT INTO revisions " + " UNION ALL ".join(parts))
    con.execute("DROP TABLE _paired")
