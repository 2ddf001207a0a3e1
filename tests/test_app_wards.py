"""The Wards page, server-side (AppTest), in both languages: map, ward profile, URL handling."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support import ROOT, SHARED_REFERENCE, open_published

from dashboard import maps, profile_charts

HOSTILE = ["W05999999", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "w05001750"]
DEFAULT_WARD = "W05001713"  # the lowest code: Acrefair North / Gogledd Acre-fair
GEOJSON = SHARED_REFERENCE / "wrexham_wards_2022.geojson"


@pytest.fixture(autouse=True)
def hex_by_default(monkeypatch):
    monkeypatch.delenv("WARD_BOUNDARIES", raising=False)
    maps.load_boundaries.clear()


def run(lang="en", **params) -> AppTest:
    """Open the app, then the Wards page with these URL parameters (AppTest needs one run of
    app.py before switch_page, so that the page is found among those st.navigation registers)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/wards.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def map_spec(at: AppTest) -> dict:
    return next(spec for spec in charts(at) if spec.get("params", [{}])[0].get("name") == "ward_pick")


def map_features(spec: dict, layer: int) -> list[dict]:
    return json.loads(spec["layer"][layer]["data"]["values"])["features"]


def ward_latest(published, indicator: str) -> pd.DataFrame:
    con = open_published(published)
    try:
        return con.execute(
            """
            SELECT v.area_code, v.value, v.note_codes, w.name_en, w.name_cy FROM indicator_value v
            JOIN ward w ON w.ward_code = v.area_code
            WHERE v.indicator_id = ? AND v.area_type = 'ward' AND v.breakdown = 'all'
              AND v.period_end = (SELECT max(period_end) FROM indicator_value
                                  WHERE indicator_id = ? AND area_type = 'ward')""",
            [indicator, indicator],
        ).df()
    finally:
        con.close()


def test_wards_page_in_english(app_env):
    at = run("en")
    assert not at.exception
    assert at.title[0].value == "Wards"
    assert at.selectbox(key="ward").value == DEFAULT_WARD
    assert at.selectbox(key="indicator").value == "R7"
    assert "Acrefair North" in [s.value for s in at.subheader]
    assert len(at.get("vega_lite_chart")) == 2  # the map and the spine chart
    captions = " ".join(c.value for c in at.caption)
    assert "layout worked out by this dashboard from the ward centroids" in captions
    assert "Welsh Index of Multiple Deprivation" in captions
    assert not at.info  # nothing to complain about


def test_wards_page_in_welsh_shows_welsh_ward_names(app_env):
    at = run("cy", ward="W05001750")
    assert not at.exception
    assert at.title[0].value == "Wardiau"
    options = at.selectbox(key="ward").options
    assert "Gogledd Acre-fair" in options and "Acrefair North" not in options
    assert "Pen-y-cae" in [s.value for s in at.subheader]
    names = {f["ward_name"] for f in map_features(map_spec(at), 3)}
    assert "Gogledd Acre-fair" in names and "Acrefair North" not in names
    markdown = " ".join(m.value for m in at.markdown)
    assert "Mae 49 ward Wrecsam wedi'u rhannu'n bum grŵp" in markdown
    assert "Mynegai Amddifadedd Lluosog Cymru" in " ".join(c.value for c in at.caption)
    spine = [s for s in charts(at) if s.get("params", [{}])[0].get("name") != "ward_pick"][0]
    assert "O'i gymharu â Wrecsam" in json.dumps(spine, ensure_ascii=False)


def test_a_ward_and_indicator_from_the_url_are_shown(app_env):
    at = run("en", ward="W05001750", indicator="S2")
    assert not at.exception
    assert at.selectbox(key="ward").value == "W05001750"
    assert at.selectbox(key="indicator").value == "S2"
    assert "Penycae" in [s.value for s in at.subheader]
    assert not at.info
    # the chosen ward is outlined on the map
    spec = map_spec(at)
    assert "W05001750" in json.dumps(spec["layer"][3]["encoding"]["stroke"])


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("bad", HOSTILE)
def test_a_bad_ward_falls_back_to_the_default_with_a_notice(app_env, lang, bad):
    at = run(lang, ward=bad)
    assert not at.exception
    assert at.selectbox(key="ward").value == DEFAULT_WARD
    notices = [i.value for i in at.info]
    assert any(("(ward)" in n) for n in notices), notices
    assert all(bad[:20] not in n for n in notices)  # the notice never repeats the link


@pytest.mark.parametrize("bad", HOSTILE + ["S4", "s2"])  # S4 is Wrexham-only: not mappable
def test_a_bad_indicator_falls_back_to_the_default_with_a_notice(app_env, bad):
    at = run("en", indicator=bad)
    assert not at.exception
    assert at.selectbox(key="indicator").value == "R7"
    assert any("does not exist (indicator)" in i.value for i in at.info)


def test_withheld_wards_show_c_and_are_never_coloured_as_values(app_env):
    rows = ward_latest(app_env["published"], "S2")
    withheld = set(rows.loc[rows["note_codes"].fillna("").str.split().map(lambda c: "c" in c), "area_code"])
    assert withheld, "the demo data withholds some wards for S2"
    at = run("en", indicator="S2")
    assert not at.exception
    spec = map_spec(at)
    coloured = {f["ward_code"] for f in map_features(spec, 0)}
    assert coloured.isdisjoint(withheld)
    marked = {row["ward_code"] for row in spec["layer"][2]["data"]["values"] if row["mark"] == "c"}
    assert marked == withheld
    table = at.dataframe[0].value  # the map as a table
    by_name = dict(zip(table["ward_name"], table["value_label"]))
    for name in rows.loc[rows["area_code"].isin(withheld), "name_en"]:
        assert by_name[name] == "c"
    sentence = " ".join(m.value for m in at.markdown)
    assert f"{len(withheld)} of the 49 wards have their figure withheld (c)" in sentence
    assert any("c = withheld" in c.value for c in at.caption)


def test_withheld_shows_c_in_the_ward_profile(app_env):
    at = run("cy", ward=DEFAULT_WARD)
    assert not at.exception
    profile = at.dataframe[1].value
    con = open_published(app_env["published"])
    try:
        withheld = con.execute(
            """
            SELECT count(*) FROM indicator_value v JOIN indicator i USING (indicator_id)
            WHERE v.area_code = ? AND v.breakdown = 'all' AND i.status = 'published'
              AND list_contains(string_split(coalesce(v.note_codes, ''), ' '), 'c')
              AND v.period_end = (SELECT max(period_end) FROM indicator_value w
                                  WHERE w.indicator_id = v.indicator_id AND w.area_type = 'ward')""",
            [DEFAULT_WARD],
        ).fetchall()[0][0]
    finally:
        con.close()
    assert withheld > 0
    assert (profile["value_label"] == "c").sum() == withheld
    assert (profile["judgement_label"] == "c Wedi'i atal").sum() == withheld
    assert profile.loc[profile["value_label"] == "c", "value"].isna().all()


def test_the_profile_lists_every_published_ward_level_indicator(app_env):
    con = open_published(app_env["published"])
    try:
        expected = [
            r[0]
            for r in con.execute("""SELECT indicator_id FROM indicator WHERE lowest_geography = 'ward'
                                                 AND status = 'published' ORDER BY display_order""").fetchall()
        ]
    finally:
        con.close()
    at = run("en", ward="W05001750")
    assert list(at.dataframe[1].value["indicator_id"]) == expected
    assert len(at.get("page_link")) == len(expected)
    link = at.get("page_link")[0].proto
    assert link.page == "indicator"
    assert "area=W05001750" in link.query_string and "indicator=" + expected[0] in link.query_string


def test_the_map_selects_wards_by_click(app_env):
    at = run("en")
    chart = next(c for c in at.get("vega_lite_chart") if "ward_pick" in c.proto.selection_mode)
    assert list(chart.proto.selection_mode) == ["ward_pick"]
    assert chart.proto.alt.startswith("Hex map of Wrexham's 49 wards")


def test_real_boundaries_when_configured(app_env, monkeypatch):
    monkeypatch.setenv("WARD_BOUNDARIES", str(GEOJSON))
    at = run("cy", indicator="S2")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Yn cynnwys data'r AO © Hawlfraint y Goron a hawl cronfa ddata 2022" in captions
    assert not at.info
    geometry = map_features(map_spec(at), 3)[0]["geometry"]
    assert geometry["type"] == "Polygon" and len(geometry["coordinates"][0]) > 7  # not a hexagon


def test_boundaries_that_fail_fall_back_with_a_short_notice(app_env, monkeypatch, tmp_path):
    broken = tmp_path / "wards.geojson"
    broken.write_text("{ this is not json", encoding="utf-8")
    monkeypatch.setenv("WARD_BOUNDARIES", str(broken))
    at = run("en")
    assert not at.exception
    assert any("could not be used (the boundary file is not valid JSON)" in i.value for i in at.info)
    assert "layout worked out by this dashboard" in " ".join(c.value for c in at.caption)
    assert len(map_features(map_spec(at), 3)) == 49


def test_a_dead_boundary_url_falls_back(app_env, monkeypatch):
    monkeypatch.setenv("WARD_BOUNDARIES", "http://127.0.0.1:9/wards.geojson")
    at = run("en")
    assert not at.exception
    assert any("could not be downloaded in time" in i.value for i in at.info)


# --- the spine chart's layout ------------------------------------------------------------------


def _row(value, wrexham, low, high, polarity="high_good", value_type="proportion", wales=None):
    return {
        "value": value,
        "wrexham_value": wrexham,
        "wales_value": wales,
        "ward_min": low,
        "ward_max": high,
        "polarity": polarity,
        "value_type": value_type,
    }


def test_better_is_always_to_the_right():
    placed = profile_charts.positions(
        pd.DataFrame(
            [
                _row(80.0, 70.0, 50.0, 90.0, "high_good"),  # higher and high is good -> right
                _row(80.0, 70.0, 50.0, 90.0, "low_good"),  # higher but low is good -> left
                _row(60.0, 70.0, 50.0, 90.0, "low_good"),  # lower and low is good -> right
            ]
        )
    )
    assert placed.loc[0, "pos_ward"] > 0.5 > placed.loc[1, "pos_ward"]
    assert placed.loc[2, "pos_ward"] > 0.5
    assert (placed["pos_wrexham"] == 0.5).all()
    assert placed[["pos_min", "pos_max", "pos_ward"]].stack().between(0, 1).all()


def test_withheld_ward_values_are_not_placed_and_counts_have_no_wrexham_line():
    placed = profile_charts.positions(
        pd.DataFrame(
            [
                _row(None, 70.0, 50.0, 90.0),
                _row(20.0, 321.0, 0.0, 40.0, "no_judgement", "count"),
            ]
        )
    )
    assert pd.isna(placed.loc[0, "pos_ward"]) and placed.loc[0, "pos_wrexham"] == 0.5
    assert pd.isna(placed.loc[1, "pos_wrexham"]) and placed.loc[1, "pos_ward"] == pytest.approx(0.5)


def test_wales_is_placed_only_when_published():
    placed = profile_charts.positions(
        pd.DataFrame([_row(80.0, 70.0, 50.0, 90.0, wales=75.0), _row(80.0, 70.0, 50.0, 90.0)])
    )
    assert 0.5 < placed.loc[0, "pos_wales"] < placed.loc[0, "pos_ward"]
    assert pd.isna(placed.loc[1, "pos_wales"])


def test_the_spine_chart_is_valid_vega_lite():
    import altair as alt

    rows = profile_charts.positions(
        pd.DataFrame([_row(80.0, 70.0, 50.0, 90.0, wales=75.0), _row(None, 70.0, 50.0, 90.0)])
    )
    rows = rows.assign(
        label=["A", "B"],
        judgement=["better", "withheld"],
        judgement_word=["Better", "Withheld"],
        judgement_label=["▲ Better", "c Withheld"],
        value_label=["80.0%", "c"],
        wrexham_label="70.0%",
        wales_label="75.0%",
        period_label="2026",
    )
    texts = {
        k: k
        for k in (
            "axis",
            "legend",
            "tooltip_indicator",
            "tooltip_ward",
            "tooltip_wrexham",
            "tooltip_wales",
            "tooltip_compared",
            "tooltip_period",
        )
    }
    chart = profile_charts.spine_chart(rows, ["A", "B"], texts)
    spec = alt.LayerChart.to_dict(chart, validate=True)
    assert spec == chart.to_dict()
    ward_layer = spec["layer"][4]
    assert ward_layer["encoding"]["shape"]["scale"]["range"] == ["triangle-up"]  # shape as well as colour
    assert ward_layer["encoding"]["fill"]["scale"]["domain"] == ["Better"]
