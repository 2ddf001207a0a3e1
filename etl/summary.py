"""The table printed at the end of a build: per source, rows read, landed, rejected, top reasons."""

from __future__ import annotations

from collections import defaultdict

from etl.build import BuildReport


def render(report: BuildReport) -> str:
    per_table: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"files": 0, "read": 0, "landed": 0, "rejected": 0, "late": 0}
    )
    for entry in report.loads:
        row = per_table[(entry["source"], entry["table_name"])]
        row["files"] += 1
        row["read"] += entry["rows_read"]
        row["landed"] += entry["rows_landed"]
        row["rejected"] += entry["rows_rejected"]
        row["late"] += bool(entry["late"])
    header = f"{'source':<20} {'table':<26} {'files':>5} {'rows read':>11} {'landed':>11} {'rejected':>9} {'late':>4}  top reasons for rejecting"
    lines = [header, "-" * len(header)]
    totals = {"files": 0, "read": 0, "landed": 0, "rejected": 0}
    for (source, table), row in sorted(per_table.items()):
        reasons = "; ".join(f"{reason} ({n})" for reason, n in report.top_reasons.get(table, [])[:3])
        lines.append(
            f"{source:<20} {table:<26} {row['files']:>5} {row['read']:>11,} {row['landed']:>11,} "
            f"{row['rejected']:>9,} {row['late']:>4}  {reasons}"
        )
        for k in totals:
            totals[k] += row[k]
    lines.append("-" * len(header))
    lines.append(
        f"{'all sources':<47} {totals['files']:>5} {totals['read']:>11,} {totals['landed']:>11,} {totals['rejected']:>9,}"
    )
    rate = totals["read"] / report.seconds if report.seconds else 0
    lines.append(
        f"built in {report.seconds:.1f} s ({rate:,.0f} rows/s)" + ("  [DEMO DATA]" if report.demo else "")
    )
    for name in report.unrecognised:
        lines.append(f"note: {name} matches no source contract and was not loaded")
    for name, first in report.duplicates:
        lines.append(f"note: {name} is identical to {first} and was loaded once")
    lines.extend(f"warning: {w}" for w in report.warnings)
    return "\n".join(lines)
