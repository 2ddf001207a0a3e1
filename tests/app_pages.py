"""The page names app.py registers, read from its source (importing app.py would run it)."""

import re
from pathlib import Path

PAGE_NAMES = re.findall(
    r'^\s*\("(\w+)", "pages/', (Path(__file__).resolve().parent.parent / "app.py").read_text(), re.MULTILINE
)
