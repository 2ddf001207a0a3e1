"""The Data quality page, server-side (AppTest), in both languages, and its sentences."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support import ROOT, open_published

from dashboard import sentences

HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000]


def run(lang="en", **params) -> AppTest:
    """Open the app, then this page with these URL parameters (a bad language is sent to the page,
    not to the first run, so that its notice shows on this page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang if lang in ("en", "cy") else "en"
    at.run()
    at.switch_page("pages/data_quality.py")
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def published_table(published, name: str) -> pd.DataFrame:
    con = open_published(published)
    try:
        return con.execute(f'SELECT * FROM "{name}"').df()
    finally:
        con.close()


def partner_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("- ")]


def test_data_quality_in_english(app_env):
    at = run("en")
    assert not at.exception
    assert at.title[0].value == "Data quality"
    assert any("Demo data" in w.value for w in at.warning)
    assert [h.value for h in at.header] == [
        "Each partner",
        "Each data set",
        "Files that arrived late",
        "Each file received",
    ]
    assert any(c.value.startswith("Checked against today's date: ") for c in at.caption)


def test_data_quality_in_welsh(app_env):
    at = run("cy")
    assert not at.exception
    assert at.title[0].value == "Ansawdd data"
    assert [h.value for h in at.header][0] == "Pob partner"
    assert any("Heddlu Gogledd Cymru" in line for line in partner_lines(at))
    # reasons for rejecting rows are translated
    every_reason = " ".join(
        " ".join(frame.value.get("reasons", pd.Series(dtype=str)).astype(str)) for frame in at.dataframe
    )
    assert "rhes wag" in every_reason and "blank row" not in every_reason


def test_one_sentence_per_partner_and_overdue_by_icon_and_word(app_env):
    status = published_table(app_env["published"], "source_status")
    today = dt.date.today()
    status["overdue"] = status["next_due"].map(lambda d: pd.notna(d) and today > pd.Timestamp(d).date())
    expected = status.groupby("partner_en")["overdue"].any()
    at = run("en")
    lines = partner_lines(at)
    assert len(lines) == len(expected)
    for partner, overdue in expected.items():
        line = next(line for line in lines if f"· {partner}:" in line)
        if overdue:
            assert line.startswith("- ⚠ **Overdue**") and "have not arrived" in line
        else:
            assert line.startswith("- ✓ **Up to date**") and "everything due so far has arrived" in line
    table = at.dataframe[0].value
    assert sorted(table["state"].str.startswith("⚠ Overdue")) == sorted(status["overdue"])
    if status["overdue"].any():
        assert any(
            f"{int(status['overdue'].sum())} of the {len(status)} data sets are overdue" in w.value
            for w in at.warning
        )


def test_rows_read_landed_and_rejected_per_file(app_env):
    loads = published_table(app_env["published"], "load_summary")
    at = run("en")
    files = pd.concat([frame.value for frame in at.dataframe if "read" in frame.value.columns])
    assert len(files) == len(loads)
    assert sorted(files["file"]) == sorted(loads["file"])
    assert files["rejected"].str.replace(",", "").astype(int).sum() == loads["rows_rejected"].sum()
    police = files[files["file"] == "nwp_children_2018-19Q1_to_2024-25Q4.csv"].iloc[0]
    assert police["reasons"].startswith("blank row (4)")
    late = loads["late"].fillna(False).astype(bool)
    assert any(
        f"{int(late.sum())} of the {len(loads)} files arrived after their due date" in m.value
        for m in at.markdown
    )
    revised = files[files["file"] == "nwp_children_2025-26Q3_v2.csv"].iloc[0]
    assert revised["revisions"] == "2"


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_parameters_change_nothing(app_env, lang, bad):
    at = run(lang, ward=bad, indicator=bad, area=bad)
    assert not at.exception
    assert at.title[0].value == ("Data quality" if lang == "en" else "Ansawdd data")
    assert all(bad[:20] not in m.value for m in at.markdown)


@pytest.mark.parametrize("bad", HOSTILE + ["fr"])
def test_a_bad_language_falls_back_to_english_with_a_notice(app_env, bad):
    at = run(bad)
    assert not at.exception
    assert at.title[0].value == "Data quality"
    notices = [i.value for i in at.info]
    assert any("does not exist (language)" in n for n in notices)
    assert all(bad[:20] not in n for n in notices)


# --- the sentences and words behind the page ---------------------------------------------------


def test_the_overdue_sentence_reads_plainly():
    period = sentences.due_period_text(pd.Timestamp("2026-09-30"), "quarterly", "en")
    line = sentences.partner_delivery(
        "North Wales Police",
        [{"dataset": None, "period": period, "due": pd.Timestamp("2026-10-31")}],
        None,
        "en",
    )
    assert line == (
        "North Wales Police: the July to September 2026 figures were due on 31 October 2026 "
        "and have not arrived."
    )
    welsh = sentences.partner_delivery(
        "Heddlu Gogledd Cymru",
        [
            {
                "dataset": None,
                "period": sentences.due_period_text(pd.Timestamp("2026-09-30"), "quarterly", "cy"),
                "due": pd.Timestamp("2026-10-31"),
            }
        ],
        None,
        "cy",
    )
    assert welsh == (
        "Heddlu Gogledd Cymru: roedd ffigurau Gorffennaf i Fedi 2026 i fod i gyrraedd erbyn "
        "31 Hydref 2026, ac nid ydynt wedi cyrraedd."
    )


def test_several_overdue_data_sets_each_get_a_sentence():
    line = sentences.partner_delivery(
        "Health board",
        [
            {"dataset": "breastfeeding", "period": "April to June 2026", "due": pd.Timestamp("2026-07-31")},
            {
                "dataset": "child measurement",
                "period": "School year 2024/25",
                "due": pd.Timestamp("2026-05-28"),
            },
        ],
        None,
        "en",
    )
    assert line == (
        "Health board: the breastfeeding figures for April to June 2026 were due on 31 July 2026 and "
        "have not arrived. The child measurement figures for School year 2024/25 were due on "
        "28 May 2026 and have not arrived."
    )


def test_an_up_to_date_partner_says_when_the_next_figures_are_due():
    assert sentences.partner_delivery("DWP", [], pd.Timestamp("2027-05-05"), "en") == (
        "DWP: everything due so far has arrived. The next figures are due on 5 May 2027."
    )
    assert sentences.partner_delivery("DWP", [], pd.Timestamp("2027-05-05"), "cy").endswith(
        "erbyn 5 Mai 2027."
    )


@pytest.mark.parametrize(
    "end, cadence, lang, words",
    [
        ("2026-12-31", "quarterly", "en", "October to December 2026"),
        ("2027-03-31", "quarterly", "cy", "Ionawr i Fawrth 2027"),
        ("2026-03-31", "annual", "en", "April 2025 to March 2026"),
        ("2026-12-31", "termly", "en", "Autumn term 2026/27"),
        ("2027-07-31", "termly", "cy", "Tymor yr Haf 2026/27"),
        ("2026-09-30", "monthly", "en", "September 2026"),
        ("2026-08-15", "quarterly", "en", "the period to 15 August 2026"),
    ],
)
def test_the_period_due_in_words(end, cadence, lang, words):
    assert sentences.due_period_text(pd.Timestamp(end), cadence, lang) == words


@pytest.mark.parametrize(
    "raw, lang, words",
    [
        ("2026-27 Q2", "en", "July to September 2026"),
        ("2025/26 Summer", "cy", "Tymor yr Haf 2025/26"),
        ("2026-09-01", "en", "September 2026"),
        ("2025-26", "en", "April 2025 to March 2026"),
        ("2025-10", "en", "October 2025"),
        ("2024/25", "en", "School year 2024/25"),
        (None, "en", "not recorded"),
        ("week 12", "en", "week 12"),
    ],
)
def test_periods_received_in_words(raw, lang, words):
    assert sentences.period_text(raw, lang) == words


@pytest.mark.parametrize(
    "reason, welsh",
    [
        ("blank row", "rhes wag"),
        (
            "duplicate key: the same quarter, ward, measure as row 369",
            "allwedd ddyblyg: yr un quarter, ward, measure â rhes 369",
        ),
        ("completed before it started", "wedi'i gwblhau cyn iddo ddechrau"),
        ("a reason nobody has translated yet", "a reason nobody has translated yet"),
    ],
)
def test_reasons_for_rejecting_are_translated(reason, welsh):
    assert sentences.reason_text(reason, "cy") == welsh
    assert sentences.reason_text(reason, "en") == reason
