"""The About page (what the dashboard is, sources, methods, accessibility and Welsh language
statements, licences), server-side (AppTest), in both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import ROOT, open_published

HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000]


def run(lang="en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang if lang in ("en", "cy") else "en"
    at.run()
    at.switch_page("pages/about.py")
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def partners(published, lang: str) -> list[str]:
    con = open_published(published)
    try:
        return [r[0] for r in con.execute(f"SELECT name_{lang} FROM partner").fetchall()]
    finally:
        con.close()


def test_about_in_english(app_env):
    at = run("en")
    assert not at.exception
    assert at.title[0].value == "About this dashboard"
    assert [h.value for h in at.header] == [
        "Where the data comes from",
        "How the figures are worked out",
        "Downloads and the API",
        "Accessibility statement",
        "Welsh language statement",
        "Data sources and licences",
    ]
    assert any("/api/v1/openapi.json" in c.value for c in at.code)
    body = text(at)
    for partner in partners(app_env["published"], "en"):
        assert f"- {partner}" in body
    assert "**These are demo figures.**" in body  # the demo file says so
    # methods in plain words
    for words in (
        "95% confidence interval",
        "Wilson",
        "Byar",
        "latest five periods",
        "2.66",
        "counts from 1 to 4 are withheld",
        "never as 0",
    ):
        assert words in body, words
    for code in ("c = withheld", "x = not available", "e = estimated", "p = provisional"):
        assert code in body
    # the accessibility statement has what the regulations ask for
    for words in (
        "WCAG) version 2.2 at level AA",
        "partially compliant",
        "What we know is not fully accessible",
        "Reporting a problem",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
    ):
        assert words in body, words
    # the Welsh language statement
    assert "Welsh Language Standards" in body and "language switch is on every page" in body
    # sources and licences
    for words in (
        "Open Government Licence v3.0",
        "Contains OS data © Crown copyright and database right 2022",
        "Welsh Index of Multiple Deprivation (WIMD) 2019",
        "computed by this dashboard from the ward centroids",
    ):
        assert words in body, words
    assert at.get("page_link")[0].proto.page == "data_quality"


def test_about_in_welsh(app_env):
    at = run("cy")
    assert not at.exception
    assert at.title[0].value == "Ynghylch y dangosfwrdd hwn"
    assert [h.value for h in at.header][2:5] == [
        "Lawrlwytho a'r API",
        "Datganiad hygyrchedd",
        "Datganiad iaith Gymraeg",
    ]
    body = text(at)
    for partner in partners(app_env["published"], "cy"):
        assert f"- {partner}" in body
    for words in (
        "Ffigurau enghreifftiol yw'r rhain",
        "Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC)",
        "Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS)",
        "yn cydymffurfio'n rhannol",
        "Safonau'r Gymraeg",
        "Trwydded Llywodraeth Agored v3.0",
        "â [Chomisiynydd y Gymraeg]",
        "c = wedi'i atal",
    ):
        assert words in body, words
    assert "Equality and Human Rights Commission" not in body


def test_about_says_which_map_the_wards_page_draws(app_env, monkeypatch):
    monkeypatch.delenv("WARD_BOUNDARIES", raising=False)
    assert "showing the hex map" in text(run("en"))
    monkeypatch.setenv("WARD_BOUNDARIES", "../shared/reference/wrexham_wards_2022.geojson")
    assert "showing the ward boundaries" in text(run("en"))


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_parameters_change_nothing(app_env, lang, bad):
    at = run(lang, ward=bad, indicator=bad)
    assert not at.exception
    assert at.title[0].value == ("About this dashboard" if lang == "en" else "Ynghylch y dangosfwrdd hwn")
    assert bad[:20] not in text(at)


@pytest.mark.parametrize("bad", HOSTILE)
def test_a_bad_language_falls_back_to_english_with_a_notice(app_env, bad):
    at = run(bad)
    assert not at.exception
    assert at.title[0].value == "About this dashboard"
    notices = [i.value for i in at.info]
    assert any("does not exist (language)" in n for n in notices)
    assert all(bad[:20] not in n for n in notices)
