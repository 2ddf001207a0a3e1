"""ETL throughput at several demo scales, against DuckDB's own CSV reader on the same files.

For each scale: write the demo extracts, run the whole ETL build (read, check, conform, land,
supersede, revisions, swap) and, separately, read every CSV file with DuckDB's read_csv into a
table (all text, no checks): the bare cost of getting the bytes into DuckDB. Prints rows per
second and the ratio ETL / bare read. Usage:

    .venv/bin/python benchmarks/etl_throughput.py [--scales 1 10 22] [--keep DIR]
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


def bare_read_seconds(inbox: Path) -> tuple[float, int, int]:
    """Seconds for DuckDB to read every CSV in the inbox into tables, rows read, files read."""
    con = duckdb.connect()
    started = time.perf_counter()
    rows = files = 0
    for i, path in enumerate(sorted(inbox.glob("*.csv"))):
        if path.name.startswith("dwp_"):
            continue        # Stat-Xplore exports are not plain tables; left out of both sides' ratio
        options = "all_varchar = true, header = true, null_padding = true"
        try:
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, {options})", [str(path)])
        except duckdb.Error:
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, {options}, encoding = 'latin-1')",
                        [str(path)])
        rows += con.execute(f"SELECT count(*) FROM t{i}").fetchall()[0][0]
        files += 1
    return time.perf_counter() - started, rows, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 22])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    print(f"{'scale':>5} {'loads':>5} {'rows read':>11} {'generate s':>10} {'ETL s':>7} {'ETL rows/s':>11} "
          f"{'CSV rows':>10} {'ETL on CSV s':>12} {'bare read s':>11} {'ratio':>6}")
    for scale in args.scales:
        work = Path(tempfile.mkdtemp(prefix=f"etl_bench_{scale:g}_"))
        try:
            started = time.perf_counter()
            generate(work / "inbox", seed=20260401, scale=scale)
            generated = time.perf_counter() - started
            etl_times, reports = [], []
            for _ in range(args.repeats):
                started = time.perf_counter()
                reports.append(build(work / "inbox", work / "warehouse.duckdb", progress=False))
                etl_times.append(time.perf_counter() - started)
            report, etl = reports[-1], min(etl_times)
            rows = sum(entry["rows_read"] for entry in report.loads)
            bare, bare_rows, files = bare_read_seconds(work / "inbox")
            # Like for like: the ETL's time loading the CSV files (read, check, land), plus the
            # whole of its shared work (supersession, revisions, swap), against the bare read.
            per_load = sum(e["seconds"] for e in report.loads)
            csv_loads = sum(e["seconds"] for e in report.loads
                            if e["file"].endswith(".csv") and not e["file"].startswith("dwp_"))
            etl_csv = csv_loads + (report.seconds - per_load)
            print(f"{scale:>5g} {len(report.loads):>5} {rows:>11,} {generated:>10.1f} {etl:>7.1f} {rows / etl:>11,.0f} "
                  f"{bare_rows:>10,} {etl_csv:>12.2f} {bare:>11.2f} {etl_csv / bare:>6.1f}")
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
