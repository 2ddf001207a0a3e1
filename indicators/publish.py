"""Write the published file: only disclosure-controlled values and metadata, never raw rows.

The file is built beside the live one and swapped in atomically (etl.warehouse.building), and a
copy is kept per reporting quarter under vintages/, so a later quarter can be compared with
what was known before and an old link can show exactly what was published then.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from etl.warehouse import building
from indicators.catalogue import Framework

PUBLISHED_COLUMNS = [
    "indicator_id",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "area_type",
    "area_code",
    "breakdown",
    "breakdown_value",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "wales_value",
    "compared_to_wales",
    "compared_to_wales_998",
    "wrexham_value",
    "compared_to_wrexham",
    "compared_to_wrexham_998",
    "recent_trend",
    "trend_judgement",
    "spc_signal",
    "spc_mean",
    "spc_lower",
    "spc_upper",
    "target_value",
    "target_met",
    "note_codes",
    "withheld_reason",
    "vintage",
    "load_ids",
]


def vintage_id(reporting_end) -> str:
    from etl.periods import quarter_of

    return quarter_of(reporting_end)


def vintage_path(out_dir: Path, vintage: str) -> Path:
    return out_dir / "vintages" / f"{vintage.replace(' ', '-')}.duckdb"


def indicator_table(
    framework: Framework, load_ids: dict[str, list[str]], problems: dict[str, str]
) -> pd.DataFrame:
    records = []
    for ind in framework.indicators:
        record = {
            "indicator_id": ind.id,
            "display_order": ind.order,
            "outcome_area": ind.outcome_area,
            "service": ind.service,
            "lead_partner": ind.lead_partner,
            "national_code": ind.national_code,
            "value_type": ind.value_type,
            "multiplier": ind.multiplier,
            "polarity": ind.polarity,
            "frequency": ind.frequency,
            "measure_type": ind.measure_type,
            "lowest_geography": ind.lowest_geography,
            "ci_method": ind.ci_method,
            "benchmark": ind.benchmark,
            "target_value": (ind.target or {}).get("value"),
            "target_en": (ind.target or {}).get("en"),
            "target_cy": (ind.target or {}).get("cy"),
            "spc": ind.spc,
            "breakdowns": json.dumps(list(ind.breakdowns)),
            "disclosure_min_count": ind.disclosure.min_count,
            "disclosure_min_denominator": ind.disclosure.min_denominator,
            "sources": json.dumps(list(ind.sources)),
            "load_ids": json.dumps(load_ids.get(ind.id, [])),
            "status": "not available" if ind.id in problems else "published",
            "problem": problems.get(ind.id),
        }
        for field_name, texts in ind.text.items():
            for language, text in texts.items():
                record[f"{field_name}_{language}"] = text
        records.append(record)
    return pd.DataFrame.from_records(records)


def framework_tables(framework: Framework) -> dict[str, pd.DataFrame]:
    def flat(items, extra=()):
        return pd.DataFrame(
            [
                {
                    "id": i["id"],
                    "name_en": i["name"]["en"],
                    "name_cy": i["name"]["cy"],
                    **{k: i.get(k) for k in extra},
                    **(
                        {"description_en": i["description"]["en"], "description_cy": i["description"]["cy"]}
                        if "description" in i
                        else {}
                    ),
                }
                for i in items
            ]
        )

    return {
        "outcome_area": flat(framework.outcome_areas),
        "service": flat(framework.services, ("lead_partner",)),
        "partner": flat(framework.partners),
    }


def write(out_dir: Path, tables: dict[str, pd.DataFrame], vintage: str) -> Path:
    """Write the published file and its vintage copy; returns the live path."""
    out_dir = Path(out_dir)
    live = out_dir / "published.duckdb"
    with building(live) as con:
        for name, frame in tables.items():
            con.register("_frame", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
    keep = vintage_path(out_dir, vintage)
    keep.parent.mkdir(parents=True, exist_ok=True)
    temporary = keep.with_name(f".{keep.name}.copy-{os.getpid()}")
    shutil.copyfile(live, temporary)
    os.replace(temporary, keep)
    return live
