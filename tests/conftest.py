"""Fixtures shared by the tests (helpers they import by name live in support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT, SHARED_REFERENCE, Inbox, open_published, police_csv  # noqa: F401


@pytest.fixture(autouse=True)
def pages_go_through_app_py(monkeypatch):
    """Every AppTest run goes through app.py's st.navigation, as the real server does.

    A folder named pages/ beside app.py puts Streamlit in its old multipage mode, which runs a
    switched-to page on its own (no language, notices or demo banner). server.py clears the
    mode at start-up; AppTest resets it before every run, so the same fix is applied here."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def inbox(tmp_path) -> Inbox:
    return Inbox(tmp_path / "inbox")


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
    return {
        "inbox": folder / "inbox",
        "warehouse": folder / "warehouse.duckdb",
        "published": report.path,
        "published_dir": folder / "published",
        "report": report,
    }


@pytest.fixture
def app_env(demo_build, monkeypatch):
    """Point the app at the demo published file."""
    monkeypatch.setenv("PEH_PUBLISHED", str(demo_build["published"]))
    return demo_build
