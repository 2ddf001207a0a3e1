"""The warehouse file: built beside the live one, swapped in only when complete.

A build writes `.<name>.building-<pid>` in the same folder, checkpoints and closes it, then
os.replace()s it over the live file. os.replace is atomic on one filesystem, so a reader sees
either the old warehouse or the new one; a reader that already has the old file open keeps its
(now unlinked) inode and is never broken. A build that fails or is killed leaves the live file
exactly as it was; its half-built file is removed then, or at the start of the next build.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb


def building_path(live: Path) -> Path:
    return live.with_name(f".{live.name}.building-{os.getpid()}")


def remove_stale_builds(live: Path) -> None:
    """Delete half-built files left by builds that were killed (their process is gone)."""
    for path in live.parent.glob(f".{live.name}.building-*"):
        pid = path.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            for leftover in (path, Path(str(path) + ".wal")):
                leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def building(live: Path):
    """Yield a connection to a fresh file beside `live`; swap it in if the block succeeds."""
    live = Path(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(live)
    path = building_path(live)
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(path, live)
    except BaseException:
        with contextlib.suppress(Exception):
            con.close()
        for leftover in (path, Path(str(path) + ".wal")):
            leftover.unlink(missing_ok=True)
        raise


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)
