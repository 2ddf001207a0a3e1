"""Tests for the demo partner extract generator (etl.demo).

The generator runs four times per module (default seed twice, another seed, scale 2); every
check reads the files as a partner's recipient would, with the contracts loaded straight from
etl/contracts/*.yaml (not through the ETL, which is tested separately).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from etl.demo import DELIBERATE_PROBLEMS, MARKER_FILE, childrens_services, dwp, generate, youth_justice
from etl.demo.mess import ProblemLog
from etl.demo.world import build_world

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "etl" / "contracts"
REFERENCE = ROOT / "data" / "reference"
SEED = 20260401


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo_a")
    generate(out, seed=SEED, scale=1.0)
    return out


@pytest.fixture(scope="module")
def demo_again(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo_b")
    generate(out, seed=SEED, scale=1.0)
    return out


@pytest.fixture(scope="module")
def demo_other_seed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo_c")
    generate(out, seed=SEED + 1, scale=1.0)
    return out


@pytest.fixture(scope="module")
def demo_scale2(tmp_path_factory) -> Path:
    """Scale 2, for the sources the scale test reads (the whole run is tested at scale 1)."""
    out = tmp_path_factory.mktemp("demo_d")
    world = build_world(SEED, 2.0)
    for source in (childrens_services, dwp, youth_justice):
        source.generate(world, out, ProblemLog())
    return out


@pytest.fixture(scope="module")
def contracts() -> dict[str, dict]:
    """table name -> table spec (with 'source' and resolved column sets)."""
    tables = {}
    for path in sorted(CONTRACTS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        sets = doc.get("column_sets", {})
        for name, spec in doc["tables"].items():
            cols = [c for s in spec.get("column_sets", []) for c in sets[s]] + spec.get("columns", [])
            tables[name] = {
                **spec,
                "source": doc["source"],
                "all_columns": cols,
                "due_days": doc.get("due_days_after_period_end"),
            }
    return tables


@pytest.fixture(scope="module")
def wards() -> dict[str, str]:
    """Normalised ward spelling -> ward code (codes, English, Welsh, aliases), as the contract says."""
    w = pd.read_csv(REFERENCE / "wards.csv", dtype=str)
    a = pd.read_csv(REFERENCE / "ward_aliases.csv", dtype=str)
    out = {}
    for code, en, cy in zip(w["ward_code"], w["name_en"], w["name_cy"]):
        for text in (code, en, cy, f"{code} {en}"):
            out[_norm(text)] = code
    for alias, code in zip(a["alias"], a["ward_code"]):
        out[_norm(alias)] = code
    return out


def _norm(text: str) -> str:
    return re.sub(r"[\s\-&]", "", str(text)).lower()


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != MARKER_FILE)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _csv(path: Path) -> pd.DataFrame:
    """A partner CSV as text, blank rows and totals rows dropped (a fresh copy each call)."""
    return _csv_cached(path).copy()


@lru_cache(maxsize=256)
def _csv_cached(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(_read_text(path)), dtype=str, keep_default_na=False)
    frame = frame[(frame != "").any(axis=1)]
    return frame[frame.iloc[:, 0] != "Total"].reset_index(drop=True)


@lru_cache(maxsize=64)
def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """All rows of one sheet as stored (formulas as text, not their cached results)."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    return rows


def _dates(values: pd.Series) -> pd.Series:
    """Parse the date forms partners use (31/03/2024, 2024-03-31, 31-Mar-2024, 31-Mar-24)."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%b-%Y", "%d-%b-%y"):
        parsed = pd.to_datetime(values, format=fmt, errors="coerce")
        out = out.fillna(parsed)
    return out


def _matching_tables(name: str, contracts: dict) -> list[str]:
    return [t for t, spec in contracts.items() if re.search(spec["file_pattern"], name, re.IGNORECASE)]


def _header_row(path: Path, spec: dict) -> list[str]:
    if spec["format"] == "xlsx":
        return [str(c) for c in _sheet_rows(path, spec["sheet"])[0] if c is not None]
    text = _read_text(path)
    if spec["format"] == "statxplore_csv":
        for row in csv.reader(io.StringIO(text)):
            if row and row[0] == spec["statxplore"]["row_field"]:
                return row
        return []
    return next(csv.reader(io.StringIO(text)))


def _fy(d: pd.Series) -> pd.Series:
    return d.dt.year - (d.dt.month < 4).astype(int)


# ----------------------------------------------------------------------------- determinism


def test_same_seed_and_scale_give_identical_bytes(demo, demo_again):
    a = {p.name: _sha(p) for p in _data_files(demo)} | {MARKER_FILE: _sha(demo / MARKER_FILE)}
    b = {p.name: _sha(p) for p in _data_files(demo_again)} | {MARKER_FILE: _sha(demo_again / MARKER_FILE)}
    assert len(a) > 60
    assert a == b


def test_a_different_seed_gives_different_data(demo, demo_other_seed):
    a = {p.name: _sha(p) for p in _data_files(demo)}
    b = {p.name: _sha(p) for p in _data_files(demo_other_seed)}
    assert a.keys() == b.keys()
    differ = [n for n in a if a[n] != b[n]]
    assert "wccis_contacts_20261014.csv" in differ
    assert len(differ) >= 0.9 * len(a), sorted(set(a) - set(differ))


def test_generate_returns_every_file_written(tmp_path):
    paths = generate(tmp_path / "x", seed=3, scale=0.2)
    assert sorted(p.name for p in paths) == sorted(p.name for p in (tmp_path / "x").iterdir())
    assert paths[-1].name == MARKER_FILE


def test_marker_file_says_demo_seed_and_scale(demo):
    text = (demo / MARKER_FILE).read_text(encoding="utf-8")
    assert "SYNTHETIC DEMO DATA" in text
    assert f"seed: {SEED}" in text and "scale: 1" in text


# ----------------------------------------------------------------------------- contracts


def test_every_file_matches_exactly_one_table(demo, contracts):
    seen_tables = set()
    for path in _data_files(demo):
        matches = _matching_tables(path.name, contracts)
        assert matches, f"{path.name} matches no contract"
        if len(matches) > 1:
            # one workbook, several tables: allowed only as distinct sheets of one source
            specs = [contracts[t] for t in matches]
            assert all(s["format"] == "xlsx" for s in specs), (path.name, matches)
            assert len({s["source"] for s in specs}) == 1
            assert len({s["sheet"] for s in specs}) == len(specs)
        seen_tables.update(matches)
    assert seen_tables == set(contracts), set(contracts) - seen_tables


def test_headers_cover_every_required_column(demo, contracts):
    for path in _data_files(demo):
        for table in _matching_tables(path.name, contracts):
            spec = contracts[table]
            header = {_norm_header(h) for h in _header_row(path, spec)}
            assert header, f"{path.name}: no header row for {table}"
            columns = spec["all_columns"]
            if spec["format"] == "statxplore_csv":
                columns = [c for c in columns if c["name"] in ("ward",)]
            for col in columns:
                if col.get("required", True):
                    accepted = {_norm_header(h) for h in col["header"]}
                    assert header & accepted, f"{path.name} [{table}]: no header for {col['name']}"


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def _column_values(path: Path, spec: dict) -> dict[str, pd.Series]:
    """Column name -> values (as text) for a csv/xlsx table, matched through the headers."""
    if spec["format"] == "xlsx":
        rows = _sheet_rows(path, spec["sheet"])
        frame = pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]])
        frame = frame.astype(object).where(frame.notna(), "").astype(str)
    else:
        frame = _csv(path)
    by_header = {_norm_header(c): c for c in frame.columns}
    out = {}
    for col in spec["all_columns"]:
        for h in col["header"]:
            if _norm_header(h) in by_header:
                out[col["name"]] = frame[by_header[_norm_header(h)]]
                break
    return out


def test_categories_use_allowed_labels_and_wards_resolve(demo, contracts, wards):
    for path in _data_files(demo):
        for table in _matching_tables(path.name, contracts):
            spec = contracts[table]
            if spec["format"] == "statxplore_csv":
                continue
            values = _column_values(path, spec)
            for col in spec["all_columns"]:
                if col["name"] not in values:
                    continue
                v = set(values[col["name"]]) - {""}
                if col["type"] == "category":
                    allowed = {_norm_header(label) for labels in col["allowed"].values() for label in labels}
                    bad = sorted({_norm_header(x) for x in v} - allowed)
                    assert not bad, f"{path.name} [{table}.{col['name']}]: {bad[:5]}"
                if col["type"] == "ward":
                    bad = sorted({x for x in v if _norm(x) not in wards} - {"Wrexham Town Centre"})
                    assert not bad, f"{path.name} [{table}.ward]: {bad[:5]}"


def test_wccis_dates_parse_except_the_impossible_ones(demo, contracts):
    for path in sorted(demo.glob("wccis_*.csv")):
        (table,) = _matching_tables(path.name, contracts)
        spec = contracts[table]
        values = _column_values(path, spec)
        for col in spec["all_columns"]:
            if col["type"] != "date":
                continue
            v = values[col["name"]]
            v = v[v != ""]
            unparsed = v[_dates(v).isna()]
            assert set(unparsed) <= {
                "31/02/2025",
                "30/02/2024",
                "31/04/2023",
                "31/06/2022",
                "29/02/2023",
                "31/09/2021",
                "31/11/2020",
                "30/02/2019",
            }, path.name
            styles = {
                "dmy": v.str.match(r"^\d\d/\d\d/\d{4}$").mean(),
                "iso": v.str.match(r"^\d{4}-\d\d-\d\d$").mean(),
                "dmon": v.str.match(r"^\d\d-[A-Z][a-z]{2}-\d{4}$").mean(),
            }
            assert styles["dmy"] > 0.7 and styles["iso"] > 0.05 and styles["dmon"] > 0.005, (
                path.name,
                styles,
            )


# ----------------------------------------------------------------------------- received times


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).replace(tzinfo=None)


def test_mtimes_are_the_received_times(demo):
    assert _mtime(demo / "wccis_contacts_20260715.csv") == dt.datetime(2026, 7, 15, 9, 0)
    assert _mtime(demo / "wccis_looked_after_20261014.csv") == dt.datetime(2026, 10, 14, 9, 0)
    assert _mtime(demo / "nwp_children_2018-19Q1_to_2024-25Q4.csv").date() == dt.date(2025, 4, 30)
    assert _mtime(demo / "nwp_children_2025-26Q3_v2.csv").date() == dt.date(2026, 3, 2)
    assert _mtime(demo / "nwp_children_2025-26Q3.csv").date() == dt.date(2026, 1, 28)
    assert _mtime(demo / "early_help_return_2018-19_to_2025-26.xlsx").date() == dt.date(2026, 4, 28)
    assert _mtime(demo / "dwp_cilif_ward_fye2024.csv").date() == dt.date(2025, 3, 27)
    assert _mtime(demo / "dwp_cilif_ward_fye2025.csv").date() == dt.date(2026, 3, 26)


def test_late_bcuhb_quarter_arrives_after_its_due_date(demo, contracts):
    due = dt.datetime(2026, 6, 30) + dt.timedelta(days=contracts["hb_nd_waiting_list"]["due_days"])
    for table in ("nd_waiting_list", "nd_assessments", "camhs_assessments", "child_health"):
        late = _mtime(demo / f"bcuhb_{table}_2026-27Q1.csv")
        assert late > due + dt.timedelta(days=30), table
        assert _mtime(demo / f"bcuhb_{table}_2026-27Q2.csv") <= dt.datetime(2026, 9, 30) + dt.timedelta(
            days=31
        )


def test_police_2026_27_q2_is_missing_and_others_arrive_about_four_weeks_after(demo):
    assert not list(demo.glob("nwp_children_2026-27Q2*"))
    quarter_ends = {
        "2025-26Q1": dt.datetime(2025, 6, 30),
        "2025-26Q2": dt.datetime(2025, 9, 30),
        "2025-26Q4": dt.datetime(2026, 3, 31),
        "2026-27Q1": dt.datetime(2026, 6, 30),
    }
    for label, end in quarter_ends.items():
        lag = (_mtime(demo / f"nwp_children_{label}.csv") - end).days
        assert 20 <= lag <= 35, (label, lag)


# ----------------------------------------------------------------------------- calibration


def _stock(frame: pd.DataFrame, start: str, end: str, when: str, key: str = "Child ref") -> int:
    s, e = _dates(frame[start]), _dates(frame[end])
    at = pd.Timestamp(when)
    return frame.loc[(s <= at) & (e.isna() | (e > at)), key].nunique()


def test_looked_after_path(demo):
    lac = _csv(demo / "wccis_looked_after_20261014.csv")
    at_2019 = _stock(lac, "Episode start", "Episode end", "2019-03-31")
    at_2024 = _stock(lac, "Episode start", "Episode end", "2024-03-31")
    at_2026 = _stock(lac, "Episode start", "Episode end", "2026-03-31")
    assert 180 <= at_2019 <= 235
    assert 280 <= at_2024 <= 340
    assert 280 <= at_2026 <= 350
    assert at_2024 > at_2019 + 60


def test_looked_after_placements_locations_costs_and_moves(demo):
    lac = _csv(demo / "wccis_looked_after_20261014.csv")
    s, e = _dates(lac["Episode start"]), _dates(lac["Episode end"])
    at = pd.Timestamp("2024-03-31")
    now = lac[(s <= at) & (e.isna() | (e > at))]
    types = now["Placement type"].str.lower()
    share = lambda mask: mask.mean()  # noqa: E731
    assert 0.3 <= share(types.isin(["foster care (in-house)", "in-house foster", "foster (la)"])) <= 0.5
    assert 0.06 <= share(types.isin(["residential care", "children's home", "residential"])) <= 0.16
    loc = now["Placement location"].str.lower()
    assert 0.5 <= share(loc.isin(["in wrexham", "wrexham"])) <= 0.7
    cost = now["Weekly cost (£)"].str.replace("[£,]", "", regex=True).astype(float)
    residential = types.isin(["residential care", "children's home", "residential"])
    assert cost[residential].median() > 3500
    assert cost[~residential].median() < 1000
    # CH/043: children looked after at 31 March with 3+ placements in the year
    in_year = lac[(s <= at) & (e.isna() | (e >= at - pd.Timedelta(days=364)))]
    counts = in_year.groupby("Child ref").size().reindex(now["Child ref"].unique()).fillna(0)
    assert 0.05 <= (counts >= 3).mean() <= 0.14


def test_contacts_per_year_and_outcome_mix(demo):
    c = _csv(demo / "wccis_contacts_20261014.csv")
    fy = _fy(_dates(c["Contact date"]))
    per_year = fy.value_counts()
    for year in range(2018, 2026):
        assert 6000 <= per_year[year] <= 8000, (year, per_year[year])
    q1_2020 = ((fy == 2020) & (_dates(c["Contact date"]).dt.month.isin([4, 5]))).sum()
    q1_2019 = ((fy == 2019) & (_dates(c["Contact date"]).dt.month.isin([4, 5]))).sum()
    assert q1_2020 < 0.85 * q1_2019  # the pandemic dip
    outcome = c["Contact outcome"].str.lower()
    iaa = outcome.isin(
        ["information advice and assistance", "iaa", "information, advice and assistance"]
    ).mean()
    referral = outcome.isin(["referral", "referral to children's services"]).mean()
    assert 0.40 <= iaa <= 0.50 and 0.22 <= referral <= 0.28


def test_referrals_assessments_and_timeliness(demo):
    r = _csv(demo / "wccis_referrals_20261014.csv")
    per_year = _fy(_dates(r["Referral date"])).value_counts()
    assert all(1400 <= per_year[y] <= 2000 for y in range(2018, 2026))
    a = _csv(demo / "wccis_assessments_20261014.csv")
    start, done = _dates(a["Start date"]), _dates(a["Completed date"])
    ok = done.notna() & (done >= start)
    wd = np.busday_count(
        start[ok].to_numpy().astype("datetime64[D]"), done[ok].to_numpy().astype("datetime64[D]")
    )
    assert 0.85 <= (wd <= 42).mean() <= 0.92
    assert all(1300 <= n <= 1900 for n in _fy(start).value_counts()[list(range(2018, 2026))])


def test_care_support_and_child_protection_stocks(demo):
    plans = _csv(demo / "wccis_care_support_20261014.csv")
    cp = _csv(demo / "wccis_child_protection_20261014.csv")
    for when in ("2019-03-31", "2022-03-31", "2025-03-31"):
        assert 550 <= _stock(plans, "Plan start", "Plan end", when) <= 850, when
        assert 90 <= _stock(cp, "Registration date", "Deregistration date", when) <= 170, when
    # PM27: re-registered within 12 months of a previous registration ending
    cp = cp.assign(reg=_dates(cp["Registration date"]), dereg=_dates(cp["Deregistration date"]))
    cp = cp.sort_values(["Child ref", "reg"])
    previous_end = cp.groupby("Child ref")["dereg"].shift(1)
    within = (cp["reg"] - previous_end).dt.days <= 365
    recent = cp["reg"] >= pd.Timestamp("2019-04-01")
    assert 0.04 <= within[recent].mean() <= 0.09


def test_child_refs_link_tables(demo):
    refs = {
        t: set(_csv(demo / f"wccis_{t}_20261014.csv")["Child ref"])
        for t in ("contacts", "referrals", "assessments", "care_support", "child_protection", "looked_after")
    }
    # a referral's contact is in the extract too (except contacts from before April 2018)
    assert len(refs["referrals"] - refs["contacts"]) <= 0.002 * len(refs["referrals"])
    assert len(refs["assessments"] - refs["referrals"]) < 0.02 * len(refs["assessments"])
    assert len(refs["looked_after"] & refs["contacts"] & refs["child_protection"]) > 20
    ids = _csv(demo / "wccis_contacts_20261014.csv")["Child ref"]
    assert ids.str.fullmatch(r"CH-[0-9A-F]{6}").all()


def test_dwp_fye_2023_total(demo):
    for name in ("dwp_cilif_ward_fye2024.csv", "dwp_cilif_ward_fye2025.csv"):
        table = _statxplore(demo / name)
        total = table.loc["Total", "2022/23 (FYE 2023)"]
        assert abs(total - 4884) <= 0.03 * 4884
        assert abs(table.drop(index="Total")["2022/23 (FYE 2023)"].sum() - 4884) <= 0.03 * 4884
        assert table.drop(index="Total").values.min() >= 0
        assert table.loc["Total"].min() >= 4400 and table.loc["Total"].max() <= 5200


def _statxplore(path: Path) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(_read_text(path))))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Ward (2022)")
    end = next(i for i in range(start, len(rows)) if not rows[i])
    frame = pd.DataFrame(rows[start + 1 : end], columns=rows[start]).set_index("Ward (2022)")
    return frame.astype(int)


def test_primary_attendance_and_persistent_absence(demo):
    lookup = _csv(demo / "schools_lookup.csv")
    phase = dict(
        zip(lookup["School code"], lookup["Phase"].replace({"Infant": "Primary", "Junior": "Primary"}))
    )

    def rates(year: str) -> tuple[float, float, float]:
        a = _csv(demo / f"attendance_{year}.csv")
        for c in ("Pupils", "Sessions possible", "Sessions attended", "Persistently absent pupils"):
            a[c] = a[c].astype(int)
        p = a[a["School code"].map(phase) == "Primary"]
        s = a[a["School code"].map(phase) == "Secondary"]
        return (
            p["Sessions attended"].sum() / p["Sessions possible"].sum() * 100,
            s["Persistently absent pupils"].sum() / s["Pupils"].sum() * 100,
            a[a["FSM"] == "eFSM"]["Pupils"].sum() / a["Pupils"].sum() * 100,
        )

    primary_2324, pa_2324, fsm_2324 = rates("2023-24")
    primary_1819, pa_1819, fsm_1819 = rates("2018-19")
    assert 90 <= primary_2324 <= 94
    assert 93.5 <= primary_1819 <= 95.5
    assert 7 <= pa_1819 <= 13 and 18 <= pa_2324 <= 27
    assert 15 <= fsm_1819 < fsm_2324 <= 27


def test_health_and_youth_justice_calibration(demo):
    wl = pd.concat([_csv(p) for p in sorted(demo.glob("bcuhb_nd_waiting_list_*.csv"))])
    wl["Children waiting"] = wl["Children waiting"].astype(int)
    total = wl.groupby("Month end")["Children waiting"].sum()
    assert 200 <= total["2018-04"] <= 420 and 850 <= total["2026-09"] <= 1400
    nd = (
        pd.concat([_csv(p) for p in sorted(demo.glob("bcuhb_nd_assessments_*.csv"))])
        .set_index("Quarter")
        .astype(int)
    )
    pct = nd["Within 26 weeks"] / nd["Assessments completed"]
    assert pct["2018-19 Q1"] > 0.45 and pct["2026-27 Q2"] < 0.3
    ch = _csv(demo / "bcuhb_child_health_2018-19Q1_to_2025-26Q4.csv")
    ch[["Eligible", "Achieved"]] = ch[["Eligible", "Achieved"]].astype(int)
    imm = ch[ch["Measure"] == "Fully immunised by 4th birthday"]
    assert 0.87 <= imm["Achieved"].sum() / imm["Eligible"].sum() <= 0.93
    fte = pd.concat([_csv(p) for p in sorted(demo.glob("yjs_first_time_entrants_*.csv"))])
    per_year = _fy(_dates(fte["Outcome date"])).value_counts()
    assert all(8 <= per_year.get(y, 0) <= 35 for y in range(2018, 2026))
    assert fte["Age at outcome"].astype(int).between(10, 17).all()


def test_early_help_volumes(demo):
    rows = _sheet_rows(demo / "early_help_return_2026-27_Q2.xlsx", "TAC cases")[1:]
    opened = pd.Series(
        [r[4] if isinstance(r[4], dt.datetime) else dt.datetime.strptime(r[4], "%d/%m/%Y") for r in rows]
    )
    per_year = _fy(opened).value_counts()
    assert all(550 <= per_year[y] <= 950 for y in range(2018, 2026))
    closed = [r for r in rows if r[5] is not None]
    needs_met = sum(r[6] in ("Needs met", "Goals achieved", "Needs met / goals achieved") for r in closed)
    assert 0.55 <= needs_met / len(closed) <= 0.69
    hub = list(_sheet_rows(demo / "early_help_return_2018-19_to_2025-26.xlsx", "Wellbeing Hub")[1:])
    months = [r[0] if isinstance(r[0], dt.datetime) else dt.datetime.strptime(r[0], "%d/%m/%Y") for r in hub]
    assert min(months) == dt.datetime(2021, 4, 1)
    first_year = (dt.datetime(2021, 4, 1), dt.datetime(2022, 4, 1))
    contacts_2122 = sum(
        r[4] for r, m in zip(hub, months) if isinstance(r[4], int) and first_year[0] <= m < first_year[1]
    )
    assert 1700 <= contacts_2122 <= 2400


# ----------------------------------------------------------------------------- the mess


def test_education_files_have_a_bom(demo):
    pattern = r"(schools_lookup|attendance_|exclusions_|year11_destinations_)"
    files = [p for p in _data_files(demo) if re.match(pattern, p.name)]
    assert len(files) == 1 + 8 + 8 + 8
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in files)
    assert not (demo / "wccis_contacts_20261014.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_looked_after_is_cp1252_with_pound_signs(demo):
    raw = (demo / "wccis_looked_after_20260715.csv").read_bytes()
    assert b"\xa3" in raw and "£".encode() not in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert re.search(r'"£\d{1,3}(,\d{3})+\.\d\d"', raw.decode("cp1252"))


def test_police_conventions(demo, wards):
    names = pd.read_csv(REFERENCE / "wards.csv", dtype=str)
    welsh_only = set(names["name_cy"]) - set(names["name_en"])
    aliases = set(pd.read_csv(REFERENCE / "ward_aliases.csv", dtype=str)["alias"])
    files = sorted(demo.glob("nwp_children_*.csv"))
    assert len(files) == 7
    for path in files:
        text = path.read_bytes().decode("utf-8")
        assert "<5" in text
        assert text.endswith(",,,\r\n,,,\r\n")  # blank trailing rows
    backfill = _csv(demo / "nwp_children_2018-19Q1_to_2024-25Q4.csv")
    used = set(backfill["Ward"])
    assert used & welsh_only and used & aliases
    assert any(re.fullmatch(r"W05\d{6}", w) for w in used)
    assert any(w.isupper() for w in used)
    assert "0" not in set(backfill["Count"])  # zero cells left out
    assert "Wrexham Town Centre" in used
    assert (pd.to_numeric(backfill["Count"], errors="coerce") < 0).sum() >= 1


def test_police_resubmission_changes_about_five_percent(demo):
    v1 = _csv(demo / "nwp_children_2025-26Q3.csv")
    v2 = _csv(demo / "nwp_children_2025-26Q3_v2.csv")
    key = ["Month", "Ward", "Measure"]
    both = v1.merge(v2, on=key, how="outer", suffixes=("_1", "_2"), indicator=True)
    changed = (both["_merge"] != "both") | (both["Count_1"] != both["Count_2"])
    assert 0.01 <= changed.mean() <= 0.12
    assert _sha(demo / "nwp_children_2025-26Q3.csv") != _sha(demo / "nwp_children_2025-26Q3_v2.csv")


def test_totals_rows_and_gaps(demo):
    for path in sorted(demo.glob("attendance_*.csv")) + sorted(demo.glob("bcuhb_child_health_*.csv")):
        last = [line for line in _read_text(path).splitlines() if line.strip(",")][-1]
        assert last.startswith("Total,"), path.name
    terms = set(_csv(demo / "attendance_2019-20.csv")["Term"])
    assert terms == {"Autumn 2019", "Spring 2020"}
    years = set(_csv(demo / "bcuhb_child_measurement_2018-19_to_2024-25.csv")["School year"])
    assert "2019/20" not in years and "2018/19" in years and "2024/25" in years
    ward_text = set(_csv(demo / "bcuhb_child_health_2018-19Q1_to_2025-26Q4.csv")["Ward"])
    assert (
        "W05001713 Acrefair North" in ward_text and "Acrefair North" in ward_text and "W05001713" in ward_text
    )
    lines = _read_text(demo / "dwp_cilif_ward_fye2025.csv").splitlines()
    assert lines[0] == '"Dataset: Children in Low Income Families"'
    assert any(line.startswith('"Total",') for line in lines)
    assert lines[-1].startswith('"') and "" in lines


def test_dwp_release_revises_2023_24(demo):
    old = _statxplore(demo / "dwp_cilif_ward_fye2024.csv")
    new = _statxplore(demo / "dwp_cilif_ward_fye2025.csv")
    col = "2023/24 (FYE 2024)"
    changed = (old[col] != new[col]).drop(index="Total").mean()
    assert 0.5 <= changed <= 0.95
    assert (old["2019/20 (FYE 2020)"] == new["2019/20 (FYE 2020)"]).all()
    assert "2024/25 (FYE 2025)" in new.columns and "2024/25 (FYE 2025)" not in old.columns


def test_deliberate_bad_rows_are_present(demo):
    contacts = _csv(demo / "wccis_contacts_20260715.csv")
    assert (contacts["Contact date"] == "31/02/2025").sum() >= 1
    a = _csv(demo / "wccis_assessments_20260715.csv")
    before = _dates(a["Completed date"]) < _dates(a["Start date"])
    assert 1 <= before.sum() <= 0.001 * len(a) + 1
    att = _csv(demo / "attendance_2022-23.csv")
    assert (att["Sessions attended"].astype(int) > att["Sessions possible"].astype(int)).sum() == 1
    ch = _csv(demo / "bcuhb_child_health_2018-19Q1_to_2025-26Q4.csv")
    wards_code = ch["Ward"].str.extract(r"(W05\d{6})")[0]
    name_to_code = dict(
        zip(*pd.read_csv(REFERENCE / "wards.csv", dtype=str)[["name_en", "ward_code"]].T.values)
    )
    ch["code"] = wards_code.fillna(ch["Ward"].map(name_to_code))
    assert ch.duplicated(["Quarter", "code", "Measure"]).sum() == 1
    hub = _sheet_rows(demo / "early_help_return_2018-19_to_2025-26.xlsx", "Wellbeing Hub")
    formulas = [r[4] for r in hub[1:] if isinstance(r[4], str)]
    assert formulas == ["=12+3"]
    later = _sheet_rows(demo / "early_help_return_2026-27_Q1.xlsx", "Wellbeing Hub")
    assert not any(isinstance(r[4], str) for r in later[1:])


def test_bad_rows_are_rare(demo):
    contacts = _csv(demo / "wccis_contacts_20261014.csv")
    bad = _dates(contacts["Contact date"]).isna().sum()
    assert 1 <= bad <= 0.0005 * len(contacts)


def test_every_documented_marker_is_in_a_matching_file(demo):
    files = _data_files(demo)
    for problem in DELIBERATE_PROBLEMS:
        matching = [p for p in files if re.search(problem.file, p.name)]
        if problem.kind == "delivery" and "never delivered" in problem.what:
            assert not matching, problem.file
            continue
        assert matching, problem.file
        if problem.marker is None:
            continue
        found = False
        for path in matching:
            if path.suffix == ".xlsx":
                sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
                found = any(
                    problem.marker in str(v)
                    for sheet in sheets
                    for row in _sheet_rows(path, sheet)
                    for v in row
                    if v is not None
                )
            else:
                bom = problem.marker == "\ufeff" and path.read_bytes().startswith(b"\xef\xbb\xbf")
                found = bom or problem.marker in _read_text(path)
            if found:
                break
        assert found, (problem.file, problem.marker)


def test_october_extract_revises_and_extends_july(demo):
    for table, id_col in (
        ("contacts", "Contact ID"),
        ("looked_after", "Episode ID"),
        ("child_protection", "Registration ID"),
        ("care_support", "Plan ID"),
    ):
        july = _csv(demo / f"wccis_{table}_20260715.csv").set_index(id_col)
        october = _csv(demo / f"wccis_{table}_20261014.csv").set_index(id_col)
        assert set(july.index) <= set(october.index), table
        assert len(october) > len(july)
        common = october.loc[july.index]
        changed = (common != july).any(axis=1)
        assert changed.sum() >= 1, table
    # contacts for earlier quarters recorded late appear only in October
    july = _csv(demo / "wccis_contacts_20260715.csv")
    october = _csv(demo / "wccis_contacts_20261014.csv")
    new = october[~october["Contact ID"].isin(july["Contact ID"])]
    assert (_dates(new["Contact date"]) < pd.Timestamp("2026-07-01")).sum() > 20
    # open episodes closed: an episode open in July has an end date by October
    lj = _csv(demo / "wccis_looked_after_20260715.csv").set_index("Episode ID")
    lo = _csv(demo / "wccis_looked_after_20261014.csv").set_index("Episode ID")
    opened = lj.index[lj["Episode end"] == ""]
    assert (lo.loc[opened, "Episode end"] != "").sum() >= 5
    # corrections are rare: about 0.3% of July records
    cj = july.set_index("Contact ID")
    co = october.set_index("Contact ID").loc[cj.index]
    assert 0.001 <= (co != cj).any(axis=1).mean() <= 0.006


def test_scale_two_roughly_doubles_volumes(demo, demo_scale2):
    def rows(folder: Path, name: str) -> int:
        return len(_csv(folder / name))

    for name in (
        "wccis_contacts_20261014.csv",
        "wccis_referrals_20261014.csv",
        "wccis_looked_after_20261014.csv",
        "wccis_child_protection_20261014.csv",
    ):
        ratio = rows(demo_scale2, name) / rows(demo, name)
        assert 1.8 <= ratio <= 2.2, (name, ratio)
    one = _statxplore(demo / "dwp_cilif_ward_fye2025.csv").loc["Total"].sum()
    two = _statxplore(demo_scale2 / "dwp_cilif_ward_fye2025.csv").loc["Total"].sum()
    assert 1.95 <= two / one <= 2.05
    assert len(_statxplore(demo_scale2 / "dwp_cilif_ward_fye2025.csv")) == 50  # the wards stay
    fte = [len(_csv(f / "yjs_first_time_entrants_2018-19Q1_to_2025-26Q4.csv")) for f in (demo, demo_scale2)]
    assert 1.6 <= fte[1] / fte[0] <= 2.4


# ----------------------------------------------------------------------------- rows under the contract

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
TYPE_PATTERNS = {  # the forms the contract README accepts, as regular expressions
    "count": r"\d+|\d{1,3}(,\d{3})+|\d+\.0",
    "quarter": r"\d{4}[-/]\d{2} ?Q[1-4]|Q[1-4] \d{4}[-/]\d{2}",
    "financial_year": r"\d{4}[-/]\d{2}|FY\d{4}/\d{2}|\d{4}/\d{2} \(FYE \d{4}\)",
    "academic_year": r"\d{4}[-/]\d{2}|\d{4}/\d{4}",
    "school_term": r"(Autumn|Spring|Summer)( term)? \d{4}|\d{4}/\d{2} (Autumn|Spring|Summer)",
}


def _is_cell(values: pd.Series) -> pd.Series:
    """Excel date cells (xlsx only; CSV values are all text)."""
    if values.dtype != object:
        return pd.Series(False, index=values.index)
    return values.map(lambda v: isinstance(v, dt.datetime))


def _parse_date(values: pd.Series) -> pd.Series:
    is_cell = _is_cell(values)
    text = values.where(~is_cell, "").astype(str)
    out = _dates(text)
    for fmt in ("%d %B %Y",):
        out = out.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    cells = pd.to_datetime(values.where(is_cell, None), errors="coerce")
    return out.fillna(cells)


def _parse_month(values: pd.Series) -> pd.Series:
    is_cell = _is_cell(values)
    text = values.where(~is_cell, "").astype(str)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in ("%Y-%m", "%b-%y", "%B %Y", "%b %Y", "%Y-%m-%d", "%d/%m/%Y"):
        out = out.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    return out.fillna(pd.to_datetime(values.where(is_cell, None), errors="coerce"))


def _conform(path: Path, spec: dict, wards: dict) -> tuple[pd.DataFrame, pd.Series]:
    """(conformed frame, per-row reason for rejection or '') under one table's contract."""
    if spec["format"] == "xlsx":
        rows = _sheet_rows(path, spec["sheet"])
        raw = pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]], dtype=object)
        raw = raw.map(lambda v: "" if v is None else v)
    else:
        raw = _csv(path)
    by_header = {_norm_header(c): c for c in raw.columns}
    reason = pd.Series("", index=raw.index, dtype=object)
    out = pd.DataFrame(index=raw.index)

    def fail(mask: pd.Series, why: str) -> None:
        reason.loc[mask & (reason == "")] = why

    for col in spec["all_columns"]:
        name = col["name"]
        header = next(
            (by_header[_norm_header(h)] for h in col["header"] if _norm_header(h) in by_header), None
        )
        if header is None:
            assert not col.get("required", True), (path.name, name)
            out[name] = None
            continue
        v = raw[header]
        if spec["format"] == "xlsx":
            text = v.map(lambda x: x.strip() if isinstance(x, str) else x)
            blank = text.map(lambda x: x == "" or x is None)
        else:
            text = v.str.strip()
            blank = text == ""
        if col.get("required", True):
            fail(blank, f"{name} missing")
        kind = col["type"]
        if kind in ("text", "ward", "category", "quarter", "financial_year", "academic_year", "school_term"):
            t = text.astype(str)
            if kind in TYPE_PATTERNS:
                fail(~blank & ~t.str.fullmatch(TYPE_PATTERNS[kind]), f"{name} not a {kind}")
            if kind == "ward":
                code = t.map({x: wards.get(_norm(x)) for x in t.unique()})
                fail(~blank & code.isna(), f"unknown ward {name}")
                out[name] = code
            elif kind == "category":
                lookup = {
                    _norm_header(label): code for code, labels in col["allowed"].items() for label in labels
                }
                code = t.map({x: lookup.get(_norm_header(x)) for x in t.unique()})
                fail(~blank & code.isna(), f"{name} not allowed")
                out[name] = code
            else:
                out[name] = t.where(~blank, None)
        elif kind == "count":
            marker = col.get("small_count_marker")
            t = text.astype(str)
            suppressed = t == marker if marker else pd.Series(False, index=t.index)
            ok = t.str.fullmatch(TYPE_PATTERNS["count"]) | suppressed
            fail(~blank & ~ok, f"{name} not a count")
            number = pd.to_numeric(t.str.replace(",", ""), errors="coerce").where(~suppressed)
            for bound in ("min", "max"):
                if bound in col:
                    outside = number < col[bound] if bound == "min" else number > col[bound]
                    fail(outside.fillna(False), f"{name} out of range")
            out[name] = number
        elif kind == "money":
            number = pd.to_numeric(
                text.astype(str).str.replace(r"[£,]|GBP ", "", regex=True), errors="coerce"
            )
            fail(~blank & number.isna(), f"{name} not money")
            out[name] = number
        elif kind in ("date", "month"):
            parsed = _parse_date(v) if kind == "date" else _parse_month(v)
            fail(~blank & parsed.isna(), f"{name} not a {kind}")
            if "min" in col:
                fail((parsed < pd.Timestamp(col["min"])).fillna(False), f"{name} before {col['min']}")
            out[name] = parsed.dt.date.where(parsed.notna(), None)
        else:
            raise AssertionError(kind)
    key = spec.get("key", [])
    good = reason == ""
    dup = out[good].duplicated(key, keep=False) if key else pd.Series(False, index=out[good].index)
    fail(dup.reindex(out.index, fill_value=False), "duplicate key")
    return out, reason


def test_rows_follow_their_contract_except_the_deliberate_bad_rows(demo, contracts, wards):
    import duckdb

    rejected: dict[str, dict[str, int]] = {}
    for path in _data_files(demo):
        for table in _matching_tables(path.name, contracts):
            spec = contracts[table]
            if spec["format"] == "statxplore_csv":
                continue
            out, reason = _conform(path, spec, wards)
            good = out[reason == ""]
            con = duckdb.connect()
            con.register("t", good)
            for rule in spec.get("rules", []):
                # counts as numbers, codes as text: enough for the contract's rule expressions
                bad = con.execute(f"SELECT count(*) FROM t WHERE NOT ({rule['check']})").fetchall()[0][0]
                if bad:
                    rejected.setdefault(path.name, {})[rule["message"]] = bad
            con.close()
            for why, n in reason[reason != ""].value_counts().items():
                rejected.setdefault(path.name, {})[why] = int(n)
    expected_files = {
        "wccis_contacts_20260715.csv",
        "wccis_contacts_20261014.csv",
        "wccis_assessments_20260715.csv",
        "wccis_assessments_20261014.csv",
        "nwp_children_2018-19Q1_to_2024-25Q4.csv",
        "attendance_2022-23.csv",
        "bcuhb_child_health_2018-19Q1_to_2025-26Q4.csv",
        "early_help_return_2018-19_to_2025-26.xlsx",
    }
    assert set(rejected) == expected_files, rejected
    assert set(rejected["wccis_contacts_20261014.csv"]) == {"contact_date not a date"}
    assert set(rejected["wccis_assessments_20261014.csv"]) == {"completed before it started"}
    assert set(rejected["nwp_children_2018-19Q1_to_2024-25Q4.csv"]) == {
        "unknown ward ward",
        "count not a count",
    }
    assert rejected["attendance_2022-23.csv"] == {"more sessions attended than possible": 1}
    assert rejected["bcuhb_child_health_2018-19Q1_to_2025-26Q4.csv"] == {"duplicate key": 2}
    assert rejected["early_help_return_2018-19_to_2025-26.xlsx"] == {"contacts not a count": 1}
    total_rows = sum(
        len(_csv(p)) for p in _data_files(demo) if p.suffix == ".csv" and not p.name.startswith("dwp")
    )
    total_rejected = sum(n for f in rejected.values() for n in f.values())
    assert total_rejected <= 0.0005 * total_rows
