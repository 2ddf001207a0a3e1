"""The Services page in AppTest, on the demo published file: both languages, good and hostile
URL parameters, the demand funnel and SPC from published figures, withheld values as c."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from support import ROOT, open_published

from dashboard.i18n import t
from dashboard.periods import period_label

PAGE = "pages/services.py"
WREXHAM = "W06000006"
HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "no_such_service"]


def run(lang: str = "en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join(
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info")
        for e in getattr(at, kind)
    )


def published(path, sql: str, params=()) -> list[tuple]:
    con = open_published(path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def service_name(path, service: str, lang: str) -> str:
    return published(path, f"SELECT name_{lang} FROM service WHERE id = ?", (service,))[0][0]


def latest_row(path, indicator: str) -> dict:
    con = open_published(path)
    try:
        frame = con.execute(
            """SELECT * FROM indicator_value WHERE indicator_id = ? AND area_code = ?
                               AND breakdown = 'all' ORDER BY period_end DESC LIMIT 1""",
            [indicator, WREXHAM],
        ).df()
    finally:
        con.close()
    return frame.iloc[0].to_dict()


# --- default view, good and bad parameters -------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_default_view_is_childrens_services(app_env, lang):
    at = run(lang)
    assert at.title[0].value == t("services.title", lang)
    assert at.header[0].value == service_name(app_env["published"], "childrens_services", lang)
    assert at.selectbox(key="service").value == "childrens_services"
    subheaders = [s.value for s in at.subheader]
    assert subheaders == [
        t(f"services.{k}", lang)
        for k in ("indicators_title", "funnel_title", "placements_title", "spc_title")
    ]
    assert any(t("common.demo_banner", lang) == w.value for w in at.warning), "the page runs inside app.py"
    assert not at.info


def test_welsh_page_is_welsh(app_env):
    at = run("cy")
    english = {
        t(f"services.{k}", "en")
        for k in (
            "title",
            "indicators_title",
            "funnel_title",
            "placements_title",
            "spc_title",
            "funnel_caveat",
            "select_hint",
        )
    }
    shown = texts(at)
    assert not [e for e in english if e in shown], "English headings on the Welsh page"
    assert "Gwasanaethau cymdeithasol plant" in shown and "Galw ar wasanaethau cymdeithasol plant" in shown
    table = at.dataframe(key="service_indicators").value
    names_cy = {
        r[0]
        for r in published(
            app_env["published"], "SELECT name_cy FROM indicator WHERE service = 'childrens_services'"
        )
    }
    assert set(table["indicator"]) == names_cy
    funnel = [d.value for d in at.dataframe if t("services.col_stage", "cy") in d.value.columns][0]
    assert list(funnel[t("services.col_stage", "cy")])[0] == t("services.stage_contacts", "cy")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_good_parameter_opens_that_service(app_env, lang):
    at = run(lang, service="wellbeing_hub")
    assert at.selectbox(key="service").value == "wellbeing_hub"
    assert at.header[0].value == service_name(app_env["published"], "wellbeing_hub", lang)
    subheaders = [s.value for s in at.subheader]
    assert t("services.funnel_title", lang) not in subheaders, "the funnel is for children's services only"
    assert t("services.spc_title", lang) in subheaders
    spc_name = published(
        app_env["published"],
        f"""SELECT name_{lang} FROM indicator WHERE service = 'wellbeing_hub'
                                                   AND spc AND status = 'published' ORDER BY display_order""",
    )
    assert spc_name and f"**{spc_name[0][0]}**" in [m.value for m in at.markdown]
    assert not at.info


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("bad", HOSTILE)
def test_bad_service_falls_back_with_a_notice(app_env, lang, bad):
    at = run(lang, service=bad)
    assert [i.value for i in at.info] == [
        t("common.unknown_value", lang, what=t("common.what_service", lang))
    ]
    assert at.selectbox(key="service").value == "childrens_services"
    shown = texts(at)
    assert "<script>" not in shown and "OR 1=1" not in shown and "x" * 50 not in shown


def test_every_service_renders(app_env):
    for (service,) in published(app_env["published"], "SELECT id FROM service"):
        at = run("cy", service=service)
        assert at.selectbox(key="service").value == service
        assert at.header[0].value == service_name(app_env["published"], service, "cy")


# --- the figures are the published ones ----------------------------------------------------------


def test_funnel_uses_published_counts(app_env):
    at = run("en")
    funnel = [d.value for d in at.dataframe if t("services.col_stage", "en") in d.value.columns][0]
    counts = dict(zip(funnel[t("services.col_stage", "en")], funnel[t("services.col_count", "en")]))
    path = app_env["published"]
    quarter = latest_row(path, "S1")["period"]
    expected = {
        "contacts": ("E4", "denominator"),
        "referrals": ("E5", "numerator"),
        "assessments": ("S5", "denominator"),
        "care_support": ("S7", "numerator"),
        "child_protection": ("S3", "numerator"),
        "looked_after": ("S1", "value"),
    }
    for stage, (indicator, field) in expected.items():
        value = published(
            path,
            f"""SELECT {field} FROM indicator_value WHERE indicator_id = ? AND area_code = ?
                                    AND breakdown = 'all' AND period = ?""",
            (indicator, WREXHAM, quarter),
        )[0][0]
        assert counts[t(f"services.stage_{stage}", "en")] == f"{value:,.0f}"


def test_spc_sentence_names_the_published_signal(app_env):
    at = run("en")
    row = latest_row(app_env["published"], "S1")
    assert row["spc_signal"], "S1 has published SPC signals in the demo data"
    words = t("services.signal_" + row["spc_signal"].replace(" ", "_"), "en")
    short = published(app_env["published"], "SELECT short_name_en FROM indicator WHERE indicator_id = 'S1'")[
        0
    ][0]
    assert any(m.value.startswith(f"{short}: ") and words in m.value for m in at.markdown)


# --- withheld values -------------------------------------------------------------------------------


def test_withheld_values_show_as_c_never_zero(demo_build, tmp_path, monkeypatch):
    """Withhold the latest Wrexham figures of S9 (placements) and S3 (a funnel stage) in a copy
    of the published file: the page must say c, never 0."""
    copy = tmp_path / "published.duckdb"
    shutil.copy(demo_build["published"], copy)
    con = duckdb.connect(str(copy))
    for indicator in ("S9", "S3"):
        con.execute(
            """UPDATE indicator_value SET value = NULL, numerator = NULL, lower_95 = NULL, upper_95 = NULL,
                       note_codes = 'c', withheld_reason = 'small count'
                       WHERE indicator_id = ? AND area_code = ? AND breakdown = 'all'
                         AND period_end = (SELECT max(period_end) FROM indicator_value
                                           WHERE indicator_id = ? AND area_code = ?)""",
            [indicator, WREXHAM, indicator, WREXHAM],
        )
    con.close()
    monkeypatch.setenv("PEH_PUBLISHED", str(copy))
    for lang in ("en", "cy"):
        at = run(lang)
        table = at.dataframe(key="service_indicators").value
        names = dict(published(copy, f"SELECT indicator_id, name_{lang} FROM indicator"))
        latest = dict(zip(table["indicator"], table["latest"]))
        assert latest[names["S9"]] == "c" and latest[names["S3"]] == "c"
        assert t("common.withheld_explained", lang) in texts(at)
        funnel = [d.value for d in at.dataframe if t("services.col_stage", lang) in d.value.columns][0]
        counts = dict(zip(funnel[t("services.col_stage", lang)], funnel[t("services.col_count", lang)]))
        assert counts[t("services.stage_child_protection", lang)] == "c"
        assert "0" not in counts.values()
        assert "**c**" in [m.value for m in at.markdown], "the S9 placements figure says c"
        period = published(copy, "SELECT max(period) FROM indicator_value WHERE indicator_id = 'S9'")[0][0]
        withheld = t(
            "indicator.s_withheld",
            lang,
            area=t("common.wrexham", lang),
            period=period_label(period, "quarterly", lang),
        )
        assert any(m.value.startswith(withheld) for m in at.markdown), "the S9 sentence says it is withheld"
