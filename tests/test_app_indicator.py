"""The Indicator page in AppTest, on the demo published file: both languages, good and hostile
URL parameters, withheld values shown as c (never 0), and the CSV download's content."""

from __future__ import annotations

import csv
import io
import shutil

import duckdb
import pyarrow as pa
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from support import ROOT, open_published

from dashboard.i18n import t

PAGE = "pages/indicator.py"
WREXHAM = "W06000006"
HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "ZZ99"]


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
    """Everything a reader sees as text (markdown, captions, headings, notices)."""
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info")
        for e in getattr(at, kind)
    ]
    return "\n".join(parts)


def param(at: AppTest, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def charts(at: AppTest) -> list[list[dict]]:
    """The records of every chart on the page, one list per chart (as sent to the browser)."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    found = []
    for node in walk(at.main):
        if getattr(node, "type", None) == "vega_lite_chart":
            records = []
            for dataset in node.proto.datasets:
                records += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            found.append(records)
    return found


def published(demo_build, sql: str, params=()) -> list[tuple]:
    con = open_published(demo_build["published"])  # as the app opens it (DuckDB wants one configuration)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def first_published(demo_build) -> tuple[str, str, str]:
    """(id, name_en, name_cy) of the page's default: the first published indicator, by outcome
    area (in the framework's order) and display order."""
    areas = [r[0] for r in published(demo_build, "SELECT id FROM outcome_area")]
    rows = published(
        demo_build,
        """SELECT indicator_id, outcome_area, display_order, name_en, name_cy
                                    FROM indicator WHERE status = 'published'""",
    )
    rows.sort(key=lambda r: (areas.index(r[1]) if r[1] in areas else 99, r[2]))
    return rows[0][0], rows[0][3], rows[0][4]


def latest_period(demo_build, indicator_id: str, area: str = WREXHAM) -> str:
    return published(
        demo_build,
        """SELECT period FROM indicator_value WHERE indicator_id = ? AND area_code = ?
                                    AND breakdown = 'all' ORDER BY period_end DESC LIMIT 1""",
        (indicator_id, area),
    )[0][0]


def withheld_ward(demo_build) -> tuple[str, str, str]:
    """A (indicator, ward, period) whose published value is withheld, at the latest period."""
    rows = published(
        demo_build,
        """
        SELECT v.indicator_id, v.area_code, v.period FROM indicator_value v JOIN indicator i USING (indicator_id)
        WHERE v.area_type = 'ward' AND v.breakdown = 'all' AND v.note_codes LIKE '%c%' AND v.value IS NULL
          AND i.status = 'published' AND v.indicator_id = 'S2'
          AND v.period_end = (SELECT max(period_end) FROM indicator_value w WHERE w.indicator_id = 'S2'
                              AND w.area_type = 'ward')
        ORDER BY v.area_code LIMIT 1""",
    )
    assert rows, "the demo data should withhold some ward values of S2"
    return rows[0]


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """Capture the callables given to st.download_button(data=callable), by file name."""
    captured: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured


# --- the default view, in both languages ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_default_view(app_env, lang):
    at = run(lang)
    ind_id, name_en, name_cy = first_published(app_env)
    assert at.title[0].value == t("indicator.title", lang)
    assert at.header[0].value == (name_en if lang == "en" else name_cy)
    assert any(t("common.demo_banner", lang) == w.value for w in at.warning), "the page runs inside app.py"
    assert at.selectbox(key="indicator").value == ind_id
    assert at.selectbox(key="area").value == WREXHAM
    assert at.selectbox(key="period").value == latest_period(app_env, ind_id)
    assert not at.info, [i.value for i in at.info]
    assert at.download_button, "the page offers its figures as a CSV"


def test_welsh_page_is_welsh(app_env):
    at = run("cy", indicator="S2")
    shown = texts(at)
    for key in ("indicator.title", "indicator.breakdown_table", "indicator.download_title"):
        assert t(key, "cy") in shown or t(key, "cy") in [e.label for e in at.expander]
    assert t("indicator.trend_title", "cy", area="Wrecsam") in shown
    assert "Wrexham over time" not in shown and "All wards compared" not in shown
    # Welsh ward names in the ward table and in the list of withheld wards.
    wards = dict(published(app_env, "SELECT name_en, name_cy FROM ward"))
    table = at.dataframe(key="ward_table").value
    names = set(table[t("indicator.col_area", "cy")])
    assert wards["Acrefair North"] == "Gogledd Acre-fair"
    assert "Gogledd Acre-fair" in names and "Acrefair North" not in names
    differing = [en for en, cy in wards.items() if en != cy]
    assert not names & set(differing), "English ward names on the Welsh page"
    bar_names = {r["ward_name"] for r in charts(at)[1] if "ward_name" in r}
    assert "Gogledd Acre-fair" in bar_names and not bar_names & set(differing), "English names in the chart"
    assert set(table.columns) >= {t(f"indicator.col_{c}", "cy") for c in ("area", "value", "notes")}


# --- good parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_good_parameters_open_that_view(app_env, lang):
    ward = "W05001753"
    period = latest_period(app_env, "S2", ward)
    earlier = published(
        app_env,
        """SELECT period FROM indicator_value WHERE indicator_id = 'S2'
                                    AND area_code = ? ORDER BY period_end DESC LIMIT 1 OFFSET 3""",
        (ward,),
    )[0][0]
    at = run(lang, indicator="S2", area=ward, period=earlier)
    name_cy, name_en = published(app_env, "SELECT name_cy, name_en FROM ward WHERE ward_code = ?", (ward,))[0]
    ward_name = name_en if lang == "en" else name_cy
    assert at.selectbox(key="indicator").value == "S2"
    assert at.selectbox(key="area").value == ward
    assert at.selectbox(key="period").value == earlier != period
    assert not at.info
    assert at.subheader[0].value == t("indicator.trend_title", lang, area=ward_name)
    assert param(at, "indicator") == "S2" and param(at, "area") == ward and param(at, "period") == earlier
    # The figure's sentence is the published one for that ward and period.
    value = published(
        app_env,
        """SELECT value FROM indicator_value WHERE indicator_id = 'S2' AND area_code = ?
                                  AND period = ? AND breakdown = 'all'""",
        (ward, earlier),
    )[0][0]
    assert f"{value:,.1f}" in texts(at)


def test_wrexham_only_indicator_has_no_ward_choice(app_env):
    ind = published(
        app_env,
        "SELECT indicator_id FROM indicator WHERE lowest_geography = 'wrexham' "
        "AND status = 'published' ORDER BY display_order LIMIT 1",
    )[0][0]
    at = run("en", indicator=ind, area="W05001753")
    assert at.selectbox(key="area").value == WREXHAM
    assert at.selectbox(key="area").disabled
    assert at.info and t("common.unknown_value", "en", what=t("common.what_area", "en")) in at.info[0].value
    assert t("indicator.wards_title", "en", period="")[:20] not in texts(at)


# --- hostile or unknown parameters ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize("key", ["indicator", "area", "period"])
def test_bad_parameters_fall_back_with_a_notice(app_env, lang, bad, key):
    params = {"indicator": "S2", key: bad}
    at = run(lang, **params)
    notice = t("common.unknown_value", lang, what=t(f"common.what_{key}", lang))
    assert [i.value for i in at.info] == [notice]
    if key == "indicator":
        ind_id, name_en, name_cy = first_published(app_env)
        assert at.selectbox(key="indicator").value == ind_id
        assert at.header[0].value == (name_en if lang == "en" else name_cy)
    else:
        assert at.selectbox(key="indicator").value == "S2"
    if key == "area":
        assert at.selectbox(key="area").value == WREXHAM
    if key == "period":
        assert at.selectbox(key="period").value == latest_period(app_env, "S2")
    shown = texts(at)
    assert "<script>" not in shown and "OR 1=1" not in shown and "x" * 50 not in shown
    assert param(at, key) != bad


# --- withheld values ------------------------------------------------------------------------------


def test_withheld_value_is_c_never_zero(app_env):
    ind, ward, period = withheld_ward(app_env)
    at = run("en", indicator=ind, area=ward, period=period)
    assert "**c**" in [m.value for m in at.markdown], "the figure box says c"
    assert t("common.withheld_explained", "en") in texts(at)
    value_col, _period_col = t("indicator.col_value", "en"), t("indicator.col_period", "en")
    notes_col, area_col = t("indicator.col_notes", "en"), t("indicator.col_area", "en")
    tables_with_withheld = 0
    for frame in (d.value for d in at.dataframe):
        withheld = frame[frame[notes_col].str.split().map(lambda c: "c" in c)]
        tables_with_withheld += bool(len(withheld))
        assert set(withheld[value_col]) <= {"c"}
        assert not withheld[value_col].isin(["0", "0.0", ""]).any()
    assert tables_with_withheld >= 2, "the ward's trend and the ward table both hold withheld rows"
    wards = at.dataframe(key="ward_table").value
    row = wards[
        wards[area_col] == published(app_env, "SELECT name_en FROM ward WHERE ward_code = ?", (ward,))[0][0]
    ]
    assert list(row[value_col]) == ["c"]
    # The sentence says the value is withheld, not a number.
    assert "withheld (c)" in texts(at)
    # The charts: the ward's period is marked c with no value; its ward bar is a c, not a bar.
    trend, wards = charts(at)[:2]
    mark = [r for r in trend if r.get("role") == "area" and r.get("period_label") and r["note"] == "c"]
    assert mark and all(r["value"] is None and r["value_label"] == "c" for r in mark)
    assert any(
        r["period_end"].startswith(
            str(
                published(
                    app_env,
                    """SELECT period_end FROM indicator_value
               WHERE indicator_id = ? AND area_code = ? AND period = ? AND breakdown = 'all'""",
                    (ind, ward, period),
                )[0][0]
            )[:10]
        )
        for r in mark
    )
    bars = [r for r in wards if r.get("area_code") == ward]
    assert bars and all(r["value"] is None and r["note"] == "c" for r in bars)


# --- the CSV download ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_csv_download_is_what_is_shown(app_env, deferred, lang):
    ind, ward, period = withheld_ward(app_env)
    at = run(lang, indicator=ind, period=period)
    button = at.download_button[0]
    assert button.label == t("indicator.download_button", lang)
    assert button.proto.deferred_file_id, "data is a callable, built on click"
    ((name, make),) = deferred.items()
    assert name.endswith(f"_{lang}.csv") and name.startswith(f"{ind}_")
    content = make()
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    columns = [
        "section",
        "area",
        "period",
        "breakdown",
        "breakdown_value",
        "numerator",
        "denominator",
        "value",
        "lower_95",
        "upper_95",
        "compared_wales",
        "compared_wrexham",
        "trend",
        "notes",
    ]
    assert rows[0] == [t(f"indicator.col_{c}", lang) for c in columns]
    body = rows[1:]
    assert len(body) == sum(len(d.value) for d in at.dataframe), "the CSV holds the rows of the tables shown"
    value, notes = columns.index("value"), columns.index("notes")
    withheld = [r for r in body if "c" in r[notes].split()]
    assert withheld and all(r[value] == "c" for r in withheld)
    ward_name = published(app_env, f"SELECT name_{lang} FROM ward WHERE ward_code = ?", (ward,))[0][0]
    assert any(r[columns.index("area")] == ward_name and r[value] == "c" for r in body)
    # Numbers are plain (no thousands separators) and match the published values.
    wrexham = published(
        app_env,
        """SELECT value FROM indicator_value WHERE indicator_id = ? AND area_code = ?
                                    AND period = ? AND breakdown = 'all'""",
        (ind, WREXHAM, period),
    )[0][0]
    assert f"{wrexham:.1f}" in [r[value] for r in body]
    if lang == "cy":
        assert any(r[columns.index("area")] == "Wrecsam" for r in body)


# --- an indicator that could not be published -----------------------------------------------------


def test_not_available_indicator_says_why(demo_build, tmp_path, monkeypatch):
    copy = tmp_path / "published.duckdb"
    shutil.copy(demo_build["published"], copy)
    con = duckdb.connect(str(copy))
    con.execute("ALTER TABLE indicator ALTER problem TYPE VARCHAR")
    con.execute(
        "UPDATE indicator SET status = 'not available', problem = 'The partner has not sent this extract yet.' "
        "WHERE indicator_id = 'S3'"
    )
    con.execute("DELETE FROM indicator_value WHERE indicator_id = 'S3'")
    con.close()
    monkeypatch.setenv("PEH_PUBLISHED", str(copy))
    for lang in ("en", "cy"):
        at = run(lang, indicator="S3")
        assert at.selectbox(key="indicator").value == "S3"
        assert any(
            t("indicator.not_available", lang, problem="")[:20] in i.value
            and "has not sent this extract" in i.value
            for i in at.info
        )
        assert not at.download_button and not at.dataframe
        assert any(t("indicator.not_available_tag", lang) in o for o in at.selectbox(key="indicator").options)


def test_every_indicator_renders(app_env):
    """Each indicator, for Wrexham and (where published) its first ward, in Welsh."""
    rows = published(
        app_env, "SELECT indicator_id, lowest_geography, name_cy FROM indicator ORDER BY display_order"
    )
    first_ward = published(app_env, "SELECT ward_code FROM ward ORDER BY ward_code LIMIT 1")[0][0]
    notice = t("common.unknown_value", "cy", what="")[:30]
    for indicator, geography, name_cy in rows:
        at = run("cy", indicator=indicator)
        assert at.header[0].value == name_cy
        assert not [i.value for i in at.info if i.value.startswith(notice)], indicator
        if geography == "ward":
            at = run("cy", indicator=indicator, area=first_ward)
            assert at.selectbox(key="area").value == first_ward
            assert not [i.value for i in at.info if i.value.startswith(notice)], indicator
