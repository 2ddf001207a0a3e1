"""Presentation helpers for the Streamlit app: data access, translation, URL state, formatting,
charts. Pages lay out; these modules fetch published figures and say them well. Nothing here
computes a statistic: every value, interval and judgement comes from the published file."""
