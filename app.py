"""Wrexham Prevention and Early Help outcomes dashboard (entry point).

Until the dashboard pages land, this home page shows what the warehouse holds: which partner
files arrived and how many rows were landed or rejected. It reads the warehouse read-only.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import streamlit as st

WAREHOUSE = Path(os.environ.get("PEH_WAREHOUSE", "data/build/warehouse.duckdb"))

st.set_page_config(page_title="Wrexham Prevention and Early Help", layout="wide")


@st.cache_data(show_spinner=False)
def load_summary(path: str, version: float):
    """Per-source delivery counts; `version` (the file's mtime) refreshes the cache on a rebuild."""
    con = duckdb.connect(path, read_only=True)
    try:
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
        table = con.execute("""
            SELECT s.partner_en AS partner, l.table_name AS "table", count(DISTINCT l.file) AS files,
                   sum(l.rows_read) AS "rows read", sum(l.rows_landed) AS "rows landed",
                   sum(l.rows_rejected) AS "rows rejected", max(l.received) AS "last received"
            FROM load_log l JOIN sources s USING (source, table_name)
            GROUP BY ALL ORDER BY partner, "table" """).df()
    finally:
        con.close()
    return info, table


st.title("Wrexham Prevention and Early Help")
st.write("Is prevention working, where, and is it keeping children out of care? This dashboard "
         "brings the partners' figures together to show whether things are getting better or worse.")

if not WAREHOUSE.exists():
    st.warning("No data has been loaded yet. Run `make run` (or `python -m etl build`) first.")
    st.stop()

info, table = load_summary(str(WAREHOUSE), WAREHOUSE.stat().st_mtime)
if info.get("demo_data") == "true":
    st.info("**Demo data.** Every figure here is made up by the project's demo generator. "
            "It behaves like Wrexham's data but describes no real child or family.")
st.subheader("Partner data loaded")
st.caption(f"Warehouse built {info.get('built_at', 'unknown')}.")
st.dataframe(table, hide_index=True, width="stretch")
