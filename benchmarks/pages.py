"""Page speed: server-side run time (AppTest) and time until idle in Debian chromium.

Builds the demo pipeline (scale 1) unless --published is given, then for every page and both
languages prints the median and 95th percentile of the server-side script run (AppTest, warm
caches as a running server has them) and of the time from navigation until the app is idle in
a real browser. Targets: median under 300 ms server-side and under 2 s in the browser.

    .venv/bin/python benchmarks/pages.py [--published FILE] [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = {
    "overview": ("pages/overview.py", "", {}),
    "indicator": ("pages/indicator.py", "indicator", {"indicator": "S2"}),
    "wards": ("pages/wards.py", "wards", {}),
    "services": ("pages/services.py", "services", {}),
    "data_quality": ("pages/data_quality.py", "data_quality", {}),
    "about": ("pages/about.py", "about", {}),
}


def demo_published() -> tuple[Path, Path]:
    from etl.build import build as build_warehouse
    from etl.demo import generate
    from indicators.build import build as publish

    work = Path(tempfile.mkdtemp(prefix="page_bench_"))
    generate(work / "inbox")
    build_warehouse(work / "inbox", work / "warehouse.duckdb", progress=False)
    return publish(work / "warehouse.duckdb", work / "published").path, work


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def server_side(runs: int) -> dict[tuple[str, str], list[float]]:
    from streamlit.testing.v1 import AppTest

    times = {}
    for name, (script, _, params) in PAGES.items():
        for lang in ("en", "cy"):
            samples = []
            for i in range(runs + 1):
                # A fresh session each time, as each visitor has; Streamlit's caches are
                # process-wide, so after the first run they are warm as on a running server.
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
                for key, value in {"lang": lang, **params}.items():
                    at.query_params[key] = value
                if name != "overview":
                    at.switch_page(script)
                started = time.perf_counter()
                at.run()
                if i:  # the first run fills the caches, as the first visitor does
                    samples.append(time.perf_counter() - started)
                if at.exception:
                    raise SystemExit(f"{name} ({lang}) raised: {at.exception[0].value}")
            times[(name, lang)] = samples
    return times


def in_browser(published: Path, runs: int) -> dict[tuple[str, str], list[float]]:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PEH_PUBLISHED": str(published)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
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
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        times = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            for name, (_, path, params) in PAGES.items():
                for lang in ("en", "cy"):
                    query = "&".join(f"{k}={v}" for k, v in {"lang": lang, **params}.items())
                    samples = []
                    for i in range(runs + 1):
                        started = time.perf_counter()
                        page.goto(f"{base}/{path}?{query}")
                        page.wait_for_timeout(200)
                        page.wait_for_selector(
                            "[data-testid=stApp][data-test-script-state=notRunning]", timeout=60000
                        )
                        if i:
                            samples.append(time.perf_counter() - started - 0.2)
                    times[(name, lang)] = samples
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    work = None
    published = args.published
    if published is None:
        published, work = demo_published()
    os.environ["PEH_PUBLISHED"] = str(published)
    try:
        server = server_side(args.runs)
        browser = {} if args.no_browser else in_browser(published, max(3, args.runs // 2))
        print(
            f"{'page':<13} {'lang':<4} {'server median ms':>16} {'server p95 ms':>13} "
            f"{'browser median s':>16} {'browser p95 s':>13}"
        )
        for (name, lang), samples in server.items():
            b = browser.get((name, lang))
            print(
                f"{name:<13} {lang:<4} {statistics.median(samples) * 1000:>16.0f} {p95(samples) * 1000:>13.0f} "
                + (f"{statistics.median(b):>16.2f} {p95(b):>13.2f}" if b else f"{'-':>16} {'-':>13}")
            )
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
