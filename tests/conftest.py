"""Shared test helpers: write small partner files into a temporary inbox and build from it."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"
sys.path.insert(0, str(ROOT))


class Inbox:
    """A temporary inbox: add files with a chosen received time, build, and query the result."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.warehouse = folder.parent / "warehouse.duckdb"

    def add(self, name: str, content: bytes | str, received: str = "2026-01-15 09:00",
            encoding: str = "utf-8") -> Path:
        path = self.folder / name
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        stamp = dt.datetime.fromisoformat(received).replace(tzinfo=dt.timezone.utc).timestamp()
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


@pytest.fixture
def inbox(tmp_path) -> Inbox:
    return Inbox(tmp_path / "inbox")


POLICE_HEADER = "Month,Ward,Measure,Count\n"


def police_csv(*rows: str) -> str:
    return POLICE_HEADER + "".join(row + "\n" for row in rows)


# --- a whole demo pipeline, built once per test session --------------------------------------

@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> dict[str, Path]:
    """Demo extracts (scale 1) -> warehouse -> published file, built once per session.

    Returns the paths: inbox, warehouse, published (and its folder, which holds vintages/)."""
    from etl.build import build as build_warehouse
    from etl.demo import generate
    from indicators.build import build as publish

    folder = tmp_path_factory.mktemp("demo")
    generate(folder / "inbox", seed=20260401, scale=1.0)
    build_warehouse(folder / "inbox", folder / "warehouse.duckdb", progress=False)
    report = publish(folder / "warehouse.duckdb", folder / "published")
    return {"inbox": folder / "inbox", "warehouse": folder / "warehouse.duckdb",
            "published": report.path, "published_dir": folder / "published", "report": report}


@pytest.fixture
def app_env(demo_build, monkeypatch):
    """Point the app at the demo published file."""
    monkeypatch.setenv("PEH_PUBLISHED", str(demo_build["published"]))
    return demo_build


def open_published(path):
    """Open a published file exactly as the app does. DuckDB refuses a second connection to a
    file with a different configuration in the same process, so tests must match the app's."""
    return duckdb.connect(str(path), read_only=True,
                          config={"enable_external_access": False, "lock_configuration": True})
