"""Framework build time (warehouse -> published file) at demo scales.

For each scale: write demo extracts, build the warehouse (not timed here: see
etl_throughput.py), then time `indicators build` (every indicator's SQL, checks, disclosure
control, values, comparisons, trends, SPC, writing and swapping the published file). Usage:

    .venv/bin/python benchmarks/framework_build.py [--scales 1 22] [--repeats 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.build import build as build_warehouse  # noqa: E402
from etl.demo import generate  # noqa: E402
from indicators.build import build as publish  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 22])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'scale':>5} {'indicators':>10} {'values':>9} {'withheld':>9} {'median s':>9} {'min s':>7} {'max s':>7}"
    )
    for scale in args.scales:
        work = Path(tempfile.mkdtemp(prefix=f"framework_bench_{scale:g}_"))
        try:
            generate(work / "inbox", seed=20260401, scale=scale)
            build_warehouse(work / "inbox", work / "warehouse.duckdb", progress=False)
            times, report = [], None
            for _ in range(args.repeats):
                started = time.perf_counter()
                report = publish(work / "warehouse.duckdb", work / "published")
                times.append(time.perf_counter() - started)
            print(
                f"{scale:>5g} {len(report.published):>10} {report.rows:>9,} {report.withheld:>9,} "
                f"{statistics.median(times):>9.1f} {min(times):>7.1f} {max(times):>7.1f}"
            )
            for problem in report.problems.values():
                print(f"      not published: {problem}")
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
