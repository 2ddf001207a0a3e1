"""Bad partner input: a clear message naming the file (and row, column, value), never a traceback.

Row-level problems reject the row and the load goes on; a file that cannot be read at all stops
the build with a non-zero exit, and the previous warehouse stays live.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
import xlsxwriter
from support import ROOT, police_csv

from etl.build import BuildFailed


def rejects(inbox):
    return inbox.query(
        "SELECT file, row_number, column_name, value, reason FROM rejects ORDER BY file, record"
    )


# --- files that cannot be read: the build fails, naming the file and what was expected --------


def test_missing_inbox_folder_is_named(tmp_path):
    from etl.build import build

    with pytest.raises(BuildFailed, match="does not exist"):
        build(tmp_path / "nowhere", tmp_path / "w.duckdb", progress=False)


def test_missing_file_is_named(tmp_path):
    from etl.contract import load_contracts
    from etl.readers import FileProblem, read_table

    table = next(t for s in load_contracts() for t in s.tables if t.name == "police_children")
    with pytest.raises(FileProblem, match="nwp_children_2025-26Q1.csv: the file does not exist"):
        read_table(tmp_path / "nwp_children_2025-26Q1.csv", table)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "nwp_children_2025-26Q1.csv: the file is empty"),
        (b"\xef\xbb\xbf\r\n  \n", "the file is empty"),
        (bytes(range(256)) * 40, "not a text (CSV) file: it contains binary data"),
        (b"Month;Ward;Measure;Count\n2025-04;Rhos;PPN child;7\n", "separated by semicolons; expected commas"),
        (b"Month\tWard\tMeasure\tCount\n2025-04\tRhos\tPPN child\t7\n", "separated by tabs"),
        (
            b"Month,Electoral division,Measure,Count\n2025-04,Rhos,PPN child,7\n",
            "required column 'Ward' (also accepted: 'Ward name') is missing; the file's columns are: 'Month', 'Electoral division'",
        ),
        (b"Month,Ward,Measure\n2025-04,Rhos,PPN child\n", "required column 'Count'"),
        (
            b"Month,Ward,Measure,Count\n2025-04,Rh\xf4s,PPN child,7\n\xff\xfe",
            "not in an accepted encoding (utf-8): byte 0xf4",
        ),
    ],
)
def test_unreadable_file_fails_the_build_with_its_name(inbox, content, expected):
    inbox.add("nwp_children_2025-26Q1.csv", content)
    with pytest.raises(BuildFailed) as failure:
        inbox.build()
    assert expected in str(failure.value)
    assert "the warehouse was not changed" in str(failure.value)
    assert not inbox.warehouse.exists()


def test_file_over_the_size_limit(inbox):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv(*["2025-04,Rhos,PPN child,7"] * 20000))
    with pytest.raises(
        BuildFailed, match=r"nwp_children_2025-26Q1.csv: the file is .* MB, over the 0 MB limit"
    ):
        inbox.build(max_file_mb=0.1)


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    sheet.write_formula(r, c, value, None, 15)
                else:
                    sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


HUB = [
    ["Month", "Ward", "Contact reason", "Age band", "Contacts"],
    ["2025-04", "Rhos", "Anxiety", "11-15", 12],
    ["2025-04", "Queensway", "Bullying", "Under 11", "=10+2"],
]
TAC = [
    ["Case ref", "Team", "Ward", "Date opened", "Date closed", "Closure reason", "Age band"],
    ["T1", "TAC", "Rhos", "2025-04-02", None, None, "5-9"],
]
FLYING = [
    [
        "Term",
        "Ward",
        "Children expected",
        "Children reached",
        "Childcare places offered",
        "Childcare places taken up",
    ],
    ["Autumn 2025", "Queensway", 100, 90, 40, 30],
]


def test_workbook_without_the_expected_sheet(inbox):
    inbox.add(
        "early_help_return_2025-26_Q1.xlsx",
        _workbook({"Cover": [["Early help return"]], "TAC cases": TAC, "Wellbeing hub contacts": HUB}),
    )
    with pytest.raises(BuildFailed) as failure:
        inbox.build()
    assert "early_help_return_2025-26_Q1.xlsx: the workbook has no sheet 'Wellbeing Hub'" in str(
        failure.value
    )
    assert "its sheets are: Cover, TAC cases, Wellbeing hub contacts" in str(failure.value)


def test_not_a_workbook(inbox):
    inbox.add("early_help_return_2025-26_Q1.xlsx", b"Month,Ward\n2025-04,Rhos\n")
    with pytest.raises(BuildFailed, match="early_help_return_2025-26_Q1.xlsx: this is not an Excel workbook"):
        inbox.build()


def test_a_broken_zip_that_claims_to_be_a_workbook(inbox):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    inbox.add("early_help_return_2025-26_Q1.xlsx", buffer.getvalue())
    with pytest.raises(BuildFailed, match="early_help_return_2025-26_Q1.xlsx: the workbook cannot be opened"):
        inbox.build()


def test_formula_cell_rejects_its_row_and_keeps_the_rest(inbox):
    inbox.add(
        "early_help_return_2025-26_Q1.xlsx",
        _workbook({"TAC cases": TAC, "Wellbeing Hub": HUB, "Flying Start": FLYING}),
    )
    inbox.build()
    assert inbox.query("SELECT file, row_number, column_name, value, reason FROM rejects") == [
        (
            "early_help_return_2025-26_Q1.xlsx",
            3,
            "contacts",
            "=10+2",
            "a formula, not a value: send the value",
        )
    ]
    assert inbox.query("SELECT ward, contacts FROM stg_eh_wellbeing_hub") == [("W05001754", 12)]


# --- row-level problems: the row is rejected with file, row, column, value and reason ---------


@pytest.mark.parametrize(
    "row, column, value, reason",
    [
        ("2025-04,Wrexham Town Centre,PPN child,7", "ward", "Wrexham Town Centre", "unknown ward"),
        ("2025-04,Rhos,PPN child,-3", "count", "-3", "negative count"),
        ("2025-04,Rhos,PPN child,seven", "count", "seven", "not a number"),
        ("2025-04,Rhos,PPN child,7.5", "count", "7.5", "not a whole number"),
        ("2025-13,Rhos,PPN child,7", "month", "2025-13", "not a month such as 2024-03 or Mar-24"),
        ("2025-04,Rhos,Burglary,7", "measure", "Burglary", "not one of the accepted values"),
        ("2025-04,,PPN child,7", "ward", None, "missing value"),
        ("2017-04,Rhos,PPN child,7", "month", "2017-04", "before the earliest accepted (2018-04-01)"),
    ],
)
def test_bad_row_is_rejected_and_the_others_land(inbox, row, column, value, reason):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv("2025-04,Queensway,PPN child,9", row))
    inbox.build()
    ((file, row_number, got_column, got_value, got_reason),) = rejects(inbox)
    assert (file, row_number, got_column, got_value) == ("nwp_children_2025-26Q1.csv", 3, column, value)
    assert got_reason.startswith(reason)
    assert inbox.query("SELECT ward, count FROM stg_police_children") == [("W05001753", 9)]


def test_impossible_date(inbox):
    header = "Contact ID,Child ref,Ward,Age band,Contact date,Source of contact,Contact outcome\n"
    inbox.add(
        "wccis_contacts_20260715.csv",
        header + "C1,CH-1,Rhos,5-9,31/02/2025,Police,IAA\nC2,CH-2,Rhos,5-9,28/02/2025,Police,IAA\n",
    )
    inbox.build()
    assert rejects(inbox) == [
        (
            "wccis_contacts_20260715.csv",
            2,
            "contact_date",
            "31/02/2025",
            "not a date such as 31/03/2024 or 2024-03-31",
        )
    ]


def test_numerator_above_denominator(inbox):
    inbox.add(
        "bcuhb_camhs_assessments_2025-26Q1.csv",
        "Month,Assessments,Within 28 days\n2025-04,40,31\n2025-05,40,41\n",
    )
    inbox.build()
    assert rejects(inbox) == [
        (
            "bcuhb_camhs_assessments_2025-26Q1.csv",
            3,
            "within_28_days",
            "41",
            "more within 28 days than assessed",
        )
    ]


def test_duplicated_key_keeps_the_first_and_names_it(inbox):
    inbox.add(
        "nwp_children_2025-26Q1.csv", police_csv("2025-04,Rhos,PPN child,7", "2025-04,W05001754,PPN child,8")
    )
    inbox.build()
    assert rejects(inbox) == [
        (
            "nwp_children_2025-26Q1.csv",
            3,
            "month",
            "2025-04-01",
            "duplicate key: the same month, ward, measure as row 2",
        )
    ]
    assert inbox.query("SELECT count FROM stg_police_children") == [(7,)]


def test_every_problem_of_a_row_is_reported(inbox):
    inbox.add("nwp_children_2025-26Q1.csv", police_csv("2025-99,Atlantis,PPN child,-1"))
    inbox.build()
    assert sorted(r[2] for r in rejects(inbox)) == ["count", "month", "ward"]
    assert inbox.query("SELECT rows_read, rows_landed, rows_rejected FROM load_log") == [(1, 0, 1)]


def test_wrong_number_of_cells_is_a_reject_with_its_row(inbox):
    inbox.add(
        "nwp_children_2025-26Q1.csv",
        police_csv("2025-04,Rhos,PPN child,7", "2025-04,Rhos,PPN child,7,extra", "2025-05,Rhos,PPN child,6"),
    )
    inbox.build()
    assert rejects(inbox) == [
        (
            "nwp_children_2025-26Q1.csv",
            3,
            None,
            "2025-04,Rhos,PPN child,7,extra",
            "wrong number of cells (expected 4)",
        )
    ]
    assert inbox.query("SELECT rows_read, rows_landed, rows_rejected FROM load_log") == [(3, 2, 1)]


def test_the_command_line_prints_a_message_not_a_traceback(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "nwp_children_2025-26Q1.csv").write_bytes(b"\x00\x01\x02garbage")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "build",
            "--inbox",
            str(inbox),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "nwp_children_2025-26Q1.csv: this is not a text (CSV) file" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
