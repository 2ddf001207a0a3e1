"""Reference lookups the checks conform against: wards (codes, names, aliases) and SQL macros.

Wards are matched on the ONS code anywhere in the text ('W05001713 Acrefair North'), else on the
English name, the Welsh name or a known alias (data/reference/ward_aliases.csv), ignoring case,
spaces, hyphens and '&'. A label that could mean two wards is refused rather than guessed.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
MACROS_SQL = Path(__file__).resolve().parent / "conform.sql"


def norm_label(text: str) -> str:
    """Python twin of the SQL macro norm_label (kept identical; tested together)."""
    return re.sub(r"[^a-z0-9<>]", "", text.strip().replace("&", "and").lower())


def ward_lookup_rows(reference_dir: Path = REFERENCE_DIR) -> list[tuple[str, str]]:
    """(normalised label, ward code) pairs; labels claimed by two wards are dropped."""
    claims: dict[str, set[str]] = {}
    with open(reference_dir / "wards.csv", encoding="utf-8") as f:
        for ward in csv.DictReader(f):
            code = ward["ward_code"]
            for label in (code, ward["name_en"], ward["name_cy"]):
                claims.setdefault(norm_label(label), set()).add(code)
    with open(reference_dir / "ward_aliases.csv", encoding="utf-8") as f:
        for alias in csv.DictReader(f):
            claims.setdefault(norm_label(alias["alias"]), set()).add(alias["ward_code"])
    return sorted((label, codes.pop()) for label, codes in claims.items() if len(codes) == 1)


def install(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """Create the conforming macros and the ward_lookup table in a warehouse connection."""
    con.execute(MACROS_SQL.read_text(encoding="utf-8"))
    con.execute(
        "CREATE OR REPLACE TABLE ward_lookup (label_key VARCHAR PRIMARY KEY, ward_code VARCHAR NOT NULL)"
    )
    labels, codes = zip(*ward_lookup_rows(reference_dir))
    # One statement, not one per row: unnest() zips the two lists.
    con.execute(
        "INSERT INTO ward_lookup SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [list(labels), list(codes)],
    )
