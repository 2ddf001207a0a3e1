"""The dashboard in a real browser: every page in both languages, the language switch keeps the
view, a copied link reopens it, and screenshots of every page in English and Welsh."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import shoot, wait_idle

pytestmark = pytest.mark.browser

PAGES = ["", "indicator", "wards", "services", "data_quality", "about"]


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_in_both_languages(server, page, path, lang):
    page.goto(f"{server}/{path}?lang={lang}")
    wait_idle(page)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("h1").count() >= 1
    shoot(page, f"{path or 'overview'}_{lang}")


def test_navigation_across_all_pages_keeps_the_language(server, page):
    page.goto(f"{server}/?lang=cy")
    wait_idle(page)
    for label in ["Dangosydd", "Wardiau", "Gwasanaethau", "Ansawdd data", "Ynghylch", "Trosolwg"]:
        page.get_by_role("link", name=label).first.click()
        wait_idle(page)
        assert parse_qs(urlparse(page.url).query).get("lang") == ["cy"], page.url
        assert page.evaluate("document.documentElement.lang") == "cy"
        assert page.locator("[data-testid=stException]").count() == 0


def test_switching_language_keeps_the_view(server, page):
    page.goto(f"{server}/indicator?indicator=S2&lang=en")
    wait_idle(page)
    before = parse_qs(urlparse(page.url).query)
    assert page.get_by_role("radio", name="Cymraeg").count() == 1  # the switch is a radio group
    page.get_by_text("Cymraeg", exact=True).click()  # its input is hidden; people click the label
    wait_idle(page)
    after = parse_qs(urlparse(page.url).query)
    assert after["lang"] == ["cy"]
    assert after.get("indicator") == before.get("indicator") == ["S2"]
    assert urlparse(page.url).path.endswith("/indicator")
    assert page.evaluate("document.documentElement.lang") == "cy"


def test_a_copied_link_reopens_the_same_view(server, browser, page):
    page.goto(f"{server}/indicator?indicator=S5&lang=cy")
    wait_idle(page)
    copied = page.url
    heading = page.locator("h1").first.inner_text()
    other = browser.new_context(viewport={"width": 1366, "height": 2400}).new_page()
    other.goto(copied)
    wait_idle(other)
    assert other.locator("h1").first.inner_text() == heading
    assert parse_qs(urlparse(other.url).query) == parse_qs(urlparse(copied).query)
    other.context.close()


def test_a_hostile_link_shows_a_notice_not_an_error(server, page):
    page.goto(f"{server}/indicator?indicator=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lang=%27%20OR%201%3D1--")
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("does not exist").count() >= 1
    assert page.evaluate("document.documentElement.lang") == "en"


def test_a_fresh_server_serves_a_deep_link_through_the_app(fresh_server, page):
    """The first request a server ever gets is a shared link to a page, in Welsh."""
    page.goto(f"{fresh_server}/wards?lang=cy")
    wait_idle(page)
    assert page.evaluate("document.documentElement.lang") == "cy"
    # Each link's text ends with its label (an icon's ligature name comes first).
    nav = [a.inner_text().split("\n")[-1] for a in page.locator("[data-testid=stSidebarNav] a").all()]
    assert "Wardiau" in nav and "wards" not in nav and "app" not in nav
    assert page.get_by_text("Data enghreifftiol").count() >= 1
