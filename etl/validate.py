"""Row-level checks compiled from a contract into DuckDB SQL, run once per table.

For each column the contract's type gives two SQL expressions: the conformed value, and the
problem (a message, or NULL when the cell is fine). Costly conforming (dates, periods, wards,
categories) runs once per distinct value (conform_column_sql) and is joined back. checked_sql
gives every row its typed values, its problems and `_clean`; clean rows land, unless dups_sql
finds their key repeating an earlier row's. problems_sql lists every problem of each rejected
row, so a partner hears about all of them at once, with the column, the value sent and why.

Checks run in DuckDB rather than row by row in Python (or with a dataframe validation library):
at all-Wales volumes (scale 22, a million rows a file) the whole ETL must stay within a small
multiple of DuckDB's own CSV read.
"""

from __future__ import annotations

from etl.contract import Column, Table

SQL_TYPES = {
    "text": "VARCHAR",
    "count": "BIGINT",
    "number": "DOUBLE",
    "money": "DECIMAL(12, 2)",
    "date": "DATE",
    "month": "DATE",
    "quarter": "VARCHAR",
    "financial_year": "VARCHAR",
    "academic_year": "VARCHAR",
    "school_term": "VARCHAR",
    "ward": "VARCHAR",
    "category": "VARCHAR",
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
BY_DISTINCT_VALUE = {
    "date",
    "month",
    "quarter",
    "financial_year",
    "academic_year",
    "school_term",
    "ward",
    "category",
}


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
        parts += [
            f"WHEN {number} IS NULL THEN 'not a number'",
            f"WHEN {number} < 0 THEN 'negative count'",
            f"WHEN {number} <> floor({number}) THEN 'not a whole number'",
        ]
    elif t == "ward":
        parts.append(
            f"WHEN {value} IS NULL THEN 'unknown ward (not a code, English or Welsh name of a Wrexham ward)'"
        )
    elif t == "category":
        labels = sorted({label for labels in column.allowed.values() for label in labels})
        shown = "; ".join(labels)
        parts.append(f"WHEN {value} IS NULL THEN {lit('not one of the accepted values: ' + shown)}")
    elif t in EXPECTED:
        parts.append(f"WHEN {value} IS NULL THEN {lit('not ' + EXPECTED[t])}")
    if column.min is not None:
        bound = _bound(column, column.min)
        parts.append(
            f"WHEN {value} < {bound} THEN {lit(f'before the earliest accepted ({column.min})' if _is_dateish(column) else f'below the minimum ({column.min})')}"
        )
    if column.max is not None:
        bound = _bound(column, column.max)
        parts.append(
            f"WHEN {value} > {bound} THEN {lit(f'after the latest accepted ({column.max})' if _is_dateish(column) else f'above the maximum ({column.max})')}"
        )
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


def conform_column_sql(column: Column, incoming: str) -> str:
    """SQL creating `_conform__<column>`: each distinct raw value of the column, once, with its
    conformed value, its problem and whether it reads as a totals label."""
    r = "d.raw"
    join = ""
    if column.type == "ward":
        code = f"NULLIF(lower(regexp_extract({r}, '[Ww]05[0-9]{{6}}')), '')"
        join = f"LEFT JOIN ward_lookup w ON w.label_key = COALESCE({code}, norm_label({r}))"
    value = conformed_expr(column, "w", r)
    # A totals row says "Total" in some label column: the ward, a category, or the period.
    totals = f"lower(trim({r})) IN ({', '.join(lit(t) for t in TOTALS_LABELS)})"
    # The value is worked out once, in the inner query, and the problem judged from it: the
    # conforming macros are costly to plan, so they are not written out twice.
    return (
        f"CREATE OR REPLACE TEMP TABLE {q(conform_table(column))} AS "
        f"SELECT raw, value, {problem_expr(column, 'value', 'raw')} AS problem, is_totals FROM ("
        f"SELECT d.raw, CAST({value} AS {SQL_TYPES[column.type]}) AS value, "
        f"COALESCE({totals}, false) AS is_totals "
        f"FROM (SELECT DISTINCT {q(column.name)} AS raw FROM {incoming}) d {join})"
    )


def conform_table(column: Column) -> str:
    return f"_conform__{column.name}"


def checked_sql(table: Table, incoming: str) -> str:
    """One SELECT over a table's incoming text cells giving, per row, the conformed (typed) values,
    each column's problem (NULL when fine), whether it is a blank or totals row, and `_clean`:
    no problem at all, so the row lands (unless its key repeats an earlier row's; see dups_sql).

    Costly columns are conformed once per distinct value (conform_column_sql) and joined back
    on the raw text; the join's build side is a few hundred values, so it costs little."""
    inner, joins, totals, problems = [], [], [], []
    for i, column in enumerate(table.columns):
        if column.type in BY_DISTINCT_VALUE:
            k = f"k{i}"
            joins.append(
                f"LEFT JOIN {q(conform_table(column))} {k} ON {k}.raw IS NOT DISTINCT FROM {raw(column)}"
            )
            value, problem = f"{k}.value", f"{k}.problem"
            totals.append(f"{k}.is_totals")
        else:
            value = conformed_expr(column, "")
            problem = problem_expr(column, value)
            if column.type == "text":
                totals.append(f"lower(trim({raw(column)})) IN ({', '.join(lit(t) for t in TOTALS_LABELS)})")
        inner.append(f"CAST({value} AS {SQL_TYPES[column.type]}) AS {q(column.name)}")
        inner.append(f"{problem} AS {q('problem__' + column.name)}")
        if column.type == "ward":
            inner.append(f"{raw(column)} AS {q(column.name + '_as_sent')}")
        if column.small_count_marker:
            inner.append(
                f"COALESCE(trim({raw(column)}) = {lit(column.small_count_marker)}, false) "
                f"AS {q(column.name + '_suppressed')}"
            )
        problems.append(f"{q('problem__' + column.name)} IS NULL")
    # The reader turns empty cells into NULL, so a blank row is one whose cells are all NULL.
    blank = " AND ".join(f"{raw(c)} IS NULL" for c in table.columns)
    is_totals = " OR ".join(f"COALESCE({t}, false)" for t in totals) or "false"
    # A rule over a cell that is already wrong is not judged (its value is NULL): the cell's own
    # problem is the one reported.
    broken = [f"COALESCE(({rule.check}) IS FALSE, false) AS _rule{i}" for i, rule in enumerate(table.rules)]
    clean = problems + [f"NOT _rule{i}" for i in range(len(table.rules))]
    return f"""
SELECT *, NOT _blank AND NOT _totals AND {" AND ".join(clean)} AS _clean
FROM (
SELECT *{"".join(", " + b for b in broken)}
FROM (
    SELECT s._load, s._row, s._record, ({blank}) AS _blank, ({is_totals}) AS _totals, {", ".join(inner)}
    FROM {incoming} s {" ".join(joins)}
))"""


def dups_sql(table: Table, checked: str) -> str:
    """Clean rows whose key repeats an earlier clean row's in the same delivery: (load, record,
    row, key value shown, row of the first). A hash aggregate over the keys, almost always empty."""
    keys = ", ".join(q(k) for k in table.key)
    same = " AND ".join(f"c.{q(k)} IS NOT DISTINCT FROM f.{q(k)}" for k in table.key)
    return f"""
WITH firsts AS (
    SELECT _load, {keys}, min(_record) AS _first_record, arg_min(_row, _record) AS _first_row
    FROM {checked} WHERE _clean GROUP BY ALL HAVING count(*) > 1
)
SELECT c._load, c._record, c._row, CAST(c.{q(table.key[0])} AS VARCHAR) AS value, f._first_row
FROM {checked} c JOIN firsts f ON c._load = f._load AND {same}
WHERE c._clean AND c._record <> f._first_record"""


def problems_sql(table: Table, bad: str, incoming: str) -> str:
    """One row per problem of each rejected row: (load, row, record, column, value, reason).

    `bad` holds the checked rows that are not clean (few); their raw text comes from `incoming`."""
    listed = []
    for column in table.columns:
        listed.append(
            f"{{'column': {lit(column.name)}, 'reason': b.{q('problem__' + column.name)}, "
            f"'value': i.{q(column.name)}}}"
        )
    for i, rule in enumerate(table.rules):
        listed.append(
            f"{{'column': {lit(rule.column)}, 'reason': CASE WHEN b._rule{i} "
            f"THEN {lit(rule.message)} END, 'value': CAST(b.{q(rule.column)} AS VARCHAR)}}"
        )
    blank = "[{'column': NULL, 'reason': 'blank row', 'value': NULL}]"
    totals = (
        "[{'column': NULL, 'reason': 'totals row (totals are worked out from the rows, not taken "
        "from the file)', 'value': NULL}]"
    )
    return f"""
SELECT _load, _row, _record, p.column AS column_name, p.value, p.reason
FROM (
    SELECT b._load, b._row, b._record,
           unnest(CASE WHEN b._blank THEN {blank} WHEN b._totals THEN {totals}
                       ELSE list_filter([{", ".join(listed)}], lambda p: p.reason IS NOT NULL) END) AS p
    FROM {bad} b JOIN {incoming} i ON i._load = b._load AND i._record = b._record
)"""


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


def landed_select(table: Table) -> str:
    """The landed columns, by name, as checked_sql() gives them."""
    return ", ".join(q(name) for name, _ in landed_columns(table))
