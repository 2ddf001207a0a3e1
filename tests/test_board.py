"""The board's quarter: the diff between two constructed vintages, and the Board page (AppTest)."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support import ROOT

from dashboard.board_view import new_figures_grouped, normalise_quarter, quarter_diff
from dashboard.i18n import t

W = "W06000006"


# --- constructed vintages ------------------------------------------------------------------------


def indicator(indicator_id, polarity="low_good", area="safe", order=1, target=None):
    return {
        "indicator_id": indicator_id,
        "status": "published",
        "display_order": order,
        "outcome_area": area,
        "frequency": "quarterly",
        "value_type": "proportion",
        "polarity": polarity,
        "target_value": target,
        "lead_partner": "childrens_services",
        "load_ids": "[]",
        "name_en": indicator_id,
        "short_name_en": indicator_id,
    }


QUARTERS = [
    ("2025-26 Q1", "2025-06-30"),
    ("2025-26 Q2", "2025-09-30"),
    ("2025-26 Q3", "2025-12-31"),
    ("2025-26 Q4", "2026-03-31"),
    ("2026-27 Q1", "2026-06-30"),
    ("2026-27 Q2", "2026-09-30"),
]


def rows(
    indicator_id,
    values,
    wales="similar",
    wales_998="similar",
    trend="no significant change",
    area_code=W,
    codes=None,
    spc=None,
):
    """One row per quarter (values may be shorter than QUARTERS: the later vintage has more)."""
    out = []
    for i, value in enumerate(values):
        period, end = QUARTERS[i]
        last = i == len(values) - 1
        out.append(
            {
                "indicator_id": indicator_id,
                "period": period,
                "period_end": pd.Timestamp(end),
                "area_type": "wrexham" if area_code == W else "ward",
                "area_code": area_code,
                "breakdown": "all",
                "breakdown_value": "all",
                "value": value,
                "note_codes": (codes or {}).get(i, "p" if last else ""),
                "wales_value": 30.0,
                "compared_to_wales": wales if last else "similar",
                "compared_to_wales_998": wales_998 if last else "similar",
                "trend_judgement": trend,
                "spc_signal": spc,
                "target_met": None,
            }
        )
    return out


@pytest.fixture
def vintages():
    indicators = pd.DataFrame(
        [
            indicator("A", order=1),
            indicator("B", order=2),
            indicator("C", order=3),
            indicator("D", polarity="high_good", order=4, area="happy"),
        ]
    )
    before = pd.DataFrame(
        rows("A", [30, 31, 32, 33, 34], wales="similar", trend="no significant change")
        + rows("B", [20, 21, 22, 23, 24], wales="similar")
        + rows("C", [10, 10, 10, 10, 10])
        + rows("D", [50, 51, 52, 53, 54], codes={3: "x"})
    )
    after = pd.DataFrame(
        # A: significantly worse than Wales and getting worse (and the trend changed)
        rows("A", [30, 31, 32, 33, 34, 36], wales="worse", wales_998="worse", trend="getting worse")
        # B: newly worse than Wales (not at 99.8%), and Q3 revised from 22 to 22.5
        + rows("B", [20, 21, 22.5, 23, 24, 25], wales="worse", wales_998="similar")
        # C: no new quarter (overdue): its latest stays Q1
        + rows("C", [10, 10, 10, 10, 10])
        # D: Q4 arrived late (was 'x'), a new ward figure, and a new quarter
        + rows("D", [50, 51, 52, 53, 54, 56])
        + rows("D", [5, 6, 7, 8, 9, 10], area_code="W05001000")
    )
    info = {"vintage": "2026-27 Q2", "reporting_end": pd.Timestamp("2026-09-30")}
    previous = {"vintage": "2026-27 Q1", "reporting_end": pd.Timestamp("2026-06-30")}
    return indicators, before, after, info, previous


def test_new_figures_are_new_periods_and_late_arrivals(vintages):
    indicators, before, after, info, previous = vintages
    diff = quarter_diff(indicators, after, before, info, previous)
    new = diff.new_figures
    assert set(zip(new["indicator_id"], new["period"], new["kind"])) == {
        ("A", "2026-27 Q2", "new_period"),
        ("B", "2026-27 Q2", "new_period"),
        ("D", "2026-27 Q2", "new_period"),
        ("D", "2025-26 Q4", "arrived"),
    }
    assert diff.new_counts == {"wrexham": 4, "ward": 6}  # no ward rows before: all six are new
    flags = diff.rows.set_index("indicator_id")["is_new"].to_dict()
    assert flags == {"A": True, "B": True, "C": False, "D": True}
    grouped = new_figures_grouped(new)
    assert len(grouped) == 4 and grouped["count"].sum() == 4


def test_revisions_are_values_that_differ_between_vintages(vintages):
    indicators, before, after, info, previous = vintages
    diff = quarter_diff(indicators, after, before, info, previous)
    revised = diff.revisions
    assert list(zip(revised["indicator_id"], revised["period"])) == [("B", "2025-26 Q3")]
    assert revised.iloc[0]["old_value"] == 22 and revised.iloc[0]["new_value"] == 22.5
    assert revised.iloc[0]["partner"] == "childrens_services" and revised.iloc[0]["reason"]


def test_category_and_trend_changes(vintages):
    indicators, before, after, info, previous = vintages
    by_id = quarter_diff(indicators, after, before, info, previous).rows.set_index("indicator_id")
    assert by_id.loc["A", "wales_changed"] and by_id.loc["A", "wales_before"] == "similar"
    assert by_id.loc["B", "wales_changed"] and by_id.loc["B", "wales"] == "worse"
    assert not by_id.loc["C", "wales_changed"]
    assert by_id.loc["A", "trend_changed"] and by_id.loc["A", "trend_before"] == "no significant change"
    assert not by_id.loc["B", "trend_changed"]


def test_changes_since_last_quarter_and_last_year(vintages):
    indicators, before, after, info, previous = vintages
    by_id = quarter_diff(indicators, after, before, info, previous).rows.set_index("indicator_id")
    assert (
        by_id.loc["A", "change_quarter"] == pytest.approx(2)
        and by_id.loc["A", "direction_quarter"] == "worse"
    )
    assert (
        by_id.loc["A", "change_year"] == pytest.approx(5)
        and by_id.loc["A", "year_ago_period"] == "2025-26 Q2"
    )
    assert by_id.loc["D", "direction_quarter"] == "better"  # high is good for D
    assert by_id.loc["C", "direction_quarter"] == "same"
    assert by_id.loc["A", "run"] == 5  # up five quarters running


def test_exceptions_worse_and_worsening_first_then_newly_worse(vintages):
    indicators, before, after, info, previous = vintages
    diff = quarter_diff(indicators, after, before, info, previous)
    assert diff.worse_and_worsening == ["A"]
    assert diff.newly_worse == ["B"]
    # the next quarter, B is still worse: no longer *newly* worse
    again = quarter_diff(indicators, after, after, {**info, "vintage": "2026-27 Q3"}, info)
    assert again.newly_worse == [] and again.worse_and_worsening == ["A"]


def test_without_an_earlier_vintage_nothing_is_a_revision(vintages):
    indicators, _, after, info, _ = vintages
    diff = quarter_diff(indicators, after, None, info)
    assert diff.previous_vintage is None and diff.revisions.empty
    assert set(diff.new_figures["period"]) == {"2026-27 Q2"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-27Q2", "2026-27-Q2"),
        ("2026-27 Q2", "2026-27-Q2"),
        ("2026-27-q1", "2026-27-Q1"),
        ("2026-28Q2", None),
        ("<script>", None),
        ("x" * 5000, None),
        ("", None),
    ],
)
def test_quarters_are_read_strictly(text, expected):
    assert normalise_quarter(text) == expected


# --- the page --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_vintages(demo_build, tmp_path_factory):
    """The demo's published file plus a constructed earlier vintage (2026-27 Q1): the demo file cut
    at 30 June 2026, with one revised figure and one changed trend."""
    folder = tmp_path_factory.mktemp("board")
    (folder / "vintages").mkdir()
    live = folder / "published.duckdb"
    shutil.copyfile(demo_build["published"], live)
    shutil.copyfile(demo_build["published"], folder / "vintages" / "2026-27-Q2.duckdb")
    earlier = folder / "vintages" / "2026-27-Q1.duckdb"
    shutil.copyfile(demo_build["published"], earlier)
    con = duckdb.connect(str(earlier))
    con.execute("DELETE FROM indicator_value WHERE period_end > DATE '2026-06-30'")
    con.execute("UPDATE vintage SET vintage = '2026-27 Q1', reporting_end = DATE '2026-06-30'")
    con.execute("""UPDATE indicator_value SET value = value + 7 WHERE indicator_id = 'S2'
                   AND area_code = 'W06000006' AND breakdown = 'all' AND period = '2025-26 Q4'""")
    con.execute("""UPDATE indicator_value SET trend_judgement = 'getting worse' WHERE indicator_id = 'S2'
                   AND area_code = 'W06000006' AND breakdown = 'all' AND period = '2026-27 Q1'""")
    con.close()
    return live


@pytest.fixture
def board_env(two_vintages, monkeypatch):
    monkeypatch.setenv("PEH_PUBLISHED", str(two_vintages))
    return two_vintages


def run(lang="en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/board.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    return "\n".join(
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
        for e in getattr(at, kind)
    )


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_board_page_shows_the_quarter_against_the_last(board_env, lang):
    at = run(lang)
    assert at.title[0].value == t("board.title", lang)
    headers = [h.value for h in at.header]
    assert t("board.h_exceptions", lang) in headers and t("board.h_revisions", lang) in headers
    assert ("Diogel" if lang == "cy" else "Safe") in headers
    assert at.selectbox(key="quarter").value == "2026-27-Q2"
    text = texts(at)
    assert (
        t(
            "board.compared_with",
            lang,
            previous=("Ebrill i Fehefin 2026" if lang == "cy" else "April to June 2026"),
        )
        in text
    )
    assert len(at.download_button) == 2
    revisions = at.dataframe[-1].value  # the last table on the page
    assert list(revisions.columns)[:4] == [
        t("board." + c, lang) for c in ("col_indicator", "col_period", "col_before", "col_now")
    ]
    period = "Ionawr i Fawrth 2026" if lang == "cy" else "January to March 2026"
    s2 = revisions[revisions.iloc[:, 1] == period]
    assert len(s2) >= 1, "the constructed revision (S2, January to March 2026) is listed"


def test_a_pinned_vintage_shows_last_quarters_board(board_env):
    at = run("cy", vintage="2026-27-Q1")
    assert at.selectbox(key="quarter").value == "2026-27-Q1"
    assert at.selectbox(key="quarter").options == ["Ebrill i Fehefin 2026"]
    assert t("board.no_previous", "cy") in texts(at)


@pytest.mark.parametrize("bad", ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "2026-27-Q9"])
def test_bad_quarters_fall_back_with_a_notice(board_env, bad):
    at = run("en", quarter=bad)
    assert at.selectbox(key="quarter").value == "2026-27-Q2"
    assert any("does not exist (period)" in i.value for i in at.info)
    assert bad[:20] not in texts(at)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_quarter_before_the_first_vintage_says_so(board_env, lang):
    at = run(lang, quarter="2019-20Q1")
    expected = t("board.error_before_first", lang, quarter="2019-20 Q1", first="2026-27 Q1")
    assert any(expected in w.value for w in at.warning)
    assert at.selectbox(key="quarter").value == "2026-27-Q2"


def test_an_unknown_vintage_falls_back_to_the_latest(board_env):
    at = run("en", vintage="2031-32-Q1")
    assert any("does not exist (published quarter)" in i.value for i in at.info)
    assert at.selectbox(key="quarter").value == "2026-27-Q2"


def test_a_quarter_with_no_figures_says_so(board_env, tmp_path, monkeypatch):
    empty = tmp_path / "published.duckdb"
    shutil.copyfile(board_env, empty)
    con = duckdb.connect(str(empty))
    con.execute("DELETE FROM indicator_value")
    con.close()
    monkeypatch.setenv("PEH_PUBLISHED", str(empty))
    at = run("en")
    assert any(t("board.error_no_data", "en", quarter="2026-27 Q2") in w.value for w in at.warning)
    assert not at.download_button
