"""The framework as data: outcome areas, services, partners (framework.yaml) and indicators
(definitions/<id>.yaml with definitions/<id>.sql beside it).

load_catalogue() checks every definition and raises CatalogueError naming the indicator and the
field, so a missing translation or a typo fails the build and the tests, not a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFINITIONS_DIR = HERE / "definitions"
FRAMEWORK_FILE = HERE / "framework.yaml"
RELATIONS_FILE = HERE / "disclosure_relations.yaml"

LANGUAGES = ("en", "cy")
VALUE_TYPES = {"proportion", "rate", "count", "money"}
POLARITIES = {"high_good", "low_good", "no_judgement", "not_applicable"}
FREQUENCIES = {"monthly", "quarterly", "termly", "annual", "academic_year"}
MEASURE_TYPES = {"snapshot", "flow"}
GEOGRAPHIES = {"ward", "wrexham"}
CI_METHODS = {"wilson", "byars", "none"}
TEXT_FIELDS = ("name", "short_name", "definition", "numerator", "denominator", "unit", "caveats")
REQUIRED = (
    "id",
    "outcome_area",
    "service",
    "lead_partner",
    "value_type",
    "multiplier",
    "polarity",
    "frequency",
    "measure_type",
    "lowest_geography",
    "ci_method",
    "benchmark",
    "disclosure",
    "sources",
    "breakdowns",
) + TEXT_FIELDS


class CatalogueError(ValueError):
    """An indicator definition is incomplete or inconsistent."""


@dataclass(frozen=True)
class Disclosure:
    min_count: int = 5
    min_denominator: int = 10
    protect_complement: bool = False
    denominator_is_count: bool = False
    count_key: str = ""
    denominator_key: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    outcome_area: str
    service: str
    lead_partner: str
    text: dict[str, dict[str, str]]  # field -> language -> text
    value_type: str
    multiplier: float
    polarity: str
    frequency: str
    measure_type: str
    lowest_geography: str
    ci_method: str
    benchmark: str
    target: dict | None
    spc: bool
    breakdowns: tuple[str, ...]
    disclosure: Disclosure
    sources: tuple[str, ...]
    national_code: str
    sql: str
    order: int = 0

    def t(self, field_name: str, language: str) -> str:
        return self.text[field_name][language]


@dataclass(frozen=True)
class Framework:
    outcome_areas: list[dict]
    services: list[dict]
    partners: list[dict]
    indicators: list[Indicator] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)


def _bilingual(raw: dict, name: str, where: str, allow_empty: bool = False) -> dict[str, str]:
    value = raw.get(name)
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: {name!r} needs English and Welsh text ({{en: ..., cy: ...}})")
    if set(value) != set(LANGUAGES):
        # A comma inside unquoted YAML flow text splits it into stray keys: quote such text.
        raise CatalogueError(f"{where}: {name!r} has keys {sorted(map(str, value))}; expected only en and cy")
    for language in LANGUAGES:
        text = value.get(language)
        if text is None or (not allow_empty and not str(text).strip()):
            raise CatalogueError(f"{where}: {name!r} has no {language!r} text")
    return {language: str(value[language]).strip() for language in LANGUAGES}


def _choice(raw: dict, name: str, allowed: set, where: str) -> str:
    if raw[name] not in allowed:
        raise CatalogueError(f"{where}: {name!r} is {raw[name]!r}; expected one of {sorted(allowed)}")
    return raw[name]


def load_indicator(path: Path, framework_ids: dict[str, set], order: int = 0) -> Indicator:
    where = f"indicator {path.stem}"
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    missing = [name for name in REQUIRED if name not in raw]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")
    if raw["id"] != path.stem:
        raise CatalogueError(f"{where}: id {raw['id']!r} differs from the file name")
    for name, kind in (
        ("outcome_area", "outcome_areas"),
        ("service", "services"),
        ("lead_partner", "partners"),
    ):
        if raw[name] not in framework_ids[kind]:
            raise CatalogueError(f"{where}: {name} {raw[name]!r} is not in framework.yaml {kind}")
    text = {}
    for name in TEXT_FIELDS:
        # A count has no denominator and an indicator may have nothing to caveat, but both
        # languages must still say so (an empty string in each).
        text[name] = _bilingual(raw, name, where, allow_empty=name in ("denominator", "caveats"))
    target = raw.get("target")
    if target is not None:
        if "value" not in target:
            raise CatalogueError(f"{where}: target needs a value")
        for language in LANGUAGES:
            if not str(target.get(language, "")).strip():
                raise CatalogueError(f"{where}: target has no {language!r} text")
    sql_path = path.with_suffix(".sql")
    if not sql_path.exists():
        raise CatalogueError(f"{where}: no {sql_path.name} beside the definition")
    disclosure = Disclosure(
        **{
            "count_key": f"{raw['id']}.numerator",
            "denominator_key": f"{raw['id']}.denominator",
            **(raw["disclosure"] or {}),
        }
    )
    value_type = _choice(raw, "value_type", VALUE_TYPES, where)
    ci_method = _choice(raw, "ci_method", CI_METHODS, where)
    if value_type == "proportion" and ci_method != "wilson":
        raise CatalogueError(f"{where}: a proportion uses the Wilson interval (ci_method: wilson)")
    if raw["benchmark"] not in ("wales", "none"):
        raise CatalogueError(f"{where}: benchmark is 'wales' or 'none'")
    return Indicator(
        id=raw["id"],
        outcome_area=raw["outcome_area"],
        service=raw["service"],
        lead_partner=raw["lead_partner"],
        text=text,
        value_type=value_type,
        multiplier=float(raw["multiplier"]),
        polarity=_choice(raw, "polarity", POLARITIES, where),
        frequency=_choice(raw, "frequency", FREQUENCIES, where),
        measure_type=_choice(raw, "measure_type", MEASURE_TYPES, where),
        lowest_geography=_choice(raw, "lowest_geography", GEOGRAPHIES, where),
        ci_method=ci_method,
        benchmark=raw["benchmark"],
        target=target,
        spc=bool(raw.get("spc", False)),
        breakdowns=tuple(raw["breakdowns"] or ()),
        disclosure=disclosure,
        sources=tuple(raw["sources"]),
        national_code=str(raw.get("national_code") or ""),
        sql=sql_path.read_text(encoding="utf-8"),
        order=order,
    )


def load_catalogue(definitions_dir: Path = DEFINITIONS_DIR) -> Framework:
    with open(FRAMEWORK_FILE, encoding="utf-8") as f:
        framework = yaml.safe_load(f)
    ids = {
        kind: {item["id"] for item in framework[kind]} for kind in ("outcome_areas", "services", "partners")
    }
    for kind in ("outcome_areas", "services", "partners"):
        for item in framework[kind]:
            _bilingual(item, "name", f"framework {kind} {item['id']}")
            if "description" in item:
                _bilingual(item, "description", f"framework {kind} {item['id']}")
    area_order = {area["id"]: i for i, area in enumerate(framework["outcome_areas"])}
    paths = sorted(definitions_dir.glob("*.yaml"))
    indicators = [load_indicator(p, ids) for p in paths]
    indicators.sort(key=lambda ind: (area_order[ind.outcome_area], _natural(ind.id)))
    indicators = [Indicator(**{**ind.__dict__, "order": i}) for i, ind in enumerate(indicators)]
    with open(RELATIONS_FILE, encoding="utf-8") as f:
        relations = (yaml.safe_load(f) or {}).get("relations", [])
    return Framework(
        framework["outcome_areas"], framework["services"], framework["partners"], indicators, relations
    )


def _natural(indicator_id: str) -> tuple:
    head = indicator_id.rstrip("0123456789")
    tail = indicator_id[len(head) :]
    return (head, int(tail) if tail else 0)
