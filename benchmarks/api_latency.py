"""API latency against a real local server (loopback only, a bounded number of requests).

    PEH_PUBLISHED=path/to/published.duckdb .venv/bin/python benchmarks/api_latency.py [--requests 30]

Starts `streamlit run server.py` on a free 127.0.0.1 port, then times GET requests for a typical
extract (one indicator, Wrexham, all periods) and for the largest extract the API allows (the
filter, among a few broad ones, with the most rows not above extract.MAX_ROWS), as CSV and JSON.
Prints the median and 95th percentile of each. The first request of each kind (cold caches) is
reported separately.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def largest_allowed() -> tuple[dict, int]:
    from dashboard import extract

    candidates = [
        {"area": "wards", "outcome_area": area} for area in ("safe", "happy", "healthy", "resilient", "equal")
    ]
    candidates += [
        {"area": "wards", "from": p} for p in ("2019-20 Q1", "2020-21 Q1", "2021-22 Q1", "2022-23 Q1")
    ]
    candidates += [
        {"area": "all", "breakdown": "any", "from": p} for p in ("2020-21 Q1", "2021-22 Q1", "2022-23 Q1")
    ]
    best, best_rows = None, -1
    for params in candidates:
        try:
            rows = extract.count(extract.parse(params))
        except extract.BadRequest:
            continue
        if best_rows < rows <= extract.MAX_ROWS:
            best, best_rows = params, rows
    return best, best_rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per case (max 200)")
    args = parser.parse_args()
    n = max(5, min(args.requests, 200))
    published = os.environ.get("PEH_PUBLISHED", str(ROOT / "data" / "build" / "published.duckdb"))
    if not Path(published).exists():
        sys.exit(f"no published file at {published}: run `make published` or set PEH_PUBLISHED")
    os.environ["PEH_PUBLISHED"] = published
    big, big_rows = largest_allowed()
    from dashboard import extract

    typical = {"indicator": "S2", "area": "W06000006"}
    typical_rows = extract.count(extract.parse(typical))

    port = free_port()
    server = subprocess.Popen(
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
        env={**os.environ, "PEH_PUBLISHED": published},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("the server did not start")
                time.sleep(0.3)
        print(f"published file: {published}")
        print(f"{n} timed requests per case, one at a time, loopback; limit {extract.MAX_ROWS:,} rows\n")
        print(f"{'case':<34}{'rows':>8}{'bytes':>12}{'cold ms':>10}{'median ms':>11}{'p95 ms':>9}")
        for label, params, rows in (("typical", typical, typical_rows), ("largest allowed", big, big_rows)):
            for kind in ("csv", "json"):
                url = f"{base}/api/v1/data.{kind}?{urlencode(params)}"
                times, size = [], 0
                for _i in range(n + 1):
                    start = time.perf_counter()
                    with urllib.request.urlopen(url, timeout=120) as response:
                        size = len(response.read())
                        assert response.status == 200
                    times.append((time.perf_counter() - start) * 1000)
                cold, warm = times[0], times[1:]
                print(
                    f"{label + ' ' + kind:<34}{rows:>8,}{size:>12,}{cold:>10.0f}"
                    f"{statistics.median(warm):>11.0f}{percentile(warm, 0.95):>9.0f}"
                )
        print(f"\ntypical: {urlencode(typical)}\nlargest allowed: {urlencode(big)}")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
