"""The mess partners really send, added on purpose to the demo extracts.

Two kinds of problem are made here:

* mess the ETL must cope with and land (ward names misspelt, in Welsh, in capitals or as codes;
  dates in several formats; a UTF-8 byte-order mark; Windows-1252 text; blank trailing rows;
  totals rows; a late, a resubmitted and a missing delivery);
* a handful of genuinely bad rows the ETL must reject, each with a reason.

DELIBERATE_PROBLEMS lists every one of them (file, what, why) so that tests and the data-quality
page can be checked against it. The exact rows of each run are also listed in DEMO_DATA.txt
(see ProblemLog).

Conventions used by every writer here (so the ETL has one rule to learn):
* a totals row has the text "Total" in its first cell;
* a blank trailing row is a line of commas only (",,,").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .world import MONTH_ABBR, World

# ------------------------------------------------------------------ the documented problems


@dataclass(frozen=True)
class Problem:
    """One deliberate problem in the demo extracts.

    file: a regular expression matched against file names (re.search);
    table: the contract table it concerns;
    kind: "reject" (bad rows the ETL must reject, with a reason) or "cope" (the ETL must land
      the data despite it) or "delivery" (about when/whether a file arrives);
    what / why: plain words for the data-quality page;
    marker: a string that appears in the file (or, for xlsx, in the cell) where it happens,
      so a test can find it; None where the problem is a property of the file.
    """

    file: str
    table: str
    kind: str
    what: str
    why: str
    marker: str | None = None


DELIBERATE_PROBLEMS: list[Problem] = [
    # ---- rows the ETL must reject
    Problem(
        r"^wccis_contacts_\d{8}\.csv$",
        "cs_contacts",
        "reject",
        "impossible contact date such as 31/02/2025 (about 0.03% of rows, at least one)",
        "typed by hand into a free-text date field; the ETL must reject the row, not guess",
        "31/02/2025",
    ),
    Problem(
        r"^wccis_assessments_\d{8}\.csv$",
        "cs_assessments",
        "reject",
        "assessment completed before it started (about 0.03% of rows, at least one)",
        "dates keyed the wrong way round; breaks the 42-working-day measure",
        None,
    ),
    Problem(
        r"^nwp_children_2018-19Q1_to_2024-25Q4\.csv$",
        "police_children",
        "reject",
        "unknown ward 'Wrexham Town Centre' (not a ward; no alias)",
        "police gazetteer area, not an electoral ward: the row cannot be placed",
        "Wrexham Town Centre",
    ),
    Problem(
        r"^nwp_children_2018-19Q1_to_2024-25Q4\.csv$",
        "police_children",
        "reject",
        "negative count (e.g. -3)",
        "an adjustment row leaked into the extract; counts are never negative",
        ",-",
    ),
    Problem(
        r"^attendance_2022-23\.csv$",
        "edu_attendance",
        "reject",
        "sessions attended greater than sessions possible (one school row)",
        "a school's return transposed two figures",
        None,
    ),
    Problem(
        r"^bcuhb_child_health_2018-19Q1_to_2025-26Q4\.csv$",
        "hb_child_health",
        "reject",
        "a duplicated key (quarter, ward, measure) with a different achieved figure",
        "the same ward was written under its code and its name in two runs of the report",
        None,
    ),
    Problem(
        r"^early_help_return_2018-19_to_2025-26\.xlsx$",
        "eh_wellbeing_hub",
        "reject",
        "a formula (=12+3) instead of a number in the Contacts column (no cached value)",
        "someone added up by hand in the workbook; formulas are not data",
        "=12+3",
    ),
    # ---- mess the ETL must cope with
    Problem(
        r"^wccis_.*\.csv$",
        "cs_*",
        "cope",
        "dates in mixed formats in one file: 31/03/2024 (most), 2024-03-31, 31-Mar-2024",
        "free-text date fields and two export routines",
        None,
    ),
    Problem(
        r"^wccis_looked_after_\d{8}\.csv$",
        "cs_looked_after",
        "cope",
        "Windows-1252 encoding; weekly cost written as £1,234.56 (byte 0xA3)",
        "the file comes from the finance system",
        "£",
    ),
    Problem(
        r"^wccis_.*_20261014\.csv$",
        "cs_*",
        "cope",
        "about 0.3% of records in the July extract corrected in the October extract; "
        "contacts for earlier quarters recorded late; open records closed",
        "a full extract is a living picture: the later one wins and revisions are recorded",
        None,
    ),
    Problem(
        r"^wccis_.*\.csv$",
        "cs_*",
        "cope",
        "a few ward names misspelt (aliases) or in Welsh",
        "free-text address fields",
        None,
    ),
    Problem(
        r"^(schools_lookup|attendance_|exclusions_|year11_destinations_).*\.csv$",
        "edu_*",
        "cope",
        "UTF-8 byte-order mark at the start of every education file",
        "saved from Excel as 'CSV UTF-8'",
        "\ufeff",
    ),
    Problem(
        r"^schools_lookup\.csv$",
        "edu_schools",
        "cope",
        "ward given as a name for most schools and as an ONS code for some",
        "two people maintain the lookup",
        None,
    ),
    Problem(
        r"^attendance_\d{4}-\d{2}\.csv$",
        "edu_attendance",
        "cope",
        "a totals row at the end ('Total' in the first cell)",
        "the report's own footer",
        "Total",
    ),
    Problem(
        r"^attendance_2019-20\.csv$",
        "edu_attendance",
        "cope",
        "no Summer 2020 term",
        "schools closed in the pandemic; not a missing delivery",
        None,
    ),
    Problem(
        r"^early_help_return_.*\.xlsx$",
        "eh_*",
        "cope",
        "a Cover sheet; most dates are Excel date cells but some are text (03/05/2024)",
        "a hand-maintained workbook",
        None,
    ),
    Problem(
        r"^bcuhb_child_health_.*\.csv$",
        "hb_child_health",
        "cope",
        "ward column mixes codes, names and 'W05001713 Acrefair North'; a totals row at "
        "the end; quarterly files use the other accepted measure labels",
        "the health board's report joins two lookups",
        "Total",
    ),
    Problem(
        r"^bcuhb_(nd_waiting_list|nd_assessments|camhs_assessments|child_health)_2026-27Q1\.csv$",
        "hb_*",
        "delivery",
        "2026-27 Q1 delivered late: received 18 September 2026 (due 31 July)",
        "the health board's analyst was on leave",
        None,
    ),
    Problem(
        r"^bcuhb_child_measurement_.*\.csv$",
        "hb_child_measurement",
        "cope",
        "no 2019/20 school year",
        "the programme paused in the pandemic",
        None,
    ),
    Problem(
        r"^nwp_children_.*\.csv$",
        "police_children",
        "cope",
        "ward names in English, Welsh, misspelt (ward_aliases.csv), as codes and in capitals; "
        "counts of 1-4 written '<5'; zero cells left out; blank trailing rows ',,,'",
        "the police gazetteer and disclosure rule",
        "<5",
    ),
    Problem(
        r"^nwp_children_2025-26Q3(_v2)?\.csv$",
        "police_children",
        "delivery",
        "2025-26 Q3 resubmitted as _v2 (received 2 March 2026) with about 5% of cells changed",
        "the first version double counted some incidents",
        None,
    ),
    Problem(
        r"^nwp_children_2026-27Q2\.csv$",
        "police_children",
        "delivery",
        "2026-27 Q2 never delivered (due 31 October 2026): overdue on the demo's date 2026-11-02",
        "shows the data-quality page's overdue check",
        None,
    ),
    Problem(
        r"^dwp_cilif_ward_.*\.csv$",
        "dwp_low_income_children",
        "cope",
        "Stat-Xplore layout: title lines, a table, a Total row, footnotes; ward figures "
        "do not add exactly to the Total (disclosure control); the FYE 2025 release "
        "revises 2023/24",
        "how Stat-Xplore exports",
        "Total",
    ),
]


# ------------------------------------------------------------------ a log of this run's bad rows


@dataclass
class ProblemLog:
    """Where the bad rows of one run ended up (file, location, what); written to DEMO_DATA.txt."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, file: str, location: str, what: str) -> None:
        self.entries.append((file, location, what))

    def lines(self) -> list[str]:
        def natural(entry: tuple[str, str, str]) -> tuple:
            # 'line 788' before 'line 2317'
            return tuple(
                tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", part)) for part in entry
            )

        return [f"{f} | {loc} | {what}" for f, loc, what in sorted(self.entries, key=natural)]


def bad_row_count(n_rows: int, rate: float = 0.0003) -> int:
    """How many deliberate bad rows of one kind: about 0.03% of rows, at least one."""
    return max(1, int(round(n_rows * rate)))


# ------------------------------------------------------------------ categorical helpers


def pick(rng: np.random.Generator, n: int, probs) -> np.ndarray:
    """n categorical draws (indices) from probabilities that need not sum exactly to 1."""
    p = np.asarray(probs, dtype=float)
    cum = np.cumsum(p / p.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, rng.random(n), side="right")


def stratified_uniforms(rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
    """Uniforms that are evenly spread within each group (one per stratum of 1/size).

    Used where a small population's mix must stay close to its expected shares whatever the
    seed (e.g. ~300 looked-after children by placement type); each value is still random.
    """
    n = len(groups)
    order = np.lexsort((rng.random(n), groups))
    g = np.asarray(groups)[order]
    first = np.searchsorted(g, g, side="left")
    size = np.searchsorted(g, g, side="right") - first
    u = np.empty(n)
    u[order] = (np.arange(n) - first + rng.random(n)) / size
    return u


def pick_rows(rng: np.random.Generator, probs: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
    """One categorical draw per row of a probability matrix [n, k] (u: optional uniforms)."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    if u is None:
        u = rng.random(len(probs))
    return (u[:, None] >= cum).sum(axis=1)


def labels(
    codes: np.ndarray,
    options: dict,
    rng: np.random.Generator | None,
    weights: dict | None = None,
    u: np.ndarray | None = None,
) -> np.ndarray:
    """Turn category codes into partner labels, sometimes using an accepted alternative label.

    codes: the codes as text, or integer positions into list(options) (faster for big tables);
    options: code -> list of labels (the first is the usual one);
    weights: code -> list of weights for those labels (default: all the first label);
    u: optional uniforms fixed per record (instead of rng draws), so a record keeps its
      wording from one delivery to the next.
    """
    codes = np.asarray(codes)
    keys = list(options)
    if codes.dtype.kind not in "iu":
        lookup = {k: i for i, k in enumerate(keys)}
        codes = np.array([lookup[c] for c in codes], dtype=np.int64) if len(codes) else codes.astype(np.int64)
    out = np.empty(len(codes), dtype=object)
    if u is None:
        u = rng.random(len(codes))
    for i, code in enumerate(keys):
        mask = codes == i
        if not mask.any():
            continue
        opts = options[code]
        w = np.asarray((weights or {}).get(code, [1.0] + [0.0] * (len(opts) - 1)), dtype=float)
        cum = np.cumsum(w / w.sum())
        cum[-1] = 1.0
        out[mask] = np.asarray(opts, dtype=object)[np.searchsorted(cum, u[mask], side="right")]
    return out


# ------------------------------------------------------------------ wards

WARD_VARIANTS = ("en", "cy", "alias", "code", "code_name", "upper", "lower")


def ward_labels(
    world: World,
    ward_idx: np.ndarray,
    rng: np.random.Generator | None,
    mix: dict[str, float],
    u: np.ndarray | None = None,
) -> np.ndarray:
    """How a partner writes each ward: English name, Welsh name, a known misspelling, the ONS
    code, 'code name', or the English name in capitals or lower case.

    mix gives the share of each variant (keys from WARD_VARIANTS). A ward with no alias or no
    distinct Welsh name falls back to its English name, which is what partners do.
    u: optional uniforms [n, 2] fixed per record (variant, which alias) instead of rng draws,
    so a record keeps its spelling from one delivery to the next.
    """
    if u is None:
        u = rng.random((len(ward_idx), 2))
    codes = world.wards["ward_code"].to_numpy(dtype=object)
    en = world.wards["name_en"].to_numpy(dtype=object)
    cy = world.wards["name_cy"].to_numpy(dtype=object)
    table = {
        "en": en,
        "cy": cy,
        "code": codes,
        "code_name": np.array([f"{c} {n}" for c, n in zip(codes, en)], dtype=object),
        "upper": np.array([n.upper() for n in en], dtype=object),
        "lower": np.array([n.lower() for n in en], dtype=object),
    }
    weights = np.array([mix.get(v, 0.0) for v in WARD_VARIANTS], dtype=float)
    cum = np.cumsum(weights / weights.sum())
    cum[-1] = 1.0
    variant = np.searchsorted(cum, u[:, 0], side="right")
    out = table["en"][ward_idx].copy()
    for k, name in enumerate(WARD_VARIANTS):
        mask = variant == k
        if not mask.any() or name == "en":
            continue
        if name == "alias":
            # flatten the aliases so one integer draw picks among a ward's spellings
            lists = [world.aliases.get(c, ()) for c in codes]
            n_alias = np.array([len(a) for a in lists])
            offsets = np.concatenate([[0], np.cumsum(n_alias)[:-1]])
            flat = np.array([a for lst in lists for a in lst], dtype=object)
            idx = ward_idx[mask]
            has = n_alias[idx] > 0
            choice = np.minimum(
                (u[mask, 1] * np.maximum(n_alias[idx], 1)).astype(np.int64), np.maximum(n_alias[idx] - 1, 0)
            )
            vals = en[idx].copy()
            vals[has] = flat[offsets[idx[has]] + choice[has]]
            out[mask] = vals
        else:
            out[mask] = table[name][ward_idx[mask]]
    return out


# ------------------------------------------------------------------ dates

DMY, ISO, DMON, DMON_YY, MON_YY = 0, 1, 2, 3, 4


def _format_one(d: dt.date, style: int) -> str:
    if style == DMY:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == ISO:
        return d.isoformat()
    if style == DMON:
        return f"{d.day:02d}-{MONTH_ABBR[d.month - 1]}-{d.year}"
    if style == DMON_YY:
        return f"{d.day:02d}-{MONTH_ABBR[d.month - 1]}-{d.year % 100:02d}"
    if style == MON_YY:
        return f"{MONTH_ABBR[d.month - 1]}-{d.year % 100:02d}"
    raise ValueError(style)


def format_dates(dates: np.ndarray, styles) -> np.ndarray:
    """datetime64[D] -> text in the given style(s); NaT -> ''.

    Formats each distinct (date, style) once: a million dates span only a few thousand days,
    so this is fast without a per-row Python loop.
    """
    dates = np.asarray(dates, dtype="datetime64[D]")
    styles = np.broadcast_to(np.asarray(styles, dtype=np.int64), dates.shape)
    out = np.full(dates.shape, "", dtype=object)
    ok = ~np.isnat(dates)
    if not ok.any():
        return out
    key = dates[ok].astype(np.int64) * 8 + styles[ok]
    uniq, inverse = np.unique(key, return_inverse=True)
    base = dt.date(1970, 1, 1)
    text = np.array(
        [_format_one(base + dt.timedelta(days=int(k // 8)), int(k % 8)) for k in uniq], dtype=object
    )
    out[ok] = text[inverse]
    return out


def date_styles(
    rng: np.random.Generator, n: int, dmy: float = 0.85, iso: float = 0.12, dmon: float = 0.03
) -> np.ndarray:
    """A date style per value: mostly 31/03/2024, some 2024-03-31, a few 31-Mar-2024."""
    return pick(rng, n, [dmy, iso, dmon])


# ------------------------------------------------------------------ numbers


def money_gbp(values: np.ndarray) -> np.ndarray:
    """Money as the finance system writes it: £1,234.56."""
    return np.array([f"£{v:,.2f}" for v in np.asarray(values, dtype=float)], dtype=object)


def small_counts(counts: np.ndarray, marker: str = "<5", threshold: int = 5) -> np.ndarray:
    """Counts as text, with 1..threshold-1 replaced by the partner's suppression marker."""
    counts = np.asarray(counts, dtype=np.int64)
    out = counts.astype(str).astype(object)
    out[(counts >= 1) & (counts < threshold)] = marker
    return out


def as_text(values) -> np.ndarray:
    """Integers (or anything) as text for the CSV writer."""
    return np.asarray(values).astype(str).astype(object)


# ------------------------------------------------------------------ writing files


def csv_line(values: list, newline: str = "\n") -> str:
    """One CSV row with minimal quoting, as Excel writes it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow(values)
    return buf.getvalue()


def _csv_column(col) -> list[str]:
    """A column as CSV cell text: minimal quoting, only scanned value by value when the column
    holds a comma, quote or line break somewhere (most columns never do)."""
    values = [v if isinstance(v, str) else str(v) for v in col] if not isinstance(col, list) else col
    joined = "\x1f".join(values)
    if not any(ch in joined for ch in ',"\r\n'):
        return values
    return ['"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\r\n') else v for v in values]


def write_csv(
    path: Path,
    header: list[str],
    columns: list,
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\n",
    totals: list | None = None,
    blank_rows: int = 0,
    preamble: list[str] | None = None,
    footer: list[str] | None = None,
    chunk: int = 200_000,
) -> int:
    """Write a partner CSV; returns the number of data rows.

    columns: one sequence per header, already as text (so the bytes are exactly what we mean).
    totals: a totals row appended after the data (first cell "Total").
    blank_rows: lines of commas only appended at the very end (police do this).
    preamble / footer: raw lines (without newline) before the header / after everything.
    Rows are joined in C (str.join over zip) in chunks, which is several times faster than
    DataFrame.to_csv for a million rows and keeps memory bounded.
    """
    cols = [_csv_column(c) for c in columns]
    n = len(cols[0]) if cols else 0
    if any(len(c) != n for c in cols):
        raise ValueError(f"{path}: columns of different lengths")
    enc = "utf-8-sig" if bom else encoding
    with open(path, "w", encoding=enc, newline="") as out:
        for line in preamble or []:
            out.write(line + newline)
        out.write(csv_line(header, newline))
        for start in range(0, n, chunk):
            rows = zip(*(c[start : start + chunk] for c in cols))
            out.write(newline.join(map(",".join, rows)) + newline)
        if totals is not None:
            out.write(csv_line(totals, newline))
        for _ in range(blank_rows):
            out.write("," * (len(header) - 1) + newline)
        for line in footer or []:
            out.write(line + newline)
    return n


def set_received(path: Path, when: dt.datetime) -> None:
    """Set the file's modification time to its simulated received time.

    The naive received time is read as UTC, so the ETL sees the same clock time whatever the
    container's time zone is (UTC in CI).
    """
    ts = when.replace(tzinfo=dt.UTC).timestamp()
    os.utime(path, (ts, ts))
