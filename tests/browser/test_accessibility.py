"""Every page of the dashboard, in English and in Welsh, passes axe-core's WCAG 2.2 A and AA rules
in Debian's chromium: contrast, names for images and controls, lists, landmarks, language.

One exemption, which WCAG makes itself (1.4.3, "incidental"): the label of a disabled control
(the Indicator page's area picker when an indicator is published for Wrexham only) is drawn
faded, and text of an inactive control has no contrast requirement.
"""
from __future__ import annotations

import pytest

from browser_helpers import wait_idle
from support import axe_script

pytestmark = pytest.mark.browser

PAGES = ["", "indicator", "wards", "services", "board", "downloads", "data_quality", "about"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DISABLED_LABELS = "[data-testid=stWidgetLabel][disabled]"


@pytest.fixture(scope="module")
def axe_source() -> str:
    return axe_script().read_text(encoding="utf-8")


def _violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """([tags, exclude]) => axe.run({exclude: [[exclude]]}, {runOnly: {type: 'tag', values: tags}})""",
        [WCAG_TAGS, DISABLED_LABELS])
    return result["violations"]


def _described(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        node = v["nodes"][0]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}; "
                     f"first: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_axe(server, page, axe_source, path, lang):
    page.goto(f"{server}/{path}?lang={lang}")
    wait_idle(page)
    assert page.evaluate("document.documentElement.lang") == lang
    violations = _violations(page, axe_source)
    assert not violations, f"/{path}?lang={lang}:\n" + _described(violations)


def test_axe_finds_a_planted_problem(server, page, axe_source):
    """The check can fail: an image and a button without names are reported."""
    page.goto(f"{server}/about?lang=en")
    wait_idle(page)
    page.evaluate("""() => {
        const box = document.createElement('div');
        box.innerHTML = '<img src="x.png"><button type="button"></button>';
        document.querySelector('[data-testid=stMain]').appendChild(box);
    }""")
    found = {v["id"] for v in _violations(page, axe_source)}
    assert {"image-alt", "button-name"} <= found
