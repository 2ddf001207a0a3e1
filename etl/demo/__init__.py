"""Deterministic generator of realistic demo partner extracts for the Wrexham Prevention and
Early Help outcomes dashboard.

Real partner data is confidential, so the project ships synthetic extracts shaped on Wrexham's
published figures, with the mess partners really send. Everything is byte-for-byte
reproducible for a given (seed, scale): no wall clock, no uuid4, no set/dict-order randomness;
each source draws from its own random stream (see world.World.rng). Each file's modification
time is set to its simulated received time, which the ETL reads as the delivery time.

    from etl.demo import generate
    generate("data/inbox", seed=20260401, scale=1.0)

or `python -m etl demo --out DIR [--seed N] [--scale K]`. Modules:

    world.py               wards, deprivation, population, calendar, random streams
    mess.py                the deliberate mess and bad rows (DELIBERATE_PROBLEMS), CSV writing
    records.py, xlsx.py    helpers for record-level data and reproducible workbooks
    childrens_services.py  WCCIS record-level extracts (two full extracts)
    looked_after.py        the care model behind them (periods, placements, costs)
    early_help.py          early help Excel returns
    education.py           schools, attendance, exclusions, Year 11 destinations
    bcuhb.py               health board returns
    police.py              North Wales Police monthly counts
    youth_justice.py       first-time entrants
    dwp.py                 Stat-Xplore children in low income families
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import bcuhb, childrens_services, dwp, early_help, education, mess, police, youth_justice
from .mess import DELIBERATE_PROBLEMS, Problem
from .world import AS_OF, build_world

__all__ = ["generate", "DELIBERATE_PROBLEMS", "Problem", "MARKER_FILE", "SOURCES"]

MARKER_FILE = "DEMO_DATA.txt"
# Source modules (each draws from its own random stream, so the order does not change the
# data). The two heavy ones come first so that, run in parallel, they start at once.
SOURCES = (early_help, childrens_services, education, bcuhb, police, youth_justice, dwp)
# Above this scale the sources are generated in two processes (the benchmark runs at ~22).
PARALLEL_FROM_SCALE = 4.0


def _run_source(name: str, out: Path, seed: int, scale: float) -> tuple[list[Path], list]:
    """Generate one source (in this process or a worker); returns paths and bad-row entries."""
    module = next(m for m in SOURCES if m.__name__ == name)
    log = mess.ProblemLog()
    paths = module.generate(build_world(seed, scale), out, log)
    return paths, log.entries


def generate(out_dir, seed: int = 20260401, scale: float = 1.0, *, workers: int | None = None) -> list[Path]:
    """Write every demo partner extract into out_dir; return the paths written.

    seed: any non-negative integer; the same seed and scale give identical bytes.
    scale: multiplies volumes (records, counts, pupils, the populations behind counts); the 49
      wards stay. 1 is Wrexham; about 22 is all of Wales (used for benchmarks).
    workers: processes to use; default 1, or 2 when scale > 4 (sources are independent, so
      the bytes are the same either way).
    The last path is DEMO_DATA.txt, the marker that labels everything built from the folder
    as demo data.
    """
    if int(seed) < 0:
        raise ValueError("seed must be a non-negative integer")
    if not float(scale) > 0:
        raise ValueError("scale must be positive")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seed, scale = int(seed), float(scale)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if scale > PARALLEL_FROM_SCALE else 1
    names = [m.__name__ for m in SOURCES]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run_source, n, out, seed, scale) for n in names]
            results = [f.result() for f in futures]
    else:
        results = [_run_source(n, out, seed, scale) for n in names]
    log = mess.ProblemLog()
    paths: list[Path] = []
    for source_paths, entries in results:
        paths.extend(source_paths)
        log.entries.extend(entries)
    paths.append(_write_marker(out, build_world(seed, scale), log, paths))
    return paths


def _write_marker(out: Path, world, log: mess.ProblemLog, paths: list[Path]) -> Path:
    """DEMO_DATA.txt: says the folder is synthetic, how it was made, and where the bad rows are."""
    lines = [
        "SYNTHETIC DEMO DATA - NOT REAL PARTNER DATA",
        "",
        "Every file in this folder was made by the project's demo generator (etl.demo,",
        "`python -m etl demo`). No row describes a real child, family, school or incident.",
        "Anything built from this folder must be labelled as demo data.",
        "",
        "generator: etl.demo",
        f"seed: {world.seed}",
        f"scale: {world.scale:g}",
        f"as_of: {AS_OF.date().isoformat()} (the demo's 'today': deliveries due before it and "
        "not received are overdue)",
        f"files: {len(paths)}",
        "",
        "File modification times are the simulated received times (UTC).",
        "",
        "Deliberate problems (etl.demo.mess.DELIBERATE_PROBLEMS): kind | file pattern | what",
    ]
    lines += [f"- {p.kind} | {p.file} | {p.what}" for p in DELIBERATE_PROBLEMS]
    lines += ["", "Bad rows placed in this run (file | where | what):"]
    lines += [f"- {line}" for line in log.lines()]
    path = out / MARKER_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mess.set_received(path, AS_OF)
    return path
