"""The Downloads page in Debian's chromium: the file the page downloads is byte-for-byte the API's
answer for the link the page shows (same filters), in English and Welsh."""

from __future__ import annotations

import urllib.request

import pytest
from browser_helpers import shoot, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "lang, query, button",
    [
        ("en", "indicator=S2&area=wards&from=2024-25+Q1", "CSV file"),
        ("cy", "indicator=S4&area=W06000006&breakdown=any", "Ffeil CSV"),
        ("cy", "indicator=E1&area=W06000006", "Llyfr gwaith Excel"),
        ("en", "indicator=S2&area=W06000006", "Data package (ZIP)"),
    ],
)
def test_page_download_is_byte_for_byte_the_api(server, page, tmp_path, lang, query, button):
    page.goto(f"{server}/downloads?{query}&lang={lang}")
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    link = page.locator("a[href^='/api/v1/data.csv']").first.get_attribute("href")
    assert link and f"lang={lang}" in link
    kind = {"CSV file": "csv", "Ffeil CSV": "csv", "Llyfr gwaith Excel": "xlsx", "Data package (ZIP)": "zip"}[
        button
    ]
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name=button).click()
    saved = tmp_path / "download"
    info.value.save_as(saved)
    from_page = saved.read_bytes()
    api = link.replace("/api/v1/data.csv", f"/api/v1/data.{kind}")
    with urllib.request.urlopen(server + api, timeout=60) as response:
        from_api = response.read()
    assert len(from_page) > 500
    assert from_page == from_api
    if kind == "csv":
        assert from_page.startswith(b"\xef\xbb\xbf")
    shoot(page, f"downloads_{lang}_{kind}")


def test_downloads_page_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{server}/downloads?lang=cy")
        wait_idle(page)
        assert page.locator("[data-testid=stException]").count() == 0
        shoot(page, "downloads_cy_phone")
    finally:
        context.close()
