"""Supersession (which delivery's rows are current) and revisions (what a later delivery changed).

full_refresh: each delivery is a whole extract; the latest replaces all earlier ones.
by_period:    the latest delivery holding a period replaces that period's rows.
Deliveries are ordered by received time, then file name, so the result never depends on the
order files were listed in. Revisions compare each delivery with the one it superseded, key by
key, for every consecutive pair in the history (a period corrected twice shows both changes).
"""
from __future__ import annotations

from etl.contract import Table
from etl.validate import landed_columns, period_expr, q


def compared_columns(table: Table) -> list[str]:
    """Columns whose change is a revision: the values, not how a ward happened to be spelt."""
    return [name for name, _ in landed_columns(table)
            if name not in table.key and not name.endswith("_as_sent")]


def _period_sql(table: Table, alias: str = "") -> str:
    return "'all'" if table.supersede == "full_refresh" else period_expr(table, alias)


def build_staging(con, table: Table) -> None:
    """stg_<table>: the current rows. Leaves _deliveries (period, load, rank; 1 = current)."""
    raw_table, period = q("raw_" + table.name), _period_sql(table)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _deliveries AS
        SELECT _period, _load_id, _file,
               dense_rank() OVER (PARTITION BY _period ORDER BY _received DESC, _file DESC) AS _rank
        FROM (SELECT DISTINCT {period} AS _period, _load_id, _received, _file FROM {raw_table})""")
    con.execute(f"""
        CREATE TABLE {q('stg_' + table.name)} AS
        SELECT r.*, {_period_sql(table, 'r')} AS _period FROM {raw_table} r
        SEMI JOIN (SELECT _period, _load_id FROM _deliveries WHERE _rank = 1) c
          ON c._load_id = r._load_id AND c._period = {_period_sql(table, 'r')}""")


def record_revisions(con, table: Table) -> None:
    """Append this table's revisions to the revisions table (needs _deliveries from build_staging)."""
    if con.execute("SELECT count(*) FROM _deliveries WHERE _rank > 1").fetchall()[0][0] == 0:
        return                  # nothing was superseded, so nothing can have been revised
    raw_table, period = q("raw_" + table.name), _period_sql(table)
    keys, values = list(table.key), compared_columns(table)
    side = lambda s: ", ".join(f"{s}.{q(c)} AS {q(s + '__' + c)}" for c in keys + values)  # noqa: E731
    same_key = " AND ".join(f"n.{q(k)} IS NOT DISTINCT FROM o.{q(k)}" for k in keys)
    record_key = " || '|' || ".join(
        f"'{k}=' || COALESCE(CAST(COALESCE({q('n__' + k)}, {q('o__' + k)}) AS VARCHAR), '')" for k in keys)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _paired AS
        WITH pairs AS (
            SELECT a._period, a._load_id AS new_load, b._load_id AS old_load
            FROM _deliveries a JOIN _deliveries b ON a._period = b._period AND b._rank = a._rank + 1
        ),
        rows AS (SELECT r.*, {_period_sql(table, 'r')} AS _period FROM {raw_table} r
                 WHERE r._load_id IN (SELECT new_load FROM pairs UNION SELECT old_load FROM pairs)),
        n AS (SELECT r.*, p.old_load AS _other FROM rows r
              JOIN pairs p ON r._period = p._period AND r._load_id = p.new_load),
        o AS (SELECT r.*, p.new_load AS _other FROM rows r
              JOIN pairs p ON r._period = p._period AND r._load_id = p.old_load)
        SELECT COALESCE(n._period, o._period) AS period,
               n._load_id AS new_load_id, o._load_id AS old_load_id,
               n._file AS new_file, o._file AS old_file, {side('n')}, {side('o')}
        FROM n FULL OUTER JOIN o
          ON n._period = o._period AND n._other = o._load_id AND o._other = n._load_id AND {same_key}""")
    head = f"SELECT '{table.source}', '{table.name}', {record_key}, period"
    tail = "old_load_id, new_load_id, old_file, new_file FROM _paired"
    parts = [f"""{head}, '{c}', CAST({q('o__' + c)} AS VARCHAR), CAST({q('n__' + c)} AS VARCHAR),
                 'changed', {tail}
                 WHERE new_load_id IS NOT NULL AND old_load_id IS NOT NULL
                   AND {q('o__' + c)} IS DISTINCT FROM {q('n__' + c)}""" for c in values]
    parts.append(f"{head}, NULL, NULL, NULL, 'removed', {tail} WHERE new_load_id IS NULL")
    if table.supersede == "by_period":
        # In a whole extract new records are expected; in a resubmitted period they are a change.
        parts.append(f"{head}, NULL, NULL, NULL, 'added', {tail} WHERE old_load_id IS NULL")
    con.execute("INSERT INTO revisions " + " UNION ALL ".join(parts))
    con.execute("DROP TABLE _paired")


REVISIONS_DDL = """
CREATE TABLE revisions (
    source VARCHAR, table_name VARCHAR, record_key VARCHAR, period VARCHAR, column_name VARCHAR,
    old_value VARCHAR, new_value VARCHAR, change VARCHAR,
    old_load_id VARCHAR, new_load_id VARCHAR, old_file VARCHAR, new_file VARCHAR
)"""
