"""Disclosure control: nothing published may reveal a small count, directly or by differencing.

Every count the framework publishes is a *cell*: (count key, period, area, breakdown, value).
Indicators that publish the same count share a count key (S1 and S2 both publish the number of
children looked after), so a cell is withheld everywhere or nowhere.

1. Primary suppression (per indicator's `disclosure` rule): a count from 1 to min_count - 1; for
   proportions with protect_complement, a count whose complement (denominator - numerator) is
   that small; a numerator whose denominator is under min_denominator; a count built from cells
   the partner already suppressed ('<5'), whose exact value nobody knows.
2. Secondary suppression: the published cells obey equations an attacker can use - Wrexham =
   sum of its wards, a total = sum of its breakdown values, and the relations between counts in
   disclosure_relations.yaml. In any equation a single withheld cell could be solved for, so
   while an equation holds exactly one withheld cell, the smallest other cell of it (a part
   before the total, the smallest non-zero value first) is withheld too. Repeat until no
   equation has exactly one.
3. A rate or percentage is withheld with its numerator (from the value and a published
   denominator the numerator could be worked back), and with a withheld count denominator.

Zeros are published: the policy withholds counts of 1 to 4, and a zero identifies no one.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from indicators.catalogue import Framework

WREXHAM = "W06000006"


def primary_flags(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Add numerator_sensitive / denominator_sensitive / small_denominator to indicator rows."""
    rules = {ind.id: ind.disclosure for ind in framework.indicators}
    kinds = {ind.id: ind.value_type for ind in framework.indicators}
    min_count = rows["indicator_id"].map(lambda i: rules[i].min_count)
    min_den = rows["indicator_id"].map(lambda i: rules[i].min_denominator)
    complement = rows["indicator_id"].map(lambda i: rules[i].protect_complement)
    den_is_count = rows["indicator_id"].map(lambda i: rules[i].denominator_is_count)
    is_money = rows["indicator_id"].map(lambda i: kinds[i] == "money")
    num, den = rows["numerator"], rows["denominator"]

    def small(x):
        return (x >= 1) & (x < min_count)

    partner = rows["partner_suppressed"].fillna(0) > 0
    small_den = den.notna() & (den < min_den)
    num_sensitive = (~is_money & small(num)) | (complement & small(den - num)) | small_den | partner
    den_sensitive = den_is_count & small(den)
    return rows.assign(
        numerator_sensitive=num_sensitive.fillna(False).astype(bool),
        denominator_sensitive=den_sensitive.fillna(False).astype(bool),
        small_denominator=small_den.fillna(False).astype(bool),
        partner_incomplete=partner,
    )


def cells_from_rows(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """One row per published count (numerators, and denominators that are counts)."""
    rules = {ind.id: ind.disclosure for ind in framework.indicators}
    kinds = {ind.id: ind.value_type for ind in framework.indicators}
    parts = []
    numerators = rows[rows["indicator_id"].map(lambda i: kinds[i] != "money")]
    parts.append(
        pd.DataFrame(
            {
                "key": numerators["indicator_id"].map(lambda i: rules[i].count_key),
                "period": numerators["period"],
                "area_code": numerators["area_code"],
                "breakdown": numerators["breakdown"],
                "breakdown_value": numerators["breakdown_value"],
                "value": numerators["numerator"],
                "sensitive": numerators["numerator_sensitive"],
            }
        )
    )
    with_count_den = rows[rows["indicator_id"].map(lambda i: rules[i].denominator_is_count)]
    parts.append(
        pd.DataFrame(
            {
                "key": with_count_den["indicator_id"].map(lambda i: rules[i].denominator_key),
                "period": with_count_den["period"],
                "area_code": with_count_den["area_code"],
                "breakdown": with_count_den["breakdown"],
                "breakdown_value": with_count_den["breakdown_value"],
                "value": with_count_den["denominator"],
                "sensitive": with_count_den["denominator_sensitive"],
            }
        )
    )
    cells = pd.concat(parts, ignore_index=True)
    cells = cells[cells["value"].notna()]
    # The same count published by two indicators must agree, and is withheld if either says so.
    ident = ["key", "period", "area_code", "breakdown", "breakdown_value"]
    disagree = cells.groupby(ident)["value"].nunique()
    if (disagree > 1).any():
        bad = disagree[disagree > 1].index[0]
        raise ValueError(f"two indicators publish count {bad[0]!r} with different values at {bad[1:]}")
    return cells.groupby(ident, as_index=False).agg(value=("value", "first"), sensitive=("sensitive", "any"))


def equations(cells: pd.DataFrame, relations: list[dict]) -> list[tuple[int, list[int]]]:
    """(total cell, part cells) for every equation an attacker could use, as cell positions."""
    index = {
        tuple(r): i
        for i, r in enumerate(
            cells[["key", "period", "area_code", "breakdown", "breakdown_value"]].itertuples(
                index=False, name=None
            )
        )
    }
    found: list[tuple[int, list[int]]] = []
    # Wrexham = sum of wards (the 'all' rows).
    wards = defaultdict(list)
    for (key, period, area, breakdown, _value), i in index.items():
        if breakdown == "all" and area != WREXHAM:
            wards[(key, period)].append(i)
    for (key, period), parts in wards.items():
        total = index.get((key, period, WREXHAM, "all", "all"))
        if total is not None:
            found.append((total, sorted(parts)))
    # A total = the sum of its breakdown values.
    breakdowns = defaultdict(list)
    for (key, period, area, breakdown, _value), i in index.items():
        if breakdown != "all":
            breakdowns[(key, period, area, breakdown)].append(i)
    for (key, period, area, _breakdown), parts in breakdowns.items():
        total = index.get((key, period, area, "all", "all"))
        if total is not None:
            found.append((total, sorted(parts)))
    # Declared relations between counts (e.g. plans = looked after + not looked after).
    for relation in relations:
        for (key, period, area, breakdown, value), i in index.items():
            if key != relation["total"]:
                continue
            parts = [index.get((part, period, area, breakdown, value)) for part in relation["parts"]]
            if all(p is not None for p in parts):
                found.append((i, parts))
    return found


def secondary_suppression(
    values: np.ndarray, hidden: np.ndarray, eqs: list[tuple[int, list[int]]]
) -> np.ndarray:
    """Withhold more cells until no equation has exactly one withheld cell. Returns the new mask."""
    hidden = hidden.copy()
    changed = True
    while changed:
        changed = False
        for total, parts in eqs:
            members = [total] + parts
            withheld = [m for m in members if hidden[m]]
            if len(withheld) != 1:
                continue
            # Prefer a part (keeps the headline total visible), the smallest non-zero one: it
            # loses the least. Withholding a zero protects nothing while its equation's other
            # cells are zero too, so the total goes next, and a zero only as a last resort.
            open_parts = [p for p in parts if not hidden[p]]
            nonzero = [p for p in open_parts if values[p] > 0]
            if nonzero:
                pick = min(nonzero, key=lambda p: (values[p], p))
            elif not hidden[total]:
                pick = total
            elif open_parts:
                pick = open_parts[0]
            else:
                continue
            hidden[pick] = True
            changed = True
    return hidden


def apply(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Decide what is withheld. Adds numerator_hidden, denominator_hidden, value_withheld, withheld_reason."""
    rows = primary_flags(rows, framework)
    cells = cells_from_rows(rows, framework)
    eqs = equations(cells, framework.relations)
    hidden = secondary_suppression(cells["value"].to_numpy(dtype=float), cells["sensitive"].to_numpy(), eqs)
    cells = cells.assign(hidden=hidden)
    rules = {ind.id: ind.disclosure for ind in framework.indicators}
    kinds = {ind.id: ind.value_type for ind in framework.indicators}
    ident = ["period", "area_code", "breakdown", "breakdown_value"]
    lookup = cells.set_index(["key"] + ident)["hidden"]

    def hidden_for(key_of) -> pd.Series:
        keys = pd.MultiIndex.from_arrays([rows["indicator_id"].map(key_of)] + [rows[c] for c in ident])
        return pd.Series(lookup.reindex(keys).to_numpy(), index=rows.index).fillna(False).astype(bool)

    num_hidden = hidden_for(lambda i: rules[i].count_key)
    den_hidden = hidden_for(lambda i: rules[i].denominator_key) & rows["indicator_id"].map(
        lambda i: rules[i].denominator_is_count
    )
    money = rows["indicator_id"].map(lambda i: kinds[i] == "money")
    # A money total is withheld with the count of placements it is spread over.
    num_hidden = num_hidden | (money & den_hidden) | rows["partner_incomplete"]
    withheld = num_hidden | den_hidden | rows["small_denominator"]
    reason = np.select(
        [
            rows["partner_incomplete"] & (rows["area_code"] == WREXHAM),
            rows["small_denominator"],
            rows["numerator_sensitive"] | rows["denominator_sensitive"],
            withheld,
        ],
        ["estimate", "small denominator", "small count", "secondary"],
        default="",
    )
    return rows.assign(
        numerator_hidden=num_hidden,
        denominator_hidden=den_hidden,
        value_withheld=withheld,
        withheld_reason=reason,
    )
