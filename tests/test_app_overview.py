"""The app shell and the Overview page, server-side (AppTest), in both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import ROOT, open_published

HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "cy; DROP TABLE indicator"]


def run(lang=None, vintage=None, timeout=60):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if lang is not None:
        at.query_params["lang"] = lang
    if vintage is not None:
        at.query_params["vintage"] = vintage
    at.run()
    return at


def test_overview_in_english(app_env):
    at = run("en")
    assert not at.exception
    assert at.title[0].value == "How are Wrexham's children and families doing?"
    headers = [h.value for h in at.header]
    assert headers[:5] == ["Happy", "Healthy", "Safe", "Resilient", "Early help system"]
    assert any("Demo data" in w.value for w in at.warning)
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_overview_in_welsh(app_env):
    at = run("cy")
    assert not at.exception
    assert at.title[0].value == "Sut mae plant a theuluoedd Wrecsam yn dod ymlaen?"
    assert [h.value for h in at.header][:5] == [
        "Hapus",
        "Iach",
        "Diogel",
        "Cydnerth",
        "System cymorth cynnar",
    ]
    assert any("Data enghreifftiol" in w.value for w in at.warning)


def test_overview_tables_show_every_published_indicator(app_env):
    con = open_published(app_env["published"])
    published = con.execute("SELECT count(*) FROM indicator WHERE status = 'published'").fetchall()[0][0]
    at = run("en")
    shown = sum(len(frame.value) for frame in at.dataframe[:5])
    assert shown == published


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_language_falls_back_with_a_notice(app_env, bad):
    at = run(bad)
    assert not at.exception
    assert at.title[0].value == "How are Wrexham's children and families doing?"
    notices = [i.value for i in at.info]
    assert any("does not exist (language)" in n for n in notices)
    assert all(bad[:20] not in n for n in notices)  # the notice never repeats the link


@pytest.mark.parametrize("bad", HOSTILE + ["2019-20-Q1", "../../etc/passwd"])
def test_unknown_vintage_falls_back_to_the_latest(app_env, bad):
    at = run("en", vintage=bad)
    assert not at.exception
    assert any("does not exist (published quarter)" in i.value for i in at.info)


def test_a_kept_vintage_is_shown_with_a_note(app_env):
    kept = sorted((app_env["published_dir"] / "vintages").glob("*.duckdb"))
    assert kept, "the build keeps its quarter as a vintage"
    at = run("cy", vintage=kept[0].stem)
    assert not at.exception
    assert any("fel y cawsant eu cyhoeddi" in i.value for i in at.info)


def test_no_published_file_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PEH_PUBLISHED", str(tmp_path / "missing.duckdb"))
    at = run("en")
    assert not at.exception
    assert any("make run" in w.value for w in at.warning)
