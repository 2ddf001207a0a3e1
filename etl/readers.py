"""Read a partner file into a table of text cells, one column per contract column.

Every reader returns a RawTable: a pyarrow table whose columns are the contract's column names
(all text, NULL for blank cells), plus `_row`, the row number a person opening the file would
see (the header is row 1), and `_record`, a unique ordinal (a Stat-Xplore row holds several
records, one per year, all on the same row). Nothing is converted or judged here; etl/validate.py does that, so
a partner learns about every problem in a file at once.

A file that cannot be read at all (empty, binary, wrong delimiter, a required column missing,
no such sheet, over the size limit) raises FileProblem with a message that names the file and
says what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from etl.contract import Table

UTF8_BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_FILE_MB = 500


class FileProblem(Exception):
    """A partner file cannot be read at all; the message is for the partner."""


@dataclass
class RawTable:
    cells: pa.Table  # contract column names (strings) + "_row" (as a person sees it) + "_record" (unique)
    encoding: str = "utf-8"
    headers_found: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    ragged_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, text) of malformed lines


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def map_headers(file_label: str, headers: list[str], table: Table) -> tuple[dict[str, int], list[str]]:
    """Position of each contract column in the file's header row; unknown headers are listed."""
    normalised = [_norm_header(h) if h is not None else "" for h in headers]
    positions: dict[str, int] = {}
    for column in table.columns:
        wanted = [_norm_header(h) for h in column.headers]
        found = next((i for i, h in enumerate(normalised) if h in wanted), None)
        if found is not None:
            positions[column.name] = found
        elif column.required:
            also = (
                f" (also accepted: {', '.join(repr(h) for h in column.headers[1:])})"
                if len(column.headers) > 1
                else ""
            )
            shown = ", ".join(repr(h) for h in headers if h) or "none"
            raise FileProblem(
                f"{file_label}: required column {column.headers[0]!r}{also} is missing; "
                f"the file's columns are: {shown}"
            )
    used = set(positions.values())
    ignored = [h for i, h in enumerate(headers) if i not in used and h]
    return positions, ignored


def check_size(path: Path, max_file_mb: float) -> None:
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > max_file_mb:
        raise FileProblem(
            f"{path.name}: the file is {size_mb:,.0f} MB, over the {max_file_mb:,.0f} MB limit "
            "(raise --max-file-mb if this is expected)"
        )


def _check_bytes(path: Path, data: bytes) -> None:
    if not data.strip(b" \t\r\n" + UTF8_BOM):
        raise FileProblem(f"{path.name}: the file is empty")
    if b"\x00" in data[:65536]:
        raise FileProblem(f"{path.name}: this is not a text (CSV) file: it contains binary data")


def _decode(path: Path, data: bytes, encodings: tuple[str, ...]) -> tuple[str, str]:
    """The whole file as text and the encoding it was read with."""
    _check_bytes(path, data)
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="strict"), "utf-8-sig"
    first_error = None
    for encoding in encodings:
        try:
            return data.decode(encoding, errors="strict"), encoding
        except UnicodeDecodeError as error:
            first_error = first_error or error
    bad = data[first_error.start : first_error.start + 1].hex()
    raise FileProblem(
        f"{path.name}: the text is not in an accepted encoding ({', '.join(encodings)}): "
        f"byte 0x{bad} at position {first_error.start} cannot be read; send UTF-8"
    )


def _utf8_bytes(path: Path, data: bytes, encodings: tuple[str, ...]) -> tuple[bytes, str]:
    """The file as UTF-8 bytes without a byte-order mark, and the encoding it came in.

    Valid UTF-8 is passed through without a copy; only a file in another accepted encoding
    (Windows-1252 from finance systems) is decoded and re-encoded.
    """
    _check_bytes(path, data)
    if data.startswith(UTF8_BOM):
        body, encoding = memoryview(data)[len(UTF8_BOM) :], "utf-8-sig"
    else:
        body, encoding = memoryview(data), "utf-8"
    try:
        str(body, "utf-8")  # validates; Arrow would otherwise fail mid-file with a vaguer message
        return body, encoding
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            raise FileProblem(f"{path.name}: the file starts as UTF-8 but is not valid UTF-8") from None
    text, encoding = _decode(path, data, tuple(e for e in encodings if e != "utf-8") or encodings)
    return text.encode("utf-8"), encoding


def check_delimiter(path: Path, header_line: str) -> None:
    if "," in header_line:
        return
    for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|' characters")):
        if delimiter in header_line:
            raise FileProblem(f"{path.name}: the columns are separated by {name}; expected commas (CSV)")


def csv_headers(path: Path, header_line: str) -> list[str]:
    """The headings of a CSV header line; FileProblem for another delimiter or a repeated heading."""
    check_delimiter(path, header_line)
    headers = next(csv.reader([header_line]))
    named = [h.strip() for h in headers if h.strip()]
    if len(set(named)) != len(named):
        raise FileProblem(f"{path.name}: two columns have the same heading: {headers}")
    return headers


def _table_from_rows(names: list[str], rows: list[list], row_numbers: list[int]) -> pa.Table:
    columns = {name: pa.array([r[i] for r in rows], type=pa.string()) for i, name in enumerate(names)}
    columns["_row"] = pa.array(row_numbers, type=pa.int64())
    return pa.table(columns)


def _select(
    file_label: str, cells: pa.Table, headers: list[str], table: Table, row_numbers
) -> tuple[pa.Table, list[str]]:
    """Keep and rename the contract's columns; absent optional columns become all-NULL."""
    positions, ignored = map_headers(file_label, headers, table)
    arrays, names = [], []
    for column in table.columns:
        if column.name in positions:
            arrays.append(cells.column(positions[column.name]).cast(pa.string()))
        else:
            arrays.append(pa.nulls(cells.num_rows, type=pa.string()))
        names.append(column.name)
    arrays.append(row_numbers)
    names.append("_row")
    arrays.append(pa.array(range(cells.num_rows), type=pa.int64()))
    names.append("_record")
    return pa.table(arrays, names=names), ignored


def read_csv(path: Path, table: Table, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> RawTable:
    check_size(path, max_file_mb)
    utf8, encoding = _utf8_bytes(path, path.read_bytes(), table.encodings)
    end_of_header = bytes(utf8[:65536]).find(b"\n")
    header_line = bytes(utf8[: end_of_header if end_of_header >= 0 else 65536]).decode("utf-8").rstrip("\r")
    headers = csv_headers(path, header_line)
    # Arrow's multi-threaded reader (etl/incoming.py reads plain UTF-8 files with DuckDB's
    # before this). Malformed lines (too many or too few cells) come back without a reliable row
    # number, so a file that has any is re-read with the standard library to give the partner
    # exact row numbers.
    ragged: list[str] = []
    names = [f"c{i}" for i in range(len(headers))]
    try:
        cells = pacsv.read_csv(
            pa.py_buffer(utf8),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=lambda row: ragged.append(row.text) or "skip"
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        raise FileProblem(
            f"{path.name}: the file cannot be read as CSV: {str(error).splitlines()[0]}"
        ) from None
    if ragged:
        return _read_csv_slow(path, bytes(utf8).decode("utf-8"), encoding, headers, table)
    row_numbers = pa.array(range(2, cells.num_rows + 2), type=pa.int64())
    selected, ignored = _select(path.name, cells, headers, table, row_numbers)
    return RawTable(selected, encoding, headers, ignored)


def _read_csv_slow(path: Path, text: str, encoding: str, headers: list[str], table: Table) -> RawTable:
    reader = csv.reader(io.StringIO(text))
    next(reader)
    rows, numbers, ragged = [], [], []
    row_number = 1
    for record in reader:
        if not record:  # an empty line is not a record
            continue
        row_number += 1
        if len(record) != len(headers):
            ragged.append((row_number, ",".join(record)[:200]))
            continue
        rows.append([value if value != "" else None for value in record])
        numbers.append(row_number)
    names = [f"c{i}" for i in range(len(headers))]
    cells = _table_from_rows(names, rows, numbers)
    selected, ignored = _select(path.name, cells.drop(["_row"]), headers, table, cells.column("_row"))
    return RawTable(selected, encoding, headers, ignored, ragged)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.timedelta):
        return None if not value else str(value)
    text = str(value).strip()
    return text or None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_formulas(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """{(row, column): formula} for the cells of a sheet that hold a formula.

    The fast workbook reader gives the value Excel last cached, which may be stale or missing,
    so formulas are found in the sheet's XML itself and rejected: partners must send values.
    """
    import xml.etree.ElementTree as ET

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    with zipfile.ZipFile(path) as archive:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        rid = next(
            (
                s.get(f"{{{ns['r']}}}id")
                for s in book.iter(f"{{{ns['m']}}}sheet")
                if s.get("name") == sheet_name
            ),
            None,
        )
        target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
        if target is None:
            return {}
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        xml = archive.read(member).decode("utf-8", errors="replace")
    if "<f" not in xml:
        return {}
    formulas = {}
    for cell in re.finditer(r'<c\b[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', xml, re.DOTALL):
        inner = cell.group(3) or ""
        found = re.search(r"<f\b[^>]*?(?:/>|>(.*?)</f>)", inner, re.DOTALL)
        if found:
            formulas[(int(cell.group(2)), _column_index(cell.group(1)))] = "=" + (
                found.group(1) or "(shared formula)"
            )
    return formulas


def read_xlsx(path: Path, table: Table, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> RawTable:
    check_size(path, max_file_mb)
    import python_calamine

    if not zipfile.is_zipfile(path):
        raise FileProblem(f"{path.name}: this is not an Excel workbook (.xlsx)")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
    except Exception as error:  # the reader raises several types for broken workbooks
        raise FileProblem(f"{path.name}: the workbook cannot be opened: {error}") from None
    if table.sheet not in names:
        raise FileProblem(
            f"{path.name}: the workbook has no sheet {table.sheet!r} (its sheets are: {', '.join(names)})"
        )
    try:
        grid = workbook.get_sheet_by_name(table.sheet).to_python(skip_empty_area=False)
        formulas = _sheet_formulas(path, table.sheet)
    except Exception as error:
        raise FileProblem(f"{path.name}: sheet {table.sheet!r} cannot be read: {error}") from None
    headers, rows, numbers = None, [], []
    for number, values in enumerate(grid, start=1):  # Excel's row numbers
        cells = [_cell_text(v) for v in values]
        for (row, column), formula in formulas.items():
            if row == number and column < len(cells):
                cells[column] = formula
        if not any(c is not None for c in cells):
            continue  # an empty worksheet row is not a record
        if headers is None:
            headers = [c or "" for c in cells]
            continue
        cells = (cells + [None] * len(headers))[: len(headers)]
        rows.append(cells)
        numbers.append(number)
    if headers is None:
        raise FileProblem(f"{path.name}: sheet {table.sheet!r} is empty")
    while headers and not headers[-1]:
        headers.pop()
    rows = [r[: len(headers)] for r in rows]
    names = [f"c{i}" for i in range(len(headers))]
    cells = _table_from_rows(names, rows, numbers)
    label = f"{path.name} (sheet {table.sheet!r})"
    selected, ignored = _select(label, cells.drop(["_row"]), headers, table, cells.column("_row"))
    return RawTable(selected, "xlsx", headers, ignored)


def read_statxplore(path: Path, table: Table, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> RawTable:
    """A Stat-Xplore crosstab export: title lines, a table (rows x columns), footnotes.

    The table is unpivoted: each cell becomes a record (row label, column label, value) and keeps
    the file line number of its row, so a reject points at the line a person would look at.
    """
    check_size(path, max_file_mb)
    text, encoding = _decode(path, path.read_bytes(), table.encodings)
    sx = table.statxplore
    lines = list(csv.reader(io.StringIO(text)))
    start = next(
        (i for i, line in enumerate(lines) if line and _norm_header(line[0]) == _norm_header(sx.row_field)),
        None,
    )
    if start is None:
        raise FileProblem(
            f"{path.name}: no table found: expected a header row starting with {sx.row_field!r}"
        )
    column_labels = [c.strip() for c in lines[start][1:]]
    while column_labels and not column_labels[-1]:
        column_labels.pop()
    if not column_labels:
        raise FileProblem(f"{path.name}: the table starting at line {start + 1} has no value columns")
    row_field = next(
        c.name for c in table.columns if _norm_header(sx.row_field) in [_norm_header(h) for h in c.headers]
    )
    column_field, value_column = sx.column_field, sx.value_column
    rows, numbers = [], []
    for offset, line in enumerate(lines[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in line):
            break  # the table ends at the first blank line; footnotes follow
        label = line[0].strip() or None
        for i, column_label in enumerate(column_labels, start=1):
            value = line[i].strip() if i < len(line) else ""
            rows.append({row_field: label, column_field: column_label, value_column: value or None})
            numbers.append(offset)
    cells = pa.table(
        {
            name: pa.array([r.get(name) for r in rows], type=pa.string())
            for name in [c.name for c in table.columns]
        }
        | {"_row": pa.array(numbers, type=pa.int64()), "_record": pa.array(range(len(rows)), type=pa.int64())}
    )
    return RawTable(cells, encoding, [sx.row_field] + column_labels, [])


READERS = {"csv": read_csv, "xlsx": read_xlsx, "statxplore_csv": read_statxplore}


def read_table(path: Path, table: Table, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> RawTable:
    if not path.exists():
        raise FileProblem(f"{path}: the file does not exist")
    return READERS[table.format](path, table, max_file_mb)
