"""Wrexham Prevention and Early Help outcomes dashboard: page config, language, navigation.

Run with `make run`. Every page reads only the published, disclosure-controlled file through
dashboard/data.py; the language and every selection live in the URL.
"""
from __future__ import annotations

import streamlit as st

from dashboard import data, state
from dashboard.i18n import LANGUAGES, t
from dashboard.periods import quarter_label

st.set_page_config(page_title="Wrexham Prevention and Early Help", page_icon=":material/family_restroom:",
                   layout="wide")

# The language comes first: page titles and every label below depend on it.
with st.sidebar:
    lang = state.select(t("common.language_label"), list(LANGUAGES), key="lang", what="language",
                        default="en", format_func=lambda code: t(f"common.language_{code}", code),
                        widget="segmented_control")
# Streamlit writes <html lang="en"> on every page; Welsh pages must say they are Welsh
# (WCAG 3.1.1), so a tiny script sets it. `lang` is one of two fixed codes, never user text.
st.html(f"<script>document.documentElement.lang = '{lang}';</script>", unsafe_allow_javascript=True)

PAGES = [
    # (name, file, icon, section)
    ("overview", "pages/overview.py", ":material/dashboard:", "explore"),
    ("indicator", "pages/indicator.py", ":material/monitoring:", "explore"),
    ("wards", "pages/wards.py", ":material/map:", "explore"),
    ("services", "pages/services.py", ":material/diversity_3:", "explore"),
    ("board", "pages/board.py", ":material/event_note:", "explore"),
    ("downloads", "pages/downloads.py", ":material/download:", "about"),
    ("data_quality", "pages/data_quality.py", ":material/fact_check:", "about"),
    ("about", "pages/about.py", ":material/info:", "about"),
]
sections: dict[str, list] = {}
for name, path, icon, section in PAGES:
    page = st.Page(path, title=t(f"nav.{name}"), icon=icon, url_path=name, default=(name == "overview"))
    sections.setdefault(t(f"common.nav_section_{section}"), []).append(page)
current = st.navigation(sections)

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
