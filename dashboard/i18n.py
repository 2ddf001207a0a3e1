"""English and Welsh: every string a person reads comes through t().

Catalogues live in dashboard/locales/<language>/<namespace>.yaml; a key "overview.title" is the
entry "title" of overview.yaml. tests/test_i18n.py fails when a key is in one language and not
the other, or when code asks for a key no catalogue has. Numbers, dates and periods are written
the way each language writes them.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import streamlit as st
import yaml

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"


def _flatten(prefix: str, tree: dict, out: dict) -> None:
    for key, value in tree.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalogue(language: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            _flatten(path.stem, yaml.safe_load(f) or {}, entries)
    return entries


def language() -> str:
    """The language of this rerun (the bound `lang` widget, or the URL before it exists)."""
    chosen = st.session_state.get("lang") or st.query_params.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, language_code: str | None = None, **values) -> str:
    """The text for a key in the current language, with {placeholders} filled in."""
    text = catalogue(language_code or language()).get(key)
    if text is None:
        # A missing key is a bug the tests catch; never show a traceback to a councillor.
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


def column(name: str) -> str:
    """The name of a bilingual column in the published file: name -> name_en or name_cy."""
    return f"{name}_{language()}"


def number(value, decimals: int = 0) -> str:
    """A number with thousands separators (the same in English and Welsh)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.{decimals}f}"
