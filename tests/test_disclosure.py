"""Disclosure control on constructed tables: primary rules, secondary suppression, and the
differencing attacker finding nothing to recover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from attacker import recoverable

from indicators import disclosure
from indicators.catalogue import Disclosure, Framework, Indicator

WREXHAM = "W06000006"


def _indicator(ind_id, value_type="count", **rule):
    text = {
        f: {"en": "x", "cy": "x"}
        for f in ("name", "short_name", "definition", "numerator", "denominator", "unit", "caveats")
    }
    return Indicator(
        id=ind_id,
        outcome_area="safe",
        service="childrens_services",
        lead_partner="childrens_services",
        text=text,
        value_type=value_type,
        multiplier=100 if value_type == "proportion" else 1,
        polarity="low_good",
        frequency="quarterly",
        measure_type="flow",
        lowest_geography="ward",
        ci_method="wilson" if value_type == "proportion" else "none",
        benchmark="none",
        target=None,
        spc=False,
        breakdowns=(),
        disclosure=Disclosure(
            **{"count_key": f"{ind_id}.numerator", "denominator_key": f"{ind_id}.denominator", **rule}
        ),
        sources=("x",),
        national_code="",
        sql="",
    )


def _rows(indicator_id, wards: dict[str, float], denominators=None, period="2025-26 Q1", breakdown=None):
    rows = [
        {
            "indicator_id": indicator_id,
            "period": period,
            "area_code": w,
            "breakdown": "all",
            "breakdown_value": "all",
            "numerator": n,
            "denominator": (denominators or {}).get(w),
            "partner_suppressed": 0.0,
        }
        for w, n in wards.items()
    ]
    total_den = sum(denominators.values()) if denominators else None
    rows.append(
        {
            "indicator_id": indicator_id,
            "period": period,
            "area_code": WREXHAM,
            "breakdown": "all",
            "breakdown_value": "all",
            "numerator": sum(wards.values()),
            "denominator": total_den,
            "partner_suppressed": 0.0,
        }
    )
    for name, values in (breakdown or {}).items():
        for value, n in values.items():
            rows.append(
                {
                    "indicator_id": indicator_id,
                    "period": period,
                    "area_code": WREXHAM,
                    "breakdown": name,
                    "breakdown_value": value,
                    "numerator": n,
                    "denominator": None,
                    "partner_suppressed": 0.0,
                }
            )
    return pd.DataFrame(rows)


def _attack(rows: pd.DataFrame, framework: Framework) -> set:
    """Cells the attacker recovers from the published result."""
    flagged = disclosure.primary_flags(rows, framework)
    cells = disclosure.cells_from_rows(flagged, framework)
    eqs = disclosure.equations(cells, framework.relations)
    published = disclosure.apply(rows, framework)
    key = published.set_index(["indicator_id", "area_code", "breakdown", "breakdown_value"])[
        "numerator_hidden"
    ]
    hidden = np.array(
        [
            bool(key.get((k.split(".")[0], a, b, v), False))
            for k, a, b, v in cells[["key", "area_code", "breakdown", "breakdown_value"]].itertuples(
                index=False
            )
        ]
    )
    return recoverable(len(cells), hidden, eqs)


def test_a_single_small_ward_gets_a_complementary_suppression():
    framework = Framework([], [], [], [_indicator("A")])
    rows = _rows("A", {"W1": 3, "W2": 40, "W3": 12, "W4": 25})
    out = disclosure.apply(rows, framework).set_index("area_code")
    assert out.loc["W1", "withheld_reason"] == "small count"
    # The smallest other ward is withheld too, so Wrexham minus the others no longer gives W1.
    assert out.loc["W3", "withheld_reason"] == "secondary"
    assert not out.loc[["W2", "W4", WREXHAM], "value_withheld"].any()
    assert _attack(rows, framework) == set()


def test_without_secondary_suppression_the_attacker_would_succeed():
    """The attacker is real: with only primary suppression it recovers the small ward."""
    framework = Framework([], [], [], [_indicator("A")])
    rows = _rows("A", {"W1": 3, "W2": 40, "W3": 12, "W4": 25})
    cells = disclosure.cells_from_rows(disclosure.primary_flags(rows, framework), framework)
    eqs = disclosure.equations(cells, framework.relations)
    primary_only = cells["sensitive"].to_numpy()
    assert len(recoverable(len(cells), primary_only, eqs)) == 1


def test_zeros_are_published_and_two_small_wards_protect_each_other():
    framework = Framework([], [], [], [_indicator("A")])
    out = disclosure.apply(_rows("A", {"W1": 2, "W2": 4, "W3": 0, "W4": 30}), framework).set_index(
        "area_code"
    )
    assert list(out.loc[["W1", "W2"], "withheld_reason"]) == ["small count", "small count"]
    assert not out.loc[["W3", "W4", WREXHAM], "value_withheld"].any()


def test_breakdown_cells_sum_to_the_total():
    framework = Framework([], [], [], [_indicator("A")])
    rows = _rows(
        "A", {"W1": 20, "W2": 30}, breakdown={"age_band": {"0-4": 2, "5-9": 10, "10-15": 20, "16-17": 18}}
    )
    out = disclosure.apply(rows, framework)
    withheld = set(out.loc[out["value_withheld"], "breakdown_value"])
    assert withheld == {"0-4", "5-9"}
    assert _attack(rows, framework) == set()


def test_a_small_complement_withholds_a_percentage():
    framework = Framework(
        [], [], [], [_indicator("P", "proportion", protect_complement=True, denominator_is_count=True)]
    )
    rows = _rows("P", {"W1": 38, "W2": 50, "W3": 45}, denominators={"W1": 40, "W2": 80, "W3": 90})
    out = disclosure.apply(rows, framework).set_index("area_code")
    # 40 assessed and 38 on time: the 2 late would be disclosed, so W1's figure is withheld.
    assert out.loc["W1", "withheld_reason"] == "small count"
    assert out["value_withheld"].sum() >= 2


def test_no_percentage_from_a_small_denominator():
    framework = Framework(
        [], [], [], [_indicator("P", "proportion", min_denominator=10, denominator_is_count=True)]
    )
    out = disclosure.apply(
        _rows("P", {"W1": 6, "W2": 50}, denominators={"W1": 8, "W2": 80}), framework
    ).set_index("area_code")
    assert out.loc["W1", "withheld_reason"] == "small denominator"


def test_counts_shared_between_indicators_are_withheld_in_both():
    count = _indicator("C", count_key="looked_after")
    rate = _indicator("R", "rate", count_key="looked_after")
    framework = Framework([], [], [], [count, rate])
    rows = pd.concat(
        [
            _rows("C", {"W1": 3, "W2": 20, "W3": 30}),
            _rows("R", {"W1": 3, "W2": 20, "W3": 30}, denominators={"W1": 500, "W2": 900, "W3": 800}),
        ]
    )
    out = disclosure.apply(rows, framework)
    pattern = out.pivot_table(
        index="area_code", columns="indicator_id", values="value_withheld", aggfunc="first"
    )
    assert (pattern["C"] == pattern["R"]).all()
    assert pattern.loc["W1", "C"] and pattern.loc["W2", "C"]


def test_two_indicators_disagreeing_on_a_shared_count_is_an_error():
    framework = Framework([], [], [], [_indicator("C", count_key="k"), _indicator("D", count_key="k")])
    rows = pd.concat([_rows("C", {"W1": 3, "W2": 20}), _rows("D", {"W1": 4, "W2": 20})])
    with pytest.raises(ValueError, match="different values"):
        disclosure.apply(rows, framework)


def test_declared_relation_between_counts_is_protected():
    plans = _indicator("P", count_key="plans")
    looked_after = _indicator("L", count_key="looked_after")
    at_home = _indicator("H", count_key="at_home")
    framework = Framework(
        [],
        [],
        [],
        [plans, looked_after, at_home],
        relations=[{"total": "plans", "parts": ["looked_after", "at_home"]}],
    )
    rows = pd.concat(
        [
            _rows("P", {"W1": 23, "W2": 40, "W3": 60}),
            _rows("L", {"W1": 20, "W2": 25, "W3": 41}),
            _rows("H", {"W1": 3, "W2": 15, "W3": 19}),
        ]
    )
    assert _attack(rows, framework) == set()
    out = disclosure.apply(rows, framework)
    assert out.loc[(out["indicator_id"] == "H") & (out["area_code"] == "W1"), "value_withheld"].all()
