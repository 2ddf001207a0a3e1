"""Row-level checks compiled from a contract into one DuckDB query.

For each column the contract's type gives two SQL expressions: the conformed value, and the
problem (a message, or NULL when the cell is fine). The query collects every problem of a row
into a list, so a partner hears about all of them at once; a row with any problem is rejected
and lands in the rejects table with the column, the value sent and the reason.

Checks run in DuckDB rather than row by row in Python: at all-Wales volumes (scale 22, a million
rows a file) the whole ETL must stay within a small multiple of DuckDB's own CSV read.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import Column, Table

SQL_TYPES = {
    "text": "VARCHAR", "count": "BIGINT", "number": "DOUBLE", "money": "DECIMAL(12, 2)",
    "date": "DATE", "month": "DATE", "quarter": "VARCHAR", "financial_year": "VARCHAR",
    "academic_year": "VARCHAR", "school_term": "VARCHAR", "ward": "VARCHAR", "category": "VARCHAR",
}

EXPECTED = {
    "date": "a date such as 31/03/2024 or 2024-03-31",
    "month": "a month such as 2024-03 or Mar-24",
    "quarter": "a quarter such as 2024-25 Q1",
    "financial_year": "a financial year such as 2024-25",
    "academic_year": "an academic year such as 2024/25",
    "school_term": "a term such as Autumn 2024",
    "number": "a number",
    "money": "an amount of money such as 1,234.56",
}

TOTALS_LABELS = ("total", "totals", "grand total", "total:", "totals:", "all wards", "wrexham total")


def q(name: str) -> str:
    """Quote an identifier (contract names are plain, but never trust that in SQL text)."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def raw(column: Column) -> str:
    return f"s.{q(column.name)}"


# Types whose conforming is costly (regular expressions, several date formats, look-ups) but
# whose cells take few distinct values: they are conformed once per distinct value and joined
# back, which keeps the checks close to the speed of reading the file.
BY_DISTINCT_VALUE = {"date", "month", "quarter", "financial_year", "academic_year", "school_term",
                     "ward", "category"}


def conformed_expr(column: Column, ward_alias: str, r: str | None = None) -> str:
    """SQL giving the conformed value of a column (NULL when it cannot be conformed)."""
    r = r or raw(column)
    t = column.type
    if t == "text":
        return f"NULLIF(trim({r}), '')"
    if t == "count":
        value = f"parse_number({r})"
        return f"CASE WHEN {value} >= 0 AND {value} = floor({value}) THEN CAST({value} AS BIGINT) END"
    if t == "number":
        return f"parse_number({r})"
    if t == "money":
        return f"conform_money({r})"
    if t in ("date", "month", "quarter", "financial_year", "academic_year", "school_term"):
        return f"conform_{t}({r})"
    if t == "ward":
        return f"{ward_alias}.ward_code"
    if t == "category":
        whens = []
        for code, labels in column.allowed.items():
            keys = sorted({_norm(code)} | {_norm(label) for label in labels})
            whens.append(f"WHEN norm_label({r}) IN ({', '.join(lit(k) for k in keys)}) THEN {lit(code)}")
        return f"CASE {' '.join(whens)} END"
    raise AssertionError(t)


def _norm(text: str) -> str:
    from etl.conform import norm_label
    return norm_label(text)


def problem_expr(column: Column, value: str, r: str | None = None) -> str:
    """SQL giving the reason a cell is rejected, or NULL. `value` is the conformed expression."""
    r = r or raw(column)
    blank = f"({r} IS NULL OR trim({r}) = '')"
    parts = [f"WHEN starts_with(ltrim({r}), '=') THEN 'a formula, not a value: send the value'"]
    if column.small_count_marker:
        parts.append(f"WHEN trim({r}) = {lit(column.small_count_marker)} THEN NULL")
    if column.required:
        parts.append(f"WHEN {blank} THEN 'missing value'")
    else:
        parts.append(f"WHEN {blank} THEN NULL")
    t = column.type
    if t == "count":
        number = f"parse_number({r})"
        parts += [f"WHEN {number} IS NULL THEN 'not a number'",
                  f"WHEN {number} < 0 THEN 'negative count'",
                  f"WHEN {number} <> floor({number}) THEN 'not a whole number'"]
    elif t == "ward":
        parts.append(f"WHEN {value} IS NULL THEN 'unknown ward (not a code, English or Welsh name of a Wrexham ward)'")
    elif t == "category":
        labels = sorted({label for labels in column.allowed.values() for label in labels})
        shown = "; ".join(labels)
        parts.append(f"WHEN {value} IS NULL THEN {lit('not one of the accepted values: ' + shown)}")
    elif t in EXPECTED:
        parts.append(f"WHEN {value} IS NULL THEN {lit('not ' + EXPECTED[t])}")
    if column.min is not None:
        bound = _bound(column, column.min)
        parts.append(f"WHEN {value} < {bound} THEN {lit(f'before the earliest accepted ({column.min})' if _is_dateish(column) else f'below the minimum ({column.min})')}")
    if column.max is not None:
        bound = _bound(column, column.max)
        parts.append(f"WHEN {value} > {bound} THEN {lit(f'after the latest accepted ({column.max})' if _is_dateish(column) else f'above the maximum ({column.max})')}")
    return "CASE " + " ".join(parts) + " END"


def _is_dateish(column: Column) -> bool:
    return column.type in ("date", "month")


def _bound(column: Column, bound) -> str:
    return f"DATE {lit(bound)}" if _is_dateish(column) else str(float(bound))


def period_expr(table: Table, alias: str = "") -> str:
    """SQL giving a row's period, for by_period supersession (columns qualified by alias)."""
    column = (f"{alias}." if alias else "") + q(table.period_column)
    if table.period_grain == "quarter":
        return f"fy_quarter_of({column})"
    if table.period_grain == "month":
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"CAST({column} AS VARCHAR)"


def _distinct_sql(column: Column) -> str:
    """SQL conforming a table `_distinct(i, raw)` of one column's distinct raw values."""
    r = "d.raw"
    join = ""
    if column.type == "ward":
        code = f"NULLIF(lower(regexp_extract({r}, '[Ww]05[0-9]{{6}}')), '')"
        join = f"LEFT JOIN ward_lookup w ON w.label_key = COALESCE({code}, norm_label({r}))"
    value = conformed_expr(column, "w", r)
    # A totals row says "Total" in some label column: the ward, a category, or the period.
    totals = f"lower(trim({r})) IN ({', '.join(lit(t) for t in TOTALS_LABELS)})"
    return (f"SELECT CAST({value} AS {SQL_TYPES[column.type]}) AS value, {problem_expr(column, value, r)} AS problem, "
            f"COALESCE({totals}, false) AS is_totals FROM _distinct d {join} ORDER BY d.i")


def conform_distinct_values(con, cells: pa.Table, table: Table) -> pa.Table:
    """Add value__/problem__/totals__ columns for the costly columns, conforming each distinct
    raw value once in DuckDB and spreading the answers back with Arrow (no join on the rows)."""
    for column in table.columns:
        if column.type not in BY_DISTINCT_VALUE:
            continue
        encoded = pc.dictionary_encode(cells.column(column.name), null_encoding="encode").combine_chunks()
        distinct = pa.table({"i": pa.array(range(len(encoded.dictionary)), type=pa.int64()),
                             "raw": encoded.dictionary})
        con.register("_distinct", distinct)
        try:
            answers = con.sql(_distinct_sql(column)).to_arrow_table()
        finally:
            con.unregister("_distinct")
        indices = encoded.indices
        for name in ("value", "problem", "is_totals"):
            cells = cells.append_column(f"{name}__{column.name}", pc.take(answers.column(name), indices))
    return cells


def checking_sql(table: Table, incoming: str) -> str:
    """One SELECT over the incoming text table giving conformed columns and a list of problems.

    `incoming` must already carry the columns conform_distinct_values() adds."""
    selects, problems, totals = [], [], []
    for i, column in enumerate(table.columns):
        if column.type in BY_DISTINCT_VALUE:
            # conformed beforehand by conform_distinct_values()
            value, problem = f"s.{q('value__' + column.name)}", f"s.{q('problem__' + column.name)}"
            totals.append(f"s.{q('is_totals__' + column.name)}")
        else:
            value = conformed_expr(column, "")
            problem = problem_expr(column, value)
            if column.type == "text":
                totals.append(f"lower(trim({raw(column)})) IN ({', '.join(lit(t) for t in TOTALS_LABELS)})")
        selects.append(f"CAST({value} AS {SQL_TYPES[column.type]}) AS {q(column.name)}")
        selects.append(f"{raw(column)} AS {q('raw__' + column.name)}")
        selects.append(f"{problem} AS {q('problem__' + column.name)}")
        if column.small_count_marker:
            selects.append(f"COALESCE(trim({raw(column)}) = {lit(column.small_count_marker)}, false) "
                           f"AS {q(column.name + '_suppressed')}")
    raw_cells = [raw(c) for c in table.columns]
    # The reader turns empty cells into NULL, so a blank row is one whose cells are all NULL.
    all_blank = " AND ".join(f"{c} IS NULL" for c in raw_cells)
    is_totals = " OR ".join(f"COALESCE({t}, false)" for t in totals) or "false"
    clean = []
    for column in table.columns:
        problems.append(f"{{'column': {lit(column.name)}, 'reason': {q('problem__' + column.name)}, "
                        f"'value': {q('raw__' + column.name)}}}")
        clean.append(f"{q('problem__' + column.name)} IS NULL")
    for rule in table.rules:
        # A rule over a cell that is already wrong is not judged (its value is NULL): the cell's
        # own problem is the one reported.
        problems.append(f"{{'column': {lit(rule.column)}, 'reason': CASE WHEN ({rule.check}) IS FALSE "
                        f"THEN {lit(rule.message)} END, 'value': CAST({q(rule.column)} AS VARCHAR)}}")
        clean.append(f"({rule.check}) IS NOT FALSE")
    dup_keys = ", ".join(f"{q(k)} AS {q('_key' + str(i))}" for i, k in enumerate(table.key))
    dup_join = " AND ".join(f"d.{q('_key' + str(i))} IS NOT DISTINCT FROM j.{q(k)}" for i, k in enumerate(table.key))
    return f"""
WITH conformed AS (
    SELECT s._row, s._record,
           ({all_blank}) AS _blank,
           ({is_totals}) AS _totals,
           {', '.join(selects)}
    FROM {incoming} s
),
judged AS (
    SELECT *,
           CASE WHEN _blank THEN [{{'column': NULL, 'reason': 'blank row', 'value': NULL}}]
                WHEN _totals THEN [{{'column': NULL, 'reason': 'totals row (totals are worked out from the rows, not taken from the file)', 'value': NULL}}]
                -- nearly every row is clean: only rows with a problem build the list of them
                WHEN {' AND '.join(clean)} THEN []
                ELSE list_filter([{', '.join(problems)}], lambda p: p.reason IS NOT NULL) END AS _problems
    FROM conformed
),
dups AS (
    -- keys held by more than one otherwise valid row (a hash aggregate: far cheaper than a
    -- window over every row, and almost always empty)
    SELECT {dup_keys}, min(_record) AS _first_record, min(_row) AS _first_row
    FROM judged WHERE len(_problems) = 0
    GROUP BY ALL HAVING count(*) > 1
)
SELECT {landed_select(table)}, j._row, j._record,
       CASE WHEN len(j._problems) = 0 AND d._first_record IS NOT NULL AND d._first_record <> j._record
            THEN [{{'column': {lit(table.key[0])}, 'reason': 'duplicate key: the same {", ".join(table.key)} as row ' || d._first_row, 'value': CAST(j.{q(table.key[0])} AS VARCHAR)}}]
            ELSE j._problems END AS _problems
FROM judged j LEFT JOIN dups d ON {dup_join}
"""


def landed_columns(table: Table) -> list[tuple[str, str]]:
    """(name, SQL type) of the typed columns a table lands with, before provenance."""
    columns = []
    for column in table.columns:
        columns.append((column.name, SQL_TYPES[column.type]))
        if column.type == "ward":
            columns.append((column.name + "_as_sent", "VARCHAR"))
        if column.small_count_marker:
            columns.append((column.name + "_suppressed", "BOOLEAN"))
    return columns


def landed_select(table: Table, alias: str = "j") -> str:
    """Expressions (over the judged rows) for landed_columns, in order."""
    out = []
    for column in table.columns:
        out.append(f"{alias}.{q(column.name)}")
        if column.type == "ward":
            out.append(f"{alias}.{q('raw__' + column.name)} AS {q(column.name + '_as_sent')}")
        if column.small_count_marker:
            out.append(f"{alias}.{q(column.name + '_suppressed')}")
    return ", ".join(out)
