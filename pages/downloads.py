"""Placeholder until this page is built."""
import streamlit as st

from dashboard.i18n import t

st.title(t("nav.downloads"))
