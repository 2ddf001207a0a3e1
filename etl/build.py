"""`python -m etl build`: every partner file in the inbox -> a new warehouse, swapped in whole.

Steps, in order:
1. find the deliveries: every file in the inbox whose name matches a contract; identical files
   (same sha256) load once; other files are listed as not recognised;
2. for each contract table (two tables at a time, on their own connections): read its
   deliveries into DuckDB (etl/incoming.py), check them in one pass and land them (etl/land.py):
   landed rows go to raw_<table> with provenance (file, sha256, row, load id, received time),
   rejected rows to `rejects` with column, value and reason, and for every delivery rows read =
   rows landed + rows rejected; then rank the deliveries, create the stg_<table> view of the
   current rows and record the revisions between deliveries (etl/revisions.py);
3. add the load log, the reference tables and the sources, and check the row accounting again;
4. swap the new file in. A file that cannot be read at all stops the build before step 4:
   the live warehouse is untouched and every such file is named in the error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import conform, reference
from etl.contract import Source, load_contracts, tables_for_file
from etl.land import Delivery, check_and_land, read_deliveries
from etl.periods import next_period_end, period_end
from etl.readers import DEFAULT_MAX_FILE_MB
from etl.revisions import REVISIONS_DDL, SUPERSESSION_DDL, build_staging, record_revisions
from etl.validate import landed_columns, q
from etl.warehouse import building

PARALLEL_TABLES = max(2, os.cpu_count() or 1)  # tables loaded at once
IGNORED_SUFFIXES = {".txt", ".md", ".pdf", ".json"}
DEMO_MARKER = "DEMO_DATA.txt"


class BuildFailed(Exception):
    """The build stopped; the live warehouse is unchanged. The message lists every reason."""


@dataclass
class BuildReport:
    loads: list[dict] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    top_reasons: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    demo: bool = False
    seconds: float = 0.0


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_deliveries(
    inbox: Path, sources: list[Source], report: BuildReport, received_by: dt.datetime | None = None
) -> list[Delivery]:
    if not inbox.is_dir():
        raise BuildFailed(f"the inbox {inbox} does not exist or is not a folder")
    deliveries, seen = [], {}
    for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() in IGNORED_SUFFIXES:
            continue
        tables = tables_for_file(path.name, sources)
        if not tables:
            report.unrecognised.append(path.name)
            continue
        digest = sha256_of(path)
        if digest in seen:
            report.duplicates.append((path.name, seen[digest]))
            continue
        seen[digest] = path.name
        received = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
        if received_by is not None and received > received_by:
            continue  # rebuilding the warehouse as it stood on an earlier day
        deliveries.append(Delivery(path, digest, received, tuple(tables)))
    # Load in the order the files arrived, so raw tables read as the history they are.
    return sorted(deliveries, key=lambda d: (d.received, d.path.name))


def create_schema(con, sources: list[Source]) -> None:
    conform.install(con)
    for source in sources:
        for table in source.tables:
            columns = ", ".join(f"{q(n)} {t}" for n, t in landed_columns(table))
            con.execute(
                f"CREATE TABLE {q('raw_' + table.name)} ({columns}, _load_id VARCHAR, _file VARCHAR, "
                f"_sha256 VARCHAR, _row BIGINT, _received TIMESTAMP)"
            )
    con.execute("""CREATE TABLE rejects (source VARCHAR, table_name VARCHAR, file VARCHAR, load_id VARCHAR,
                   row_number BIGINT, record BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)""")
    con.execute("""CREATE TABLE load_log (load_id VARCHAR, source VARCHAR, table_name VARCHAR, file VARCHAR,
                   sha256 VARCHAR, received TIMESTAMP, encoding VARCHAR, rows_read BIGINT, rows_landed BIGINT,
                   rows_rejected BIGINT, ignored_columns VARCHAR, first_period VARCHAR, last_period VARCHAR,
                   due_date DATE, late BOOLEAN)""")
    con.execute(REVISIONS_DDL)
    con.execute(SUPERSESSION_DDL)


def add_sources_table(con, sources: list[Source], today: dt.date) -> None:
    """One row per table: who sends it, what has arrived, and when the next delivery is due."""
    con.execute("""CREATE TABLE sources (source VARCHAR, table_name VARCHAR, partner_en VARCHAR, partner_cy VARCHAR,
                   system VARCHAR, cadence VARCHAR, due_days_after_period_end INTEGER, supersede VARCHAR,
                   notes VARCHAR, deliveries BIGINT, last_received TIMESTAMP, latest_period VARCHAR,
                   covered_to DATE, next_period_end DATE, next_due DATE)""")
    arrived = {
        name: rest
        for name, *rest in con.execute(
            "SELECT table_name, count(DISTINCT load_id), max(received), max(last_period) FROM load_log GROUP BY ALL"
        ).fetchall()
    }
    rows = []
    for source in sources:
        for table in source.tables:
            deliveries, last_received, latest = arrived.get(table.name, (0, None, None))
            cadence = table.cadence or source.cadence
            covered_to = None
            if latest is not None:
                covered_to = period_end(latest)
            elif last_received is not None:
                # A whole extract covers up to the last full period before it was taken.
                covered_to = _last_period_end_before(cadence, last_received.date())
            next_end = next_period_end(cadence, covered_to) if covered_to else None
            due_days = table.due_days_after_period_end or source.due_days_after_period_end
            rows.append(
                {
                    "source": source.id,
                    "table_name": table.name,
                    "partner_en": source.partner_en,
                    "partner_cy": source.partner_cy,
                    "system": source.system,
                    "cadence": cadence,
                    "due_days_after_period_end": due_days,
                    "supersede": table.supersede,
                    "notes": source.notes,
                    "deliveries": deliveries,
                    "last_received": last_received,
                    "latest_period": latest,
                    "covered_to": covered_to,
                    "next_period_end": next_end,
                    "next_due": next_end + dt.timedelta(days=due_days) if next_end else None,
                }
            )
    _insert_rows(con, "sources", rows)


def _last_period_end_before(cadence: str, day: dt.date) -> dt.date:
    end = next_period_end(cadence, day - dt.timedelta(days=400))
    while True:
        following = next_period_end(cadence, end)
        if following >= day:
            return end
        end = following


def build(
    inbox: Path,
    warehouse: Path,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    progress: bool = True,
    today: dt.date | None = None,
    received_by: dt.datetime | None = None,
) -> BuildReport:
    """Build a new warehouse from every file in the inbox and swap it in; see the module doc."""
    import time

    from tqdm import tqdm

    started = time.perf_counter()
    sources = load_contracts()
    report = BuildReport(demo=(Path(inbox) / DEMO_MARKER).exists())
    deliveries = find_deliveries(Path(inbox), sources, report, received_by)
    problems: list[str] = []
    with (
        building(Path(warehouse)) as con,
        tqdm(
            total=sum(len(d.tables) for d in deliveries),
            desc="loading partner files",
            unit="file",
            disable=not progress,
        ) as bar,
    ):
        create_schema(con, sources)
        work = [
            (table, source, [d for d in deliveries if table in d.tables])
            for source in sources
            for table in source.tables
        ]
        # One table per core at once (at least two), each on a connection of its own (temp
        # tables are per connection), largest first, with DuckDB on one thread per statement
        # while they run. Measured on two cores: about 20% faster than two threads per statement
        # at demo scale 1, where most of a statement's time is planning (one core anyway), and
        # within the run-to-run noise at scales 10 and 22.
        work.sort(key=lambda w: -sum(d.path.stat().st_size for d in w[2]))
        advance = lambda: bar.update()  # noqa: E731
        threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
        con.execute("SET threads = 1")
        try:
            with ThreadPoolExecutor(max_workers=PARALLEL_TABLES) as pool:
                results = list(pool.map(lambda w: _load_table(con, *w, max_file_mb, advance), work))
        finally:
            con.execute(f"SET threads = {int(threads)}")
        for loads, table_problems in results:
            report.loads.extend(loads)
            problems.extend(table_problems)
        if problems:
            raise BuildFailed(
                "\n".join(
                    ["these files cannot be read, so the warehouse was not changed:"]
                    + [f"  - {p}" for p in problems]
                )
            )
        # The load log reads as the history it is: in the order the files arrived.
        report.loads.sort(key=lambda e: (e["received"], e["file"], e["table_name"]))
        _insert_rows(con, "load_log", report.loads)
        _only_first_delivery_is_late(con)
        late = {
            (load, table): flag
            for load, table, flag in con.execute("SELECT load_id, table_name, late FROM load_log").fetchall()
        }
        for entry in report.loads:
            entry["late"] = late[(entry["load_id"], entry["table_name"])]
        reference.load(con)
        add_sources_table(con, sources, today or dt.date.today())
        report.top_reasons = _top_reasons(con)
        report.seconds = time.perf_counter() - started
        _write_build_info(con, inbox, report, received_by)
        _check_invariant(con)
    report.seconds = time.perf_counter() - started
    for source in sources:
        if not any(entry["source"] == source.id for entry in report.loads):
            report.warnings.append(f"no deliveries from {source.partner_en} ({source.id}) in the inbox")
    return report


def _load_table(
    con, table, source: Source, deliveries: list[Delivery], max_file_mb: float, advance
) -> tuple[list[dict], list[str]]:
    """Read, check and land one table's deliveries, then work out its current rows and
    revisions, on a connection of its own."""
    problems: list[str] = []
    # Statements commit one by one: the CSV fast path relies on a failed read leaving nothing
    # behind, which inside a transaction would abort it.
    cursor = con.cursor()
    try:
        read = read_deliveries(cursor, table, deliveries, max_file_mb, problems, advance)
        if problems:
            return [], problems  # the build fails; reading on has named every unreadable file
        try:
            loads = check_and_land(cursor, table, source, read)
            build_staging(cursor, table)
            record_revisions(cursor, table)
            return loads, []
        except duckdb.Error as error:
            return [], [
                f"{table.name}: the files {', '.join(d.path.name for d, _ in read)} "
                f"could not be checked: {error}"
            ]
    finally:
        cursor.close()


def _insert_rows(con, table_name: str, rows: list[dict]) -> None:
    """Insert dicts by column name in one statement (executemany costs a statement per row)."""
    if not rows:
        return
    import pyarrow as pa

    con.register("_rows", pa.Table.from_pylist(rows))
    try:
        con.execute(f"INSERT INTO {q(table_name)} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def _only_first_delivery_is_late(con) -> None:
    """A corrected resubmission of a period that arrived on time is a revision, not a late delivery."""
    con.execute("""UPDATE load_log l SET late = false
                   WHERE late AND EXISTS (SELECT 1 FROM load_log e WHERE e.table_name = l.table_name
                                          AND e.last_period = l.last_period AND e.received < l.received)""")


def _top_reasons(con) -> dict[str, list[tuple[str, int]]]:
    rows = con.execute("""SELECT table_name, reason, count(DISTINCT (file, record)) AS n FROM rejects
                          GROUP BY ALL ORDER BY table_name, n DESC, reason""").fetchall()
    reasons: dict[str, list[tuple[str, int]]] = {}
    for table_name, reason, n in rows:
        reasons.setdefault(table_name, []).append((reason, n))
    return reasons


def _write_build_info(con, inbox: Path, report: BuildReport, received_by: dt.datetime | None) -> None:
    con.execute("CREATE TABLE build_info (key VARCHAR, value VARCHAR)")
    con.executemany(
        "INSERT INTO build_info VALUES (?, ?)",
        [
            ("built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            ("inbox", str(Path(inbox).resolve())),
            ("demo_data", "true" if report.demo else "false"),
            ("unrecognised_files", json.dumps(report.unrecognised)),
            ("duplicate_files", json.dumps(report.duplicates)),
            ("duckdb_version", duckdb.__version__),
            ("received_by", "" if received_by is None else received_by.isoformat()),
        ],
    )


def _check_invariant(con) -> None:
    """rows read = rows landed + rows rejected, for every load, checked against the tables."""
    broken = con.execute("""
        WITH landed AS (SELECT load_id, table_name, count(DISTINCT record) AS rejected_rows
                        FROM rejects GROUP BY ALL)
        SELECT l.file, l.table_name, l.rows_read, l.rows_landed, COALESCE(r.rejected_rows, 0)
        FROM load_log l LEFT JOIN landed r USING (load_id, table_name)
        WHERE l.rows_read <> l.rows_landed + COALESCE(r.rejected_rows, 0)""").fetchall()
    if broken:
        raise BuildFailed(f"row accounting failed (rows read <> landed + rejected): {broken}")
    for (table_name,) in con.execute("SELECT DISTINCT table_name FROM load_log").fetchall():
        per_load = con.execute(
            f"SELECT _load_id, count(*) FROM {q('raw_' + table_name)} GROUP BY 1"
        ).fetchall()
        logged = dict(
            con.execute(
                "SELECT load_id, rows_landed FROM load_log WHERE table_name = ?", [table_name]
            ).fetchall()
        )
        for load_id, count in per_load:
            if logged.get(load_id) != count:
                raise BuildFailed(f"row accounting failed for {table_name} load {load_id}")
