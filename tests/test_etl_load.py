"""Loading behaviour: provenance, encodings, ward conforming, supersession, revisions,
idempotence and the atomic swap of the warehouse file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from support import ROOT, police_csv

from etl.build import BuildFailed

LOOKED_AFTER_HEADER = (
    "Episode ID,Child ref,Ward,Age band,Episode start,Episode end,Placement type,"
    "Placement location,Weekly cost,Legal status\n"
)


def test_provenance_on_every_row(inbox):
    path = inbox.add(
        "nwp_children_2025-26Q1.csv",
        police_csv("2025-04,Rhos,PPN child,7", "2025-05,Rhos,PPN child,<5"),
        received="2025-07-20 10:30",
    )
    inbox.build()
    from etl.build import sha256_of

    digest = sha256_of(path)
    assert inbox.query(
        "SELECT _file, _sha256, _row, _load_id, CAST(_received AS VARCHAR) FROM raw_police_children ORDER BY _row"
    ) == [
        ("nwp_children_2025-26Q1.csv", digest, 2, digest[:12], "2025-07-20 10:30:00"),
        ("nwp_children_2025-26Q1.csv", digest, 3, digest[:12], "2025-07-20 10:30:00"),
    ]


def test_small_count_marker_is_kept_as_suppressed_never_zero(inbox):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,<5"))
    inbox.build()
    assert inbox.query("SELECT count, count_suppressed FROM stg_police_children") == [(None, True)]


@pytest.mark.parametrize(
    "sent", ["Rhos", "RHOS", "Rhosllannerchrugog", "W05001754", "W05001754 Rhos", " rhos ", "w05001754"]
)
def test_ward_spellings_conform_to_the_code(inbox, sent):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv(f"2025-04,{sent},PPN child,7"))
    inbox.build()
    assert inbox.query("SELECT ward, ward_as_sent FROM stg_police_children") == [("W05001754", sent)]


@pytest.mark.parametrize(
    "sent, code",
    [
        ("Gogledd Acre-fair", "W05001713"),
        ("Acton & Maesydre", "W05001714"),
        ("Yr Orsedd", "W05001756"),
        ("Pen-y-cae", "W05001750"),
        ("Penycae and Ruabon South", "W05001751"),
        ("Bangor-on-Dee", "W05001715"),
    ],
)
def test_welsh_names_and_aliases(inbox, sent, code):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv(f"2025-04,{sent},PPN child,7"))
    inbox.build()
    assert inbox.query("SELECT ward FROM stg_police_children") == [(code,)]


def test_ward_lookup_never_maps_one_label_to_two_wards():
    from etl.conform import norm_label, ward_lookup_rows

    rows = ward_lookup_rows()
    labels = [label for label, _ in rows]
    assert len(labels) == len(set(labels))
    assert len({code for _, code in rows}) == 49
    assert norm_label("Penycae") != norm_label("Penycae and Ruabon South")


def test_windows_1252_file_with_money(inbox):
    inbox.add(
        "wccis_looked_after_20260715.csv",
        LOOKED_AFTER_HEADER
        + 'E1,CH-1,Rhos,5-9,01/04/2024,,Residential care,Outside Wales,"£7,500.25",Care order\n',
        encoding="cp1252",
    )
    inbox.build()
    assert inbox.query(
        "SELECT CAST(weekly_cost AS VARCHAR), placement_type, placement_location FROM stg_cs_looked_after"
    ) == [("7500.25", "residential", "outside_wales")]
    assert inbox.query("SELECT encoding FROM load_log") == [("cp1252",)]


def test_utf8_byte_order_mark_is_not_part_of_the_first_heading(inbox):
    inbox.add("nwp_children_2025-26Q1.csv", b"\xef\xbb\xbf" + police_csv("2025-04,Rhos,PPN child,7").encode())
    inbox.build()
    assert inbox.query("SELECT month, encoding FROM stg_police_children, load_log")[0][1] == "utf-8-sig"


def test_dates_in_several_formats(inbox):
    header = "Contact ID,Child ref,Ward,Age band,Contact date,Source of contact,Contact outcome\n"
    dates = ["31/03/2024", "2024-03-31", "31-Mar-2024", "31-Mar-24", "31 March 2024"]
    inbox.add(
        "wccis_contacts_20260715.csv",
        header + "".join(f"C{i},CH-{i},Rhos,5-9,{d},Police,IAA\n" for i, d in enumerate(dates)),
    )
    inbox.build()
    assert inbox.query("SELECT DISTINCT CAST(contact_date AS VARCHAR) FROM stg_cs_contacts") == [
        ("2024-03-31",)
    ]


def test_statxplore_export_is_unpivoted_and_its_totals_row_rejected(inbox):
    inbox.add(
        "dwp_cilif_ward_fye2024.csv",
        '"Dataset: Children in Low Income Families"\n"Age of Child: 0-15"\n\n'
        '"Ward (2022)","2022/23 (FYE 2023)","2023/24 (FYE 2024)"\n"Rhos","300","310"\n"Queensway","250","260"\n'
        '"Total","550","570"\n\n"Source: DWP Stat-Xplore"\n',
    )
    inbox.build()
    assert inbox.query(
        "SELECT ward, financial_year, children FROM stg_dwp_low_income_children ORDER BY ALL"
    ) == [
        ("W05001753", "2022-23", 250),
        ("W05001753", "2023-24", 260),
        ("W05001754", "2022-23", 300),
        ("W05001754", "2023-24", 310),
    ]
    assert inbox.query("SELECT rows_read, rows_landed, rows_rejected FROM load_log") == [(6, 4, 2)]
    assert inbox.query("SELECT DISTINCT row_number, reason LIKE 'totals row%' FROM rejects") == [(7, True)]


def test_rows_read_equals_landed_plus_rejected_for_every_load(inbox):
    inbox.add(
        "nwp_children_2025-26Q1.csv",
        police_csv(
            "2025-04,Rhos,PPN child,7",
            "2025-04,Nowhere,PPN child,7",
            "2025-05,Rhos,PPN child,-1",
            ",,,",
            ",,,",
        ),
    )
    inbox.add(
        "bcuhb_camhs_assessments_2025-26Q1.csv",
        "Month,Assessments,Within 28 days\n2025-04,40,31\nTotal,40,31\n",
    )
    inbox.build()
    for read, landed, rejected, table in inbox.query(
        "SELECT rows_read, rows_landed, rows_rejected, table_name FROM load_log"
    ):
        assert read == landed + rejected
        assert landed == inbox.query(f"SELECT count(*) FROM raw_{table}")[0][0]
        assert (
            rejected
            == inbox.query("SELECT count(DISTINCT record) FROM rejects WHERE table_name = ?", [table])[0][0]
        )
    assert inbox.query("SELECT sum(rows_read), sum(rows_landed), sum(rows_rejected) FROM load_log") == [
        (7, 2, 5)
    ]


def test_resubmission_supersedes_its_period_and_records_revisions(inbox):
    inbox.add(
        "nwp_children_2025-26Q1.csv",
        police_csv(
            "2025-04,Rhos,PPN child,7", "2025-04,Rhos,Missing episode (child),<5", "2025-05,Rhos,PPN child,9"
        ),
        received="2025-07-20 09:00",
    )
    inbox.add(
        "nwp_children_2025-26Q2.csv", police_csv("2025-07,Rhos,PPN child,11"), received="2025-10-20 09:00"
    )
    inbox.add(
        "nwp_children_2025-26Q1_v2.csv",
        police_csv("2025-04,Rhos,PPN child,8", "2025-05,Rhos,PPN child,9", "2025-05,Queensway,PPN child,5"),
        received="2025-08-01 09:00",
    )
    inbox.build()
    assert inbox.query(
        "SELECT CAST(month AS VARCHAR), ward, measure, count, _file FROM stg_police_children ORDER BY ALL"
    ) == [
        ("2025-04-01", "W05001754", "ppn_child", 8, "nwp_children_2025-26Q1_v2.csv"),
        ("2025-05-01", "W05001753", "ppn_child", 5, "nwp_children_2025-26Q1_v2.csv"),
        ("2025-05-01", "W05001754", "ppn_child", 9, "nwp_children_2025-26Q1_v2.csv"),
        ("2025-07-01", "W05001754", "ppn_child", 11, "nwp_children_2025-26Q2.csv"),
    ]
    assert inbox.query(
        "SELECT change, record_key, column_name, old_value, new_value, old_file, new_file FROM revisions ORDER BY ALL"
    ) == [
        (
            "added",
            "month=2025-05-01|ward=W05001753|measure=ppn_child",
            None,
            None,
            None,
            None,
            "nwp_children_2025-26Q1_v2.csv",
        ),
        (
            "changed",
            "month=2025-04-01|ward=W05001754|measure=ppn_child",
            "count",
            "7",
            "8",
            "nwp_children_2025-26Q1.csv",
            "nwp_children_2025-26Q1_v2.csv",
        ),
        (
            "removed",
            "month=2025-04-01|ward=W05001754|measure=missing_episode",
            None,
            None,
            None,
            "nwp_children_2025-26Q1.csv",
            None,
        ),
    ]


def test_full_refresh_extract_replaces_the_earlier_one(inbox):
    inbox.add(
        "wccis_looked_after_20260715.csv",
        LOOKED_AFTER_HEADER + "E1,CH-1,Rhos,5-9,01/04/2024,,Residential care,Outside Wales,7500,Care order\n"
        "E2,CH-2,Rhos,5-9,01/05/2024,,Kinship care,In Wrexham,300,Care order\n",
        received="2026-07-15 09:00",
    )
    inbox.add(
        "wccis_looked_after_20261014.csv",
        LOOKED_AFTER_HEADER
        + "E1,CH-1,Rhos,5-9,01/04/2024,30/09/2026,Residential care,Outside Wales,7500,Care order\n"
        "E2,CH-2,Rhos,5-9,01/05/2024,,Foster care (agency),In Wrexham,950,Care order\n"
        "E3,CH-3,Rhos,0-4,01/08/2026,,Kinship care,In Wrexham,300,Care order\n",
        received="2026-10-14 09:00",
    )
    inbox.build()
    assert inbox.query("SELECT episode_id, _file FROM stg_cs_looked_after ORDER BY 1") == [
        ("E1", "wccis_looked_after_20261014.csv"),
        ("E2", "wccis_looked_after_20261014.csv"),
        ("E3", "wccis_looked_after_20261014.csv"),
    ]
    assert inbox.query(
        "SELECT record_key, column_name, old_value, new_value FROM revisions ORDER BY ALL"
    ) == [
        ("episode_id=E1", "end_date", None, "2026-09-30"),
        ("episode_id=E2", "placement_type", "kinship", "foster_agency"),
        ("episode_id=E2", "weekly_cost", "300.00", "950.00"),
    ]


def test_loading_the_same_files_again_changes_nothing(inbox):
    inbox.add(
        "nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,7", "2025-05,Nowhere,PPN child,1")
    )
    inbox.build()
    tables = [
        t
        for (t,) in inbox.query(
            "SELECT table_name FROM information_schema.tables WHERE table_name <> 'build_info'"
        )
    ]
    first = {t: sorted(map(repr, inbox.query(f"SELECT * FROM {t}"))) for t in tables}
    inbox.build()
    assert {t: sorted(map(repr, inbox.query(f"SELECT * FROM {t}"))) for t in tables} == first
    # The same file delivered twice under another name lands once.
    inbox.add("nwp_children_copy_2025-26Q1.csv", (inbox.folder / "nwp_children_2025-26Q1.csv").read_bytes())
    report = inbox.build()
    assert report.duplicates == [("nwp_children_copy_2025-26Q1.csv", "nwp_children_2025-26Q1.csv")]
    assert {t: sorted(map(repr, inbox.query(f"SELECT * FROM {t}"))) for t in tables} == first


def test_late_delivery_is_flagged_and_a_resubmission_is_not(inbox):
    inbox.add(
        "nwp_children_2025-26Q1.csv", police_csv("2025-06,Rhos,PPN child,7"), received="2025-08-20 09:00"
    )
    inbox.add(
        "nwp_children_2025-26Q2.csv", police_csv("2025-09,Rhos,PPN child,7"), received="2025-10-20 09:00"
    )
    inbox.add(
        "nwp_children_2025-26Q2_v2.csv", police_csv("2025-09,Rhos,PPN child,8"), received="2025-12-20 09:00"
    )
    inbox.build()
    assert inbox.query("SELECT file, CAST(due_date AS VARCHAR), late FROM load_log ORDER BY received") == [
        ("nwp_children_2025-26Q1.csv", "2025-07-31", True),
        ("nwp_children_2025-26Q2.csv", "2025-10-31", False),
        ("nwp_children_2025-26Q2_v2.csv", "2025-10-31", False),
    ]


def test_a_failed_build_leaves_the_live_warehouse_exactly_as_it_was(inbox):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,7"))
    inbox.build()
    before = inbox.warehouse.read_bytes()
    inbox.add("nwp_children_2025-26Q2.csv", b"\x00binary")
    with pytest.raises(BuildFailed):
        inbox.build()
    assert inbox.warehouse.read_bytes() == before
    assert not list(inbox.warehouse.parent.glob(".warehouse.duckdb.building-*"))


def test_a_reader_holding_the_old_file_is_not_broken_by_a_swap(inbox):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,7"))
    inbox.build()
    reader = duckdb.connect(str(inbox.warehouse), read_only=True)
    try:
        inbox.add("nwp_children_2025-26Q2.csv", police_csv("2025-07,Rhos,PPN child,9"))
        inbox.build()
        assert reader.execute("SELECT count(*) FROM stg_police_children").fetchall() == [(1,)]
    finally:
        reader.close()
    assert inbox.query("SELECT count(*) FROM stg_police_children") == [(2,)]


def test_a_build_killed_part_way_leaves_the_old_warehouse(inbox):
    """Kill the build process while it writes the new file: the live file must open unchanged."""
    inbox.add("nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,7"))
    inbox.build()
    before = inbox.query("SELECT * FROM stg_police_children")
    # Enough rows that the build is still running when we kill it.
    rows = [
        f"2025-0{4 + m % 3},{ward},PPN child,{n}"
        for m, ward in enumerate(["Rhos", "Queensway", "Offa"])
        for n in range(1)
    ]
    big = police_csv(*rows) + "".join(f"2025-04,Rhos,Missing episode (child),{i}\n" for i in range(300000))
    inbox.add("nwp_children_2025-26Q2.csv", big)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "etl",
            "build",
            "--inbox",
            str(inbox.folder),
            "--warehouse",
            str(inbox.warehouse),
            "--quiet",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(inbox.warehouse.parent.glob(".warehouse.duckdb.building-*")):
        assert process.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert inbox.query("SELECT * FROM stg_police_children") == before
    # The next build clears the half-built file the killed process left.
    inbox.build()
    assert not list(inbox.warehouse.parent.glob(".warehouse.duckdb.building-*"))


def test_the_warehouse_as_it_stood_on_an_earlier_day(inbox):
    import datetime as dt

    inbox.add(
        "nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,7"), received="2025-07-20 09:00"
    )
    inbox.add(
        "nwp_children_2025-26Q1_v2.csv", police_csv("2025-04,Rhos,PPN child,8"), received="2025-08-20 09:00"
    )
    inbox.build(received_by=dt.datetime(2025, 8, 1))
    assert inbox.query("SELECT count FROM stg_police_children") == [(7,)]
    assert inbox.query("SELECT count(*) FROM revisions") == [(0,)]
    inbox.build()
    assert inbox.query("SELECT count FROM stg_police_children") == [(8,)]
