"""Default locations, overridable by environment variables (for deployments and tests)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEFAULT_INBOX = Path(os.environ.get("PEH_INBOX", DATA / "inbox"))
DEFAULT_WAREHOUSE = Path(os.environ.get("PEH_WAREHOUSE", DATA / "build" / "warehouse.duckdb"))
