"""Education: school lookup, termly attendance, annual exclusions and Year 11 destinations.

Every file is UTF-8 with a byte-order mark (saved from Excel as "CSV UTF-8"). School-level
figures; the ETL places them in wards through the school lookup.

The schools are a fixed, invented set in the local style (about 60 primary, 8 secondary and
one special school; "Ysgol ..." names for Welsh-medium schools, "... CP School" and saints'
names for others). Pupils follow the child population of each school's ward (times the scale).

Story: primary attendance about 94.5% before the pandemic and 91.5-92.5% after; pupils eligible
for free school meals (eFSM) about 5 points lower; spring the lowest term; secondary
persistent absence about 10% before and 20-25% after; eFSM share rising from about 18% to 24%;
fixed-term exclusions rising from about 30 to 60 per 1,000 pupils; Year 11 NEET 1.5-3%.
No Summer 2020 attendance (schools closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import mess
from .world import World, received

SOURCE = "education"
ACADEMIC_YEARS = tuple(range(2018, 2026))  # 2018 = 2018/19 ... 2025 = 2025/26
TERMS = ("Autumn", "Spring", "Summer")
SESSIONS_PER_PUPIL = {"Autumn": 146, "Spring": 116, "Summer": 118}
LA_CODE = "663"

# attendance (%) by phase and academic year, before the term and FSM adjustments
ATTENDANCE = {
    "primary": {
        2018: 94.6,
        2019: 94.7,
        2020: 92.6,
        2021: 91.0,
        2022: 91.7,
        2023: 92.2,
        2024: 92.4,
        2025: 92.5,
    },
    "secondary": {
        2018: 93.8,
        2019: 93.9,
        2020: 90.5,
        2021: 87.9,
        2022: 88.6,
        2023: 89.1,
        2024: 89.4,
        2025: 89.7,
    },
    "special": {
        2018: 89.5,
        2019: 89.6,
        2020: 86.0,
        2021: 84.5,
        2022: 85.0,
        2023: 85.5,
        2024: 85.8,
        2025: 86.0,
    },
}
TERM_EFFECT = {"Autumn": 0.4, "Spring": -0.8, "Summer": 0.3}
FSM_GAP = 5.0
PERSISTENT = {  # share of pupils missing 10%+ of sessions at the borough level
    "primary": {
        2018: 0.065,
        2019: 0.065,
        2020: 0.12,
        2021: 0.17,
        2022: 0.155,
        2023: 0.145,
        2024: 0.14,
        2025: 0.135,
    },
    "secondary": {
        2018: 0.10,
        2019: 0.10,
        2020: 0.18,
        2021: 0.25,
        2022: 0.24,
        2023: 0.23,
        2024: 0.22,
        2025: 0.215,
    },
    "special": {
        2018: 0.20,
        2019: 0.20,
        2020: 0.30,
        2021: 0.36,
        2022: 0.35,
        2023: 0.34,
        2024: 0.33,
        2025: 0.33,
    },
}
EFSM_SHARE = {
    2018: 0.187,
    2019: 0.197,
    2020: 0.222,
    2021: 0.232,
    2022: 0.237,
    2023: 0.242,
    2024: 0.247,
    2025: 0.247,
}
FIXED_TERM_PER_1000 = {2018: 32, 2019: 27, 2020: 24, 2021: 41, 2022: 48, 2023: 54, 2024: 58, 2025: 60}
PERMANENT_PER_YEAR = {2018: 3, 2019: 2, 2020: 1, 2021: 4, 2022: 5, 2023: 6, 2024: 5, 2025: 6}
DESTINATIONS = {  # continuing education, training, employment, NEET, unknown/left
    2018: (0.858, 0.052, 0.040, 0.020, 0.030),
    2019: (0.870, 0.045, 0.030, 0.028, 0.027),
    2020: (0.872, 0.046, 0.034, 0.024, 0.024),
    2021: (0.866, 0.048, 0.040, 0.021, 0.025),
    2022: (0.864, 0.049, 0.042, 0.020, 0.025),
    2023: (0.862, 0.050, 0.042, 0.021, 0.025),
    2024: (0.862, 0.050, 0.041, 0.022, 0.025),
    2025: (0.860, 0.051, 0.041, 0.023, 0.025),
}

# Invented names in the local style, built from a place in each ward (ward order as wards.csv).
WARD_PLACES = [
    "Acrefair",
    "Acton Park",
    "Bangor-on-Dee",
    "Borras Park",
    "Bronington",
    "Brymbo",
    "Bryn Cefn",
    "Brynyffynnon",
    "Cartrefle",
    "Cefn Mawr",
    "Plas Madoc",
    "Chirk",
    "Castle Mill",
    "Coedpoeth",
    "Glyn Ceiriog",
    "Erddig",
    "Rhostyllen",
    "Garden Village",
    "Gresford",
    "Grosvenor",
    "Gwenfro",
    "Gwersyllt",
    "Summerhill",
    "Bradley",
    "Gatewen",
    "Hermitage",
    "Holt",
    "Little Acton",
    "Froncysyllte",
    "Llay",
    "Marchwiel",
    "Marford",
    "Minera",
    "New Broughton",
    "Offa",
    "Overton",
    "Johnstown",
    "Penycae",
    "Rhosymedre",
    "Ponciau",
    "Caia Park",
    "Rhos",
    "Rhosnesni",
    "Rossett",
    "Ruabon",
    "Hightown",
    "Stansty",
    "Whitegate",
    "Wynnstay",
]
WELSH_WORDS = [
    "Bryn Derw",
    "Cae Gwyn",
    "Glan y Dŵr",
    "Min y Bryn",
    "Penrhyn Alun",
    "Plas Coch",
    "Tan y Castell",
    "Y Ddôl",
    "Bro Alun",
    "Cwm Clywedog",
    "Pen y Waun",
    "Llwyn Onn",
]
SAINTS = ["St Dunawd's", "St Giles'", "St Mary's", "St Chad's", "St Anne's", "St Peter's"]
SECONDARY_NAMES = [
    ("Ysgol Uwchradd Glan Alun", "welsh"),
    ("Clywedog Valley High School", "english"),
    ("Offa's Dyke Academy", "english"),
    ("Ceiriog Vale High School", "english"),
    ("St Winefride's Catholic High School", "english"),
    ("Maelor Park High School", "english"),
    ("Ysgol Dyffryn Dyfrdwy", "dual"),
    ("Gresford Heath High School", "english"),
]
SPECIAL_NAME = "Ysgol Pen y Llan"


@dataclass(frozen=True)
class School:
    code: str
    name: str
    phase: str  # primary, secondary, special
    phase_label: str  # Primary / Infant / Junior / Secondary / Special
    ward: int
    medium: str
    size: float  # relative size within its phase


def schools(world: World) -> list[School]:
    """The fixed set of schools; only their relative sizes depend on the seed.

    One primary per ward, named after a place in it ("... CP School", or "Ysgol ..." for a few
    English-medium schools, as in Wales); the 11 wards with most children get a second school:
    an infant/junior pair, a Welsh-medium "Ysgol ..." or a Catholic primary. Codes follow the
    LA estab pattern 663 + 4 digits (2xxx primary, 4xxx secondary, 7xxx special).
    """
    rng = world.rng(SOURCE, "schools")
    kids = world.children(2022)
    big = [int(i) for i in np.argsort(-kids, kind="stable")[:11]]
    out: list[School] = []
    n_welsh = n_saint = 0

    def add(name: str, label: str, ward: int, medium: str) -> None:
        k = len(out)
        out.append(
            School(
                f"{LA_CODE}{2001 + k * 3:04d}",
                name,
                "primary",
                label,
                ward,
                medium,
                float(rng.uniform(0.6, 1.4)),
            )
        )

    for ward in range(world.n_wards):
        place = WARD_PLACES[ward]
        if ward in big:
            second = big.index(ward) % 3
            if second == 0:  # infant and junior schools
                add(f"{place} Infants School", "Infant", ward, "english")
                add(f"{place} Junior School", "Junior", ward, "english")
            elif second == 1:  # a Welsh-medium school beside the English one
                add(f"{place} CP School", "Primary", ward, "english")
                add(f"Ysgol {WELSH_WORDS[n_welsh % len(WELSH_WORDS)]}", "Primary", ward, "welsh")
                n_welsh += 1
            else:  # a Catholic primary
                add(f"{place} CP School", "Primary", ward, "english")
                add(f"{SAINTS[n_saint % len(SAINTS)]} Catholic Primary School", "Primary", ward, "english")
                n_saint += 1
        elif ward % 9 == 4:
            add(f"Ysgol {WELSH_WORDS[n_welsh % len(WELSH_WORDS)]}", "Primary", ward, "welsh")
            n_welsh += 1
        elif ward % 6 == 1:
            add(f"Ysgol {place}", "Primary", ward, "english")
        elif ward % 17 == 3:
            add(f"Ysgol {place}", "Primary", ward, "dual")
        else:
            add(f"{place} CP School", "Primary", ward, "english")
    sec_wards = [
        int(world.wards.index[world.wards["ward_code"] == c][0])
        for c in (
            "W05001742",
            "W05001729",
            "W05001757",
            "W05001725",
            "W05001738",
            "W05001748",
            "W05001726",
            "W05001731",
        )
    ]
    for k, ((name, medium), ward) in enumerate(zip(SECONDARY_NAMES, sec_wards)):
        out.append(
            School(
                f"{LA_CODE}{4001 + k * 5:04d}",
                name,
                "secondary",
                "Secondary",
                ward,
                medium,
                float(rng.uniform(0.7, 1.3)),
            )
        )
    out.append(
        School(
            f"{LA_CODE}7001",
            SPECIAL_NAME,
            "special",
            "Special",
            int(world.wards.index[world.wards["ward_code"] == "W05001732"][0]),
            "dual",
            1.0,
        )
    )
    return out


def _pupils(world: World, sch: list[School], year: int) -> np.ndarray:
    """Pupils on roll per school for an academic year (scaled)."""
    pop = world.children_by_band(year)  # [ward, band]
    wards = np.array([s.ward for s in sch])
    primary_total = pop[:, 1].sum() + 0.2 * pop[:, 0].sum() + pop[:, 2].sum() * 2 / 6
    secondary_total = pop[:, 2].sum() * 4 / 6 + pop[:, 3].sum() * 0.45 + pop[:, 2].sum() / 6
    out = np.zeros(len(sch))
    for phase, total in (("primary", primary_total * 0.985), ("secondary", secondary_total * 0.985)):
        m = np.array([s.phase == phase for s in sch])
        if phase == "primary":
            weight = pop[wards[m]].sum(axis=1) / np.bincount(wards[m], minlength=world.n_wards)[wards[m]]
        else:
            weight = np.ones(m.sum())
        weight = weight * np.array([s.size for s in sch])[m]
        out[m] = total * weight / weight.sum()
    out[[s.phase == "special" for s in sch]] = 150
    return np.maximum(np.round(world.scaled(out)), 5).astype(np.int64)


def _efsm_share(world: World, sch: list[School], year: int) -> np.ndarray:
    """Share of each school's pupils eligible for free school meals in a year."""
    rates = world.ward_rates(EFSM_SHARE[year], 2022, elasticity=0.9, bands=("5-9", "10-15"))
    share = np.array([rates[s.ward] for s in sch])
    share[[s.phase == "special" for s in sch]] = min(0.45, EFSM_SHARE[year] * 1.8)
    return share


def _school_effect(world: World, sch: list[School]) -> np.ndarray:
    """Attendance points above/below the phase norm: a little lower in deprived wards."""
    rng = world.rng(SOURCE, "school_effect")
    x = world.wards["log_relative_score"].to_numpy()[[s.ward for s in sch]]
    return -0.5 * x + rng.normal(0, 0.35, len(sch))


def _attendance(world: World, sch: list[School], year: int) -> pd.DataFrame:
    """One academic year of termly attendance by school and FSM group."""
    rng = world.rng(SOURCE, "attendance", str(year))
    pupils = _pupils(world, sch, year)
    share = _efsm_share(world, sch, year)
    effect = _school_effect(world, sch)
    rows = []
    for term in TERMS:
        if year == 2019 and term == "Summer":
            continue  # schools closed: no Summer 2020 attendance collection
        sessions = SESSIONS_PER_PUPIL[term] + int(rng.integers(-4, 5))
        if year == 2019 and term == "Spring":
            sessions = 96  # closed from 20 March 2020
        for k, s in enumerate(sch):
            base = ATTENDANCE[s.phase][year] + TERM_EFFECT[term] + effect[k]
            non = base + FSM_GAP * share[k]  # so the school's mix averages to base
            for fsm, pct in (("eFSM", non - FSM_GAP), ("Not eFSM", non)):
                n = int(
                    round(pupils[k] * (share[k] if fsm == "eFSM" else 1 - share[k]) * rng.uniform(0.98, 1.02))
                )
                if n == 0:
                    continue
                possible = int(round(n * sessions * rng.uniform(0.97, 1.0)))
                rate = np.clip(pct / 100 + rng.normal(0, 0.002), 0.5, 0.995)
                attended = int(rng.binomial(possible, rate))
                pa_base = PERSISTENT[s.phase][year]
                borough_absence = 1 - ATTENDANCE[s.phase][year] / 100
                pa = np.clip(pa_base * ((1 - rate) / borough_absence) ** 1.3, 0, 0.95)
                persistent = int(rng.binomial(n, pa))
                rows.append(
                    (
                        f"{term} {year if term == 'Autumn' else year + 1}",
                        s.code,
                        fsm,
                        n,
                        possible,
                        attended,
                        persistent,
                    )
                )
    return pd.DataFrame(
        rows, columns=["term", "school", "fsm", "pupils", "possible", "attended", "persistent"]
    )


def _write_attendance(world: World, sch: list[School], out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write attendance_YYYY-YY.csv for each year (with the one bad row in 2022-23)."""
    paths = []
    bad_year = 2022
    for year in ACADEMIC_YEARS:
        f = _attendance(world, sch, year)
        if year == bad_year:
            # a school's row with two figures transposed: attended > possible (a bad row)
            rng = world.rng(SOURCE, "bad_rows", "attendance")
            i = int(rng.integers(0, len(f)))
            f.loc[i, "attended"] = int(f.loc[i, "possible"] * rng.uniform(1.02, 1.10))
            log.add(
                f"attendance_{year}-{(year + 1) % 100:02d}.csv",
                f"line {i + 2}",
                "sessions attended greater than sessions possible",
            )
        name = f"attendance_{year}-{(year + 1) % 100:02d}.csv"
        path = Path(out_dir) / name
        totals = [
            "Total",
            "",
            "",
            *[str(int(f[c].sum())) for c in ("pupils", "possible", "attended", "persistent")],
        ]
        mess.write_csv(
            path,
            [
                "Term",
                "School code",
                "FSM",
                "Pupils",
                "Sessions possible",
                "Sessions attended",
                "Persistently absent pupils",
            ],
            [
                f["term"].to_numpy(dtype=object),
                f["school"].to_numpy(dtype=object),
                f["fsm"].to_numpy(dtype=object),
            ]
            + [mess.as_text(f[c]) for c in ("pupils", "possible", "attended", "persistent")],
            bom=True,
            totals=totals,
        )
        # the summer term's figures are final at the end of July (due 45 days after the term
        # ends); 2019-20 had no summer term, so its file came in June 2020
        when = received(2020, 6, 5, 10, 0) if year == 2019 else received(year + 1, 8, 28, 10, 0)
        mess.set_received(path, when)
        paths.append(path)
    return paths


def _write_exclusions(world: World, sch: list[School], out_dir: Path) -> list[Path]:
    """Write exclusions_YYYY-YY.csv: fixed-term and permanent exclusions by school."""
    paths = []
    for year in ACADEMIC_YEARS:
        rng = world.rng(SOURCE, "exclusions", str(year))
        pupils = _pupils(world, sch, year)
        share = _efsm_share(world, sch, year)
        weight = np.array([{"primary": 0.35, "secondary": 2.6, "special": 3.0}[s.phase] for s in sch])
        weight = weight * pupils * (0.5 + 2.5 * share)
        total = FIXED_TERM_PER_1000[year] / 1000 * pupils.sum()
        fixed = rng.poisson(total * weight / weight.sum())
        perm_w = (
            np.array([{"primary": 0.05, "secondary": 1.0, "special": 0.3}[s.phase] for s in sch]) * pupils
        )
        permanent = rng.multinomial(
            int(rng.poisson(world.scaled(PERMANENT_PER_YEAR[year]))), perm_w / perm_w.sum()
        )
        ay = f"{year}/{(year + 1) % 100:02d}"
        rows = []
        for k, s in enumerate(sch):
            rows.append((ay, s.code, "Fixed-term", fixed[k], pupils[k]))
            if s.phase != "primary" or permanent[k]:
                rows.append((ay, s.code, "Permanent", permanent[k], pupils[k]))
        f = pd.DataFrame(rows, columns=["ay", "school", "type", "n", "roll"])
        path = Path(out_dir) / f"exclusions_{year}-{(year + 1) % 100:02d}.csv"
        mess.write_csv(
            path,
            ["Academic year", "School code", "Exclusion type", "Exclusions", "Pupils on roll"],
            [
                f["ay"].to_numpy(dtype=object),
                f["school"].to_numpy(dtype=object),
                f["type"].to_numpy(dtype=object),
                mess.as_text(f["n"]),
                mess.as_text(f["roll"]),
            ],
            bom=True,
        )
        mess.set_received(path, received(year + 1, 10, 5, 10, 0))
        paths.append(path)
    return paths


def _write_destinations(world: World, sch: list[School], out_dir: Path) -> list[Path]:
    """Write year11_destinations_YYYY.csv (label = the year the cohort left)."""
    paths = []
    leaving = [s for s in sch if s.phase in ("secondary", "special")]
    for year in ACADEMIC_YEARS:
        rng = world.rng(SOURCE, "destinations", str(year))
        pupils = _pupils(world, sch, year)
        rows = []
        for s in leaving:
            k = sch.index(s)
            leavers = int(round(pupils[k] / (5.4 if s.phase == "secondary" else 12)))
            p = np.array(DESTINATIONS[year])
            x = world.wards["log_relative_score"].to_numpy()[s.ward]
            p[3] *= np.exp(0.5 * x)  # NEET higher in deprived catchments
            if s.phase == "special":
                p[0], p[1], p[3] = p[0] * 0.85, p[1] * 2.0, p[3] * 2.0
            counts = rng.multinomial(leavers, p / p.sum())
            rows.append((f"{year}/{(year + 1) % 100:02d}", s.code, leavers, *counts))
        f = pd.DataFrame(rows, columns=["ay", "school", "leavers", "edu", "train", "emp", "neet", "unknown"])
        label = year + 1
        path = Path(out_dir) / f"year11_destinations_{label}.csv"
        mess.write_csv(
            path,
            [
                "Academic year",
                "School code",
                "Year 11 leavers",
                "Continuing in full-time education",
                "In training",
                "In employment",
                "Not in education employment or training",
                "Unknown or left the area",
            ],
            [f["ay"].to_numpy(dtype=object), f["school"].to_numpy(dtype=object)]
            + [mess.as_text(f[c]) for c in ("leavers", "edu", "train", "emp", "neet", "unknown")],
            bom=True,
        )
        # Careers Wales publishes destinations in the new year (the contract allows 150 days
        # after 31 August); the 2026 file is a provisional early (September) snapshot.
        when = received(label + 1, 1, 20, 10, 0) if label < 2026 else received(2026, 10, 16, 10, 0)
        mess.set_received(path, when)
        paths.append(path)
    return paths


def _write_lookup(world: World, sch: list[School], out_dir: Path) -> Path:
    """Write schools_lookup.csv (ward as a name for most schools, a code for some)."""
    rng = world.rng(SOURCE, "lookup")
    codes = world.wards["ward_code"].to_numpy(dtype=object)
    names = world.wards["name_en"].to_numpy(dtype=object)
    ward_text = [codes[s.ward] if rng.random() < 0.15 else names[s.ward] for s in sch]
    medium = {"welsh": "Welsh medium", "english": "English medium", "dual": "Dual stream"}
    path = Path(out_dir) / "schools_lookup.csv"
    mess.write_csv(
        path,
        ["School code", "School name", "Phase", "Ward", "Language medium"],
        [
            np.array([s.code for s in sch], dtype=object),
            np.array([s.name for s in sch], dtype=object),
            np.array([s.phase_label for s in sch], dtype=object),
            np.array(ward_text, dtype=object),
            np.array([medium[s.medium] for s in sch], dtype=object),
        ],
        bom=True,
    )
    mess.set_received(path, received(2026, 9, 12, 10, 0))
    return path


def generate(world: World, out_dir: Path, log: mess.ProblemLog) -> list[Path]:
    """Write every education file; returns the paths."""
    sch = schools(world)
    return (
        [_write_lookup(world, sch, out_dir)]
        + _write_attendance(world, sch, out_dir, log)
        + _write_exclusions(world, sch, out_dir)
        + _write_destinations(world, sch, out_dir)
    )
