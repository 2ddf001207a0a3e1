"""Command line: `python -m reports boardpack --quarter 2026-27Q2 --language cy --out pack.pdf`.

Writes the strategy board's pack for a quarter (default: the latest complete one) as PDF, or as
accessible HTML when --out ends in .html. A quarter with no published figures, one before the
first kept vintage or one not kept exits with a message and a non-zero status.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reports", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    pack = commands.add_parser("boardpack", help="the strategy board's pack for a quarter (PDF or HTML)")
    pack.add_argument("--quarter", default="", help="e.g. 2026-27Q2 (empty: the latest complete quarter)")
    pack.add_argument("--language", default="en", choices=["en", "cy"], help="en (English) or cy (Cymraeg)")
    pack.add_argument(
        "--out", type=Path, required=True, help="file to write: .pdf, or .html for the HTML pack"
    )
    pack.add_argument(
        "--published",
        type=Path,
        default=None,
        help="published file whose folder holds vintages/ (default: PEH_PUBLISHED or data/build)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.published:
        os.environ["PEH_PUBLISHED"] = str(args.published)
    # The app's data module caches with Streamlit; outside a running app it says so on every call.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    from dashboard import data
    from dashboard.i18n import t
    from dashboard.queries_board import BoardInputError
    from reports.pack import build, to_pdf

    started = time.perf_counter()
    try:
        pack = build(args.quarter or None, args.language)
    except BoardInputError as problem:
        print("error: " + t("board.error_" + problem.key, args.language, **problem.values), file=sys.stderr)
        return 1
    except data.NoData as missing:
        print(f"error: no published file at {missing}: run `make published` first", file=sys.stderr)
        return 1
    out = args.out
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".html", ".htm"):
        out.write_text(pack.html, encoding="utf-8")
    else:
        out.write_bytes(to_pdf(pack.html))
    print(
        f"board pack for {pack.diff.vintage} ({args.language}) -> {out} in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
