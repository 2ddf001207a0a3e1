"""Take screenshots of pages (a development aid: look at what you build).

Usage: .venv/bin/python scripts/screenshots.py BASE_URL OUT_DIR path1 path2 ...  (paths like '/?lang=cy')
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

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


def wait_idle(page, timeout: float = 30000) -> None:
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_timeout(300)


def main() -> None:
    base, out, paths = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        # Streamlit scrolls inside its own container, so a tall viewport shows the whole page.
        for width, height, tag in ((1366, 4200, "desktop"), (390, 5200, "phone")):
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in paths:
                page.goto(base + path)
                wait_idle(page)
                name = path.strip("/").replace("?", "_").replace("&", "_").replace("=", "-") or "home"
                page.screenshot(path=str(out / f"{name}_{tag}.png"), full_page=True)
                print(out / f"{name}_{tag}.png", page.evaluate("document.documentElement.lang"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
