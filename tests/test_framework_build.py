"""The framework build on small constructed warehouses: bad indicators are named and left out,
gaps and absent sources are marked 'x', nothing wrong is published, vintages are kept."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from support import open_published, police_csv

from indicators.build import build as publish

WARDS = ["Rhos", "Queensway", "Offa", "Acrefair North"]


def _definition(folder, ind_id, sql, value_type="count", sources=("police",), **extra):
    text = {"en": f"{ind_id} text", "cy": f"{ind_id} testun"}
    raw = {
        "id": ind_id,
        "outcome_area": "safe",
        "service": "policing",
        "lead_partner": "police",
        "name": text,
        "short_name": text,
        "definition": text,
        "numerator": text,
        "denominator": {"en": "", "cy": ""},
        "unit": text,
        "caveats": {"en": "", "cy": ""},
        "value_type": value_type,
        "multiplier": 1 if value_type == "count" else 1000,
        "polarity": "low_good",
        "frequency": "quarterly",
        "measure_type": "flow",
        "lowest_geography": "ward",
        "ci_method": "none" if value_type == "count" else "byars",
        "benchmark": "none",
        "target": None,
        "spc": False,
        "breakdowns": [],
        "disclosure": {"min_count": 5},
        "sources": list(sources),
        **extra,
    }
    (folder / f"{ind_id}.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    (folder / f"{ind_id}.sql").write_text(sql, encoding="utf-8")


PPN_SQL = """
WITH q AS (SELECT fy_quarter_of(month) AS period, ward, sum(count) AS n FROM stg_police_children
           WHERE measure = 'ppn_child' GROUP BY ALL),
covered AS (SELECT DISTINCT period FROM q)
SELECT w.period, w.ward_code AS area_code, 'all' AS breakdown, 'all' AS breakdown_value,
       CAST(COALESCE(q.n, 0) AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator
FROM ward_periods_quarterly w JOIN covered USING (period) LEFT JOIN q ON q.period = w.period AND q.ward = w.ward_code
UNION ALL
SELECT period, 'W06000006', 'all', 'all', CAST(sum(n) AS DOUBLE), NULL FROM q GROUP BY ALL
"""


@pytest.fixture
def police_warehouse(inbox):
    """Police data for 2025-26 Q1 and Q3 (Q2 never sent), in four wards."""
    rows = [
        f"2025-{m:02d},{w},PPN child,{n}"
        for m, n in ((4, 9), (5, 12), (6, 7), (10, 8), (11, 9), (12, 11))
        for w in WARDS
    ]
    inbox.add(
        "nwp_children_2025-26Q1.csv",
        police_csv(*[r for r in rows if r[5:7] in ("04", "05", "06")]),
        received="2025-07-20 09:00",
    )
    inbox.add(
        "nwp_children_2025-26Q3.csv",
        police_csv(*[r for r in rows if r[5:7] in ("10", "11", "12")]),
        received="2026-01-20 09:00",
    )
    inbox.build()
    return inbox


def _published(report):
    return duckdb.connect(str(report.path), read_only=True)


def test_a_failing_indicator_is_named_and_the_others_are_published(police_warehouse, tmp_path):
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    _definition(definitions, "P1", PPN_SQL)
    _definition(definitions, "P2", "SELECT * FROM no_such_table")
    _definition(
        definitions,
        "P3",
        PPN_SQL.replace("CAST(NULL AS DOUBLE) AS denominator", "CAST(NULL AS DOUBLE) AS denominator").replace(
            "'all' AS breakdown_value,", "'all' AS breakdown_value,"
        ),
        value_type="rate",
    )
    _definition(definitions, "P4", PPN_SQL, sources=("police", "youth_justice"))
    _definition(definitions, "P5", PPN_SQL.replace("CAST(sum(n) AS DOUBLE)", "CAST(sum(n) + 1 AS DOUBLE)"))
    report = publish(police_warehouse.warehouse, tmp_path / "out", definitions_dir=definitions)
    assert report.published == ["P1"]
    assert "P2: its SQL failed: Catalog Error" in report.problems["P2"]
    assert report.problems["P3"] == "P3: a missing or negative denominator"
    assert report.problems["P4"] == "P4: no data has arrived from youth_justice"
    assert report.problems["P5"] == "P5: the wards' numerators do not add up to Wrexham's in 2025-26 Q1"
    con = _published(report)
    assert con.execute("SELECT indicator_id, status FROM indicator ORDER BY 1").fetchall() == [
        ("P1", "published"),
        ("P2", "not available"),
        ("P3", "not available"),
        ("P4", "not available"),
        ("P5", "not available"),
    ]
    assert con.execute("SELECT DISTINCT indicator_id FROM indicator_value").fetchall() == [("P1",)]


def test_a_quarter_that_never_arrived_is_marked_x_not_zero(police_warehouse, tmp_path):
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    _definition(definitions, "P1", PPN_SQL)
    report = publish(police_warehouse.warehouse, tmp_path / "out", definitions_dir=definitions)
    con = _published(report)
    rows = con.execute("""SELECT period, value, note_codes FROM indicator_value
                          WHERE area_code = 'W06000006' ORDER BY period_end""").fetchall()
    assert rows == [("2025-26 Q1", 112.0, ""), ("2025-26 Q2", None, "x"), ("2025-26 Q3", 112.0, "p")]
    assert report.vintage == "2025-26 Q3"


def test_periods_after_a_source_stops_are_not_published_from_stale_data(police_warehouse, tmp_path):
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    _definition(definitions, "P1", PPN_SQL)
    import datetime as dt

    report = publish(
        police_warehouse.warehouse,
        tmp_path / "out",
        definitions_dir=definitions,
        reporting_end=dt.date(2026, 6, 30),
    )
    con = _published(report)
    later = con.execute("""SELECT period, value, note_codes FROM indicator_value
                           WHERE area_code = 'W06000006' AND period_end > DATE '2025-12-31' ORDER BY period_end""").fetchall()
    assert later == [("2025-26 Q4", None, "x"), ("2026-27 Q1", None, "x")]


def test_each_quarter_is_kept_as_a_vintage(police_warehouse, tmp_path):
    import datetime as dt

    definitions = tmp_path / "definitions"
    definitions.mkdir()
    _definition(definitions, "P1", PPN_SQL)
    publish(
        police_warehouse.warehouse,
        tmp_path / "out",
        definitions_dir=definitions,
        reporting_end=dt.date(2025, 6, 30),
    )
    publish(police_warehouse.warehouse, tmp_path / "out", definitions_dir=definitions)
    kept = sorted(p.name for p in (tmp_path / "out" / "vintages").glob("*.duckdb"))
    assert kept == ["2025-26-Q1.duckdb", "2025-26-Q3.duckdb"]
    old = duckdb.connect(str(tmp_path / "out" / "vintages" / "2025-26-Q1.duckdb"), read_only=True)
    assert old.execute("SELECT max(period) FROM indicator_value").fetchall() == [("2025-26 Q1",)]


def test_the_published_file_holds_only_disclosure_controlled_tables(demo_build):
    con = open_published(demo_build["published"])
    tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {
        "indicator",
        "indicator_value",
        "outcome_area",
        "service",
        "partner",
        "ward",
        "vintage",
        "load_summary",
        "reject_reasons",
        "source_status",
        "benchmark_source",
    }
    # No raw or staging table, and no record-level column, ever reaches the published file.
    columns = {
        c for (c,) in con.execute("SELECT DISTINCT column_name FROM information_schema.columns").fetchall()
    }
    assert not columns & {"child_ref", "episode_id", "contact_id", "case_ref", "entrant_ref", "_row"}
    # Every published count of 1 to 4 is impossible: numerators and denominators that are counts.
    small = con.execute("""
        SELECT v.indicator_id, count(*) FROM indicator_value v JOIN indicator i USING (indicator_id)
        WHERE v.area_type <> 'wales' AND i.value_type <> 'money'
          AND ((v.numerator BETWEEN 1 AND i.disclosure_min_count - 1)
               OR (i.value_type = 'proportion' AND v.denominator BETWEEN 1 AND i.disclosure_min_count - 1))
        GROUP BY ALL""").fetchall()
    assert small == []
