"""About: what the dashboard is, where the data comes from, the methods in plain words, the
accessibility statement, the Welsh-language statement, and data sources and licences."""

from __future__ import annotations

import streamlit as st

from dashboard import data, maps
from dashboard.i18n import column, t

vintage = st.session_state.get("vintage")
info = data.vintage_info(vintage)
indicators = data.indicators(vintage)
published = indicators[indicators["status"] == "published"]
partners = data.table("partner", vintage)

st.title(t("about.title"))
st.markdown(t("about.what", indicators=len(published)))
if info.get("demo_data"):
    st.markdown(t("about.demo"))

sections = [
    ("sources_title", "sources"),
    ("methods_title", "methods"),
    ("accessibility_title", "accessibility"),
    ("welsh_title", "welsh"),
    ("licences_title", "licences"),
]
st.markdown(
    t("about.contents")
    + "\n\n"
    + "\n".join(f"- [{t('about.' + title)}](#{anchor})" for title, anchor in sections)
)

# --- where the data comes from ----------------------------------------------------------------
st.header(t("about.sources_title"), divider="gray", anchor="sources")
st.markdown(t("about.sources_intro"))
st.markdown("\n".join(f"- {name}" for name in partners[column("name")]))
st.markdown(t("about.sources_national"))
st.page_link("pages/data_quality.py", label=t("about.data_quality_link"), icon=":material/fact_check:")

# --- methods --------------------------------------------------------------------------------
st.header(t("about.methods_title"), divider="gray", anchor="methods")
for part in ("intervals", "comparison", "trend", "spc", "disclosure"):
    st.subheader(t(f"about.method_{part}_title"))
    st.markdown(t(f"about.method_{part}"))
st.subheader(t("about.codes_title"))
st.markdown(
    "\n".join(
        f"- {t('common.' + key)}"
        for key in (
            "withheld_explained",
            "not_available_explained",
            "estimated_explained",
            "provisional_explained",
        )
    )
)

# --- downloads and the API ---------------------------------------------------------------------
st.header(t("about.api_title"), divider="gray", anchor="api")
st.markdown(t("about.api_text"))
st.code(
    "GET /api/v1/indicators?lang=cy\n"
    "GET /api/v1/data.csv?indicator=S2&area=wards&from=2024-25 Q1&lang=cy\n"
    "GET /api/v1/data.json | data.xlsx | data.zip   (same filters)\n"
    "GET /api/v1/openapi.json",
    language="text",
)

# --- accessibility statement ---------------------------------------------------------------
st.header(t("about.accessibility_title"), divider="gray", anchor="accessibility")
for part in ("intro", "status", "limitations", "report", "enforcement", "testing"):
    st.markdown(t(f"about.accessibility_{part}"))

# --- Welsh language ----------------------------------------------------------------------------
st.header(t("about.welsh_title"), divider="gray", anchor="welsh")
st.markdown(t("about.welsh_text"))

# --- data sources and licences --------------------------------------------------------------
st.header(t("about.licences_title"), divider="gray", anchor="licences")
st.markdown(t("about.licences_text"))
st.caption(t("about.map_now_boundaries") if maps.boundary_source() else t("about.map_now_hex"))
