"""Command line: `python -m indicators build` computes the framework and publishes it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from etl.paths import DATA, DEFAULT_WAREHOUSE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="compute every indicator and write the published file")
    build.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    build.add_argument(
        "--out", type=Path, default=DATA / "build", help="folder for published.duckdb and vintages/"
    )
    build.add_argument(
        "--reporting-end",
        type=dt.date.fromisoformat,
        default=None,
        help="last day reported on (default: end of the last full quarter before the latest delivery)",
    )
    args = parser.parse_args(argv)
    from indicators.build import PublishFailed
    from indicators.build import build as run

    try:
        report = run(args.warehouse, args.out, args.reporting_end)
    except PublishFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    print(
        f"published {len(report.published)} indicators, {report.rows:,} values "
        f"({report.withheld:,} withheld by disclosure control) for {report.vintage} "
        f"(to {report.reporting_end}) in {report.seconds:.1f} s -> {report.path}"
    )
    for _indicator_id, problem in report.problems.items():
        print(f"not published: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
