"""Helpers shared by the tests (imported by name; conftest.py holds only fixtures)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"


class Inbox:
    """A temporary inbox: add files with a chosen received time, build, and query the result."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.warehouse = folder.parent / "warehouse.duckdb"

    def add(
        self, name: str, content: bytes | str, received: str = "2026-01-15 09:00", encoding: str = "utf-8"
    ) -> Path:
        path = self.folder / name
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        stamp = dt.datetime.fromisoformat(received).replace(tzinfo=dt.UTC).timestamp()
        os.utime(path, (stamp, stamp))
        return path

    def build(self, **options):
        from etl.build import build

        return build(self.folder, self.warehouse, progress=False, **options)

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


POLICE_HEADER = "Month,Ward,Measure,Count\n"


def police_csv(*rows: str) -> str:
    return POLICE_HEADER + "".join(row + "\n" for row in rows)


def open_published(path):
    """Open a published file exactly as the app does. DuckDB refuses a second connection to a
    file with a different configuration in the same process, so tests must match the app's."""
    return duckdb.connect(
        str(path), read_only=True, config={"enable_external_access": False, "lock_configuration": True}
    )


def axe_script() -> Path:
    """axe-core from the npm registry, pinned in package.json/package-lock.json (`npm ci`)."""
    script = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install axe-core (apt-get install npm)"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=300,
        )
    assert script.exists()
    return script
