"""Keep last quarter's published vintage beside the latest one, so the Board page and the board
pack have a quarter to compare with on the demo data (and on a fresh deployment).

For the quarter before the latest vintage, this rebuilds the warehouse as it stood a month after
that quarter ended (only files received by then: `python -m etl build --received-by`), publishes
that quarter (`python -m indicators build --reporting-end`) into a scratch folder and copies the
vintage file into <published folder>/vintages/. The live published file is never touched. Does
nothing when that vintage is already kept.

    python scripts/demo_vintages.py --inbox data/inbox --published data/build/published.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def previous_quarter_end(reporting_end: dt.date) -> dt.date:
    first_of_quarter = dt.date(reporting_end.year, ((reporting_end.month - 1) // 3) * 3 + 1, 1)
    return first_of_quarter - dt.timedelta(days=1)


def keep_previous(inbox: Path, published: Path, quarters: int = 1) -> list[Path]:
    import duckdb

    from etl.build import build as build_warehouse
    from indicators.build import build as publish
    from indicators.publish import vintage_path

    con = duckdb.connect(str(published), read_only=True)
    try:
        reporting_end = con.execute("SELECT reporting_end FROM vintage").fetchall()[0][0]
    finally:
        con.close()
    kept = []
    for _ in range(quarters):
        reporting_end = previous_quarter_end(reporting_end)
        from etl.periods import quarter_of

        target = vintage_path(published.parent, quarter_of(reporting_end))
        if target.exists():
            kept.append(target)
            continue
        received_by = dt.datetime.combine(reporting_end + dt.timedelta(days=32), dt.time(23, 59, 59))
        with tempfile.TemporaryDirectory(prefix="vintage-") as scratch:
            scratch = Path(scratch)
            build_warehouse(inbox, scratch / "warehouse.duckdb", progress=False, received_by=received_by)
            report = publish(scratch / "warehouse.duckdb", scratch / "published", reporting_end)
            made = vintage_path(scratch / "published", report.vintage)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.copy")
            shutil.copyfile(made, temporary)
            temporary.replace(target)
        kept.append(target)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", type=Path, default=ROOT / "data" / "inbox")
    parser.add_argument("--published", type=Path, default=ROOT / "data" / "build" / "published.duckdb")
    parser.add_argument("--quarters", type=int, default=1, help="how many earlier quarters to keep")
    args = parser.parse_args(argv)
    if not args.published.exists():
        print(f"error: no published file at {args.published}: run `make published` first", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        kept = keep_previous(args.inbox, args.published, args.quarters)
    except Exception as failure:  # noqa: BLE001 - one clear line for the Makefile, not a traceback
        print(f"error: could not build the earlier vintage: {failure}", file=sys.stderr)
        return 1
    print(f"earlier vintages kept: {', '.join(p.name for p in kept)} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
