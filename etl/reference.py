"""Committed reference data (data/reference/*.csv) -> ref_* tables in the warehouse.

The files are facts and labelled estimates kept in the repository (see data/reference/README.md);
they are loaded whole on every build so the warehouse always matches the repository.
"""

from __future__ import annotations

from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# table name -> (file, explicit column types where sniffing could guess wrong)
REFERENCE_TABLES = {
    "ref_wards": (
        "wards.csv",
        {
            "ward_code": "VARCHAR",
            "name_en": "VARCHAR",
            "name_cy": "VARCHAR",
            "centroid_lon": "DOUBLE",
            "centroid_lat": "DOUBLE",
            "area_km2": "DOUBLE",
        },
    ),
    "ref_ward_deprivation": ("ward_deprivation.csv", {}),
    "ref_child_population": (
        "child_population.csv",
        {
            "mid_year": "INTEGER",
            "ward_code": "VARCHAR",
            "age_band": "VARCHAR",
            "population": "BIGINT",
            "note": "VARCHAR",
        },
    ),
    "ref_wales_benchmarks": (
        "wales_benchmarks.csv",
        {
            "indicator_id": "VARCHAR",
            "area_code": "VARCHAR",
            "period": "VARCHAR",
            "numerator": "DOUBLE",
            "denominator": "DOUBLE",
            "value": "DOUBLE",
            "unit": "VARCHAR",
            "note_code": "VARCHAR",
            "source": "VARCHAR",
        },
    ),
    "ref_ward_aliases": ("ward_aliases.csv", {}),
}


def load(con, reference_dir: Path = REFERENCE_DIR) -> None:
    for table, (file_name, types) in REFERENCE_TABLES.items():
        path = str(reference_dir / file_name)
        # Parameters go to the reader as arguments, never pasted into SQL text.
        con.read_csv(path, header=True, **({"columns": types} if types else {})).create(table)
