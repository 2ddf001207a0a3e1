"""The board pack from the command line: PDF in English and Welsh (text checked with pypdf),
bad input exits non-zero with a message, and the HTML pack passes axe-core in Debian's chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from support import ROOT, axe_script
from test_board import two_vintages  # noqa: F401  (the fixture: demo file + a constructed earlier vintage)

from dashboard.i18n import t

AREAS = {
    "en": ["Happy", "Healthy", "Safe", "Resilient", "Early help system"],
    "cy": ["Hapus", "Iach", "Diogel", "Cydnerth", "System cymorth cynnar"],
}
QUARTER = {"en": "July to September 2026", "cy": "Gorffennaf i Fedi 2026"}
EXCEPTION = {"en": "Children looked after placed outside Wrexham", "cy": None}


@pytest.fixture(scope="module")
def pack_files(two_vintages, tmp_path_factory):  # noqa: F811
    """The two vintages, with one exception made in this quarter: S9 (children placed outside
    Wrexham) significantly worse than Wales and getting worse."""
    folder = tmp_path_factory.mktemp("pack")
    shutil.copytree(two_vintages.parent, folder, dirs_exist_ok=True)
    for path in (folder / "published.duckdb", folder / "vintages" / "2026-27-Q2.duckdb"):
        con = duckdb.connect(str(path))
        con.execute("""UPDATE indicator_value SET compared_to_wales = 'worse', compared_to_wales_998 = 'worse',
                       trend_judgement = 'getting worse', wales_value = 30
                       WHERE indicator_id = 'S9' AND area_code = 'W06000006' AND breakdown = 'all'
                         AND period = '2026-27 Q2'""")
        con.close()
    return folder / "published.duckdb"


def boardpack(published: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEH_PUBLISHED": str(published)}
    return subprocess.run(
        [sys.executable, "-m", "reports", "boardpack", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_pdf_pack_says_the_quarter_every_area_and_the_exceptions(pack_files, tmp_path, lang):
    from pypdf import PdfReader

    out = tmp_path / f"pack-{lang}.pdf"
    done = boardpack(pack_files, "--quarter", "2026-27Q2", "--language", lang, "--out", str(out))
    assert done.returncode == 0, done.stderr
    reader = PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert QUARTER[lang] in flat
    for area in AREAS[lang]:
        assert area in flat, area
    for key in (
        "h_contents",
        "h_summary",
        "h_exceptions",
        "h_worse_and_worsening",
        "h_newly_worse",
        "h_new",
        "h_revisions",
    ):
        assert t(f"board.{key}", lang) in flat, key
    # the exception made in the fixture is listed under its heading
    exceptions = flat.split(t("board.h_worse_and_worsening", lang))[-1]
    name = EXCEPTION[lang] or t("board.h_exceptions", lang)
    if lang == "cy":
        import duckdb as db

        con = db.connect(str(pack_files), read_only=True)
        name = con.execute("SELECT name_cy FROM indicator WHERE indicator_id = 'S9'").fetchall()[0][0]
        con.close()
    assert name in exceptions
    assert t("board.none_worse_and_worsening", lang) not in flat
    if lang == "cy":
        assert "Eithriadau" in flat and "Cynnwys" in flat and "Exceptions" not in flat
    # A4, a page number and the vintage on every page
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    for number, page in enumerate(pages, start=1):
        page_flat = " ".join(page.split())
        assert f"{t('board.page', lang)} {number} {t('board.of', lang)} {len(pages)}" in page_flat
        assert "2026-27 Q2" in page_flat and "UTC" in page_flat
    # charts are vector graphics: no raster image anywhere in the pack
    assert all(len(page.images) == 0 for page in reader.pages)
    assert len(pages) > 5


@pytest.mark.parametrize(
    "quarter, expected",
    [
        ("2019-20Q1", "the first quarter published is 2026-27 Q1"),
        ("2030-31Q1", "the latest quarter published is 2026-27 Q2"),
        ("Q2 please", "is not a quarter"),
    ],
)
def test_bad_quarters_exit_non_zero_with_a_message(pack_files, tmp_path, quarter, expected):
    out = tmp_path / "pack.pdf"
    done = boardpack(pack_files, "--quarter", quarter, "--out", str(out))
    assert done.returncode == 1
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_a_quarter_with_no_figures_exits_non_zero(pack_files, tmp_path):
    folder = tmp_path / "empty"
    shutil.copytree(pack_files.parent, folder)
    con = duckdb.connect(str(folder / "published.duckdb"))
    con.execute("DELETE FROM indicator_value")
    con.close()
    (folder / "vintages" / "2026-27-Q2.duckdb").unlink()
    done = boardpack(folder / "published.duckdb", "--out", str(tmp_path / "pack.pdf"))
    assert done.returncode == 1 and "No figures were published for the quarter 2026-27 Q2" in done.stderr


def test_a_missing_published_file_exits_non_zero(tmp_path):
    done = boardpack(tmp_path / "nothing.duckdb", "--out", str(tmp_path / "pack.pdf"))
    assert done.returncode == 1 and "error:" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_html_pack_passes_axe_in_chromium(pack_files, tmp_path, lang):
    from playwright.sync_api import sync_playwright

    out = tmp_path / f"pack-{lang}.html"
    done = boardpack(pack_files, "--language", lang, "--out", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert f"<html lang='{lang}'>" in html and "<th scope='col'>" in html and "alt='" in html
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Debian's chromium is needed (make chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.goto(out.as_uri())
            page.add_script_tag(path=str(axe_script()))
            result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
        finally:
            browser.close()
    problems = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert problems == []
    assert len(result["passes"]) > 10
