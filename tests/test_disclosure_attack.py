"""The attacker of issue 3: take every value in the published demo file and try to recover each
withheld count by differencing - wards against Wrexham, breakdown values against their total,
counts shared between indicators, declared relations between counts, and a rate or percentage
multiplied back by its denominator. It must recover none.

The equations are built here from the published rows and the public catalogue, independently of
indicators/disclosure.py, so a bug there cannot hide itself.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from attacker import recoverable
from support import open_published

from indicators.catalogue import load_catalogue

WREXHAM = "W06000006"


@pytest.fixture(scope="module")
def published(demo_build):
    con = open_published(demo_build["published"])
    rows = con.execute("""SELECT indicator_id, period, area_code, area_type, breakdown, breakdown_value,
                                 numerator, denominator, value, note_codes FROM indicator_value
                          WHERE area_type <> 'wales'""").df()
    con.close()
    return rows


def _cells(published, framework):
    """{(key, period, area, breakdown, value): known count or None} as the attacker sees them."""
    cells: dict[tuple, float | None] = {}
    for ind in framework.indicators:
        rule = ind.disclosure
        mine = published[published["indicator_id"] == ind.id]
        parts = [] if ind.value_type == "money" else [(rule.count_key, "numerator")]
        if rule.denominator_is_count:
            parts.append((rule.denominator_key, "denominator"))
        for key, column in parts:
            for r in mine.itertuples(index=False):
                if "e" in (r.note_codes or "").split():
                    continue  # an estimate is not an exact count for either side
                if "x" in (r.note_codes or "").split():
                    continue  # not available: no cell at all
                ident = (key, r.period, r.area_code, r.breakdown, r.breakdown_value)
                seen = getattr(r, column)
                known = (
                    None if seen is None or (isinstance(seen, float) and math.isnan(seen)) else float(seen)
                )
                # A count published by any indicator is known to the attacker.
                cells[ident] = known if cells.get(ident) is None else cells[ident]
    return cells


def _equations(cells, relations):
    index = {ident: i for i, ident in enumerate(cells)}
    eqs = []
    by_total = defaultdict(list)
    for (key, period, area, breakdown, _value), i in index.items():
        if breakdown == "all" and area != WREXHAM:
            by_total[(key, period, WREXHAM, "all", "all")].append(i)
        if breakdown != "all":
            by_total[(key, period, area, "all", "all")].append(i)
    for total, parts in by_total.items():
        if total in index:
            eqs.append((index[total], parts))
    for relation in relations:
        for (key, period, area, breakdown, value), i in index.items():
            if key == relation["total"]:
                parts = [index.get((p, period, area, breakdown, value)) for p in relation["parts"]]
                if None not in parts:
                    eqs.append((i, parts))
    return eqs


def test_no_withheld_count_can_be_recovered_by_differencing(published):
    framework = load_catalogue()
    cells = _cells(published, framework)
    hidden = np.array([v is None for v in cells.values()])
    assert hidden.sum() > 1000, "the demo data should exercise disclosure control heavily"
    eqs = _equations(cells, framework.relations)
    assert len(eqs) > 1000
    recovered = recoverable(len(cells), hidden, eqs)
    named = [list(cells)[i] for i in sorted(recovered)][:10]
    assert named == []


def test_no_rate_or_percentage_reveals_a_withheld_numerator(published):
    leaks = published[
        published["numerator"].isna()
        & published["value"].notna()
        & ~published["note_codes"].fillna("").str.contains("e")
    ]
    assert leaks[["indicator_id", "period", "area_code"]].head(5).values.tolist() == []


def test_withheld_rows_carry_the_c_code_and_no_figures(published):
    withheld = published[published["note_codes"].fillna("").str.contains("c")]
    assert len(withheld) > 0
    assert withheld["value"].isna().all()
    # A figure is withheld because its numerator or its denominator is: one of them is missing.
    assert (withheld["numerator"].isna() | withheld["denominator"].isna()).all()
