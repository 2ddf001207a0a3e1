"""ETL throughput at several demo scales, against DuckDB's own CSV reader on the same files.

For each scale it writes the demo extracts, then times:
- the whole ETL build over the whole inbox (read, check, conform, land, supersede, revisions,
  swap): rows per second;
- the whole ETL build over the plain CSV files only (the same files as the bare read, so the
  two sides of the ratio do the same reading; workbooks and Stat-Xplore exports are left out);
- the bare read: DuckDB's read_csv of each of those CSV files into a table (all text, no
  checks), once into an in-memory database and once into a database file (then checkpointed),
  because the ETL's job ends with the rows in a file.
The ratio is ETL on the CSV files / bare read. Usage:

    .venv/bin/python benchmarks/etl_throughput.py [--scales 1 10 22] [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.build import build  # noqa: E402
from etl.demo import generate  # noqa: E402


def plain_csv_files(inbox: Path) -> list[Path]:
    # Stat-Xplore exports are not plain tables (title and footnote lines around a crosstab).
    return [p for p in sorted(inbox.glob("*.csv")) if not p.name.startswith("dwp_")]


def bare_read_seconds(files: list[Path], database: str) -> tuple[float, int]:
    """Seconds for DuckDB to read every file into its own table, and the rows read."""
    con = duckdb.connect(database)
    started = time.perf_counter()
    rows = 0
    for i, path in enumerate(files):
        options = "all_varchar = true, header = true, null_padding = true"
        try:
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, {options})", [str(path)])
        except duckdb.Error:
            con.execute(
                f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, {options}, encoding = 'latin-1')",
                [str(path)],
            )
        rows += con.execute(f"SELECT count(*) FROM t{i}").fetchall()[0][0]
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started, rows


def timed_build(inbox: Path, warehouse: Path, repeats: int):
    times, report = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        report = build(inbox, warehouse, progress=False)
        times.append(time.perf_counter() - started)
    return min(times), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 22])
    parser.add_argument(
        "--repeats", type=int, default=1, help="runs of each side per scale; the fastest of each is shown"
    )
    args = parser.parse_args()
    print(
        f"{'scale':>5} {'files':>5} {'rows read':>11} {'ETL s':>7} {'rows/s':>9} | {'CSV rows':>10} "
        f"{'ETL CSV s':>9} {'bare mem s':>10} {'bare file s':>11} {'ratio mem':>9} {'ratio file':>10}"
    )
    for scale in args.scales:
        work = Path(tempfile.mkdtemp(prefix=f"etl_bench_{scale:g}_"))
        try:
            generate(work / "inbox", seed=20260401, scale=scale)
            etl, report = timed_build(work / "inbox", work / "warehouse.duckdb", args.repeats)
            rows = sum(entry["rows_read"] for entry in report.loads)
            files = plain_csv_files(work / "inbox")
            csv_inbox = work / "csv_inbox"
            csv_inbox.mkdir()
            for path in files:
                shutil.copy2(path, csv_inbox / path.name)  # keeps the received time
            etl_csv, csv_report = timed_build(csv_inbox, work / "csv_warehouse.duckdb", args.repeats)
            # Each side gets the same number of runs and shows its fastest.
            bare_mem, bare_rows = min(bare_read_seconds(files, ":memory:") for _ in range(args.repeats))
            bare_file = min(
                bare_read_seconds(files, str(work / f"bare{i}.duckdb"))[0] for i in range(args.repeats)
            )
            csv_rows = sum(entry["rows_read"] for entry in csv_report.loads)
            if csv_rows != bare_rows:  # blank lines and malformed lines are counted differently
                print(f"note: the ETL read {csv_rows:,} CSV rows, the bare read {bare_rows:,}")
            print(
                f"{scale:>5g} {len(report.loads):>5} {rows:>11,} {etl:>7.1f} {rows / etl:>9,.0f} | "
                f"{csv_rows:>10,} {etl_csv:>9.2f} {bare_mem:>10.2f} {bare_file:>11.2f} "
                f"{etl_csv / bare_mem:>9.1f} {etl_csv / bare_file:>10.1f}",
                flush=True,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
