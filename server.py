"""Entry point: the dashboard (app.py) and its HTTP API (api/) from one server.

    streamlit run server.py      (what `make run` does)

`streamlit run` finds the st.App below and serves it with uvicorn; app.py stays a plain
Streamlit script (AppTest runs it directly).
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from api import routes

# app.py chooses its pages with st.navigation, but its pages live in a folder called pages/,
# which Streamlit also reads as an old-style multipage app: until app.py has run once, a first
# visitor's link to /wards would run pages/wards.py alone (no language, no notices, no demo
# banner). st.navigation itself clears this flag when app.py runs; clearing it at start-up
# makes every page, from the first request on, go through app.py.
# (tests/browser/test_navigation.py::test_a_fresh_server_serves_a_deep_link_through_the_app)
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=routes)
