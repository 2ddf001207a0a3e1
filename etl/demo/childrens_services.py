"""Children's services (WCCIS): pseudonymised record-level extracts.

One simulated "truth" of every child's journey is built once, then written as two full
extracts (July and October 2026), each showing what the case management system held on its
cut-off date:

    contacts -> referrals -> assessments -> care and support plans
                                         -> child protection registrations
                                         -> looked-after care periods -> placement episodes

The same child_ref runs through every table. The simulation starts before the reporting
window (contacts from April 2014, care from 2005) so that plans, registrations and care
episodes open on 1 April 2018 exist, as they would in a real extract; rows before the window
are left out of the files as the contract's minimum dates say.

Calibration (scale 1) is to Wrexham: see the constants below and INDICATORS.md. Care
(periods, placements, costs) is modelled in looked_after.py.

Two extracts from one truth: the October extract holds every July record (same ids), new
records, contacts for earlier quarters keyed late, open records since closed, and the true
values of about 0.3% of July records that the July extract had wrong (see _corrupt).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import looked_after as lac
from . import mess
from .looked_after import LEGAL, LOCATIONS, PLACEMENTS
from .records import (
    Children,
    by_fy,
    cap_at_18,
    days,
    drop_overlaps,
    fixed_width_codes,
    mixture_durations,
    pseudonyms,
    resolve_roots,
)
from .world import (
    AGE_BAND_EDGES,
    AGE_BANDS,
    PERIOD_END,
    PERIOD_START,
    World,
    age_band_index,
    fy_start_year,
    month_number,
    month_range,
    random_dates_in_months,
    received,
    years_between,
)

SOURCE = "childrens_services"
SIM_START = "2014-04"  # contacts/referrals/assessments burn-in
SIM_END = PERIOD_END  # the truth is simulated to the end of the window

# (file date label, data cut-off, received)
EXTRACTS = (
    ("20260715", np.datetime64("2026-06-30", "D"), received(2026, 7, 15, 9, 0)),
    ("20261014", np.datetime64("2026-09-30", "D"), received(2026, 10, 14, 9, 0)),
)

# ----------------------------------------------------------------------------- calibration
# Contacts per financial year (start year -> contacts), scale 1.
CONTACTS_PER_FY = {
    2014: 6400,
    2015: 6450,
    2016: 6500,
    2017: 6550,
    2018: 6650,
    2019: 6900,
    2020: 6750,
    2021: 7150,
    2022: 7350,
    2023: 7250,
    2024: 7150,
    2025: 7050,
    2026: 7000,
}
# Month of the financial year (Apr..Mar): school holidays in August and December.
CONTACT_SEASON = np.array([0.96, 1.03, 1.05, 1.03, 0.82, 1.03, 1.08, 1.07, 0.90, 1.02, 1.00, 1.04])
CONTACT_SEASON = CONTACT_SEASON / CONTACT_SEASON.mean()
PANDEMIC = {
    "2020-04": 0.66,
    "2020-05": 0.74,
    "2020-06": 0.88,
    "2020-09": 1.10,
    "2021-01": 0.92,
    "2021-03": 1.08,
}
CONTACT_AGE = [0.30, 0.22, 0.34, 0.14]
P_REPEAT_CONTACT = 0.33  # share of contacts about a child already known
REPEAT_LAG_MONTHS = 8.0  # typical gap before a repeat contact
SOURCES = ("police", "health", "school", "family_self", "local_authority", "other")
SOURCE_P = np.array([0.34, 0.16, 0.17, 0.12, 0.11, 0.10])
OUTCOMES = ("iaa", "referral", "early_help", "nfa")
P_LATE_RECORDED = 0.035  # contacts keyed weeks or months after the event

P_ASSESSED = 0.93  # referrals leading to an assessment
ON_TIME_BY_FY = {
    2014: 0.89,
    2015: 0.89,
    2016: 0.89,
    2017: 0.89,
    2018: 0.90,
    2019: 0.91,
    2020: 0.87,
    2021: 0.855,
    2022: 0.86,
    2023: 0.88,
    2024: 0.90,
    2025: 0.91,
    2026: 0.91,
}
ASSESSMENT_OUTCOMES = ("care_and_support_plan", "early_help", "nfa", "ongoing")
ASSESSMENT_OUTCOME_P = (0.27, 0.28, 0.45)  # of completed assessments

PLAN_SHORT_SHARE, PLAN_SHORT_YEARS, PLAN_LONG_YEARS = 0.45, 0.30, 1.3

CP_SHARE_BY_FY = {
    2014: 0.36,
    2015: 0.36,
    2016: 0.36,
    2017: 0.36,
    2018: 0.36,
    2019: 0.38,
    2020: 0.40,
    2021: 0.43,
    2022: 0.42,
    2023: 0.38,
    2024: 0.36,
    2025: 0.35,
    2026: 0.35,
}
CP_MEDIAN_YEARS, CP_SIGMA = 0.62, 0.6
P_INJECTED_REREGISTRATION = 0.075  # on top of re-registrations arising naturally
CP_CATEGORIES = ("neglect", "emotional", "physical", "sexual")
CP_CATEGORY_P = (0.46, 0.34, 0.13, 0.07)


# ----------------------------------------------------------------------------- labels
CONTACT_SOURCE_LABELS = {
    "police": ["Police"],
    "health": ["Health", "Health visitor", "GP", "Hospital"],
    "school": ["School", "Education"],
    "family_self": ["Family", "Self", "Family or self", "Relative"],
    "local_authority": ["Local authority", "Housing", "LA"],
    "other": ["Other", "Third sector", "Anonymous"],
}
CONTACT_SOURCE_W = {
    "health": [4, 3, 2, 1],
    "school": [9, 1],
    "family_self": [4, 3, 2, 1],
    "local_authority": [6, 3, 1],
    "other": [5, 3, 2],
}
REFERRAL_SOURCE_LABELS = {
    "police": ["Police"],
    "health": ["Health"],
    "school": ["School", "Education"],
    "family_self": ["Family or self", "Family", "Self"],
    "local_authority": ["Local authority", "LA"],
    "other": ["Other"],
}
CONTACT_OUTCOME_LABELS = {
    "iaa": ["Information advice and assistance", "IAA", "Information, advice and assistance"],
    "referral": ["Referral", "Referral to children's services"],
    "early_help": ["Early help", "Signposted to early help"],
    "nfa": ["No further action", "NFA"],
}
ASSESSMENT_OUTCOME_LABELS = {
    "care_and_support_plan": ["Care and support plan", "C&S plan"],
    "early_help": ["Early help", "Step down to early help"],
    "nfa": ["No further action", "NFA"],
    "ongoing": ["Ongoing", "In progress"],
}
CP_LABELS = {
    "neglect": ["Neglect"],
    "emotional": ["Emotional abuse", "Emotional"],
    "physical": ["Physical abuse", "Physical"],
    "sexual": ["Sexual abuse", "Sexual"],
}
PLACEMENT_LABELS = {
    "foster_in_house": ["Foster care (in-house)", "In-house foster", "Foster (LA)"],
    "foster_agency": ["Foster care (agency)", "Independent fostering agency", "Foster (IFA)"],
    "kinship": ["Kinship care", "Family and friends", "Kinship"],
    "residential": ["Residential care", "Children's home", "Residential"],
    "placed_with_parents": ["Placed with parents", "With parents"],
    "other": ["Supported lodgings", "Other", "Secure unit"],
}
LOCATION_LABELS = {
    "wrexham": ["In Wrexham", "Wrexham"],
    "elsewhere_in_wales": ["Elsewhere in Wales", "Other Welsh LA"],
    "outside_wales": ["Outside Wales", "England"],
}
LEGAL_LABELS = {
    "care_order": ["Care order", "Full care order", "Interim care order", "C2"],
    "voluntary": ["Section 76", "Voluntary", "V2"],
    "placement_order": ["Placement order", "E1"],
    "other": ["Other", "Remand", "J2"],
}
LEGAL_W = {
    "care_order": [4, 2.5, 2.5, 1],
    "voluntary": [7, 2, 1],
    "placement_order": [8, 2],
    "other": [6, 2, 2],
}
WARD_MIX = {"en": 0.955, "alias": 0.03, "cy": 0.01, "upper": 0.005}
# integer category codes index these tuples, so the label tables must list codes in the same order
assert tuple(CONTACT_SOURCE_LABELS) == SOURCES == tuple(REFERRAL_SOURCE_LABELS)
assert tuple(CONTACT_OUTCOME_LABELS) == OUTCOMES
assert tuple(ASSESSMENT_OUTCOME_LABELS) == ASSESSMENT_OUTCOMES
assert tuple(CP_LABELS) == CP_CATEGORIES
assert tuple(PLACEMENT_LABELS) == PLACEMENTS and tuple(LOCATION_LABELS) == LOCATIONS
assert tuple(LEGAL_LABELS) == LEGAL
IMPOSSIBLE_DATES = [
    "31/02/2025",
    "30/02/2024",
    "31/04/2023",
    "31/06/2022",
    "29/02/2023",
    "31/09/2021",
    "31/11/2020",
    "30/02/2019",
]


# ============================================================================= the simulation


def _contacts(world: World, kids: Children) -> pd.DataFrame:
    """Contacts, with repeat contacts about the same child (same ward, months apart)."""
    rng = world.rng(SOURCE, "contacts")
    months = month_range(SIM_START, "2026-09")
    fy = fy_start_year(months.astype("datetime64[D]"))
    mean = np.array([CONTACTS_PER_FY[y] for y in fy]) / 12.0
    mean = mean * CONTACT_SEASON[(month_number(months) - 4) % 12]
    mean = mean * np.array([PANDEMIC.get(str(m), 1.0) for m in months])
    n_month = rng.poisson(world.scaled(mean))
    date = random_dates_in_months(np.repeat(months, n_month), rng, weekday_share=0.8)
    date = np.sort(np.minimum(date, SIM_END), kind="stable")
    n = len(date)

    cfy = fy_start_year(date)
    ward = np.empty(n, dtype=np.int64)
    for y in np.unique(cfy):
        m = cfy == y
        ward[m] = mess.pick(rng, int(m.sum()), world.ward_shares(int(y)))
    band = mess.pick(rng, n, CONTACT_AGE)
    age0 = AGE_BAND_EDGES[band] + rng.random(n) * np.diff(AGE_BAND_EDGES)[band]

    # A repeat contact points at an earlier contact in the same ward a few months back.
    order = np.lexsort((np.arange(n), ward))  # by ward, then time (date is sorted)
    ws = ward[order]
    gstart = np.searchsorted(ws, ws, side="left")
    pos = np.arange(n) - gstart
    per_month = np.bincount(ward, minlength=world.n_wards) / len(months)
    lag = 1 + np.floor(rng.exponential(per_month[ws] * REPEAT_LAG_MONTHS)).astype(np.int64)
    repeat = rng.random(n) < P_REPEAT_CONTACT
    ppos = pos - lag
    parent_sorted = np.where(repeat & (ppos >= 0), gstart + np.maximum(ppos, 0), np.arange(n))
    parent = np.empty(n, dtype=np.int64)
    parent[order] = order[parent_sorted]
    birth_own = date - days(age0)
    while True:  # a "repeat" about someone who has since turned 18 is a new child instead
        root = resolve_roots(parent)
        too_old = years_between(birth_own[root], date) >= 17.999
        if not too_old.any():
            break
        parent[too_old] = np.flatnonzero(too_old)
    roots = np.flatnonzero(root == np.arange(n))
    child_of_root = np.full(n, -1, dtype=np.int64)
    child_of_root[roots] = kids.add(birth_own[roots], ward[roots])
    child = child_of_root[root]

    # Who made contact: fewer schools in August and for under-fives, more health for babies.
    src = np.empty(n, dtype=np.int64)
    august = month_number(date.astype("datetime64[M]")) == 8
    age_now = years_between(birth_own[root], date)
    band_now = age_band_index(age_now)
    for b in range(4):
        for aug in (False, True):
            m = (band_now == b) & (august == aug)
            p = SOURCE_P.copy()
            if b == 0:
                p[2] *= 0.15
                p[1] *= 2.0
            if b == 3:
                p[2] *= 0.7
            if aug:
                p[2] *= 0.25
            src[m] = mess.pick(rng, int(m.sum()), p)

    # Outcome: early help slowly takes a larger share as the early help offer matures.
    t = np.clip((fy_start_year(date) - 2018) / 7.0, 0, 1)
    p_out = np.stack([np.full(n, 0.45), np.full(n, 0.25), 0.13 + 0.04 * t, 0.17 - 0.04 * t], axis=1)
    outcome = mess.pick_rows(rng, p_out)

    # Recording lag: most on the day or within a few days; a few keyed months later.
    lag_days = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 4, size=n))
    late = rng.random(n) < P_LATE_RECORDED
    lag_days = np.where(late, rng.integers(14, 241, size=n), lag_days)
    # a contact that becomes a referral is recorded on the day (the referral follows it)
    lag_days = np.where(outcome == OUTCOMES.index("referral"), 0, lag_days)
    recorded = date + lag_days.astype("timedelta64[D]")

    # categories are kept as integer positions (SOURCES, OUTCOMES) until the files are written
    frame = pd.DataFrame(
        {"child": child, "date": date, "recorded": recorded, "source": src, "outcome": outcome}
    )
    frame = frame.sort_values(["recorded", "date"], kind="stable").reset_index(drop=True)
    frame["id"] = np.arange(1, len(frame) + 1)  # numbered in the order they were keyed
    return frame


def _referrals(world: World, contacts: pd.DataFrame) -> pd.DataFrame:
    """Referrals: every contact whose outcome was a referral, dated that day or soon after."""
    rng = world.rng(SOURCE, "referrals")
    c = contacts[contacts["outcome"] == OUTCOMES.index("referral")]
    n = len(c)
    step = np.where(rng.random(n) < 0.75, 0, rng.integers(1, 4, size=n))
    date = np.busday_offset(c["date"].to_numpy(dtype="datetime64[D]"), step, roll="forward")
    frame = pd.DataFrame({"child": c["child"].to_numpy(), "date": date, "source": c["source"].to_numpy()})
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    frame["id"] = np.arange(1, len(frame) + 1)
    return frame


def _assessments(world: World, referrals: pd.DataFrame) -> pd.DataFrame:
    """Assessments with working-day timescales: 85-92% completed within 42 working days."""
    rng = world.rng(SOURCE, "assessments")
    r = referrals[rng.random(len(referrals)) < P_ASSESSED]
    n = len(r)
    start = np.busday_offset(
        r["date"].to_numpy(dtype="datetime64[D]"), rng.integers(0, 6, size=n), roll="forward"
    )
    on_time = rng.random(n) < by_fy(start, ON_TIME_BY_FY)
    # keep clear of the 42-day line so bank holidays cannot flip the judgement
    wd = np.where(
        on_time, np.round(rng.triangular(5, 33, 40, size=n)), 44 + np.round(rng.gamma(2.0, 9.0, size=n))
    ).astype(np.int64)
    completed = np.busday_offset(start, wd, roll="forward")
    outcome = mess.pick(rng, n, ASSESSMENT_OUTCOME_P)
    frame = pd.DataFrame(
        {
            "child": r["child"].to_numpy(),
            "referral": r["id"].to_numpy(),
            "start": start,
            "completed": completed,
            "outcome": outcome,
        }
    )
    frame = frame.sort_values("start", kind="stable").reset_index(drop=True)
    frame["id"] = np.arange(1, len(frame) + 1)
    return frame


def _plans(world: World, kids: Children, assessments: pd.DataFrame) -> pd.DataFrame:
    """Care and support plans opened after assessments that concluded a plan was needed."""
    rng = world.rng(SOURCE, "plans")
    a = assessments[assessments["outcome"] == ASSESSMENT_OUTCOMES.index("care_and_support_plan")]
    start = a["completed"].to_numpy(dtype="datetime64[D]") + rng.integers(0, 15, size=len(a)).astype(
        "timedelta64[D]"
    )
    years = mixture_durations(rng, fy_start_year(start), PLAN_SHORT_SHARE, PLAN_SHORT_YEARS, PLAN_LONG_YEARS)
    end = start + np.maximum(days(years), np.timedelta64(14, "D"))
    return pd.DataFrame({"child": a["child"].to_numpy(), "start": start, "end": end})


def _registrations(world: World, plans: pd.DataFrame, birth: np.ndarray) -> pd.DataFrame:
    """Child protection registrations: a share of new plans, plus re-registrations."""
    rng = world.rng(SOURCE, "child_protection")
    p_start = plans["start"].to_numpy(dtype="datetime64[D]")
    chosen = rng.random(len(plans)) < by_fy(p_start, CP_SHARE_BY_FY)
    child = plans["child"].to_numpy()[chosen]
    reg = p_start[chosen] + rng.integers(0, 22, size=int(chosen.sum())).astype("timedelta64[D]")
    years = CP_MEDIAN_YEARS * np.exp(rng.normal(0, CP_SIGMA, size=len(reg)))
    dereg = reg + np.maximum(days(years), np.timedelta64(21, "D"))
    dereg = cap_at_18(birth, child, dereg)
    keep = (dereg > reg) & drop_overlaps(child, reg, dereg)
    child, reg, dereg = child[keep], reg[keep], dereg[keep]
    # Re-registrations: some children come back onto the register within a year.
    again = (rng.random(len(reg)) < P_INJECTED_REREGISTRATION) & (dereg < SIM_END)
    r_child = child[again]
    r_reg = dereg[again] + rng.integers(20, 330, size=int(again.sum())).astype("timedelta64[D]")
    r_years = CP_MEDIAN_YEARS * np.exp(rng.normal(0, CP_SIGMA, size=len(r_reg)))
    r_dereg = cap_at_18(birth, r_child, r_reg + np.maximum(days(r_years), np.timedelta64(21, "D")))
    child = np.concatenate([child, r_child])
    reg = np.concatenate([reg, r_reg])
    dereg = np.concatenate([dereg, r_dereg])
    keep = (dereg > reg) & drop_overlaps(child, reg, dereg)
    child, reg, dereg = child[keep], reg[keep], dereg[keep]
    category = mess.pick(rng, len(reg), CP_CATEGORY_P)
    frame = pd.DataFrame({"child": child, "start": reg, "end": dereg, "category": category})
    frame = frame.sort_values("start", kind="stable").reset_index(drop=True)
    frame["id"] = np.arange(1, len(frame) + 1)
    return frame


@dataclass
class Truth:
    """Every simulated record, before it is cut into extracts."""

    birth: np.ndarray
    ward: np.ndarray
    child_ref: np.ndarray
    contacts: pd.DataFrame
    referrals: pd.DataFrame
    assessments: pd.DataFrame
    plans: pd.DataFrame
    registrations: pd.DataFrame
    episodes: pd.DataFrame
    periods: pd.DataFrame


def simulate(world: World) -> Truth:
    """Build the whole record-level history (deterministic for the world's seed and scale)."""
    kids = Children()
    contacts = _contacts(world, kids)
    referrals = _referrals(world, contacts)
    assessments = _assessments(world, referrals)
    plans = _plans(world, kids, assessments)
    birth, ward = kids.frame()
    plans["end"] = cap_at_18(birth, plans["child"].to_numpy(), plans["end"].to_numpy(dtype="datetime64[D]"))
    registrations = _registrations(world, plans, birth)
    periods, extra_plans = lac.care_periods(world, kids, plans, birth)
    birth, ward = kids.frame()
    episodes = lac.episodes(world, periods, birth)

    # Plans stay open while a child is registered or in care (they are part of the same plan).
    plans = pd.concat([plans, extra_plans], ignore_index=True)
    cover = pd.concat(
        [
            registrations[["child", "end"]],
            periods.loc[periods["linked"], ["child", "exit"]].rename(columns={"exit": "end"}),
        ]
    )
    latest = cover.groupby("child")["end"].max()
    p_child = plans["child"].to_numpy()
    p_start = plans["start"].to_numpy(dtype="datetime64[D]")
    need = latest.reindex(p_child).to_numpy(dtype="datetime64[D]")
    # extend the plan the cover period belongs to: the latest plan starting before it ends
    p_end = plans["end"].to_numpy(dtype="datetime64[D]")
    extend = ~np.isnat(need) & (need > p_end) & (p_start <= need)
    p_end = np.where(extend, need + 14, p_end)
    plans["end"] = cap_at_18(birth, p_child, p_end)
    # a plan that would start after the 18th birthday is never made (adult services instead)
    keep = plans["end"].to_numpy(dtype="datetime64[D]") > p_start
    keep &= drop_overlaps(p_child, p_start, plans["end"].to_numpy(dtype="datetime64[D]"))
    plans = plans[keep].sort_values("start", kind="stable").reset_index(drop=True)
    plans["id"] = np.arange(1, len(plans) + 1)

    refs = pseudonyms(world.rng(SOURCE, "child_refs"), kids.n)
    return Truth(
        birth=birth,
        ward=ward,
        child_ref=refs,
        contacts=contacts,
        referrals=referrals,
        assessments=assessments,
        plans=plans,
        registrations=registrations,
        episodes=episodes,
        periods=periods,
    )


# ============================================================================= the extracts


@dataclass
class _Table:
    """How one truth table becomes a file: columns, date columns, filters."""

    name: str
    frame: pd.DataFrame
    start_col: str  # the date that decides whether a record exists at the cut-off
    end_col: str | None  # a date blanked when it is after the cut-off
    min_start: np.datetime64 | None  # records starting before this are not in the extract
    needs_open_after: bool  # stock tables: only records open on/after 1 April 2018


def _dress(
    world: World, truth: Truth, frame: pd.DataFrame, purpose: str, date_cols: list[str]
) -> pd.DataFrame:
    """Draw the presentation of each record once (ward spelling, date styles), so the same
    record looks the same in both extracts unless it was corrected."""
    rng = world.rng(SOURCE, "dress", purpose)
    frame = frame.copy()
    frame["ward_idx"] = truth.ward[frame["child"].to_numpy()]
    frame["ward_u1"] = rng.random(len(frame))
    frame["ward_u2"] = rng.random(len(frame))
    frame["label_u"] = rng.random(len(frame))  # which accepted wording of each category
    for col in date_cols:
        frame[f"{col}_style"] = mess.date_styles(rng, len(frame))
    return frame


def _ward_text(world: World, f: pd.DataFrame) -> np.ndarray:
    """Ward labels from per-record uniforms: a record keeps its spelling across extracts."""
    u = f[["ward_u1", "ward_u2"]].to_numpy(dtype=float)
    return mess.ward_labels(world, f["ward_idx"].to_numpy(), None, WARD_MIX, u=u)


def _age_band(truth: Truth, child: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Age band of each child on the given dates."""
    ages = years_between(truth.birth[child], on)
    return np.array(AGE_BANDS, dtype=object)[age_band_index(ages)]


def _table_specs(world: World, truth: Truth) -> list[_Table]:
    """The six output tables, each dressed with its per-record presentation."""
    c = _dress(world, truth, truth.contacts, "contacts", ["date"])
    r = _dress(world, truth, truth.referrals, "referrals", ["date"])
    a = _dress(world, truth, truth.assessments, "assessments", ["start", "completed"])
    p = _dress(world, truth, truth.plans, "plans", ["start", "end"])
    g = _dress(world, truth, truth.registrations, "registrations", ["start", "end"])
    e = _dress(world, truth, truth.episodes, "episodes", ["start", "end"])
    return [
        _Table("contacts", c, "recorded", None, PERIOD_START, False),
        _Table("referrals", r, "date", None, PERIOD_START, False),
        _Table("assessments", a, "start", "completed", PERIOD_START, False),
        _Table("care_support", p, "start", "end", None, True),
        _Table("child_protection", g, "start", "end", None, True),
        _Table("looked_after", e, "start", "end", None, True),
    ]


def _snapshot(table: _Table, cutoff: np.datetime64) -> pd.DataFrame:
    """What the system held on the cut-off date for one table."""
    f = table.frame
    start = f[table.start_col].to_numpy(dtype="datetime64[D]")
    keep = start <= cutoff
    if table.name == "contacts":
        keep &= f["date"].to_numpy(dtype="datetime64[D]") >= PERIOD_START
    elif table.min_start is not None:
        keep &= start >= table.min_start
    if table.needs_open_after:
        keep &= f[table.end_col].to_numpy(dtype="datetime64[D]") >= PERIOD_START
    out = f[keep].copy()
    if table.end_col:
        end = out[table.end_col].to_numpy(dtype="datetime64[D]")
        out[table.end_col] = np.where(end > cutoff, np.datetime64("NaT"), end)
    if table.name == "assessments":
        out["outcome"] = np.where(
            np.isnat(out["completed"].to_numpy(dtype="datetime64[D]")),
            ASSESSMENT_OUTCOMES.index("ongoing"),
            out["outcome"].to_numpy(),
        )
    return out


# Corrections: in the July extract, about 0.3% of records held a value that the October
# extract corrects (the October value is the true one).
P_CORRECTED = 0.003
CORRECTABLE = {
    "contacts": ["ward", "source", "outcome_minor", "date"],
    "referrals": ["ward", "source", "date"],
    "assessments": ["ward", "outcome_minor", "completed"],
    "care_support": ["ward", "start"],
    "child_protection": ["ward", "category", "start"],
    "looked_after": ["placement", "location", "cost", "start"],
}


def _corrupt(world: World, name: str, first: pd.DataFrame) -> pd.DataFrame:
    """Give ~0.3% of the July records a value the October extract corrects."""
    rng = world.rng(SOURCE, "corrections", name)
    out = first.copy()
    n = len(out)
    chosen = np.flatnonzero(rng.random(n) < P_CORRECTED)
    kinds = np.array(CORRECTABLE[name])[rng.integers(0, len(CORRECTABLE[name]), size=len(chosen))]
    for kind in CORRECTABLE[name]:
        rows = out.index[chosen[kinds == kind]]
        if len(rows) == 0:
            continue
        k = len(rows)
        if kind == "ward":
            shift = rng.integers(1, world.n_wards, size=k)  # any other ward
            out.loc[rows, "ward_idx"] = (out.loc[rows, "ward_idx"].to_numpy() + shift) % world.n_wards
        elif kind == "source":
            out.loc[rows, "source"] = rng.integers(0, len(SOURCES), size=k)
        elif kind == "outcome_minor":
            # only between outcomes that create no downstream record
            codes = OUTCOMES if name == "contacts" else ASSESSMENT_OUTCOMES
            names = ("iaa", "nfa", "early_help") if name == "contacts" else ("early_help", "nfa")
            pool = np.array([codes.index(x) for x in names])
            cur = out.loc[rows, "outcome"].to_numpy()
            ok = np.isin(cur, pool)
            new = pool[rng.integers(0, len(pool), size=k)]
            out.loc[rows[ok], "outcome"] = new[ok]
        elif kind in ("date", "start"):
            col = "date" if kind == "date" else "start"
            d = out.loc[rows, col].to_numpy(dtype="datetime64[D]")
            shifted = d - rng.integers(1, 6, size=k).astype("timedelta64[D]")
            floor = (
                PERIOD_START
                if name in ("contacts", "referrals", "assessments")
                else np.datetime64("2010-01-01", "D")
            )
            out.loc[rows, col] = np.maximum(shifted, floor)
        elif kind == "completed":
            d = out.loc[rows, "completed"].to_numpy(dtype="datetime64[D]")
            ok = ~np.isnat(d)
            out.loc[rows[ok], "completed"] = d[ok] + rng.integers(1, 8, size=int(ok.sum())).astype(
                "timedelta64[D]"
            )
        elif kind == "category":
            out.loc[rows, "category"] = rng.integers(0, len(CP_CATEGORIES), size=k)
        elif kind == "placement":
            out.loc[rows, "placement"] = rng.integers(0, len(PLACEMENTS), size=k)
        elif kind == "location":
            out.loc[rows, "location"] = rng.integers(0, len(LOCATIONS), size=k)
        elif kind == "cost":
            out.loc[rows, "cost"] = np.round(
                out.loc[rows, "cost"].to_numpy(dtype=float) * rng.uniform(0.9, 1.1, size=k), 2
            )
    return out


# Record ids: prefix and digits (the system numbers records in the order it made them).
ID_FORMAT = {
    "contacts": ("CN", 7),
    "referrals": ("RF", 7),
    "assessments": ("AS", 7),
    "care_support": ("PL", 7),
    "child_protection": ("RG", 6),
    "looked_after": ("EP", 7),
}


def record_ids(name: str, numbers: np.ndarray) -> np.ndarray:
    """Record numbers as the system's ids for one table (e.g. CN0001234)."""
    prefix, width = ID_FORMAT[name]
    return fixed_width_codes(prefix, numbers, width)


def _columns(world: World, truth: Truth, name: str, f: pd.DataFrame) -> tuple[list[str], list]:
    """Header and text columns for one table of one extract."""
    u = f["label_u"].to_numpy()
    child = f["child"].to_numpy()
    ward = _ward_text(world, f)
    ref = truth.child_ref[child]
    ids = record_ids(name, f["id"].to_numpy())

    def d(col: str) -> np.ndarray:
        return mess.format_dates(f[col].to_numpy(dtype="datetime64[D]"), f[f"{col}_style"].to_numpy())

    def band(col: str) -> np.ndarray:
        return _age_band(truth, child, f[col].to_numpy(dtype="datetime64[D]"))

    if name == "contacts":
        dates = d("date")
        bad = f["bad_date"].to_numpy()
        dates[bad >= 0] = np.array(IMPOSSIBLE_DATES, dtype=object)[bad[bad >= 0]]
        return (
            [
                "Contact ID",
                "Child ref",
                "Contact date",
                "Ward",
                "Age band",
                "Source of contact",
                "Contact outcome",
            ],
            [
                ids,
                ref,
                dates,
                ward,
                band("date"),
                mess.labels(f["source"].to_numpy(), CONTACT_SOURCE_LABELS, None, CONTACT_SOURCE_W, u=u),
                mess.labels(
                    f["outcome"].to_numpy(),
                    CONTACT_OUTCOME_LABELS,
                    None,
                    {"iaa": [8, 1, 1], "referral": [9, 1], "early_help": [7, 3], "nfa": [8, 2]},
                    u=u,
                ),
            ],
        )
    if name == "referrals":
        return (
            ["Referral ID", "Child ref", "Referral date", "Ward", "Age band", "Referral source"],
            [
                ids,
                ref,
                d("date"),
                ward,
                band("date"),
                mess.labels(
                    f["source"].to_numpy(),
                    REFERRAL_SOURCE_LABELS,
                    None,
                    {"school": [8, 2], "family_self": [6, 2, 2], "local_authority": [8, 2]},
                    u=u,
                ),
            ],
        )
    if name == "assessments":
        ref_id = record_ids("referrals", f["referral"].to_numpy())
        ref_id[f["no_referral"].to_numpy()] = ""
        return (
            [
                "Assessment ID",
                "Referral ID",
                "Child ref",
                "Ward",
                "Age band",
                "Start date",
                "Completed date",
                "Outcome",
            ],
            [
                ids,
                ref_id,
                ref,
                ward,
                band("start"),
                d("start"),
                d("completed"),
                mess.labels(
                    f["outcome"].to_numpy(),
                    ASSESSMENT_OUTCOME_LABELS,
                    None,
                    {"care_and_support_plan": [9, 1], "early_help": [8, 2], "nfa": [8, 2], "ongoing": [9, 1]},
                    u=u,
                ),
            ],
        )
    if name == "care_support":
        return (
            ["Plan ID", "Child ref", "Ward", "Age band", "Plan start", "Plan end"],
            [ids, ref, ward, band("start"), d("start"), d("end")],
        )
    if name == "child_protection":
        return (
            [
                "Registration ID",
                "Child ref",
                "Ward",
                "Age band",
                "Registration date",
                "Deregistration date",
                "Category",
            ],
            [
                ids,
                ref,
                ward,
                band("start"),
                d("start"),
                d("end"),
                mess.labels(
                    f["category"].to_numpy(),
                    CP_LABELS,
                    None,
                    {"emotional": [8, 2], "physical": [8, 2], "sexual": [8, 2]},
                    u=u,
                ),
            ],
        )
    if name == "looked_after":
        return (
            [
                "Episode ID",
                "Child ref",
                "Ward",
                "Age band",
                "Episode start",
                "Episode end",
                "Placement type",
                "Placement location",
                "Weekly cost (£)",
                "Legal status",
            ],
            [
                ids,
                ref,
                ward,
                band("start"),
                d("start"),
                d("end"),
                mess.labels(
                    f["placement"].to_numpy(),
                    PLACEMENT_LABELS,
                    None,
                    {
                        "foster_in_house": [7, 2, 1],
                        "foster_agency": [7, 2, 1],
                        "kinship": [7, 2, 1],
                        "residential": [7, 2, 1],
                        "placed_with_parents": [8, 2],
                        "other": [7, 2, 1],
                    },
                    u=u,
                ),
                mess.labels(
                    f["location"].to_numpy(),
                    LOCATION_LABELS,
                    None,
                    {"wrexham": [8, 2], "elsewhere_in_wales": [8, 2], "outside_wales": [7, 3]},
                    u=u,
                ),
                mess.money_gbp(f["cost"].to_numpy()),
                mess.labels(f["legal"].to_numpy(), LEGAL_LABELS, None, LEGAL_W, u=u),
            ],
        )
    raise KeyError(name)


def _plant_bad_rows(world: World, specs: list[_Table], log: mess.ProblemLog) -> None:
    """The deliberate bad rows, placed in the truth so both extracts carry them."""
    rng = world.rng(SOURCE, "bad_rows")
    first_cutoff = EXTRACTS[0][1]
    by_name = {t.name: t for t in specs}

    c = by_name["contacts"].frame
    c["bad_date"] = -1  # position in IMPOSSIBLE_DATES, -1 for a good row
    date = c["date"].to_numpy(dtype="datetime64[D]")
    in_first = (c["recorded"].to_numpy(dtype="datetime64[D]") <= first_cutoff) & (date >= PERIOD_START)
    k = mess.bad_row_count(int(in_first.sum()))
    # each impossible date goes on contacts from that month (31 typed for 28 February)
    month = date.astype("datetime64[M]")
    per_text = np.bincount(np.arange(k) % len(IMPOSSIBLE_DATES), minlength=len(IMPOSSIBLE_DATES))
    for pos, (text, count) in enumerate(zip(IMPOSSIBLE_DATES, per_text)):
        if count == 0:
            continue
        dd, mm, yyyy = text.split("/")
        eligible = np.flatnonzero(in_first & (month == np.datetime64(f"{yyyy}-{mm}", "M")))
        rows = np.sort(rng.choice(eligible, size=min(int(count), len(eligible)), replace=False))
        c.loc[c.index[rows], "bad_date"] = pos
        for label in record_ids("contacts", c["id"].to_numpy()[rows]):
            log.add("wccis_contacts_*.csv", f"Contact ID {label}", f"impossible date {text}")

    a = by_name["assessments"].frame
    a["no_referral"] = rng.random(len(a)) < 0.02  # a few assessments without a referral (allowed)
    comp = a["completed"].to_numpy(dtype="datetime64[D]")
    start = a["start"].to_numpy(dtype="datetime64[D]")
    eligible = np.flatnonzero((comp <= first_cutoff) & (start >= PERIOD_START + 30))
    k = mess.bad_row_count(len(eligible))
    rows = np.sort(rng.choice(eligible, size=k, replace=False))
    a.loc[a.index[rows], "completed"] = start[rows] - rng.integers(1, 21, size=k).astype("timedelta64[D]")
    for label in record_ids("assessments", a["id"].to_numpy()[rows]):
        log.add("wccis_assessments_*.csv", f"Assessment ID {label}", "completed before it started")


def generate(world: World, out_dir: Path, log: mess.ProblemLog, truth: Truth | None = None) -> list[Path]:
    """Write both WCCIS extracts (six tables each); returns the paths written."""
    truth = truth or simulate(world)
    specs = _table_specs(world, truth)
    _plant_bad_rows(world, specs, log)
    paths = []
    for label, cutoff, when in EXTRACTS:
        for spec in specs:
            snap = _snapshot(spec, cutoff)
            if label == EXTRACTS[0][0]:
                snap = _corrupt(world, spec.name, snap)
            header, cols = _columns(world, truth, spec.name, snap)
            path = Path(out_dir) / f"wccis_{spec.name}_{label}.csv"
            encoding = "cp1252" if spec.name == "looked_after" else "utf-8"
            mess.write_csv(path, header, cols, encoding=encoding, newline="\r\n")
            mess.set_received(path, when)
            paths.append(path)
    return paths
