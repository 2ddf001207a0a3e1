"""Load the per-source contracts (etl/contracts/*.yaml) into plain dataclasses.

A contract is data: what a partner sends and how to read it. This module only parses and checks
the contract itself (a typo in a contract is a developer error, raised as ContractError); the
checks on partner rows are compiled from it in etl/validate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTRACTS_DIR = Path(__file__).resolve().parent / "contracts"

VALUE_TYPES = {
    "text",
    "count",
    "number",
    "money",
    "date",
    "month",
    "quarter",
    "financial_year",
    "academic_year",
    "school_term",
    "ward",
    "category",
}
FORMATS = {"csv", "xlsx", "statxplore_csv"}
SUPERSEDE_MODES = {"full_refresh", "by_period"}
CADENCES = ("monthly", "quarterly", "termly", "annual", "academic_year")


class ContractError(ValueError):
    """A contract file is malformed (a developer error, not a partner's)."""


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]
    type: str
    required: bool = True
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    small_count_marker: str | None = None
    min: object = None
    max: object = None


@dataclass(frozen=True)
class Rule:
    check: str  # SQL boolean over the conformed row; NULL counts as passing
    column: str  # the column blamed in the reject
    message: str


@dataclass(frozen=True)
class StatXplore:
    row_field: str
    column_field: str
    value_column: str


@dataclass(frozen=True)
class Table:
    name: str
    source: str
    file_pattern: re.Pattern
    format: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    supersede: str
    encodings: tuple[str, ...] = ("utf-8",)
    sheet: str | None = None
    period_column: str | None = None
    period_grain: str | None = None
    rules: tuple[Rule, ...] = ()
    statxplore: StatXplore | None = None
    due_days_after_period_end: int | None = None  # overrides the source's, when a table comes later
    cadence: str | None = None  # overrides the source's (an annual table in a quarterly source)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class Source:
    id: str
    partner_en: str
    partner_cy: str
    system: str
    cadence: str
    due_days_after_period_end: int
    notes: str
    tables: tuple[Table, ...]


def _column(raw: dict, where: str) -> Column:
    missing = {"name", "header", "type"} - raw.keys()
    if missing:
        raise ContractError(f"{where}: column lacks {sorted(missing)}")
    if raw["type"] not in VALUE_TYPES:
        raise ContractError(f"{where}: column {raw['name']!r} has unknown type {raw['type']!r}")
    if raw["type"] == "category" and not raw.get("allowed"):
        raise ContractError(f"{where}: category column {raw['name']!r} needs 'allowed'")
    allowed = {
        str(code): tuple(str(label) for label in labels)
        for code, labels in (raw.get("allowed") or {}).items()
    }
    return Column(
        name=raw["name"],
        headers=tuple(raw["header"]),
        type=raw["type"],
        required=bool(raw.get("required", True)),
        allowed=allowed,
        small_count_marker=raw.get("small_count_marker"),
        min=raw.get("min"),
        max=raw.get("max"),
    )


def _table(name: str, raw: dict, source_id: str, column_sets: dict, where: str) -> Table:
    where = f"{where} table {name}"
    for required in ("file_pattern", "format", "columns", "key", "supersede"):
        if required not in raw:
            raise ContractError(f"{where}: missing {required!r}")
    if raw["format"] not in FORMATS:
        raise ContractError(f"{where}: unknown format {raw['format']!r}")
    if raw["supersede"] not in SUPERSEDE_MODES:
        raise ContractError(f"{where}: unknown supersede mode {raw['supersede']!r}")
    if raw.get("cadence") not in (None, *CADENCES):
        raise ContractError(f"{where}: unknown cadence {raw['cadence']!r}")
    if raw["format"] == "xlsx" and not raw.get("sheet"):
        raise ContractError(f"{where}: an xlsx table needs 'sheet'")
    raw_columns = []
    for set_name in raw.get("column_sets", []):
        if set_name not in column_sets:
            raise ContractError(f"{where}: unknown column set {set_name!r}")
        raw_columns.extend(column_sets[set_name])
    raw_columns.extend(raw["columns"])
    columns = tuple(_column(c, where) for c in raw_columns)
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise ContractError(f"{where}: duplicated column names")
    for key in raw["key"]:
        if key not in names:
            raise ContractError(f"{where}: key column {key!r} is not a column")
    if raw["supersede"] == "by_period" and raw.get("period_column") not in names:
        raise ContractError(f"{where}: by_period needs a period_column that is a column")
    rules = tuple(Rule(r["check"], r["column"], r["message"]) for r in raw.get("rules", []))
    for rule in rules:
        if rule.column not in names:
            raise ContractError(f"{where}: rule blames unknown column {rule.column!r}")
    statxplore = None
    if raw["format"] == "statxplore_csv":
        sx = raw.get("statxplore") or {}
        try:
            statxplore = StatXplore(sx["row_field"], sx["column_field"], sx["value_column"])
        except KeyError as missing:
            raise ContractError(f"{where}: statxplore lacks {missing}") from None
    return Table(
        name=name,
        source=source_id,
        file_pattern=re.compile(raw["file_pattern"], re.IGNORECASE),
        format=raw["format"],
        columns=columns,
        key=tuple(raw["key"]),
        supersede=raw["supersede"],
        encodings=tuple(raw.get("encodings", ["utf-8"])),
        sheet=raw.get("sheet"),
        period_column=raw.get("period_column"),
        period_grain=raw.get("period_grain"),
        rules=rules,
        statxplore=statxplore,
        due_days_after_period_end=raw.get("due_days_after_period_end"),
        cadence=raw.get("cadence"),
    )


def load_source(path: Path) -> Source:
    with open(path, encoding="utf-8") as f:
        # The C loader when PyYAML has it: contracts are read on every build.
        raw = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    where = path.name
    for required in ("source", "partner", "cadence", "due_days_after_period_end", "tables"):
        if required not in raw:
            raise ContractError(f"{where}: missing {required!r}")
    column_sets = raw.get("column_sets") or {}
    tables = tuple(_table(name, t, raw["source"], column_sets, where) for name, t in raw["tables"].items())
    return Source(
        id=raw["source"],
        partner_en=raw["partner"]["en"],
        partner_cy=raw["partner"]["cy"],
        system=raw.get("system", ""),
        cadence=raw["cadence"],
        due_days_after_period_end=int(raw["due_days_after_period_end"]),
        notes=(raw.get("notes") or "").strip(),
        tables=tables,
    )


def load_contracts(directory: Path = CONTRACTS_DIR) -> list[Source]:
    """Every source contract, in file-name order (so builds are deterministic)."""
    sources = [load_source(p) for p in sorted(directory.glob("*.yaml"))]
    table_names = [t.name for s in sources for t in s.tables]
    if len(set(table_names)) != len(table_names):
        raise ContractError("two contracts declare the same table name")
    return sources


def tables_for_file(file_name: str, sources: list[Source]) -> list[Table]:
    """The tables a delivered file feeds (an Excel workbook can feed several)."""
    return [t for s in sources for t in s.tables if t.file_pattern.match(file_name)]
