"""Writing demo workbooks with xlsxwriter so that the bytes are the same on every run.

xlsxwriter stamps a creation time into docProps/core.xml unless one is given, and zips the
parts with fixed timestamps; fixing 'created' therefore makes a workbook reproducible.
constant_memory mode streams rows to disk, which keeps memory flat for large case lists
(rows must then be written in order, which is how the source modules write them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

DATE_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mmm-yy"


class Workbook:
    """A thin wrapper: a fixed-time workbook with the few cell formats the demo uses."""

    def __init__(self, path: Path, created: dt.datetime, title: str, author: str):
        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        self.book.set_properties({"title": title, "author": author, "company": author, "created": created})
        self.date = self.book.add_format({"num_format": DATE_FORMAT})
        self.month = self.book.add_format({"num_format": MONTH_FORMAT})
        self.bold = self.book.add_format({"bold": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})

    def cover(self, lines: list[str]) -> None:
        """A 'Cover' sheet of notes (the ETL ignores it)."""
        sheet = self.book.add_worksheet("Cover")
        sheet.set_column(0, 0, 100)
        for i, line in enumerate(lines):
            sheet.write_string(i, 0, line, self.title if i == 0 else None)

    def sheet(self, name: str, header: list[str], widths: list[int] | None = None):
        """A data sheet with a bold header row (frozen) and column widths."""
        sheet = self.book.add_worksheet(name)
        for c, text in enumerate(header):
            sheet.write_string(0, c, text, self.bold)
        for c, w in enumerate(widths or []):
            sheet.set_column(c, c, w)
        sheet.freeze_panes(1, 0)
        return sheet

    def close(self) -> None:
        """Write the workbook to disk."""
        self.book.close()
