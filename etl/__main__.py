"""Command line: `python -m etl demo ...` writes demo extracts; `python -m etl build ...` loads them.

Errors a user can act on are printed as one clear message with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.paths import DEFAULT_INBOX, DEFAULT_WAREHOUSE
from etl.readers import DEFAULT_MAX_FILE_MB


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="write realistic demo partner extracts (synthetic data)")
    demo.add_argument(
        "--out", type=Path, default=DEFAULT_INBOX, help=f"folder to write to (default {DEFAULT_INBOX})"
    )
    demo.add_argument("--seed", type=int, default=20260401, help="random seed (same seed, same files)")
    demo.add_argument("--scale", type=float, default=1.0, help="multiply volumes (22 is about all of Wales)")
    build = commands.add_parser("build", help="load every extract in the inbox into a new warehouse")
    build.add_argument(
        "--inbox", type=Path, default=DEFAULT_INBOX, help=f"partner files (default {DEFAULT_INBOX})"
    )
    build.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help=f"warehouse file (default {DEFAULT_WAREHOUSE})",
    )
    build.add_argument(
        "--max-file-mb", type=float, default=DEFAULT_MAX_FILE_MB, help="refuse files larger than this"
    )
    build.add_argument(
        "--received-by",
        type=_moment,
        default=None,
        help="only files received by then (YYYY-MM-DD[THH:MM]): the warehouse as it stood that day",
    )
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _moment(text: str):
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date or date-time: {text!r} (expected e.g. 2026-08-01)"
        ) from None
    return moment.replace(hour=23, minute=59, second=59) if len(text) == 10 else moment


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from etl.demo import generate

        if args.scale <= 0:
            print("error: --scale must be above 0", file=sys.stderr)
            return 2
        written = generate(args.out, seed=args.seed, scale=args.scale)
        print(
            f"wrote {len(written)} demo partner files to {args.out} (seed {args.seed}, scale {args.scale:g})"
        )
        return 0
    from etl.build import BuildFailed, build
    from etl.summary import render

    try:
        report = build(
            args.inbox,
            args.warehouse,
            max_file_mb=args.max_file_mb,
            progress=not args.quiet,
            received_by=args.received_by,
        )
    except BuildFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    print(render(report))
    print(f"warehouse: {args.warehouse}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
