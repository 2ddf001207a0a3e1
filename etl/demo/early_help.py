"""Early help: the hub's quarterly Excel return (Team Around the Child/Family, Wellbeing Hub,
Flying Start).

Three workbooks: a backfill (April 2018 to March 2026, received 28 April 2026) and the
2026-27 Q1 and Q2 returns. Each workbook holds:

* Cover: title and notes (ignored by the ETL);
* TAC cases: the whole case list to the end of the return's quarter (a full refresh each time);
* Wellbeing Hub: monthly contacts by ward, reason and age band for the months the return
  covers (the Hub opened in April 2021, so the backfill starts then; zero cells are left out);
* Flying Start: termly reach and childcare take-up for Flying Start wards.

How returns map school terms (a decision recorded here and in the Cover sheet): Flying Start
counts are a caseload snapshot at each term's census date, early in the term, so a term is
reported in the return for the financial quarter holding its census date:
Summer term (census late April) -> Q1, Autumn (census mid September) -> Q2, Spring (census
mid January) -> Q4; the Q3 return has no Flying Start rows. So the Q1 2026-27 return holds
Summer 2026, the Q2 return holds Autumn 2026, and the backfill holds Summer 2018 to Spring 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import mess
from .records import sequential_ids
from .world import (
    AGE_BANDS,
    World,
    fy_start_year,
    month_number,
    month_range,
    random_dates_in_months,
    received,
)
from .xlsx import Workbook

SOURCE = "early_help"


@dataclass(frozen=True)
class Return:
    file: str
    data_to: np.datetime64  # last day of the return's quarter
    hub_months: tuple[str, str]  # first and last month on the Wellbeing Hub sheet
    terms: tuple[str, ...]  # Flying Start terms on the sheet, as (season year) keys
    received: dt.datetime


def _terms_backfill() -> tuple[str, ...]:
    """Flying Start terms in the backfill: Summer 2018 to Spring 2026."""
    out = []
    for year in range(2018, 2026):
        out += [f"Summer {year}", f"Autumn {year}", f"Spring {year + 1}"]
    return tuple(out)


RETURNS = (
    Return(
        "early_help_return_2018-19_to_2025-26.xlsx",
        np.datetime64("2026-03-31", "D"),
        ("2021-04", "2026-03"),
        _terms_backfill(),
        received(2026, 4, 28, 14, 30),
    ),
    Return(
        "early_help_return_2026-27_Q1.xlsx",
        np.datetime64("2026-06-30", "D"),
        ("2026-04", "2026-06"),
        ("Summer 2026",),
        received(2026, 7, 25, 10, 15),
    ),
    Return(
        "early_help_return_2026-27_Q2.xlsx",
        np.datetime64("2026-09-30", "D"),
        ("2026-07", "2026-09"),
        ("Autumn 2026",),
        received(2026, 10, 20, 11, 0),
    ),
)

# ---------------------------------------------------------------- calibration (scale 1)
TAC_NEW_PER_FY = {
    2018: 640,
    2019: 690,
    2020: 610,
    2021: 720,
    2022: 780,
    2023: 820,
    2024: 850,
    2025: 860,
    2026: 870,
}
TAC_SEASON = np.array([0.95, 1.0, 1.05, 0.95, 0.6, 1.15, 1.15, 1.1, 0.85, 1.05, 1.05, 1.1])
TAC_SEASON = TAC_SEASON / TAC_SEASON.mean()
CLOSURE_P = {"needs_met": 0.62, "stepped_up": 0.10, "disengaged": 0.18, "moved_away": 0.05, "other": 0.05}
CLOSURE_SPEED = {"needs_met": 1.0, "stepped_up": 0.7, "disengaged": 0.55, "moved_away": 0.8, "other": 0.9}
TEAM_LABELS = {"tac": ["Team Around the Child", "TAC"], "taf": ["Team Around the Family", "TAF"]}
CLOSURE_LABELS = {
    "needs_met": ["Needs met", "Goals achieved", "Needs met / goals achieved"],
    "stepped_up": ["Stepped up to children's services", "Stepped up", "Step up"],
    "disengaged": ["Disengaged", "Family disengaged", "Declined"],
    "moved_away": ["Moved away", "Moved out of area"],
    "other": ["Other"],
}
AGE_LABELS = {"0-4": ["0-4", "Under 5"], "5-9": ["5-9"], "10-15": ["10-15"], "16-17": ["16-17", "16-18"]}
HUB_PER_FY = {2021: 2000, 2022: 2250, 2023: 2500, 2024: 2700, 2025: 2850, 2026: 3000}
HUB_SEASON = np.array([0.9, 1.05, 1.05, 0.85, 0.6, 1.1, 1.2, 1.15, 0.9, 1.1, 1.05, 1.05])
HUB_SEASON = HUB_SEASON / HUB_SEASON.mean()
HUB_REASONS = {
    "emotional_wellbeing": 0.30,
    "anxiety": 0.28,
    "family_relationships": 0.16,
    "bullying": 0.08,
    "self_harm": 0.06,
    "other": 0.12,
}
HUB_REASON_LABELS = {
    "emotional_wellbeing": ["Emotional wellbeing", "Low mood"],
    "anxiety": ["Anxiety"],
    "family_relationships": ["Family relationships", "Family"],
    "bullying": ["Bullying"],
    "self_harm": ["Self-harm", "Self harm"],
    "other": ["Other"],
}
HUB_AGES = {"Under 11": 0.22, "11-15": 0.45, "16-18": 0.18, "Parent or carer": 0.15}
FS_ORIGINAL_WARDS = 15  # the most deprived wards (rank within Wrexham)
FS_EXPANSION_WARDS = 6  # the next six, from the autumn 2022 expansion
WARD_MIX = {"en": 0.93, "alias": 0.04, "lower": 0.02, "cy": 0.01}
P_TEXT_DATE = 0.06  # dates typed as text rather than entered as Excel dates


# ---------------------------------------------------------------- simulation


def _cases(world: World) -> pd.DataFrame:
    """Team Around the Child/Family cases: opened, closed, reason, ward, with fixed presentation."""
    rng = world.rng(SOURCE, "tac_cases")
    months = month_range("2018-04", "2026-09")
    fy = fy_start_year(months.astype("datetime64[D]"))
    mean = np.array([TAC_NEW_PER_FY[y] for y in fy]) / 12 * TAC_SEASON[(month_number(months) - 4) % 12]
    mean *= np.array([{"2020-04": 0.55, "2020-05": 0.6, "2020-06": 0.8}.get(str(m), 1.0) for m in months])
    n_month = rng.poisson(world.scaled(mean))
    opened = np.sort(
        random_dates_in_months(np.repeat(months, n_month), rng, weekday_share=1.0), kind="stable"
    )
    opened = np.minimum(opened, np.datetime64("2026-09-30", "D"))
    n = len(opened)
    team = np.where(rng.random(n) < 0.55, "tac", "taf")
    ward = np.empty(n, dtype=np.int64)
    ofy = fy_start_year(opened)
    for y in np.unique(ofy):
        m = ofy == y
        ward[m] = mess.pick(rng, int(m.sum()), world.ward_shares(int(y), elasticity=0.6))
    band = np.where(
        team == "tac",
        mess.pick(rng, n, [0.12, 0.35, 0.45, 0.08]),
        mess.pick(rng, n, [0.35, 0.30, 0.30, 0.05]),
    )
    codes = list(CLOSURE_P)
    reason = np.array(codes)[mess.pick(rng, n, list(CLOSURE_P.values()))]
    speed = pd.Series(reason).map(CLOSURE_SPEED).to_numpy(dtype=float)
    days = np.maximum(np.round(150 * speed * np.exp(rng.normal(0, 0.55, size=n))), 7).astype(np.int64)
    closed = opened + days.astype("timedelta64[D]")
    frame = pd.DataFrame(
        {
            "opened": opened,
            "closed": closed,
            "team": team,
            "ward": ward,
            "band": np.array(AGE_BANDS)[band],
            "reason": reason,
        }
    )
    frame["case_ref"] = sequential_ids("EH-", n, width=6)
    # presentation fixed per case, so a case looks the same in every return
    frame["text_opened"] = rng.random(n) < P_TEXT_DATE
    frame["text_closed"] = rng.random(n) < P_TEXT_DATE
    frame["ward_u1"] = rng.random(n)
    frame["ward_u2"] = rng.random(n)
    frame["team_label"] = mess.labels(team, TEAM_LABELS, rng, {"tac": [8, 2], "taf": [8, 2]})
    frame["band_label"] = mess.labels(
        frame["band"].to_numpy(), AGE_LABELS, rng, {"0-4": [8, 2], "16-17": [7, 3]}
    )
    frame["reason_label"] = mess.labels(
        reason,
        CLOSURE_LABELS,
        rng,
        {"needs_met": [6, 2, 2], "stepped_up": [6, 2, 2], "disengaged": [6, 2, 2], "moved_away": [7, 3]},
    )
    frame["ward_label"] = mess.ward_labels(
        world, ward, None, WARD_MIX, u=frame[["ward_u1", "ward_u2"]].to_numpy()
    )
    return frame


def _hub(world: World) -> pd.DataFrame:
    """Wellbeing Hub contacts per month x ward x reason x age band (non-zero cells only)."""
    rng = world.rng(SOURCE, "wellbeing_hub")
    months = month_range("2021-04", "2026-09")
    fy = fy_start_year(months.astype("datetime64[D]"))
    # growth within each year, so there is no step each April
    per_year = np.array(
        [
            np.interp(
                y + (int(m.astype(int)) % 12 - 3) % 12 / 12, list(HUB_PER_FY), list(HUB_PER_FY.values())
            )
            for y, m in zip(fy, months)
        ]
    )
    total = world.scaled(per_year / 12 * HUB_SEASON[(month_number(months) - 4) % 12])
    ward_p = world.ward_shares(2023, elasticity=0.4)
    cell_p = (
        ward_p[:, None, None]
        * np.array(list(HUB_REASONS.values()))[None, :, None]
        * np.array(list(HUB_AGES.values()))[None, None, :]
    )
    counts = rng.poisson(total[:, None, None, None] * cell_p[None])
    mi, wi, ri, ai = np.nonzero(counts)
    reasons = np.array(list(HUB_REASONS))
    frame = pd.DataFrame(
        {
            "month": months[mi],
            "ward": wi,
            "reason": reasons[ri],
            "age": np.array(list(HUB_AGES), dtype=object)[ai],
            "contacts": counts[mi, wi, ri, ai],
        }
    )
    frame["reason_label"] = mess.labels(
        frame["reason"].to_numpy(),
        HUB_REASON_LABELS,
        rng,
        {"emotional_wellbeing": [8, 2], "family_relationships": [8, 2], "self_harm": [7, 3]},
    )
    frame["age_label"] = np.where(
        frame["age"] == "Parent or carer",
        np.where(rng.random(len(frame)) < 0.3, "Parent/carer", "Parent or carer"),
        frame["age"],
    )
    frame["ward_label"] = mess.ward_labels(world, wi, rng, WARD_MIX)
    frame["text_month"] = rng.random(len(frame)) < 0.04
    return frame


def _term_census(term: str) -> int:
    """Mid-year (population year) for a term key like 'Autumn 2022'."""
    season, year = term.split()
    return int(year) if season != "Spring" else int(year) - 1


def _flying_start(world: World) -> pd.DataFrame:
    """Termly Flying Start reach and childcare take-up for the Flying Start wards."""
    rng = world.rng(SOURCE, "flying_start")
    rank = world.wards["deprivation_rank_within_wrexham"].to_numpy()
    original = rank <= FS_ORIGINAL_WARDS
    expansion = (rank > FS_ORIGINAL_WARDS) & (rank <= FS_ORIGINAL_WARDS + FS_EXPANSION_WARDS)
    coverage = np.where(
        original, rng.uniform(0.55, 0.95, world.n_wards), rng.uniform(0.30, 0.60, world.n_wards)
    )
    terms = list(_terms_backfill()) + ["Summer 2026", "Autumn 2026"]
    rows = []
    for term in terms:
        season, year = term.split()
        year = int(year)
        # terms in calendar order within a year: Spring, Summer, Autumn
        expanded = (year, ("Spring", "Summer", "Autumn").index(season)) >= (2022, 2)
        in_programme = original | (expansion & expanded)
        wards = np.flatnonzero(in_programme)
        under4 = world.children_by_band(_term_census(term))[wards, 0] * 0.8
        expected = np.maximum(
            np.round(world.scaled(under4 * coverage[wards]) * rng.uniform(0.97, 1.03, len(wards))), 1
        ).astype(np.int64)
        reach = rng.uniform(0.85, 0.95, len(wards))
        take = rng.uniform(0.75, 0.85, len(wards))
        if term == "Summer 2020":  # services went remote; childcare settings closed
            reach *= 0.9
            take = rng.uniform(0.30, 0.40, len(wards))
        elif term == "Autumn 2020":
            take *= 0.85
        reached = rng.binomial(expected, reach)
        offered = np.maximum(np.round(expected * 0.25 * rng.uniform(0.9, 1.0, len(wards))), 1).astype(
            np.int64
        )
        taken = rng.binomial(offered, take)
        rows.append(
            pd.DataFrame(
                {
                    "term": term,
                    "ward": wards,
                    "expected": expected,
                    "reached": reached,
                    "offered": offered,
                    "taken": taken,
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    frame["ward_label"] = mess.ward_labels(world, frame["ward"].to_numpy(), rng, WARD_MIX)
    return frame


# ---------------------------------------------------------------- writing


def _date_cells(days: np.ndarray) -> tuple[list[float], list[str]]:
    """Excel serial numbers and dd/mm/yyyy text for an array of dates (vectorised once,
    rather than converting each cell inside the row loop)."""
    days = np.asarray(days, dtype="datetime64[D]")
    serial = (days.astype(np.int64) + 25569).astype(float).tolist()
    text = mess.format_dates(days, mess.DMY).tolist()
    return serial, text


def _write_return(
    world: World,
    ret: Return,
    cases: pd.DataFrame,
    hub: pd.DataFrame,
    fs: pd.DataFrame,
    out_dir: Path,
    log: mess.ProblemLog,
    formula_row: int | None,
) -> Path:
    """Write one return workbook (Cover, TAC cases, Wellbeing Hub, Flying Start)."""
    path = Path(out_dir) / ret.file
    book = Workbook(path, ret.received, "Early help quarterly return", "Wrexham Early Help Hub")
    book.cover(
        [
            "Early help quarterly return",
            f"Return file: {ret.file}",
            "SYNTHETIC DEMO DATA made by etl.demo: not real children or families.",
            "TAC cases: the whole Team Around the Child/Family case list to the end of the quarter.",
            "Wellbeing Hub: contacts for the months of this return (the Hub opened in April 2021).",
            "Flying Start: a term is reported in the return for the quarter holding its census date "
            "(Summer -> Q1, Autumn -> Q2, Spring -> Q4).",
            "Contact: early help hub data officer.",
        ]
    )

    # --- TAC cases (full list to date)
    c = cases[cases["opened"].to_numpy(dtype="datetime64[D]") <= ret.data_to]
    closed = c["closed"].to_numpy(dtype="datetime64[D]")
    open_now = closed > ret.data_to
    sheet = book.sheet(
        "TAC cases",
        ["Case ref", "Team", "Ward", "Age band", "Date opened", "Date closed", "Closure reason"],
        [12, 24, 26, 10, 12, 12, 32],
    )
    op_num, op_txt = _date_cells(c["opened"].to_numpy(dtype="datetime64[D]"))
    cl_num, cl_txt = _date_cells(closed)
    cols = (
        c["case_ref"].tolist(),
        c["team_label"].tolist(),
        c["ward_label"].tolist(),
        c["band_label"].tolist(),
        op_num,
        op_txt,
        cl_num,
        cl_txt,
        c["reason_label"].tolist(),
        c["text_opened"].tolist(),
        c["text_closed"].tolist(),
        open_now.tolist(),
    )
    write_string, write_number, date_fmt = sheet.write_string, sheet.write_number, book.date
    for i, (ref, team, ward, band, opn, opt, cln, clt, reason, t_op, t_cl, is_open) in enumerate(
        zip(*cols), start=1
    ):
        write_string(i, 0, ref)
        write_string(i, 1, team)
        write_string(i, 2, ward)
        write_string(i, 3, band)
        if t_op:
            write_string(i, 4, opt)
        else:
            write_number(i, 4, opn, date_fmt)
        if not is_open:
            if t_cl:
                write_string(i, 5, clt)
            else:
                write_number(i, 5, cln, date_fmt)
            write_string(i, 6, reason)

    # --- Wellbeing Hub (months of this return)
    first, last = (np.datetime64(m, "M") for m in ret.hub_months)
    h = hub[(hub["month"].to_numpy() >= first) & (hub["month"].to_numpy() <= last)]
    sheet = book.sheet(
        "Wellbeing Hub", ["Month", "Ward", "Contact reason", "Age band", "Contacts"], [10, 26, 22, 16, 10]
    )
    m_num, m_txt = _date_cells(h["month"].to_numpy().astype("datetime64[D]"))
    cols = (
        m_num,
        m_txt,
        h["ward_label"].tolist(),
        h["reason_label"].tolist(),
        h["age_label"].tolist(),
        h["contacts"].tolist(),
        h["text_month"].tolist(),
    )
    for i, (mnum, mtxt, ward, reason, age, n, as_text) in enumerate(zip(*cols), start=1):
        if as_text:
            sheet.write_string(i, 0, mtxt)  # typed as 01/05/2024
        else:
            sheet.write_number(i, 0, mnum, book.month)
        sheet.write_string(i, 1, ward)
        sheet.write_string(i, 2, reason)
        sheet.write_string(i, 3, age)
        if i == formula_row:
            # a hand-typed sum: a formula with no cached result (a deliberate bad row)
            sheet.write_formula(i, 4, "=12+3", None, "")
            log.add(ret.file, f"sheet 'Wellbeing Hub' cell E{i + 1}", "formula =12+3 instead of a count")
        else:
            sheet.write_number(i, 4, int(n))

    # --- Flying Start (terms of this return)
    f = fs[fs["term"].isin(ret.terms)]
    sheet = book.sheet(
        "Flying Start",
        [
            "Term",
            "Ward",
            "Children expected",
            "Children reached",
            "Childcare places offered",
            "Childcare places taken up",
        ],
        [14, 26, 18, 18, 24, 26],
    )
    later = ret.file != RETURNS[0].file
    for i, (term, ward, e, r, o, t) in enumerate(
        zip(f["term"], f["ward_label"], f["expected"], f["reached"], f["offered"], f["taken"]), start=1
    ):
        if later:  # the new return template writes terms as '2026/27 Autumn'
            season, year = term.split()
            start = int(year) if season == "Autumn" else int(year) - 1
            term = f"{start}/{(start + 1) % 100:02d} {season}"
        sheet.write_string(i, 0, term)
        sheet.write_string(i, 1, ward)
        for j, v in enumerate((e, r, o, t), start=2):
            sheet.write_number(i, j, int(v))
    book.close()
    mess.set_received(path, ret.received)
    return path


def generate(world: World, out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write the three early help workbooks; returns the paths."""
    cases = _cases(world)
    hub = _hub(world)
    fs = _flying_start(world)
    rng = world.rng(SOURCE, "bad_rows")
    first, last = (np.datetime64(m, "M") for m in RETURNS[0].hub_months)
    n_backfill_hub = int(((hub["month"] >= first) & (hub["month"] <= last)).sum())
    formula_row = int(rng.integers(1, n_backfill_hub + 1))
    paths = []
    for ret in RETURNS:
        paths.append(
            _write_return(
                world, ret, cases, hub, fs, out_dir, log, formula_row if ret is RETURNS[0] else None
            )
        )
    return paths
