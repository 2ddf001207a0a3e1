"""The two ways a file's cells reach DuckDB give the same cells.

A UTF-8 CSV file takes the fast path (DuckDB's reader, told the layout); anything else goes
through etl/readers.py. The checks downstream assume the two agree cell for cell, row number
for row number, so that is tested here on the awkward cases, and so is which path a file takes.
"""

from __future__ import annotations

import duckdb
import pytest

from etl.contract import load_contracts
from etl.incoming import INCOMING, _land_csv_fast, create_incoming, read_into_incoming
from etl.readers import read_table

HEADER = "Contact ID,Child ref,Ward,Age band,Contact date,Source of contact,Contact outcome"


@pytest.fixture(scope="module")
def contacts():
    return next(t for s in load_contracts() for t in s.tables if t.name == "cs_contacts")


def _incoming_rows(con) -> list[tuple]:
    return con.execute(f"SELECT * EXCLUDE (_load) FROM {INCOMING} ORDER BY _record").fetchall()


def _careful_rows(path, table) -> list[tuple]:
    cells = read_table(path, table).cells
    names = [c.name for c in table.columns] + ["_row", "_record"]
    columns = [cells.column(n).to_pylist() for n in names]
    return list(zip(*columns))


@pytest.mark.parametrize(
    "bom, newline, body",
    [
        # plain rows
        (False, "\n", "C1,CH-1,Rhos,5-9,28/02/2025,Police,IAA\nC2,CH-2,Offa,0-4,2025-03-01,School,NFA\n"),
        # a byte-order mark, Windows line ends, a quoted comma and a quoted line break
        (True, "\r\n", 'C1,"CH,1",Rhos,5-9,28/02/2025,Police,"Information, advice\r\nand assistance"\r\n'),
        # empty cells, a quoted empty cell, cells of spaces, a blank row and a totals row
        (False, "\n", 'C1,,Rhos,5-9,,"",IAA\nC2,  ,Offa, ,2025-03-01,School,NFA\n,,,,,,\nTotal,,,,,,\n'),
        # Welsh letters, and an empty line between records (not a record)
        (
            False,
            "\n",
            "C1,CH-1,Gogledd Acre-fair,5-9,28/02/2025,Police,IAA\n\nC2,CH-2,Maes-y-dre,0-4,01/03/2025,Health,NFA\n",
        ),
    ],
)
def test_the_fast_path_gives_the_same_cells_as_the_careful_reader(tmp_path, contacts, bom, newline, body):
    path = tmp_path / "wccis_contacts_20260715.csv"
    path.write_text(("\ufeff" if bom else "") + HEADER + newline + body, encoding="utf-8", newline="")
    con = duckdb.connect()
    create_incoming(con, contacts)
    fast = _land_csv_fast(con, 0, path, contacts, 100)
    assert fast is not None, "a UTF-8 CSV file should take the fast path"
    assert fast.encoding == ("utf-8-sig" if bom else "utf-8")
    assert _incoming_rows(con) == _careful_rows(path, contacts)


@pytest.mark.parametrize(
    "content, why",
    [
        ((HEADER + "\nC1,CH-1,Rhos,5-9,28/02/2025,Police,IAA,extra\n").encode(), "too many cells"),
        ((HEADER + "\nC1,CH-1,Rhos\n").encode(), "too few cells"),
        ((HEADER + "\nC1,CH-1,Rh\xf4s,5-9,28/02/2025,Police,IAA\n").encode("cp1252"), "not UTF-8"),
        ((HEADER + '\nC1,"CH-1,Rhos,5-9,28/02/2025,Police,IAA\n').encode(), "a quote never closed"),
    ],
)
def test_files_the_fast_path_cannot_number_go_the_careful_way(tmp_path, contacts, content, why):
    path = tmp_path / "wccis_contacts_20260715.csv"
    path.write_bytes(content)
    con = duckdb.connect()
    create_incoming(con, contacts)
    assert _land_csv_fast(con, 0, path, contacts, 100) is None, why
    assert con.execute(f"SELECT count(*) FROM {INCOMING}").fetchall() == [(0,)], (
        "a failed fast read leaves nothing"
    )


def test_each_delivery_keeps_its_own_load_number_and_rows(tmp_path, contacts):
    con = duckdb.connect()
    create_incoming(con, contacts)
    for load, rows in enumerate((2, 3)):
        path = tmp_path / f"wccis_contacts_2026071{load}.csv"
        path.write_text(
            HEADER + "\n" + "".join(f"C{load}{i},CH,Rhos,5-9,28/02/2025,Police,IAA\n" for i in range(rows))
        )
        assert read_into_incoming(con, load, path, contacts, 100).rows == rows
    assert con.execute(
        f"SELECT _load, count(*), min(_row), max(_row), max(_record) FROM {INCOMING} "
        "GROUP BY _load ORDER BY _load"
    ).fetchall() == [(0, 2, 2, 3, 1), (1, 3, 2, 4, 2)]
