"""A real dashboard server on the demo data, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_dashboard(published: Path):
    """`streamlit run server.py` (as `make run` does) on a free loopback port, until the block ends."""
    port = _free_port()
    env = {
        **os.environ,
        "PEH_PUBLISHED": str(published),
        "WARD_BOUNDARIES": str(ROOT.parent / "shared" / "reference" / "wrexham_wards_2022.geojson"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the dashboard did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def server(demo_build):
    with running_dashboard(demo_build["published"]) as base:
        yield base


@pytest.fixture
def fresh_server(demo_build):
    """A server no one has visited yet (Streamlit behaves differently before its first run)."""
    with running_dashboard(demo_build["published"]) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API keeps an event loop running while it is open, which
    # would break asyncio (the API tests) and other Playwright users later in the session.
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # Streamlit scrolls inside its own container, so a tall window shows (and screenshots) a whole page.
    context = browser.new_context(viewport={"width": 1366, "height": 2400})
    page = context.new_page()
    yield page
    context.close()
