"""Wrexham Prevention and Early Help outcomes dashboard: page config, language, navigation.

Run with `make run`. Every page reads only the published, disclosure-controlled file through
dashboard/data.py; the language and every selection live in the URL.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, state
from dashboard.i18n import LANGUAGES, t
from dashboard.periods import quarter_label

st.set_page_config(
    page_title="Wrexham Prevention and Early Help", page_icon=":material/family_restroom:", layout="wide"
)

# The language comes first: page titles and every label below depend on it.
with st.sidebar:
    lang = state.select(
        t("common.language_label"),
        list(LANGUAGES),
        key="lang",
        what="language",
        default="en",
        format_func=lambda code: t(f"common.language_{code}", code),
        widget="radio",
        horizontal=True,
    )
# Radio buttons, not a segmented control: Streamlit draws a selected segment in its accent colour
# on a tint of it at 4.2:1, under the 4.5:1 WCAG 1.4.3 asks for (axe, tests/browser/test_accessibility.py).
# Streamlit writes <html lang="en"> on every page; Welsh pages must say they are Welsh
# (WCAG 3.1.1), so a tiny script sets it. `lang` is one of two fixed codes, never user text.
st.html(f"<script>document.documentElement.lang = '{lang}';</script>", unsafe_allow_javascript=True)

PAGES = [
    # (name, file, icon)
    ("overview", "pages/overview.py", ":material/dashboard:"),
    ("indicator", "pages/indicator.py", ":material/monitoring:"),
    ("wards", "pages/wards.py", ":material/map:"),
    ("services", "pages/services.py", ":material/diversity_3:"),
    ("board", "pages/board.py", ":material/event_note:"),
    ("downloads", "pages/downloads.py", ":material/download:"),
    ("data_quality", "pages/data_quality.py", ":material/fact_check:"),
    ("about", "pages/about.py", ":material/info:"),
]
# One flat list: with sections Streamlit puts each heading and its links in a <div> inside the
# <ul>, which screen readers cannot read as a list (axe: list, listitem; WCAG 1.3.1).
current = st.navigation(
    [
        st.Page(path, title=t(f"nav.{name}"), icon=icon, url_path=name, default=(name == "overview"))
        for name, path, icon in PAGES
    ]
)

try:
    vintage = state.url_value("vintage", list(data.vintage_files()), "vintage")
    info = data.vintage_info(vintage)
except data.NoData:
    st.title(t("common.app_title"))
    st.warning(t("common.no_data"))
    st.stop()
st.session_state["vintage"] = vintage
if info.get("demo_data"):
    st.warning(t("common.demo_banner"), icon=":material/science:")
if vintage:
    st.info(t("common.vintage_pinned", period=quarter_label(info["vintage"], lang), link="?lang=" + lang))
current.run()
state.show_notices()
