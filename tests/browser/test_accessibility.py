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
        [WCAG_TAGS, DISABLED_LABELS],
    )
    return result["violations"]


def _described(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        node = v["nodes"][0]
        lines.append(
            f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}; first: {node['html'][:160]}"
        )
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


def _contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of an 'rgb(r, g, b)' or '#rrggbb' colour against white."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(c)) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


CHART_TEXT = (
    "g.role-axis-label text, g.role-axis-title text, g.role-legend-label text, "
    "g.role-legend-title text, g.role-title-text text"
)


@pytest.mark.parametrize("path", ["indicator", "wards", "services", "board"])
def test_chart_text_is_dark_enough(server, page, path):
    """axe does not judge text drawn in a chart's SVG; WCAG 1.4.3 still applies to it."""
    page.goto(f"{server}/{path}?lang=en")
    wait_idle(page)
    page.wait_for_selector(CHART_TEXT, state="attached", timeout=30000)
    fills = page.evaluate(f"""() => [...document.querySelectorAll({CHART_TEXT!r})]
        .map(e => getComputedStyle(e).fill).filter(f => f && f !== 'none')""")
    assert fills, "no chart text found"
    faint = sorted({f for f in fills if _contrast_on_white(f) < 4.5})
    assert not faint, f"chart text under 4.5:1 on white: {faint}"


def test_the_contrast_sum_is_right():
    # WCAG's own examples: black on white 21:1, #767676 on white 4.54:1.
    assert round(_contrast_on_white("#000000"), 1) == 21.0
    assert round(_contrast_on_white("rgb(118, 118, 118)"), 2) == 4.54
