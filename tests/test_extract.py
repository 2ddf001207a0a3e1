"""dashboard/extract.py (the one path behind the Downloads page, its files and the API) and the
Downloads page in AppTest: validation, withheld values, languages, CSV/XLSX injection, the data
package, and a differencing attack across many filtered downloads."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile

import duckdb
import numpy as np
import pytest
from attacker import recoverable
from streamlit.testing.v1 import AppTest
from support import ROOT

from dashboard import extract

HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "ZZ99", "S2\x00", "../../etc/passwd"]


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


# --- parameters ---------------------------------------------------------------------------------


def test_parse_accepts_the_documented_filters(app_env):
    f = extract.parse(
        {
            "indicator": "S1,S2",
            "area": "W06000006,wards",
            "from": "2024-25 Q1",
            "to": "2025-26 Q4",
            "breakdown": "age_band",
            "lang": "cy",
        }
    )
    assert f.indicators == ("S1", "S2") and f.areas == ("W06000006", "wards") and f.lang == "cy"
    assert extract.parse(f.params()) == f, "the API link of a page's filters means the same filters"


@pytest.mark.parametrize(
    "params, code",
    [
        ({"colour": "red"}, "unknown_parameter"),
        ({"indicator": "ZZ99"}, "unknown_value"),
        ({"indicator": "S2' OR 1=1 --"}, "unknown_value"),
        ({"area": "<script>alert(1)</script>"}, "unknown_value"),
        ({"lang": "fr"}, "unknown_value"),
        ({"vintage": "../../published"}, "unknown_value"),
        ({"from": "2099-00 Q9"}, "unknown_value"),
        ({"breakdown": "shoe_size"}, "unknown_value"),
        ({"indicator": "x" * 5000}, "parameter_too_long"),
        ({"indicator": ",".join(["S2"] * 3 + [f"S{i}" for i in range(100)])}, "too_many_values"),
    ],
)
def test_parse_rejects_bad_parameters_without_echoing_them(app_env, params, code):
    with pytest.raises(extract.BadRequest) as caught:
        extract.parse(params)
    assert caught.value.code == code
    for value in params.values():
        assert value not in json.dumps(caught.value.body())


def test_repeated_parameters_are_refused(app_env):
    with pytest.raises(extract.BadRequest) as caught:
        extract.parse([("indicator", "S1"), ("indicator", "S2")])
    assert caught.value.code == "repeated_parameter"


def test_results_are_bounded(app_env):
    with pytest.raises(extract.TooManyRows) as caught:
        extract.table(extract.parse({"area": "all", "breakdown": "any"}))
    assert caught.value.details["rows"] > extract.MAX_ROWS


# --- content ------------------------------------------------------------------------------------


def test_filters_select_exactly_the_published_rows(app_env):
    f = extract.parse({"indicator": "S2", "area": "wards", "from": "2024-25 Q1", "to": "2025-26 Q4"})
    frame = extract.table(f)
    con = duckdb.connect(
        str(app_env["published"]),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )
    expected = con.execute("""SELECT count(*) FROM indicator_value WHERE indicator_id = 'S2' AND area_type = 'ward'
                              AND breakdown = 'all' AND period_start >= DATE '2024-04-01'
                              AND period_end <= DATE '2026-03-31'""").fetchall()[0][0]
    con.close()
    assert len(frame) == expected > 0
    assert set(frame["indicator_id"]) == {"S2"} and frame["area_code"].str.startswith("W05").all()


def test_withheld_values_are_empty_with_note_c_never_zero(app_env):
    rows = read_csv(extract.csv_bytes(extract.parse({"indicator": "S2", "area": "wards"})))
    withheld = [r for r in rows if "c" in r["Value note"].split()]
    assert len(withheld) > 10
    assert all(r["Value"] == "" and r["Lower CI 95.0 limit"] == "" for r in withheld)
    assert all(r["Count"] != "0" or r["Value"] != "" for r in withheld)
    shown = [r for r in rows if not r["Value note"]]
    assert shown and all(r["Value"] != "" for r in shown)


def test_headers_and_labels_in_welsh(app_env):
    rows = read_csv(extract.csv_bytes(extract.parse({"indicator": "S2", "area": "W06000006", "lang": "cy"})))
    assert "Enw'r dangosydd" in rows[0] and "Gwerth" in rows[0]
    assert rows[0]["Enw'r ardal"] == "Wrecsam" and rows[0]["Iaith"] == "cy"
    assert rows[0]["Partner ffynhonnell"] == "Gwasanaethau plant Cyngor Wrecsam"
    english = read_csv(extract.csv_bytes(extract.parse({"indicator": "S2", "area": "W06000006"})))
    assert [r["Value"] for r in english] == [r["Gwerth"] for r in rows]


def test_every_row_names_its_vintage_partner_and_loads(app_env):
    rows = read_csv(extract.csv_bytes(extract.parse({"indicator": "E1", "area": "W06000006"})))
    assert rows and all(r["Vintage"] and r["Source partner"] and r["Load ID"] for r in rows)
    assert {r["Language"] for r in rows} == {"en"}


def test_same_filters_same_bytes_in_every_format(app_env):
    f = extract.parse({"indicator": "S1", "area": "W06000006", "breakdown": "any"})
    for kind, (builder, _, _) in extract.FORMATS.items():
        assert builder(f) == builder(f), kind


def test_xlsx_has_data_and_metadata_sheets(app_env):
    from python_calamine import CalamineWorkbook

    content = extract.xlsx_bytes(extract.parse({"indicator": "S2", "area": "W06000006", "lang": "cy"}))
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == ["Data", "Metadata"]
    table = book.get_sheet_by_name("Data").to_python()
    assert table[0][0] == "ID y dangosydd" and len(table) > 10
    meta = "\n".join(str(cell) for row in book.get_sheet_by_name("Metadata").to_python() for cell in row)
    assert "2026-27 Q2" in meta or "Q2" in meta
    assert "Wedi'i ddal yn ôl" in meta and "Open Government Licence" in meta


def test_zip_is_a_frictionless_data_package(app_env):
    f = extract.parse({"indicator": "S2", "area": "wards", "lang": "cy"})
    archive = zipfile.ZipFile(io.BytesIO(extract.zip_bytes(f)))
    assert sorted(archive.namelist()) == ["data.csv", "datapackage.json"]
    assert archive.read("data.csv") == extract.csv_bytes(f)
    package = json.loads(archive.read("datapackage.json"))
    resource = package["resources"][0]
    header = next(csv.reader(io.StringIO(archive.read("data.csv").decode("utf-8-sig"))))
    assert [field["name"] for field in resource["schema"]["fields"]] == header
    assert all(field["description"] for field in resource["schema"]["fields"])
    assert package["licenses"] and package["note_codes"]["c"] and package["suppression"]
    assert package["indicators"][0]["id"] == "S2" and package["indicators"][0]["definition"]
    assert resource["rows"] == len(extract.table(f))


# --- CSV / spreadsheet injection ------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+SUM(1,2)", "-2+3", "@cmd", "\tTAB", "\rCR"]


@pytest.fixture
def hostile_published(demo_build, tmp_path, monkeypatch):
    """A copy of the published file whose texts are formula payloads (as a hostile partner
    extract or catalogue edit could make them)."""
    path = tmp_path / "published.duckdb"
    shutil.copy(demo_build["published"], path)
    con = duckdb.connect(str(path))
    con.execute(
        "UPDATE indicator SET name_en = ?, unit_en = ? WHERE indicator_id = 'S2'", [PAYLOADS[0], PAYLOADS[1]]
    )
    con.execute(
        "UPDATE ward SET name_en = ? WHERE ward_code = (SELECT min(ward_code) FROM ward)", [PAYLOADS[2]]
    )
    con.execute("UPDATE partner SET name_en = ? WHERE id = 'childrens_services'", [PAYLOADS[3]])
    con.execute(
        "UPDATE indicator_value SET note_codes = ? WHERE indicator_id = 'S2' AND period = '2024-25 Q1'",
        [PAYLOADS[4]],
    )
    con.execute(
        "UPDATE indicator_value SET vintage = ? WHERE indicator_id = 'S2' AND period = '2024-25 Q2'",
        [PAYLOADS[5]],
    )
    con.close()
    monkeypatch.setenv("PEH_PUBLISHED", str(path))
    return path


def test_csv_cells_that_could_run_as_formulas_are_neutralised(hostile_published):
    content = extract.csv_bytes(extract.parse({"indicator": "S2", "area": "all"}))
    cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]
    seen = set()
    for cell in cells:
        assert not cell.startswith(extract.FORMULA_START), repr(cell)
        for payload in PAYLOADS:
            if cell == "'" + payload:
                seen.add(payload)
    assert seen == set(PAYLOADS), "every payload reached the file, neutralised"
    # Numbers are ours, not text: negative numbers would stay numbers (none are quoted).
    assert not any(c.startswith("'") and c[1:].replace(".", "").isdigit() for c in cells)


def test_xlsx_cells_are_strings_never_formulas(hostile_published):
    content = extract.xlsx_bytes(extract.parse({"indicator": "S2", "area": "all"}))
    archive = zipfile.ZipFile(io.BytesIO(content))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    strings = archive.read("xl/sharedStrings.xml").decode()
    assert "&apos;=HYPERLINK" in strings or "'=HYPERLINK" in strings
    assert ">=HYPERLINK" not in strings and ">+SUM" not in strings and ">@cmd" not in strings


# --- differencing across many filtered downloads ------------------------------------------------


def test_no_withheld_value_is_recoverable_from_many_filtered_downloads(app_env):
    """Download every indicator with every breakdown for every area, in slices by period range and
    area as a partner would, pool them, and attack the pool with the differencing attacker."""
    import pandas as pd
    from test_disclosure_attack import _cells, _equations

    from indicators.catalogue import load_catalogue

    published = extract.indicator_catalogue()
    published = published[published["status"] == "published"]
    frames = []
    downloads = 0
    for ind in published["indicator_id"]:
        for area in ("W06000006", "wards"):
            for window in ({}, {"to": "2022-23 Q4"}, {"from": "2023-24 Q1"}):
                f = extract.parse({"indicator": ind, "area": area, "breakdown": "any", **window})
                if extract.count(f) == 0:
                    continue
                rows = read_csv(extract.csv_bytes(f))
                downloads += 1
                frames.append(pd.DataFrame(rows))
    assert downloads > 100
    pool = pd.concat(frames).drop_duplicates()
    # Back to the attacker's shape: breakdown labels are unique per breakdown, 'All' is the total.
    number = lambda s: pd.to_numeric(s.replace("", np.nan), errors="coerce")  # noqa: E731
    attack = pd.DataFrame(
        {
            "indicator_id": pool["Indicator ID"],
            "period": pool["Time period"],
            "area_code": pool["Area code"],
            "area_type": pool["Area type"],
            "breakdown": pool["Breakdown"].where(pool["Breakdown"] != "All", "all"),
            "breakdown_value": pool["Breakdown group"].where(pool["Breakdown group"] != "All", "all"),
            "numerator": number(pool["Count"]),
            "denominator": number(pool["Denominator"]),
            "value": number(pool["Value"]),
            "note_codes": pool["Value note"],
        }
    )
    # Nothing in the downloads that the published file withholds ...
    withheld = attack[attack["note_codes"].str.contains("c")]
    assert len(withheld) > 1000 and withheld["value"].isna().all()
    # ... and no withheld count can be worked out by differencing the pooled downloads.
    framework = load_catalogue()
    cells = _cells(attack, framework)
    hidden = np.array([v is None for v in cells.values()])
    assert hidden.sum() > 1000
    eqs = _equations(cells, framework.relations)
    assert len(eqs) > 1000
    assert sorted(recoverable(len(cells), hidden, eqs))[:10] == []


# --- the Downloads page ---------------------------------------------------------------------------


def run_page(lang="en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/downloads.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at) -> str:
    return "\n".join(
        e.value
        for kind in ("title", "subheader", "markdown", "caption", "info", "warning")
        for e in getattr(at, kind)
    )


@pytest.mark.parametrize(
    "lang, title, rows_word", [("en", "Download the data", "rows"), ("cy", "Lawrlwytho'r data", "rhes")]
)
def test_page_shows_count_preview_and_api_link(app_env, lang, title, rows_word):
    at = run_page(lang, indicator="S2", area="wards")
    assert at.title[0].value == title
    text = page_text(at)
    expected = extract.count(extract.parse({"indicator": "S2", "area": "wards", "lang": lang}))
    assert f"**{expected:,} {rows_word}**" in text
    assert f"/api/v1/data.csv?indicator=S2&area=wards&lang={lang}" in text
    assert len(at.dataframe) == 1


def test_page_bounds_oversized_choices(app_env):
    at = run_page(area="all", breakdown="any")
    assert any("25,000" in w.value for w in at.warning)
    assert "/api/v1/data.csv" not in page_text(at)


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize("key", ["indicator", "area", "from", "breakdown", "outcome_area"])
def test_page_survives_hostile_url_values(app_env, key, bad):
    at = run_page(**{key: bad})
    assert at.info, "a notice says the link's value was not used"
    text = page_text(at)
    assert bad[:40] not in text or bad == "x" * 5000 and "x" * 40 not in text
    assert "/api/v1/data.csv?area=W06000006&lang=en" in text, "the default view"
