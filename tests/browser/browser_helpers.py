"""Waiting and screenshots for browser tests."""

from __future__ import annotations

from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def wait_idle(page, timeout: float = 30000) -> None:
    """After an action: give the rerun time to start, then wait until the script has finished."""
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_timeout(150)


def shoot(page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
