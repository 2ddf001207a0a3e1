"""English and Welsh catalogues are complete and in step, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n import LANGUAGES, catalogue
from dashboard.theme import COMPARISON, TREND

ROOT = Path(__file__).resolve().parent.parent
CODE = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "dashboard").glob("*.py"))]
# Entries that are rightly the same in both languages (names, codes, symbols).
SAME_IN_BOTH = {
    "common.language_en",
    "common.language_cy",
    "common.withheld",
    "common.not_available",
    "nav.wards",
    "overview.rug_ward",
}


def test_every_key_is_in_both_languages_and_not_empty():
    english, welsh = catalogue("en"), catalogue("cy")
    assert sorted(set(english) - set(welsh)) == []
    assert sorted(set(welsh) - set(english)) == []
    assert [k for k, v in {**english, **welsh}.items() if not v.strip()] == []


def test_placeholders_match_between_languages():
    english, welsh = catalogue("en"), catalogue("cy")
    names = lambda text: sorted(re.findall(r"{(\w+)}", text))  # noqa: E731
    assert [k for k in english if names(english[k]) != names(welsh.get(k, ""))] == []


def test_welsh_is_not_a_copy_of_the_english():
    english, welsh = catalogue("en"), catalogue("cy")
    copied = [k for k in english if english[k] == welsh[k] and k not in SAME_IN_BOTH and len(english[k]) > 12]
    assert copied == []


def test_every_key_used_in_the_code_exists():
    english = catalogue("en")
    used = set()
    for path in CODE:
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8"))
        )
    assert used, "the scan found no keys at all"
    assert sorted(k for k in used if k not in english) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_keys_built_at_run_time_exist(language):
    entries = catalogue(language)
    built = [f"judgement.{j.replace(' ', '_')}" for j in list(COMPARISON) + list(TREND)]
    built += [
        f"judgement.{s.replace(' ', '_')}"
        for s in ("special cause high", "special cause low", "common cause")
    ]
    built += [
        f"common.what_{w}"
        for w in (
            "indicator",
            "ward",
            "area",
            "period",
            "vintage",
            "service",
            "outcome_area",
            "breakdown",
            "language",
        )
    ]
    from app_pages import PAGE_NAMES

    built += [f"nav.{name}" for name in PAGE_NAMES]
    assert [k for k in built if k not in entries] == []
